"""Alembic: an empty database upgrades to head; start-up refuses an out-of-date schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot.config import load_settings
from bot.db.migrate import (
    SchemaOutOfDateError,
    check_schema,
    current_revision,
    declared_head,
    head_revision,
    stamped_revision,
    sync_url,
    upgrade,
)
from bot.db.models import Base
from bot.main import run_telegram
from bot.services import build_services
from index.encoders import HashingEncoder
from tests.databases import DB_KINDS, fresh_db_url

ISSUE5_TABLES = {
    "financing_requests",
    "request_events",
    "request_counters",
    "handoffs",
    "handoff_messages",
}


@pytest.mark.parametrize("kind", DB_KINDS)
def test_upgrade_from_empty_database_creates_every_table(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url)
    assert head_revision() is not None and current_revision(url) == head_revision()
    engine = create_engine(sync_url(url))
    try:
        tables = set(inspect(engine).get_table_names())
        columns = {c["name"] for c in inspect(engine).get_columns("financing_requests")}
        with engine.connect() as conn:
            drift = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert tables >= ISSUE5_TABLES
    assert {"ref", "uscc", "amount_yuan", "owner_id", "card_message_id"} <= columns
    assert drift == []  # the models and the migrations agree, column types included


@pytest.mark.parametrize("kind", DB_KINDS)
def test_revision_0002_follows_0001(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url, "0001")
    with pytest.raises(SchemaOutOfDateError, match="finbot db upgrade"):
        check_schema(url)
    upgrade(url)
    check_schema(url)
    assert current_revision(url) == head_revision()


async def test_start_up_refuses_an_out_of_date_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing", telegram_token="1:x")
    upgrade(settings.db_url, "0001")
    with pytest.raises(SchemaOutOfDateError, match="0001"):
        await build_services(settings, encoder=HashingEncoder(), seed=False)
    assert run_telegram(settings) == 2
    assert "run `finbot db upgrade`" in capsys.readouterr().err


def test_the_head_the_migration_files_declare_is_alembics_head() -> None:
    """Start-up reads the head from the files (no alembic import): it must be alembic's."""
    assert declared_head() == head_revision() is not None


@pytest.mark.parametrize("kind", DB_KINDS)
def test_the_stamp_start_up_reads_is_the_revision_alembic_reads(kind: str, tmp_path: Path) -> None:
    url = fresh_db_url(kind, tmp_path)
    upgrade(url, "0001")  # a schema without the version table is read as None below
    assert stamped_revision(url) == current_revision(url) == "0001"
    upgrade(url)
    assert stamped_revision(url) == current_revision(url) == head_revision()


def test_a_database_with_no_version_table_has_no_stamp(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'plain.db'}"
    engine = create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
    engine.dispose()
    assert stamped_revision(url) is None
    with pytest.raises(SchemaOutOfDateError, match="at nothing"):
        check_schema(url)
