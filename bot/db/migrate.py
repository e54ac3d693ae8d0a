"""Alembic, driven from code: `finbot db upgrade` and the start-up schema check.

A fresh data dir just works: `ensure_schema` creates the schema on a database that holds no
tables at all. Only a database that already has a schema, at an older revision, is left
alone and asks for `finbot db upgrade` (an operator decides when data is migrated).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaOutOfDateError(Exception):
    """The database is behind the code; the message says how to fix it."""


def sync_url(url: str) -> str:
    """Alembic runs synchronously: swap an async driver for a sync one that is installed.

    psycopg 3 (the `postgres` extra) serves both sides, so `postgresql+psycopg://` needs no
    swap; an `+asyncpg` URL is mapped to psycopg 3, else psycopg2, whichever is importable.
    """
    if "+aiosqlite" in url:
        return url.replace("+aiosqlite", "")
    if "+asyncpg" in url:
        driver = next((d for d in ("psycopg", "psycopg2") if _has(d)), None)
        if driver is None:
            raise SchemaOutOfDateError(
                "PostgreSQL migrations need a sync driver: pip install 'finbot[postgres]'"
            )
        return url.replace("+asyncpg", f"+{driver}")
    return url


def _has(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def upgrade(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def check_schema(url: str) -> None:
    current = current_revision(url)
    head = head_revision()
    if current != head:
        raise SchemaOutOfDateError(
            f"database schema is at {current or 'nothing'}, code needs {head}: run `finbot db upgrade`"
        )


def is_empty(url: str) -> bool:
    """True when the database has no tables at all (a new SQLite file counts as empty)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and not Path(path).exists():
            return True
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return not inspect(conn).get_table_names()
    finally:
        engine.dispose()


def ensure_schema(url: str) -> bool:
    """Create the schema on an empty database; True when it did. A database with an older
    schema raises SchemaOutOfDateError (run `finbot db upgrade`)."""
    if is_empty(url):
        try:
            upgrade(url)
        except Exception:
            # another process (the CLI beside the bot) may have created it meanwhile
            if current_revision(url) != head_revision():
                raise
        return True
    check_schema(url)
    return False
