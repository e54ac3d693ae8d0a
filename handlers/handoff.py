"""Live handoff (联系工作人员): the card, the relay in both directions, ending and rating.

While a user has an open or active case, their private messages (text, photos, files) are
relayed to the officers' group as replies to the case card, instead of being answered by
the bot; an officer's reply to the card or to a relayed message goes back to the user.
The user-side filter reads an in-memory set kept by `HandoffService`, so it is synchronous.
The officer side runs in its own handler group (RELAY_GROUP) ahead of group 0, so no other
flow an officer is in can take an answer meant for an entrepreneur.
"""

from __future__ import annotations

import logging
import warnings
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.clock import BUREAU_TZ
from bot.db.models import Handoff
from bot.handoff import HandoffStatus
from bot.services import Services
from bot.sla import SlaPolicy, WorkingCalendar
from bot.texts import Lang, t
from handlers.context import SERVICES_KEY, services
from handlers.officers import OFFICER_LANG, actor_name, officer_allowed, refuse
from handlers.render import b, esc, truncate

log = logging.getLogger("finbot.handoff")

Ctx = CallbackContext[Any, Any, Any, Any]
AnyApp = Application[Any, Any, Any, Any, Any, Any]
NOTE = "note"
# Handler group of the officers' relay: before group 0, where only the first match runs.
RELAY_GROUP = -1
RECENT_QUESTIONS = 5


class _InHandoff(filters.MessageFilter):
    """A private message from a user whose case is open or active."""

    def __init__(self, app: AnyApp) -> None:
        super().__init__(name="InHandoff")
        self._app = app

    def filter(self, message: Message) -> bool:
        svc = self._app.bot_data.get(SERVICES_KEY)
        user = message.from_user
        return isinstance(svc, Services) and user is not None and svc.handoffs.is_relaying(user.id)


class _OfficersChatReply(filters.MessageFilter):
    """A reply inside the officers' group (the only place officers answer cases)."""

    def __init__(self, app: AnyApp) -> None:
        super().__init__(name="OfficersChatReply")
        self._app = app

    def filter(self, message: Message) -> bool:
        svc = self._app.bot_data.get(SERVICES_KEY)
        return (
            isinstance(svc, Services)
            and svc.roles.officers_chat_id is not None
            and message.chat.id == svc.roles.officers_chat_id
            and message.reply_to_message is not None
        )


async def _user_lang(svc: Services, row: Handoff) -> Lang:
    """The entrepreneur's language now: a /lang switch during a case applies at once.

    The case remembers the language it was opened in (shown on the card); that is the
    fallback when the user row is gone.
    """
    opened_in: Lang = "en" if row.lang == "en" else "zh"
    return await svc.users.language(row.user_id, default=opened_in)


# ---------------------------------------------------------------- card
async def _card_html(svc: Services, row: Handoff) -> str:
    lang = OFFICER_LANG
    lines = [
        b(t("handoff.card_title", lang, id=row.id)),
        esc(t("handoff.card_user", lang, name=row.user_name, language=row.lang)),
    ]
    if row.note:
        lines.append(esc(t("handoff.card_note", lang, note=row.note)))
    recent = await svc.questions.recent_for_user(row.user_id, RECENT_QUESTIONS)
    if recent:
        lines.append(esc(t("handoff.card_recent", lang)))
        lines += [
            esc(f"• {truncate(q.text, 200)}（{t(f'handoff.band.{q.band}', lang)}）") for q in recent
        ]
    lines.append(
        b(
            t(
                "handoff.card_status",
                lang,
                status=t(f"handoff.status.{row.status}", lang),
                owner=row.owner_name or t("officer.nobody", lang),
            )
        )
    )
    if row.status != HandoffStatus.CLOSED:
        lines.append(esc(t("handoff.card_hint", lang)))
    return "\n".join(lines)


def _card_keyboard(row: Handoff) -> InlineKeyboardMarkup:
    lang = OFFICER_LANG
    if row.status == HandoffStatus.CLOSED:  # ISSUE 6 turns the transcript into an FAQ entry
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t("handoff.btn.save_faq", lang), callback_data=f"lrn:ho:{row.id}"
                    )
                ]
            ]
        )
    first = (
        [InlineKeyboardButton(t("handoff.btn.claim", lang), callback_data=f"ho:claim:{row.id}")]
        if row.status == HandoffStatus.OPEN
        else []
    )
    first.append(InlineKeyboardButton(t("handoff.btn.end", lang), callback_data=f"ho:end:{row.id}"))
    second = [
        InlineKeyboardButton(t("handoff.btn.to_request", lang), callback_data=f"ho:toreq:{row.id}")
    ]
    return InlineKeyboardMarkup([first, second])


async def _refresh_card(context: Ctx, row: Handoff) -> None:
    if row.card_chat_id is None or row.card_message_id is None:
        return
    try:
        await context.bot.edit_message_text(
            await _card_html(services(context), row),
            chat_id=row.card_chat_id,
            message_id=row.card_message_id,
            reply_markup=_card_keyboard(row),
        )
    except BadRequest as exc:
        log.info("handoff card %s not edited: %s", row.id, exc)


# ---------------------------------------------------------------- opening
async def on_human(update: Update, context: Ctx) -> str | int:
    """/human [sentence] or the 联系工作人员 button: ask for a sentence unless given."""
    svc = services(context)
    user = update.effective_user
    assert user is not None
    if update.callback_query is not None:
        await update.callback_query.answer()
    lang = await svc.users.touch(user.id, user.full_name, user.username, user.language_code)
    if svc.handoffs.is_relaying(user.id):
        await _say(context, update, esc(t("handoff.already", lang)))
        return ConversationHandler.END
    if context.args:
        await open_handoff(update, context, " ".join(context.args))
        return ConversationHandler.END
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("handoff.btn.skip", lang), callback_data="ho:skip")]]
    )
    await _say(context, update, esc(t("handoff.ask_note", lang)), markup)
    return NOTE


async def _say(
    context: Ctx, update: Update, html_text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, html_text, reply_markup=markup)


async def on_note(update: Update, context: Ctx) -> int:
    assert update.effective_message is not None
    await open_handoff(update, context, update.effective_message.text or "")
    return ConversationHandler.END


async def on_skip(update: Update, context: Ctx) -> int:
    assert update.callback_query is not None
    await update.callback_query.answer()
    await update.callback_query.edit_message_reply_markup(None)
    await open_handoff(update, context, "")
    return ConversationHandler.END


async def on_intake_cancel(update: Update, context: Ctx) -> int:
    svc = services(context)
    assert update.effective_user is not None
    lang = await svc.users.language(update.effective_user.id)
    await _say(context, update, esc(t("handoff.cancelled", lang)))
    return ConversationHandler.END


async def open_handoff(update: Update, context: Ctx, note: str) -> None:
    svc = services(context)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    lang: Lang = await svc.users.language(user.id)
    row, created = await svc.handoffs.open(
        user_id=user.id, chat_id=chat.id, user_name=user.full_name, lang=lang, note=note.strip()
    )
    if not created:
        await _say(context, update, esc(t("handoff.already", lang)))
        return
    await svc.audit.record(user.id, "handoff.open", f"H{row.id}")
    chat_id = svc.roles.officers_chat_id
    if chat_id is not None:
        card = await context.bot.send_message(
            chat_id, await _card_html(svc, row), reply_markup=_card_keyboard(row)
        )
        await svc.handoffs.set_card(row.id, chat_id, card.message_id)
    else:
        log.warning("FINBOT_OFFICERS_CHAT_ID is not set: handoff %s has no card", row.id)
    await _say(context, update, esc(t("handoff.waiting", lang)))
    calendar = WorkingCalendar.from_settings(svc.settings)
    now = svc.clock.now()
    if not calendar.is_open(now):
        when = calendar.next_open(now).astimezone(BUREAU_TZ).strftime("%Y-%m-%d %H:%M")
        await _say(context, update, esc(t("handoff.after_hours", lang, when=when)))


# ---------------------------------------------------------------- relay
async def relay_from_user(update: Update, context: Ctx) -> None:
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    handoff_id = svc.handoffs.live_id(user.id)
    row = await svc.handoffs.get(handoff_id) if handoff_id is not None else None
    if row is None or row.card_chat_id is None:
        return
    header = t("handoff.from_user", OFFICER_LANG, id=row.id, name=row.user_name)
    kind, file_id = _kind(message)
    text = message.text or message.caption or ""
    if kind == "text":
        sent_id = (
            await context.bot.send_message(
                row.card_chat_id,
                f"{b(header)}\n{esc(text)}",
                reply_to_message_id=row.card_message_id,
            )
        ).message_id
    else:
        sent_id = (
            await context.bot.copy_message(
                row.card_chat_id,
                message.chat_id,
                message.message_id,
                caption=f"{b(header)} {esc(text)}",
                reply_to_message_id=row.card_message_id,
            )
        ).message_id
    await svc.handoffs.record(
        row.id,
        direction="user",
        sender_id=user.id,
        sender_name=row.user_name,
        kind=kind,
        text=text,
        file_id=file_id,
        group_chat_id=row.card_chat_id,
        group_message_id=sent_id,
    )


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
    if await _relay_officer_reply(update, context):
        raise ApplicationHandlerStop


async def _relay_officer_reply(update: Update, context: Ctx) -> bool:
    """Whether the message was a reply to a live case (relayed, or at least attempted)."""
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.reply_to_message is not None
    if user is None or not svc.roles.is_officer(user.id):
        return False
    row = await svc.handoffs.by_group_message(message.chat_id, message.reply_to_message.message_id)
    if row is None or row.status == HandoffStatus.CLOSED:
        return False
    name = actor_name(update)
    if row.status == HandoffStatus.OPEN:  # answering an unclaimed case takes it
        claim = await svc.handoffs.claim(row.id, user.id, name)
        if claim.won:
            await _after_claim(context, claim.handoff, user.id)
        row = claim.handoff
    lang = await _user_lang(svc, row)
    header = t("handoff.officer_says", lang, officer=name)
    kind, file_id = _kind(message)
    text = message.text or message.caption or ""
    try:
        if kind == "text":
            await context.bot.send_message(row.chat_id, f"{b(header)}\n{esc(text)}")
        else:
            await context.bot.copy_message(
                row.chat_id, message.chat_id, message.message_id, caption=f"{b(header)} {esc(text)}"
            )
    except TelegramError:
        log.warning("could not relay to the user of handoff %s", row.id, exc_info=True)
        return True
    await svc.handoffs.record(
        row.id,
        direction="officer",
        sender_id=user.id,
        sender_name=name,
        kind=kind,
        text=text,
        file_id=file_id,
        group_chat_id=message.chat_id,
        group_message_id=message.message_id,
    )
    return True


async def ignore_officers_chat_reply(update: Update, context: Ctx) -> None:
    """Other replies in the officers' group are officers talking among themselves.

    Replying to a card of a closed case, say, must not make the Q&A catch-all answer it
    as a question in the officers' group.
    """


# ---------------------------------------------------------------- card buttons
async def on_claim(update: Update, context: Ctx) -> None:
    svc = services(context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    claim = await svc.handoffs.claim(int(query.data.split(":")[2]), user.id, actor_name(update))
    if not claim.won:
        await query.answer(
            t(
                "handoff.claim_lost",
                OFFICER_LANG,
                id=claim.handoff.id,
                owner=claim.handoff.owner_name or "-",
            ),
            show_alert=True,
        )
        return
    await query.answer()
    await _after_claim(context, claim.handoff, user.id)


async def _after_claim(context: Ctx, row: Handoff, officer_id: int) -> None:
    svc = services(context)
    await svc.audit.record(officer_id, "handoff.claim", f"H{row.id}")
    await _refresh_card(context, row)
    lang = await _user_lang(svc, row)
    await context.bot.send_message(
        row.chat_id, esc(t("handoff.claimed_user", lang, officer=row.owner_name))
    )


async def on_end_button(update: Update, context: Ctx) -> None:
    svc = services(context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    await query.answer()
    await end_handoff(context, int(query.data.split(":")[2]), user.id)


async def end_handoff(context: Ctx, handoff_id: int, by_id: int) -> bool:
    svc = services(context)
    row = await svc.handoffs.close(handoff_id, by_id)
    if row is None:
        return False
    await svc.audit.record(by_id, "handoff.close", f"H{row.id}")
    await _refresh_card(context, row)
    lang = await _user_lang(svc, row)
    stars = [
        InlineKeyboardButton("⭐" * n, callback_data=f"ho:rate:{row.id}:{n}") for n in range(1, 6)
    ]
    await context.bot.send_message(
        row.chat_id,
        esc(t("handoff.ended_user", lang)),
        reply_markup=InlineKeyboardMarkup([stars[:3], stars[3:]]),
    )
    if row.card_chat_id is not None:
        await context.bot.send_message(
            row.card_chat_id,
            esc(t("handoff.ended", OFFICER_LANG, id=row.id)),
            reply_to_message_id=row.card_message_id,
        )
    return True


async def on_end_command(update: Update, context: Ctx) -> None:
    """/end: the user ends their own case; in the officers' group, the case replied to.

    An officer may have several cases open at once, so in the group /end only acts as a
    reply to a card or a relayed message; otherwise a hint says how to use it.
    """
    svc = services(context)
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    assert message is not None and user is not None and chat is not None
    if chat.type == "private":
        handoff_id = svc.handoffs.live_id(user.id)
        if handoff_id is None or not await end_handoff(context, handoff_id, user.id):
            lang = await svc.users.language(user.id)
            await message.reply_text(esc(t("handoff.no_live", lang)))
        return
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    target = message.reply_to_message
    row = await svc.handoffs.by_group_message(chat.id, target.message_id) if target else None
    if row is None:  # which case is meant is only known from the message replied to
        await message.reply_text(esc(t("handoff.end_hint", OFFICER_LANG)))
    elif not await end_handoff(context, row.id, user.id):
        await message.reply_text(esc(t("handoff.end_already", OFFICER_LANG, id=row.id)))


async def on_rate(update: Update, context: Ctx) -> None:
    svc = services(context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    _, _, raw_id, raw_n = query.data.split(":")
    ok = await svc.handoffs.rate(int(raw_id), user.id, int(raw_n))
    lang = await svc.users.language(user.id)
    await query.answer(t("handoff.thanks", lang) if ok else None)
    if ok:
        await query.edit_message_text(esc(t("handoff.thanks", lang) + " " + "⭐" * int(raw_n)))


async def on_to_request(update: Update, context: Ctx) -> None:
    """Offer the user the form pre-filled from what they already wrote in the case."""
    svc = services(context)
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    row = await svc.handoffs.get(int(query.data.split(":")[2]))
    if row is None:
        await query.answer()
        return
    lang = await _user_lang(svc, row)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t("handoff.btn.form", lang), callback_data=f"ho:form:{row.id}")]]
    )
    await context.bot.send_message(
        row.chat_id, esc(t("handoff.suggest_form", lang)), reply_markup=markup
    )
    await svc.audit.record(user.id, "handoff.to_request", f"H{row.id}")
    await query.answer(t("handoff.form_sent", OFFICER_LANG))


# ---------------------------------------------------------------- SLA
async def remind_handoffs(context: Ctx, policy: SlaPolicy, now: datetime) -> int:
    svc = services(context)
    sent = 0
    for row in await svc.handoffs.live():
        if row.status != HandoffStatus.OPEN or row.card_chat_id is None:
            continue
        if not policy.unclaimed_due(row.created_at, row.reminded_at, now):
            continue
        await context.bot.send_message(
            row.card_chat_id,
            esc(
                t(
                    "handoff.remind_unclaimed",
                    OFFICER_LANG,
                    id=row.id,
                    hours=f"{svc.settings.sla_unclaimed_hours:g}",
                )
            ),
            reply_to_message_id=row.card_message_id,
        )
        await svc.handoffs.mark_reminded(row.id)
        sent += 1
    return sent


def register(app: AnyApp) -> None:
    """Commands and buttons first, then the two relays (before the Q&A catch-all).

    An officer's reply to a live case is relayed from RELAY_GROUP, ahead of every group-0
    handler (see relay_from_officer); in group 0 the officers' other replies are ignored.
    """
    private = filters.ChatType.PRIVATE
    with warnings.catch_warnings():  # per_message=False is intended (one intake per user)
        warnings.simplefilter("ignore", PTBUserWarning)
        intake = _intake(private)
    app.add_handler(intake)
    _register_rest(app, private)


def _intake(private: filters.BaseFilter) -> ConversationHandler[Any]:
    return ConversationHandler(
        entry_points=[
            CommandHandler("human", on_human, filters=private),
            CallbackQueryHandler(on_human, pattern=r"^menu:human$"),
        ],
        states={
            NOTE: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_note),
                CallbackQueryHandler(on_skip, pattern=r"^ho:skip$"),
            ]
        },
        fallbacks=[CommandHandler("cancel", on_intake_cancel, filters=private)],
        name="handoff_intake",
        persistent=True,
    )


def _register_rest(app: AnyApp, private: filters.BaseFilter) -> None:
    app.add_handler(CommandHandler("end", on_end_command))
    app.add_handler(CallbackQueryHandler(on_claim, pattern=r"^ho:claim:\d+$"))
    app.add_handler(CallbackQueryHandler(on_end_button, pattern=r"^ho:end:\d+$"))
    app.add_handler(CallbackQueryHandler(on_to_request, pattern=r"^ho:toreq:\d+$"))
    app.add_handler(CallbackQueryHandler(on_rate, pattern=r"^ho:rate:\d+:[1-5]$"))
    app.add_handler(MessageHandler(private & ~filters.COMMAND & _InHandoff(app), relay_from_user))
    officers_reply = ~filters.COMMAND & _OfficersChatReply(app)
    app.add_handler(MessageHandler(officers_reply, relay_from_officer), group=RELAY_GROUP)
    app.add_handler(MessageHandler(officers_reply, ignore_officers_chat_reply))
