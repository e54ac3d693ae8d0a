"""Canned replies: the answers officers give in handoffs again and again, kept by name.

An admin stores a reply once (`/canned add 名称 文本`, `finbot canned add`); an officer in a
handoff sends it with `/c 名称`. Variables in braces are filled from the case when it is
sent: {企业名称} and {联系人} from the financing request linked to the case, {编号} the
request's reference (the case number when no request is linked). A reply whose variable
has no value in this case is not sent at all — the officer is told which one is missing —
because a message with a hole in it ("贵公司（）的申请…") reads worse than no message.
Unknown variables are refused when the reply is stored, and again when it is sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import audit_row
from bot.clock import Clock
from bot.db.models import CannedReply, FinancingRequest, Handoff
from bot.handoff import HandoffStatus, HandoffView
from bot.views import view_of

COMPANY, NUMBER, CONTACT = "企业名称", "编号", "联系人"
VARIABLES = (COMPANY, NUMBER, CONTACT)
MAX_NAME = 32
MAX_TEXT = 3500  # with the "工作人员 X：" header it stays one Telegram message
_VARIABLE = re.compile(r"\{([^{}\s]{1,20})\}")


class CannedError(Exception):
    """A reply that cannot be stored; `code` names the message (canned.*)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class CannedView:
    name: str
    text: str
    created_by: int | None
    updated_at: datetime

    @property
    def first_line(self) -> str:
        return next((line for line in self.text.splitlines() if line.strip()), "")


class Fill(StrEnum):
    READY = "ready"
    NOT_FOUND = "not_found"  # no reply of that name
    MISSING = "missing"  # a variable has no value (or is unknown) in this case


@dataclass(frozen=True)
class Filled:
    outcome: Fill
    text: str = ""
    missing: tuple[str, ...] = ()


def variables_in(text: str) -> list[str]:
    return list(dict.fromkeys(_VARIABLE.findall(text)))


def fill(text: str, values: dict[str, str | None]) -> Filled:
    """The text with every variable replaced, or the variables that have no value."""
    missing = tuple(name for name in variables_in(text) if not (values.get(name) or "").strip())
    if missing:
        return Filled(Fill.MISSING, missing=missing)
    return Filled(Fill.READY, _VARIABLE.sub(lambda m: str(values[m.group(1)]).strip(), text))


def check_reply(name: str, text: str) -> tuple[str, str]:
    """The name and text as stored, or CannedError."""
    name, text = name.strip(), text.strip()
    if not name or len(name) > MAX_NAME or any(ch.isspace() for ch in name):
        raise CannedError("bad_name", max=MAX_NAME)
    if not text:
        raise CannedError("usage_add", variables=" ".join(f"{{{v}}}" for v in VARIABLES))
    if len(text) > MAX_TEXT:
        raise CannedError("too_long", max=MAX_TEXT)
    unknown = [v for v in variables_in(text) if v not in VARIABLES]
    if unknown:
        raise CannedError(
            "unknown_variables",
            names="、".join(f"{{{v}}}" for v in unknown),
            variables=" ".join(f"{{{v}}}" for v in VARIABLES),
        )
    return name, text


class CannedService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def list(self) -> list[CannedView]:
        async with self._db() as session:
            rows = (await session.scalars(select(CannedReply).order_by(CannedReply.name))).all()
        return [view_of(CannedView, r) for r in rows]

    async def get(self, name: str) -> CannedView | None:
        async with self._db() as session:
            row = await session.get(CannedReply, name.strip())
        return None if row is None else view_of(CannedView, row)

    async def add(self, name: str, text: str, actor_id: int | None) -> bool:
        """Store (or replace) a reply; True when it is new. Raises CannedError."""
        name, text = check_reply(name, text)
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(CannedReply, name)
            created = row is None
            if row is None:
                row = CannedReply(name=name)
                session.add(row)
            row.text, row.created_by, row.updated_at = text, actor_id, now
            action = "canned.add" if created else "canned.edit"
            session.add(audit_row(now, actor_id, action, name))
        return created

    async def remove(self, name: str, actor_id: int | None) -> bool:
        async with self._db() as session, session.begin():
            result = await session.execute(delete(CannedReply).where(CannedReply.name == name))
            removed = getattr(result, "rowcount", 0) == 1
            if removed:
                session.add(audit_row(self._clock.now(), actor_id, "canned.remove", name))
        return removed

    async def prepare(self, name: str, case: HandoffView) -> Filled:
        """The reply filled in for this case (nothing is sent here)."""
        reply = await self.get(name)
        if reply is None:
            return Filled(Fill.NOT_FOUND)
        return fill(reply.text, await self._values(case))

    async def own_case(self, officer_id: int) -> int | None:
        """The one case this officer is serving, when there is exactly one (then /c needs
        no reply to say which case it is for)."""
        stmt = select(Handoff.id).where(
            Handoff.owner_id == officer_id, Handoff.status == str(HandoffStatus.ACTIVE)
        )
        async with self._db() as session:
            ids = (await session.scalars(stmt.limit(2))).all()
        return ids[0] if len(ids) == 1 else None

    async def _values(self, case: HandoffView) -> dict[str, str | None]:
        """{企业名称} {联系人} from the linked request; {编号} its reference, else the case's."""
        stmt = select(FinancingRequest).where(
            or_(FinancingRequest.id == case.request_id, FinancingRequest.handoff_id == case.id)
        )
        async with self._db() as session:
            request = (await session.scalars(stmt.order_by(FinancingRequest.id.desc()))).first()
        if request is None:
            return {COMPANY: None, CONTACT: None, NUMBER: f"#{case.id}"}
        return {COMPANY: request.company, CONTACT: request.contact_name, NUMBER: request.ref}
