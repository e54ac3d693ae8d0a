"""The composition root: settings → services → Telegram application → run.

The only module of `bot/` that knows Telegram: it builds the PTB application with the
configured Bot API URLs (a local fake server in tests), attaches the services and
registers the handlers.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, Defaults

from bot.config import Settings
from bot.db.migrate import SchemaOutOfDateError
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
    """Long polling by default; webhook with a secret token when FINBOT_WEBHOOK_URL is set.

    A fresh data dir gets its schema first. Updates are taken only once the bot can answer at
    full speed (bot/readiness.py): polling starts, or the webhook is registered, after the
    warm-up, and stdout says when.
    """
    from bot.db.migrate import ensure_schema
    from bot.readiness import Readiness, WebhookServer, wait_for_signal, warm_up

    try:
        if ensure_schema(settings.db_url):
            print("finbot: created the database schema", file=sys.stderr)
    except SchemaOutOfDateError as exc:
        print(f"finbot: {exc}", file=sys.stderr)
        return 2
    readiness = Readiness()
    app = build_application(settings)
    webhook = bool(settings.webhook_url)
    built_post_init = app.post_init

    async def post_init_then_warm_up(app: AnyApp) -> None:
        if built_post_init is not None:
            await built_post_init(app)
        await asyncio.to_thread(warm_up, app.bot_data[SERVICES_KEY].answers)
        if not webhook:
            readiness.mark_ready("polling")  # run_polling starts polling right after this

    app.post_init = post_init_then_warm_up
    if not webhook:
        app.run_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=20)
        return 0

    async def on_update(data: dict[str, Any]) -> None:
        await app.update_queue.put(Update.de_json(data, app.bot))

    async def serve() -> None:
        secret = settings.effective_webhook_secret
        server = WebhookServer(readiness, on_update, path="telegram", secret=secret)
        server.listen(settings.webhook_port, settings.webhook_listen)
        try:
            await app.initialize()
            if app.post_init is not None:
                await app.post_init(app)
            await app.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
            )
            await app.start()
            readiness.mark_ready("webhook")
            await wait_for_signal()
        finally:
            await server.stop()
            if app.running:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)

    asyncio.run(serve())
    return 0


def main() -> int:  # pragma: no cover - `finbot run` is the entry point
    from bot.config import load_settings

    return run_telegram(load_settings())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
