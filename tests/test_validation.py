"""Form answer checks: each wrong answer is rejected with its own message key."""

from __future__ import annotations

import pytest

from bot.logs import RedactingFormatter
from bot.pii import mask_phone, mask_pii, mask_uscc
from bot.texts import TEXTS, t
from bot.validation import (
    USCC_CHARSET,
    USCC_KINDS,
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
        ("01087654321", "010-87654321"),
    ],
)
def test_phones_accepted(text: str, phone: str) -> None:
    assert validate_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1381234567890", "form.err.phone_mobile"),
        ("12812345678", "form.err.phone_mobile_prefix"),
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
        ("一年多", "form.err.term_format"),
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


# ---------------------------------------------------------------- issue 14: phones
@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("139-8765-4321", "13987654321"),  # was refused: "应为 11 位数字，您输入了 11 位"
        ("139 8765 4321", "13987654321"),
        ("139.8765.4321", "13987654321"),
        ("139–8765–4321", "13987654321"),  # en dashes from a phone's autocorrect
        ("１３９－８７６５－４３２１", "13987654321"),  # full-width, as a Chinese IME types it
        ("+86 139 8765 4321", "13987654321"),
        ("+86-139-8765-4321", "13987654321"),
        ("+8613987654321", "13987654321"),
        ("0086 139 8765 4321", "13987654321"),
        ("(+86) 139 8765 4321", "13987654321"),
        ("（+86）13987654321", "13987654321"),
        ("86 139 8765 4321", "13987654321"),
        ("013987654321", "13987654321"),  # trunk 0 in front of a mobile
        ("手机：139-8765-4321", "13987654321"),
        ("Tel: 13987654321", "13987654321"),
        ("13987654321。", "13987654321"),
        ("0571 8765 4321", "0571-87654321"),
        ("(0571) 87654321", "0571-87654321"),
        ("（0571）8765-4321", "0571-87654321"),
        ("057187654321", "0571-87654321"),
        ("010-8765-4321", "010-87654321"),
        ("021 6123 4567", "021-61234567"),
        ("0755-1234567", "0755-1234567"),  # a 7-digit number
        ("+86 571 87654321", "0571-87654321"),
        ("+86-10-8765-4321", "010-87654321"),
        ("+86 0571 87654321", "0571-87654321"),
        ("0571-87654321-8001", "0571-87654321-8001"),
        ("0571-87654321转8001", "0571-87654321-8001"),
        ("0571-87654321 ext. 8001", "0571-87654321-8001"),
        ("010 8765 4321 分机 12", "010-87654321-12"),
    ],
)
def test_common_phone_spellings_are_normalised(text: str, phone: str) -> None:
    assert validate_phone(text) == phone


@pytest.mark.parametrize(
    ("text", "key", "params"),
    [
        ("139-8765-432", "form.err.phone_mobile", {"length": 10}),
        ("+86 139 8765 43210", "form.err.phone_mobile", {"length": 12}),  # 86 not counted
        ("1381234567890", "form.err.phone_mobile", {"length": 13}),
        ("128-1234-5678", "form.err.phone_mobile_prefix", {}),
        ("0571-123", "form.err.phone_landline", {"length": 7}),
        ("0571-8765-43210-1234567", "form.err.phone_landline", {"length": 20}),
        ("8765 4321", "form.err.phone_area_code", {}),
        ("13812345678 / 0571-87654321", "form.err.phone_one", {}),
        ("13812345678或13987654321", "form.err.phone_one", {}),
        ("+852 9123 4567", "form.err.phone_foreign", {}),
        ("138abcd5678", "form.err.phone", {}),
        ("13812345678转12", "form.err.phone", {}),
    ],
)
def test_bad_phones_name_the_real_problem(text: str, key: str, params: dict[str, int]) -> None:
    with pytest.raises(Invalid) as err:
        validate_phone(text)
    assert (err.value.key, err.value.params) == (key, params)


@pytest.mark.parametrize("text", ["12812345678", "128-1234-5678", "10812345678"])
def test_an_eleven_digit_mobile_is_never_told_it_is_not_eleven_digits(text: str) -> None:
    with pytest.raises(Invalid) as err:
        validate_phone(text)
    message = t(err.value.key, "zh", **err.value.params)
    assert "您输入了 11 位" not in message and "13 到 19" in message


def test_phone_error_messages_count_the_digits_they_name() -> None:
    for text, shown in (("139-8765-432", "10 位"), ("0571-123", "7 位数字")):
        with pytest.raises(Invalid) as err:
            validate_phone(text)
        assert shown in t(err.value.key, "zh", **err.value.params)
    with pytest.raises(Invalid) as err:
        validate_phone("0571-123")
    assert "you typed 7 digits" in t(err.value.key, "en", **err.value.params)


# ---------------------------------------------------------------- issue 14: amounts
@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("500万元整", 5_000_000),
        ("伍佰万元", 5_000_000),
        ("伍佰万元整", 5_000_000),
        ("人民币伍佰万元整", 5_000_000),
        ("伍佰萬圓整", 5_000_000),
        ("壹仟贰佰万元", 12_000_000),
        ("壹亿贰仟万元", 120_000_000),
        ("贰拾伍万", 250_000),
        ("玖佰玖拾玖万", 9_990_000),
        ("五百万零三", 5_000_003),  # 零 keeps the 3 in the ones place
        ("五百零三万", 5_030_000),
        ("五百三十万", 5_300_000),
        ("五百万三千", 5_003_000),
        ("一万三", 13_000),  # a digit after the last unit is its next lower position
        ("两千五", 2_500),
        ("一亿二", 120_000_000),
        ("十三万五", 135_000),
        ("一百零五万", 1_050_000),
        ("1万5", 15_000),
        ("3万2000", 32_000),
        ("1千5百万", 15_000_000),
        ("¥5,000,000.00", 5_000_000),
        ("RMB 5,000,000", 5_000_000),
        ("５００万", 5_000_000),
        ("5 million", 5_000_000),
        ("500w", 5_000_000),
        ("百万", 1_000_000),
    ],
)
def test_capitals_elisions_and_currency_words_are_read(text: str, yuan: int) -> None:
    assert parse_amount(text) == yuan


@pytest.mark.parametrize(
    ("text", "one", "two"),
    [
        ("五百万三", "5,003,000", "5,300,000"),  # was taken as 5,000,003
        ("500万3", "5,003,000", "5,300,000"),
        ("十万五", "105,000", "150,000"),
        ("二十万五", "205,000", "250,000"),
    ],
)
def test_an_elision_after_a_round_multiplier_is_asked_about(text: str, one: str, two: str) -> None:
    """五百万三: 3 in the next unit's place (千) or the next digit's place (十万)? A reader
    cannot tell, and a financing amount is not guessed: both readings are offered."""
    with pytest.raises(Invalid) as err:
        parse_amount(text)
    assert (err.value.key, err.value.params) == (
        "form.err.amount_ambiguous",
        {"one": one, "two": two},
    )
    message = t(err.value.key, "zh", **err.value.params)
    assert one in message and two in message


@pytest.mark.parametrize(
    "text",
    ["五五万", "五〇〇万", "五百五百万", "万万", "万", "1亿5000", "1万50", "5,5", "1.5万3", "500x"],
)
def test_malformed_numerals_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(Invalid) as err:
        parse_amount(text)
    assert err.value.key == "form.err.amount_format"


# ---------------------------------------------------------------- issue 14: terms
@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("1.5年", 18),
        ("1.5 years", 18),
        ("0.5年", 6),
        ("1.25年", 15),
        ("一年", 12),
        ("两年", 24),
        ("一年半", 18),
        ("1年半", 18),
        ("半年", 6),
        ("1年6个月", 18),
        ("1年零6个月", 18),
        ("1 year 6 months", 18),
        ("十八个月", 18),
        ("三十六个月", 36),
        ("18 months", 18),
        ("3年期", 36),
        ("１２", 12),
    ],
)
def test_terms_in_years_fractions_and_numerals(text: str, months: int) -> None:
    assert parse_term_months(text) == months


def test_a_term_that_is_not_whole_months_says_so() -> None:
    with pytest.raises(Invalid) as err:
        parse_term_months("1.3年")
    assert (err.value.key, err.value.params) == ("form.err.term_whole", {"months": "15.6"})
    assert "15.6" in t(err.value.key, "zh", **err.value.params)


# ---------------------------------------------------------------- issue 14: credit codes
def _with_check(body: str) -> str:
    return body + uscc_check_char(body)


def test_an_all_zero_code_with_a_valid_check_character_is_refused() -> None:
    zeros = _with_check("0" * 17)
    assert zeros == "0" * 18  # the check character of seventeen zeros is 0
    with pytest.raises(Invalid) as err:
        validate_uscc(zeros)
    assert (err.value.key, err.value.params) == ("form.err.uscc_kind", {"prefix": "00"})


def test_every_authority_and_kind_of_gb_32100_is_accepted() -> None:
    for authority, kinds in USCC_KINDS.items():
        for kind in kinds:
            code = _with_check(f"{authority}{kind}350100M000100Y4")
            assert validate_uscc(code) == code


def test_authorities_and_kinds_that_were_never_issued_are_refused() -> None:
    issued = {a + k for a, kinds in USCC_KINDS.items() for k in kinds}
    never = [a + k for a in USCC_CHARSET for k in USCC_CHARSET if a + k not in issued]
    assert {"00", "94", "99", "Y2", "A2", "B1", "N4"} <= set(never)
    for prefix in never:
        with pytest.raises(Invalid) as err:
            validate_uscc(_with_check(f"{prefix}350100M000100Y4"))
        assert err.value.key == "form.err.uscc_kind", prefix


def test_a_region_code_with_letters_is_refused() -> None:
    with pytest.raises(Invalid) as err:
        validate_uscc(_with_check("91A50100M000100Y4"))
    assert err.value.key == "form.err.uscc_region"


def test_credit_codes_typed_in_groups_or_full_width_are_read() -> None:
    assert validate_uscc("9135 0100 M000 100Y 43") == VALID_USCC
    assert validate_uscc("９１３５０１００ｍ０００１００ｙ４３") == VALID_USCC
