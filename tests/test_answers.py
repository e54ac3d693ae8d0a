"""AnswerService on the sample KB with the HashingEncoder: bands, supersession, FAQ, refs."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.answers import (
    MAX_QUESTION_CHARS,
    Answer,
    AnswerService,
    Band,
    ChatIntent,
    Thresholds,
    is_cut,
    prepare_question,
)
from bot.answers.service import _not_yet_effective
from bot.config import load_settings
from bot.core import Core, build_absent_terms, build_core, ensure_seeded
from bot.kb_scope import Jurisdiction
from index.encoders import HashingEncoder
from tests.knowledge.test_workbook import TITLE as LIST_TITLE
from tests.knowledge.test_workbook import policy_list
from tests.sample_core import sample_core

OLD_REWARD = "listing.listing-reward-2021"
NEW_REWARD = "listing.listing-reward-2024"


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return sample_core(tmp_path_factory)


def ask(core: Core, question: str, lang: str = "zh") -> Answer:
    return core.answers.answer_sync(question, lang=lang)  # type: ignore[arg-type]


def test_faq_question_is_answered_with_its_backing_passage(core: Core) -> None:
    a = ask(core, "政府性融资担保的担保费率是多少？")
    assert a.band is Band.ANSWER and a.confidence >= core.answers.thresholds.answer
    assert a.hits[0].kind == "faq" and a.hits[0].faq_id == "credit-001"
    assert a.hits[1].kind == "chunk" and a.hits[1].section == "第六条 担保费率"
    assert a.hits[1].doc_number == "青金发〔2024〕7号" and a.hits[1].effective == date(2024, 7, 1)
    assert "0.8%" in a.reply and "施行日期：2024年7月1日" in a.reply
    assert 1 <= len(a.related) <= 3 and "faq:credit-001" not in [r.ref for r in a.related]


async def test_async_answer_matches_sync(core: Core) -> None:
    a = await core.answers.answer("政府性融资担保的担保费率是多少？")
    assert a.band is Band.ANSWER and a.hits[0].faq_id == "credit-001" and a.latency_ms > 0


def test_a_two_part_question_answered_by_an_faq_quotes_the_other_part_too(core: Core) -> None:
    """The 应急转贷 FAQ answers the second part; the fee article answers the first."""
    a = ask(core, "担保费率是多少？另外应急转贷一年能用几次？")
    assert a.band is Band.ANSWER and a.hits[0].kind == "faq"
    assert len(a.hits) <= 3
    docs = [h.doc_id for h in a.hits if h.kind == "chunk"]
    assert "credit.gov-guarantee-measures-2024" in docs
    assert "credit.bridge-loan-fund-2023" in docs or "应急转贷" in a.hits[0].text


def test_a_part_in_the_faqs_own_document_is_quoted_beside_the_faq(core: Core) -> None:
    """The FAQ on how long 应急转贷 may be used does not say how often; the article beside it
    in the same measure does, and is quoted (it was left out as the FAQ's document's)."""
    a = ask(core, "应急转贷一年能用几次？使用期限最长多少天？")
    assert a.band is Band.ANSWER and a.hits[0].kind == "faq"
    assert len(a.hits) <= 3
    assert "第六条 额度与次数" in {h.section for h in a.hits if h.kind == "chunk"}


def test_middle_confidence_suggests_up_to_three(core: Core) -> None:
    conf = ask(core, "企业上市有什么补贴").confidence
    between = Thresholds(answer=conf + 0.01, suggest=conf - 0.01)
    a = AnswerService(core.store, core.lexicon, thresholds=between).answer_sync(
        "企业上市有什么补贴"
    )
    assert a.band is Band.SUGGEST
    assert 1 <= len(a.suggestions) <= 3 and len({s.ref for s in a.suggestions}) == len(
        a.suggestions
    )
    assert a.reply.startswith("您是想问：")


def test_unrelated_question_gets_none(core: Core) -> None:
    a = ask(core, "xyzzy plugh")
    assert a.band is Band.NONE and a.hits == () and a.reply.startswith("抱歉")


@pytest.mark.parametrize("text", ["", "   ", "😀🎉", "？？！！"])
def test_empty_questions_are_not_searched(core: Core, text: str) -> None:
    assert prepare_question(text) == ""
    a = ask(core, text)
    assert a.band is Band.NONE and a.top == () and a.reply.startswith("请用文字描述")


def test_long_question_is_capped(core: Core) -> None:
    assert len(prepare_question("担保费率是多少，" * 800)) == 500


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("贷" * 10_000, "贷"),
        ("上市上市上市奖励", "上市奖励"),
        ("融资担保担保担保费率", "融资担保费率"),
        ("谢谢", "谢谢"),  # twice is how people write it
        ("贷款1000000万元", "贷款1000000万元"),  # digits are never collapsed
    ],
)
def test_a_word_held_down_is_read_once(typed: str, read: str) -> None:
    assert prepare_question(typed) == read


@pytest.mark.parametrize(
    ("typed", "cut"),
    [
        ("贷" * 10_000, False),  # read as "贷"
        ("担保费率是多少？" * 30, False),  # 240 characters
        ("请问" + "担保费率、应急转贷、上市奖励分别是多少，" * 40, True),  # 800 different ones
        ("  " + "a" * 499 + "  ", False),
        ("ab" * 251, True),  # Latin letters are never collapsed
    ],
)
def test_only_a_question_longer_than_what_is_read_counts_as_cut(typed: str, cut: bool) -> None:
    assert is_cut(typed) is cut
    assert (len(prepare_question(typed)) == MAX_QUESTION_CHARS) is cut


def test_one_character_gets_choices_not_a_quoted_answer(core: Core) -> None:
    """One character ("贷", or "贷" ×10,000) is too little to pick a policy: choices instead."""
    for text in ("贷", "贷" * 10_000):
        a = ask(core, text)
        assert a.band is Band.SUGGEST and a.suggestions
    assert ask(core, "上市").band is Band.ANSWER  # two characters name a topic


def test_thresholds_decide_the_band(core: Core) -> None:
    strict = AnswerService(
        core.store, core.lexicon, thresholds=Thresholds(answer=1.01, suggest=1.01)
    )
    assert strict.answer_sync("政府性融资担保的担保费率是多少？").band is Band.NONE
    lenient = AnswerService(
        core.store, core.lexicon, thresholds=Thresholds(answer=0.0, suggest=0.0)
    )
    assert lenient.answer_sync("企业上市有什么补贴").band is Band.ANSWER


def test_superseded_document_is_never_quoted_as_current(core: Core) -> None:
    for q in ("企业上市奖励标准", "上市挂牌奖励办法 申报", "企业在境内首发上市奖励多少钱"):
        a = ask(core, q)
        assert OLD_REWARD not in {h.doc_id for h in a.hits} | {h.doc_id for h in a.ranked}


def test_naming_the_old_document_gets_a_notice(core: Core) -> None:
    a = ask(core, "青金发〔2021〕5号 青禾区推动企业上市挂牌奖励办法 还有效吗")
    assert a.notice is not None
    assert a.notice.old_doc_id == OLD_REWARD and a.notice.new_doc_id == NEW_REWARD
    assert a.reply.startswith("注意：《青禾区推动企业上市挂牌奖励办法》已不再施行")
    assert all(h.doc_id == NEW_REWARD for h in a.hits)


def test_answer_ref_by_faq_and_chunk(core: Core) -> None:
    faq = core.answers.answer_ref("faq:funds-001")
    assert faq.band is Band.ANSWER and faq.question == "青禾区政府投资引导基金的规模是多少？"
    assert "20亿元" in faq.reply
    chunk_id = next(c for c, ch in core.store.snapshot().chunks.items() if ch.doc_id == NEW_REWARD)
    chunk = core.answers.answer_ref(f"chunk:{chunk_id}", lang="en")
    assert chunk.band is Band.ANSWER and chunk.hits[0].chunk_id == chunk_id
    assert chunk.reply.startswith("According to")


def test_answer_ref_refuses_old_or_unknown_refs(core: Core) -> None:
    old_chunk = next(c for c, ch in core.store.snapshot().chunks.items() if ch.doc_id == OLD_REWARD)
    assert core.answers.answer_ref(f"chunk:{old_chunk}").band is Band.NONE
    assert core.answers.answer_ref("faq:nope").band is Band.NONE


def test_a_pinyin_typo_is_searched_as_the_word_meant(core: Core) -> None:
    typed = ask(core, "首代户是怎么认定的？")
    meant = ask(core, "首贷户是怎么认定的？")
    assert typed.band is Band.ANSWER
    assert typed.hits[0].doc_id == meant.hits[0].doc_id == "credit.first-loan-and-renewal-2025"


def test_another_places_policy_is_declined_naming_both_places(core: Core) -> None:
    a = ask(core, "深圳的创业担保贷款个人最高能贷多少？")
    assert a.band is Band.NONE and not a.hits
    assert "青禾区" in a.reply and "深圳" in a.reply
    en = ask(core, "How big is Shenzhen's start-up guarantee loan?", lang="en")
    assert en.band is Band.NONE and "Qinghe" in en.reply and "Shenzhen" in en.reply
    moving = ask(core, "我们公司从深圳迁到青禾区，创业担保贷款最高能贷多少？")
    assert moving.band is not Band.NONE
    moving_en = ask(core, "Can a company moving from Shanghai to Qinghe get the listing reward?")
    assert not moving_en.top[0][0].startswith("place:")


def test_the_home_district_is_read_from_the_documents(core: Core) -> None:
    """No list names 青禾区: the sample's titles and issuers do (the first sample of many)."""
    facts = core.answers.facts(core.store.snapshot())
    assert facts.home_name == "青禾区" and facts.home_name_latin == "Qinghe District"
    assert {"青禾区", "青禾", "Qinghe"} <= facts.home


def test_a_listed_topic_is_not_declined_where_a_current_document_speaks_of_it(
    tmp_path: Path,
) -> None:
    """网贷 is on the private-life list until the bureau publishes a notice that answers it."""
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    own = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    assert ensure_seeded(own)
    question = "网贷平台清退以后，出借人去哪里登记债权？"
    assert ask(own, question).top[0][0] == "scope:网贷"
    notice = (
        "# 关于网贷机构退出后出借人债权登记的公告\n\n- 施行日期：2026年1月1日\n\n"
        "## 一、债权登记\n\n网贷平台清退后，出借人可持身份证到区地方金融管理局一楼窗口登记债权。\n"
    )
    own.kb.add_bytes(notice.encode(), "p2p-exit-notice.md")
    answer = ask(own, question)
    assert answer.band is Band.ANSWER and answer.hits[0].doc_id == "p2p-exit-notice"
    # a listed topic the passages found do not speak of is still declined
    assert ask(own, "彩票中奖了怎么交税").top[0][0] == "scope:彩票"


@pytest.mark.parametrize(
    ("title", "article", "question", "unspoken"),
    [
        pytest.param(
            "示范区企业上市扶持办法",
            "（十八）股改涉税服务\n\n企业以未分配利润向个人股东转增股本，符合条件的个人股东"
            "可在不超过5个公历年度内分期缴纳个人所得税。",
            "股改时用未分配利润转增股本，个人股东的个税能分期交吗？",
            ("彩票中奖了怎么交税", "scope:彩票"),
            id="synonym",
        ),
        pytest.param(
            "示范县防返贫综合保险实施方案",
            "三、保障内容\n\n参保人员住院费用经基本医疗保险、大病保险报销后，个人自付部分"
            "由防返贫综合保险按70%赔付，每人每年最高5万元。",
            "住院医保报销完后自己掏的钱，防返贫综合保险能再赔多少？",
            ("社保断交了三个月有什么影响", "scope:社保"),  # 社会保险 is not written
            id="full-form",
        ),
    ],
)
def test_a_listed_topic_the_passages_write_in_other_words_is_not_declined(
    tmp_path: Path, title: str, article: str, question: str, unspoken: tuple[str, str]
) -> None:
    """The question says 个税, the 股改 measure 个人所得税; it says 医保, the insurance measure
    基本医疗保险 (the full form it abbreviates): the measure speaks of it. A listed topic the
    passages found do not speak of stays declined."""
    own = _own_kb(
        tmp_path, ("measure.md", f"# {title}\n\n- 施行日期：2025年3月1日\n\n## {article}\n")
    )
    answer = ask(own, question)
    assert not answer.top or not answer.top[0][0].startswith("scope:")
    assert answer.band is Band.ANSWER and answer.hits[0].doc_id == "measure"
    assert ask(own, unspoken[0]).top[0][0] == unspoken[1]


@pytest.mark.parametrize(
    ("title", "article", "asked"),
    [
        pytest.param(
            "示范县农村承包土地经营权抵押贷款管理办法",
            "第六条 贷款额度和期限\n\n土地经营权抵押贷款额度最高不超过评估价值的70%，期限最长不超过5年。",
            "What is the maximum term of a land management right mortgage loan?",
            id="phrase-written",
        ),
        pytest.param(
            "示范区信贷风险补偿资金池管理办法",
            "第七条 损失分担\n\n以房产、设备抵押的入池贷款发生损失的，资金池承担本金损失的30%，"
            "合作银行承担70%。",
            "What share of principal losses does the risk pool bear for a property mortgage loan?",
            id="kind-written",
        ),
    ],
)
def test_an_english_topic_is_read_as_the_phrase_the_question_puts_it_in(
    tmp_path: Path, title: str, article: str, asked: str
) -> None:
    """The word "mortgage" is listed for a home mortgage. A county's farmland-mortgage measure
    writes the 抵押贷款 of "land management right mortgage loan"; a risk pool sharing the
    losses of 抵押 loans writes what the 不动产抵押 of "property mortgage" is a kind of. A home
    mortgage (房贷, listed in Chinese too) stays declined, where the documents write 抵押 alike."""
    text = f"# {title}\n\n- 施行日期：2025年3月1日\n\n## {article}\n"
    own = _own_kb(tmp_path, ("measure.md", text))
    answer = ask(own, asked, lang="en")
    assert not answer.top or not answer.top[0][0].startswith("scope:")
    assert answer.band is not Band.NONE and answer.hits[0].doc_id == "measure"
    home = ask(own, "How do I get a home mortgage for my apartment?", lang="en")
    assert home.band is Band.NONE and home.top[0][0] == "scope:mortgage"


def test_a_lapsed_best_match_is_reported_not_replaced_by_another_programme(core: Core) -> None:
    # the 2024-2025 SME notice expired on 2025-12-31 and nothing replaced it (today: 2026-06-01)
    a = ask(core, "规模以上工业中小企业在本区银行新增一年期流动资金贷款，可以享受多少贴息？")
    assert a.notice is not None and a.notice.status == "expired"
    assert a.notice.old_doc_id == "credit.sme-credit-enhancement-notice-2024"
    assert a.notice.new_doc_id is None and not a.hits
    assert "已不再施行（已过有效期）" in a.reply and "没有替代它的现行文件" in a.reply
    # nothing in force answers: declined as the notice, with the way to an officer
    assert a.band is Band.NONE
    why = core.answers.explain(
        "规模以上工业中小企业在本区银行新增一年期流动资金贷款，可以享受多少贴息？"
    )
    assert why.reason.startswith("结论：不回答——最相关的文件《") and "已过有效期" in why.reason


def _own_kb(tmp_path: Path, *files: tuple[str, str], seeded: bool = False) -> Core:
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    own = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    assert not seeded or ensure_seeded(own)
    for name, text in files:
        own.kb.add_bytes(text.encode(), name)
    return own


def test_a_lapsed_temporary_raise_yields_to_the_standing_rule(tmp_path: Path) -> None:
    """A 阶段性提高 notice ("由50万元提高至80万元") expired: the measure in force answers, with no
    "this notice has expired" in place of the answer."""
    measure = (
        "# 示范市企业挂牌扶持办法\n\n- 文号：示金规〔2025〕1号\n- 施行日期：2025年3月1日\n\n"
        "## 第十五条 新三板挂牌奖励\n\n企业在新三板挂牌的，给予新三板挂牌奖励100万元。\n"
    )
    notice = (
        "# 关于阶段性提高新三板挂牌奖励标准的通知\n\n- 施行日期：2024年7月1日\n"
        "- 有效期至：2025年6月30日\n\n## 一、奖励标准\n\n"
        "期间在新三板挂牌的企业，新三板挂牌奖励由50万元提高至80万元。\n"
    )
    own = _own_kb(
        tmp_path, ("listing-measure.md", measure), ("neeq-temporary.md", notice), seeded=True
    )
    a = own.answers.explain("阶段性提高的新三板挂牌奖励标准现在是多少")
    assert a.entries[0].doc_id != "neeq-temporary"  # only documents in force are ranked …
    answer = a.answer  # … and the expired notice, the best match overall, does not replace them
    assert answer.notice is None and answer.band is Band.ANSWER
    assert all(h.status == "current" and h.doc_id != "neeq-temporary" for h in answer.hits)


def test_the_purpose_sentence_is_not_quoted_before_the_article_that_answers(
    tmp_path: Path,
) -> None:
    """第一条 names the whole subject and matches best; the cap is in 第九条, quoted first."""
    measure = (
        "# 示范市企业应急转贷资金管理办法\n\n- 文号：示金规〔2025〕2号\n- 施行日期：2025年3月1日\n\n"
        "## 第一条\n\n为帮助中小微企业解决应急转贷资金周转困难，规范应急转贷资金单笔使用，"
        "结合本市实际，制定本办法。\n\n"
        "## 第九条\n\n转贷资金单笔使用金额不超过2000万元。\n\n"
        "## 第十条\n\n同一企业一年内使用转贷资金不超过4次。\n"
    )
    own = _own_kb(tmp_path, ("bridge-loan.md", measure), seeded=True)
    a = own.answers.explain("应急转贷资金单笔使用有什么规定")
    assert a.entries[0].section.startswith("第一条")  # the best match is the purpose sentence …
    answer = a.answer
    assert answer.band is Band.ANSWER
    assert answer.hits[0].section.startswith("第九条")  # … the article with the cap is quoted
    assert all(not h.section.startswith("第一条") for h in answer.hits)


def test_the_section_whose_heading_the_question_writes_is_quoted_first(tmp_path: Path) -> None:
    """Both sections match; the one whose heading (迁出退回) the question writes comes first."""
    measure = (
        "# 示范区企业上市扶持办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 一、适用范围\n\n本办法适用于在本区获得上市奖励的企业。获得上市奖励的企业，"
        "注册地和税务关系应当在本区。\n\n"
        "## 七、迁出退回\n\n五年内将注册地迁离的，收回已拨付资金。\n"
    )
    own = _own_kb(tmp_path, ("listing.md", measure))
    a = own.answers.explain("获得上市奖励的企业迁出本区要退回吗")
    assert a.entries[0].section.startswith("一、")  # the better match overall …
    assert a.answer.band is Band.ANSWER
    assert a.answer.hits[0].section.startswith("七、")  # … the section it asks about first


def test_each_part_of_a_two_part_question_is_quoted_from_its_own_document(
    tmp_path: Path,
) -> None:
    """The second part names what the first document never writes (资金池): its section comes
    from the document that does, while a part the first document answers stays in it."""
    guarantee = (
        "# 示范市政府性融资担保业务管理办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 第九条\n\n政府性融资担保机构年化担保费率不超过1%。\n\n"
        "## 第十条\n\n担保机构应当在10个工作日内完成担保审批。\n"
    )
    pool = (
        "# 示范市普惠贷款风险补偿资金池管理办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 第六条\n\n合作银行贷款形成不良的，风险补偿资金池按本金损失的40%给予补偿。\n\n"
        "## 第七条\n\n合作银行应当在贷款逾期90日后申请补偿。\n"
    )
    own = _own_kb(tmp_path, ("guarantee.md", guarantee), ("pool.md", pool))
    answer = own.answers.answer_sync("担保费率是多少？另外风险补偿资金池给银行补偿多少比例？")
    assert answer.band is Band.ANSWER
    quoted = {(h.doc_id, h.section.split()[0]) for h in answer.hits}
    assert ("guarantee", "第九条") in quoted and ("pool", "第六条") in quoted
    same_doc = own.answers.answer_sync("担保费率是多少？担保审批要多久？")
    assert {(h.doc_id, h.section.split()[0]) for h in same_doc.hits} >= {
        ("guarantee", "第九条"),
        ("guarantee", "第十条"),
    }


_GUARANTEE_WITH_FIRST_LOAN = (
    "# 示范市政府性融资担保业务管理办法\n\n- 施行日期：2025年3月1日\n\n"
    "## 第九条\n\n政府性融资担保机构年化担保费率不超过1%。\n\n"
    "## 第十二条\n\n对首次贷款的小微企业，担保机构可协调合作银行给予利率优惠，贴息按有关规定执行。\n"
)
_FIRST_LOAN = (
    "# 示范市小微企业首贷支持办法\n\n- 施行日期：2025年3月1日\n\n"
    "## 第五条\n\n小微企业首次贷款的，按贷款利息的50%给予贴息，每户最高20万元。\n\n"
    "## 第六条\n\n首贷户应当在贷款发放后6个月内提出申请。\n"
)
_BRIDGE_WITH_STARTUP = (
    "# 示范市应急转贷资金管理办法\n\n- 施行日期：2025年3月1日\n\n"
    "## 第七条\n\n应急转贷资金单户单笔最高1500万元。\n\n"
    "## 第八条\n\n小微企业已获得创业担保贷款的，其到期贷款也可申请应急转贷资金，最高不超过到期本金。\n"
)
_STARTUP = (
    "# 示范市创业担保贷款实施办法\n\n- 施行日期：2025年3月1日\n\n"
    "## 第七条\n\n小微企业创业担保贷款额度最高不超过400万元。\n\n"
    "## 第八条\n\n个人创业担保贷款期限最长3年。\n"
)


@pytest.mark.parametrize(
    ("files", "question", "expected"),
    [
        pytest.param(
            (("guarantee.md", _GUARANTEE_WITH_FIRST_LOAN), ("first-loan.md", _FIRST_LOAN)),
            "政府性融资担保机构的年化担保费率是多少？首次贷款的贴息是多少？",
            {("guarantee", "第九条"), ("first-loan", "第五条")},
            id="both-searches-agree",
        ),
        pytest.param(
            (("bridge.md", _BRIDGE_WITH_STARTUP), ("startup.md", _STARTUP)),
            "应急转贷资金单笔最多能借多少？小微企业的创业担保贷款最高又是多少？",
            {("bridge", "第七条"), ("startup", "第七条")},
            id="title-term",
        ),
    ],
)
def test_a_part_answered_by_another_document_is_quoted_from_it(
    tmp_path: Path,
    files: tuple[tuple[str, str], ...],
    question: str,
    expected: set[tuple[str, str]],
) -> None:
    """The first document writes the second part's words in passing (首次贷款 and 贴息 in a
    guarantee measure; 创业担保贷款 in a bridge-loan one), so it leaves none of them unwritten.
    The part is quoted from the other document all the same: where the part's keyword and
    vector searches both put that document's article first, or where a term of the part
    titles it."""
    answer = _own_kb(tmp_path, *files).answers.answer_sync(question)
    assert answer.band is Band.ANSWER
    assert expected <= {(h.doc_id, h.section.split()[0]) for h in answer.hits}


def test_an_expired_annual_notice_points_to_this_years_edition(tmp_path: Path) -> None:
    """Asked about the 2023 notice by name: it expired, and the 2026 notice of the same series
    is named and quoted as the one in force."""
    notice = (
        "# 关于开展{year}年度小微企业贷款贴息申报工作的通知\n\n- 施行日期：{start}\n"
        "- 有效期至：{end}\n\n## 二、贴息标准\n\n小微企业贷款贴息按LPR的{share}给予贴息。\n"
    )
    own = _own_kb(
        tmp_path,
        ("notice-2023.md", notice.format(year=2023, start="2023年9月20日", end="2024年6月30日",
                                         share="30%")),
        ("notice-2026.md", notice.format(year=2026, start="2026年3月1日", end="2027年6月30日",
                                         share="40%")),
    )  # fmt: skip
    a = ask(own, "2023年度小微企业贷款贴息申报工作的通知还有效吗")
    assert a.notice is not None and a.notice.old_doc_id == "notice-2023"
    assert a.notice.new_doc_id == "notice-2026" and "40%" in a.hits[0].text
    assert "现行规定为《关于开展2026年度" in a.reply


def test_a_lapsed_notice_that_implemented_a_standing_measure_yields_to_it(tmp_path: Path) -> None:
    """An expired 申报通知 citing the measure it applied: the measure, still in force, answers."""
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    own = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    assert ensure_seeded(own)
    measure = (
        "# 示范区商业保理补贴办法\n\n- 文号：示金发〔2024〕2号\n- 施行日期：2024年1月1日\n\n"
        "## 第一条 保理补贴\n\n商业保理业务按融资额的1%给予补贴，每年最高50万元。\n"
    )
    notice = (
        "# 关于申报2024年度商业保理补贴的通知\n\n- 施行日期：2024年3月1日\n"
        "- 有效期至：2024年12月31日\n\n## 一、申报依据\n\n"
        "根据《示范区商业保理补贴办法》（示金发〔2024〕2号），商业保理补贴按融资额的1%申报，"
        "每年最高50万元，商业保理补贴申报截止2024年6月30日。\n"
    )
    own.kb.add_bytes(measure.encode(), "factoring-measure.md")
    own.kb.add_bytes(notice.encode(), "factoring-notice-2024.md")
    a = ask(own, "商业保理补贴申报截止和补贴标准")
    assert a.notice is None and a.band is Band.ANSWER
    assert a.hits[0].doc_id == "factoring-measure"


def _markdown(title: str, meta: list[str], heading: str, text: str) -> str:
    """A one-section markdown policy: its title, metadata lines, one heading and its text."""
    lines = "".join(f"- {line}\n" for line in meta)
    return f"# {title}\n\n{lines}\n## {heading}\n\n{text}\n"


def test_a_lapsed_plan_yields_to_a_measure_in_force_that_writes_what_was_asked(
    tmp_path: Path,
) -> None:
    """An expired action plan matches best, but the measure in force writes the question's
    term (金融科技) and answers: it is quoted, with no "this plan has expired" put first."""
    plan = _markdown(
        "示范区金融科技发展行动计划（2021—2023年）",
        ["施行日期：2021年3月1日", "有效期至：2023年12月31日"],
        "三、研发支持",
        "研发投入超过500万元的金融科技企业，按研发投入的10%给予补贴。",
    )
    measure = _markdown(
        "示范区加快产业数字化若干措施",
        ["文号：示政发〔2025〕3号", "施行日期：2025年1月1日"],
        "二、企业发展支持",
        "对认定的金融科技企业，年度研发投入超过300万元的，按其研发投入的15%给予补贴，最高200万元。",
    )
    own = _own_kb(
        tmp_path, ("fintech-plan-2021.md", plan), ("digital-measures-2025.md", measure), seeded=True
    )
    # the glossary check, which the hashing encoder's core leaves off with the scope model
    service = AnswerService(
        own.store, own.lexicon, today=lambda: date(2026, 6, 1),
        absent=build_absent_terms(own.settings, own.lexicon),
    )  # fmt: skip
    named = service.explain("示范区金融科技发展行动计划（2021—2023年）还有效吗")
    # asked by the plan's own title: it expired, and saying so answers the question
    assert named.answer.notice is not None and named.answer.band is Band.ANSWER
    a = service.explain("金融科技企业研发投入补贴是多少")
    assert a.entries and a.answer.notice is None and a.answer.band is Band.ANSWER
    assert a.answer.hits[0].doc_id == "digital-measures-2025" and "15%" in a.answer.hits[0].text


def test_greetings_and_thanks_get_a_chat_reply_not_a_refusal(core: Core) -> None:
    """ "你好" and "谢谢" were declined as "个人事务或其他领域"; they get a reply naming the
    deployment's place, without a search, logged as small talk."""
    hello = ask(core, "你好")
    assert hello.band is Band.NONE and hello.intent is ChatIntent.GREETING
    assert hello.reply.startswith("您好！我是青禾区企业金融政策助手。")
    assert hello.top == (("intent:greeting", 0.0),) and not hello.hits
    thanks = ask(core, "谢谢！")
    assert thanks.reply.startswith("不客气") and "个人事务" not in thanks.reply
    assert ask(core, "thanks", lang="en").reply.startswith("You're welcome")
    assert "不检索" in core.answers.explain("好的").reason


def test_a_bare_financing_need_is_offered_the_form(core: Core) -> None:
    need = ask(core, "我想贷款500万")
    assert need.intent is ChatIntent.FINANCING and "登记融资需求" in need.reply
    assert need.top == (("intent:financing", 0.0),)
    # a question about a programme is still searched and answered from its policy
    asked = ask(core, "创业担保贷款最多能贷多少？")
    assert asked.intent is None and asked.band is Band.ANSWER


def test_the_introduction_names_the_configured_place_not_the_sample(core: Core) -> None:
    own = AnswerService(
        core.store,
        core.lexicon,
        jurisdiction=Jurisdiction.parse("南屿省观澜市棠溪区 | Tangxi District"),
    )
    assert own.introduction("zh").startswith("我是棠溪区企业金融政策助手")
    assert own.introduction("en").startswith(
        "I am the enterprise finance policy assistant of Tangxi District"
    )
    assert "青禾" not in own.answer_sync("你好").reply


def test_a_measure_extended_by_a_notice_is_answered_as_in_force(tmp_path: Path) -> None:
    """Its own 有效期 ended on 2026-03-31 (today: 2026-06-01); a 延期通知 extended it to the end of
    2027. The fee question is answered from the measure's article, not "no longer in force";
    without the notice the measure is never quoted as current."""
    measure = (
        "# 示范区应急转贷资金管理办法\n\n- 文号：示金规〔2023〕5号\n- 施行日期：2023年4月1日\n"
        "- 有效期至：2026年3月31日\n\n## 第九条 资金使用费\n\n"
        "应急转贷资金按日万分之一收取资金使用费，单笔使用期限不超过15个自然日。\n"
    )
    extension = (
        "# 关于延长《示范区应急转贷资金管理办法》有效期的通知\n\n- 施行日期：2026年3月20日\n\n"
        "## 一、延期\n\n《示范区应急转贷资金管理办法》（示金规〔2023〕5号）有效期延长至2027年12月31日。\n"
    )
    question = "应急转贷资金使用费每天收多少"
    alone = _own_kb(tmp_path / "alone", ("bridge.md", measure)).answers.answer_sync(question)
    assert alone.band is not Band.ANSWER or alone.notice is not None  # never quoted as current
    assert not any(h.doc_id == "bridge" and h.status == "current" for h in alone.hits)
    own = _own_kb(tmp_path / "both", ("bridge.md", measure), ("extension.md", extension))
    a = own.answers.answer_sync(question)
    assert a.notice is None and a.band is Band.ANSWER
    assert a.hits[0].doc_id == "bridge" and a.hits[0].status == "current"
    assert a.hits[0].section.startswith("第九条") and a.hits[0].expires == date(2027, 12, 31)
    assert (
        "有效期已延长至2027年12月31日（依据《关于延长《示范区应急转贷资金管理办法》有效期的通知》）"
        in (a.reply)
    )


def test_the_welcome_example_is_a_question_the_documents_answer(tmp_path: Path) -> None:
    """A deployment without a guarantee policy is not invited to ask about guarantee fees: the
    example is the first everyday question its documents answer, and an empty knowledge base
    shows none."""
    bridge = (
        "# 示范区应急转贷资金管理办法\n\n- 文号：示金规〔2025〕5号\n- 施行日期：2025年4月1日\n\n"
        "## 第九条 资金使用费\n\n应急转贷资金按日万分之一收取资金使用费，单笔使用期限不超过15个自然日。\n"
    )
    own = _own_kb(tmp_path / "bridge", ("bridge.md", bridge)).answers
    example = own.example()
    assert example is not None
    assert own.answer_sync(example.zh).band is Band.ANSWER
    assert "担保费率" not in example.zh
    assert f"（例如“{example.zh}”）" in own.introduction("zh")
    assert f"(e.g. “{example.en}”)" in own.introduction("en")
    assert own.answer_sync("？？").reply == f"请用文字描述您的问题（例如“{example.zh}”）。"

    empty = _own_kb(tmp_path / "empty").answers
    assert empty.example() is None
    assert "例如" not in empty.introduction("zh")
    assert "e.g." not in empty.introduction("en")
    assert empty.answer_sync("？？").reply == "请用文字描述您的问题。"


def test_a_draft_for_comment_is_never_the_answer_and_is_named_as_a_draft(tmp_path: Path) -> None:
    """The draft proposes 0.5% and says "原《…》同时废止" from a day already past; the rule in
    force (1%) stays the answer, and a question that names the draft is told it is one."""
    measure = (
        "# 示范市融资担保费补贴办法\n\n- 文号：示金规〔2024〕3号\n- 施行日期：2024年3月1日\n\n"
        "## 第六条 担保费率\n\n政府性融资担保机构对小微企业收取的担保费率不超过1%。\n"
    )
    draft = (
        "示范市融资担保费补贴办法\n（征求意见稿）\n\n"
        "第六条 担保费率\n\n政府性融资担保机构对小微企业收取的担保费率不超过0.5%。\n\n"
        "第二十条 本办法自2026年1月1日起施行，原《示范市融资担保费补贴办法》同时废止。\n"
    )
    own = _own_kb(tmp_path, ("guarantee.md", measure), ("guarantee-draft.txt", draft))
    listed = {d.doc_id: d.status for d in own.kb.list()}
    assert listed == {"guarantee": "current", "guarantee-draft": "draft"}
    a = ask(own, "小微企业融资担保的担保费率不超过多少？")
    assert a.band is Band.ANSWER and a.notice is None
    assert {h.doc_id for h in a.hits} | {h.doc_id for h in a.ranked} == {"guarantee"}
    assert "1%" in a.reply and "0.5%" not in a.reply
    named = ask(own, "示范市融资担保费补贴办法征求意见稿里担保费率是多少？")
    assert named.notice is not None and named.notice.status == "draft"
    assert named.notice.new_doc_id == "guarantee"
    assert named.reply.startswith(
        "注意：《示范市融资担保费补贴办法（征求意见稿）》是征求意见稿，尚未生效，不能作为办理依据；"
        "现行规定为《示范市融资担保费补贴办法》："
    )
    assert [h.doc_id for h in named.hits] == ["guarantee"] and "0.5%" not in named.reply


def test_a_question_only_a_draft_speaks_of_is_told_so_not_answered_from_another_measure(
    tmp_path: Path,
) -> None:
    """The only text on 知识产权质押 loans is a draft for comment; the green-credit measure in
    force writes 质押 and 贴息 of its own programme. Its numbers are not the answer, nor are
    the draft's proposals: the reply names the draft as one. A question the measure in force
    answers is answered from it, the draft beside it notwithstanding."""
    green = (
        "# 示范区绿色信贷贴息办法\n\n- 文号：示财发〔2025〕7号\n- 施行日期：2025年10月1日\n\n"
        "## 第十条 环境权益抵质押贷款\n\n企业以碳排放权、排污权质押获得贷款的，按1个百分点给予贴息，"
        "单户每年最高50万元。\n"
    )
    draft = (
        "关于公开征求《示范区知识产权质押融资风险补偿和贴息办法（征求意见稿）》意见的公告\n\n"
        "第五条 贴息标准\n\n企业以专利权、商标权等知识产权质押获得贷款的，按实际利息的50%给予贴息，"
        "单户每年最高30万元。\n\n"
        "第六条 评估费补贴\n\n知识产权质押融资发生的评估费，按50%给予补贴，单户最高3万元。\n"
    )
    own = _own_kb(
        tmp_path, ("green.md", green), ("ip-draft.txt", draft), ("guarantee.md", _GUARANTEE_2024)
    )
    listed = {d.doc_id: d.status for d in own.kb.list()}
    assert listed == {"green": "current", "ip-draft": "draft", "guarantee": "current"}
    a = ask(own, "知识产权质押贷款区里有贴息吗？能贴多少？")
    assert a.band is Band.NONE and a.top[0][0] == "draft:ip-draft"
    assert "1个百分点" not in a.reply and "50%" not in a.reply
    assert a.reply.startswith("现行政策文件中没有这方面的规定。《关于公开征求《示范区知识产权质押")
    assert "目前是征求意见稿，尚未生效" in a.reply
    en = ask(own, "知识产权质押融资的评估费能补贴吗", lang="en")
    assert en.band is Band.NONE and "is a draft published for comment" in en.reply
    answered = ask(own, "用排污权质押贷款，贴息几个百分点？")
    assert answered.band is Band.ANSWER and answered.hits[0].doc_id == "green"


# a measure in force on another subject, beside the ones a test is about
_GUARANTEE_2024 = (
    "# 示范区融资担保费补贴办法\n\n- 文号：示金规〔2024〕3号\n- 施行日期：2024年3月1日\n\n"
    "## 第六条 担保费率\n\n政府性融资担保机构对小微企业收取的担保费率不超过1%。\n"
)


def test_a_measure_taking_effect_later_is_never_quoted_as_the_rule_in_force(tmp_path: Path) -> None:
    """Adopted in May to apply from 1 January, under the same title: until then the rule in
    force (万分之一) is the answer, with a note that it changes on that day; a question that
    names the new measure is told when it takes effect. Quoted as current, it gave next
    year's fee (万分之零点五) as today's (a blind KB's 2027 bridge-fund measure, session 36)."""
    measure = (
        "# 示范区应急转贷资金管理办法\n\n- 文号：示金规〔2023〕5号\n- 施行日期：2023年4月1日\n\n"
        "## 第九条 资金使用费\n\n应急转贷资金按日万分之一收取资金使用费，单笔使用期限不超过15个自然日。\n"
    )
    coming = (
        "示范区应急转贷资金管理办法\n示金规〔2026〕9号\n\n"
        "第九条 资金使用费\n\n应急转贷资金按日万分之零点五收取资金使用费，单笔使用期限不超过20个自然日。\n\n"
        "第二十条 本办法于2027年1月1日起正式施行，原《示范区应急转贷资金管理办法》（示金规〔2023〕5号）同时废止。\n\n"
        "示范区金融工作局\n2026年5月20日\n"
    )
    own = _own_kb(
        tmp_path,
        ("bridge.md", measure),
        ("bridge-2027.txt", coming),
        ("guarantee.md", _GUARANTEE_2024),
    )
    listed = {d.doc_id: d.status for d in own.kb.list()}
    assert listed == {"bridge": "current", "bridge-2027": "pending", "guarantee": "current"}
    a = ask(own, "应急转贷资金使用费每天收多少？")
    assert a.band is Band.ANSWER
    assert [h.doc_id for h in a.hits][:1] == ["bridge"] and "万分之一" in a.reply
    assert "万分之零点五" not in a.reply
    assert a.notice is not None and a.notice.status == "pending"
    assert a.reply.startswith(
        "注意：《示范区应急转贷资金管理办法》自2027年1月1日起施行，将取代现行的《示范区应急转贷资金管理办法》；"
        "在此之前适用现行规定："
    )
    english = ask(own, "应急转贷资金使用费每天收多少？", lang="en")
    assert "takes effect on 2027-01-01" in english.reply


def test_a_new_measure_taking_effect_later_is_quoted_under_the_day_it_takes_effect(
    tmp_path: Path,
) -> None:
    """Nothing in force states its rules, so a question about it quotes it, saying when it
    applies from."""
    coming = (
        "示范区科技保险保费补贴办法\n示金规〔2026〕11号\n\n"
        "第五条 补贴标准\n\n科技型中小企业投保科技保险的，按实际缴纳保费的50%给予补贴，每户每年最高20万元。\n\n"
        "第十八条 本办法自2027年1月1日起施行。\n\n示范区金融工作局\n2026年11月2日\n"
    )
    own = _own_kb(tmp_path, ("tech-insurance.txt", coming), ("guarantee.md", _GUARANTEE_2024))
    question = "示范区科技保险保费补贴办法规定科技型中小企业投保科技保险补贴多少？"
    a = ask(own, question)
    assert a.band is Band.ANSWER and a.notice is not None and a.notice.status == "pending"
    assert [h.doc_id for h in a.hits] == ["tech-insurance"] and "50%" in a.reply
    assert a.reply.startswith(
        "注意：《示范区科技保险保费补贴办法》自2027年1月1日起施行，目前尚未生效；以下为该文件的规定："
    )
    # its explanation says when it takes effect, not that it is no longer in force
    assert own.answers.explain(question).reason == (
        "结论：直接回答，并提示《示范区科技保险保费补贴办法》自2027年1月1日起施行。"
    )


def test_an_english_question_is_searched_for_in_the_documents_own_chinese_words(
    tmp_path: Path,
) -> None:
    """Its English words are written nowhere in a Chinese knowledge base; the bundled
    translations (knowledge/lexicon/english.yaml) give the keyword search 董事会秘书 / 董秘 to
    look for, which the listing measure's talent article writes and no synonym supplies. A
    Chinese question is searched as it is."""
    listing = (
        "# 示范市企业上市奖励办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 第五条 上市奖励\n\n企业在沪深交易所首发上市的，给予奖励500万元。\n\n"
        "## 第九条 人才奖励\n\n企业上市后，给予其董事会秘书个人奖励10万元。\n"
    )
    loan = (
        "# 示范市创业担保贷款实施办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 第三条 贷款额度\n\n个人创业担保贷款最高30万元，对创业者给予贴息奖励。\n"
    )
    own = _own_kb(tmp_path, ("listing.md", listing), ("loan.md", loan))
    question = "Is there a reward for the board secretary after listing?"
    assert "董秘" in own.lexicon.translate(question)
    assert "董" not in own.lexicon.expand_query(question)  # no synonym brings it
    entries = own.answers.explain(question, lang="en").entries
    first_by_words = next(e for e in entries if e.lexical_rank == 1)
    assert (first_by_words.doc_id, first_by_words.section) == ("listing", "第九条 人才奖励")
    assert own.lexicon.translate("董秘有奖励吗") == []


def test_a_question_on_how_to_apply_is_answered_from_the_guide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The measure names the award in every article; the guide beside it lists the papers.
    Asked for the papers, the guide's list is quoted first; asked for the amount, the measure."""
    measure = (
        "# 示范区企业上市挂牌奖励办法\n\n- 施行日期：2025年3月1日\n\n"
        "## 第三条 上市奖励\n\n企业在境内上市的，给予上市奖励300万元。\n\n"
        "## 第四条 辅导奖励\n\n企业辅导备案的，给予上市奖励50万元。\n\n"
        "## 第九条 申请\n\n申请上市奖励的企业，向区金融局提交上市奖励申请材料，上市奖励按年度申请。\n"
    )
    guide = (
        "# 示范区上市挂牌奖励申报指南\n\n- 施行日期：2025年4月1日\n\n"
        "## 一、适用对象\n\n在本区注册的企业。\n\n"
        "## 二、申报条件\n\n已完成上市或辅导备案。\n\n"
        "## 三、申报材料\n\n（一）奖励申请表；（二）营业执照复印件；（三）上市证明文件。\n\n"
        "## 四、受理地点\n\n区政务服务中心二楼金融窗口。\n\n"
        "## 五、办理时限\n\n受理后20个工作日内办结。\n"
    )
    own = _own_kb(tmp_path, ("listing-measure.md", measure), ("listing-guide.md", guide))
    question = "申请上市奖励要准备哪些材料？"
    answer = own.answers.answer_sync(question)
    assert answer.band is Band.ANSWER
    assert (answer.hits[0].doc_id, answer.hits[0].section[:2]) == ("listing-guide", "三、")
    amount = own.answers.answer_sync("企业境内上市给予多少上市奖励？")
    assert amount.hits[0].doc_id == "listing-measure"
    # the guide leads because the question asks how to apply, not by its words alone
    monkeypatch.setattr("bot.answers.procedure.PROCEDURE_WEIGHT", 1.0)
    assert own.answers.answer_sync(question).hits[0].doc_id == "listing-measure"


def _province_kb(tmp_path: Path, *files: tuple[str, str]) -> Core:
    """A province's own knowledge base (FINBOT_JURISDICTION=桐岳省) holding the files."""
    settings = load_settings(
        data_dir=tmp_path / "kb", embedding_model="hashing", jurisdiction="桐岳省"
    )
    own = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    for name, text in files:
        own.kb.add_bytes(text.encode(), name)
    return own


def test_a_city_s_own_add_on_is_not_answered_from_the_province_s_rule(tmp_path: Path) -> None:
    """A province's measure lets its cities add their own money and names the cities; what one
    of them added is not in the knowledge base (tongyue, written blind), while the province's
    rate for a firm of that city is."""
    measure = (
        "# 桐岳省知识产权质押融资贴息办法\n\n- 文号：桐金管发〔2025〕3号\n- 施行日期：2025年3月1日\n\n"
        "## 第六条 贴息标准\n\n对知识产权质押贷款按贷款市场报价利率的50%给予贴息，各市可在此基础上"
        "提高标准。\n\n## 第七条 适用范围\n\n桐阳市、岳港市、石屏市的科技型中小企业均可申请。\n"
    )
    own = _province_kb(tmp_path, ("ip-pledge.md", measure))
    asked = own.answers.answer_sync("石屏市自己对知识产权质押贴息有没有加码？市里标准是多少？")
    assert asked.band is Band.NONE and not asked.hits
    assert "没有石屏市自己出台的政策" in asked.reply and "桐岳省" in asked.reply
    province = own.answers.answer_sync("石屏市的企业知识产权质押贷款贴息比例是多少？")
    assert province.band is Band.ANSWER and province.hits[0].section.startswith("第六条")


def test_a_city_s_pilot_does_not_answer_a_firm_of_another_city(tmp_path: Path) -> None:
    """岳港市's pilot is carried by the province's knowledge base and applies to 岳港市's
    firms: asked from 沂原市, the reply says whose scheme it is instead of quoting it (tongyue
    and cangyu, written blind); asked from 岳港市, or naming no city, it answers."""
    province = (
        "# 桐岳省知识产权质押融资贴息办法\n\n- 文号：桐金管发〔2025〕3号\n- 施行日期：2025年3月1日\n\n"
        "## 第六条 贴息标准\n\n桐阳市、岳港市、沂原市的科技型中小企业以专利权质押获得银行贷款的，按贷款市场"
        "报价利率的50%给予贴息。\n"
    )
    pilot = (
        "# 岳港市人民政府办公室关于印发综合保税区仓单质押融资试点方案的通知\n\n"
        "- 文号：岳政办发〔2025〕8号\n- 施行日期：2025年6月1日\n\n"
        "## 三、贴息标准\n\n区内企业以仓单质押向银行贷款的，市财政按实际利息的40%给予贴息。\n"
    )
    own = _province_kb(tmp_path, ("ip-pledge.md", province), ("yuegang-pilot.md", pilot))
    # the glossary check, which the hashing encoder's core leaves off with the scope model
    service = AnswerService(
        own.store, own.lexicon, today=lambda: date(2026, 6, 1),
        absent=build_absent_terms(own.settings, own.lexicon),
        jurisdiction=Jurisdiction.parse("桐岳省"),
    )  # fmt: skip
    elsewhere = service.answer_sync("我们是沂原市的企业，用仓单质押贷款，贴息多少？")
    assert elsewhere.band is Band.NONE and not elsewhere.hits
    assert "岳港市自己的政策" in elsewhere.reply and "沂原市企业" in elsewhere.reply
    there = service.answer_sync("我们是岳港市的企业，用仓单质押贷款，贴息多少？")
    assert there.band is Band.ANSWER and there.hits[0].doc_id == "yuegang-pilot"
    unnamed = service.answer_sync("用仓单质押贷款，贴息多少？")
    assert unnamed.hits and unnamed.hits[0].doc_id == "yuegang-pilot"


def test_a_rule_in_force_is_quoted_under_a_note_on_the_pilot_that_will_change_it(
    tmp_path: Path,
) -> None:
    """A pilot adopted to take effect later stops articles of a measure in force in its areas:
    today the measure answers, with a note that the pilot will change part of it on its day
    (cenjiang, written blind, had the pilot quoted as the rule)."""
    rules = (
        "# 示范区绿色金融奖补实施细则\n\n- 文号：示财金〔2026〕3号\n- 施行日期：2026年3月1日\n\n"
        "## 第十三条 林业碳汇质押贷款贴息\n\n林业碳汇质押贷款按贷款市场报价利率的30%给予贴息。\n"
    )
    pilot = (
        "# 示范区林业碳汇金融服务试点方案\n\n- 文号：示金管发〔2026〕5号\n- 施行日期：2026年7月1日\n\n"
        "## 二、贴息\n\n试点地区林业碳汇质押贷款按贷款市场报价利率的50%给予贴息。\n\n"
        "## 三、政策衔接\n\n本方案施行之日起，《示范区绿色金融奖补实施细则》第十三条在试点地区停止执行。\n"
    )
    own = _own_kb(tmp_path, ("rules.md", rules), ("pilot.md", pilot))
    a = own.answers.answer_sync("林业碳汇质押贷款贴息比例是多少？")
    assert a.band is Band.ANSWER and a.hits[0].doc_id == "rules"
    assert "30%" in a.hits[0].text and "50%" not in a.reply
    assert "届时将调整现行《示范区绿色金融奖补实施细则》的部分规定" in a.reply


def test_a_later_notice_on_one_subsidy_is_noted_only_where_the_search_finds_it(
    tmp_path: Path,
) -> None:
    """A notice raising the 股改 subsidy from a later day changes one part of the listing
    measure: an answer quoting the measure is noted with it when the search found the notice
    for the question (a question on the 股改 subsidy), not otherwise (its GEM reward). daizhou,
    written blind, had the notice over every answer from the measure, and named first."""
    measure = (
        "# 岱州市推进企业上市若干措施\n\n- 文号：岱政发〔2025〕3号\n- 施行日期：2025年3月1日\n\n"
        "## （一）股份制改造补助\n\n对完成股份制改造的上市后备企业给予一次性补助50万元。\n\n"
        "## （二）创业板上市奖励\n\n企业在深圳证券交易所创业板首发上市的，奖励300万元。\n"
    )
    notice = (
        "# 关于提高上市后备企业股份制改造补助标准的通知\n\n- 文号：岱金发〔2027〕12号\n"
        "- 施行日期：2027年10月1日\n\n"
        "一、将《岱州市推进企业上市若干措施》（岱政发〔2025〕3号）所列股份制改造补助标准"
        "由50万元提高至80万元。\n\n二、本通知自2027年10月1日起施行。\n"
    )
    own = _own_kb(tmp_path, ("measure.md", measure), ("notice.md", notice))
    snap = own.answers.store.snapshot()
    statuses = snap.statuses(date(2026, 6, 1))
    assert statuses["notice"].in_part and statuses["notice"].replaced_by == "measure"
    noted = _not_yet_effective(snap, statuses, "measure", {"measure", "notice"}.__contains__)
    assert noted is not None and noted.old_doc_id == "notice" and noted.in_part
    assert _not_yet_effective(snap, statuses, "measure", {"measure"}.__contains__) is None
    gem = own.answers.answer_sync("企业在创业板首发上市的，奖励多少？")
    assert gem.band is Band.ANSWER and gem.hits[0].doc_id == "measure"
    assert "300万元" in gem.reply and gem.notice is None and "届时" not in gem.reply


def test_a_rule_only_the_replaced_measure_gave_is_declined_naming_both(tmp_path: Path) -> None:
    """The 2024 listing measure rewarded 借壳 listings; the 2026 one that repealed it does not
    (zhewan, written blind: "…现在还有并购奖励吗？" was answered with the new measure's other
    reward). Asked about it, the answer says only the repealed measure wrote it; asked about
    what the new one keeps, the new one answers."""
    old = (
        "示范区企业上市奖励办法\n示政发〔2024〕3号\n\n"
        "第八条 借壳上市奖励\n\n企业通过借壳方式实现上市的，给予借壳上市奖励100万元。\n\n"
        "第九条 境外上市奖励\n\n企业在境外上市的，给予奖励200万元。\n\n"
        "第十条 本办法自2024年3月1日起施行。\n"
    )
    new = (
        "示范区推动企业上市若干政策\n示政发〔2026〕5号\n\n"
        "第九条 境外上市奖励\n\n企业在境外上市的，给予奖励300万元。\n\n"
        "第十条 本政策自2026年3月1日起施行，《示范区企业上市奖励办法》（示政发〔2024〕3号）同时废止。\n"
    )
    own = _own_kb(tmp_path, ("listing-2024.txt", old), ("listing-2026.txt", new))
    dropped = ask(own, "通过借壳上市的企业现在还有借壳上市奖励吗？")
    assert dropped.band is Band.NONE
    assert "只有已废止的《示范区企业上市奖励办法》写到“借壳上市”" in dropped.reply
    assert "《示范区推动企业上市若干政策》" in dropped.reply
    kept = ask(own, "企业在境外上市奖励多少？")
    assert kept.band is Band.ANSWER and kept.hits[0].doc_id == "listing-2026"
    assert "300万元" in kept.reply
    own.close()


def _product_table() -> bytes:
    """A bank-product 名录 as a workbook: one row per product, citing no measure."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "产品"
    sheet.append(["示范区合作金融产品名录（2026年版）"])
    sheet.append(["产品", "对象", "利率", "期限", "上限", "经办机构"])
    sheet.append(["普惠风险补偿资金池贷款", "小微企业", "不高于LPR加100个基点", "1年",
                  "单户1000万元", "资金池合作银行"])  # fmt: skip
    sheet.append(["创业担保贷款", "个人创业者", "LPR加150个基点以内", "3年", "单户30万元",
                  "区担保公司"])  # fmt: skip
    sheet.append(["应急转贷", "中小企业", "日0.05%", "10日", "单笔2000万元", "区城投集团"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_row_of_a_product_list_does_not_outrank_the_article_that_answers(
    tmp_path: Path,
) -> None:
    """A row of a workbook's 名录 is one part of a longer file, not a short document: it is not
    counted as matching throughout, as a one-article notice is, so it no longer leads the
    measure whose article both searches rank first (heting and tongwu, written blind: the
    product 名录's row led the measure's article on the pool's size, its leverage, its share
    of a loss)."""
    measure = (
        "# 示范区普惠信贷支持办法\n\n- 文号：示政发〔2025〕20号\n- 施行日期：2025年4月1日\n\n"
        "## 第十五条\n\n区财政设立普惠贷款风险补偿资金池，初始规模五千万元，合作银行按照不低于"
        "资金池规模十倍的额度发放贷款。\n\n"
        "## 第十六条\n\n资金池支持的贷款发生损失的，资金池承担百分之四十。\n\n"
        "## 第十七条\n\n合作银行应当每季度向区金融局报送资金池贷款发放情况。\n"
    )
    own = _own_kb(tmp_path, ("inclusive-credit.md", measure))
    own.kb.add_bytes(_product_table(), "products-2026.xlsx")
    a = ask(own, "风险补偿资金池合作银行要放大几倍")
    assert a.band is Band.ANSWER
    assert a.hits[0].doc_id == "inclusive-credit" and "资金池规模十倍" in a.hits[0].text
    snap = own.store.snapshot().by_entries()
    rows = [d for d, rec in snap.docs.items() if rec.doc.meta.compiled_in]
    assert rows and not set(rows) & set(snap.doc_sizes)
    # a 政策清单 whose rows are the only text of their measures: each row stands on its own;
    # a standards table restating a measure the knowledge base holds: its rows do not
    own.kb.add_bytes(policy_list(), "policy-list-2029.xlsx")
    own.kb.add_bytes(_standards_table(), "standards-2026.xlsx")
    snap = own.store.snapshot().by_entries()
    listed = {rec.doc.meta.compiled_in for d, rec in snap.docs.items() if d in snap.doc_sizes}
    assert listed == {None, LIST_TITLE}
    own.close()


def _standards_table() -> bytes:
    """A standards table whose rows cite the measures they restate by 文号."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["示范区惠企政策兑现标准一览表"])
    sheet.append(["序号", "项目", "支持对象", "标准", "依据"])
    sheet.append([1, "风险补偿资金池", "合作银行", "资金池承担百分之四十", "示政发〔2025〕20号"])
    sheet.append([2, "科技保险补贴", "科技型中小企业", "按保费50%补贴", "示金规〔2024〕3号"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
