from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.lexicon import Lexicon
from index.sparse import BM25Index, CharNgramTokenizer, cjk_ngrams, jieba_for

CORPUS = {
    1: "企业在北京证券交易所上市的，给予一次性奖励200万元。",
    2: "政府性融资担保贷款的担保费率不超过1%，对小微企业给予担保费补贴。",
    3: "应急转贷资金用于企业续贷过桥，使用费率按日计算。",
    4: "专精特新小巨人企业申报认定的条件和流程。",
    5: "区产业引导基金投资于本区重点产业项目。",
}


def test_char_ngrams_unigrams_bigrams_not_crossing_punctuation() -> None:
    assert cjk_ngrams("补贴，上市") == ["补", "贴", "补贴", "上", "市", "上市"]
    assert "贴上" not in cjk_ngrams("补贴 上市")


def test_char_ngrams_latin_and_digits_lowercased_and_full_width_folded() -> None:
    assert cjk_ngrams("BSE上市 Bridge-Loan 1.5亿") == [
        "bse",
        "上",
        "市",
        "上市",
        "bridge",
        "loan",
        "1.5",
        "亿",
    ]
    assert cjk_ngrams("ＢＳＥ１００") == ["bse100"]


def test_char_tokenizer_adds_lexicon_terms_once(lexicon: Lexicon) -> None:
    toks = CharNgramTokenizer(lexicon).tokenize("申请应急转贷和过桥资金, a Bridge loan")
    assert toks.count("应急转贷") == 1
    assert toks.count("过桥资金") == 1
    assert toks.count("转贷") == 1  # bigram only: 2-char terms are not duplicated
    assert "bridge loan" not in toks  # Latin synonym members are matched by expansion only
    assert "bridge" in toks and "loan" in toks


def test_char_tokenizer_keeps_multiword_latin_and_mixed_terms() -> None:
    lex = Lexicon.from_mapping({"terms": ["bridge loan", "A股", "BSE"]})
    toks = CharNgramTokenizer(lex).tokenize("A股 or a Bridge   Loan; not bridge loans, BSE")
    assert toks.count("a股") == 1
    assert toks.count("bridge loan") == 1
    assert toks.count("bse") == 1  # single Latin words are ordinary tokens already


def test_char_tokenizer_without_lexicon_has_no_whole_terms() -> None:
    toks = CharNgramTokenizer(None).tokenize("专精特新企业")
    assert "专精特新" not in toks
    assert "专精" in toks


def test_private_jieba_keeps_terms_whole_and_does_not_leak(lexicon: Lexicon) -> None:
    """The homophone corrector's jieba: lexicon terms whole, nothing added to other instances."""
    words = list(jieba_for(lexicon.terms()).cut("专精特新小巨人企业申请应急转贷"))
    assert "专精特新" in words and "应急转贷" in words
    plain = list(jieba_for(frozenset()).cut("专精特新企业申请过桥资金"))
    assert "专精特新" not in plain and "过桥资金" not in plain and "企业" in plain


def _index(tok: CharNgramTokenizer) -> BM25Index:
    return BM25Index.build({i: tok.tokenize(t) for i, t in CORPUS.items()})


def test_bm25_ranks_the_relevant_chinese_document_first(lexicon: Lexicon) -> None:
    tok = CharNgramTokenizer(lexicon)
    index = _index(tok)
    assert len(index) == 5
    assert index.search(tok.tokenize("担保费补贴"), 3)[0][0] == 2
    assert index.search(tok.tokenize("专精特新申报条件"), 3)[0][0] == 4
    assert index.search(tok.tokenize(lexicon.expand_query("北交所上市奖励")), 3)[0][0] == 1


def test_bm25_search_returns_only_positive_scores_sorted() -> None:
    tok = CharNgramTokenizer()
    index = _index(tok)
    hits = index.search(tok.tokenize("基金投资"), 10)
    assert hits[0][0] == 5
    assert all(s > 0 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert index.search(tok.tokenize("完全无关xyz"), 5) == []
    assert index.search([], 5) == []
    assert len(index.search(tok.tokenize("企业"), 2)) == 2


def test_bm25_parameters_change_scores() -> None:
    docs = {1: ["a", "b"], 2: ["a", "a", "a", "c", "d", "e"]}
    flat = BM25Index.build(docs, k1=1.5, b=0.0)
    norm = BM25Index.build(docs, k1=1.5, b=1.0)
    assert flat.search(["a"], 2)[0][0] == 2  # without length normalisation tf wins
    assert dict(norm.search(["a"], 2))[1] > dict(flat.search(["a"], 2))[1]


def test_with_changes_returns_new_index_and_leaves_old_untouched() -> None:
    tok = CharNgramTokenizer()
    old = _index(tok)
    before = old.search(tok.tokenize("担保费补贴"), 5)
    new = old.with_changes(
        added={
            2: tok.tokenize("知识产权质押融资"),
            9: tok.tokenize("担保费补贴申请流程，担保费补贴"),
        },
        removed=[5],
    )
    assert len(old) == 5 and len(new) == 5
    assert old.search(tok.tokenize("担保费补贴"), 5) == before
    assert old.search(tok.tokenize("基金投资"), 1)[0][0] == 5
    assert all(i != 5 for i, _ in new.search(tok.tokenize("基金投资"), 5))
    assert new.search(tok.tokenize("担保费补贴"), 1)[0][0] == 9
    assert new.search(tok.tokenize("知识产权质押"), 1)[0][0] == 2
    assert 5 in old and 5 not in new


def test_with_changes_matches_a_fresh_build() -> None:
    tok = CharNgramTokenizer()
    docs = {i: tok.tokenize(t) for i, t in CORPUS.items()}
    changed = BM25Index.build(docs).with_changes({6: tok.tokenize("科技贷款贴息")}, [1, 3])
    kept = {i: docs[i] for i in (2, 4, 5)} | {6: tok.tokenize("科技贷款贴息")}
    fresh = BM25Index.build(kept)
    query = tok.tokenize("企业贷款贴息")
    assert changed.search(query, 5) == pytest.approx(fresh.search(query, 5))


def test_state_round_trips_through_json() -> None:
    tok = CharNgramTokenizer()
    index = BM25Index.build({i: tok.tokenize(t) for i, t in CORPUS.items()}, k1=1.2, b=0.6)
    restored = BM25Index.from_state(json.loads(json.dumps(index.to_state(), ensure_ascii=False)))
    query = tok.tokenize("小微企业担保费")
    assert restored.search(query, 5) == pytest.approx(index.search(query, 5))
    assert (restored.k1, restored.b) == (1.2, 0.6)
    assert sorted(restored.tokens_of(3)) == sorted(tok.tokenize(CORPUS[3]))


def test_state_round_trips_through_npz(tmp_path: Path) -> None:
    tok = CharNgramTokenizer()
    index = _index(tok)
    path = tmp_path / "bm25.npz"
    arrays: dict[str, np.ndarray] = {k: np.asarray(v) for k, v in index.to_state().items()}
    np.savez(path, **arrays)  # type: ignore[arg-type]  # numpy stubs mistype **kwds
    with np.load(path) as data:
        restored = BM25Index.from_state(dict(data))
    query = tok.tokenize("应急转贷费率")
    assert restored.search(query, 5) == pytest.approx(index.search(query, 5))


def test_from_state_rejects_unknown_or_broken_state() -> None:
    state = _index(CharNgramTokenizer()).to_state()
    with pytest.raises(ValueError, match="format"):
        BM25Index.from_state({**state, "format": "bm25/0"})
    with pytest.raises(ValueError):
        BM25Index.from_state({**state, "indptr": state["indptr"][:-1]})


def test_removing_most_documents_shrinks_the_vocabulary() -> None:
    tok = CharNgramTokenizer()
    index = _index(tok)
    smaller = index.with_changes({}, [1, 2, 3, 4])
    assert smaller.vocabulary_size < index.vocabulary_size / 2
    assert smaller.search(tok.tokenize("引导基金"), 1)[0][0] == 5
    assert smaller.search(tok.tokenize("担保"), 1) == []


def test_coverage_and_scores_for_given_documents() -> None:
    tok = CharNgramTokenizer()
    index = _index(tok)
    query = tok.tokenize("引导基金")
    assert index.coverage(query, 5) == pytest.approx(1.0)
    assert index.coverage(query, 1) == 0.0
    partial = index.coverage(tok.tokenize("引导基金火星"), 5)
    assert 0.3 < partial < 1.0
    scores = index.scores_for(query, [5, 1, 999])
    assert scores[0] > 0 and scores[1] == 0.0 and scores[2] == 0.0
    assert scores[0] == pytest.approx(dict(index.search(query, 5))[5])


def test_scores_within_weigh_words_by_their_rarity_among_the_given_documents() -> None:
    """Among one policy's articles, the words they all share (its subject) decide nothing;
    the corpus-wide idf would let them outweigh the one word that tells the articles apart."""
    tok = CharNgramTokenizer()
    docs = {
        10: "上市奖励 企业在香港上市的，给予上市奖励400万元，上市奖励分阶段拨付。",
        11: "上市奖励 企业在上海上市的，给予上市奖励600万元。",
        12: "上市奖励 审核结果在区政府网站公示5个工作日。",
        20: "担保费补贴 公示期满无异议的拨付。",
        21: "担保费补贴 公示名单。",
        22: "担保费补贴 公示结果。",
    }
    index = BM25Index.build({i: tok.tokenize(t) for i, t in docs.items()})
    question = tok.tokenize("上市奖励要公示几天")
    corpus_wide = index.scores_for(question, [10, 11, 12])
    within = index.scores_within(question, [10, 11, 12])
    assert max(range(3), key=lambda i: corpus_wide[i]) == 0  # the subject outweighs 公示
    assert max(range(3), key=lambda i: within[i]) == 2
    assert index.scores_within(question, [10, 99]) == [index.scores_within(question, [10])[0], 0.0]
    assert index.scores_within([], [10, 11]) == [0.0, 0.0]
