"""Metadata read from where official documents keep it: 文号 line, closing article, 落款."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from knowledge.closing import (
    continued_title,
    repealed_by_body,
    split_signature,
    split_title_lines,
    validity_from_body,
    wrapped_title,
)
from knowledge.metadata import parse_metadata
from knowledge.models import DocStatus
from knowledge.status import resolve_statuses

OFFICIAL = """示范区小微企业贷款贴息办法
示财规〔2025〕3号

一、总则
（一）为降低融资成本，制定本办法。

二、贴息标准
按贷款市场报价利率的30%给予贴息。

三、附则
本办法自2025年3月1日起施行，有效期三年。原《示范区小微企业贷款贴息办法》（示财规〔2021〕8号）同时废止。

示范区财政局
示范区地方金融管理局
2025年2月10日
"""


def test_official_layout_yields_number_dates_issuer_and_predecessor() -> None:
    meta, body, _ = parse_metadata(OFFICIAL, "stem")
    assert meta.title == "示范区小微企业贷款贴息办法"
    assert meta.doc_number == "示财规〔2025〕3号"
    assert meta.published == date(2025, 2, 10)
    assert meta.effective == date(2025, 3, 1)
    assert meta.expires == date(2028, 2, 29)
    assert meta.issuer == "示范区财政局、示范区地方金融管理局"
    assert (meta.replaces, meta.replaces_number) == (
        "示范区小微企业贷款贴息办法",
        "示财规〔2021〕8号",
    )
    # title, 文号 and 落款 are metadata, not policy text to be quoted
    assert (
        body.startswith("一、总则") and "2025年2月10日" not in body and "示财规〔2025〕" not in body
    )


def test_same_title_versions_are_told_apart_by_number() -> None:
    old, _, _ = parse_metadata(
        OFFICIAL.replace("2025", "2021").replace("〔2021〕8号", "〔2017〕1号"), "a"
    )
    new, _, _ = parse_metadata(OFFICIAL, "b")
    assert old.doc_number == "示财规〔2021〕3号" and new.replaces_number == "示财规〔2021〕8号"
    old = replace(old, doc_number="示财规〔2021〕8号")
    statuses = resolve_statuses({"old": old, "new": new}, date(2026, 6, 1))
    assert statuses["old"].status is DocStatus.SUPERSEDED and statuses["old"].replaced_by == "new"
    assert statuses["new"].status is DocStatus.CURRENT


def test_validity_forms() -> None:
    start = date(2024, 7, 1)
    assert validity_from_body("本通知有效期至2024年12月31日。", start) == (
        date(2024, 12, 31),
        False,
    )
    assert validity_from_body("自印发之日起施行，有效期5年。", start) == (date(2029, 6, 30), False)
    assert validity_from_body("有效期两年。", start) == (date(2026, 6, 30), False)
    assert validity_from_body("本指南长期有效。", start) == (None, True)
    assert validity_from_body("有效期与原文件一致。", start) == (None, False)
    assert validity_from_body("有效期五年。", None) == (None, False)  # nothing to count from


def test_an_article_s_closing_line_gives_the_end_of_the_measure_it_explains() -> None:
    """A 公众号 article ends "本政策执行至2030年12月31日。" with no start (tingbu, written blind:
    the article on a measure that had ended was read as in force); a loan's own term is not
    the measure's."""
    body = "个体工商户最高20万元，期限1年，到期可续贷一次。\n本政策执行至2030年12月31日。"
    assert validity_from_body(body, None) == (date(2030, 12, 31), False)
    assert validity_from_body("本通知有效至2031年6月30日。", None) == (date(2031, 6, 30), False)
    assert validity_from_body("贷款执行至2030年12月31日到期。", None) == (None, False)


def test_a_pilots_period_is_its_validity() -> None:
    """meiyu, written blind (session 53): a pilot measure states its run only as 试点期限, at
    its head, and was held current a year after "试点期满自动失效"."""
    body = "一、试点期限\n本办法试点期限为2026年7月1日至2028年6月30日，试点期满自动失效。"
    assert validity_from_body(body, None) == (date(2028, 6, 30), False)
    assert validity_from_body("试点期两年，全市推广“蓝碳贷”。", date(2029, 3, 1)) == (
        date(2031, 2, 28),
        False,
    )


def test_a_length_of_validity_is_the_documents_own_not_a_grants() -> None:
    """A blind KB's platform measure grants banks a one-year authorisation before its closing
    article gives its own five years; it was read as lapsed a year after it took effect."""
    start = date(2024, 7, 1)
    body = (
        "第六条　金融机构查询企业信用信息须取得企业在线授权，授权有效期为1年。\n"
        "第十八条　本办法自2024年7月1日起施行，有效期5年。"
    )
    assert validity_from_body(body, start) == (date(2029, 6, 30), False)
    assert validity_from_body("评级结果有效期2年。", start) == (None, False)
    assert validity_from_body("本细则试行期一年。", start) == (date(2025, 6, 30), False)
    # a document named just before its period, without 本, is still the document
    assert validity_from_body("二、政策有效期两年。", start) == (date(2026, 6, 30), False)
    assert validity_from_body("文件有效期三年。", start) == (date(2027, 6, 30), False)


def test_the_period_of_a_document_a_sentence_names_is_not_this_ones() -> None:
    """A 解读 recalls the repealed measure's term before its new one's: "原《…办法》（…号）有效期
    至2028年3月31日" is the old measure's (heshan, written blind: the 解读 was read as expired
    the day its measure took effect). A sentence that speaks of this one too (本通知) is this
    one's, and so is a measure's period a 问答 restates without calling it former."""
    start = date(2028, 4, 1)
    body = (
        "一、修订背景\n原《鹤山区政府性融资担保降费补助办法》（鹤政办发〔2025〕21号）有效期至2028年"
        "3月31日。\n四、施行时间\n新办法自2028年4月1日起施行，有效期至2031年3月31日，原办法同时废止。"
    )
    assert validity_from_body(body, start) == (date(2031, 3, 31), False)
    own = "原《栝州市普惠金融若干措施》废止后，本通知有效期至2029年12月31日。"
    assert validity_from_body(own, start) == (date(2029, 12, 31), False)
    # a 问答 restating the period of the measure it explains lives as long as that measure
    restated = "答：《鹤山区推进企业上市和挂牌融资若干措施》（鹤政发〔2027〕3号）自2027年3月1日起施行，有效期至2030年2月28日。"
    assert validity_from_body(restated, start) == (date(2030, 2, 28), False)


def test_validity_in_the_words_notices_use_for_their_period() -> None:
    """A notice that says how long it runs without the word 有效期 still lapses (a 阶段性降费
    notice "执行期限自…起至…止" was cited as current a year after it ended)."""
    start = date(2025, 1, 15)
    end = (date(2025, 12, 31), False)
    assert (
        validity_from_body("四、本通知执行期限自2025年1月1日起至2025年12月31日止。", start) == end
    )
    assert validity_from_body("有效期为2025年1月1日至2025年12月31日。", start) == end
    assert (
        validity_from_body("（二）本通知自2025年1月1日起执行，至2025年12月31日止。", start) == end
    )
    assert validity_from_body("本办法自2025年1月1日起实施至2025年12月31日。", start) == end
    assert validity_from_body("## 一、实施期限\n\n2025年1月1日至2025年12月31日。", start) == end
    # an extension notice names the period of the measure it extends, not its own
    assert validity_from_body("《某办法》有效期延长至2027年12月31日。", start) == (None, False)
    # a period inside a measure's content is not the measure's validity
    assert validity_from_body("对2024年1月1日至2025年12月31日新增贷款给予贴息。", start) == (
        None,
        False,
    )


def test_signature_needs_a_date_line_at_the_very_end() -> None:
    body, sig = split_signature("正文。\n\n示范区财政局\n2024年5月1日\n（此件公开发布）")
    assert body == "正文。" and sig.issuer == "示范区财政局" and sig.signed == date(2024, 5, 1)
    text = "一、条款\n2024年5月1日起受理申请，逾期不予受理。"
    assert split_signature(text) == (text, split_signature("x")[1])
    assert split_signature("正文\n二〇二四年五月一日")[1].signed == date(2024, 5, 1)


def test_title_and_number_lines_only_when_they_open_the_body() -> None:
    assert split_title_lines("标题\n示政发〔2024〕1号\n正文", "标题") == (
        "正文",
        "示政发〔2024〕1号",
    )
    assert split_title_lines("标题\n正文", "标题") == ("正文", None)
    assert split_title_lines("正文第一句。\n标题", "标题") == ("正文第一句。\n标题", None)


def test_repeal_sentence_forms() -> None:
    assert repealed_by_body("原《甲办法》同时废止。") == ("甲办法", None)
    assert repealed_by_body("《乙细则》（示金发〔2020〕2号）同时废止") == (
        "乙细则",
        "示金发〔2020〕2号",
    )
    assert repealed_by_body("按《丙办法》执行。") == (None, None)
    # a notice that stops a measure before its own 有效期 ends names the verb first (cangyu,
    # written blind: the stopped measure was read as in force until 2028)
    assert repealed_by_body(
        "经研究，决定停止执行《丁办法（试行）》（示金监发〔2023〕30号，以下简称原办法）。"
        "现将有关事项通知如下：一、自2027年1月1日起停止执行原办法。"
    ) == ("丁办法（试行）", "示金监发〔2023〕30号")
    assert repealed_by_body("现决定废止《戊细则》。") == ("戊细则", None)
    # repealed on a day of its own, by a new measure of the same title (daizhou, written blind:
    # the old bridge-loan measure was read as in force beside its replacement)
    assert repealed_by_body(
        "本办法自2027年7月1日起施行。《庚办法》（示金办〔2023〕25号）自2027年7月1日起废止；"
        "此前已受理的申请，按原办法执行。"
    ) == ("庚办法", "示金办〔2023〕25号")
    assert repealed_by_body("暂停执行《己办法》第五条。") == (None, None)


def test_an_agency_masthead_is_the_issuer_not_the_title() -> None:
    """发文机关标志 above the 文号 and the title: the title is the real one, not "北京市财政局"
    (titles that are only an issuer surfaced as wrong first hits on real notices)."""
    text = (
        "北京市财政局文件\n京财经〔2024〕12号\n关于做好2024年度中小企业贷款贴息工作的通知\n"
        "各区财政局：\n一、贴息标准\n按贷款市场报价利率的50%贴息。\n\n北京市财政局\n2024年3月1日\n"
    )
    meta, body, _ = parse_metadata(text, "stem")
    assert meta.title == "关于做好2024年度中小企业贷款贴息工作的通知"
    assert meta.issuer == "北京市财政局" and meta.doc_number == "京财经〔2024〕12号"
    assert body.startswith("各区财政局：") and "北京市财政局文件" not in body
    ministry, _, _ = parse_metadata("财政部\n关于印发《普惠金融专项资金办法》的通知\n正文。", "s")
    assert (
        ministry.title == "关于印发《普惠金融专项资金办法》的通知" and ministry.issuer == "财政部"
    )
    # a title that merely ends like an agency is still the title when nothing title-like follows
    plain, _, _ = parse_metadata("兰亭区金融工作办公室\n一、职责\n负责全区金融工作。", "s")
    assert plain.title == "兰亭区金融工作办公室"


EXTENSION = """关于延长《示范区小微企业贷款贴息办法》有效期
的通知
示财规〔2028〕1号

各有关单位：
《示范区小微企业贷款贴息办法》（示财规〔2025〕3号）将于2028年2月29日到期。现通知如下：
一、《示范区小微企业贷款贴息办法》（示财规〔2025〕3号）有效期延长至2029年12月31日。
二、本通知自2028年2月20日起施行。

示范区财政局
2028年2月10日
"""


def test_an_extension_notice_keeps_the_measure_in_force_past_its_own_end() -> None:
    """A 延期通知 (its title wrapped over two lines, as a PDF prints it) names the measure and
    the new end; the measure stays current after its own 有效期 and is expired after the new
    one; without the notice it lapses as its closing article says."""
    notice, body, _ = parse_metadata(EXTENSION, "stem")
    assert notice.title == "关于延长《示范区小微企业贷款贴息办法》有效期的通知"
    assert notice.doc_number == "示财规〔2028〕1号" and not body.startswith("的通知")
    assert (notice.extends, notice.extends_number, notice.extended_to) == (
        "示范区小微企业贷款贴息办法", "示财规〔2025〕3号", date(2029, 12, 31),
    )  # fmt: skip
    measure, _, _ = parse_metadata(OFFICIAL, "m")
    after_own_end = date(2028, 6, 1)
    alone = resolve_statuses({"m": measure}, after_own_end)
    assert alone["m"].status is DocStatus.EXPIRED
    both = resolve_statuses({"m": measure, "n": notice}, after_own_end)
    assert both["m"].status is DocStatus.CURRENT
    assert (both["m"].extended_to, both["m"].extended_by) == (date(2029, 12, 31), "n")
    assert resolve_statuses({"m": measure, "n": notice}, date(2030, 1, 2))["m"].status is (
        DocStatus.EXPIRED
    )
    # a notice not yet in effect extends nothing; nor does one naming another measure
    early = replace(notice, effective=date(2028, 7, 1))
    assert resolve_statuses({"m": measure, "n": early}, after_own_end)["m"].status is (
        DocStatus.EXPIRED
    )
    other = replace(notice, extends="另一个办法", extends_number=None)
    assert resolve_statuses({"m": measure, "n": other}, after_own_end)["m"].status is (
        DocStatus.EXPIRED
    )


def test_a_long_title_wrapped_over_three_lines_after_its_about_is_joined() -> None:
    """Issuers and a measure's name wrapped by a PDF (panxi's national measure, lanchuan's
    decision, written blind, were titled by their first line): joined up to three lines,
    none a sentence or a 文号; a title closed by its edition is not continued."""
    assert continued_title(
        [
            "财政部 人力资源社会保障部 中国人民银行 国家金融监督管理总局关于进",
            "一步优化创业担保贷款政策支持创业带动就业的通知",
            "财金〔2025〕28号",
        ]
    ) == (
        "财政部 人力资源社会保障部 中国人民银行 国家金融监督管理总局关于进一步优化创业担保贷款政策支持创业带动就业的通知"
    )
    assert (
        continued_title(
            [
                "澜川省财政厅 中国人民银行澜川省分行 国家",
                "金融监督管理总局澜川监管局关于修改《澜川省风险",
                "补偿资金池管理办法》部分条款的决定",
            ]
        )
        == "澜川省财政厅 中国人民银行澜川省分行 国家金融监督管理总局澜川监管局关于修改《澜川省风险补偿资金池管理办法》部分条款的决定"
    )
    assert (
        continued_title(
            ["某区贴息办法（修订征求意见稿）", "关于公开征求《某区贴息办法》意见的公告"]
        )
        is None
    )
    # a line ending in "办法" inside an open 《 is no whole title (heting, written blind)
    assert (
        continued_title(
            ["鹤汀区人民政府关于修改《政府性融资担保和普惠信贷支持办法", "》部分条款的决定"]
        )
        == "鹤汀区人民政府关于修改《政府性融资担保和普惠信贷支持办法》部分条款的决定"
    )
    assert continued_title(["某区财政局关于做好", "各有关单位：", "的通知"]) is None
    assert (
        continued_title(["某区财政局", "某区贴息办法"]) is None
    )  # no 关于: an issuer over a title


def test_a_title_is_joined_only_when_its_second_line_completes_it() -> None:
    assert wrapped_title("关于延长《某办法》有效期", "的通知") == "关于延长《某办法》有效期的通知"
    assert wrapped_title("关于开展2026年度贴息申报工作", "（试行）的通知") is not None
    assert wrapped_title("示范区小微企业贷款贴息办法", "示财规〔2025〕3号") is None  # 文号
    assert wrapped_title("某某区上市奖励办法", "的通知") is None  # already a title
    assert wrapped_title("关于做好贴息工作", "一、总则") is None
    assert wrapped_title("关于做好贴息工作", "各有关单位：") is None
    # an edition under the title belongs to it: one year's guide is not another's
    assert wrapped_title("企业应急转贷资金申请办事指南", "（2026年修订版）") == (
        "企业应急转贷资金申请办事指南（2026年修订版）"
    )
    assert wrapped_title("某某区贴息办法", "（试行）") == "某某区贴息办法（试行）"
    assert wrapped_title("某某区贴息办法", "（一）总则") is None
    # a reading under the name of the measure it reads is the reading, not the measure
    assert wrapped_title("《某某市上市奖励办法（2026年修订）》", "政策问答") == (
        "《某某市上市奖励办法（2026年修订）》政策问答"
    )
    assert wrapped_title("某某市上市奖励办法", "解读") == "某某市上市奖励办法解读"
    # the issuers' "…关于印发" cannot end a title: the measure's name under it completes it
    assert wrapped_title(
        "某某区财政局关于印发", "《某某区政府性融资担保费用补贴暂行办法》的通知"
    ) == ("某某区财政局关于印发《某某区政府性融资担保费用补贴暂行办法》的通知")
    assert wrapped_title("某某区财政局关于印发", "《某某区担保费补贴暂行办法》") is None


WRAPPED_AND_REPLACED = """某某区金融工作办公室　某某区财政局关于印发
《某某区政府性融资担保费用补贴暂行办法》的通知
某政金办〔2022〕21号
第三条　担保费率不超过1.2%。
第十三条　本办法自2022年5月1日起施行，有效期5年。
"""
REPLACING = """关于印发《某某区政府性融资担保降费奖补办法》的通知
某金办发〔2026〕20号
第五条　担保费率不超过1%。
第二十八条　本办法自2026年3月1日起施行，有效期至2030年2月28日。《某某区政府性融资担保费用补贴暂行办法》（某政金办〔2022〕21号）同时废止。
"""


def test_a_measure_whose_title_a_pdf_wrapped_is_repealed_by_its_successor() -> None:
    old, _, _ = parse_metadata(WRAPPED_AND_REPLACED, "fallback")
    new, _, _ = parse_metadata(REPLACING, "fallback")
    assert old.doc_number == "某政金办〔2022〕21号"
    assert old.title.endswith("关于印发《某某区政府性融资担保费用补贴暂行办法》的通知")
    status = resolve_statuses({"old": old, "new": new}, date(2026, 12, 10))["old"]
    assert status.status is DocStatus.SUPERSEDED


CAMPAIGN = """关于开展2025年某某区汽车消费贷款贴息活动的通知
某金办发〔2025〕28号
一、活动时间
2025年3月15日至2025年12月31日，以贷款发放日期为准。
二、支持标准
购买新能源汽车的，按贷款金额的2%给予贴息，每辆最高3000元。
三、申领方式
消费者应在贷款发放后30日内，且最迟不晚于2026年1月31日，通过小程序申领。
"""


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (date(2025, 12, 31), DocStatus.CURRENT),
        (date(2026, 1, 31), DocStatus.CURRENT),  # claims are still made under it
        (date(2026, 2, 1), DocStatus.EXPIRED),
    ],
)
def test_a_campaign_notice_runs_until_its_last_day_for_claims(day: date, status: DocStatus) -> None:
    meta, _, _ = parse_metadata(CAMPAIGN, "fallback")
    assert meta.expires == date(2026, 1, 31)
    assert resolve_statuses({"c": meta}, day)["c"].status is status


def test_a_campaign_period_without_the_end_year_and_a_measure_naming_an_event() -> None:
    month = "关于开展2025年防范非法集资宣传月活动的通知\n一、活动时间 2025年5月1日至5月31日。\n"
    assert parse_metadata(month, "fallback")[0].expires == date(2025, 5, 31)
    # a measure that mentions an event's dates is no campaign: it does not end with the event
    measure = "某某区金融人才奖励办法\n第九条　活动时间为2025年5月1日至5月31日。\n"
    assert parse_metadata(measure, "fallback")[0].expires is None


def test_an_edition_line_and_a_two_field_info_line_are_metadata_not_passages() -> None:
    guide, body, _ = parse_metadata(
        "企业申请办事指南\n（2026年修订版）\n一、事项名称\n应急转贷。\n", "g"
    )
    assert guide.title == "企业申请办事指南（2026年修订版）" and body.startswith("一、事项名称")
    reading, body, _ = parse_metadata(
        "《某某办法》政策解读\n发布机构：某某市金融管理局\u3000\u3000发布日期：2025年2月12日\n一、出台背景\n……\n",
        "r",
    )
    assert reading.issuer == "某某市金融管理局" and reading.published == date(2025, 2, 12)
    assert body.startswith("一、出台背景")


SHORT_NAMED = """关于延长《示范区中小企业应急转贷资金管理办法》有效期的通知
示金发〔2025〕38号

各有关单位：
《示范区中小企业应急转贷资金管理办法》（示金发〔2023〕22号，以下简称《办法》）有效期至2025年12月31日。现通知如下：
一、《办法》有效期延长至2027年12月31日。
二、延期期间，《办法》各条款继续执行。

示范区金融局
2025年12月15日
"""


def test_an_extension_notice_may_name_the_measure_by_its_short_name() -> None:
    """ "以下简称《办法》" defines the short name once; "《办法》有效期延长至…" then extends the
    measure it stands for (lanchuan's notice did, and its measure read as expired)."""
    notice, _, _ = parse_metadata(SHORT_NAMED, "n")
    assert (notice.extends, notice.extends_number, notice.extended_to) == (
        "示范区中小企业应急转贷资金管理办法", "示金发〔2023〕22号", date(2027, 12, 31),
    )  # fmt: skip
    assert (
        notice.expires is None
    )  # "…（以下简称《办法》）有效期至2025年12月31日" is the measure's old end
    measure, _, _ = parse_metadata(
        "示范区中小企业应急转贷资金管理办法\n示金发〔2023〕22号\n\n第一条 转贷资金。\n"
        "第二十条 本办法自2023年6月1日起施行，有效期至2025年12月31日。\n",
        "m",
    )
    statuses = resolve_statuses({"m": measure, "n": notice}, date(2026, 12, 4))
    assert statuses["m"].status is DocStatus.CURRENT and statuses["n"].status is DocStatus.CURRENT
    assert statuses["m"].extended_to == date(2027, 12, 31)
    # a short name the body never defines names nothing more than itself
    undefined, _, _ = parse_metadata(SHORT_NAMED.replace("，以下简称《办法》", ""), "n")
    assert undefined.extends == "办法" and undefined.extends_number is None
    assert repealed_by_body("《甲办法》（示财规〔2021〕8号，以下简称《办法》）……《办法》同时废止。") == (
        "甲办法", "示财规〔2021〕8号",
    )  # fmt: skip


NUMBER_NAMED = """关于延长《关于开展电商贷支持行动的通知》有效期的通知
示金服〔2025〕34号

各有关单位：
《关于开展电商贷支持行动的通知》（示金服〔2023〕26号）将于2025年12月31日到期。现就延期有关事项通知如下：
一、示金服〔2023〕26号文件有效期延长至2027年12月31日。
二、本通知自2026年1月1日起施行。

示范区金融服务中心
2025年12月15日
"""


def test_an_extension_notice_may_name_the_measure_by_its_number() -> None:
    """ "示金服〔2023〕26号文件有效期延长至…" extends the document of that 文号; the title is
    the one the notice cites with it (weitang's notice did, and its measure read as expired)."""
    notice, _, _ = parse_metadata(NUMBER_NAMED, "n")
    assert (notice.extends, notice.extends_number, notice.extended_to) == (
        "关于开展电商贷支持行动的通知", "示金服〔2023〕26号", date(2027, 12, 31),
    )  # fmt: skip
    measure, _, _ = parse_metadata(
        "关于开展电商贷支持行动的通知\n示金服〔2023〕26号\n\n一、支持对象。\n"
        "五、本通知自2024年1月1日起施行，有效期至2025年12月31日。\n",
        "m",
    )
    statuses = resolve_statuses({"m": measure, "n": notice}, date(2026, 12, 4))
    assert statuses["m"].status is DocStatus.CURRENT
    assert statuses["m"].extended_to == date(2027, 12, 31)
    # the number alone, cited nowhere with a title, still finds the document
    bare, _, _ = parse_metadata(
        NUMBER_NAMED.replace("《关于开展电商贷支持行动的通知》（示金服〔2023〕26号）", "该通知"),
        "n",
    )
    assert (bare.extends, bare.extends_number) == ("", "示金服〔2023〕26号")
    alone = resolve_statuses({"m": measure, "n": bare}, date(2026, 12, 4))
    assert alone["m"].status is DocStatus.CURRENT


@pytest.mark.parametrize(
    "sentence",
    [
        "本办法自2024年9月1日起施行，有效期限为两年。",
        "本细则自2024年9月1日起试行，试行期2年。",
        "实施期限暂定为2年。",
        "有效期：2024年9月1日—2026年8月31日。",
        "执行期限 2024.9.1-2026.8.31",
    ],
)
def test_validity_as_a_span_of_years_or_a_range_with_a_dash(sentence: str) -> None:
    """A period written as so many years after 有效期限/试行期/实施期限, or as a range with a
    dash, ends the document as 有效期至 does."""
    assert validity_from_body(sentence, date(2024, 9, 1)) == (date(2026, 8, 31), False)
