"""Document order: several matching passages count, but not against a short exact notice."""

from __future__ import annotations

from bot.answers.ranking import order_by_document
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
