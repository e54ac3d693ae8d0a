"""The composition root: settings → services → Telegram application → run.

The only module of `bot/` that knows Telegram: it builds the PTB application with the
configured Bot API URLs (a local fake server in tests), attaches the services and
registers the handlers. There is one start-up path: `run_telegram` (PTB's run_polling /
run_webhook) and `running` (the same steps on the caller's event loop, for the tests and
the load bench) both go through `_post_init` and `_post_shutdown`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults

from bot.config import Settings
from bot.db.migrate import SchemaOutOfDateError, check_schema
from bot.services import Services, build_services
from handlers.application import on_startup, register_all
from handlers.context import attach, keep_settings, owns_services, services_of, settings_of
from handlers.processor import PerUserUpdateProcessor

log = logging.getLogger("finbot")

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def build_application(settings: Settings, services: Services | None = None) -> AnyApp:
    """Services may be passed in (tests, owned by the caller) or are built in post_init."""
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
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .connect_timeout(10)
        .read_timeout(15)
        .write_timeout(30)
        .get_updates_read_timeout(30)
        .build()
    )
    keep_settings(app, settings)
    if services is not None:
        attach(app, services, owned=False)
    register_all(app)
    return app


async def _post_init(app: AnyApp) -> None:
    if services_of(app) is None:
        attach(app, await build_services(settings_of(app)), owned=True)
    await on_startup(app)


async def _post_shutdown(app: AnyApp) -> None:
    svc = services_of(app)
    if svc is not None and owns_services(app):
        await svc.close()


@asynccontextmanager
async def running(
    settings: Settings, services: Services | None = None, *, poll_timeout: int = 1
) -> AsyncIterator[AnyApp]:
    """The bot polling on the current event loop, started and stopped as `run_polling` does."""
    app = build_application(settings, services)
    await app.initialize()
    try:
        await _post_init(app)
        await app.start()
        if app.updater is None:
            raise RuntimeError("the application was built without an updater")
        await app.updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        yield app
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()
        await _post_shutdown(app)


def run_telegram(settings: Settings) -> int:
    """Long polling by default; webhook with a secret token when FINBOT_WEBHOOK_URL is set."""
    try:
        check_schema(settings.db_url)
    except SchemaOutOfDateError as exc:
        print(f"finbot: {exc}", file=sys.stderr)
        return 2
    app = build_application(settings)
    if settings.webhook_url:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=settings.webhook_url,
            secret_token=settings.effective_webhook_secret,
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
