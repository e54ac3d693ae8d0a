"""Time as a dependency, so SLA reminders and expiry can be tested with a controllable clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

BUREAU_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start if start.tzinfo else start.replace(tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, when: datetime) -> None:
        self._now = when if when.tzinfo else when.replace(tzinfo=UTC)


def local_today(clock: Clock) -> date:
    """The bureau's calendar day (policy dates are local dates)."""
    return clock.now().astimezone(BUREAU_TZ).date()


def iso_span(first: str, last: str) -> tuple[date, date] | None:
    """Two ISO days (YYYY-MM-DD) as an inclusive span; None for a bad day or a reversed span."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return None
    return (start, end) if start <= end else None
