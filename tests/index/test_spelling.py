"""Homophone correction: fixes pinyin-input typos of the corpus's words, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.spelling import HomophoneCorrector

CORPUS = [
    "首贷户是指此前未在银行取得过贷款的企业。首贷户贴息按贷款利息的50%给予补助。",
    "技改基金支持企业技术改造。技改基金申报材料包括申请表、审计报告。材料应当真实。",
    "企业境外上市备案，应当按要求提交备案材料。上市后备企业库的企业享受服务权益。",
    "入库企业享受的权益包括一企一策服务。政府负有监管责任。",
    "小贷公司不得暴力催收，小贷公司融资余额不得超过净资产。",
]
TERMS = ["首贷户", "技改基金", "小额贷款"]


@pytest.fixture(scope="module")
def corrector() -> HomophoneCorrector:
    return HomophoneCorrector.build(CORPUS, TERMS)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("首代户能拿多少贴息？", "首贷户能拿多少贴息？"),
        ("技该基金申报要交哪些才料", "技改基金申报要交哪些材料"),
        ("境外上是备案要准备什么", "境外上市备案要准备什么"),
        ("进了企业库能享受哪些全益", "进了企业库能享受哪些权益"),
        ("借了小带公司的钱被催收", "借了小贷公司的钱被催收"),
    ],
)
def test_a_homophone_typo_of_a_corpus_word_is_corrected(
    corrector: HomophoneCorrector, typed: str, meant: str
) -> None:
    assert corrector.correct(typed) == meant


@pytest.mark.parametrize(
    "text",
    [
        "政府有没有贴息",  # 府有 sounds like the corpus's 负有, but cuts through 政府
        "每天走一万步能减肥吗",  # 步能 sounds like 不能: a general word, never a target
        "装修自住的房子",  # 自住 is a word of its own
        "首贷户贴息按贷款利息的50%给予补助",  # official wording is never touched
        "How do I apply for a guarantee?",
        "",
    ],
)
def test_correct_text_is_left_alone(corrector: HomophoneCorrector, text: str) -> None:
    assert corrector.correct(text) == text


def test_an_empty_corpus_corrects_only_to_lexicon_terms() -> None:
    only_terms = HomophoneCorrector.build([], ["技改基金"])
    assert only_terms.correct("技该基金怎么申请") == "技改基金怎么申请"
    assert only_terms.correct("材料怎么交") == "材料怎么交"


def test_the_bundled_lexicon_keeps_a_common_finance_abbreviation() -> None:
    """营收 is everyday Chinese for 营业收入 but not in jieba's dictionary: without the lexicon it
    was "corrected" to the corpus's 应收 (a blind KB's 后备库 question then went unanswered)."""
    from bot.core import BUNDLED_LEXICON
    from index.lexicon import Lexicon

    corpus = [
        "核心企业确认应收，应收确认后可融资。应收到期由核心企业付款。",
        "上市后备企业库入库条件：营业收入不低于5000万元。",
    ]
    fixer = HomophoneCorrector.build(corpus, Lexicon.load(BUNDLED_LEXICON).terms())
    assert fixer.correct("进后备库对营收有什么要求") == "进后备库对营收有什么要求"


def test_a_typo_at_the_end_of_a_term_is_fixed_when_the_fix_completes_it() -> None:
    """jieba reads 创业担保贷宽 as the term 创业担保贷 + 宽: the window 贷宽 cuts that word, and is
    corrected only because 贷款 completes it into the known 创业担保贷款; a cut that the fix
    would not complete into a word (政府有 → 政负有) stays as typed."""
    fixer = HomophoneCorrector.build(
        ["创业担保贷款个人最高30万元。贷款期限3年，贷款贴息50%。政府负有监管责任。"],
        ["创业担保贷", "创业担保贷款"],
    )
    assert fixer.correct("创业担保贷宽最高多少钱") == "创业担保贷款最高多少钱"
    assert fixer.correct("政府有没有创业担保贷") == "政府有没有创业担保贷"


def test_a_typo_at_the_start_of_a_term_is_fixed_when_the_fix_completes_it() -> None:
    """jieba reads 但保费补贴 as 但 + the known 保费补贴: the window 但保 ends inside that word,
    and is corrected only because 担保 + 费补贴 is the corpus's 担保费补贴; where the corrected
    window and the word it cuts make nothing the vocabulary knows, the question stays as typed."""
    fixer = HomophoneCorrector.build(
        [
            "政府性融资担保机构为企业提供担保。担保机构收取保费，保费补贴按年度拨付。",
            "担保费补贴每户最高20万元。",
        ],
        ["担保费补贴"],
    )
    assert fixer.correct("但保费补贴一年最多能补多少") == "担保费补贴一年最多能补多少"
    assert fixer.correct("但保费补贴") == "担保费补贴"
    assert fixer.correct("不但保费补贴") == "不但保费补贴"


def test_a_typo_at_the_start_of_a_word_is_fixed_when_the_rest_is_a_word() -> None:
    """The documents write 担保费 and 补贴 but never 担保费补贴 (four sets' guarantee measures):
    但保费 → 担保费 cuts 保费补贴 and leaves 补贴, a word of its own, so it is fixed; 不但 is
    still a word the fix would break, and a rest of one character is no word."""
    fixer = HomophoneCorrector.build(
        ["担保机构收取担保费。对担保费给予补贴，补贴按年度拨付。保费补贴另行规定。"], ["担保费"]
    )
    assert fixer.correct("但保费补贴每年什么时候申报") == "担保费补贴每年什么时候申报"
    assert fixer.correct("不但保费补贴") == "不但保费补贴"


PHRASE_CORPUS = [
    "上市后备库实行动态管理。入库后被移出后备库的企业，两年内不得再次申请进入后备库。",
    "后备库企业每年报送经营情况，后备库名单每年公布一次。",
    "子基金投资本区企业的金额不低于子基金规模的1.5倍。引导基金投资子基金。",
    "投资基金落户奖励。投资基金管理人申报。投资基金应当托管。",
]


def test_a_typo_in_a_recurring_phrase_is_fixed_by_the_phrase() -> None:
    """jieba reads 后备库 as 后备 + 库, so the phrase is a target only as a phrase: 后被库 (后被
    is written in the corpus, "入库后被移出") and 后背库 (后背 is a dictionary word) were each left
    alone as a known word."""
    fixer = HomophoneCorrector.build(PHRASE_CORPUS, [])
    assert fixer.correct("后被库名单几月公布") == "后备库名单几月公布"
    assert fixer.correct("进了后背库以后能享受什么") == "进了后备库以后能享受什么"


def test_a_phrase_never_rewrites_a_word_the_corpus_writes() -> None:
    """投资基金 is a recurring phrase and sounds like 投子基金, but 子基金 is the corpus's own word."""
    fixer = HomophoneCorrector.build(PHRASE_CORPUS, [])
    assert fixer.correct("引导基金除了投子基金还能投什么") == "引导基金除了投子基金还能投什么"


def test_a_typo_of_a_word_inside_a_long_term_is_fixed() -> None:
    """上市后备企业 is one lexicon term, one token: the 后备 it holds was never counted, so a
    question's 后被企业 was left alone (and then declined as out of scope)."""
    corpus = [
        "上市后备企业实行分层管理。上市后备企业应当每年报送经营数据。",
        "上市后备企业按A、B、C三层管理，上市后备企业入库后享受服务。",
    ]
    fixer = HomophoneCorrector.build(corpus, ["上市后备企业"])
    assert fixer.correct("上市后被企业入库需要满足什么条件") == "上市后备企业入库需要满足什么条件"
    assert fixer.correct("上市后备企业入库需要满足什么条件") == "上市后备企业入库需要满足什么条件"


def test_a_dictionary_word_typed_for_the_corpus_word_is_mended_by_its_neighbours() -> None:
    """后背 is a dictionary word, so the window rules kept 上市后背企业库; the corpus writes
    后备企业 and never 后背企业. 企业哭里 cuts jieba's words, but 企业库里 is written."""
    corpus = [
        "上市后备企业库实行分层管理。上市后备企业库里的企业每年报送经营数据。",
        "后备企业按A、B、C三层管理，进入上市后备企业库的企业享受服务。",
        "担保费率上限为1%。贷款利率上限按合同约定。",
    ]
    fixer = HomophoneCorrector.build(corpus, ["上市后备企业", "企业库"])  # lexicon terms
    assert fixer.correct("上市后背企业库分为哪几层") == "上市后备企业库分为哪几层"
    assert fixer.correct("上市后备企业哭里A层是啥条件") == "上市后备企业库里A层是啥条件"
    assert fixer.correct("担保费率上线是多少") == "担保费率上限是多少"


def test_neighbours_never_rewrite_a_word_the_corpus_writes() -> None:
    """信贷风险 is written and sounds like 新贷风险, but 专精特新 is the corpus's own word."""
    corpus = [
        "专精特新企业贷款贴息按50%执行。专精特新企业认定按省里标准。",
        "信贷风险补偿资金池按本金损失的50%补偿。信贷风险由银行和资金池分担。",
    ]
    fixer = HomophoneCorrector.build(corpus, ["专精特新"])  # a lexicon term
    typed = "专精特新贷风险补偿比例是多少"
    assert fixer.correct(typed) == typed


def test_neighbours_never_break_a_word_of_the_question() -> None:
    """公司实缴 is written and 公司时缴 is not, but 时缴 cuts the question's 缴纳, and 实缴纳 is
    written nowhere: the question reads as typed ("…股份公司时缴纳的所得税"). A cut word the
    target completes is still mended (上市后备企业哭里: `…mended_by_its_neighbours`)."""
    corpus = [
        "股份公司实缴出资不低于1000万元。有限责任公司实缴资本按章程约定。",
        "企业应当依法缴纳税款。公司实缴资本由验资机构确认。",
    ]
    fixer = HomophoneCorrector.build(corpus, [])
    typed = "整体变更为股份公司时缴纳的所得税能返还吗"
    assert fixer.correct(typed) == typed
    assert fixer.correct("公司时缴资本多少") == "公司实缴资本多少"


def test_a_character_inside_the_knowledge_base_s_own_wording_keeps_its_place() -> None:
    """ "养螃蟹的渔民用渔光贷能贷多少" became 用于光贷: 用渔 is written nowhere and sounds as 用于,
    a word of the corpus, but 渔 is the first character of “渔光贷”, which the corpus writes
    (zheling, written blind; "黛溪县种了" became 黛溪险种 the same way on four sets). Read over
    that knowledge base's own documents, as a deployment builds it; a typo is still mended."""
    from bot.core import BUNDLED_ENGLISH, BUNDLED_LEXICON
    from index.lexicon import Lexicon
    from knowledge.documents import iter_source_files, parse_document

    docs = Path(__file__).resolve().parents[2] / "knowledge" / "samples" / "zheling" / "docs"
    texts = [
        f"{doc.meta.title}\n{chunk.section}\n{chunk.text}"
        for path, source in iter_source_files(docs)
        for doc in [parse_document(path.read_bytes(), source)]
        for chunk in doc.chunks
    ]
    terms = Lexicon.load(BUNDLED_LEXICON, BUNDLED_ENGLISH).terms()
    corrector = HomophoneCorrector.build(texts, terms)
    assert corrector.correct("养螃蟹的渔民用渔光贷能贷多少？") == "养螃蟹的渔民用渔光贷能贷多少？"
    assert corrector.correct("区担保公司的但保费率是多少？") == "区担保公司的担保费率是多少？"
