"""Live handoff (联系工作人员): the card, the relay in both directions, ending and rating.

While a user has an open or active case, their private messages (text, photos, files) are
relayed to the officers' group as replies to the case card, instead of being answered by
the bot; an officer's reply to the card or to a relayed message goes back to the user.
An officer may also send a canned reply (`/c 名称`, bot/canned.py) as a reply to the case:
it is filled in from the case and relayed like a typed answer.
The user-side filter reads the handoff service's in-memory set, so it is synchronous.
The officer side runs in its own handler group (RELAY_GROUP) ahead of group 0, so no other
flow an officer is in can take an answer meant for an entrepreneur. Asking for the one
sentence before a case opens is a durable flow (stored before the reply). States:
handoff.mmd.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.canned import Fill
from bot.handoff import Contact, HandoffStatus, HandoffView
from bot.roles import Actor
from bot.texts import BUREAU_LANG, Lang, t
from handlers import access
from handlers.context import (
    AnyApp,
    Ctx,
    chat_of,
    lang_for,
    lang_of,
    message_of,
    query_of,
    services,
    user_of,
)
from handlers.keyboards import rows_of
from handlers.render import (
    b,
    drop_keyboard,
    edit_message,
    esc,
    fmt_when,
    send,
    stale_button,
    tell,
    text,
    truncate,
)

log = logging.getLogger("finbot.handoff")

LANG = BUREAU_LANG
# Handler group of the officers' relay: before group 0, where only the first match runs.
RELAY_GROUP = -1
PRIVATE = filters.ChatType.PRIVATE


async def _case_lang(context: Ctx, row: HandoffView) -> Lang:
    """The entrepreneur's language now: a /lang switch during a case applies at once.

    The case remembers the language it was opened in (shown on the card); that is the
    fallback when the user row is gone.
    """
    return await lang_of(context, row.user_id, default=row.lang)


# ---------------------------------------------------------------- card
def _card_html(row: HandoffView) -> str:
    lines = [b(t("handoff.card_title", LANG, id=row.id)),
             text("handoff.card_user", name=row.user_name, language=row.lang)]  # fmt: skip
    if row.note:
        lines.append(text("handoff.card_note", note=row.note))
    if row.recent:
        lines.append(text("handoff.card_recent"))
        lines += [
            esc(f"• {truncate(q, 200)}（{t(f'handoff.band.{band}', LANG)}）")
            for q, band in row.recent
        ]
    owner = row.owner_name or t("officer.nobody", LANG)
    lines.append(
        b(
            t(
                "handoff.card_status",
                LANG,
                status=t(f"handoff.status.{row.status}", LANG),
                owner=owner,
            )
        )
    )
    if row.status != HandoffStatus.CLOSED:
        lines.append(text("handoff.card_hint"))
    return "\n".join(lines)


def _card_keyboard(row: HandoffView) -> InlineKeyboardMarkup:
    def button(key: str, data: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(t(key, LANG), callback_data=f"{data}:{row.id}")

    if row.status == HandoffStatus.CLOSED:  # the transcript can become an FAQ entry
        return InlineKeyboardMarkup([[button("handoff.btn.save_faq", "lrn:ho")]])
    first = [button("handoff.btn.claim", "ho:claim")] if row.status == HandoffStatus.OPEN else []
    first.append(button("handoff.btn.end", "ho:end"))
    return InlineKeyboardMarkup([first, [button("handoff.btn.to_request", "ho:toreq")]])


async def _refresh_card(context: Ctx, row: HandoffView) -> None:
    if row.card_chat_id is None or row.card_message_id is None:
        return
    try:
        await edit_message(
            context.bot, row.card_chat_id, row.card_message_id, _card_html(row), _card_keyboard(row)
        )
    except BadRequest as exc:
        log.info("handoff card %s not edited: %s", row.id, exc)


# ---------------------------------------------------------------- opening
async def on_human(update: Update, context: Ctx) -> None:
    """/human [sentence] or the 联系工作人员 button: ask for a sentence unless given."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    note = " ".join(context.args or []) or None
    await _contact(update, context, note)


async def on_note(update: Update, context: Ctx) -> None:
    """The sentence asked for: the case opens with it."""
    await _contact(update, context, message_of(update).text or "")


async def on_skip(update: Update, context: Ctx) -> None:
    query, _data = query_of(update)
    if not services(context).handoffs.in_intake(user_of(update).id):
        await stale_button(update, context)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await drop_keyboard(query.message)
    await _contact(update, context, "")


async def on_intake_cancel(update: Update, context: Ctx) -> None:
    await services(context).handoffs.cancel_intake(user_of(update).id)
    await tell(update, context, "handoff.cancelled")


async def _contact(update: Update, context: Ctx, note: str | None) -> None:
    user, lang = user_of(update), await lang_for(update, context)
    result = await services(context).handoffs.contact(
        user_id=user.id, chat_id=chat_of(update).id, user_name=user.full_name, lang=lang, note=note
    )
    if result.outcome is Contact.ASK_NOTE:
        skip = InlineKeyboardMarkup(
            [[InlineKeyboardButton(t("handoff.btn.skip", lang), callback_data="ho:skip")]]
        )
        await send(context.bot, chat_of(update).id, text("handoff.ask_note", lang), skip)
    elif result.outcome is Contact.OPENED and result.handoff is not None:
        await _opened(update, context, result.handoff, result.opens_at, lang)
    else:
        await send(context.bot, chat_of(update).id, text("handoff.already", lang))


async def _opened(
    update: Update, context: Ctx, row: HandoffView, opens_at: datetime | None, lang: Lang
) -> None:
    """Post the new case's card, tell the user, and when officers are back if they are not."""
    svc, chat_id = services(context), chat_of(update).id
    if svc.roles.officers_chat_id is None:
        log.warning("FINBOT_OFFICERS_CHAT_ID is not set: handoff %s has no card", row.id)
    else:
        (card, *_) = await send(
            context.bot, svc.roles.officers_chat_id, _card_html(row), _card_keyboard(row)
        )
        await svc.handoffs.set_card(row.id, svc.roles.officers_chat_id, card.message_id)
    await send(context.bot, chat_id, text("handoff.waiting", lang))
    if opens_at is not None:
        await send(context.bot, chat_id, text("handoff.after_hours", lang, when=fmt_when(opens_at)))


# ---------------------------------------------------------------- relay
async def relay_from_user(update: Update, context: Ctx) -> None:
    svc, message, user = services(context), message_of(update), user_of(update)
    row = await svc.handoffs.live_case(user.id)
    if row is None or row.card_chat_id is None:
        return
    header = b(t("handoff.from_user", LANG, id=row.id, name=row.user_name))
    sent_id = await _copy(context, message, row.card_chat_id, header, reply_to=row.card_message_id)
    await _record(context, row, message, "user", user.id, row.user_name, row.card_chat_id, sent_id)


async def _copy(
    context: Ctx, message: Message, chat_id: int, header: str, *, reply_to: int | None = None
) -> int:
    """Text as text under a bold header; photos and files copied with it as their caption."""
    body = esc(message.text or message.caption or "")
    if _kind(message)[0] == "text":
        (sent, *_) = await send(context.bot, chat_id, f"{header}\n{body}", reply_to=reply_to)
        return sent.message_id
    copied = await context.bot.copy_message(
        chat_id,
        message.chat_id,
        message.message_id,
        caption=f"{header} {body}",
        reply_to_message_id=reply_to,
    )
    return copied.message_id


async def _record(
    context: Ctx, row: HandoffView, message: Message, direction: str, sender_id: int, sender_name: str,
    group_chat_id: int, group_message_id: int,
) -> None:  # fmt: skip
    kind, file_id = _kind(message)
    await services(context).handoffs.record(
        row.id, direction=direction, sender_id=sender_id, sender_name=sender_name, kind=kind,
        text=message.text or message.caption or "", file_id=file_id,
        group_chat_id=group_chat_id, group_message_id=group_message_id,
    )  # fmt: skip


def _kind(message: Message) -> tuple[str, str | None]:
    if message.photo:
        return "photo", message.photo[-1].file_id
    if message.document:
        return "document", message.document.file_id
    if message.text is not None:
        return "text", None
    return "other", None


async def relay_from_officer(update: Update, context: Ctx) -> None:
    """An officer's reply to a live case goes to the entrepreneur, and nowhere else.

    Runs in RELAY_GROUP, before the routing table of group 0, so a flow the officer is in
    the middle of (e.g. writing an FAQ entry in the group) cannot take the answer meant
    for the entrepreneur; any other message goes on to group 0 untouched.
    """
    message, officer = message_of(update), access.actor(update)
    replied = message.reply_to_message
    target = None
    if replied is not None:
        handoffs = services(context).handoffs
        target = await handoffs.reply_target(message.chat_id, replied.message_id, officer)
    if target is None:
        return
    if target.won:  # answering an unclaimed case takes it
        await _after_claim(context, target.handoff)
    await _relay_to_user(context, message, target.handoff, officer)
    raise ApplicationHandlerStop


async def _relay_to_user(context: Ctx, message: Message, row: HandoffView, officer: Actor) -> None:
    header = b(t("handoff.officer_says", await _case_lang(context, row), officer=officer.name))
    try:
        await _copy(context, message, row.chat_id, header)
    except TelegramError:
        log.warning("could not relay to the user of handoff %s", row.id, exc_info=True)
        return
    await _record(
        context,
        row,
        message,
        "officer",
        officer.id,
        officer.name,
        message.chat_id,
        message.message_id,
    )


async def on_canned(update: Update, context: Ctx) -> None:
    """/c 名称 as a reply to a case (or, with one case of one's own, anywhere): the canned
    reply, filled in, goes to the entrepreneur like a typed answer — or, when a variable
    has no value in this case, nothing goes and the officer is told which."""
    svc, message, officer = services(context), message_of(update), access.actor(update)
    lang, name = await lang_for(update, context), " ".join(context.args or [])
    row = await _canned_case(context, message, officer) if name else None
    if row is None:
        await tell(update, context, "canned.no_case" if name else "canned.usage_send")
        return
    filled = await svc.canned.prepare(name, row)
    if filled.outcome is not Fill.READY:
        missing = "、".join(f"{{{v}}}" for v in filled.missing)
        await tell(update, context, f"canned.{filled.outcome}", name=name, names=missing)
        return
    header = b(t("handoff.officer_says", await _case_lang(context, row), officer=officer.name))
    try:
        await send(context.bot, row.chat_id, f"{header}\n{esc(filled.text)}")
    except TelegramError:
        await tell(update, context, "canned.send_failed", id=row.id)
        return
    (note, *_) = await send(context.bot, message.chat_id,
                            text("canned.sent", lang, id=row.id, text=filled.text), reply_to=message.message_id)  # fmt: skip
    await svc.handoffs.record(
        row.id, direction="officer", sender_id=officer.id, sender_name=officer.name, kind="text",
        text=filled.text, group_chat_id=note.chat_id, group_message_id=note.message_id,
    )  # fmt: skip


async def _canned_case(context: Ctx, message: Message, officer: Actor) -> HandoffView | None:
    """The live case /c is for: the one replied to (answering an unclaimed case takes it),
    else the officer's only active case."""
    handoffs = services(context).handoffs
    if message.reply_to_message is not None:
        target = await handoffs.reply_target(
            message.chat_id, message.reply_to_message.message_id, officer
        )
        if target is not None and target.won:
            await _after_claim(context, target.handoff)
        return target.handoff if target is not None else None
    own = await services(context).canned.own_case(officer.id)
    return await handoffs.get(own) if own is not None else None


async def ignore_officers_chat_reply(update: Update, context: Ctx) -> None:
    """Other replies in the officers' group are officers talking among themselves.

    Replying to a card of a closed case, say, must not make the Q&A catch-all answer it
    as a question in the officers' group.
    """


# ---------------------------------------------------------------- card buttons
async def on_claim(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    officer = access.actor(update)
    claim = await services(context).handoffs.claim(
        int(data.split(":")[2]), officer.id, officer.name
    )
    if not claim.won:
        owner = claim.handoff.owner_name or "-"
        await query.answer(
            t("handoff.claim_lost", LANG, id=claim.handoff.id, owner=owner), show_alert=True
        )
        return
    await query.answer()
    await _after_claim(context, claim.handoff)


async def _after_claim(context: Ctx, row: HandoffView) -> None:
    await _refresh_card(context, row)
    lang = await _case_lang(context, row)
    await send(context.bot, row.chat_id, text("handoff.claimed_user", lang, officer=row.owner_name))


async def on_end_button(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    await query.answer()
    row = await services(context).handoffs.close(int(data.split(":")[2]), user_of(update).id)
    if row is not None:
        await _ended(context, row)


async def _ended(context: Ctx, row: HandoffView) -> None:
    """The card shows it closed; the user is asked for a rating; the group is told."""
    await _refresh_card(context, row)
    lang = await _case_lang(context, row)
    stars = [
        InlineKeyboardButton("⭐" * n, callback_data=f"ho:rate:{row.id}:{n}") for n in range(1, 6)
    ]
    await send(
        context.bot,
        row.chat_id,
        text("handoff.ended_user", lang),
        InlineKeyboardMarkup(rows_of(stars, 3)),
    )
    if row.card_chat_id is not None:
        await send(
            context.bot,
            row.card_chat_id,
            text("handoff.ended", id=row.id),
            reply_to=row.card_message_id,
        )


async def on_end_private(update: Update, context: Ctx) -> None:
    """/end in private: the user ends their own case."""
    row = await services(context).handoffs.end_own(user_of(update).id)
    if row is None:
        await tell(update, context, "handoff.no_live")
    else:
        await _ended(context, row)


async def on_end_group(update: Update, context: Ctx) -> None:
    """/end in the officers' group, as a reply to a card or a relayed message: that case.

    An officer may have several cases open at once, so /end only acts as a reply;
    otherwise a hint says how to use it.
    """
    message = message_of(update)
    target = message.reply_to_message
    handoffs = services(context).handoffs
    ending = target and await handoffs.end_replied(
        message.chat_id, target.message_id, user_of(update).id
    )
    if not ending or ending.handoff is None:
        await send(context.bot, message.chat_id, text("handoff.end_hint"))
    elif not ending.closed:
        await send(context.bot, message.chat_id, text("handoff.end_already", id=ending.handoff.id))
    else:
        await _ended(context, ending.handoff)


async def on_rate(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    _, _, raw_id, raw_n = data.split(":")
    ok = await services(context).handoffs.rate(int(raw_id), user_of(update).id, int(raw_n))
    lang = await lang_for(update, context)
    await query.answer(t("handoff.thanks", lang) if ok else None)
    if ok:
        await query.edit_message_text(esc(t("handoff.thanks", lang) + " " + "⭐" * int(raw_n)))


async def on_to_request(update: Update, context: Ctx) -> None:
    """Offer the user the form pre-filled from what they already wrote in the case."""
    query, data = query_of(update)
    row = await services(context).handoffs.suggest_form(int(data.split(":")[2]), user_of(update).id)
    if row is None:
        await query.answer()
        return
    lang = await _case_lang(context, row)
    form = InlineKeyboardButton(t("handoff.btn.form", lang), callback_data=f"ho:form:{row.id}")
    await send(
        context.bot, row.chat_id, text("handoff.suggest_form", lang), InlineKeyboardMarkup([[form]])
    )
    await query.answer(t("handoff.form_sent", LANG))


def register(app: AnyApp) -> None:
    """The intake, commands and buttons, then the two relays (before the Q&A catch-all).

    An officer's reply to a live case is relayed from RELAY_GROUP, ahead of every group-0
    handler (see relay_from_officer); in group 0 the officers' other replies are ignored.
    """
    in_intake = access.user_test(app, lambda svc, uid: svc.handoffs.in_intake(uid), "InIntake")
    relaying = access.user_test(app, lambda svc, uid: svc.handoffs.is_relaying(uid), "InHandoff")
    app.add_handler(CommandHandler("human", on_human, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_human, pattern=r"^menu:human$"))
    app.add_handler(CommandHandler("cancel", on_intake_cancel, filters=PRIVATE & in_intake))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND & in_intake, on_note))
    app.add_handler(CallbackQueryHandler(on_skip, pattern=r"^ho:skip$"))
    app.add_handler(CommandHandler("end", on_end_private, filters=PRIVATE))
    access.guard(app, access.STAFF, CommandHandler("c", on_canned))
    access.guard(
        app, access.OFFICERS_GROUP,
        CommandHandler("end", on_end_group),
        CallbackQueryHandler(on_claim, pattern=r"^ho:claim:\d+$"),
        CallbackQueryHandler(on_end_button, pattern=r"^ho:end:\d+$"),
        CallbackQueryHandler(on_to_request, pattern=r"^ho:toreq:\d+$"),
    )  # fmt: skip
    app.add_handler(CallbackQueryHandler(on_rate, pattern=r"^ho:rate:\d+:[1-5]$"))
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND & relaying, relay_from_user))
    officers_reply = ~filters.COMMAND & filters.REPLY & access.officers_chat(app)
    by_officer = officers_reply & access.officer(app)
    app.add_handler(MessageHandler(by_officer, relay_from_officer), group=RELAY_GROUP)
    app.add_handler(MessageHandler(officers_reply, ignore_officers_chat_reply))
