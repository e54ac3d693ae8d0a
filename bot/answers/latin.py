"""A third ranked list for questions written in Latin script (English, mostly).

The knowledge base is Chinese: BM25 finds nothing for an English question, and e5-small
ranks Chinese passages for English questions noticeably worse than the Universal Sentence
Encoder, which was trained on translation pairs (shared/NOTES.md: English R@5 .67 vs .87).
Fused as a third reciprocal-rank list for Latin-script questions only, it lifted English
Recall@3 from .86 to .95 on a blind knowledge base and from .95 to .97 on the sample, with
Chinese questions untouched (bench/quality, weight chosen on both: 0.5–1.5 a plateau).

Passage vectors are encoded when documents are added (`warm_up` after `kb add` or an
upload) and kept in the data dir by content, so a restart encodes nothing. A question never
waits for them: until they are ready the question is answered from the other two lists.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from bot.scope_model import Encoding, VectorCache
from index.snapshot import Snapshot

LATIN_WEIGHT = 1.0  # the list's weight in the fusion, beside e5 and BM25 (1.0 each)
PASSAGE_CHARS = 300  # what the encoder reads of title + section + passage


@dataclass(frozen=True, slots=True)
class LatinRanking:
    """Entry ids best first, and the best passage's cosine: how closely the knowledge base's
    text speaks of the question (the scope check's second opinion for English); None while
    the passages are not encoded."""

    ids: list[int]
    best: float | None = None


class LatinRetriever:
    """Thread-safe; one matrix of passage vectors per snapshot generation."""

    def __init__(self, encoding: Encoding, cache: VectorCache) -> None:
        self.encoding = encoding
        self._cache = cache
        self._lock = threading.Lock()
        self._built: tuple[int, np.ndarray, np.ndarray] | None = None  # generation, ids, rows

    def prepare(self, snap: Snapshot) -> None:
        """Encode every passage not yet encoded (blocking: ingest and start-up warm-up)."""
        self._rows(snap, encode=True)

    def ranking(self, snap: Snapshot, question_vec: np.ndarray, depth: int) -> LatinRanking:
        """The passages nearest the question; empty while they are not encoded yet."""
        built = self._rows(snap, encode=False)
        if built is None:
            return LatinRanking([])
        ids, rows = built
        scores = np.einsum("ij,j->i", rows, question_vec.reshape(-1))
        top = np.argsort(-scores)[:depth]
        return LatinRanking([int(ids[i]) for i in top], float(scores[top[0]]) if len(top) else None)

    def _rows(self, snap: Snapshot, *, encode: bool) -> tuple[np.ndarray, np.ndarray] | None:
        built = self._built
        if built is not None and built[0] == snap.generation:
            return built[1], built[2]
        with self._lock:
            built = self._built
            if built is not None and built[0] == snap.generation:
                return built[1], built[2]
            chunks = [(i, ref.embed_text[:PASSAGE_CHARS]) for i, ref in snap.entries.items()
                      if ref.kind == "chunk"]  # fmt: skip
            texts = [t for _, t in chunks]
            if not texts or (not encode and not self._cache.has_all(texts)):
                return None
            ids = np.array([i for i, _ in chunks], dtype=np.int64)
            rows = self._cache.vectors(texts)
            self._built = (snap.generation, ids, rows)
            return ids, rows
