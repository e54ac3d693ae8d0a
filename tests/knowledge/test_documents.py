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
        parse_document(b"x", "folder/slides.pptx")
    assert caught.value.code == "unsupported_type"
    assert caught.value.filename == "slides.pptx"


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


_COVER = """关于印发《乌岚盟政府性融资担保业务风险分担和代偿补偿办法》的通知
乌署办发〔2027〕24号
各旗县市区人民政府，盟行政公署各委办局：
经盟行政公署同意，现将《乌岚盟政府性融资担保业务风险分担和代偿补偿办法》印发给你们，请认真组织实施。
乌岚盟行政公署办公室
2027年6月18日
乌岚盟政府性融资担保业务风险分担和代偿补偿办法
第一条　为健全政府性融资担保风险分担机制，制定本办法。
第二条　盟财政局按旗县担保机构代偿金额的15%给予补偿。
第三条　本办法自2027年7月1日起施行，有效期5年。
"""


def test_a_measure_printed_unsigned_under_its_cover_letter_is_the_letter_signers() -> None:
    """The 落款 of a 印发 notice's cover letter names the issuer when the measure under it ends
    unsigned (aoqin, written blind: the league's measure had no issuer and was read as the
    banner's own). Its date is the publication day; the measure's own days stay its own."""
    doc = parse_document(_COVER.encode(), "guarantee/league-risk-sharing.txt")
    assert doc.meta.issuer == "乌岚盟行政公署办公室"
    assert str(doc.meta.published) == "2027-06-18"
    assert str(doc.meta.effective) == "2027-07-01" and str(doc.meta.expires) == "2032-06-30"
    # a 落款 at the end is the document's, whatever its cover letter says
    signed = parse_document((_COVER + "敖沁旗人民政府办公室\n2027年7月2日\n").encode(), "x.txt")
    assert signed.meta.issuer == "敖沁旗人民政府办公室"
    # a page that is no 印发 notice has no cover letter: a byline under its title is no 落款
    byline = "政策问答\n敖沁旗金融服务中心\n2028年3月5日\n1. 问：额度多少？\n答：最高50万元。\n"
    assert parse_document(byline.encode(), "qa.txt").meta.issuer is None
