from __future__ import annotations

from datetime import date

from knowledge.metadata import parse_metadata, undrafted_title
from knowledge.models import DocStatus, DocumentMeta
from knowledge.status import DocStatusInfo, normalise_title, resolve_statuses

TODAY = date(2025, 6, 1)


def test_plain_document_is_current() -> None:
    result = resolve_statuses({"a": DocumentMeta(title="办法")}, TODAY)
    assert result == {"a": DocStatusInfo(DocStatus.CURRENT, None, None)}


def test_repealed_in_the_past_is_superseded_and_points_to_replacement() -> None:
    metas = {
        "old": DocumentMeta(
            title="担保办法", repealed=date(2024, 3, 1), replaced_by="《担保办法（2024年修订）》"
        ),
        "new": DocumentMeta(title="担保办法（2024年修订）", effective=date(2024, 3, 1)),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["old"] == DocStatusInfo(DocStatus.SUPERSEDED, "new", "repealed")
    assert result["new"].status is DocStatus.CURRENT


def test_repealed_without_known_replacement() -> None:
    result = resolve_statuses({"a": DocumentMeta(title="A", repealed=TODAY)}, TODAY)
    assert result["a"] == DocStatusInfo(DocStatus.SUPERSEDED, None, "repealed")


def test_future_repeal_stays_current() -> None:
    result = resolve_statuses({"a": DocumentMeta(title="A", repealed=date(2026, 1, 1))}, TODAY)
    assert result["a"] == DocStatusInfo(DocStatus.CURRENT, None, "repeal_scheduled")


def test_replaced_by_title_matches_despite_brackets_width_and_spaces() -> None:
    metas = {
        "old": DocumentMeta(title="上市奖励办法", replaced_by="《上市奖励办法 (2025年版)》"),
        "new": DocumentMeta(title="上市奖励办法（２０２５年版）"),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["old"] == DocStatusInfo(DocStatus.SUPERSEDED, "new", "replaced")


def test_replaced_by_unknown_title_keeps_current() -> None:
    metas = {"old": DocumentMeta(title="A", replaced_by="不在库中的文件")}
    assert resolve_statuses(metas, TODAY)["old"].status is DocStatus.CURRENT


def test_replaces_on_a_current_doc_supersedes_the_old_one() -> None:
    metas = {
        "old": DocumentMeta(title="融资担保贷款管理暂行办法", long_term=True),
        "new": DocumentMeta(title="融资担保贷款管理办法", replaces="《融资担保贷款管理暂行办法》"),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["old"] == DocStatusInfo(DocStatus.SUPERSEDED, "new", "replaced")
    assert result["new"] == DocStatusInfo(DocStatus.CURRENT, None, None)


def test_replacement_not_yet_in_effect_does_not_supersede() -> None:
    """Nor is it in force itself: it names the rule in force it will replace."""
    metas = {
        "old": DocumentMeta(title="旧办法"),
        "new": DocumentMeta(title="新办法", replaces="旧办法", effective=date(2025, 7, 1)),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["old"].status is DocStatus.CURRENT
    assert result["new"] == DocStatusInfo(DocStatus.PENDING, "old", "not_yet_effective")
    assert resolve_statuses(metas, date(2025, 7, 1))["new"].status is DocStatus.CURRENT


def test_a_measure_of_the_same_title_taking_effect_next_year_is_pending_beside_the_one_in_force() -> (
    None
):
    """A new edition adopted in November to apply from 1 January, under the old one's title."""
    metas = {
        "old": DocumentMeta(title="应急转贷资金管理办法", expires=date(2026, 12, 31)),
        "new": DocumentMeta(
            title="应急转贷资金管理办法", published=date(2026, 11, 20), effective=date(2027, 1, 1)
        ),
    }
    result = resolve_statuses(metas, date(2026, 12, 4))
    assert result["old"].status is DocStatus.CURRENT
    assert result["new"] == DocStatusInfo(DocStatus.PENDING, "old", "not_yet_effective")
    on_the_day = resolve_statuses(metas, date(2027, 1, 1))
    assert on_the_day["new"].status is DocStatus.CURRENT
    assert on_the_day["old"].status is not DocStatus.CURRENT


def test_a_next_edition_of_a_series_taking_effect_later_is_pending_beside_the_one_in_force() -> (
    None
):
    """《…实施方案（2027—2029年）》 says the 2024—2026 scheme "执行至2026年12月31日止" and
    repeals nothing by name: the titles differ only in their years, so the later edition
    waits for its day while the earlier one answers (a blind KB's insurance scheme)."""
    old_title = "雁口市人民政府办公室关于印发《雁口市政策性农业保险实施方案（2024—2026年）》的通知"
    metas = {
        "old": DocumentMeta(
            title=old_title, effective=date(2024, 1, 1), expires=date(2026, 12, 31)
        ),
        "new": DocumentMeta(
            title=old_title.replace("2024—2026", "2027—2029"),
            effective=date(2027, 1, 1),
            expires=date(2029, 12, 31),
        ),
        "other": DocumentMeta(title="关于印发《雁口市活畜活体抵押贷款贴息办法》的通知"),
    }
    result = resolve_statuses(metas, date(2026, 12, 15))
    assert result["old"].status is DocStatus.CURRENT
    assert result["new"] == DocStatusInfo(DocStatus.PENDING, "old", "not_yet_effective")
    on_the_day = resolve_statuses(metas, date(2027, 1, 1))
    assert on_the_day["new"].status is DocStatus.CURRENT
    assert on_the_day["old"].status is DocStatus.EXPIRED


def test_a_new_measure_taking_effect_later_that_replaces_nothing_stays_current() -> None:
    """Its rules are the only ones on its subject: it is quoted, under the day it takes
    effect (the answer's note), not withheld."""
    metas = {"new": DocumentMeta(title="科技保险保费补贴办法", effective=date(2027, 1, 1))}
    result = resolve_statuses(metas, date(2026, 12, 4))
    assert result["new"] == DocStatusInfo(DocStatus.CURRENT, None, "not_yet_effective")


def test_a_pilot_taking_effect_later_that_stops_articles_of_a_measure_in_force_is_pending() -> None:
    """It changes part of a measure in force from its day ("…细则第十三条至第十五条在试点地区停止
    执行"): the measure is the rule until then, the pilot pending beside it, in part."""
    metas = {
        "rules": DocumentMeta(title="绿色金融奖补实施细则", effective=date(2026, 3, 1)),
        "pilot": DocumentMeta(
            title="林业碳汇金融服务试点方案",
            effective=date(2027, 7, 1),
            amends="绿色金融奖补实施细则",
        ),
    }
    result = resolve_statuses(metas, date(2027, 5, 25))
    assert result["pilot"] == DocStatusInfo(
        DocStatus.PENDING, "rules", "not_yet_effective", in_part=True
    )
    assert result["rules"].status is DocStatus.CURRENT
    on_the_day = resolve_statuses(metas, date(2027, 7, 1))
    assert on_the_day["pilot"].status is on_the_day["rules"].status is DocStatus.CURRENT


def test_expired_and_long_term() -> None:
    metas = {
        "expired": DocumentMeta(title="A", expires=date(2025, 5, 31)),
        "last_day": DocumentMeta(title="B", expires=TODAY),
        "long": DocumentMeta(title="C", long_term=True, expires=date(2020, 1, 1)),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["expired"] == DocStatusInfo(DocStatus.EXPIRED, None, "expired")
    assert result["last_day"].status is DocStatus.CURRENT
    assert result["long"].status is DocStatus.CURRENT


def test_expired_doc_cannot_supersede_others() -> None:
    metas = {
        "old": DocumentMeta(title="旧办法"),
        "gone": DocumentMeta(title="新办法", replaces="旧办法", expires=date(2025, 1, 1)),
    }
    result = resolve_statuses(metas, TODAY)
    assert result["old"].status is DocStatus.CURRENT
    assert result["gone"].status is DocStatus.EXPIRED


def test_normalise_title() -> None:
    assert normalise_title("《上市 奖励，办法（２０２５）》") == normalise_title(
        "上市奖励办法(2025)"
    )


def test_a_number_two_documents_share_does_not_repeal_the_wrongly_titled_one() -> None:
    """Two writers' measures both numbered 栖金规〔2022〕3号: the repeal names a title too."""
    metas = {
        "guarantee-2022": DocumentMeta(
            title="政府性融资担保业务管理暂行办法", doc_number="栖金规〔2022〕3号"
        ),
        "listing-2022": DocumentMeta(
            title="支持企业上市挂牌奖励办法", doc_number="栖金规〔2022〕3号"
        ),
        "listing-2025": DocumentMeta(
            title="关于进一步支持企业上市发展的若干措施",
            replaces="支持企业上市挂牌奖励办法",
            replaces_number="栖金规〔2022〕3号",
        ),
    }
    statuses = resolve_statuses(metas, TODAY)
    assert statuses["listing-2022"] == DocStatusInfo(
        DocStatus.SUPERSEDED, "listing-2025", "replaced"
    )
    assert statuses["guarantee-2022"].status is DocStatus.CURRENT


def test_a_number_alone_still_finds_the_version_that_shares_a_title() -> None:
    metas = {
        "v1": DocumentMeta(title="应急转贷资金管理办法", doc_number="栖财〔2021〕1号"),
        "v2": DocumentMeta(
            title="应急转贷资金管理办法",
            replaces="应急转贷资金管理办法",
            replaces_number="栖财〔2021〕1号",
        ),
    }
    assert resolve_statuses(metas, TODAY)["v1"].status is DocStatus.SUPERSEDED


def test_an_expired_notice_of_a_series_is_followed_by_its_later_edition() -> None:
    """关于开展2023年度…的通知 expired; the 2026 notice of the same name (but its year) is in
    force: it is the one that follows, not the unrelated measure nor an earlier edition."""
    title = "关于开展{}年度小微企业银行贷款贴息申报工作的通知"
    metas = {
        "n2022": DocumentMeta(title=title.format(2022), effective=date(2022, 9, 1),
                              expires=date(2023, 6, 30)),
        "n2023": DocumentMeta(title=title.format(2023), effective=date(2023, 9, 20),
                              expires=date(2024, 6, 30)),
        "n2026": DocumentMeta(title="示范市财政局" + title.format(2026), effective=date(2025, 5, 10)),
        "other": DocumentMeta(title="小微企业首贷贴息办法", effective=date(2025, 1, 1)),
    }  # fmt: skip
    result = resolve_statuses(metas, TODAY)
    assert result["n2023"] == DocStatusInfo(DocStatus.EXPIRED, "n2026", "expired")
    assert result["n2022"].replaced_by == "n2026"
    assert result["n2026"].status is DocStatus.CURRENT


def test_an_expired_notice_is_not_followed_by_an_earlier_or_unrelated_document() -> None:
    metas = {
        "old": DocumentMeta(title="关于2024年度担保费补贴的通知", effective=date(2024, 3, 1),
                            expires=date(2024, 12, 31)),
        "earlier": DocumentMeta(title="关于2023年度担保费补贴的通知", effective=date(2023, 3, 1)),
        "unrelated": DocumentMeta(title="担保费补贴办法", effective=date(2025, 1, 1)),
    }  # fmt: skip
    assert resolve_statuses(metas, TODAY)["old"] == DocStatusInfo(
        DocStatus.EXPIRED, None, "expired"
    )


def test_a_draft_is_never_in_force_and_repeals_or_extends_nothing() -> None:
    """A 征求意见稿 reads like the rule it would become ("自2025年1月1日起施行，原《担保办法》
    同时废止"); read as a rule, it repealed the measure in force."""
    metas = {
        "rule": DocumentMeta(
            title="担保办法", effective=date(2024, 1, 1), expires=date(2025, 3, 1)
        ),
        "draft": DocumentMeta(
            title="担保办法（修订征求意见稿）",
            effective=date(2025, 1, 1),
            replaces="担保办法",
            extends="担保办法",
            extended_to=date(2027, 12, 31),
            draft=True,
        ),
    }
    result = resolve_statuses(metas, date(2025, 2, 1))
    # the draft points at the rule in force that it would revise
    assert result["draft"] == DocStatusInfo(DocStatus.DRAFT, "rule", "draft")
    assert result["rule"] == DocStatusInfo(DocStatus.CURRENT)
    later = resolve_statuses(metas, TODAY)
    assert later["rule"].status is DocStatus.EXPIRED  # not extended by the draft
    assert later["draft"] == DocStatusInfo(DocStatus.DRAFT, None, "draft")


def test_the_rule_a_draft_would_revise_is_found_by_its_title() -> None:
    assert undrafted_title("担保办法（修订征求意见稿）") == "担保办法"
    assert undrafted_title("关于公开征求《担保办法（修订草案）》意见的公告") == "担保办法"
    metas = {
        "rule": DocumentMeta(title="担保办法"),
        "draft": DocumentMeta(title="担保办法（征求意见稿）", draft=True),
    }
    assert resolve_statuses(metas, TODAY)["draft"].replaced_by == "rule"


def test_a_yearly_notice_without_an_end_date_expires_when_next_years_is_in_force() -> None:
    """ "至2025年度贴息资金拨付完毕之日止" states no date: the 2026 edition of the same series,
    once in force, ends it; a second batch of the same year, or an edition with its own end
    date, is left to its dates."""
    title = "关于组织开展{}年度科技信贷贴息申报工作的通知"
    metas = {
        "y2025": DocumentMeta(title=title.format(2025), effective=date(2025, 11, 5)),
        "y2026": DocumentMeta(title=title.format(2026), effective=date(2026, 11, 6)),
    }
    before = resolve_statuses(metas, date(2026, 6, 1))  # the 2026 edition not yet out
    assert before["y2025"].status is DocStatus.CURRENT
    after = resolve_statuses(metas, date(2026, 12, 4))
    assert after["y2025"] == DocStatusInfo(DocStatus.EXPIRED, "y2026", "expired")
    assert after["y2026"].status is DocStatus.CURRENT
    dated = {**metas, "y2025": DocumentMeta(title=title.format(2025), effective=date(2025, 11, 5),
                                            expires=date(2026, 12, 31))}  # fmt: skip
    assert resolve_statuses(dated, date(2026, 12, 4))["y2025"].status is DocStatus.CURRENT
    batches = {
        "b1": DocumentMeta(title="关于2026年度第1批上市奖励的公示", effective=date(2026, 3, 1)),
        "b2": DocumentMeta(title="关于2026年度第2批上市奖励的公示", effective=date(2026, 9, 1)),
    }
    assert {i.status for i in resolve_statuses(batches, date(2026, 12, 4)).values()} == {
        DocStatus.CURRENT
    }


def test_a_repeal_decision_in_force_repeals_what_it_lists_and_links_the_successor() -> None:
    """The documents repealed by a separate decision never say so themselves: the old bridge
    fund measure is repealed from the decision's day and followed by its successor of the same
    title; a decision not yet in force repeals nothing."""
    metas = {
        "old": DocumentMeta(
            title="金沙湾区应急转贷资金管理办法", doc_number="金政规〔2023〕5号",
            effective=date(2023, 3, 1),
        ),
        "new": DocumentMeta(
            title="金沙湾区应急转贷资金管理办法", doc_number="金政规〔2026〕30号",
            effective=date(2026, 3, 1),
        ),
        "rmb": DocumentMeta(title="金沙湾区跨境人民币结算奖励办法", doc_number="金金办〔2023〕21号"),
        "decision": DocumentMeta(
            title="关于废止部分规范性文件的决定", effective=date(2026, 6, 1),
            repeals=(("金沙湾区应急转贷资金管理办法", "金政规〔2023〕5号"),
                     ("金沙湾区跨境人民币结算奖励办法", "金金办〔2023〕21号")),
        ),
    }  # fmt: skip
    result = resolve_statuses(metas, date(2026, 12, 5))
    assert result["old"] == DocStatusInfo(
        DocStatus.SUPERSEDED, "new", "repealed", repealed_by="decision"
    )
    assert result["rmb"] == DocStatusInfo(
        DocStatus.SUPERSEDED, None, "repealed", repealed_by="decision"
    )
    assert result["new"].status is DocStatus.CURRENT
    assert result["decision"].status is DocStatus.CURRENT
    before = resolve_statuses(metas, date(2026, 5, 1))
    assert before["rmb"].status is DocStatus.CURRENT


def test_a_notice_that_adjusts_a_measure_from_a_later_day_is_pending_beside_it() -> None:
    """ "将《…若干措施》（示政发〔2025〕3号）附件1所列股份制改造补助标准由50万元提高至80万元", from
    2027-10-01 (daizhou, written blind): the measure, found by its 文号 inside its 印发通知, is the
    rule until then."""
    text = (
        "示范市金融管理局关于提高上市后备企业股份制改造补助标准的通知\n示金发〔2027〕12号\n"
        "各县（市、区）金融工作部门：\n"
        "一、将《示范市推进企业上市若干措施》（示政发〔2025〕3号）附件1所列股份制改造补助标准由50万元"
        "提高至80万元。\n二、本通知自2027年10月1日起施行，有效期至2029年12月31日。\n"
    )
    notice, _, _ = parse_metadata(text, "notice")
    assert (notice.amends, notice.amends_number) == (
        "示范市推进企业上市若干措施",
        "示政发〔2025〕3号",
    )
    metas = {
        "measures": DocumentMeta(
            title="示范市人民政府关于印发《示范市推进企业上市若干措施》的通知",
            doc_number="示政发〔2025〕3号",
            effective=date(2025, 3, 1),
        ),
        "notice": notice,
    }
    result = resolve_statuses(metas, date(2027, 9, 1))
    assert result["notice"] == DocStatusInfo(
        DocStatus.PENDING, "measures", "not_yet_effective", in_part=True
    )
    assert resolve_statuses(metas, date(2027, 10, 1))["notice"].status is DocStatus.CURRENT
