"""Admins import FAQ entries from a spreadsheet sent in a private chat (.xlsx, or .csv).

A spreadsheet is never a policy document (those are .md/.txt/.docx/.pdf), so an admin's
.xlsx or .csv comes here instead of the document upload; a .csv without the 问题/答案
header is told so. The file is checked row by row by `bot.faq_import.FaqImportService`;
the preview lists the rejected rows with their reasons, and only a sheet with none gets
确认导入 (all or nothing). States: faq_import.mmd.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.faq_import import MAX_BYTES, ImportCheck, ImportOutcome, ImportResult, preview_lines
from bot.faq_sheet import SHEET_EXTENSIONS
from bot.texts import Lang, t
from handlers import access
from handlers.context import AnyApp, Ctx, lang_for, message_of, query_of, services, user_of
from handlers.render import b, edit, esc, send, text

PREVIEW_BUDGET = 3600  # characters of the preview before the list is cut (Telegram: 4096)


async def on_sheet(update: Update, context: Ctx) -> None:
    """An admin's .xlsx/.csv: download, check every row, show the preview."""
    message, lang = message_of(update), await lang_for(update, context)
    document = message.document
    if document is None:
        return
    name = document.file_name or "faq.xlsx"
    (status, *_) = await send(context.bot, message.chat_id, text("faqi.receiving", lang, name=name))
    if document.file_size is not None and document.file_size > MAX_BYTES:
        await edit(status, text("faqi.sheet.too_large", lang, mb=MAX_BYTES // 2**20))
        return
    try:
        data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    except TelegramError as exc:
        await edit(status, text("faqi.download_failed", lang, reason=str(exc)))
        return
    result = await services(context).faq_import.preview(data, name, user_of(update).id)
    await _show(status, result, lang)


async def on_button(update: Update, context: Ctx) -> None:
    """确认导入 / 取消 under a preview (works after a restart: the file is in the database)."""
    query, data = query_of(update)
    await query.answer()
    lang = await lang_for(update, context)
    _, action, token = data.split(":", 2)
    imports = services(context).faq_import
    if action == "ok":
        if isinstance(query.message, Message):  # encoding a long sheet takes a while
            await edit(query.message, text("faqi.importing", lang))
        result = await imports.confirm(token, user_of(update).id)
    else:
        result = await imports.cancel(token)
    if isinstance(query.message, Message):
        await _show(query.message, result, lang)


async def _show(message: Message, result: ImportResult, lang: Lang) -> None:
    check = result.check
    if result.outcome is ImportOutcome.IMPORTED and check is not None:
        n = len(result.faq_ids)
        await edit(message, text("faqi.imported", lang, n=n, new=check.new, updated=n - check.new))
    elif result.outcome is ImportOutcome.PREVIEW and check is not None:
        markup = _keyboard(result.token, lang) if result.token else None
        await edit(message, preview_html(check, lang), markup)
    elif result.outcome is ImportOutcome.CHANGED and check is not None:
        await edit(message, text("faqi.changed", lang) + "\n" + preview_html(check, lang))
    else:
        key = "faqi.cancelled" if result.outcome is ImportOutcome.CANCELLED else "faqi.stale"
        await edit(message, text(key, lang))


def preview_html(check: ImportCheck, lang: Lang) -> str:
    """The service's preview lines, escaped, the first in bold; one message at most."""
    head, *rest = preview_lines(check, lang, budget=PREVIEW_BUDGET)
    return "\n".join([b(head), *(esc(line) for line in rest)])


def _keyboard(token: str, lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t("faqi.btn.confirm", lang), callback_data=f"faqi:ok:{token}"),
        InlineKeyboardButton(t("faqi.btn.cancel", lang), callback_data=f"faqi:no:{token}"),
    ]])  # fmt: skip


def register(app: AnyApp) -> None:
    """Before the document upload (handlers.admin), which would refuse a spreadsheet."""
    sheets: filters.BaseFilter = filters.Document.FileExtension(SHEET_EXTENSIONS[0].lstrip("."))
    for ext in SHEET_EXTENSIONS[1:]:
        sheets = sheets | filters.Document.FileExtension(ext.lstrip("."))
    access.guard(
        app, access.ADMIN_FILES, MessageHandler(sheets & filters.ChatType.PRIVATE, on_sheet)
    )
    access.guard(app, access.ADMINS, CallbackQueryHandler(on_button, pattern=r"^faqi:(ok|no):"))
