"""End-to-end fixtures: the fake Bot API server, the real PTB application and real services.

The e5 sample index takes a minute to embed, so it is built once per session (and kept in
pytest's cache keyed by a hash of the sample KB and the indexing code, so a re-run with
nothing changed skips it) and copied into every test's own data dir.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings, load_settings
from bot.core import build_core, ensure_seeded
from bot.db.migrate import upgrade
from bot.main import running
from bot.services import Services, build_services
from index.encoders import Encoder, HashingEncoder, build_encoder
from tests.fakebot import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
# What the embedded sample depends on (code changes that alter the index format are caught by
# the store itself, which refuses a mismatched index and rebuilds).
INDEX_INPUTS = [
    ROOT / "knowledge" / "sample",
    ROOT / "knowledge" / "lexicon",
    ROOT / "knowledge" / "chunking.py",
]
POLL_TIMEOUT = 1


@dataclass
class RunningBot:
    tg: FakeTelegram
    app: Any
    services: Services
    settings: Settings


def _inputs_hash(model: str) -> str:
    digest = hashlib.sha256(model.encode())
    for root in INDEX_INPUTS:
        for path in sorted(root.rglob("*")) if root.is_dir() else [root]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def e5_encoder() -> Encoder:
    return build_encoder("e5-small", threads=2)


@pytest.fixture(scope="session")
def e5_sample_dir(request: pytest.FixtureRequest, e5_encoder: Encoder) -> Path:
    """A data dir holding the sample KB embedded with e5 (index, stored files and the scope
    model's example vectors; no db)."""
    cache_root = Path(request.config.cache.mkdir("finbot-e5-sample"))
    target = cache_root / _inputs_hash(e5_encoder.name)
    if not (target / "index" / "CURRENT").exists():
        for old in cache_root.iterdir():
            shutil.rmtree(old, ignore_errors=True)
        building = cache_root / "building"
        settings = load_settings(data_dir=building, embedding_model="e5-small")
        core = build_core(settings, encoder=e5_encoder)
        assert ensure_seeded(core), "the sample knowledge base failed to load"
        core.answers.warm_up()  # the scope model's example vectors land in the cached dir
        core.close()
        building.rename(target)
    return target


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


StartBot = Callable[..., Awaitable[RunningBot]]


@pytest.fixture
async def start_bot(
    tg: FakeTelegram, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[StartBot]:
    """Factory: `await start_bot(encoder="hashing"|"e5", **settings)` → a polling bot."""
    started: list[RunningBot] = []
    stack = AsyncExitStack()

    async def _start(encoder: str = "hashing", **overrides: Any) -> RunningBot:
        data_dir = tmp_path / f"data{len(started)}"
        enc: Encoder
        if encoder == "e5":
            enc = request.getfixturevalue("e5_encoder")
            shutil.copytree(request.getfixturevalue("e5_sample_dir"), data_dir)
        else:
            enc = HashingEncoder()
        settings = load_settings(
            data_dir=data_dir,
            telegram_token=tg.token,
            telegram_api_url=tg.base_url,
            telegram_file_url=tg.base_file_url,
            embedding_model=enc.name,
            **overrides,
        )
        upgrade(settings.db_url)
        services = await build_services(settings, encoder=enc)
        stack.push_async_callback(services.close)
        app = await stack.enter_async_context(
            running(settings, services, poll_timeout=POLL_TIMEOUT)
        )
        bot = RunningBot(tg, app, services, settings)
        started.append(bot)
        return bot

    async with stack:
        yield _start


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
