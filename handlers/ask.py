"""Q&A: a private text (or a group mention / /ask) is a question, answered in one of three bands.

Retrieval runs off the event loop inside the answer service, and the per-user update
processor keeps one user's messages in order while other users are served concurrently,
so this handler only orchestrates: rate limit → typing → answer → log → render → send.
The answer comes through the conversation service, which reads a follow-up ("那反担保呢？")
in the context of the chat's last answered question (and remembers this one).
The log comes before the send: a re-delivered update is found in the log and dropped, so
nobody is answered (or counted) twice. A user over the rate limit is told so once a
window; the rest of their flood is dropped without a reply (and without a database call).
A 👎 asks why (four reasons; "其他" takes the next message as a note): ask.mmd.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.answers import MAX_QUESTION_CHARS, Answer, is_cut, prepare_question
from bot.feedback import MAX_NOTE_CHARS, OTHER
from bot.services import Services
from bot.texts import Lang, t
from handlers import access
from handlers import keyboards as kb
from handlers.answer_view import admit_tap, render_answer, send_tapped
from handlers.context import AnyApp, Ctx, chat_of, lang_for, message_of, query_of, services, user_of
from handlers.render import edit, send, stale_button, tell, text

log = logging.getLogger("finbot.ask")

TYPING_AFTER_S = 0.4


# ----------------------------------------------------------------------------- questions
async def answer_question(update: Update, context: Ctx, question: str) -> None:
    """Answer, log, then send (a re-delivered update is answered once)."""
    lang = await _admitted(update, context, question)
    if lang is None:
        return
    svc, message = services(context), message_of(update)
    asking = svc.conversation.answer(message.chat_id, user_of(update).id, question, lang=lang)
    answer = await _answer_with_typing(context, message.chat_id, asking)
    question_id = await svc.questions.log(
        user_id=user_of(update).id, chat_id=message.chat_id, message_id=message.message_id,
        text=question, answer=answer, source="telegram",
    )  # fmt: skip
    if question_id is None:
        log.info(
            "update for message %s was already answered; not answering twice", message.message_id
        )
        return
    html = render_answer(answer)
    if is_cut(question):
        html += "\n\n" + text("long.notice", lang, limit=MAX_QUESTION_CHARS)
    reply_to = message.message_id if message.chat.type != ChatType.PRIVATE else None
    await send(
        context.bot,
        message.chat_id,
        html,
        kb.keyboard_for(answer, question_id, svc.refs),
        reply_to=reply_to,
    )


async def _admitted(update: Update, context: Ctx, question: str) -> Lang | None:
    """The asker's language when the question is to be answered, else None (told why).

    An empty question is not counted against the limit. A user over the limit is told
    once a window; the rest of their flood is dropped before any database call.
    """
    verdict = (
        services(context).limiter.check(user_of(update).id) if prepare_question(question) else None
    )
    if verdict is not None and verdict.allowed:
        return await lang_for(update, context)
    if verdict is not None and not verdict.tell:
        return None
    lang = await lang_for(update, context)
    key = "input.empty" if verdict is None else "ratelimit.reply"
    wait = verdict.retry_after_whole_s if verdict else 0
    await send(context.bot, chat_of(update).id, text(key, lang, seconds=wait))
    return None


async def _answer_with_typing(
    context: Ctx, chat_id: int, pending: Coroutine[Any, Any, Answer]
) -> Answer:
    """Show "typing" only when the answer is slow.

    Every request with a chat id counts against Telegram's ~30 requests/s budget (and
    AIORateLimiter's), so an unconditional chat action would halve the questions per
    second the bot can answer; most answers arrive well before a user would notice.
    """
    task = asyncio.ensure_future(pending)
    done, _ = await asyncio.wait({task}, timeout=TYPING_AFTER_S)
    if not done:
        with contextlib.suppress(TelegramError):  # cosmetic; the answer still goes out
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    return await task


async def on_private_text(update: Update, context: Ctx) -> None:
    await answer_question(update, context, message_of(update).text or "")


async def on_group_text(update: Update, context: Ctx) -> None:
    """Groups: only a mention of the bot or a reply to one of its messages is a question."""
    message = message_of(update)
    username = context.bot.username or ""
    if _mentions(message, username) or _replies_to_bot(message, context.bot.id):
        await answer_question(update, context, strip_mention(message.text or "", username))


async def on_ask_command(update: Update, context: Ctx) -> None:
    """/ask <question>: the way to ask in a group without a mention (privacy mode)."""
    question = " ".join(context.args or [])
    if question.strip():
        await answer_question(update, context, question)
        return
    lang = await lang_for(update, context)
    example = await asyncio.to_thread(services(context).answers.example_hint, lang)
    await tell(update, context, "group.ask_usage", example=example)


def _mentions(message: Message, username: str) -> bool:
    if not username:
        return False
    mentions = message.parse_entities([MessageEntityType.MENTION]).values()
    return any(value.lower() == f"@{username.lower()}" for value in mentions)


def _replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return replied is not None and replied.from_user is not None and replied.from_user.id == bot_id


def strip_mention(question: str, username: str) -> str:
    if not username:
        return question
    return re.sub(rf"@{re.escape(username)}\b", " ", question, flags=re.IGNORECASE).strip()


# ----------------------------------------------------------------------------- buttons
async def on_ref_tap(update: Update, context: Ctx) -> None:
    """A suggestion / related / topic question button: answer that entry directly."""
    svc, (_, data) = services(context), query_of(update)
    ref = kb.decode_ref(data, svc.refs)
    lang = await admit_tap(update, context, ref is not None, "button.expired")
    if ref is None or lang is None:
        return
    answer = await asyncio.to_thread(svc.answers.answer_ref, ref, lang=lang)
    await send_tapped(update, context, answer)


async def on_feedback(update: Update, context: Ctx) -> None:
    """👍/👎 on an answer: only the asker's counts; a 👎 asks why and offers an officer."""
    svc, (query, data) = services(context), query_of(update)
    lang = await lang_for(update, context)
    parsed = kb.parse_feedback(data)
    if parsed is None or not await svc.feedback.rate(
        parsed[0], user_of(update).id, helpful=parsed[1]
    ):
        await query.answer(t("button.expired" if parsed is None else "feedback.not_yours", lang))
        return
    await query.answer(t("feedback.thanks", lang))
    if isinstance(query.message, Message):
        # a double tap finds the row already gone: the feedback is recorded either way
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(kb.without_feedback(query.message.reply_markup))
    if not parsed[1]:
        why = kb.reason_keyboard(lang, parsed[0])
        await send(context.bot, chat_of(update).id, text("feedback.why", lang), why)


async def on_reason(update: Update, context: Ctx) -> None:
    """A 👎's reason: stored with the question; "其他" asks for a sentence (in private)."""
    svc, (query, data) = services(context), query_of(update)
    lang, parsed = await lang_for(update, context), kb.parse_reason(data)
    private = chat_of(update).type == ChatType.PRIVATE
    if parsed is None or not await svc.feedback.give_reason(
        parsed[0], user_of(update).id, chat_of(update).id, parsed[1], ask_note=private
    ):
        await query.answer(t("button.expired" if parsed is None else "feedback.not_yours", lang))
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    if parsed[1] == OTHER and private:
        await edit(query.message, text("feedback.ask_note", lang, limit=MAX_NOTE_CHARS))
        return
    noted = text("feedback.reason_noted", lang, reason=t(f"feedback.reason.{parsed[1]}", lang))
    await edit(query.message, noted, InlineKeyboardMarkup([kb.contact_row(lang)]))


async def on_note(update: Update, context: Ctx) -> None:
    """The sentence after "其他" (never logged: it may hold anything)."""
    svc, lang = services(context), await lang_for(update, context)
    await svc.feedback.add_note(user_of(update).id, message_of(update).text or "")
    officer = InlineKeyboardMarkup([kb.contact_row(lang)])
    await tell(update, context, "feedback.note_saved", officer)


async def on_note_cancel(update: Update, context: Ctx) -> None:
    """/cancel instead of the sentence: the reason "其他" stays, without words."""
    await services(context).feedback.skip_note(user_of(update).id)
    await tell(update, context, "feedback.note_skipped")


async def on_unknown_button(update: Update, context: Ctx) -> None:
    """Buttons of features not (yet) registered, or from an old keyboard: stop the spinner."""
    await stale_button(update, context)


# ----------------------------------------------------------------------------- odd input
def _short_reply(key: str) -> Any:
    async def reply(update: Update, context: Ctx) -> None:
        await tell(update, context, key)

    reply.__name__ = f"on_{key.replace('.', '_')}"
    return reply


on_media = _short_reply("input.media")
on_edited = _short_reply("input.edited")
on_unknown_command = _short_reply("input.unknown_command")


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


def _awaits_note(svc: Services, user_id: int) -> bool:
    """In a private chat the user id is the chat id."""
    return svc.feedback.awaits_note(user_id, user_id)


def register(app: AnyApp) -> None:
    """Registered after every other feature: these are the catch-alls of group 0."""
    app.add_handler(CommandHandler("ask", on_ask_command))
    app.add_handler(CallbackQueryHandler(on_ref_tap, pattern=r"^q:"))
    app.add_handler(CallbackQueryHandler(on_feedback, pattern=r"^fb:"))
    app.add_handler(CallbackQueryHandler(on_reason, pattern=r"^fbr:"))
    noting = access.user_test(app, _awaits_note, "AwaitsNote")
    app.add_handler(CommandHandler("cancel", on_note_cancel, filters=PRIVATE & noting))
    app.add_handler(
        MessageHandler(PRIVATE & NEW & filters.TEXT & ~filters.COMMAND & noting, on_note)
    )
    app.add_handler(
        MessageHandler(PRIVATE & NEW & filters.TEXT & ~filters.COMMAND, on_private_text)
    )
    app.add_handler(MessageHandler(GROUPS & NEW & filters.TEXT & ~filters.COMMAND, on_group_text))
    app.add_handler(MessageHandler(PRIVATE & filters.UpdateType.EDITED_MESSAGE, on_edited))
    app.add_handler(MessageHandler(PRIVATE & NEW & filters.COMMAND, on_unknown_command))
    app.add_handler(MessageHandler(PRIVATE & NEW & MEDIA, on_media))
    app.add_handler(CallbackQueryHandler(on_unknown_button))
