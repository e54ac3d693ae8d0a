"""KnowledgeStore with the HashingEncoder: add/replace/remove, persistence, crash safety."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import index.store as store_mod
from bot.config import load_settings
from bot.core import build_core
from bot.knowledge_base import KnowledgeBase
from index.encoders import HashingEncoder
from index.entries import FaqEntry
from index.lexicon import Lexicon
from index.sparse import CharNgramTokenizer
from index.store import KnowledgeStore


class CountingEncoder(HashingEncoder):
    """Counts passages embedded, to prove unchanged content is never embedded again."""

    def __init__(self, dim: int = 256) -> None:
        super().__init__(dim)
        self.passages = 0

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages += len(texts)
        return super().encode_passages(texts)


def doc(title: str, number: str, body: str) -> bytes:
    return f"# {title}\n\n- 文号：{number}\n- 施行日期：2025年1月1日\n\n### 第一条 内容\n\n{body}\n".encode()


def make_kb(root: Path, encoder: HashingEncoder) -> KnowledgeBase:
    store = KnowledgeStore(root / "index", encoder, CharNgramTokenizer(Lexicon.load()).tokenize)
    store.load()
    return KnowledgeBase(store, root / "files")


def test_add_replace_remove_and_reload(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(doc("贴息办法", "青金发〔2025〕1号", "贷款贴息比例为50%。"), "a.md")
    kb.add_bytes(doc("担保办法", "青金发〔2025〕2号", "担保费率为0.8%。"), "b.md")
    assert sorted(d.title for d in kb.list()) == ["担保办法", "贴息办法"]
    report = kb.add_bytes(doc("贴息办法", "青金发〔2025〕1号", "贷款贴息比例为60%。"), "a.md")
    assert report.ok
    (a_id,) = [d.doc_id for d in kb.list() if d.title == "贴息办法"]
    assert any("60%" in c.text for c in kb.store.snapshot().chunks.values())
    assert not any("50%" in c.text for c in kb.store.snapshot().chunks.values())
    assert kb.remove(a_id) and not kb.remove(a_id)

    reloaded = make_kb(tmp_path, HashingEncoder())
    assert [d.title for d in reloaded.list()] == ["担保办法"]
    assert reloaded.store.snapshot().generation == kb.store.snapshot().generation


def test_unchanged_readd_embeds_nothing(tmp_path: Path) -> None:
    enc = CountingEncoder()
    kb = make_kb(tmp_path, enc)
    data = doc("担保办法", "青金发〔2025〕2号", "担保费率为0.8%。")
    kb.add_bytes(data, "b.md")
    first = enc.passages
    assert first > 0
    result = kb.store.apply(upsert=[kb.store.snapshot().docs[kb.list()[0].doc_id]])
    assert result.embedded == 0 and result.unchanged
    kb.add_bytes(data, "b.md")
    assert enc.passages == first
    kb.add_bytes(doc("新办法", "青金发〔2025〕3号", "新内容。"), "c.md")
    assert 0 < enc.passages - first < first + 3  # only the new document's passages


def test_crash_during_save_keeps_previous_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(doc("担保办法", "青金发〔2025〕2号", "担保费率为0.8%。"), "b.md")
    live = (tmp_path / "index" / "CURRENT").read_text()

    def crash(path: Path, data: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store_mod, "_write_json", crash)
    with pytest.raises(OSError, match="disk full"):
        kb.add_bytes(doc("新办法", "青金发〔2025〕3号", "新内容。"), "c.md")
    monkeypatch.undo()
    assert (tmp_path / "index" / "CURRENT").read_text() == live
    assert not [p for p in (tmp_path / "index").iterdir() if p.name.startswith(".tmp-")]
    survivor = make_kb(tmp_path, HashingEncoder())
    assert [d.title for d in survivor.list()] == ["担保办法"]


def test_encoder_mismatch_rebuilds_from_catalogue(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, HashingEncoder(256))
    kb.add_bytes(doc("担保办法", "青金发〔2025〕2号", "担保费率为0.8%。"), "b.md")
    kb.put_faqs([FaqEntry("credit-1", ("担保费率是多少",), "0.8%")])
    other = make_kb(tmp_path, HashingEncoder(128))
    snap = other.store.snapshot()
    assert snap.dim == 128 and [d.title for d in other.list()] == ["担保办法"]
    assert list(snap.faqs) == ["credit-1"]
    assert snap.generation > kb.store.snapshot().generation


def test_build_core_uses_settings_data_dir(tmp_path: Path) -> None:
    core = build_core(load_settings(data_dir=tmp_path, embedding_model="hashing"))
    assert core.store.root == tmp_path / "index" and core.kb.is_empty()


def test_the_same_text_chunked_under_new_labels_is_re_indexed(tmp_path: Path) -> None:
    """A newer chunker may label the same passages differently ("（三）并购落地奖励" under
    "二、支持措施"); re-adding the document must take the new labels, not keep the old."""
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(doc("并购通知", "青金发〔2025〕4号", "按交易额1%奖励。"), "m.md")
    rec = kb.store.snapshot().docs[kb.list()[0].doc_id]
    relabelled = replace(
        rec,
        doc=replace(rec.doc, chunks=tuple(replace(c, section="新标签") for c in rec.doc.chunks)),
    )
    result = kb.store.apply(upsert=[relabelled])
    assert result.replaced and not result.unchanged
    assert {c.section for c in kb.store.snapshot().chunks.values()} == {"新标签"}


def test_a_passage_whose_document_changed_title_is_embedded_again(tmp_path: Path) -> None:
    """A passage's id follows its own text, but what is embedded carries its document's title
    and section: re-added under a corrected title (or read by a newer reader that finds the
    title better), the passage is embedded with the new title, not kept with the old vector
    (fengzhu: 84 of 312 vectors of a bench index grown over sessions held old titles)."""
    enc = CountingEncoder()
    kb = make_kb(tmp_path, enc)
    body = "担保费率为0.8%，单户补贴最高10万元。"
    kb.add_bytes(doc("关于印发的通知", "青金发〔2025〕2号", body), "b.md")
    first = enc.passages
    kb.add_bytes(doc("青禾区融资担保降费办法", "青金发〔2025〕2号", body), "b.md")
    assert enc.passages > first
    snap = kb.store.snapshot()
    for ref in snap.entries.values():
        assert ref.embed_text.startswith("青禾区融资担保降费办法")
        stored = snap.dense.reconstruct(ref.entry_id)
        assert stored is not None
        expected = enc.encode_passages([ref.embed_text])[0]
        assert np.allclose(stored, expected, atol=1e-5)


def test_passages_an_upgrade_embeds_otherwise_are_embedded_again_on_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer finbot may read a document's title better while its passages keep their ids:
    loading the index it finds, it embeds again just the passages whose embedded text is not
    what their vectors were made of, in a new generation, and a second load embeds nothing."""
    kb = make_kb(tmp_path, CountingEncoder())
    kb.add_bytes(doc("贴息办法", "青金发〔2025〕1号", "贷款贴息比例为50%。"), "a.md")
    kb.add_bytes(doc("担保办法", "青金发〔2025〕2号", "担保费率为0.8%。"), "b.md")
    generation = kb.store.snapshot().generation
    guarantee = [c for c in kb.store.snapshot().chunks.values() if c.doc_id == "b"]
    original = store_mod.chunk_embed_text

    def newer(rec: object, section: str, text: str) -> str:
        return original(rec, section, text).replace("担保办法", "青禾区融资担保降费办法")  # type: ignore[arg-type]

    monkeypatch.setattr(store_mod, "chunk_embed_text", newer)
    encoder = CountingEncoder()
    snap = make_kb(tmp_path, encoder).store.snapshot()
    assert snap.generation == generation + 1
    assert encoder.passages == len(guarantee)
    for ref in snap.entries.values():
        stored = snap.dense.reconstruct(ref.entry_id)
        assert stored is not None
        assert np.allclose(stored, encoder.encode_passages([ref.embed_text])[0], atol=1e-5)
    again = CountingEncoder()
    assert make_kb(tmp_path, again).store.snapshot().generation == generation + 1
    assert again.passages == 0
