"""`finbot kb …` / `finbot faq …` against the same data dir a running bot serves from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import load_settings
from bot.core import Core, build_core
from index.encoders import HashingEncoder
from tests.e2e_admin.conftest import POLICY_V1, REPEAL_DECISION

QUESTION = "数字人民币试点企业补贴多少钱？"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("FINBOT_DATA_DIR", str(data))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return data


@pytest.fixture
def running(data_dir: Path) -> Core:
    """Stands for the bot process: built once, never restarted during the test."""
    core = build_core(
        load_settings(data_dir=data_dir, embedding_model="hashing"), encoder=HashingEncoder()
    )
    core.answers.reload_interval_s = 0.0  # look at the disk on every question, not once a second
    return core


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def answer_later(core: Core, question: str) -> str:
    return core.answers.answer_sync(question).reply


def test_kb_add_list_remove_rebuild_seen_by_running_service(
    tmp_path: Path, data_dir: Path, running: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "digital-rmb.md").write_text(POLICY_V1, "utf-8")
    (src / "filler.md").write_text(
        "# 其他办法\n\n## 第一条 范围\n\n本办法适用于本区小微企业。\n", "utf-8"
    )
    code, out, _ = run(capsys, "kb", "add", str(src))
    assert code == 0 and out.startswith("added 2, updated 0, unchanged 0")
    assert "八万元" in answer_later(running, QUESTION)

    code, out, _ = run(capsys, "kb", "list", "--json")
    listed = {d["doc_id"]: d for d in json.loads(out)}
    assert listed["digital-rmb"]["doc_number"] == "青金发〔2025〕31号"
    assert (
        listed["digital-rmb"]["status"] == "current"
        and listed["digital-rmb"]["expires"] == "2028-03-31"
    )

    code, out, _ = run(capsys, "kb", "rebuild")
    assert code == 0 and out.startswith("rebuilt: 2 documents")

    code, out, _ = run(capsys, "kb", "remove", "digital-rmb")
    assert code == 0 and out.strip() == "removed digital-rmb"
    assert "八万元" not in answer_later(running, QUESTION)
    assert "digital-rmb" not in running.store.snapshot().docs
    code, _, err = run(capsys, "kb", "remove", "digital-rmb")
    assert code == 1 and "no document" in err


def test_kb_add_bad_file_changes_nothing(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "scan.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    code, _, err = run(capsys, "kb", "add", str(bad))
    assert code == 1 and "nothing was changed" in err and "scan.md" in err
    assert not (data_dir / "index" / "CURRENT").exists()


def _policies(tmp_path: Path, *files: tuple[str, str]) -> Path:
    """A folder of policy files (name, text) to add at once."""
    folder = tmp_path / "policies"
    folder.mkdir()
    for name, text in files:
        (folder / name).write_text(text, "utf-8")
    return folder


def test_kb_add_warns_when_two_documents_share_a_number(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _policies(
        tmp_path,
        ("digital-rmb.md", POLICY_V1),
        ("green-credit.md", POLICY_V1.replace("数字人民币试点企业补贴办法", "绿色信贷贴息办法")),
    )
    code, out, err = run(capsys, "kb", "add", str(folder))
    assert code == 0 and "added 2" in out
    assert err.count("have the same 文号 under different titles") == 1
    assert "digital-rmb" in err and "green-credit" in err
    code, _, err = run(capsys, "kb", "add", str(folder / "digital-rmb.md"))
    assert code == 0 and "same 文号" not in err  # nothing added: nothing to say


_DRAFT = POLICY_V1.replace("数字人民币试点企业补贴办法", "数字人民币试点企业补贴办法（征求意见稿）")
_NEXT = (
    POLICY_V1.replace("青金发〔2025〕31号", "青金发〔2026〕9号")
    .replace("施行日期：2025年4月1日", "施行日期：2099年1月1日")
    .replace("八万元", "十万元")
)


def test_kb_add_warns_when_two_files_hold_the_same_text(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bureau's folder holds one notice as a .doc and as a .wps copy (session 57): both are
    added, and the admin is told once that they hold the same text."""
    fixture = Path(__file__).parent / "knowledge" / "fixtures" / "guarantee-fee-subsidy.doc"
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "办法.doc").write_bytes(fixture.read_bytes())
    (folder / "办法副本.wps").write_bytes(fixture.read_bytes())
    (folder / "digital-rmb.md").write_text(POLICY_V1, "utf-8")
    code, out, err = run(capsys, "kb", "add", str(folder))
    assert code == 0 and out.startswith("added 3"), (out, err)
    assert err.count("hold the same text") == 1, err
    code, _, err = run(capsys, "kb", "add", str(folder / "digital-rmb.md"))
    assert code == 0 and "same text" not in err  # nothing added: nothing to say


@pytest.mark.parametrize(
    ("files", "doc_id", "status", "said"),
    [
        ((("rmb-draft.md", _DRAFT),), "rmb-draft", "draft",
         "rmb-draft is a draft for comment (征求意见稿)"),
        # a new edition replacing the one in force from a later day
        ((("rmb.md", POLICY_V1), ("rmb-next.md", _NEXT)), "rmb-next", "pending",
         "note: rmb-next takes effect on 2099-01-01"),
    ],
)  # fmt: skip
def test_kb_add_says_a_document_not_in_force_yet_is_one_and_lists_it_so(
    tmp_path: Path,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    files: tuple[tuple[str, str], ...],
    doc_id: str,
    status: str,
    said: str,
) -> None:
    code, out, err = run(capsys, "kb", "add", str(_policies(tmp_path, *files)))
    assert code == 0 and f"added {len(files)}" in out
    assert said in err
    code, out, _ = run(capsys, "kb", "list", "--status", status)
    assert code == 0 and out.startswith(f"{doc_id}\t{status}")
    code, out, _ = run(capsys, "kb", "list", "--status", "current")
    assert f"{doc_id}\t" not in out


def test_kb_add_says_which_documents_a_repeal_decision_repeals_and_lists_them_so(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The measure never says it was repealed: the decision's table does, and the admin is
    told which of the knowledge base's documents it took out of force."""
    folder = _policies(tmp_path, ("rmb.md", POLICY_V1), ("repeal.md", REPEAL_DECISION))
    code, out, err = run(capsys, "kb", "add", str(folder))
    assert code == 0 and "added 2" in out
    assert "note: repeal repeals 1 document(s) of the knowledge base: rmb" in err
    code, out, _ = run(capsys, "kb", "list", "--status", "superseded")
    assert code == 0 and out.startswith("rmb\tsuperseded")


def test_faq_add_list_export_import_remove(
    tmp_path: Path, data_dir: Path, running: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "faq", "add", "-q", "宠物疫苗在哪里打", "-q", "宠物狗疫苗去哪打",
                       "-a", "请咨询区动物防疫站。")  # fmt: skip
    assert code == 0 and out.strip() == "added faq-001"
    code, out, _ = run(capsys, "faq", "list", "--json")
    assert json.loads(out) == [{"id": "faq-001", "questions": ["宠物疫苗在哪里打", "宠物狗疫苗去哪打"],
                                "answer": "请咨询区动物防疫站。", "source": None, "section": None}]  # fmt: skip
    assert running.answers.answer_sync("宠物疫苗在哪里打").hits[0].faq_id == "faq-001"

    exported = tmp_path / "faq.yaml"
    assert run(capsys, "faq", "export", "-o", str(exported))[0] == 0
    assert yaml.safe_load(exported.read_text("utf-8"))[0]["id"] == "faq-001"
    code, out, _ = run(capsys, "faq", "remove", "faq-001")
    assert code == 0 and out.strip() == "removed faq-001"
    assert json.loads(run(capsys, "faq", "list", "--json")[1]) == []
    code, out, _ = run(capsys, "faq", "import", str(exported))
    assert code == 0 and out.strip() == "imported 1 FAQ entries"
    running.answers.maybe_reload()
    assert [f.faq_id for f in running.kb.faqs()] == ["faq-001"]  # the running bot's view

    broken = tmp_path / "broken.yaml"
    broken.write_text("- id: x\n  answer: no questions\n", "utf-8")
    code, _, err = run(capsys, "faq", "import", str(broken))
    assert code == 1 and "needs id, questions and answer" in err


@pytest.mark.parametrize(
    ("setting", "env"),
    [
        ("FINBOT_EMBEDDING_MODEL", {"FINBOT_EMBEDDING_MODEL": "./no-such-model"}),
        (
            "FINBOT_SCOPE_ENCODER",
            {"FINBOT_EMBEDDING_MODEL": "e5-small", "FINBOT_SCOPE_ENCODER": "./no-such-model"},
        ),
    ],
)
def test_a_model_that_cannot_load_stops_startup_with_one_line_naming_the_setting(
    setting: str,
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FINBOT_DATA_DIR", str(tmp_path))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["kb", "list"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"finbot: invalid setting {setting}: cannot load encoder './no-such-model': "
        "local model path ./no-such-model does not exist"
    ]


def test_ask_as_of_answers_with_the_documents_in_force_on_that_day(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--as-of 2023-06-01 predates the 2024 revision: the 2021 listing reward is current then."""
    question = "青禾区推动企业上市挂牌奖励办法 股改奖励多少"
    code, out, _ = run(capsys, "ask", "--json", "--as-of", "2023-06-01", question)
    assert code == 0
    then = json.loads(out)
    code, out, _ = run(capsys, "ask", "--json", "--as-of", "2025-06-01", question)
    now = json.loads(out)
    assert then["hits"][0]["source"] == "listing/listing-reward-2021.md"
    assert then["hits"][0]["status"] == "current"
    assert now["hits"][0]["source"] == "listing/listing-reward-2024.md"
    assert all(
        h["source"] != "listing/listing-reward-2021.md" or h["status"] != "current"
        for h in now["hits"]
    )
    with pytest.raises(SystemExit) as bad:
        main(["ask", "--as-of", "2023-13-01", question])
    assert bad.value.code == 2 and "not a day" in capsys.readouterr().err
