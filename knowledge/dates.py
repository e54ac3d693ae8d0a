"""Dates as Chinese policy documents write them.

Headers mix `2021年3月1日`, `2021-03-01`, `2021.3.1`, `2021/3/1`, full-width digits and
official-style Chinese numerals (`二〇二一年三月一日`); all of them must land on the
same `date` or status resolution silently goes wrong.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_DIGITS: Final = {
    "〇": 0, "○": 0, "零": 0, "O": 0, "Ｏ": 0,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_NUM: Final = "〇○零OＯ一二三四五六七八九十两"
_CN_DATE = re.compile(
    rf"([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月\s*([{_CN_NUM}]{{1,3}})\s*[日号]"
)
_NUM_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"
    r"|([-./])\s*(\d{1,2})\s*\4\s*(\d{1,2}))(?!\d)"
)
_FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９", "0123456789")


def find_date(text: str) -> date | None:
    """The first valid date anywhere in `text`, or None."""
    found = find_dates(text)
    return found[0] if found else None


def find_dates(text: str) -> list[date]:
    """All valid dates in `text`, in order of appearance (for ranges like A至B)."""
    text = text.translate(_FULLWIDTH_DIGITS)
    hits: list[tuple[int, date]] = []
    for match in _NUM_DATE.finditer(text):
        year = int(match.group(1))
        month = match.group(2) or match.group(5)
        day = match.group(3) or match.group(6)
        parsed = _make_date(year, int(month), int(day))
        if parsed:
            hits.append((match.start(), parsed))
    for match in _CN_DATE.finditer(text):
        year = int("".join(str(_DIGITS[c]) for c in match.group(1) if c in _DIGITS))
        parsed = _make_date(year, cn_small_number(match.group(2)), cn_small_number(match.group(3)))
        if parsed:
            hits.append((match.start(), parsed))
    return [d for _, d in sorted(hits, key=lambda hit: hit[0])]


def cn_small_number(text: str) -> int:
    """十 → 10, 十一 → 11, 二十 → 20, 三十一 → 31, 二 → 2 (numbers below 100)."""
    if "十" not in text:
        return int("".join(str(_DIGITS.get(c, 0)) for c in text) or "0")
    tens, _, units = text.partition("十")
    return (_DIGITS.get(tens, 0) if tens else 1) * 10 + (_DIGITS.get(units, 0) if units else 0)


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
