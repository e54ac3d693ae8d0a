"""`finbot faq import FILE.xlsx|.csv [--dry-run]`, `finbot faq export --xlsx`, `finbot canned`."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.core import build_core
from bot.faq_sheet import read_sheet
from index.encoders import HashingEncoder
from tests.e2e_admin.conftest import POLICY_V1

QUESTION = "数字人民币受理改造能拿多少补贴？"
GOOD_CSV = (
    "问题,相似问法,答案,来源文件,条款\n"
    f"{QUESTION},数字人民币补贴｜受理改造补贴,完成受理改造的试点企业一次性补贴每户8万元。,digital-rmb.md,第二条\n"
    "数字人民币试点适用于哪些企业？,,开立数字人民币对公钱包并开展受理业务的试点企业。,digital-rmb.md,第一条 适用范围\n"
)
BAD_CSV = (
    "问题,答案,来源文件,条款\n"
    "数字人民币补贴多少？,每户补贴10万元。,digital-rmb.md,第二条\n"
    "数字人民币怎么申请？,见办法。,unknown.md,第一条\n"
    "数字人民币试点适用于哪些企业？,试点企业。,digital-rmb.md,第一条\n"
)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("FINBOT_DATA_DIR", str(data))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.chdir(tmp_path)  # no stray .env
    src = tmp_path / "src"
    src.mkdir()
    (src / "digital-rmb.md").write_text(POLICY_V1, "utf-8")
    assert main(["kb", "add", str(src)]) == 0
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def faq_count(capsys: pytest.CaptureFixture[str]) -> int:
    code, out, _ = run(capsys, "faq", "list")
    assert code == 0
    return len(out.splitlines())


def test_csv_dry_run_then_import_answers_from_the_faq(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "faq.csv"
    sheet.write_text(GOOD_CSV, "utf-8-sig")
    capsys.readouterr()
    code, out, _ = run(capsys, "faq", "import", str(sheet), "--dry-run")
    assert code == 0 and "2 rows valid (2 new, 0 updates), 0 rejected." in out
    assert "dry run: nothing imported" in out and faq_count(capsys) == 0
    code, out, _ = run(capsys, "faq", "import", str(sheet))
    assert code == 0 and "imported 2 FAQ entries (2 new, 0 updated)" in out
    core = build_core(load_settings(data_dir=data_dir), encoder=HashingEncoder())
    try:
        (entry,) = [f for f in core.kb.faqs() if f.questions[0] == QUESTION]
        assert entry.section == "第二条 补贴标准" and entry.doc_id == "digital-rmb"
        assert "每户8万元" in core.answers.answer_sync(QUESTION).reply
    finally:
        core.close()


def test_rejected_rows_exit_non_zero_and_import_nothing(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(BAD_CSV, "utf-8")
    capsys.readouterr()
    code, out, _ = run(capsys, "faq", "import", str(sheet))
    assert code == 1
    assert "1 rows valid (1 new, 0 updates), 2 rejected." in out
    assert "Row 2: the answer's figures 10万 are not in 第二条 补贴标准" in out
    assert "Row 3: no document “unknown.md” in the knowledge base" in out
    assert "All or nothing" in out and faq_count(capsys) == 0


def test_export_xlsx_then_import_round_trips(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "faq.csv"
    sheet.write_text(GOOD_CSV, "utf-8")
    assert run(capsys, "faq", "import", str(sheet))[0] == 0
    before = run(capsys, "faq", "list", "--json")[1]
    exported = tmp_path / "faq.xlsx"
    code, out, _ = run(capsys, "faq", "export", "--xlsx", str(exported))
    assert code == 0 and out.strip() == f"exported 2 FAQ entries to {exported}"
    rows = read_sheet(exported.read_bytes(), exported.name)
    assert [r.question for r in rows] == [QUESTION, "数字人民币试点适用于哪些企业？"]
    assert rows[0].similar == ("数字人民币补贴", "受理改造补贴") and rows[0].faq_id == "faq-001"
    code, out, _ = run(capsys, "faq", "import", str(exported))
    assert code == 0 and "imported 2 FAQ entries (0 new, 2 updated)" in out
    assert run(capsys, "faq", "list", "--json")[1] == before  # nothing doubled, nothing changed


def test_canned_add_list_remove(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "db", "upgrade")[0] == 0
    code, out, _ = run(
        capsys, "canned", "add", "材料", "{企业名称}您好，请准备近三个月流水。\n谢谢"
    )
    assert code == 0 and out.strip() == "added 材料"
    code, _, err = run(capsys, "canned", "add", "坏", "{公司}您好")
    assert code == 1 and "Unknown variables: {公司}" in err
    code, out, _ = run(capsys, "canned", "list")
    assert code == 0 and out == "材料\t{企业名称}您好，请准备近三个月流水。\n"
    assert run(capsys, "canned", "remove", "材料")[:2] == (0, "removed 材料\n")
    code, _, err = run(capsys, "canned", "remove", "材料")
    assert code == 1 and "no canned reply" in err
