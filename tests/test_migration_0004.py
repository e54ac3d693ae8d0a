"""Revision 0004: 👎 reasons on the question log (citations are `cited`, from 0008), the
chats' last turns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, insert, inspect, select

from bot.db.migrate import alembic_config, current_revision, sync_url, upgrade
from bot.db.models import QuestionLog
from tests.databases import DB_KINDS, fresh_db_url

NEW_COLUMNS = {"feedback_reason", "feedback_note"}


@pytest.mark.parametrize("kind", DB_KINDS)
def test_logged_questions_are_kept_and_the_revision_goes_back(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url, "0003")
    engine = create_engine(sync_url(url))
    old = {c["name"] for c in inspect(engine).get_columns("question_log")}  # as at 0003
    row = {"user_id": 1, "chat_id": 1, "message_id": 5, "text": "担保费率", "lang": "zh",
           "band": "answer", "top": [["doc", 0.9]], "confidence": 0.9, "latency_ms": 3.0,
           "feedback": -1, "source": "telegram", "created_at": datetime(2026, 6, 1, tzinfo=UTC)}  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.execute(insert(QuestionLog).values(**row))
        upgrade(url, "0004")
        assert current_revision(url) == "0004"
        assert "chat_turns" in inspect(engine).get_table_names()
        upgraded = {c["name"] for c in inspect(engine).get_columns("question_log")}
        assert upgraded == old | NEW_COLUMNS
        with engine.connect() as conn:
            kept = conn.execute(select(QuestionLog.text, QuestionLog.feedback_reason)).one()
        assert tuple(kept) == ("担保费率", None)
        command.downgrade(alembic_config(url), "0003")
        assert "chat_turns" not in inspect(engine).get_table_names()
        columns = {c["name"] for c in inspect(engine).get_columns("question_log")}
        assert columns == old
    finally:
        engine.dispose()
