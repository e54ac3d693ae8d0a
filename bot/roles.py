"""Who may do what: admins and officers from settings plus roles granted in the database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.audit import audit_row
from bot.clock import Clock
from bot.db.models import Role as RoleRow
from bot.users import UserService


class Role(StrEnum):
    OFFICER = "officer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the audit log and the request history name them."""

    id: int
    name: str


@dataclass(frozen=True)
class RoleChange:
    """The outcome of /grant or /revoke: the message key and whom it was about."""

    key: str
    who: str


class RoleService:
    """Kept in memory (loaded at start, updated on grant/revoke) so filters are synchronous."""

    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        admin_ids: list[int],
        officer_ids: list[int],
        officers_chat_id: int | None,
        users: UserService | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._users = users
        self._env_admins = frozenset(admin_ids)
        self._env_officers = frozenset(officer_ids)
        self.officers_chat_id = officers_chat_id
        self._granted: dict[Role, set[int]] = {Role.ADMIN: set(), Role.OFFICER: set()}

    async def load(self) -> None:
        async with self._db() as session:
            rows = (await session.scalars(select(RoleRow))).all()
        self._granted = {Role.ADMIN: set(), Role.OFFICER: set()}
        for row in rows:
            self._granted[Role(row.role)].add(row.user_id)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and (
            user_id in self._env_admins or user_id in self._granted[Role.ADMIN]
        )

    def is_officer(self, user_id: int | None) -> bool:
        """Admins can do everything officers can."""
        return user_id is not None and (
            user_id in self._env_officers
            or user_id in self._granted[Role.OFFICER]
            or self.is_admin(user_id)
        )

    def is_officers_chat(self, chat_id: int | None) -> bool:
        return self.officers_chat_id is not None and chat_id == self.officers_chat_id

    def admins(self) -> frozenset[int]:
        return self._env_admins | frozenset(self._granted[Role.ADMIN])

    def officers(self) -> frozenset[int]:
        return self._env_officers | frozenset(self._granted[Role.OFFICER]) | self.admins()

    async def grant(self, user_id: int, role: Role, granted_by: int) -> bool:
        if user_id in self._granted[role]:
            return False
        now = self._clock.now()
        async with self._db() as session, session.begin():
            session.add(
                RoleRow(user_id=user_id, role=str(role), granted_by=granted_by, created_at=now)
            )
            session.add(audit_row(now, granted_by, "role.grant", str(user_id), role=str(role)))
        self._granted[role].add(user_id)
        return True

    async def revoke(self, user_id: int, role: Role, revoked_by: int | None = None) -> bool:
        """Roles from the environment cannot be revoked from the chat."""
        if user_id not in self._granted[role]:
            return False
        async with self._db() as session, session.begin():
            await session.execute(
                delete(RoleRow).where(RoleRow.user_id == user_id, RoleRow.role == str(role))
            )
            session.add(
                audit_row(
                    self._clock.now(), revoked_by, "role.revoke", str(user_id), role=str(role)
                )
            )
        self._granted[role].discard(user_id)
        return True

    async def change(self, who: str, role: Role, *, grant: bool, actor_id: int) -> RoleChange:
        """/grant or /revoke by an admin: `who` is "@username" or a numeric id."""
        target = await self._users.resolve(who) if self._users is not None else None
        if target is None:
            return RoleChange("role.unknown_user", who)
        target_id, name = target
        if grant:
            changed = await self.grant(target_id, role, actor_id)
            return RoleChange("role.granted" if changed else "role.already", name)
        changed = await self.revoke(target_id, role, actor_id)
        return RoleChange("role.revoked" if changed else "role.not_granted", name)
