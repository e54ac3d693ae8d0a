"""Working-time arithmetic: lunch breaks, weekends, holidays and 调休 working Saturdays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.clock import BUREAU_TZ
from bot.config import load_settings
from bot.sla import SlaPolicy, WorkingCalendar, parse_periods, parse_weekdays


def local(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=BUREAU_TZ)


CAL = WorkingCalendar(
    holidays=frozenset({date(2026, 10, 1)}), extra_workdays=frozenset({date(2026, 9, 27)})
)  # a 调休 Sunday


def test_two_working_hours_skip_lunch() -> None:
    assert CAL.add(local(2026, 11, 24, 11), 7200) == local(2026, 11, 24, 14, 30)


def test_friday_evening_rolls_to_monday() -> None:
    assert CAL.add(local(2026, 11, 27, 17), 7200) == local(2026, 11, 30, 10)
    assert CAL.add(local(2026, 11, 28, 15), 60) == local(2026, 11, 30, 9, 1)


def test_holidays_and_extra_workdays() -> None:
    assert not CAL.is_open(local(2026, 10, 1, 10))  # National Day, a Thursday
    assert CAL.is_open(local(2026, 9, 27, 10))  # Sunday made a working day
    assert CAL.next_open(local(2026, 9, 30, 19)) == local(2026, 10, 2, 9)


def test_between_counts_only_working_seconds() -> None:
    assert CAL.between(local(2026, 11, 27, 17), local(2026, 11, 30, 11)) == 3 * 3600
    assert CAL.between(local(2026, 11, 24, 12), local(2026, 11, 24, 13, 30)) == 0
    assert CAL.day_seconds() == 7.5 * 3600


def test_next_open_is_now_when_open() -> None:
    now = local(2026, 11, 24, 10, 15)
    assert CAL.next_open(now) == now


def test_settings_are_parsed() -> None:
    settings = load_settings(
        work_hours="08:30-12:00, 14:00-17:30",
        work_days="1-6",
        holidays="2026-01-01",
        extra_workdays="",
    )
    cal = WorkingCalendar.from_settings(settings)
    assert cal.periods == ((time(8, 30), time(12)), (time(14), time(17, 30)))
    assert cal.weekdays == frozenset(range(1, 7)) and cal.holidays == frozenset({date(2026, 1, 1)})
    assert parse_weekdays("1,3,5") == frozenset({1, 3, 5})
    assert parse_periods("09:00-10:00") == ((time(9), time(10)),)


def test_policy_due_times_use_working_time_and_reminders_restart_the_count() -> None:
    policy = SlaPolicy(calendar=CAL, unclaimed_seconds=7200, stale_seconds=2 * CAL.day_seconds())
    created = local(2026, 11, 27, 17).astimezone(UTC)
    assert not policy.unclaimed_due(created, None, local(2026, 11, 30, 9, 59).astimezone(UTC))
    assert policy.unclaimed_due(created, None, local(2026, 11, 30, 10).astimezone(UTC))
    reminded = local(2026, 11, 30, 10).astimezone(UTC)
    assert not policy.unclaimed_due(created, reminded, local(2026, 11, 30, 11).astimezone(UTC))
    naive = created.replace(tzinfo=None)  # SQLite returns naive UTC
    assert policy.unclaimed_due(naive, None, local(2026, 11, 30, 10).astimezone(UTC))
    changed = local(2026, 11, 24, 10).astimezone(UTC)
    assert not policy.stale_due(changed, None, (local(2026, 11, 26, 9, 59)).astimezone(UTC))
    assert policy.stale_due(changed, None, (local(2026, 11, 26, 10)).astimezone(UTC))
    assert policy.stale_due(changed, None, changed + timedelta(days=7))
