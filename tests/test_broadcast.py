"""Subscriptions and the broadcast sender on a real migrated database, with a scripted sender.

The sender stands in for Telegram: it answers each send with what the test scripted for that
recipient (sent, 403, 429 with retry_after, 5xx, 400), so retries, pacing and the resume
after a stop are checked exactly. The Telegram side is covered end to end in
tests/e2e_subs/.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcast import (
    DRAFT_TTL,
    BroadcastService,
    Delivery,
    Notice,
    SendResult,
    TokenBucket,
)
from bot.clock import ManualClock
from bot.db.models import Broadcast, BroadcastRecipient
from bot.subscriptions import SubscriptionService, canonical, topic_of
from bot.texts import Lang
from knowledge.models import DocumentMeta
from tests.databases import DB_KINDS, migrated_db

NOTICE = Notice(doc_id="credit.new", topic="guarantee", title="青禾区政府性融资担保管理办法")


@pytest.fixture(params=DB_KINDS)
async def db(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with migrated_db(request.param, tmp_path) as db:
        yield db


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 12, 2, 8, 0, tzinfo=UTC))


class ScriptedSender:
    """Answers per user from a script (a list consumed one send at a time, then SENT)."""

    def __init__(self, script: dict[int, list[SendResult]] | None = None) -> None:
        self.script = script or {}
        self.sent: Counter[int] = Counter()
        self.times: list[float] = []
        self.gate: asyncio.Event | None = None  # when set: sends wait for it

    async def __call__(self, user_id: int, lang: Lang, notice: Notice) -> SendResult:
        if self.gate is not None:
            await self.gate.wait()
        self.times.append(time.monotonic())
        queue = self.script.get(user_id, [])
        result = queue.pop(0) if queue else SendResult(Delivery.SENT)
        if result.delivery is Delivery.SENT:
            self.sent[user_id] += 1
        return result


def services(
    db: async_sessionmaker[AsyncSession], clock: ManualClock, rate: float = 1000
) -> tuple[SubscriptionService, BroadcastService]:
    kb = cast(Any, None)  # prepare() is covered end to end; run() needs no knowledge base
    subs = SubscriptionService(db, clock, kb)
    return subs, BroadcastService(db, clock, kb, subs, rate=rate, retry_base_s=0.01)


async def confirmed(
    db: async_sessionmaker[AsyncSession],
    subs: SubscriptionService,
    casts: BroadcastService,
    users: range,
    topic: str = "guarantee",
) -> int:
    for user_id in users:
        await subs.subscribe(user_id, topic)
    async with db() as session, session.begin():
        row = Broadcast(
            doc_id=NOTICE.doc_id, topic=topic, notice=NOTICE.__dict__ | {"topic": topic},
            state="draft", admin_id=9001, created_at=datetime.now(UTC),
        )  # fmt: skip
        session.add(row)
        await session.flush()
        broadcast_id = row.id
    assert await casts.confirm(broadcast_id) == len(users)
    return broadcast_id


async def states(db: async_sessionmaker[AsyncSession], broadcast_id: int) -> dict[int, str]:
    async with db() as session:
        stmt = select(BroadcastRecipient.user_id, BroadcastRecipient.state).where(
            BroadcastRecipient.broadcast_id == broadcast_id
        )
        return {u: s for u, s in (await session.execute(stmt)).all()}


async def test_toggle_and_remove_subscriptions(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, _ = services(db, clock)
    assert await subs.toggle(1, "funds") is True
    assert await subs.toggle(1, "listing") is True
    assert await subs.of_user(1) == ["listing", "funds"]  # menu order, not tap order
    assert await subs.toggle(1, "funds") is False
    assert await subs.remove(1, "listing") is True
    assert await subs.remove(1, "listing") is False  # a second tap changes nothing
    assert await subs.of_user(1) == []


async def test_every_outcome_is_recorded_and_blocked_users_are_unsubscribed(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, casts = services(db, clock)
    await subs.subscribe(3, "funds")
    broadcast_id = await confirmed(db, subs, casts, range(1, 7))
    flaky = [SendResult(Delivery.RETRY), SendResult(Delivery.RETRY)]
    sender = ScriptedSender(
        {
            2: [SendResult(Delivery.BLOCKED)],
            3: [SendResult(Delivery.BLOCKED)],
            4: [SendResult(Delivery.RETRY)] * 3,  # 5xx three times: failed, not a 4th try
            5: [SendResult(Delivery.FAILED)],  # 400: never retried
            6: flaky,  # two 5xx, then through
        }
    )
    report = await casts.run(broadcast_id, sender)
    assert report is not None
    assert (report.total, report.sent, report.blocked, report.failed) == (6, 2, 2, 2)
    assert await states(db, broadcast_id) == {
        1: "sent", 2: "blocked", 3: "blocked", 4: "failed", 5: "failed", 6: "sent",
    }  # fmt: skip
    assert sender.sent == Counter({1: 1, 6: 1})
    assert await subs.of_user(3) == []  # every topic, not only this one's
    assert await subs.count("guarantee") == 4


async def test_retry_after_pauses_every_sender_and_nobody_fails(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, casts = services(db, clock)
    broadcast_id = await confirmed(db, subs, casts, range(1, 9))
    sender = ScriptedSender({1: [SendResult(Delivery.RETRY, retry_after=0.3)]})
    started = time.monotonic()
    report = await casts.run(broadcast_id, sender)
    assert report is not None and (report.sent, report.failed) == (8, 0)
    assert sender.sent == Counter({u: 1 for u in range(1, 9)})
    assert time.monotonic() - started >= 0.3
    after_429 = [t for t in sender.times if t > sender.times[0] + 0.001]
    assert min(after_429) - sender.times[0] >= 0.29  # nobody sent during the pause


async def test_the_bucket_spaces_sends_at_the_rate() -> None:
    bucket = TokenBucket(50)
    stamps = []
    for _ in range(11):
        await bucket.take()
        stamps.append(time.monotonic())
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.019 and stamps[-1] - stamps[0] >= 0.199


async def test_a_stopped_broadcast_resumes_with_the_pending_only(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, casts = services(db, clock, rate=200)
    broadcast_id = await confirmed(db, subs, casts, range(1, 41))
    sender = ScriptedSender()
    reports: list[Any] = []

    async def reporter(report: Any) -> None:
        reports.append(report)

    assert casts.start(broadcast_id, sender, reporter)
    while sum(sender.sent.values()) < 10:
        await asyncio.sleep(0.005)
    await casts.stop()
    first = sum(sender.sent.values())
    assert 10 <= first < 40 and reports == []
    assert await casts.unfinished() == [broadcast_id]

    _, again = services(db, clock, rate=200)  # the next start
    assert await again.unfinished() == [broadcast_id]
    assert again.start(broadcast_id, sender, reporter)
    await again.wait_idle()
    assert sender.sent == Counter({u: 1 for u in range(1, 41)})
    assert [(r.total, r.sent) for r in reports] == [(40, 40)]
    assert await again.unfinished() == []


async def test_a_second_confirm_or_cancel_is_refused(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, casts = services(db, clock)
    broadcast_id = await confirmed(db, subs, casts, range(1, 3))
    assert await casts.confirm(broadcast_id) is None
    assert await casts.cancel(broadcast_id) is False


async def test_a_draft_nobody_confirmed_for_days_lapses(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    subs, casts = services(db, clock)
    await subs.subscribe(1, "guarantee")
    async with db() as session, session.begin():
        row = Broadcast(
            doc_id=NOTICE.doc_id, topic="guarantee", notice=NOTICE.__dict__, state="draft",
            admin_id=9001, created_at=clock.now() - DRAFT_TTL - timedelta(minutes=1),
        )  # fmt: skip
        session.add(row)
        await session.flush()
        broadcast_id = row.id
    assert await casts.confirm(broadcast_id) is None  # the admin is told it is no longer valid
    async with db() as session:
        assert (await session.get(Broadcast, broadcast_id)).state == "cancelled"  # type: ignore[union-attr]
    assert await casts.unfinished() == []


def test_a_documents_topic_comes_from_its_header_folder_or_title() -> None:
    assert topic_of(DocumentMeta("上市奖励办法", topic="担保与贷款"), "x.md") == "guarantee"
    assert topic_of(DocumentMeta("某办法"), "credit/bridge-loan.md") == "guarantee"
    assert topic_of(DocumentMeta("企业上市挂牌奖励办法"), "a.md") == "listing"
    assert topic_of(DocumentMeta("应急转贷资金管理办法"), "a.md") == "guarantee"
    assert topic_of(DocumentMeta("天使投资基金管理办法"), "a.md") == "funds"
    assert topic_of(DocumentMeta("金融机构联系方式"), "a.md") == "other"
    assert topic_of(DocumentMeta("某办法", topic="普惠金融"), "a.md") == "普惠金融"
    assert canonical("x:y") is None and canonical("  ") is None
