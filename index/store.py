"""The single writer of the knowledge base index, and its on-disk form.

Layout under the index dir::

    CURRENT            name of the live generation directory (replaced atomically)
    .lock              inter-process writer lock (CLI and bot may both write)
    gen-000007/        config.json, catalog.json, dense.faiss

A save writes a new generation directory under a temporary name, renames it into place
and only then flips CURRENT, so a crash at any point leaves the previous generation
complete and live. Readers in other processes notice a new CURRENT and reload.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from index.catalog import (
    DocRecord,
    faq_from_json,
    faq_to_json,
    record_from_json,
    record_to_json,
)
from index.dense import DenseIndex, IndexMismatchError
from index.encoders import Encoder
from index.entries import EntryRef, FaqEntry, content_key, entry_id_for
from index.snapshot import Snapshot
from index.sparse import BM25Index

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
EMBED_BATCH = 32

Progress = Callable[[int, int], None]
Tokenize = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class ApplyResult:
    snapshot: Snapshot
    embedded: int  # how many new vectors were computed (0 when nothing changed)
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]


def chunk_embed_text(rec: DocRecord, section: str, text: str) -> str:
    """Title and section give a passage its context; the quoted text stays verbatim."""
    head = rec.doc.meta.title
    if section:
        head = f"{head} {section}"
    return f"{head}\n{text}"


class KnowledgeStore:
    """Owns the live snapshot; all writes go through `apply` under one lock."""

    def __init__(self, root: Path, encoder: Encoder, tokenize: Tokenize) -> None:
        self.root = root
        self.encoder = encoder
        self.tokenize = tokenize
        self._write_lock = threading.Lock()
        self._snapshot = self._empty(0)
        self._loaded_pointer: str | None = None

    # ---------------------------------------------------------------- reading
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def pointer(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text("utf-8").strip() or None
        except FileNotFoundError:
            return None

    def changed_on_disk(self) -> bool:
        """True when another process (the CLI) saved a newer generation."""
        return self.pointer() != self._loaded_pointer

    def load(self) -> Snapshot:
        """Load the live generation; on mismatch rebuild from the saved catalogue."""
        pointer = self.pointer()
        if pointer is None:
            self._snapshot = self._empty(0)
            self._loaded_pointer = None
            return self._snapshot
        gen_dir = self.root / pointer
        config = json.loads((gen_dir / "config.json").read_text("utf-8"))
        docs, faqs = self._read_catalog(gen_dir)
        try:
            self._check_config(config)
            dense = DenseIndex.load(gen_dir / "dense.faiss", self.encoder.dim)
        except IndexMismatchError as exc:
            log.warning("index %s does not match the encoder (%s); rebuilding", pointer, exc)
            with self._writer():
                snap = self._build(int(config.get("generation", 0)) + 1, docs, faqs, None, None)
                self._save(snap)
            return self._snapshot
        self._snapshot = self._assemble(int(config["generation"]), docs, faqs, dense)
        self._loaded_pointer = pointer
        return self._snapshot

    def reload_if_changed(self) -> bool:
        if not self.changed_on_disk():
            return False
        self.load()
        return True

    # ---------------------------------------------------------------- writing
    def apply(
        self,
        *,
        upsert: Sequence[DocRecord] = (),
        remove: Iterable[str] = (),
        faqs: Sequence[FaqEntry] | None = None,
        progress: Progress | None = None,
    ) -> ApplyResult:
        """Add/replace documents, remove documents, optionally replace the FAQ set; save."""
        with self._writer():
            self._catch_up()
            base = self._snapshot
            docs = dict(base.docs)
            added: list[str] = []
            replaced: list[str] = []
            unchanged: list[str] = []
            removed: list[str] = []
            for doc_id in remove:
                if docs.pop(doc_id, None) is not None:
                    removed.append(doc_id)
            for rec in upsert:
                old = docs.get(rec.doc_id)
                if old is not None and _same_doc(old, rec):
                    unchanged.append(rec.doc_id)
                    continue
                (replaced if old is not None else added).append(rec.doc_id)
                docs[rec.doc_id] = rec
            new_faqs = dict(base.faqs) if faqs is None else {f.faq_id: f for f in faqs}
            if not (added or replaced or removed) and faqs is None:
                return ApplyResult(base, 0, (), (), (), tuple(unchanged))
            snap, embedded = self._build_counted(
                base.generation + 1, docs, new_faqs, base, progress
            )
            self._save(snap)
            return ApplyResult(
                snap, embedded, tuple(added), tuple(replaced), tuple(removed), tuple(unchanged)
            )

    def rebuild(
        self, progress: Progress | None = None, records: Sequence[DocRecord] | None = None
    ) -> Snapshot:
        """Re-embed everything (new model, new tokeniser, parser fixes)."""
        with self._writer():
            self._catch_up()
            base = self._snapshot
            docs = {r.doc_id: r for r in records} if records is not None else dict(base.docs)
            snap, _ = self._build_counted(
                base.generation + 1, docs, dict(base.faqs), None, progress
            )
            self._save(snap)
            return snap

    # ---------------------------------------------------------------- internals
    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with self._write_lock, open(self.root / ".lock", "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def _catch_up(self) -> None:
        """Under the writer lock, start from what is on disk (another process may have written)."""
        if self.changed_on_disk():
            self.load()

    def _empty(self, generation: int) -> Snapshot:
        return self._assemble(generation, {}, {}, DenseIndex(self.encoder.dim))

    def _check_config(self, config: dict[str, Any]) -> None:
        if config.get("format_version") != FORMAT_VERSION:
            raise IndexMismatchError(f"format {config.get('format_version')} != {FORMAT_VERSION}")
        if config.get("model") != self.encoder.name:
            raise IndexMismatchError(f"model {config.get('model')!r} != {self.encoder.name!r}")
        if config.get("dim") != self.encoder.dim:
            raise IndexMismatchError(f"dimension {config.get('dim')} != {self.encoder.dim}")

    def _entries_for(
        self, docs: dict[str, DocRecord], faqs: dict[str, FaqEntry]
    ) -> dict[int, EntryRef]:
        entries: dict[int, EntryRef] = {}
        for rec in docs.values():
            for ch in rec.doc.chunks:
                eid = entry_id_for(ch.chunk_id)
                entries[eid] = EntryRef(
                    eid,
                    "chunk",
                    ch.chunk_id,
                    rec.doc_id,
                    chunk_embed_text(rec, ch.section, ch.text),
                )
        for faq in faqs.values():
            for q in faq.questions:
                eid = entry_id_for(f"faq:{faq.faq_id}:{q}")
                entries[eid] = EntryRef(eid, "faq", faq.faq_id, faq.doc_id, q)
        return entries

    def _build_counted(
        self,
        generation: int,
        docs: dict[str, DocRecord],
        faqs: dict[str, FaqEntry],
        base: Snapshot | None,
        progress: Progress | None,
    ) -> tuple[Snapshot, int]:
        counter = [0]
        snap = self._build(generation, docs, faqs, base, progress, counter)
        return snap, counter[0]

    def _build(
        self,
        generation: int,
        docs: dict[str, DocRecord],
        faqs: dict[str, FaqEntry],
        base: Snapshot | None,
        progress: Progress | None,
        counter: list[int] | None = None,
    ) -> Snapshot:
        """Copy-on-write: start from the base dense index, remove what went, embed what is new."""
        entries = self._entries_for(docs, faqs)
        model = self.encoder.name
        if base is not None and base.model == model and base.dim == self.encoder.dim:
            dense = base.dense.copy()
            gone = [eid for eid in base.entries if eid not in entries]
            if gone:
                dense.remove(np.asarray(gone, dtype=np.int64))
            have = set(int(i) for i in dense.ids())
        else:
            dense = DenseIndex(self.encoder.dim)
            have = set()
        todo = [ref for eid, ref in entries.items() if eid not in have]
        # Reuse vectors of identical texts (e.g. a renamed document) instead of re-embedding.
        reuse: dict[int, np.ndarray] = {}
        if base is not None and base.model == model:
            for ref in todo:
                src = base.content_keys.get(content_key(model, ref.embed_text))
                if src is not None and src in base.entries:
                    vec = base.dense.reconstruct(src)
                    if vec is not None:
                        reuse[ref.entry_id] = vec
        if reuse:
            ids = np.fromiter(reuse.keys(), dtype=np.int64, count=len(reuse))
            dense.add(ids, np.stack([reuse[int(i)] for i in ids]).astype(np.float32))
        pending = [ref for ref in todo if ref.entry_id not in reuse]
        total = len(pending)
        if progress is not None:
            progress(0, total)
        for start in range(0, total, EMBED_BATCH):
            batch = pending[start : start + EMBED_BATCH]
            vecs = self.encoder.encode_passages([r.embed_text for r in batch])
            dense.add(np.asarray([r.entry_id for r in batch], dtype=np.int64), vecs)
            if counter is not None:
                counter[0] += len(batch)
            if progress is not None:
                progress(min(start + EMBED_BATCH, total), total)
        return self._assemble(generation, docs, faqs, dense, entries, base)

    def _assemble(
        self,
        generation: int,
        docs: dict[str, DocRecord],
        faqs: dict[str, FaqEntry],
        dense: DenseIndex,
        entries: dict[int, EntryRef] | None = None,
        base: Snapshot | None = None,
    ) -> Snapshot:
        if entries is None:
            entries = self._entries_for(docs, faqs)
        # tokenising is the slow part of a rebuild: reuse the base index's bags of unchanged
        # entries (BM25 needs term counts, not order)
        token_lists: dict[int, list[str]] = {}
        for eid, ref in entries.items():
            prev = base.entries.get(eid) if base is not None else None
            same = prev is not None and prev.embed_text == ref.embed_text
            if base is not None and same and eid in base.sparse:
                token_lists[eid] = base.sparse.tokens_of(eid)
            else:
                token_lists[eid] = self.tokenize(ref.embed_text)
        chunks = {ch.chunk_id: ch for rec in docs.values() for ch in rec.doc.chunks}
        model = self.encoder.name
        keys = {content_key(model, ref.embed_text): eid for eid, ref in entries.items()}
        return Snapshot(
            generation=generation,
            model=model,
            dim=self.encoder.dim,
            docs=docs,
            chunks=chunks,
            faqs=faqs,
            entries=entries,
            content_keys=keys,
            dense=dense,
            sparse=BM25Index.build(token_lists),
        )

    def _read_catalog(self, gen_dir: Path) -> tuple[dict[str, DocRecord], dict[str, FaqEntry]]:
        catalog = json.loads((gen_dir / "catalog.json").read_text("utf-8"))
        docs = {r["doc_id"]: record_from_json(r) for r in catalog.get("documents", [])}
        faqs = {f["faq_id"]: faq_from_json(f) for f in catalog.get("faqs", [])}
        return docs, faqs

    def _save(self, snap: Snapshot) -> None:
        """Write a complete generation dir, rename it into place, then flip CURRENT."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{snap.generation:06d}"
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root))
        try:
            config = {
                "format_version": FORMAT_VERSION,
                "model": snap.model,
                "dim": snap.dim,
                "generation": snap.generation,
                "created": datetime.now(UTC).isoformat(timespec="seconds"),
                "documents": len(snap.docs),
                "chunks": len(snap.chunks),
                "faq_entries": len(snap.faqs),
                "vectors": len(snap.dense),
                "doc_hashes": {d: r.doc.content_hash for d, r in sorted(snap.docs.items())},
            }
            catalog = {
                "documents": [record_to_json(r) for _, r in sorted(snap.docs.items())],
                "faqs": [faq_to_json(f) for _, f in sorted(snap.faqs.items())],
            }
            snap.dense.save(tmp / "dense.faiss")
            _write_json(tmp / "catalog.json", catalog)
            _write_json(tmp / "config.json", config)
            _fsync_dir(tmp)
            final = self.root / name
            if final.exists():
                shutil.rmtree(final)
            os.replace(tmp, final)
            pointer_tmp = self.root / ".CURRENT.tmp"
            pointer_tmp.write_text(name, "utf-8")
            with open(pointer_tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(pointer_tmp, self.root / "CURRENT")
            _fsync_dir(self.root)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        previous = self._loaded_pointer
        self._snapshot = snap
        self._loaded_pointer = name
        self._prune(keep={name, previous})

    def _prune(self, keep: set[str | None]) -> None:
        """Keep the live generation and the one before it (readers may still be loading it)."""
        for child in self.root.iterdir():
            stale = child.name.startswith(("gen-", ".tmp-")) and child.name not in keep
            if stale and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)


def _same_doc(old: DocRecord, new: DocRecord) -> bool:
    return (
        old.superseded_by == new.superseded_by
        and old.doc.content_hash == new.doc.content_hash
        and old.doc.meta == new.doc.meta
        and old.doc.source == new.doc.source
        and [c.chunk_id for c in old.doc.chunks] == [c.chunk_id for c in new.doc.chunks]
    )


def _write_json(path: Path, data: object) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
