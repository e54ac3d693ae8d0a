"""An Excel workbook (.xlsx, or .xls through `knowledge.xls`) read as a policy document.

Bureaus publish much of their policy as spreadsheets: a 惠企政策清单 with one row per
measure (政策名称 | 政策依据 | 支持对象 | 支持标准 | 有效期 …), a 收费标准一览表 of rates per kind of
firm, a 合作银行及产品名录. Read cell by cell, a row is a run of values whose meaning sits in
the header several rows above it ("0.008" under "担保费率" three screens up), so every row
is written with its header: "担保费率：0.80%；企业类型：小微企业".

- A sheet whose rows are measures (its header has a 名称 column: 政策名称, 产品名称, 基金名称)
  writes each row as an entry of a compilation, "【03】上市挂牌奖励", then one "字段：值" line
  per column. The chunker reads a workbook as a compilation (`structure.is_compilation`),
  so each measure is answered with the dates, 文号 and issuer its own row gives
  (`knowledge.compilation`): a row whose 有效期 ended is not in force although the workbook is.
- Any other sheet writes each row on one line, "header：value；header：value", under the
  sheet's name and its title rows.

Cells are written as Excel shows them: a rate stored as 0.008 and formatted as a percentage
is "0.80%", a date is "2029年7月1日", a number under "奖励金额（万元）" is "200万元". Merged
cells are read once, at their first row and column, and a category merged down its rows
(政策类别) is repeated on each row it spans. A cell's own line breaks ("1.…\n2.…") are joined
with a space: a cell is one field, and its numbered lines are not the document's items.
Hidden sheets are skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING, Final

from knowledge.cells import cell_text, trimmed
from knowledge.errors import IngestError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_SEARCH_ROWS: Final = 10  # title rows above the header
_MIN_HEADER_CELLS: Final = 2
# the column naming what a row is: 政策名称, 产品名称, 基金名称, 事项名称, 项目名称 …
_NAME_HEADER = re.compile(r"^(?:(?:政策|事项|项目|产品|基金|措施)(?:名称)?|政策事项|政策项目)$")
_SERIAL_HEADER = re.compile(r"^(?:序号|编号|序|No\.?|#)$", re.IGNORECASE)
# a unit in a header's brackets: "奖励金额（万元）", "费率（%）", "期限（年）"
_HEADER_UNIT = re.compile(r"^(?P<name>.+?)\s*[（(](?P<unit>[^（）()]{1,16})[）)]$")
_UNIT = re.compile(
    r"^(?:[万亿千百]?元(?:/[\u4e00-\u9fff]{1,2})?|%|‰|年|个月|月|天|日|户|人|家|倍|亩|万股)$"
)
_ENDS_IN_DIGIT = re.compile(r"\d$")
_ROW_LINE_MAX: Final = 160  # a table's row longer than this writes one field per line
_FIELD_JOIN: Final = "；"
_TITLE_MIN: Final = 6  # a shared opening shorter than this ("枫渚区") names no workbook


def workbook_text(data: bytes, filename: str) -> str:
    """Every visible sheet as text under the workbook's title: the file's title property,
    else its sheets' shared title row (`_shared_title`), else the file's name ("奖励与补贴标准
    一览表.xlsx"), never the first sheet's name; IngestError for a file openpyxl cannot read."""
    try:
        from openpyxl import load_workbook

        # not read-only: merged ranges are only known to a full worksheet
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises InvalidFileException, KeyError, zip errors …
        raise IngestError("corrupt_file", filename) from exc
    sheets = [
        (sheet.title, _rows(sheet)) for sheet in book.worksheets if sheet.sheet_state == "visible"
    ]
    return _book_text(sheets, (book.properties.title or "").strip(), filename)


def xls_text(data: bytes, filename: str) -> str:
    """An Excel 97–2003 workbook (.xls) read as an .xlsx is: the same sheets, cells as shown
    and merged ranges; IngestError for a file xlrd cannot read."""
    from knowledge.xls import xls_sheets

    return _book_text(xls_sheets(data, filename), "", filename)


def _book_text(sheets: list[tuple[str, list[list[str]]]], title: str, filename: str) -> str:
    """The visible sheets (name, cells as shown) as text under the workbook's title."""
    tables: list[str] = []
    listed: list[tuple[str, list[str]]] = []  # (sheet name, its measures)
    titled: list[str] = []
    for name, rows in sheets:
        titles, header, body = _layout(rows)
        titled.extend(titles[:1])
        table, measures = _sheet_blocks(name, titles, header, body)
        tables.extend(table)
        if measures:
            listed.append((name, measures))
    entries = _in_parts(listed)
    title = (
        title
        or _shared_title(titled, len(sheets))
        or PurePath(filename).stem  # not the first sheet's name, which names that sheet only
    )
    # the measures last: what stands after a compilation's first entry is some entry's
    text = "\n\n".join(block for block in [*tables, *entries] if block)
    return f"# {title}\n\n{text}" if title and text else text


def _in_parts(listed: list[tuple[str, list[str]]]) -> list[str]:
    """The measures of every sheet, each sheet's under a part named after it when two or
    more sheets list measures ("第二部分 市级政策 / 【01】股份制改造奖励（市级）"): a standards
    table with one sheet per level names the level only in the sheet's name, and its rows,
    read as one list, were all the deployment's own (tongwu, written blind, session 61: the
    city's and the province's rewards were quoted for the county's). A measure whose line
    another sheet already used is told apart by its sheet's name."""
    if len(listed) < 2:
        return [entry for _, measures in listed for entry in measures]
    out: list[str] = []
    seen: set[str] = set()
    for number, (name, measures) in enumerate(listed, 1):
        for index, entry in enumerate(measures):
            line, _, rest = entry.partition("\n")
            if line in seen:
                line = f"{line}（{name.strip()}）"
            seen.add(line)
            entry = f"{line}\n{rest}" if rest else line
            out.append(
                f"第{_part_number(number)}部分 {name.strip()}\n{entry}" if index == 0 else entry
            )
    return out


def _part_number(number: int) -> str:
    """1 → 一 … 10 → 十; a larger number in digits, which a part's heading also takes."""
    return "一二三四五六七八九十"[number - 1] if 1 <= number <= 10 else str(number)


def _shared_title(titles: list[str], sheets: int) -> str:
    """The workbook's name from its sheets' title rows: the one title, or what they all open
    with ("枫渚区惠企金融政策申报材料清单（2029年）——转贷应急", "…——首贷贴息"); none when they
    differ (a sheet's title names that sheet only, and the file's own name is better). The
    one title of a workbook of several sheets names the workbook without its sheet's part
    ("…申报材料清单（2029年）——转贷应急" above the first of four sheets)."""
    if len(titles) <= 1:
        title = titles[0] if titles else ""
        return title.split("——")[0].strip() if sheets > 1 else title
    shared = titles[0]
    for other in titles[1:]:
        while not other.startswith(shared):
            shared = shared[:-1]
    shared = shared.rstrip("—－-–、:：（(· ")
    return shared if len(shared) >= _TITLE_MIN else ""


def _rows(sheet: Worksheet) -> list[list[str]]:
    """The sheet's cells as shown, a merged range's value at its first column of each row
    it spans (a category merged down is read on every row; a title merged across once)."""
    grid = [
        [cell_text(cell.value, cell.number_format) for cell in row] for row in sheet.iter_rows()
    ]
    for merged in sheet.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if grid else ""
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for c in range(merged.min_col - 1, min(merged.max_col, len(grid[r]))):
                grid[r][c] = value if c == merged.min_col - 1 else ""
    return trimmed(grid)


def _layout(rows: list[list[str]]) -> tuple[list[str], list[str], list[list[str]]]:
    """Title rows (one value across the sheet), the header row, and the rows under it. A
    sheet with no header (no row of two or more names in its first rows) is all body."""
    titles: list[str] = []
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        values = [v for v in row if v]
        if len(values) >= _MIN_HEADER_CELLS:
            if all(not _is_number(v) for v in values) and number + 1 < len(rows):
                below = rows[number + 1]
                if _sub_header(row, below) and number + 2 < len(rows):
                    return titles, _joined_header(row, below), rows[number + 2 :]
                return titles, row, rows[number + 1 :]
            break
        titles.extend(values)
    return [], [], rows


def _sub_header(header: list[str], below: list[str]) -> bool:
    """A header of two rows: a name merged across columns ("补贴比例" over "科技型中小企业 |
    专精特新中小企业"), the row under it naming each column, in words only."""
    spanned = [c for c, v in enumerate(below) if v and c < len(header) and not header[c]]
    return bool(spanned) and all(not _is_number(v) for v in below if v)


def _joined_header(header: list[str], below: list[str]) -> list[str]:
    """Each column's two names as one, "补贴比例·专精特新中小企业"; a name merged down both rows
    ("险种") once."""
    out: list[str] = []
    top = ""
    for c in range(max(len(header), len(below))):
        own = header[c] if c < len(header) else ""
        sub = below[c] if c < len(below) else ""
        top = own or top
        out.append(top if not sub or sub == top else (f"{top}·{sub}" if top else sub))
    return out


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"[\d.,%\s]+", value))


def _sheet_blocks(
    name: str, titles: Sequence[str], header: list[str], body: list[list[str]]
) -> tuple[list[str], list[str]]:
    """The sheet's own blocks, and each measure of a 政策清单 as an entry of its own. A table's
    row is a block of its own under the sheet's name and title rows ("## 担保费率 / 枫渚区…一览表 /
    服务对象：个体工商户；年化担保费率：0.80%"), as is the run of notes under it: packed together,
    the rows of one table were one passage about every kind of firm at once, and a 清单's
    one-line summary of the same measure was nearer to any question on one of them."""
    head = [f"## {name.strip()}", *titles]
    if not header:
        return ["\n".join([*head, *(" ".join(v for v in row if v) for row in body)])], []
    names = [h.strip() for h in header]
    name_col = next((i for i, h in enumerate(names) if _NAME_HEADER.match(_plain(h))), None)
    serial_col = next((i for i, h in enumerate(names) if _SERIAL_HEADER.match(h)), None)
    rows = [(row, _fields(row, names)) for row in body]
    listed = name_col is not None and sum(1 for _, fields in rows if fields) >= 2
    blocks: list[list[str]] = []
    entries: list[str] = []
    notes: list[str] = []  # the notes under a table, or a group's heading row, as they come
    for row, fields in rows:
        if not fields:
            if not notes:
                blocks.append(notes)
            notes.append(" ".join(v for v in row if v))
            continue
        notes = []
        # a row's own fields: not its serial number, nor (for a measure) its name
        own = [(names[i], value) for i, value in fields if i not in (serial_col, name_col)]
        if listed and name_col is not None and _cell(row, name_col):
            number = _cell(row, serial_col) if serial_col is not None else ""
            number = number if number.isdigit() else str(len(entries) + 1)
            entry = [f"【{int(number):02d}】{_cell(row, name_col)}", *(_field(*f) for f in own)]
            entries.append("\n".join(entry))
        else:
            named = [(names[i], value) for i, value in fields if i != serial_col]
            blocks.append([_row_line(named)])
    if not blocks and titles and not entries:
        blocks.append([])
    return ["\n".join([*head, *lines]) for lines in blocks], entries


def _fields(row: list[str], names: list[str]) -> list[tuple[int, str]]:
    """A row's (column, value) pairs under a named column, or none for a row of one value
    (a note, a heading)."""
    values = [v for v in row if v]
    if len(values) < _MIN_HEADER_CELLS:
        return []
    return [(i, value) for i, value in enumerate(row) if value and i < len(names) and names[i]]


def _cell(row: list[str], col: int) -> str:
    return row[col] if col < len(row) else ""


def _row_line(fields: list[tuple[str, str]]) -> str:
    """A table's row, with its header: on one line, or one field per line when long."""
    pairs = [_field(name, value) for name, value in fields]
    line = _FIELD_JOIN.join(pairs)
    return line if len(line) <= _ROW_LINE_MAX else "\n".join(pairs)


def _field(name: str, value: str) -> str:
    """ "奖励金额（万元）" and 200 → "奖励金额：200万元"; "政策依据（文件名称及文号）" → "政策依据：…"."""
    match = _HEADER_UNIT.match(name)
    if match is None:
        return f"{name}：{value}"
    unit = match.group("unit")
    if _UNIT.match(unit) and _ENDS_IN_DIGIT.search(value):
        value = f"{value}{unit}" if unit != "%" or not value.endswith("%") else value
    return f"{match.group('name')}：{value}"


def _plain(header: str) -> str:
    match = _HEADER_UNIT.match(header)
    return match.group("name") if match else header
