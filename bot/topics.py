"""Most-asked questions per topic, for the topic buttons of the main menu.

A topic's candidates are the FAQ entries whose id carries the topic prefix (listing-,
credit-, funds-). They are ranked by how often the question log shows them asked: a logged
question counts for an entry when its text is one of the entry's phrasings (typed or
tapped) or when the entry itself was the top hit. Entries never asked keep file order, so
a fresh install still shows the officers' own ordering.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import QuestionLog
from index.entries import FaqEntry

# Menu topic → FAQ id prefix in the knowledge base.
TOPIC_PREFIXES: dict[str, str] = {
    "listing": "listing-",
    "guarantee": "credit-",
    "funds": "funds-",
}
RECENT_ROWS = 20_000  # enough history for a ranking, bounded so the menu stays fast

_NORM = re.compile(r"[\s?？!！。.,，、:：;；\"'“”‘’]+")


@dataclass(frozen=True, slots=True)
class TopQuestion:
    faq_id: str
    label: str  # the entry's first phrasing, shown on the button
    asked: int


def normalise(text: str) -> str:
    """Case and punctuation do not make a different question."""
    return _NORM.sub("", text).lower()


class TopicService:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        faqs: Callable[[], Iterable[FaqEntry]],
    ) -> None:
        self._db = db
        self._faqs = faqs

    async def top_questions(self, topic: str, limit: int = 5) -> list[TopQuestion]:
        prefix = TOPIC_PREFIXES.get(topic)
        if prefix is None:
            return []
        entries = [e for e in self._faqs() if e.faq_id.startswith(prefix) and e.questions]
        if not entries:
            return []
        counts = count_hits(entries, await self._recent_rows())
        order = {e.faq_id: n for n, e in enumerate(entries)}
        ranked = sorted(entries, key=lambda e: (-counts[e.faq_id], order[e.faq_id]))
        return [TopQuestion(e.faq_id, e.questions[0], counts[e.faq_id]) for e in ranked[:limit]]

    async def _recent_rows(self) -> list[tuple[str, list[list[object]]]]:
        async with self._db() as session:
            stmt = (
                select(QuestionLog.text, QuestionLog.top)
                .where(QuestionLog.band == "answer")
                .order_by(QuestionLog.id.desc())
                .limit(RECENT_ROWS)
            )
            return [(text, top or []) for text, top in (await session.execute(stmt)).all()]


def count_hits(
    entries: Iterable[FaqEntry], rows: Iterable[tuple[str, list[list[object]]]]
) -> Counter[str]:
    """How many logged questions each entry answered (by phrasing or as the top hit)."""
    by_phrase: dict[str, str] = {}
    ids: set[str] = set()
    for e in entries:
        ids.add(e.faq_id)
        for q in e.questions:
            by_phrase.setdefault(normalise(q), e.faq_id)
    counts: Counter[str] = Counter({faq_id: 0 for faq_id in ids})
    for text, top in rows:
        faq_id = by_phrase.get(normalise(text))
        if faq_id is None and top and top[0]:
            first = str(top[0][0])
            faq_id = first if first in ids else None
        if faq_id is not None:
            counts[faq_id] += 1
    return counts
