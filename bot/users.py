"""Who we talk to and in which language; the preference survives restarts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.db.models import User
from bot.texts import Lang


def lang_from_client(language_code: str | None) -> Lang:
    """zh by default; en when the Telegram client is set to English."""
    return "en" if (language_code or "").lower().startswith("en") else "zh"


class UserService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._lang_cache: dict[int, Lang] = {}

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
        async with self._db() as session, session.begin():
            user = await session.get(User, user_id)
            if user is not None:
                user.blocked = True

    async def get(self, user_id: int) -> User | None:
        async with self._db() as session:
            return await session.get(User, user_id)
