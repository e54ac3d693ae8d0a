"""The financing request's card in the officers' group: posted on submission, kept current.

Shared by the form (which posts it) and the officers' feature (whose buttons change it).
The card is the only place, besides /request, where contact details are shown.
"""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MaybeInaccessibleMessage
from telegram.error import BadRequest

from bot.requests import OFFICER_STATUSES, RequestView
from bot.texts import BUREAU_LANG, t
from handlers.keyboards import rows_of
from handlers.render import b, edit_message, esc, fmt_amount, send, text

log = logging.getLogger("finbot.cards")


def status_label(status: str) -> str:
    return t(f"req.status.{status}", BUREAU_LANG)


def type_label(code: str) -> str:
    return t(f"form.type.{code}", BUREAU_LANG)


def card_html(row: RequestView) -> str:
    lang = BUREAU_LANG
    lines = [
        b(t("officer.card_title", lang, ref=row.ref)),
        f"{text('form.field.company')}：{esc(row.company)}",
        f"{text('form.field.uscc')}：{esc(row.uscc)}",
        f"{text('form.field.amount')}：{esc(fmt_amount(row.amount_yuan))}（{row.amount_yuan:,} 元）",
        f"{text('form.field.fin_type')}：{esc(type_label(row.fin_type))}",
        f"{text('form.field.term')}：{text('form.term_value', months=row.term_months)}",
        f"{text('form.field.purpose')}：{esc(row.purpose)}",
        f"{text('form.field.contact')}：{esc(row.contact_name)} {esc(row.phone)}",
    ]
    if row.question:
        lines.append(text("officer.card_question", question=row.question))
    if row.handoff_id:
        lines.append(text("officer.card_handoff", id=row.handoff_id))
    owner = row.owner_name or t("officer.nobody", lang)
    lines.append(b(t("officer.card_owner", lang, status=status_label(row.status), owner=owner)))
    return "\n".join(lines)


def card_keyboard(row: RequestView) -> InlineKeyboardMarkup:
    if row.owner_id is None:
        claim = t("officer.btn.claim", BUREAU_LANG)
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(claim, callback_data=f"rq:claim:{row.id}")]]
        )
    buttons = [
        InlineKeyboardButton(status_label(s), callback_data=f"rq:st:{row.id}:{s}")
        for s in OFFICER_STATUSES
        if s != row.status
    ]
    return InlineKeyboardMarkup(rows_of(buttons, 3))


async def post_card(bot: Bot, chat_id: int | None, row: RequestView) -> int | None:
    """Post the card of a new request; its message id (None without an officers' group)."""
    if chat_id is None:
        log.warning("FINBOT_OFFICERS_CHAT_ID is not set: request %s has no card", row.ref)
        return None
    (message, *_) = await send(bot, chat_id, card_html(row), card_keyboard(row))
    return message.message_id


async def refresh_card(
    bot: Bot, row: RequestView, tapped: MaybeInaccessibleMessage | None = None
) -> None:
    """Edit the card in place so the group always shows the current owner and status.

    `tapped` is the card whose button was pressed: a tap can arrive in the milliseconds
    between posting the card and storing its message id, and the card must still change.
    """
    chat_id, message_id = row.card_chat_id, row.card_message_id
    if (chat_id is None or message_id is None) and tapped is not None:
        chat_id, message_id = tapped.chat.id, tapped.message_id
    if chat_id is None or message_id is None:
        return
    try:
        await edit_message(bot, chat_id, message_id, card_html(row), card_keyboard(row))
    except BadRequest as exc:  # "message is not modified" after a double tap
        log.info("card of %s not edited: %s", row.ref, exc)
