"""PII masking on log lines: every spelling of a phone or credit code is hidden, and the
ordinary text around it (dates, amounts, references, ids) is left exactly as it was."""

from __future__ import annotations

import logging
import re

import pytest

from bot.logs import RedactingFormatter
from bot.pii import mask_pii

VALID_USCC = "91350100M000100Y43"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # mobiles: first three and last four digits kept, separators and prefixes kept
        ("13987654321", "139****4321"),
        ("139-8765-4321", "139-****-4321"),  # was logged in clear
        ("139 8765 4321", "139 **** 4321"),
        ("139.8765.4321", "139.****.4321"),
        ("139 - 8765 - 4321", "139 - **** - 4321"),
        ("139–8765–4321", "139–****–4321"),
        ("1398765 4321", "139**** 4321"),
        ("139 87654321", "139 ****4321"),
        ("1398 765 4321", "139* *** 4321"),
        ("+86 139 8765 4321", "+86 139 **** 4321"),
        ("+86-139-8765-4321", "+86-139-****-4321"),
        ("+8613987654321", "+86139****4321"),
        ("0086 13987654321", "0086 139****4321"),
        ("8613987654321", "86139****4321"),
        ("(+86)139-8765-4321", "(+86)139-****-4321"),
        ("013987654321", "0139****4321"),
        ("１３９－８７６５－４３２１", "１３９－****－４３２１"),
        ("手机13987654321。", "手机139****4321。"),
        ("tel:13987654321", "tel:139****4321"),
        # a grouped mobile one digit short or long: a typo, logged when it is rejected
        ("139-8765-432", "139-***5-432"),
        ("139 8765 43210", "139 **** *3210"),
        # landlines: area code and last four digits kept, extension kept
        ("0571-87654321", "0571-****4321"),
        ("0571 8765 4321", "0571 **** 4321"),
        ("(0571) 87654321", "(0571) ****4321"),
        ("（0571）87654321", "（0571）****4321"),
        ("057187654321", "0571****4321"),
        ("010-8765-4321", "010-****-4321"),
        ("01087654321", "010****4321"),
        ("0755-1234567", "0755-***4567"),
        ("+86 10 8765 4321", "+86 10 **** 4321"),
        ("+86 571 87654321", "+86 571 ****4321"),
        ("0571-87654321-8001", "0571-****4321-8001"),
        ("0571-87654321转8001", "0571-****4321转8001"),
        ("0571-87654321 ext. 8001", "0571-****4321 ext. 8001"),
        # credit codes (and ID numbers), any case, valid or mistyped, grouped or not
        (VALID_USCC, "9135************43"),
        ("91350100m000100y43", "9135************43"),  # was logged in clear
        ("９１３５０１００ｍ０００１００ｙ４３", "９１３５************４３"),
        ("91350100M000100I43", "9135************43"),  # refused for the I: still masked
        ("91350100M000100Y4", "9135***********Y4"),  # one character short
        ("9135 0100 M000 100Y 43", "9135 **** **** **** 43"),
        ("9135-0100-m000-100y-43", "9135-****-****-****-43"),
        ("110101199003071234", "1101************34"),
    ],
)
def test_every_spelling_is_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "2024-05-20",
        "2024-05-20 13:45:12,345 INFO finbot: started",
        "2024.05.20 2024/05/20 20240520 2024年5月20日",
        "5,000,000 元，500万，0.5亿，1200000元，10000000000000",
        "13 800 000 000 元",  # thousands grouping is an amount, not a phone
        "闽政办〔2024〕7号，财金〔2024〕138号",
        "financing request RZ-20240520-0001 created by user 5123456789",
        "SLA reminder for RZ-20240520-0012",
        "RZ-20240520-0001 by 12",
        "user [5123456789] in chat [-1001234567890] (1234567890)",
        "update 987654321 for message 12345",
        "timestamp 1716192000123, entry 1152921504606846975",
        "v1.38.1234 build 20240520.1",
        "第十三条 第(二)款 13:45-14:30",
        "form answer rejected (form.err.amount_format): 五百万三",
        "the quick brown fox jumps over the lazy dog",
        "adding policy20240520v2.docx, notice2024052012345.pdf, notice20240520123x.md",
        "用户询问应急转贷怎么申请，期限 12 个月，金额 500 万元",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_pii(text) == text


def test_text_around_a_masked_number_is_unchanged() -> None:
    line = f"user typed {VALID_USCC.lower()} and 139-8765-4321 / 0571-87654321 on 2024-05-20"
    assert mask_pii(line) == (
        "user typed 9135************43 and 139-****-4321 / 0571-****4321 on 2024-05-20"
    )
    grouped = "user typed 9135 0100 M000 100Y 44 and"
    assert mask_pii(grouped) == "user typed 9135 **** **** **** 44 and"


@pytest.mark.parametrize(
    "answer",
    [
        "139-8765-4321",
        "139 8765 4321",
        "+86 139.8765.4321",
        "139-8765-432",
        "91350100m000100y43",
        "9135 0100 m000 100y 44",
    ],
)
def test_a_rejected_form_answer_is_masked_in_the_log_line(answer: str) -> None:
    """The log line `handlers.request_form` writes for a rejected answer, through the
    formatter every handler uses: the middle of the number never reaches the log."""
    record = logging.LogRecord(
        "handlers.request_form",
        logging.INFO,
        __file__,
        1,
        "form answer rejected (%s): %s",
        ("form.err.phone_mobile", answer),
        None,
    )
    line = RedactingFormatter("%(levelname)s %(name)s: %(message)s", []).format(record)
    hidden = re.sub(r"[^0-9a-z]", "", answer.lower())[4:-4]
    assert "*" in line and hidden not in re.sub(r"[^0-9a-z*]", "", line.lower())
