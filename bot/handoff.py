"""Live handoffs: an entrepreneur talking to an officer through the bot.

The set of users currently in a handoff is kept in memory (loaded at start, updated on
open/close) because the relay's message filter must decide synchronously, before the Q&A
handler would answer the message itself. The transcript is stored so nothing said is lost
and so a finished conversation can become an FAQ entry (`transcript`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import Handoff, HandoffMessage


class HandoffStatus(StrEnum):
    OPEN = "open"  # waiting for an officer
    ACTIVE = "active"  # claimed: messages are relayed
    CLOSED = "closed"


LIVE = (str(HandoffStatus.OPEN), str(HandoffStatus.ACTIVE))


@dataclass(frozen=True)
class TranscriptLine:
    """One message of a handoff, in order: who said what (files by their caption)."""

    direction: str  # "user" | "officer"
    sender_name: str
    kind: str
    text: str
    file_id: str | None
    at: datetime


@dataclass(frozen=True)
class HandoffClaim:
    won: bool
    handoff: Handoff


class HandoffService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._live_by_user: dict[int, int] = {}

    async def load(self) -> None:
        async with self._db() as session:
            rows = (await session.scalars(select(Handoff).where(Handoff.status.in_(LIVE)))).all()
        self._live_by_user = {row.user_id: row.id for row in rows}

    def is_relaying(self, user_id: int | None) -> bool:
        """Whether this user's private messages go to the officers instead of the Q&A."""
        return user_id is not None and user_id in self._live_by_user

    def live_id(self, user_id: int) -> int | None:
        return self._live_by_user.get(user_id)

    async def open(
        self, *, user_id: int, chat_id: int, user_name: str, lang: str, note: str
    ) -> tuple[Handoff, bool]:
        """(handoff, created): a user already waiting or talking keeps their existing case."""
        existing = self._live_by_user.get(user_id)
        if existing is not None:
            row = await self.get(existing)
            if row is not None and row.status in LIVE:
                return row, False
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = Handoff(
                user_id=user_id,
                chat_id=chat_id,
                user_name=user_name[:200],
                lang=lang,
                note=note[:2000],
                status=str(HandoffStatus.OPEN),
                created_at=now,
            )
            session.add(row)
        self._live_by_user[user_id] = row.id
        return row, True

    async def get(self, handoff_id: int) -> Handoff | None:
        async with self._db() as session:
            return await session.get(Handoff, handoff_id)

    async def set_card(self, handoff_id: int, chat_id: int, message_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id)
                .values(card_chat_id=chat_id, card_message_id=message_id)
            )

    async def claim(self, handoff_id: int, officer_id: int, officer_name: str) -> HandoffClaim:
        async with self._db() as session, session.begin():
            result = await session.execute(
                update(Handoff)
                .where(
                    Handoff.id == handoff_id,
                    Handoff.owner_id.is_(None),
                    Handoff.status == str(HandoffStatus.OPEN),
                )
                .values(
                    owner_id=officer_id,
                    owner_name=officer_name,
                    status=str(HandoffStatus.ACTIVE),
                    claimed_at=self._clock.now(),
                )
            )
            won = getattr(result, "rowcount", 0) == 1
        row = await self.get(handoff_id)
        if row is None:
            raise LookupError(handoff_id)
        return HandoffClaim(won=won, handoff=row)

    async def close(self, handoff_id: int, closed_by: int) -> Handoff | None:
        """The closed case, or None when it was already closed (a double 结束 does nothing)."""
        async with self._db() as session, session.begin():
            result = await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.status.in_(LIVE))
                .values(
                    status=str(HandoffStatus.CLOSED),
                    closed_at=self._clock.now(),
                    closed_by=closed_by,
                )
            )
            changed = getattr(result, "rowcount", 0) == 1
        row = await self.get(handoff_id)
        if row is not None and self._live_by_user.get(row.user_id) == handoff_id:
            del self._live_by_user[row.user_id]
        return row if changed else None

    async def rate(self, handoff_id: int, user_id: int, rating: int) -> bool:
        """Only the entrepreneur of a closed case can rate it, once, 1-5."""
        if not 1 <= rating <= 5:
            return False
        async with self._db() as session, session.begin():
            result = await session.execute(
                update(Handoff)
                .where(
                    Handoff.id == handoff_id,
                    Handoff.user_id == user_id,
                    Handoff.status == str(HandoffStatus.CLOSED),
                    Handoff.rating.is_(None),
                )
                .values(rating=rating)
            )
            return getattr(result, "rowcount", 0) == 1

    async def link_request(self, handoff_id: int, request_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(Handoff).where(Handoff.id == handoff_id).values(request_id=request_id)
            )

    async def record(
        self,
        handoff_id: int,
        *,
        direction: str,
        sender_id: int,
        sender_name: str,
        kind: str,
        text: str,
        file_id: str | None = None,
        group_chat_id: int | None = None,
        group_message_id: int | None = None,
    ) -> None:
        async with self._db() as session, session.begin():
            session.add(
                HandoffMessage(
                    handoff_id=handoff_id,
                    direction=direction,
                    sender_id=sender_id,
                    sender_name=sender_name[:200],
                    kind=kind,
                    text=text,
                    file_id=file_id,
                    group_chat_id=group_chat_id,
                    group_message_id=group_message_id,
                    created_at=self._clock.now(),
                )
            )

    async def by_group_message(self, chat_id: int, message_id: int) -> Handoff | None:
        """The case an officer's reply belongs to: its card or one of its relayed messages."""
        async with self._db() as session:
            card = await session.scalars(
                select(Handoff).where(
                    Handoff.card_chat_id == chat_id, Handoff.card_message_id == message_id
                )
            )
            found = card.first()
            if found is not None:
                return found
            stmt = (
                select(Handoff)
                .join(HandoffMessage, HandoffMessage.handoff_id == Handoff.id)
                .where(
                    HandoffMessage.group_chat_id == chat_id,
                    HandoffMessage.group_message_id == message_id,
                )
            )
            return (await session.scalars(stmt)).first()

    async def transcript(self, handoff_id: int) -> list[TranscriptLine]:
        """The whole conversation, oldest first: the user's note, their messages, officers' replies.

        For ISSUE 6 (an FAQ entry from a handoff): user lines are the question, officer
        lines the answer.
        """
        row = await self.get(handoff_id)
        if row is None:
            return []
        lines: list[TranscriptLine] = []
        if row.note:
            lines.append(
                TranscriptLine("user", row.user_name, "text", row.note, None, row.created_at)
            )
        async with self._db() as session:
            stmt = (
                select(HandoffMessage)
                .where(HandoffMessage.handoff_id == handoff_id)
                .order_by(HandoffMessage.id)
            )
            for msg in (await session.scalars(stmt)).all():
                lines.append(
                    TranscriptLine(
                        msg.direction,
                        msg.sender_name,
                        msg.kind,
                        msg.text,
                        msg.file_id,
                        msg.created_at,
                    )
                )
        return lines

    async def live(self) -> list[Handoff]:
        """Open or active cases, for the SLA job."""
        async with self._db() as session:
            stmt = (
                select(Handoff)
                .where(or_(*(Handoff.status == s for s in LIVE)))
                .order_by(Handoff.id)
            )
            return list((await session.scalars(stmt)).all())

    async def mark_reminded(self, handoff_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id)
                .values(reminded_at=self._clock.now())
            )
