"""PTB persistence in the database, so a restart resumes an unfinished form.

Conversation states and the form's answers live in the `conversation_state` table (next
to the requests they become), not in a pickle beside the code: a pickle is lost with the
container, cannot be shared by two instances and cannot be read when a schema changes.

Only whitelisted user_data keys (the form's) are stored; they must be JSON values. The
persistence owns its own engine because PTB loads it before the services exist.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import ConversationDict, ConversationKey

from bot.clock import Clock, SystemClock
from bot.db.models import ConversationState
from bot.db.session import make_engine, make_sessionmaker
from bot.sla import as_utc

USER_DATA = "__user_data__"
DEFAULT_USER_KEYS = ("form",)

UserData = dict[Any, Any]


class DbPersistence(BasePersistence[UserData, dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        db_url: str,
        *,
        user_keys: tuple[str, ...] = DEFAULT_USER_KEYS,
        clock: Clock | None = None,
        update_interval: float = 2.0,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._url = db_url
        self._user_keys = user_keys
        self._clock = clock or SystemClock()
        self._engine: AsyncEngine | None = None
        self._db: async_sessionmaker[AsyncSession] | None = None

    def _session(self) -> AsyncSession:
        if self._db is None:
            self._engine = make_engine(self._url)
            self._db = make_sessionmaker(self._engine)
        return self._db()

    # ------------------------------------------------------------------ conversations
    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._session() as session:
            rows = (
                await session.scalars(
                    select(ConversationState).where(ConversationState.name == name)
                )
            ).all()
        return {
            tuple(json.loads(row.key)): json.loads(row.state)
            for row in rows
            if row.state is not None
        }

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        await self._put(
            name, json.dumps(list(key)), None if new_state is None else json.dumps(new_state), {}
        )

    async def conversation_idle_times(self, name: str) -> dict[ConversationKey, timedelta]:
        """How long each stored conversation has gone without a state change.

        PTB arms a conversation's timeout only when an update arrives, so after a restart
        the restored conversations have no timer; this is what lets start-up re-arm them
        for the time each one still had left.
        """
        async with self._session() as session:
            rows = (
                await session.scalars(
                    select(ConversationState).where(
                        ConversationState.name == name, ConversationState.state.is_not(None)
                    )
                )
            ).all()
        now = self._clock.now()
        return {tuple(json.loads(row.key)): now - as_utc(row.updated_at) for row in rows}

    # ------------------------------------------------------------------ user data
    async def get_user_data(self) -> dict[int, UserData]:
        async with self._session() as session:
            rows = (
                await session.scalars(
                    select(ConversationState).where(ConversationState.name == USER_DATA)
                )
            ).all()
        return {int(row.key): dict(row.data) for row in rows}

    async def update_user_data(self, user_id: int, data: UserData) -> None:
        kept = {k: v for k, v in data.items() if k in self._user_keys and v is not None}
        await self._put(USER_DATA, str(user_id), "" if kept else None, kept)

    async def drop_user_data(self, user_id: int) -> None:
        await self._put(USER_DATA, str(user_id), None, {})

    async def refresh_user_data(self, user_id: int, user_data: UserData) -> None:
        return None

    async def _put(self, name: str, key: str, state: str | None, data: dict[str, Any]) -> None:
        """Upsert a row, or delete it when there is nothing left to remember."""
        async with self._session() as session, session.begin():
            if state is None:
                await session.execute(
                    delete(ConversationState).where(
                        ConversationState.name == name, ConversationState.key == key
                    )
                )
                return
            row = await session.get(ConversationState, (name, key))
            if row is None:
                session.add(
                    ConversationState(
                        name=name, key=key, state=state, data=data, updated_at=self._clock.now()
                    )
                )
            else:
                row.state, row.data, row.updated_at = state, data, self._clock.now()

    # ------------------------------------------------------------------ not stored
    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        """Called at shutdown after the last update: release the connections."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine, self._db = None, None
