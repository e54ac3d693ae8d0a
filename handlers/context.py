"""Typed access to the services from a handler's context."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext

from bot.services import Services

SERVICES_KEY = "services"


def attach(application: Application[Any, Any, Any, Any, Any, Any], services: Services) -> None:
    application.bot_data[SERVICES_KEY] = services


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    svc = context.application.bot_data.get(SERVICES_KEY)
    if not isinstance(svc, Services):
        raise RuntimeError("services are not attached to the application")
    return svc
