"""The FAQ spreadsheet (.xlsx, .xls or .csv) as rows, and FAQ entries back as the same template.

The template is what a bureau keeps its FAQ in: one row per entry, columns 问题, 相似问法
(several, separated by ｜ or | or line breaks), 答案, 来源文件, 条款, and an optional 编号
(the entry's id: a row with the id of an existing entry replaces it, so an exported sheet
edited in Excel and imported again updates the entries instead of duplicating them). The
header row is found by its names, anywhere in the first rows and in any column order.
Reading is pure (bytes in, rows out); checking the rows is `bot.faq_import`'s job.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from index.entries import FaqEntry

QUESTION, SIMILAR, ANSWER, SOURCE, ARTICLE, FAQ_ID = (
    "问题", "相似问法", "答案", "来源文件", "条款", "编号",
)  # fmt: skip
HEADER = (QUESTION, SIMILAR, ANSWER, SOURCE, ARTICLE, FAQ_ID)
# English headers are read too (a sheet made by someone without a Chinese template)
_ALIASES = {
    "question": QUESTION, "similar": SIMILAR, "similar questions": SIMILAR,
    "answer": ANSWER, "source": SOURCE, "source file": SOURCE, "article": ARTICLE,
    "section": ARTICLE, "id": FAQ_ID,
}  # fmt: skip
SHEET_EXTENSIONS = (".xlsx", ".xls", ".csv")
_WORKBOOKS = (".xlsx", ".xls")  # a workbook is an FAQ sheet only under the 问题/答案 header
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common
_SEPARATORS = re.compile(r"[｜|\r\n]+")


class SheetError(Exception):
    """A file that is not a readable FAQ sheet; `code` names the message (faqi.sheet.*)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class SheetRow:
    """One data row as typed; `row` is the number Excel shows (the header is row 1 or below)."""

    row: int
    question: str
    similar: tuple[str, ...]
    answer: str
    source: str
    article: str
    faq_id: str


def is_sheet_name(filename: str) -> bool:
    return Path(filename).suffix.lower() in SHEET_EXTENSIONS


def read_sheet(data: bytes, filename: str) -> list[SheetRow]:
    """The data rows under the header (blank rows skipped); SheetError when there is none."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        table = _xlsx_cells(data)
    elif suffix == ".xls":
        table = _xls_cells(data)
    elif suffix == ".csv":
        table = _csv_cells(data)
    else:
        raise SheetError("type")
    for index, cells in enumerate(table[:HEADER_SEARCH_ROWS]):
        columns = _columns(cells)
        if QUESTION in columns and ANSWER in columns:
            return _rows(table, index, columns)
    raise SheetError("header")


def is_faq_sheet(data: bytes, filename: str) -> bool:
    """An FAQ sheet, not a policy document: any .csv, and an .xlsx or .xls whose first rows
    hold the 问题 and 答案 header. A bureau's 政策清单 workbook (政策名称 | 支持标准 | …) is a
    document of the knowledge base (`knowledge.workbook`), added as any other upload is."""
    if Path(filename).suffix.lower() not in _WORKBOOKS:
        return is_sheet_name(filename)
    try:
        read_sheet(data, filename)
    except SheetError as exc:
        return exc.code != "header"  # unreadable: the FAQ import says so, as before
    return True


def split_similar(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _SEPARATORS.split(cell) if part.strip())


def write_xlsx(entries: Iterable[FaqEntry]) -> bytes:
    """The template with one row per entry (wordings after the first in 相似问法, one a line)."""
    from openpyxl import Workbook  # 0.17 s to import: only a sheet download needs it

    book = Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet
        raise RuntimeError("openpyxl made a workbook without a sheet")
    sheet.title = "FAQ"
    sheet.append(list(HEADER))
    for e in entries:
        sheet.append([e.questions[0], "\n".join(e.questions[1:]), e.answer, e.source or "",
                      e.section or "", e.faq_id])  # fmt: skip
    for column, width in zip("ABCDEF", (36, 36, 60, 36, 20, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cells(data: bytes) -> list[list[str]]:
    try:
        from openpyxl import load_workbook  # only an uploaded .xlsx needs it

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise SheetError("unreadable") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise SheetError("header")
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _xls_cells(data: bytes) -> list[list[str]]:
    """The first visible sheet of an Excel 97–2003 workbook, cells as shown."""
    from knowledge.errors import IngestError
    from knowledge.xls import xls_sheets

    try:
        sheets = xls_sheets(data, "faq.xls", keep_lines=True)
    except IngestError:
        raise SheetError("unreadable") from None
    if not sheets:
        raise SheetError("header")
    return sheets[0][1]


def _csv_cells(data: bytes) -> list[list[str]]:
    text = _decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), dialect)]


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030: what Excel on Chinese Windows saves."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SheetError("unreadable")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # Excel stores 8 as 8.0
    return str(value).strip()


def _columns(cells: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = unicodedata.normalize("NFKC", cell).strip().strip("*").strip()
        name = _ALIASES.get(name.casefold(), name)
        if name in HEADER and name not in found:
            found[name] = index
    return found


def _rows(table: list[list[str]], header: int, columns: dict[str, int]) -> list[SheetRow]:
    def get(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    out = []
    for offset, cells in enumerate(table[header + 1 :], start=header + 2):
        if not any(c.strip() for c in cells):
            continue
        out.append(SheetRow(
            row=offset, question=get(cells, QUESTION).strip(),
            similar=split_similar(get(cells, SIMILAR)), answer=get(cells, ANSWER).strip(),
            source=get(cells, SOURCE).strip(), article=get(cells, ARTICLE).strip(),
            faq_id=get(cells, FAQ_ID).strip(),
        ))  # fmt: skip
    return out
