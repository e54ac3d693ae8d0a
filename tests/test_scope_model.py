"""The learned scope check: the probe, refitting on FAQ changes, the vector cache, the gate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot.answers import AnswerService, Band
from bot.config import load_settings
from bot.core import Core, build_core, build_scope_model, ensure_seeded
from bot.scope import ScopeFileError
from bot.scope_model import MIN_EXAMPLES, LogisticProbe, ScopeExamples, ScopeModel
from index.encoders import HashingEncoder
from index.entries import FaqEntry

LIFE = ["明天天气怎么样", "红烧肉怎么做", "周末去哪里爬山", "推荐一部电影", "感冒吃什么药好"]
LIFE_MORE = [f"{w}{i}" for i in range(5) for w in LIFE]  # MIN_EXAMPLES distinct negatives


def test_probe_separates_two_clusters_and_stays_a_probability() -> None:
    rng = np.random.default_rng(7)
    centre = rng.normal(size=16)
    pos = centre + 0.3 * rng.normal(size=(40, 16))
    neg = -centre + 0.3 * rng.normal(size=(60, 16))
    probe = LogisticProbe.fit(pos, neg)
    assert all(probe.probability(v) > 0.9 for v in pos)
    assert all(probe.probability(v) < 0.1 for v in neg)
    assert 0.0 < probe.probability(1e6 * centre) <= 1.0  # no overflow far from the data


def test_examples_load_merges_files_and_rejects_a_broken_one(tmp_path: Path) -> None:
    a = tmp_path / "a.yaml"
    a.write_text("out_of_scope: [天气, 菜谱]\nin_scope: [担保费率]\n", "utf-8")
    b = tmp_path / "b.yaml"
    b.write_text("out_of_scope: [菜谱, 彩票]\n", "utf-8")
    ex = ScopeExamples.load(a, b, tmp_path / "missing.yaml")
    assert ex.out_of_scope == ("天气", "菜谱", "彩票") and ex.in_scope == ("担保费率",)
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", "utf-8")
    with pytest.raises(ScopeFileError, match=r"bad\.yaml"):
        ScopeExamples.load(bad)


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    settings = load_settings(data_dir=tmp_path_factory.mktemp("kb"), embedding_model="hashing")
    built = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    assert ensure_seeded(built)
    return built


class CountingEncoder:
    """The hashing encoder, counting what it is asked to encode."""

    def __init__(self) -> None:
        self.inner = HashingEncoder()
        self.calls: list[int] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return self.inner.encode_queries(texts)


def _model(
    core: Core, cache: Path | None, enc: CountingEncoder, negatives: list[str]
) -> ScopeModel:
    return ScopeModel(
        ScopeExamples(tuple(negatives), ()),
        enc,
        core.lexicon.expand_query,
        "hashing:256",
        cache_dir=cache,
    )


def test_too_few_examples_turns_the_model_off(core: Core) -> None:
    model = _model(core, None, CountingEncoder(), LIFE)
    assert len(LIFE) < MIN_EXAMPLES
    assert model.probability(core.store.snapshot(), np.zeros(256, dtype=np.float32)) is None


def test_vectors_are_cached_on_disk_and_refit_follows_the_faq(core: Core, tmp_path: Path) -> None:
    snap = core.store.snapshot()
    first = CountingEncoder()
    model = _model(core, tmp_path, first, LIFE_MORE)
    assert model.probe_for(snap) is not None
    assert sum(first.calls) == len({p for f in snap.faqs.values() for p in f.questions}) + len(
        LIFE_MORE
    )
    assert list(tmp_path.glob("scope-vectors-*.npz"))
    probe = model.probe_for(snap)
    assert model.probe_for(snap) is probe and len(first.calls) == 1  # same generation: no refit

    again = CountingEncoder()
    restarted = _model(core, tmp_path, again, LIFE_MORE)
    assert restarted.probe_for(snap) is not None and again.calls == []  # all from the cache
    fitted = restarted.probe_for(snap)
    upload = replace(snap, generation=snap.generation + 1)  # a document changed, not the FAQ
    assert restarted.probe_for(upload) is fitted and again.calls == []
    extra = FaqEntry("extra-1", ("区里的担保费补贴什么时候发放？",), "按季度拨付。")
    faq_edit = replace(
        upload, generation=upload.generation + 1, faqs={**snap.faqs, "extra-1": extra}
    )
    refitted = restarted.probe_for(faq_edit)
    assert refitted is not None and refitted is not fitted and again.calls == [1]


def test_answer_service_declines_what_the_model_rejects(core: Core) -> None:
    model = _model(core, None, CountingEncoder(), LIFE_MORE)
    gated = AnswerService(core.store, core.lexicon, scope_model=model)
    gated.warm_up()
    a = gated.answer_sync("明天天气怎么样")
    assert a.band is Band.NONE and a.hits == () and a.top[0][0] == "scope:model"
    assert "不在本局企业金融政策咨询的范围内" in a.reply
    ok = gated.answer_sync("政府性融资担保的担保费率是多少？")
    assert ok.band is Band.ANSWER and ok.hits[0].faq_id == "credit-001"


class _Plain:
    """Stands in for a real model: build_scope_model only refuses the hashing encoder."""

    name = "fake-semantic"
    dim = 256

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return HashingEncoder().encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return HashingEncoder().encode_passages(texts)


def test_scope_model_needs_a_real_encoder_and_can_be_switched_off(
    core: Core, tmp_path: Path
) -> None:
    on = load_settings(data_dir=tmp_path, embedding_model="e5-small")
    off = load_settings(data_dir=tmp_path, embedding_model="e5-small", scope_model=False)
    assert isinstance(build_scope_model(on, _Plain(), core.lexicon), ScopeModel)
    assert build_scope_model(off, _Plain(), core.lexicon) is None
    assert build_scope_model(on, HashingEncoder(), core.lexicon) is None
