"""The learning loop in Telegram: /unanswered, 保存为问答, and /faq for officers and admins.

Saving is a short draft (question wording → answer → optional document section) kept by
`bot.learning.LearningService` as a durable flow, so the person who knows the answer
confirms exactly what entrepreneurs will be told; the entry is searchable the moment it
is saved. Only officers, in their group or in private, get here (`access.STAFF`).
States: learning.mmd.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.learning import (
    ASK_ANSWER,
    ASK_LINK,
    REASON_DISLIKE,
    REASON_HANDOFF,
    REASON_NONE,
    DislikeReport,
    Draft,
    QuestionGroup,
)
from bot.services import Services
from bot.texts import Lang, t
from handlers import access
from handlers.context import AnyApp, Ctx, chat_of, lang_for, message_of, query_of, services, user_of
from handlers.render import b, edit, nav_row, page_of, send, stale_button, tell, text, truncate

MAX_GROUPS = 10
MAX_ARTICLES = 10  # 👎 lines by cited article
NOTES_PER_LINE, NOTE_CHARS = 2, 80  # the free texts of "其他" shown under a line
FAQ_PAGE = 8
_REASON_ORDER = (REASON_NONE, REASON_DISLIKE, REASON_HANDOFF)


def _button(key: str, lang: Lang, data: str, **params: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(truncate(t(key, lang, **params), 60), callback_data=data)


# ------------------------------------------------------------------ /unanswered
async def on_unanswered(update: Update, context: Ctx) -> None:
    """The week's misses grouped by wording, each with a 保存为问答 button; then the 👎
    counted by reason and by the article the answers cited."""
    svc, lang = services(context), await lang_for(update, context)
    groups = (await svc.learning.unanswered())[:MAX_GROUPS]
    if not groups:
        await send(context.bot, chat_of(update).id, text("unanswered.empty", lang))
        return
    head = b(t("unanswered.head", lang, groups=len(groups), total=sum(g.count for g in groups)))
    lines = [head, *(_group_line(n, g, lang) for n, g in enumerate(groups, start=1))]
    lines += _dislike_lines(await svc.learning.dislikes(), lang)
    rows = [[_button("unanswered.btn_save", lang, f"lrn:save:{svc.learning.remember(g.wording)}", n=n)]
            for n, g in enumerate(groups, start=1)]  # fmt: skip
    await send(context.bot, chat_of(update).id, "\n".join(lines), InlineKeyboardMarkup(rows))


def _dislike_lines(report: DislikeReport, lang: Lang) -> list[str]:
    """One line per reason, then one per (cited article, reason) with its count."""
    if not report.total:
        return []
    lines = ["", b(t("unanswered.dislikes.head", lang, total=report.total))]
    lines += [text("unanswered.dislikes.reason", lang, reason=_reason(r, lang), count=n)
              for r, n in report.by_reason]  # fmt: skip
    lines += ["", b(t("unanswered.dislikes.articles", lang))]
    for item in report.by_article[:MAX_ARTICLES]:
        where = (f"《{truncate(item.title or item.doc_id or '', 60)}》{truncate(item.section or '', 40)}"
                 if item.doc_id else t("unanswered.dislikes.no_citation", lang))  # fmt: skip
        lines.append(text("unanswered.dislikes.article", lang, where=where,
                          reason=_reason(item.reason, lang), count=item.count))  # fmt: skip
        lines += [text("unanswered.dislikes.note", lang, note=truncate(note, NOTE_CHARS))
                  for note in item.notes[:NOTES_PER_LINE]]  # fmt: skip
    return lines


def _reason(code: str, lang: Lang) -> str:
    return t(f"feedback.reason.{code}", lang)


def _group_line(n: int, group: QuestionGroup, lang: Lang) -> str:
    reasons = "、".join(
        t(f"unanswered.reason.{r}", lang) for r in _REASON_ORDER if r in group.reasons
    )
    return text("unanswered.item", lang, n=n, wording=truncate(group.wording, 120),
                count=group.count, reasons=reasons)  # fmt: skip


# ------------------------------------------------------------------ starting a draft
async def on_save_group(update: Update, context: Ctx) -> None:
    """保存为问答 under /unanswered: the group's wording as the question."""
    query, data = query_of(update)
    await query.answer()
    draft = await services(context).learning.draft_from_group(
        user_of(update).id, chat_of(update).id, data.split(":", 2)[2]
    )
    if draft is not None:
        await _ask_question(update, context, draft)


async def on_edit_faq(update: Update, context: Ctx) -> None:
    """✏️ under /faq: an existing entry, question first."""
    query, data = query_of(update)
    await query.answer()
    faq_id = data.split(":", 2)[2]
    draft = await services(context).learning.draft_from_faq(
        user_of(update).id, chat_of(update).id, faq_id
    )
    if draft is None:
        await tell(update, context, "faq.not_found", faq_id=faq_id)
        return
    await _ask_question(update, context, draft)


async def on_save_handoff(update: Update, context: Ctx) -> None:
    """存为常见问答 on a closed case's card."""
    query, data = query_of(update)
    await query.answer()
    await _from_handoff(update, context, int(data.split(":", 2)[2]))


async def on_savefaq(update: Update, context: Ctx) -> None:
    """`/savefaq N`: the same as the 存为常见问答 button under case N."""
    args = context.args or []
    if not args or not args[0].lstrip("#").isdigit():
        await tell(update, context, "faq.usage_savefaq")
        return
    await _from_handoff(update, context, int(args[0].lstrip("#")))


async def _from_handoff(update: Update, context: Ctx, handoff_id: int) -> None:
    draft = await services(context).learning.draft_from_handoff(
        user_of(update).id, chat_of(update).id, handoff_id
    )
    if draft is None:
        await tell(update, context, "faq.handoff_empty")
        return
    await _ask_question(update, context, draft)


# ------------------------------------------------------------------ the draft's steps
async def _ask_question(update: Update, context: Ctx, draft: Draft) -> None:
    keep = _button("faq.btn.keep_question", await lang_for(update, context), "lrn:keepq")
    await tell(
        update, context, "faq.ask_question", InlineKeyboardMarkup([[keep]]), question=draft.question
    )


async def on_typed(update: Update, context: Ctx) -> None:
    """Text while drafting: the question's wording or the answer, by the draft's step."""
    typed = message_of(update).text or ""
    if not typed.strip():
        return  # nothing typed: the same step goes on
    await _next(update, context, typed)


async def on_keep(update: Update, context: Ctx) -> None:
    """使用此措辞 / 使用此答案: the proposed wording or answer as it is."""
    query, _data = query_of(update)
    if services(context).learning.draft(user_of(update).id) is None:
        await stale_button(update, context)
        return
    await query.answer()
    await _next(update, context, None)


async def _next(update: Update, context: Ctx, typed: str | None) -> None:
    svc, user_id, lang = services(context), user_of(update).id, await lang_for(update, context)
    draft = svc.learning.draft(user_id)
    if draft is not None and draft.step == ASK_ANSWER:
        draft = await svc.learning.set_answer(user_id, typed, lang)
    elif draft is not None:
        draft = await svc.learning.set_question(user_id, typed)
    if draft is not None:
        await (_ask_link if draft.step == ASK_LINK else _ask_answer)(update, context, draft, lang)


async def _ask_answer(update: Update, context: Ctx, draft: Draft, lang: Lang) -> None:
    if not draft.answer:
        await tell(update, context, "faq.ask_answer")
        return
    keep = _button("faq.btn.keep_answer", lang, "lrn:keepa")
    await tell(
        update, context, "faq.ask_answer_with", InlineKeyboardMarkup([[keep]]), answer=draft.answer
    )


async def _ask_link(update: Update, context: Ctx, draft: Draft, lang: Lang) -> None:
    """The sections the search found for the question; the officer picks one or none."""
    rows = [[InlineKeyboardButton(truncate(label, 60), callback_data=f"lrn:link:{i}")]
            for i, (_s, _sec, label) in enumerate(draft.links)]  # fmt: skip
    rows.append([_button("faq.btn.no_link", lang, "lrn:link:-")])
    await send(
        context.bot, chat_of(update).id, text("faq.ask_link", lang), InlineKeyboardMarkup(rows)
    )


async def on_link(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    await query.answer()
    lang = await lang_for(update, context)
    entry = await services(context).learning.finish(
        user_of(update).id, data.rsplit(":", 1)[1], user_of(update).id
    )
    if entry is not None and isinstance(query.message, Message):
        await edit(
            query.message, text("faq.saved", lang, faq_id=entry.faq_id, question=entry.questions[0])
        )


async def on_cancel(update: Update, context: Ctx) -> None:
    await services(context).learning.cancel_draft(user_of(update).id)
    await tell(update, context, "faq.cancelled")


async def on_not_text(update: Update, context: Ctx) -> None:
    await tell(update, context, "faq.text_only")


# ------------------------------------------------------------------ /faq
async def on_faq(update: Update, context: Ctx) -> None:
    """/faq [page]: the entries with ✏️ / 🗑 buttons."""
    args, lang = context.args or [], await lang_for(update, context)
    number = int(args[0]) if args and args[0].isdigit() else 1
    await send(context.bot, chat_of(update).id, *_faq_page(context, number, lang))


def _faq_page(context: Ctx, number: int, lang: Lang) -> tuple[str, InlineKeyboardMarkup | None]:
    entries = services(context).learning.faqs()
    if not entries:
        return text("faq.list_empty", lang), None
    page = page_of(len(entries), number, FAQ_PAGE)
    lines = [b(t("faq.list_head", lang, total=len(entries), page=page.number, pages=page.pages))]
    rows: list[list[InlineKeyboardButton]] = []
    for e in entries[page.start : page.stop]:
        lines.append(
            text("faq.list_item", lang, faq_id=e.faq_id, question=truncate(e.questions[0], 80))
        )
        if len(e.faq_id.encode()) <= 50:  # the id must fit in the buttons' 64 bytes
            rows.append([_button("faq.btn.edit", lang, f"lrn:fedit:{e.faq_id}", faq_id=e.faq_id),
                         _button("faq.btn.remove", lang, f"lrn:frm:{e.faq_id}", faq_id=e.faq_id)])  # fmt: skip
    nav = nav_row(page, lambda n: f"lrn:faqp:{n}", lang)
    return "\n".join(lines), InlineKeyboardMarkup([*rows, nav] if nav else rows)


async def on_faq_button(update: Update, context: Ctx) -> None:
    """A page of /faq, 🗑 (asks first), and the answer to that question."""
    query, data = query_of(update)
    lang = await lang_for(update, context)
    await query.answer()
    _, action, arg = data.split(":", 2)
    if not isinstance(query.message, Message):
        return
    if action == "faqp":
        await edit(query.message, *_faq_page(context, int(arg) if arg.isdigit() else 1, lang))
    elif action == "frm":
        await _ask_removal(update, context, arg, lang)
    elif action == "frmyes":
        removed = await services(context).learning.remove_faq(arg, user_of(update).id)
        await edit(
            query.message, text("faq.removed" if removed else "faq.not_found", lang, faq_id=arg)
        )
    else:
        await edit(query.message, text("docs.cancelled", lang))


async def _ask_removal(update: Update, context: Ctx, faq_id: str, lang: Lang) -> None:
    entry = services(context).learning.get_faq(faq_id)
    query, _data = query_of(update)
    if entry is None:
        if isinstance(query.message, Message):
            await edit(query.message, text("faq.not_found", lang, faq_id=faq_id))
        return
    markup = InlineKeyboardMarkup([[_button("faq.btn.remove_yes", lang, f"lrn:frmyes:{faq_id}"),
                                    _button("docs.btn.cancel", lang, f"lrn:frmno:{faq_id}")]])  # fmt: skip
    confirm = text("faq.remove_confirm", lang, faq_id=faq_id, question=entry.questions[0])
    await send(context.bot, chat_of(update).id, confirm, markup)


def register(app: AnyApp) -> None:
    access.guard(
        app, access.STAFF,
        CommandHandler("unanswered", on_unanswered),
        CommandHandler("faq", on_faq),
        CallbackQueryHandler(on_save_group, pattern=r"^lrn:save:"),
        CallbackQueryHandler(on_edit_faq, pattern=r"^lrn:fedit:"),
        CallbackQueryHandler(on_save_handoff, pattern=r"^lrn:ho:\d+$"),
        CommandHandler("savefaq", on_savefaq),
        CallbackQueryHandler(on_faq_button, pattern=r"^lrn:(faqp|frm|frmyes|frmno):"),
    )  # fmt: skip
    drafting = access.ServiceFilter(app, lambda svc, u: _draft_here(svc, u) is not None, "Drafting")
    typing_step = access.ServiceFilter(app, _takes_text, "DraftTakesText")
    app.add_handler(CallbackQueryHandler(on_keep, pattern=r"^lrn:keep[qa]$"))
    app.add_handler(CallbackQueryHandler(on_link, pattern=r"^lrn:link:"))
    app.add_handler(CommandHandler("cancel", on_cancel, filters=drafting))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & typing_step, on_typed))
    app.add_handler(MessageHandler(~filters.COMMAND & ~filters.TEXT & drafting, on_not_text))


def _draft_here(svc: Services, update: Update) -> Draft | None:
    """The sender's FAQ draft in this chat."""
    user, chat = update.effective_user, update.effective_chat
    return svc.learning.draft(user.id, chat.id) if user and chat else None


def _takes_text(svc: Services, update: Update) -> bool:
    """Typed text is taken at the question and answer steps; at the link step it is not."""
    draft = _draft_here(svc, update)
    return draft is not None and draft.step != ASK_LINK
