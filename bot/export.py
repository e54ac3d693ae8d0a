"""Requests and the question log as tables for the officers' spreadsheets (CSV, XLSX).

CSV is written with a BOM because Excel on Chinese Windows otherwise opens UTF-8 as GBK.
Times are in bureau time, amounts in yuan, so the numbers add up in a pivot table.
`ExportService.export` is the whole /export: the date range, the audited query, the files;
`ExportService.questions` is /export questions, where the askers' ids and any phone number
or credit code typed in a question are masked unless an admin asks for them (audited).
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.audit import AuditService
from bot.clock import BUREAU_TZ, Clock, iso_span, local_today
from bot.errors import NotAllowedError
from bot.pii import mask_pii
from bot.questions import QuestionLogService, QuestionView
from bot.requests import FINANCING_TYPES, RequestService, RequestStatus, RequestView
from bot.roles import RoleService
from bot.stats import BANDS, Titles, cited_entries
from bot.texts import BUREAU_LANG, t
from bot.views import as_utc

DEFAULT_DAYS = 30

HEADER = (
    "编号",
    "企业名称",
    "统一社会信用代码",
    "联系人",
    "电话",
    "金额(元)",
    "融资类型",
    "期限(月)",
    "用途",
    "状态",
    "负责人",
    "登记时间",
    "认领时间",
    "办结时间",
)

QUESTION_HEADER = (
    "时间",
    "用户",
    "语言",
    "问题",
    "结果",
    "引用文件",
    "条款",
    "置信度",
    "反馈",
    "反馈原因",  # question_log.feedback_reason, mapped in `feedback_reason`
    "耗时(毫秒)",
)
UNMASKED = "unmasked"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def request_rows(
    rows: Sequence[RequestView], type_label: dict[str, str], status_label: dict[str, str]
) -> list[list[Cell]]:
    """Header first; labels are passed in so the export speaks the officers' language."""
    out: list[list[Cell]] = [list(HEADER)]
    for r in rows:
        out.append(
            [
                r.ref,
                r.company,
                r.uscc,
                r.contact_name,
                r.phone,
                r.amount_yuan,
                type_label.get(r.fin_type, r.fin_type),
                r.term_months,
                r.purpose,
                status_label.get(r.status, r.status),
                r.owner_name or "",
                _local(r.created_at),
                _local(r.claimed_at),
                _local(r.closed_at),
            ]
        )
    return out


def _local(when: object) -> str:
    if not isinstance(when, datetime):
        return ""
    return as_utc(when).astimezone(BUREAU_TZ).strftime("%Y-%m-%d %H:%M")


def to_csv(rows: list[list[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if c is None else _safe(c) for c in row])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[list[Cell]], title: str = "融资需求") -> bytes:
    from openpyxl import Workbook  # 0.17 s to import: only an export needs it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append([_safe(c) if isinstance(c, str) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(cell: Cell) -> Cell:
    """Text typed by entrepreneurs must not run as a spreadsheet formula (CSV injection)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


# ---------------------------------------------------------------------------- question log
def masked_user(user_id: int, salt: bytes) -> str:
    """A pseudonym stable within one export (same asker, same label) and useless outside it."""
    return "u-" + hashlib.sha256(salt + str(user_id).encode()).hexdigest()[:10]


def feedback_reason(row: QuestionView) -> str:
    """The 反馈原因 column: the 👎's reason in the bureau's language, and the asker's note
    ("其他：…"), which was masked and capped when it was stored (`bot/feedback.py`)."""
    if not row.feedback_reason:
        return ""
    label = t(f"feedback.reason.{row.feedback_reason}", BUREAU_LANG)
    return f"{label}：{row.feedback_note}" if row.feedback_note else label


def question_rows(
    rows: Sequence[QuestionView], titles: Titles, *, unmasked: bool, salt: bytes
) -> list[list[Cell]]:
    """Header first; one row per logged question, personal data masked unless `unmasked`."""
    out: list[list[Cell]] = [list(QUESTION_HEADER)]
    for r in rows:
        cited = cited_entries(r)
        documents = dict.fromkeys(titles(doc) or doc for doc, _ in cited)
        sections = dict.fromkeys(section for _, section in cited if section)
        reason = feedback_reason(r)
        out.append(
            [
                _local(r.created_at),
                str(r.user_id) if unmasked else masked_user(r.user_id, salt),
                r.lang,
                r.text if unmasked else mask_pii(r.text),
                t(f"export.band.{r.band}", BUREAU_LANG) if r.band in BANDS else r.band,
                "；".join(documents),
                "；".join(sections),
                round(r.confidence, 4),
                {1: "👍", -1: "👎"}.get(r.feedback or 0, ""),
                reason if unmasked else mask_pii(reason),
                round(r.latency_ms),
            ]
        )
    return out


def question_span(args: Sequence[str], today: date) -> tuple[date, date, bool] | None:
    """`[FROM [TO]] [unmasked]` → inclusive dates (default: the last 30 days) and the flag."""
    unmasked = bool(args) and args[-1].lower() == UNMASKED
    dates = list(args[:-1] if unmasked else args)
    if len(dates) == 1:
        dates.append(today.isoformat())
    span = export_span(dates, today)
    return None if span is None else (*span, unmasked)


@dataclass(frozen=True)
class Export:
    """The files of one /export (inclusive local dates)."""

    start: date
    end: date
    count: int
    stem: str
    csv: bytes
    xlsx: bytes


def export_span(args: Sequence[str], today: date) -> tuple[date, date] | None:
    """Inclusive local dates from `START END` (ISO); no arguments: the last 30 days."""
    if not args:
        return today - timedelta(days=DEFAULT_DAYS - 1), today
    return iso_span(args[0], args[1]) if len(args) == 2 else None


class ExportService:
    def __init__(
        self,
        requests: RequestService,
        clock: Clock,
        *,
        questions: QuestionLogService | None = None,
        roles: RoleService | None = None,
        audit: AuditService | None = None,
        titles: Titles | None = None,
    ) -> None:
        self._requests = requests
        self._clock = clock
        self._questions = questions
        self._roles = roles
        self._audit = audit
        self._titles: Titles = titles or (lambda _doc: None)

    def question_span(self, args: Sequence[str]) -> tuple[date, date, bool] | None:
        return question_span(args, local_today(self._clock))

    async def questions(
        self, start: date, end: date, actor_id: int | None, *, unmasked: bool = False
    ) -> Export:
        """The questions asked in the range; unmasked only for an admin (or the CLI: `None`).

        Every export is audited with its range, size and whether it was unmasked.
        """
        if self._questions is None or self._audit is None:
            raise RuntimeError("the question export needs the question log and the audit log")
        if unmasked and actor_id is not None and not self._is_admin(actor_id):
            raise NotAllowedError("export.unmasked_admins_only")
        logged = await self._questions.between(
            _local_midnight(start), _local_midnight(end + timedelta(days=1))
        )
        rows = sorted(logged, key=lambda r: (r.created_at, r.id))  # in the order they were asked
        await self._audit.record(
            actor_id, "question.export", None, start=start.isoformat(), end=end.isoformat(),
            count=len(rows), unmasked=unmasked, via="cli" if actor_id is None else "telegram",
        )  # fmt: skip
        table = question_rows(rows, self._titles, unmasked=unmasked, salt=secrets.token_bytes(16))
        stem = f"questions-{start:%Y%m%d}-{end:%Y%m%d}" + ("-unmasked" if unmasked else "")
        return Export(start, end, len(rows), stem, to_csv(table), to_xlsx(table, "问答记录"))

    def _is_admin(self, user_id: int) -> bool:
        return self._roles is not None and self._roles.is_admin(user_id)

    async def export(self, args: Sequence[str], actor_id: int) -> Export | None:
        """The requests created in the range as CSV and XLSX; None for a malformed range."""
        span = export_span(args, local_today(self._clock))
        if span is None:
            return None
        start, end = span
        rows = await self._requests.exported(
            _local_midnight(start), _local_midnight(end + timedelta(days=1)), actor_id,
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip
        table = request_rows(
            rows,
            {c: t(f"form.type.{c}", BUREAU_LANG) for c in FINANCING_TYPES},
            {str(s): t(f"req.status.{s}", BUREAU_LANG) for s in RequestStatus},
        )
        stem = f"financing-{start:%Y%m%d}-{end:%Y%m%d}"
        return Export(start, end, len(rows), stem, to_csv(table), to_xlsx(table))


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, BUREAU_TZ).astimezone(UTC)
