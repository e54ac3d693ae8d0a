"""The services, built once at start-up and passed to the handlers (no globals)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.answers import AnswerService
from bot.audit import AuditService
from bot.clock import Clock, SystemClock, local_today
from bot.config import Settings
from bot.core import Core, build_core, ensure_seeded
from bot.db.migrate import check_schema
from bot.db.session import make_engine, make_sessionmaker
from bot.handoff import HandoffService
from bot.knowledge_base import KnowledgeBase
from bot.questions import QuestionLogService
from bot.requests import RequestService
from bot.roles import RoleService
from bot.users import UserService
from index.encoders import Encoder


@dataclass(frozen=True)
class Services:
    settings: Settings
    clock: Clock
    core: Core
    engine: AsyncEngine
    db: async_sessionmaker[AsyncSession]
    users: UserService
    questions: QuestionLogService
    roles: RoleService
    audit: AuditService
    requests: RequestService
    handoffs: HandoffService

    @property
    def answers(self) -> AnswerService:
        return self.core.answers

    @property
    def kb(self) -> KnowledgeBase:
        return self.core.kb

    async def close(self) -> None:
        self.core.close()
        await self.engine.dispose()


async def build_services(
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    clock: Clock | None = None,
    seed: bool = True,
    check_db: bool = True,
) -> Services:
    """Start-up: refuse an out-of-date schema, load the index (seed the sample KB if new)."""
    clk = clock or SystemClock()
    if check_db:
        await asyncio.to_thread(check_schema, settings.db_url)
    today: Callable[[], date] = lambda: local_today(clk)  # noqa: E731
    core = await asyncio.to_thread(
        build_core, settings, encoder=encoder, today=today, batching=True
    )
    if seed:
        await asyncio.to_thread(ensure_seeded, core)
    engine = make_engine(settings.db_url)
    db = make_sessionmaker(engine)
    roles = RoleService(
        db,
        clk,
        admin_ids=settings.admin_ids,
        officer_ids=settings.officer_ids,
        officers_chat_id=settings.officers_chat_id,
    )
    await roles.load()
    handoffs = HandoffService(db, clk)
    await handoffs.load()
    return Services(
        settings=settings,
        clock=clk,
        core=core,
        engine=engine,
        db=db,
        users=UserService(db, clk),
        questions=QuestionLogService(db, clk),
        roles=roles,
        audit=AuditService(db, clk),
        requests=RequestService(db, clk),
        handoffs=handoffs,
    )
