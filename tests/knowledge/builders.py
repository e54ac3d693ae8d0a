"""Programmatic test files: real docx/PDF bytes built in memory, nothing checked in."""

from __future__ import annotations

import io
import zipfile

import docx
import pypdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

# Smallest valid PNG header + IHDR chunk start: enough to be unmistakably binary.
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4"
)


def make_docx(
    *,
    title: str | None = None,
    headings: list[tuple[int, str]] | None = None,
    paragraphs: list[str] | None = None,
    table: list[list[str]] | None = None,
    merge_first_row: bool = False,
) -> bytes:
    document = docx.Document()
    if title:
        document.add_heading(title, level=0)
    for level, text in headings or []:
        document.add_heading(text, level=level)
    for text in paragraphs or []:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        if merge_first_row:
            grid.cell(0, 0).merge(grid.cell(0, len(table[0]) - 1))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_text_pdf(lines_per_page: list[list[str]]) -> bytes:
    """A PDF with a real text layer in the built-in CJK CID font."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in lines_per_page:
        pdf.setFont(CJK_FONT, 12)
        y = 780
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_table_pdf(title: str, rows: list[list[str]], note: str, widths: list[float]) -> bytes:
    """A PDF of a title, a table drawn with a grid (cells wrap over lines; a long table runs
    onto the next page, its header repeated) and a note under it, as reportlab prints one."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    cell = ParagraphStyle("cell", fontName=CJK_FONT, fontSize=9, leading=12)
    head = ParagraphStyle("head", fontName=CJK_FONT, fontSize=14, leading=18)
    grid = Table([[Paragraph(text, cell) for text in row] for row in rows], colWidths=widths,
                 repeatRows=1)  # fmt: skip
    grid.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4).build(
        [Paragraph(title, head), Spacer(1, 10), grid, Paragraph(note, cell)]
    )
    return buffer.getvalue()


def make_image_only_pdf() -> bytes:
    """What a scanner produces, minus the pixels: drawing operators, no text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def make_encrypted_pdf(user_password: str = "") -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(make_text_pdf([["第一条　加密文件。"]])))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner-secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def make_zip_bomb(size: int = 8 * 1024 * 1024) -> bytes:
    """A docx-shaped zip whose document part is megabytes of zeros (ratio ≈ 1000:1)."""
    return make_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"\x00" * size,
        }
    )
