"""The composition root: settings → services → Telegram application → run.

The only module of `bot/` that knows Telegram: it builds the PTB application with the
configured Bot API URLs (a local fake server in tests), attaches the services and
registers the handlers. There is one start-up path: `run_telegram` (PTB's run_polling /
run_webhook) and `running` (the same steps on the caller's event loop, for the tests and
the load bench) both go through `_post_init` and `_post_shutdown`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, Defaults

from bot.config import Settings
from bot.db.migrate import SchemaOutOfDateError
from bot.services import Services, build_services
from handlers.application import on_startup, on_stop, register_all
from handlers.context import attach, keep_settings, owns_services, services_of, settings_of
from handlers.processor import PerUserUpdateProcessor
from handlers.render import RateLimiter

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
        .rate_limiter(RateLimiter(max_retries=3))
        .concurrent_updates(PerUserUpdateProcessor(256))
        .post_init(_post_init)
        .post_stop(on_stop)
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
            await on_stop(app)
        await app.shutdown()
        await _post_shutdown(app)


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
        services = services_of(app)
        if services is None:
            raise RuntimeError("no services after post_init")
        await asyncio.to_thread(warm_up, services.answers)
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
            # ready (and taking posts) before Telegram is told where to post: registering
            # first left a moment in which its posts met 503 while /healthz still said
            # "starting", and the readiness test saw the registration before "ready"
            await app.start()
            readiness.mark_ready("webhook")
            await app.bot.set_webhook(
                url=settings.webhook_url or "",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
                drop_pending_updates=False,
            )
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
