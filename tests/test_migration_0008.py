"""Revision 0008: questions logged before it keep their rows (no quoted revision recorded),
new ones get one; a parked rollback names its revision."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import column, create_engine, insert, inspect, select, table
from sqlalchemy.types import JSON, BigInteger, DateTime, Float, String, Text

from bot.db.migrate import sync_url, upgrade
from tests.databases import DB_KINDS, fresh_db_url

OLD_LOG = table(
    "question_log",
    column("user_id", BigInteger),
    column("chat_id", BigInteger),
    column("text", Text),
    column("lang", String),
    column("band", String),
    column("top", JSON),
    column("confidence", Float),
    column("latency_ms", Float),
    column("source", String),
    column("created_at", DateTime(timezone=True)),
)
LOG_0008 = table(
    "question_log", *(column(c.name, c.type) for c in OLD_LOG.c), column("cited", JSON)
)


@pytest.mark.parametrize("kind", DB_KINDS)
def test_old_questions_survive_and_have_no_cited_revision(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url, "0003")
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(OLD_LOG),
                [{"user_id": 1, "chat_id": 1, "text": "上市奖励多少", "lang": "zh",
                  "band": "answer", "top": [["listing", 0.9]], "confidence": 0.9,
                  "latency_ms": 12.0, "source": "telegram",
                  "created_at": datetime(2026, 12, 1, tzinfo=UTC)}],
            )  # fmt: skip
        upgrade(url, "0008")
        assert "revision" in {
            c["name"] for c in inspect(engine).get_columns("pending_confirmations")
        }
        with engine.connect() as conn:
            # only the columns this revision knows (later revisions may add more to the model)
            new_log = table("question_log", column("top", JSON), column("cited", JSON))
            row = conn.execute(select(new_log)).mappings().one()
        with engine.begin() as conn:
            conn.execute(insert(LOG_0008), [{
                "user_id": 2, "chat_id": 2, "text": "担保费率", "lang": "zh", "band": "answer",
                "top": [["g", 0.8]], "cited": [["g", 2, "0a1b2c3d", "第六条 担保费率"]],
                "confidence": 0.8, "latency_ms": 9.0, "source": "telegram",
                "created_at": datetime(2026, 12, 2, tzinfo=UTC),
            }])  # fmt: skip
            cited = conn.execute(select(new_log.c.cited).where(new_log.c.cited.is_not(None)))
            newer = cited.scalar_one()
    finally:
        engine.dispose()
    assert row["top"] == [["listing", 0.9]] and row["cited"] is None
    assert newer == [["g", 2, "0a1b2c3d", "第六条 担保费率"]]  # doc, revision, hash, section
