"""Pure parts of issue 16: the stored turn, the 👎 note, the 👎 report, the reason buttons, and
follow-ups in the console chat."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from bot.answers import Turn
from bot.console import run_console
from bot.conversation import turn_from
from bot.core import Core
from bot.feedback import MAX_NOTE_CHARS, REASONS, clean_note
from bot.learning import dislikes_from_log
from handlers import keyboards as kb
from tests.sample_core import sample_core

GUARANTEE = "青禾区政府性融资担保业务管理办法"


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return sample_core(tmp_path_factory)


def test_a_stored_turn_reads_back_and_a_foreign_one_is_ignored() -> None:
    turn = Turn("担保费率是多少", "credit.gov-guarantee-measures-2024", GUARANTEE)
    assert (
        turn_from({"question": turn.question, "doc_id": turn.doc_id, "title": turn.title}) == turn
    )
    assert turn_from({"question": "x", "doc_id": "y"}) is None  # written by another version
    assert turn_from(["x"]) is None


def test_a_note_is_one_masked_capped_line() -> None:
    assert clean_note("  内容\x00过时\n\t请更新  ") == "内容 过时 请更新"
    assert clean_note("电话 13812345678") == "电话 138****5678"
    long = clean_note("长" * 1000)
    assert len(long) == MAX_NOTE_CHARS and long.endswith("…")


@dataclass(frozen=True)
class Row:
    id: int
    feedback: int | None
    feedback_reason: str | None = None
    feedback_note: str | None = None
    cited: list[list[object]] | None = field(
        default_factory=lambda: [["g", 2, "0a1b2c3d", "第六条 担保费率"], ["h", 1, "ffee0011", "x"]]
    )
    text: str = "q"
    user_id: int = 1
    band: str = "answer"
    created_at: datetime = datetime(2026, 6, 1, tzinfo=UTC)
    top: list[list[object]] | None = None


def test_dislikes_are_counted_by_reason_and_by_article() -> None:
    rows = [
        Row(1, -1, "outdated"),
        Row(2, -1, "outdated"),
        Row(3, 1),
        Row(4, None),
        Row(5, -1, "other", "旧的"),
        Row(6, -1, "other", "更旧"),
        Row(7, -1, None, cited=None),  # logged before citations were kept
        Row(8, -1, "outdated", cited=[["g", 2, "0a1b2c3d", "第八条 反担保"]]),
        Row(9, -1, "off_topic", cited=[]),  # quoted no document
        Row(10, -1, "off_topic", band="suggest"),  # a suggestion cites nothing
        Row(11, -1, "outdated", cited=[["untitled", 1, "12345678", "第一条"]]),
    ]
    report = dislikes_from_log(rows, {"g": GUARANTEE}.get)
    assert report.total == 9
    assert report.by_reason == (
        ("outdated", 4), ("off_topic", 2), ("other", 2), ("unstated", 1),
    )  # fmt: skip
    top = report.by_article[0]
    assert (top.doc_id, top.title, top.section, top.reason, top.count) == (
        "g", GUARANTEE, "第六条 担保费率", "other", 2,
    )  # fmt: skip
    assert top.notes == ("更旧", "旧的")  # newest first
    assert [(a.title, a.section, a.reason, a.count) for a in report.by_article[1:]] == [
        (GUARANTEE, "第六条 担保费率", "outdated", 2),
        (None, None, "off_topic", 2),  # cited nothing: after the articles of the same count
        ("untitled", "第一条", "outdated", 1),  # no title known: the id
        (GUARANTEE, "第八条 反担保", "outdated", 1),
        (None, None, "unstated", 1),
    ]


def test_reason_buttons_round_trip_and_fit() -> None:
    for reason in REASONS:
        data = kb.reason_data(2**40, reason)
        assert kb.fits(data) and kb.parse_reason(data) == (2**40, reason)
    for bad in ("fbr:why:1", "fbr:outdated:x", "fb:-:1", "fbr:outdated"):
        assert kb.parse_reason(bad) is None
    labels = [b.text for row in kb.reason_keyboard("en", 7).inline_keyboard for b in row]
    assert labels == [
        "Off-topic",
        "Outdated",
        "Didn't find what I need",
        "Other",
        "Contact an officer",
    ]


def _console(core: Core, lines: list[str], minutes: float, times: list[float]) -> str:
    out = io.StringIO()
    clock = iter(times)
    run_console(core.answers, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out,
                followup_minutes=minutes, clock=lambda: next(clock))  # fmt: skip
    return out.getvalue()


def test_the_console_reads_a_follow_up_in_context_within_the_window(core: Core) -> None:
    asked = ["政府性融资担保的费率是多少？", "要多久能批下来？"]
    # the clock is read once per answered turn and once per question after the first
    inside = _console(core, asked, 10, [0.0, 60.0, 60.0])
    assert f"关于《{GUARANTEE}》：" in inside
    later = _console(core, asked, 10, [0.0, 601.0, 601.0])
    assert "关于《" not in later and "接上一问" not in later
    off = _console(core, asked, 0, [0.0, 1.0, 1.0])
    assert "关于《" not in off and "接上一问" not in off


def test_the_console_answers_thanks_without_offering_an_officer(core: Core) -> None:
    """ "谢谢" after an answer: a short reply, not "您可以：联系工作人员…" (nor a refusal); a bare
    financing need is pointed to the form."""
    out = _console(core, ["谢谢", "我要融资"], 10, [0.0, 1.0, 2.0, 3.0])
    thanks, need = out.split("不客气！", 1)[1].split("需要融资的话", 1)
    assert "联系工作人员" not in thanks and "个人事务" not in out
    assert "登记融资需求" in need


def test_the_console_greeting_and_financing_reply_speak_of_no_buttons(core: Core) -> None:
    """The console has no buttons: its greeting and financing reply do not tell the user to tap
    one; the commands that stand in for them follow."""
    out = _console(core, ["你好", "我要融资"], 10, [0.0, 1.0, 2.0, 3.0])
    assert "我是青禾区企业金融政策助手" in out and "需要融资的话" in out
    assert "点下面" not in out and "按钮" not in out
    assert "/financing" in out


def test_the_console_lists_related_questions_once(core: Core) -> None:
    """The console numbers the related questions under its own header; the reply's arrow that
    points at Telegram's buttons is not printed above them."""
    out = _console(core, ["政府性融资担保的担保费率是多少？"], 10, [0.0, 1.0])
    assert "相关问题：" in out and "[1]" in out
    assert "↓" not in out
