"""A page saved from the browser (`.html`, `.htm`): the article it shows, as text.

Bureaus keep policies as the pages they were published on, and explain them in their WeChat
公众号 ("【政策速递】一图读懂…"); staff save either with Ctrl+S. The file holds scripts, styles and
navigation around the article, and a 公众号 article's own furniture: the account's name, 原创,
阅读原文, 分享, 收藏, 在看, the 往期推荐 list of other articles' titles and the QR code's
caption. Read as plain text, the page's code and the other articles' titles would be
passages answering questions they have nothing to do with.

What the reader keeps is what a browser shows of the article: block elements as lines,
`<h1>`…`<h6>` as `#` headings, a short line set wholly in bold ("01 | 谁能申请", "▶ 支持标准",
the way such articles mark their parts) as a heading under the title, tables as rows (a
办事指南's table of fields as one heading per field, as in Word), the page's title (its
`og:title`, `<title>` or first `<h1>`) as the document's, and the publication date shown
above the article as its 发布日期. A government page's own furniture (breadcrumb, 浏览次数,
【打印】) is left to `webpage`, which reads it in text copies too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Final

from knowledge.encoding import decode_text
from knowledge.errors import IngestError
from knowledge.structure import STRUCTURE_START
from knowledge.tables import table_lines
from knowledge.webpage import PAGE_KEYS, is_info_line

# what a browser does not show
_HIDDEN: Final = frozenset(
    ["script", "style", "noscript", "template", "svg", "head", "iframe", "button", "select",
     "textarea", "nav", "object", "canvas"]
)  # fmt: skip
_BLOCKS: Final = frozenset(
    ["p", "div", "section", "article", "main", "aside", "header", "footer", "h1", "h2", "h3",
     "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "figure",
     "figcaption", "hr", "address", "center", "form", "fieldset", "legend", "details",
     "summary"]
)  # fmt: skip
_VOID: Final = frozenset(["br", "hr", "img", "meta", "link", "input", "wbr", "source", "col"])
_BOLD_TAGS: Final = frozenset(["b", "strong", "h1", "h2", "h3", "h4", "h5", "h6"])
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)", re.IGNORECASE)
_HEADING_TAG = re.compile(r"^h([1-6])$")
_SPACE = re.compile(r"\s+")
_SITE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s)\s*")
# a line break of the source between two Chinese characters, which a browser shows as nothing
# worth reading (a space typed between them is kept: "来源：区财政局 浏览次数：321")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*\n\s*(?=[{_CJK}])")

# a bold line is a part's heading when it is short and one phrase, not a clause, not a line
# already read by its number (一、 / 第五条), and not the whole of an emphasised sentence
_BOLD_HEADING_MAX: Final = 30
_BOLD_HEADING_LEVEL: Final = 2
_CLAUSE_ENDING = re.compile(r"[。；;，,：:！？!?…]$")

# a 公众号 article's furniture: lines that are nothing else
_FURNITURE: Final = re.compile(
    r"^(?:原创|原创\s*\S{0,12}|阅读原文|轻触阅读原文|分享|收藏|在看|点赞|赞|写留言|留言|"
    r"喜欢此内容的人还喜欢|预览时标签不可点|继续滑动看下一个|向上滑动看下一个|知道了|取消|允许|"
    r"微信扫一扫\S{0,20}|(?:长按|扫描|扫码)\S{0,6}(?:二维码|关注)\S{0,20}|点击上方\S{0,10}关注\S{0,10}|"
    r"(?:阅读|阅读量|浏览)\s*[0-9０-９万+]+|[0-9０-９]+\s*(?:人)?(?:阅读|在看|点赞))$"
)
# … and what follows its end: the titles of other articles
_OTHER_ARTICLES: Final = re.compile(
    r"^[▼▽↓>》▶◆■●\s]*(?:往期推荐|往期回顾|往期精选|推荐阅读|相关阅读|相关推荐|猜你喜欢)\s*[▼▽↓]*$"
)
# the publication date shown above the article ("汀埠金融 2030-11-03 10:21", "2030年11月3日")
_SHOWN_DATE = re.compile(
    r"(?<!\d)(\d{4})\s*(?:[-./年])\s*(\d{1,2})\s*(?:[-./月])\s*(\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
_HEAD_ZONE: Final = 6  # lines above the article where the account, 原创 and the date stand
_HEAD_REST_MAX: Final = 16  # … the date's line holds nothing else but the account's name
_HEAD_REST = re.compile(r"[，。；;：:,]")


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    cells: list[str] | None = None  # the row being read
    cell: list[str] | None = None  # the cell being read


class _PageReader(HTMLParser):
    """Collects the shown text as lines, each marked whether all of it was bold."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[str, bool, int]] = []  # (text, bold, heading level)
        self.tables: dict[int, list[list[str]]] = {}  # a line index → the table it stands for
        self.title = ""
        self.og_title = ""
        self._hidden = 0
        self._in_title = False
        self._stack: list[tuple[str, bool]] = []  # open tags and whether each sets bold
        self._parts: list[tuple[str, bool]] = []  # the current line's text pieces, bold or not
        self._heading = 0
        self._tables: list[_Table] = []

    # --- tags -----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("property", "").lower() == "og:title":
            self.og_title = values.get("content", "").strip()
        if tag == "title":
            self._in_title = True
        if tag in _HIDDEN:
            self._hidden += tag not in _VOID
            return
        if self._hidden:
            return
        if tag == "table":
            self._break()
            self._tables.append(_Table())
        elif tag == "tr" and self._tables:
            self._tables[-1].cells = []
        elif tag in ("td", "th") and self._tables:
            self._tables[-1].cell = []
        elif tag == "br" or tag in _BLOCKS:
            self._break()
        heading = _HEADING_TAG.match(tag)
        if heading:
            self._heading = int(heading.group(1))
        if tag not in _VOID:
            bold = tag in _BOLD_TAGS or bool(_BOLD_STYLE.search(values.get("style", "")))
            self._stack.append((tag, bold))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
            return
        if self._hidden:
            return
        if tag in ("td", "th") and self._tables:
            self._end_cell(self._tables[-1])
        elif tag == "tr" and self._tables:
            self._end_row(self._tables[-1])
        elif tag == "table" and self._tables:
            self._end_table(self._tables.pop())
        elif tag in _BLOCKS:
            self._break()
        if _HEADING_TAG.match(tag):
            self._break()
            self._heading = 0
        # close up to the matching tag: pages leave <p> and <li> open
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._hidden or not data:
            return
        if self._tables and self._tables[-1].cell is not None:
            self._tables[-1].cell.append(data)
            return
        self._parts.append((data, any(bold for _, bold in self._stack)))

    # --- lines and tables ---------------------------------------------------------------

    def _break(self) -> None:
        if self._tables and self._tables[-1].cell is not None:
            self._tables[-1].cell.append("\n")
            return
        text = _shown(" ".join(piece for piece, _ in self._parts))
        if text:
            bold = all(b for piece, b in self._parts if piece.strip())
            self.lines.append((text, bold, self._heading))
        self._parts = []

    def _end_cell(self, table: _Table) -> None:
        if table.cell is None:
            return
        text = " ".join(_shown(piece) for piece in "".join(table.cell).split("\n"))
        if table.cells is None:
            table.cells = []
        table.cells.append(text.strip())
        table.cell = None

    def _end_row(self, table: _Table) -> None:
        if table.cell is not None:
            self._end_cell(table)
        if table.cells and any(table.cells):
            table.rows.append(table.cells)
        table.cells = None

    def _end_table(self, table: _Table) -> None:
        self._end_row(table)
        if not table.rows:
            return
        if self._tables:  # a table inside a cell: its rows are that cell's text
            outer = self._tables[-1]
            if outer.cell is not None:
                outer.cell.append("\n".join(" ".join(row) for row in table.rows))
                return
        self._break()
        self.tables[len(self.lines)] = table.rows
        self.lines.append(("", False, 0))

    def close(self) -> None:
        super().close()
        while self._tables:
            self._end_table(self._tables.pop())
        self._break()


def _shown(text: str) -> str:
    """Whitespace as a browser shows it: one space, none for the source's line break between
    two Chinese characters."""
    return _SPACE.sub(" ", _CJK_BREAK.sub("", text.replace("\u00a0", " "))).strip()


def html_text(data: bytes, filename: str) -> str:
    """The article the page shows: its title as `# title`, the date shown above it as
    发布日期, its headings, paragraphs and tables; scripts, styles, navigation and a 公众号's
    furniture are not read."""
    markup = decode_text(data, filename)
    reader = _PageReader()
    try:
        reader.feed(markup)
        reader.close()
    except (AssertionError, ValueError) as exc:  # html.parser gives up only on broken markup
        raise IngestError("corrupt_file", filename) from exc
    shown = [text for text, _, _ in reader.lines if text]
    title = _page_title(reader.og_title, reader.title, shown)
    lines = _article(reader, title)
    if not title:  # a page without a <title>: its first heading
        title = next((text.lstrip("# ") for text in lines if text.startswith("#")), "")
    lines = _from_title(lines, title)
    date, body = _head_zone(lines)
    out = [f"# {title}"] if title else []
    out += [f"发布日期：{date}"] if date else []
    return "\n\n".join([*out, *body]).strip()


def _page_title(og_title: str, title: str, shown: list[str]) -> str:
    """The article's title: the page's og:title, else its <title> without the site's name
    ("关于…的通知_某区人民政府", "… - 某区人民政府"): the part the page shows as a line."""
    if og_title.strip():
        return _shown(og_title)
    lines = {_SPACE.sub("", line) for line in shown}
    if _SPACE.sub("", title) in lines:
        return _shown(title)
    parts = [_shown(part) for part in _SITE_SEPARATOR.split(title) if part.strip()]
    if not parts:
        return ""
    return next((part for part in parts if _SPACE.sub("", part) in lines), max(parts, key=len))


def _from_title(lines: list[str], title: str) -> list[str]:
    """The lines from where the page shows the title: above it stand the site's menus and
    breadcrumb, of which only the info box's `键：值` lines are the document's."""
    plain = _SPACE.sub("", title)
    at = next(
        (i for i, line in enumerate(lines) if _SPACE.sub("", line.lstrip("# ")) == plain), None
    )
    if not title or at is None:
        return lines
    kept = [line for line in lines[:at] if is_info_line(line) or _SHOWN_DATE.search(line)]
    return kept + lines[at + 1 :]


def _info_lines(rows: list[list[str]]) -> list[str] | None:
    """A page's info box drawn as a table ("索引号 | … | 发文机关 | …"): its `键：值` pairs."""
    pairs: list[str] = []
    for cells in rows:
        cells = [cell for cell in cells if cell]
        if len(cells) % 2:
            return None
        for key, value in zip(cells[::2], cells[1::2], strict=True):
            name = key.rstrip("：: ")
            if name not in PAGE_KEYS:
                return None
            pairs.append(f"{name}：{value}")
    return pairs or None


def _article(reader: _PageReader, title: str) -> list[str]:
    """The page's lines as text: headings marked, tables as rows, furniture and the list of
    other articles left out, the title not repeated."""
    out: list[str] = []
    for index, (text, bold, level) in enumerate(reader.lines):
        if index in reader.tables:
            rows = reader.tables[index]
            out.extend(_info_lines(rows) or table_lines(rows))
            continue
        if _OTHER_ARTICLES.match(text) and out:
            break
        if _FURNITURE.match(text):
            continue
        if level:
            out.append(f"{'#' * level} {text}")
        elif bold and _bold_heading(text):
            out.append(f"{'#' * _BOLD_HEADING_LEVEL} {text}")
        else:
            out.append(text)
    return out


def _bold_heading(text: str) -> bool:
    return (
        len(text) <= _BOLD_HEADING_MAX
        and not _CLAUSE_ENDING.search(text)
        and not STRUCTURE_START.match(text)
    )


def _head_zone(lines: list[str]) -> tuple[str | None, list[str]]:
    """The date shown above the article ("汀埠金融 原创 2030-11-03 10:21"), and the lines
    from the article's start: the account's name beside the date is not the article's."""
    for index, line in enumerate(lines[:_HEAD_ZONE]):
        match = _SHOWN_DATE.search(line)
        if match is None or line.startswith("#"):
            continue
        rest = (line[: match.start()] + line[match.end() :]).strip()
        if len(rest) > _HEAD_REST_MAX or _HEAD_REST.search(rest):
            continue
        year, month, day = (int(part) for part in match.groups())
        head = [line for line in lines[:index] if line.startswith("#")]
        return f"{year:04d}-{month:02d}-{day:02d}", head + lines[index + 1 :]
    return None, lines
