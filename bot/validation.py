"""Checks for the financing form's answers.

Each check either returns the normalised value or raises `Invalid` carrying a message key
(in `bot.texts`) that tells the entrepreneur exactly what is wrong, so the form can repeat
the same question without losing anything typed so far.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# GB 32100-2015: 31 characters (no I, O, Z, S, V) and fixed weights for the 17 body positions.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

MAX_AMOUNT_YUAN = 10**11  # 1000亿: beyond any district-level financing need
MAX_PURPOSE_CHARS = 500
MAX_TERM_MONTHS = 360

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")
_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_BIG_UNITS = {"万": 10**4, "亿": 10**8}
_AMOUNT_TOKEN = re.compile(r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]")


class Invalid(ValueError):
    """A wrong answer: `key` names the message in `bot.texts` explaining why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def uscc_check_char(body: str) -> str:
    """The 18th character for a 17-character body (raises KeyError on a foreign character)."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    code = re.sub(r"[\s-]", "", raw).upper()
    if len(code) != 18:
        raise Invalid("form.err.uscc_length", length=len(code))
    if any(ch not in USCC_CHARSET for ch in code):
        raise Invalid("form.err.uscc_chars")
    if uscc_check_char(code[:17]) != code[17]:
        raise Invalid("form.err.uscc_checksum")
    return code


def validate_phone(raw: str) -> str:
    """Mainland mobile (11 digits from 13x-19x) or landline with area code; +86 is dropped."""
    phone = re.sub(r"[\s()（）]", "", raw)
    phone = re.sub(r"^(\+?86)(?=1\d{10}$)", "", phone)
    if _MOBILE.fullmatch(phone):
        return phone
    if _LANDLINE.fullmatch(phone):
        return phone
    digits = phone.replace("-", "")
    if digits.isdigit() and digits.startswith("1"):
        raise Invalid("form.err.phone_mobile", length=len(digits))
    if digits.isdigit() and digits.startswith("0"):
        raise Invalid("form.err.phone_landline")
    raise Invalid("form.err.phone")


def parse_amount(raw: str) -> int:
    """Yuan as an int from 500万, 五百万, 5,000,000, 0.5亿, 1.2亿元, 三千万 and the like."""
    text = re.sub(r"[\s,，_]", "", raw).removesuffix("人民币").removeprefix("人民币")
    text = text.removesuffix("元").removesuffix("RMB").removesuffix("rmb")
    if text.startswith(("-", "负", "−")):
        raise Invalid("form.err.amount_negative")
    if not text or not re.fullmatch(
        r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿])+", text
    ):
        raise Invalid("form.err.amount_format")
    value = _amount_value(_AMOUNT_TOKEN.findall(text))
    yuan = int(value.to_integral_value())
    if yuan <= 0:
        raise Invalid("form.err.amount_zero")
    if yuan > MAX_AMOUNT_YUAN:
        raise Invalid("form.err.amount_absurd")
    return yuan


def _amount_value(tokens: list[str]) -> Decimal:
    """Chinese-numeral arithmetic over mixed tokens: sections closed by 万 and 亿."""
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    for tok in tokens:
        if tok in _CN_DIGITS:
            number = Decimal(_CN_DIGITS[tok])
        elif tok in _CN_SMALL_UNITS:
            section += (number if number is not None else Decimal(1)) * _CN_SMALL_UNITS[tok]
            number = None
        elif tok in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[tok]
            amount = section + (number or 0)
            if unit == 10**8:
                total = (total + amount) * unit
            else:
                total += amount * unit
            section, number = Decimal(0), None
        else:
            if number is not None:  # "5 5" style adjacency is not a number
                raise Invalid("form.err.amount_format")
            try:
                number = Decimal(tok)
            except InvalidOperation:
                raise Invalid("form.err.amount_format") from None
    return total + section + (number or 0)


def parse_term_months(raw: str) -> int:
    """Months from "12", "12个月", "3年" or "3 years"."""
    text = raw.strip().lower().replace(" ", "")
    match = re.fullmatch(r"(\d{1,4})(个月|月|months?|m)?", text)
    years = re.fullmatch(r"(\d{1,3})(年|years?|y)", text)
    if match:
        months = int(match.group(1))
    elif years:
        months = int(years.group(1)) * 12
    else:
        raise Invalid("form.err.term_format")
    if not 1 <= months <= MAX_TERM_MONTHS:
        raise Invalid("form.err.term_range", max=MAX_TERM_MONTHS)
    return months


def validate_purpose(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise Invalid("form.err.purpose_empty")
    if len(text) > MAX_PURPOSE_CHARS:
        raise Invalid("form.err.purpose_long", max=MAX_PURPOSE_CHARS, length=len(text))
    return text


def validate_name(raw: str, *, max_chars: int, key: str) -> str:
    """Company or contact name: not empty, not a command, within the column width."""
    text = " ".join(raw.split())
    if len(text) < 2 or len(text) > max_chars or text.startswith("/"):
        raise Invalid(key, max=max_chars)
    return text
