"""Financing requests: reference numbers, ownership, status and the event history.

Every change goes through this service so that each one leaves an event (who, when) and an
audit entry in the same transaction, whether the bot or the CLI made it. Claims stay
atomic: a claim is a conditional UPDATE that only succeeds while nobody owns the request,
so two officers pressing 认领 together cannot both win. Callers get `RequestView`s, never
ORM rows.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import audit_row
from bot.clock import BUREAU_TZ, Clock
from bot.db.models import (
    FinancingRequest,
    FlowState,
    Handoff,
    QuestionLog,
    RequestCounter,
    RequestEvent,
)
from bot.errors import NotAllowedError, NotFoundError
from bot.roles import Actor, RoleService
from bot.users import UserService
from bot.views import view_of


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


@dataclass(frozen=True, kw_only=True)
class RequestView(RequestDraft):
    """A request as stored: what the form collected, where it stands in the officers'
    workflow, and the text of the question that led to it (for the card)."""

    id: int
    ref: str
    user_id: int
    chat_id: int
    lang: str
    status: str
    owner_id: int | None
    owner_name: str | None
    card_chat_id: int | None
    card_message_id: int | None
    consent_at: datetime
    created_at: datetime
    claimed_at: datetime | None
    status_changed_at: datetime | None
    closed_at: datetime | None
    reminded_at: datetime | None
    question: str | None = None


@dataclass(frozen=True)
class EventView:
    id: int
    request_id: int
    kind: str
    actor_id: int | None
    actor_name: str | None
    detail: dict[str, object]
    created_at: datetime


@dataclass(frozen=True)
class ClaimResult:
    won: bool
    request: RequestView


@dataclass(frozen=True)
class RequestStats:
    by_status: dict[str, int]
    by_type: dict[str, int]
    median_claim_seconds: float | None
    median_close_seconds: float | None
    total: int


class RequestNotFoundError(NotFoundError, LookupError):
    def __init__(self, ref: str) -> None:
        super().__init__("officer.not_found", ref=ref)


class RequestService:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        roles: RoleService | None = None,
        users: UserService | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._roles = roles
        self._users = users

    # ------------------------------------------------------------------ creating
    async def create(
        self,
        *,
        user_id: int,
        chat_id: int,
        lang: str,
        draft: RequestDraft,
        end_flow: tuple[str, int] | None = None,
    ) -> RequestView:
        """Store a request (reference number, history, handoff link, audit) in one transaction.

        `end_flow` (kind, user id): the flow that collected it ends in the same transaction.
        """
        now = self._clock.now()
        for _attempt in range(5):
            try:
                return await self._insert(user_id, chat_id, lang, draft, now, end_flow)
            except IntegrityError:  # two first requests of a day raced for the counter row
                continue
        raise RuntimeError("could not allocate a reference number")

    submit = create  # the form's confirmation: one call, one transaction

    async def _insert(
        self,
        user_id: int,
        chat_id: int,
        lang: str,
        draft: RequestDraft,
        now: datetime,
        end_flow: tuple[str, int] | None,
    ) -> RequestView:
        day = now.astimezone(BUREAU_TZ).strftime("%Y%m%d")
        async with self._db() as session, session.begin():
            seq = await _next_sequence(session, day)
            row = _new_request(f"RZ-{day}-{seq:04d}", user_id, chat_id, lang, draft, now)
            session.add(row)
            await session.flush()
            session.add(_event(row.id, "created", user_id, None, now))
            session.add(audit_row(now, user_id, "request.submit", row.ref))
            if draft.handoff_id is not None:
                await session.execute(
                    update(Handoff).where(Handoff.id == draft.handoff_id).values(request_id=row.id)
                )
            if end_flow is not None:
                kind, flow_user = end_flow
                await session.execute(
                    delete(FlowState).where(FlowState.kind == kind, FlowState.user_id == flow_user)
                )
            return (await _views(session, [row]))[0]

    # ------------------------------------------------------------------ reading
    async def for_user(self, user_id: int, limit: int = 20) -> list[RequestView]:
        stmt = (
            select(FinancingRequest)
            .where(FinancingRequest.user_id == user_id)
            .order_by(FinancingRequest.id.desc())
            .limit(limit)
        )
        return await self._select(stmt)

    async def get(self, request_id: int) -> RequestView | None:
        async with self._db() as session:
            row = await session.get(FinancingRequest, request_id)
            return None if row is None else (await _views(session, [row]))[0]

    async def by_ref(self, ref: str) -> RequestView | None:
        stmt = select(FinancingRequest).where(FinancingRequest.ref == ref.strip().upper())
        found = await self._select(stmt)
        return found[0] if found else None

    async def visible_to(self, ref: str, viewer_id: int, *, is_officer: bool) -> RequestView | None:
        """None unless the viewer is an officer or owns it: no user ever sees another's request."""
        row = await self.by_ref(ref)
        if row is None or (not is_officer and row.user_id != viewer_id):
            return None
        return row

    async def page(
        self, status: str | None = None, *, offset: int = 0, limit: int = 10
    ) -> tuple[list[RequestView], int]:
        base = select(FinancingRequest)
        if status:
            base = base.where(FinancingRequest.status == status)
        async with self._db() as session:
            total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
        rows = await self._select(
            base.order_by(FinancingRequest.id.desc()).offset(offset).limit(limit)
        )
        return rows, int(total)

    async def between(self, start: datetime, end: datetime) -> list[RequestView]:
        stmt = (
            select(FinancingRequest)
            .where(FinancingRequest.created_at >= start, FinancingRequest.created_at < end)
            .order_by(FinancingRequest.id)
        )
        return await self._select(stmt)

    async def events(self, request_id: int) -> list[EventView]:
        async with self._db() as session:
            stmt = (
                select(RequestEvent)
                .where(RequestEvent.request_id == request_id)
                .order_by(RequestEvent.id)
            )
            return [view_of(EventView, e) for e in (await session.scalars(stmt)).all()]

    async def open_requests(self) -> list[RequestView]:
        """Requests the SLA job watches: not yet in a final status."""
        stmt = (
            select(FinancingRequest)
            .where(FinancingRequest.status.not_in([str(s) for s in FINAL_STATUSES]))
            .order_by(FinancingRequest.id)
        )
        return await self._select(stmt)

    async def detail(self, ref: str, actor: Actor) -> tuple[RequestView, list[EventView]]:
        """An officer's /request: the request and its history; the viewing is audited."""
        row = await self.by_ref(ref)
        if row is None:
            raise RequestNotFoundError(ref.strip().upper())
        await self._audit(actor.id, "request.view", row.ref)
        return row, await self.events(row.id)

    async def _select(self, stmt: Select[tuple[FinancingRequest]]) -> list[RequestView]:
        async with self._db() as session:
            rows = list((await session.scalars(stmt)).all())
            return await _views(session, rows)

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
            row = await session.get(FinancingRequest, request_id)
            if row is None:
                raise RequestNotFoundError(str(request_id))
            if won:
                session.add(_event(request_id, "claimed", officer_id, officer_name, now))
                session.add(audit_row(now, officer_id, "request.claim", row.ref))
            return ClaimResult(won=won, request=(await _views(session, [row]))[0])

    async def set_status(
        self,
        request_id: int,
        status: RequestStatus,
        actor_id: int,
        actor_name: str,
        *,
        owner_only: bool = False,
    ) -> RequestView:
        """`owner_only`: refuse anyone but the owner (and admins), as the card buttons do."""
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(FinancingRequest, request_id)
            if row is None:
                raise RequestNotFoundError(str(request_id))
            if owner_only and row.owner_id != actor_id and not self._is_admin(actor_id):
                raise NotAllowedError("officer.not_owner", ref=row.ref, owner=row.owner_name)
            previous = row.status
            _apply_status(row, status, now)
            session.add(
                _event(request_id, "status", actor_id, actor_name, now,
                       previous=previous, status=str(status))
            )  # fmt: skip
            session.add(audit_row(now, actor_id, "request.status", row.ref, status=str(status)))
            return (await _views(session, [row]))[0]

    async def add_note(self, request_id: int, actor_id: int, actor_name: str, text: str) -> None:
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(FinancingRequest, request_id)
            if row is None:
                raise RequestNotFoundError(str(request_id))
            session.add(_event(request_id, "note", actor_id, actor_name, now, text=text[:2000]))
            row.status_changed_at, row.reminded_at = now, None
            session.add(audit_row(now, actor_id, "request.note", row.ref))

    async def note(self, ref: str, actor: Actor, text: str) -> RequestView:
        """An officer's /note REF text."""
        row = await self.by_ref(ref)
        if row is None:
            raise RequestNotFoundError(ref.strip().upper())
        await self.add_note(row.id, actor.id, actor.name, text)
        return row

    async def assign(
        self, request_id: int, officer_id: int, officer_name: str, actor_id: int, actor_name: str
    ) -> RequestView:
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
                _event(request_id, "assigned", actor_id, actor_name, now,
                       previous=previous, owner_id=officer_id, owner=officer_name)
            )  # fmt: skip
            session.add(audit_row(now, actor_id, "request.assign", row.ref, owner_id=officer_id))
            return (await _views(session, [row]))[0]

    async def assign_to(self, ref: str, who: str, actor: Actor) -> RequestView:
        """An officer's /assign REF @officer: only to someone who is an officer."""
        row = await self.by_ref(ref)
        if row is None:
            raise RequestNotFoundError(ref.strip().upper())
        target = await self._users.resolve(who) if self._users is not None else None
        if target is None or self._roles is None or not self._roles.is_officer(target[0]):
            raise NotAllowedError("officer.not_officer", who=who)
        return await self.assign(row.id, target[0], target[1], actor.id, actor.name)

    async def mark_reminded(self, request_id: int) -> None:
        async with self._db() as session, session.begin():
            await session.execute(
                update(FinancingRequest)
                .where(FinancingRequest.id == request_id)
                .values(reminded_at=self._clock.now())
            )

    def _is_admin(self, user_id: int) -> bool:
        return self._roles is not None and self._roles.is_admin(user_id)

    async def _audit(
        self, actor_id: int, action: str, target: str | None, **detail: object
    ) -> None:
        async with self._db() as session, session.begin():
            session.add(audit_row(self._clock.now(), actor_id, action, target, **detail))

    # ------------------------------------------------------------------ reporting
    async def stats(
        self, start: datetime | None = None, end: datetime | None = None
    ) -> RequestStats:
        stmt = select(FinancingRequest)
        if start is not None:
            stmt = stmt.where(FinancingRequest.created_at >= start)
        if end is not None:
            stmt = stmt.where(FinancingRequest.created_at < end)
        return _stats(await self._select(stmt))

    async def exported(
        self, since: datetime, until: datetime, actor_id: int, **detail: object
    ) -> list[RequestView]:
        """The requests created in [since, until), the export audited with `detail` and count."""
        rows = await self.between(since, until)
        await self._audit(actor_id, "request.export", None, **detail, count=len(rows))
        return rows


def _stats(rows: Sequence[RequestView]) -> RequestStats:
    by_status: dict[str, int] = {}
    by_type: dict[str, int] = {}
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
        by_type[row.fin_type] = by_type.get(row.fin_type, 0) + 1
    claim = [(r.claimed_at - r.created_at).total_seconds() for r in rows if r.claimed_at]
    close = [(r.closed_at - r.created_at).total_seconds() for r in rows if r.closed_at]
    return RequestStats(
        by_status=by_status,
        by_type=by_type,
        total=len(rows),
        median_claim_seconds=statistics.median(claim) if claim else None,
        median_close_seconds=statistics.median(close) if close else None,
    )


def _apply_status(row: FinancingRequest, status: RequestStatus, now: datetime) -> None:
    row.status = str(status)
    row.status_changed_at = now
    row.reminded_at = None
    if status in FINAL_STATUSES and row.closed_at is None:
        row.closed_at = now
    elif status not in FINAL_STATUSES:
        row.closed_at = None


def _new_request(
    ref: str, user_id: int, chat_id: int, lang: str, draft: RequestDraft, now: datetime
) -> FinancingRequest:
    return FinancingRequest(
        ref=ref, user_id=user_id, chat_id=chat_id, lang=lang, company=draft.company,
        uscc=draft.uscc, contact_name=draft.contact_name, phone=draft.phone,
        amount_yuan=draft.amount_yuan, fin_type=draft.fin_type, term_months=draft.term_months,
        purpose=draft.purpose, question_id=draft.question_id, handoff_id=draft.handoff_id,
        status=str(RequestStatus.NEW), consent_at=now, created_at=now, status_changed_at=now,
    )  # fmt: skip


async def _views(session: AsyncSession, rows: Sequence[FinancingRequest]) -> list[RequestView]:
    """Views of the rows with their questions' texts (one query for all of them)."""
    ids = {r.question_id for r in rows if r.question_id is not None}
    texts: dict[int, str] = {}
    if ids:
        found = await session.execute(
            select(QuestionLog.id, QuestionLog.text).where(QuestionLog.id.in_(ids))
        )
        texts = {int(qid): text for qid, text in found.all()}
    return [
        view_of(RequestView, r, question=texts.get(r.question_id) if r.question_id else None)
        for r in rows
    ]


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
