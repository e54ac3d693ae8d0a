"""FAQ import from a spreadsheet: check every row, show the result, import all or nothing.

A bureau writes its FAQ in Excel; one wrong figure in an answer would be told to every
entrepreneur who asks, so each row is checked against the knowledge base before anything
is imported: the required cells are there, the 来源文件 is a document in force, the 条款 is
one of its sections, every number of the answer is stated in that article (the bot never
invents a number: `bot.numbers`), and no wording is already another row's or another
entry's. The admin sees the count of good rows and each rejected row with its reason. If
any row is rejected nothing is imported (the admin fixes the sheet and sends it again);
otherwise the import waits for 确认导入, parked in the database like an upload's choice so
a restart does not lose it, and the entries are searchable as soon as it is confirmed.
The bot and `finbot faq import` share `check` and `apply_check`.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import AuditService
from bot.clock import Clock
from bot.db.models import PendingConfirmation
from bot.faq_sheet import ANSWER, ARTICLE, QUESTION, SOURCE, SheetError, SheetRow, read_sheet
from bot.knowledge_base import KnowledgeBase
from bot.learning import normalise
from bot.numbers import missing_numbers
from bot.texts import Lang, t
from bot.views import as_utc
from index.entries import FaqEntry
from knowledge.models import DocStatus

PENDING_KIND = "faq_import"
PENDING_TTL = timedelta(days=1)
MAX_ROWS = 5000
SAMPLE_QUESTIONS = 5  # questions of a good sheet shown in its preview
MAX_BYTES = 5 * 1024 * 1024  # a 5000-row sheet is well under 1 MB
ID_PREFIX = "faq"
_ID = re.compile(r"^[\w.\-]{1,64}$")
_ARTICLE_NO = re.compile(r"^第(\d{1,3})条")
_CN = "零一二三四五六七八九"


@dataclass(frozen=True)
class CatalogDoc:
    """What the checks need of one document: names to find it by, status, sections' text."""

    doc_id: str
    source: str
    title: str
    doc_number: str | None
    status: str
    sections: dict[str, str]  # section heading → its text (all its passages)


@dataclass(frozen=True)
class Rejection:
    """A row that cannot be imported, with every reason found (message keys faqi.reason.*)."""

    row: int
    reasons: tuple[tuple[str, dict[str, str]], ...]

    def message(self, lang: Lang = "zh") -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(t(f"faqi.reason.{code}", lang, **params) for code, params in self.reasons)


@dataclass(frozen=True)
class Accepted:
    """A good row as the entry it becomes (`faq_id` "" for a new entry: given on import)."""

    row: int
    entry: FaqEntry
    replaces: bool


@dataclass(frozen=True)
class ImportCheck:
    filename: str
    accepted: tuple[Accepted, ...] = ()
    rejected: tuple[Rejection, ...] = ()
    error: str | None = None  # the file itself: faqi.sheet.<code>

    @property
    def ok(self) -> bool:
        """All or nothing: importable only when no row is rejected."""
        return self.error is None and not self.rejected and bool(self.accepted)

    @property
    def new(self) -> int:
        return sum(1 for a in self.accepted if not a.replaces)

    def error_message(self, lang: Lang = "zh") -> str:
        return t(f"faqi.sheet.{self.error}", lang, rows=MAX_ROWS) if self.error else ""


class ImportOutcome(StrEnum):
    PREVIEW = "preview"  # checked; `token` set when it can be confirmed
    IMPORTED = "imported"
    CHANGED = "changed"  # on 确认导入 a row fails now (the knowledge base changed): nothing done
    CANCELLED = "cancelled"
    STALE = "stale"  # the pending import is gone (confirmed, cancelled, a day old)


@dataclass(frozen=True)
class ImportResult:
    outcome: ImportOutcome
    check: ImportCheck | None = None
    token: str | None = None
    faq_ids: tuple[str, ...] = field(default_factory=tuple)


# ------------------------------------------------------------------ checking rows
def catalog_of(kb: KnowledgeBase) -> list[CatalogDoc]:
    """The knowledge base as the checks read it (one snapshot, today's statuses)."""
    snap = kb.store.snapshot()
    statuses = snap.statuses(kb.today())
    out = []
    for doc_id, rec in snap.docs.items():
        sections: dict[str, list[str]] = {}
        for chunk in rec.doc.chunks:
            if chunk.section:
                sections.setdefault(chunk.section, []).append(chunk.text)
        info = statuses.get(doc_id)
        out.append(CatalogDoc(
            doc_id, rec.doc.source, rec.doc.meta.title, rec.doc.meta.doc_number,
            str(info.status) if info else str(DocStatus.CURRENT),
            {s: "\n".join(texts) for s, texts in sections.items()},
        ))  # fmt: skip
    return out


def check_rows(
    rows: Sequence[SheetRow], docs: Sequence[CatalogDoc], existing: Sequence[FaqEntry]
) -> tuple[list[Accepted], list[Rejection]]:
    """Every row checked on its own, then against the rows above it and the FAQ there is."""
    taken = {normalise(q): f.faq_id for f in existing for q in f.questions}
    by_id = {f.faq_id: f for f in existing}
    seen: dict[str, int] = {}  # wording → the first row that has it
    seen_ids: dict[str, int] = {}
    names = name_index(docs)
    accepted: list[Accepted] = []
    rejected: list[Rejection] = []
    for row in rows:
        reasons, entry = _check_row(row, names, by_id.get(row.faq_id) if row.faq_id else None)
        wordings = list(dict.fromkeys(q for q in (row.question, *row.similar) if q))
        reasons += _duplicates(row, wordings, seen, seen_ids, taken)
        if reasons or entry is None:
            rejected.append(Rejection(row.row, tuple(reasons)))
            continue
        accepted.append(Accepted(row.row, replace(entry, questions=tuple(wordings)),
                                 bool(row.faq_id) and row.faq_id in by_id))  # fmt: skip
    return accepted, rejected


Reason = tuple[str, dict[str, str]]


def _check_row(
    row: SheetRow, docs: dict[str, list[CatalogDoc]], prior: FaqEntry | None
) -> tuple[list[Reason], FaqEntry | None]:
    """`prior`: the entry the row's 编号 names. Its answer, unchanged and cited nowhere (an
    officer's answer saved without a section), is not judged again: re-importing an
    exported sheet must not fail on what is already answered; a changed answer is."""
    reasons: list[Reason] = []
    for column, value in ((QUESTION, row.question), (ANSWER, row.answer)):
        if not value:
            reasons.append(("missing", {"column": column}))
    if row.faq_id and not _ID.match(row.faq_id):
        reasons.append(("bad_id", {"id": row.faq_id}))
    if bool(row.source) != bool(row.article):
        reasons.append(("missing", {"column": ARTICLE if row.source else SOURCE}))
    doc, section, basis = None, None, ""
    if row.source and row.article:
        doc, section, reason = _cited(row, docs)
        if reason is not None:
            reasons.append(reason)
        elif doc is not None and section is not None:
            basis = "\n".join([doc.title, doc.doc_number or "", section, doc.sections[section]])
    kept = prior is not None and not prior.source and not row.source and prior.answer == row.answer
    if row.answer and not kept and (not row.source or section is not None):
        invented = missing_numbers(row.answer, basis)
        if invented and not row.source:
            reasons.append(("numbers_uncited", {"numbers": "、".join(invented)}))
        elif invented:
            reasons.append(("number_not_in_article",
                            {"numbers": "、".join(invented), "article": section or ""}))  # fmt: skip
    if reasons:
        return reasons, None
    return [], FaqEntry(
        row.faq_id, (row.question,), row.answer, doc.source if doc else None, section,
        doc.doc_id if doc else None,
    )  # fmt: skip


def _cited(
    row: SheetRow, docs: dict[str, list[CatalogDoc]]
) -> tuple[CatalogDoc | None, str | None, Reason | None]:
    """The document and section a row cites, or the reason they cannot be used."""
    matches = _lookup(row.source, docs)
    if not matches:
        return None, None, ("unknown_source", {"source": row.source})
    current = [d for d in matches if d.status == str(DocStatus.CURRENT)]
    if len(matches) > 1 and len(current) != 1:
        return None, None, ("ambiguous_source", {"source": row.source})
    doc = current[0] if current else matches[0]
    if doc.status != str(DocStatus.CURRENT):
        return doc, None, ("not_current", {"title": doc.title})
    sections = find_sections(row.article, doc)
    if len(sections) != 1:
        code = "unknown_article" if not sections else "ambiguous_article"
        return doc, None, (code, {"article": row.article, "title": doc.title})
    return doc, sections[0], None


def find_documents(cell: str, docs: Sequence[CatalogDoc]) -> list[CatalogDoc]:
    """Documents a 来源文件 cell names: path, file name (with or without extension), id,
    title (with or without 《》) or 文号."""
    return _lookup(cell, name_index(docs))


def name_index(docs: Sequence[CatalogDoc]) -> dict[str, list[CatalogDoc]]:
    """Every name a document goes by, folded, → the documents (built once per sheet)."""
    index: dict[str, list[CatalogDoc]] = {}
    for d in docs:
        name = d.source.rsplit("/", 1)[-1]
        names = {d.source, name, name.rsplit(".", 1)[0], d.doc_id, d.title, d.doc_number or ""}
        for key in {_fold(n) for n in names if n}:
            index.setdefault(key, []).append(d)
    return index


def _lookup(cell: str, index: dict[str, list[CatalogDoc]]) -> list[CatalogDoc]:
    key = _fold(cell).strip("《》")
    return list(index.get(key, [])) if key else []


def find_sections(cell: str, doc: CatalogDoc) -> list[str]:
    """Sections a 条款 cell names: the whole heading, its label (第六条, 第6条, 一、) or its
    words after the label."""
    key = _article_key(cell)
    exact = [s for s in doc.sections if _fold(s) == key]
    if exact:
        return exact
    out = []
    for section in doc.sections:
        label, _, words = _fold(section).partition(" ")
        if key in (label, words.strip()):
            out.append(section)
    if out:
        return out
    # a sub-heading the passages keep inside their section (（一）标准流程 under 三、办理流程):
    # the entry is stored under that section, the one its answer can quote
    return [s for s, body in doc.sections.items() if key in map(_fold, body.splitlines())]


def _article_key(cell: str) -> str:
    key = _fold(cell)
    m = _ARTICLE_NO.match(key)
    return f"第{_chinese(int(m.group(1)))}条{key[m.end() :]}" if m else key


def _chinese(n: int) -> str:
    """6 → 六, 12 → 十二, 105 → 一百零五: article numbers as the documents write them."""
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n % 10] if n % 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if not rest else ("零" + _CN[rest] if rest < 10 else _chinese(rest))
    if 10 <= rest < 20:
        tail = "一" + tail
    return _CN[n // 100] + "百" + tail


def _fold(text: str) -> str:
    """Width and case folded, inner spaces collapsed to one."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _duplicates(
    row: SheetRow,
    wordings: Sequence[str],
    seen: dict[str, int],
    seen_ids: dict[str, int],
    taken: dict[str, str],
) -> list[Reason]:
    reasons: list[Reason] = []
    if row.faq_id:
        if row.faq_id in seen_ids:
            reasons.append(("duplicate_id", {"id": row.faq_id, "row": str(seen_ids[row.faq_id])}))
        seen_ids.setdefault(row.faq_id, row.row)
    for wording in wordings:
        key = normalise(wording)
        if not key:
            continue
        if key in seen and seen[key] != row.row:
            reasons.append(("duplicate_in_file", {"question": wording, "row": str(seen[key])}))
        elif key in taken and taken[key] != row.faq_id:
            reasons.append(("duplicate_existing", {"question": wording, "id": taken[key]}))
        seen.setdefault(key, row.row)
    return reasons


def check_sheet(kb: KnowledgeBase, data: bytes, filename: str) -> ImportCheck:
    """Read and check a whole file against the knowledge base as it is now (CPU: a thread)."""
    try:
        rows = read_sheet(data, filename)
    except SheetError as exc:
        return ImportCheck(filename, error=exc.code)
    if not rows:
        return ImportCheck(filename, error="empty")
    if len(rows) > MAX_ROWS:
        return ImportCheck(filename, error="too_many")
    accepted, rejected = check_rows(rows, catalog_of(kb), kb.faqs())
    return ImportCheck(filename, tuple(accepted), tuple(rejected))


def apply_check(kb: KnowledgeBase, check: ImportCheck, created_by: str) -> list[str]:
    """Import a check that passed, in one index update; the entries' ids in row order."""
    if not check.ok:
        raise ValueError("only a sheet with no rejected row is imported")
    taken = {f.faq_id for f in kb.faqs()} | {a.entry.faq_id for a in check.accepted}
    counter = 0
    entries = []
    for item in check.accepted:
        faq_id = item.entry.faq_id
        while not faq_id:
            counter += 1
            candidate = f"{ID_PREFIX}-{counter:03d}"
            faq_id = "" if candidate in taken else candidate
        taken.add(faq_id)
        entries.append(replace(item.entry, faq_id=faq_id, created_by=created_by))
    kb.put_faqs(entries)
    return [e.faq_id for e in entries]


def preview_lines(check: ImportCheck, lang: Lang, budget: int | None = None) -> list[str]:
    """The preview as plain lines (the bot escapes them, the CLI prints them): the counts,
    then every rejected row with its reasons (within `budget` characters, the rest
    counted), or the first questions of a sheet that can be imported."""
    lines = [t("faqi.head", lang, name=check.filename)]
    if check.error is not None:
        return [*lines, check.error_message(lang)]
    valid, rejected = len(check.accepted), len(check.rejected)
    lines.append(t("faqi.counts", lang, valid=valid, new=check.new, updated=valid - check.new,
                   rejected=rejected))  # fmt: skip
    if not check.rejected:
        shown = check.accepted[:SAMPLE_QUESTIONS]
        return [*lines, t("faqi.ready", lang, valid=valid),
                t("faqi.sample_head", lang, n=len(shown)),
                *(f"• {_cut(a.entry.questions[0], 80)}" for a in shown)]  # fmt: skip
    lines.append(t("faqi.rejected_head", lang))
    used = 0
    for n, rejection in enumerate(check.rejected):
        line = _cut(t("faqi.rejected_item", lang, row=rejection.row,
                      reason=rejection.message(lang)), 400)  # fmt: skip
        if budget is not None and used + len(line) > budget:
            lines.append(t("faqi.more_rejected", lang, n=rejected - n))
            break
        lines.append(line)
        used += len(line) + 1
    return [*lines, t("faqi.all_or_nothing", lang)]


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ the bot's workflow
class FaqImportService:
    """Preview → 确认导入 / 取消, the pending file kept in `pending_confirmations`."""

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

    async def preview(self, data: bytes, filename: str, actor_id: int) -> ImportResult:
        """Check the file; park it for confirmation only when every row is good."""
        check = await asyncio.to_thread(check_sheet, self._kb, data, filename)
        token = await self._park(actor_id, filename, data) if check.ok else None
        return ImportResult(ImportOutcome.PREVIEW, check, token)

    async def confirm(self, token: str, actor_id: int) -> ImportResult:
        """Check again (the knowledge base may have changed since), then import it all."""
        pending = await self._take(token)
        if pending is None or pending.data is None:
            return ImportResult(ImportOutcome.STALE)
        check = await asyncio.to_thread(check_sheet, self._kb, pending.data, pending.filename)
        if not check.ok:
            return ImportResult(ImportOutcome.CHANGED, check)
        ids = await asyncio.to_thread(apply_check, self._kb, check, str(actor_id))
        await self._audit.record(
            actor_id, "faq.import", pending.filename, added=check.new,
            updated=len(ids) - check.new, ids=ids[:100],
        )  # fmt: skip
        return ImportResult(ImportOutcome.IMPORTED, check, faq_ids=tuple(ids))

    async def cancel(self, token: str) -> ImportResult:
        pending = await self._take(token)
        return ImportResult(ImportOutcome.CANCELLED if pending else ImportOutcome.STALE)

    async def _park(self, actor_id: int, filename: str, data: bytes) -> str:
        token = secrets.token_hex(4)
        now = self._clock.now()
        async with self._db() as session, session.begin():
            await session.execute(
                delete(PendingConfirmation).where(
                    PendingConfirmation.kind == PENDING_KIND,
                    PendingConfirmation.created_at < now - PENDING_TTL,
                )
            )
            session.add(PendingConfirmation(token=token, kind=PENDING_KIND, user_id=actor_id,
                                            filename=filename[:255], data=data, created_at=now))  # fmt: skip
        return token

    async def _take(self, token: str) -> PendingConfirmation | None:
        """The pending import, removed (a second tap finds nothing), unless a day old."""
        async with self._db() as session, session.begin():
            row = await session.get(PendingConfirmation, token)
            if row is None or row.kind != PENDING_KIND:
                return None
            await session.delete(row)
        if self._clock.now() - as_utc(row.created_at) > PENDING_TTL:
            return None
        return row
