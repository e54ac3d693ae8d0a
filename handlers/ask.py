"""Q&A: a private text (or a group mention / /ask) is a question, answered in one of three bands.

Retrieval runs off the event loop inside the answer service, and the per-user update
processor keeps one user's messages in order while other users are served concurrently,
so this handler only orchestrates: rate limit → typing → answer → log → render → send.
The log comes before the send: a re-delivered update is found in the log and dropped, so
nobody is answered (or counted) twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.answers import MAX_QUESTION_CHARS, Answer, Band, prepare_question
from bot.ratelimit import RateLimiter
from bot.services import Services
from bot.texts import Lang, t
from bot.topics import TopicService
from handlers import keyboards as kb
from handlers.answer_view import render_answer
from handlers.context import services
from handlers.render import esc, split_message

log = logging.getLogger("finbot.ask")

Context = CallbackContext[Any, Any, Any, Any]
QA_STATE_KEY = "qa_state"
SEND_ATTEMPTS = 3  # transient 5xx / network errors; 429 is retried by AIORateLimiter


@dataclass
class QaState:
    """Per-application state of the Q&A feature (no globals: one per bot in tests)."""

    limiter: RateLimiter
    refs: kb.RefTable
    topics: TopicService
    seen: set[int] = field(default_factory=set)  # users whose row is up to date


def qa_state(context: Context) -> QaState:
    data = context.application.bot_data
    state = data.get(QA_STATE_KEY)
    if not isinstance(state, QaState):
        svc = services(context)
        state = QaState(
            limiter=RateLimiter(svc.settings.questions_per_minute),
            refs=kb.RefTable(),
            topics=TopicService(svc.db, svc.kb.faqs),
        )
        data[QA_STATE_KEY] = state
    return state


# ----------------------------------------------------------------------------- sending
async def send_html(
    context: Context,
    chat_id: int,
    html: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
) -> list[Message]:
    """Split at 4096 by paragraphs; the keyboard goes on the last part."""
    parts = split_message(html)
    sent: list[Message] = []
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        sent.append(
            await _send_with_retry(
                context, chat_id, part, markup if last else None, reply_to if n == 0 else None
            )
        )
    return sent


async def _send_with_retry(
    context: Context,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    reply_to: int | None,
) -> Message:
    """Retry transient failures (5xx, dropped connections); never retry a 400 or 403."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await context.bot.send_message(
                chat_id,
                text,
                reply_markup=markup,
                reply_to_message_id=reply_to,
                allow_sending_without_reply=True,
            )
        except (BadRequest, Forbidden):
            raise
        except (NetworkError, TimedOut):
            if attempt == SEND_ATTEMPTS:
                raise
            log.warning("send to %s failed (attempt %d), retrying", chat_id, attempt)
            await asyncio.sleep(0.3 * attempt)
    raise AssertionError("unreachable")


async def reply_plain(
    context: Context, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """A short catalogue text; a user who blocked the bot is recorded, not an error."""
    try:
        await send_html(context, chat_id, esc(text), markup)
    except Forbidden:
        await _blocked(context, chat_id)


async def _blocked(context: Context, user_id: int) -> None:
    log.info("user %s blocked the bot", user_id)
    await services(context).users.mark_blocked(user_id)


async def user_lang(update: Update, svc: Services, context: Context | None = None) -> Lang:
    """The user's language; the user row is written once per process, not on every message.

    (A write per question was the largest cost under load: SQLite serialises writers.)
    """
    user = update.effective_user
    if user is None:
        return "zh"
    seen = qa_state(context).seen if context is not None else None
    if seen is not None and user.id in seen:
        return await svc.users.language(user.id)
    lang = await svc.users.touch(user.id, user.full_name, user.username, user.language_code)
    if seen is not None:
        seen.add(user.id)
    return lang


# ----------------------------------------------------------------------------- questions
async def answer_question(
    update: Update, context: Context, text: str, *, source: str = "telegram"
) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    lang = await user_lang(update, svc, context)
    chat_id = message.chat_id
    reply_to = message.message_id if message.chat.type != ChatType.PRIVATE else None
    if not prepare_question(text):
        await reply_plain(context, chat_id, t("input.empty", lang))
        return
    verdict = qa_state(context).limiter.check(user.id)
    if not verdict.allowed:
        await reply_plain(
            context, chat_id, t("ratelimit.reply", lang, seconds=verdict.retry_after_whole_s)
        )
        return
    answer = await _answer_with_typing(context, chat_id, svc.answers.answer(text, lang=lang))
    question_id = await svc.questions.log(
        user_id=user.id,
        chat_id=chat_id,
        message_id=message.message_id,
        text=text,
        answer=answer,
        source=source,
    )
    if question_id is None:
        log.info(
            "update for message %s was already answered; not answering twice", message.message_id
        )
        return
    html = render_answer(answer)
    if len(" ".join(text.split())) > MAX_QUESTION_CHARS:
        html += "\n\n" + esc(t("long.notice", lang, limit=MAX_QUESTION_CHARS))
    await _deliver(context, chat_id, answer, question_id, html, reply_to)


async def _deliver(
    context: Context,
    chat_id: int,
    answer: Answer,
    question_id: int | None,
    html: str,
    reply_to: int | None,
) -> None:
    markup = keyboard_for(answer, question_id, qa_state(context).refs)
    try:
        await send_html(context, chat_id, html, markup, reply_to=reply_to)
    except Forbidden:
        await _blocked(context, chat_id)


def keyboard_for(
    answer: Answer, question_id: int | None, refs: kb.RefTable
) -> InlineKeyboardMarkup:
    if answer.band is Band.ANSWER and answer.hits:
        return kb.answer_keyboard(answer.lang, question_id, list(answer.related), refs)
    if answer.band is Band.SUGGEST and answer.suggestions:
        rows = kb.question_buttons(list(answer.suggestions)[:3], refs)
        return InlineKeyboardMarkup([*rows, kb.contact_row(answer.lang)])
    return kb.none_keyboard(answer.lang)


TYPING_AFTER_S = 0.4


async def _answer_with_typing(
    context: Context, chat_id: int, pending: Coroutine[Any, Any, Answer]
) -> Answer:
    """Show "typing" only when the answer is slow.

    Every request with a chat id counts against Telegram's ~30 requests/s budget (and
    AIORateLimiter's), so an unconditional chat action would halve the questions per
    second the bot can answer; most answers arrive well before a user would notice.
    """
    task = asyncio.ensure_future(pending)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER_S)
    if not done:
        await _typing(context, chat_id)
    return await task


async def _typing(context: Context, chat_id: int) -> None:
    with contextlib.suppress(TelegramError):  # cosmetic; the answer still goes out
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)


async def on_private_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await answer_question(update, context, message.text)


async def on_group_text(update: Update, context: Context) -> None:
    """Groups: only a mention of the bot or a reply to one of its messages is a question."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    username = context.bot.username or ""
    if not (_mentions(message, username) or _replies_to_bot(message, context.bot.id)):
        return
    await answer_question(update, context, strip_mention(message.text, username))


async def on_ask_command(update: Update, context: Context) -> None:
    """/ask <question>: the way to ask in a group without a mention (privacy mode)."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or [])
    if not question.strip():
        lang = await user_lang(update, services(context))
        await reply_plain(context, message.chat_id, t("group.ask_usage", lang))
        return
    await answer_question(update, context, question)


def _mentions(message: Message, username: str) -> bool:
    if not username:
        return False
    for entity, value in message.parse_entities([MessageEntityType.MENTION]).items():
        if entity.type == MessageEntityType.MENTION and value.lower() == f"@{username.lower()}":
            return True
    return False


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def strip_mention(text: str, username: str) -> str:
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


# ----------------------------------------------------------------------------- buttons
async def on_ref_tap(update: Update, context: Context) -> None:
    """A suggestion / related / topic question button: answer that entry directly."""
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None or query.message is None:
        return
    svc = services(context)
    lang = await user_lang(update, svc, context)
    ref = kb.decode_ref(query.data or "", qa_state(context).refs)
    if ref is None:
        await query.answer(t("button.expired", lang), show_alert=True)
        return
    verdict = qa_state(context).limiter.check(user.id)
    if not verdict.allowed:
        await query.answer(
            t("ratelimit.reply", lang, seconds=verdict.retry_after_whole_s), show_alert=True
        )
        return
    await query.answer()
    chat_id = query.message.chat.id
    answer = await asyncio.to_thread(svc.answers.answer_ref, ref, lang=lang)
    question_id = await svc.questions.log(
        user_id=user.id,
        chat_id=chat_id,
        message_id=None,
        text=answer.question,
        answer=answer,
        source="suggestion",
    )
    await _deliver(context, chat_id, answer, question_id, render_answer(answer), None)


async def on_feedback(update: Update, context: Context) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None:
        return
    svc = services(context)
    lang = await user_lang(update, svc, context)
    parsed = kb.parse_feedback(query.data or "")
    if parsed is None:
        await query.answer(t("button.expired", lang))
        return
    question_id, positive = parsed
    if not await svc.questions.set_feedback(question_id, user.id, 1 if positive else -1):
        await query.answer(t("feedback.not_yours", lang))
        return
    await query.answer(t("feedback.thanks", lang))
    if query.message is not None and isinstance(query.message, Message):
        # a double tap finds the row already gone: the feedback is recorded either way
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(kb.without_feedback(query.message.reply_markup))
        if not positive:
            markup = InlineKeyboardMarkup([kb.contact_row(lang)])
            await reply_plain(context, query.message.chat.id, t("feedback.sorry", lang), markup)


async def on_unknown_button(update: Update, context: Context) -> None:
    """Buttons of features not (yet) registered, or from an old keyboard: stop the spinner."""
    query = update.callback_query
    if query is None:
        return
    lang = await user_lang(update, services(context))
    await query.answer(t("button.unavailable", lang))


# ----------------------------------------------------------------------------- odd input
async def on_media(update: Update, context: Context) -> None:
    await _short_reply(update, context, "input.media")


async def on_edited(update: Update, context: Context) -> None:
    await _short_reply(update, context, "input.edited")


async def on_unknown_command(update: Update, context: Context) -> None:
    await _short_reply(update, context, "input.unknown_command")


async def _short_reply(update: Update, context: Context, key: str) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await user_lang(update, services(context))
    await reply_plain(context, message.chat_id, t(key, lang))


# ----------------------------------------------------------------------------- wiring
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
NEW = filters.UpdateType.MESSAGE
MEDIA = (
    filters.Sticker.ALL
    | filters.PHOTO
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
    | filters.ANIMATION
    | filters.Document.ALL
    | filters.LOCATION
    | filters.CONTACT
)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Registered after every other feature: these are the catch-alls of group 0."""
    app.add_handler(CommandHandler("ask", on_ask_command))
    app.add_handler(CallbackQueryHandler(on_ref_tap, pattern=r"^q:"))
    app.add_handler(CallbackQueryHandler(on_feedback, pattern=r"^fb:"))
    app.add_handler(
        MessageHandler(PRIVATE & NEW & filters.TEXT & ~filters.COMMAND, on_private_text)
    )
    app.add_handler(MessageHandler(GROUPS & NEW & filters.TEXT & ~filters.COMMAND, on_group_text))
    app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, on_edited))
    app.add_handler(MessageHandler(PRIVATE & NEW & filters.COMMAND, on_unknown_command))
    app.add_handler(MessageHandler(PRIVATE & NEW & MEDIA, on_media))
    app.add_handler(CallbackQueryHandler(on_unknown_button))
