"""Follow-up questions in a chat: the last answered turn, remembered for a few minutes.

"政府性融资担保的费率是多少？" then "那反担保呢？": the engine can read the second message in
the context of the first (`bot.answers.followup`), but only if someone remembers the first.
This service does, per person and chat (in a group, one person's follow-up never leans on
another's question), for `FINBOT_FOLLOWUP_MINUTES` after the last answer. The turn is
written to `chat_turns` before the reply goes out, so a restart in the middle of a
conversation does not lose its thread; recent chats are also kept in memory (written
through), so reading the context costs no database round trip.

Only an answer leaves a context: a refusal or a "did you mean" list keeps the earlier one
(the user has not changed the topic to anything the knowledge base knows). A question that
stands on its own is never bent by the context; that decision is the engine's.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import asdict, fields
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.answers import Answer, AnswerService, Turn
from bot.clock import Clock
from bot.db.models import ChatTurn
from bot.texts import Lang
from bot.views import as_utc

log = logging.getLogger("finbot.conversation")

MAX_CACHED = 10_000  # chats whose last turn is kept in memory (the rest are read from the db)
Known = tuple[Turn | None, datetime | None]  # a chat's last turn and when, as far as known


class ConversationService:
    """Answers a chat's questions with its last turn as the context of a follow-up."""

    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        answers: AnswerService,
        *,
        window_minutes: float,
    ) -> None:
        self._db = db
        self._clock = clock
        self._answers = answers
        self._window = timedelta(minutes=window_minutes)
        self._known: OrderedDict[tuple[int, int], Known] = OrderedDict()

    async def answer(self, chat_id: int, user_id: int, question: str, *, lang: Lang) -> Answer:
        """The answer, read as a follow-up of the chat's last turn when it is one."""
        previous = await self.previous(chat_id, user_id)
        answer = await self._answers.answer(question, lang=lang, previous=previous)
        await self.remember(chat_id, user_id, answer)
        return answer

    async def previous(self, chat_id: int, user_id: int) -> Turn | None:
        """The last answered turn, if it is recent enough to lean on."""
        if self._window <= timedelta(0):
            return None
        key = (chat_id, user_id)
        known = self._known.get(key)
        if known is None:
            async with self._db() as session:
                row = await session.get(ChatTurn, key)
            known = (turn_from(row.turn), as_utc(row.updated_at)) if row else (None, None)
            self._keep(key, known)
        turn, when = known
        if turn is None or when is None or when < self._clock.now() - self._window:
            return None
        return turn

    async def remember(self, chat_id: int, user_id: int, answer: Answer) -> None:
        """Keep what this answer leaves for the next message (nothing, for a refusal)."""
        turn = self._answers.turn_of(answer)
        if turn is None or self._window <= timedelta(0):
            return
        now = self._clock.now()
        try:
            async with self._db() as session, session.begin():
                row = await session.get(ChatTurn, (chat_id, user_id))
                if row is None:
                    row = ChatTurn(chat_id=chat_id, user_id=user_id)
                    session.add(row)
                row.turn, row.updated_at = asdict(turn), now
        except IntegrityError:  # the same update twice at once: either write will do
            log.info("chat turn written concurrently; keeping the other write")
            self._known.pop((chat_id, user_id), None)
            return
        self._keep((chat_id, user_id), (turn, now))

    def _keep(self, key: tuple[int, int], known: Known) -> None:
        self._known[key] = known
        self._known.move_to_end(key)
        while len(self._known) > MAX_CACHED:
            self._known.popitem(last=False)


def turn_from(data: object) -> Turn | None:
    """A stored turn; None for a row written by a version whose turn had other fields."""
    if not isinstance(data, dict):
        return None
    try:
        return Turn(**{f.name: str(data[f.name]) for f in fields(Turn)})
    except (KeyError, TypeError):
        return None
