"""Rank fusion of the dense and sparse result lists.

Reciprocal rank fusion needs no score calibration between cosine similarities and BM25
scores, which live on unrelated scales; only ranks matter.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["rrf"]


def rrf(
    rankings: Sequence[Sequence[int]],
    *,
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[tuple[int, float]]:
    """Fused (id, score) best first; score = sum of weight / (k + rank), rank from 1.

    An id repeated inside one ranking counts only at its best rank. Equal scores keep the
    order in which ids were first seen (ranking by ranking, best rank first), so results
    are deterministic and favour the first (typically the more trusted) ranking.
    """
    if k < 0:
        raise ValueError(f"k must be >= 0, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    scores: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[int] = set()
        for rank, raw_id in enumerate(ranking, start=1):
            doc_id = int(raw_id)
            if doc_id in seen:
                continue
            seen.add(doc_id)
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    first_seen = {doc_id: pos for pos, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], first_seen[item[0]]))
