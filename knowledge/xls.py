"""The sheets of an Excel 97–2003 workbook (.xls), their cells as Excel shows them.

A bureau's older 政策清单 and 收费标准一览表 are .xls files. xlrd reads them; this module gives
`knowledge.workbook` the same grid an .xlsx gives it: each visible sheet's name and its cells
as shown (a rate formatted as a percentage "0.80%", a date "2029年7月1日"), a merged range's
value at its first column of each row it spans.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from knowledge.cells import cell_text, trimmed
from knowledge.errors import IngestError

if TYPE_CHECKING:
    import xlrd


def xls_sheets(
    data: bytes, filename: str, *, keep_lines: bool = False
) -> list[tuple[str, list[list[str]]]]:
    """(name, rows of cells as shown) of every visible sheet; IngestError when xlrd cannot
    read the file (a corrupt file, or an .xlsx renamed .xls, which it refuses). With
    `keep_lines` a text cell keeps its own line breaks (an FAQ sheet's 相似问法, one a line)."""
    try:
        import xlrd

        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=False)
        return [
            (sheet.name, _grid(book, sheet, keep_lines))
            for sheet in book.sheets()
            if sheet.visibility == 0  # 1 hidden, 2 very hidden
        ]
    except IngestError:
        raise
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct and index errors
        raise IngestError("corrupt_file", filename) from exc


def _grid(book: xlrd.book.Book, sheet: xlrd.sheet.Sheet, keep_lines: bool) -> list[list[str]]:
    grid = [
        [_shown(book, sheet.cell(r, c), keep_lines) for c in range(sheet.ncols)]
        for r in range(sheet.nrows)
    ]
    for first_row, end_row, first_col, end_col in sheet.merged_cells:
        value = grid[first_row][first_col] if first_row < len(grid) else ""
        for r in range(first_row, min(end_row, len(grid))):
            for c in range(first_col, min(end_col, len(grid[r]))):
                grid[r][c] = value if c == first_col else ""
    return trimmed(grid)


def _shown(book: xlrd.book.Book, cell: Any, keep_lines: bool = False) -> str:
    """A cell as Excel shows it (`workbook.cell_text`), its number format read from its XF."""
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return ""
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        moment: dt.datetime = xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        return cell_text(moment.date())
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(cell.value, _number_format(book, cell.xf_index))
    return str(cell.value).strip() if keep_lines else cell_text(cell.value)


def _number_format(book: xlrd.book.Book, xf_index: int | None) -> str:
    if xf_index is None or xf_index >= len(book.xf_list):
        return "General"
    fmt = book.format_map.get(book.xf_list[xf_index].format_key)
    return fmt.format_str if fmt is not None else "General"
