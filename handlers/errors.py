"""The global error handler: log with context, apologise to the user, never crash."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import CallbackContext

from bot.texts import Lang

log = logging.getLogger("finbot.errors")

APOLOGY: dict[Lang, str] = {
    "zh": "抱歉，处理您的消息时出了点问题，我们已记录下来。请稍后再试，或输入 /human 联系工作人员。",
    "en": "Sorry, something went wrong while handling your message; it has been logged. Please try again later or type /human to reach an officer.",
}


async def on_error(update: object, context: CallbackContext[Any, Any, Any, Any]) -> None:
    err = context.error
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
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
        code = update.effective_user.language_code if update.effective_user else None
        lang: Lang = "en" if (code or "").startswith("en") else "zh"
        try:
            await context.bot.send_message(update.effective_chat.id, APOLOGY[lang])
        except Exception:  # the apology is best effort; the error is already logged
            log.warning("could not send the apology", exc_info=True)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        return f"#{update.update_id} chat={update.effective_chat.id if update.effective_chat else None}"
    return repr(update)[:200]
