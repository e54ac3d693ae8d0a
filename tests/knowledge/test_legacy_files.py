"""Word 97–2003 (.doc, .wps) and Excel 97–2003 (.xls) files are read as their newer forms are.

The fixtures were saved by LibreOffice 7.4 from a .docx and an .xlsx written with python-docx
and openpyxl (`guarantee-fee-subsidy.doc`: a title, two heading-1 chapters, articles, a table
under a header row; `guarantee-fees.xls`: a title row merged across, a header row, rates
formatted as percentages, dates, and a hidden sheet).
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

import olefile
import pytest

from knowledge.documents import parse_document
from knowledge.errors import IngestError
from knowledge.loaders import extract_text

FIXTURES = Path(__file__).parent / "fixtures"
DOC = (FIXTURES / "guarantee-fee-subsidy.doc").read_bytes()
XLS = (FIXTURES / "guarantee-fees.xls").read_bytes()


def test_a_word_97_document_reads_its_headings_articles_and_table() -> None:
    text, file_type = extract_text(DOC, "担保费补贴办法.doc")
    assert file_type == "doc"
    lines = text.split("\n\n")
    assert lines[0] == "# 示范区中小企业融资担保费补贴办法"
    assert "# 第二章 补贴标准" in lines
    assert (
        "第五条 区担保公司对小微企业的担保费率不超过1%，财政按实缴担保费的50%给予补贴，每户每年最高20万元。"
        in lines
    )
    # the table under its header row, each cell with its column's name, as a .docx's
    assert (
        "事项名称：代偿补偿申请 | 申请材料：代偿证明；追偿报告 | 办结时限：受理后30个工作日"
        in lines
    )
    assert lines[-1] == "第八条 本办法自2025年3月1日起施行，有效期3年。"
    assert not any(ch in text for ch in "\r\x07\x13\x14\x15")


def test_a_word_97_document_is_parsed_into_dated_articles() -> None:
    doc = parse_document(DOC, "guarantee-fee-subsidy.doc")
    assert doc.meta.title == "示范区中小企业融资担保费补贴办法"
    assert doc.meta.doc_number == "示金规〔2025〕12号"
    assert str(doc.meta.effective) == "2025-03-01" and str(doc.meta.expires) == "2028-02-29"
    assert any(c.section.startswith("第五条") and "20万元" in c.text for c in doc.chunks)


def test_a_wps_file_in_the_word_97_format_reads_the_same() -> None:
    assert extract_text(DOC, "办法.wps") == (extract_text(DOC, "办法.doc")[0], "doc")


def _with_word_stream(data: bytes, tmp_path: Path, change: int) -> bytes:
    """The document with its FIB flags word OR-ed with `change` (same stream size)."""
    path = tmp_path / "changed.doc"
    path.write_bytes(data)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        (flags,) = struct.unpack_from("<H", word, 10)
        struct.pack_into("<H", word, 10, flags | change)
        ole.write_stream("WordDocument", bytes(word))
    return path.read_bytes()


def test_a_password_protected_word_document_is_refused_by_name(tmp_path: Path) -> None:
    locked = _with_word_stream(DOC, tmp_path, 0x0100)
    with pytest.raises(IngestError) as caught:
        extract_text(locked, "加密.doc")
    assert caught.value.code == "encrypted_doc"
    assert "打开密码" in caught.value.message("zh")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (DOC[:3000], "truncated.doc"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "header-only.doc"),
        (XLS, "workbook-renamed.doc"),  # an OLE file with no Word stream
        (b"{\\rtf1\\ansi hello}", "rtf-renamed.doc"),
        (DOC, "document-renamed.xls"),
        (XLS[:2000], "truncated.xls"),
    ],
)
def test_a_broken_or_misnamed_legacy_file_is_refused_as_corrupt(data: bytes, name: str) -> None:
    with pytest.raises(IngestError) as caught:
        extract_text(data, name)
    assert caught.value.code == "corrupt_file"


def test_an_excel_97_workbook_reads_as_the_same_xlsx_does() -> None:
    text, file_type = extract_text(XLS, "guarantee-fees.xls")
    assert file_type == "xls"
    assert text.startswith("# 示范区政府性融资担保收费标准一览表（2025年）")
    # percentages and dates as Excel shows them, the unit of the header on the number
    assert "企业类型：小微企业；担保费率：0.80%；单户上限：1000万元；施行日期：2025年3月1日" in text
    assert "不对外" not in text  # the hidden sheet


def test_every_legacy_type_is_named_in_the_unsupported_message() -> None:
    with pytest.raises(IngestError) as caught:
        extract_text(b"x", "slides.pptx")
    message = caught.value.message("zh")
    assert all(ext in message for ext in (".doc", ".wps", ".xls"))


def test_the_fixtures_are_ole_files() -> None:
    """The fixtures stay binary Word 97 / Excel 97 files (a checkout that rewrote them as
    text would make every test above meaningless)."""
    for data in (DOC, XLS):
        assert olefile.isOleFile(io.BytesIO(data))
