"""A question that names a specific thing no document writes is declined, naming that thing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answers import AnswerService, Band
from bot.answers.absent import AbsentTerms, Glossary
from bot.config import load_settings
from bot.core import BUNDLED_GLOSSARY, Core, build_absent_terms, build_core
from bot.scope import ScopeFileError
from bot.scope_model import ScopeVerdict
from index.encoders import HashingEncoder
from index.lexicon import Lexicon
from index.snapshot import Snapshot

GLOSSARY = Glossary(
    [
        "出口信用保险",
        "信用保险",
        "医保",
        "专精特新小巨人",
        "融资租赁",
        "设备融资租赁",
        "北交所",
        "定增",
        "基金管理公司",
        "信托公司",
        "资金归集",
        "产业基金",
    ]
)

GUARANTEE = (
    "# 示范区政府性融资担保管理办法\n\n- 文号：示金规〔2025〕2号\n- 施行日期：2025年1月1日\n\n"
    "## 第五条 担保费率\n\n单户担保金额500万元及以下的小微企业，年化担保费率不超过1%。\n\n"
    "## 第六条 支持对象\n\n对专精特新“小巨人”企业、在北京证券交易所上市的企业优先提供担保，"
    "参加医疗保险、融资租赁的设备可作反担保。\n\n"
    "## 第七条 合作机构\n\n基金管理人管理的基金投资的企业，可以申请担保。\n\n"
    "## 第八条 偿债准备\n\n债券本息到期前3个月足额归集偿债资金。\n"
)
EXPORT_INSURANCE = (
    "# 示范区出口信用保险保费补贴办法\n\n- 文号：示金规〔2025〕4号\n- 施行日期：2025年2月1日\n\n"
    "## 第三条 补贴标准\n\n企业投保出口信用保险的，按实缴保费的50%给予补贴，每户每年最高20万元。\n"
)


def _kb(tmp_path: Path, *files: tuple[str, str]) -> Core:
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    for name, text in files:
        core.kb.add_bytes(text.encode(), name)
    return core


def _read_by(
    tmp_path: Path, terms: list[str], title: str, article: str
) -> tuple[Core, AbsentTerms, Snapshot]:
    """A knowledge base of one measure with one article, and a check with these terms."""
    text = f"# {title}\n\n- 施行日期：2025年1月1日\n\n## {article}\n"
    core = _kb(tmp_path, ("measure.md", text))
    return core, AbsentTerms(Glossary(terms), core.lexicon), core.store.snapshot()


def _service(core: Core) -> AnswerService:
    return AnswerService(
        core.store, core.lexicon, today=lambda: date(2026, 6, 1),
        absent=AbsentTerms(GLOSSARY, core.lexicon),
    )  # fmt: skip


def test_glossary_file_comments_and_removals(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped.txt"
    shipped.write_text(
        "# a comment\n出口信用保险\n定增  # inline comment\n大基金\n", encoding="utf-8"
    )
    own = tmp_path / "own.txt"
    own.write_text("-大基金\n碳排放权\n", encoding="utf-8")
    glossary = Glossary.load(shipped, own, tmp_path / "missing.txt")
    assert set(glossary.terms) == {"出口信用保险", "定增", "碳排放权"}
    assert glossary.terms[0] == "出口信用保险"  # longest first


def test_the_shipped_products_are_read_and_a_deployment_removes_one(tmp_path: Path) -> None:
    (tmp_path / "products.txt").write_text("-水稻\n磐溪红米\n", encoding="utf-8")
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    products = build_absent_terms(settings, Lexicon()).products
    assert {"能繁母猪", "天麻", "磐溪红米"} <= set(products.terms)
    assert "水稻" not in products.terms and len(products.terms) > 300


def test_the_longest_term_named_is_the_one_checked() -> None:
    assert GLOSSARY.named_in("出口信用保险保费补贴怎么申请") == ["出口信用保险"]
    assert GLOSSARY.named_in("贷款贴息怎么申请") == []


def test_an_insurance_is_named_as_people_say_it() -> None:
    """险 for 保险: "安全生产责任险" names 安全生产责任保险 (three blind sets answered it from an
    environmental-liability insurance measure, session 45); a short form that is a term of
    its own stays that term."""
    glossary = Glossary(["安全生产责任保险", "出口信用保险", "短期出口信用保险", "责任险"])
    assert glossary.named_in("工厂投保安全生产责任险，保费有补贴吗？") == ["安全生产责任保险"]
    assert glossary.named_in("买短期出口信用险保费能报多少") == ["短期出口信用保险"]
    assert glossary.named_in("责任险有补贴吗") == ["责任险"]
    assert glossary.named_in("企业风险补偿怎么申请") == []


def test_a_term_counts_as_written_in_its_documents_own_forms(tmp_path: Path) -> None:
    """Quotes inside the term, a lexicon synonym, the full form an abbreviation stands for, a
    shorter glossary term it is a kind of, the same body under another generic name: all are
    the documents writing it."""
    core = _kb(tmp_path, ("guarantee.md", GUARANTEE))
    absent, snap = AbsentTerms(GLOSSARY, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "专精特新小巨人担保费率多少") is None  # 专精特新“小巨人”
    assert absent.first_unwritten(snap, "北交所上市企业能优先担保吗") is None  # 北京证券交易所
    assert absent.first_unwritten(snap, "医保能作反担保吗") is None  # 医疗保险
    assert absent.first_unwritten(snap, "设备融资租赁能作反担保吗") is None  # 融资租赁
    assert absent.first_unwritten(snap, "基金管理公司投的企业能担保吗") is None  # 基金管理人
    assert absent.first_unwritten(snap, "信托公司能合作吗") == "信托公司"  # no 信托 body written
    assert absent.first_unwritten(snap, "资金归集要提前多久") is None  # 归集偿债资金
    assert absent.first_unwritten(snap, "产业基金能担保吗") == "产业基金"
    assert absent.first_unwritten(snap, "出口信用保险保费能补贴吗") == "出口信用保险"
    assert absent.first_unwritten(snap, "出口信用险保费能补贴吗") == "出口信用保险"
    assert absent.first_unwritten(snap, "上市公司定增有奖励吗") == "定增"


def test_a_term_opening_with_a_synonym_counts_as_written_in_the_other(tmp_path: Path) -> None:
    """专利质押贷款 opens with 专利质押, a lexicon synonym of 知识产权质押: a measure that writes
    知识产权质押贷款 grants it (cenjiang, seen), though it writes 股权质押贷款 too (a sibling)."""
    measure = (
        "# 示范区知识产权质押融资贴息办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第三条 贴息\n\n企业以知识产权质押贷款的，按LPR的50%给予贴息；股权质押贷款不在此列。\n"
    )
    core = _kb(tmp_path, ("ip.md", measure))
    glossary = Glossary(["专利质押贷款", "股权质押贷款", "质押贷款", "仓单质押"])
    absent, snap = AbsentTerms(glossary, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "专利质押贷款的贴息怎么申报？") is None
    assert absent.first_unwritten(snap, "仓单质押贷款有贴息吗？") == "仓单质押"


def test_a_name_written_in_a_coordination_counts_as_written(tmp_path: Path) -> None:
    """ "上海、深圳证券交易所" writes 上海证券交易所, which 上交所 abbreviates."""
    listing = (
        "# 示范区上市奖励办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第三条 上市奖励\n\n在上海、深圳证券交易所上市的企业，给予奖励300万元。\n"
    )
    core = _kb(tmp_path, ("listing.md", listing))
    glossary = Glossary(["上交所", "港交所"])
    absent, snap = AbsentTerms(glossary, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "去上交所上市奖励多少") is None
    assert absent.first_unwritten(snap, "去港交所上市奖励多少") == "港交所"


def test_a_question_on_what_no_document_writes_is_declined_until_one_does(tmp_path: Path) -> None:
    core = _kb(tmp_path, ("guarantee.md", GUARANTEE))
    service = _service(core)
    question = "出口信用保险的保费补贴是多少？"
    declined = service.explain(question)
    assert declined.answer.band is Band.NONE
    assert declined.answer.reply.startswith("知识库中的政策文件都没有提到“出口信用保险”")
    assert "“出口信用保险”，知识库的文件都没有写到它" in declined.reason
    assert declined.answer.top == (("absent:出口信用保险", 0.0),)
    english = service.answer_sync("出口信用保险补贴", lang="en")
    assert english.reply.startswith("None of the policy documents mentions “出口信用保险”")
    assert service.answer_sync("担保费率是多少？").band is Band.ANSWER  # nothing else changes

    core.kb.add_bytes(EXPORT_INSURANCE.encode(), "export-insurance.md")
    answered = service.answer_sync(question)
    assert answered.band is not Band.NONE
    assert answered.hits and answered.hits[0].doc_id == "export-insurance"


def test_a_term_the_question_writes_only_across_two_of_its_words_is_not_named(
    tmp_path: Path,
) -> None:
    """商承 (商业承兑汇票) sits across 券商 / 承销 in "券商承销…": the question names a broker
    underwriting bonds, not the bill, and is not declined for it. A term cut at one end only
    by the question's words (消费贷 in 消费贷款) is still named."""
    glossary = Glossary(["商承", "消费贷"])
    core = _kb(tmp_path, ("guarantee.md", GUARANTEE))
    absent, snap = AbsentTerms(glossary, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "券商承销本区企业债券有奖励吗？") is None
    assert absent.first_unwritten(snap, "商承贴现有补贴吗？") == "商承"
    assert absent.first_unwritten(snap, "买车的消费贷款有贴息吗？") == "消费贷"


def test_the_classifier_of_that_one_does_not_name_a_term_it_opens(tmp_path: Path) -> None:
    """ "那个税信贷能贷多少" asks about the 税信贷 product: its 个 is the classifier of 那个, not
    the first character of 个税 (tingbu, written blind: declined as a personal tax)."""
    core = _kb(tmp_path, ("guarantee.md", GUARANTEE))
    absent, snap = AbsentTerms(Glossary(["个税"]), core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "纳税信用是B的小公司，那个税信贷能贷多少") is None
    assert absent.first_unwritten(snap, "个税能抵扣吗？") == "个税"


def test_the_bundled_glossary_names_things_not_generic_words() -> None:
    bundled = Glossary.load(BUNDLED_GLOSSARY)
    assert len(bundled.terms) > 500
    assert {"出口信用保险", "现金分红", "住房公积金"} <= set(bundled.terms)
    assert {"并购重组", "定向发行", "船舶保险", "离岸转手买卖"} <= set(bundled.terms)  # session 36
    assert not {"贷款", "资金", "企业", "补贴"} & set(bundled.terms)  # no generic words
    # nor the bureau's own staples, which its documents write in their own words
    assert not {"保费", "贴息", "增信", "担保费率", "风险补偿", "报会"} & set(bundled.terms)
    # nor a later term wider than an earlier one: 出口信用保险 would count as written wherever
    # the documents write 信用保险
    assert "信用保险" not in bundled.terms


def test_an_english_question_names_a_thing_by_its_chinese_terms(tmp_path: Path) -> None:
    """ "export credit insurance" is 出口信用保险 (the lexicon's translation): unwritten, it
    is named in the reply as the question wrote it; written, the question is not declined."""
    core = _kb(tmp_path / "guarantee", ("guarantee.md", GUARANTEE))
    absent, snap = AbsentTerms(GLOSSARY, core.lexicon), core.store.snapshot()
    question = "Is there a premium subsidy for export credit insurance?"
    assert absent.first_unwritten_phrase(snap, question) == (
        "export credit insurance",
        "出口信用保险",
    )
    assert absent.first_unwritten_phrase(snap, "What is the guarantee fee rate?") is None
    a = _service(core).answer_sync(question, lang="en")
    assert a.band is Band.NONE and "“export credit insurance”" in a.reply
    both = _kb(tmp_path / "both", ("guarantee.md", GUARANTEE), ("export.md", EXPORT_INSURANCE))
    snap = both.store.snapshot()
    assert AbsentTerms(GLOSSARY, both.lexicon).first_unwritten_phrase(snap, question) is None


class _FixedVerdict:
    """A scope model that places every question at one margin (cut-off 0, typical 0.04)."""

    def __init__(self, margin: float) -> None:
        self.margin = margin

    def verdict(self, *_args: object) -> ScopeVerdict:
        return ScopeVerdict(self.margin, 0.0, 0.04)

    def latin_centre(self) -> None:
        """No centre for English questions: their dense list is ranked as it stands."""
        return None


def test_the_check_yields_to_a_question_placed_as_firmly_in_scope_as_a_typical_one(
    tmp_path: Path,
) -> None:
    """发明专利 where the documents write 专利: the term is a kind of what they cover. When the
    scope model is as sure as for a typical in-scope question, the question is answered."""
    patent = (
        "# 示范区知识产权质押融资办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第四条 评估费补贴\n\n企业以专利权质押贷款的，评估费按50%给予补贴，最高10万元。\n"
    )
    core = _kb(tmp_path, ("patent.md", patent))
    service = AnswerService(
        core.store, core.lexicon, today=lambda: date(2026, 6, 1),
        absent=AbsentTerms(Glossary(["发明专利"]), core.lexicon),
    )  # fmt: skip
    question = "用发明专利质押贷款，评估费补贴多少？"
    service.scope_model = _FixedVerdict(0.05)  # type: ignore[assignment]
    assert service.answer_sync(question).hits[0].doc_id == "patent"
    service.scope_model = _FixedVerdict(0.02)  # type: ignore[assignment]
    declined = service.answer_sync(question)
    assert declined.band is Band.NONE and "“发明专利”" in declined.reply


def test_the_check_yields_only_where_the_documents_write_what_the_term_is_a_kind_of(
    tmp_path: Path,
) -> None:
    """定向增发 where the documents write neither it nor 增发: they do not cover that kind of
    thing at all, however typical the question looks to the scope model ("已经上市的公司搞定向
    增发再融资，县里奖不奖？" on lanyu was answered with its listing reward). 发明专利 where
    they write 专利 still yields (the test above)."""
    core, absent, snap = _read_by(
        tmp_path, ["定向增发", "发明专利", "董秘"],
        "示范区企业上市奖励办法", "第三条 上市奖励\n\n企业在境内首发上市的，给予一次性奖励500万元。",
    )  # fmt: skip
    assert not absent.head_written(snap, "定向增发")
    assert absent.head_written(snap, "董秘")  # two characters: no head to read
    service = AnswerService(core.store, core.lexicon, today=lambda: date(2026, 6, 1), absent=absent)
    service.scope_model = _FixedVerdict(0.05)  # type: ignore[assignment]
    declined = service.answer_sync("已经上市的公司搞定向增发再融资，区里奖不奖？")
    assert declined.band is Band.NONE and "“定向增发”" in declined.reply
    assert service.answer_sync("上市公司董秘有没有奖励？").band is not Band.NONE


def test_the_head_must_be_written_by_the_document_the_answer_would_quote(tmp_path: Path) -> None:
    """贷款保证保险 where only another measure writes 保险 (a farm-insurance one) and the one
    that would be quoted (a loan-guarantee measure) does not: the documents do not cover that
    kind of insurance, however typical the question looks (qixia, tangxi, lanyu-fresh …)."""
    loans = (
        "# 示范区小微企业融资担保办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第五条 担保费补贴\n\n小微企业通过政府性融资担保机构获得贷款的，担保费按1%给予补贴。\n"
    )
    farms = (
        "# 示范区农业保险保费补贴办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第三条 补贴标准\n\n水稻、生猪农业保险保费，区财政补贴30%。\n"
    )
    core = _kb(tmp_path, ("loans.md", loans), ("farms.md", farms))
    absent = AbsentTerms(Glossary(["贷款保证保险"]), core.lexicon)
    snap = core.store.snapshot()
    absent.prepare(snap)
    assert absent.head_written(snap, "贷款保证保险")  # 保险, somewhere
    assert absent.head_written(snap, "贷款保证保险", "farms")
    assert not absent.head_written(snap, "贷款保证保险", "loans")
    service = AnswerService(core.store, core.lexicon, today=lambda: date(2026, 6, 1), absent=absent)
    service.scope_model = _FixedVerdict(0.05)  # type: ignore[assignment]
    declined = service.answer_sync("小微企业贷款买了贷款保证保险，担保费和保费能补贴吗？")
    assert declined.band is Band.NONE and "“贷款保证保险”" in declined.reply


def test_a_latin_term_is_a_word_of_its_own_in_any_case(tmp_path: Path) -> None:
    glossary = Glossary(["QFLP", "ABS", "出口信用保险"])
    assert glossary.named_in("Does the district run a qflp pilot?") == ["QFLP"]
    assert glossary.named_in("应收账款ABS有补贴吗") == ["ABS"]
    assert glossary.named_in("we sell labs") == []
    core = _kb(
        tmp_path, ("guarantee.md", GUARANTEE.replace("优先提供担保", "优先提供担保，支持开展ABS"))
    )
    absent = AbsentTerms(glossary, core.lexicon)
    assert absent.first_unwritten(core.store.snapshot(), "做ABS有奖励吗") is None
    assert absent.first_unwritten(core.store.snapshot(), "Is there a QFLP pilot?") == "QFLP"


def test_a_glossary_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "glossary.txt"
    broken.write_bytes("出口信用保险\n".encode("gbk"))
    with pytest.raises(ScopeFileError, match=r"glossary\.txt: cannot read the glossary"):
        Glossary.load(BUNDLED_GLOSSARY, broken)


def test_a_question_the_scope_model_declines_is_told_the_thing_it_names(tmp_path: Path) -> None:
    """Declined either way; the reply names what no document covers rather than calling the
    question a personal matter."""
    core = _kb(tmp_path, ("guarantee.md", GUARANTEE))
    service = _service(core)
    service.scope_model = _FixedVerdict(-0.5)  # type: ignore[assignment]
    answer = service.answer_sync("出口信用保险的保费补贴是多少？")
    assert answer.band is Band.NONE
    assert answer.reply.startswith("知识库中的政策文件都没有提到“出口信用保险”")
    assert service.answer_sync("孩子上学怎么报名？").reply.startswith("这个问题涉及个人事务")


def test_an_abbreviation_counts_as_written_in_its_full_chinese_name(tmp_path: Path) -> None:
    """ABN is a 资产支持票据 and ABS a 资产支持证券 (bundled lexicon): a factoring measure that
    rewards issuing them answers "发ABN有没有奖励？" (luting's two-part question was declined
    for ABN, songling's "发 ABS 和 ABN 的奖励比例一样吗？" too)."""
    _, absent, snap = _read_by(
        tmp_path, ["ABN", "ABS", "REITs"], "示范区商业保理集聚措施",
        "三、融资支持\n\n商业保理公司发行资产支持证券或者资产支持票据的，按发行金额的0.5%给予奖励。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "保理公司发ABN有没有奖励？") is None
    assert absent.first_unwritten(snap, "Is there an award for issuing ABS?") is None
    assert absent.first_unwritten(snap, "发REITs有奖励吗？") == "REITs"


def test_a_pilot_schemes_latin_name_is_written_by_its_chinese_one(tmp_path: Path) -> None:
    """QFLP is a 合格境外有限合伙人 pilot (bundled lexicon): a measure that writes only the
    Chinese name answers "申请QFLP试点…" (jinsha's QFLP questions were declined for it)."""
    _, absent, snap = _read_by(
        tmp_path, ["QFLP", "QDLP"], "示范区合格境外有限合伙人试点暂行办法",
        "第四条 试点条件\n\n申请试点的管理企业注册资本不低于200万美元。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "申请QFLP试点的管理企业注册资本不低于多少？") is None
    assert absent.first_unwritten(snap, "QDLP试点怎么申请？") == "QDLP"


def test_a_term_whose_sibling_the_documents_write_is_not_written_by_their_shared_kind(
    tmp_path: Path,
) -> None:
    """合格境内有限合伙人 (QDLP) is a kind of 有限合伙人, but a measure that writes 合格境外有限合伙人
    names that other kind: the QDLP question is declined, in Chinese and in English, whatever
    the scope model says (hongjiang's QDLP question was answered from its QFLP measure). A
    kind written without a sibling still stands for the term (设备融资租赁 in 融资租赁)."""
    core, absent, snap = _read_by(
        tmp_path, ["合格境外有限合伙人", "合格境内有限合伙人", "有限合伙人", "QDLP", "设备融资租赁", "融资租赁"],
        "示范区合格境外有限合伙人试点暂行办法",
        "第四条 试点条件\n\n有限合伙人以外币出资，试点企业可开展融资租赁业务。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "合格境内有限合伙人试点怎么申请？") == "合格境内有限合伙人"
    assert not absent.head_written(snap, "合格境内有限合伙人")
    assert not absent.head_written(snap, "QDLP")  # read as the Chinese it is spelt out in
    assert absent.first_unwritten(snap, "设备融资租赁有补贴吗") is None
    service = AnswerService(core.store, core.lexicon, today=lambda: date(2026, 6, 1), absent=absent)
    service.scope_model = _FixedVerdict(0.05)  # type: ignore[assignment]
    declined = service.answer_sync("Can a fund manager apply for the QDLP pilot here?", lang="en")
    assert declined.band is Band.NONE and declined.top[0][0] == "absent:QDLP"


def test_a_sibling_of_another_kind_does_not_unwrite_a_term_its_kind_holds(
    tmp_path: Path,
) -> None:
    """林权抵押贷款 is a kind of 抵押贷款; a measure writing 股权质押贷款 names a 质押 loan, not
    another 抵押贷款, so it still grants the 林权 one (panxi, written blind). A kind that opens
    the term is none of its siblings': there any sibling written counts, as before (关税
    is no kind that 贷款保证保险 shares with 关税保证保险)."""
    _, absent, snap = _read_by(
        tmp_path,
        ["林权抵押贷款", "股权质押贷款", "抵押贷款", "关税保证保险", "贷款保证保险", "关税"],
        "磐溪市农村产权抵押融资管理办法",
        "第十条 贷款期限\n\n农村产权抵押贷款期限一般不超过5年，以林权抵押的可延长至8年；"
        "股权质押贷款另行规定。企业购买贷款保证保险的，关税不予减免。",
    )
    assert absent.first_unwritten(snap, "林权抵押贷款期限最长多少年？") is None
    assert absent.first_unwritten(snap, "关税保证保险有补贴吗？") == "关税保证保险"


def test_a_farm_product_no_document_writes_is_declined_however_sure_the_scope_model_is(
    tmp_path: Path,
) -> None:
    """A farm-insurance measure listing 咖啡 and 茶叶 grants no 烤烟 premium subsidy: the
    product is named in the reply, even where the scope model places the question as a
    typical one; a listed product is answered (panxi, written blind; the shipped list of
    products was written blind too)."""
    core = _kb(
        tmp_path,
        (
            "insurance.md",
            "# 磐溪市政策性农业保险保费补贴办法\n\n- 施行日期：2025年1月1日\n\n"
            "## 第五条 补贴品种\n\n咖啡、茶叶种植保险，财政补贴保费的75%。\n",
        ),
    )
    absent = AbsentTerms(GLOSSARY, core.lexicon, Glossary(["烤烟", "咖啡", "茶叶", "玉米"]))
    snap = core.store.snapshot()
    assert absent.first_unwritten_product(snap, "种烤烟的买保险，财政补贴比例是多少？") == "烤烟"
    assert absent.first_unwritten_product(snap, "咖啡种植保险补贴多少？") is None
    service = AnswerService(core.store, core.lexicon, today=lambda: date(2026, 6, 1), absent=absent)
    service.scope_model = _FixedVerdict(0.05)  # type: ignore[assignment]
    declined = service.answer_sync("种烤烟的买保险，财政补贴比例是多少？")
    assert declined.band is Band.NONE and declined.top[0][0] == "absent:烤烟"
    assert "烤烟" in declined.reply
    assert service.answer_sync("咖啡种植保险财政补贴多少？").band is not Band.NONE


def test_the_central_bank_by_its_everyday_name_is_the_peoples_bank_the_documents_write(
    tmp_path: Path,
) -> None:
    """央行 is what entrepreneurs call 中国人民银行 (a blind KB's 碳减排支持工具 questions were
    declined for naming 央行, which its documents write as 人民银行)."""
    text = (
        "# 示范区碳减排支持工具配套奖励办法\n\n- 施行日期：2025年1月1日\n\n"
        "## 第三条 奖励标准\n\n银行运用人民银行碳减排支持工具发放贷款的，按新增贷款的0.2%给予奖励。\n"
    )
    core = _kb(tmp_path, ("tool.md", text))
    absent, snap = AbsentTerms(Glossary(["央行", "信托公司"]), core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(snap, "银行用央行的碳减排支持工具放贷有奖励吗") is None
    assert absent.first_unwritten(snap, "信托公司能合作吗") == "信托公司"
    core.close()


def test_a_term_is_not_written_by_a_synonym_of_a_word_inside_it(tmp_path: Path) -> None:
    """汽车贷款 contains 贷款, whose lexicon synonym 借款 the documents write (借款人): that is no
    car loan, and a question on car-loan subsidies names what no document writes."""
    core, absent, snap = _read_by(
        tmp_path, ["汽车贷款", "融资担保"], "示范区融资担保管理办法",
        "第五条 担保费率\n\n借款人为小微企业的，年化担保费率不超过1%。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "员工买车的汽车贷款有贴息吗") == "汽车贷款"
    assert absent.first_unwritten(snap, "融资担保费率是多少") is None
    core.close()


def test_a_benefit_on_a_thing_counts_as_written_a_few_words_apart(tmp_path: Path) -> None:
    """A measure grants a 租金补贴 as "按实际租金的50%给予补贴": the thing and the benefit in one
    clause; a 租金 in one sentence and a 补贴 in the next grant nothing."""
    core, absent, snap = _read_by(
        tmp_path, ["租金补贴", "购房补贴"], "示范区金融机构落户奖励办法",
        "第九条 办公用房\n\n金融机构租用自用办公用房的，按实际租金的50%给予补贴。"
        "购买自用办公用房的，按购房价款计算。对符合条件的，给予补贴。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "租金补贴标准是多少") is None
    assert absent.first_unwritten(snap, "购房补贴有多少") == "购房补贴"
    core.close()


def test_an_overseas_exchange_is_named_where_no_document_lists_it(tmp_path: Path) -> None:
    """A county whose listing reward lists only the domestic venues and 港交所 does not answer
    a 纳斯达克 or NASDAQ question; a district whose overseas reward lists 纳斯达克证券交易所
    (the sample's, in a table on luting's) does."""
    domestic = (
        "# 示范县企业上市奖励办法\n\n- 施行日期：2025年1月1日\n\n## 第五条 上市奖励\n\n"
        "企业在沪深交易所、北京证券交易所或香港联合交易所首发上市的，给予奖励300万元。\n"
    )
    overseas = (
        "# 示范区境外上市奖励办法\n\n- 施行日期：2025年1月1日\n\n## 第三条 其他境外交易所\n\n"
        "企业在纽约证券交易所、纳斯达克证券交易所、新加坡证券交易所首次发行股票并上市的，"
        "给予一次性奖励200万元。\n"
    )
    glossary = Glossary.load(BUNDLED_GLOSSARY)
    core = _kb(tmp_path / "county", ("listing.md", domestic))
    absent, county = AbsentTerms(glossary, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(county, "企业去纳斯达克上市，县里有奖励吗？") == "纳斯达克"
    assert absent.first_unwritten(county, "企业去新加坡交易所上市有奖励吗？") == "新加坡交易所"
    english = "Does the county give a reward for listing on NASDAQ in the US?"
    assert absent.first_unwritten_phrase(county, english) == ("nasdaq", "纳斯达克")
    assert absent.first_unwritten(county, "企业在北交所上市奖励多少？") is None
    core = _kb(tmp_path / "district", ("overseas.md", overseas))
    absent, district = AbsentTerms(glossary, core.lexicon), core.store.snapshot()
    assert absent.first_unwritten(district, "企业去纳斯达克上市，区里有奖励吗？") is None
    assert absent.first_unwritten(district, "企业去新加坡交易所上市有奖励吗？") is None
    assert absent.first_unwritten_phrase(district, english) is None


def test_a_term_inside_a_longer_lexicon_word_of_another_meaning_is_not_named(
    tmp_path: Path,
) -> None:
    """科技贷款 (a loan to tech firms, a lexicon word whose group is 科技型中小企业贷款) is not the
    product 科技贷: a measure on 科技型中小企业贷款 answers it (meixi declined three questions as
    naming 科技贷). 消费贷 cut at one end in 消费贷款 is still named."""
    _, absent, snap = _read_by(
        tmp_path, ["科技贷", "消费贷"],
        "示范区科技型中小企业贷款风险补偿资金管理办法", "第七条 补偿比例\n\n入池贷款发生损失的，补偿40%。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "合作银行科技贷款的不良率太高会怎么处理？") is None
    assert absent.first_unwritten(snap, "科技贷怎么申请？") == "科技贷"
    assert absent.first_unwritten(snap, "买车的消费贷款有贴息吗？") == "消费贷"


def test_a_term_in_its_openings_synonym_is_a_kind_of_what_that_writes(tmp_path: Path) -> None:
    """专利质押贷款 as 知识产权质押贷款 is a kind of 知识产权质押, which the measure writes, beside
    碳汇质押贷款 (a sibling of 专利质押贷款's, not of 知识产权质押贷款's): it is written (meixi)."""
    _, absent, snap = _read_by(
        tmp_path, ["专利质押贷款", "知识产权质押贷款", "知识产权质押", "碳汇质押贷款", "质押贷款"],
        "示范区知识产权质押融资贴息办法",
        "第五条 贴息标准\n\n对企业以知识产权质押取得的贷款，按利息的50%贴息；碳汇质押贷款另行规定。",
    )  # fmt: skip
    assert absent.first_unwritten(snap, "专利质押贷款普通企业贴息多少？") is None


def test_a_single_english_word_read_back_from_a_plural_names_no_term(tmp_path: Path) -> None:
    """ "carries" is a verb as often as the plural of carry (carried interest): "Which indicator
    carries the largest weight…" named 业绩报酬 on meixi and was declined."""
    _, absent, snap = _read_by(
        tmp_path, ["业绩报酬"], "示范区银行业金融机构考核办法", "第六条 考核指标\n\n贷款增量权重最大。",
    )  # fmt: skip
    assert (
        absent.first_unwritten_phrase(snap, "Which indicator carries the largest weight?") is None
    )
    assert absent.first_unwritten_phrase(snap, "How much carried interest may a GP take?") == (
        "carried interest",
        "业绩报酬",
    )


def test_a_name_in_quotes_that_no_document_writes_is_declined_naming_it(tmp_path: Path) -> None:
    """A bureau's own products are written in its measures: a question quoting one no
    document writes ("区里有个“湖商快贷”…") asks after a product this bureau does not have,
    and the reply names it, however close the rest of the question is to a measure. A product
    the documents write is answered; a romanised name ("Mufudai") is not read as one."""
    core = _kb(
        tmp_path,
        (
            "fishery-loan.md",
            "# 柘岭区“渔光贷”水产养殖信用贷款\n\n- 施行日期：2029年3月1日\n\n"
            "## 政策内容\n\n“渔光贷”面向本区四镇水产养殖户，单户最高50万元，年利率不超过3.95%。\n",
        ),
    )
    absent = AbsentTerms(GLOSSARY, core.lexicon)
    snap = core.store.snapshot()
    assert absent.first_unwritten_name("区里有个“湖商快贷”，额度和利率是多少？", snap) == "湖商快贷"
    assert absent.first_unwritten_name("养螃蟹的用“渔光贷”能贷多少？", snap) is None
    assert absent.first_unwritten_name('What is the "Mufudai" loan cap?', snap) is None
    service = AnswerService(
        core.store, core.lexicon, today=lambda: date(2030, 3, 16), absent=absent
    )
    declined = service.answer_sync("区里有个“湖商快贷”，额度和利率是多少？")
    assert declined.band is Band.NONE and declined.top[0][0] == "absent:湖商快贷"
    assert "湖商快贷" in declined.reply
    answered = service.answer_sync("水产养殖户申请“渔光贷”单户最高能贷多少？")
    assert answered.band is not Band.NONE and "50万元" in answered.reply
