"""The audit log: every privileged action with who and when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import AuditLog


class AuditService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def record(
        self, actor_id: int | None, action: str, target: str | None = None, **detail: object
    ) -> None:
        async with self._db() as session, session.begin():
            session.add(
                AuditLog(
                    actor_id=actor_id,
                    action=action,
                    target=target,
                    detail=dict(detail),
                    created_at=self._clock.now(),
                )
            )

    async def recent(self, limit: int = 50, action: str | None = None) -> list[AuditLog]:
        async with self._db() as session:
            stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
            if action:
                stmt = stmt.where(AuditLog.action == action)
            return list((await session.scalars(stmt)).all())
