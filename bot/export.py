"""Requests as a table for the officers' spreadsheets (CSV for any tool, XLSX for Excel).

CSV is written with a BOM because Excel on Chinese Windows otherwise opens UTF-8 as GBK.
Times are in bureau time, amounts in yuan, so the numbers add up in a pivot table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from bot.clock import BUREAU_TZ
from bot.db.models import FinancingRequest
from bot.sla import as_utc

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
    rows: Sequence[FinancingRequest], type_label: dict[str, str], status_label: dict[str, str]
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
    from datetime import datetime

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
