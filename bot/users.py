"""Who we talk to and in which language; the preference survives restarts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import User
from bot.texts import Lang
from bot.views import view_of


def lang_from_client(language_code: str | None) -> Lang:
    """zh by default; en when the Telegram client is set to English."""
    return "en" if (language_code or "").lower().startswith("en") else "zh"


@dataclass(frozen=True)
class UserView:
    id: int
    display_name: str
    username: str | None
    language: str
    blocked: bool
    created_at: datetime
    last_seen_at: datetime


class UserService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._lang_cache: dict[int, Lang] = {}
        self._seen: set[int] = set()  # users whose row was written by this process

    async def lang_for(
        self, user_id: int, display_name: str, username: str | None, language_code: str | None
    ) -> Lang:
        """The user's language; their row is written once per process, not on every message.

        (A write per message was the largest cost under load: SQLite serialises writers.)
        """
        if user_id in self._seen:
            return await self.language(user_id, default=lang_from_client(language_code))
        lang = await self.touch(user_id, display_name, username, language_code)
        self._seen.add(user_id)
        return lang

    async def touch(
        self, user_id: int, display_name: str, username: str | None, language_code: str | None
    ) -> Lang:
        """Record the user (first time: language from the client) and return their language."""
        now = self._clock.now()
        async with self._db() as session, session.begin():
            user = await session.get(User, user_id)
            if user is None:
                user = User(
                    id=user_id,
                    display_name=display_name[:200],
                    username=username,
                    language=lang_from_client(language_code),
                    blocked=False,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(user)
            else:
                user.display_name = display_name[:200]
                user.username = username
                user.last_seen_at = now
                user.blocked = False
            lang: Lang = "en" if user.language == "en" else "zh"
        self._lang_cache[user_id] = lang
        return lang

    async def language(self, user_id: int, default: Lang = "zh") -> Lang:
        if user_id in self._lang_cache:
            return self._lang_cache[user_id]
        async with self._db() as session:
            user = await session.get(User, user_id)
        lang: Lang = default if user is None else ("en" if user.language == "en" else "zh")
        self._lang_cache[user_id] = lang
        return lang

    async def set_language(self, user_id: int, lang: Lang) -> None:
        async with self._db() as session, session.begin():
            user = await session.get(User, user_id)
            if user is not None:
                user.language = lang
        self._lang_cache[user_id] = lang

    async def mark_blocked(self, user_id: int) -> None:
        """Their next message writes the row again (and clears the flag)."""
        async with self._db() as session, session.begin():
            user = await session.get(User, user_id)
            if user is not None:
                user.blocked = True
        self._seen.discard(user_id)

    async def get(self, user_id: int) -> UserView | None:
        async with self._db() as session:
            row = await session.get(User, user_id)
        return None if row is None else view_of(UserView, row)

    async def resolve(self, token: str) -> tuple[int, str] | None:
        """(id, display name) for "@username" (someone who wrote to the bot) or a numeric id."""
        token = token.strip()
        async with self._db() as session:
            if token.lstrip("-").isdigit():
                user = await session.get(User, int(token))
                return int(token), (user.display_name if user and user.display_name else token)
            name = token.removeprefix("@").lower()
            stmt = select(User).where(func.lower(User.username) == name)
            found = (await session.scalars(stmt)).first()
        if found is None:
            return None
        return found.id, found.display_name or f"@{found.username}"
