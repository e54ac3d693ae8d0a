"""Plain copies of database rows: what services hand out instead of ORM objects.

A view is a frozen dataclass whose field names are column names, so `view_of` can copy a
row into it; datetimes come out timezone-aware (SQLite hands back naive UTC values).
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import UTC, datetime
from typing import Any, TypeVar

T = TypeVar("T")


def as_utc(when: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone=True columns: they were stored as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def view_of(cls: type[T], row: object, **extra: Any) -> T:
    """`cls` filled from the row's attributes of the same names (`extra` wins)."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name in extra:
            values[f.name] = extra[f.name]
        elif hasattr(row, f.name):
            values[f.name] = _plain(getattr(row, f.name))
        elif f.default is MISSING and f.default_factory is MISSING:
            raise AttributeError(f"{type(row).__name__} has no {f.name!r} for {cls.__name__}")
    return cls(**values)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return as_utc(value)
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value
