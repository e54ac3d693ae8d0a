"""Which databases the suite runs against: SQLite always, PostgreSQL when one is reachable.

`.ci/run` starts a throwaway PostgreSQL server and exports FINBOT_TEST_POSTGRES_URL, so CI
runs every database test twice. Locally, without the variable, the PostgreSQL variants are
not generated at all (rather than skipped), and pytest's summary line says which ran.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.migrate import alembic_config, upgrade
from bot.db.session import make_engine, make_sessionmaker

POSTGRES_URL = os.environ.get("FINBOT_TEST_POSTGRES_URL", "")
DB_KINDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def fresh_db_url(kind: str, tmp_path: Path, name: str = "finbot.db") -> str:
    """An async URL to an empty database: a new SQLite file, or the test server wiped clean."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / name}"
    command.downgrade(alembic_config(POSTGRES_URL), "base")  # drops every finbot table
    return POSTGRES_URL


@asynccontextmanager
async def migrated_db(kind: str, tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a fresh database at the newest schema; the engine is disposed after."""
    url = fresh_db_url(kind, tmp_path)
    upgrade(url)
    engine = make_engine(url)
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()
