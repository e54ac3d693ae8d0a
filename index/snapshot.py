"""An immutable, searchable view of the knowledge base.

Readers keep the snapshot they started with while a writer builds the next one, so a
question asked during an upload is answered from the previous version and never from a
half-built index. Nothing here mutates after construction.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

import numpy as np

from index.catalog import DocRecord
from index.centring import Centring
from index.dense import DenseIndex
from index.entries import EntryRef, FaqEntry
from index.fusion import rrf
from index.sparse import BM25Index
from knowledge.compilation import split_compilation
from knowledge.models import Chunk, DocStatus
from knowledge.status import DocStatusInfo, resolve_statuses

# Reciprocal-rank constant: small, so a passage ranked first by one search is not outvoted by
# one ranked middling by both. Chosen on the tune split of bench/quality (768 questions):
# k = 10 → 5 took R@3 .971 → .988 there (holdout .986 both; R@1 .932 → .935); k = 4–6 is a plateau.
RRF_K = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """One fused search result with the evidence the answer service uses to pick a band."""

    entry: EntryRef
    fused: float
    dense: float  # cosine similarity with the query (0 when not in the dense top list)
    dense_rank: int | None
    sparse: float  # BM25 score
    sparse_rank: int | None
    sparse_norm: float  # BM25 score / the corpus's largest idf: comparable across corpus sizes
    coverage: float  # idf-weighted share of the query's tokens found in the entry (0..1)


@dataclass(frozen=True)
class Snapshot:
    generation: int
    model: str
    dim: int
    docs: Mapping[str, DocRecord]
    chunks: Mapping[str, Chunk]
    faqs: Mapping[str, FaqEntry]
    entries: Mapping[int, EntryRef]
    content_keys: Mapping[str, int]  # embedding cache: content key → entry id holding that vector
    dense: DenseIndex
    sparse: BM25Index
    _status_cache: dict[date, dict[str, DocStatusInfo]] = field(default_factory=dict, repr=False)
    _status_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _centring: list[Centring] = field(default_factory=list, repr=False)
    _centring_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _entries_view: list[Snapshot] = field(default_factory=list, repr=False)
    _entries_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def document_text(self, doc_id: str) -> str:
        """A document as the answer service reads it for words: its title, then each passage's
        heading and text, one per line."""
        doc = self.docs[doc_id].doc
        return "\n".join([doc.meta.title, *(f"{ch.section}\n{ch.text}" for ch in doc.chunks)])

    def statuses(self, today: date) -> dict[str, DocStatusInfo]:
        """Status depends on the day, so it is computed per date and cached, never stored."""
        with self._status_lock:
            cached = self._status_cache.get(today)
            if cached is None:
                metas = {doc_id: rec.doc.meta for doc_id, rec in self.docs.items()}
                cached = resolve_statuses(metas, today)
                for doc_id, rec in self.docs.items():
                    # an explicit replacement by an admin beats what the texts say, from the
                    # day the replacing document takes effect: until then it is pending, and
                    # the rule it replaces is the one in force (a new edition uploaded with
                    # 替换 a month early gave next year's numbers as today's)
                    new = rec.superseded_by
                    if not new or new not in self.docs:
                        continue
                    if cached[new].reason == "not_yet_effective":
                        cached[new] = DocStatusInfo(DocStatus.PENDING, doc_id, "not_yet_effective")
                    else:
                        cached[doc_id] = DocStatusInfo(
                            DocStatus.SUPERSEDED, replaced_by=new, reason="replaced"
                        )
                self._status_cache.clear()
                self._status_cache[today] = cached
            return cached

    def centring(self) -> Centring:
        """Built once per snapshot (O(rows × dim), milliseconds at 10k rows); the answer
        service builds it at warm-up, not on the first English question."""
        with self._centring_lock:
            if not self._centring:
                self._centring.append(Centring.build(self.dense, self.entries))
            return self._centring[0]

    def by_entries(self) -> Snapshot:
        """This snapshot with each 政策汇编 read as the measures it holds (`_by_entries`),
        built once; itself when it holds none."""
        with self._entries_lock:
            if not self._entries_view:
                self._entries_view.append(_by_entries(self))
            return self._entries_view[0]

    @cached_property
    def doc_sizes(self) -> dict[str, int]:
        """Passages per document that stands on its own: a file, or an entry of a 政策汇编
        or a workbook that lists measures the knowledge base holds no other text of (a
        政策清单 whose rows are its measures). An entry of a file that restates measures the
        knowledge base holds (a standards table citing their 文号) or cites none (a 名录 of
        products or funds) is one part of a longer file, not a short document: it has no
        count here, so ranking does not count it as matching throughout
        (`order_by_document`). Over 39 sets (session 62): the right document first for 29
        more questions of tongwu, xipu, zhewan and their -fresh sets and 5 of heting (a
        standards table's and a product 名录's rows had led the articles on a pool's size,
        its leverage, a subsidy's cap), 7 fewer of fengzhu's, whose 名录's rows alone name a
        product's bank. Read once per snapshot: ranking asks for it on every question."""
        docs = [(doc_id, rec.doc.meta, len(rec.doc.chunks)) for doc_id, rec in self.docs.items()]
        held = {_number_key(m.doc_number) for _, m, _ in docs if not m.compiled_in and m.doc_number}
        restating = {
            m.compiled_in
            for _, m, _ in docs
            if m.compiled_in and m.doc_number and _number_key(m.doc_number) in held
        }
        return {
            doc_id: size
            for doc_id, meta, size in docs
            if not meta.compiled_in or (meta.doc_number and meta.compiled_in not in restating)
        }

    def status_of(self, doc_id: str, today: date) -> DocStatus:
        info = self.statuses(today).get(doc_id)
        return info.status if info else DocStatus.CURRENT

    def search(
        self,
        query_vec: np.ndarray,
        query_tokens: Sequence[str],
        *,
        depth: int = 50,
        rrf_k: int = RRF_K,
        weights: Sequence[float] | None = None,
        extra: Sequence[tuple[Sequence[int], float]] = (),
        centre: np.ndarray | None = None,
    ) -> list[Candidate]:
        """Dense and sparse top lists fused by reciprocal rank; ties keep dense order.

        `extra`: more ranked lists of entry ids with their weights (another encoder's view).
        `centre`: the mean vector of questions like this one (Latin script): the dense list is
        then ranked by centred cosine (`index.centring`)."""
        if not self.entries:
            return []
        dense_hits = self._dense_hits(query_vec, depth, centre) if len(self.dense) else []
        sparse_hits = self.sparse.search(list(query_tokens), depth) if len(self.sparse) else []
        dense_scores = {i: s for i, s in dense_hits}
        dense_ranks = {i: r for r, (i, _) in enumerate(dense_hits)}
        sparse_scores = {i: s for i, s in sparse_hits}
        sparse_ranks = {i: r for r, (i, _) in enumerate(sparse_hits)}
        lists = [[i for i, _ in dense_hits], [i for i, _ in sparse_hits]]
        list_weights = list(weights) if weights is not None else [1.0, 1.0]
        for ranking, weight in extra:
            lists.append(list(ranking)[:depth])
            list_weights.append(weight)
        fused = rrf(lists, k=rrf_k, weights=list_weights)
        out: list[Candidate] = []
        scale = self.sparse.max_idf()
        for entry_id, score in fused:
            ref = self.entries.get(entry_id)
            if ref is None:
                continue
            dense = dense_scores.get(entry_id)
            if dense is None:
                dense = self._cosine(entry_id, query_vec)
            out.append(
                Candidate(
                    entry=ref,
                    fused=score,
                    dense=dense,
                    dense_rank=dense_ranks.get(entry_id),
                    sparse=sparse_scores.get(entry_id, 0.0),
                    sparse_rank=sparse_ranks.get(entry_id),
                    sparse_norm=sparse_scores.get(entry_id, 0.0) / scale,
                    # a query word the knowledge base never uses counts fully against it
                    coverage=self.sparse.coverage(query_tokens, entry_id),
                )
            )
        return out

    def _dense_hits(
        self, query_vec: np.ndarray, depth: int, centre: np.ndarray | None
    ) -> list[tuple[int, float]]:
        if centre is None:
            return self.dense.search(query_vec.reshape(1, -1), depth)[0]
        return self.centring().ranking(self.dense, query_vec, centre, depth)

    def _cosine(self, entry_id: int, query_vec: np.ndarray) -> float:
        vec = self.dense.reconstruct(entry_id)
        if vec is None:
            return 0.0
        return float(np.dot(vec, query_vec.reshape(-1)))


def _by_entries(snap: Snapshot) -> Snapshot:
    """The snapshot as the answer service reads it: a 政策汇编 as the measures it holds, each
    a document of its own with its own issuer, dates and level (`knowledge.compilation`).
    The store keeps, lists and removes the compilation as the one file it is; a snapshot
    without one is returned as it is."""
    docs: dict[str, DocRecord] = {}
    for doc_id, rec in snap.docs.items():
        parts = split_compilation(rec.doc)
        if len(parts) == 1:
            docs[doc_id] = rec
            continue
        for part in parts:
            docs[part.doc_id] = replace(rec, doc=part)
    if len(docs) == len(snap.docs):
        return snap
    chunks = {ch.chunk_id: ch for rec in docs.values() for ch in rec.doc.chunks}
    entries = {
        eid: replace(ref, doc_id=chunks[ref.key].doc_id)
        if ref.kind == "chunk" and ref.key in chunks
        else ref
        for eid, ref in snap.entries.items()
    }
    return Snapshot(
        generation=snap.generation,
        model=snap.model,
        dim=snap.dim,
        docs=docs,
        chunks=chunks,
        faqs=snap.faqs,
        entries=entries,
        content_keys=snap.content_keys,
        dense=snap.dense,
        sparse=snap.sparse,
    )


def documents_in_force(snap: Snapshot, today: date) -> list[str]:
    """The ids of the snapshot's documents in force on the day (current, or with no status
    read), in the snapshot's order."""
    statuses = snap.statuses(today)
    return [
        doc_id
        for doc_id in snap.docs
        if (info := statuses.get(doc_id)) is None or info.status is DocStatus.CURRENT
    ]


_NUMBER_BRACKETS = str.maketrans("[［(（]］)）", "〔〔〔〔〕〕〕〕")


def _number_key(number: str) -> str:
    """A 文号 as compared: without spaces, its year in 〔〕 however it was bracketed."""
    return re.sub(r"\s+", "", number).translate(_NUMBER_BRACKETS)
