"""Document order: several matching passages count, but not against a short exact notice.
And the scope verdict of an English question: its margin, helped or overruled by how closely
a passage speaks of it."""

from __future__ import annotations

import math

from bot.answers.ranking import (
    LATIN_FLOOR,
    LATIN_PASSAGE_MATCH,
    LATIN_SLACK,
    in_scope,
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
