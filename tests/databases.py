"""Which databases the suite runs against: SQLite always, PostgreSQL when one is reachable.

`.ci/run` starts a throwaway PostgreSQL server and exports FINBOT_TEST_POSTGRES_URL, so CI
runs every database test twice. Locally, without the variable, the PostgreSQL variants are
not generated at all (rather than skipped), and pytest's summary line says which ran.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command

from bot.db.migrate import alembic_config

POSTGRES_URL = os.environ.get("FINBOT_TEST_POSTGRES_URL", "")
DB_KINDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def fresh_db_url(kind: str, tmp_path: Path, name: str = "finbot.db") -> str:
    """An async URL to an empty database: a new SQLite file, or the test server wiped clean."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / name}"
    command.downgrade(alembic_config(POSTGRES_URL), "base")  # drops every finbot table
    return POSTGRES_URL
