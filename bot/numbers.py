"""Numbers in policy text, as values: the check behind "an FAQ answer never invents a number".

An answer may write a figure differently from the article it cites (500万元 / 5,000,000元 /
五百万元, 50% / 百分之五十, full-width ５０％), so both sides are reduced to values before
they are compared: digits after NFKC, thousands separators dropped, 万/亿/千 multiplied
out, percentages kept apart from plain numbers (50% is not 50 元). Chinese numerals count in
an answer only where they are clearly a quantity (before a unit such as 元/年/户/倍, after
第 or 百分之), so 一般 or 统一 are not read as 1; in the article every run counts, which can
only make the check more lenient, never stricter.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_UNITS, *_CN_BIG])
_MULTIPLIERS = {
    "千万": 10**7, "百万": 10**6, "万亿": 10**12, "万": 10**4, "亿": 10**8, "千": 10**3,
}  # fmt: skip

_PERCENT_WORDS = re.compile(rf"百分之([\d.]+|[{_CN_CHARS}]+)")
_ARABIC = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(千万|百万|万亿|万|亿|千)?\s*(%)?")
_CHINESE = re.compile(rf"[{_CN_CHARS}]+")
# what may follow a Chinese numeral in an answer for it to count as a quantity
_UNITS = frozenset("元年个月日天户倍家项次名人岁条周期成批笔轮类款章节届位所只份张层%")

PERCENT = "%"
PLAIN = ""


@dataclass(frozen=True)
class Number:
    """A figure as written (`text`) and as a value; `kind` tells percentages apart."""

    text: str
    value: Decimal
    kind: str = PLAIN

    @property
    def key(self) -> tuple[str, Decimal]:
        return (self.kind, self.value)


def chinese_to_int(text: str) -> int | None:
    """一百二十 → 120, 八万 → 80000, 二〇二四 → 2024; None when there is no digit to read."""
    if not any(ch in _CN_DIGITS or ch == "十" for ch in text):
        return None
    total = section = number = 0
    digit_run = False
    last = 0
    for ch in text:
        if ch in _CN_DIGITS:
            number = number * 10 + _CN_DIGITS[ch] if digit_run else _CN_DIGITS[ch]
            last, digit_run = _CN_DIGITS[ch], True
            continue
        if digit_run and number != last:  # 统一八万: a unit counts the digit before it only
            number = last
        if ch in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[ch]
            number, digit_run = 0, False
        else:  # 万 / 亿 close a group: 一亿二千万 = (1)亿 + (2000)万
            section += number
            if ch == "亿":
                total = (total + section) * _CN_BIG[ch]
            else:
                total += section * _CN_BIG[ch]
            section = number = 0
            digit_run = False
    return total + section + number


def numbers_in(text: str, *, strict_chinese: bool = False) -> list[Number]:
    """Every figure in `text`. `strict_chinese`: Chinese numerals only where they are plainly
    a quantity (the answer's side); otherwise every run of them (the article's side)."""
    norm = unicodedata.normalize("NFKC", text)
    found: list[Number] = []
    norm = _PERCENT_WORDS.sub(lambda m: _take_percent(m, found), norm)
    norm = _ARABIC.sub(lambda m: _take_arabic(m, found), norm)
    for m in _CHINESE.finditer(norm):
        if strict_chinese and not _is_quantity(norm, m):
            continue
        value = chinese_to_int(m.group(0))
        if value is not None:
            kind = PERCENT if norm[m.end() : m.end() + 1] == "%" else PLAIN
            found.append(Number(m.group(0), Decimal(value), kind))
    return found


def missing_numbers(answer: str, article: str) -> list[str]:
    """The answer's figures that the article does not state (as written in the answer)."""
    stated = {n.key for n in numbers_in(article)}
    out: list[str] = []
    for n in numbers_in(answer, strict_chinese=True):
        if n.key not in stated and n.text not in out:
            out.append(n.text)
    return out


def _take_percent(m: re.Match[str], found: list[Number]) -> str:
    raw = m.group(1)
    value = _decimal(raw) if raw[0].isdigit() else chinese_to_int(raw)
    if value is not None:
        found.append(Number(m.group(0), Decimal(value), PERCENT))
    return " " * len(m.group(0))  # consumed: not read again as a plain number


def _take_arabic(m: re.Match[str], found: list[Number]) -> str:
    whole, fraction, multiplier, percent = m.groups()
    value = _decimal(whole.replace(",", "") + (fraction or ""))
    if value is not None:
        if multiplier:
            value *= _MULTIPLIERS[multiplier]
        found.append(Number(m.group(0).strip(), value, PERCENT if percent else PLAIN))
    return " " * len(m.group(0))


def _is_quantity(text: str, m: re.Match[str]) -> bool:
    after = text[m.end() : m.end() + 1]
    before = text[max(0, m.start() - 1) : m.start()]
    ends_big = len(m.group(0)) > 1 and m.group(0)[-1] in _CN_BIG  # 八万, 三亿
    return after in _UNITS or before == "第" or ends_big


def _decimal(raw: str) -> Decimal | None:
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None
