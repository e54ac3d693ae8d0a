"""Admins look back through a document's texts and put an earlier one back: /history.

`/history ID [page]` lists the revisions (number, content hash, title, 文号, 施行日期, when
added, which is current) with the kit's paginator, and a button per earlier revision. A tap
asks for confirmation (parked in the database like a removal, so a restart or a second tap
cannot roll back twice); the confirmed rollback is one call to
`bot.documents.DocumentService`, which re-publishes the text through the knowledge base's
writer and audits it. Admins only, in a private chat (the gate is applied at registration).

Callback data: `hist:p:<page>:<doc id>` (a page), `hist:rb:<revision>:<doc id>` (ask),
`hist:ok:<token>` / `hist:no:<token>` (confirm / cancel).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.documents import DocResult, Outcome
from bot.knowledge_base import RevisionInfo
from bot.texts import Lang, t
from handlers import access
from handlers.context import AnyApp, Ctx, chat_of, lang_for, query_of, services, user_of
from handlers.keyboards import button, fits, rows_of
from handlers.render import b, edit, esc, nav_row, page_of, send, text, truncate

PAGE_SIZE = 8


async def on_history(update: Update, context: Ctx) -> None:
    """/history ID [page]: the document's revisions, newest first."""
    lang, args = await lang_for(update, context), context.args or []
    if not args:
        await send(context.bot, chat_of(update).id, text("hist.usage", lang))
        return
    number = int(args[1]) if len(args) > 1 and args[1].isdigit() else 1
    page = _history_page(context, args[0], number, lang)
    if page is None:
        await send(context.bot, chat_of(update).id, text("docs.not_found", lang, doc_id=args[0]))
        return
    await send(context.bot, chat_of(update).id, *page)


def _history_page(
    context: Ctx, doc_id: str, number: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    revisions = services(context).documents.history(doc_id)
    if revisions is None:
        return None
    page = page_of(len(revisions), number, PAGE_SIZE)
    shown = revisions[page.start : page.stop]
    head = t("hist.head", lang, title=revisions[0].title, doc_id=doc_id, total=len(revisions),
             page=page.number, pages=page.pages)  # fmt: skip
    lines = [b(head), *(_item(r, lang) for r in shown)]
    lines.append(text("hist.hint" if len(revisions) > 1 else "hist.only_current", lang))
    buttons = [
        button(t("hist.btn.rollback", lang, n=r.number), data)
        for r in shown
        if not r.current and fits(data := f"hist:rb:{r.number}:{doc_id}")
    ]
    rows = rows_of(buttons, 2)
    nav = nav_row(page, lambda n: f"hist:p:{n}:{doc_id}", lang)
    if nav and all(fits(str(x.callback_data)) for x in nav):
        rows.append(nav)
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def _item(r: RevisionInfo, lang: Lang) -> str:
    line = text("hist.item", lang, n=r.number, hash=r.content_hash, title=truncate(r.title, 30),
                number=r.doc_number or "", effective=_day(r), added=r.added_at[:16].replace("T", " "))  # fmt: skip
    if r.restored_from is not None:
        line += text("hist.restored", lang, n=r.restored_from)
    return b(line + t("hist.current", lang)) if r.current else line


def _day(r: RevisionInfo) -> str:
    return r.effective.isoformat() if r.effective else "—"


async def on_callback(update: Update, context: Ctx) -> None:
    """hist: buttons: another page, a rollback asked for, or its confirmation."""
    query, data = query_of(update)
    lang = await lang_for(update, context)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    _, action, rest = [*data.split(":", 2), "", ""][:3]
    if action in ("p", "rb"):
        number, _, doc_id = rest.partition(":")
        if not number.isdigit():
            return
        if action == "p":
            page = _history_page(context, doc_id, int(number), lang)
            await edit(query.message, *(page or (text("docs.not_found", lang, doc_id=doc_id),)))
        else:
            await _ask(context, query.message, doc_id, int(number), lang, user_of(update).id)
        return
    if action in ("ok", "no"):
        await edit(query.message, text("hist.working", lang))
        result = await services(context).documents.resolve(
            rest, "rb" if action == "ok" else "no", user_of(update).id
        )
        await edit(query.message, _outcome(result, lang))


async def _ask(
    context: Ctx, message: Message, doc_id: str, number: int, lang: Lang, actor_id: int
) -> None:
    """The confirmation, in a new message (the listing stays for reference)."""
    asked = await services(context).documents.ask_rollback(doc_id, number, actor_id)
    if asked is None:
        await send(context.bot, message.chat_id, text("hist.no_revision", lang, doc_id=doc_id))
        return
    info, target, token = asked
    confirm = text("hist.confirm", lang, title=info.title, doc_id=doc_id, n=target.number,
                   hash=target.content_hash, effective=_day(target))  # fmt: skip
    buttons = [
        InlineKeyboardButton(t("hist.btn.yes", lang), callback_data=f"hist:ok:{token}"),
        InlineKeyboardButton(t("docs.btn.cancel", lang), callback_data=f"hist:no:{token}"),
    ]
    await send(context.bot, message.chat_id, confirm, InlineKeyboardMarkup([buttons]))


def _outcome(result: DocResult, lang: Lang) -> str:
    rev = result.revision
    if result.outcome is Outcome.ROLLED_BACK and rev is not None:
        return text("hist.rolled_back", lang, doc_id=result.doc_id or "", n=rev.number,
                    hash=rev.content_hash, source=rev.restored_from)  # fmt: skip
    keys = {Outcome.CANCELLED: "docs.cancelled", Outcome.NOT_FOUND: "docs.not_found",
            Outcome.NO_REVISION: "hist.no_revision"}  # fmt: skip
    return esc(t(keys.get(result.outcome, "docs.stale"), lang, doc_id=result.doc_id or "", name=""))


def register(app: AnyApp) -> None:
    access.guard(
        app, access.ADMINS,
        CommandHandler("history", on_history),
        CallbackQueryHandler(on_callback, pattern=r"^hist:"),
    )  # fmt: skip
