"""Live handoffs: an entrepreneur talking to an officer through the bot.

The set of users currently in a handoff is kept in memory (loaded at start, updated on
open/close) because the relay's message filter must decide synchronously, before the Q&A
handler would answer the message itself. The transcript is stored so nothing said is lost
and so a finished conversation can become an FAQ entry (`transcript`). Asking for a
sentence before the case opens (the intake) is a durable flow, like the financing form.
Every change writes its audit entry in the same transaction; callers get views, never rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import audit_row
from bot.clock import Clock
from bot.db.models import Handoff, HandoffMessage, QuestionLog
from bot.flows import FlowStore
from bot.roles import Actor
from bot.views import as_utc, view_of

INTAKE = "handoff_intake"  # the flow asking for one sentence before the case opens
RECENT_QUESTIONS = 5  # shown on the card: what the user asked the bot before


class HandoffStatus(StrEnum):
    OPEN = "open"  # waiting for an officer
    ACTIVE = "active"  # claimed: messages are relayed
    CLOSED = "closed"


LIVE = (str(HandoffStatus.OPEN), str(HandoffStatus.ACTIVE))


@dataclass(frozen=True)
class HandoffView:
    id: int
    user_id: int
    chat_id: int
    user_name: str
    lang: str
    note: str
    status: str
    owner_id: int | None
    owner_name: str | None
    card_chat_id: int | None
    card_message_id: int | None
    request_id: int | None
    rating: int | None
    closed_by: int | None
    created_at: datetime
    claimed_at: datetime | None
    closed_at: datetime | None
    reminded_at: datetime | None
    recent: tuple[tuple[str, str], ...] = ()  # (question, band) the user asked before


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
    handoff: HandoffView


class Contact(StrEnum):
    """What /human led to."""

    ALREADY = "already"  # a case is open or active: nothing new
    ASK_NOTE = "ask_note"  # waiting for the one sentence (or 跳过)
    OPENED = "opened"  # a new case: post its card


@dataclass(frozen=True)
class ContactResult:
    outcome: Contact
    handoff: HandoffView | None = None
    opens_at: datetime | None = None  # after hours: when officers are back


@dataclass(frozen=True)
class Ending:
    """An officer's /end as a reply in the group: which case, and whether it was still live."""

    handoff: HandoffView | None  # None: the message replied to is no case's
    closed: bool


class HandoffService:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        flows: FlowStore | None = None,
        opens_at: Callable[[datetime], datetime | None] | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._flows = flows
        self._opens_at = opens_at or (lambda _now: None)
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

    # ------------------------------------------------------------------ opening
    def in_intake(self, user_id: int | None) -> bool:
        """Whether the bot is waiting for this user's sentence before opening a case."""
        return self._flows is not None and self._flows.is_open(INTAKE, user_id)

    async def contact(
        self, *, user_id: int, chat_id: int, user_name: str, lang: str, note: str | None
    ) -> ContactResult:
        """/human: open a case with `note`, or (None) ask for a sentence first."""
        if self.is_relaying(user_id):
            await self.cancel_intake(user_id)
            return ContactResult(Contact.ALREADY)
        if note is None and self._flows is not None:
            await self._flows.put(INTAKE, user_id, chat_id, "note", {})
            return ContactResult(Contact.ASK_NOTE)
        await self.cancel_intake(user_id)
        row, created = await self.open(
            user_id=user_id,
            chat_id=chat_id,
            user_name=user_name,
            lang=lang,
            note=(note or "").strip(),
        )
        if not created:
            return ContactResult(Contact.ALREADY)
        return ContactResult(Contact.OPENED, row, self._opens_at(self._clock.now()))

    async def cancel_intake(self, user_id: int) -> bool:
        return self._flows is not None and await self._flows.end(INTAKE, user_id)

    async def open(
        self, *, user_id: int, chat_id: int, user_name: str, lang: str, note: str
    ) -> tuple[HandoffView, bool]:
        """(handoff, created): a user already waiting or talking keeps their existing case."""
        existing = self._live_by_user.get(user_id)
        if existing is not None:
            found = await self.get(existing)
            if found is not None and found.status in LIVE:
                return found, False
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
            await session.flush()
            session.add(audit_row(now, user_id, "handoff.open", f"H{row.id}"))
            view = await _view(session, row)
        self._live_by_user[user_id] = view.id
        return view, True

    # ------------------------------------------------------------------ reading
    async def get(self, handoff_id: int) -> HandoffView | None:
        async with self._db() as session:
            row = await session.get(Handoff, handoff_id)
        return None if row is None else view_of(HandoffView, row)

    async def live_case(self, user_id: int) -> HandoffView | None:
        """The case the user's messages are relayed to, once its card is posted."""
        handoff_id = self.live_id(user_id)
        row = await self.get(handoff_id) if handoff_id is not None else None
        return row if row is not None and row.card_chat_id is not None else None

    async def by_group_message(self, chat_id: int, message_id: int) -> HandoffView | None:
        """The case an officer's reply belongs to: its card or one of its relayed messages."""
        async with self._db() as session:
            card = await session.scalars(
                select(Handoff).where(
                    Handoff.card_chat_id == chat_id, Handoff.card_message_id == message_id
                )
            )
            found = card.first()
            if found is None:
                stmt = (
                    select(Handoff)
                    .join(HandoffMessage, HandoffMessage.handoff_id == Handoff.id)
                    .where(
                        HandoffMessage.group_chat_id == chat_id,
                        HandoffMessage.group_message_id == message_id,
                    )
                )
                found = (await session.scalars(stmt)).first()
        return None if found is None else view_of(HandoffView, found)

    async def transcript(self, handoff_id: int) -> list[TranscriptLine]:
        """The whole conversation, oldest first: the user's note, their messages, officers' replies.

        User lines are the question, officer lines the answer (an FAQ entry from a handoff).
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
                        as_utc(msg.created_at),
                    )
                )
        return lines

    async def live(self) -> list[HandoffView]:
        """Open or active cases, for the SLA job."""
        async with self._db() as session:
            stmt = (
                select(Handoff)
                .where(or_(*(Handoff.status == s for s in LIVE)))
                .order_by(Handoff.id)
            )
            return [view_of(HandoffView, r) for r in (await session.scalars(stmt)).all()]

    # ------------------------------------------------------------------ changing
    async def set_card(self, handoff_id: int, chat_id: int, message_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id)
                .values(card_chat_id=chat_id, card_message_id=message_id)
            )

    async def claim(self, handoff_id: int, officer_id: int, officer_name: str) -> HandoffClaim:
        now = self._clock.now()
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
                    claimed_at=now,
                )
            )
            won = getattr(result, "rowcount", 0) == 1
            if won:
                session.add(audit_row(now, officer_id, "handoff.claim", f"H{handoff_id}"))
            row = await session.get(Handoff, handoff_id)
            if row is None:
                raise LookupError(handoff_id)
            return HandoffClaim(won=won, handoff=await _view(session, row))

    async def reply_target(
        self, chat_id: int, message_id: int, officer: Actor
    ) -> HandoffClaim | None:
        """The live case an officer's reply is for; answering an unclaimed case takes it.

        `won` says whether this reply claimed it. None: not a reply to a live case.
        """
        row = await self.by_group_message(chat_id, message_id)
        if row is None or row.status == HandoffStatus.CLOSED:
            return None
        if row.status == HandoffStatus.OPEN:
            return await self.claim(row.id, officer.id, officer.name)
        return HandoffClaim(False, row)

    async def close(self, handoff_id: int, closed_by: int) -> HandoffView | None:
        """The closed case, or None when it was already closed (a double 结束 does nothing)."""
        now = self._clock.now()
        async with self._db() as session, session.begin():
            result = await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id, Handoff.status.in_(LIVE))
                .values(status=str(HandoffStatus.CLOSED), closed_at=now, closed_by=closed_by)
            )
            changed = getattr(result, "rowcount", 0) == 1
            if changed:
                session.add(audit_row(now, closed_by, "handoff.close", f"H{handoff_id}"))
            row = await session.get(Handoff, handoff_id)
            view = None if row is None else await _view(session, row)
        if view is not None and self._live_by_user.get(view.user_id) == handoff_id:
            del self._live_by_user[view.user_id]
        return view if changed else None

    async def end_own(self, user_id: int) -> HandoffView | None:
        """The entrepreneur's /end: their live case, closed; None when there is none."""
        handoff_id = self.live_id(user_id)
        return None if handoff_id is None else await self.close(handoff_id, user_id)

    async def end_replied(self, chat_id: int, message_id: int, officer_id: int) -> Ending:
        """An officer's /end as a reply to a card or a relayed message."""
        row = await self.by_group_message(chat_id, message_id)
        if row is None:
            return Ending(None, False)
        closed = await self.close(row.id, officer_id)
        return Ending(closed or row, closed is not None)

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

    async def suggest_form(self, handoff_id: int, actor_id: int) -> HandoffView | None:
        """An officer offers the entrepreneur the financing form (转为融资需求); audited."""
        row = await self.get(handoff_id)
        if row is not None:
            async with self._db() as session, session.begin():
                session.add(
                    audit_row(self._clock.now(), actor_id, "handoff.to_request", f"H{row.id}")
                )
        return row

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

    async def mark_reminded(self, handoff_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(Handoff)
                .where(Handoff.id == handoff_id)
                .values(reminded_at=self._clock.now())
            )


async def _view(session: AsyncSession, row: Handoff) -> HandoffView:
    """The case with the user's last questions to the bot, for its card (after a change)."""
    stmt = (
        select(QuestionLog.text, QuestionLog.band)
        .where(QuestionLog.user_id == row.user_id)
        .order_by(QuestionLog.id.desc())
        .limit(RECENT_QUESTIONS)
    )
    recent = [(text, band) for text, band in (await session.execute(stmt)).all()]
    return view_of(HandoffView, row, recent=tuple(reversed(recent)))
