"""The question log: every question, its band, top hits, latency and the user's feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

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
    cited: list[list[object]] | None  # [[doc_id, revision, content hash], ...] quoted
    confidence: float
    latency_ms: float
    feedback: int | None
    source: str
    created_at: datetime
    cited_doc_id: str | None = None
    cited_title: str | None = None
    cited_section: str | None = None
    feedback_reason: str | None = None
    feedback_note: str | None = None


def logged_top(answer: Answer) -> list[list[object]]:
    """`answer.top` as ranked; an entry the reply quoted carries the quoted section third.

    [[id, score], [id, score, section], ...]: the statistics count the documents and the
    articles cited from it, and the ranking stays the answer service's own.
    """
    rows: list[list[object]] = [list(entry) for entry in answer.top]
    if answer.band != Band.ANSWER:
        return rows
    for hit in answer.hits:
        key = hit.doc_id or hit.faq_id
        if not key:
            continue
        row = next((r for r in rows if r[0] == key and len(r) == 2), None)
        if row is None:
            rows.append([key, round(hit.score, 4), hit.section])
        else:
            row.append(hit.section)
    return rows


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

        The first citation is kept with it, so a 👎 can be counted against that article."""
        cited = (
            next((h for h in answer.hits if h.doc_id), None) if answer.band is Band.ANSWER else None
        )
        row = QuestionLog(
            user_id=user_id,
            chat_id=chat_id,
            message_id=message_id,
            text=text[:4000],
            lang=answer.lang,
            band=str(answer.band),
            top=logged_top(answer),
            cited=[list(x) for x in answer.cited],
            confidence=answer.confidence,
            latency_ms=answer.latency_ms,
            feedback=None,
            source=source,
            created_at=self._clock.now(),
            cited_doc_id=cited.doc_id if cited else None,
            cited_title=cited.title[:300] if cited and cited.title else None,
            cited_section=cited.section[:200] if cited else None,
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
