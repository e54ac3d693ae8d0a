"""The learning loop in Telegram: /unanswered, 保存为问答, and /faq for officers and admins.

Saving is a short conversation (question wording → answer → optional document section)
so the person who knows the answer confirms exactly what entrepreneurs will be told; the
entry is searchable the moment it is saved.
"""

from __future__ import annotations

import logging
import secrets
import warnings
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.learning import (
    REASON_DISLIKE,
    REASON_HANDOFF,
    REASON_NONE,
    LearningService,
    QuestionGroup,
    handoff_starts_from,
    qa_from_transcript,
)
from bot.services import Services
from bot.texts import Lang, t
from bot.users import lang_from_client
from handlers.context import services
from handlers.render import b, esc, split_message, truncate

log = logging.getLogger("finbot.learning")

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Ctx = CallbackContext[Any, Any, Any, Any]

MAX_GROUPS = 10
FAQ_PAGE = 8
GROUPS_KEY = "learning.groups"
DRAFT_KEY = "learning.draft"
ASK_QUESTION, ASK_ANSWER, ASK_LINK = range(3)
_REASON_ORDER = (REASON_NONE, REASON_DISLIKE, REASON_HANDOFF)


@dataclass
class Draft:
    """An FAQ entry being written: new (faq_id None) or an edit of an existing one."""

    question: str
    answer: str = ""
    faq_id: str | None = None
    extra_questions: tuple[str, ...] = ()
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (source, section, label)


def register(app: AnyApp) -> None:
    with warnings.catch_warnings():
        # per_message=False is intended: the flow mixes buttons and typed text.
        warnings.simplefilter("ignore", PTBUserWarning)
        flow = ConversationHandler(
            entry_points=[
                CallbackQueryHandler(start_from_group, pattern=r"^lrn:save:"),
                CallbackQueryHandler(start_from_faq, pattern=r"^lrn:fedit:"),
                CallbackQueryHandler(start_from_handoff, pattern=r"^lrn:ho:\d+$"),
                CommandHandler("savefaq", savefaq_command),
            ],
            states={
                ASK_QUESTION: [
                    CallbackQueryHandler(keep_question, pattern=r"^lrn:keepq$"),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed_question),
                ],
                ASK_ANSWER: [
                    CallbackQueryHandler(keep_answer, pattern=r"^lrn:keepa$"),
                    MessageHandler(filters.TEXT & ~filters.COMMAND, typed_answer),
                ],
                ASK_LINK: [CallbackQueryHandler(chose_link, pattern=r"^lrn:link:")],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                MessageHandler(~filters.COMMAND & ~filters.TEXT, text_only),
            ],
            allow_reentry=True,
        )
    app.add_handler(CommandHandler("unanswered", on_unanswered))
    app.add_handler(CommandHandler("faq", on_faq))
    app.add_handler(flow)
    app.add_handler(CallbackQueryHandler(on_faq_button, pattern=r"^lrn:(faqp|frm|frmyes|frmno):"))


def learning_service(svc: Services) -> LearningService:
    return LearningService(
        svc.questions, svc.kb, svc.audit, svc.clock, handoff_starts=handoff_starts_from(svc.db)
    )


async def _lang(svc: Services, user: User | None) -> Lang:
    if user is None:
        return "zh"
    return await svc.users.language(user.id, default=lang_from_client(user.language_code))


async def _gate(update: Update, context: Ctx) -> tuple[Services, User, Lang] | None:
    """Officers and admins only; a callback gets an alert, a message a polite reply."""
    svc = services(context)
    user = update.effective_user
    lang = await _lang(svc, user)
    if user is not None and svc.roles.is_officer(user.id):
        return svc, user, lang
    if update.callback_query is not None:
        await update.callback_query.answer(t("unanswered.only", lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(esc(t("unanswered.only", lang)))
    return None


async def _send(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    parts = split_message(html)
    for i, part in enumerate(parts, start=1):
        await message.reply_text(part, reply_markup=markup if i == len(parts) else None)


async def _edit(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    try:
        await message.edit_text(split_message(html)[0], reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


# ------------------------------------------------------------------ /unanswered
async def on_unanswered(update: Update, context: Ctx) -> None:
    gate = await _gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return
    svc, _user, lang = gate
    groups = (await learning_service(svc).unanswered())[:MAX_GROUPS]
    if not groups:
        await message.reply_text(esc(t("unanswered.empty", lang)))
        return
    saved: dict[str, str] = context.bot_data.setdefault(GROUPS_KEY, {})
    lines = [b(t("unanswered.head", lang, groups=len(groups), total=sum(g.count for g in groups)))]
    rows = []
    for n, group in enumerate(groups, start=1):
        lines.append(esc(t("unanswered.item", lang, n=n, wording=truncate(group.wording, 120),
                           count=group.count, reasons=_reasons(group, lang))))  # fmt: skip
        token = secrets.token_hex(4)
        saved[token] = group.wording
        rows.append([InlineKeyboardButton(t("unanswered.btn_save", lang, n=n),
                                          callback_data=f"lrn:save:{token}")])  # fmt: skip
    await _send(message, "\n".join(lines), InlineKeyboardMarkup(rows))


def _reasons(group: QuestionGroup, lang: Lang) -> str:
    return "、".join(t(f"unanswered.reason.{r}", lang) for r in _REASON_ORDER if r in group.reasons)


# ------------------------------------------------------------------ the save flow
async def start_from_group(update: Update, context: Ctx) -> int:
    gate = await _gate(update, context)
    query = update.callback_query
    if gate is None or query is None or query.data is None:
        return ConversationHandler.END
    _svc, _user, lang = gate
    await query.answer()
    wording = context.bot_data.get(GROUPS_KEY, {}).get(query.data.split(":", 2)[2])
    if wording is None or not isinstance(query.message, Message):
        return ConversationHandler.END
    return await _ask_question(query.message, context, Draft(question=wording), lang)


async def start_from_faq(update: Update, context: Ctx) -> int:
    gate = await _gate(update, context)
    query = update.callback_query
    if gate is None or query is None or query.data is None:
        return ConversationHandler.END
    svc, _user, lang = gate
    await query.answer()
    faq_id = query.data.split(":", 2)[2]
    entry = learning_service(svc).get_faq(faq_id)
    if entry is None or not isinstance(query.message, Message):
        if isinstance(query.message, Message):
            await query.message.reply_text(esc(t("faq.not_found", lang, faq_id=faq_id)))
        return ConversationHandler.END
    draft = Draft(entry.questions[0], entry.answer, entry.faq_id, tuple(entry.questions[1:]))
    return await _ask_question(query.message, context, draft, lang)


async def start_from_handoff(update: Update, context: Ctx) -> int:
    gate = await _gate(update, context)
    query = update.callback_query
    if gate is None or query is None or query.data is None:
        return ConversationHandler.END
    await query.answer()
    if not isinstance(query.message, Message):
        return ConversationHandler.END
    return await _from_handoff(gate, query.message, context, int(query.data.split(":", 2)[2]))


async def savefaq_command(update: Update, context: Ctx) -> int:
    """`/savefaq N`: the same as the 保存为问答 button under handoff N."""
    gate = await _gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return ConversationHandler.END
    args = context.args or []
    if not args or not args[0].lstrip("#").isdigit():
        await message.reply_text(esc(t("faq.usage_savefaq", gate[2])))
        return ConversationHandler.END
    return await _from_handoff(gate, message, context, int(args[0].lstrip("#")))


async def _from_handoff(
    gate: tuple[Services, User, Lang], message: Message, context: Ctx, handoff_id: int
) -> int:
    svc, _user, lang = gate
    question, answer = qa_from_transcript(await svc.handoffs.transcript(handoff_id))
    if not question:
        await message.reply_text(esc(t("faq.handoff_empty", lang)))
        return ConversationHandler.END
    return await _ask_question(message, context, Draft(question=question, answer=answer), lang)


async def _ask_question(message: Message, context: Ctx, draft: Draft, lang: Lang) -> int:
    _user_data(context)[DRAFT_KEY] = draft
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("faq.btn.keep_question", lang), callback_data="lrn:keepq")]]
    )
    await _send(message, esc(t("faq.ask_question", lang, question=draft.question)), markup)
    return ASK_QUESTION


async def keep_question(update: Update, context: Ctx) -> int:
    query = update.callback_query
    draft = _draft(context)
    if query is None or draft is None or not isinstance(query.message, Message):
        return ConversationHandler.END
    await query.answer()
    return await _ask_answer(query.message, update, context, draft)


async def typed_question(update: Update, context: Ctx) -> int:
    message = update.effective_message
    draft = _draft(context)
    if message is None or draft is None or not (message.text or "").strip():
        return ASK_QUESTION
    draft.question = (message.text or "").strip()
    return await _ask_answer(message, update, context, draft)


async def _ask_answer(message: Message, update: Update, context: Ctx, draft: Draft) -> int:
    lang = await _lang(services(context), update.effective_user)
    if draft.answer:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t("faq.btn.keep_answer", lang), callback_data="lrn:keepa")]]
        )
        await _send(message, esc(t("faq.ask_answer_with", lang, answer=draft.answer)), markup)
    else:
        await message.reply_text(esc(t("faq.ask_answer", lang)))
    return ASK_ANSWER


async def keep_answer(update: Update, context: Ctx) -> int:
    query = update.callback_query
    draft = _draft(context)
    if query is None or draft is None or not isinstance(query.message, Message):
        return ConversationHandler.END
    await query.answer()
    return await _ask_link(query.message, update, context, draft)


async def typed_answer(update: Update, context: Ctx) -> int:
    message = update.effective_message
    draft = _draft(context)
    if message is None or draft is None or not (message.text or "").strip():
        return ASK_ANSWER
    draft.answer = (message.text or "").strip()
    return await _ask_link(message, update, context, draft)


async def _ask_link(message: Message, update: Update, context: Ctx, draft: Draft) -> int:
    """Offer the sections the search finds for the question; the officer picks one or none."""
    svc = services(context)
    lang = await _lang(svc, update.effective_user)
    found = await svc.answers.answer(draft.question, lang=lang)
    draft.links = []
    for hit in (*found.hits, *found.ranked):
        if hit.kind != "chunk" or not hit.source or hit.status != "current":
            continue
        link = (hit.source, hit.section, f"《{hit.title}》{hit.section}")
        if link not in draft.links:
            draft.links.append(link)
        if len(draft.links) == 3:
            break
    rows = [
        [InlineKeyboardButton(truncate(label, 60), callback_data=f"lrn:link:{i}")]
        for i, (_s, _sec, label) in enumerate(draft.links)
    ]
    rows.append([InlineKeyboardButton(t("faq.btn.no_link", lang), callback_data="lrn:link:-")])
    await _send(message, esc(t("faq.ask_link", lang)), InlineKeyboardMarkup(rows))
    return ASK_LINK


async def chose_link(update: Update, context: Ctx) -> int:
    query = update.callback_query
    draft = _draft(context)
    if query is None or query.data is None or draft is None:
        return ConversationHandler.END
    await query.answer()
    svc = services(context)
    user = update.effective_user
    lang = await _lang(svc, user)
    choice = query.data.rsplit(":", 1)[1]
    source = section = None
    if choice.isdigit() and int(choice) < len(draft.links):
        source, section, _label = draft.links[int(choice)]
    entry = await learning_service(svc).save_faq(
        questions=[draft.question, *draft.extra_questions], answer=draft.answer,
        actor_id=user.id if user else None, source=source, section=section or None,
        faq_id=draft.faq_id,
    )  # fmt: skip
    _user_data(context).pop(DRAFT_KEY, None)
    if isinstance(query.message, Message):
        text = t("faq.saved", lang, faq_id=entry.faq_id, question=entry.questions[0])
        await _edit(query.message, esc(text))
    return ConversationHandler.END


async def cancel(update: Update, context: Ctx) -> int:
    _user_data(context).pop(DRAFT_KEY, None)
    if update.effective_message is not None:
        lang = await _lang(services(context), update.effective_user)
        await update.effective_message.reply_text(esc(t("faq.cancelled", lang)))
    return ConversationHandler.END


async def text_only(update: Update, context: Ctx) -> None:
    if update.effective_message is not None:
        lang = await _lang(services(context), update.effective_user)
        await update.effective_message.reply_text(esc(t("faq.text_only", lang)))


def _user_data(context: Ctx) -> dict[str, Any]:
    data = context.user_data
    if not isinstance(data, dict):
        raise RuntimeError("user_data is not available for this update")
    return data


def _draft(context: Ctx) -> Draft | None:
    draft = _user_data(context).get(DRAFT_KEY)
    return draft if isinstance(draft, Draft) else None


# ------------------------------------------------------------------ /faq
async def on_faq(update: Update, context: Ctx) -> None:
    gate = await _gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return
    svc, _user, lang = gate
    page = int(context.args[0]) if context.args and context.args[0].isdigit() else 1
    html, markup = _faq_page(svc, page, lang)
    await _send(message, html, markup)


def _faq_page(svc: Services, page: int, lang: Lang) -> tuple[str, InlineKeyboardMarkup | None]:
    entries = learning_service(svc).faqs()
    if not entries:
        return esc(t("faq.list_empty", lang)), None
    pages = max(1, -(-len(entries) // FAQ_PAGE))
    page = max(1, min(page, pages))
    shown = entries[(page - 1) * FAQ_PAGE : page * FAQ_PAGE]
    lines = [b(t("faq.list_head", lang, total=len(entries), page=page, pages=pages))]
    rows: list[list[InlineKeyboardButton]] = []
    for e in shown:
        lines.append(
            esc(t("faq.list_item", lang, faq_id=e.faq_id, question=truncate(e.questions[0], 80)))
        )
        if len(e.faq_id.encode()) <= 50:
            rows.append([
                InlineKeyboardButton(t("faq.btn.edit", lang, faq_id=e.faq_id), callback_data=f"lrn:fedit:{e.faq_id}"),
                InlineKeyboardButton(t("faq.btn.remove", lang, faq_id=e.faq_id), callback_data=f"lrn:frm:{e.faq_id}"),
            ])  # fmt: skip
    nav = []
    if page > 1:
        nav.append(
            InlineKeyboardButton(t("docs.btn.prev", lang), callback_data=f"lrn:faqp:{page - 1}")
        )
    if page < pages:
        nav.append(
            InlineKeyboardButton(t("docs.btn.next", lang), callback_data=f"lrn:faqp:{page + 1}")
        )
    if nav:
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def on_faq_button(update: Update, context: Ctx) -> None:
    gate = await _gate(update, context)
    query = update.callback_query
    if gate is None or query is None or query.data is None:
        return
    svc, user, lang = gate
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    _, action, arg = query.data.split(":", 2)
    service = learning_service(svc)
    if action == "faqp":
        html, markup = _faq_page(svc, int(arg) if arg.isdigit() else 1, lang)
        await _edit(message, html, markup)
    elif action == "frm":
        entry = service.get_faq(arg)
        if entry is None:
            await _edit(message, esc(t("faq.not_found", lang, faq_id=arg)))
            return
        markup = InlineKeyboardMarkup([[
            InlineKeyboardButton(t("faq.btn.remove_yes", lang), callback_data=f"lrn:frmyes:{arg}"),
            InlineKeyboardButton(t("docs.btn.cancel", lang), callback_data=f"lrn:frmno:{arg}"),
        ]])  # fmt: skip
        await message.reply_text(
            esc(t("faq.remove_confirm", lang, faq_id=arg, question=entry.questions[0])),
            reply_markup=markup,
        )
    elif action == "frmyes":
        removed = await service.remove_faq(arg, user.id)
        key = "faq.removed" if removed else "faq.not_found"
        await _edit(message, esc(t(key, lang, faq_id=arg)))
    elif action == "frmno":
        await _edit(message, esc(t("docs.cancelled", lang)))
