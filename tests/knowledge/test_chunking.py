from __future__ import annotations

import itertools
import re

from knowledge.chunking import chunk_document, section_above
from knowledge.models import sha256_text

REGULATION = """本办法适用于本区注册企业。

第一章　总则

第一条　为规范政府性融资担保贷款管理，制定本办法。
第二条　本办法由区金融局负责解释。

第二章　资金管理

### 第五条 资金占用费
（一）资金占用费按年计收。
（二）不足一年的按月计收。
第六条【申请材料】申请企业应当提交营业执照、财务报表。
"""

MEASURES = """各街道、各部门：

一、支持对象
在本区注册、纳税的企业。
二、加大奖励力度。对在主板上市的企业给予500万元奖励。
（一）申报辅导备案的，奖励100万元。
（二）上市成功的，奖励400万元。
## 申请流程
企业通过线上平台提交申请。
"""


def _sections_and_texts(body: str) -> list[tuple[str, str]]:
    return [(c.section, c.text) for c in chunk_document("d", body)]


def test_chapters_articles_and_preamble() -> None:
    assert _sections_and_texts(REGULATION) == [
        ("", "本办法适用于本区注册企业。"),
        ("第一条", "第一章\u3000总则\n第一条\u3000为规范政府性融资担保贷款管理，制定本办法。"),
        ("第二条", "第二条\u3000本办法由区金融局负责解释。"),
        (
            "第五条 资金占用费",
            "第二章\u3000资金管理\n第五条 资金占用费\n（一）资金占用费按年计收。\n（二）不足一年的按月计收。",
        ),
        ("第六条 申请材料", "第六条【申请材料】申请企业应当提交营业执照、财务报表。"),
    ]


def test_numbered_items_subitems_and_markdown_headings() -> None:
    assert _sections_and_texts(MEASURES) == [
        ("", "各街道、各部门："),
        ("一、支持对象", "一、支持对象\n在本区注册、纳税的企业。"),
        (
            "二、加大奖励力度",
            "二、加大奖励力度。对在主板上市的企业给予500万元奖励。\n"
            "（一）申报辅导备案的，奖励100万元。\n（二）上市成功的，奖励400万元。",
        ),
        ("申请流程", "申请流程\n企业通过线上平台提交申请。"),
    ]


def test_arabic_numbered_articles() -> None:
    body = "第1条 总则内容。\n第12条 附则内容。"
    assert [c.section for c in chunk_document("d", body)] == ["第1条", "第12条"]


def test_bare_heading_at_end_is_not_lost() -> None:
    chunks = chunk_document("d", "第一条　正文。\n## 附件")
    assert [(c.section, c.text) for c in chunks] == [
        ("第一条", "第一条\u3000正文。"),
        ("附件", "附件"),
    ]


def _long_article() -> str:
    sentences = [
        f"第{i}句规定企业应当在期限内提交第{i}项申请材料并接受审核。" for i in range(1, 31)
    ]
    return "第九条　材料要求\n" + "".join(sentences[:15]) + "\n" + "".join(sentences[15:])


def test_long_article_is_split_with_overlap_and_same_label() -> None:
    chunks = chunk_document("d", _long_article(), max_chars=300, overlap=80)
    assert len(chunks) >= 3
    assert {c.section for c in chunks} == {"第九条 材料要求"}
    assert all(len(c.text) <= 300 for c in chunks)
    assert chunks[0].text.startswith("第九条　材料要求\n")
    for previous, following in itertools.pairwise(chunks):
        shared = following.text[:20]
        assert shared in previous.text  # the next part starts inside the previous one
        assert re.match(r"^第\d+句", following.text)  # …at a sentence boundary
    covered = "".join(c.text for c in chunks)
    for i in range(1, 31):
        assert f"第{i}项申请材料" in covered


def test_split_prefers_paragraph_boundary() -> None:
    first = "甲" * 150 + "。"
    second = "乙" * 150 + "。"
    chunks = chunk_document("d", f"第一条　{first}\n{second}", max_chars=200, overlap=40)
    assert chunks[0].text == f"第一条　{first}"  # not cut mid-paragraph
    tail, rest = chunks[1].text.split("\n")
    assert rest == second
    assert first.endswith(tail) and 0 < len(tail) <= 40  # overlap: end of the previous part


def test_overlong_sentence_is_cut_into_bounded_slices() -> None:
    chunks = chunk_document("d", "第一条　" + "无标点长句" * 200, max_chars=300, overlap=50)
    assert all(len(c.text) <= 300 for c in chunks)
    assert "".join(c.text for c in chunks).count("无标点长句") >= 200


def test_chunk_ids_are_stable_and_content_addressed() -> None:
    first = chunk_document("policy.guarantee", REGULATION)
    second = chunk_document("policy.guarantee", REGULATION)
    assert first == second
    for ordinal, chunk in enumerate(first):
        assert chunk.ordinal == ordinal
        assert chunk.doc_id == "policy.guarantee"
        assert chunk.content_hash == sha256_text(chunk.text)
        assert chunk.chunk_id == f"policy.guarantee#{ordinal}-{chunk.content_hash[:8]}"
    edited = chunk_document("policy.guarantee", REGULATION.replace("按年计收", "按季计收"))
    changed = [a.chunk_id for a, b in zip(first, edited, strict=True) if a.chunk_id != b.chunk_id]
    assert changed == [first[3].chunk_id]


def test_empty_body_gives_no_chunks() -> None:
    assert chunk_document("d", "\n\n  \n") == ()


def test_a_heading_that_lists_things_keeps_its_title() -> None:
    """ "四、个人贷款额度、期限和利率" is a heading: the citation names it, not just "四、"."""
    body = "四、个人贷款额度、期限和利率\n个人贷款最高30万元，期限不超过3年。\n"
    assert [s for s, _ in _sections_and_texts(body)] == ["四、个人贷款额度、期限和利率"]


def test_a_policy_interpretation_is_chunked_by_its_questions() -> None:
    """A 政策解读 in question-and-answer form: each answer is quoted under its own question,
    not run together with the others under no heading."""
    body = (
        "近日，县政府印发《若干措施》。现就有关内容解读如下。\n"
        "一问：企业完成股改能拿到多少奖励？\n"
        "答：一次性奖励50万元。\n"
        "二问：企业到香港上市有没有奖励？\n"
        "答：有。奖励300万元。\n"
        "问题三：如何申请？\n"
        "答：达到条件之日起12个月内申请。\n"
        "问：热线电话是多少？\n"
        "答：0588-6021578。\n"
    )
    chunks = chunk_document("doc", body)
    assert [c.section for c in chunks] == [
        "",
        "一问 企业完成股改能拿到多少奖励？",
        "二问 企业到香港上市有没有奖励？",
        "问题三 如何申请？",
        "问 热线电话是多少？",
    ]
    assert chunks[2].text == "二问：企业到香港上市有没有奖励？\n答：有。奖励300万元。"


def test_a_book_of_numbered_questions_is_chunked_by_its_questions_under_its_themes() -> None:
    """A 百问百答 numbers its questions through the book under theme headings ("一、上市挂牌" /
    "1. …？" / "答：…"): each answer is a passage under its own question, the theme opening the
    first of them, and no passage holds the end of one answer and the start of the next
    (tingbu, written blind). A numbered line that asks nothing stays an item of its list."""
    body = (
        "编者说明：本册收录区、市、省三级政策问答。\n"
        "一、上市挂牌\n"
        "1. 企业在新三板挂牌，区里奖励多少？\n"
        "答：奖励80万元；进入创新层的，再奖励50万元。\n"
        "2. 市里对上市企业奖励多少？\n"
        "答：市级奖励合计500万元。\n"
        "答：市级奖励与区级奖励可叠加享受。\n"
        "二、股权投资基金\n"
        "3. 引导基金出资比例最高多少？\n"
        "答：一般不超过子基金规模的25%，申报材料包括：\n"
        "1.设立方案；\n"
        "2.登记证明。\n"
    )
    chunks = chunk_document("faq", body)
    assert [c.section for c in chunks] == [
        "",
        "1. 企业在新三板挂牌，区里奖励多少？",
        "2. 市里对上市企业奖励多少？",
        "3. 引导基金出资比例最高多少？",
    ]
    assert (
        chunks[1].text
        == "一、上市挂牌\n1. 企业在新三板挂牌，区里奖励多少？\n答：奖励80万元；进入创新层的，再奖励50万元。"
    )
    assert chunks[2].text.endswith("答：市级奖励与区级奖励可叠加享受。")
    assert chunks[3].text.endswith("1.设立方案；\n2.登记证明。")


def test_a_question_under_a_bare_numbered_heading_is_that_item_s_body() -> None:
    """ "## 二、个人最多能贷多少？" then "问：…" and "答：…": one passage under 二、, not a
    passage of the heading alone (a bare question, near any question asked) and another
    under the 问. A question after an item with words of its own is still its own unit."""
    body = (
        "## 一、哪些人能申请？\n\n问：退役军人能申请吗？\n\n答：可以。\n\n"
        "## 二、个人最多能贷多少？\n\n问：一个人最多能贷多少钱？\n\n答：最多30万元。\n\n"
        "问：合伙创业呢？\n\n答：每人30万元，合计最多150万元。\n\n"
        "三、贴息。财政承担70%。\n问：山区县呢？\n答：90%。\n"
    )
    assert _sections_and_texts(body) == [
        ("一、", "一、哪些人能申请？\n问：退役军人能申请吗？\n答：可以。"),
        ("二、", "二、个人最多能贷多少？\n问：一个人最多能贷多少钱？\n答：最多30万元。"),
        ("问 合伙创业呢？", "问：合伙创业呢？\n答：每人30万元，合计最多150万元。"),
        ("三、贴息", "三、贴息。财政承担70%。"),
        ("问 山区县呢？", "问：山区县呢？\n答：90%。"),
    ]


TRADE_MEASURES = """二、降低外贸企业汇率和信用风险
（三）出口信用保险保费补贴。对投保短期出口信用保险的，按保费的50%给予补贴。
1. 小微外贸企业按60%给予补贴。
（四）汇率避险费用补贴。对办理远期结售汇的，按避险费用的50%给予补贴。
三、申报材料
（一）营业执照；
（二）申请表。
四、加大奖励力度。对上市企业给予奖励。
（一）沪深上市。奖励300万元。
（二）北交所上市。奖励200万元。
"""


def test_a_section_of_titled_items_is_cut_at_each_item_under_its_heading() -> None:
    """Each titled item is a passage of its own, its section's heading first; a list of
    untitled items stays whole, and a section's own words before its items stay apart."""
    assert _sections_and_texts(TRADE_MEASURES) == [
        (
            "（三）出口信用保险保费补贴",
            "二、降低外贸企业汇率和信用风险\n（三）出口信用保险保费补贴。对投保短期出口信用保险的，"
            "按保费的50%给予补贴。\n1. 小微外贸企业按60%给予补贴。",
        ),
        (
            "（四）汇率避险费用补贴",
            "二、降低外贸企业汇率和信用风险\n（四）汇率避险费用补贴。对办理远期结售汇的，"
            "按避险费用的50%给予补贴。",
        ),
        ("三、申报材料", "三、申报材料\n（一）营业执照；\n（二）申请表。"),
        ("四、加大奖励力度", "四、加大奖励力度。对上市企业给予奖励。"),
        ("（一）沪深上市", "四、加大奖励力度\n（一）沪深上市。奖励300万元。"),
        ("（二）北交所上市", "四、加大奖励力度\n（二）北交所上市。奖励200万元。"),
    ]


def test_an_item_passage_knows_the_section_it_was_cut_from() -> None:
    chunks = chunk_document("d", "第二章 措施\n" + TRADE_MEASURES)
    assert [section_above(c) for c in chunks] == [
        "二、降低外贸企业汇率和信用风险", "二、降低外贸企业汇率和信用风险", "", "",
        "四、加大奖励力度", "四、加大奖励力度",
    ]  # fmt: skip
    assert chunks[0].text.startswith("第二章 措施\n二、降低外贸企业汇率和信用风险\n（三）")


ENGLISH_GUIDE = (
    "Issued by the Bureau of Economic Development and Financial Services (English edition)\n"
    "Article 1 Purpose. This Guide explains, in English, the main financing support available "
    "to foreign-invested enterprises (FIEs) registered in the Zone. Where this Guide differs "
    "from the Chinese text, the Chinese text prevails.\n"
    "Article 2 Foreign debt interest subsidy. Where foreign debt is used for fixed-asset "
    "investment or R&D in the Zone, the Zone subsidises 20% of the interest actually paid, up "
    "to RMB 1 million per enterprise per year. "
    + "Applications are reviewed each quarter. " * 12
    + "\nChapter 2 Funds\nArticle 3 QFLP contact. Foreign fund managers may write to Window 6."
)


def test_an_english_edition_is_cut_at_its_articles_and_sentences() -> None:
    """A bureau's English guide: its articles are sections with their titles, and a long
    article is cut between sentences and words, never inside a word."""
    chunks = chunk_document("d", ENGLISH_GUIDE, max_chars=300, overlap=60)
    assert [c.section for c in chunks][:3] == [
        "", "Article 1 Purpose", "Article 2 Foreign debt interest subsidy",
    ]  # fmt: skip
    assert chunks[-1].section == "Article 3 QFLP contact"
    assert chunks[-1].text.startswith("Chapter 2 Funds\nArticle 3 QFLP contact.")
    article_2 = [c.text for c in chunks if c.section.startswith("Article 2")]
    assert len(article_2) > 1
    for text in article_2:  # each starts and ends with a whole word of the guide
        first, last = text.split()[0], text.split()[-1]
        assert re.search(rf"(?:^|\s){re.escape(first)}", ENGLISH_GUIDE), text[:30]
        assert re.search(rf"{re.escape(last)}(?:\s|$)", ENGLISH_GUIDE), text[-30:]


COMPILATION = """编印说明
本汇编收录本区现行有效的两份文件，按原文收录。
第一部分　首贷培育贴息奖励办法
栎金〔2027〕20号
第一条　本办法所称首贷户，是指此前从未获得经营性贷款的小微企业。
第二条　贴息和奖励按年度申报，每年第一季度集中受理。
第二部分　小微企业贷款风险补偿资金池管理办法
第一条　区财政安排5000万元设立资金池。
"""


def test_each_article_of_a_compilation_opens_with_its_part_s_heading() -> None:
    """A 政策汇编 holds several measures, each numbered from 第一条: an article that does not
    name its measure ("贴息和奖励按年度申报…") is found and quoted under its part's title."""
    assert _sections_and_texts(COMPILATION) == [
        ("", "编印说明\n本汇编收录本区现行有效的两份文件，按原文收录。"),
        ("第一部分 首贷培育贴息奖励办法", "第一部分\u3000首贷培育贴息奖励办法\n栎金〔2027〕20号"),
        (
            "第一条",
            "第一部分\u3000首贷培育贴息奖励办法\n"
            "第一条\u3000本办法所称首贷户，是指此前从未获得经营性贷款的小微企业。",
        ),
        (
            "第二条",
            "第一部分\u3000首贷培育贴息奖励办法\n第二条\u3000贴息和奖励按年度申报，每年第一季度集中受理。",
        ),
        (
            "第一条",
            "第二部分\u3000小微企业贷款风险补偿资金池管理办法\n第一条\u3000区财政安排5000万元设立资金池。",
        ),
    ]


ENTRIES = """编印说明
本汇编收录截至2028年12月31日现行有效的政策。
目录
第一部分　区级政策
【01】湄屿区促进企业上市若干措施（原文收录）
【02】湄屿区绿色贷款贴息（政策要点）
第二部分　市级政策
【03】鹭湾市企业上市奖励办法（原文收录）
第一部分　区级政策
【01】湄屿区促进企业上市若干措施（原文收录）
湄屿区人民政府关于印发《湄屿区促进企业上市若干措施》的通知
第六条　企业完成股份制改造的，给予股改奖励30万元。
【02】湄屿区绿色贷款贴息（政策要点）
政策名称：湄屿区绿色贷款贴息
政策依据：《湄屿区绿色贷款贴息管理办法》（湄金服〔2027〕6号）
支持对象：在本区注册的企业和渔业合作社，其项目已纳入湄屿区绿色项目库，且从本区银行获得绿色贷款。
支持标准：按实际贷款余额贴息1个百分点，海岛企业贴息1.5个百分点，贴息期限最长3年，每家每年最高50万元。
第二部分　市级政策
【03】鹭湾市企业上市奖励办法（原文收录）
第六条　企业完成股份制改造的，市级给予奖励50万元。
"""


def test_each_passage_of_a_compilation_s_entry_carries_the_line_naming_its_measure() -> None:
    """A compilation of entries under parts (meiyu, written blind, session 53): "第六条" of
    the district's measure and "第六条" of the city's differ only by the entry line above
    them, and a 政策要点 card is one passage per field under it, not the tail of the article
    before it; the 目录's lines for the entries open nothing."""
    got = [(c.section, c.text) for c in chunk_document("d", ENTRIES, compilation=True)]
    district = "第一部分\u3000区级政策\n【01】湄屿区促进企业上市若干措施（原文收录）"
    card = "第一部分\u3000区级政策\n【02】湄屿区绿色贷款贴息（政策要点）"
    city = "第二部分\u3000市级政策\n【03】鹭湾市企业上市奖励办法（原文收录）"
    assert ("第六条", f"{district}\n第六条\u3000企业完成股份制改造的，给予股改奖励30万元。") in got
    assert ("第六条", f"{city}\n第六条\u3000企业完成股份制改造的，市级给予奖励50万元。") in got
    assert ("支持标准", f"{card}\n支持标准：按实际贷款余额贴息1个百分点，海岛企业贴息1.5个百分点，贴息期限最长3年，每家每年最高50万元。") in got  # fmt: skip
    assert ("政策名称", f"{card}\n政策名称：湄屿区绿色贷款贴息\n政策依据：《湄屿区绿色贷款贴息管理办法》（湄金服〔2027〕6号）") in got  # fmt: skip
    assert ("第一部分 区级政策", f"{district}\n【02】湄屿区绿色贷款贴息（政策要点）") in got  # 目录
    # without the compilation's flag the same text is chunked as before
    plain = [c.text for c in chunk_document("d", ENTRIES)]
    assert not any(text.startswith(district + "\n第六条") for text in plain)


def test_a_guide_written_as_lines_of_fields_gives_a_passage_per_field() -> None:
    """A 办事指南 saved as text ("事项名称：… / 申请材料：… / 收费标准：…") reads as its table does:
    one passage per field under the field's name (zheling, written blind: its PDF guide was two
    passages, the fee and the hours in the middle of one). Fields under a numbered heading of
    their own ("五、联系电话 / 服务热线：…") stay with that heading."""
    guide = "\n".join(
        [
            "柘岭区财政局　2030年1月修订",
            "事项名称：水产养殖保险保费补贴",
            "实施主体：柘岭区财政局",
            "申请材料：1.身份证；",
            "2.水面承包合同。",
            "承诺办结时限：资料齐全后5个工作日内出具保单",
            "收费标准：补贴事项本身不收费",
            "办理地点：各镇农业综合服务中心",
            "咨询电话：0749-5863325",
        ]
    )
    chunks = chunk_document("g", guide)
    assert [c.section for c in chunks] == [
        "", "事项名称", "实施主体", "申请材料", "承诺办结时限", "收费标准", "办理地点", "咨询电话",
    ]  # fmt: skip
    assert chunks[3].text == "申请材料：1.身份证；\n2.水面承包合同。"
    contacts = "五、联系电话\n" + "\n".join(
        f"{n}窗口：0759-2210880{i}" for i, n in enumerate("甲乙丙丁戊己")
    )
    assert [c.section for c in chunk_document("c", contacts)] == ["五、联系电话"]


def test_a_long_table_is_cut_between_its_rows_without_the_row_before_s_tail() -> None:
    """A passage of a long table opens with a row of its own: the overlap that carries the
    last sentences of a paragraph into the next passage would open it with the previous
    row's last cells ("…拨付 | 收费：不收费 | 地点：…"), as if they were this row's."""
    rows = [
        f"序号：{i} | 事项名称：第{i}项补贴申请 | 申请材料：①申请表；②营业执照复印件；③借款合同；"
        f"④付息凭证 | 办结时限：受理后{i + 10}个工作日内完成审核并拨付 | 收费：不收费 | "
        f"地点：区金融服务港{i}号窗口"
        for i in range(1, 13)
    ]
    chunks = chunk_document("table", "\n".join(rows))
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.text.startswith("序号："), chunk.text[:40]
