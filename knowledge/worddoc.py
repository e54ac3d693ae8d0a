"""A Word 97–2003 document (.doc), or a WPS document saved in that format (.wps), read as text.

Government sites publish a large share of their policies as .doc and .wps attachments, and a
bureau's own folders hold more of them than .docx. Before this reader finbot refused them
("unsupported file type"), so a bureau that loaded its folder lost those documents.

The binary format ([MS-DOC]) keeps the document's characters in pieces (the piece table of
the CLX structure in the table stream), each either 8-bit or UTF-16; and each paragraph's
properties (its style, whether it ends a table row) in 512-byte pages of PAPX runs keyed by
file position. This reader takes from them what the .docx reader takes from its XML:
- the main text in order, one paragraph per line; a field's shown result, not its code;
- a paragraph in a built-in heading style (标题 1–9, Title) as a `#` heading line;
- a table's rows, their cells found by the cell marks and the row ends by their paragraph
  properties, as `knowledge.tables.table_lines` writes a .docx table's rows.
Footnotes, headers, comments and text boxes are not read (nor are they in a .docx).

An encrypted file, one with no Word stream, or one whose structures point outside the file
is refused as a corrupt or encrypted file, never read halfway.
"""

from __future__ import annotations

import io
import struct
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from knowledge.errors import IngestError
from knowledge.structure import BOLD_TITLE_LEVEL, may_be_bold_title, reads_as_compilation
from knowledge.tables import table_lines

_WORD_IDENT: Final = 0xA5EC
_ENCRYPTED: Final = 0x0100
_TABLE_1: Final = 0x0200
# where the FIB's variable parts start, and the pairs of FibRgFcLcb97 read here
_FIB_BASE: Final = 32
_STSHF: Final = 1
_PLCF_BTE_CHPX: Final = 12
_PLCF_BTE_PAPX: Final = 13
_CLX: Final = 33
_CCP_TEXT: Final = 3  # in FibRgLw97
_FKP_PAGE: Final = 512
_COMPRESSED: Final = 0x40000000
# paragraph properties: in a table, at a row's end (a row's last mark), a nested row's end
_SPRM_IN_TABLE: Final = 0x2416
_SPRM_TTP: Final = 0x2417
_SPRM_INNER_TTP: Final = 0x244C
_SPRM_TABLE_DEF: Final = 0xD608
_SPRM_HUGE_PAPX: Final = 0x6646
_SPRM_BOLD: Final = 0x0835
# built-in style ids (sti): heading 1–9, Title
_HEADING_STI: Final = range(1, 10)
_TITLE_STI: Final = 62
# the characters of an 8-bit piece that are not Latin-1 where Word wrote cp1252
_CP1252_FIXES: Final = {0x82: "‚", 0x84: "„", 0x85: "…", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x96: "–", 0x97: "—"}  # fmt: skip
# marks that stand for an object, a note or a hyphen, and what they read as
_DROPPED: Final = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08\x1f"), None) | {
    0x1E: "-",
    0xA0: " ",
    0x0B: " ",
}
_PARAGRAPH_ENDS: Final = ("\r", "\x0c")  # a paragraph's mark; a page or section break
_CELL_END: Final = "\x07"
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"


@dataclass(frozen=True, slots=True)
class _Piece:
    cp_start: int
    cp_end: int
    fc: int  # byte offset in the WordDocument stream
    compressed: bool

    def fc_at(self, cp: int) -> int:
        return self.fc + (cp - self.cp_start) * (1 if self.compressed else 2)


@dataclass(frozen=True, slots=True)
class _Paragraph:
    text: str  # without its end mark
    style: int  # the built-in style id of its style, -1 when unknown
    in_table: bool
    row_end: bool
    cell_end: bool
    bold: bool = False  # every character set bold, and short enough to be a title


def _is_ole_file(data: bytes) -> bool:
    """The data opens as an OLE2 compound file (a .doc, a .wps, an .xls …)."""
    return data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def doc_text(data: bytes, filename: str) -> str:
    """The document's paragraphs, headings and tables as lines (see the module's doc)."""
    if not _is_ole_file(data):
        raise IngestError("corrupt_file", filename, "not a Word 97-2003 file")
    try:
        paragraphs = list(_paragraphs(data, filename))
    except IngestError:
        raise
    except (struct.error, IndexError, ValueError, OSError, KeyError) as exc:
        raise IngestError("corrupt_file", filename) from exc
    return "\n\n".join(_blocks(paragraphs))


def _paragraphs(data: bytes, filename: str) -> Iterator[_Paragraph]:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except OSError as exc:
        raise IngestError("corrupt_file", filename) from exc
    with ole:
        if not ole.exists("WordDocument"):
            raise IngestError("corrupt_file", filename, "no WordDocument stream")
        word = ole.openstream("WordDocument").read()
        ident, flags = struct.unpack_from("<H8xH", word, 0)
        if ident != _WORD_IDENT:
            raise IngestError("corrupt_file", filename, "not a Word document")
        if flags & _ENCRYPTED:
            raise IngestError("encrypted_doc", filename)
        table_name = "1Table" if flags & _TABLE_1 else "0Table"
        if not ole.exists(table_name):
            raise IngestError("corrupt_file", filename, f"no {table_name} stream")
        table = ole.openstream(table_name).read()
        extra = ole.openstream("Data").read() if ole.exists("Data") else b""
    fib = _Fib.read(word)
    pieces = _pieces(table, *fib.pair(_CLX))
    text = _main_text(word, pieces, fib.ccp_text)
    papx = _PapxRuns(word, table, extra, *fib.pair(_PLCF_BTE_PAPX))
    bold = _BoldRuns(word, table, *fib.pair(_PLCF_BTE_CHPX))
    styles = _built_in_styles(table, *fib.pair(_STSHF))
    starts = [p.cp_start for p in pieces]

    def fc_of(cp: int) -> int:
        return pieces[bisect_right(starts, cp) - 1].fc_at(cp)

    start = 0
    for cp, char in enumerate(text):
        if char not in _PARAGRAPH_ENDS and char != _CELL_END:
            continue
        istd, sprms = papx.at(fc_of(cp))
        shown = _shown(text[start:cp])
        yield _Paragraph(
            shown, styles.get(istd, -1),
            in_table=_SPRM_IN_TABLE in sprms or char == _CELL_END,
            row_end=_SPRM_TTP in sprms or _SPRM_INNER_TTP in sprms,
            cell_end=char == _CELL_END,
            bold=may_be_bold_title(shown) and bold.all_bold(
                fc_of(at) for at in range(start, cp) if not text[at].isspace()
            ),
        )  # fmt: skip
        start = cp + 1


@dataclass(frozen=True, slots=True)
class _Fib:
    ccp_text: int
    pairs: bytes  # FibRgFcLcb: (fc, lcb) pairs of 32-bit integers

    @classmethod
    def read(cls, word: bytes) -> _Fib:
        at = _FIB_BASE
        (csw,) = struct.unpack_from("<H", word, at)
        at += 2 + csw * 2
        (cslw,) = struct.unpack_from("<H", word, at)
        lw = struct.unpack_from(f"<{cslw}i", word, at + 2)
        at += 2 + cslw * 4
        (count,) = struct.unpack_from("<H", word, at)
        pairs = word[at + 2 : at + 2 + count * 8]
        if len(lw) <= _CCP_TEXT or count <= _CLX:
            raise ValueError("FIB too short")
        return cls(lw[_CCP_TEXT], pairs)

    def pair(self, index: int) -> tuple[int, int]:
        fc, lcb = struct.unpack_from("<II", self.pairs, index * 8)
        return fc, lcb


def _pieces(table: bytes, fc: int, lcb: int) -> list[_Piece]:
    """The piece table (PlcPcd) of the CLX, after any property runs (Prc) before it."""
    clx = table[fc : fc + lcb]
    at = 0
    while at < len(clx) and clx[at] == 0x01:
        (size,) = struct.unpack_from("<h", clx, at + 1)
        at += 3 + size
    if at >= len(clx) or clx[at] != 0x02:
        raise ValueError("no piece table")
    (size,) = struct.unpack_from("<I", clx, at + 1)
    plc = clx[at + 5 : at + 5 + size]
    count = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    pieces = []
    for i in range(count):
        (raw,) = struct.unpack_from("<I", plc, (count + 1) * 4 + i * 8 + 2)
        compressed = bool(raw & _COMPRESSED)
        offset = raw & ~_COMPRESSED
        pieces.append(_Piece(cps[i], cps[i + 1], offset // 2 if compressed else offset, compressed))
    if not pieces:
        raise ValueError("empty piece table")
    return pieces


def _main_text(word: bytes, pieces: list[_Piece], ccp_text: int) -> str:
    """The characters of the main document (the first ccp_text), piece by piece."""
    parts: list[str] = []
    for piece in pieces:
        if piece.cp_start >= ccp_text:
            break
        count = min(piece.cp_end, ccp_text) - piece.cp_start
        if piece.compressed:
            raw = word[piece.fc : piece.fc + count]
            parts.append("".join(_CP1252_FIXES.get(b, chr(b)) for b in raw))
        else:
            parts.append(word[piece.fc : piece.fc + 2 * count].decode("utf-16-le", "replace"))
        if len(parts[-1]) != count:
            raise ValueError("piece outside the stream")
    return "".join(parts)


def _fkp_runs(
    word: bytes, table: bytes, fc: int, lcb: int
) -> Iterator[tuple[int, int, bytes, int, int]]:
    """The runs of the property pages (FKPs) a bin table (PlcBtePapx, PlcBteChpx) lists:
    each run's start and end file position, its page, the page's run count and its index."""
    plc = table[fc : fc + lcb]
    count = (len(plc) - 4) // 8
    pages = struct.unpack_from(f"<{count}I", plc, (count + 1) * 4) if count > 0 else ()
    for page in pages:
        base = (page & 0x3FFFFF) * _FKP_PAGE
        fkp = word[base : base + _FKP_PAGE]
        if len(fkp) != _FKP_PAGE:
            raise ValueError("property page outside the stream")
        runs = fkp[-1]
        fcs = struct.unpack_from(f"<{runs + 1}I", fkp, 0)
        for i in range(runs):
            yield fcs[i], fcs[i + 1], fkp, runs, i


class _PapxRuns:
    """Paragraph properties by file position: the PAPX pages (FKPs) the PlcBtePapx lists."""

    def __init__(self, word: bytes, table: bytes, extra: bytes, fc: int, lcb: int) -> None:
        self._extra = extra  # the Data stream, where a paragraph's long property list is kept
        self._starts: list[int] = []
        self._runs: list[tuple[int, int, bytes]] = []  # (end fc, papx offset, page)
        for start, end, fkp, runs, i in _fkp_runs(word, table, fc, lcb):
            self._starts.append(start)
            self._runs.append((end, fkp[(runs + 1) * 4 + i * 13] * 2, fkp))  # 13-byte BxPap

    def at(self, fc: int) -> tuple[int, frozenset[int]]:
        """The style index (istd) and the sprms of the paragraph whose mark is at fc."""
        i = bisect_right(self._starts, fc) - 1
        if i < 0 or fc >= self._runs[i][0] or self._runs[i][1] == 0:
            return 0, frozenset()
        _, offset, fkp = self._runs[i]
        size = fkp[offset] * 2 - 1
        at = offset + 1
        if size < 0:  # a zero count byte: the size is in the next byte
            size = fkp[offset + 1] * 2
            at += 1
        grpprl = fkp[at : at + size]
        (istd,) = struct.unpack_from("<H", grpprl, 0) if len(grpprl) >= 2 else (0,)
        sprms = dict(_sprms(grpprl[2:]))
        huge = sprms.get(_SPRM_HUGE_PAPX)
        if huge is not None and huge + 2 <= len(self._extra):
            # a row's long property list (its cell widths) stands in the Data stream
            (size,) = struct.unpack_from("<H", self._extra, huge)
            sprms.update(_sprms(self._extra[huge + 2 : huge + 2 + size]))
        return istd, frozenset(sprms)


def _sprms(grpprl: bytes) -> Iterator[tuple[int, int]]:
    """Each sprm code of a property list with its operand when that is a 32-bit number (the
    others' operands skipped; 0 for them)."""
    at = 0
    while at + 2 <= len(grpprl):
        (sprm,) = struct.unpack_from("<H", grpprl, at)
        at += 2
        operand = 0
        if sprm >> 13 == 3 and at + 4 <= len(grpprl):
            (operand,) = struct.unpack_from("<I", grpprl, at)
        at += _operand_size(sprm, grpprl, at)
        yield sprm, operand


def _operand_size(sprm: int, grpprl: bytes, at: int) -> int:
    """The bytes of a sprm's operand at `at`, by its size code (spra) or its own length."""
    spra = sprm >> 13
    if spra in (0, 1):
        return 1
    if spra in (2, 4, 5):
        return 2
    if spra == 3:
        return 4
    if spra == 7:
        return 3
    if sprm == _SPRM_TABLE_DEF:
        (size,) = struct.unpack_from("<H", grpprl, at) if at + 2 <= len(grpprl) else (0,)
        return size + 1
    return 1 + (grpprl[at] if at < len(grpprl) else 0)


class _BoldRuns:
    """Whether characters are set bold, by file position: the CHPX pages (FKPs) the
    PlcBteChpx lists (direct formatting; a style's own bold is not read)."""

    def __init__(self, word: bytes, table: bytes, fc: int, lcb: int) -> None:
        self._starts: list[int] = []
        self._runs: list[tuple[int, bool]] = []  # (end fc, bold)
        for start, end, fkp, runs, i in _fkp_runs(word, table, fc, lcb):
            offset = fkp[(runs + 1) * 4 + i] * 2  # a one-byte offset per run
            grpprl = fkp[offset + 1 : offset + 1 + fkp[offset]] if offset else b""
            self._starts.append(start)
            self._runs.append((end, _sets_bold(grpprl)))

    def all_bold(self, fcs: Iterable[int]) -> bool:
        """Every character at these positions is bold (False for none)."""
        seen = False
        for fc in fcs:
            i = bisect_right(self._starts, fc) - 1
            if i < 0 or fc >= self._runs[i][0] or not self._runs[i][1]:
                return False
            seen = True
        return seen


def _sets_bold(grpprl: bytes) -> bool:
    """The character properties set bold (sprmCFBold on, or toggled from the style)."""
    at = 0
    bold = False
    while at + 3 <= len(grpprl):
        (sprm,) = struct.unpack_from("<H", grpprl, at)
        if sprm == _SPRM_BOLD:
            bold = grpprl[at + 2] in (1, 0x81)
        at += 2 + _operand_size(sprm, grpprl, at + 2)
    return bold


def _built_in_styles(table: bytes, fc: int, lcb: int) -> dict[int, int]:
    """Style index (istd) → its built-in style id (sti), from the style sheet (STSH)."""
    stsh = table[fc : fc + lcb]
    if len(stsh) < 6:
        return {}
    (header,) = struct.unpack_from("<H", stsh, 0)
    (count,) = struct.unpack_from("<H", stsh, 2)
    at = 2 + header
    styles: dict[int, int] = {}
    for istd in range(count):
        if at + 2 > len(stsh):
            break
        (size,) = struct.unpack_from("<H", stsh, at)
        if size >= 2:
            (sti,) = struct.unpack_from("<H", stsh, at + 2)
            styles[istd] = sti & 0x0FFF
        at += 2 + size
    return styles


def _shown(text: str) -> str:
    """A paragraph's text as Word shows it: a field's result without its code, objects and
    note marks dropped."""
    out: list[str] = []
    depth_code: list[bool] = []  # per open field: still in its code part
    for char in text:
        if char == _FIELD_BEGIN:
            depth_code.append(True)
        elif char == _FIELD_SEPARATOR and depth_code:
            depth_code[-1] = False
        elif char == _FIELD_END and depth_code:
            depth_code.pop()
        elif not any(depth_code):
            out.append(char)
    return "".join(out).translate(_DROPPED).strip()


def _blocks(paragraphs: list[_Paragraph]) -> Iterator[str]:
    """Lines: headings as `#` lines (and a compilation's bold titles, as a .docx's are), a
    table's rows through `table_lines`."""
    compilation = reads_as_compilation([p.text for p in paragraphs if not p.in_table])
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    for paragraph in paragraphs:
        if paragraph.in_table:
            if paragraph.row_end:
                if cell:
                    row.append(" ".join(cell))
                if any(row):
                    rows.append(row)
                row, cell = [], []
                continue
            if paragraph.text:
                cell.append(paragraph.text)
            if paragraph.cell_end:
                row.append(" ".join(" ".join(cell).split()))
                cell = []
            continue
        if rows or row:
            if row:
                rows.append(row)
            yield from table_lines(rows)
            rows, row, cell = [], [], []
        if not paragraph.text:
            continue
        level = _level(paragraph.style) or (
            BOLD_TITLE_LEVEL if compilation and paragraph.bold else 0
        )
        yield f"{'#' * level} {paragraph.text}" if level else paragraph.text
    if row:
        rows.append(row)
    if rows:
        yield from table_lines(rows)


def _level(sti: int) -> int:
    if sti == _TITLE_STI:
        return 1
    return min(sti, 6) if sti in _HEADING_STI else 0
