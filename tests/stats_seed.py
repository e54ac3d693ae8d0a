"""One known week of activity for the statistics and export tests, and what it must show.

The clock stands at Tuesday 2026-11-24 10:00 in Shanghai. Questions are written straight
into the log (what the ask handler stores); requests and the handoff go through their
services, moving the clock the way officers would take their time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import ManualClock
from bot.db.models import QuestionLog
from bot.handoff import HandoffService
from bot.requests import RequestDraft, RequestService, RequestStatus

DOC = "credit.gov-guarantee-measures-2024"
PHONE = "13812345678"
ASKER = 1001
OFFICER = 201
DRAFT = RequestDraft(
    company="青禾科技有限公司", uscc="91350100M000100Y43", contact_name="王小明",
    phone=PHONE, amount_yuan=5_000_000, fin_type="gov_guarantee", term_months=12,
    purpose="采购原材料",
)  # fmt: skip


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """November `day` at `hour`:`minute` Shanghai time, as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


# (user, band, local day, hour, text, top, cited, feedback)
Row = tuple[int, str, int, int, str, list[list[object]], list[list[object]] | None, int | None]
QUESTIONS: list[Row] = [
    (
        ASKER, "answer", 23, 10, f"担保办理要多久？我的电话{PHONE}",
        [[DOC, 0.9]], [[DOC, 1, "0a1b2c3d", "第九条 办理时限"]], 1,
    ),
    (
        ASKER, "answer", 23, 11, "担保费怎么收",
        [[DOC, 0.8]], [[DOC, 1, "0a1b2c3d", "第九条 办理时限"]], -1,
    ),
    (1002, "answer", 24, 9, "=担保收费标准", [[DOC, 0.7]], [[DOC, 1, "0a1b2c3d", "第十条 收费"]], None),
    (1002, "suggest", 24, 9, "转贷", [[DOC, 0.3]], [], None),
    (1003, "none", 24, 9, "上市奖励怎么申请", [], [], None),
    (1004, "none", 24, 9, "上市奖励怎么申请？", [], [], None),
    (1005, "none", 10, 15, "十一月初的老问题", [], None, None),  # outside the last 7 days
]  # fmt: skip


@dataclass(frozen=True)
class Expected:
    """What the last 7 days (18th–24th) must show."""

    questions: int = 6
    answered: int = 3
    suggested: int = 1
    declined: int = 2
    likes: int = 1
    dislikes: int = 1
    requests: int = 2
    sla_met: int = 2  # request claimed in an hour, handoff claimed at once; the other request late
    sla_judged: int = 3


async def seed(
    db: async_sessionmaker[AsyncSession],
    requests: RequestService,
    handoffs: HandoffService,
    clock: ManualClock,
) -> None:
    async with db() as session, session.begin():
        for n, (user, band, day, hour, text, top, cited, feedback) in enumerate(QUESTIONS, 1):
            session.add(QuestionLog(
                user_id=user, chat_id=user, message_id=n, text=text, lang="zh", band=band,
                top=top, cited=cited, confidence=0.5, latency_ms=100.0 + n, feedback=feedback,
                source="telegram", created_at=local(day, hour, n),
            ))  # fmt: skip
    case, _ = await handoffs.open(
        user_id=1006, chat_id=1006, user_name="陈", lang="zh", note="续贷"
    )
    await handoffs.claim(case.id, OFFICER, "李科长")
    await handoffs.close(case.id, OFFICER)
    assert await handoffs.rate(case.id, 1006, 4)
    fast = await requests.create(user_id=1007, chat_id=1007, lang="zh", draft=DRAFT)
    await requests.create(user_id=1008, chat_id=1008, lang="zh", draft=DRAFT)
    clock.advance(timedelta(hours=1))
    await requests.claim(fast.id, OFFICER, "李科长")
    clock.advance(timedelta(hours=2))
    await requests.set_status(fast.id, RequestStatus.CLOSED, OFFICER, "李科长")
