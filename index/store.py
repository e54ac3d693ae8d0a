"""The single writer of the knowledge base index, and its on-disk form.

Layout under the index dir::

    CURRENT            name of the live generation directory (replaced atomically)
    .lock              inter-process writer lock (CLI and bot may both write)
    gen-000007/        config.json, catalog.json, dense.faiss, sparse.npz
    vectors/           passage vectors by content hash (index/vectors.py): resumable ingest

A save writes a new generation directory under a temporary name, renames it into place
and only then flips CURRENT, so a crash at any point leaves the previous generation
complete and live. Readers in other processes notice a new CURRENT and reload.

Originals of documents (the uploaded files) are written by the same writer, under the same
lock, just before the generation that refers to them, under names that hold their content
hash: an original belongs to the index only through a catalogue entry, and files that the
live catalogue does not name (left by a killed run, or by a removed document) are deleted
after the next commit. So `kb rebuild`, which re-reads originals through the catalogue,
can never publish a file that was never committed.

Earlier texts of replaced documents (`index/revisions.py`) are kept in each generation's
`history.json`, written and committed with its catalogue; their originals count as named,
so collecting originals never deletes a file that a kept revision may re-publish.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

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
from index.progress import Progress, ProgressFn, RateMeter, as_progress
from index.revisions import (
    History,
    Revision,
    RevisionError,
    history_from_json,
    history_to_json,
    kept_files,
    restore_record,
    revise,
)
from index.snapshot import Snapshot
from index.sparse import BM25Index
from index.vectors import VectorCache

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
EMBED_BATCH = 64  # texts per encoder call (fills e5's 16k-token forward pass) and per cache append
TOKENIZE_BATCH = 2_000_000  # tokens held at once when the BM25 index grows (bounds memory)
# A term's BM25 document frequency counts at most this many passages of one document, so a
# very long policy does not drown its own title words (`BM25Index.capped`). Above the
# largest document of every bench KB (46 passages): their scores are unchanged by it.
DF_PASSAGES_PER_DOCUMENT = 64

__all__ = [
    "ApplyResult",
    "KnowledgeStore",
    "Progress",
    "ProgressFn",
    "RevisionError",
    "chunk_embed_text",
]

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

    def __init__(
        self,
        root: Path,
        encoder: Encoder,
        tokenize: Tokenize,
        *,
        files_dir: Path | None = None,
        tokenizer_id: str = "",
    ) -> None:
        """`files_dir`: where originals are kept (their catalogue paths are relative to its
        parent, the data dir); None keeps no originals. `tokenizer_id` names what `tokenize`
        does (e.g. a digest of the lexicon's terms): a saved BM25 index made by another
        tokenizer is rebuilt on load rather than used."""
        self.root = root
        self.encoder = encoder
        self.tokenize = tokenize
        self.tokenizer_id = tokenizer_id
        self.files_dir = files_dir
        self._write_lock = threading.Lock()
        self._snapshot = self._empty(0)
        self._loaded_pointer: str | None = None
        self._vector_cache: VectorCache | None = None
        self._history: tuple[str | None, dict[str, tuple[Revision, ...]]] = (None, {})

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
                self._save(snap, self._read_history(gen_dir))
            return self._snapshot
        entries = self._entries_for(docs, faqs)
        sparse = _load_sparse(gen_dir / "sparse.npz", entries, self.tokenizer_id)
        generation = int(config["generation"])
        stale = _stale_entries(gen_dir / _EMBEDDED_FILE, entries, self.encoder.name)
        if stale:
            # a newer finbot reads these passages' documents otherwise (a title, a heading):
            # their vectors are of text no longer indexed, and only they are embedded again
            log.info("%d passages read otherwise since indexed; embedding them again", len(stale))
            dense.remove(np.asarray(sorted(stale), dtype=np.int64))
            loaded = self._assemble(generation, docs, faqs, dense, entries, sparse=sparse)
            with self._writer():
                snap = self._build(generation + 1, docs, faqs, loaded, None)
                self._save(snap, self._read_history(gen_dir))
            return self._snapshot
        self._snapshot = self._assemble(generation, docs, faqs, dense, entries, sparse=sparse)
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
        originals: Mapping[str, bytes] | None = None,
    ) -> ApplyResult:
        """Add/replace documents, remove documents, optionally replace the FAQ set; save.

        `originals`: file bytes by their path relative to the data dir (the records'
        `stored_file`), written under the writer lock and committed with the generation.
        """
        with self._writer():
            self._catch_up()
            return self._commit(upsert, remove, faqs, progress, originals or {})

    def restore(
        self, doc_id: str, number: int, by: str | None, progress: Progress | None = None
    ) -> ApplyResult:
        """Re-publish revision `number` of `doc_id` as its next revision (a rollback).

        The same writer, lock and commit as `apply`: readers see the old text or the
        restored one, never a mix, and a killed run publishes nothing. Raises
        `RevisionError` (no such document or revision, or that text is already current)."""
        with self._writer():
            self._catch_up()
            current = self._snapshot.docs.get(doc_id)
            if current is None:
                raise RevisionError("no_document", doc_id, number)
            kept = self._history_for(self._loaded_pointer).get(doc_id, ())
            rec = restore_record(current, kept, number, by, _now())
            return self._commit([rec], (), None, progress, {})

    def history(self, doc_id: str) -> tuple[Revision, ...]:
        """The earlier revisions of `doc_id` (oldest first) in the loaded generation."""
        return self._history_for(self._loaded_pointer).get(doc_id, ())

    def _commit(
        self,
        upsert: Sequence[DocRecord],
        remove: Iterable[str],
        faqs: Sequence[FaqEntry] | None,
        progress: Progress | None,
        originals: Mapping[str, bytes],
    ) -> ApplyResult:
        """Under the writer lock: the next generation from the live one, saved."""
        base = self._snapshot
        docs = dict(base.docs)
        history = dict(self._history_for(self._loaded_pointer))
        now = _now()
        added: list[str] = []
        replaced: list[str] = []
        unchanged: list[str] = []
        removed: list[str] = []
        for doc_id in remove:
            if docs.pop(doc_id, None) is not None:
                removed.append(doc_id)
                history.pop(doc_id, None)  # a removed document takes its history with it
        for rec in upsert:
            old = docs.get(rec.doc_id)
            if old is not None and _same_doc(old, rec):
                unchanged.append(rec.doc_id)
                continue
            (replaced if old is not None else added).append(rec.doc_id)
            rec, history[rec.doc_id] = revise(old, rec, history.get(rec.doc_id, ()), now)
            docs[rec.doc_id] = rec
        new_faqs = dict(base.faqs) if faqs is None else {f.faq_id: f for f in faqs}
        if not (added or replaced or removed) and faqs is None:
            return ApplyResult(base, 0, (), (), (), tuple(unchanged))
        snap, embedded = self._build_counted(base.generation + 1, docs, new_faqs, base, progress)
        self._write_originals(originals, snap)
        self._save(snap, history)
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
            self._save(snap, self._history_for(self._loaded_pointer))
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
            # an entry keeps its vector only while it embeds the same text: a passage's id
            # follows its own text, but what is embedded carries its document's title too, and
            # a document whose title changed (a corrected upload, an upgrade that reads titles
            # better) kept answering by the old one (fengzhu: 84 of 312 vectors of an index
            # grown over sessions held workbook titles no longer read)
            gone = [
                eid
                for eid, ref in base.entries.items()
                if eid not in entries or entries[eid].embed_text != ref.embed_text
            ]
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
        cache = self._cache()
        cached = cache.get_many([ref.embed_text for ref in pending]) if pending else {}
        if cached:
            ids = np.asarray([pending[i].entry_id for i in cached], dtype=np.int64)
            dense.add(ids, np.stack(list(cached.values())).astype(np.float32))
            pending = [ref for i, ref in enumerate(pending) if i not in cached]
        self._encode_into(dense, pending, cache, as_progress(progress), counter)
        return self._assemble(generation, docs, faqs, dense, entries, base)

    def _encode_into(
        self,
        dense: DenseIndex,
        pending: Sequence[EntryRef],
        cache: VectorCache,
        progress: ProgressFn | None,
        counter: list[int] | None,
    ) -> None:
        """Encode in batches; each batch goes to the on-disk cache before the next starts,
        so a killed run loses at most one batch of work."""
        total = len(pending)
        meter = RateMeter(total)
        if progress is not None:
            progress(*_fields(meter.report(0)))
        for start in range(0, total, EMBED_BATCH):
            batch = pending[start : start + EMBED_BATCH]
            texts = [r.embed_text for r in batch]
            vecs = self.encoder.encode_passages(texts)
            cache.put_many(texts, vecs)
            dense.add(np.asarray([r.entry_id for r in batch], dtype=np.int64), vecs)
            if counter is not None:
                counter[0] += len(batch)
            if progress is not None:
                progress(*_fields(meter.report(min(start + EMBED_BATCH, total))))

    def _cache(self) -> VectorCache:
        cache = self._vector_cache
        if cache is None or cache.model != self.encoder.name or cache.dim != self.encoder.dim:
            cache = VectorCache(self.root / "vectors", self.encoder.name, self.encoder.dim)
            self._vector_cache = cache
        return cache

    def _assemble(
        self,
        generation: int,
        docs: dict[str, DocRecord],
        faqs: dict[str, FaqEntry],
        dense: DenseIndex,
        entries: dict[int, EntryRef] | None = None,
        base: Snapshot | None = None,
        *,
        sparse: BM25Index | None = None,
    ) -> Snapshot:
        if entries is None:
            entries = self._entries_for(docs, faqs)
        if sparse is None:
            sparse = self._sparse_for(entries, base)
        group_of = {eid: ref.doc_id for eid, ref in entries.items() if ref.doc_id is not None}
        sparse = sparse.capped(group_of, DF_PASSAGES_PER_DOCUMENT)
        dense.prepare()  # a large index's 8-bit copy is built here, not on the first question
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
            sparse=sparse,
        )

    def _sparse_for(self, entries: dict[int, EntryRef], base: Snapshot | None) -> BM25Index:
        """Tokenising is the slow part of a build: grow the base's BM25 index by the entries
        that are new or changed (its rows of unchanged entries are kept as they are), a
        batch at a time so a large document never holds all its token lists at once."""
        if base is None:
            sparse = BM25Index.build({})
            todo = list(entries)
            removed: list[int] = []
        else:
            sparse = base.sparse
            todo = []
            for eid, ref in entries.items():
                prev = base.entries.get(eid)
                if prev is None or prev.embed_text != ref.embed_text or eid not in sparse:
                    todo.append(eid)
            removed = [eid for eid in base.entries if eid not in entries]
            if not todo and not removed:
                return sparse
        if not todo:
            return sparse.with_changes({}, removed)
        added: dict[int, list[str]] = {}
        held = 0
        intern = sys.intern  # one string per distinct token: millions of bigrams share a few
        for eid in todo:
            tokens = [intern(t) for t in self.tokenize(entries[eid].embed_text)]
            added[eid] = tokens
            held += len(tokens)
            if held >= TOKENIZE_BATCH:  # each merge rebuilds the matrix: few, large batches
                sparse = sparse.with_changes(added, removed)
                added, held, removed = {}, 0, []
        return sparse.with_changes(added, removed) if added or removed else sparse

    def _read_catalog(self, gen_dir: Path) -> tuple[dict[str, DocRecord], dict[str, FaqEntry]]:
        catalog = json.loads((gen_dir / "catalog.json").read_text("utf-8"))
        docs = {r["doc_id"]: record_from_json(r) for r in catalog.get("documents", [])}
        faqs = {f["faq_id"]: faq_from_json(f) for f in catalog.get("faqs", [])}
        return docs, faqs

    def _read_history(self, gen_dir: Path) -> dict[str, tuple[Revision, ...]]:
        """FileNotFoundError when the generation itself is gone."""
        path = gen_dir / "history.json"
        if not path.exists():
            if not gen_dir.is_dir():
                raise FileNotFoundError(gen_dir)
            return {}  # a generation written before revisions were kept
        return history_from_json(json.loads(path.read_text("utf-8")))

    def _history_for(self, pointer: str | None) -> dict[str, tuple[Revision, ...]]:
        """The history committed with generation `pointer`, read once per generation (it
        is only needed by writers and by history listings, never to answer)."""
        cached_pointer, cached = self._history
        if pointer is None:
            return {}
        if pointer != cached_pointer:
            try:
                cached = self._read_history(self.root / pointer)
            except FileNotFoundError:  # pruned by another process's commits: read the live one
                live = self.pointer()
                return self._read_history(self.root / live) if live else {}
            self._history = (pointer, cached)
        return cached

    def _save(self, snap: Snapshot, history: History) -> None:
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
            _save_sparse(tmp / "sparse.npz", snap.sparse, self.tokenizer_id)
            _save_embedded(tmp / _EMBEDDED_FILE, snap.entries, snap.model)
            _write_json(tmp / "catalog.json", catalog)
            kept = {d: h for d, h in history.items() if h and d in snap.docs}
            _write_json(tmp / "history.json", history_to_json(kept))
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
        self._history = (name, kept)
        self._prune(keep={name, previous})
        self._collect_originals(snap, kept)
        # kept revisions' passage vectors stay cached: a rollback encodes nothing
        keep = [ref.embed_text for ref in snap.entries.values()]
        keep += [
            chunk_embed_text(r.record, ch.section, ch.text)
            for revisions in kept.values()
            for r in revisions
            for ch in r.record.doc.chunks
        ]
        self._cache().compact(keep)

    # ---------------------------------------------------------------- originals
    def _write_originals(self, originals: Mapping[str, bytes], snap: Snapshot) -> None:
        """Under the writer lock, before the generation that names them is committed."""
        if not originals:
            return
        if self.files_dir is None:
            raise ValueError("this store keeps no originals (files_dir is None)")
        named = {rec.stored_file for rec in snap.docs.values()}
        data_dir = self.files_dir.parent
        for rel, data in originals.items():
            if rel not in named:
                continue  # e.g. an unchanged document: its original is already there
            target = data_dir / rel
            if target.exists() and target.stat().st_size == len(data):
                continue  # content-addressed name: same name, same bytes
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _fsync_dir(target.parent)

    def _collect_originals(self, snap: Snapshot, history: History) -> None:
        """Delete files under files_dir that the live catalogue does not name: originals of
        removed documents, and whatever a killed run wrote before it could commit. Files
        of kept revisions are named too (a rollback re-publishes them)."""
        if self.files_dir is None or not self.files_dir.is_dir():
            return
        data_dir = self.files_dir.parent
        named = {(data_dir / rec.stored_file) for rec in snap.docs.values() if rec.stored_file}
        named |= {data_dir / rel for rel in kept_files(history)}
        for path in sorted(self.files_dir.rglob("*"), reverse=True):
            try:
                if path.is_dir():
                    if not any(path.iterdir()):
                        path.rmdir()
                elif path not in named:
                    path.unlink()
            except OSError:
                log.warning("could not remove %s", path, exc_info=True)

    def _prune(self, keep: set[str | None]) -> None:
        """Keep the live generation and the one before it (readers may still be loading it)."""
        for child in self.root.iterdir():
            stale = child.name.startswith(("gen-", ".tmp-")) and child.name not in keep
            if stale and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fields(p: Any) -> tuple[int, int, float | None, float | None]:
    return p.done, p.total, p.rate_per_s, p.eta_s


# what each vector of a generation embedded: an entry id and its text's key under the model
_EMBEDDED_FILE: Final = "embedded.npz"


def _text_keys(entries: Mapping[int, EntryRef], model: str) -> tuple[np.ndarray, np.ndarray]:
    ids = np.fromiter(entries.keys(), dtype=np.int64, count=len(entries))
    keys = np.asarray(
        [content_key(model, entries[int(i)].embed_text)[:16] for i in ids], dtype="<U16"
    )
    return ids, keys


def _save_embedded(path: Path, entries: Mapping[int, EntryRef], model: str) -> None:
    ids, keys = _text_keys(entries, model)
    with open(path, "wb") as fh:
        np.savez(fh, ids=ids, keys=keys)
        fh.flush()
        os.fsync(fh.fileno())


def _stale_entries(path: Path, entries: Mapping[int, EntryRef], model: str) -> set[int]:
    """The entries whose saved vector embedded other text than the current code makes of
    them (an upgrade that reads a document's title better): a passage's id follows its own
    text only, so nothing else would notice. A generation saved before this file existed,
    or one unreadable, is taken as it is."""
    if not path.exists():
        return set()
    try:
        with np.load(path, allow_pickle=False) as data:
            saved = dict(zip(data["ids"].tolist(), data["keys"].tolist(), strict=True))
    except (OSError, ValueError, KeyError):
        log.warning("ignoring an unreadable record of embedded texts at %s", path)
        return set()
    ids, keys = _text_keys(entries, model)
    return {
        int(i)
        for i, key in zip(ids.tolist(), keys.tolist(), strict=True)
        if saved.get(i, key) != key
    }


def _save_sparse(path: Path, sparse: BM25Index, tokenizer_id: str) -> None:
    """The BM25 index's token counts, so loading a generation tokenises nothing."""
    tf = sparse._tf  # the CSR term-frequency rows (see BM25Index.to_state)
    terms = sparse._terms
    used = np.flatnonzero(np.bincount(tf.indices, minlength=len(terms)))
    remap = np.full(len(terms), -1, dtype=np.int64)
    remap[used] = np.arange(len(used))
    with open(path, "wb") as fh:
        np.savez(
            fh,
            format=np.asarray("bm25-csr/1"),
            tokenizer=np.asarray(tokenizer_id),
            k1=np.asarray(sparse.k1),
            b=np.asarray(sparse.b),
            ids=sparse.ids(),
            terms=np.asarray([terms[c] for c in used.tolist()], dtype=str),
            indptr=tf.indptr.astype(np.int64),
            indices=remap[tf.indices],
            counts=tf.data.astype(np.int64),
        )
        fh.flush()
        os.fsync(fh.fileno())


def _load_sparse(
    path: Path, entries: Mapping[int, EntryRef], tokenizer_id: str
) -> BM25Index | None:
    """The saved BM25 index, if there is one, made by this tokenizer (the lexicon may have
    changed since) and covering exactly these entries."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if "tokenizer" not in data.files or str(data["tokenizer"]) != tokenizer_id:
                return None
            sparse = BM25Index.from_state({k: data[k] for k in data.files if k != "tokenizer"})
    except (OSError, ValueError, KeyError):
        log.warning("ignoring an unreadable BM25 index at %s", path)
        return None
    if len(sparse) != len(entries) or not all(eid in sparse for eid in entries):
        return None
    return sparse


def _same_doc(old: DocRecord, new: DocRecord) -> bool:
    return (
        old.superseded_by == new.superseded_by
        and old.doc.content_hash == new.doc.content_hash
        and old.doc.meta == new.doc.meta
        and old.doc.source == new.doc.source
        and [(c.chunk_id, c.section) for c in old.doc.chunks]
        == [(c.chunk_id, c.section) for c in new.doc.chunks]
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
