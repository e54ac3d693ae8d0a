"""RequestService and HandoffService on a real migrated database (SQLite; PostgreSQL too
when FINBOT_TEST_POSTGRES_URL is set)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.export import request_rows, to_csv
from bot.handoff import HandoffService
from bot.requests import RequestDraft, RequestService, RequestStatus
from tests.databases import DB_KINDS, migrated_db

DRAFT = RequestDraft(
    company="青禾科技有限公司",
    uscc="91350100M000100Y43",
    contact_name="王小明",
    phone="13812345678",
    amount_yuan=5_000_000,
    fin_type="gov_guarantee",
    term_months=12,
    purpose="采购原材料",
)


@pytest.fixture(params=DB_KINDS)
async def db(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with migrated_db(request.param, tmp_path) as db:
        yield db


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 23, 16, 30, tzinfo=UTC))  # 00:30 on the 24th in Shanghai


async def test_reference_numbers_count_per_local_day(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    first = await svc.create(user_id=1, chat_id=1, lang="zh", draft=DRAFT)
    second = await svc.create(user_id=2, chat_id=2, lang="en", draft=DRAFT)
    clock.advance(timedelta(days=1))
    third = await svc.create(user_id=1, chat_id=1, lang="zh", draft=DRAFT)
    assert [first.ref, second.ref, third.ref] == [
        "RZ-20261124-0001",
        "RZ-20261124-0002",
        "RZ-20261125-0001",
    ]


async def test_simultaneous_creations_get_unique_refs(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    rows = await asyncio.gather(
        *(svc.create(user_id=n, chat_id=n, lang="zh", draft=DRAFT) for n in range(8))
    )
    assert sorted(r.ref for r in rows) == [f"RZ-20261124-{n:04d}" for n in range(1, 9)]


async def test_only_one_of_two_simultaneous_claims_wins(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    row = await svc.create(user_id=1, chat_id=1, lang="zh", draft=DRAFT)
    a, b = await asyncio.gather(svc.claim(row.id, 201, "李"), svc.claim(row.id, 202, "赵"))
    assert sorted([a.won, b.won]) == [False, True]
    winner = a if a.won else b
    assert a.request.owner_id == b.request.owner_id == winner.request.owner_id
    assert [e.kind for e in await svc.events(row.id)] == ["created", "claimed"]


async def test_users_see_only_their_own_requests(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    mine = await svc.create(user_id=1, chat_id=1, lang="zh", draft=DRAFT)
    await svc.create(user_id=2, chat_id=2, lang="zh", draft=DRAFT)
    assert [r.ref for r in await svc.for_user(1)] == [mine.ref]
    assert await svc.visible_to(mine.ref, 2, is_officer=False) is None
    assert (await svc.visible_to(mine.ref, 1, is_officer=False)) is not None
    assert (await svc.visible_to(mine.ref.lower(), 99, is_officer=True)) is not None


async def test_status_history_and_stats(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    fast = await svc.create(user_id=1, chat_id=1, lang="zh", draft=DRAFT)
    slow = await svc.create(
        user_id=2,
        chat_id=2,
        lang="zh",
        draft=RequestDraft(**{**DRAFT.__dict__, "fin_type": "equity"}),
    )
    clock.advance(timedelta(hours=1))
    await svc.claim(fast.id, 201, "李")
    clock.advance(timedelta(hours=2))
    await svc.claim(slow.id, 202, "赵")
    await svc.add_note(slow.id, 202, "赵", "已联系")
    done = await svc.set_status(fast.id, RequestStatus.DISBURSED, 201, "李")
    assert done.closed_at is not None
    reopened = await svc.set_status(fast.id, RequestStatus.FOLLOWING, 201, "李")
    assert reopened.closed_at is None
    await svc.set_status(fast.id, RequestStatus.CLOSED, 201, "李")
    stats = await svc.stats()
    assert stats.total == 2 and stats.by_status == {"closed": 1, "claimed": 1}
    assert stats.by_type == {"gov_guarantee": 1, "equity": 1}
    assert stats.median_claim_seconds == 2 * 3600  # median of 1 h and 3 h
    assert stats.median_close_seconds == 3 * 3600
    kinds = [(e.kind, e.detail.get("status")) for e in await svc.events(fast.id)]
    assert kinds == [
        ("created", None),
        ("claimed", None),
        ("status", "disbursed"),
        ("status", "following"),
        ("status", "closed"),
    ]
    rows, total = await svc.page("claimed")
    assert total == 1 and rows[0].ref == slow.ref
    assert [r.id for r in await svc.open_requests()] == [slow.id]


async def test_export_rows_guard_against_formulas(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = RequestService(db, clock)
    await svc.create(
        user_id=1,
        chat_id=1,
        lang="zh",
        draft=RequestDraft(**{**DRAFT.__dict__, "purpose": '=HYPERLINK("x")'}),
    )
    rows = request_rows(
        await svc.between(clock.now() - timedelta(days=1), clock.now() + timedelta(days=1)), {}, {}
    )
    assert rows[1][11] == "2026-11-24 00:30"
    assert "'=HYPERLINK" in to_csv(rows).decode("utf-8-sig")


async def test_handoff_lifecycle_and_transcript(
    db: async_sessionmaker[AsyncSession], clock: ManualClock
) -> None:
    svc = HandoffService(db, clock)
    row, created = await svc.open(user_id=1, chat_id=1, user_name="王总", lang="zh", note="续贷")
    again, created_again = await svc.open(
        user_id=1, chat_id=1, user_name="王总", lang="zh", note="x"
    )
    assert created and not created_again and again.id == row.id and svc.is_relaying(1)
    await svc.set_card(row.id, -100, 50)
    await svc.record(
        row.id,
        direction="user",
        sender_id=1,
        sender_name="王总",
        kind="text",
        text="到期了",
        group_chat_id=-100,
        group_message_id=51,
    )
    a, b = await asyncio.gather(svc.claim(row.id, 201, "李"), svc.claim(row.id, 202, "赵"))
    assert sorted([a.won, b.won]) == [False, True]
    assert (await svc.by_group_message(-100, 51)).id == row.id  # type: ignore[union-attr]
    assert (await svc.by_group_message(-100, 50)).id == row.id  # type: ignore[union-attr]
    assert await svc.by_group_message(-100, 52) is None
    assert not await svc.rate(row.id, 1, 5)  # not closed yet
    assert (await svc.close(row.id, 1)) is not None and await svc.close(row.id, 1) is None
    assert not svc.is_relaying(1)
    assert not await svc.rate(row.id, 2, 5) and await svc.rate(row.id, 1, 4)
    assert not await svc.rate(row.id, 1, 5)  # once
    lines = await svc.transcript(row.id)
    assert [(x.direction, x.text) for x in lines] == [("user", "续贷"), ("user", "到期了")]
    fresh = HandoffService(db, clock)
    await fresh.load()
    assert not fresh.is_relaying(1)
