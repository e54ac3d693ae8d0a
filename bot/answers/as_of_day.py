"""A value read from the knowledge base as it stands on a day, kept until either changes.

The service reads a few things from the whole knowledge base (its places and levels, the
names its documents coin, the amending decisions in force, a question it answers) and
keeps each until the index moves to a new generation or the day turns, when documents may
come into or go out of force. One holder for all of them, so that none keeps a value past
the generation or the day it was read for.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from index.snapshot import Snapshot

_T = TypeVar("_T")


class AsOfDay(Generic[_T]):
    """`read(snapshot, day)`'s value, read again when the snapshot's generation or the day
    differs from the last read. Two threads may both read after a change: the reads are pure, and the
    last one kept is as good as the first."""

    def __init__(self, read: Callable[[Snapshot, date], _T]) -> None:
        self._read = read
        self._kept: tuple[tuple[int, date], _T] | None = None

    def get(self, snap: Snapshot, day: date) -> _T:
        kept = self._kept
        if kept is None or kept[0] != (snap.generation, day):
            kept = ((snap.generation, day), self._read(snap, day))
            self._kept = kept
        return kept[1]
