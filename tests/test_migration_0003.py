"""Revision 0003: forms and intakes in progress move from PTB's persistence to flow_states."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import column, create_engine, insert, inspect, select, table
from sqlalchemy.types import JSON, DateTime, String

from bot.db.migrate import current_revision, sync_url, upgrade
from bot.db.models import FlowState
from tests.databases import DB_KINDS, fresh_db_url

OLD = table(
    "conversation_state",
    column("name", String),
    column("key", String),
    column("state", String),
    column("data", JSON),
    column("updated_at", DateTime(timezone=True)),
)
WHEN = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("kind", DB_KINDS)
def test_forms_in_progress_are_carried_over(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url, "0002")
    form = {"values": {"company": "青禾科技有限公司"}, "lang": "en", "step": "uscc"}
    rows = [
        {"name": "financing_form", "key": json.dumps([1001, 1001]), "state": json.dumps("uscc"),
         "data": {}, "updated_at": WHEN},
        {"name": "__user_data__", "key": "1001", "state": "", "data": {"form": form},
         "updated_at": WHEN},
        {"name": "handoff_intake", "key": json.dumps([1002, 1002]), "state": json.dumps("note"),
         "data": {}, "updated_at": WHEN},
        {"name": "financing_form", "key": json.dumps([1003, 1003]), "state": json.dumps("phone"),
         "data": {}, "updated_at": WHEN},  # its answers were never flushed: dropped
    ]  # fmt: skip
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(insert(OLD), rows)
        upgrade(url, "0003")
        assert current_revision(url) == "0003"
        assert "conversation_state" not in inspect(engine).get_table_names()
        with engine.connect() as conn:
            flows = conn.execute(select(FlowState.__table__).order_by("user_id")).mappings().all()
    finally:
        engine.dispose()
    assert [(f["kind"], f["user_id"], f["chat_id"], f["step"]) for f in flows] == [
        ("financing_form", 1001, 1001, "uscc"),
        ("handoff_intake", 1002, 1002, "note"),
    ]
    assert flows[0]["data"] == form and flows[0]["version"] == 1
