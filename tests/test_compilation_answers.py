"""A 政策汇编 answers as the measures it holds (knowledge/compilation.py, Snapshot.by_entries):
the city's entry answers a question on the city's rule, a later notice that changes an entry
is applied to it, and the admin still sees the one file he added."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.answers import Band
from bot.answers.layout import citation_line, quote_text
from bot.config import load_settings
from bot.core import Core, build_core
from index.encoders import HashingEncoder
from tests.knowledge.test_compilation import VOLUME

AMENDMENT = """湄屿区人民政府办公室关于调整企业上市奖励部分标准的通知
湄政办〔2029〕2号
现对《湄屿区促进企业上市若干措施》（湄政〔2027〕8号）部分奖励标准调整如下：
一、《湄屿区促进企业上市若干措施》第六条规定的股改奖励，由30万元调整为50万元。
二、本通知自2029年3月1日起施行。
湄屿区人民政府办公室
2029年2月20日
"""


def _core(tmp_path: Path, *files: tuple[str, str]) -> Core:
    settings = load_settings(
        data_dir=tmp_path, embedding_model="hashing", jurisdiction="东瓯省鹭湾市湄屿区"
    )
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2029, 4, 10))
    for text, name in files:
        assert core.kb.add_bytes(text.encode(), name).ok
    return core


def test_the_city_s_entry_answers_the_city_s_question_and_is_cited_in_its_volume(
    tmp_path: Path,
) -> None:
    core = _core(tmp_path, (VOLUME, "compilation-2029.txt"))
    answer = core.answers.answer_sync("湄屿区绿色贷款贴息 支持标准 贴息几个百分点？")
    assert answer.band is Band.ANSWER
    first = answer.hits[0]
    assert first.title == "湄屿区绿色贷款贴息" and first.source == "compilation-2029.txt"
    assert first.compiled_in == "湄屿区惠企金融政策汇编（2029年版）"
    line = citation_line(first, "zh")
    assert line.startswith("《湄屿区绿色贷款贴息》（湄金服〔2027〕6号）")
    assert "收录于《湄屿区惠企金融政策汇编（2029年版）》" in line
    # quoted without the part's and the entry's lines it carries: the citation names them
    assert first.text.startswith("第一部分\u3000区级政策\n【02】湄屿区绿色贷款贴息（政策要点）")
    quoted = quote_text(first)
    assert "第一部分" not in quoted and "【02】" not in quoted and "贴息1个百分点" in quoted
    # the admin lists, and would remove, the one file he added
    assert [d.doc_id for d in core.kb.list()] == [core.kb.list()[0].doc_id]


def test_a_later_notice_changes_the_entry_it_names(tmp_path: Path) -> None:
    core = _core(tmp_path, (VOLUME, "compilation-2029.txt"), (AMENDMENT, "amendment-2029.txt"))
    answer = core.answers.answer_sync("湄屿区促进企业上市若干措施 第六条 股改奖励多少？")
    assert answer.band is Band.ANSWER
    article = next(h for h in answer.hits if h.section.startswith("第六条"))
    assert article.title == "湄屿区促进企业上市若干措施"
    # the volume still prints the old figure: the notice's sentence is shown under it
    assert [a.by_number for a in article.amended] == ["湄政办〔2029〕2号"]
    assert "由30万元调整为50万元" in answer.reply


def test_a_knowledge_base_without_a_compilation_is_read_as_it_is(tmp_path: Path) -> None:
    """The view the answer service reads is the stored snapshot itself when no document is a
    compilation: nothing else a bureau loads is read differently."""
    plain = "湄屿区促进企业上市若干措施\n第六条　企业完成股份制改造的，给予股改奖励30万元。\n"
    core = _core(tmp_path, (plain, "listing.txt"))
    snap = core.kb.store.snapshot()
    assert snap.by_entries() is snap
    core = _core(tmp_path / "with", (plain, "listing.txt"), (VOLUME, "compilation-2029.txt"))
    view = core.kb.store.snapshot().by_entries()
    assert len(view.docs) == 1 + 4 and view is core.kb.store.snapshot().by_entries()


STANDARDS = """湄屿区惠企金融政策汇编（标准表）

【01】股份制改造奖励
支持对象：以上市为目的完成股份制改造的企业
标准：股份制改造奖励30万元
依据：湄政〔2027〕8号《湄屿区促进企业上市若干措施》第六条

【02】新三板挂牌奖励
支持对象：新三板挂牌企业
标准：新三板挂牌奖励50万元
依据：湄政〔2027〕8号《湄屿区促进企业上市若干措施》第七条
"""
MEASURE = """湄屿区人民政府关于印发《湄屿区促进企业上市若干措施》的通知
湄政〔2027〕8号
第六条　企业以上市为目的完成股份制改造的，给予股改奖励30万元。
第七条　企业在新三板挂牌的，给予奖励50万元。
第八条　本措施自2028年1月1日起施行，有效期至2030年12月31日。
湄屿区人民政府
2027年12月15日
"""


def test_a_table_row_citing_a_measure_s_number_gives_way_to_the_measure(tmp_path: Path) -> None:
    """A standards table's row restates the article it cites ("依据：湄政〔2027〕8号《…》第六条")
    as a 解读 does: the measure's article is quoted first, the row after it (zhewan, written
    blind: the table's rows led the articles they cite)."""
    core = _core(tmp_path, (STANDARDS, "standards.txt"), (MEASURE, "listing.txt"))
    for question in ("完成股份制改造的企业给予股改奖励多少？", "企业在新三板挂牌的奖励多少？"):
        answer = core.answers.answer_sync(question)
        assert answer.band is Band.ANSWER
        assert answer.hits[0].source == "listing.txt"
        assert "standards.txt" in [h.source for h in [*answer.hits, *answer.ranked]]
    core.close()
