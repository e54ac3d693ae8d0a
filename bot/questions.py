"""The question log: every question, its band, top hits, latency and the user's feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.answers import Answer, Band
from bot.clock import Clock
from bot.db.models import QuestionLog
from bot.views import view_of


@dataclass(frozen=True)
class QuestionView:
    id: int
    user_id: int
    chat_id: int
    message_id: int | None
    text: str
    lang: str
    band: str
    top: list[list[object]]
    # [[doc_id, revision, content hash, section], ...] in quote order; None before 0008
    cited: list[list[object]] | None
    confidence: float
    latency_ms: float
    feedback: int | None
    source: str
    created_at: datetime
    feedback_reason: str | None = None
    feedback_note: str | None = None


class Citing(Protocol):
    """A logged question as far as its citations go (a `QuestionView`, or a test's row)."""

    @property
    def band(self) -> str: ...
    @property
    def cited(self) -> list[list[object]] | None: ...


def first_citation(row: Citing) -> tuple[str, str] | None:
    """(doc id, section) of the first passage an answer quoted; None for a question that was
    not answered, quoted nothing, or was logged before citations were kept."""
    if row.band != Band.ANSWER or not row.cited:
        return None
    first = row.cited[0]
    return (str(first[0]), str(first[3]) if len(first) > 3 else "")


class QuestionLogService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def log(
        self,
        *,
        user_id: int,
        chat_id: int,
        message_id: int | None,
        text: str,
        answer: Answer,
        source: str = "telegram",
    ) -> int | None:
        """Store one question; a message already logged (a re-delivered update) is not logged twice.

        `top` is the ranking (diagnostics); `cited`, the passages the reply quoted."""
        row = QuestionLog(
            user_id=user_id,
            chat_id=chat_id,
            message_id=message_id,
            text=text[:4000],
            lang=answer.lang,
            band=str(answer.band),
            top=[list(entry) for entry in answer.top],
            cited=[list(x) for x in answer.cited],
            confidence=answer.confidence,
            latency_ms=answer.latency_ms,
            feedback=None,
            source=source,
            created_at=self._clock.now(),
        )
        try:
            async with self._db() as session, session.begin():
                session.add(row)
        except IntegrityError:
            return None
        return row.id

    async def set_feedback(self, question_id: int, user_id: int, value: int) -> bool:
        """Only the asker can rate their own answer."""
        async with self._db() as session, session.begin():
            row = await session.get(QuestionLog, question_id)
            if row is None or row.user_id != user_id:
                return False
            row.feedback = 1 if value > 0 else -1
            return True

    async def set_reason(
        self, question_id: int, user_id: int, reason: str, note: str | None = None
    ) -> bool:
        """Why the asker gave a 👎 (only on their own 👎'd question); `note`: already masked
        and capped by the caller."""
        async with self._db() as session, session.begin():
            row = await session.get(QuestionLog, question_id)
            if row is None or row.user_id != user_id or row.feedback != -1:
                return False
            row.feedback_reason, row.feedback_note = reason, note
            return True

    async def get(self, question_id: int) -> QuestionView | None:
        async with self._db() as session:
            row = await session.get(QuestionLog, question_id)
        return None if row is None else view_of(QuestionView, row)

    async def recent_for_user(self, user_id: int, limit: int = 5) -> list[QuestionView]:
        async with self._db() as session:
            stmt = (
                select(QuestionLog)
                .where(QuestionLog.user_id == user_id)
                .order_by(QuestionLog.id.desc())
                .limit(limit)
            )
            rows = (await session.scalars(stmt)).all()
        return [view_of(QuestionView, row) for row in reversed(rows)]

    async def between(self, start: datetime, end: datetime) -> list[QuestionView]:
        async with self._db() as session:
            stmt = (
                select(QuestionLog)
                .where(QuestionLog.created_at >= start, QuestionLog.created_at < end)
                .order_by(QuestionLog.id)
            )
            return [view_of(QuestionView, row) for row in (await session.scalars(stmt)).all()]
