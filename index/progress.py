"""Progress of an ingest: chunks encoded, rate and time left, for the CLI bar and the upload.

A progress callback is called as `progress(done, total, rate_per_s, eta_s)`: `done` of
`total` chunks encoded so far (vectors found in the cache are not counted: they cost
nothing), the encoding rate in chunks per second and the estimated seconds left (both None
until the first batch is done). It is called from the worker thread that encodes, first
with `done == 0`, last with `done == total`; it must be quick and must not raise.

Callbacks written for the earlier `(done, total)` form are still accepted (`as_progress`).
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from dataclasses import dataclass

ProgressFn = Callable[[int, int, float | None, float | None], None]
LegacyProgressFn = Callable[[int, int], None]
Progress = ProgressFn | LegacyProgressFn


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """One progress report, for callers that prefer an object (`IngestProgress(*args)`)."""

    done: int
    total: int
    rate_per_s: float | None
    eta_s: float | None

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0


def as_progress(fn: Progress | None) -> ProgressFn | None:
    """A 4-argument callback; a legacy `(done, total)` one is wrapped."""
    if fn is None:
        return None
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return fn  # type: ignore[return-value]
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    varargs = any(p.kind is p.VAR_POSITIONAL for p in params)
    if varargs or len(positional) >= 4:
        return fn  # type: ignore[return-value]
    legacy: LegacyProgressFn = fn  # type: ignore[assignment]
    return lambda done, total, _rate, _eta: legacy(done, total)


class RateMeter:
    """Rate over the work done since `start()`, and the time left at that rate."""

    def __init__(self, total: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self._clock = clock
        self._started = clock()

    def report(self, done: int) -> IngestProgress:
        if done <= 0:
            return IngestProgress(0, self.total, None, None)
        elapsed = max(self._clock() - self._started, 1e-6)
        rate = done / elapsed
        return IngestProgress(done, self.total, rate, max(0.0, (self.total - done) / rate))
