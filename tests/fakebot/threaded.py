"""Run FakeTelegram on its own loop in a background thread.

For tests where the bot owns the main loop (or is a subprocess) and the test is synchronous;
person methods called from other loops are forwarded to this thread's loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

from .server import FakeTelegram

__all__ = ["ThreadedFakeTelegram", "run_in_thread"]

T = TypeVar("T")


class ThreadedFakeTelegram:
    """Handle to a server running in a daemon thread; use as a context manager or call stop()."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fake-telegram", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self.tg.start())
        except BaseException as exc:  # reported to the starting thread
            self._error = exc
            self._started.set()
            return
        self._started.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self.tg.stop())
        self._loop.close()

    def start(self, timeout: float = 10.0) -> ThreadedFakeTelegram:
        """Start the thread and block until the port is bound."""
        self._thread.start()
        if not self._started.wait(timeout):
            raise TimeoutError("fake Telegram did not start")
        if self._error is not None:
            raise RuntimeError("fake Telegram failed to start") from self._error
        return self

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run a coroutine (e.g. ``person.send(...)``) on the server loop from sync code."""
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self) -> None:
        """Stop serving and join the thread."""
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> ThreadedFakeTelegram:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_in_thread(**kwargs: Any) -> ThreadedFakeTelegram:
    """Create and start a FakeTelegram(**kwargs) in a background thread."""
    return ThreadedFakeTelegram(FakeTelegram(**kwargs)).start()
