"""Masking of phone numbers and 统一社会信用代码 before they reach a log line.

Logs are read by more people than the officers' group, so contact data must not appear in
them; `bot.logs` masks whatever slips through on every log line.
"""

from __future__ import annotations

import re

_PHONE = re.compile(
    r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)|(?<!\d)(0\d{2,3}-?)(\d{3,4})(\d{4})(?!\d)"
)
_USCC = re.compile(
    r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{4})[0-9A-HJ-NPQRTUWXY]{12}([0-9A-HJ-NPQRTUWXY]{2})(?![0-9A-Z])"
)


def mask_phone(phone: str) -> str:
    """First three and last four characters kept: enough for an officer to recognise it."""
    text = phone.strip()
    if len(text) <= 7:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def mask_uscc(code: str) -> str:
    return code[:4] + "*" * max(0, len(code) - 6) + code[-2:] if len(code) > 6 else "*" * len(code)


def mask_pii(text: str) -> str:
    """Every USCC-shaped and phone-shaped token in free text, masked."""
    text = _USCC.sub(lambda m: m.group(1) + "*" * 12 + m.group(2), text)
    return _PHONE.sub(_mask_phone_match, text)


def _mask_phone_match(m: re.Match[str]) -> str:
    if m.group(1):
        return f"{m.group(1)}****{m.group(3)}"
    return f"{m.group(4)}{'*' * len(m.group(5))}{m.group(6)}"
