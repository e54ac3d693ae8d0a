"""Document management: files in, parsed documents and FAQ entries into the index.

Parsing and embedding are CPU work: every method here is synchronous and is called from a
worker thread by async callers (`asyncio.to_thread`). A batch is all-or-nothing unless the
caller asks to skip bad files, so a bad upload leaves the knowledge base exactly as it was.

Originals are kept under content-addressed names (`files/<doc id>/<sha256>.<ext>`), written
by the store under its writer lock as part of the commit that names them: a killed run leaves
no file that a later `kb rebuild` could publish, and a file name of any length is stored.

One document may cost at most `max_chunks` passages and `max_chars` characters of text
(FINBOT_MAX_DOC_CHUNKS, FINBOT_MAX_DOC_CHARS): beyond that it is refused with a message
that says the limit, before anything is encoded.

A new text under the same document id keeps the one it replaces as an earlier revision
(`index/revisions.py`): `history` lists them and `rollback` re-publishes one, through the
same writer and commit as an upload.
"""

from __future__ import annotations

import builtins
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.texts import t
from index.catalog import DocRecord, faq_from_json, faq_to_json
from index.entries import FaqEntry
from index.progress import Progress
from index.revisions import Revision
from index.snapshot import Snapshot
from index.store import ApplyResult, KnowledgeStore
from knowledge.documents import doc_id_for, iter_source_files, parse_document
from knowledge.errors import IngestError
from knowledge.models import DocStatus, ParsedDocument
from knowledge.status import DocStatusInfo, reference_keys, valid_until

# A 5 MB policy, the largest a bureau plausibly has, must pass: ~1.7 million characters in
# UTF-8 Chinese (5 million in English), 4,000-22,000 passages depending on article length
# (the 20 MB probe made 88,861). Encoding 20,000 passages takes about an hour on 2 cores.
DEFAULT_MAX_CHUNKS = 25_000
DEFAULT_MAX_CHARS = 5_500_000

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "knowledge" / "sample"
SAMPLE_DOCS = SAMPLE_DIR / "docs"
SAMPLE_FAQ = SAMPLE_DIR / "faq"
DOC_STATUSES: tuple[str, ...] = tuple(s.value for s in DocStatus)  # the /docs filters


class FaqFileError(Exception):
    """An FAQ file that cannot be read; the message names the file and the entry."""


class DocumentTooBigError(IngestError):
    """A document beyond what one document may cost; the message says the limit."""

    def __init__(self, code: str, filename: str, count: int, limit: int) -> None:
        self.count = count
        self.limit = limit
        super().__init__(code, filename, f"{count} > {limit}")  # type: ignore[arg-type]

    def message(self, lang: str = "zh") -> str:
        key = "docs.limit.chunks" if self.code == "too_many_chunks" else "docs.limit.chars"
        return t(
            key,
            "en" if lang == "en" else "zh",
            name=self.filename,
            count=f"{self.count:,}",
            limit=f"{self.limit:,}",
        )


@dataclass(frozen=True, slots=True)
class DocInfo:
    doc_id: str
    source: str
    title: str
    doc_number: str | None
    status: str
    replaced_by: str | None
    published: date | None
    effective: date | None
    expires: date | None
    sections: int
    chunks: int
    file_type: str
    added_at: str
    warnings: tuple[str, ...]
    revision: int = 1


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """One text of a document as `kb history` and /history list it."""

    number: int
    content_hash: str  # the first 8 hex digits (the full hash is in the catalogue)
    title: str
    doc_number: str | None
    effective: date | None
    added_at: str  # when this text was published (a rollback: when it was re-published)
    added_by: str | None
    current: bool
    replaced_at: str | None = None
    replaced_by: str | None = None
    restored_from: int | None = None


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)
    embedded: int = 0
    docs: list[ParsedDocument] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class KnowledgeBase:
    def __init__(
        self,
        store: KnowledgeStore,
        files_dir: Path,
        *,
        max_bytes: int = 20 * 1024 * 1024,
        max_chunks: int = DEFAULT_MAX_CHUNKS,
        max_chars: int = DEFAULT_MAX_CHARS,
        today: Any = date.today,
    ) -> None:
        self.store = store
        self.files_dir = files_dir
        if store.files_dir is None:
            store.files_dir = files_dir  # the store writes originals with each commit
        self.max_bytes = max_bytes
        self.max_chunks = max_chunks
        self.max_chars = max_chars
        self.today = today

    # ------------------------------------------------------------ documents
    def parse_paths(
        self, paths: Sequence[Path]
    ) -> tuple[list[tuple[ParsedDocument, Path]], list[IngestError]]:
        parsed: list[tuple[ParsedDocument, Path]] = []
        errors: list[IngestError] = []
        for root in paths:
            if not root.exists():
                raise FileNotFoundError(f"{root}: no such file or folder")
            for file, source in iter_source_files(root):
                try:
                    data = _read_limited(file, self.max_bytes)
                    parsed.append((self._parse(data, source), file))
                except IngestError as exc:
                    errors.append(exc)
        return parsed, errors

    def add_paths(
        self,
        paths: Sequence[Path],
        *,
        skip_bad: bool = False,
        progress: Progress | None = None,
        added_by: str | None = None,
    ) -> AddReport:
        parsed, errors = self.parse_paths(paths)
        report = AddReport(errors=errors)
        if errors and not skip_bad:
            return report
        records = []
        originals: dict[str, bytes] = {}
        for doc, file in parsed:
            rec, data = self._record(doc, file.read_bytes(), added_by)
            records.append(rec)
            originals[rec.stored_file or ""] = data
        result = self.store.apply(upsert=records, progress=progress, originals=originals)
        self._fill(report, result, [d for d, _ in parsed])
        self._resolve_faq_links()
        return report

    def parse_bytes(self, data: bytes, filename: str) -> ParsedDocument:
        """Parse without touching the knowledge base (raises IngestError for a bad file)."""
        return self._parse(data, filename)

    def _parse(self, data: bytes, source: str) -> ParsedDocument:
        doc = parse_document(data, source, max_bytes=self.max_bytes)
        name = Path(source).name
        if len(doc.chunks) > self.max_chunks:
            raise DocumentTooBigError("too_many_chunks", name, len(doc.chunks), self.max_chunks)
        chars = sum(len(c.text) for c in doc.chunks)
        if chars > self.max_chars:
            raise DocumentTooBigError("too_much_text", name, chars, self.max_chars)
        return doc

    def add_bytes(
        self,
        data: bytes,
        filename: str,
        *,
        added_by: str | None = None,
        progress: Progress | None = None,
        replace_doc_id: str | None = None,
        as_new: bool = False,
    ) -> AddReport:
        """One uploaded file; raises IngestError for a bad file (nothing is changed).

        `replace_doc_id`: the new text supersedes that document, which stays in the
        catalogue as superseded (never cited as current) and points to the new one.
        `as_new`: keep both, even when the file name matches an existing document.
        """
        return self.add_parsed(
            self._parse(data, filename), data, added_by=added_by, progress=progress,
            replace_doc_id=replace_doc_id, as_new=as_new,
        )  # fmt: skip

    def add_parsed(
        self,
        doc: ParsedDocument,
        data: bytes,
        *,
        added_by: str | None = None,
        progress: Progress | None = None,
        replace_doc_id: str | None = None,
        as_new: bool = False,
    ) -> AddReport:
        """`add_bytes` for a file already parsed (an upload is checked for duplicates and
        conflicts first, then added without parsing it again)."""
        snap = self.store.snapshot()
        if replace_doc_id == doc.doc_id and not as_new:
            replace_doc_id = None  # a new text of the same document: its next revision
        elif (replace_doc_id is not None or as_new) and doc.doc_id in snap.docs:
            doc = _with_doc_id(doc, _free_doc_id(doc.doc_id, snap.docs.keys()))
        rec, _ = self._record(doc, data, added_by)
        records = [rec]
        if replace_doc_id is not None:
            old = snap.docs.get(replace_doc_id)
            if old is None:
                raise KeyError(replace_doc_id)
            records.append(dc_replace(old, superseded_by=doc.doc_id))
        report = AddReport()
        result = self.store.apply(
            upsert=records, progress=progress, originals={rec.stored_file or "": data}
        )
        self._fill(report, result, [doc])
        self._resolve_faq_links()
        return report

    def find_conflicts(self, doc: ParsedDocument) -> list[str]:
        """Current documents that look like earlier versions of `doc` (same title or 文号)."""
        snap = self.store.snapshot()
        statuses = snap.statuses(self.today())
        title, number = reference_keys(doc.meta)
        out = []
        for doc_id, rec in snap.docs.items():
            if doc_id == doc.doc_id and rec.doc.content_hash == doc.content_hash:
                continue
            info = statuses.get(doc_id)
            if info is not None and info.status is not DocStatus.CURRENT:
                continue
            other_title, other_number = reference_keys(rec.doc.meta)
            if other_title == title or (number and other_number == number):
                out.append(doc_id)
        return sorted(out)

    def same_text(self, doc_id: str) -> list[str]:
        """The other documents holding exactly this one's text (the same notice kept as a .doc
        and a .wps, or under two names)."""
        rec = self.store.snapshot().docs.get(doc_id)
        if rec is None:
            return []
        return sorted(other for other in self._holding(rec.doc.content_hash) if other != doc_id)

    def find_duplicate(self, doc: ParsedDocument) -> str | None:
        """A document with exactly the same text, whatever its name."""
        return next(iter(self._holding(doc.content_hash)), None)

    def _holding(self, content_hash: str) -> list[str]:
        """The documents whose text has this hash, in the snapshot's order."""
        docs = self.store.snapshot().docs
        return [doc_id for doc_id, rec in docs.items() if rec.doc.content_hash == content_hash]

    def remove(self, doc_id: str) -> bool:
        """The original goes with the commit that removes the document (store's clean-up)."""
        return bool(self.store.apply(remove=[doc_id]).removed)

    def rebuild(self, progress: Progress | None = None) -> Snapshot:
        """Re-parse kept originals (parser fixes apply) and re-embed everything."""
        snap = self.store.snapshot()
        records: list[DocRecord] = []
        for rec in snap.docs.values():
            path = self.files_dir.parent / rec.stored_file if rec.stored_file else None
            if path is not None and path.exists():
                try:
                    doc = parse_document(
                        path.read_bytes(), rec.doc.source, max_bytes=self.max_bytes
                    )
                    doc = doc if doc.doc_id == rec.doc_id else _with_doc_id(doc, rec.doc_id)
                    rec = dc_replace(rec, doc=doc)
                except IngestError:
                    pass  # keep the catalogued text: a parser regression must not lose a document
            records.append(rec)
        return self.store.rebuild(progress=progress, records=records)

    def list(self, status: str | None = None) -> list[DocInfo]:
        snap = self.store.snapshot()
        statuses = snap.statuses(self.today())
        out = [
            _doc_info(doc_id, rec, statuses.get(doc_id))
            for doc_id, rec in sorted(snap.docs.items(), key=lambda kv: kv[1].doc.source)
        ]
        return [d for d in out if not status or d.status == status]

    def info(self, doc_id: str) -> DocInfo | None:
        """One document's listing entry, without building the whole list."""
        snap = self.store.snapshot()
        rec = snap.docs.get(doc_id)
        if rec is None:
            return None
        return _doc_info(doc_id, rec, snap.statuses(self.today()).get(doc_id))

    def repealed_by(self, doc_id: str) -> tuple[str, ...]:
        """The documents a repeal decision repeals (none for any other document): the admin
        who adds one should hear which of the knowledge base's documents it took out of force."""
        statuses = self.store.snapshot().statuses(self.today())
        return tuple(sorted(d for d, info in statuses.items() if info.repealed_by == doc_id))

    def same_number(self, doc_id: str) -> tuple[str, ...]:
        """Other documents that carry this document's 文号 under another title: a typo in one
        of them, or two measures numbered alike (a repeal naming that 文号 is then matched by
        its title, see `knowledge.status`). The admin should hear of it when adding."""
        snap = self.store.snapshot()
        rec = snap.docs.get(doc_id)
        if rec is None:
            return ()
        title, number = reference_keys(rec.doc.meta)
        if not number:
            return ()
        out = []
        for other, r in sorted(snap.docs.items()):
            other_title, other_number = reference_keys(r.doc.meta)
            if other != doc_id and other_number == number and other_title != title:
                out.append(other)
        return tuple(out)

    def history(self, doc_id: str) -> builtins.list[RevisionInfo] | None:
        """Every text of the document, newest first; None when there is no such document."""
        rec = self.store.snapshot().docs.get(doc_id)
        if rec is None:
            return None
        kept = self.store.history(doc_id)
        out = [_revision_info(rec, current=True)]
        out += [_revision_info(r.record, current=False, kept=r) for r in reversed(kept)]
        return out

    def rollback(
        self, doc_id: str, number: int, by: str | None, progress: Progress | None = None
    ) -> RevisionInfo:
        """Re-publish revision `number` as the document's next revision; the index changes
        at once (the same commit as an upload). Raises `index.revisions.RevisionError`."""
        snap = self.store.restore(doc_id, number, by, progress=progress).snapshot
        return _revision_info(snap.docs[doc_id], current=True)

    def is_empty(self) -> bool:
        snap = self.store.snapshot()
        return not snap.docs and not snap.faqs

    def seed_sample(self, progress: Progress | None = None) -> AddReport:
        """Load the bundled sample knowledge base (documents + FAQ) into an empty store."""
        report = self.add_paths([SAMPLE_DOCS], progress=progress, added_by="sample")
        if report.ok:
            self.import_faq_files(sorted(SAMPLE_FAQ.glob("*.yaml")))
        return report

    # ------------------------------------------------------------------ FAQ
    def faqs(self) -> builtins.list[FaqEntry]:
        return sorted(self.store.snapshot().faqs.values(), key=lambda f: f.faq_id)

    def put_faqs(
        self, entries: Iterable[FaqEntry], progress: Progress | None = None
    ) -> ApplyResult:
        merged = {f.faq_id: f for f in self.faqs()}
        for e in entries:
            merged[e.faq_id] = self._link(e)
        return self.store.apply(faqs=list(merged.values()), progress=progress)

    def remove_faq(self, faq_id: str) -> bool:
        current = {f.faq_id: f for f in self.faqs()}
        if current.pop(faq_id, None) is None:
            return False
        self.store.apply(faqs=list(current.values()))
        return True

    def import_faq_files(self, files: Sequence[Path]) -> int:
        entries: list[FaqEntry] = []
        for f in files:
            entries.extend(load_faq_file(f))
        if entries:
            self.put_faqs(entries)
        return len(entries)

    def export_faq(self) -> str:
        data = [faq_to_json(f) for f in self.faqs()]
        for d in data:
            d.pop("doc_id", None)
            d["id"] = d.pop("faq_id")
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    def next_faq_id(self, prefix: str = "faq") -> str:
        taken = {f.faq_id for f in self.faqs()}
        n = 1
        while f"{prefix}-{n:03d}" in taken:
            n += 1
        return f"{prefix}-{n:03d}"

    # ------------------------------------------------------------- internals
    def _record(
        self, doc: ParsedDocument, data: bytes, added_by: str | None
    ) -> tuple[DocRecord, bytes]:
        """The catalogue entry and its original; nothing is written here (the store writes
        the original with the commit). The stored name holds the content hash and the
        extension only, so a name of any length, or with any characters, is kept."""
        digest = hashlib.sha256(data).hexdigest()[:32]
        ext = Path(doc.source).suffix.lower()
        ext = ext if ext.isascii() and len(ext) <= 10 else ""
        target = self.files_dir / _safe(doc.doc_id) / f"{digest}{ext}"
        rel = target.relative_to(self.files_dir.parent).as_posix()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        old = self.store.snapshot().docs.get(doc.doc_id)
        if old is not None and old.doc.content_hash == doc.content_hash and old.stored_file:
            kept = self.files_dir.parent / old.stored_file
            if kept.exists() and kept.read_bytes() == data:
                rel = old.stored_file  # an unchanged document keeps the file it has
        rec = DocRecord(
            doc,
            old.added_at if old and old.doc.content_hash == doc.content_hash else now,
            rel,
            added_by,
        )
        return rec, data

    def _fill(
        self, report: AddReport, result: ApplyResult, docs: builtins.list[ParsedDocument]
    ) -> None:
        report.added = list(result.added)
        report.replaced = list(result.replaced)
        report.unchanged = list(result.unchanged)
        report.embedded = result.embedded
        report.docs = docs

    def _link(self, e: FaqEntry) -> FaqEntry:
        if e.source and not e.doc_id:
            doc_id = doc_id_for(e.source)
            if doc_id in self.store.snapshot().docs:
                return FaqEntry(
                    e.faq_id, e.questions, e.answer, e.source, e.section, doc_id, e.created_by
                )
        return e

    def _resolve_faq_links(self) -> None:
        """FAQ entries imported before their document get linked once it arrives."""
        faqs = self.faqs()
        linked = [self._link(f) for f in faqs]
        if linked != faqs:
            self.store.apply(faqs=linked)


def load_faq_file(path: Path) -> list[FaqEntry]:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise FaqFileError(
            f"{path.name}: cannot read FAQ file ({exc.__class__.__name__})"
        ) from None
    if not isinstance(data, list):
        raise FaqFileError(f"{path.name}: expected a list of entries")
    out: list[FaqEntry] = []
    for i, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise FaqFileError(f"{path.name}: entry {i} is not a mapping")
        item = dict(item)
        if "id" in item:
            item["faq_id"] = str(item.pop("id"))
        questions = item.get("questions")
        if not item.get("faq_id") or not questions or not item.get("answer"):
            raise FaqFileError(f"{path.name}: entry {i} needs id, questions and answer")
        if isinstance(questions, str):
            item["questions"] = [questions]
        item["questions"] = [str(q).strip() for q in item["questions"] if str(q).strip()]
        item["answer"] = str(item["answer"]).strip()
        out.append(faq_from_json(item))
    return out


def _doc_info(doc_id: str, rec: DocRecord, info: DocStatusInfo | None) -> DocInfo:
    m = rec.doc.meta
    return DocInfo(
        doc_id=doc_id,
        source=rec.doc.source,
        title=m.title,
        doc_number=m.doc_number,
        status=str(info.status if info else DocStatus.CURRENT),
        replaced_by=info.replaced_by if info else None,
        published=m.published,
        effective=m.effective,
        expires=valid_until(m, info),
        sections=len(rec.doc.sections),
        chunks=len(rec.doc.chunks),
        file_type=rec.doc.file_type,
        added_at=rec.added_at,
        warnings=rec.doc.warnings,
        revision=rec.revision,
    )


def _revision_info(rec: DocRecord, *, current: bool, kept: Revision | None = None) -> RevisionInfo:
    m = rec.doc.meta
    return RevisionInfo(
        number=rec.revision,
        content_hash=rec.doc.content_hash[:8],
        title=m.title,
        doc_number=m.doc_number,
        effective=m.effective,
        added_at=rec.added_at,
        added_by=rec.added_by,
        current=current,
        replaced_at=kept.replaced_at if kept else None,
        replaced_by=kept.replaced_by if kept else None,
        restored_from=rec.restored_from,
    )


def _free_doc_id(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    n = 2
    while f"{base}-v{n}" in used:
        n += 1
    return f"{base}-v{n}"


def _with_doc_id(doc: ParsedDocument, doc_id: str) -> ParsedDocument:
    """Re-key a parsed document (chunk ids embed the doc id, so re-chunk)."""
    chunks = tuple(
        dc_replace(c, doc_id=doc_id, chunk_id=c.chunk_id.replace(doc.doc_id, doc_id, 1))
        for c in doc.chunks
    )
    return dc_replace(doc, doc_id=doc_id, chunks=chunks)


def _read_limited(path: Path, max_bytes: int) -> bytes:
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError("too_large", path.name)
    return path.read_bytes()


def _safe(doc_id: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in doc_id)
