"""`finbot kb history` / `kb rollback`: a replaced text is kept, listed and put back, and
`finbot ask --json` says which revision each hit quotes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.audit import AuditEntry, AuditService
from bot.clock import SystemClock
from bot.config import load_settings
from bot.core import Core
from bot.db.session import make_engine, make_sessionmaker
from tests.e2e_admin.conftest import POLICY_V1, POLICY_V2
from tests.test_cli_kb import QUESTION, answer_later, data_dir, run, running  # noqa: F401

FILLER = "# 其他办法\n\n## 第一条 范围\n\n本办法适用于本区小微企业。\n"


def audit_entries(data: Path, action: str) -> list[AuditEntry]:
    async def read() -> list[AuditEntry]:
        engine = make_engine(load_settings(data_dir=data).db_url)
        try:
            return await AuditService(make_sessionmaker(engine), SystemClock()).recent(
                action=action
            )
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_history_and_rollback_from_the_command_line(
    tmp_path: Path,
    data_dir: Path,  # noqa: F811
    running: Core,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "src"
    src.mkdir()
    policy = src / "digital-rmb.md"
    policy.write_text(POLICY_V1, "utf-8")
    (src / "filler.md").write_text(FILLER, "utf-8")
    assert run(capsys, "kb", "add", str(src))[0] == 0
    running.answers.maybe_reload()
    v1_hash = running.store.snapshot().docs["digital-rmb"].doc.content_hash[:8]
    policy.write_text(POLICY_V2, "utf-8")
    code, out, _ = run(capsys, "kb", "add", str(policy))
    assert code == 0 and out.startswith("added 0, updated 1")
    assert "十二万元" in answer_later(running, QUESTION)

    code, out, _ = run(capsys, "kb", "history", "digital-rmb")
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].startswith("*r2\t") and "青金发〔2026〕2号" in lines[0]
    assert lines[1].startswith(" r1\t" + v1_hash) and "青金发〔2025〕31号\t2025-04-01" in lines[1]

    code, out, _ = run(capsys, "kb", "rollback", "digital-rmb", "1")
    assert (
        code == 0
        and out.strip() == f"rolled back digital-rmb: now r3 ({v1_hash}), restored from r1"
    )
    reply = answer_later(running, QUESTION)  # the running bot picks the generation up
    assert "八万元" in reply and "十二万元" not in reply

    code, out, _ = run(capsys, "ask", "--json", QUESTION)
    hit = json.loads(out)["hits"][0]
    assert code == 0 and "八万元" in hit["text"]
    assert (hit["doc_id"], hit["revision"], hit["content_hash"]) == ("digital-rmb", 3, v1_hash)

    code, out, _ = run(capsys, "kb", "history", "digital-rmb", "--json")
    listed = json.loads(out)
    assert [(r["revision"], r["current"], r["restored_from"]) for r in listed] == [
        (3, True, 1),
        (2, False, None),
        (1, False, None),
    ]
    assert listed[1]["replaced_by"] == "cli"
    (entry,) = audit_entries(data_dir, "doc.rollback")
    assert entry.target == "digital-rmb" and entry.detail["restored"] == 1
    assert entry.detail["revision"] == 3 and entry.detail["via"] == "cli"


def test_rollback_refuses_what_it_cannot_do(
    tmp_path: Path,
    data_dir: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    policy = tmp_path / "digital-rmb.md"
    policy.write_text(POLICY_V1, "utf-8")
    assert run(capsys, "kb", "add", str(policy))[0] == 0
    code, _, err = run(capsys, "kb", "rollback", "digital-rmb", "1")
    assert code == 1 and "no earlier revision r1" in err
    code, _, err = run(capsys, "kb", "rollback", "nope", "1")
    assert code == 1 and "no document" in err
    code, _, err = run(capsys, "kb", "history", "nope")
    assert code == 1 and "no document" in err
