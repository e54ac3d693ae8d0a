"""A learned scope check: is a question about what this knowledge base covers at all?

Lexical evidence cannot tell "办居住证需要哪些材料" from "申请担保需要哪些材料": both
match the corpus's procedural words, and measured on bench/quality no BM25 or coverage
threshold (nor dropping function characters from it) refused more than ~70% of the
near-domain questions at 3% false refusals. A keyword list only catches what its author
thought of. A linear probe over the query embedding learns the direction "enterprise
finance policy" versus "a private person's life / another department / small talk" from
examples, so it generalises to topics nobody listed.

Positives are the knowledge base's own FAQ phrasings plus the shipped in-scope examples;
negatives are the shipped out-of-scope examples (`knowledge/lexicon/scope_examples.yaml`,
extendable at `$FINBOT_DATA_DIR/scope_examples.yaml`). The probe is refitted whenever the
FAQ changes; example vectors are cached in memory and on disk,
so only texts never seen before are encoded.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.scope import read_string_lists
from index.snapshot import Snapshot

log = logging.getLogger("finbot.scope_model")

MIN_EXAMPLES = 20  # per class; fewer and the probe would be guessing
L2 = 1e-5  # on unit-length query vectors; chosen on the tune split (issue-3 notes)
NEWTON_STEPS = 25


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
class LogisticProbe:
    """P(in scope | query vector) = σ(w·x + b), fitted with class-balanced weights."""

    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, positives: np.ndarray, negatives: np.ndarray, l2: float = L2) -> LogisticProbe:
        """Newton's method on the L2-regularised log loss: exact and fast at this size
        (a few hundred examples × 384 dimensions), with no learning rate to tune."""
        x = np.vstack([positives, negatives]).astype(np.float64)
        x = np.hstack([x, np.ones((len(x), 1))])
        y = np.r_[np.ones(len(positives)), np.zeros(len(negatives))]
        # each class weighs the same in total, however many examples it has
        sw = np.where(y == 1, len(x) / (2 * len(positives)), len(x) / (2 * len(negatives)))
        reg = np.full(x.shape[1], l2 * len(x))
        reg[-1] = 0.0  # the bias is not shrunk
        w = np.zeros(x.shape[1])
        for _ in range(NEWTON_STEPS):
            p = 1.0 / (1.0 + np.exp(-(x @ w)))
            grad = x.T @ (sw * (p - y)) + reg * w
            hess = (x * (sw * p * (1 - p))[:, None]).T @ x + np.diag(reg)
            step = np.linalg.solve(hess, grad)
            w -= step
            if float(np.abs(step).max()) < 1e-6:
                break
        return cls(w[:-1].astype(np.float32), float(w[-1]))

    def probability(self, vec: np.ndarray) -> float:
        z = float(np.dot(self.weights, vec.reshape(-1))) + self.bias
        return float(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))))


class ScopeModel:
    """Owns the probe for the current snapshot; thread-safe (answers run in worker threads)."""

    def __init__(
        self,
        examples: ScopeExamples,
        encode: Callable[[Sequence[str]], np.ndarray],
        prepare: Callable[[str], str],
        model_name: str,
        cache_dir: Path | None = None,
    ) -> None:
        """`prepare` must be what the answer service applies to a question before encoding
        it (the lexicon's query expansion), so examples and questions live in one space."""
        self.examples = examples
        self._encode = encode
        self._prepare = prepare
        self._cache_path = (
            cache_dir / f"scope-vectors-{_digest(model_name)[:12]}.npz" if cache_dir else None
        )
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded_cache = False
        self._lock = threading.Lock()
        self._probe: LogisticProbe | None = None
        self._fitted_on: str | None = None  # digest of the positives the probe was fitted on
        self._checked_generation: int | None = None

    def probability(self, snap: Snapshot, query_vec: np.ndarray) -> float | None:
        """P(in scope); None when there are too few examples to judge."""
        probe = self.probe_for(snap)
        return None if probe is None else probe.probability(query_vec)

    def probe_for(self, snap: Snapshot) -> LogisticProbe | None:
        """Refit only when the FAQ phrasings changed; a document upload changes none."""
        if self._checked_generation == snap.generation:
            return self._probe
        with self._lock:
            if self._checked_generation != snap.generation:
                positives = self._positives(snap)
                key = _digest("\n".join(sorted(positives)))
                if key != self._fitted_on:
                    self._probe = self._fit(positives)
                    self._fitted_on = key
                self._checked_generation = snap.generation
            return self._probe

    def _positives(self, snap: Snapshot) -> list[str]:
        faq = [q for entry in snap.faqs.values() for q in entry.questions]
        return list(dict.fromkeys(faq + list(self.examples.in_scope)))

    def _fit(self, positives: list[str]) -> LogisticProbe | None:
        negatives = list(self.examples.out_of_scope)
        if len(positives) < MIN_EXAMPLES or len(negatives) < MIN_EXAMPLES:
            log.info(
                "scope model off: %d in-scope and %d out-of-scope examples (need %d each)",
                len(positives),
                len(negatives),
                MIN_EXAMPLES,
            )
            return None
        rows = self._vectors_for(positives + negatives)
        probe = LogisticProbe.fit(rows[: len(positives)], rows[len(positives) :])
        log.info("scope model fitted on %d / %d examples", len(positives), len(negatives))
        return probe

    def _vectors_for(self, texts: list[str]) -> np.ndarray:
        """One row per text. Cached by prepared text, so a lexicon change re-encodes only
        what it changed."""
        self._load_cache()
        prepared = [self._prepare(t) for t in texts]
        missing = list(dict.fromkeys(p for p in prepared if p not in self._vectors))
        if missing:
            for text, vec in zip(missing, self._encode(missing), strict=True):
                self._vectors[text] = vec
            self._save_cache()
        return np.stack([self._vectors[p] for p in prepared])

    def _load_cache(self) -> None:
        if self._loaded_cache or self._cache_path is None:
            return
        self._loaded_cache = True
        if not self._cache_path.exists():
            return
        try:
            with np.load(self._cache_path, allow_pickle=False) as data:
                texts = [str(t) for t in data["texts"]]
                self._vectors.update(zip(texts, data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            log.warning("ignoring an unreadable scope vector cache at %s", self._cache_path)

    def _save_cache(self) -> None:
        if self._cache_path is None:
            return
        texts = list(self._vectors)
        tmp = self._cache_path.with_suffix(".tmp.npz")
        try:
            np.savez(
                tmp, texts=np.array(texts), vectors=np.stack([self._vectors[t] for t in texts])
            )
            tmp.replace(self._cache_path)
        except OSError:
            log.warning("could not write the scope vector cache at %s", self._cache_path)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
