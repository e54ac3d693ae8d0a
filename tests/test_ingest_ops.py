"""Ingest as operators live it: resumable encoding, progress, originals committed with the index,
what one document may cost, any file name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import index.store as store_mod
from bot.knowledge_base import DocumentTooBigError, KnowledgeBase
from index.encoders import HashingEncoder
from index.lexicon import Lexicon
from index.sparse import CharNgramTokenizer
from index.store import KnowledgeStore
from knowledge.errors import IngestError


class Killed(Exception):
    """Stands for the process dying in the middle of encoding."""


class FlakyEncoder(HashingEncoder):
    """Counts passages encoded; dies after `fail_after` batches when asked to."""

    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__(256)
        self.passages = 0
        self.batches = 0
        self.fail_after = fail_after

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise Killed
        self.batches += 1
        self.passages += len(texts)
        return super().encode_passages(texts)


def policy(title: str, articles: int, word: str = "补贴") -> bytes:
    lines = [f"# {title}", "", "- 文号：青金发〔2025〕9号", "- 施行日期：2025年1月1日", ""]
    for i in range(1, articles + 1):
        lines += [f"第{i}条 本区对符合条件的企业给予{word}{i}万元，申请材料第{i}项。", ""]
    return "\n".join(lines).encode()


def make_kb(root: Path, encoder: HashingEncoder, **limits: int) -> KnowledgeBase:
    store = KnowledgeStore(root / "index", encoder, CharNgramTokenizer(Lexicon.load()).tokenize)
    store.load()
    return KnowledgeBase(store, root / "files", **limits)


def write_folder(folder: Path, docs: int, articles: int = 12) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for d in range(docs):
        (folder / f"p{d:03d}.md").write_bytes(policy(f"政策{d}", articles, word=f"奖励{d}"))


def stored_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in (root / "files").rglob("*") if p.is_file()}


@pytest.fixture(autouse=True)
def batches_of_32(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_mod, "EMBED_BATCH", 32)


def test_a_failed_ingest_run_again_encodes_only_what_is_missing(tmp_path: Path) -> None:
    write_folder(tmp_path / "src", docs=8)  # 8 × 12 passages = 96 = 3 batches
    dying = FlakyEncoder(fail_after=2)
    with pytest.raises(Killed):
        make_kb(tmp_path / "data", dying).add_paths([tmp_path / "src"])
    assert make_kb(tmp_path / "data", HashingEncoder()).list() == []  # nothing published

    again = FlakyEncoder()
    report = make_kb(tmp_path / "data", again).add_paths([tmp_path / "src"])
    assert report.ok and len(report.added) == 8
    total = sum(d.chunks for d in make_kb(tmp_path / "data", HashingEncoder()).list())
    assert total == 96
    assert again.passages == report.embedded == total - dying.passages == 96 - 64


def test_an_unchanged_document_is_never_encoded_twice(tmp_path: Path) -> None:
    enc = FlakyEncoder()
    kb = make_kb(tmp_path, enc)
    kb.add_bytes(policy("贴息办法", 5), "a.md")
    first = enc.passages
    assert first == 5
    (doc_id,) = [d.doc_id for d in kb.list()]
    assert kb.remove(doc_id)
    kb.add_bytes(policy("贴息办法", 5), "a.md")  # removed, then added back
    kb.rebuild()
    fresh = FlakyEncoder()  # another process, e.g. `finbot kb add` after the bot ran
    make_kb(tmp_path, fresh).add_bytes(policy("贴息办法", 5), "renamed.md")
    assert enc.passages == first and fresh.passages == 0
    assert (
        make_kb(tmp_path, HashingEncoder())
        .store.snapshot()
        .dense.search(HashingEncoder().encode_queries(["贴息办法 补贴1万元"]), 1)
    )


def test_progress_reports_done_total_rate_and_time_left(tmp_path: Path) -> None:
    write_folder(tmp_path / "src", docs=6)  # 72 passages: 3 batches of 32, 32, 8
    seen: list[tuple[int, int, float | None, float | None]] = []
    make_kb(tmp_path / "data", HashingEncoder()).add_paths(
        [tmp_path / "src"], progress=lambda d, t, r, e: seen.append((d, t, r, e))
    )
    assert [(d, t) for d, t, _, _ in seen] == [(0, 72), (32, 72), (64, 72), (72, 72)]
    assert seen[0][2:] == (None, None)
    assert all(r is not None and r > 0 and e is not None and e >= 0 for _, _, r, e in seen[1:])
    assert seen[-1][3] == 0
    legacy: list[tuple[int, int]] = []  # the earlier (done, total) form still works
    make_kb(tmp_path / "data2", HashingEncoder()).add_bytes(
        policy("担保办法", 3), "b.md", progress=lambda d, t: legacy.append((d, t))
    )
    assert legacy == [(0, 3), (3, 3)]


def test_an_original_is_published_only_with_the_generation_that_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 #2: v2 (a draft) written to files/ by a run that dies before its commit
    must not be what `kb rebuild` publishes later."""
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(policy("贴息办法", 3, word="补贴"), "a.md")
    v1_files = stored_files(tmp_path)

    def die(self: KnowledgeStore, *_commit: object) -> None:
        raise Killed

    monkeypatch.setattr(store_mod.KnowledgeStore, "_save", die)
    with pytest.raises(Killed):
        kb.add_bytes(policy("贴息办法", 3, word="草稿"), "a.md")
    monkeypatch.undo()

    after = make_kb(tmp_path, HashingEncoder())
    after.rebuild()
    texts = [c.text for c in after.store.snapshot().chunks.values()]
    assert texts and all("补贴" in t and "草稿" not in t for t in texts)
    assert stored_files(tmp_path) == v1_files  # the draft's original is gone too


def test_removing_a_document_removes_its_original_with_the_commit(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(policy("贴息办法", 3), "a.md")
    kb.add_bytes(policy("担保办法", 3), "b.md")
    assert len(stored_files(tmp_path)) == 2
    (a_id,) = [d.doc_id for d in kb.list() if d.title == "贴息办法"]
    kb.remove(a_id)
    assert len(stored_files(tmp_path)) == 1 and not (tmp_path / "files" / a_id).exists()


@pytest.mark.parametrize("name_bytes", [251, 255])
def test_a_file_name_of_251_bytes_or_more_is_added(tmp_path: Path, name_bytes: int) -> None:
    stem = "政" * ((name_bytes - 3) // 3)
    name = stem + "x" * (name_bytes - 3 - len(stem.encode())) + ".md"
    assert len(name.encode()) == name_bytes
    src = tmp_path / "src"
    src.mkdir()
    (src / name).write_bytes(policy("长文件名的政策", 2))
    (src / "bad.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    kb = make_kb(tmp_path / "data", HashingEncoder())
    report = kb.add_paths([src], skip_bad=True)
    assert [e.code for e in report.errors] == ["binary_disguised"] and len(report.added) == 1
    (info,) = kb.list()
    assert info.source == name and info.title == "长文件名的政策"
    assert len(stored_files(tmp_path / "data")) == 1  # nothing for the bad file
    # a name longer than any file system allows, as an upload may carry
    longer = "补" * 120 + ".md"
    assert kb.add_bytes(policy("上传的政策", 2), longer).ok
    assert {d.source for d in kb.list()} == {name, longer}
    kb.rebuild()  # the originals are found again by their stored names
    assert len(stored_files(tmp_path / "data")) == 2


def test_a_document_beyond_the_limits_is_refused_with_the_limit(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, HashingEncoder(), max_chunks=10, max_chars=200)
    with pytest.raises(DocumentTooBigError) as chunks:
        kb.add_bytes(policy("长政策", 11), "long.md")
    assert chunks.value.code == "too_many_chunks"
    assert "at most 10" in chunks.value.message("en") and "11 passages" in chunks.value.message(
        "en"
    )
    assert "最多 10 个段落" in chunks.value.message("zh")
    with pytest.raises(IngestError) as chars:
        kb.parse_bytes(policy("长政策", 9), "wordy.md")
    assert chars.value.code == "too_much_text"
    assert "at most 200 characters" in chars.value.message("en")
    assert "最多 200 个字" in chars.value.message("zh")
    assert kb.list() == [] and not (tmp_path / "files").exists()
    report = kb.add_paths([_folder_with(tmp_path / "src", policy("长政策", 11))])
    assert [e.code for e in report.errors] == ["too_many_chunks"] and kb.list() == []


def _folder_with(folder: Path, data: bytes) -> Path:
    folder.mkdir()
    (folder / "long.md").write_bytes(data)
    return folder


def test_the_vector_cache_is_compacted_to_the_live_index_when_it_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.vectors as vectors_mod

    monkeypatch.setattr(vectors_mod, "COMPACT_MIN_ROWS", 20)
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(policy("贴息办法", 4), "a.md")
    for i in range(6):  # drafts come and go (a removed document keeps no revisions)
        kb.add_bytes(policy("草稿", 4, word=f"草稿{i}"), "draft.md")
        assert kb.remove("draft")
    (cache,) = (tmp_path / "index" / "vectors").glob("*.vec")
    rows = (cache.stat().st_size - vectors_mod.HEADER) // (32 + 4 * 256)
    assert rows < 3 * 8  # compacted, not 28 rows
    fresh = FlakyEncoder()
    make_kb(tmp_path, fresh).rebuild()
    assert fresh.passages == 0  # what the live index holds is still cached


def test_bm25_grown_in_small_batches_ranks_like_one_built_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_folder(tmp_path / "src", docs=5)
    whole = make_kb(tmp_path / "whole", HashingEncoder())
    whole.add_paths([tmp_path / "src"])
    monkeypatch.setattr(store_mod, "TOKENIZE_BATCH", 50)  # a merge every couple of passages
    pieces = make_kb(tmp_path / "pieces", HashingEncoder())
    pieces.add_paths([tmp_path / "src"])
    query = CharNgramTokenizer(Lexicon.load()).tokenize("奖励3 补贴5万元 申请材料")
    a = whole.store.snapshot().sparse.search(query, 10)
    b = pieces.store.snapshot().sparse.search(query, 10)
    assert [i for i, _ in a] == [i for i, _ in b]
    assert np.allclose([s for _, s in a], [s for _, s in b])


def test_a_saved_bm25_index_of_another_lexicon_is_rebuilt_on_load(tmp_path: Path) -> None:
    kb = make_kb(tmp_path, HashingEncoder())
    kb.add_bytes(policy("应急转贷办法", 2, word="过桥资金"), "a.md")
    tokenize = CharNgramTokenizer(Lexicon.load()).tokenize
    same = KnowledgeStore(tmp_path / "index", HashingEncoder(), tokenize)
    assert same.load().sparse.vocabulary_size == kb.store.snapshot().sparse.vocabulary_size
    assert not same.snapshot().sparse.search(["给予过桥"], 5)
    extended = Lexicon.from_mapping({"terms": ["给予过桥"]})
    other = KnowledgeStore(
        tmp_path / "index",
        HashingEncoder(),
        CharNgramTokenizer(extended).tokenize,
        tokenizer_id="another lexicon",
    )
    snap = other.load()
    assert snap.sparse.search(["给予过桥"], 5)  # the new term was indexed on load
