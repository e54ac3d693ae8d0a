"""The bundled sample knowledge base with the hashing encoder, as of 2026-06-01: the core
the answer-service tests share (one per test module: some tests change it)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import load_settings
from bot.core import Core, build_core, ensure_seeded
from index.encoders import HashingEncoder

DAY = date(2026, 6, 1)


def sample_core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    settings = load_settings(data_dir=tmp_path_factory.mktemp("kb"), embedding_model="hashing")
    built = build_core(settings, encoder=HashingEncoder(), today=lambda: DAY)
    assert ensure_seeded(built)
    return built
