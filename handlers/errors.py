"""The global error handler: log with context, apologise to the user, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.texts import Lang
from handlers.context import Ctx, client_lang, lang_for, services
from handlers.render import send, text

log = logging.getLogger("finbot.errors")


async def on_error(update: object, context: Ctx) -> None:
    err = context.error
    if isinstance(err, Forbidden):
        await _blocked(update, context, err)
        return
    if isinstance(err, (NetworkError, TimedOut, RetryAfter)):
        log.warning("telegram network problem: %s", err)
        return
    log.error("unhandled error for update %s", _describe(update), exc_info=err)
    if (
        isinstance(update, Update)
        and update.effective_chat
        and update.effective_chat.type == "private"
    ):
        try:
            await send(
                context.bot,
                update.effective_chat.id,
                text("error.apology", await _lang(update, context)),
            )
        except Exception:  # the apology is best effort; the error is already logged
            log.warning("could not send the apology", exc_info=True)


async def _blocked(update: object, context: Ctx, err: Forbidden) -> None:
    """A private chat refusing our messages: the user blocked the bot; remember it."""
    log.info("user blocked the bot: %s", err)
    chat = update.effective_chat if isinstance(update, Update) else None
    if chat is not None and chat.type == "private":
        await services(context).users.mark_blocked(chat.id)


async def _lang(update: Update, context: Ctx) -> Lang:
    try:
        return await lang_for(update, context)
    except Exception:  # the database may be what failed
        return client_lang(update)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        return f"#{update.update_id} chat={update.effective_chat.id if update.effective_chat else None}"
    return repr(update)[:200]
