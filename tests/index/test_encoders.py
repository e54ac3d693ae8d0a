"""Fast encoder tests: the model-free hashing encoder and the factory's routing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.encoders import (
    Encoder,
    EncoderLoadError,
    HashingEncoder,
    build_encoder,
    packaged_minilm_path,
)


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    enc = HashingEncoder(128)
    a = enc.encode_queries(["北交所上市补贴", "bridge loan"])
    b = HashingEncoder(128).encode_passages(["北交所上市补贴", "bridge loan"])
    assert a.shape == (2, 128) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-6)
    assert isinstance(enc, Encoder)
    assert enc.name == "hashing:128" and enc.dim == 128


def test_hashing_similar_chinese_texts_are_nearer() -> None:
    enc = HashingEncoder()
    q = enc.encode_queries(["企业上市补贴怎么申请"])[0]
    docs = enc.encode_passages(
        [
            "企业在北交所上市的，可申请上市补贴200万元。",
            "政府性融资担保贷款的担保费率不超过1%。",
            "区产业引导基金投资于本区重点产业项目。",
        ]
    )
    sims = docs @ q
    assert int(np.argmax(sims)) == 0
    assert sims[0] > sims[1] + 0.2 and sims[0] > sims[2] + 0.2


def test_hashing_empty_inputs() -> None:
    enc = HashingEncoder(64)
    assert enc.encode_queries([]).shape == (0, 64)
    assert not enc.encode_queries(["，。！"]).any()  # no features → zero vector, not NaN


def test_build_encoder_routes_specs() -> None:
    assert isinstance(build_encoder("hashing"), HashingEncoder)
    assert build_encoder("hashing:512").dim == 512
    assert (Path(packaged_minilm_path()) / "config.json").is_file()


def test_build_encoder_reports_unloadable_models(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EncoderLoadError) as info:
        build_encoder("no-such-org/no-such-model-xyz")
    assert info.value.spec == "no-such-org/no-such-model-xyz"
    with pytest.raises(EncoderLoadError, match="does not exist"):
        build_encoder("/nonexistent/model/dir")
    with pytest.raises(EncoderLoadError):
        build_encoder("hashing:abc")
