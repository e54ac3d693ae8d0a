"""Masking of phone numbers and 统一社会信用代码 before they reach a log line.

Logs are read by more people than the officers' group, so contact data must not appear in
them; `bot.logs` masks whatever slips through on every log line.

What is masked, in any spelling a person types:

* mainland mobiles: 11 digits from 13x–19x, contiguous or grouped (139-8765-4321,
  139 8765 4321, 139.8765.4321, 1398765 4321 …), with or without +86 / 0086 / 86 / (+86)
  or a trunk 0 in front; the first three and last four digits are kept;
* landlines with an area code (0571-87654321, (0571) 8765 4321, 010-8765-4321,
  +86 10 8765 4321, 057187654321), optionally with an extension (-8001, 转8001, ext 8001);
  the area code and the last four digits are kept;
* credit codes and identity-card numbers: an 18-character letters-and-digits token in any
  case, valid or not (or a 17/19-character one with letters, i.e. a mistyped code), also
  when typed in groups (9135 0100 M000 100Y 43); the first four and last two characters
  are kept.

What is left alone: dates (2024-05-20, 2024.05.20, 20240520), times, amounts (5,000,000,
500万, 10000000000000), 文号 (〔2024〕7号), request references (RZ-20240520-0001), Telegram
ids (up to 10 digits, chat ids like -1001234567890) and timestamps. A landline written
without its area code (87654321) cannot be told from an amount or an id and is not masked;
neither is an 11-digit number starting 13–19 told from a mobile, whatever it means.
"""

from __future__ import annotations

import re
from itertools import product

_SPACE = "[ \t\u00a0]"
_DASH = "[-.\u2010-\u2015\u2212]"  # hyphen, dot, Unicode hyphens and dashes, minus
# one separator between digit groups: a dash or dot (spaces around it allowed) or one space
_SEP = f"(?:{_SPACE}?{_DASH}{_SPACE}?|{_SPACE})"
# a number is whole: no digit (or digit and dash/dot) right before or after it, so the
# digits of a date, a reference or a longer number are never taken for a phone
_START = r"(?<!\d)(?<!\d[-.])"
_END = rf"(?!\d)(?!{_DASH}\d)"


def _grouped(total: int, sizes: list[tuple[int, ...]], first: str = "") -> str:
    """Alternatives for `total` digits in the given group sizes, joined by one separator.

    `first` replaces the opening digits' pattern (e.g. `1[3-9]` for a mobile's prefix).
    """
    alternatives = []
    for groups in sizes:
        assert sum(groups) == total
        parts = []
        for i, size in enumerate(groups):
            if i == 0 and first:
                rest = size - 2
                parts.append(first + (rf"\d{{{rest}}}" if rest else ""))
            else:
                parts.append(rf"\d{{{size}}}")
        alternatives.append(_SEP.join(parts))
    return "(?:" + "|".join(alternatives) + ")"


def _compositions(total: int, most: int, smallest: int) -> list[tuple[int, ...]]:
    """Every split of `total` digits into at most `most` groups of at least `smallest`."""
    out = []
    for count in range(1, most + 1):
        for sizes in product(range(smallest, total + 1), repeat=count):
            if sum(sizes) == total:
                out.append(sizes)
    return out


# 11 digits, contiguous or in two or three groups of 3+ (3-4-4, 3-8, 7-4, 4-3-4 …), never
# the thousands grouping of an amount (13 800 000 000). A grouped number one digit short or
# long is a mistyped mobile (ids and timestamps are never grouped), so it is masked too.
_MOBILE_BODY = "|".join(
    [r"1[3-9]\d{9}"]
    + [
        _grouped(n, [g for g in _compositions(n, 3, 3) if len(g) > 1], first="1[3-9]")
        for n in (10, 11, 12)
    ]
)
_COUNTRY = (
    rf"(?:\({_SPACE}?(?:\+|00)?86{_SPACE}?\){_SPACE}?"
    rf"|(?:(?:\+|00){_SPACE}?)?86{_SEP}?"
    r"|0(?=1[3-9]))"  # a trunk 0 before a mobile
)
_LOCAL = _grouped(7, [(7,), (3, 4)]) + "|" + _grouped(8, [(8,), (4, 4)])
_AREA = r"(?:10|2\d|[3-9]\d\d)"  # without the leading 0: 3 digits for 010/02x, else 4
_EXTENSION = rf"(?:{_SPACE}?(?:[-#]|转|分机|ext\.?|x){_SPACE}?\d{{1,6}}(?!\d))"
_PHONE = re.compile(
    r"(?=[(+0-9])"  # cheap refusal of every other position: this runs on every log line
    + _START
    + "(?:"
    + rf"(?P<cc>{_COUNTRY})?(?P<mobile>{_MOBILE_BODY})"
    + "|"
    + rf"(?P<area>\({_SPACE}?0{_AREA}{_SPACE}?\){_SPACE}?|0{_AREA}{_SEP}?"
    + rf"|(?:\+|00){_SPACE}?86{_SEP}?(?:\(0\)|0)?{_AREA}{_SEP}?)"
    + rf"(?P<local>{_LOCAL})(?P<ext>{_EXTENSION})?"
    + ")"
    + _END,
    re.IGNORECASE | re.ASCII,
)

# full-width ASCII forms (１３９－８７６５, ＡＢＣ) and the ideographic space, folded one to one
# onto ASCII so the patterns stay ASCII and positions in the folded text are the original's
_FOLD = str.maketrans({chr(0xFF01 + i): chr(0x21 + i) for i in range(94)} | {"\u3000": " "})
_ALNUM = "0-9A-Za-z"
_CODE = re.compile(rf"(?<![{_ALNUM}])[{_ALNUM}]{{17,19}}(?![{_ALNUM}])", re.ASCII)
# a group of a code typed in groups: has a digit, or is one or two letters ("MA")
_CODE_RUN = rf"(?:(?=[A-Za-z]*[0-9])[{_ALNUM}]++|[A-Za-z]{{1,2}}+(?![{_ALNUM}]))"
_CODE_CHAIN = re.compile(
    rf"(?<![{_ALNUM}]){_CODE_RUN}(?:[ \-]{_CODE_RUN})+(?![{_ALNUM}])", re.ASCII
)
_RUN = re.compile(rf"[{_ALNUM}]+")


def mask_phone(phone: str) -> str:
    """First three and last four characters kept: enough for an officer to recognise it."""
    text = phone.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_uscc(code: str) -> str:
    return code[:4] + "*" * max(0, len(code) - 6) + code[-2:] if len(code) > 6 else "*" * len(code)


def mask_pii(text: str) -> str:
    """Every credit-code-shaped and phone-shaped token in free text, masked.

    Only the characters to hide change (to "*"); separators, prefixes and the surrounding
    text stay as they were, so a masked line still reads naturally.
    """
    folded = text if text.isascii() else text.translate(_FOLD)
    hidden: set[int] = set()
    for find in (_code_positions, _code_chain_positions, _phone_positions):
        found = find(folded)
        if found:
            hidden |= found
            folded = "".join("*" if i in found else ch for i, ch in enumerate(folded))
    if not hidden:
        return text
    return "".join("*" if i in hidden else ch for i, ch in enumerate(text))


def _is_code(chars: str) -> bool:
    """An 18-character token opening like a credit code (two digits, or A, N or Y and a
    digit) with digits in it: a credit code or an ID number, valid or not. One a character
    short or long counts if it also has letters and 8 or more digits, as a mistyped code
    does; a file name such as notice2024052012345 opens with a word and is left alone."""
    if not (chars[1].isdigit() and (chars[0].isdigit() or chars[0] in "ANYany")):
        return False
    digits = sum(ch.isdigit() for ch in chars)
    if len(chars) == 18:
        return digits >= 6
    return len(chars) in (17, 19) and 8 <= digits < len(chars)


def _code_positions(text: str) -> set[int]:
    """Whole tokens: the first four and last two characters are kept."""
    out: set[int] = set()
    for m in _CODE.finditer(text):
        if _is_code(m.group(0)):
            out.update(range(m.start() + 4, m.end() - 2))
    return out


def _code_chain_positions(text: str) -> set[int]:
    """A code typed in groups ("9135 0100 M000 100Y 43"). Words end a chain, so
    "user typed 9135 … 43 and" still finds the code; letters-only groups at either end are
    not part of it, so "RZ-20240520-0001 by 12" is none."""
    out: set[int] = set()
    for m in _CODE_CHAIN.finditer(text):
        if m.end() - m.start() < 19:  # 18 characters and a separator at the least
            continue
        runs = list(_RUN.finditer(m.group(0)))
        while runs and runs[0].group(0).isalpha():
            runs.pop(0)
        while runs and runs[-1].group(0).isalpha():
            runs.pop()
        chars = "".join(r.group(0) for r in runs)
        if len(runs) > 1 and len(chars) == 18 and _is_code(chars):
            positions = [m.start() + i for r in runs for i in range(r.start(), r.end())]
            out.update(positions[4:-2])
    return out


def _digit_positions(m: re.Match[str], group: str, keep_first: int, keep_last: int) -> list[int]:
    digits = [m.start(group) + i for i, ch in enumerate(m.group(group)) if ch.isdigit()]
    return digits[keep_first : len(digits) - keep_last]


def _phone_positions(text: str) -> set[int]:
    """A mobile keeps its first three and last four digits; a landline its area code and
    the last four digits of the number; prefixes, separators and extensions stay."""
    out: set[int] = set()
    for m in _PHONE.finditer(text):
        if m.group("mobile"):
            out.update(_digit_positions(m, "mobile", 3, 4))
        else:
            out.update(_digit_positions(m, "local", 0, 4))
    return out
