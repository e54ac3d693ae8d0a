"""Centred cosine for Latin-script questions: a hub that sits near every question loses to
the passage that shares the question's meaning, FAQ phrasings are centred on their own
group, and the rest of the answer path still reads the plain cosine."""

from __future__ import annotations

import numpy as np
import pytest

from index.centring import Centring, EntryGroup, group_of
from index.dense import DenseIndex
from index.entries import EntryRef

DIM = 8


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def _axis(*weights: float) -> np.ndarray:
    v = np.zeros(DIM, dtype=np.float32)
    v[: len(weights)] = weights
    return _unit(v)


def _chunk(entry_id: int, text: str = "第一条 担保费率") -> EntryRef:
    return EntryRef(entry_id, "chunk", f"c{entry_id}", "doc", text)


def _faq(entry_id: int, text: str) -> EntryRef:
    return EntryRef(entry_id, "faq", f"f{entry_id}", "doc", text)


def _index(rows: dict[int, np.ndarray]) -> DenseIndex:
    dense = DenseIndex(DIM)
    ids = np.array(list(rows), dtype=np.int64)
    dense.add(ids, np.stack(list(rows.values())))
    return dense


# axis 0: "an English question" (shared by every English question and by hub passages);
# axes 1..4: topics. Passages mostly sit on their topic, the hub leans towards axis 0.
HUB = _axis(0.8, 0.15, 0.15, 0.15, 0.15)
PASSAGES = {
    1: _axis(0.2, 1.0),  # topic 1
    2: _axis(0.2, 0.0, 1.0),  # topic 2
    3: _axis(0.2, 0.0, 0.0, 1.0),  # topic 3
    4: _axis(0.2, 0.0, 0.0, 0.0, 1.0),  # topic 4
    9: HUB,
}
QUESTION_ON_TOPIC_2 = _axis(0.9, 0.0, 0.45)
QUESTIONS_CENTRE = _axis(1.0)  # where English questions sit on average


def test_plain_cosine_prefers_the_hub_and_centred_cosine_the_topic() -> None:
    dense = _index(PASSAGES)
    entries = {i: _chunk(i) for i in PASSAGES}
    plain = dense.search(QUESTION_ON_TOPIC_2.reshape(1, -1), 3)[0]
    assert plain[0][0] == 9  # the hub: what the blind KB's 办事指南 did to English questions
    centring = Centring.build(dense, entries)
    centred = centring.ranking(dense, QUESTION_ON_TOPIC_2, QUESTIONS_CENTRE * 0.9, 3)
    assert centred[0][0] == 2
    # the score handed on is the plain cosine, which the confidence scales were chosen on
    assert centred[0][1] == pytest.approx(float(PASSAGES[2] @ QUESTION_ON_TOPIC_2), abs=1e-5)
    assert len(centred) == 3 and len({i for i, _ in centred}) == 3


def test_statistics_match_an_explicit_centred_copy() -> None:
    rng = np.random.default_rng(3)
    rows = {int(i): _unit(rng.normal(size=DIM)) for i in range(1, 41)}
    entries = {i: (_faq(i, "How much?") if i % 4 == 0 else _chunk(i)) for i in rows}
    dense = _index(rows)
    centring = Centring.build(dense, entries)
    question, centre = _unit(rng.normal(size=DIM)), _unit(rng.normal(size=DIM)) * 0.5
    got = [i for i, _ in centring.ranking(dense, question, centre, 40)]

    ids = np.array(list(rows))
    matrix = np.stack([rows[int(i)] for i in ids])
    groups = np.array([group_of(entries[int(i)]) for i in ids])
    centred = matrix.copy()
    for g in set(groups.tolist()):
        centred[groups == g] -= matrix[groups == g].mean(axis=0)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True)
    q = (question - centre) / np.linalg.norm(question - centre)
    expected = [int(ids[i]) for i in np.argsort(-(centred @ q), kind="stable")]
    assert got == expected


def test_each_kind_of_entry_is_its_own_group() -> None:
    """FAQ phrasings are questions, passages are text: their vectors sit in different regions
    (the explicit-copy test above checks each group is centred on its own mean)."""
    assert group_of(_faq(1, "What is the guarantee fee rate?")) is EntryGroup.FAQ_LATIN
    assert group_of(_faq(2, "担保费率是多少")) is EntryGroup.FAQ_CJK
    assert group_of(_chunk(3)) is EntryGroup.PASSAGE


def test_depth_and_degenerate_questions() -> None:
    dense = _index(PASSAGES)
    centring = Centring.build(dense, {i: _chunk(i) for i in PASSAGES})
    assert centring.ranking(dense, QUESTION_ON_TOPIC_2, QUESTIONS_CENTRE, 0) == []
    # a question equal to the centre has no direction left: no list rather than noise
    assert centring.ranking(dense, QUESTIONS_CENTRE, QUESTIONS_CENTRE, 3) == []
    assert len(centring.ranking(dense, QUESTION_ON_TOPIC_2, QUESTIONS_CENTRE, 50)) == len(PASSAGES)


def test_inner_products_cover_every_stored_vector() -> None:
    dense = _index(PASSAGES)
    ids, products = dense.inner_products(QUESTION_ON_TOPIC_2)
    assert sorted(ids.tolist()) == sorted(PASSAGES)
    for i, p in zip(ids.tolist(), products.tolist(), strict=True):
        assert p == pytest.approx(float(PASSAGES[i] @ QUESTION_ON_TOPIC_2), abs=1e-6)
    assert DenseIndex(DIM).inner_products(QUESTION_ON_TOPIC_2)[0].size == 0
