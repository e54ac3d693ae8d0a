"""A learned scope check: is a question about what this knowledge base covers at all?

Lexical evidence cannot tell "办居住证需要哪些材料" from "申请担保需要哪些材料": both
match the corpus's procedural words, and measured on bench/quality no BM25 or coverage
threshold refused more than ~70% of the near-domain questions at 3% false refusals. A
keyword list only catches what its author thought of. Examples generalise: a question is
in scope when it sits closer to questions the knowledge base answers than to questions it
does not.

The check compares a question with its nearest examples of each kind: the knowledge base's
own FAQ phrasings and document titles plus the shipped in-scope examples on one side, the
shipped out-of-scope examples on the other (`knowledge/lexicon/scope_examples.yaml`,
extendable at `$FINBOT_DATA_DIR/scope_examples.yaml`). There is nothing to fit, so an
added example or FAQ phrasing counts at once. Questions and examples are placed by two
encoders at once, e5 and the Universal Sentence Encoder: their mistakes differ, and the
joint vector refused more out-of-scope questions at fewer in-scope refusals than either
alone or a logistic probe on e5 (issue-3 notes).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.scope import read_string_lists
from index.snapshot import Snapshot

log = logging.getLogger("finbot.scope_model")

MIN_EXAMPLES = 20  # per kind; fewer and the neighbours would be anecdotes
NEIGHBOURS = 5  # examples averaged on each side; 3–7 measured alike on the tune split
SECOND_WEIGHT = 0.3  # the second encoder's share of the joint vector (its squared weight)


@dataclass(frozen=True)
class ScopeExamples:
    out_of_scope: tuple[str, ...] = ()
    in_scope: tuple[str, ...] = ()

    @classmethod
    def load(cls, *paths: Path) -> ScopeExamples:
        lists = read_string_lists(paths, ("out_of_scope", "in_scope"), "scope examples")
        return cls(
            tuple(dict.fromkeys(lists["out_of_scope"])), tuple(dict.fromkeys(lists["in_scope"]))
        )


@dataclass(frozen=True)
class Encoding:
    """One way of turning text into unit vectors for the scope check.

    `prepare` is applied to examples only: a question arrives already prepared by the
    answer service (expanded for the search encoder, normalised and corrected for the other).
    """

    name: str
    encode: Callable[[Sequence[str]], np.ndarray]
    prepare: Callable[[str], str]


@dataclass(frozen=True)
class NearestExamples:
    """margin = mean cosine to the k nearest in-scope examples − the same for out-of-scope."""

    positives: np.ndarray  # (n, d), unit rows
    negatives: np.ndarray
    k: int = NEIGHBOURS

    def margin(self, vec: np.ndarray) -> float:
        q = vec.reshape(-1)
        return _mean_top(_similarities(self.positives, q), self.k) - _mean_top(
            _similarities(self.negatives, q), self.k
        )


def _similarities(rows: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Cosines without BLAS, on purpose: a multi-threaded BLAS matrix-vector product leaves
    its threads spinning afterwards, and on 2 cores they starve the e5 engine's threads
    (13 → 45 ms per question, measured). einsum's own loop takes 0.2 ms here."""
    return np.einsum("ij,j->i", rows, q)


def _mean_top(similarities: np.ndarray, k: int) -> float:
    k = min(k, len(similarities))
    return float(np.partition(similarities, -k)[-k:].mean())


def joint_vectors(first: np.ndarray, second: np.ndarray | None) -> np.ndarray:
    """Rows of both encoders side by side, weighted so that each row stays unit length."""
    if second is None:
        return first.astype(np.float32, copy=False)
    a = math.sqrt(1.0 - SECOND_WEIGHT)
    b = math.sqrt(SECOND_WEIGHT)
    return np.hstack([a * first, b * second]).astype(np.float32, copy=False)


class ScopeModel:
    """Owns the example vectors for the current snapshot; thread-safe (answers run in worker
    threads)."""

    def __init__(
        self,
        examples: ScopeExamples,
        first: Encoding,
        second: Encoding | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        """`first.prepare` must be what the answer service applies to a question before
        encoding it for the search (the lexicon's query expansion), so that the question's
        search vector can be reused here."""
        self.examples = examples
        self._first = VectorCache(first, cache_dir)
        self._second = VectorCache(second, cache_dir) if second is not None else None
        self._lock = threading.Lock()
        self._nearest: NearestExamples | None = None
        self._built_on: str | None = None  # digest of the positives the examples were built on
        self._checked_generation: int | None = None

    def margin(self, snap: Snapshot, query_vec: np.ndarray, text: str) -> float | None:
        """How much nearer in-scope examples the question is; None when there are too few
        examples to judge. `query_vec` is the question's search vector (first encoder);
        `text` is the normalised, corrected question, for the second encoder."""
        nearest = self.nearest_for(snap)
        if nearest is None:
            return None
        second = None
        if self._second is not None:
            second = self._second.encoding.encode([text])
        return nearest.margin(joint_vectors(query_vec.reshape(1, -1), second)[0])

    def nearest_for(self, snap: Snapshot) -> NearestExamples | None:
        """Rebuilt only when the in-scope side changed (FAQ phrasings, document titles)."""
        if self._checked_generation == snap.generation:
            return self._nearest
        with self._lock:
            if self._checked_generation != snap.generation:
                positives = self._positives(snap)
                key = _digest("\n".join(sorted(positives)))
                if key != self._built_on:
                    self._nearest = self._build(positives)
                    self._built_on = key
                self._checked_generation = snap.generation
            return self._nearest

    def _positives(self, snap: Snapshot) -> list[str]:
        faq = [q for entry in snap.faqs.values() for q in entry.questions]
        titles = sorted(rec.doc.meta.title for rec in snap.docs.values() if rec.doc.meta.title)
        return list(dict.fromkeys(faq + titles + list(self.examples.in_scope)))

    def _build(self, positives: list[str]) -> NearestExamples | None:
        negatives = list(self.examples.out_of_scope)
        if len(positives) < MIN_EXAMPLES or len(negatives) < MIN_EXAMPLES:
            log.info(
                "scope model off: %d in-scope and %d out-of-scope examples (need %d each)",
                len(positives),
                len(negatives),
                MIN_EXAMPLES,
            )
            return None
        texts = positives + negatives
        second = self._second.vectors(texts) if self._second is not None else None
        rows = joint_vectors(self._first.vectors(texts), second)
        log.info(
            "scope model: %d in-scope / %d out-of-scope examples", len(positives), len(negatives)
        )
        return NearestExamples(rows[: len(positives)], rows[len(positives) :])


class VectorCache:
    """An encoding's example vectors, in memory and on disk, keyed by prepared text: a
    restart encodes nothing and a lexicon change re-encodes only the texts it changed.
    Called under the model's lock."""

    def __init__(self, encoding: Encoding, cache_dir: Path | None) -> None:
        self.encoding = encoding
        self._path = (
            cache_dir / f"scope-vectors-{_digest(encoding.name)[:12]}.npz" if cache_dir else None
        )
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One row per text."""
        self._load()
        prepared = [self.encoding.prepare(t) for t in texts]
        missing = list(dict.fromkeys(p for p in prepared if p not in self._vectors))
        if missing:
            for text, vec in zip(missing, self.encoding.encode(missing), strict=True):
                self._vectors[text] = vec
            self._save()
        return np.stack([self._vectors[p] for p in prepared])

    def _load(self) -> None:
        if self._loaded or self._path is None:
            return
        self._loaded = True
        if not self._path.exists():
            return
        try:
            with np.load(self._path, allow_pickle=False) as data:
                texts = [str(t) for t in data["texts"]]
                self._vectors.update(zip(texts, data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            log.warning("ignoring an unreadable scope vector cache at %s", self._path)

    def _save(self) -> None:
        if self._path is None:
            return
        texts = list(self._vectors)
        tmp = self._path.with_suffix(".tmp.npz")
        try:
            np.savez(
                tmp, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts])
            )
            tmp.replace(self._path)
        except OSError:
            log.warning("could not write the scope vector cache at %s", self._path)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
