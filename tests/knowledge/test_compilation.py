"""A 政策汇编 read as the measures it holds (knowledge/compilation.py)."""

from __future__ import annotations

from datetime import date

from knowledge.compilation import ENTRY_SEPARATOR, entry_count, split_compilation
from knowledge.documents import parse_document
from knowledge.status import resolve_statuses

VOLUME = """湄屿区惠企金融政策汇编（2029年版）
编印说明
本汇编收录截至2028年12月31日现行有效的政策，具体以政策原文为准。
第一部分　区级政策
【01】湄屿区促进企业上市若干措施（原文收录）
湄屿区人民政府关于印发《湄屿区促进企业上市若干措施》的通知
湄政〔2027〕8号
第六条　企业完成股份制改造的，给予股改奖励30万元。
第七条　本措施自2028年1月1日起施行，有效期至2030年12月31日。
湄屿区人民政府
2027年12月15日
【02】湄屿区绿色贷款贴息（政策要点）
政策名称：湄屿区绿色贷款贴息
政策依据：《湄屿区绿色贷款贴息管理办法》（湄金服〔2027〕6号）
支持对象：在本区注册的企业和渔业合作社。
支持标准：按实际贷款余额贴息1个百分点，贴息期限最长3年。
第二部分　市级政策
【03】鹭湾市科技保险试点办法（原文收录）
第一条　本办法试点期限为2026年7月1日至2028年6月30日，期满自动失效。
第二条　科技保险保费补贴比例为40%。
鹭湾市地方金融管理局
2026年6月18日
"""


def test_a_compilation_is_read_as_its_entries_each_with_what_its_own_text_says() -> None:
    """meiyu, written blind (session 53): the district's, the city's and the province's
    measures in one volume. Each entry is a document of its own: its name, issuer, 文号 and
    dates (a card's 文号 from its 政策依据), so a city's entry is the city's and one whose
    period ended is expired while the volume's others stay in force."""
    doc = parse_document(VOLUME.encode(), "compilation-2029.txt")
    # the volume's own dates are none of its entries' (the admin's list, expiry reminders)
    assert doc.meta.effective is None and doc.meta.expires is None and doc.meta.replaces is None
    parts = split_compilation(doc)
    front, district, card, city = parts
    assert front.doc_id == doc.doc_id and "编印说明" in front.chunks[0].text
    assert front.meta.effective is None and front.meta.expires is None
    assert district.meta.title == "湄屿区促进企业上市若干措施"
    assert district.meta.issuer == "湄屿区人民政府"
    assert district.meta.doc_number == "湄政〔2027〕8号"
    assert district.meta.effective == date(2028, 1, 1)
    assert district.meta.compiled_in == "湄屿区惠企金融政策汇编（2029年版）"
    assert card.meta.title == "湄屿区绿色贷款贴息" and card.meta.doc_number == "湄金服〔2027〕6号"
    assert city.meta.title == "鹭湾市科技保险试点办法" and city.meta.expires == date(2028, 6, 30)
    assert {p.source for p in parts} == {"compilation-2029.txt"}
    assert all(p.doc_id.split(ENTRY_SEPARATOR)[0] == doc.doc_id for p in parts)
    assert entry_count(doc) == 3
    assert all(ch.doc_id == p.doc_id for p in parts for ch in p.chunks)
    assert sum(len(p.chunks) for p in parts) == len(doc.chunks)
    statuses = resolve_statuses({p.doc_id: p.meta for p in parts}, date(2029, 4, 10))
    assert statuses[city.doc_id].status == "expired"
    assert statuses[district.doc_id].status == "current"


def test_any_other_document_is_left_as_it_is() -> None:
    text = "关于印发《湄屿区促进企业上市若干措施》的通知\n第一条　给予股改奖励30万元。\n"
    doc = parse_document(text.encode(), "listing.txt")
    assert split_compilation(doc) == (doc,) and entry_count(doc) == 0


def word_volume(lines: list[tuple[str, str]]) -> bytes:
    """A Word file of ("bold" | "lead" | "plain", text) lines: a bold title line, a
    paragraph opening with a bold lead-in ("政策内容：…"), or plain text."""
    import io

    import docx

    document = docx.Document()
    for kind, text in lines:
        paragraph = document.add_paragraph()
        if kind == "bold":
            paragraph.add_run(text).bold = True
        elif kind == "lead":
            lead, _, rest = text.partition("：")
            paragraph.add_run(f"{lead}：").bold = True
            paragraph.add_run(rest)
        else:
            paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


UNNUMBERED = [
    ("bold", "柘岭区金融惠企政策汇编（2030年版）"),
    ("bold", "前言"),
    ("plain", "为方便企业查询，本汇编收录区、市、省三级金融惠企政策，具体以原文为准。"),
    ("bold", "科技型企业知识产权质押融资贴息"),
    ("lead", "政策内容：按实际支付利息的50%给予贴息，单户每年最高50万元。"),
    ("lead", "支持对象：高新区内的科技型中小企业。"),
    ("lead", "政策依据：《柘岭区知识产权质押融资贴息办法》（柘金发〔2029〕3号）"),
    ("lead", "执行期限：2029年1月1日至2031年12月31日"),
    ("bold", "临沣市企业上市奖励"),
    ("plain", "在沪深北交易所首发上市的，市财政奖励300万元，与区级奖励可叠加享受。"),
    ("lead", "政策依据：《临沣市推进企业上市若干措施》（沣政发〔2028〕5号）"),
    ("bold", "渔业保险保费补贴"),
    ("plain", "水产养殖保险保费区财政补贴30%。"),
    ("plain", "该政策已于2029年12月31日到期，不再受理申请。"),
]


def test_a_word_compilation_that_numbers_nothing_is_read_by_its_bold_titles() -> None:
    """A bureau's Word 汇编 may mark each measure only by a bold line: without numbers, it was
    one document, a city's measure read as the district's, and a measure its own text says
    has ended was in force with the rest. Each bold title from the first measure on opens an
    entry; the bold 前言 above it stays the volume's, and the lead-ins ("政策内容：") are body."""
    doc = parse_document(word_volume(UNNUMBERED), "policy-compilation-2030.docx")
    front, tech, city, insurance = split_compilation(doc)
    assert "前言" in front.chunks[0].text and "知识产权" not in front.chunks[0].text
    assert tech.meta.title == "科技型企业知识产权质押融资贴息"
    assert tech.meta.doc_number == "柘金发〔2029〕3号"
    assert tech.meta.effective == date(2029, 1, 1) and tech.meta.expires == date(2031, 12, 31)
    assert city.meta.title == "临沣市企业上市奖励" and city.meta.doc_number == "沣政发〔2028〕5号"
    assert city.meta.summarises == "临沣市推进企业上市若干措施"
    assert insurance.meta.ended and not tech.meta.ended
    # every passage of a measure carries its name; a quote leaves it out (`carried_line`)
    assert all("临沣市企业上市奖励" in ch.text for ch in city.chunks)
    statuses = resolve_statuses(
        {p.doc_id: p.meta for p in (tech, city, insurance)}, date(2030, 3, 16)
    )
    assert statuses[insurance.doc_id].status == "expired"
    assert statuses[tech.doc_id].status == statuses[city.doc_id].status == "current"


def test_bold_lines_outside_a_compilation_stay_as_they_were() -> None:
    """Elsewhere a bold line is the document's title or a 第X章 read by its number: read as
    headings they would move every passage of the documents already loaded."""
    lines = [("bold", "柘岭区知识产权质押融资贴息办法"), ("bold", "重点支持"),
             ("plain", "第一条　按实际支付利息的50%给予贴息。")]  # fmt: skip
    doc = parse_document(word_volume(lines), "ip-pledge.docx")
    assert split_compilation(doc) == (doc,)
    assert not any(ch.section == "重点支持" for ch in doc.chunks)


def test_a_compilation_whose_parts_are_levels_with_no_entry_headings_is_read() -> None:
    """A 政策汇编 laid out by level ("## 一、县级政策", "## 二、市级政策") with its measures as
    lines under each: too few numbered entries, and no unnumbered entry heading either. It was
    refused with a crash (`_unnumbered_entries` zipped an empty list of headings); it is read
    as one document whose passages keep their level's heading."""
    text = (
        "# 苇塘县惠企金融政策汇编（2025）\n\n- 施行日期：2025年3月1日\n\n"
        "## 一、县级政策\n\n（一）苇塘县支持企业上市若干措施（苇政发〔2025〕3号）\n"
        "●企业在新三板挂牌的，县级奖励80万元。\n\n"
        "## 二、市级政策\n\n（二）临渠市科技创新母基金管理办法（临金发〔2024〕6号）\n"
        "●出资比例：天使投资子基金不超过子基金规模的40%。\n"
    )
    doc = parse_document(text.encode(), "compilation.md")
    sections = {chunk.section for chunk in doc.chunks}
    assert {"一、县级政策", "二、市级政策"} <= sections
    assert any("天使投资子基金不超过子基金规模的40%" in chunk.text for chunk in doc.chunks)


def test_a_table_row_s_basis_may_write_the_number_before_the_title() -> None:
    """A standards table's "依据" column writes the 文号 first ("依据：涟政发〔2030〕6号《关于
    深入实施“凤鸣计划”推进企业上市的意见》"): the row's entry carries that 文号 and sums up
    that measure, as a "政策依据：《…》（文号）" card does (zhewan, written blind: the
    province's rows were read as the county-level city's own)."""
    volume = (
        "惠企金融政策汇编（标准表）\n\n"
        "【01】股份制改造奖励\n支持对象：完成股改的企业\n标准：50万元\n"
        "依据：柘政发〔2032〕5号《关于推动企业上市挂牌的若干政策》第五条\n\n"
        "【02】境内首发上市奖励（省级）\n支持对象：在境内首发上市的本省企业\n标准：省级奖励200万元\n"
        "依据：涟政发〔2030〕6号《关于深入实施“凤鸣计划”推进企业上市的意见》\n"
    )
    doc = parse_document(volume.encode(), "standards.txt")
    own, province = split_compilation(doc)[-2:]
    assert own.meta.doc_number == "柘政发〔2032〕5号"
    assert own.meta.summarises == "关于推动企业上市挂牌的若干政策"
    assert province.meta.title == "境内首发上市奖励（省级）"
    assert province.meta.doc_number == "涟政发〔2030〕6号"
    assert province.meta.summarises == "关于深入实施“凤鸣计划”推进企业上市的意见"
