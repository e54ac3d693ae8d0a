from __future__ import annotations

import io
import random

import pypdf
import pytest

from knowledge.errors import IngestError
from knowledge.loaders import check_zip, extract_text, reflow_pdf_page
from tests.knowledge.builders import (
    PNG_BYTES,
    make_docx,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_table_pdf,
    make_text_pdf,
    make_zip,
    make_zip_bomb,
)


def _code(data: bytes, filename: str, **kwargs: int) -> str:
    with pytest.raises(IngestError) as caught:
        extract_text(data, filename, **kwargs)
    assert caught.value.filename == filename
    return caught.value.code


@pytest.mark.parametrize(
    ("filename", "file_type"),
    [("a.md", "md"), ("a.MARKDOWN", "md"), ("a.txt", "txt")],
)
def test_text_files(filename: str, file_type: str) -> None:
    text, kind = extract_text("# 标题\n正文。".encode("gbk"), filename)
    assert (text, kind) == ("# 标题\n正文。", file_type)


@pytest.mark.parametrize("filename", ["a.pptx", "a.rtf", "a.png", "README"])
def test_unsupported_types(filename: str) -> None:
    assert _code(b"anything", filename) == "unsupported_type"


def test_too_large() -> None:
    assert _code(b"x" * 101, "a.md", max_bytes=100) == "too_large"


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n", "\u3000\u3000\n".encode()])
def test_empty_or_whitespace_only(data: bytes) -> None:
    assert _code(data, "a.txt") == "empty"


def test_png_renamed_to_md() -> None:
    assert _code(PNG_BYTES, "chart.md") == "binary_disguised"


def test_docx_headings_paragraphs_and_table_rows() -> None:
    data = make_docx(
        title="某区融资担保贷款管理办法",
        headings=[(1, "第一章 总则"), (3, "第五条 资金占用费")],
        paragraphs=["资金占用费按年计收。", "", "不足一年的按月计收。"],
        table=[["类别", "奖励", "备注"], ["主板上市", "500万元", "分阶段兑现"]],
    )
    text, kind = extract_text(data, "办法.docx")
    assert kind == "docx"
    assert text.split("\n\n") == [
        "# 某区融资担保贷款管理办法",
        "# 第一章 总则",
        "### 第五条 资金占用费",
        "资金占用费按年计收。",
        "不足一年的按月计收。",
        "类别 | 奖励 | 备注",
        "主板上市 | 500万元 | 分阶段兑现",
    ]


def test_docx_merged_cells_are_written_once() -> None:
    data = make_docx(
        table=[["申请条件", "", ""], ["注册在本区", "纳税正常", "无失信记录"]], merge_first_row=True
    )
    text, _ = extract_text(data, "t.docx")
    assert text.split("\n\n") == ["申请条件", "注册在本区 | 纳税正常 | 无失信记录"]


def test_docx_without_text_is_empty() -> None:
    assert _code(make_docx(paragraphs=["", "  "]), "blank.docx") == "empty"


@pytest.mark.parametrize(
    "data",
    [b"this is not a zip", make_zip({"hello.txt": b"hi"}), make_docx(paragraphs=["正文"])[:500]],
)
def test_corrupt_or_non_word_docx(data: bytes) -> None:
    assert _code(data, "bad.docx") == "corrupt_file"


def test_docx_with_broken_document_part_is_corrupt() -> None:
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-xml"})
    assert _code(data, "bad.docx") == "corrupt_file"


def test_zip_bomb_rejected_by_ratio_before_inflating() -> None:
    assert _code(make_zip_bomb(), "bomb.docx") == "zip_bomb"


def test_zip_bomb_rejected_by_total_size() -> None:
    incompressible = random.Random(7).randbytes(2 * 1024 * 1024)
    data = make_zip({"word/document.xml": incompressible})
    check_zip(data, "ok.docx")  # within default limits
    with pytest.raises(IngestError) as caught:
        check_zip(data, "big.docx", max_unzipped=1024 * 1024)
    assert caught.value.code == "zip_bomb"


def test_pdf_chinese_text_layer_is_extracted() -> None:
    data = make_text_pdf(
        [
            ["某区支持企业上市若干措施", "第一条　为支持企业上市，制定本措施。"],
            ["第二条　本措施自发布之日起施行。", "2"],
        ]
    )
    text, kind = extract_text(data, "措施.pdf")
    assert kind == "pdf"
    assert text == (
        "某区支持企业上市若干措施\n第一条\u3000为支持企业上市，制定本措施。\n\n"
        "第二条\u3000本措施自发布之日起施行。"
    )


@pytest.mark.parametrize("password", ["", "secret"])
def test_encrypted_pdf_even_with_empty_password(password: str) -> None:
    assert _code(make_encrypted_pdf(password), "locked.pdf") == "encrypted_pdf"


def test_scanned_pdf_has_no_text_layer() -> None:
    assert _code(make_image_only_pdf(), "scan.pdf") == "no_text_layer"


@pytest.mark.parametrize("data", [b"%PDF-1.7\ngarbage without objects", b"not a pdf at all"])
def test_unreadable_pdf_is_corrupt(data: bytes) -> None:
    assert _code(data, "broken.pdf") == "corrupt_file"


def test_pdf_reflow_joins_full_lines_but_keeps_headings_and_drops_page_numbers() -> None:
    page = "\n".join(
        [
            "关于印发若干措施的通知",
            "第一条　对首次公开发行股票并在主板上市的企业，给予",
            "最高五百万元奖励，分阶段兑现。",
            "第二条　本措施由区金融局负责解释。",
            "- 3 -",
        ]
    )
    assert reflow_pdf_page(page).split("\n") == [
        "关于印发若干措施的通知",
        "第一条　对首次公开发行股票并在主板上市的企业，给予最高五百万元奖励，分阶段兑现。",
        "第二条　本措施由区金融局负责解释。",
    ]


def test_pdf_reflow_reads_a_table_drawn_as_text_rows_as_cells() -> None:
    """Its rows are spaced-out cells: they read as " | " cells, join neither each other nor
    the text, and do not make every line of text look short (so wrapped text still joins)."""
    gap = " " * 30
    page = "\n".join(
        [
            "（一）养殖业保险。保险品种为能繁母牛、育肥牛和羊（含能繁母羊、育肥羊）。保险责任为",
            "疾病、自然灾害和意外事故造成的死亡。",
            "（三）保险金额和费率。各品种保险金额和费率按下表执行：",
            f" 保险品种{gap}保险金额{gap}保险费率{gap}每单位保费",
            f"能繁母牛{gap}8000元/头{gap}5%{gap}400元",
            f"育肥牛{gap}6000元/头{gap}4%{gap}240元",
        ]
    )
    assert reflow_pdf_page(page).split("\n") == [
        "（一）养殖业保险。保险品种为能繁母牛、育肥牛和羊（含能繁母羊、育肥羊）。保险责任为"
        "疾病、自然灾害和意外事故造成的死亡。",
        "（三）保险金额和费率。各品种保险金额和费率按下表执行：",
        "保险品种 | 保险金额 | 保险费率 | 每单位保费",
        "能繁母牛 | 8000元/头 | 5% | 400元",
        "育肥牛 | 6000元/头 | 4% | 240元",
    ]


def test_pdf_reflow_joins_a_wrapped_reference_to_an_article() -> None:
    """The wrap fell just before "第三条所列…": the line continues 第四条, it is no article."""
    page = "\n".join(
        [
            "第三条　担保费率不超过1%的，按担保额的1%给予补贴。",
            "第四条　担保机构为丰原县注册的小微企业和农业经营主体提供的担保业务，补贴比例在",
            "第三条所列比例基础上增加0.2个百分点。",
            "第五条　担保机构当年新增首保户的，按每户2000元给予奖励。",
            "第六条 担保机构应当依照第五条规定申报。",
        ]
    )
    assert reflow_pdf_page(page).split("\n") == [
        "第三条　担保费率不超过1%的，按担保额的1%给予补贴。",
        "第四条　担保机构为丰原县注册的小微企业和农业经营主体提供的担保业务，补贴比例在"
        "第三条所列比例基础上增加0.2个百分点。",
        "第五条　担保机构当年新增首保户的，按每户2000元给予奖励。",
        "第六条 担保机构应当依照第五条规定申报。",
    ]


def test_a_service_guide_s_table_of_fields_gives_each_field_as_a_heading_over_its_content() -> None:
    """A 办事指南 is one table, a field's name on the left: each row is a heading over its
    content, so the fee, the hours and the place are passages of their own under their names
    (zheling, written blind: read as " | " rows they ran together, and a question on the fee
    found the 汇编 first). A table of figures by kind stays as rows."""
    guide = [
        ["事项名称", "柘岭区产业投资引导基金参股子基金申报"],
        ["实施主体", "柘岭区产业投资引导基金管理办公室，受托管理机构为柘岭产投集团。"],
        ["申请材料", "1.子基金设立申请书；\n2.基金管理机构营业执照；\n3.子基金设立方案。"],
        ["承诺办结时限", "自正式受理之日起60个工作日内反馈评审结果。"],
        ["收费标准", "不收费，不向申报机构收取任何评审费用"],
        ["办理时间", "工作日上午9:00—12:00，下午14:00—17:30"],
    ]
    text, _ = extract_text(
        make_docx(paragraphs=["引导基金子基金申报办事指南"], table=guide), "g.docx"
    )
    assert "### 收费标准\n\n不收费，不向申报机构收取任何评审费用" in text
    assert (
        "### 申请材料\n\n1.子基金设立申请书； 2.基金管理机构营业执照； 3.子基金设立方案。" in text
    )
    rates = [["服务对象", "年化担保费率上限"], ["一般小微企业", "0.8%"], ["专精特新企业", "0.5%"],
             ["个体工商户", "0.8%"], ["农民专业合作社", "0.5%"], ["家庭农场", "0.5%"]]  # fmt: skip
    text, _ = extract_text(make_docx(table=rates), "r.docx")
    assert "一般小微企业 | 0.8%" in text and "###" not in text


def test_a_page_of_a_guide_s_fields_keeps_each_field_on_its_own_line() -> None:
    """On a page of fields a wrapped line ends where the next field begins ("…按季度结算" /
    "收费标准：补贴事项本身不收费" ran together, zheling's PDF guide); elsewhere a line opening
    with a few words and a colon is a wrap ("…向新区金融局" / "报告：（一）…")."""
    width = "承诺办结时限：资料齐全后5个工作日内出具保单；财政补贴由承保机构按季度结算"
    fields = [
        f"{name}：第{i}项内容写在这里"
        for i, name in enumerate(["事项名称", "实施主体", "设定依据", "受理条件", "办理地点"])
    ]
    page = "\n".join([*fields, width, "收费标准：补贴事项本身不收费"])
    assert "按季度结算\n收费标准：补贴事项本身不收费" in reflow_pdf_page(page)
    wrapped = "第八条　融资担保公司发生下列事项的，应在事项发生之日起3个工作日内向新区金融局\n报告：（一）单笔代偿"
    assert "向新区金融局报告：（一）单笔代偿" in reflow_pdf_page(wrapped)


def test_a_pdf_table_drawn_with_a_grid_reads_row_by_row_across_pages() -> None:
    """A PDF's 奖励标准一览表 holds its cells one after another, each wrapped line on its own
    ("科技保险保费补" / "贴第3项"): read by the grid its lines draw, each row is one " | " line
    as a Word table's is, its wrapped words whole, each cell under its column's name, and the
    rows on the second page too (whose header the PDF repeats)."""
    header = ["序号", "项目", "支持对象", "支持标准", "上限"]
    rows = [
        [str(i), f"科技保险保费补贴第{i}项", "在本区注册的科技型中小企业和专精特新企业",
         f"按实际缴纳保费的{i}0%给予补贴，专精特新企业另加5个百分点", f"{i}0万元"]
        for i in range(1, 41)
    ]  # fmt: skip
    data = make_table_pdf("科技金融奖励标准一览表", [header, *rows], "注：同一事项不重复享受。",
                          [30, 90, 120, 180, 60])  # fmt: skip
    assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 2
    text, _ = extract_text(data, "t.pdf")
    assert text.startswith("科技金融奖励标准一览表\n序号 | 项目 | 支持对象 | 支持标准 | 上限\n")
    assert (
        "序号：3 | 项目：科技保险保费补贴第3项 | 支持对象：在本区注册的科技型中小企业和专精特新企业 | "
        "支持标准：按实际缴纳保费的30%给予补贴，专精特新企业另加5个百分点 | 上限：30万元"
    ) in text.splitlines()
    assert "序号：40 | 项目：科技保险保费补贴第40项" in text
    assert text.endswith("注：同一事项不重复享受。")


def test_a_pdf_guide_drawn_as_a_grid_of_fields_gives_each_field_as_a_heading() -> None:
    """A 办事指南 printed as a two-column grid is read as its Word table is: a heading per
    field over its content."""
    guide = [
        ["事项名称", "科技贷款贴息申请"],
        ["申请材料", "1.贴息申请表；2.贷款合同及放款凭证；3.利息支付凭证。"],
        ["承诺办结时限", "资料齐全之日起15个工作日内办结。"],
        ["收费标准", "不收费，不向企业收取任何费用"],
        ["办理地点", "区政务服务中心二楼金融服务专窗，按号办理。"],
        ["咨询电话", "区金融局，电话0000-5550123，工作日接听。"],
    ]
    text, _ = extract_text(make_table_pdf("办事指南", guide, "", [100, 300]), "g.pdf")
    assert "### 收费标准\n不收费，不向企业收取任何费用" in text
    assert "### 承诺办结时限\n资料齐全之日起15个工作日内办结。" in text


def test_a_table_under_a_header_row_gives_each_cell_with_its_column_s_name() -> None:
    """A 办事指南 laid out with one row per item under "事项名称 | 申请材料 | 办结时限 | 收费"
    read "首台（套）保险区级补贴 | ①省级认定文件… | 受理后40个工作日": no word of the row said
    which were its 申请材料, and a question on them found the row without them (tingbu,
    written blind). Under a header row of three names or more each cell carries its
    column's name, as a workbook's row does; a table whose first row holds figures does not."""
    guide = [
        ["事项名称", "申请材料", "办结时限", "收费"],
        [
            "首台（套）保险区级补贴",
            "①省级认定文件；②保险单及保费发票",
            "受理后40个工作日",
            "不收费",
        ],
        ["科技保险保费补贴", "①补贴申请表；②保险单", "受理后15个工作日", ""],
    ]
    text, _ = extract_text(make_docx(table=guide), "g.docx")
    assert (
        "事项名称：首台（套）保险区级补贴 | 申请材料：①省级认定文件；②保险单及保费发票 | "
        "办结时限：受理后40个工作日 | 收费：不收费"
    ) in text
    assert (
        "事项名称：科技保险保费补贴 | 申请材料：①补贴申请表；②保险单 | 办结时限：受理后15个工作日\n"
        in (text + "\n")
    )
    figures = [["2029年", "2030年", "2031年"], ["100万元", "120万元", "150万元"], ["1", "2", "3"]]
    text, _ = extract_text(make_docx(table=figures), "f.docx")
    assert "100万元 | 120万元 | 150万元" in text
