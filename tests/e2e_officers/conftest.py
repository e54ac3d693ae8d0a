"""Fixtures for the officers' workflow: a real PTB app on the fake server with an officers'
group, known officers/admins, a controllable clock and a restart on the same database.

The database URL is parametrised: SQLite always, PostgreSQL too when FINBOT_TEST_POSTGRES_URL
is set (nothing is skipped when it is not; the list simply has one entry).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.config import Settings, load_settings
from bot.db.migrate import upgrade
from bot.main import running
from bot.services import Services, build_services
from index.encoders import HashingEncoder
from tests.databases import DB_KINDS, fresh_db_url
from tests.fakebot import FakeTelegram
from tests.fakebot.person import Group

OFFICERS_CHAT = -1001234
OFFICER_A, OFFICER_B, ADMIN = 201, 202, 301
# Tuesday 2026-11-24 10:00 in Shanghai: inside working hours.
TUESDAY_10AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@dataclass
class Bureau:
    """The running bot plus the people of a test."""

    tg: FakeTelegram
    app: Any
    services: Services
    settings: Settings
    clock: ManualClock
    group: Group


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture(params=DB_KINDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_db_url(request.param, tmp_path)


StartBureau = Callable[..., Awaitable[Bureau]]


@pytest.fixture
async def bureau(tg: FakeTelegram, tmp_path: Path, db_url: str) -> AsyncIterator[StartBureau]:
    """`await bureau(**settings)` starts the bot; calling it again restarts on the same DB."""
    current: list[AsyncExitStack] = []
    clock = ManualClock(TUESDAY_10AM)

    async def _start(**overrides: Any) -> Bureau:
        if current:
            await current.pop().aclose()
        settings = load_settings(
            data_dir=tmp_path / "data",
            database_url=db_url,
            telegram_token=tg.token,
            telegram_api_url=tg.base_url,
            telegram_file_url=tg.base_file_url,
            embedding_model="hashing",
            officers_chat_id=OFFICERS_CHAT,
            officer_ids=[OFFICER_A, OFFICER_B],
            admin_ids=[ADMIN],
            sla_check_seconds=3600,
            **overrides,
        )
        upgrade(settings.db_url)
        stack = AsyncExitStack()
        current.append(stack)
        services = await build_services(settings, encoder=HashingEncoder(), clock=clock, seed=False)
        stack.push_async_callback(services.close)
        app = await stack.enter_async_context(running(settings, services))
        return Bureau(tg, app, services, settings, clock, tg.group(OFFICERS_CHAT, "金融局工作群"))

    yield _start
    for stack in current:
        await stack.aclose()
