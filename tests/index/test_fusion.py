from __future__ import annotations

import pytest

from index.fusion import rrf


def test_rrf_rewards_agreement_between_rankings() -> None:
    fused = rrf([[1, 2, 3], [9, 2, 3]], k=60)
    ids = [i for i, _ in fused]
    assert ids[0] == 2  # ranked 2nd in both beats 1st + absent
    assert set(ids) == {1, 2, 3, 9}
    assert fused[0][1] == pytest.approx(2 / 62)


def test_rrf_scores_match_formula_and_sorted_desc() -> None:
    fused = dict(rrf([[10, 20], [20]], k=1))
    assert fused[10] == pytest.approx(1 / 2)
    assert fused[20] == pytest.approx(1 / 3 + 1 / 2)
    scores = [s for _, s in rrf([[5, 4, 3, 2, 1]])]
    assert scores == sorted(scores, reverse=True)


def test_rrf_ties_keep_first_seen_order() -> None:
    assert [i for i, _ in rrf([[7, 8], [8, 7]])] == [7, 8]
    assert [i for i, _ in rrf([[3], [1], [2]])] == [3, 1, 2]


def test_rrf_weights_shift_the_winner() -> None:
    assert rrf([[1], [2]], weights=[1.0, 2.0])[0][0] == 2
    assert [i for i, _ in rrf([[1], [2]], weights=[0.0, 1.0])] == [2, 1]


def test_rrf_counts_duplicates_within_a_ranking_once() -> None:
    assert dict(rrf([[4, 4, 5]], k=0))[4] == pytest.approx(1.0)


def test_rrf_edge_cases() -> None:
    assert rrf([]) == []
    assert rrf([[], []]) == []
    with pytest.raises(ValueError):
        rrf([[1]], weights=[1.0, 2.0])
    with pytest.raises(ValueError):
        rrf([[1]], k=-1)
