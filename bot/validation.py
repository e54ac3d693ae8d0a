"""Checks for the financing form's answers.

Each check either returns the normalised value or raises `Invalid` carrying a message key
(in `bot.texts`) that tells the entrepreneur exactly what is wrong, so the form can repeat
the same question without losing anything typed so far.

Answers are first folded with NFKC, so full-width digits, letters and punctuation typed
with a Chinese input method (１３８１２３４５６７８, ５００万, ９１３５…) read like ASCII.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

# GB 32100-2015: 31 characters (no I, O, Z, S, V) and fixed weights for the 17 body positions.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 (with the codes assigned since): 1st character the registration authority,
# 2nd the kind of organisation that authority registers. Anything else was never issued.
USCC_KINDS: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 中央编办管理的群众团体, 其他
    "2": "19",  # 外交: 外国常驻新闻机构, 其他
    "3": "123459",  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": "19",  # 文化: 外国在华文化中心, 其他
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游: 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻代表机构, 其他
    "7": "129",  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": "19",  # 工会: 基层工会, 其他
    "9": "123",  # 工商 (市场监管): 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": "1239",  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": "1",  # 其他: not divided, always 1
}

MAX_AMOUNT_YUAN = 10**11  # 1000亿: beyond any district-level financing need
MAX_PURPOSE_CHARS = 500
MAX_TERM_MONTHS = 360

_SEPARATORS = "-.\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc"  # hyphens, dashes, dots
_SPACING = re.compile(rf"[\s{re.escape(_SEPARATORS)}]+")  # between groups of digits
_PHONE_LABEL = re.compile(
    r"^(?:手机号码|手机号|手机|电话号码|联系电话|电话|座机|固话|联系方式|telephone|tel|phone|mobile|mob)"
    r"\s*[:.]?\s*",
    re.IGNORECASE,
)
_PHONE_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_PHONE_LIST = re.compile(r"[/、;,]|或|和|\bor\b", re.IGNORECASE)

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "贰": 2,
    "貳": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "叁": 3,
    "參": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "陸": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CN_CHARS = "".join([*_CN_DIGITS, *_CN_SMALL_UNITS, *_CN_BIG_UNITS])
_NUMBER_TOKEN = re.compile(rf"\d+(?:\.\d+)?|[{_CN_CHARS}]", re.ASCII)
_NUMBER = re.compile(rf"(?:\d+(?:\.\d+)?|[{_CN_CHARS}])+", re.ASCII)
# scale words after an Arabic number: 5 million, 1.2bn, 50k, and 500w (w for 万, as typed in
# Chinese chats)
_SCALE_WORDS = {"k": 10**3, "thousand": 10**3, "w": 10**4, "m": 10**6, "mn": 10**6}
_SCALE_WORDS |= {"million": 10**6, "bn": 10**9, "billion": 10**9}


class Invalid(ValueError):
    """A wrong answer: `key` names the message in `bot.texts` explaining why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _fold(raw: str) -> str:
    """NFKC: full-width forms to ASCII (１２ → 12, ： → :, （ → (, 　 → space)."""
    return unicodedata.normalize("NFKC", raw)


# ---------------------------------------------------------------- 统一社会信用代码
def uscc_check_char(body: str) -> str:
    """The 18th character for a 17-character body (raises ValueError on a foreign character)."""
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """18 characters, upper-cased, spaces and dashes dropped; the structure of GB 32100-2015:
    a registration authority and organisation kind that exist (positions 1–2), a numeric
    administrative-division code (3–8) and the check character (18)."""
    code = _SPACING.sub("", _fold(raw)).upper()
    if len(code) != 18:
        raise Invalid("form.err.uscc_length", length=len(code))
    if any(ch not in USCC_CHARSET for ch in code):
        raise Invalid("form.err.uscc_chars")
    if code[1] not in USCC_KINDS.get(code[0], ""):
        raise Invalid("form.err.uscc_kind", prefix=code[:2])
    if not code[2:8].isdigit():
        raise Invalid("form.err.uscc_region")
    if uscc_check_char(code[:17]) != code[17]:
        raise Invalid("form.err.uscc_checksum")
    return code


# ---------------------------------------------------------------- phone
def validate_phone(raw: str) -> str:
    """A mainland mobile as 11 digits, or a landline as `area-number[-extension]`.

    Accepted spellings: any spaces, dashes or dots between digits (139-8765-4321,
    139 8765 4321), a +86 / 0086 / (+86) / 86 prefix, an area code in brackets
    ((0571) 87654321), with or without its separator (057187654321), an international
    landline (+86 571 87654321), an extension (转 8001, ext 8001, -8001) and a label in
    front (手机：…). Error messages count the digits of the number itself.
    """
    text = _PHONE_LABEL.sub("", _fold(raw).strip()).rstrip("。.!;")
    if len([p for p in _PHONE_LIST.split(text) if sum(ch.isdigit() for ch in p) >= 7]) > 1:
        raise Invalid("form.err.phone_one")
    extension = ""
    if found := _PHONE_EXTENSION.search(text):
        extension, text = found.group(1), text[: found.start()]
    text = re.sub(r"[()\[\]]", " ", text).strip()
    international = False
    if prefix := re.match(r"(?:\+|00)\s*", text):
        international, text = True, text[prefix.end() :]
        if not text.startswith("86"):
            raise Invalid("form.err.phone_foreign")
        text = text[2:].lstrip(" " + _SEPARATORS)
    groups = [g for g in _SPACING.split(text) if g]
    if not groups or not all(g.isascii() and g.isdigit() for g in groups):
        raise Invalid("form.err.phone")
    digits = "".join(groups)
    if re.fullmatch(r"861[3-9]\d{9}", digits):  # 86 written without the +
        digits = digits[2:]
    if re.fullmatch(r"01[3-9]\d{9}", digits):  # a mobile dialled with a trunk 0
        digits = digits[1:]
    if international and (digits[0] != "0" and not re.match(r"1[3-9]", digits)):
        digits, groups = "0" + digits, ["0" + groups[0], *groups[1:]]  # +86 571 …, +86 10 …
    if digits.startswith("1"):
        if extension:
            raise Invalid("form.err.phone")
        if len(digits) != 11:
            raise Invalid("form.err.phone_mobile", length=len(digits))
        if digits[1] not in "3456789":
            raise Invalid("form.err.phone_mobile_prefix")
        return digits
    if digits.startswith("0"):
        return _landline(digits, groups, extension)
    if len(digits) in (7, 8):
        raise Invalid("form.err.phone_area_code")
    raise Invalid("form.err.phone")


def _landline(digits: str, groups: list[str], extension: str) -> str:
    """Area code by the national plan: 010 and 02x have three digits, every other four.
    The number has 7 or 8 digits; a last group beyond that is an extension (0571-87654321-8001)."""
    area_len = 3 if digits[1] in "12" else 4
    area, number = digits[:area_len], digits[area_len:]
    if len(number) > 8 and not extension and len(groups) > 1:
        # the groups after the area code: the number ends where it reaches 7 or 8 digits
        last = groups[-1]
        if 7 <= len(number) - len(last) <= 8 and len(last) <= 6:
            number, extension = number[: -len(last)], last
    if not 7 <= len(number) <= 8:
        raise Invalid("form.err.phone_landline", length=len(digits))
    return f"{area}-{number}" + (f"-{extension}" if extension else "")


# ---------------------------------------------------------------- amount
def parse_amount(raw: str) -> int:
    """Yuan as an int from 500万, 五百万, 伍佰万元整, 5,000,000, 0.5亿, 1.2亿元, 一万三,
    ¥5,000,000.00, 5 million, 500w and the like (see `parse_chinese_number`)."""
    text = re.sub(r"[\s_]", "", _fold(raw)).lower()
    text = _strip_currency(text)
    if text.startswith(("-", "负", "−")):
        raise Invalid("form.err.amount_negative")
    if "," in text:
        if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:[^\d,.].*)?", text):
            raise Invalid("form.err.amount_format")
        text = text.replace(",", "")
    scale = 1
    if word := re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]+)", text):
        if word.group(2) not in _SCALE_WORDS:
            raise Invalid("form.err.amount_format")
        text, scale = word.group(1), _SCALE_WORDS[word.group(2)]
    if not text or not _NUMBER.fullmatch(text):
        raise Invalid("form.err.amount_format")
    yuan = int((parse_chinese_number(text) * scale).to_integral_value())
    if yuan <= 0:
        raise Invalid("form.err.amount_zero")
    if yuan > MAX_AMOUNT_YUAN:
        raise Invalid("form.err.amount_absurd")
    return yuan


def _strip_currency(text: str) -> str:
    """人民币 / RMB / CNY / ¥ around the number, then 整 (or 正), then 元 (or 圆, 圓, 块, yuan)."""
    for mark in ("人民币", "rmb", "cny", "¥", "yuan"):
        text = text.removeprefix(mark).removesuffix(mark)
    text = text.removesuffix("整").removesuffix("正")
    for unit in ("元", "圆", "圓", "块", "yuan"):
        text = text.removesuffix(unit)
    return text


def parse_chinese_number(text: str) -> Decimal:
    """A number in Chinese numerals, financial capitals, Arabic digits or a mix of them.

    Units must descend (五百五百万 is refused), digits may not stand side by side (五五万,
    五〇〇万) and a 零 marks a skipped position (一百零五 = 105, 五百万零三 = 5,000,003).
    A digit after the last unit names the next lower position, as a Chinese reader takes
    it: 二十五 = 25, 三百五 = 350, 一万三 = 13,000, 一亿二 = 1.2亿, 十三万五 = 135,000,
    1万5 = 15,000. That reading is refused when the number before the unit does not end in
    a ones digit (五百万三, 十万五): 五百万三 is 500万 + 3千 = 5,003,000 by the unit but
    530万 by the position, and a financing amount is asked about, not guessed.
    """
    high = Decimal(0)  # closed at 亿
    wan = Decimal(0)  # closed at 万 (below 亿)
    section = Decimal(0)  # below 万
    number: Decimal | None = None  # a digit or Arabic number waiting for a unit
    literal = False  # a 零 since the last unit: the next digit is not an elided position
    last_unit = 0  # the last unit seen, and what it multiplied
    last_multiplier = Decimal(0)
    small_limit = 10**4  # small units descend within a section
    seen_yi = seen_wan = False
    filled = False  # the number after the last unit fills all its positions: nothing follows
    for tok in _NUMBER_TOKEN.findall(text):
        if filled:
            raise Invalid("form.err.amount_format")
        if tok in ("零", "〇"):
            if number is not None:  # 五〇〇: digits side by side
                raise Invalid("form.err.amount_format")
            literal = True
        elif tok in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[tok]
            if unit >= small_limit:
                raise Invalid("form.err.amount_format")
            multiplier = Decimal(1) if number is None else number  # 十万, 百万
            section += multiplier * unit
            small_limit, last_unit, last_multiplier = unit, unit, multiplier
            number, literal = None, False
        elif tok in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[tok]
            if (unit == 10**8 and seen_yi) or (unit == 10**4 and seen_wan):
                raise Invalid("form.err.amount_format")
            multiplier = section + (number or 0)
            if unit == 10**8:
                multiplier += wan  # 一万亿 = 10^12
            if multiplier == 0:  # 万 alone
                raise Invalid("form.err.amount_format")
            if unit == 10**8:
                high, wan, seen_yi, seen_wan = multiplier * unit, Decimal(0), True, False
            else:
                wan, seen_wan = multiplier * unit, True
            section, number, literal = Decimal(0), None, False
            small_limit, last_unit, last_multiplier = 10**4, unit, multiplier
        else:  # a digit or an Arabic number
            if number is not None:
                raise Invalid("form.err.amount_format")
            number = Decimal(_CN_DIGITS[tok]) if tok in _CN_DIGITS else Decimal(tok)
            if literal or not last_unit:
                continue
            if len(tok) == 1:  # 一万三, 1万5: the elided next position
                continue
            if not tok.isdigit() or len(tok) != len(str(last_unit)) - 1:
                raise Invalid("form.err.amount_format")  # 1万0.5, 3万20, 1亿5000
            filled = True  # 3万2000, 3千500: every position below the unit, written out
    before = high + wan + section
    if number is None:
        return before
    if last_unit and not literal and not filled:
        return before + _elided(number, last_unit, last_multiplier, before)
    return before + number


def _elided(digit: Decimal, unit: int, multiplier: Decimal, before: Decimal) -> Decimal:
    """一万三: a digit after 万 counts 千. Refused when the multiplier of the unit does not
    end in a ones digit, where the position reading differs (五百万三: 十万, not 千)."""
    if digit == 0:
        return Decimal(0)
    if multiplier != multiplier.to_integral_value():
        raise Invalid("form.err.amount_format")  # 1.5万3
    if multiplier % 10 == 0:
        value, place = int(multiplier), 1
        while value % 10 == 0:
            value, place = value // 10, place * 10
        by_unit = before + digit * unit // 10
        by_position = before + digit * unit * place // 10
        raise Invalid("form.err.amount_ambiguous", one=f"{by_unit:,.0f}", two=f"{by_position:,.0f}")
    return digit * unit // 10


# ---------------------------------------------------------------- term
_TERM_MONTHS = re.compile(r"(?P<n>[^年]+?)(?:个月|個月|月|months?|mos?|m)")
_TERM_YEARS = re.compile(r"(?P<n>[^年]+?)(?P<half>年半|年|years?|yrs?|y)(?P<rest>.*)")


def parse_term_months(raw: str) -> int:
    """Months from "12", "12个月", "3年", "1.5年", "一年半", "半年", "1年6个月", "3年期",
    "18 months" or "1.5 years". A term must come out in whole months."""
    text = re.sub(r"\s", "", _fold(raw)).lower().removesuffix("期")
    months = _term_value(text)
    if months != months.to_integral_value():
        raise Invalid("form.err.term_whole", months=f"{months:.1f}")
    if not 1 <= months <= MAX_TERM_MONTHS:
        raise Invalid("form.err.term_range", max=MAX_TERM_MONTHS)
    return int(months)


def _term_value(text: str) -> Decimal:
    if text == "半年":
        return Decimal(6)
    if found := _TERM_YEARS.fullmatch(text):
        months = _term_number(found.group("n")) * 12
        if found.group("half") == "年半":
            months += 6
        rest = found.group("rest").removeprefix("零").removeprefix("又")
        if rest == "半":
            return months + 6
        if rest:
            more = _TERM_MONTHS.fullmatch(rest) or re.fullmatch(r"(?P<n>\d{1,2})", rest)
            if not more:
                raise Invalid("form.err.term_format")
            months += _term_number(more.group("n"))
        return months
    if found := _TERM_MONTHS.fullmatch(text):
        return _term_number(found.group("n"))
    return _term_number(text)


def _term_number(text: str) -> Decimal:
    if not text or not _NUMBER.fullmatch(text) or any(u in text for u in _CN_BIG_UNITS):
        raise Invalid("form.err.term_format")
    try:
        return parse_chinese_number(text)
    except Invalid:
        raise Invalid("form.err.term_format") from None


# ---------------------------------------------------------------- text answers
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
