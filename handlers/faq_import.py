"""Admins import FAQ entries from a spreadsheet sent in a private chat (.xlsx, or .csv).

An .xlsx is either an FAQ sheet (its header has 问题 and 答案) or a policy workbook (a
政策清单, a 收费标准一览表), which is a document of the knowledge base. The sheet handler runs
in its own group (SHEET_GROUP) ahead of group 0: it takes an FAQ sheet and stops there, and
leaves a policy workbook to the document upload in group 0 (handlers.admin). A .csv is
always an FAQ sheet, and one without the 问题/答案 header is told so. The file is checked row
by row by `bot.faq_import.FaqImportService`; the preview lists the rejected rows with their
reasons, and only a sheet with none gets 确认导入 (all or nothing). States: faq_import.mmd.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CallbackQueryHandler, MessageHandler, filters

from bot.faq_import import MAX_BYTES, ImportCheck, ImportOutcome, ImportResult, preview_lines
from bot.faq_sheet import SHEET_EXTENSIONS, is_faq_sheet
from bot.texts import Lang, t
from handlers import access
from handlers.context import AnyApp, Ctx, lang_for, message_of, query_of, services, user_of
from handlers.render import b, edit, esc, send, text

PREVIEW_BUDGET = 3600  # characters of the preview before the list is cut (Telegram: 4096)
# before group 0, where the document upload would take any file
SHEET_GROUP = -2


async def on_sheet(update: Update, context: Ctx) -> None:
    """An admin's .xlsx/.csv: download; an FAQ sheet is checked row by row and previewed
    (and goes no further); a policy workbook goes on to the document upload."""
    message, lang = message_of(update), await lang_for(update, context)
    document = message.document
    if document is None:
        return
    name = document.file_name or "faq.xlsx"
    if document.file_size is not None and document.file_size > MAX_BYTES:
        if not name.lower().endswith(".csv"):
            return  # no FAQ sheet is this large: the document upload reads it (or says why not)
        await send(
            context.bot, message.chat_id, text("faqi.sheet.too_large", lang, mb=MAX_BYTES // 2**20)
        )
        raise ApplicationHandlerStop
    try:
        data = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
    except TelegramError as exc:
        await send(
            context.bot, message.chat_id, text("faqi.download_failed", lang, reason=str(exc))
        )
        raise ApplicationHandlerStop from None
    if not is_faq_sheet(data, name):
        return  # a 政策清单 or any other policy workbook: handlers.admin adds it to the KB
    (status, *_) = await send(context.bot, message.chat_id, text("faqi.receiving", lang, name=name))
    result = await services(context).faq_import.preview(data, name, user_of(update).id)
    await _show(status, result, lang)
    raise ApplicationHandlerStop


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
    """In SHEET_GROUP, ahead of the document upload (handlers.admin), which takes the
    policy workbooks this handler lets through."""
    sheets: filters.BaseFilter = filters.Document.FileExtension(SHEET_EXTENSIONS[0].lstrip("."))
    for ext in SHEET_EXTENSIONS[1:]:
        sheets = sheets | filters.Document.FileExtension(ext.lstrip("."))
    handler = MessageHandler(sheets & filters.ChatType.PRIVATE, on_sheet)
    access.guard(app, access.ADMIN_FILES, handler, group=SHEET_GROUP)
    access.guard(app, access.ADMINS, CallbackQueryHandler(on_button, pattern=r"^faqi:(ok|no):"))
