"""A passage that writes out every content word of the question overrules the scope model."""

from __future__ import annotations

import pytest

from bot.answers.coverage import PassageCoverage
from index.lexicon import Lexicon

LEXICON = Lexicon.from_mapping(
    {"terms": ["小额贷款公司"], "synonyms": [["小额贷款公司", "小贷公司"]]}
)
PASSAGE = "第七条 利率披露 小额贷款公司应当在借款合同首页载明年化综合融资成本，利率上限为LPR的4倍。"


@pytest.fixture(scope="module")
def coverage() -> PassageCoverage:
    return PassageCoverage(LEXICON)


def test_content_words_leave_out_question_words_and_single_characters(
    coverage: PassageCoverage,
) -> None:
    assert coverage.content_words("小额贷款公司贷款利率上限是多少？") == [
        "小额贷款公司", "贷款", "利率", "上限",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "question",
    [
        "小额贷款公司贷款利率上限是多少？",
        "小贷公司的利率上限是多少",  # a lexicon synonym of a word the passage writes
    ],
)
def test_a_question_the_passage_writes_out_is_covered(
    coverage: PassageCoverage, question: str
) -> None:
    assert coverage.covers(question, PASSAGE)


@pytest.mark.parametrize(
    "question",
    [
        "小额贷款公司的董责险保费补贴上限是多少？",  # names what the passage does not
        "利率是多少",  # one content word says too little …
        "利率上限是多少",  # … and so do two (买新能源车有补贴吗 was let through on 新能源 + 补贴)
        "What is the interest cap for microloan companies?",
        "",
    ],
)
def test_a_question_naming_something_else_is_not_covered(
    coverage: PassageCoverage, question: str
) -> None:
    assert not coverage.covers(question, PASSAGE)


def test_function_words_are_the_dictionarys_non_content_words_of_two_characters_or_more() -> None:
    """Read from the dictionary file (word, count, tag per line) in one pass."""
    import io
    from typing import Any, cast

    from index.function_words import function_words

    class Dictionary:
        def get_dict_file(self) -> io.BytesIO:
            return io.BytesIO(
                "但是 3000 c\n因为 2000 c\t\n担保 500 vn\n的 9000 uj\n并且 100 c\n"
                "融资 800 n\nAPP 20 eng\n所以\t700\tc\n不 1 d\n".encode()
            )

    found = function_words(cast(Any, Dictionary()))
    assert found == {"但是", "因为", "所以", "并且"}


ENGLISH_PASSAGE = (
    "5. Contact desk\nThe Foreign Investment Service Desk on the 2nd floor of the Government "
    "Service Centre serves foreign-invested companies in English (tel. 0571-0000000)."
)


def test_an_english_question_leaves_out_english_function_words(coverage: PassageCoverage) -> None:
    assert coverage.content_words("Is there an English service desk for foreign companies?") == [
        "English", "service", "desk", "foreign", "companies",
    ]  # fmt: skip


def test_asking_how_long_leaves_out_the_words_of_asking(coverage: PassageCoverage) -> None:
    """ "How long does the joint review … take?": the passage answers with a number of days,
    not "long" or "take" (luting's bilingual QFLP notice was never allowed to overrule)."""
    assert coverage.content_words(
        "How long does the joint review of a QFLP pilot application take?"
    ) == ["joint", "review", "QFLP", "pilot", "application"]
    assert coverage.content_words("How often must we report?") == ["report"]
    assert "long" in coverage.content_words("Is there a long-term loan subsidy?")


def test_an_english_passage_writes_out_an_english_question(coverage: PassageCoverage) -> None:
    """A bureau's English guide answers an English question word for word: the scope model
    refused one (qingang); "companies" is written as "companies", "invested" as "invested"."""
    question = "Is there an English-speaking service desk for foreign-invested companies?"
    assert not coverage.covers(question, ENGLISH_PASSAGE)  # "speaking" is not written
    assert coverage.covers(
        "Is there a service desk for foreign-invested companies?", ENGLISH_PASSAGE
    )
    assert coverage.covers("Which desk serves foreign company investors?", ENGLISH_PASSAGE)


def test_an_english_word_is_read_at_a_word_s_start(coverage: PassageCoverage) -> None:
    """ "rate" is not written by "corporate"; a Chinese passage writes no English question."""
    assert coverage.unwritten("corporate rate", "corporate governance") == ["rate"]
    assert not coverage.covers("What is the guarantee fee rate?", PASSAGE)


def test_a_word_is_written_by_its_own_synonyms_not_by_those_of_a_word_inside_it() -> None:
    """小贷公司 writes 小额贷款公司 (its own group); 汽车贷款 is not written by 借款人, a
    synonym of the 贷款 inside it."""
    lexicon = Lexicon.from_mapping(
        {
            "terms": ["小额贷款公司", "汽车贷款"],
            "synonyms": [["小额贷款公司", "小贷公司"], ["贷款", "借款"]],
        }
    )
    coverage = PassageCoverage(lexicon)
    assert coverage.written("小额贷款公司", "小贷公司应当披露利率")
    assert not coverage.written("汽车贷款", "借款人为小微企业的")
