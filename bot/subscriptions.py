"""Policy subscriptions: which topics an entrepreneur wants to hear about, and a document's topic.

The topics are the main menu's three (上市 / 担保与贷款 / 基金) plus 其他, and any category
the knowledge base's documents declare themselves (a `topic:` / `主题：` header that is not
one of those four). A document's topic is read in that order of authority: its own header,
the folder it was added from (`credit/…` in the sample knowledge base), then words of its
title (上市 / 担保 / 贷款 / 基金 …); a document that says nothing of the kind is 其他.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock, SystemClock
from bot.db.models import Subscription
from bot.db.session import make_engine, make_sessionmaker
from bot.knowledge_base import KnowledgeBase
from bot.texts import Lang, t
from knowledge.models import DocumentMeta

BUILT_IN = ("listing", "guarantee", "funds", "other")
MAX_TOPIC_BYTES = 48  # a KB category longer than this cannot ride in a button's data
# Names a header or a folder may use for the built-in topics.
ALIASES: dict[str, str] = {
    "listing": "listing", "上市": "listing", "ipo": "listing",
    "guarantee": "guarantee", "credit": "guarantee", "loans": "guarantee",
    "担保": "guarantee", "贷款": "guarantee", "担保与贷款": "guarantee", "融资担保": "guarantee",
    "funds": "funds", "fund": "funds", "基金": "funds",
    "other": "other", "其他": "other", "其它": "other",
}  # fmt: skip
# Title words, first match wins (基金 before 贷款: "转贷基金" is about bridge loans, though,
# so the loan words come first).
TITLE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("listing", re.compile(r"上市|挂牌|北交所|新三板|IPO|listing", re.IGNORECASE)),
    ("guarantee", re.compile(r"担保|贷款|信贷|转贷|续贷|首贷|增信|融资租赁|guarantee|loan", re.I)),
    ("funds", re.compile(r"基金|fund", re.IGNORECASE)),
)


@dataclass(frozen=True, slots=True)
class Topic:
    key: str
    label_zh: str
    label_en: str

    def label(self, lang: Lang) -> str:
        return self.label_en if lang == "en" else self.label_zh


def topic_label(key: str, lang: Lang) -> str:
    """A topic's name as shown; a KB category is shown as the documents spell it."""
    return t(f"sub.topic.{key}", lang) if key in BUILT_IN else key


def canonical(name: str | None) -> str | None:
    """A header's or folder's topic name as a topic key; None for nothing usable."""
    if not name or not name.strip():
        return None
    raw = name.strip()
    key = ALIASES.get(raw.lower())
    if key is not None:
        return key
    return raw if len(raw.encode("utf-8")) <= MAX_TOPIC_BYTES and ":" not in raw else None


def topic_of(meta: DocumentMeta, source: str) -> str:
    """A document's topic: its header, else its folder, else its title's words, else other."""
    declared = canonical(meta.topic)
    if declared is not None:
        return declared
    folder = PurePosixPath(source.replace("\\", "/")).parts[:-1]
    for part in folder:
        key = ALIASES.get(part.lower())
        if key is not None:
            return key
    for key, pattern in TITLE_WORDS:
        if pattern.search(meta.title):
            return key
    return "other"


class SubscriptionService:
    def __init__(self, db: async_sessionmaker[AsyncSession], clock: Clock, kb: KnowledgeBase):
        self._db = db
        self._clock = clock
        self._kb = kb

    # ------------------------------------------------------------------ topics
    def topics(self) -> list[Topic]:
        """The built-in topics, then the categories the documents declare (sorted)."""
        out = [Topic(k, topic_label(k, "zh"), topic_label(k, "en")) for k in BUILT_IN]
        extra = sorted(
            {
                key
                for rec in self._kb.store.snapshot().docs.values()
                if (key := canonical(rec.doc.meta.topic)) is not None and key not in BUILT_IN
            }
        )
        return out + [Topic(k, k, k) for k in extra]

    def topic(self, key: str) -> Topic | None:
        return next((tp for tp in self.topics() if tp.key == key), None)

    def document_topic(self, doc_id: str) -> str | None:
        """The topic of a document in the knowledge base, None when there is no such one."""
        rec = self._kb.store.snapshot().docs.get(doc_id)
        return None if rec is None else topic_of(rec.doc.meta, rec.doc.source)

    # ------------------------------------------------------------------ a user's topics
    async def of_user(self, user_id: int) -> list[str]:
        async with self._db() as session:
            stmt = select(Subscription.topic).where(Subscription.user_id == user_id)
            return sorted((await session.scalars(stmt)).all(), key=_order)

    async def toggle(self, user_id: int, topic: str) -> bool:
        """Subscribe, or unsubscribe when subscribed already; True: now subscribed."""
        async with self._db() as session, session.begin():
            row = await session.get(Subscription, (user_id, topic))
            if row is not None:
                await session.delete(row)
                return False
            session.add(Subscription(user_id=user_id, topic=topic, created_at=self._clock.now()))
            return True

    async def subscribe(self, user_id: int, topic: str) -> None:
        async with self._db() as session, session.begin():
            if await session.get(Subscription, (user_id, topic)) is None:
                session.add(
                    Subscription(user_id=user_id, topic=topic, created_at=self._clock.now())
                )

    async def remove(self, user_id: int, topic: str) -> bool:
        """False when the user was not subscribed to it (a second tap)."""
        async with self._db() as session, session.begin():
            result = await session.execute(
                delete(Subscription).where(
                    Subscription.user_id == user_id, Subscription.topic == topic
                )
            )
        return bool(getattr(result, "rowcount", 0))

    async def remove_all(self, user_id: int) -> None:
        """Someone who blocked the bot is not sent the next notice either."""
        async with self._db() as session, session.begin():
            await session.execute(delete(Subscription).where(Subscription.user_id == user_id))

    # ------------------------------------------------------------------ a topic's users
    async def count(self, topic: str) -> int:
        async with self._db() as session:
            stmt = select(func.count()).where(Subscription.topic == topic)
            return int((await session.execute(stmt)).scalar_one())


async def notify_candidates(
    db_url: str, kb: KnowledgeBase, doc_ids: Iterable[str]
) -> list[tuple[str, str, int]]:
    """(doc id, topic, subscribers) of the current documents among `doc_ids` whose topic
    has subscribers: what `finbot kb add` points out (the bot sends with /notify)."""
    engine = make_engine(db_url)
    try:
        service = SubscriptionService(make_sessionmaker(engine), SystemClock(), kb)
        out = []
        for doc_id in doc_ids:
            info, topic = kb.info(doc_id), service.document_topic(doc_id)
            if info is None or topic is None or info.status != "current":
                continue
            if (count := await service.count(topic)) > 0:
                out.append((doc_id, topic, count))
        return out
    finally:
        await engine.dispose()


def _order(topic: str) -> tuple[int, str]:
    return (BUILT_IN.index(topic) if topic in BUILT_IN else len(BUILT_IN), topic)
