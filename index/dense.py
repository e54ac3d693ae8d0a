"""Dense vector index: exact inner-product search over explicit int64 chunk ids.

Exact (flat) search is deliberate: a district bureau's policy corpus is thousands to tens
of thousands of chunks, where brute force is a few milliseconds and never misses a
neighbour the way approximate indexes can. Vectors must be L2-normalised, so the inner
product is the cosine similarity.

Past `ACCELERATE_ABOVE` vectors, reading every float32 vector per question costs more than
the question's encoding (100k × 384 floats is 150 MB of memory traffic, ~15-30 ms on 2
cores). There a scalar-quantised copy (8 bits per dimension, a quarter of the bytes) picks
`RERANK` × k candidates and their exact cosines, from the float vectors, decide the top k:
the same neighbours as the flat search unless the 8-bit scores misplace a true top-k vector
below rank RERANK × k, which the quantisation error (~0.005 in cosine) does not do in practice.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

__all__ = ["DenseIndex", "IndexMismatchError", "set_faiss_threads"]


class IndexMismatchError(ValueError):
    """A stored index does not fit the running configuration (e.g. another encoder)."""


_threads = 1
_generation = 0
_local = threading.local()

ACCELERATE_ABOVE = 20_000
RERANK = 4
_TRAIN_SAMPLE = 50_000


def set_faiss_threads(n: int) -> None:
    """Sets faiss's OpenMP thread count for all threads from now on.

    libgomp keeps the thread count per calling thread, so a single call from the main
    thread would not reach the worker threads that actually search; instead every thread
    applies the configured value once, before its first faiss call. Default 1: searches are
    small and must not fight the encoder for the few cores.
    """
    global _threads, _generation
    if n < 1:
        raise ValueError(f"thread count must be >= 1, got {n}")
    _threads = n
    _generation += 1


def _apply_threads() -> None:
    if getattr(_local, "generation", None) != _generation:
        faiss.omp_set_num_threads(_threads)
        _local.generation = _generation


def _as_ids(ids: Iterable[int] | np.ndarray) -> np.ndarray:
    arr = np.ascontiguousarray(np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids))
    if arr.size and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"ids must be integers, got {arr.dtype}")
    return arr.astype(np.int64, copy=False).reshape(-1)


class DenseIndex:
    """faiss `IndexIDMap2(IndexFlatIP)`; not safe for concurrent writes, but readers of a
    `copy()` are unaffected by writes to the original (copy-on-write snapshots)."""

    def __init__(self, dim: int, *, _index: faiss.Index | None = None) -> None:
        if dim < 1:
            raise ValueError(f"dim must be >= 1, got {dim}")
        self.dim = dim
        if _index is None:
            _index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if not isinstance(_index, faiss.IndexIDMap2):
            raise IndexMismatchError(f"expected IndexIDMap2, got {type(_index).__name__}")
        self._index: faiss.IndexIDMap2 = _index
        self._fast: tuple[faiss.Index, np.ndarray, np.ndarray] | None = None
        self._fast_lock = threading.Lock()

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def _check_vectors(self, vectors: np.ndarray) -> np.ndarray:
        arr = np.ascontiguousarray(vectors, dtype=np.float32)
        if arr.ndim == 1:
            arr = arr.reshape(1, -1)
        if arr.ndim != 2 or arr.shape[1] != self.dim:
            raise IndexMismatchError(f"expected vectors of dim {self.dim}, got shape {arr.shape}")
        return arr

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Rejects duplicate ids: IndexIDMap2 would store both and return the id twice."""
        id_arr = _as_ids(ids)
        vecs = self._check_vectors(vectors)
        if len(id_arr) != len(vecs):
            raise ValueError(f"{len(id_arr)} ids for {len(vecs)} vectors")
        if not len(id_arr):
            return
        if len(np.unique(id_arr)) != len(id_arr):
            raise ValueError("duplicate ids in one add() call")
        clash = np.intersect1d(id_arr, self.ids())
        if len(clash):
            raise ValueError(f"ids already present: {clash[:10].tolist()}")
        _apply_threads()
        self._fast = None
        self._index.add_with_ids(vecs, id_arr)

    def remove(self, ids: Iterable[int] | np.ndarray) -> int:
        """Number of vectors actually removed (unknown ids are ignored)."""
        id_arr = _as_ids(ids)
        if not len(id_arr):
            return 0
        self._fast = None
        return int(self._index.remove_ids(faiss.IDSelectorBatch(id_arr)))

    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Per query, up to k (id, cosine) best first."""
        q = self._check_vectors(queries)
        n = len(self)
        if k <= 0 or n == 0:
            return [[] for _ in range(len(q))]
        _apply_threads()
        fast = self.prepare()
        if fast is not None:
            return [self._reranked(fast, row, k) for row in q]
        scores, ids = self._index.search(q, min(k, n))
        return [
            [(int(i), float(s)) for i, s in zip(row_ids, row_scores, strict=True) if i != -1]
            for row_ids, row_scores in zip(ids, scores, strict=True)
        ]

    def prepare(self) -> tuple[faiss.Index, np.ndarray, np.ndarray] | None:
        """Builds the 8-bit copy of a large index (seconds at 100k); searches call it, and
        the store calls it when a generation is loaded or built, off the question path."""
        n = len(self)
        if n <= ACCELERATE_ABOVE:
            return None
        fast = self._fast
        if fast is not None:
            return fast
        with self._fast_lock:
            if self._fast is None:
                flat = faiss.downcast_index(self._index.index)
                xb = flat.get_xb()  # type: ignore[attr-defined]
                vectors = faiss.rev_swig_ptr(xb, n * self.dim).reshape(n, self.dim)
                quantised = faiss.IndexScalarQuantizer(
                    self.dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
                )
                step = max(1, n // _TRAIN_SAMPLE)
                quantised.train(np.ascontiguousarray(vectors[::step]))
                quantised.add(vectors)
                self._fast = (quantised, vectors, self.ids())
            return self._fast

    def _reranked(
        self, fast: tuple[faiss.Index, np.ndarray, np.ndarray], q: np.ndarray, k: int
    ) -> list[tuple[int, float]]:
        quantised, vectors, ids = fast
        _, rows = quantised.search(q.reshape(1, -1), min(len(ids), k * RERANK))
        rows = rows[0][rows[0] >= 0]
        exact = vectors[rows] @ q
        order = np.argsort(-exact, kind="stable")[:k]
        return [(int(ids[rows[i]]), float(exact[i])) for i in order]

    def _stored(self) -> np.ndarray:
        """Every stored vector, in storage order: a view of faiss's own buffer, used within
        one call and never kept (a later write could move the buffer)."""
        n = len(self)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        flat = faiss.downcast_index(self._index.index)
        xb = flat.get_xb()  # type: ignore[attr-defined]
        return faiss.rev_swig_ptr(xb, n * self.dim).reshape(n, self.dim)

    def inner_products(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids, inner products with `query`) of every stored vector, in storage order.

        einsum, not a BLAS product: see `bot.scope_model._similarities` (BLAS threads left
        spinning starve the encoder on 2 cores)."""
        q = self._check_vectors(query)[0]
        return self.ids(), np.einsum("ij,j->i", self._stored(), q)

    def group_statistics(self, groups: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        """Per group (row labels 0..count-1, storage order) the mean vector, and per row its
        distance from its group's mean: what centring needs, without copying the vectors."""
        stored = self._stored()
        step = 4096  # blocks: no copy of the vectors is ever whole in memory
        sums = np.zeros((count, self.dim), dtype=np.float64)
        for start in range(0, len(stored), step):
            block, labels = stored[start : start + step], groups[start : start + step]
            for g in np.unique(labels):
                sums[g] += block[labels == g].sum(axis=0)
        sizes = np.bincount(groups, minlength=count)[:count]
        means = (sums / np.maximum(sizes, 1)[:, None]).astype(np.float32)
        distances = np.empty(len(stored), dtype=np.float32)
        for start in range(0, len(stored), step):
            block = stored[start : start + step] - means[groups[start : start + step]]
            distances[start : start + step] = np.sqrt(np.einsum("ij,ij->i", block, block))
        return means, distances

    def reconstruct(self, doc_id: int) -> np.ndarray | None:
        """The stored vector, e.g. to score an entry that only the sparse side found."""
        try:
            return np.asarray(self._index.reconstruct(int(doc_id)), dtype=np.float32)
        except RuntimeError:
            return None

    def copy(self) -> DenseIndex:
        """Deep copy, so a new snapshot can be edited while readers use this one."""
        return DenseIndex(self.dim, _index=faiss.clone_index(self._index))

    def save(self, path: Path) -> None:
        """Atomic: written to a temporary sibling and renamed, never a half-written file."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            faiss.write_index(self._index, tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, dim: int) -> DenseIndex:
        """Refuses an index built for another dimension (i.e. another encoder)."""
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(path)
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise IndexMismatchError(f"{path}: not a faiss index ({exc})") from exc
        if index.d != dim:
            raise IndexMismatchError(f"{path}: index has dim {index.d}, encoder has dim {dim}")
        try:
            return cls(dim, _index=index)
        except IndexMismatchError as exc:
            raise IndexMismatchError(f"{path}: {exc}") from exc
