"""Alembic environment: runs migrations on the configured URL (sync driver)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from bot.db.migrate import sync_url
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    url = sync_url(config.get_main_option("sqlalchemy.url") or "")
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
