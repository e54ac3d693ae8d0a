"""Financing requests: reference numbers, ownership, status and the event history.

Every change goes through this service so that each one leaves an event (who, when) and
claims stay atomic: a claim is a conditional UPDATE that only succeeds while nobody owns
the request, so two officers pressing 认领 together cannot both win.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import BUREAU_TZ, Clock
from bot.db.models import FinancingRequest, RequestCounter, RequestEvent
from bot.sla import as_utc


class RequestStatus(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    FOLLOWING = "following"
    MATCHED = "matched"
    APPROVED = "approved"
    DISBURSED = "disbursed"
    FAILED = "failed"
    CLOSED = "closed"


FINAL_STATUSES = frozenset({RequestStatus.DISBURSED, RequestStatus.FAILED, RequestStatus.CLOSED})
# Statuses an officer can set with the card's buttons, in workflow order.
OFFICER_STATUSES = (
    RequestStatus.FOLLOWING,
    RequestStatus.MATCHED,
    RequestStatus.APPROVED,
    RequestStatus.DISBURSED,
    RequestStatus.FAILED,
    RequestStatus.CLOSED,
)
FINANCING_TYPES = (
    "working_capital",
    "gov_guarantee",
    "bridge",
    "startup_guarantee",
    "equity",
    "listing",
    "other",
)


@dataclass(frozen=True)
class RequestDraft:
    """What the form collected, already validated."""

    company: str
    uscc: str
    contact_name: str
    phone: str
    amount_yuan: int
    fin_type: str
    term_months: int
    purpose: str
    question_id: int | None = None
    handoff_id: int | None = None


@dataclass(frozen=True)
class ClaimResult:
    won: bool
    request: FinancingRequest


@dataclass(frozen=True)
class RequestStats:
    by_status: dict[str, int]
    by_type: dict[str, int]
    median_claim_seconds: float | None
    median_close_seconds: float | None
    total: int


class RequestNotFoundError(LookupError):
    pass


class RequestService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # ------------------------------------------------------------------ creating
    async def create(
        self, *, user_id: int, chat_id: int, lang: str, draft: RequestDraft
    ) -> FinancingRequest:
        now = self._clock.now()
        for _attempt in range(5):
            try:
                return await self._insert(user_id, chat_id, lang, draft, now)
            except IntegrityError:  # two first requests of a day raced for the counter row
                continue
        raise RuntimeError("could not allocate a reference number")

    async def _insert(
        self, user_id: int, chat_id: int, lang: str, draft: RequestDraft, now: datetime
    ) -> FinancingRequest:
        day = now.astimezone(BUREAU_TZ).strftime("%Y%m%d")
        async with self._db() as session, session.begin():
            seq = await _next_sequence(session, day)
            row = FinancingRequest(
                ref=f"RZ-{day}-{seq:04d}",
                user_id=user_id,
                chat_id=chat_id,
                lang=lang,
                company=draft.company,
                uscc=draft.uscc,
                contact_name=draft.contact_name,
                phone=draft.phone,
                amount_yuan=draft.amount_yuan,
                fin_type=draft.fin_type,
                term_months=draft.term_months,
                purpose=draft.purpose,
                question_id=draft.question_id,
                handoff_id=draft.handoff_id,
                status=str(RequestStatus.NEW),
                consent_at=now,
                created_at=now,
                status_changed_at=now,
            )
            session.add(row)
            await session.flush()
            session.add(_event(row.id, "created", user_id, None, now))
        return row

    # ------------------------------------------------------------------ reading
    async def for_user(self, user_id: int, limit: int = 20) -> list[FinancingRequest]:
        async with self._db() as session:
            stmt = (
                select(FinancingRequest)
                .where(FinancingRequest.user_id == user_id)
                .order_by(FinancingRequest.id.desc())
                .limit(limit)
            )
            return list((await session.scalars(stmt)).all())

    async def get(self, request_id: int) -> FinancingRequest | None:
        async with self._db() as session:
            return await session.get(FinancingRequest, request_id)

    async def by_ref(self, ref: str) -> FinancingRequest | None:
        async with self._db() as session:
            stmt = select(FinancingRequest).where(FinancingRequest.ref == ref.strip().upper())
            return (await session.scalars(stmt)).first()

    async def visible_to(
        self, ref: str, viewer_id: int, *, is_officer: bool
    ) -> FinancingRequest | None:
        """None unless the viewer is an officer or owns it: no user ever sees another's request."""
        row = await self.by_ref(ref)
        if row is None or (not is_officer and row.user_id != viewer_id):
            return None
        return row

    async def page(
        self, status: str | None = None, *, offset: int = 0, limit: int = 10
    ) -> tuple[list[FinancingRequest], int]:
        async with self._db() as session:
            base = select(FinancingRequest)
            if status:
                base = base.where(FinancingRequest.status == status)
            total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
            rows = await session.scalars(
                base.order_by(FinancingRequest.id.desc()).offset(offset).limit(limit)
            )
            return list(rows.all()), int(total)

    async def between(self, start: datetime, end: datetime) -> list[FinancingRequest]:
        async with self._db() as session:
            stmt = (
                select(FinancingRequest)
                .where(FinancingRequest.created_at >= start, FinancingRequest.created_at < end)
                .order_by(FinancingRequest.id)
            )
            return list((await session.scalars(stmt)).all())

    async def events(self, request_id: int) -> list[RequestEvent]:
        async with self._db() as session:
            stmt = (
                select(RequestEvent)
                .where(RequestEvent.request_id == request_id)
                .order_by(RequestEvent.id)
            )
            return list((await session.scalars(stmt)).all())

    async def open_requests(self) -> list[FinancingRequest]:
        """Requests the SLA job watches: not yet in a final status."""
        async with self._db() as session:
            stmt = (
                select(FinancingRequest)
                .where(FinancingRequest.status.not_in([str(s) for s in FINAL_STATUSES]))
                .order_by(FinancingRequest.id)
            )
            return list((await session.scalars(stmt)).all())

    # ------------------------------------------------------------------ changing
    async def set_card(self, request_id: int, chat_id: int, message_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(FinancingRequest)
                .where(FinancingRequest.id == request_id)
                .values(card_chat_id=chat_id, card_message_id=message_id)
            )

    async def claim(self, request_id: int, officer_id: int, officer_name: str) -> ClaimResult:
        now = self._clock.now()
        async with self._db() as session, session.begin():
            result = await session.execute(
                update(FinancingRequest)
                .where(FinancingRequest.id == request_id, FinancingRequest.owner_id.is_(None))
                .values(
                    owner_id=officer_id,
                    owner_name=officer_name,
                    claimed_at=now,
                    status=str(RequestStatus.CLAIMED),
                    status_changed_at=now,
                )
            )
            won = getattr(result, "rowcount", 0) == 1
            if won:
                session.add(_event(request_id, "claimed", officer_id, officer_name, now))
        row = await self.get(request_id)
        if row is None:
            raise RequestNotFoundError(str(request_id))
        return ClaimResult(won=won, request=row)

    async def set_status(
        self, request_id: int, status: RequestStatus, actor_id: int, actor_name: str
    ) -> FinancingRequest:
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(FinancingRequest, request_id)
            if row is None:
                raise RequestNotFoundError(str(request_id))
            previous = row.status
            row.status = str(status)
            row.status_changed_at = now
            row.reminded_at = None
            if status in FINAL_STATUSES and row.closed_at is None:
                row.closed_at = now
            elif status not in FINAL_STATUSES:
                row.closed_at = None
            session.add(
                _event(
                    request_id,
                    "status",
                    actor_id,
                    actor_name,
                    now,
                    previous=previous,
                    status=str(status),
                )
            )
        return row

    async def add_note(self, request_id: int, actor_id: int, actor_name: str, text: str) -> None:
        now = self._clock.now()
        async with self._db() as session, session.begin():
            session.add(_event(request_id, "note", actor_id, actor_name, now, text=text[:2000]))
            await session.execute(
                update(FinancingRequest)
                .where(FinancingRequest.id == request_id)
                .values(status_changed_at=now, reminded_at=None)
            )

    async def assign(
        self, request_id: int, officer_id: int, officer_name: str, actor_id: int, actor_name: str
    ) -> FinancingRequest:
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(FinancingRequest, request_id)
            if row is None:
                raise RequestNotFoundError(str(request_id))
            previous = row.owner_name
            row.owner_id, row.owner_name = officer_id, officer_name
            if row.claimed_at is None:
                row.claimed_at = now
            if row.status == RequestStatus.NEW:
                row.status = str(RequestStatus.CLAIMED)
            row.status_changed_at, row.reminded_at = now, None
            session.add(
                _event(
                    request_id,
                    "assigned",
                    actor_id,
                    actor_name,
                    now,
                    previous=previous,
                    owner_id=officer_id,
                    owner=officer_name,
                )
            )
        return row

    async def mark_reminded(self, request_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(FinancingRequest)
                .where(FinancingRequest.id == request_id)
                .values(reminded_at=self._clock.now())
            )

    # ------------------------------------------------------------------ reporting
    async def stats(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> RequestStats:
        async with self._db() as session:
            stmt = select(FinancingRequest)
            if start is not None:
                stmt = stmt.where(FinancingRequest.created_at >= start)
            if end is not None:
                stmt = stmt.where(FinancingRequest.created_at < end)
            rows = list((await session.scalars(stmt)).all())
        by_status: dict[str, int] = {}
        by_type: dict[str, int] = {}
        for row in rows:
            by_status[row.status] = by_status.get(row.status, 0) + 1
            by_type[row.fin_type] = by_type.get(row.fin_type, 0) + 1
        claim = [
            (as_utc(r.claimed_at) - as_utc(r.created_at)).total_seconds()
            for r in rows
            if r.claimed_at
        ]
        close = [
            (as_utc(r.closed_at) - as_utc(r.created_at)).total_seconds()
            for r in rows
            if r.closed_at
        ]
        return RequestStats(
            by_status=by_status,
            by_type=by_type,
            total=len(rows),
            median_claim_seconds=statistics.median(claim) if claim else None,
            median_close_seconds=statistics.median(close) if close else None,
        )


async def _next_sequence(session: AsyncSession, day: str) -> int:
    """Increment the day's counter inside the caller's transaction (the row lock serialises)."""
    result = await session.execute(
        update(RequestCounter).where(RequestCounter.day == day).values(last=RequestCounter.last + 1)
    )
    if getattr(result, "rowcount", 0) == 0:
        session.add(RequestCounter(day=day, last=1))
        await session.flush()
        return 1
    value = await session.scalar(select(RequestCounter.last).where(RequestCounter.day == day))
    return int(value or 0)


def _event(
    request_id: int,
    kind: str,
    actor_id: int | None,
    actor_name: str | None,
    when: datetime,
    **detail: object,
) -> RequestEvent:
    return RequestEvent(
        request_id=request_id,
        kind=kind,
        actor_id=actor_id,
        actor_name=actor_name,
        detail=dict(detail),
        created_at=when,
    )
