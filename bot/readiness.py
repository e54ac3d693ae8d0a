"""Ready before it listens: the bot takes updates only once it can answer at full speed.

Start-up loads the index, the encoders, the scope examples' vectors and the homophone
vocabulary, then answers one probe question, so the first real question waits for nothing.
Only then does the bot start polling, or, in webhook mode, register its webhook and accept
POSTs. It prints one line on stdout when it is ready and how long that took.

In webhook mode one HTTP server on FINBOT_WEBHOOK_PORT serves both the webhook path and a
health endpoint (`/healthz`): 503 while starting, 200 once ready. A webhook POST that arrives
before then gets 503 and is retried by Telegram.

Nothing here knows Telegram: `bot/main.py` passes in what turns a POST into an update.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger("finbot.readiness")

HEALTH_PATH = "/healthz"


def process_age() -> float:
    """Seconds since this process started (from /proc; else since this module was loaded)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        return max(0.0, uptime - started)
    except (OSError, ValueError, IndexError):
        return time.monotonic() - _LOADED


_LOADED = time.monotonic()


class Readiness:
    """Set once, when the bot can answer at full speed; read by the health endpoint."""

    def __init__(self, out: Any = None) -> None:
        self._out = out
        self.ready_after: float | None = None

    @property
    def ready(self) -> bool:
        return self.ready_after is not None

    def mark_ready(self, mode: str) -> float:
        self.ready_after = process_age()
        out = self._out or sys.stdout
        print(f"finbot: ready in {self.ready_after:.1f} s ({mode})", file=out, flush=True)
        return self.ready_after


def warm_up(answers: Any) -> None:
    """Blocking (run it in a worker thread): everything the first question would wait for —
    the scope examples' vectors, the homophone vocabulary and pinyin, both encoders' first call.

    The vocabulary (Python, jieba) and the examples' vectors (the encoders' C code, which
    releases the GIL) are built side by side on the 2 cores."""
    from concurrent.futures import ThreadPoolExecutor

    from index.spelling import load_pinyin

    started = time.perf_counter()
    snap = answers.store.snapshot().by_entries()  # as the answer service reads it
    with ThreadPoolExecutor(2, thread_name_prefix="warm-up") as pool:
        jobs = [pool.submit(answers.spelling.for_snapshot, snap)]
        if answers.scope_model is not None:
            jobs.append(pool.submit(answers.scope_model.nearest_for, snap))
        jobs.append(pool.submit(load_pinyin))  # on whichever worker is free first
        for job in jobs:
            job.result()
    answers.warm_up()  # whatever else the answer service prepares (cheap once the above ran)
    answers.example()  # the welcome's example question: answers one or more questions
    log.info("warmed up in %.1f s", time.perf_counter() - started)


OnUpdate = Callable[[dict[str, Any]], Awaitable[None]]


class WebhookServer:
    """The webhook path and the health endpoint on one port (tornado, as PTB's own server)."""

    def __init__(
        self,
        readiness: Readiness,
        on_update: OnUpdate,
        *,
        path: str,
        secret: str,
    ) -> None:
        self.readiness = readiness
        self.on_update = on_update
        self.path = "/" + path.strip("/")
        self.secret = secret
        self._server: Any = None

    def listen(self, port: int, address: str) -> None:
        from tornado.httpserver import HTTPServer
        from tornado.web import Application

        health, webhook = _handler_classes()
        app = Application(
            [(HEALTH_PATH, health, {"owner": self}), (self.path, webhook, {"owner": self})]
        )
        self._server = HTTPServer(app, xheaders=True)
        self._server.listen(port, address)
        log.info("listening on %s:%d (%s answers 503 until ready)", address, port, HEALTH_PATH)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None


def _handlers() -> tuple[type, type]:
    from tornado.web import RequestHandler

    class Health(RequestHandler):
        def initialize(self, owner: WebhookServer) -> None:
            self.owner = owner

        def get(self) -> None:
            r = self.owner.readiness
            self.set_header("Content-Type", "application/json")
            if not r.ready:
                self.set_status(503)
                self.finish(json.dumps({"status": "starting"}))
                return
            self.finish(json.dumps({"status": "ready", "ready_after_s": r.ready_after}))

    class Webhook(RequestHandler):
        def initialize(self, owner: WebhookServer) -> None:
            self.owner = owner

        async def post(self) -> None:
            owner = self.owner
            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given.encode(), owner.secret.encode()):
                self.set_status(403)
                self.finish()
                return
            if not owner.readiness.ready:
                self.set_status(503)  # Telegram delivers it again later
                self.finish()
                return
            try:
                data = json.loads(self.request.body or b"{}")
                if not isinstance(data, dict):
                    raise ValueError("not an object")
            except ValueError:
                self.set_status(400)
                self.finish()
                return
            await owner.on_update(data)
            self.set_status(200)
            self.finish()

        def log_exception(self, *args: Any) -> None:  # never echo a request (it holds the secret)
            log.warning("webhook request failed", exc_info=args if len(args) == 3 else None)

    return Health, Webhook


def _handler_classes() -> tuple[type, type]:
    """Built on first use: tornado is imported only in webhook mode."""
    global _HANDLERS
    if _HANDLERS is None:
        _HANDLERS = _handlers()
    return _HANDLERS


_HANDLERS: tuple[type, type] | None = None


async def wait_for_signal() -> None:
    """Until SIGINT or SIGTERM."""
    import signal

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
