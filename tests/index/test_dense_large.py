"""A large dense index searches an 8-bit copy and re-ranks exactly: same neighbours as flat."""

from __future__ import annotations

import numpy as np
import pytest

import index.dense as dense_mod
from index.dense import DenseIndex


def test_a_large_index_finds_the_same_neighbours_as_the_flat_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3000, 64)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    ids = np.arange(3000, dtype=np.int64) * 11 + 3
    index = DenseIndex(64)
    index.add(ids, x)
    queries = x[:20] + 0.1 * rng.standard_normal((20, 64)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    flat = index.search(queries, 20)
    monkeypatch.setattr(dense_mod, "ACCELERATE_ABOVE", 1000)
    assert index.prepare() is not None
    fast = index.search(queries, 20)
    assert [[i for i, _ in row] for row in fast] == [[i for i, _ in row] for row in flat]
    assert np.allclose([s for row in fast for _, s in row], [s for row in flat for _, s in row])
    smaller = index.copy()  # edits drop the copy; the next search rebuilds it
    smaller.remove(ids[:1])
    assert all(i != ids[0] for i, _ in smaller.search(queries[:1], 5)[0])
    assert smaller.search(x[1:2], 1)[0][0][0] == ids[1]
