"""The composition root: settings → services → Telegram application → run.

The only module of `bot/` that knows Telegram: it builds the PTB application with the
configured Bot API URLs (a local fake server in tests), attaches the services and
registers the handlers.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults

from bot.config import Settings
from bot.db.migrate import SchemaOutOfDateError, check_schema
from bot.persistence import DbPersistence
from bot.services import Services, build_services
from handlers.application import register_all
from handlers.context import SERVICES_KEY, attach
from handlers.processor import PerUserUpdateProcessor

log = logging.getLogger("finbot")

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: Settings, services: Services | None = None) -> AnyApp:
    """Services may be passed in (tests) or are built in post_init from the settings."""
    if not settings.telegram_token:
        raise ValueError("FINBOT_TELEGRAM_TOKEN is required to run the Telegram bot")
    app = (
        Application.builder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.telegram_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, disable_notification=False))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor(256))
        .persistence(DbPersistence(settings.db_url))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .connect_timeout(10)
        .read_timeout(15)
        .write_timeout(30)
        .get_updates_read_timeout(30)
        .build()
    )
    app.bot_data["settings"] = settings
    if services is not None:
        attach(app, services)
    register_all(app)
    return app


async def _post_init(app: AnyApp) -> None:
    if SERVICES_KEY not in app.bot_data:
        attach(app, await build_services(app.bot_data["settings"]))
    from handlers.startup import on_startup

    await on_startup(app)


async def _post_shutdown(app: AnyApp) -> None:
    svc = app.bot_data.get(SERVICES_KEY)
    if isinstance(svc, Services) and app.bot_data.get("owns_services", True):
        await svc.close()


def run_telegram(settings: Settings) -> int:
    """Long polling by default; webhook with a secret token when FINBOT_WEBHOOK_URL is set."""
    try:
        check_schema(settings.db_url)
    except SchemaOutOfDateError as exc:
        print(f"finbot: {exc}", file=sys.stderr)
        return 2
    app = build_application(settings)
    if settings.webhook_url:
        secret = settings.effective_webhook_secret
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
            drop_pending_updates=False,
        )
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=20)
    return 0


def main() -> int:  # pragma: no cover - `finbot run` is the entry point
    from bot.config import load_settings

    return run_telegram(load_settings())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
