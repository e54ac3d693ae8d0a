"""The handler layer's pure helpers, without a bot: fast checks of what the screens show."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.answers import Answer, Band, ChatIntent, Hit, Suggestion
from bot.export import export_span
from bot.forms import prefill_from_text
from bot.refs import RefTable
from bot.requests import RequestView
from handlers.ask import strip_mention
from handlers.cards import card_html, card_keyboard
from handlers.keyboards import keyboard_for
from handlers.render import fmt_amount, fmt_when, nav_row, page_of
from tests.fakebot import parse_html

USCC = "91350100M000100Y43"
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def request(**changes: object) -> RequestView:
    values: dict[str, object] = dict(
        id=7, ref="RZ-20261124-0001", user_id=1, chat_id=1, lang="zh", company="R&D <青禾> 公司",
        uscc=USCC, contact_name="王小明", phone="13812345678", amount_yuan=5_000_000,
        fin_type="gov_guarantee", term_months=12, purpose="采购", question_id=3, handoff_id=None,
        status="new", owner_id=None, owner_name=None, card_chat_id=None, card_message_id=None,
        consent_at=NOW, created_at=NOW, claimed_at=None, status_changed_at=NOW, closed_at=None,
        reminded_at=None, question="担保费率是多少？",
    )  # fmt: skip
    values.update(changes)
    return RequestView(**values)  # type: ignore[arg-type]


def test_prefill_takes_a_valid_code_a_phone_an_amount_and_the_text() -> None:
    values = prefill_from_text([f"代码 {USCC}，想贷 800万 买设备", "电话 13900001111"])
    assert values["uscc"] == USCC and values["phone"] == "13900001111"
    assert values["amount"] == 8_000_000 and values["purpose"].startswith("代码")
    wrong = USCC[:-1] + "4"  # wrong check character: not taken
    assert "uscc" not in prefill_from_text([f"代码 {wrong}"])
    assert prefill_from_text(["  "]) == {}
    assert len(prefill_from_text(["很长" * 400])["purpose"]) == 500


def test_keyboard_for_each_band() -> None:
    hit = Hit(kind="faq", doc_id="f1", source="", title="t", section="", status="current",
              score=0.9, text="答", doc_number=None, effective=date(2024, 1, 1), chunk_id="faq:1")  # fmt: skip
    related = (Suggestion("相关问题？", "faq:credit-001"),)
    answer = keyboard_for(
        Answer(question="q", band=Band.ANSWER, hits=(hit,), reply="r", related=related),
        42,
        RefTable(),
    )
    assert answer is not None
    assert [b.callback_data for row in answer.inline_keyboard for b in row] == [
        "fb:+:42", "fb:-:42", "q:f:credit-001", "menu:human",
    ]  # fmt: skip
    suggest = Answer(question="q", band=Band.SUGGEST, hits=(), reply="r", suggestions=related * 5)
    suggested = keyboard_for(suggest, None, RefTable())
    assert suggested is not None
    rows = suggested.inline_keyboard
    assert len(rows) == 4 and rows[-1][0].callback_data == "menu:human"
    none = keyboard_for(Answer(question="q", band=Band.NONE, hits=(), reply="r"), 1, RefTable())
    assert none is not None
    labels = [b.callback_data for row in none.inline_keyboard for b in row]
    assert labels == ["menu:human", "menu:financing"]


def test_keyboard_for_a_chat_reply() -> None:
    """A greeting gets the main menu, a financing need the form first, thanks nothing."""

    def data(intent: ChatIntent) -> list[str] | None:
        chat = Answer(question="q", band=Band.NONE, hits=(), reply="r", intent=intent)
        markup = keyboard_for(chat, 7, RefTable())
        if markup is None:
            return None
        return [str(b.callback_data) for r in markup.inline_keyboard for b in r]

    assert data(ChatIntent.FINANCING) == ["menu:financing", "menu:human"]
    assert "menu:financing" in (data(ChatIntent.GREETING) or [])
    assert "menu:listing" in (data(ChatIntent.GREETING) or [])
    assert data(ChatIntent.THANKS) is None and data(ChatIntent.ACKNOWLEDGEMENT) is None


def test_card_shows_the_request_escaped_with_its_buttons() -> None:
    text, _entities = parse_html(card_html(request()))
    assert "R&D <青禾> 公司" in text and "500万元（5,000,000 元）" in text
    assert "担保费率是多少？" in text and "待认领" in text
    assert [b.text for row in card_keyboard(request()).inline_keyboard for b in row] == ["认领"]
    claimed = request(owner_id=201, owner_name="李科长", status="claimed", handoff_id=12)
    assert "#12" in parse_html(card_html(claimed))[0]
    labels = [b.callback_data for row in card_keyboard(claimed).inline_keyboard for b in row]
    assert labels[0] == "rq:st:7:following" and len(labels) == 6


def test_export_span() -> None:
    today = date(2026, 11, 24)
    assert export_span([], today) == (date(2026, 10, 26), today)  # 30 days, inclusive
    assert export_span(["2026-11-01", "2026-11-30"], today) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    for bad in (["2026-11-30", "2026-11-01"], ["2026-11-01"], ["yesterday", "today"]):
        assert export_span(bad, today) is None


def test_strip_mention() -> None:
    assert strip_mention("@FinBot_Test_Bot 担保费率？", "finbot_test_bot") == "担保费率？"
    assert strip_mention("担保费率？", "") == "担保费率？"
    assert strip_mention("@other 担保", "finbot_test_bot") == "@other 担保"


def test_amounts_times_and_pages() -> None:
    assert [fmt_amount(n) for n in (120_000_000, 5_000_000, 1_234)] == [
        "1.2亿元",
        "500万元",
        "1,234元",
    ]
    assert fmt_amount(5_000_000, "en") == "CNY 5,000,000"
    assert fmt_when(NOW.replace(tzinfo=None)) == "2026-11-24 10:00" and fmt_when(None) == "-"
    page = page_of(total=25, number=9, size=10)
    assert (page.number, page.pages, page.start, page.stop) == (3, 3, 20, 25)
    labels = [b.text for b in nav_row(page_of(25, 2, 10), lambda n: f"p:{n}", "zh")]
    assert labels == ["◀ 上一页", "下一页 ▶"] and nav_row(page_of(5, 1, 10), str, "zh") == []
