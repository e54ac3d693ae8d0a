"""Centred cosine: ranking the knowledge base for a question written in another script.

e5 places every English question near every other, and a few Chinese passages near all of
them: hubs. On a knowledge base written blind (栖霞湾新区) the four passages of one 办事指南
were e5's top 1–5 for unrelated English questions, and English Recall@3 was .69 where the
USE list alone ranked the right article first. Measuring cosine after removing each side's
mean removes what all questions and all passages share (the language, the register), so
what is left compares meaning: each question is centred on the mean of typical questions in
its script (the shipped scope examples, as the search encoder reads them), each entry on the
mean of its own group in this knowledge base (passages; FAQ phrasings in Chinese; FAQ
phrasings in Latin script), computed from the knowledge base itself, so no constant is fitted.

Used for Latin-script questions only (bench/quality, English Recall@3): sample .935 → .961,
云溪区 .960 → 1.000, 松岭区 .955 unchanged, 栖霞湾新区 .690 → .828; Recall@1 over all
questions rose or held on each. Chinese questions were measured centred too and lost
(松岭区 R@1 .897 → .874): their dense list stays the plain cosine.

Only small per-row statistics are kept, not a centred copy of the vectors: with p a unit
row, m its group's mean and q the centred question, (p − m)·q / ‖p − m‖ is
(p·q − m·q) / ‖p − m‖, and p·q is one pass over the index's own buffer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from index.dense import DenseIndex
from index.entries import EntryRef
from index.lexicon import has_cjk

__all__ = ["Centring", "EntryGroup", "group_of"]

_MIN_NORM = 1e-6  # a row equal to its group's mean (a group of one) has no direction left


class EntryGroup(IntEnum):
    """What an entry's vector is: each group sits in its own region and has its own mean."""

    PASSAGE = 0
    FAQ_CJK = 1
    FAQ_LATIN = 2


def group_of(entry: EntryRef) -> EntryGroup:
    if entry.kind != "faq":
        return EntryGroup.PASSAGE
    return EntryGroup.FAQ_CJK if has_cjk(entry.embed_text) else EntryGroup.FAQ_LATIN


def _group(entry: EntryRef | None) -> EntryGroup:
    return group_of(entry) if entry is not None else EntryGroup.PASSAGE


@dataclass(frozen=True)
class Centring:
    """Per-row group and distance from its group's mean, for one snapshot's dense index."""

    ids: np.ndarray  # entry ids in the index's storage order
    groups: np.ndarray  # EntryGroup per row
    means: np.ndarray  # (len(EntryGroup), dim) mean vector of each group
    norms: np.ndarray  # ‖row − its group's mean‖, floored

    @classmethod
    def build(cls, dense: DenseIndex, entries: Mapping[int, EntryRef]) -> Centring:
        """`entries` maps an id to its entry; ids it lacks count as passages."""
        ids = dense.ids()
        groups = np.fromiter(
            (_group(entries.get(int(i))) for i in ids),
            dtype=np.int64,
            count=len(ids),
        )
        means, norms = dense.group_statistics(groups, len(EntryGroup))
        return cls(ids, groups, means, np.maximum(norms, _MIN_NORM))

    def ranking(
        self, dense: DenseIndex, query_vec: np.ndarray, centre: np.ndarray, depth: int
    ) -> list[tuple[int, float]]:
        """Up to `depth` (entry id, plain cosine), best centred cosine first. The plain cosine
        is what the rest of the answer path reads (its scales were chosen on it)."""
        query = query_vec.reshape(-1).astype(np.float32)
        shifted = query - centre.reshape(-1).astype(np.float32)
        length = float(np.linalg.norm(shifted))
        if length < _MIN_NORM or depth <= 0:
            return []
        shifted /= length
        ids, products = dense.inner_products(shifted)
        if len(ids) != len(self.ids):
            raise ValueError("the index changed after its centring was built")
        scores = (products - (self.means @ shifted)[self.groups]) / self.norms
        k = min(depth, len(scores))
        top = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
        top = top[np.argsort(-scores[top], kind="stable")]
        out = []
        for row in top:
            vec = dense.reconstruct(int(ids[row]))
            out.append((int(ids[row]), float(np.dot(vec, query)) if vec is not None else 0.0))
        return out
