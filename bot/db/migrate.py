"""Alembic, driven from code: `finbot db upgrade` and the start-up schema check.

A fresh data dir just works: `ensure_schema` creates the schema on a database that holds no
tables at all. Only a database that already has a schema, at an older revision, is left
alone and asks for `finbot db upgrade` (an operator decides when data is migrated).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*[\"'](\w+)[\"']", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.M)


def declared_head() -> str | None:
    """The head revision as the migration files declare it, read without importing alembic
    (≈0.4 s of a bot's start-up, for a check that reads two lines per file). Anything this
    reading cannot settle (a merge, a branch, an unusual file) is asked of alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is None or down is None:
            return head_revision()
        revisions.add(rev.group(1))
        parents.update(re.findall(r"[\"'](\w+)[\"']", down.group(1)))
    heads = revisions - parents
    if len(heads) != 1 or not parents <= revisions:
        return head_revision()
    return heads.pop()


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command

    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def stamped_revision(url: str) -> str | None:
    """The revision the database is stamped with, read with one query (no alembic import);
    a database stamped with several heads is asked of alembic."""
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            rows = [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))]
    finally:
        engine.dispose()
    if len(rows) > 1:
        return current_revision(url)
    return rows[0] if rows else None


def check_schema(url: str) -> None:
    current = stamped_revision(url)
    head = declared_head()
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
