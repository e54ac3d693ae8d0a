"""A PDF page's ruled tables, read by their cells.

Bureaus print their 奖励标准一览表 and 办事指南 as tables with a grid ("序号 | 项目 | 支持对象 |
支持标准 | 上限 | 政策依据"). A PDF's text layer holds such a table cell after cell, each cell's
wrapped lines one under the other: "科技保险保费补" / "贴第1项" / "在本区注册的科技型中" / …, so
no line says which 上限 goes with which 项目, the words a cell wraps are cut in two, and a row
runs into the next. A Word table's rows are read as " | " lines (`tables.table_lines`); a
PDF's are read the same way from where its text stands inside the grid its lines draw.

A grid is a set of ruling lines (strokes or thin rectangles) that cross one another, with
at least three vertical lines (two columns) and three horizontal ones (two rows). A page
without one is read as its text layer reads (`loaders.pdf_text`). A cell that spans columns
(no vertical line through that row) is read once.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from knowledge.tables import table_lines

if TYPE_CHECKING:
    from pypdf import PageObject

_ALIGN: Final = 1.5  # points within which two rulings stand on one line
_MIN_RULE: Final = 5.0  # a shorter stroke is a mark, not a ruling
_THIN: Final = 2.0  # a rectangle thinner than this is drawn as a ruling
_SAME_LINE: Final = 2.0  # baselines within this are one line of text
_MIN_COLUMNS: Final = 2
_MIN_ROWS: Final = 2

Matrix = tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class _Rule:
    """A horizontal (y fixed, from x0 to x1) or vertical (x fixed, from y0 to y1) ruling."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class _Run:
    x: float
    y: float
    text: str


@dataclass
class _Grid:
    xs: list[float]  # column boundaries, left to right
    ys: list[float]  # row boundaries, top to bottom
    verticals: list[_Rule]

    def holds(self, run: _Run) -> bool:
        return (
            self.xs[0] - _ALIGN <= run.x <= self.xs[-1] + _ALIGN
            and self.ys[-1] <= run.y <= self.ys[0]
        )

    def cell(self, run: _Run) -> tuple[int, int]:
        """The run's row, and its column among the boundaries that cross that row."""
        row = sum(1 for y in self.ys[1:-1] if run.y < y)
        middle = (self.ys[row] + self.ys[row + 1]) / 2
        bounds = [x for x in self.xs[1:-1] if self._crosses(x, middle)]
        return row, bisect_right(bounds, run.x + _ALIGN)

    def _crosses(self, x: float, y: float) -> bool:
        return any(
            abs(rule.at - x) <= _ALIGN and rule.start - _ALIGN <= y <= rule.end + _ALIGN
            for rule in self.verticals
        )


def page_text(page: PageObject) -> str:
    """The page's text, its ruled tables as " | " rows; the text layer as pypdf reads it
    when the page draws no grid."""
    rules: list[_Rule] = []
    runs: list[_Run] = []
    pen: list[tuple[float, float]] = []

    def operand(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        matrix = _matrix(cm)
        try:
            values = [float(arg) for arg in args]
        except (TypeError, ValueError):
            return
        if op == b"m" and len(values) == 2:
            pen[:] = [_apply(matrix, values[0], values[1])]
        elif op == b"l" and len(values) == 2 and pen:
            end = _apply(matrix, values[0], values[1])
            rules.extend(_ruling(pen[0], end))
            pen[:] = [end]
        elif op == b"re" and len(values) == 4:
            rules.extend(_rectangle(matrix, *values))

    def text(shown: str, cm: list[float], tm: list[float], font: Any, size: Any) -> None:
        if not shown.strip():
            return
        x, y = _apply(_multiply(_matrix(tm), _matrix(cm)), 0.0, 0.0)
        runs.append(
            _Run(x, y, " ".join(part.strip() for part in shown.split("\n") if part.strip()))
        )

    plain = page.extract_text(visitor_operand_before=operand, visitor_text=text) or ""
    grids = _grids(rules)
    if not grids:
        return plain
    return _with_tables(runs, grids)


def _with_tables(runs: list[_Run], grids: list[_Grid]) -> str:
    """The page top to bottom: lines of text outside the grids, each grid as its rows."""
    blocks: list[tuple[float, list[str]]] = []
    outside: list[_Run] = []
    cells: list[dict[tuple[int, int], list[_Run]]] = [{} for _ in grids]
    for run in runs:
        at = next((i for i, grid in enumerate(grids) if grid.holds(run)), None)
        if at is None:
            outside.append(run)
        else:
            cells[at].setdefault(grids[at].cell(run), []).append(run)
    for grid, held in zip(grids, cells, strict=True):
        blocks.append((grid.ys[0], list(table_lines(_rows(held)))))
    for y, line in _lines(outside):
        blocks.append((y, [line]))
    blocks.sort(key=lambda block: -block[0])
    return "\n".join(line for _, lines in blocks for line in lines)


def _rows(held: dict[tuple[int, int], list[_Run]]) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in sorted({row for row, _ in held}):
        cells = [_joined(held[key]) for key in sorted(key for key in held if key[0] == row)]
        if any(cells):
            rows.append(cells)
    return rows


def join_wrapped(left: str, right: str) -> str:
    """Two pieces of text a PDF set on two lines, as one: no space inside Chinese text."""
    if not left:
        return right
    return left + right if _cjk(left[-1]) or _cjk(right[0]) else f"{left} {right}"


def _joined(runs: list[_Run]) -> str:
    """A cell's text: its wrapped lines joined as one (no space inside Chinese text)."""
    out = ""
    for _, line in _lines(runs):
        out = join_wrapped(out, line)
    return out


def _lines(runs: list[_Run]) -> list[tuple[float, str]]:
    """Runs on one baseline as one line, left to right; lines top to bottom."""
    lines: list[tuple[float, list[_Run]]] = []
    for run in sorted(runs, key=lambda run: (-run.y, run.x)):
        if lines and abs(lines[-1][0] - run.y) <= _SAME_LINE:
            lines[-1][1].append(run)
        else:
            lines.append((run.y, [run]))
    out: list[tuple[float, str]] = []
    for y, line in lines:
        text = ""
        for run in sorted(line, key=lambda run: run.x):
            text = join_wrapped(text, run.text)
        out.append((y, text))
    return out


def _cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


# --- rulings and grids ---------------------------------------------------------------------


def _ruling(start: tuple[float, float], end: tuple[float, float]) -> list[_Rule]:
    (x0, y0), (x1, y1) = start, end
    if abs(y0 - y1) <= _ALIGN / 3 and abs(x0 - x1) >= _MIN_RULE:
        return [_Rule(True, (y0 + y1) / 2, min(x0, x1), max(x0, x1))]
    if abs(x0 - x1) <= _ALIGN / 3 and abs(y0 - y1) >= _MIN_RULE:
        return [_Rule(False, (x0 + x1) / 2, min(y0, y1), max(y0, y1))]
    return []


def _rectangle(matrix: Matrix, x: float, y: float, w: float, h: float) -> list[_Rule]:
    """A thin rectangle is one ruling; any other, its four edges (a cell's border)."""
    (x0, y0), (x1, y1) = _apply(matrix, x, y), _apply(matrix, x + w, y + h)
    left, right, bottom, top = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    if top - bottom < _THIN and right - left >= _MIN_RULE:
        return [_Rule(True, (top + bottom) / 2, left, right)]
    if right - left < _THIN and top - bottom >= _MIN_RULE:
        return [_Rule(False, (left + right) / 2, bottom, top)]
    if right - left < _MIN_RULE or top - bottom < _MIN_RULE:
        return []
    return [
        _Rule(True, bottom, left, right),
        _Rule(True, top, left, right),
        _Rule(False, left, bottom, top),
        _Rule(False, right, bottom, top),
    ]


def _grids(rules: list[_Rule]) -> list[_Grid]:
    """Rulings that cross one another, grouped; those with enough rows and columns."""
    parent = list(range(len(rules)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [i for i, rule in enumerate(rules) if rule.horizontal]
    vertical = [i for i, rule in enumerate(rules) if not rule.horizontal]
    for h in horizontal:
        for v in vertical:
            if _cross(rules[h], rules[v]):
                parent[root(h)] = root(v)
    groups: dict[int, list[_Rule]] = {}
    for i in horizontal + vertical:
        groups.setdefault(root(i), []).append(rules[i])
    grids = []
    for group in groups.values():
        xs = _distinct(rule.at for rule in group if not rule.horizontal)
        ys = _distinct(rule.at for rule in group if rule.horizontal)
        if len(xs) > _MIN_COLUMNS and len(ys) > _MIN_ROWS:
            verticals = [rule for rule in group if not rule.horizontal]
            grids.append(_Grid(xs, sorted(ys, reverse=True), verticals))
    return grids


def _cross(h: _Rule, v: _Rule) -> bool:
    return h.start - _ALIGN <= v.at <= h.end + _ALIGN and v.start - _ALIGN <= h.at <= v.end + _ALIGN


def _distinct(values: Any) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _ALIGN:
            out.append(value)
    return out


# --- matrices ----------------------------------------------------------------------------


def _matrix(values: list[float]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values[:6])
    return a, b, c, d, e, f


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n, in PDF's row-vector convention."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]
