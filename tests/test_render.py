"""HTML rendering of answers, the 4096 split and callback data limits, checked with the
fake server's own HTML parser (the one that rejects what Telegram rejects)."""

from __future__ import annotations

from datetime import date

from bot.answers import Answer, Band, Hit, Notice, Suggestion
from handlers import keyboards as kb
from handlers.answer_view import render_answer
from handlers.render import split_message, visible_length
from tests.fakebot import parse_html


def chunk_hit(text: str = "担保费率不超过1%，目前执行0.8%。", title: str = "担保办法") -> Hit:
    return Hit(
        kind="chunk",
        doc_id="d1",
        source="credit/a.md",
        title=title,
        section="第六条 担保费率",
        status="current",
        score=0.9,
        text=text,
        doc_number="青金发〔2024〕7号",
        effective=date(2024, 7, 1),
        chunk_id="d1#6",
    )


def visible(html: str) -> str:
    return parse_html(html)[0]


def test_answer_has_citation_and_blockquote() -> None:
    a = Answer("q", Band.ANSWER, (chunk_hit(),), "plain", related=(Suggestion("相关？", "faq:x"),))
    html = render_answer(a)
    text, entities = parse_html(html)
    assert "《担保办法》（青金发〔2024〕7号） 第六条 担保费率，施行日期：2024年7月1日" in text
    assert any(e.type == "blockquote" for e in entities)
    assert text.endswith("相关问题 ↓")


def test_special_characters_are_escaped_everywhere() -> None:
    hit = chunk_hit(text="额度 < 500万 & 利率 > 3%", title="R&D<研发>办法")
    a = Answer("<script>", Band.ANSWER, (hit,), "plain")
    text = visible(render_answer(a))
    assert "额度 < 500万 & 利率 > 3%" in text and "《R&D<研发>办法》" in text
    sug = Answer("q", Band.SUGGEST, (), "p", suggestions=(Suggestion("<b>&", "faq:1"),))
    assert "1. <b>&" in visible(render_answer(sug))
    none = Answer("q", Band.NONE, (), "a < b & c")
    assert visible(render_answer(none)) == "a < b & c"


def test_notice_for_superseded_document() -> None:
    notice = Notice("old", "旧办法", "superseded", "new", "新办法")
    a = Answer("q", Band.ANSWER, (chunk_hit(),), "p", notice=notice)
    assert visible(render_answer(a)).startswith(
        "⚠️ 注意：《旧办法》已不再施行（已废止），现行规定为《新办法》"
    )


def test_english_rendering() -> None:
    a = Answer("q", Band.ANSWER, (chunk_hit(),), "p", lang="en")
    assert visible(render_answer(a)).startswith("According to the policy documents")


def test_long_answer_splits_into_parseable_parts() -> None:
    hits = tuple(chunk_hit(text=f"第{n}段：" + "贷款贴息 & 担保 <说明>。" * 60) for n in range(8))
    html = render_answer(Answer("q", Band.ANSWER, hits, "p"))
    parts = split_message(html)
    assert len(parts) > 1
    assert all(visible_length(p) <= 4096 for p in parts)
    texts = [visible(p) for p in parts]  # raises if a part's HTML is broken
    assert sum(t.count("贷款贴息 & 担保 <说明>。") for t in texts) == 8 * 60


def test_callback_data_fits_and_round_trips() -> None:
    table = kb.RefTable()
    short, long = (
        "faq:credit-001",
        "chunk:" + "listing.listing-reward-2024-with-a-much-longer-file-name#12-dffa37e5",
    )
    assert kb.encode_ref(short, table) == "q:f:credit-001"
    data = kb.encode_ref(long, table)
    assert len(data.encode()) <= 64 and data.startswith("q:t:")
    assert kb.decode_ref(data, table) == long and kb.encode_ref(long, table) == data
    assert kb.decode_ref(data, kb.RefTable()) is None  # after a restart: expired, not wrong
    assert kb.parse_feedback(kb.feedback_data(123456789, False)) == (123456789, False)
    assert kb.parse_feedback("fb:x:1") is None


def test_ref_table_is_bounded() -> None:
    table = kb.RefTable(capacity=2)
    tokens = [table.token_for(f"chunk:{n}") for n in range(3)]
    assert table.ref_for(tokens[0]) is None and table.ref_for(tokens[2]) == "chunk:2"


def test_keyboards() -> None:
    menu = kb.main_menu("zh")
    assert [b.callback_data for row in menu.inline_keyboard for b in row] == [
        "menu:listing",
        "menu:guarantee",
        "menu:funds",
        "menu:financing",
        "menu:human",
        "sub:menu",
    ]
    answer_kb = kb.answer_keyboard("zh", 7, [Suggestion("x" * 100, "faq:1")] * 4, kb.RefTable())
    labels = [b.text for row in answer_kb.inline_keyboard for b in row]
    assert labels[:2] == ["👍 有帮助", "👎 没帮助"] and len(labels) == 6 and len(labels[2]) == 60
    rated = kb.without_feedback(answer_kb)
    assert next(b.text for row in rated.inline_keyboard for b in row).startswith("x")


def test_a_quote_drops_its_heading_with_the_stop_after_it_and_a_bare_label_reads_clean() -> None:
    """ "一、新增商业汇票贴现贴息。在本区…" is quoted from "在本区…", not "。在本区…"; a bare item
    label ("三、") is cited without running into the comma ("三、，施行日期"); an extended
    measure's citation says until when, and by which notice."""
    headed = Hit(kind="chunk", doc_id="s", source="s.docx", title="补充通知", section="一、新增贴现贴息",
                 status="current", score=1.0, text="一、新增贴现贴息。在本区办理贴现的，按20%贴息。",
                 effective=date(2026, 3, 1))  # fmt: skip
    bare = Hit(kind="chunk", doc_id="s", source="s.docx", title="补充通知", section="三、",
               status="current", score=1.0, text="三、同期申报。", effective=date(2026, 3, 1),
               expires=date(2027, 12, 31), extended_by="关于延长《办法》有效期的通知")  # fmt: skip
    html = render_answer(Answer(question="q", band=Band.ANSWER, hits=(headed, bare), reply=""))
    text, _ = parse_html(html)
    assert "在本区办理贴现的" in text and "。在本区" not in text
    assert "《补充通知》 三，施行日期：2026年3月1日" in text and "三、，" not in text
    assert "有效期已延长至2027年12月31日（依据《关于延长《办法》有效期的通知》）" in text
