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


def table_lines(rows: list[list[str]]) -> Iterator[str]:
    """One " | " line per row; a table of fields (`field_table`) gives each row as a heading,
    its field's name, over its content."""
    if field_table(rows):
        for name, content in rows:
            if content:
                yield f"{'#' * _FIELD_LEVEL} {name}"
                yield content
        return
    for cells in rows:
        yield " | ".join(cells)


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
