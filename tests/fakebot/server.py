"""FakeTelegram: an aiohttp server speaking the Bot API so the real PTB stack can run offline."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from . import api_bot, api_messages
from .errors import ApiError
from .faults import Fault, Faults
from .params import Params, read_params
from .records import BotMessage, Call, CallbackRecord
from .updates import UpdateQueue
from .world import World

if TYPE_CHECKING:
    from .person import Group, Person

__all__ = ["DEFAULT_TOKEN", "FakeTelegram"]

T = TypeVar("T")
DEFAULT_TOKEN = "123456789:AAFakeTokenForFinbotTests_0123456789"
_TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]+$")
_Handler = Callable[[World, Params], Any]
_AsyncHandler = Callable[[Params], Awaitable[Any]]


class FakeTelegram:
    """Bot API server + world state + fault injection; persons drive it from tests.

    Runs on the loop that calls ``start()``; person methods called from another loop/thread
    are forwarded to it, so one server can serve a bot running in a thread or subprocess.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "finbot_test_bot",
        bot_name: str = "FinBot Test",
        host: str = "127.0.0.1",
        port: int = 0,
        strict_ampersand: bool = True,
    ) -> None:
        match = _TOKEN_RE.match(token)
        if match is None:
            raise ValueError(f"not a bot token: {token!r}")
        self.token = token
        self.host = host
        self.port = port
        self.world = World(
            bot_id=int(match.group(1)),
            bot_username=bot_username,
            bot_name=bot_name,
            strict_ampersand=strict_ampersand,
        )
        self.updates = UpdateQueue()
        self.calls: list[Call] = []
        self.call_times: list[float] = []  # time.monotonic() of each call's arrival (rates)
        self.faults = Faults()
        self.latency: dict[str, float] = {}
        self._handlers: dict[str, _Handler] = {**api_bot.HANDLERS, **api_messages.HANDLERS}
        self._async_handlers: dict[str, _AsyncHandler] = {
            "getupdates": self.updates.get_updates,
            "setwebhook": self.updates.set_webhook,
            "deletewebhook": self.updates.delete_webhook,
        }
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._in_flight = 0
        self._last_activity = time.monotonic()
        self._persons: dict[int, Person] = {}
        self._groups: dict[int, Group] = {}

    # ----------------------------------------------------------------- lifecycle
    @property
    def bot_username(self) -> str:
        """Username persons @mention (as returned by getMe)."""
        return self.world.bot.username or ""

    @property
    def base_url(self) -> str:
        """Pass to ``ApplicationBuilder.base_url``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to ``ApplicationBuilder.base_file_url``."""
        return f"http://{self.host}:{self.port}/file/bot"

    def make_app(self) -> web.Application:
        """The aiohttp application (exposed for embedding in another server)."""
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._download)
        return app

    async def start(self) -> FakeTelegram:
        """Listen on host:port (0 = a free port, then ``self.port`` is the real one)."""
        self._loop = asyncio.get_running_loop()
        self._runner = web.AppRunner(
            self.make_app(), handler_cancellation=True, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        """Release long polls first so shutdown does not wait for their timeout."""
        await self.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def on_loop(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run ``coro`` on the server's loop (directly when already there)."""
        loop = self._loop
        if loop is None or loop is asyncio.get_running_loop():
            return await coro
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))

    # ----------------------------------------------------------------- people
    def user(
        self,
        user_id: int,
        first_name: str = "测试用户",
        username: str | None = None,
        language_code: str | None = "zh-hans",
        *,
        started: bool = False,
    ) -> Person:
        """A person with a private chat; the same id returns the same Person.

        Like real Telegram the bot cannot message someone who never wrote to it (403) until
        they send anything, unless ``started=True`` (e.g. an officer who pressed /start earlier).
        """
        from .person import Person

        if user_id not in self._persons:
            chat = self.world.add_user(user_id, first_name, username, language_code)
            self._persons[user_id] = Person(self, self.world.users[user_id], chat)
        if started:
            self._persons[user_id].chat.started = True
        return self._persons[user_id]

    def group(
        self, chat_id: int, title: str, *, kind: str | None = None, privacy: bool = False
    ) -> Group:
        """A group the bot is in; ``privacy=True`` models Telegram's privacy mode."""
        from .person import Group

        if chat_id not in self._groups:
            if kind is None:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
            chat = self.world.add_group(chat_id, title, kind, privacy)
            self._groups[chat_id] = Group(self, chat)
        return self._groups[chat_id]

    def inject_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Escape hatch: queue any raw update (thread-unsafe; call on the server loop)."""
        return self.updates.put(kind, payload)

    # ----------------------------------------------------------------- faults
    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        count: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``count`` calls of ``method`` ("*" = any) fail with ``status``."""
        self.faults.arm(
            method,
            Fault(
                "error",
                count,
                status=status,
                retry_after=retry_after if status == 429 else None,
                description=description,
            ),
        )

    def drop_next(self, method: str, *, count: int = 1, after_effect: bool = False) -> None:
        """Close the connection without answering; ``after_effect`` applies the call first."""
        self.faults.arm(method, Fault("drop", count, after_effect=after_effect))

    def block_user(self, user_id: int) -> None:
        """The user blocked the bot: sends to them get 403 Forbidden."""
        self.world.blocked.add(user_id)

    def unblock_user(self, user_id: int) -> None:
        """The user unblocked the bot."""
        self.world.blocked.discard(user_id)

    def set_latency(self, seconds: float, method: str = "*") -> None:
        """Delay every call of ``method`` ("*" = all but getUpdates) for load tests."""
        self.latency[method.lower()] = seconds

    # ----------------------------------------------------------------- reading
    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of ``method`` (case-insensitive), in order."""
        return [c.params for c in self.calls if c.method.lower() == method.lower()]

    def chat_messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """Bot messages in a chat, current state, oldest first."""
        chat = self.world.chats.get(chat_id)
        records = list(chat.bot_messages.values()) if chat else []
        return [m for m in records if include_deleted or not m.deleted]

    def callback(self, query_id: str) -> CallbackRecord:
        """The record of one tap (answered? with what text?)."""
        return self.world.callbacks[query_id]

    def unanswered_callbacks(self) -> list[CallbackRecord]:
        """Taps the bot never answered (the spinner a real user would be stuck with)."""
        return [c for c in self.world.callbacks.values() if not c.answered]

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands stored by setMyCommands for that scope/language."""
        key = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return list(self.world.commands.get((key, language_code), []))

    async def wait_answered(self, query_id: str, timeout: float = 5.0) -> CallbackRecord:
        """Wait until the bot answers a tap; TimeoutError if it never does."""

        async def _wait() -> CallbackRecord:
            deadline = time.monotonic() + timeout
            record = self.world.callbacks[query_id]
            while not record.answered:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"callback {query_id} ({record.data!r}) not answered")
                await self.world.changed.wait(remaining)
            return record

        return await self.on_loop(_wait())

    async def wait_idle(self, quiet_ms: int = 150, timeout: float = 10.0) -> None:
        """Wait until every update was taken and no API call happened for ``quiet_ms``."""

        async def _wait() -> None:
            deadline = time.monotonic() + timeout
            quiet = quiet_ms / 1000
            while True:
                now = time.monotonic()
                busy = self.updates.undelivered() or self._in_flight
                idle_for = now - self._last_activity
                if not busy and idle_for >= quiet:
                    return
                if now >= deadline:
                    raise TimeoutError(
                        f"not idle after {timeout}s: {self.updates.undelivered()} undelivered "
                        f"updates, {self._in_flight} calls in flight"
                    )
                await asyncio.sleep(min(max(quiet - idle_for, 0.01), deadline - now))

        await self.on_loop(_wait())

    # ----------------------------------------------------------------- HTTP
    async def _api(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if token != self.token:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.match_info["method"]
        params = await read_params(request)
        self.calls.append(Call(method, params.values))
        self.call_times.append(time.monotonic())
        key = method.lower()
        tracked = key != "getupdates"
        if tracked:
            self._in_flight += 1
        try:
            return await self._respond(request, key, params)
        finally:
            if tracked:
                self._in_flight -= 1
                self._last_activity = time.monotonic()

    async def _respond(self, request: web.Request, key: str, params: Params) -> web.Response:
        delay = self.latency.get(key, self.latency.get("*", 0.0) if key != "getupdates" else 0.0)
        if delay:
            await asyncio.sleep(delay)
        fault = self.faults.take(key)
        if fault is not None and fault.kind == "error":
            error = fault.error()
            return _json(error.payload(), error.status)
        if fault is not None and not fault.after_effect:
            _drop(request)
        try:
            result = await self._dispatch(key, params)
        except ApiError as exc:
            return _json(exc.payload(), exc.status)
        if fault is not None:
            _drop(request)
        if key == "getupdates" and result:
            self._last_activity = time.monotonic()
        return _json({"ok": True, "result": result}, 200)

    async def _dispatch(self, key: str, params: Params) -> Any:
        if key in self._async_handlers:
            return await self._async_handlers[key](params)
        if key == "getwebhookinfo":
            return self.updates.webhook_info(params)
        handler = self._handlers.get(key)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(self.world, params)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        blob = self.world.file_by_path(request.match_info["file_path"])
        if blob is None:
            return _json({"ok": False, "error_code": 404, "description": "Not Found"}, 404)
        return web.Response(body=blob.data, content_type="application/octet-stream")


def _json(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


def _drop(request: web.Request) -> None:
    """Close the socket without a response: the client sees a disconnect (NetworkError)."""
    if request.transport is not None:
        request.transport.close()
    raise asyncio.CancelledError
