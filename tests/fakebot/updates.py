"""Update delivery: a queue for getUpdates long polling, or POSTs to a registered webhook."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from .errors import ApiError, bad_request
from .params import Params
from .world import Signal

__all__ = ["Delivery", "UpdateQueue", "Webhook"]

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_NOT_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class Webhook:
    """A registered webhook (setWebhook parameters that matter for delivery)."""

    url: str
    secret_token: str | None
    max_connections: int = 40


@dataclass(frozen=True)
class Delivery:
    """One webhook POST attempt and its outcome (HTTP status, or 0 when it failed)."""

    update_id: int
    url: str
    status: int
    error: str | None = None


def update_kind(update: dict[str, Any]) -> str:
    """The update type name (``message``, ``callback_query`` ...)."""
    return next(k for k in update if k != "update_id")


class UpdateQueue:
    """Owns update ids, pending updates and the webhook delivery worker."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.allowed: list[str] | None = None
        self.webhook: Webhook | None = None
        self.deliveries: list[Delivery] = []
        self.returned_upto = 0
        self.closing = False
        self.arrived = Signal()
        self._next_id = 1
        self._outbox: asyncio.Queue[dict[str, Any]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._last_error: tuple[int, str] | None = None
        self._delivering = 0

    def put(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Create an update; it goes to the webhook if one is set, otherwise waits for polling."""
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        if self.webhook is not None:
            self._ensure_worker().put_nowait(update)
        else:
            self.pending.append(update)
        self.arrived.fire()
        return update

    def undelivered(self) -> int:
        """Updates the bot has not received yet (for wait_idle)."""
        polled = sum(1 for u in self.pending if u["update_id"] > self.returned_upto)
        queued = self._outbox.qsize() if self._outbox is not None else 0
        return polled + queued + self._delivering

    def _accepts(self, update: dict[str, Any]) -> bool:
        kind = update_kind(update)
        if not self.allowed:
            return kind not in _NOT_DEFAULT
        return kind in self.allowed

    async def get_updates(self, p: Params) -> list[dict[str, Any]]:
        """getUpdates with real long polling: returns as soon as anything is pending."""
        if self.webhook is not None:
            raise ApiError(409, _WEBHOOK_CONFLICT)
        offset = p.integer("offset")
        limit = min(max(p.integer("limit", 100) or 100, 1), 100)
        deadline = time.monotonic() + max(p.number("timeout", 0.0), 0.0)
        if p.has("allowed_updates"):
            allowed = p.json_value("allowed_updates")
            self.allowed = list(allowed) if isinstance(allowed, list) else None
        if offset is not None and offset < 0:
            self.pending = self.pending[offset:]
        elif offset is not None:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        while True:
            self.pending = [u for u in self.pending if self._accepts(u)]
            remaining = deadline - time.monotonic()
            if self.pending or self.closing or remaining <= 0:
                break
            await self.arrived.wait(remaining)
        batch = self.pending[:limit]
        if batch:
            self.returned_upto = max(self.returned_upto, batch[-1]["update_id"])
        return batch

    async def set_webhook(self, p: Params) -> bool:
        """setWebhook: an empty url removes it; pending updates move to the webhook."""
        url = p.string("url") or ""
        if not url:
            return await self.delete_webhook(p)
        if not url.startswith(("http://", "https://")):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.string("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        if p.has("allowed_updates"):
            allowed = p.json_value("allowed_updates")
            self.allowed = list(allowed) if isinstance(allowed, list) else None
        if p.flag("drop_pending_updates"):
            self.pending.clear()
        self.webhook = Webhook(url, secret, p.integer("max_connections", 40) or 40)
        outbox = self._ensure_worker()
        for update in self.pending:
            outbox.put_nowait(update)
        self.pending.clear()
        return True

    async def delete_webhook(self, p: Params) -> bool:
        """deleteWebhook: undelivered webhook updates fall back to getUpdates."""
        self.webhook = None
        if self._outbox is not None:
            while not self._outbox.empty():
                self.pending.append(self._outbox.get_nowait())
        if p.flag("drop_pending_updates"):
            self.pending.clear()
        self.arrived.fire()
        return True

    def webhook_info(self, p: Params) -> dict[str, Any]:
        """getWebhookInfo in the real shape (url is "" when polling)."""
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": self.undelivered(),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook.max_connections
            if self.allowed:
                info["allowed_updates"] = list(self.allowed)
        if self._last_error is not None:
            info["last_error_date"], info["last_error_message"] = self._last_error
        return info

    def _ensure_worker(self) -> asyncio.Queue[dict[str, Any]]:
        if self._outbox is None:
            self._outbox = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._deliver_forever())
        return self._outbox

    async def _deliver_forever(self) -> None:
        assert self._outbox is not None
        while True:
            update = await self._outbox.get()
            if self.webhook is None:
                self.pending.append(update)
                continue
            if not self._accepts(update):
                continue
            self._delivering += 1
            try:
                await self._deliver(update, self.webhook)
            finally:
                self._delivering -= 1

    async def _deliver(self, update: dict[str, Any], hook: Webhook) -> None:
        """POST in order, retrying a few times like Telegram does on failures."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        headers = (
            {"X-Telegram-Bot-Api-Secret-Token": hook.secret_token} if hook.secret_token else {}
        )
        for attempt in range(4):
            try:
                async with self._session.post(hook.url, json=update, headers=headers) as resp:
                    await resp.read()
                    status, error = resp.status, None if resp.status < 300 else resp.reason
            except (aiohttp.ClientError, TimeoutError) as exc:
                status, error = 0, f"{type(exc).__name__}: {exc}"
            self.deliveries.append(Delivery(update["update_id"], hook.url, status, error))
            if error is None:
                self.returned_upto = max(self.returned_upto, update["update_id"])
                return
            self._last_error = (int(time.time()), f"Wrong response from the webhook: {error}")
            await asyncio.sleep(0.05 * 2**attempt)

    async def close(self) -> None:
        """Release long polls and stop the delivery worker."""
        self.closing = True
        self.arrived.fire()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker
        if self._session is not None:
            await self._session.close()
