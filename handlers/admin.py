"""Admins keep the knowledge base current from Telegram: upload, replace, list, remove, reindex.

Everything heavy runs in worker threads through `KnowledgeBase`, whose store swaps in a
complete new snapshot only when a write is finished, so questions asked meanwhile are
answered from the previous version. A file from anyone who is not an admin never reaches
this module (the document handler carries an admin filter) and is left to the Q&A
handler, which treats it like any other non-text message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.clock import BUREAU_TZ
from bot.expiry import ExpiryItem, ExpiryReport, ExpiryWatch
from bot.knowledge_base import AddReport, DocInfo
from bot.services import Services
from bot.texts import Lang, t
from bot.users import lang_from_client
from handlers.context import SERVICES_KEY, services
from handlers.render import b, esc, split_message, truncate
from knowledge.errors import IngestError

log = logging.getLogger("finbot.admin")

AnyApp = Application[Any, Any, Any, Any, Any, Any]
Ctx = CallbackContext[Any, Any, Any, Any]

PAGE_SIZE = 10
PENDING_KEY = "admin.pending_uploads"
REINDEX_KEY = "admin.reindex_task"
STATUSES = ("current", "superseded", "expired")
TICK_S = 0.3  # how often the progress message may be edited (Telegram flood limits)
EXPIRY_JOB_TIME = time(9, 0, tzinfo=BUREAU_TZ)


@dataclass(frozen=True)
class PendingUpload:
    """A parsed upload waiting for the admin's 替换 / 作为新文档 / 取消."""

    data: bytes
    filename: str
    conflicts: tuple[str, ...]
    user_id: int
    duplicate: str | None


class AdminFilter(filters.MessageFilter):
    """Synchronous role check, so a non-admin's file falls through to the Q&A handler."""

    def __init__(self, app: AnyApp) -> None:
        super().__init__(name="AdminFilter")
        self._app = app

    def filter(self, message: Message) -> bool:
        svc = self._app.bot_data.get(SERVICES_KEY)
        user = message.from_user
        return isinstance(svc, Services) and user is not None and svc.roles.is_admin(user.id)


def register(app: AnyApp) -> None:
    app.add_handler(
        MessageHandler(
            filters.Document.ALL & filters.ChatType.PRIVATE & AdminFilter(app), on_document
        )
    )
    app.add_handler(CommandHandler("docs", on_docs))
    app.add_handler(CommandHandler("doc", on_doc))
    app.add_handler(CommandHandler("remove", on_remove))
    app.add_handler(CommandHandler("reindex", on_reindex))
    app.add_handler(CallbackQueryHandler(on_callback, pattern=r"^adm:"))


def schedule_expiry(app: AnyApp) -> None:
    """Daily at 09:00 bureau time; the job remembers what it told, so the time is not critical."""
    if app.job_queue is None:
        log.warning("no job queue: document expiry notices are disabled")
        return
    app.job_queue.run_daily(expiry_job, time=EXPIRY_JOB_TIME, name="kb-expiry")


# ------------------------------------------------------------------ helpers
async def _lang(svc: Services, user: User | None) -> Lang:
    if user is None:
        return "zh"
    return await svc.users.language(user.id, default=lang_from_client(user.language_code))


async def _admin_gate(update: Update, context: Ctx) -> tuple[Services, User, Lang] | None:
    """The admin, in a private chat; anyone else gets a polite refusal and None."""
    svc = services(context)
    user = update.effective_user
    message = update.effective_message
    lang = await _lang(svc, user)
    if user is None or message is None:
        return None
    if not svc.roles.is_admin(user.id):
        await message.reply_text(esc(t("admin.only", lang)))
        return None
    if update.effective_chat is None or update.effective_chat.type != "private":
        await message.reply_text(esc(t("admin.private_only", lang)))
        return None
    return svc, user, lang


async def _edit(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit in place; an unchanged text is not an error worth reporting."""
    parts = split_message(html)
    try:
        await message.edit_text(parts[0], reply_markup=markup if len(parts) == 1 else None)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    for i, part in enumerate(parts[1:], start=2):
        await message.get_bot().send_message(
            message.chat_id, part, reply_markup=markup if i == len(parts) else None
        )


async def _reply(message: Message, html: str, markup: InlineKeyboardMarkup | None = None) -> None:
    parts = split_message(html)
    for i, part in enumerate(parts, start=1):
        await message.reply_text(part, reply_markup=markup if i == len(parts) else None)


def _fmt(d: date | None, lang: Lang) -> str:
    return d.isoformat() if d else t("docs.none", lang)


def _status_label(status: str, lang: Lang) -> str:
    key = f"docs.status.{status}"
    return t(key, lang) if status in STATUSES else status


class _Progress:
    """Written by the worker thread, read by the ticker on the event loop (ints are atomic)."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.finished = asyncio.Event()

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total


async def _tick(message: Message, progress: _Progress, render: Any) -> None:
    """Edit the status message whenever the counts move, at most every TICK_S seconds."""
    shown = ""
    while not progress.finished.is_set():
        text = render(progress.done, progress.total)
        if text != shown:
            with contextlib.suppress(TelegramError):
                await _edit(message, text)
            shown = text
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(progress.finished.wait(), TICK_S)


# ------------------------------------------------------------------ upload
async def on_document(update: Update, context: Ctx) -> None:
    gate = await _admin_gate(update, context)
    message = update.effective_message
    if gate is None or message is None or message.document is None:
        return
    svc, user, lang = gate
    document = message.document
    name = document.file_name or "file"
    status = await message.reply_text(esc(t("docs.downloading", lang, name=name)))
    limit = svc.kb.max_bytes
    if document.file_size is not None and document.file_size > limit:
        err = IngestError(
            "too_large", name, f"{document.file_size // 1024} KB > {limit // 1024} KB"
        )
        await _reject(svc, user, status, err, lang)
        return
    try:
        tg_file = await context.bot.get_file(document.file_id)
        data = bytes(await tg_file.download_as_bytearray())
    except TelegramError as exc:
        await _edit(status, esc(t("docs.download_failed", lang, reason=str(exc))))
        return
    await _edit(status, esc(t("docs.parsing", lang, name=name)))
    try:
        parsed = await asyncio.to_thread(svc.kb.parse_bytes, data, name)
    except IngestError as exc:
        await _reject(svc, user, status, exc, lang)
        return
    duplicate = await asyncio.to_thread(svc.kb.find_duplicate, parsed)
    if duplicate == parsed.doc_id:
        await _edit(status, esc(t("docs.unchanged", lang, doc_id=duplicate)))
        return
    conflicts = await asyncio.to_thread(svc.kb.find_conflicts, parsed)
    if conflicts:
        token = secrets.token_hex(4)
        pending = context.bot_data.setdefault(PENDING_KEY, {})
        pending[token] = PendingUpload(data, name, tuple(conflicts), user.id, duplicate)
        await _edit(status, _conflict_html(svc, conflicts, lang), _conflict_keyboard(token, lang))
        return
    await _ingest(svc, status, lang, user, data, name, duplicate=duplicate)


async def _reject(svc: Services, user: User, status: Message, err: IngestError, lang: Lang) -> None:
    await svc.audit.record(user.id, "doc.rejected", err.filename, code=err.code)
    await _edit(status, esc(t("docs.rejected", lang, reason=err.message(lang))))


def _conflict_html(svc: Services, conflicts: list[str], lang: Lang) -> str:
    infos = {d.doc_id: d for d in svc.kb.list()}
    lines = []
    for doc_id in conflicts:
        info = infos.get(doc_id)
        label = f"{doc_id} 《{info.title}》 {info.doc_number or ''}" if info else doc_id
        lines.append(f"• {label.strip()}")
    return esc(t("docs.conflict", lang, docs="\n".join(lines)))


def _conflict_keyboard(token: str, lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t("docs.btn.replace", lang), callback_data=f"adm:rep:{token}"),
                InlineKeyboardButton(t("docs.btn.as_new", lang), callback_data=f"adm:new:{token}"),
                InlineKeyboardButton(t("docs.btn.cancel", lang), callback_data=f"adm:no:{token}"),
            ]
        ]
    )


async def _ingest(
    svc: Services,
    status: Message,
    lang: Lang,
    user: User,
    data: bytes,
    name: str,
    *,
    replace: str | None = None,
    as_new: bool = False,
    duplicate: str | None = None,
) -> None:
    progress = _Progress()

    def render(done: int, total: int) -> str:
        if not total:
            return esc(t("docs.parsing", lang, name=name))
        return esc(t("docs.embedding", lang, name=name, done=done, total=total))

    ticker = asyncio.create_task(_tick(status, progress, render))
    try:
        report = await asyncio.to_thread(
            svc.kb.add_bytes, data, name, added_by=str(user.id), progress=progress.update,
            replace_doc_id=replace, as_new=as_new,
        )  # fmt: skip
    except IngestError as exc:
        progress.finished.set()
        await ticker
        await _reject(svc, user, status, exc, lang)
        return
    except Exception:
        progress.finished.set()
        await ticker
        log.exception("adding %s failed", name)
        await _edit(status, esc(t("docs.failed", lang, name=name)))
        return
    progress.finished.set()
    await ticker
    doc_id = report.docs[0].doc_id
    await svc.audit.record(
        user.id, "doc.replace" if replace else "doc.add", doc_id, file=name,
        title=report.docs[0].meta.title, replaces=replace, embedded=report.embedded,
    )  # fmt: skip
    await _edit(status, _summary_html(svc, report, lang, replace=replace, duplicate=duplicate))


def _summary_html(
    svc: Services, report: AddReport, lang: Lang, *, replace: str | None, duplicate: str | None
) -> str:
    doc = report.docs[0]
    info = svc.kb.info(doc.doc_id)
    head = "docs.replaced_head" if replace else "docs.added"
    lines = [b(t(head, lang, title=doc.meta.title))]
    lines += _detail_lines(info, lang) if info else []
    keys = list(doc.warnings)
    if doc.meta.effective is None and "no_effective_date" not in keys:
        keys.append(
            "no_effective_date"
        )  # the parser tolerates a 发布日期 alone; admins should know
    warnings = [_warning(w, lang) for w in keys]
    if duplicate and duplicate != doc.doc_id:
        warnings.append(t("docs.warn.duplicate", lang, doc_id=duplicate))
    if replace:
        warnings.append(t("docs.warn.replaces", lang, doc_id=replace))
    lines += [esc(w) for w in warnings]
    return "\n".join(lines)


def _warning(key: str, lang: Lang) -> str:
    full = f"docs.warn.{key}"
    try:
        return t(full, lang)
    except KeyError:
        return t("docs.warn.other", lang, name=key)


def _detail_lines(info: DocInfo, lang: Lang) -> list[str]:
    status = _status_label(info.status, lang)
    if info.replaced_by:
        status = f"{status}（{t('docs.replaced_by', lang, doc_id=info.replaced_by)}）"
    rows = [
        t("docs.line.id", lang, value=info.doc_id),
        t("docs.line.number", lang, value=info.doc_number or t("docs.none", lang)),
        t("docs.line.published", lang, value=_fmt(info.published, lang)),
        t("docs.line.effective", lang, value=_fmt(info.effective, lang)),
        t("docs.line.expires", lang, value=_fmt(info.expires, lang)),
        t("docs.line.status", lang, value=status),
        t("docs.line.counts", lang, sections=info.sections, chunks=info.chunks),
    ]
    return [esc(r) for r in rows]


# ------------------------------------------------------------------ /docs /doc /remove /reindex
async def on_docs(update: Update, context: Ctx) -> None:
    gate = await _admin_gate(update, context)
    if gate is None or update.effective_message is None:
        return
    svc, _user, lang = gate
    status: str | None = None
    page = 1
    for arg in context.args or []:
        if arg in STATUSES:
            status = arg
        elif arg.isdigit():
            page = max(1, int(arg))
    html, markup = _docs_page(svc, status, page, lang)
    await _reply(update.effective_message, html, markup)


def _docs_page(
    svc: Services, status: str | None, page: int, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    docs = svc.kb.list(status=status)
    pages = max(1, -(-len(docs) // PAGE_SIZE))
    page = min(page, pages)
    shown = docs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    label = _status_label(status, lang) if status else t("docs.status.all", lang)
    lines = [b(t("docs.list_head", lang, filter=label, total=len(docs), page=page, pages=pages))]
    for d in shown:
        item = t(
            "docs.list_item", lang, doc_id=d.doc_id, status=_status_label(d.status, lang),
            title=truncate(d.title, 40), effective=_fmt(d.effective, lang),
            expires=_fmt(d.expires, lang),
        )  # fmt: skip
        lines.append(esc(item))
    if not docs:
        lines.append(esc(t("docs.list_empty", lang)))
    lines.append(esc(t("docs.list_hint", lang)))
    key = status or "all"
    nav = []
    if page > 1:
        nav.append(
            InlineKeyboardButton(
                t("docs.btn.prev", lang), callback_data=f"adm:docs:{key}:{page - 1}"
            )
        )
    if page < pages:
        nav.append(
            InlineKeyboardButton(
                t("docs.btn.next", lang), callback_data=f"adm:docs:{key}:{page + 1}"
            )
        )
    filters_row = [
        InlineKeyboardButton(
            ("• " if s == key else "")
            + (_status_label(s, lang) if s != "all" else t("docs.status.all", lang)),
            callback_data=f"adm:docs:{s}:1",
        )
        for s in ("all", *STATUSES)
    ]
    rows = [nav, filters_row] if nav else [filters_row]
    return "\n".join(lines), InlineKeyboardMarkup(rows)


async def on_doc(update: Update, context: Ctx) -> None:
    gate = await _admin_gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return
    svc, _user, lang = gate
    if not context.args:
        await message.reply_text(esc(t("docs.usage_doc", lang)))
        return
    doc_id = context.args[0]
    info = svc.kb.info(doc_id)
    rec = svc.kb.store.snapshot().docs.get(doc_id)
    if info is None or rec is None:
        await message.reply_text(esc(t("docs.not_found", lang, doc_id=doc_id)))
        return
    lines = [b(f"《{info.title}》"), *_detail_lines(info, lang)]
    lines.append(esc(t("docs.line.source", lang, value=info.source)))
    lines += [esc(_warning(w, lang)) for w in info.warnings]
    sections = rec.doc.sections
    lines.append(b(t("docs.sections_head", lang, n=len(sections))))
    lines += [esc(f"• {s}") for s in sections]
    await _reply(message, "\n".join(lines))


async def on_remove(update: Update, context: Ctx) -> None:
    gate = await _admin_gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return
    svc, _user, lang = gate
    if not context.args:
        await message.reply_text(esc(t("docs.usage_remove", lang)))
        return
    doc_id = context.args[0]
    info = svc.kb.info(doc_id)
    if info is None:
        await message.reply_text(esc(t("docs.not_found", lang, doc_id=doc_id)))
        return
    token = secrets.token_hex(4)
    context.bot_data.setdefault(PENDING_KEY, {})[token] = doc_id
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("docs.btn.remove_yes", lang), callback_data=f"adm:rm:{token}"
                ),
                InlineKeyboardButton(t("docs.btn.cancel", lang), callback_data=f"adm:no:{token}"),
            ]
        ]
    )
    await message.reply_text(
        esc(t("docs.remove_confirm", lang, title=info.title, doc_id=doc_id)), reply_markup=markup
    )


async def on_reindex(update: Update, context: Ctx) -> None:
    gate = await _admin_gate(update, context)
    message = update.effective_message
    if gate is None or message is None:
        return
    svc, user, lang = gate
    running = context.bot_data.get(REINDEX_KEY)
    if isinstance(running, asyncio.Task) and not running.done():
        await message.reply_text(esc(t("docs.reindex_running", lang)))
        return
    status = await message.reply_text(esc(t("docs.reindex_started", lang)))
    task = context.application.create_task(_reindex(svc, status, user.id, lang))
    context.bot_data[REINDEX_KEY] = task


async def _reindex(svc: Services, status: Message, actor_id: int, lang: Lang) -> None:
    """In the background: the store keeps serving the old snapshot until the new one is saved."""
    progress = _Progress()

    def render(done: int, total: int) -> str:
        if not total:
            return esc(t("docs.reindex_started", lang))
        return esc(t("docs.reindex_progress", lang, done=done, total=total))

    ticker = asyncio.create_task(_tick(status, progress, render))
    try:
        snap = await asyncio.to_thread(svc.kb.rebuild, progress.update)
    except Exception:
        log.exception("reindex failed")
        progress.finished.set()
        await ticker
        await _edit(status, esc(t("docs.reindex_failed", lang)))
        return
    progress.finished.set()
    await ticker
    await svc.audit.record(actor_id, "doc.reindex", None, documents=len(snap.docs))
    text = t(
        "docs.reindex_done", lang, docs=len(snap.docs), chunks=len(snap.chunks), faqs=len(snap.faqs)
    )
    await _edit(status, esc(text))


# ------------------------------------------------------------------ buttons
async def on_callback(update: Update, context: Ctx) -> None:
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    svc = services(context)
    user = update.effective_user
    lang = await _lang(svc, user)
    if not svc.roles.is_admin(user.id):
        await query.answer(t("admin.only", lang), show_alert=True)
        return
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    _, action, arg = [*query.data.split(":", 2), "", ""][:3]
    if action == "docs":
        status, _, page = arg.partition(":")
        html, markup = _docs_page(svc, None if status == "all" else status, int(page or 1), lang)
        await _edit(message, html, markup)
        return
    pending = context.bot_data.setdefault(PENDING_KEY, {}).pop(arg, None)
    if pending is None:
        await _edit(message, esc(t("docs.stale", lang)))
        return
    if action == "no":
        await _edit(message, esc(t("docs.cancelled", lang)))
    elif action == "rm" and isinstance(pending, str):
        await _remove(svc, message, user, pending, lang)
    elif action in ("rep", "new") and isinstance(pending, PendingUpload):
        await _edit(message, esc(t("docs.parsing", lang, name=pending.filename)))
        await _ingest(
            svc, message, lang, user, pending.data, pending.filename,
            replace=pending.conflicts[0] if action == "rep" else None,
            as_new=action == "new", duplicate=pending.duplicate,
        )  # fmt: skip


async def _remove(svc: Services, message: Message, user: User, doc_id: str, lang: Lang) -> None:
    removed = await asyncio.to_thread(svc.kb.remove, doc_id)
    if not removed:
        await _edit(message, esc(t("docs.not_found", lang, doc_id=doc_id)))
        return
    await svc.audit.record(user.id, "doc.remove", doc_id)
    await _edit(message, esc(t("docs.removed", lang, doc_id=doc_id)))


# ------------------------------------------------------------------ expiry job
async def expiry_job(context: Ctx) -> None:
    """Tell every admin (private chat) what expires within 30 days and what has expired."""
    svc = context.application.bot_data.get(SERVICES_KEY)
    if not isinstance(svc, Services):
        return
    report = await ExpiryWatch(svc.kb, svc.audit, svc.clock).check()
    if report.empty:
        return
    for admin_id in sorted(svc.roles.admins()):
        lang = await svc.users.language(admin_id)
        try:
            for part in split_message(expiry_html(report, lang)):
                await context.bot.send_message(admin_id, part)
        except (Forbidden, BadRequest):
            log.info("admin %s cannot be reached for the expiry notice", admin_id)


def expiry_html(report: ExpiryReport, lang: Lang) -> str:
    lines = [b(t("docs.expiry_head", lang))]
    for item in report.expired:
        lines.append(esc(t("docs.expired_item", lang, **_item_args(item))))
    for item in report.expiring:
        lines.append(esc(t("docs.expiring_item", lang, days=item.days_left, **_item_args(item))))
    return "\n".join(lines)


def _item_args(item: ExpiryItem) -> dict[str, str]:
    number = f"（{item.doc_number}）" if item.doc_number else ""
    return {"title": item.title, "number": number, "date": item.expires.isoformat()}
