"""Form answer checks: each wrong answer is rejected with its own message key."""

from __future__ import annotations

import pytest

from bot.logs import RedactingFormatter
from bot.pii import mask_phone, mask_pii, mask_uscc
from bot.texts import TEXTS
from bot.validation import (
    Invalid,
    parse_amount,
    parse_term_months,
    uscc_check_char,
    validate_name,
    validate_phone,
    validate_purpose,
    validate_uscc,
)

VALID_USCC = "91350100M000100Y43"


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("500万", 5_000_000),
        ("五百万", 5_000_000),
        ("5,000,000", 5_000_000),
        ("0.5亿", 50_000_000),
        ("500万元", 5_000_000),
        ("1.2亿元", 120_000_000),
        ("三千万", 30_000_000),
        ("一亿二千万", 120_000_000),
        ("两千五百万", 25_000_000),
        ("十万", 100_000),
        ("5千万", 50_000_000),
        ("800 万", 8_000_000),
        ("1200000元", 1_200_000),
    ],
)
def test_amounts_are_read_in_yuan(text: str, yuan: int) -> None:
    assert parse_amount(text) == yuan


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("0", "form.err.amount_zero"),
        ("零", "form.err.amount_zero"),
        ("-500万", "form.err.amount_negative"),
        ("abc", "form.err.amount_format"),
        ("", "form.err.amount_format"),
        ("10000000000000", "form.err.amount_absurd"),
        ("2000亿", "form.err.amount_absurd"),
        ("5.5.5", "form.err.amount_format"),
    ],
)
def test_bad_amounts_say_why(text: str, key: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_amount(text)
    assert err.value.key == key


def test_uscc_check_digit_follows_gb_32100() -> None:
    assert uscc_check_char(VALID_USCC[:17]) == "3"
    assert validate_uscc(" 91350100m000100y43 ") == VALID_USCC


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (VALID_USCC[:-1] + "4", "form.err.uscc_checksum"),
        (VALID_USCC[:-1], "form.err.uscc_length"),
        ("91350100M000100I43", "form.err.uscc_chars"),
    ],
)
def test_bad_uscc_says_why(text: str, key: str) -> None:
    with pytest.raises(Invalid) as err:
        validate_uscc(text)
    assert err.value.key == key


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0571-87654321", "0571-87654321"),
        ("01087654321", "01087654321"),
    ],
)
def test_phones_accepted(text: str, phone: str) -> None:
    assert validate_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1381234567890", "form.err.phone_mobile"),
        ("12812345678", "form.err.phone_mobile"),
        ("0571-123", "form.err.phone_landline"),
        ("电话", "form.err.phone"),
    ],
)
def test_bad_phones_say_why(text: str, key: str) -> None:
    with pytest.raises(Invalid) as err:
        validate_phone(text)
    assert err.value.key == key


def test_thirteen_digit_phone_names_the_length() -> None:
    with pytest.raises(Invalid) as err:
        validate_phone("1381234567890")
    assert err.value.params == {"length": 13}


def test_terms_and_purpose_and_names() -> None:
    assert [parse_term_months(x) for x in ("12", "12个月", "3年", "360")] == [12, 12, 36, 360]
    for bad, key in (
        ("0", "form.err.term_range"),
        ("361", "form.err.term_range"),
        ("一年", "form.err.term_format"),
    ):
        with pytest.raises(Invalid) as err:
            parse_term_months(bad)
        assert err.value.key == key
    assert validate_purpose("  周转  ") == "周转"
    with pytest.raises(Invalid) as err:
        validate_purpose("x" * 501)
    assert err.value.key == "form.err.purpose_long"
    with pytest.raises(Invalid):
        validate_name("/start", max_chars=200, key="form.err.company")


def test_every_error_key_has_both_languages() -> None:
    keys = [k for k in TEXTS if k.startswith("form.err.")]
    assert len(keys) >= 15 and all(set(TEXTS[k]) == {"zh", "en"} for k in keys)


def test_pii_is_masked_in_log_lines() -> None:
    assert mask_phone("13812345678") == "138****5678"
    assert mask_uscc(VALID_USCC) == "9135************43"
    line = f"user typed {VALID_USCC} and 13812345678 / 0571-87654321"
    masked = mask_pii(line)
    assert VALID_USCC not in masked and "13812345678" not in masked and "87654321" not in masked
    import logging

    record = logging.LogRecord("x", logging.INFO, __file__, 1, "phone %s", ("13812345678",), None)
    assert RedactingFormatter("%(message)s", []).format(record) == "phone 138****5678"
