"""`finbot stats` and `finbot export questions` print what /stats and /export show."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.audit import AuditService
from bot.cli import main
from bot.clock import ManualClock
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.db.session import make_engine, make_sessionmaker
from bot.handoff import HandoffService
from bot.requests import RequestService
from tests.stats_seed import ASKER, DOC, PHONE, Expected, local, seed


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A data dir whose database holds the seeded week; returns the database URL."""
    monkeypatch.setenv("FINBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.delenv("FINBOT_TELEGRAM_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    url = load_settings().db_url
    (tmp_path / "data").mkdir()
    upgrade(url)

    async def _seed() -> None:
        engine = make_engine(url)
        db, clock = make_sessionmaker(engine), ManualClock(local(24, 10))
        await seed(db, RequestService(db, clock), HandoffService(db, clock), clock)
        await engine.dispose()

    asyncio.run(_seed())
    return url


def test_stats_json_matches_the_seeded_week(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "week.png"
    argv = ["stats", "--from", "2026-11-18", "--to", "2026-11-24", "--json", "--png", str(png)]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    e = Expected()
    assert data["start"] == "2026-11-18" and len(data["days"]) == 7
    assert data["questions"] == e.questions
    assert data["bands"] == {"answer": e.answered, "suggest": e.suggested, "none": e.declined}
    assert (data["likes"], data["dislikes"], data["like_rate"]) == (e.likes, e.dislikes, 50.0)
    assert data["sections"][0] == {"doc_id": DOC, "title": DOC, "section": "第九条 办理时限",
                                   "count": 2}  # fmt: skip
    assert data["missed"][0] == {"wording": "上市奖励怎么申请", "count": 2}
    assert data["requests"]["total"] == e.requests
    assert data["requests"]["median_claim_seconds"] == 3600.0
    assert (data["sla"]["met"], data["sla"]["missed"]) == (e.sla_met, e.sla_judged - e.sla_met)
    assert data["handoffs"]["total"] == 1 and data["handoffs"]["mean_rating"] == 4.0
    assert png.read_bytes().startswith(b"\x89PNG")
    assert main(["stats", "--from", "2026-11-24", "--to", "2026-11-01"]) == 2
    assert main(["stats", "--from", "2026-11-18", "--to", "2026-11-24"]) == 0
    assert "问题 6 条：已解答 3，推荐 1，未解答 2" in capsys.readouterr().out


def test_export_questions_is_masked_unless_asked_and_audited(
    seeded: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    masked, plain = tmp_path / "q.xlsx", tmp_path / "q.csv"
    base = ["export", "questions", "--from", "2026-11-01", "--to", "2026-11-30"]
    assert main([*base, "--xlsx", str(masked)]) == 0
    assert capsys.readouterr().out.startswith("7 questions")
    sheet = load_workbook(io.BytesIO(masked.read_bytes())).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 8 and PHONE not in str(rows) and str(ASKER) not in {r[1] for r in rows}
    assert main([*base, "--csv", str(plain), "--unmasked"]) == 0
    data = plain.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and PHONE in data.decode("utf-8-sig")

    async def _audit() -> list[tuple[object, object]]:
        engine = make_engine(seeded)
        entries = await AuditService(make_sessionmaker(engine), ManualClock(local(24, 10))).recent(
            action="question.export"
        )
        await engine.dispose()
        return [(a.detail["unmasked"], a.detail["via"]) for a in entries]

    assert asyncio.run(_audit()) == [(True, "cli"), (False, "cli")]
