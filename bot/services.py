"""The services, built once at start-up and passed to the handlers (no globals).

Everything a feature keeps per application lives here too (the rate limiter, the button
token table, the SLA sweep's lock …), so two bots in one process (tests) share nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.answers import AnswerService
from bot.audit import AuditService
from bot.broadcast import BroadcastService
from bot.canned import CannedService
from bot.clock import Clock, SystemClock, local_today
from bot.config import Settings
from bot.conversation import ConversationService
from bot.core import Core, build_core, ensure_seeded
from bot.db.migrate import check_schema
from bot.db.session import make_engine, make_sessionmaker
from bot.documents import DocumentService
from bot.expiry import ExpiryWatch
from bot.export import ExportService
from bot.faq_import import FaqImportService
from bot.feedback import FeedbackService
from bot.flows import FlowStore
from bot.forms import FormService
from bot.handoff import HandoffService
from bot.knowledge_base import KnowledgeBase
from bot.learning import LearningService, handoff_starts_from
from bot.questions import QuestionLogService
from bot.ratelimit import RateLimiter
from bot.refs import RefTable
from bot.requests import RequestService
from bot.roles import RoleService
from bot.sla import SlaPolicy, SlaService, WorkingCalendar
from bot.stats import StatsService, titles_from
from bot.subscriptions import SubscriptionService
from bot.topics import TopicService
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
    conversation: ConversationService
    feedback: FeedbackService
    roles: RoleService
    audit: AuditService
    requests: RequestService
    handoffs: HandoffService
    flows: FlowStore
    forms: FormService
    documents: DocumentService
    learning: LearningService
    topics: TopicService
    sla: SlaService
    exports: ExportService
    stats: StatsService
    limiter: RateLimiter
    refs: RefTable
    faq_import: FaqImportService
    canned: CannedService
    subscriptions: SubscriptionService
    broadcasts: BroadcastService

    @property
    def answers(self) -> AnswerService:
        return self.core.answers

    @property
    def kb(self) -> KnowledgeBase:
        return self.core.kb

    @property
    def expiry(self) -> ExpiryWatch:
        """Stateless (what was told is in the audit log), so built on use with this clock."""
        return ExpiryWatch(self.kb, self.audit, self.clock)

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
    return await _wire(settings, clk, core, engine, make_sessionmaker(engine))


async def _wire(
    settings: Settings,
    clock: Clock,
    core: Core,
    engine: AsyncEngine,
    db: async_sessionmaker[AsyncSession],
) -> Services:
    users = UserService(db, clock)
    questions = QuestionLogService(db, clock)
    audit = AuditService(db, clock)
    roles = RoleService(
        db, clock, admin_ids=settings.admin_ids, officer_ids=settings.officer_ids,
        officers_chat_id=settings.officers_chat_id, users=users,
    )  # fmt: skip
    flows = FlowStore(db, clock)
    calendar = WorkingCalendar.from_settings(settings)
    handoffs = HandoffService(db, clock, flows=flows, opens_at=calendar.opens_at)
    requests = RequestService(db, clock, roles=roles, users=users)
    for loading in (roles.load(), flows.load(), handoffs.load()):
        await loading
    titles = titles_from(core.kb)
    subscriptions = SubscriptionService(db, clock, core.kb)
    broadcasts = BroadcastService(db, clock, core.kb, subscriptions, rate=settings.broadcast_rate)
    return Services(
        settings=settings, clock=clock, core=core, engine=engine, db=db, users=users,
        questions=questions, roles=roles, audit=audit, requests=requests, handoffs=handoffs,
        flows=flows, feedback=FeedbackService(questions, flows, clock),
        conversation=ConversationService(db, clock, core.answers,
                                         window_minutes=settings.followup_minutes),
        forms=FormService(flows, requests, questions, handoffs, clock,
                          timeout_minutes=settings.form_timeout_minutes),
        documents=DocumentService(core.kb, audit, db, clock),
        learning=LearningService(questions, core.kb, audit, clock, handoff_starts_from(db),
                                 answers=core.answers, flows=flows, handoffs=handoffs),
        topics=TopicService(db, core.kb.faqs),
        sla=SlaService(requests, handoffs, settings, clock),
        exports=ExportService(requests, clock, questions=questions, roles=roles, audit=audit,
                              titles=titles),
        stats=StatsService(db, clock, questions=questions, requests=requests,
                           policy=SlaPolicy.from_settings(settings), titles=titles),
        limiter=RateLimiter(settings.questions_per_minute),
        refs=RefTable(),
        faq_import=FaqImportService(core.kb, audit, db, clock),
        canned=CannedService(db, clock),
        subscriptions=subscriptions,
        broadcasts=broadcasts,
    )  # fmt: skip
