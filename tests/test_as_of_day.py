"""`AsOfDay`: a value read from the knowledge base is kept for one generation and one day."""

from __future__ import annotations

from datetime import date
from typing import cast

from bot.answers.as_of_day import AsOfDay
from index.snapshot import Snapshot


class _Snap:
    def __init__(self, generation: int) -> None:
        self.generation = generation


def _snap(generation: int) -> Snapshot:
    return cast(Snapshot, _Snap(generation))


def test_a_value_is_read_once_per_generation_and_day() -> None:
    reads: list[tuple[int, date]] = []

    def read(snap: Snapshot, day: date) -> str:
        reads.append((snap.generation, day))
        return f"g{snap.generation} {day.isoformat()}"

    kept = AsOfDay(read)
    monday, tuesday = date(2034, 3, 13), date(2034, 3, 14)
    assert kept.get(_snap(1), monday) == "g1 2034-03-13"
    assert kept.get(_snap(1), monday) == "g1 2034-03-13"  # kept
    assert kept.get(_snap(2), monday) == "g2 2034-03-13"  # a document was added
    assert kept.get(_snap(2), tuesday) == "g2 2034-03-14"  # a measure may come into force
    assert reads == [(1, monday), (2, monday), (2, tuesday)]


def test_the_value_is_read_from_the_snapshot_of_the_call() -> None:
    """A new generation's value comes from that generation's snapshot, never the first one's."""
    kept = AsOfDay(lambda snap, _day: snap.generation * 10)
    day = date(2034, 3, 15)
    assert [kept.get(_snap(g), day) for g in (3, 4, 4, 5)] == [30, 40, 40, 50]
