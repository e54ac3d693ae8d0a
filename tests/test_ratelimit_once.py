"""A user over the limit is told once a window; the rest of a flood is dropped silently."""

from __future__ import annotations

from bot.ratelimit import RateLimiter
from tests.test_ratelimit import Clock


def test_the_first_refusal_tells_the_rest_do_not() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 60, now=clock)
    assert [limiter.check(1).allowed for _ in range(2)] == [True, True]
    first, second, third = (limiter.check(1) for _ in range(3))
    assert not first.allowed and first.tell
    assert not second.allowed and not second.tell and not third.tell
    assert limiter.check(2).allowed  # another user is not affected


def test_told_again_once_a_window_has_passed() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60, now=clock)
    limiter.check(1)
    assert limiter.check(1).tell
    clock.now += 30
    assert not limiter.check(1).tell
    clock.now += 30  # the slot is free again, and a window has passed since they were told
    assert limiter.check(1).allowed
    assert limiter.check(1).tell
    clock.now += 1
    assert not limiter.check(1).tell
