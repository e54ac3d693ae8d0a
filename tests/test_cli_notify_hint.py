"""`finbot kb add` names the new current documents whose topic has subscribers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from tests.e2e_subs.conftest import POLICY_V1


def test_kb_add_points_out_subscribers_to_notify(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("FINBOT_DATA_DIR", str(data))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.chdir(tmp_path)
    assert main(["db", "upgrade"]) == 0
    with sqlite3.connect(data / "finbot.db") as conn:
        conn.executemany(
            "INSERT INTO subscriptions (user_id, topic, created_at) VALUES (?, ?, '2026-12-01')",
            [(1, "guarantee"), (2, "guarantee"), (3, "funds")],
        )
    src = tmp_path / "fee-cut.md"
    src.write_text(POLICY_V1, encoding="utf-8")
    capsys.readouterr()
    assert main(["kb", "add", str(src)]) == 0
    err = capsys.readouterr().err
    assert "fee-cut: 2 subscribers of 'guarantee' can be notified: send /notify fee-cut" in err
