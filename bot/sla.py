"""The SLA sweep and its working-time arithmetic.

"Two hours" for an unclaimed request means two hours the bureau is open: a request filed
on Friday at 17:00 is overdue on Monday at 10:00, not on Friday at 19:00. Holidays and
调休 working weekends come from the settings, since the State Council publishes them yearly.

`SlaService.sweep` finds what is overdue (unclaimed requests and cases, silent owners) and
hands each reminder to the caller to deliver; everything is derived from the database
(created/claimed/changed/reminded times), so a restart loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import BUREAU_TZ, Clock
from bot.config import Settings
from bot.handoff import HandoffService, HandoffStatus
from bot.requests import RequestService, RequestView
from bot.views import as_utc

__all__ = ["Reminder", "SlaPolicy", "SlaService", "WorkingCalendar", "as_utc"]

_MAX_DAYS_SCAN = 400


@dataclass(frozen=True)
class WorkingCalendar:
    periods: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13, 30), time(18)))
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)
    tz: ZoneInfo = BUREAU_TZ

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkingCalendar:
        return cls(
            periods=parse_periods(settings.work_hours),
            weekdays=parse_weekdays(settings.work_days),
            holidays=parse_dates(settings.holidays),
            extra_workdays=parse_dates(settings.extra_workdays),
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        return day.isoweekday() in self.weekdays and day not in self.holidays

    def day_seconds(self) -> float:
        return sum(_seconds(start, end) for start, end in self.periods)

    def is_open(self, when: datetime) -> bool:
        local = when.astimezone(self.tz)
        if not self.is_working_day(local.date()):
            return False
        return any(start <= local.time() < end for start, end in self.periods)

    def opens_at(self, when: datetime) -> datetime | None:
        """None while the bureau is open, else when it opens next (for the after-hours notice)."""
        return None if self.is_open(when) else self.next_open(when)

    def next_open(self, when: datetime) -> datetime:
        """`when` itself if the bureau is open, else the start of the next working period."""
        for start, _end in self._intervals_from(when):
            return max(start, when)
        raise ValueError("no working time within a year: check FINBOT_WORK_DAYS/HOLIDAYS")

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant after `seconds` of working time counted from `start`."""
        remaining = seconds
        for begin, end in self._intervals_from(start):
            begin = max(begin, start)
            span = (end - begin).total_seconds()
            if remaining <= span:
                return begin + timedelta(seconds=remaining)
            remaining -= span
        raise ValueError("no working time within a year: check FINBOT_WORK_DAYS/HOLIDAYS")

    def between(self, start: datetime, end: datetime) -> float:
        """Working seconds in [start, end)."""
        total = 0.0
        for begin, finish in self._intervals_from(start):
            if begin >= end:
                break
            total += (min(finish, end) - max(begin, start)).total_seconds()
        return max(total, 0.0)

    def _intervals_from(self, when: datetime) -> list[tuple[datetime, datetime]]:
        """Working intervals (aware, bureau time) that end after `when`, in order, lazily bounded."""
        out: list[tuple[datetime, datetime]] = []
        day = when.astimezone(self.tz).date()
        for offset in range(_MAX_DAYS_SCAN):
            current = day + timedelta(days=offset)
            if not self.is_working_day(current):
                continue
            for begin, end in self.periods:
                b = datetime.combine(current, begin, self.tz)
                e = datetime.combine(current, end, self.tz)
                if e > when:
                    out.append((b, e))
            if len(out) > 64:
                break
        return out


def _seconds(start: time, end: time) -> float:
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()


def parse_periods(text: str) -> tuple[tuple[time, time], ...]:
    """ "09:00-12:00,13:30-18:00" → ((09:00, 12:00), (13:30, 18:00))."""
    periods: list[tuple[time, time]] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        start_s, _, end_s = part.partition("-")
        start, end = time.fromisoformat(start_s.strip()), time.fromisoformat(end_s.strip())
        if end <= start:
            raise ValueError(f"working period {part!r} ends before it starts")
        periods.append((start, end))
    if not periods:
        raise ValueError("FINBOT_WORK_HOURS names no working period")
    return tuple(sorted(periods))


def parse_weekdays(text: str) -> frozenset[int]:
    """ "1-5" or "1,2,3,4,5,6" → ISO weekdays."""
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "-" in part:
            lo, hi = (int(x) for x in part.split("-", 1))
            days.update(range(lo, hi + 1))
        else:
            days.add(int(part))
    return frozenset(d for d in days if 1 <= d <= 7)


def parse_dates(text: str) -> frozenset[date]:
    return frozenset(date.fromisoformat(p.strip()) for p in text.split(",") if p.strip())


@dataclass(frozen=True)
class SlaPolicy:
    """When an unclaimed case is re-announced and when a silent owner is reminded."""

    calendar: WorkingCalendar
    unclaimed_seconds: float
    stale_seconds: float

    @classmethod
    def from_settings(cls, settings: Settings) -> SlaPolicy:
        calendar = WorkingCalendar.from_settings(settings)
        return cls(
            calendar=calendar,
            unclaimed_seconds=settings.sla_unclaimed_hours * 3600,
            stale_seconds=settings.sla_stale_days * calendar.day_seconds(),
        )

    def unclaimed_due(
        self, created_at: datetime, reminded_at: datetime | None, now: datetime
    ) -> bool:
        """Overdue since creation, and again each further period since the last reminder."""
        since = reminded_at or created_at
        return self.calendar.add(as_utc(since), self.unclaimed_seconds) <= now

    def stale_due(self, last_change: datetime, reminded_at: datetime | None, now: datetime) -> bool:
        since = (
            max(as_utc(last_change), as_utc(reminded_at)) if reminded_at else as_utc(last_change)
        )
        return self.calendar.add(since, self.stale_seconds) <= now


@dataclass(frozen=True)
class Reminder:
    """One reminder to post in the officers' group (`key`/`params` name the text)."""

    chat_id: int
    key: str
    params: dict[str, object]
    reply_to: int | None = None
    mention: tuple[int, str] | None = None  # (owner id, owner name) of a silent owner


Deliver = Callable[[Reminder], Awaitable[None]]


class SlaService:
    """Reminders for unclaimed requests and cases and for requests left without news."""

    def __init__(
        self,
        requests: RequestService,
        handoffs: HandoffService,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self._requests = requests
        self._handoffs = handoffs
        self._settings = settings
        self._clock = clock
        self.policy = SlaPolicy.from_settings(settings)
        self._lock = asyncio.Lock()

    async def sweep(self, deliver: Deliver) -> int:
        """Deliver every reminder now due, each marked as sent once delivered; how many.

        Runs are serialised so an overlapping run sees the previous run's `reminded_at`
        and does not repeat it.
        """
        chat_id = self._settings.officers_chat_id
        if chat_id is None:
            return 0
        async with self._lock:
            now = self._clock.now()
            sent = 0
            for row in await self._requests.open_requests():
                reminder = self._for_request(row, chat_id, now)
                if reminder is not None:
                    await deliver(reminder)
                    await self._requests.mark_reminded(row.id)
                    sent += 1
            return sent + await self._sweep_handoffs(deliver, now)

    def _for_request(self, row: RequestView, chat_id: int, now: datetime) -> Reminder | None:
        reply_to = row.card_message_id if row.card_chat_id == chat_id else None
        if row.owner_id is None and self.policy.unclaimed_due(row.created_at, row.reminded_at, now):
            hours = f"{self._settings.sla_unclaimed_hours:g}"
            return Reminder(chat_id, "officer.remind_unclaimed", {"ref": row.ref, "hours": hours},
                            reply_to)  # fmt: skip
        last_change = row.status_changed_at or row.created_at
        if row.owner_id is not None and self.policy.stale_due(last_change, row.reminded_at, now):
            days = f"{self._settings.sla_stale_days:g}"
            return Reminder(chat_id, "officer.remind_stale", {"ref": row.ref, "days": days},
                            reply_to, (row.owner_id, row.owner_name or ""))  # fmt: skip
        return None

    async def _sweep_handoffs(self, deliver: Deliver, now: datetime) -> int:
        sent = 0
        hours = f"{self._settings.sla_unclaimed_hours:g}"
        for row in await self._handoffs.live():
            if row.status != HandoffStatus.OPEN or row.card_chat_id is None:
                continue
            if not self.policy.unclaimed_due(row.created_at, row.reminded_at, now):
                continue
            params: dict[str, object] = {"id": row.id, "hours": hours}
            await deliver(
                Reminder(row.card_chat_id, "handoff.remind_unclaimed", params, row.card_message_id)
            )
            await self._handoffs.mark_reminded(row.id)
            sent += 1
        return sent
