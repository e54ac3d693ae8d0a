"""The FAQ sheet's row checks: figures compared as values, citations found, duplicates caught."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from string import Formatter

import pytest
from openpyxl import Workbook

from bot.faq_import import (
    CatalogDoc,
    ImportCheck,
    Rejection,
    check_rows,
    find_documents,
    find_sections,
    preview_lines,
)
from bot.faq_sheet import SheetError, SheetRow, read_sheet, split_similar, write_xlsx
from bot.numbers import chinese_to_int, missing_numbers, numbers_in
from bot.texts import TEXTS
from index.entries import FaqEntry

ARTICLE = (
    "第二条 补贴标准\n对完成数字人民币受理改造的试点企业，给予一次性补贴每户八万元；"
    "年化费率不超过1%，目前执行0.8%；单户500万元以下的，按百分之五十补贴。"
)
DOC = CatalogDoc(
    doc_id="digital-rmb",
    source="policies/digital-rmb.md",
    title="青禾区数字人民币试点企业补贴办法",
    doc_number="青金发〔2025〕31号",
    status="current",
    sections={
        "第一条 适用范围": "第一条 适用范围\n本办法适用于试点企业。",
        "第二条 补贴标准": ARTICLE,
    },
)
OLD = CatalogDoc(
    "old", "old.md", "旧办法", None, "superseded", {"第一条 范围": "第一条 范围\n五万元"}
)


def row(n: int = 2, /, **cells: str) -> SheetRow:
    values = {"question": "数字人民币补贴多少？", "answer": "每户补贴8万元。",
              "source": "digital-rmb.md", "article": "第二条", "faq_id": ""} | cells  # fmt: skip
    similar = split_similar(cells.get("similar", ""))
    return SheetRow(n, values["question"], similar, values["answer"], values["source"],
                    values["article"], values["faq_id"])  # fmt: skip


def reasons(rejection: Rejection) -> list[str]:
    return [code for code, _params in rejection.reasons]


@pytest.mark.parametrize(
    ("text", "value"),
    [("八万", 80000), ("十二万", 120000), ("一百零五", 105), ("二〇二四", 2024),
     ("一亿二千万", 120_000_000), ("一八万", 80000), ("十", 10)],
)  # fmt: skip
def test_chinese_numerals_read_as_values(text: str, value: int) -> None:
    assert chinese_to_int(text) == value


def test_numbers_normalised_across_writing_styles() -> None:
    found = {n.key for n in numbers_in("500万元、5,000,000元、５０％、百分之五十、0.8%、1.5亿")}
    assert found == {("", Decimal(5_000_000)), ("%", Decimal(50)), ("%", Decimal("0.8")),
                     ("", Decimal(150_000_000))}  # fmt: skip


def test_answer_figures_must_be_stated_in_the_article() -> None:
    assert missing_numbers("每户８万元，费率0.8%，补贴50%，500万元以下", ARTICLE) == []
    assert missing_numbers("每户10万元，费率1.5%", ARTICLE) == ["10万", "1.5%"]
    assert missing_numbers("补贴50元", ARTICLE) == ["50"]  # 50% is not 50 元
    assert missing_numbers("一般统一办理，一次性补贴", ARTICLE) == []  # words, not figures


def test_good_row_becomes_an_entry_with_the_full_section() -> None:
    accepted, rejected = check_rows([row(similar="补贴标准｜补多少钱\n数字人民币补贴")], [DOC], [])
    assert rejected == []
    (item,) = accepted
    assert item.entry.questions == (
        "数字人民币补贴多少？",
        "补贴标准",
        "补多少钱",
        "数字人民币补贴",
    )
    assert (item.entry.source, item.entry.section, item.entry.doc_id) == (
        "policies/digital-rmb.md",
        "第二条 补贴标准",
        "digital-rmb",
    )
    assert not item.replaces


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"question": ""}, "missing"),
        ({"answer": ""}, "missing"),
        ({"article": ""}, "missing"),
        ({"source": "nowhere.md"}, "unknown_source"),
        ({"article": "第九条"}, "unknown_article"),
        ({"answer": "每户补贴10万元。"}, "number_not_in_article"),
        ({"source": "", "article": ""}, "numbers_uncited"),
        ({"source": "旧办法", "article": "第一条"}, "not_current"),
        ({"faq_id": "has space"}, "bad_id"),
    ],
)
def test_bad_rows_are_rejected_with_their_reason(cells: dict[str, str], code: str) -> None:
    accepted, (rejection,) = check_rows([row(**cells)], [DOC, OLD], [])
    assert accepted == [] and code in reasons(rejection) and rejection.row == 2
    assert rejection.message("zh") and rejection.message("en")


def test_number_reason_names_the_figure_and_article() -> None:
    _, (rejection,) = check_rows([row(answer="每户补贴10万元。")], [DOC], [])
    assert rejection.message("zh") == "答案中的数字 10万 在第二条 补贴标准中找不到"


def test_answer_without_figures_needs_no_citation() -> None:
    accepted, rejected = check_rows(
        [row(answer="请咨询区金融局。", source="", article="")], [DOC], []
    )
    assert rejected == [] and accepted[0].entry.source is None


def test_duplicates_within_the_file_and_against_the_faq() -> None:
    existing = [FaqEntry("faq-007", ("数字人民币怎么申请？",), "答案")]
    rows = [
        row(2),
        row(3, question="数字人民币补贴多少", answer="每户8万元"),  # same wording, particles aside
        row(4, question="数字人民币怎么申请", answer="见办法"),
        row(5, question="数字人民币怎么申请", answer="见办法", faq_id="faq-007"),  # an update
    ]
    accepted, rejected = check_rows(rows, [DOC], existing)
    assert [(r.row, reasons(r)) for r in rejected] == [
        (3, ["duplicate_in_file"]), (4, ["duplicate_existing"]), (5, ["duplicate_in_file"]),
    ]  # fmt: skip
    assert [a.row for a in accepted] == [2]


def test_update_by_id_is_not_a_duplicate() -> None:
    existing = [FaqEntry("faq-007", ("数字人民币补贴多少？",), "旧答案")]
    accepted, rejected = check_rows([row(faq_id="faq-007")], [DOC], existing)
    assert rejected == [] and accepted[0].replaces and accepted[0].entry.faq_id == "faq-007"


def test_documents_and_articles_found_by_any_name() -> None:
    for cell in ("policies/digital-rmb.md", "digital-rmb.md", "digital-rmb", "《青禾区数字人民币试点企业补贴办法》", "青金发〔2025〕31号"):  # fmt: skip
        assert find_documents(cell, [DOC]) == [DOC], cell
    for cell in ("第二条", "第2条", "第２条", "补贴标准", "第二条  补贴标准"):
        assert find_sections(cell, DOC) == ["第二条 补贴标准"], cell


def test_sheet_read_from_csv_and_xlsx_alike() -> None:
    csv_bytes = "标题：问答表\n问题,相似问法,答案,来源文件,条款\n问一,甲|乙,答一,a.md,第一条\n,,,,\n问二,,答二,,\n"
    rows = read_sheet(csv_bytes.encode("gb18030"), "faq.csv")
    assert [(r.row, r.question, r.similar) for r in rows] == [
        (3, "问一", ("甲", "乙")),
        (5, "问二", ()),
    ]
    entries = [FaqEntry("x-1", ("问一", "甲", "乙"), "答一", "a.md", "第一条 范围")]
    (back,) = read_sheet(write_xlsx(entries), "faq.xlsx")
    assert (back.row, back.question, back.similar, back.answer, back.source, back.article, back.faq_id) == (
        2, "问一", ("甲", "乙"), "答一", "a.md", "第一条 范围", "x-1",
    )  # fmt: skip


def test_an_excel_97_faq_sheet_reads_as_its_xlsx_form() -> None:
    """The template saved as .xls (LibreOffice 7.4, from the .xlsx `write_xlsx` makes) gives
    the same rows: 相似问法 still one a line, the ids kept; an .xls that is no FAQ template is
    a policy document."""
    from bot.faq_sheet import is_faq_sheet

    fixtures = Path(__file__).parent / "knowledge" / "fixtures"
    data = (fixtures / "faq-template.xls").read_bytes()
    entries = [
        FaqEntry("x-1", ("问一", "甲", "乙"), "答一", "a.md", "第一条 范围"),
        FaqEntry("x-2", ("担保费率多少？",), "不超过1%。"),
    ]
    assert read_sheet(data, "faq.xls") == read_sheet(write_xlsx(entries), "faq.xlsx")
    assert is_faq_sheet(data, "faq.xls")
    assert not is_faq_sheet((fixtures / "guarantee-fees.xls").read_bytes(), "fees.xls")
    with pytest.raises(SheetError) as caught:
        read_sheet(data[:1500], "faq.xls")
    assert caught.value.code == "unreadable"


def test_sheet_without_the_header_or_unreadable_is_refused() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["名称", "内容"])
    out = io.BytesIO()
    book.save(out)
    for data, name, code in ((out.getvalue(), "x.xlsx", "header"), (b"not a zip", "x.xlsx", "unreadable"),
                             (b"a,b\n1,2\n", "x.csv", "header")):  # fmt: skip
        with pytest.raises(SheetError) as caught:
            read_sheet(data, name)
        assert caught.value.code == code


def test_preview_lists_rejected_rows_within_budget() -> None:
    rejected = tuple(
        Rejection(n, (("unknown_source", {"source": f"文件{n}.md"}),)) for n in range(2, 302)
    )
    check = ImportCheck("faq.xlsx", rejected=rejected)
    lines = preview_lines(check, "zh", budget=3000)
    assert lines[1] == "有效 0 行（新增 0 条，更新 0 条），拒绝 300 行。"
    assert lines[3] == "第 2 行：知识库中没有来源文件“文件2.md”"
    assert lines[-2].startswith("……另有 ") and "全部导入或全不导入" in lines[-1]
    assert sum(len(line) for line in lines) < 3600
    assert len(preview_lines(check, "zh")) == 300 + 4  # the CLI shows them all


def test_unchanged_uncited_answer_of_an_entry_is_not_judged_again() -> None:
    existing = [FaqEntry("learned-001", ("猫咪绝育找谁？",), "请致电 0000-1234。")]
    kept = row(question="猫咪绝育找谁？", answer="请致电 0000-1234。", source="", article="",
               faq_id="learned-001")  # fmt: skip
    changed = row(3, question="流浪猫找谁？", answer="请致电 0000-9999。", source="", article="",
                  faq_id="learned-001")  # fmt: skip
    accepted, rejected = check_rows([kept], [DOC], existing)
    assert rejected == [] and accepted[0].replaces
    _, (rejection,) = check_rows([changed], [DOC], existing)
    assert reasons(rejection) == ["numbers_uncited"]


def test_every_import_and_canned_text_in_both_languages_with_the_same_fields() -> None:
    keys = [k for k in TEXTS if k.startswith(("faqi.", "canned."))]
    assert len(keys) > 40
    for key in keys:
        assert set(TEXTS[key]) == {"zh", "en"}, key
        fields = [
            {f for _, f, _, _ in Formatter().parse(TEXTS[key][lang]) if f} for lang in ("zh", "en")
        ]
        assert fields[0] == fields[1], key


def test_only_a_sheet_with_the_faq_header_is_an_faq_sheet() -> None:
    """An admin's .xlsx goes to the FAQ import only when it is the FAQ template; a 政策清单 is
    a policy document (`knowledge.workbook`). A .csv is always an FAQ sheet."""
    from bot.faq_sheet import is_faq_sheet
    from tests.knowledge.test_workbook import policy_list

    faq = Workbook()
    sheet = faq.active
    assert sheet is not None
    sheet.append(["常见问题"])
    sheet.append(["问题", "答案"])
    sheet.append(["担保费率多少？", "不超过1%。"])
    out = io.BytesIO()
    faq.save(out)
    assert is_faq_sheet(out.getvalue(), "faq.xlsx")
    assert not is_faq_sheet(policy_list(), "policy-list-2029.xlsx")
    assert is_faq_sheet(b"a,b\n", "anything.csv")
    assert is_faq_sheet(b"PK broken", "broken.xlsx")  # the FAQ import says it is unreadable
