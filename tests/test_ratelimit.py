"""The per-user sliding window, driven by a hand-moved clock."""

from __future__ import annotations

import pytest

from bot.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limit_per_user_and_retry_hint() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 60, now=clock)
    assert [limiter.check(1).allowed for _ in range(3)] == [True, True, True]
    clock.now += 10
    refused = limiter.check(1)
    assert not refused.allowed and refused.retry_after_s == pytest.approx(50)
    assert refused.retry_after_whole_s == 50
    assert limiter.check(2).allowed  # another user is not affected
    assert limiter.used(1) == 3  # refused questions do not count


def test_window_slides_rather_than_resetting() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 60, now=clock)
    limiter.check(1)
    clock.now += 30
    limiter.check(1)
    clock.now += 30.5  # the first event left the window, the second has not
    assert limiter.check(1).allowed
    assert not limiter.check(1).allowed
    clock.now += 29.5
    assert limiter.check(1).allowed


def test_idle_users_are_forgotten_when_the_table_is_full() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60, now=clock, max_keys=2)
    limiter.check(1)
    limiter.check(2)
    clock.now += 61
    limiter.check(3)
    assert limiter.used(1) == 0 and len(limiter._events) == 1


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError):
        RateLimiter(0)
