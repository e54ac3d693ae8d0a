from __future__ import annotations

from pathlib import Path

import pytest

from index.lexicon import Lexicon, LexiconError


def test_normalize_fixes_misspellings_case_insensitively(lexicon: Lexicon) -> None:
    assert lexicon.normalize("北交鼠上市补贴") == "北交所上市补贴"
    assert lexicon.normalize("listing on BEIJNG stock exchange") == (
        "listing on Beijing stock exchange"
    )


def test_normalize_folds_full_width_and_leaves_other_text(lexicon: Lexicon) -> None:
    assert lexicon.normalize("ＢＳＥ上市１００万") == "BSE上市100万"
    assert lexicon.normalize("无关的问题") == "无关的问题"


def test_expand_returns_other_group_members_in_order(lexicon: Lexicon) -> None:
    assert lexicon.expand("北交所上市有补贴吗") == [
        "北京证券交易所",
        "BSE",
        "Beijing Stock Exchange",
    ]


def test_expand_matches_latin_case_insensitively_on_word_boundaries(lexicon: Lexicon) -> None:
    assert "北交所" in lexicon.expand("listing on the bse next year")
    assert lexicon.expand("BSEX index") == []
    assert "应急转贷" in lexicon.expand("need a Bridge  Loan")


def test_expand_excludes_present_members_and_follows_group_order(lexicon: Lexicon) -> None:
    out = lexicon.expand("过桥资金和北交鼠")
    assert out == [
        "北京证券交易所",  # 北交鼠 → 北交所 by the misspelling fix
        "BSE",
        "Beijing Stock Exchange",
        "应急转贷",
        "转贷",
        "bridge loan",
    ]


def test_expand_query_appends_expansions_to_normalized_text(lexicon: Lexicon) -> None:
    assert lexicon.expand_query("北交鼠") == "北交所 北京证券交易所 BSE Beijing Stock Exchange"
    assert lexicon.expand_query("普通问题") == "普通问题"


def test_terms_include_cjk_synonym_members_but_not_latin(lexicon: Lexicon) -> None:
    terms = lexicon.terms()
    assert {"专精特新", "小巨人", "北交所", "过桥资金", "政府性融资担保"} <= terms
    assert "BSE" not in terms and "bridge loan" not in terms


def test_later_files_extend_and_merge(lexicon_file: Path, tmp_path: Path) -> None:
    extra = tmp_path / "local.yaml"
    extra.write_text(
        "terms: [创新积分制]\n"
        "synonyms:\n  - [北交所, 北证]\n  - [贴息, 利息补贴]\n"
        "misspellings:\n  北交鼠: 北京证券交易所\n",
        encoding="utf-8",
    )
    lex = Lexicon.load(lexicon_file, extra, tmp_path / "missing.yaml")
    assert "创新积分制" in lex.terms() and "专精特新" in lex.terms()
    bse_group = next(g for g in lex.synonym_groups if "北交所" in g)
    assert bse_group[0] == "北京证券交易所" and bse_group[-1] == "北证"
    assert ("贴息", "利息补贴") in lex.synonym_groups
    assert lex.normalize("北交鼠") == "北京证券交易所"
    assert "北证" in lex.expand("北交所")


def test_missing_files_give_empty_lexicon(tmp_path: Path) -> None:
    lex = Lexicon.load(tmp_path / "nope.yaml")
    assert lex.terms() == frozenset()
    assert lex.expand_query("北交所") == "北交所"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("terms: [a, b\n", "invalid YAML"),
        ("- just a list\n", "top level"),
        ("synonym:\n  - [a, b]\n", "unknown keys"),
        ("synonyms:\n  - [北交所]\n", "at least two"),
        ("misspellings: [a, b]\n", "misspellings"),
        ("terms: [{x: 1}]\n", "strings"),
        ("translations: {a: b}\n", "translations must be a list"),
        ("translations:\n  - {en: [fee]}\n", "exactly the keys en and zh"),
        ("translations:\n  - {en: [担保费], zh: [担保费]}\n", "en must be Latin-script"),
        ("phrasings: {a: b}\n", "phrasings must be a list"),
        ("phrasings:\n  - {pattern: 头一回}\n", "exactly the keys pattern and means"),
        ("phrasings:\n  - {pattern: '头一回(', means: [首贷]}\n", "bad pattern"),
        ("phrasings:\n  - {pattern: '(头一回)?', means: [首贷]}\n", "matches an empty text"),
        ("phrasings:\n  - {pattern: 头一回, means: []}\n", "needs a term in means"),
    ],
)
def test_malformed_file_raises_error_naming_the_file(
    tmp_path: Path, content: str, fragment: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        Lexicon.load(bad)
    assert str(bad) in str(info.value)
    assert fragment in str(info.value)


def test_a_phrasing_adds_the_terms_it_means_with_their_synonyms(tmp_path: Path) -> None:
    """A question saying "头一回从银行拿到贷款" means 首贷 though it never writes it: the query is searched with
    首贷 and 首贷's synonyms, as if it had named it. A question that writes the term, or does
    not match the pattern, is expanded as before; a later file adds its own phrasings."""
    base = tmp_path / "base.yaml"
    base.write_text(
        "synonyms:\n  - [首贷, 首次贷款]\n"
        "phrasings:\n  - {pattern: '头一回(?:从银行)?(?:拿到)?贷款', means: [首贷]}\n",
        encoding="utf-8",
    )
    local = tmp_path / "local.yaml"
    local.write_text("phrasings:\n  - {pattern: '退伍', means: [退役军人]}\n", encoding="utf-8")
    lex = Lexicon.load(base)
    assert lex.expand("头一回从银行拿到贷款，利息能补多少？") == ["首贷", "首次贷款"]
    assert lex.expand_query("头一回贷款") == "头一回贷款 首贷 首次贷款"
    assert lex.expand("首贷头一回贷款") == ["首次贷款"]  # the term written needs no phrasing
    assert lex.expand("头一回用转贷资金") == []
    both = Lexicon.load(base, local)
    assert both.expand("刚退伍，头一回贷款") == ["首贷", "退役军人", "首次贷款"]


def test_bundled_phrasings_read_a_first_loan_and_not_a_first_product() -> None:
    """The shipped 首贷 phrasing: a first plain loan in the words of ten knowledge bases' questions, not
    the first use of a named product."""
    root = Path(__file__).resolve().parents[2] / "knowledge" / "lexicon"
    lex = Lexicon.load(root / "finance.yaml")
    for meant in (
        "第一次拿到银行经营贷款的主体，县财政给多少利息补助？",
        "小微企业头一回从银行借钱，政府会不会补贴一部分利息？",
        "我们公司从来没贷过款，第一次贷区里给补点不",
        "从没在银行借过钱的小企业拿到第一笔贷款，补多久？",
    ):
        assert "首贷" in lex.phrased(meant), meant
    for other in (
        "我们合作社头一回用县里的转贷资金，要交使用费不？",
        "第一次做知识产权质押贷款 有没有额外奖励啊",
        "第一次拿专利去银行质押贷款，利息能补多少啊？",
        "首贷贴息多少",
    ):
        assert lex.phrased(other) == [], other


def test_canonical_maps_any_member_to_first(lexicon: Lexicon) -> None:
    assert lexicon.canonical("bse") == "北京证券交易所"
    assert lexicon.canonical("未知") == "未知"


def test_english_phrases_translate_longest_first_with_plurals(tmp_path: Path) -> None:
    """The Chinese terms of the English phrases a question holds, for its keyword search:
    "guarantee fee rate" is read before "guarantee fee", "subsidies" as "subsidy", and a
    later file wins a phrase both define."""
    base = tmp_path / "english.yaml"
    base.write_text(
        "translations:\n"
        "  - {en: [guarantee fee, guarantee charge], zh: [担保费]}\n"
        "  - {en: [guarantee fee rate], zh: [担保费率]}\n"
        "  - {en: [subsidy], zh: [补贴, 补助]}\n"
        "  - {en: [IPO], zh: [首次公开发行]}\n",
        encoding="utf-8",
    )
    local = tmp_path / "local.yaml"
    local.write_text("translations:\n  - {en: [subsidy], zh: [奖补]}\n", encoding="utf-8")
    lex = Lexicon.load(base)
    assert lex.translate("What is the Guarantee Fee Rate, and are there subsidies?") == [
        "担保费率",
        "补贴",
        "补助",
    ]
    assert lex.translate("guarantee charges after the ipo") == ["担保费", "首次公开发行"]
    assert lex.translate("IPOs") == ["首次公开发行"]
    assert lex.translate("subsidyX feeguarantee") == []
    assert lex.translate("the guarantee-fee rate") == ["担保费率"]  # a hyphen parts words
    assert lex.translate("guarantee, fee") == []  # a phrase never spans punctuation
    assert lex.translate("guarantee担保fee") == []  # nor Chinese
    assert Lexicon.load(base, local).translate("a subsidy") == ["奖补"]
    assert lex.expand_query("担保费率是多少") == "担保费率是多少"  # Chinese is untouched


def test_an_english_question_is_glossed_with_its_phrases_terms() -> None:
    """The scope check's second reading of an English question: its words, then the first
    Chinese term of each phrase of two words or more (a single word is often an everyday
    one); None when it has no such phrase, and never for the same term twice."""
    lex = Lexicon.from_mapping(
        {
            "translations": [
                {"en": ["STAR Market", "STAR board"], "zh": ["科创板"]},
                {"en": ["award"], "zh": ["奖励"]},
                {"en": ["lists"], "zh": ["名单"]},
                {"en": ["loss tolerance"], "zh": ["容错", "尽职免责"]},
            ]
        }
    )
    question = "How much is the award for a company that lists on the STAR Market?"
    assert lex.glossed(question) == f"{question} 科创板"
    assert lex.glossed("STAR board or STAR Market, and the loss tolerance?") == (
        "STAR board or STAR Market, and the loss tolerance? 科创板 容错"
    )
    assert lex.glossed("What is the award?") is None
    assert lex.glossed("Where can I park?") is None


def test_each_member_is_found_as_its_pattern_finds_it() -> None:
    """Members are looked for by substring (uncased CJK) or by pattern behind a cheap word
    test (Latin, mixed, spaced): the same verdicts as the pattern alone, any case."""
    import re

    from index.lexicon import _entry_pattern

    lex = Lexicon.from_mapping(
        {
            "synonyms": [
                ["应急转贷", "bridge loan", "过桥"],
                ["北交所", "BSE", "北京证券交易所"],
                ["pre-IPO轮", "Pre IPO"],
                ["A股", "A-share"],
            ]
        }
    )
    texts = [
        "需要 Bridge   Loan 吗", "bridge loans", "BSEX指数", "北交所上市", "a股上市", "A股上市",
        "PRE-ipo轮融资", "pre ipo round", "过桥资金", "ａ－ｓｈａｒｅ", "A-SHARE listing", "无关",
    ]  # fmt: skip
    members = [m for g in lex.synonym_groups for m in g]
    for text in texts:
        folded = lex.normalize(text)
        expected = [
            re.search(_entry_pattern(m), folded, re.IGNORECASE) is not None for m in members
        ]
        assert lex._present(folded) == expected, text


def test_the_bundled_translations_name_the_glossary_s_things_in_english() -> None:
    """The specific things an English question names reach the absent-term check and the
    keyword search by their Chinese terms (session 36: letter of credit, car loans, family
    office were read as nothing)."""
    root = Path(__file__).resolve().parents[2] / "knowledge" / "lexicon"
    lex = Lexicon.load(root / "english.yaml")
    phrases = dict(lex.translated_phrases("Is there a subsidy for letter of credit fees?"))
    assert "信用证" in phrases["letter of credit"]
    assert "汽车贷款" in lex.translate("Do you subsidise interest on car loans?")
    assert "家族办公室" in lex.translate("Can a single-family office get a settlement bonus?")
    # a partnership is any 合伙 (合伙创业), a limited partnership the 有限合伙企业 (fengzhu, zheling)
    partnership = dict(lex.translated_phrases("How much for a partnership start-up?"))
    assert "合伙" in partnership["partnership start up"]
    limited = dict(lex.translated_phrases("Is a limited partnership fund rewarded?"))
    assert "有限合伙企业" in limited["limited partnership"]


def test_the_synonyms_of_a_term_are_its_own_groups_not_those_of_words_inside_it(
    lexicon: Lexicon,
) -> None:
    """A term's synonyms are where the term itself is a member: 北交所's group; a term that
    only contains a member (北交所上市补贴 contains 北交所) has none of its own."""
    assert lexicon.synonyms_of("北交所") == ["北京证券交易所", "BSE", "Beijing Stock Exchange"]
    assert lexicon.synonyms_of("bse") == ["北京证券交易所", "北交所", "Beijing Stock Exchange"]
    assert lexicon.synonyms_of("北交所上市补贴") == []
    assert "北京证券交易所" in lexicon.expand("北交所上市补贴")  # a text's expansion reads inside
