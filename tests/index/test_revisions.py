"""Document revisions: a new text keeps the old one, a rollback re-publishes it, both commit
with the generation, and kept originals survive the clean-up."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.revisions as revisions_mod
import index.store as store_mod
from bot.knowledge_base import KnowledgeBase
from index.catalog import DocRecord
from index.encoders import HashingEncoder
from index.lexicon import Lexicon
from index.revisions import (
    Revision,
    RevisionError,
    history_from_json,
    history_to_json,
    kept_files,
    restore_record,
    revise,
)
from index.sparse import CharNgramTokenizer
from index.store import KnowledgeStore
from knowledge.documents import parse_document


def doc(body: str, number: str = "青金发〔2025〕1号") -> bytes:
    return (
        f"# 贴息办法\n\n- 文号：{number}\n- 施行日期：2025年1月1日\n\n### 第一条 内容\n\n{body}\n"
    ).encode()


def record(body: str, added_by: str | None = None) -> DocRecord:
    return DocRecord(parse_document(doc(body), "a.md"), "2026-01-01T00:00:00+00:00", None, added_by)


def make_kb(root: Path) -> KnowledgeBase:
    tokenize = CharNgramTokenizer(Lexicon.load()).tokenize
    store = KnowledgeStore(root / "index", HashingEncoder(), tokenize)
    store.load()
    return KnowledgeBase(store, root / "files")


def texts(kb: KnowledgeBase) -> str:
    return "".join(c.text for c in kb.store.snapshot().chunks.values())


# ------------------------------------------------------------------ pure parts
def test_revise_numbers_new_texts_and_keeps_the_old_one() -> None:
    first, kept = revise(None, record("比例为50%。"), (), "t1")
    assert first.revision == 1 and kept == ()
    second, kept = revise(first, record("比例为60%。", "7"), kept, "t2")
    assert second.revision == 2
    assert [(r.number, r.replaced_at, r.replaced_by) for r in kept] == [(1, "t2", "7")]
    same, kept_same = revise(second, record("比例为60%。"), kept, "t3")
    assert same.revision == 2 and kept_same == kept  # same text, other details: no revision


def test_restore_record_refuses_current_and_unknown_numbers() -> None:
    first, kept = revise(None, record("比例为50%。"), (), "t1")
    second, kept = revise(first, record("比例为60%。"), kept, "t2")
    with pytest.raises(RevisionError) as exc:
        restore_record(second, kept, 2, "9", "t3")
    assert exc.value.code == "already_current"
    with pytest.raises(RevisionError) as exc:
        restore_record(second, kept, 7, "9", "t3")
    assert exc.value.code == "no_revision"
    back = restore_record(second, kept, 1, "9", "t3")
    third, kept = revise(second, back, kept, "t3")
    assert (third.revision, third.restored_from, third.added_by) == (3, 1, "9")
    assert third.doc.content_hash == first.doc.content_hash
    assert [r.number for r in kept] == [1, 2]


def test_history_json_round_trip_and_kept_files() -> None:
    old = DocRecord(parse_document(doc("比例为50%。"), "a.md"), "t0", "files/a/x.md", "1")
    history = {"a": (Revision(old, "t1", "2"),)}
    back = history_from_json(history_to_json(history))
    assert back == history
    assert kept_files(back) == {"files/a/x.md"}


# ------------------------------------------------------------------ the store
def test_replacing_keeps_the_earlier_text_and_its_original(tmp_path: Path) -> None:
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md", added_by="1")
    first_file = tmp_path / kb.store.snapshot().docs["a"].stored_file  # type: ignore[operator]
    kb.add_bytes(doc("比例为60%。", "青金发〔2026〕2号"), "a.md", added_by="2")
    history = kb.history("a")
    assert history is not None
    assert [(h.number, h.current, h.doc_number) for h in history] == [
        (2, True, "青金发〔2026〕2号"),
        (1, False, "青金发〔2025〕1号"),
    ]
    assert history[1].replaced_by == "2" and history[1].added_by == "1"
    assert first_file.exists()  # named by a kept revision: not collected
    assert kb.history("nope") is None


def test_only_the_newest_earlier_texts_are_kept_and_the_oldest_original_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(revisions_mod, "KEEP_REVISIONS", 2)
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    first_file = tmp_path / kb.store.snapshot().docs["a"].stored_file  # type: ignore[operator]
    for share in (60, 70, 80):
        kb.add_bytes(doc(f"比例为{share}%。"), "a.md")
    history = kb.history("a")
    assert history is not None
    assert [(h.number, h.current) for h in history] == [(4, True), (3, False), (2, False)]
    assert not first_file.exists()  # r1 is no longer kept: its original is collected
    with pytest.raises(RevisionError):
        kb.rollback("a", 1, "9")
    assert kb.rollback("a", 2, "9").number == 5  # numbers never repeat


def test_rollback_republishes_as_a_new_revision_and_survives_reload(tmp_path: Path) -> None:
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    kb.add_bytes(doc("比例为60%。"), "a.md")
    generation = kb.store.snapshot().generation
    info = kb.rollback("a", 1, "9")
    assert (info.number, info.restored_from, info.current) == (3, 1, True)
    assert kb.store.snapshot().generation == generation + 1
    assert "50%" in texts(kb) and "60%" not in texts(kb)
    reloaded = make_kb(tmp_path)
    history = reloaded.history("a")
    assert history is not None and [h.number for h in history] == [3, 2, 1]
    assert reloaded.store.snapshot().docs["a"].revision == 3
    with pytest.raises(RevisionError):
        reloaded.rollback("a", 1, "9")  # the very text that is current


def test_removal_drops_the_history_and_its_originals(tmp_path: Path) -> None:
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    kb.add_bytes(doc("比例为60%。"), "a.md")
    assert len(list((tmp_path / "files").rglob("*.md"))) == 2
    kb.remove("a")
    assert not list((tmp_path / "files").rglob("*.md"))
    kb.add_bytes(doc("比例为70%。"), "a.md")
    assert [h.number for h in kb.history("a") or []] == [1]


def test_rebuild_keeps_numbers_and_history(tmp_path: Path) -> None:
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    kb.add_bytes(doc("比例为60%。"), "a.md")
    kb.rebuild()
    assert [h.number for h in kb.history("a") or []] == [2, 1]
    kb.rollback("a", 1, None)
    assert "50%" in texts(kb)


def test_a_killed_rollback_publishes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    kb.add_bytes(doc("比例为60%。"), "a.md")

    def boom(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store_mod, "_write_json", boom)
    with pytest.raises(OSError):
        kb.rollback("a", 1, "9")
    monkeypatch.undo()
    reloaded = make_kb(tmp_path)
    assert "60%" in texts(reloaded) and "50%" not in texts(reloaded)
    assert [h.number for h in reloaded.history("a") or []] == [2, 1]
    assert reloaded.rollback("a", 1, "9").number == 3


def test_a_second_process_sees_the_rollback_and_continues_numbering(tmp_path: Path) -> None:
    bot = make_kb(tmp_path)
    cli = make_kb(tmp_path)
    cli.add_bytes(doc("比例为50%。"), "a.md")
    cli.add_bytes(doc("比例为60%。"), "a.md")
    assert bot.store.reload_if_changed()
    bot.rollback("a", 1, "9")
    cli.add_bytes(doc("比例为80%。"), "a.md")  # catches up under the lock first
    assert [h.number for h in cli.history("a") or []] == [4, 3, 2, 1]


def test_a_rollback_encodes_nothing_even_after_the_vector_cache_is_compacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("index.vectors.COMPACT_MIN_ROWS", 0)  # compact on every commit
    monkeypatch.setattr("index.vectors.COMPACT_FACTOR", 0)
    kb = make_kb(tmp_path)
    kb.add_bytes(doc("比例为50%。"), "a.md")
    kb.add_bytes(doc("比例为60%。"), "a.md")
    assert kb.store.restore("a", 1, "9").embedded == 0  # kept revisions' vectors stay cached
