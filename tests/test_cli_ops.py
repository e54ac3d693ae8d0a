"""`finbot` on a fresh data dir, odd file names and encodings, the limits as the CLI says them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.db.migrate import current_revision, head_revision, upgrade
from knowledge.encoding import decode_text

POLICY = "# 青禾区小微企业贷款贴息办法\n\n- 文号：青金发〔2025〕7号\n- 施行日期：2025年1月1日\n\n第一条 对小微企业贷款给予50%贴息。\n\n第二条 申请材料包括营业执照。\n"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("FINBOT_DATA_DIR", str(data))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.delenv("FINBOT_TELEGRAM_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    return data


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_kb_add_on_a_fresh_data_dir_creates_the_schema(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.md").write_text(POLICY, "utf-8")
    code, out, err = run(capsys, "kb", "add", str(src))
    assert code == 0 and out.startswith("added 1"), err
    url = load_settings().db_url
    assert current_revision(url) == head_revision()
    assert "created the database schema" in err
    code, _, err = run(capsys, "kb", "add", str(src))  # the second time says nothing about it
    assert code == 0 and "schema" not in err


def test_a_database_with_an_older_schema_is_not_touched_and_run_says_so(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = load_settings().db_url
    upgrade(url, "0001")
    code, _, err = run(capsys, "run")
    assert code == 2 and "run `finbot db upgrade`" in err
    assert current_revision(url) == "0001"


def test_kb_list_keeps_one_line_per_document_whatever_the_file_name(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    names = ["tab\there.md", "new\nline.md", "plain.md"]
    for i, name in enumerate(names):
        (src / name).write_text(POLICY.replace("贴息办法", f"贴息办法{i}\t附件"), "utf-8")
    code, _, err = run(capsys, "kb", "add", str(src))
    assert code == 0, err
    code, out, _ = run(capsys, "kb", "list")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 3
    assert all(len(line.split("\t")) == 5 for line in lines)
    assert any(line.endswith("(new\\nline.md)") for line in lines)
    assert any("(tab\\there.md)" in line for line in lines)
    listed = json.loads(run(capsys, "kb", "list", "--json")[1])
    assert sorted(d["source"] for d in listed) == sorted(names)  # JSON keeps them as they are


def test_kb_add_says_the_limit_of_a_too_large_document(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FINBOT_MAX_DOC_CHUNKS", "1")
    (tmp_path / "a.md").write_text(POLICY, "utf-8")
    code, _, err = run(capsys, "kb", "add", str(tmp_path / "a.md"))
    assert code == 1
    assert "a.md: too large: it makes 2 passages" in err and "at most 1 passages" in err
    assert "nothing was changed" in err


def test_utf16_without_bom_is_read_as_text_in_either_byte_order() -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_text(POLICY.encode(codec), "a.txt") == POLICY


def test_a_binary_file_is_still_refused() -> None:
    from knowledge.errors import IngestError

    for data in (bytes(range(256)) * 8, b"\x00\x01\x02\x03" * 64, b"\x7fELF" + b"\x00" * 64):
        with pytest.raises(IngestError) as err:
            decode_text(data, "x.txt")
        assert err.value.code == "binary_disguised"
