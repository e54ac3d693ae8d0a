"""Requests as a table for the officers' spreadsheets (CSV for any tool, XLSX for Excel).

CSV is written with a BOM because Excel on Chinese Windows otherwise opens UTF-8 as GBK.
Times are in bureau time, amounts in yuan, so the numbers add up in a pivot table.
`ExportService.export` is the whole /export: the date range, the audited query, the files.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from openpyxl import Workbook

from bot.clock import BUREAU_TZ, Clock, local_today
from bot.requests import FINANCING_TYPES, RequestService, RequestStatus, RequestView
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

Cell = str | int | None


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


def to_xlsx(rows: list[list[Cell]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "融资需求"
    for row in rows:
        sheet.append([_safe(c) if isinstance(c, str) else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _safe(cell: Cell) -> Cell:
    """Text typed by entrepreneurs must not run as a spreadsheet formula (CSV injection)."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@"):
        return "'" + cell
    return cell


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
    if len(args) != 2:
        return None
    try:
        start, end = date.fromisoformat(args[0]), date.fromisoformat(args[1])
    except ValueError:
        return None
    return (start, end) if start <= end else None


class ExportService:
    def __init__(self, requests: RequestService, clock: Clock) -> None:
        self._requests = requests
        self._clock = clock

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
