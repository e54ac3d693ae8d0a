"""The curated scope file: personal topics and other places' policies are declined."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.scope import Places, Scope, ScopeFileError

BUNDLED = Path(__file__).resolve().parents[1] / "knowledge" / "lexicon" / "scope.yaml"


@pytest.fixture(scope="module")
def scope() -> Scope:
    return Scope.load(BUNDLED)


def test_a_personal_topic_is_declined_unless_it_names_an_enterprise_matter(scope: Scope) -> None:
    assert scope.topic("个人房贷利率现在多少") == "个人房贷"
    assert scope.topic("公司用厂房抵押办房贷能申请担保吗") is None


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("上海浦东对企业上市奖励给多少钱？", "上海"),
        ("深圳的创业担保贷款个人最高能贷多少？", "深圳"),
        ("What subsidies does Hangzhou offer to start-ups?", "Hangzhou"),
        ("成都高新区的天使投资基金怎么申请", "成都"),
    ],
)
def test_another_places_policy_is_recognised(scope: Scope, question: str, place: str) -> None:
    assert scope.places.elsewhere(question) == place


@pytest.mark.parametrize(
    "question",
    [
        "在上海证券交易所主板上市，区里奖励多少？",
        "How much is the reward for an IPO on the Shanghai or Shenzhen Stock Exchange?",
        "北京证券交易所上市奖励怎么申请",
        "If our IPO application is accepted by the Shanghai or Shenzhen exchange, what is the reward?",
        "在深圳创业板上市奖励多少",
        "Is there a reward for a listing on Shanghai's STAR Market?",
        "我们公司从深圳迁到区里，能享受落户奖励吗？",
        "港交所上市有什么奖励",
        "政府性融资担保费率是多少",
        # where the asker comes from is not whose policy is asked (lanyu, session 34)
        "我媳妇从广东打工回来想开个土家织锦小作坊，创业贷款贴息能贴多少？",
        "Can a company moving from Shenzhen get a relocation reward?",
    ],
)
def test_exchanges_and_moves_to_the_home_district_are_not_elsewhere(
    scope: Scope, question: str
) -> None:
    assert scope.places.elsewhere(question) is None


def test_latin_places_match_whole_words_only() -> None:
    places = Places.build(["Qinghe"], ["Xi'an", "Wuhan"], [])
    assert places.elsewhere("Xi'an subsidies") == "Xi'an"
    assert places.elsewhere("Xi'anning subsidies") is None
    assert places.elsewhere("WUHAN loans") == "WUHAN"
    assert places.elsewhere("Wuhan firms moving to Qinghe") is None  # "Qinghe" is home here


def test_places_the_knowledge_base_covers_are_not_elsewhere(scope: Scope) -> None:
    assert scope.places.elsewhere("深圳的创业担保贷款") == "深圳"
    assert scope.places.elsewhere("深圳的创业担保贷款", covered={"深圳"}) is None
    assert scope.places.elsewhere("深圳和上海的担保政策", covered={"深圳"}) == "上海"
    assert scope.places.named_in("深圳市财政局关于…的通知") == {"深圳"}


def test_an_admin_file_extends_the_places(tmp_path: Path) -> None:
    extra = tmp_path / "scope.yaml"
    extra.write_text("other_places: [白云区]\nhome_places: [青禾新城]\n", encoding="utf-8")
    scope = Scope.load(BUNDLED, extra)
    assert scope.places.elsewhere("白云区的贴息政策") == "白云区"
    assert scope.places.elsewhere("白云区企业搬到青禾新城有奖励吗") is None


def test_a_broken_scope_file_names_itself(tmp_path: Path) -> None:
    bad = tmp_path / "scope.yaml"
    bad.write_text("other_places: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScopeFileError, match=r"scope\.yaml"):
        Scope.load(BUNDLED, bad)
