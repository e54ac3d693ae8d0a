"""A learned scope check: is a question about what this knowledge base covers at all?

Lexical evidence cannot tell "办居住证需要哪些材料" from "申请担保需要哪些材料": both
match the corpus's procedural words, and measured on bench/quality no BM25 or coverage
threshold refused more than ~70% of the near-domain questions at 3% false refusals. A
keyword list only catches what its author thought of. Examples generalise: a question is
in scope when it sits closer to questions the knowledge base answers than to questions it
does not.

The check compares a question with its nearest examples of each kind. The in-scope side
is what the bureau loaded: every current document's title, each titled section as "title
heading" (第五条 资金占用费 → "《…办法》 资金占用费"), the opening clause of each untitled
article ("应急转贷资金规模为3亿元…"), the FAQ phrasings, plus the shipped
domain examples (`knowledge/lexicon/scope_examples.yaml`, extendable at
`$FINBOT_DATA_DIR/scope_examples.yaml`). The out-of-scope side is the shipped examples of
what a bureau does not answer. Questions and examples are placed by
two encoders at once, e5 and the Universal Sentence Encoder: their mistakes differ.

The cut-off depends on the knowledge base: a bureau's formal headings sit further from
everyday questions than an FAQ does, so in-scope questions score lower on a knowledge base
without one (issue 13: 15% of a blind KB's real questions were refused at the sample's
cut-off). It is calibrated on the knowledge base itself whenever its evidence changes: the
shipped in-scope examples are scored against it one at a time (leave-one-out), and the cut
sits CALIBRATION_SLACK below their CALIBRATION_QUANTILE. Both constants were chosen on two
knowledge bases (the sample and a blind one) and measured on a third.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

try:  # POSIX: the cache file is shared by the bot and the CLI
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from bot.scope import read_string_lists
from index.lexicon import has_cjk
from index.snapshot import Snapshot
from knowledge.chunking import section_above
from knowledge.models import DocStatus

log = logging.getLogger("finbot.scope_model")

MIN_EXAMPLES = 20  # per kind; fewer and the neighbours would be anecdotes
NEIGHBOURS = 3  # examples averaged on each side (3, 5 and 8 measured; 3 transferred best)
SECOND_WEIGHT = 0.3  # the second encoder's share of the joint vector (its squared weight)
CALIBRATION_QUANTILE = 10.0  # percentile of the shipped in-scope examples' own margins …
CALIBRATION_SLACK = 0.005  # … minus this is the knowledge base's cut-off
# the median of the same margins: a question above it sits as firmly in scope as a typical
# in-scope question (the glossary check yields to it: `answers.absent`)
TYPICAL_QUANTILE = 50.0
# an untitled article's opening clause as evidence: at most OPENING_MAX characters (set
# before measuring, not tuned), and none shorter than OPENING_MIN ("详见附件")
OPENING_MAX = 40
OPENING_MIN = 6
# … and at most MAX_OPENINGS of them, spread over the documents (each is encoded at ingest
# and compared with every question; the largest bundled KB has 430): a knowledge base of
# 100,000 passages would otherwise bring as many examples
MAX_OPENINGS = 2000
_CHAPTER_LINE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+(?:[章节篇]|部分)[^\n]*\n")
_CLAUSE_END = re.compile(r"[。；;\n]")
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])\s*"
)


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
    threshold: float = 0.0  # the knowledge base's cut-off (see `calibrated_threshold`)
    typical: float = 0.0  # a typical in-scope question's margin (see `calibrated_threshold`)

    def margin(self, vec: np.ndarray) -> float:
        q = vec.reshape(-1)
        return _mean_top(_similarities(self.positives, q), self.k) - _mean_top(
            _similarities(self.negatives, q), self.k
        )


@dataclass(frozen=True, slots=True)
class ScopeVerdict:
    margin: float
    threshold: float
    typical: float  # the knowledge base's median in-scope margin (≥ threshold)


def calibrated_threshold(
    positives: np.ndarray, negatives: np.ndarray, probes: np.ndarray, k: int = NEIGHBOURS
) -> float:
    """The cut-off for this knowledge base, from how its evidence scores typical questions.

    `probes` index the rows of `positives` that are shipped in-scope examples: each is scored
    against the other positives (itself left out) and all negatives.
    """
    return calibrated_levels(positives, negatives, probes, k)[0]


def calibrated_levels(
    positives: np.ndarray, negatives: np.ndarray, probes: np.ndarray, k: int = NEIGHBOURS
) -> tuple[float, float]:
    """The knowledge base's cut-off and its typical in-scope margin (TYPICAL_QUANTILE of the
    probes' margins), both read off the same leave-one-out margins; (0, 0) without probes."""
    if len(probes) == 0:
        return 0.0, 0.0
    rows = positives[probes]
    to_positives = np.einsum("ij,kj->ik", rows, positives)
    to_positives[np.arange(len(probes)), probes] = -np.inf  # leave the probe itself out
    to_negatives = np.einsum("ij,kj->ik", rows, negatives)
    margins = _top_means(to_positives, k) - _top_means(to_negatives, k)
    cut = float(np.percentile(margins, CALIBRATION_QUANTILE)) - CALIBRATION_SLACK
    return cut, float(np.percentile(margins, TYPICAL_QUANTILE))


def _top_means(similarities: np.ndarray, k: int) -> np.ndarray:
    k = min(k, similarities.shape[1])
    return np.partition(similarities, -k, axis=1)[:, -k:].mean(axis=1)


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
        *,
        today: Callable[[], date] = date.today,
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
        self._checked: tuple[int, date] | None = None  # (generation, day) last looked at
        self._latin_centre: np.ndarray | None = None  # empty: too few Latin examples
        self._today = today

    def verdict(
        self,
        snap: Snapshot,
        query_vec: np.ndarray,
        text: str,
        second_vec: np.ndarray | None = None,
    ) -> ScopeVerdict | None:
        """How much nearer in-scope examples the question is, and this knowledge base's
        cut-off; None when there are too few examples to judge. `query_vec` is the question's
        search vector (first encoder); `text` the normalised, corrected question (second)."""
        nearest = self.nearest_for(snap)
        if nearest is None:
            return None
        second = None
        if self._second is not None:
            second = (
                second_vec.reshape(1, -1)
                if second_vec is not None
                else self._second.encoding.encode([text])
            )
        margin = nearest.margin(joint_vectors(query_vec.reshape(1, -1), second)[0])
        return ScopeVerdict(margin, nearest.threshold, nearest.typical)

    def latin_centre(self) -> np.ndarray | None:
        """The mean search vector of the shipped Latin-script examples (both kinds): where a
        typical English question sits, for the centred dense ranking (`index.centring`).
        None with fewer than MIN_EXAMPLES of them. Their vectors are the ones the scope check
        encodes at warm-up, so this encodes nothing after it."""
        with self._lock:
            if self._latin_centre is None:
                texts = [
                    e
                    for e in (*self.examples.in_scope, *self.examples.out_of_scope)
                    if not has_cjk(e)
                ]
                centre = (
                    self._first.vectors(texts).mean(axis=0).astype(np.float32)
                    if len(texts) >= MIN_EXAMPLES
                    else np.zeros(0, dtype=np.float32)
                )
                self._latin_centre = centre
            return self._latin_centre if len(self._latin_centre) else None

    def nearest_for(self, snap: Snapshot) -> NearestExamples | None:
        """Rebuilt (and re-calibrated) only when the in-scope evidence changed."""
        key = (snap.generation, self._today())
        if self._checked == key:
            return self._nearest
        with self._lock:
            if self._checked != key:
                positives = self._positives(snap)
                digest = _digest("\n".join(positives))
                if digest != self._built_on:
                    self._nearest = self._build(positives)
                    self._built_on = digest
                self._checked = key
            return self._nearest

    def _positives(self, snap: Snapshot) -> list[str]:
        """What the bureau loaded, then the shipped examples (kept last: they are the probes
        the cut-off is calibrated with)."""
        faq = [q for entry in snap.faqs.values() for q in entry.questions]
        kb = sorted(evidence_of(snap, self._today()))
        own = list(dict.fromkeys(faq + kb))
        shipped = [e for e in self.examples.in_scope if e not in set(own)]
        return own + shipped

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
        pos, neg = rows[: len(positives)], rows[len(positives) :]
        shipped = set(self.examples.in_scope)
        probes = np.array([i for i, text in enumerate(positives) if text in shipped], dtype=int)
        threshold, typical = calibrated_levels(pos, neg, probes)
        log.info(
            "scope model: %d in-scope / %d out-of-scope examples, cut-off %.4f, typical %.4f",
            len(positives), len(negatives), threshold, typical,
        )  # fmt: skip
        return NearestExamples(pos, neg, threshold=threshold, typical=typical)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (POSIX `flock` on a side file; a no-op where
    there is none), held while the cache file is read, merged and replaced."""
    with open(path, "a") as handle:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


class VectorCache:
    """An encoding's example vectors, in memory and on disk, keyed by prepared text: a
    restart encodes nothing and a lexicon change re-encodes only the texts it changed.
    Called under the model's lock."""

    def __init__(self, encoding: Encoding, cache_dir: Path | None, kind: str = "scope") -> None:
        self.encoding = encoding
        self._path = (
            cache_dir / f"{kind}-vectors-{_digest(encoding.name)[:12]}.npz" if cache_dir else None
        )
        self._vectors: dict[str, np.ndarray] = {}
        self._loaded = False
        self._mtime: int | None = None  # of the disk cache when last read or written

    def vectors(self, texts: list[str]) -> np.ndarray:
        """One row per text. Before encoding anything, the disk cache is read again: `finbot
        kb add` in another process encodes a new document's evidence at ingest."""
        self._load()
        prepared = [self.encoding.prepare(t) for t in texts]
        missing = list(dict.fromkeys(p for p in prepared if p not in self._vectors))
        if missing and self._reload():
            missing = [p for p in missing if p not in self._vectors]
        if missing:
            for text, vec in zip(missing, self.encoding.encode(missing), strict=True):
                self._vectors[text] = vec
            self._save()
        return np.stack([self._vectors[p] for p in prepared])

    def has_all(self, texts: list[str]) -> bool:
        """Whether every text's vector is at hand (in memory or in the disk cache)."""
        self._load()
        prepared = {self.encoding.prepare(t) for t in texts}
        if prepared.issubset(self._vectors):
            return True
        self._reload()
        return prepared.issubset(self._vectors)

    def _reload(self) -> bool:
        """Read the disk cache again if another process wrote it since; True if it did."""
        if self._path is None or not self._path.exists():
            return False
        if self._path.stat().st_mtime_ns == self._mtime:
            return False
        self._loaded = False
        self._load()
        return True

    def _load(self) -> None:
        if self._loaded or self._path is None:
            return
        self._loaded = True
        if not self._path.exists():
            return
        self._mtime = self._path.stat().st_mtime_ns
        try:
            with np.load(self._path, allow_pickle=False) as data:
                texts = [str(t) for t in data["texts"]]
                self._vectors.update(zip(texts, data["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            log.warning("ignoring an unreadable scope vector cache at %s", self._path)

    def _save(self) -> None:
        """Write every vector known here, merged with what another process wrote since this
        one last read the file (the CLI's `kb add` and the bot both write it). Without the
        merge the last writer dropped the other's texts, and the next start re-encoded them:
        ~30 s for the sample's examples before the first answer."""
        if self._path is None:
            return
        tmp = self._path.with_suffix(f".{os.getpid()}.tmp.npz")
        try:
            with _locked(self._path.with_suffix(".lock")):
                if self._path.exists() and self._path.stat().st_mtime_ns != self._mtime:
                    known = dict(self._vectors)
                    self._loaded = False
                    self._load()
                    self._vectors.update(known)
                texts = list(self._vectors)
                vectors = np.stack([self._vectors[t] for t in texts])
                np.savez(tmp, texts=np.array(texts), vectors=vectors)
                tmp.replace(self._path)
                self._mtime = self._path.stat().st_mtime_ns
        except OSError:
            log.warning("could not write the scope vector cache at %s", self._path)


def evidence_of(snap: Snapshot, today: date) -> set[str]:
    """Titles of the documents in force, "title heading" for each titled section (for an
    item cut from a 一、 section, that section's heading as well: it was evidence before the
    items were passages of their own), and the opening clause of each untitled article or
    item (`opening_clause`)."""
    statuses = snap.statuses(today)
    out: set[str] = set()
    openings: dict[str, None] = {}
    for doc_id, rec in snap.docs.items():
        info = statuses.get(doc_id)
        if info is not None and info.status is not DocStatus.CURRENT:
            continue
        title = rec.doc.meta.title
        if title:
            out.add(title)
        for chunk in rec.doc.chunks:
            heading = _NUMBERING.sub("", chunk.section).strip()
            if heading:
                out.add(f"{title} {heading}".strip())
                above = section_above(chunk)  # an item's section: its heading is evidence too
                if above:
                    out.add(f"{title} {_NUMBERING.sub('', above).strip()}".strip())
            elif chunk.section:
                opening = opening_clause(chunk.text)
                if opening:
                    openings[opening] = None
    return out | set(_spread(list(openings), MAX_OPENINGS))


def _spread(items: list[str], most: int) -> list[str]:
    """At most `most` of the items, evenly spaced in their order (every document keeps its
    share): each is encoded at ingest and compared with every question."""
    if len(items) <= most:
        return items
    return [items[i * len(items) // most] for i in range(most)]


def opening_clause(text: str) -> str:
    """What an untitled article or item is about, in its own first words: "第三条　应急转贷
    资金规模为3亿元，由市级财政全额出资…" → "应急转贷资金规模为3亿元，由市级财政全额出资，…" (its
    first OPENING_MAX characters). A bureau's measures mostly number their articles without
    naming them (430 of zechuan's 489 passages), so its titles and headings alone said little
    of what the documents cover, and questions on an unnamed article were refused as out of
    scope.
    The clause stops at the first 。；or line end; a chapter line above the article and the
    article's own number are left out."""
    body = _CHAPTER_LINE.sub("", text.strip())
    body = _NUMBERING.sub("", body).strip()
    first = _CLAUSE_END.split(body, maxsplit=1)[0].strip()
    return first[:OPENING_MAX] if len(first) >= OPENING_MIN else ""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
