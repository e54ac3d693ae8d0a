"""A bot over the sample knowledge base (hashing encoder) with a hand-moved clock, that can be
restarted on the same data dir: for follow-ups, 👎 reasons and the admins' hit test.

The sample is indexed once per session and copied into each test's data dir."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.clock import ManualClock
from bot.config import load_settings
from bot.core import build_core, ensure_seeded
from bot.db.migrate import upgrade
from bot.db.models import QuestionLog
from bot.main import running
from bot.services import Services, build_services
from index.encoders import HashingEncoder
from tests.e2e.conftest import tg  # noqa: F401
from tests.fakebot import FakeTelegram

ADMIN, OFFICER = 9301, 9302
# 2026-06-01 10:00 in Shanghai: the sample's day (tests.sample_core), so no policy expires.
START = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@dataclass
class Running:
    tg: FakeTelegram
    app: Any
    services: Services
    clock: ManualClock


StartBot = Callable[..., Awaitable[Running]]


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with the sample knowledge base indexed (no database)."""
    data = tmp_path_factory.mktemp("e2e_conv") / "data"
    core = build_core(
        load_settings(data_dir=data, embedding_model="hashing"), encoder=HashingEncoder()
    )
    assert ensure_seeded(core)
    core.close()
    return data


@pytest.fixture
async def bot(tg: FakeTelegram, tmp_path: Path, seeded_dir: Path) -> AsyncIterator[StartBot]:  # noqa: F811
    """`await bot(**settings)` starts finbot; calling it again restarts on the same data."""
    current: list[AsyncExitStack] = []
    clock = ManualClock(START)
    shutil.copytree(seeded_dir, tmp_path / "data")

    async def _start(**overrides: Any) -> Running:
        if current:
            await current.pop().aclose()
        settings = load_settings(
            data_dir=tmp_path / "data", telegram_token=tg.token, telegram_api_url=tg.base_url,
            telegram_file_url=tg.base_file_url, embedding_model="hashing",
            admin_ids=[ADMIN], officer_ids=[OFFICER], **overrides,
        )  # fmt: skip
        upgrade(settings.db_url)
        stack = AsyncExitStack()
        current.append(stack)
        services = await build_services(settings, encoder=HashingEncoder(), clock=clock)
        stack.push_async_callback(services.close)
        app = await stack.enter_async_context(running(settings, services))
        return Running(tg, app, services, clock)

    yield _start
    for stack in current:
        await stack.aclose()


async def logged(services: Services) -> list[QuestionLog]:
    async with services.db() as session:
        return list((await session.scalars(select(QuestionLog).order_by(QuestionLog.id))).all())
