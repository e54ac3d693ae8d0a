"""Per-user sliding-window limit on questions, so one user cannot starve the encoder.

No Telegram here: the handler asks `check(user_id)` and, when the user must wait, tells
them so once a window: `Verdict.tell` is true for the first refusal only, and further
refusals within `window_s` of it are dropped without a reply. (Replying to every refused message let a flooder
spend the bot's whole sending budget: 480 replies in 11 s, other users waiting seconds.)
A sliding window (not a fixed minute bucket) stops a burst at a minute's edge from getting
twice the allowance.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after_s: float = 0.0  # how long until one more question fits (0 when allowed)
    tell: bool = False  # refused, and the user was not told so within the last window

    @property
    def retry_after_whole_s(self) -> int:
        """Rounded up so the user is never told to retry a moment too early."""
        return max(1, math.ceil(self.retry_after_s))


class RateLimiter:
    """At most `limit` events per `window_s` per key; thread-unsafe (one event loop)."""

    def __init__(
        self,
        limit: int,
        window_s: float = 60.0,
        *,
        now: Callable[[], float] = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.window_s = window_s
        self._now = now
        self._max_keys = max_keys
        self._events: dict[int, deque[float]] = {}
        self._told_until: dict[int, float] = {}  # key → when they may be told again

    def check(self, key: int) -> Verdict:
        """Record one event for `key` if it fits in the window; refused events are not counted."""
        now = self._now()
        events = self._events.get(key)
        if events is None:
            self._forget_idle(now)
            events = self._events.setdefault(key, deque())
        self._expire(events, now)
        if len(events) >= self.limit:
            tell = self._told_until.get(key, -math.inf) <= now
            if tell:
                self._told_until[key] = now + self.window_s
            return Verdict(False, events[0] + self.window_s - now, tell)
        events.append(now)
        return Verdict(True)

    def used(self, key: int) -> int:
        """Events of `key` still inside the window."""
        events = self._events.get(key)
        if events is None:
            return 0
        self._expire(events, self._now())
        return len(events)

    def _expire(self, events: deque[float], now: float) -> None:
        while events and events[0] <= now - self.window_s:
            events.popleft()

    def _forget_idle(self, now: float) -> None:
        """Bound memory: drop users with no event in the window once the table is full."""
        if len(self._events) < self._max_keys:
            return
        idle = [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window_s]
        for k in idle:
            del self._events[k]
            self._told_until.pop(k, None)
