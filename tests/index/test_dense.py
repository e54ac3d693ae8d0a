from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from index.dense import DenseIndex, IndexMismatchError, set_faiss_threads


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def vectors() -> np.ndarray:
    return _unit(np.random.default_rng(7).normal(size=(20, 16)))


@pytest.fixture
def index(vectors: np.ndarray) -> DenseIndex:
    idx = DenseIndex(16)
    idx.add(np.arange(100, 120), vectors)
    return idx


def test_search_finds_each_vector_itself_first(index: DenseIndex, vectors: np.ndarray) -> None:
    results = index.search(vectors[[3, 11]], 4)
    assert [r[0][0] for r in results] == [103, 111]
    assert results[0][0][1] == pytest.approx(1.0, abs=1e-5)
    assert all(len(r) == 4 for r in results)
    assert [s for _, s in results[0]] == sorted((s for _, s in results[0]), reverse=True)


def test_search_with_k_beyond_size_drops_missing_ids(vectors: np.ndarray) -> None:
    idx = DenseIndex(16)
    idx.add(np.array([1, 2]), vectors[:2])
    hits = idx.search(vectors[:1], 10)[0]
    assert [i for i, _ in hits] == [1, 2]
    assert DenseIndex(16).search(vectors[:2], 5) == [[], []]


def test_remove_really_removes(index: DenseIndex, vectors: np.ndarray) -> None:
    assert index.remove([103, 104, 999]) == 2
    assert len(index) == 18
    assert 103 not in index.ids().tolist()
    found = {i for i, _ in index.search(vectors[3:4], 20)[0]}
    assert 103 not in found and 104 not in found
    assert index.reconstruct(103) is None
    assert index.remove([]) == 0


def test_add_rejects_duplicates_and_wrong_shapes(index: DenseIndex, vectors: np.ndarray) -> None:
    with pytest.raises(ValueError, match="already present"):
        index.add(np.array([105]), vectors[:1])
    with pytest.raises(ValueError, match="duplicate"):
        index.add(np.array([1, 1]), vectors[:2])
    with pytest.raises(IndexMismatchError):
        index.add(np.array([1]), np.ones((1, 8), dtype=np.float32))
    with pytest.raises(ValueError):
        index.add(np.array([1, 2]), vectors[:1])
    assert len(index) == 20


def test_copy_is_independent(index: DenseIndex, vectors: np.ndarray) -> None:
    snap = index.copy()
    index.remove([100])
    index.add(np.array([500]), vectors[:1])
    assert 100 in snap.ids().tolist() and 500 not in snap.ids().tolist()
    assert snap.search(vectors[:1], 1)[0][0][0] == 100
    assert index.search(vectors[:1], 1)[0][0][0] == 500
    assert len(snap) == 20


def test_reconstruct_returns_stored_vector(index: DenseIndex, vectors: np.ndarray) -> None:
    vec = index.reconstruct(107)
    assert vec is not None
    np.testing.assert_allclose(vec, vectors[7], rtol=1e-6)


def test_save_load_round_trip(index: DenseIndex, vectors: np.ndarray, tmp_path: Path) -> None:
    path = tmp_path / "gen-1" / "dense.faiss"
    index.save(path)
    loaded = DenseIndex.load(path, 16)
    assert sorted(loaded.ids().tolist()) == list(range(100, 120))
    assert loaded.search(vectors[5:6], 3) == index.search(vectors[5:6], 3)
    assert [p.name for p in path.parent.iterdir()] == ["dense.faiss"]  # no temp leftovers


def test_load_rejects_other_dimension_and_garbage(index: DenseIndex, tmp_path: Path) -> None:
    path = tmp_path / "dense.faiss"
    index.save(path)
    with pytest.raises(IndexMismatchError, match="dim 16"):
        DenseIndex.load(path, 384)
    junk = tmp_path / "junk.faiss"
    junk.write_bytes(b"not an index")
    with pytest.raises(IndexMismatchError):
        DenseIndex.load(junk, 16)
    with pytest.raises(FileNotFoundError):
        DenseIndex.load(tmp_path / "missing.faiss", 16)


def test_thread_setting_reaches_worker_threads(index: DenseIndex, vectors: np.ndarray) -> None:
    import faiss

    seen: list[int] = []

    def worker() -> None:
        index.search(vectors[:1], 1)
        seen.append(faiss.omp_get_max_threads())

    set_faiss_threads(1)
    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert seen == [1]
    with pytest.raises(ValueError):
        set_faiss_threads(0)
