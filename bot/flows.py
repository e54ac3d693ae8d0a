"""Durable steps of multi-step flows: written through to the database before the bot replies.

A flow (the financing form, the handoff intake, an FAQ draft) is one row per kind and user:
the chat it runs in, its step and its answers so far. Every change is committed before the
caller replies, so a crash or a restart resumes at the same step with the answers kept.
The rows are also kept in memory (loaded at start, updated on every write) because the
handlers' filters must decide synchronously whether a message belongs to a flow.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import FlowState
from bot.views import view_of


@dataclass(frozen=True)
class Flow:
    kind: str
    user_id: int
    chat_id: int
    step: str
    version: int
    updated_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


class FlowStore:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._flows: dict[tuple[str, int], Flow] = {}

    async def load(self) -> None:
        async with self._db() as session:
            rows = (await session.scalars(select(FlowState))).all()
        self._flows = {(r.kind, r.user_id): view_of(Flow, r) for r in rows}

    def get(self, kind: str, user_id: int) -> Flow | None:
        """The user's flow of this kind (a copy: change it through `put`)."""
        flow = self._flows.get((kind, user_id))
        return None if flow is None else copy.deepcopy(flow)

    def is_open(self, kind: str, user_id: int | None, chat_id: int | None = None) -> bool:
        """Whether the user has this flow open (in that chat, when one is given)."""
        flow = self._flows.get((kind, user_id)) if user_id is not None else None
        return flow is not None and (chat_id is None or flow.chat_id == chat_id)

    def idle(self, kind: str, since: datetime) -> list[Flow]:
        """Flows of this kind not changed since `since` (checked every second: no copies
        of the others)."""
        return [
            copy.deepcopy(f)
            for (k, _u), f in list(self._flows.items())
            if k == kind and f.updated_at <= since
        ]

    async def put(
        self, kind: str, user_id: int, chat_id: int, step: str, data: dict[str, Any]
    ) -> Flow:
        """Store the flow's new step and data (committed when this returns)."""
        now = self._clock.now()
        async with self._db() as session, session.begin():
            row = await session.get(FlowState, (kind, user_id))
            if row is None:
                row = FlowState(kind=kind, user_id=user_id, version=0)
                session.add(row)
            row.chat_id, row.step, row.data = chat_id, step, copy.deepcopy(data)
            row.version, row.updated_at = row.version + 1, now
            flow = Flow(kind, user_id, chat_id, step, row.version, now, copy.deepcopy(data))
        self._flows[(kind, user_id)] = flow
        return copy.deepcopy(flow)

    async def touch(self, flow: Flow) -> Flow:
        """The same step and data, seen now (the flow's timeout starts again)."""
        return await self.put(flow.kind, flow.user_id, flow.chat_id, flow.step, flow.data)

    def forget(self, kind: str, user_id: int) -> None:
        """Drop from memory a flow whose row the caller deleted in its own transaction."""
        self._flows.pop((kind, user_id), None)

    async def end(self, kind: str, user_id: int, *, version: int | None = None) -> bool:
        """Forget the flow; with `version`, only if nothing changed it since (a timeout job)."""
        stmt = delete(FlowState).where(FlowState.kind == kind, FlowState.user_id == user_id)
        if version is not None:
            stmt = stmt.where(FlowState.version == version)
        async with self._db() as session, session.begin():
            result = await session.execute(stmt)
        ended = getattr(result, "rowcount", 0) == 1
        current = self._flows.get((kind, user_id))
        if ended or (current is not None and version is None):
            self._flows.pop((kind, user_id), None)
        return ended
