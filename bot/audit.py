"""The audit log: every privileged action with who and when.

Services that change something add the audit row in their own transaction (`audit_row`),
so the change and its record commit together, whether the bot or the CLI made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import AuditLog
from bot.views import view_of


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: int | None
    action: str
    target: str | None
    detail: dict[str, object]
    created_at: datetime


def audit_row(
    when: datetime, actor_id: int | None, action: str, target: str | None = None, **detail: object
) -> AuditLog:
    """An entry to add to the caller's session."""
    return AuditLog(
        actor_id=actor_id, action=action, target=target, detail=dict(detail), created_at=when
    )


class AuditService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self, actor_id: int | None, action: str, target: str | None = None, **detail: object
    ) -> None:
        async with self._db() as session, session.begin():
            session.add(audit_row(self._clock.now(), actor_id, action, target, **detail))

    async def recent(self, limit: int = 50, action: str | None = None) -> list[AuditEntry]:
        async with self._db() as session:
            stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
            if action:
                stmt = stmt.where(AuditLog.action == action)
            return [view_of(AuditEntry, row) for row in (await session.scalars(stmt)).all()]
