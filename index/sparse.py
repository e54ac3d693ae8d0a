"""Sparse retrieval: tokenisers and an immutable Okapi BM25 index.

BM25 catches what dense search misses on policy text: exact article numbers, amounts and
rare domain words. Two tokenisers share the `tokenize(text) -> list[str]` signature:
`CharNgramTokenizer` needs no dictionary and never mis-segments unseen words (the default),
`JiebaTokenizer` gives shorter token lists when a word dictionary helps.

`BM25Index` is immutable: `with_changes` returns a new index, so request threads keep
searching the old one while the knowledge base is re-ingested (copy-on-write snapshots).
"""

from __future__ import annotations

import math
import operator
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from scipy import sparse as sp

from index.lexicon import Lexicon, has_cjk

if TYPE_CHECKING:
    import jieba

_STATE_FORMAT = "bm25-csr/1"

__all__ = [
    "BM25Index",
    "CharNgramTokenizer",
    "Tokenizer",
    "cjk_ngrams",
]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
# CJK runs, or Latin/digit words (decimals like 1.5 stay one token).
_SEGMENT_RE = re.compile(rf"[{_CJK}]+|[a-z0-9]+(?:\.[0-9]+)*")


class Tokenizer(Protocol):
    """Anything that turns text into index terms; must be thread-safe."""

    def tokenize(self, text: str) -> list[str]: ...


def _fold(text: str) -> str:
    """NFKC + lowercase so full-width digits and "BSE"/"bse" become the same token."""
    return unicodedata.normalize("NFKC", text).lower()


def cjk_ngrams(text: str) -> list[str]:
    """CJK unigrams + bigrams within runs, plus lowercased Latin/digit words.

    Bigrams stop at punctuation and spaces, so "补贴，上市" never yields "贴上".
    """
    out: list[str] = []
    for match in _SEGMENT_RE.finditer(_fold(text)):
        seg = match.group(0)
        if not has_cjk(seg[0]):
            out.append(seg)
            continue
        out.extend(seg)
        out.extend(map(operator.add, seg, seg[1:]))
    return out


class _TermMatcher:
    """Finds lexicon terms in text without a per-term substring scan.

    CJK terms are indexed by their first two characters, so the cost per text is about one
    dict lookup per character however large the lexicon is (matters when tokenising
    100k chunks at ingestion).
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self._by_prefix: dict[str, list[str]] = {}
        latin: set[str] = set()
        for raw in terms:
            term = " ".join(_fold(raw).split())
            if not term or _already_a_token(term):
                continue
            if has_cjk(term):
                if " " not in term:
                    self._by_prefix.setdefault(term[:2], []).append(term)
            else:
                latin.add(term)
        for bucket in self._by_prefix.values():
            bucket.sort(key=len, reverse=True)
        body = "|".join(r"\s+".join(map(re.escape, t.split())) for t in sorted(latin))
        self._latin_re = re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])") if body else None

    def find(self, folded: str) -> list[str]:
        """Every occurrence (overlapping ones included) of a multi-character term."""
        found: list[str] = []
        if self._by_prefix:
            for i in range(len(folded) - 1):
                bucket = self._by_prefix.get(folded[i : i + 2])
                if bucket:
                    found.extend(t for t in bucket if folded.startswith(t, i))
        if self._latin_re is not None:
            found.extend(" ".join(m.group(0).split()) for m in self._latin_re.finditer(folded))
        return found


def _already_a_token(term: str) -> bool:
    """True if n-gramming alone yields the term as one token (CJK of length <= 2 or a
    single Latin/digit word), so adding it again would only double-count it."""
    if _SEGMENT_RE.fullmatch(term) is None:
        return False
    return not has_cjk(term) or len(term) <= 2


class CharNgramTokenizer:
    """Dictionary-free tokeniser: robust to unseen words, plus whole lexicon terms.

    Two-character terms and single Latin words are already produced as n-grams/words, so
    only longer CJK terms and multi-word Latin terms ("bridge loan") are added as extra
    tokens; that keeps a term from being counted twice.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._matcher = _TermMatcher(lexicon.terms() if lexicon else ())

    def tokenize(self, text: str) -> list[str]:
        return cjk_ngrams(text) + self._matcher.find(_fold(text))


_JIEBA_CACHE: dict[frozenset[str], jieba.Tokenizer] = {}
_JIEBA_LOCK = threading.Lock()


def jieba_for(terms: frozenset[str]) -> jieba.Tokenizer:
    """One initialised private jieba per term set (its dictionary read from a fast copy
    after the first time: index/jieba_dict.py)."""
    with _JIEBA_LOCK:
        cached = _JIEBA_CACHE.get(terms)
        if cached is not None:
            return cached
        from index.jieba_dict import tokenizer_with

        words = [f for f in map(_fold, sorted(terms)) if f and not re.search(r"\s", f)]
        tk = tokenizer_with(words)
        _JIEBA_CACHE[terms] = tk
        return tk


# --------------------------------------------------------------------------- BM25


def _tf_matrix(
    docs: Sequence[Sequence[str]], vocab: dict[str, int], terms: list[str]
) -> sp.csr_matrix:
    """Term-frequency rows; extends `vocab`/`terms` in place with unseen tokens.

    The per-token work is C-level (`dict.fromkeys`, `map(vocab.__getitem__)`); only the
    distinct new tokens go through a Python loop, which keeps 100k-chunk builds quick.
    """
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
    flat = list(chain.from_iterable(docs))
    for tok in dict.fromkeys(flat):
        if tok not in vocab:
            vocab[tok] = len(terms)
            terms.append(tok)
    cols = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    data = np.ones(len(cols), dtype=np.float32)
    tf = sp.csr_matrix((data, (rows, cols)), shape=(len(docs), len(terms)), dtype=np.float32)
    tf.sum_duplicates()
    return tf


def _compact(tf: sp.csr_matrix, terms: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Drops terms no document uses any more once they are the majority, so a long-running
    bot that re-ingests documents does not grow its vocabulary forever."""
    used = np.flatnonzero(np.bincount(tf.indices, minlength=len(terms)))
    if len(used) * 2 >= len(terms):
        return tf, terms
    remap = np.full(len(terms), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    compact = sp.csr_matrix((tf.data, remap[tf.indices], tf.indptr), shape=(tf.shape[0], len(used)))
    return compact, [terms[c] for c in used.tolist()]


def _bm25_idf(n: int, df: np.ndarray) -> np.ndarray:
    """Lucene's non-negative idf over `n` documents: log(1 + (n − df + 0.5) / (df + 0.5))."""
    return np.log1p((n - df + 0.5) / (df + 0.5))


class BM25Index:
    """Okapi BM25 over a CSC matrix of precomputed per-(doc, term) weights.

    idf uses the non-negative Lucene form log(1 + (N - df + 0.5) / (df + 0.5)), so a term
    present in most documents still scores >= 0 and adding documents never flips signs.
    """

    def __init__(
        self,
        ids: np.ndarray,
        tf: sp.csr_matrix,
        vocab: dict[str, int],
        terms: list[str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        df: np.ndarray | None = None,
    ) -> None:
        """Prefer `build`/`from_state`; this trusts its arguments to be consistent. `df`
        overrides the document frequencies counted from `tf` (see `capped`)."""
        self.k1 = float(k1)
        self.b = float(b)
        self._ids = np.asarray(ids, dtype=np.int64)
        self._row_of = {int(i): r for r, i in enumerate(self._ids)}
        self._tf = tf.tocsr()
        self._vocab = vocab
        self._terms = terms
        n = len(self._ids)
        self._lengths = np.asarray(self._tf.sum(axis=1), dtype=np.float64).ravel()
        self._avgdl = float(self._lengths.mean()) if n and self._lengths.sum() > 0 else 1.0
        if df is None:
            df = np.bincount(self._tf.indices, minlength=len(terms)).astype(np.float64)
        self._idf = _bm25_idf(n, df)
        self._weights = self._weigh().tocsc()

    def _weigh(self) -> sp.csr_matrix:
        tf = self._tf.astype(np.float64)
        norm = self._length_norm(self._lengths)
        row_norm = np.repeat(norm, np.diff(tf.indptr))
        idf = self._idf[tf.indices]
        tf.data = idf * tf.data * (self.k1 + 1.0) / (tf.data + row_norm)
        return tf

    def _length_norm(self, lengths: np.ndarray) -> np.ndarray:
        """BM25's per-document term-saturation constant, k1·(1 − b + b·length/avgdl)."""
        return self.k1 * (1.0 - self.b + self.b * lengths / self._avgdl)

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls, docs: Mapping[int, Sequence[str]], *, k1: float = 1.5, b: float = 0.75
    ) -> BM25Index:
        ids = np.fromiter((int(i) for i in docs), dtype=np.int64, count=len(docs))
        vocab: dict[str, int] = {}
        terms: list[str] = []
        tf = _tf_matrix(list(docs.values()), vocab, terms)
        return cls(ids, tf, vocab, terms, k1=k1, b=b)

    def with_changes(self, added: Mapping[int, Sequence[str]], removed: Iterable[int]) -> BM25Index:
        """New index with `removed` dropped and `added` inserted (same id = replaced).

        Reuses the stored term-frequency rows instead of re-tokenising, so the cost is a
        matrix rebuild (milliseconds for thousands of chunks); `self` is left untouched.
        """
        drop = {int(i) for i in removed} | {int(i) for i in added}
        keep = np.array([r for r, i in enumerate(self._ids) if int(i) not in drop], dtype=np.int64)
        vocab = dict(self._vocab)
        terms = list(self._terms)
        new_tf = _tf_matrix(list(added.values()), vocab, terms)
        old_tf = self._tf[keep]
        old_tf = sp.csr_matrix(
            (old_tf.data, old_tf.indices, old_tf.indptr), shape=(len(keep), len(terms))
        )
        tf = sp.vstack([old_tf, new_tf], format="csr")
        new_ids = np.fromiter((int(i) for i in added), dtype=np.int64, count=len(added))
        ids = np.concatenate([self._ids[keep], new_ids])
        tf, terms = _compact(tf, terms)
        if len(terms) != len(vocab):
            vocab = {t: i for i, t in enumerate(terms)}
        return BM25Index(ids, tf, vocab, terms, k1=self.k1, b=self.b)

    def capped(self, group_of: Mapping[int, str], cap: int) -> BM25Index:
        """The same index where a term's document frequency counts at most `cap` entries of
        one group (`group_of`: entry id → group; an id not in it is its own group).

        A policy's title is read into each of its passages, so without a cap a 1,500-article
        policy gives its own title words the df of 1,500 passages: their idf sinks and the
        policy no longer answers its plainest question (issue 14's note: "answer" at 150
        articles, "none" at 1,500). Returns `self` when no group is larger than `cap`: the
        scores of ordinary knowledge bases do not change.
        """
        codes: dict[str, int] = {}
        groups = np.fromiter(
            (codes.setdefault(group_of.get(int(i), f"\0{int(i)}"), len(codes)) for i in self._ids),
            dtype=np.int64,
            count=len(self._ids),
        )
        if not len(groups) or np.bincount(groups).max() <= cap:
            return self
        width = len(self._terms)
        rows = np.repeat(np.arange(len(self._ids), dtype=np.int64), np.diff(self._tf.indptr))
        pairs, counts = np.unique(groups[rows] * width + self._tf.indices, return_counts=True)
        df = np.bincount(pairs % width, weights=np.minimum(counts, cap), minlength=width)
        return BM25Index(self._ids, self._tf, self._vocab, self._terms, k1=self.k1, b=self.b, df=df)

    # ------------------------------------------------------------------------ search
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, int | np.integer) and int(doc_id) in self._row_of

    def ids(self) -> np.ndarray:
        return self._ids.copy()

    @property
    def vocabulary_size(self) -> int:
        """Distinct terms held (may include a minority no longer used by any document)."""
        return len(self._terms)

    def _columns(self, tokens: Sequence[str]) -> list[int]:
        cols = (self._vocab.get(t) for t in dict.fromkeys(tokens))
        return [c for c in cols if c is not None]

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """Score of every document (row order of `ids()`); query terms count once each."""
        w = self._weights
        cols = self._columns(tokens)
        if not cols:
            return np.zeros(len(self._ids), dtype=np.float64)
        spans = [(w.indptr[c], w.indptr[c + 1]) for c in cols]
        rows = np.concatenate([w.indices[lo:hi] for lo, hi in spans])
        vals = np.concatenate([w.data[lo:hi] for lo, hi in spans])
        return np.bincount(rows, weights=vals, minlength=len(self._ids))

    def scores_for(self, tokens: Sequence[str], ids: Sequence[int]) -> list[float]:
        """BM25 scores of the given documents (0 for an id not in the index)."""
        scores = self.scores(tokens)
        return [float(scores[self._row_of[i]]) if i in self._row_of else 0.0 for i in ids]

    def scores_within(self, tokens: Sequence[str], ids: Sequence[int]) -> list[float]:
        """BM25 scores of the given documents as if they were the whole corpus: a term's idf
        counts only among them, so the words every one of them writes (a policy's own title
        and subject, read into each of its passages) weigh next to nothing, and the words
        that tell them apart decide. Term saturation and length keep the corpus's norms."""
        rows = [self._row_of.get(int(i)) for i in ids]
        present = [r for r in rows if r is not None]
        cols = self._columns(tokens)
        if not present or not cols:
            return [0.0] * len(ids)
        tf = self._tf[present][:, cols].toarray()
        df = (tf > 0).sum(axis=0)
        idf = _bm25_idf(len(present), df)
        norm = self._length_norm(self._lengths[present])
        weights = tf * (self.k1 + 1.0) / (tf + norm[:, None])
        scores = iter((weights * idf).sum(axis=1).tolist())
        return [next(scores) if r is not None else 0.0 for r in rows]

    def search(self, tokens: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Top-k (id, score) with score > 0, best first; ties broken by smaller id."""
        if k <= 0 or not len(self._ids):
            return []
        scores = self.scores(tokens)
        hit = np.flatnonzero(scores > 0)
        if not len(hit):
            return []
        if len(hit) > k:
            hit = hit[np.argpartition(-scores[hit], k - 1)[:k]]
        order = np.lexsort((self._ids[hit], -scores[hit]))
        return [(int(self._ids[hit[i]]), float(scores[hit[i]])) for i in order]

    # ------------------------------------------------------------ score normalisation
    def _idf_of(self, token: str) -> float:
        col = self._vocab.get(token)
        if col is not None:
            return float(self._idf[col])
        return self.max_idf()

    def max_idf(self) -> float:
        """The idf of a token no document has: the largest idf this corpus can give."""
        return math.log1p((len(self._ids) + 0.5) / 0.5)

    def coverage(self, tokens: Sequence[str], doc_id: int) -> float:
        """idf-weighted share of distinct query tokens that occur in the document (0..1)."""
        unique = list(dict.fromkeys(tokens))
        row = self._row_of.get(int(doc_id))
        if row is None or not unique:
            return 0.0
        present = set(self._tf.indices[self._tf.indptr[row] : self._tf.indptr[row + 1]].tolist())
        total = hit = 0.0
        for t in unique:
            idf = self._idf_of(t)
            total += idf
            col = self._vocab.get(t)
            if col is not None and col in present:
                hit += idf
        return hit / total if total > 0 else 0.0

    # --------------------------------------------------------------------- persistence
    def tokens_of(self, doc_id: int) -> list[str]:
        """The document's bag of tokens (sorted by first appearance in the vocabulary)."""
        row = self._row_of[int(doc_id)]
        lo, hi = self._tf.indptr[row], self._tf.indptr[row + 1]
        out: list[str] = []
        for col, tf in zip(self._tf.indices[lo:hi], self._tf.data[lo:hi], strict=True):
            out.extend([self._terms[col]] * round(float(tf)))
        return out

    def to_state(self) -> dict[str, Any]:
        """Compact, JSON-safe state: the token bag of every id as a CSR triple over a term
        list (token order inside a document is not kept; BM25 does not use it).

        `np.savez(path, **{k: np.asarray(v) for k, v in state.items()})` also works.
        """
        tf = self._tf
        used = np.flatnonzero(np.bincount(tf.indices, minlength=len(self._terms)))
        remap = np.full(len(self._terms), -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        return {
            "format": _STATE_FORMAT,
            "k1": self.k1,
            "b": self.b,
            "ids": self._ids.tolist(),
            "terms": [self._terms[c] for c in used.tolist()],
            "indptr": tf.indptr.astype(np.int64).tolist(),
            "indices": remap[tf.indices].tolist(),
            "counts": tf.data.astype(np.int64).tolist(),
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> BM25Index:
        """Inverse of `to_state`; accepts lists (JSON) or numpy arrays (npz)."""
        fmt = state.get("format")
        if isinstance(fmt, np.ndarray):
            fmt = fmt.item()
        if fmt != _STATE_FORMAT:
            raise ValueError(f"unsupported BM25 state format {fmt!r}")
        terms = [str(t) for t in np.asarray(state["terms"]).tolist()]
        ids = np.asarray(state["ids"], dtype=np.int64).reshape(-1)
        indptr = np.asarray(state["indptr"], dtype=np.int64)
        indices = np.asarray(state["indices"], dtype=np.int64)
        counts = np.asarray(state["counts"], dtype=np.float32)
        if len(indptr) != len(ids) + 1 or len(indices) != len(counts) or indptr[-1] != len(indices):
            raise ValueError("inconsistent BM25 state arrays")
        if len(indices) and (indices.min() < 0 or indices.max() >= len(terms)):
            raise ValueError("BM25 state refers to unknown terms")
        tf = sp.csr_matrix((counts, indices, indptr), shape=(len(ids), len(terms)))
        vocab = {t: i for i, t in enumerate(terms)}
        return cls(ids, tf, vocab, terms, k1=float(state["k1"]), b=float(state["b"]))
