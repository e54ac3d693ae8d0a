"""Admins keep the knowledge base current from Telegram: upload, replace, list, remove, reindex,
and hit-test a question (/test: what the search found and why, as `finbot ask --explain`).

Each action is one call to `bot.documents.DocumentService` (which audits it); this module
downloads, shows progress and renders the outcome. A file from anyone who is not an admin
never reaches this module (the upload handler sits behind a quiet admin gate) and is left
to the Q&A handler, which treats it like any other non-text message. The daily expiry
notice to admins is scheduled here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import date, time
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.broadcast import Draft
from bot.clock import BUREAU_TZ
from bot.documents import Added, DocResult, Outcome
from bot.expiry import ExpiryItem, ExpiryReport
from bot.knowledge_base import DOC_STATUSES, DocInfo
from bot.texts import Lang, t
from handlers import access
from handlers.answer_view import render_explanation
from handlers.context import AnyApp, Ctx, chat_of, lang_for, message_of, query_of, services, user_of
from handlers.notices import confirm_prompt
from handlers.render import b, edit, esc, nav_row, page_of, send, tell, text, truncate

log = logging.getLogger("finbot.admin")

PAGE_SIZE = 10
TICK_S = 0.3  # how often the progress message may be edited (Telegram flood limits)
EXPIRY_JOB_TIME = time(9, 0, tzinfo=BUREAU_TZ)
T = TypeVar("T")


# ------------------------------------------------------------------ progress
class _Progress:
    """Written by the worker thread, read by the ticker on the event loop (one tuple
    assignment, so the ticker never sees half an update)."""

    def __init__(self) -> None:
        self.state: tuple[int, int, float | None, float | None] = (0, 0, None, None)
        self.finished = asyncio.Event()

    def update(self, done: int, total: int, rate: float | None, eta: float | None) -> None:
        self.state = (done, total, rate, eta)


Render = Callable[[int, int, float | None, float | None], str]


async def _with_progress(
    message: Message, render: Render, work: Callable[[_Progress], Awaitable[T]]
) -> T:
    """Run `work` while the status message follows its counts (edited at most every TICK_S)."""
    progress = _Progress()
    ticker = asyncio.create_task(_tick(message, progress, render))
    try:
        return await work(progress)
    finally:
        progress.finished.set()
        await ticker


async def _tick(message: Message, progress: _Progress, render: Render) -> None:
    shown = ""
    while not progress.finished.is_set():
        html = render(*progress.state)
        if html != shown:
            with contextlib.suppress(TelegramError):
                await edit(message, html)
            shown = html
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(progress.finished.wait(), TICK_S)


def _ingest_render(name: str, lang: Lang) -> Render:
    def render(done: int, total: int, rate: float | None, eta: float | None) -> str:
        if not total:
            return text("docs.parsing", lang, name=name)
        line = text("docs.embedding", lang, name=name, done=done, total=total)
        return line + _pace(rate, eta, lang)

    return render


def _pace(rate: float | None, eta: float | None, lang: Lang) -> str:
    """ "（每秒 6.2 个，约剩 40 秒）" once the first batch is done; nothing before."""
    if rate is None or eta is None:
        return ""
    return text("docs.pace", lang, rate=f"{rate:.1f}", eta=f"{eta:.0f}")


# ------------------------------------------------------------------ upload
async def on_document(update: Update, context: Ctx) -> None:
    """An admin's file: download, then ingest with progress, then the summary or a choice."""
    svc, message, lang = services(context), message_of(update), await lang_for(update, context)
    document = message.document
    if document is None:
        return
    name, actor_id = document.file_name or "file", user_of(update).id
    (status, *_) = await send(
        context.bot, message.chat_id, text("docs.downloading", lang, name=name)
    )
    too_large = svc.documents.too_large(name, document.file_size)
    if too_large is not None:
        await _show(context, status, await svc.documents.rejected(actor_id, too_large), lang)
        return
    try:
        data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    except TelegramError as exc:
        await edit(status, text("docs.download_failed", lang, reason=str(exc)))
        return
    await edit(status, text("docs.parsing", lang, name=name))
    result = await _with_progress(status, _ingest_render(name, lang),
                                  lambda p: svc.documents.ingest(data, name, actor_id, p.update))  # fmt: skip
    await _show(context, status, result, lang)


async def _show(context: Ctx, status: Message, result: DocResult, lang: Lang) -> None:
    """Any outcome of an upload, a choice or a removal, in the status message."""
    draft = None
    if result.outcome is Outcome.ADDED and result.added is not None:
        draft = await _draft_notice(context, status.chat_id, result.added)
        html, markup = _summary_html(result, lang), None
        if draft is not None and draft.broadcast_id is None:  # nobody follows its topic
            html += "\n" + confirm_prompt(draft, lang)[0]
    elif result.outcome is Outcome.CONFLICT and result.token is not None:
        html, markup = _conflict_html(result, lang), _conflict_keyboard(result.token, lang)
    elif result.outcome is Outcome.REJECTED and result.error is not None:
        html, markup = text("docs.rejected", lang, reason=result.error.message(lang)), None
    else:
        html, markup = _plain_outcome(result, lang), None
    await edit(status, html, markup)
    if draft is not None and draft.broadcast_id is not None:
        await send(context.bot, status.chat_id, *confirm_prompt(draft, lang))


async def _draft_notice(context: Ctx, chat_id: int, added: Added) -> Draft | None:
    """A current document, new or replacing: the notice its topic's subscribers may get
    (uploads happen in the admin's private chat, so the chat is the admin)."""
    return await services(context).broadcasts.prepare(added.doc_id, chat_id, added.replaced)


def _plain_outcome(result: DocResult, lang: Lang) -> str:
    keys = {
        Outcome.UNCHANGED: "docs.unchanged", Outcome.FAILED: "docs.failed",
        Outcome.CANCELLED: "docs.cancelled", Outcome.REMOVED: "docs.removed",
        Outcome.NOT_FOUND: "docs.not_found",
    }  # fmt: skip
    key = keys.get(result.outcome, "docs.stale")
    return text(key, lang, doc_id=result.doc_id or "", name=result.filename)


def _conflict_html(result: DocResult, lang: Lang) -> str:
    lines = []
    for c in result.conflicts:
        label = (
            f"{c.doc_id} 《{c.title}》 {c.doc_number or ''}" if c.title is not None else c.doc_id
        )
        lines.append(f"• {label.strip()}")
    return text("docs.conflict", lang, docs="\n".join(lines))


def _conflict_keyboard(token: str, lang: Lang) -> InlineKeyboardMarkup:
    choices = (("docs.btn.replace", "rep"), ("docs.btn.as_new", "new"), ("docs.btn.cancel", "no"))
    row = [
        InlineKeyboardButton(t(key, lang), callback_data=f"adm:{action}:{token}")
        for key, action in choices
    ]
    return InlineKeyboardMarkup([row])


def _summary_html(result: DocResult, lang: Lang) -> str:
    added = result.added
    if added is None:
        return ""
    head = "docs.replaced_head" if added.replaced else "docs.added"
    lines = [b(t(head, lang, title=added.title))]
    lines += _detail_lines(added.info, lang) if added.info else []
    notes = [_warning(w, lang) for w in added.warnings]
    if added.entries:
        kind = "docs.workbook" if added.workbook else "docs.compilation"
        notes.insert(0, t(kind, lang, count=added.entries))
    if added.duplicate:
        notes.append(t("docs.warn.duplicate", lang, doc_id=added.duplicate))
    if added.replaced:
        notes.append(t("docs.warn.replaces", lang, doc_id=added.replaced))
    if added.repeals:
        notes.append(t("docs.warn.repeals", lang, count=len(added.repeals),
                       doc_ids="、".join(added.repeals)))  # fmt: skip
    if added.same_number and added.info and added.info.doc_number:
        notes.append(t("docs.warn.same_number", lang, number=added.info.doc_number,
                       doc_ids="、".join(added.same_number)))  # fmt: skip
    return "\n".join([*lines, *(esc(n) for n in notes)])


def _warning(key: str, lang: Lang) -> str:
    try:
        return t(f"docs.warn.{key}", lang)
    except KeyError:
        return t("docs.warn.other", lang, name=key)


def _fmt(d: date | None, lang: Lang) -> str:
    return d.isoformat() if d else t("docs.none", lang)


def _status_label(status: str, lang: Lang) -> str:
    return t(f"docs.status.{status}", lang) if status in DOC_STATUSES else status


def _detail_lines(info: DocInfo, lang: Lang) -> list[str]:
    status = _status_label(info.status, lang)
    if info.replaced_by:
        status = f"{status}（{t('docs.replaced_by', lang, doc_id=info.replaced_by)}）"
    return [
        text("docs.line.id", lang, value=info.doc_id),
        text("docs.line.number", lang, value=info.doc_number or t("docs.none", lang)),
        text("docs.line.published", lang, value=_fmt(info.published, lang)),
        text("docs.line.effective", lang, value=_fmt(info.effective, lang)),
        text("docs.line.expires", lang, value=_fmt(info.expires, lang)),
        text("docs.line.status", lang, value=status),
        text("docs.line.counts", lang, sections=info.sections, chunks=info.chunks),
        text("docs.line.revision", lang, n=info.revision, doc_id=info.doc_id),
    ]


# ------------------------------------------------------------------ /docs /doc /remove /reindex
async def on_docs(update: Update, context: Ctx) -> None:
    """/docs [status] [page]: the documents, ten to a page, with status filters."""
    lang = await lang_for(update, context)
    status, number = None, 1
    for arg in context.args or []:
        if arg in DOC_STATUSES:
            status = arg
        elif arg.isdigit():
            number = max(1, int(arg))
    await send(context.bot, chat_of(update).id, *_docs_page(context, status, number, lang))


def _docs_page(
    context: Ctx, status: str | None, number: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    docs = services(context).documents.listing(status)
    page = page_of(len(docs), number, PAGE_SIZE)
    label = _status_label(status, lang) if status else t("docs.status.all", lang)
    lines = [
        b(
            t(
                "docs.list_head",
                lang,
                filter=label,
                total=len(docs),
                page=page.number,
                pages=page.pages,
            )
        )
    ]
    lines += [_docs_item(d, lang) for d in docs[page.start : page.stop]]
    if not docs:
        lines.append(text("docs.list_empty", lang))
    lines.append(text("docs.list_hint", lang))
    key = status or "all"
    nav = nav_row(page, lambda n: f"adm:docs:{key}:{n}", lang)
    filters_row = _filter_row(key, lang)
    return "\n".join(lines), InlineKeyboardMarkup([nav, filters_row] if nav else [filters_row])


def _filter_row(current: str, lang: Lang) -> list[InlineKeyboardButton]:
    """全部 / 现行 / 已废止 / 已过期 / 征求意见稿 / 待施行, the current one marked."""
    row = []
    for status in ("all", *DOC_STATUSES):
        label = t("docs.status.all", lang) if status == "all" else _status_label(status, lang)
        mark = "• " if status == current else ""
        row.append(InlineKeyboardButton(mark + label, callback_data=f"adm:docs:{status}:1"))
    return row


def _docs_item(d: DocInfo, lang: Lang) -> str:
    return text("docs.list_item", lang, doc_id=d.doc_id, status=_status_label(d.status, lang),
                title=truncate(d.title, 40), effective=_fmt(d.effective, lang),
                expires=_fmt(d.expires, lang))  # fmt: skip


async def on_doc(update: Update, context: Ctx) -> None:
    """/doc ID: one document's details and sections."""
    lang, args = await lang_for(update, context), context.args or []
    if not args:
        await send(context.bot, chat_of(update).id, text("docs.usage_doc", lang))
        return
    detail = services(context).documents.detail(args[0])
    if detail is None:
        await send(context.bot, chat_of(update).id, text("docs.not_found", lang, doc_id=args[0]))
        return
    info = detail.info
    lines = [
        b(f"《{info.title}》"),
        *_detail_lines(info, lang),
        text("docs.line.source", lang, value=info.source),
    ]
    lines += [esc(_warning(w, lang)) for w in info.warnings]
    lines.append(b(t("docs.sections_head", lang, n=len(detail.sections))))
    lines += [esc(f"• {s}") for s in detail.sections]
    await send(context.bot, chat_of(update).id, "\n".join(lines))


async def on_remove(update: Update, context: Ctx) -> None:
    """/remove ID: asks for confirmation first."""
    lang, args = await lang_for(update, context), context.args or []
    if not args:
        await send(context.bot, chat_of(update).id, text("docs.usage_remove", lang))
        return
    asked = await services(context).documents.ask_removal(args[0], user_of(update).id)
    if asked is None:
        await send(context.bot, chat_of(update).id, text("docs.not_found", lang, doc_id=args[0]))
        return
    info, token = asked
    buttons = [InlineKeyboardButton(t("docs.btn.remove_yes", lang), callback_data=f"adm:rm:{token}"),
               InlineKeyboardButton(t("docs.btn.cancel", lang), callback_data=f"adm:no:{token}")]  # fmt: skip
    confirm = text("docs.remove_confirm", lang, title=info.title, doc_id=args[0])
    await send(context.bot, chat_of(update).id, confirm, InlineKeyboardMarkup([buttons]))


async def on_reindex(update: Update, context: Ctx) -> None:
    """/reindex: in the background; questions are answered from the old index meanwhile."""
    svc, lang = services(context), await lang_for(update, context)
    if not svc.documents.begin_rebuild():
        await send(context.bot, chat_of(update).id, text("docs.reindex_running", lang))
        return
    (status, *_) = await send(context.bot, chat_of(update).id, text("docs.reindex_started", lang))
    context.application.create_task(_reindex(context, status, user_of(update).id, lang))


async def _reindex(context: Ctx, status: Message, actor_id: int, lang: Lang) -> None:
    def render(done: int, total: int, rate: float | None, eta: float | None) -> str:
        key = "docs.reindex_progress" if total else "docs.reindex_started"
        return text(key, lang, done=done, total=total) + (_pace(rate, eta, lang) if total else "")

    documents = services(context).documents
    try:
        counts = await _with_progress(
            status, render, lambda p: documents.rebuild(actor_id, p.update)
        )
    except Exception:
        log.exception("reindex failed")
        await edit(status, text("docs.reindex_failed", lang))
        return
    docs, chunks, faqs = counts
    await edit(status, text("docs.reindex_done", lang, docs=docs, chunks=chunks, faqs=faqs))


# ------------------------------------------------------------------ buttons
async def on_callback(update: Update, context: Ctx) -> None:
    """adm: buttons: a page of /docs, or a choice on a parked upload or removal."""
    query, data = query_of(update)
    lang = await lang_for(update, context)
    await query.answer()
    if not isinstance(query.message, Message):
        return
    _, action, arg = [*data.split(":", 2), "", ""][:3]
    if action == "docs":
        status, _, page = arg.partition(":")
        await edit(
            query.message,
            *_docs_page(context, None if status == "all" else status, int(page or 1), lang),
        )
        return
    await _show(
        context,
        query.message,
        await _choose(context, query.message, action, arg, lang, user_of(update).id),
        lang,
    )


async def _choose(
    context: Ctx, message: Message, action: str, token: str, lang: Lang, actor_id: int
) -> DocResult:
    """替换 / 作为新文档 (with progress, like an upload), 确认删除 or 取消."""
    documents = services(context).documents
    name = await documents.pending_name(token) if action in ("rep", "new") else None
    if name is None:
        return await documents.resolve(token, action, actor_id)
    await edit(message, text("docs.parsing", lang, name=name))
    return await _with_progress(message, _ingest_render(name, lang),
                                lambda p: documents.resolve(token, action, actor_id, p.update))  # fmt: skip


# ------------------------------------------------------------------ expiry job
async def expiry_job(context: Ctx) -> None:
    """Tell every admin (private chat) what expires within 30 days and what has expired."""
    svc = services(context)
    report = await svc.expiry.check()
    if report.empty:
        return
    for admin_id in sorted(svc.roles.admins()):
        lang = await svc.users.language(admin_id)
        try:
            await send(context.bot, admin_id, expiry_html(report, lang))
        except (Forbidden, BadRequest):
            log.info("admin %s cannot be reached for the expiry notice", admin_id)


def expiry_html(report: ExpiryReport, lang: Lang) -> str:
    lines = [b(t("docs.expiry_head", lang))]
    lines += [text("docs.expired_item", lang, **_item_args(item, lang)) for item in report.expired]
    lines += [
        text("docs.expiring_item", lang, days=item.days_left, **_item_args(item, lang))
        for item in report.expiring
    ]
    return "\n".join(lines)


def _item_args(item: ExpiryItem, lang: Lang) -> dict[str, str]:
    number = f"（{item.doc_number}）" if item.doc_number else ""
    if item.compiled_in:  # a row of a 政策清单: where the admin finds it to update
        number += t("docs.expiry_in", lang, title=item.compiled_in)
    return {"title": item.title, "number": number, "date": item.expires.isoformat()}


# ------------------------------------------------------------------ /test (命中测试)
async def on_test(update: Update, context: Ctx) -> None:
    """/test QUESTION: what the engine did with it, as `finbot ask --explain` shows it."""
    question = " ".join(context.args or []).strip()
    if not question:
        await tell(update, context, "hittest.usage")
        return
    lang = await lang_for(update, context)
    explained = await asyncio.to_thread(services(context).answers.explain, question, lang=lang)
    await send(context.bot, chat_of(update).id, render_explanation(explained, lang))


def register(app: AnyApp) -> None:
    access.guard(
        app, access.ADMIN_FILES,
        MessageHandler(filters.Document.ALL & filters.ChatType.PRIVATE, on_document),
    )  # fmt: skip
    access.guard(
        app, access.ADMINS,
        CommandHandler("docs", on_docs),
        CommandHandler("doc", on_doc),
        CommandHandler("remove", on_remove),
        CommandHandler("reindex", on_reindex),
        CommandHandler("test", on_test),
        CallbackQueryHandler(on_callback, pattern=r"^adm:"),
    )  # fmt: skip


def schedule(app: AnyApp) -> None:
    """Daily at 09:00 bureau time; the job remembers what it told, so the time is not critical."""
    if app.job_queue is None:
        log.warning("no job queue: document expiry notices are disabled")
        return
    app.job_queue.run_daily(expiry_job, time=EXPIRY_JOB_TIME, name="kb-expiry")
