"""A spreadsheet cell as Excel shows it, for the .xlsx and .xls readers alike."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_PERCENT_DECIMALS = re.compile(r"0\.(0+)%")


def trimmed(grid: list[list[str]]) -> list[list[str]]:
    """The grid without its empty rows and its empty columns on the right."""
    width = max((i + 1 for row in grid for i, v in enumerate(row) if v), default=0)
    return [row[:width] for row in grid if any(row)]


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell as Excel shows it: percentages, whole numbers and dates in their own form,
    text with its line breaks joined by a space."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, int | float):
        return _number_text(float(value), number_format or "General")
    return " ".join(line.strip() for line in str(value).splitlines() if line.strip())


def _number_text(value: float, number_format: str) -> str:
    if "%" in number_format:
        match = _PERCENT_DECIMALS.search(number_format)
        decimals = len(match.group(1)) if match else 0
        return f"{value * 100:.{decimals}f}%"
    if value.is_integer():
        return str(int(value))
    return f"{value:.10g}"
