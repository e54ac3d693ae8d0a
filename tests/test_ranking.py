"""Document order: several matching passages count, but not against a short exact notice.
And the scope verdict of an English question: its margin, helped or overruled by how closely
a passage speaks of it."""

from __future__ import annotations

import math

from bot.answers.quotes import of_its_level
from bot.answers.ranking import (
    AGREED_SLACK,
    LATIN_FLOOR,
    LATIN_PASSAGE_MATCH,
    LATIN_SLACK,
    first_in_both,
    in_scope,
    measure_before_reading,
    of_level_first,
    order_by_document,
)
from index.entries import EntryRef
from index.snapshot import Candidate


def cand(doc: str, n: int, fused: float) -> Candidate:
    ref = EntryRef(hash((doc, n)) & 0xFFFF, "chunk", f"{doc}#{n}", doc, "")
    return Candidate(ref, fused, 0.8, None, 1.0, None, 0.5, 0.5)


def test_a_document_several_of_whose_passages_match_wins() -> None:
    long_doc = [cand("long", i, s) for i, s in enumerate([0.20, 0.15, 0.15])]
    other = [cand("other", 0, 0.22)]
    ordered = order_by_document(long_doc + other, {"long": 30, "other": 30})
    assert ordered[0].entry.doc_id == "long"


def test_a_one_article_notice_counts_as_matching_throughout() -> None:
    """Two middling sections of a 30-article measure must not outrank the notice whose only
    article answers exactly (the 二手车消费贷款贴息 case of issue 13)."""
    long_doc = [cand("measure", i, s) for i, s in enumerate([0.20, 0.15, 0.15])]
    notice = [cand("notice", 0, 0.22)]
    ordered = order_by_document(long_doc + notice, {"measure": 30, "notice": 1})
    assert ordered[0].entry.doc_id == "notice"
    # without sizes (the old behaviour) the long measure's support wins
    assert order_by_document(long_doc + notice)[0].entry.doc_id == "measure"


def answering(doc: str, n: int, fused: float) -> Candidate:
    """A passage holding every word of the question: an answer's confidence."""
    ref = EntryRef(hash((doc, n)) & 0xFFFF, "chunk", f"{doc}#{n}", doc, "")
    return Candidate(ref, fused, 0.8, None, 1.0, None, 0.5, 1.0)


def _docs(ordered: list[Candidate]) -> list[str]:
    return list(dict.fromkeys(c.entry.doc_id or "" for c in ordered))


def test_a_measure_is_quoted_before_the_reading_that_restates_it() -> None:
    """A 政策解读 restates the measure in the words people ask in, so its passage outscores
    the article it restates: the official text goes first, the reading beside it."""
    reading = [cand("measure-interpretation", 0, 0.30)]
    measure = [answering("measure", i, s) for i, s in enumerate([0.24, 0.05])]
    other = [cand("other", 0, 0.10)]
    ordered = order_by_document(reading + measure + other, {"measure-interpretation": 8})
    assert _docs(ordered) == ["measure-interpretation", "measure", "other"]
    is_reading = lambda doc: doc.endswith("interpretation")  # noqa: E731
    moved = measure_before_reading(ordered, is_reading, 0.6, {"measure-interpretation": 8})
    assert _docs(moved) == ["measure", "measure-interpretation", "other"]
    assert sorted(c.entry.key for c in moved) == sorted(c.entry.key for c in ordered)
    # a document that does not answer the question itself (a list of contacts) is not moved
    contacts = [cand("contacts", 0, 0.26)]
    ordered = order_by_document(reading + contacts, {"measure-interpretation": 8})
    assert measure_before_reading(ordered, is_reading, 0.6) == ordered


def test_a_reading_gives_way_to_a_measure_of_its_own_level_only() -> None:
    """The county's 解读 of its listing measure led, the city-run 经开区's measure (a level of
    its own) came next and was put first, with the zone's 股改 amount for a question on the
    county's (luanxi, written blind); a measure of the county's own level still goes first."""
    reading = [cand("county-interpretation", 0, 0.30)]
    zone = [answering("zone-measure", 0, 0.26)]
    bonds = [answering("county-bond-rules", 0, 0.24)]
    ordered = reading + zone + bonds
    is_reading = lambda doc: doc.endswith("interpretation")  # noqa: E731
    levels = {"zone-measure": "皋宁经济技术开发区"}
    moved = measure_before_reading(ordered, is_reading, 0.6, None, lambda d: levels.get(d, ""))
    assert _docs(moved) == ["county-bond-rules", "county-interpretation", "zone-measure"]
    alone = measure_before_reading(
        reading + zone, is_reading, 0.6, None, lambda d: levels.get(d, "")
    )
    assert _docs(alone) == ["county-interpretation", "zone-measure"]


def test_a_reading_that_leads_by_more_than_an_faq_would_stays_first() -> None:
    """A 指南 that states what the measure leaves out (what an 个体工商户 shows instead of
    financial statements) outscores the measure by far: it stays first. So does a measure
    that leads, and an FAQ never moves before a reading."""
    is_reading = lambda doc: doc.startswith("guide")  # noqa: E731
    guide = [cand("guide", 0, 0.40)]
    measure = [answering("measure", 0, 0.20)]
    assert _docs(measure_before_reading(guide + measure, is_reading, 0.6)) == ["guide", "measure"]
    assert _docs(measure_before_reading(measure + guide, is_reading, 0.6)) == ["measure", "guide"]
    faq = Candidate(EntryRef(7, "faq", "faq-1", None, ""), 0.39, 0.8, None, 1.0, None, 0.5, 0.5)
    assert measure_before_reading([*guide, faq], is_reading, 0.6)[0].entry.doc_id == "guide"


def test_an_english_question_no_passage_speaks_of_is_out_of_scope_whatever_its_margin() -> None:
    """ "Any good seafood restaurants near the port?" reached the cut-off (English margins crowd
    near it) while its nearest passage sat at cosine .20."""
    cut = -0.013
    assert in_scope(cut + 0.01, 0.0, cut, latin_match=0.45)
    assert not in_scope(cut + 0.01, 0.0, cut, latin_match=LATIN_FLOOR - 0.02)
    # a passage that speaks of it closely lends room under the cut; a distant one does not
    assert in_scope(cut - LATIN_SLACK / 2, 0.0, cut, latin_match=LATIN_PASSAGE_MATCH + 0.01)
    assert not in_scope(cut - LATIN_SLACK / 2, 0.0, cut, latin_match=LATIN_PASSAGE_MATCH - 0.01)


def test_an_english_question_is_judged_by_its_margin_alone_while_passages_are_not_encoded() -> None:
    cut = -0.013
    assert in_scope(cut + 0.001, 0.0, cut, latin_match=math.nan)
    assert not in_scope(cut - 0.001, 0.0, cut, latin_match=math.nan)


def test_a_passage_both_searches_rank_first_lends_room_under_the_cut() -> None:
    """典当行年申材料几月几号之前报送？ (a typo the correction missed) sat 0.019 under the cut while
    the pawnshop guide's article was first for the keywords and for the vectors alike."""
    cut = -0.013
    below = cut - AGREED_SLACK / 2
    assert in_scope(below, 0.5, cut, agreed=True)
    assert not in_scope(below, 0.5, cut)
    assert not in_scope(cut - AGREED_SLACK - 0.001, 0.5, cut, agreed=True)  # too far under


def _ranked(sparse_rank: int | None, dense_rank: int | None, sparse_norm: float) -> Candidate:
    ref = EntryRef(1, "chunk", "guide#9", "guide", "")
    return Candidate(ref, 0.3, 0.8, dense_rank, 9.0, sparse_rank, sparse_norm, 0.5)


def test_first_in_both_needs_both_rankings_and_an_answers_confidence() -> None:
    assert first_in_both([_ranked(0, 0, 6.0)], 0.6)
    assert not first_in_both([_ranked(0, 1, 6.0)], 0.6)  # the vectors put another first
    assert not first_in_both([_ranked(None, 0, 6.0)], 0.6)  # no keyword match at all
    assert not first_in_both([_ranked(0, 0, 0.1)], 0.6)  # first, but too weak to answer
    assert not first_in_both([], 0.6)


def test_the_document_of_the_level_asked_for_leads() -> None:
    """ "州里一共能给多少钱？" on a prefecture's knowledge base that carries its province's
    listing measure: the prefecture's own measure (level "") is quoted first; "the province"
    brings the province's first; a level no leading document is of changes nothing."""
    ordered = [cand("province", 0, 0.3), cand("province", 1, 0.2), cand("own", 0, 0.25)]
    levels = {"province": "黔岭省", "own": ""}
    assert [c.entry.doc_id for c in of_level_first(ordered, levels, "")] == [
        "own",
        "province",
        "province",
    ]
    assert of_level_first(ordered, levels, "黔岭省") == ordered
    assert of_level_first(ordered, {"province": "黔岭省", "own": "黔岭省"}, "") == ordered


def test_a_part_naming_another_level_is_quoted_from_that_level_s_document() -> None:
    """ "股改补助市里给多少？区里给多少？": the second part asks for the district's own (""), the
    question's first document is the city's; the first of the district's documents the whole
    question found is the one to quote from. A part of its document's level, or naming none,
    stays where it is."""
    current = [cand("city", 0, 0.4), cand("other", 0, 0.3), cand("district", 0, 0.2)]
    levels = {"city": "沣都市", "other": "国家", "district": ""}
    assert of_its_level(current, levels, "", "city") == "district"
    assert of_its_level(current, levels, "沣都市", "district") == "city"
    assert of_its_level(current, levels, "沣都市", "city") is None
    assert of_its_level(current, levels, None, "city") is None
    assert of_its_level(current, levels, "云岫省", "city") is None
