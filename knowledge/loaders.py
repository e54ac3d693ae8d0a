"""File bytes → plain text with light Markdown structure, one function per format.

Everything here is pure and synchronous: callers run it in a worker thread. Every way a
file can be bad ends in an `IngestError` with a code, never in a library traceback,
because the uploader is an officer in a chat, not a developer.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath
from typing import TYPE_CHECKING, Final

from knowledge.encoding import decode_text
from knowledge.errors import IngestError
from knowledge.htmlpage import html_text
from knowledge.pdftables import join_wrapped, page_text
from knowledge.structure import (
    BOLD_TITLE_LEVEL,
    FIELD_START,
    GUIDE_FIELDS_MIN,
    REFERENCE_START,
    STRUCTURE_START,
    may_be_bold_title,
    reads_as_compilation,
)
from knowledge.tables import CELL, table_lines
from knowledge.worddoc import doc_text
from knowledge.workbook import workbook_text, xls_text

if TYPE_CHECKING:  # python-docx and pypdf are imported when such a file arrives
    from docx.table import Table
    from docx.text.paragraph import Paragraph

DEFAULT_MAX_BYTES: Final = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES: Final = 100 * 1024 * 1024
MAX_ZIP_RATIO: Final = 100
# Ratios only matter once the expanded size could hurt; tiny XML parts compress well.
_RATIO_CHECK_FLOOR: Final = 1024 * 1024
# A page with fewer visible characters than this on average is treated as a scan.
_MIN_PDF_CHARS_PER_PAGE: Final = 8

_FILE_TYPES: Final = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".docx": "docx",
    # Word 97–2003, and WPS Writer's own extension for the same binary format
    ".doc": "doc",
    ".wps": "doc",
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xls": "xls",
    ".html": "html",
    ".htm": "html",
}
# the part a Word document or an Excel workbook cannot be without
_DOCUMENT_PART: Final = "word/document.xml"
_WORKBOOK_PART: Final = "xl/workbook.xml"
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_PAGE_NUMBER_LINE = re.compile(
    r"^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d{1,4})[-—–\s]*$"
)
_SENTENCE_END: Final = "。！？；：:;!?」”）)】"


def file_type_for(filename: str) -> str | None:
    """The file type string for a supported extension, else None."""
    return _FILE_TYPES.get(PurePath(filename).suffix.lower())


def extract_text(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, str]:
    """Return (text, file_type); raises IngestError for anything that cannot be indexed."""
    file_type = file_type_for(filename)
    if file_type is None:
        raise IngestError("unsupported_type", filename)
    if len(data) > max_bytes:
        raise IngestError("too_large", filename, f"{len(data)} > {max_bytes} bytes")
    if file_type == "docx":
        text = docx_text(data, filename)
    elif file_type == "pdf":
        text = pdf_text(data, filename)
    elif file_type == "doc":
        text = doc_text(data, filename)
    elif file_type == "xlsx":
        check_zip(data, filename, member=_WORKBOOK_PART)
        text = workbook_text(data, filename)
    elif file_type == "xls":
        text = xls_text(data, filename)
    elif file_type == "html":
        text = html_text(data, filename)
    else:
        text = decode_text(data, filename)
    if not text.strip():
        raise IngestError("empty", filename)
    return text, file_type


# --- docx -------------------------------------------------------------------------


def check_zip(
    data: bytes,
    filename: str,
    *,
    max_unzipped: int = MAX_UNZIPPED_BYTES,
    max_ratio: int = MAX_ZIP_RATIO,
    member: str = _DOCUMENT_PART,
) -> None:
    """Refuse zip bombs from the central directory alone, before anything is inflated.

    zipfile stops reading a member at its declared size, so the declared sizes are a
    real upper bound on what python-docx can be made to inflate.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise IngestError("corrupt_file", filename) from exc
    unpacked = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if unpacked > max_unzipped:
        raise IngestError("zip_bomb", filename, f"{unpacked} bytes unpacked")
    if unpacked > _RATIO_CHECK_FLOOR and unpacked / packed > max_ratio:
        raise IngestError("zip_bomb", filename, f"ratio {unpacked // packed}:1")
    if member not in names:
        raise IngestError("corrupt_file", filename, f"no {member}")


def docx_text(data: bytes, filename: str) -> str:
    """Body paragraphs and tables in document order; heading styles become `#` lines, and so
    does a compilation's bold title line (`_bold_title`)."""
    check_zip(data, filename)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        items = list(document.iter_inner_content())
        compilation = _reads_as_compilation(items)
        blocks = [block for item in items for block in _docx_block(item, compilation)]
    except IngestError:
        raise
    except Exception as exc:  # python-docx raises KeyError, lxml errors, ValueError …
        raise IngestError("corrupt_file", filename) from exc
    return "\n\n".join(blocks)


def _reads_as_compilation(items: list[Paragraph | Table]) -> bool:
    """The file calls itself a 政策汇编: in its first line, or in the 编印说明 ("本汇编收录…")."""
    from docx.table import Table

    return reads_as_compilation(
        [item.text.strip() for item in items if not isinstance(item, Table)]
    )


def _docx_block(item: Paragraph | Table, compilation: bool = False) -> Iterator[str]:
    from docx.table import Table

    if isinstance(item, Table):
        yield from _table_rows(item)
        return
    text = item.text.strip()
    if not text:
        return
    level = _heading_level(item) or (BOLD_TITLE_LEVEL if compilation and _bold_title(item) else 0)
    yield f"{'#' * level} {text}" if level else text


# a guide's field opening a line: "收费标准：补贴事项本身不收费" (a name of its own, not a clause's
# words before a colon) starts a line of its own, as an article does
# (on a page where GUIDE_FIELDS_MIN lines open so: elsewhere "…向新区金融局 / 报告：（一）…" is a wrap)
_FIELD_LINE = re.compile(rf"{FIELD_START.pattern}\S")


def _bold_title(paragraph: Paragraph) -> bool:
    """A 政策汇编 written in Word may set each measure's name as a bold line and number nothing
    ("科技型企业知识产权质押融资贴息" over its "政策内容：…" lines): the bold is its only mark of
    a heading. Only a compilation's lines are read so: elsewhere a bold line is a document's
    own title or a 第X章 already read by its number, and reading those as headings would move
    every passage of the documents a bureau has loaded."""
    text = paragraph.text.strip()
    if not may_be_bold_title(text):
        return False
    runs = [run for run in paragraph.runs if run.text.strip()]
    style_bold = _style_bold(paragraph)
    return bool(runs) and all(run.bold or (run.bold is None and style_bold) for run in runs)


def _style_bold(paragraph: Paragraph) -> bool:
    """Whether the paragraph's style (or one it is based on) sets bold."""
    style = paragraph.style
    while style is not None:
        bold = style.font.bold
        if bold is not None:
            return bool(bold)
        style = style.base_style
    return False


def _heading_level(paragraph: Paragraph) -> int:
    style = paragraph.style
    name = (style.name or "") if style is not None else ""
    if name.lower() == "title":
        return 1
    match = _HEADING_STYLE.match(name.strip())
    return min(int(match.group(1)), 6) if match else 0


def _table_rows(table: Table) -> Iterator[str]:
    """One line per row (`table_lines`); merged cells (repeated by python-docx) are written
    once."""
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(cells)
    yield from table_lines(rows)


# --- pdf --------------------------------------------------------------------------


def pdf_text(data: bytes, filename: str) -> str:
    """Text layer of every page, with visual line breaks inside sentences re-joined and ruled
    tables read by their cells (`pdftables`)."""
    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise IngestError("encrypted_pdf", filename)
        pages = [page_text(page) for page in reader.pages]
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, but also ValueError/KeyError …
        raise IngestError("corrupt_file", filename) from exc
    visible = sum(len("".join(page.split())) for page in pages)
    if not pages or visible < _MIN_PDF_CHARS_PER_PAGE * len(pages):
        raise IngestError("no_text_layer", filename)
    return "\n\n".join(reflow_pdf_page(page) for page in pages).strip()


# cells of a table drawn as text rows are set apart by runs of spaces in the text layer
_TABLE_GAP = re.compile(r"(?<=\S)[ \t]{3,}(?=\S)")


def reflow_pdf_page(page: str) -> str:
    """Drop page-number lines and join lines the PDF broke only because the line was full.

    A table drawn as text rows ("能繁母牛      8000元/头      5%") reads as rows of cells
    set apart by " | ", as a .docx table's do, and no row joins another or a sentence:
    its spaced-out rows were the page's widest lines, so no line of text counted as full
    and the rows ran together ("…400元育肥牛…"), in passages whose quotes then ended
    before the amounts (a blind KB's insurance scheme).

    A line is a continuation when the previous one is (nearly) as wide as the widest line
    on the page and does not end a sentence, and it does not itself start an article or
    item — so titles and short headings keep their own lines. A line that starts with an
    article's number running straight into a reference ("第三条所列比例…") continues too: read
    as an article, it was a second 第三条 after 第四条 (a blind KB's fee-subsidy measure).
    """
    lines = [_TABLE_GAP.sub(CELL, line.strip()) for line in page.splitlines()]
    lines = [line for line in lines if line and not _PAGE_NUMBER_LINE.match(line)]
    if not lines:
        return ""
    full_width = max(_display_width(line) for line in lines) * 0.8
    # a page of a guide's fields ("承诺办结时限：…" / "收费标准：…"): each field opens its line
    fields = sum(bool(_FIELD_LINE.match(line)) for line in lines) >= GUIDE_FIELDS_MIN
    out: list[str] = [lines[0]]
    last_width = _display_width(lines[0])
    for line in lines[1:]:
        prev = out[-1]
        continues = (
            last_width >= full_width
            and prev[-1] not in _SENTENCE_END
            and (not STRUCTURE_START.match(line) or REFERENCE_START.match(line))
            and not (fields and _FIELD_LINE.match(line))
            and not line.startswith("#")
            and CELL not in prev
            and CELL not in line
        )
        if continues:
            out[-1] = join_wrapped(prev, line)
        else:
            out.append(line)
        last_width = _display_width(line)
    return "\n".join(out)


def _display_width(line: str) -> int:
    """Printed width: CJK and full-width characters take two columns, ASCII one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
