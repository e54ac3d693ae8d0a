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
