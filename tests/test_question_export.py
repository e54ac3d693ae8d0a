"""The question-log export's pure parts: CSV with a BOM and no formulas, masking, the range."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from bot.export import (
    QUESTION_HEADER,
    Cell,
    masked_user,
    question_rows,
    question_span,
    to_csv,
    to_xlsx,
)
from bot.questions import QuestionView
from bot.titles import no_titles

TODAY = date(2026, 11, 24)
PHONE = "13812345678"
USCC = "91350100M000100Y43"


def row(text: str, *, user_id: int = 777000123, feedback: int | None = None) -> QuestionView:
    return QuestionView(
        id=1, user_id=user_id, chat_id=user_id, message_id=1, text=text, lang="zh",
        band="answer", top=[["doc-a", 0.91], ["doc-b", 0.4]],
        cited=[["doc-a", 2, "0a1b2c3d", "第九条 办理时限"]],
        confidence=0.91234, latency_ms=321.6, feedback=feedback, source="telegram",
        created_at=datetime(2026, 11, 24, 1, 30, tzinfo=UTC),
    )  # fmt: skip


def test_csv_starts_with_a_bom_and_reads_back() -> None:
    data = to_csv([["时间", "问题"], ["2026-11-24 09:30", "上市奖励"]])
    assert data.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["时间", "问题"],
        ["2026-11-24 09:30", "上市奖励"],
    ]


def test_cells_that_would_run_as_formulas_are_quoted() -> None:
    risky: list[Cell] = ["=1+2", "+86 138", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
    data = to_csv([[*risky, "a=b", 5, -3]]).decode("utf-8-sig")
    (cells,) = list(csv.reader(io.StringIO(data)))
    assert cells[:6] == [f"'{cell}" for cell in risky]
    assert cells[6:] == ["a=b", "5", "-3"]  # inner "=" and real numbers are left alone
    sheet = load_workbook(io.BytesIO(to_xlsx([risky], "问答记录"))).active
    assert sheet is not None and sheet.title == "问答记录"
    assert [c.value for c in sheet[1]] == [f"'{cell}" for cell in risky]


def test_question_rows_are_masked_by_default() -> None:
    titles = {"doc-a": "青禾区政府性融资担保业务管理办法"}.get
    text = f"我的电话{PHONE}，代码{USCC}，=HYPERLINK 怎么办"
    header, masked = question_rows([row(text, feedback=-1)], titles, unmasked=False, salt=b"s")
    assert tuple(header) == QUESTION_HEADER and "反馈原因" in header
    assert masked[0] == "2026-11-24 09:30" and masked[2] == "zh"
    assert masked[1] == masked_user(777000123, b"s") and "777000123" not in str(masked)
    assert PHONE not in str(masked[3]) and USCC not in str(masked[3]) and "电话" in str(masked[3])
    assert masked[4:7] == ["已解答", "青禾区政府性融资担保业务管理办法", "第九条 办理时限"]
    assert masked[7:] == [0.9123, "👎", "", 322]
    _, plain = question_rows([row(text)], titles, unmasked=True, salt=b"s")
    assert plain[1] == "777000123" and plain[3] == text and plain[8] == ""


def test_a_thumbs_down_reason_and_its_note_are_exported() -> None:
    outdated = replace(row("担保费率多少", feedback=-1), feedback_reason="outdated")
    other = replace(outdated, feedback_reason="other", feedback_note="费率已经调整了")
    _, first, second = question_rows([outdated, other], no_titles, unmasked=False, salt=b"s")
    assert first[8:10] == ["👎", "内容过时"]
    assert second[9] == "其他：费率已经调整了"


def test_masked_user_is_stable_within_an_export_only() -> None:
    assert masked_user(5, b"one") == masked_user(5, b"one") != masked_user(6, b"one")
    assert masked_user(5, b"one") != masked_user(5, b"two")
    assert masked_user(5, b"one").startswith("u-") and len(masked_user(5, b"one")) == 12


def test_question_span() -> None:
    assert question_span([], TODAY) == (date(2026, 10, 26), TODAY, False)
    assert question_span(["2026-11-01"], TODAY) == (date(2026, 11, 1), TODAY, False)
    assert question_span(["2026-11-01", "2026-11-10", "unmasked"], TODAY) == (
        date(2026, 11, 1),
        date(2026, 11, 10),
        True,
    )
    assert question_span(["unmasked"], TODAY) == (date(2026, 10, 26), TODAY, True)
    for bad in (["x"], ["2026-11-10", "2026-11-01"], ["a", "b", "c"]):
        assert question_span(bad, TODAY) is None, bad
