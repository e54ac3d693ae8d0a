"""A policy workbook (.xlsx): a 政策清单 read as its measures, a rate table read with its header."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook

from knowledge.cells import cell_text
from knowledge.compilation import split_compilation
from knowledge.documents import parse_document
from knowledge.errors import IngestError
from knowledge.loaders import extract_text
from knowledge.models import DocStatus
from knowledge.status import resolve_statuses

TITLE = "栖桐区惠企金融政策清单（2029年版）"


def policy_list() -> bytes:
    """A 政策清单 as bureaus keep one: a merged title row, a category merged down its rows,
    a cell of numbered lines, a measure that ended, a note under the table; a rate table
    with percentages, a unit in its header and dates; a hidden sheet."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "资本市场"
    sheet.append([TITLE])
    sheet.merge_cells("A1:G1")
    sheet.append(
        [
            "序号",
            "政策类别",
            "政策名称",
            "政策依据（文件名称及文号）",
            "支持对象",
            "支持标准",
            "有效期",
        ]
    )
    basis = "《栖桐区关于支持企业上市的若干措施》（栖政发〔2027〕3号）"
    sheet.append([1, "上市奖励", "企业上市分阶段奖励", basis, "拟上市企业",
                  "1.辅导备案奖励50万元；\n2.成功上市奖励300万元。", "2027年1月1日至2030年12月31日"])  # fmt: skip
    sheet.append([2, None, "新三板挂牌奖励", basis, "新三板挂牌企业", "挂牌奖励80万元",
                  "2027年1月1日至2030年12月31日"])  # fmt: skip
    sheet.merge_cells("B3:B4")
    sheet.append([3, "科技金融", "科技保险保费补贴", "《栖桐区科技保险补贴办法》（栖财〔2026〕5号）",
                  "科技型中小企业", "按保费50%补贴，最高20万元", "2026年1月1日至2028年12月31日"])  # fmt: skip
    sheet.append([4, "农业金融", "茶园抵押贷款贴息", "《栖桐区茶产业金融支持办法》（栖金管〔2028〕9号）",
                  "茶叶种植户、茶叶合作社", "按贷款市场报价利率的40%给予贴息", "2028年3月1日至2031年2月28日"])  # fmt: skip
    sheet.append(["注：同一事项区、市奖励可叠加享受。"])
    sheet.merge_cells("A7:G7")
    rates = book.create_sheet("担保费率")
    rates.append(["企业类型", "担保费率", "降费补助（万元）", "执行日期"])
    rates.append(["小微企业", 0.008, 20, dt.datetime(2029, 1, 1)])
    rates.append(["茶叶合作社", 0.005, 10, dt.datetime(2029, 1, 1)])
    for cell in ("B2", "B3"):
        rates[cell].number_format = "0.00%"
    hidden = book.create_sheet("草稿")
    hidden.append(["内部测算", "不对外"])
    hidden.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reads_as_its_sheets_with_each_row_under_its_header() -> None:
    text, file_type = extract_text(policy_list(), "policy-list-2029.xlsx")
    assert file_type == "xlsx"
    lines = text.split("\n")
    assert lines[0] == f"# {TITLE}"
    # the rate table: each row with its header, cells as Excel shows them
    assert "企业类型：小微企业；担保费率：0.80%；降费补助：20万元；执行日期：2029年1月1日" in lines
    # the measures: an entry each, the merged category on both rows, a cell's lines joined
    assert "【01】企业上市分阶段奖励" in lines
    assert "支持标准：1.辅导备案奖励50万元； 2.成功上市奖励300万元。" in lines
    assert lines.count("政策类别：上市奖励") == 2
    assert f"政策依据：{'《栖桐区关于支持企业上市的若干措施》（栖政发〔2027〕3号）'}" in lines
    assert "注：同一事项区、市奖励可叠加享受。" in lines
    assert "内部测算" not in text  # a hidden sheet is no one's policy
    # the measures come after the tables: what follows a compilation's first entry is an entry's
    assert text.index("## 担保费率") < text.index("【01】")


def test_each_measure_of_a_policy_list_has_the_dates_and_number_its_row_gives() -> None:
    doc = parse_document(policy_list(), "policy-list-2029.xlsx")
    parts = {part.meta.title: part for part in split_compilation(doc)}
    assert set(parts) == {
        TITLE,
        "企业上市分阶段奖励",
        "新三板挂牌奖励",
        "科技保险保费补贴",
        "茶园抵押贷款贴息",
    }
    listing = parts["企业上市分阶段奖励"]
    assert listing.meta.doc_number == "栖政发〔2027〕3号"
    assert listing.meta.expires == date(2030, 12, 31)
    assert all(ch.text.startswith("【01】企业上市分阶段奖励") for ch in listing.chunks)
    # the workbook's own metadata is its title: the first row's 有效期 is not the file's
    assert doc.meta.expires is None
    statuses = resolve_statuses({p.doc_id: p.meta for p in parts.values()}, date(2029, 8, 20))
    ended = {
        p.meta.title for p in parts.values() if statuses[p.doc_id].status is not DocStatus.CURRENT
    }
    assert ended == {"科技保险保费补贴"}  # its row's 有效期 ran to 2028-12-31


def test_a_table_without_measures_stays_one_document() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["担保费率收费标准一览表"])
    sheet.append(["企业类型", "年化担保费率（%）", "备注"])
    sheet.append(["小微企业", 1, "首贷户再降0.2个百分点"])
    sheet.append(["其他企业", 1.5, ""])
    out = io.BytesIO()
    book.save(out)
    doc = parse_document(out.getvalue(), "guarantee-fees.xlsx")
    assert doc.meta.title == "担保费率收费标准一览表"
    assert split_compilation(doc) == (doc,)
    text = "\n".join(ch.text for ch in doc.chunks)
    assert "企业类型：小微企业；年化担保费率：1%；备注：首贷户再降0.2个百分点" in text
    assert "企业类型：其他企业；年化担保费率：1.5%" in text


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.0125, "0.00%", "1.25%"),
        (0.5, "0%", "50%"),
        (300.0, "General", "300"),
        (2.75, "General", "2.75"),
        (dt.date(2029, 7, 1), "yyyy-mm-dd", "2029年7月1日"),
        ("  第一行\n\n第二行 ", "General", "第一行 第二行"),
        (True, "General", "是"),
        (None, "General", ""),
    ],
)
def test_cells_read_as_excel_shows_them(value: object, number_format: str, shown: str) -> None:
    assert cell_text(value, number_format) == shown


def test_a_broken_workbook_is_refused_with_a_reason() -> None:
    with pytest.raises(IngestError) as caught:
        extract_text(b"PK\x03\x04 not a zip at all", "list.xlsx")
    assert caught.value.code == "corrupt_file"
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("word/document.xml", "<w:document/>")  # a Word file renamed .xlsx
    with pytest.raises(IngestError) as caught:
        extract_text(archive.getvalue(), "renamed.xlsx")
    assert caught.value.code == "corrupt_file"


def test_a_header_of_two_rows_names_each_column_by_both() -> None:
    """ "补贴比例" merged over "科技型中小企业 | 专精特新中小企业", "险种" merged down both rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "科技保险"
    sheet.append(["险种", "补贴比例", None, "备注"])
    sheet.append([None, "科技型中小企业", "专精特新中小企业", None])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    sheet.merge_cells("D1:D2")
    sheet.append(["关键研发设备保险", 0.4, 0.5, "每户每年最高20万元"])
    for cell in ("B3", "C3"):
        sheet[cell].number_format = "0%"
    out = io.BytesIO()
    book.save(out)
    text, _ = extract_text(out.getvalue(), "tech-insurance.xlsx")
    assert (
        "险种：关键研发设备保险；补贴比例·科技型中小企业：40%；补贴比例·专精特新中小企业：50%；"
        "备注：每户每年最高20万元"
    ) in text.split("\n")


def test_a_workbook_without_a_title_row_is_named_by_its_file() -> None:
    """Not by its first sheet's name, which names that sheet only."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "担保费率"
    sheet.append(["企业类型", "年化担保费率"])
    sheet.append(["小微企业", "1%"])
    rewards = book.create_sheet("基金落户奖励")
    rewards.append(["档次", "奖励上限"])
    rewards.append(["第一档", "200万元"])
    out = io.BytesIO()
    book.save(out)
    doc = parse_document(out.getvalue(), "standards/奖励与补贴标准一览表.xlsx")
    assert doc.meta.title == "奖励与补贴标准一览表"
    assert [ch.text for ch in doc.chunks] == [
        "担保费率\n企业类型：小微企业；年化担保费率：1%",
        "基金落户奖励\n档次：第一档；奖励上限：200万元",
    ]


def test_a_row_its_list_marks_ended_is_not_in_force_without_a_day() -> None:
    """ "状态：已失效" ends a row that gives no 有效期; a 备注 that only says when it would end
    ("到期后自动失效") does not."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["序号", "政策名称", "支持标准", "状态", "备注"])
    sheet.append([1, "小微企业首贷贴息", "按贷款利息的30%贴息", "执行中", "到期后自动失效"])
    sheet.append([2, "疫情纾困担保费减免", "担保费全免", "已失效", ""])
    out = io.BytesIO()
    book.save(out)
    parts = split_compilation(parse_document(out.getvalue(), "list.xlsx"))
    statuses = resolve_statuses({p.doc_id: p.meta for p in parts}, date(2029, 8, 20))
    ended = {p.meta.title for p in parts if statuses[p.doc_id].status is not DocStatus.CURRENT}
    assert ended == {"疫情纾困担保费减免"}


def levels_table() -> bytes:
    """A county's 政策兑现标准一览表, one sheet per level, each row citing its measure by 文号
    alone ("桐政发〔2031〕6号第四条") and numbered from 1 again on every sheet; a row's name
    repeated on the city's sheet."""
    book = Workbook()
    county = book.active
    assert county is not None
    county.title = "县级政策"
    county.append(["桐坞县政策兑现标准一览表（县级）"])
    county.append(["序号", "项目", "支持对象", "标准", "依据"])
    county.append(
        [1, "辅导备案奖励", "辅导备案企业", "一次性奖励100万元", "桐政发〔2031〕6号第六条"]
    )
    county.append([2, "股份制改造奖励", "完成股改企业", "50万元", "桐政发〔2031〕6号第五条"])
    city = book.create_sheet("市级政策")
    city.append(["篁州市政策兑现标准一览表（市级，供参考）"])
    city.append(["序号", "项目", "支持对象", "标准", "依据"])
    city.append([1, "辅导备案奖励", "辅导备案企业", "一次性奖励50万元", "篁政发〔2032〕7号"])
    city.append([2, "北交所上市奖励（市级）", "北交所上市企业", "一次性奖励200万元",
                 "篁政发〔2032〕7号《篁州市推动企业上市若干政策》"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_each_sheet_of_measures_is_a_part_and_a_row_citing_a_number_alone_sums_up_that_measure() -> (
    None
):
    """The level of a row stands only in its sheet's name: each sheet's rows are a part named
    after it, which every row carries. A row whose 依据 is a 文号 alone (an article after it or
    not) sums up that measure, and carries its number; a name another sheet used already is
    told apart by its sheet."""
    text, _ = extract_text(levels_table(), "policy-standards-2034.xlsx")
    assert "第一部分 县级政策\n【01】辅导备案奖励" in text
    assert "第二部分 市级政策\n【01】辅导备案奖励（市级政策）" in text
    doc = parse_document(levels_table(), "policy-standards-2034.xlsx")
    parts = {part.meta.title: part for part in split_compilation(doc)}
    county = parts["辅导备案奖励"]
    assert county.meta.doc_number == "桐政发〔2031〕6号"
    assert county.meta.summarises == "桐政发〔2031〕6号"
    city = parts["辅导备案奖励（市级政策）"]
    assert city.meta.doc_number == "篁政发〔2032〕7号"
    assert all(ch.text.startswith("第二部分 市级政策\n") for ch in city.chunks)
    listed = parts["北交所上市奖励（市级）"]
    assert listed.meta.summarises == "篁州市推动企业上市若干政策"  # a title, where one is given
