from __future__ import annotations

from datetime import date

import pytest

from knowledge.metadata import parse_metadata

HEADER_DOC = """# 某区支持企业上市挂牌若干措施

- 发文单位：某区地方金融监督管理局
- 文号：某金发〔2021〕3号
* 发布日期: 2021-02-01
施行日期：二〇二一年三月一日
- 有效期至：2023.12.31
- 依据：《国务院关于进一步提高上市公司质量的意见》
- 主题：listing

第一条　为支持企业上市，制定本措施。
"""


def test_header_block_fields_and_body() -> None:
    meta, body, warnings = parse_metadata(HEADER_DOC, "fallback")
    assert meta.title == "某区支持企业上市挂牌若干措施"
    assert meta.issuer == "某区地方金融监督管理局"
    assert meta.doc_number == "某金发〔2021〕3号"
    assert meta.published == date(2021, 2, 1)
    assert meta.effective == date(2021, 3, 1)
    assert meta.expires == date(2023, 12, 31)
    assert meta.long_term is False
    assert meta.national_basis == "《国务院关于进一步提高上市公司质量的意见》"
    assert meta.topic == "listing"
    assert body == "第一条\u3000为支持企业上市，制定本措施。"
    assert warnings == ()


def test_header_effective_alias_and_long_term() -> None:
    text = "# 办法\n生效日期：2022/5/1\n有效期：长期有效\n\n正文。"
    meta, body, _ = parse_metadata(text, "f")
    assert (meta.effective, meta.long_term, meta.expires) == (date(2022, 5, 1), True, None)
    assert body == "正文。"


def test_validity_range_sets_effective_and_expiry() -> None:
    meta, _, warnings = parse_metadata(
        "# 办法\n有效期：2024年1月1日至2026年12月31日\n\n正文。", "f"
    )
    assert (meta.effective, meta.expires) == (date(2024, 1, 1), date(2026, 12, 31))
    assert warnings == ()


def test_explicit_effective_date_wins_over_range_start() -> None:
    text = "# 办法\n有效期：2024年1月1日至2026年12月31日\n施行日期：2024年2月1日\n\n正文。"
    meta, _, _ = parse_metadata(text, "f")
    assert meta.effective == date(2024, 2, 1)


def test_repealed_with_replacement_title() -> None:
    text = "# 旧办法\n施行日期：2020年1月1日\n废止日期：2024年3月1日（由《某区融资担保贷款管理办法（2024年修订）》替代）\n\n正文。"
    meta, _, _ = parse_metadata(text, "f")
    assert meta.repealed == date(2024, 3, 1)
    assert meta.replaced_by == "某区融资担保贷款管理办法（2024年修订）"


def test_plain_text_header_without_markdown_title() -> None:
    text = "某区政府性融资担保贷款贴息办法\n发文单位：区财政局\n施行日期：2021年3月1日\n\n第一条　目的。"
    meta, body, _ = parse_metadata(text, "f")
    assert (meta.title, meta.issuer) == ("某区政府性融资担保贷款贴息办法", "区财政局")
    assert body == "第一条\u3000目的。"


def test_yaml_front_matter_with_english_and_chinese_keys() -> None:
    text = """---
title: 《融资担保贷款管理办法》
发文单位: 区金融局
文号: 区金发〔2022〕1号
published: 2022-05-01
施行日期: 2022年6月1日
expires: 长期有效
replaces: 《融资担保贷款管理暂行办法》
replaced_by: null
topic: guarantee
依据: 《融资担保公司监督管理条例》
---
# 融资担保贷款管理办法

## 总则
正文。
"""
    meta, body, warnings = parse_metadata(text, "f")
    assert meta.title == "融资担保贷款管理办法"
    assert (meta.issuer, meta.doc_number) == ("区金融局", "区金发〔2022〕1号")
    assert (meta.published, meta.effective) == (date(2022, 5, 1), date(2022, 6, 1))
    assert meta.long_term is True
    assert meta.replaces == "融资担保贷款管理暂行办法"
    assert meta.replaced_by is None
    assert (meta.topic, meta.national_basis) == ("guarantee", "《融资担保公司监督管理条例》")
    assert body == "## 总则\n正文。"  # the title heading is not repeated in the body
    assert warnings == ()


def test_yaml_dates_in_every_form() -> None:
    text = "---\ntitle: T\neffective: 2021.3.1\nexpires: 2021/12/31\nrepealed: 二〇二二年一月一日\n---\n正文。"
    meta, _, _ = parse_metadata(text, "f")
    assert (meta.effective, meta.expires, meta.repealed) == (
        date(2021, 3, 1),
        date(2021, 12, 31),
        date(2022, 1, 1),
    )


def test_broken_yaml_is_reported_and_not_indexed() -> None:
    text = "---\ntitle: [unclosed\n---\n正文。"
    meta, body, warnings = parse_metadata(text, "stem")
    assert "bad_front_matter" in warnings
    assert (meta.title, body) == ("stem", "正文。")


def test_markdown_rules_are_not_front_matter() -> None:
    text = "---\n一段被分隔线包围的说明。\n---\n正文。"
    _, body, warnings = parse_metadata(text, "stem")
    assert body == text and "bad_front_matter" not in warnings


def test_unparseable_date_is_warned() -> None:
    meta, _, warnings = parse_metadata("# T\n施行日期：另行通知\n\n正文。", "f")
    assert meta.effective is None
    assert "bad_date" in warnings and "no_effective_date" in warnings


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("前言段落。\n\n## 第一部分\n正文。", "第一部分"),
        ("某区上市奖励政策问答\n\n问：如何申请？答：线上提交。", "某区上市奖励政策问答"),
        ("这是一段很长的正文，没有任何标题，" * 5 + "结束。", "上市奖励"),
        ("第一条　为规范管理，制定本办法。", "上市奖励"),
    ],
)
def test_title_fallbacks(text: str, title: str) -> None:
    meta, body, warnings = parse_metadata(text, "上市奖励")
    assert meta.title == title
    assert body.strip() in text
    assert warnings == ("no_effective_date",)


def test_published_date_avoids_missing_effective_warning() -> None:
    meta, _, warnings = parse_metadata("# T\n发布日期：2021年3月1日\n\n正文。", "f")
    assert meta.effective is None and meta.published == date(2021, 3, 1)
    assert warnings == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("本办法自2021年4月1日起施行。", date(2021, 4, 1)),
        ("本办法自印发之日起施行。", date(2021, 3, 1)),
        ("本办法于2021年4月1日起施行。", date(2021, 4, 1)),
        ("本办法于2021年4月1日施行。", date(2021, 4, 1)),
        ("本办法自2021年4月1日起正式施行，有效期3年。", date(2021, 4, 1)),
        ("本办法从2021年4月1日开始执行。", date(2021, 4, 1)),
        # a deadline is not the day it takes effect
        ("材料于2021年12月31日前审核后实施拨付。本办法自印发之日起施行。", date(2021, 3, 1)),
        # "关于" is a title's "about": its 于 starts no date
        (
            "关于2021年4月1日前已备案企业的实施细则另行制定，本办法自印发之日起施行。",
            date(2021, 3, 1),
        ),
    ],
)
def test_effective_date_read_from_closing_article(sentence: str, expected: date) -> None:
    meta, _, _ = parse_metadata(
        f"# T\n发布日期：2021年3月1日\n\n第一条　正文。\n第九条　{sentence}", "f"
    )
    assert meta.effective == expected


def test_a_policy_interpretation_replaces_nothing_it_restates() -> None:
    """A 解读 that restates "原《…》同时废止" is not the replacement of the repealed measure
    (the measure it explains is); it still lives as long as that measure."""
    answer = (
        "答：《若干措施》自2025年3月1日起施行，有效期5年，原《某县鼓励企业上市扶持办法》同时废止。"
    )
    text = f"# 《某县推动企业上市若干措施》政策解读\n\n八问：原来的扶持办法还能用吗？\n{answer}"
    meta, _, _ = parse_metadata(text, "f")
    assert meta.replaces is None
    assert meta.effective == date(2025, 3, 1) and meta.expires == date(2030, 2, 28)
    measure, _, _ = parse_metadata(f"# 某县推动企业上市若干措施\n\n九、附则\n{answer[2:]}", "f")
    assert measure.replaces == "某县鼓励企业上市扶持办法"


def test_a_draft_published_for_comment_is_marked_by_its_title_or_the_line_under_it() -> None:
    """泽川-style drafts: the marker is in the title, or printed alone under it (then it joins
    the title, as an edition line does); a rule in force is not a draft."""
    inline, _, warnings = parse_metadata(
        "某市融资担保费补贴办法（征求意见稿）\n\n第一条　为降低融资成本，制定本办法。\n", "f"
    )
    assert inline.draft and "draft" in warnings and "no_effective_date" not in warnings
    under, body, _ = parse_metadata(
        "某市融资担保费补贴办法\n（征求意见稿）\n\n第一条　为降低融资成本，制定本办法。\n", "f"
    )
    assert under.draft and under.title == "某市融资担保费补贴办法（征求意见稿）"
    assert "征求意见稿" not in body
    notice, _, _ = parse_metadata(
        "关于公开征求《某市应急转贷资金管理办法（修订）》意见的公告\n\n一、征求意见时间\n", "f"
    )
    assert notice.draft
    front, _, _ = parse_metadata("---\ntitle: 某市办法\ndraft: true\n---\n第一条　内容。\n", "f")
    assert front.draft
    rule, _, warnings = parse_metadata(
        "某市融资担保费补贴办法\n\n第一条　为降低融资成本，制定本办法。\n", "f"
    )
    assert not rule.draft and "draft" not in warnings


REPEAL_DECISION = """# 金沙湾区人民政府关于废止部分规范性文件的决定

- 文号：金政规〔2026〕35号
- 施行日期：2026-06-01

根据《汀淮省行政规范性文件管理办法》（汀政规〔2020〕2号）要求，区政府对现行规范性文件进行了清理。
经研究，决定对以下2件规范性文件予以废止。

序号 | 文件名称 | 文号 | 废止理由
1 | 金沙湾区应急转贷资金管理办法 | 金政规〔2023〕5号 | 已由金政规〔2026〕30号替代
2 | 《金沙湾区跨境人民币结算奖励办法》 | 金金办〔2023〕21号 | 政策到期，不再执行

继续有效的规范性文件
1 | 金沙湾区融资担保体系建设实施意见 | 金政规〔2025〕3号
"""


def test_a_repeal_decision_lists_the_documents_it_repeals_not_its_basis_or_those_kept() -> None:
    """A row's first 文号 is the repealed document's; a reason citing the replacement's,
    the basis cited in the preamble and the documents kept repeal nothing."""
    meta, _, _ = parse_metadata(REPEAL_DECISION, "fallback")
    assert meta.repeals == (
        ("金沙湾区应急转贷资金管理办法", "金政规〔2023〕5号"),
        ("金沙湾区跨境人民币结算奖励办法", "金金办〔2023〕21号"),
    )
    assert meta.replaces is None


def test_a_measure_that_only_mentions_repeal_is_not_a_repeal_decision() -> None:
    text = "# 金沙湾区应急转贷资金管理办法\n\n第三十条 本办法自2026年1月1日起施行。\n"
    meta, _, _ = parse_metadata(text, "fallback")
    assert meta.repeals == ()


def test_a_repeal_decision_read_from_a_pdf_lists_its_rows_as_lines() -> None:
    """A PDF's table is rows of text: the sequence number before the title is not the title."""
    text = (
        "# 关于宣布失效和废止一批行政规范性文件的通知\n\n- 施行日期：2026-06-01\n\n"
        "废止的行政规范性文件目录\n"
        "1 金沙湾区应急转贷资金管理办法 金政规〔2023〕5号\n"
        "2. 金沙湾区跨境人民币结算奖励办法 金金办〔2023〕21号\n"
    )
    meta, _, _ = parse_metadata(text, "fallback")
    assert meta.repeals == (
        ("金沙湾区应急转贷资金管理办法", "金政规〔2023〕5号"),
        ("金沙湾区跨境人民币结算奖励办法", "金金办〔2023〕21号"),
    )


def test_an_english_title_line_is_the_title() -> None:
    title = (
        "Guide to Financing Support for Foreign-Invested Enterprises in Qiyuan Economic and "
        "Technological Development Zone"
    )
    meta, body, _ = parse_metadata(
        f"{title}\nArticle 1 Purpose. This Guide explains the support.", fallback_title="fie-guide"
    )
    assert meta.title == title
    assert body.startswith("Article 1 Purpose.")


def test_a_joint_notice_s_long_title_line_is_the_title() -> None:
    """Three bodies issuing a measure jointly make a title line of 72 characters (panxi,
    written blind, whose title was its file name); a sentence as long is no title."""
    title = (
        "磐溪市地方金融服务中心 磐溪市科学技术局 磐溪市财政局关于印发《磐溪市知识产权质押融资贴息"
        "和科技贷款风险补偿管理办法》的通知"
    )
    assert len(title) > 60
    meta, _, _ = parse_metadata(
        f"{title}\n磐金发〔2026〕2号\n第一条　为规范管理，制定本办法。", "ip"
    )
    assert meta.title == title and meta.doc_number == "磐金发〔2026〕2号"
    sentence = (
        "各乡（镇）人民政府、街道办事处，磐溪边境经济合作区管委会，磐溪经济开发区管委会，各合作银行、"
        "融资担保机构、保险机构：现将有关事项通知"
    )
    assert len(sentence) > 60
    meta, _, _ = parse_metadata(f"{sentence}\n第一条　为规范管理，制定本办法。", "ip")
    assert meta.title == "ip"


def test_a_pilot_that_stops_articles_of_another_measure_amends_it() -> None:
    """ "本方案施行之日起，…《…细则》（…号）第十三条至第十五条在试点地区停止执行": the measure whose
    articles it stops, read from the body (cenjiang, written blind), so that a pilot taking
    effect later is pending beside that measure."""
    text = (
        "林业碳汇金融服务试点方案\n岑金管发〔2027〕5号\n一、试点范围\n凤岩市全域。\n"
        "三、政策衔接\n本方案施行之日起，试点地区林业碳汇质押贷款贴息按本方案执行，"
        "《岑江壮族自治区绿色金融奖补实施细则》（岑财金〔2026〕3号）第十三条至第十五条"
        "在试点地区停止执行。\n四、实施期限\n本方案自2027年7月1日起施行，有效期至2029年12月31日。\n"
    )
    meta, _, _ = parse_metadata(text, "f")
    assert meta.amends == "岑江壮族自治区绿色金融奖补实施细则"
    assert meta.replaces is None and meta.effective == date(2027, 7, 1)


def test_a_period_given_by_its_first_day_and_its_length_starts_on_that_day() -> None:
    """ "执行期限：2029年1月1日起执行，有效期5年" names the day it starts, not the day it ends: read as
    an end, a city's rating measure in a blind 汇编 lapsed the day it began (zheling)."""
    meta, _, _ = parse_metadata(
        "分类监管评级\n执行期限：2029年1月1日起执行，有效期5年", fallback_title="x"
    )
    assert meta.effective == date(2029, 1, 1) and meta.expires == date(2033, 12, 31)
    meta, _, _ = parse_metadata(
        "首贷贴息\n有效期：2029年1月1日至2030年12月31日", fallback_title="x"
    )
    assert meta.effective == date(2029, 1, 1) and meta.expires == date(2030, 12, 31)


def test_a_number_printed_above_the_title_is_the_number_not_the_title_s_first_line() -> None:
    """A 红头文件 prints its 文号 above the title (zhewan, written blind): read as the title's
    first line, the title ran on from the number and the document had none, so the measure
    repealing it by name and 文号 named nothing the knowledge base held."""
    meta, body, _ = parse_metadata(
        "柘政发〔2029〕3号\n关于印发《关于加快推进企业上市工作的若干意见》的通知\n"
        "各镇人民政府：\n现将《关于加快推进企业上市工作的若干意见》印发给你们。\n"
        "第一条　为推进企业上市，制定本意见。",
        "listing",
    )
    assert meta.title == "关于印发《关于加快推进企业上市工作的若干意见》的通知"
    assert meta.doc_number == "柘政发〔2029〕3号"
    assert "柘政发〔2029〕3号" not in body and body.startswith("各镇人民政府")
