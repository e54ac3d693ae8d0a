"""Admins' document workflows, one call each, shared by the bot and any other caller.

`ingest` is the whole upload: parse once, look for an identical document and for earlier
versions, then either add it or park it (in the database, not in memory) until the admin
chooses 替换 / 作为新文档 / 取消 with `resolve`. Removal asks for the same kind of
confirmation, and so does a rollback to an earlier revision (`history`, `ask_rollback`).
Parsing and embedding run in worker threads; the knowledge base swaps in a
complete new snapshot only when a write is finished, so questions asked meanwhile are
answered from the previous version. Every change is written to the audit log.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import AuditService
from bot.clock import Clock
from bot.db.models import PendingConfirmation
from bot.knowledge_base import AddReport, DocInfo, KnowledgeBase, RevisionInfo
from bot.views import as_utc
from index.progress import Progress  # (done, total, rate per s, seconds left)
from index.revisions import RevisionError
from knowledge.compilation import entry_count
from knowledge.documents import doc_id_for
from knowledge.errors import IngestError
from knowledge.models import ParsedDocument
from knowledge.structure import WORKBOOK_TYPES

log = logging.getLogger("finbot.documents")

PENDING_TTL = timedelta(days=1)  # a choice not made within a day is stale


class Outcome(StrEnum):
    ADDED = "added"
    UNCHANGED = "unchanged"  # the very same text is already there under this id
    CONFLICT = "conflict"  # looks like a new version of current documents: ask first
    REJECTED = "rejected"  # a bad file (nothing changed)
    FAILED = "failed"  # an unexpected error (logged; nothing changed)
    CANCELLED = "cancelled"
    REMOVED = "removed"
    NOT_FOUND = "not_found"
    STALE = "stale"  # the confirmation asked for is gone (used, expired)
    ROLLED_BACK = "rolled_back"
    NO_REVISION = "no_revision"  # no such revision (or its text is the current one)


@dataclass(frozen=True)
class Added:
    """What the summary after an upload shows."""

    doc_id: str
    title: str
    info: DocInfo | None
    warnings: tuple[str, ...]  # warning keys, "no_effective_date" included when it applies
    duplicate: str | None  # another document with the same text
    replaced: str | None  # the document this one supersedes
    # other documents with the same 文号 but another title: a typo in one of them, or a
    # repeal naming that 文号 may be read against the wrong one (it is matched by title then)
    same_number: tuple[str, ...] = ()
    repeals: tuple[str, ...] = ()  # the documents a repeal decision took out of force
    # a 政策汇编: the measures it holds, each answered with its own dates (0: no compilation)
    entries: int = 0
    workbook: bool = False  # an .xlsx or .xls: its entries are the rows of a 政策清单


@dataclass(frozen=True)
class Conflicting:
    doc_id: str
    title: str | None
    doc_number: str | None


@dataclass(frozen=True)
class DocResult:
    outcome: Outcome
    filename: str = ""
    doc_id: str | None = None
    added: Added | None = None
    conflicts: tuple[Conflicting, ...] = ()
    token: str | None = None  # the pending choice (CONFLICT) or confirmation (removal)
    error: IngestError | None = None
    revision: RevisionInfo | None = None  # ROLLED_BACK: the new current revision


@dataclass(frozen=True)
class DocDetail:
    info: DocInfo
    sections: tuple[str, ...]


class DocumentService:
    def __init__(
        self,
        kb: KnowledgeBase,
        audit: AuditService,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
    ) -> None:
        self._kb = kb
        self._audit = audit
        self._db = db
        self._clock = clock
        self._rebuilding = False

    # ------------------------------------------------------------------ upload
    def too_large(self, filename: str, size: int | None) -> IngestError | None:
        """Refuse before downloading what the parser would refuse anyway."""
        limit = self._kb.max_bytes
        if size is None or size <= limit:
            return None
        return IngestError("too_large", filename, f"{size // 1024} KB > {limit // 1024} KB")

    async def rejected(self, actor_id: int, error: IngestError) -> DocResult:
        await self._audit.record(actor_id, "doc.rejected", error.filename, code=error.code)
        return DocResult(Outcome.REJECTED, error.filename, error=error)

    async def ingest(
        self, data: bytes, filename: str, actor_id: int, progress: Progress | None = None
    ) -> DocResult:
        """Parse, check, then add or park the upload for the admin's choice."""
        try:
            doc = await asyncio.to_thread(self._kb.parse_bytes, data, filename)
        except IngestError as exc:
            return await self.rejected(actor_id, exc)
        duplicate = await asyncio.to_thread(self._kb.find_duplicate, doc)
        if duplicate == doc.doc_id:
            return DocResult(Outcome.UNCHANGED, filename, doc_id=duplicate)
        conflicts = await asyncio.to_thread(self._kb.find_conflicts, doc)
        if conflicts:
            token = await self._park(
                kind="upload", user_id=actor_id, filename=filename, data=data,
                conflicts=conflicts, duplicate=duplicate,
            )  # fmt: skip
            return DocResult(Outcome.CONFLICT, filename, conflicts=self._describe(conflicts),
                             token=token)  # fmt: skip
        return await self._add(
            lambda **kw: self._kb.add_parsed(doc, data, **kw),
            filename, actor_id, progress, duplicate=duplicate,
        )  # fmt: skip

    async def resolve(
        self, token: str, action: str, actor_id: int, progress: Progress | None = None
    ) -> DocResult:
        """The admin's choice on a parked upload or removal: rep / new / rm / no."""
        pending = await self._take(token)
        if pending is None:
            return DocResult(Outcome.STALE)
        if action == "no":
            return DocResult(Outcome.CANCELLED, pending.filename)
        if action == "rm" and pending.kind == "remove" and pending.doc_id:
            return await self.remove(pending.doc_id, actor_id)
        if action == "rb" and pending.kind == "rollback" and pending.doc_id and pending.revision:
            return await self.rollback(pending.doc_id, pending.revision, actor_id)
        if action in ("rep", "new") and pending.kind == "upload" and pending.data is not None:
            data, name = pending.data, pending.filename
            replace = _replaced(name, pending.conflicts) if action == "rep" else None
            return await self._add(
                lambda **kw: self._kb.add_bytes(data, name, replace_doc_id=replace,
                                                as_new=action == "new", **kw),
                name, actor_id, progress, duplicate=pending.duplicate, replaced=replace,
            )  # fmt: skip
        return DocResult(Outcome.STALE, pending.filename)

    async def _add(
        self,
        add: Callable[..., AddReport],
        filename: str,
        actor_id: int,
        progress: Progress | None,
        *,
        duplicate: str | None,
        replaced: str | None = None,
    ) -> DocResult:
        try:
            report = await asyncio.to_thread(add, added_by=str(actor_id), progress=progress)
        except IngestError as exc:
            return await self.rejected(actor_id, exc)
        except Exception:
            log.exception("adding %s failed", filename)
            return DocResult(Outcome.FAILED, filename)
        doc = report.docs[0]
        await self._audit.record(
            actor_id, "doc.replace" if replaced else "doc.add", doc.doc_id, file=filename,
            title=doc.meta.title, replaces=replaced, embedded=report.embedded,
        )  # fmt: skip
        entries = entry_count(doc)
        added = Added(
            doc.doc_id, doc.meta.title, self._kb.info(doc.doc_id), _warnings(doc, entries),
            duplicate if duplicate != doc.doc_id else None, replaced,
            self._kb.same_number(doc.doc_id), self._kb.repealed_by(doc.doc_id), entries,
            doc.file_type in WORKBOOK_TYPES,
        )  # fmt: skip
        return DocResult(Outcome.ADDED, filename, doc_id=doc.doc_id, added=added)

    def _describe(self, doc_ids: list[str]) -> tuple[Conflicting, ...]:
        infos = {d.doc_id: d for d in self._kb.list()}
        out = []
        for doc_id in doc_ids:
            info = infos.get(doc_id)
            out.append(Conflicting(doc_id, info.title if info else None,
                                   info.doc_number if info else None))  # fmt: skip
        return tuple(out)

    # ------------------------------------------------------------------ removal
    async def ask_removal(self, doc_id: str, actor_id: int) -> tuple[DocInfo, str] | None:
        """The document and a confirmation token, or None when there is no such document."""
        info = self._kb.info(doc_id)
        if info is None:
            return None
        return info, await self._park(kind="remove", user_id=actor_id, doc_id=doc_id)

    async def remove(self, doc_id: str, actor_id: int) -> DocResult:
        if not await asyncio.to_thread(self._kb.remove, doc_id):
            return DocResult(Outcome.NOT_FOUND, doc_id=doc_id)
        await self._audit.record(actor_id, "doc.remove", doc_id)
        return DocResult(Outcome.REMOVED, doc_id=doc_id)

    # ------------------------------------------------------------------ revisions
    def history(self, doc_id: str) -> list[RevisionInfo] | None:
        """The document's texts, newest (current) first; None when there is no such document."""
        return self._kb.history(doc_id)

    async def ask_rollback(
        self, doc_id: str, number: int, actor_id: int
    ) -> tuple[DocInfo, RevisionInfo, str] | None:
        """The document, the revision and a confirmation token; None when there is no such
        document or earlier revision, or its text is the current one."""
        info = self._kb.info(doc_id)
        revisions = self._kb.history(doc_id) or []
        target = next((r for r in revisions if r.number == number and not r.current), None)
        if target is not None and target.content_hash == revisions[0].content_hash:
            target = None  # that text is the current one (rolled back to before)
        if info is None or target is None:
            return None
        token = await self._park(kind="rollback", user_id=actor_id, doc_id=doc_id, revision=number)
        return info, target, token

    async def rollback(
        self, doc_id: str, number: int, actor_id: int | None, via: str = "telegram"
    ) -> DocResult:
        """Re-publish revision `number` as the current text (a new revision), audited."""
        by = str(actor_id) if actor_id is not None else via
        try:
            info = await asyncio.to_thread(self._kb.rollback, doc_id, number, by)
        except RevisionError as exc:
            outcome = Outcome.NOT_FOUND if exc.code == "no_document" else Outcome.NO_REVISION
            return DocResult(outcome, doc_id=doc_id)
        await self._audit.record(
            actor_id, "doc.rollback", doc_id, restored=number, revision=info.number,
            content_hash=info.content_hash, via=via,
        )  # fmt: skip
        return DocResult(Outcome.ROLLED_BACK, doc_id=doc_id, revision=info)

    # ------------------------------------------------------------------ reading
    def listing(self, status: str | None = None) -> list[DocInfo]:
        return self._kb.list(status=status)

    def detail(self, doc_id: str) -> DocDetail | None:
        info = self._kb.info(doc_id)
        rec = self._kb.store.snapshot().docs.get(doc_id)
        if info is None or rec is None:
            return None
        return DocDetail(info, tuple(rec.doc.sections))

    # ------------------------------------------------------------------ rebuild
    def begin_rebuild(self) -> bool:
        """Claim the one rebuild slot; False while another rebuild runs."""
        if self._rebuilding:
            return False
        self._rebuilding = True
        return True

    async def rebuild(
        self, actor_id: int, progress: Progress | None = None
    ) -> tuple[int, int, int]:
        """Re-parse and re-embed everything (after `begin_rebuild`): documents, chunks, FAQs."""
        try:
            snap = await asyncio.to_thread(self._kb.rebuild, progress)
        finally:
            self._rebuilding = False
        await self._audit.record(actor_id, "doc.reindex", None, documents=len(snap.docs))
        return len(snap.docs), len(snap.chunks), len(snap.faqs)

    # ------------------------------------------------------------------ pending choices
    async def _park(self, **fields: Any) -> str:
        token = secrets.token_hex(4)
        async with self._db() as session, session.begin():
            await session.execute(
                delete(PendingConfirmation).where(
                    PendingConfirmation.created_at < self._clock.now() - PENDING_TTL
                )
            )
            session.add(PendingConfirmation(token=token, created_at=self._clock.now(), **fields))
        return token

    async def pending_name(self, token: str) -> str | None:
        """The file name of a parked upload (to show while it is added), None if gone."""
        async with self._db() as session:
            row = await session.get(PendingConfirmation, token)
        return None if row is None or row.kind != "upload" else row.filename

    async def _take(self, token: str) -> PendingConfirmation | None:
        """The pending choice, removed (a second tap finds nothing), unless it is too old."""
        async with self._db() as session, session.begin():
            row = await session.get(PendingConfirmation, token)
            if row is None:
                return None
            await session.delete(row)
        if self._clock.now() - as_utc(row.created_at) > PENDING_TTL:
            return None
        return row


def _replaced(filename: str, conflicts: list[str]) -> str | None:
    """What 替换 replaces: the upload's own document when it is among the conflicts (a new
    text of the same file: its next revision, same id), else the first earlier version."""
    own = doc_id_for(filename)
    return own if own in conflicts else (conflicts[0] if conflicts else None)


def _warnings(doc: ParsedDocument, entries: int = 0) -> tuple[str, ...]:
    """Warning keys for the summary; a compilation's date is none of its measures', and
    its missing 施行日期 is no fault."""
    keys = [key for key in doc.warnings if not (entries and key == "no_effective_date")]
    if entries:
        return tuple(keys)
    if doc.meta.effective is None and not doc.meta.draft and "no_effective_date" not in keys:
        # the parser tolerates a 发布日期 alone; admins should know
        keys.append("no_effective_date")
    return tuple(keys)
