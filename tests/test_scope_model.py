"""The learned scope check: nearest examples, rebuilding on FAQ/title changes, the vector
caches of both encoders, the gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from bot import scope_model
from bot.answers import AnswerService, Band
from bot.config import load_settings
from bot.core import Core, build_core, build_scope_model
from bot.scope import ScopeFileError
from bot.scope_model import (
    CALIBRATION_QUANTILE,
    CALIBRATION_SLACK,
    MIN_EXAMPLES,
    OPENING_MAX,
    Encoding,
    NearestExamples,
    ScopeExamples,
    ScopeModel,
    VectorCache,
    calibrated_threshold,
    evidence_of,
    joint_vectors,
    opening_clause,
)
from index.encoders import HashingEncoder
from index.entries import FaqEntry
from index.snapshot import Snapshot
from tests.sample_core import sample_core

LIFE = ["明天天气怎么样", "红烧肉怎么做", "周末去哪里爬山", "推荐一部电影", "感冒吃什么药好"]
LIFE_MORE = [f"{w}{i}" for i in range(5) for w in LIFE]  # MIN_EXAMPLES distinct negatives


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_margin_is_positive_near_in_scope_examples_and_negative_near_the_others() -> None:
    rng = np.random.default_rng(7)
    centre = rng.normal(size=16)
    pos = _unit(centre + 0.3 * rng.normal(size=(40, 16)))
    neg = _unit(-centre + 0.3 * rng.normal(size=(60, 16)))
    nearest = NearestExamples(pos.astype(np.float32), neg.astype(np.float32), k=5)
    assert all(nearest.margin(v) > 0.5 for v in _unit(centre + 0.3 * rng.normal(size=(10, 16))))
    assert all(nearest.margin(v) < -0.5 for v in _unit(-centre + 0.3 * rng.normal(size=(10, 16))))
    # one stray in-scope example next to an out-of-scope question does not outvote five
    stray = np.vstack([pos, neg[:1]]).astype(np.float32)
    assert NearestExamples(stray, neg.astype(np.float32), k=5).margin(neg[0]) < -0.3
    # fewer examples than k: the mean of what there is
    two = NearestExamples(pos[:2].astype(np.float32), neg[:2].astype(np.float32), k=5)
    expected = float((pos[:2] @ pos[0]).mean() - (neg[:2] @ pos[0]).mean())
    assert two.margin(pos[0]) == pytest.approx(expected, abs=1e-5)


def test_joint_vectors_stay_unit_length_and_weight_the_second_encoder() -> None:
    rng = np.random.default_rng(3)
    a = _unit(rng.normal(size=(4, 8)))
    b = _unit(rng.normal(size=(4, 5)))
    joint = joint_vectors(a, b)
    assert joint.shape == (4, 13)
    np.testing.assert_allclose(np.linalg.norm(joint, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(joint[:, 8:], axis=1) ** 2, 0.3, rtol=1e-5)
    np.testing.assert_array_equal(joint_vectors(a, None), a.astype(np.float32))


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
    return sample_core(tmp_path_factory)


class CountingEncoder:
    """The hashing encoder, counting what it is asked to encode."""

    def __init__(self) -> None:
        self.inner = HashingEncoder()
        self.calls: list[int] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(len(texts))
        return self.inner.encode_queries(texts)


def _model(
    core: Core,
    cache: Path | None,
    enc: CountingEncoder,
    negatives: list[str],
    second: CountingEncoder | None = None,
) -> ScopeModel:
    return ScopeModel(
        ScopeExamples(tuple(negatives), ()),
        Encoding("hashing:256", enc, core.lexicon.expand_query),
        Encoding("second:hashing", second, core.lexicon.normalize) if second else None,
        cache_dir=cache,
        today=core.answers.today,
    )


def _positives(snap: Snapshot, today: date) -> set[str]:
    """FAQ phrasings, titles and "title heading" of the documents in force: the in-scope
    side when no examples are shipped."""
    faq = {p for f in snap.faqs.values() for p in f.questions}
    return faq | evidence_of(snap, today)


def test_too_few_examples_turns_the_model_off(core: Core) -> None:
    model = _model(core, None, CountingEncoder(), LIFE)
    assert len(LIFE) < MIN_EXAMPLES
    assert model.verdict(core.store.snapshot(), np.zeros(256, dtype=np.float32), "天气") is None


def test_vectors_are_cached_on_disk_and_rebuilt_only_when_the_in_scope_side_changes(
    core: Core, tmp_path: Path
) -> None:
    snap = core.store.snapshot()
    first, second = CountingEncoder(), CountingEncoder()
    model = _model(core, tmp_path, first, LIFE_MORE, second)
    assert model.nearest_for(snap) is not None
    assert (
        first.calls
        == second.calls
        == [len(_positives(snap, core.answers.today())) + len(LIFE_MORE)]
    )
    assert len(list(tmp_path.glob("scope-vectors-*.npz"))) == 2  # one cache per encoder
    built = model.nearest_for(snap)
    assert model.nearest_for(snap) is built and len(first.calls) == 1  # same generation

    again, again2 = CountingEncoder(), CountingEncoder()
    restarted = _model(core, tmp_path, again, LIFE_MORE, again2)
    loaded = restarted.nearest_for(snap)
    assert loaded is not None and again.calls == again2.calls == []  # all from the caches
    upload = replace(snap, generation=snap.generation + 1)  # a passage changed, no heading
    assert restarted.nearest_for(upload) is loaded and again.calls == []
    extra = FaqEntry("extra-1", ("区里的担保费补贴什么时候发放？",), "按季度拨付。")
    faq_edit = replace(
        upload, generation=upload.generation + 1, faqs={**snap.faqs, "extra-1": extra}
    )
    rebuilt = restarted.nearest_for(faq_edit)
    assert rebuilt is not None and rebuilt is not loaded
    assert again.calls == again2.calls == [1]  # only the new phrasing was encoded
    assert len(rebuilt.positives) == len(loaded.positives) + 1


def test_the_second_encoder_reads_the_question_text_and_shifts_the_margin(core: Core) -> None:
    snap = core.store.snapshot()
    second = CountingEncoder()
    joint = _model(core, None, CountingEncoder(), LIFE_MORE, second)
    alone = _model(core, None, CountingEncoder(), LIFE_MORE)
    question = "明天天气怎么样"
    vec = core.store.encoder.encode_queries([core.lexicon.expand_query(question)])[0]
    with_second = joint.verdict(snap, vec, question)
    seen = second.calls[-1]
    without = alone.verdict(snap, vec, question)
    assert seen == 1 and with_second is not None and without is not None
    assert with_second.margin < 0 and without.margin < 0
    assert with_second.margin != pytest.approx(without.margin)


def test_answer_service_declines_what_the_model_rejects(core: Core) -> None:
    model = _model(core, None, CountingEncoder(), LIFE_MORE)
    gated = AnswerService(core.store, core.lexicon, scope_model=model)
    gated.warm_up()
    a = gated.answer_sync("明天天气怎么样")
    assert a.band is Band.NONE and a.hits == () and a.top[0][0] == "scope:model"
    assert "不在本局企业金融政策咨询的范围内" in a.reply
    ok = gated.answer_sync("政府性融资担保的担保费率是多少？")
    assert ok.band is Band.ANSWER and ok.hits[0].faq_id == "credit-001"


def test_a_passage_that_writes_out_the_question_overrules_the_model(core: Core) -> None:
    """Even a question sitting on an out-of-scope example is answered when the best passage
    writes out every content word of it; naming one thing the passage does not keeps the
    refusal."""
    covered = "小额贷款公司借款合同要载明年化综合融资成本吗"
    other = "小额贷款公司借款合同要载明董责险保费吗"
    near = [q + end for q in (covered, other) for end in ("", "？", "呢")]  # 3 neighbours each
    model = _model(core, None, CountingEncoder(), [*LIFE_MORE, *near])
    gated = AnswerService(core.store, core.lexicon, scope_model=model)
    gated.warm_up()
    a = gated.explain(covered)
    assert a.margin is not None and a.cut_off is not None and a.margin < a.cut_off
    assert a.answer.band is not Band.NONE and a.answer.hits[0].section == "第七条 利率披露"
    refused = gated.answer_sync(other)
    assert refused.band is Band.NONE and refused.top[0][0] == "scope:model"


def test_the_overruling_passage_need_not_be_the_first(core: Core) -> None:
    """The passage that writes out the question (二、登记备案服务) is not the first match;
    it still overrules the model."""
    question = "在AMAC完成登记后，私募管理人的首只基金备案有多少奖励？"
    near = [question + end for end in ("", "？", "呢")]
    model = _model(core, None, CountingEncoder(), [*LIFE_MORE, *near])
    gated = AnswerService(core.store, core.lexicon, scope_model=model)
    gated.warm_up()
    a = gated.explain(question)
    assert a.margin is not None and a.cut_off is not None and a.margin < a.cut_off
    assert not a.entries[0].section.startswith("二、")
    assert a.answer.band is not Band.NONE
    assert any(h.section.startswith("二、登记备案") for h in a.answer.hits)


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
    on = load_settings(
        data_dir=tmp_path / "on",
        embedding_model="e5-small",
        scope_encoder="hashing",
        cache_dir=tmp_path / "on",
    )
    alone = load_settings(
        data_dir=tmp_path / "alone",
        embedding_model="e5-small",
        scope_encoder="none",
        cache_dir=tmp_path / "alone",
    )
    off = load_settings(data_dir=tmp_path, embedding_model="e5-small", scope_model=False)
    snap = core.store.snapshot()
    for settings, caches in ((on, 2), (alone, 1)):
        settings.data_dir.mkdir()
        model = build_scope_model(settings, _Plain(), core.lexicon)
        assert isinstance(model, ScopeModel) and model.nearest_for(snap) is not None
        assert len(list(settings.data_dir.glob("scope-vectors-*.npz"))) == caches
    assert build_scope_model(off, _Plain(), core.lexicon) is None
    assert build_scope_model(on, HashingEncoder(), core.lexicon) is None


def test_the_in_scope_side_is_the_knowledge_bases_own_titles_and_headings(core: Core) -> None:
    """Evidence comes from what the bureau loaded: "title heading" for each titled section,
    only of documents in force (the sample's superseded 2021 reward is not evidence)."""
    evidence = evidence_of(core.store.snapshot(), core.answers.today())
    assert "青禾区政府性融资担保业务管理办法 担保费率" in evidence  # 第六条 担保费率
    assert "青禾区政府性融资担保业务管理办法" in evidence
    assert not any(e.startswith("青禾区推动企业上市挂牌奖励办法 ") for e in evidence)  # 2021


UNTITLED = (
    "示范区应急转贷资金管理办法\n\n第一章　总则\n\n"
    "第一条　为帮助中小微企业按期还贷续贷，制定本办法。\n\n"
    "第二条　应急转贷资金规模为3亿元，由区财政全额出资；委托区转贷公司运营。\n\n"
    "第三条　详见附件。\n"
)


def test_an_untitled_article_is_evidence_by_its_opening_clause(tmp_path: Path) -> None:
    """A measure that numbers its articles without naming them ("第二条　应急转贷资金规模为3亿
    元…") says what it covers in each article's first words: they are evidence, a chapter line
    and the article number left out; a clause too short to say anything ("详见附件") is not."""
    assert opening_clause("第一章　总则\n第二条　应急转贷资金规模为3亿元，由区财政全额出资。") == (
        "应急转贷资金规模为3亿元，由区财政全额出资"
    )
    assert opening_clause("（三）" + "很" * 60 + "。") == "很" * OPENING_MAX
    assert opening_clause("第三条　详见附件。") == ""
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    kb = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    kb.kb.add_bytes(UNTITLED.encode(), "bridge.txt")
    evidence = evidence_of(kb.store.snapshot(), date(2026, 6, 1))
    assert "应急转贷资金规模为3亿元，由区财政全额出资" in evidence
    assert "为帮助中小微企业按期还贷续贷，制定本办法" in evidence
    assert not any("详见附件" in e or e.startswith("第") for e in evidence)


def test_a_huge_knowledge_base_brings_a_bounded_number_of_opening_clauses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each opening clause is encoded at ingest and compared with every question: past
    MAX_OPENINGS they are spread evenly over the documents instead of all taken."""
    monkeypatch.setattr(scope_model, "MAX_OPENINGS", 1)
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    kb = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    kb.kb.add_bytes(UNTITLED.encode(), "bridge.txt")
    evidence = evidence_of(kb.store.snapshot(), date(2026, 6, 1))
    assert "为帮助中小微企业按期还贷续贷，制定本办法" in evidence
    assert "应急转贷资金规模为3亿元，由区财政全额出资" not in evidence


def test_the_cut_off_is_calibrated_on_the_knowledge_base_itself() -> None:
    """Probes (shipped in-scope examples) scored leave-one-out: a knowledge base whose
    evidence sits nearer everyday questions gets a higher cut-off, a sparser one a lower."""
    rng = np.random.default_rng(11)
    centre = rng.normal(size=16)
    neg = _unit(-centre + 0.3 * rng.normal(size=(50, 16))).astype(np.float32)
    probes = _unit(centre + 0.3 * rng.normal(size=(20, 16))).astype(np.float32)
    dense_kb = np.vstack([probes, _unit(centre + 0.3 * rng.normal(size=(200, 16)))])
    sparse_kb = np.vstack([probes, _unit(centre + 1.5 * rng.normal(size=(200, 16)))])
    index = np.arange(20)
    dense_cut = calibrated_threshold(dense_kb.astype(np.float32), neg, index)
    sparse_cut = calibrated_threshold(sparse_kb.astype(np.float32), neg, index)
    assert dense_cut > sparse_cut
    margins = [NearestExamples(np.delete(dense_kb, i, axis=0).astype(np.float32), neg)
               .margin(dense_kb[i]) for i in index]  # fmt: skip
    expected = float(np.percentile(margins, CALIBRATION_QUANTILE)) - CALIBRATION_SLACK
    assert dense_cut == pytest.approx(expected, abs=1e-5)
    assert calibrated_threshold(dense_kb.astype(np.float32), neg, np.array([], dtype=int)) == 0.0


ENGLISH_MORE = [f"How do I apply for subsidy number {i}?" for i in range(MIN_EXAMPLES)]


def test_the_latin_centre_is_the_mean_of_the_shipped_latin_examples(core: Core) -> None:
    """Where a typical English question sits (the centred ranking subtracts it); Chinese
    examples do not count, and with too few Latin ones there is no centre."""
    enc = CountingEncoder()
    model = ScopeModel(
        ScopeExamples(tuple(LIFE_MORE + ENGLISH_MORE[:5]), tuple(ENGLISH_MORE[5:])),
        Encoding("hashing:256", enc, core.lexicon.expand_query),
    )
    centre = model.latin_centre()
    expected = HashingEncoder().encode_queries([core.lexicon.expand_query(t) for t in ENGLISH_MORE])
    assert centre is not None
    np.testing.assert_allclose(centre, expected.mean(axis=0), atol=1e-6)
    assert model.latin_centre() is centre and enc.calls == [len(ENGLISH_MORE)]  # once
    few = ScopeModel(ScopeExamples(tuple(LIFE_MORE), tuple(ENGLISH_MORE[:3])),
                     Encoding("hashing:256", CountingEncoder(), core.lexicon.expand_query))  # fmt: skip
    assert few.latin_centre() is None


def test_only_a_latin_script_question_is_ranked_by_centred_cosine(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = ScopeModel(
        ScopeExamples(tuple(LIFE_MORE + ENGLISH_MORE), ()),
        Encoding("hashing:256", CountingEncoder(), core.lexicon.expand_query),
    )
    service = AnswerService(core.store, core.lexicon, scope_model=model)
    service.warm_up()
    centres: list[np.ndarray | None] = []
    search = Snapshot.search

    def recording(self: Snapshot, *args: object, **kwargs: object) -> object:
        centres.append(kwargs.get("centre"))  # type: ignore[arg-type]
        return search(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Snapshot, "search", recording)
    service.answer_sync("What is the guarantee fee rate of the government guarantee?")
    chinese = service.answer_sync("政府性融资担保的担保费率是多少？")
    assert centres[0] is not None and centres[0] is model.latin_centre()
    assert centres[1] is None and chinese.band is Band.ANSWER


def test_two_processes_writing_the_vector_cache_keep_each_others_vectors(tmp_path: Path) -> None:
    """The bot and `finbot kb add` share the cache file. While the bot encodes, the CLI
    saves a new document's evidence; the bot's save keeps it (the last writer used to drop
    it, and the next start re-encoded those texts before the first answer)."""
    encoded: list[str] = []
    during: list[Callable[[], object]] = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        encoded.extend(texts)
        while during:
            during.pop()()  # the other process saves in the middle of this encoding
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0

    encoding = Encoding("test:ones", encode, lambda text: text)
    bot, cli = VectorCache(encoding, tmp_path), VectorCache(encoding, tmp_path)
    bot.vectors(["担保费率是多少"])
    during.append(lambda: cli.vectors(["新文件的标题"]))
    bot.vectors(["上市奖励"])
    encoded.clear()
    VectorCache(encoding, tmp_path).vectors(["担保费率是多少", "新文件的标题", "上市奖励"])
    assert encoded == []  # all three came from the file
