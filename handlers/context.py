"""The handlers' one way into the application: the services, the user's language, the update.

This is the only module that touches `bot_data`. Handlers get the services with
`services(context)`, the language of whoever sent the update with `lang_for`, and the
parts of an update they were registered for with `user_of` / `chat_of` / `message_of` /
`query_of`: those raise `UpdateShapeError` (logged by the error handler) when a part a
handler's registration promised is missing, which is the one guard style of the layer.
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update, User
from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.services import Services
from bot.texts import Lang
from bot.users import lang_from_client

log = logging.getLogger("finbot.handlers")

SERVICES_KEY = "services"
OWNED_KEY = "owns_services"
SETTINGS_KEY = "settings"

Ctx = CallbackContext[Any, Any, Any, Any]
AnyApp = Application[Any, Any, Any, Any, Any, Any]


class UpdateShapeError(RuntimeError):
    """An update without a part its handler's registration guarantees."""


def attach(app: AnyApp, services: Services, *, owned: bool) -> None:
    """Make the services available to the handlers; `owned`: close them at shutdown."""
    app.bot_data[SERVICES_KEY] = services
    app.bot_data[OWNED_KEY] = owned


def keep_settings(app: AnyApp, settings: Settings) -> None:
    """The settings to build the services from at start-up (when none were passed in)."""
    app.bot_data[SETTINGS_KEY] = settings


def settings_of(app: AnyApp) -> Settings:
    settings = app.bot_data.get(SETTINGS_KEY)
    if not isinstance(settings, Settings):
        raise RuntimeError("the application was built without settings")
    return settings


def services_of(app: AnyApp) -> Services | None:
    svc = app.bot_data.get(SERVICES_KEY)
    return svc if isinstance(svc, Services) else None


def owns_services(app: AnyApp) -> bool:
    return bool(app.bot_data.get(OWNED_KEY, True))


def services(context: Ctx) -> Services:
    svc = services_of(context.application)
    if svc is None:
        raise RuntimeError("services are not attached to the application")
    return svc


async def lang_for(update: object, context: Ctx) -> Lang:
    """The language of whoever sent the update: their choice (/lang), else their client's."""
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        return "zh"
    return await services(context).users.lang_for(
        user.id, user.full_name, user.username, user.language_code
    )


def client_lang(update: object) -> Lang:
    """The sender's client language, for when nothing else can be asked (the error handler)."""
    user = update.effective_user if isinstance(update, Update) else None
    return lang_from_client(user.language_code if user else None)


async def lang_of(context: Ctx, user_id: int, default: str = "zh") -> Lang:
    """Someone else's language now (the entrepreneur of a case), `default` if unknown."""
    return await services(context).users.language(
        user_id, default="en" if default == "en" else "zh"
    )


def user_of(update: Update) -> User:
    if update.effective_user is None:
        raise UpdateShapeError(f"update {update.update_id} has no user")
    return update.effective_user


def chat_of(update: Update) -> Chat:
    if update.effective_chat is None:
        raise UpdateShapeError(f"update {update.update_id} has no chat")
    return update.effective_chat


def message_of(update: Update) -> Message:
    if update.effective_message is None:
        raise UpdateShapeError(f"update {update.update_id} has no message")
    return update.effective_message


def query_of(update: Update) -> tuple[CallbackQuery, str]:
    """The tapped button and its data."""
    query = update.callback_query
    if query is None or query.data is None:
        raise UpdateShapeError(f"update {update.update_id} has no button data")
    return query, query.data
