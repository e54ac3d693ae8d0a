from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from knowledge.documents import doc_id_for, iter_source_files, parse_document
from knowledge.errors import IngestError
from knowledge.models import sha256_text
from tests.knowledge.builders import make_docx, make_text_pdf


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("listing.md", "listing"),
        ("Policies/Listing Rules 2024.docx", "policies.listing-rules-2024"),
        ("a/b/c.v2.pdf", "a.b.c.v2"),
        ("README", "readme"),
    ],
)
def test_doc_id_ascii_slug(source: str, expected: str) -> None:
    assert doc_id_for(source) == expected


@pytest.mark.parametrize("source", ["上市奖励办法.md", "policies/担保.docx", "!!!.md"])
def test_doc_id_hash_for_non_ascii_or_empty_slug(source: str) -> None:
    assert doc_id_for(source) == "d-" + hashlib.sha1(source.encode()).hexdigest()[:10]


def test_doc_id_long_names_stay_bounded_and_distinct() -> None:
    a = doc_id_for("x" * 80 + "-a.md")
    b = doc_id_for("x" * 80 + "-b.md")
    assert len(a) <= 48 and len(b) <= 48 and a != b
    assert re.fullmatch(r"[a-z0-9._-]+", a)


def test_parse_markdown_document_end_to_end() -> None:
    text = "# 融资担保贷款管理办法\n施行日期：2022年6月1日\n\n第一条　目的。\n第二条　范围。\n"
    doc = parse_document(text.encode("gbk"), "guarantee/loans.md")
    assert doc.doc_id == "guarantee.loans"
    assert doc.source == "guarantee/loans.md"
    assert doc.file_type == "md"
    assert doc.meta.title == "融资担保贷款管理办法"
    assert doc.sections == ("第一条", "第二条")
    assert doc.chunks[0].chunk_id.startswith("guarantee.loans#0-")
    assert doc.content_hash == sha256_text("第一条\u3000目的。\n第二条\u3000范围。")
    assert doc.warnings == ()


def test_content_hash_ignores_line_endings_and_trailing_spaces() -> None:
    a = parse_document("# T\n发布日期：2021-1-1\n\n第一条　正文。\n".encode(), "a.md")
    b = parse_document(
        "# T\r\n发布日期：2021-1-1\r\n\r\n第一条　正文。  \r\n\r\n\r\n".encode(), "b.txt"
    )
    assert a.content_hash == b.content_hash


def test_parse_docx_and_pdf() -> None:
    data = make_docx(
        title="担保办法", headings=[(3, "第五条 资金占用费")], paragraphs=["按年计收。"]
    )
    doc = parse_document(data, "担保办法.docx")
    assert doc.file_type == "docx" and doc.meta.title == "担保办法"
    assert [(c.section, c.text) for c in doc.chunks] == [
        ("第五条 资金占用费", "第五条 资金占用费\n按年计收。")
    ]
    assert doc.warnings == ("no_effective_date",)

    pdf = parse_document(make_text_pdf([["第一条　为支持企业上市，制定本措施。"]]), "m.pdf")
    assert pdf.file_type == "pdf" and pdf.meta.title == "m"
    assert pdf.chunks[0].text == "第一条\u3000为支持企业上市，制定本措施。"


def test_header_only_document_is_empty() -> None:
    with pytest.raises(IngestError) as caught:
        parse_document("# 标题\n施行日期：2021年1月1日\n".encode(), "only-header.md")
    assert caught.value.code == "empty"


def test_errors_name_the_file_not_the_folder() -> None:
    with pytest.raises(IngestError) as caught:
        parse_document(b"x", "folder/sheet.xlsx")
    assert caught.value.code == "unsupported_type"
    assert caught.value.filename == "sheet.xlsx"


def test_iter_source_files_folder(tmp_path: Path) -> None:
    for name in ["b.md", "a/z.docx", "a/y.png", ".hidden.md", ".git/config", "a/~$lock.docx"]:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    found = iter_source_files(tmp_path)
    assert [source for _, source in found] == ["a/y.png", "a/z.docx", "b.md"]
    assert found[1][0] == tmp_path / "a" / "z.docx"


def test_iter_source_files_single_file(tmp_path: Path) -> None:
    file = tmp_path / "sub" / "办法.pdf"
    file.parent.mkdir()
    file.write_bytes(b"x")
    assert iter_source_files(file) == [(file, "办法.pdf")]
