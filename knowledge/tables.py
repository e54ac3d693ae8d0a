"""A table's rows as the lines a document's text holds, whichever file the table came from.

A Word table and a saved web page's `<table>` are read the same way: one " | " line per row,
except a service guide's (办事指南) table of fields, whose rows each become a heading over
their content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from knowledge.structure import GUIDE_FIELDS_MIN

# a 办事指南's table: a field's name on the left ("收费标准", "承诺办结时限"), its content on the
# right; at least GUIDE_FIELDS_MIN rows, and at least half the contents written as clauses
_FIELD_NAME = re.compile(r"[\u4e00-\u9fff（）()、]{2,8}")
_CLAUSE = re.compile(r"[，。；;,]")
_FIELD_LEVEL: Final = 3
# what stands between a row's cells in a document's text (Word, PDF and web-page tables, and a
# PDF's rows spaced out as text): chunking keeps a row whole, the place checks read rows by it
CELL: Final = " | "
# a column's name: short, a name and not a figure or a clause ("补贴标准（万元）", "序号")
_HEADER_CELL = re.compile(r"[^\d，。；;,！？!?]{1,16}")
_HEADER_CELLS_MIN: Final = 3
_HEADER_ROWS_MIN: Final = 2


def table_lines(rows: list[list[str]]) -> Iterator[str]:
    """One " | " line per row; a table of fields (`field_table`) gives each row as a heading,
    its field's name, over its content; a table of three columns or more under a header
    row gives each row's cells with their column's name (`header_row`)."""
    if field_table(rows):
        for name, content in rows:
            if content:
                yield f"{'#' * _FIELD_LEVEL} {name}"
                yield content
        return
    header = header_row(rows)
    for cells in rows:
        if header is None or cells == header or len(cells) != len(header):
            yield CELL.join(cells)
        else:
            yield CELL.join(
                f"{name}：{cell}" for name, cell in zip(header, cells, strict=True) if cell
            )


def header_row(rows: list[list[str]]) -> list[str] | None:
    """The table's first row when it names its columns ("事项名称 | 申请材料 | 办结时限 | 收费"):
    three cells or more, each a short name (no figure, no clause), none the same, over two
    rows or more. A row of a 办事指南 drawn with one line per item read "首台（套）保险区级
    补贴 | ①省级首台（套）认定文件；… | 受理后40个工作日": nothing in it said these were its
    申请材料 and its 办结时限, and a question on them found the row without those words
    (tingbu, written blind). Each row then reads as a workbook's row does, "申请材料：…"."""
    if len(rows) < _HEADER_ROWS_MIN + 1:
        return None
    header = rows[0]
    if len(header) < _HEADER_CELLS_MIN or len(set(header)) != len(header):
        return None
    if not all(_HEADER_CELL.fullmatch(cell) for cell in header):
        return None
    return header


def field_table(rows: list[list[str]]) -> bool:
    """A service guide (办事指南) is one table of fields, each row a field and its content: read
    as " | " rows, the fee, the hours and the place ran together in one passage of no
    heading, and a question on the fee found the 汇编's measure before the guide (zheling,
    written blind). A table of figures by kind ("服务对象 | 年化担保费率" over "小微企业 | 0.8%"),
    or of places by type, has short values or too few rows: it stays as rows."""
    if len(rows) < GUIDE_FIELDS_MIN or any(len(cells) != 2 for cells in rows):
        return False
    names = [cells[0] for cells in rows]
    if len(set(names)) != len(names) or not all(_FIELD_NAME.fullmatch(n) for n in names):
        return False
    return 2 * sum(bool(_CLAUSE.search(cells[1])) for cells in rows) >= len(rows)
