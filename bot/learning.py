"""The learning loop without Telegram: what the bot failed to answer, and FAQ entries from people.

Officers read the week's misses grouped by wording (the same question typed ten ways
is one gap in the knowledge base, not ten), then turn an officer's answer into an FAQ
entry that the next search already finds. Writing an entry is a short draft (question
wording → answer → optional document section) kept as a durable flow, so the person who
knows the answer confirms exactly what entrepreneurs will be told.
"""

from __future__ import annotations

import asyncio
import itertools
import unicodedata
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.answers import AnswerService, ChatIntent
from bot.audit import AuditService
from bot.clock import Clock
from bot.db.models import Handoff
from bot.feedback import UNSTATED
from bot.flows import FlowStore
from bot.handoff import HandoffService
from bot.knowledge_base import KnowledgeBase
from bot.questions import QuestionLogService, first_citation
from bot.texts import Lang
from bot.titles import Titles, no_titles, titles_from
from index.entries import FaqEntry

SIMILARITY = 0.5  # char-bigram Jaccard at which two wordings count as the same question
HANDOFF_WINDOW = timedelta(minutes=30)  # a question this long before a handoff "ended in" it

# Reasons a question is listed, in the order officers care about them.
REASON_NONE = "none"
REASON_DISLIKE = "dislike"
REASON_HANDOFF = "handoff"
FINANCING_NEED = f"intent:{ChatIntent.FINANCING}"

_FILLERS = ("请问", "一下", "你好", "您好")
_PARTICLES = frozenset("的了吗呢吧啊呀么哦嘛")

HandoffStarts = Callable[[datetime, datetime], Awaitable[Sequence[tuple[int, datetime]]]]

FAQ_DRAFT = "faq_draft"  # the flow's kind
ASK_QUESTION, ASK_ANSWER, ASK_LINK = "question", "answer", "link"
MAX_LINKS = 3
MAX_GROUP_TOKENS = 10_000


class LoggedQuestion(Protocol):
    """A row of the question log as the grouping reads it."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def user_id(self) -> int: ...
    @property
    def band(self) -> str: ...
    @property
    def feedback(self) -> int | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def top(self) -> list[list[object]] | None: ...


class RatedQuestion(LoggedQuestion, Protocol):
    """A row of the question log as the 👎 report reads it."""

    @property
    def feedback_reason(self) -> str | None: ...
    @property
    def feedback_note(self) -> str | None: ...
    @property
    def cited(self) -> list[list[object]] | None: ...


@dataclass(frozen=True, slots=True)
class DislikedArticle:
    """👎 for one reason on answers citing one article first."""

    reason: str
    doc_id: str | None
    title: str | None
    section: str | None
    count: int
    notes: tuple[str, ...] = ()  # the masked free texts of "other", newest first


@dataclass(frozen=True, slots=True)
class DislikeReport:
    """The week's 👎, counted by reason and by (cited article, reason)."""

    by_reason: tuple[tuple[str, int], ...] = ()
    by_article: tuple[DislikedArticle, ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _r, n in self.by_reason)


@dataclass(frozen=True)
class Draft:
    """An FAQ entry being written: new (faq_id None) or an edit of an existing one."""

    step: str
    question: str
    answer: str = ""
    faq_id: str | None = None
    extra_questions: tuple[str, ...] = ()
    links: tuple[tuple[str, str, str], ...] = ()  # (source, section, label) to choose from


@dataclass(frozen=True, slots=True)
class MissedQuestion:
    """One logged question the bot did not settle."""

    text: str
    user_id: int
    asked_at: datetime
    reason: str
    question_id: int | None = None


@dataclass
class QuestionGroup:
    """Similar wordings of one gap; `wording` is the most common form, offered as the FAQ question."""

    wording: str
    texts: list[str] = field(default_factory=list)
    reasons: set[str] = field(default_factory=set)
    question_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.texts)


def normalise(text: str) -> str:
    """Width, case, spaces, punctuation and modal particles do not make a different question."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for filler in _FILLERS:
        folded = folded.replace(filler, "")
    return "".join(
        ch
        for ch in folded
        if not ch.isspace()
        and not unicodedata.category(ch).startswith(("P", "S"))
        and ch not in _PARTICLES
    )


def bigrams(text: str) -> frozenset[str]:
    norm = normalise(text)
    if len(norm) < 2:
        return frozenset({norm}) if norm else frozenset()
    return frozenset(norm[i : i + 2] for i in range(len(norm) - 1))


def similarity(a: str, b: str) -> float:
    """Char-bigram Jaccard: robust to Chinese word order and particles without a tokenizer."""
    if normalise(a) == normalise(b):
        return 1.0
    sa, sb = bigrams(a), bigrams(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def group_questions(
    items: Iterable[MissedQuestion], threshold: float = SIMILARITY
) -> list[QuestionGroup]:
    """Greedy single pass: each question joins the first group whose any wording is similar.

    Most frequent groups first, ties broken by wording so the list is stable between runs.
    Only groups sharing a bigram can reach a positive threshold, and a wording already in a
    group adds nothing to its test, so a year of misses (/stats 365) groups in seconds.
    """
    groups: list[QuestionGroup] = []
    members: list[list[frozenset[str]]] = []
    seen: list[set[frozenset[str]]] = []
    by_gram: dict[str, set[int]] = {}
    for item in items:
        grams = bigrams(item.text)
        if not grams:
            continue
        candidates = (
            sorted(set().union(*(by_gram.get(g, set()) for g in grams)))
            if threshold > 0
            else range(len(groups))
        )
        target = next(
            (gi for gi in candidates if any(_jaccard(grams, m) >= threshold for m in members[gi])),
            None,
        )
        if target is None:
            groups.append(QuestionGroup(wording=item.text.strip()))
            members.append([])
            seen.append(set())
            target = len(groups) - 1
        group = groups[target]
        group.texts.append(item.text.strip())
        group.reasons.add(item.reason)
        if item.question_id is not None:
            group.question_ids.append(item.question_id)
        if grams not in seen[target]:
            seen[target].add(grams)
            members[target].append(grams)
            for gram in grams:
                by_gram.setdefault(gram, set()).add(target)
    for group in groups:
        group.wording = _most_common(group.texts)
    return sorted(groups, key=lambda g: (-g.count, g.wording))


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _most_common(texts: Sequence[str]) -> str:
    counts: dict[str, int] = {}
    for text in texts:
        counts[text] = counts.get(text, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], len(t), t))[0]


def missed_from_log(
    rows: Iterable[LoggedQuestion], handoffs: Sequence[tuple[int, datetime]] = ()
) -> list[MissedQuestion]:
    """Rows of the question log that got `none`, a 👎, or were the last question before a handoff."""
    rows = list(rows)
    ended_in_handoff = _handoff_question_ids(rows, handoffs)
    out: list[MissedQuestion] = []
    for row in rows:
        if row.band == REASON_NONE and _small_talk(row):
            continue
        if row.band == REASON_NONE:
            reason = REASON_NONE
        elif row.feedback is not None and row.feedback < 0:
            reason = REASON_DISLIKE
        elif row.id in ended_in_handoff:
            reason = REASON_HANDOFF
        else:
            continue
        out.append(MissedQuestion(row.text, row.user_id, _aware(row.created_at), reason, row.id))
    return out


def _small_talk(row: LoggedQuestion) -> bool:
    """A greeting, thanks or "ok" (`bot.answers.intents`): no question went unanswered. A bare
    financing need ("我想贷款500万") is listed: it is a lead for the officers."""
    first = row.top[0][0] if row.top else None
    return isinstance(first, str) and first.startswith("intent:") and first != FINANCING_NEED


def dislikes_from_log(rows: Iterable[RatedQuestion], titles: Titles = no_titles) -> DislikeReport:
    """Every 👎 counted by its reason, and by the article its answer cited first with that
    reason, so one outdated article is one line with its count. Most frequent first.

    `titles` names the document (its current title; the id when it has none)."""
    by_reason: dict[str, int] = {}
    articles: dict[tuple[str | None, str | None, str], list[RatedQuestion]] = {}
    for row in rows:
        if row.feedback is None or row.feedback >= 0:
            continue
        reason = row.feedback_reason or UNSTATED
        by_reason[reason] = by_reason.get(reason, 0) + 1
        doc_id, section = first_citation(row) or (None, None)
        articles.setdefault((doc_id, section, reason), []).append(row)

    def title(doc_id: str | None) -> str | None:
        return (titles(doc_id) or doc_id) if doc_id else None

    lines = [
        DislikedArticle(reason, doc_id, title(doc_id), section, len(group), _notes(group))
        for (doc_id, section, reason), group in articles.items()
    ]
    lines.sort(key=lambda a: (-a.count, a.doc_id is None, a.title or "", a.section or "", a.reason))
    ranked = sorted(by_reason.items(), key=lambda item: (-item[1], item[0]))
    return DislikeReport(tuple(ranked), tuple(lines))


def _notes(rows: Iterable[RatedQuestion]) -> tuple[str, ...]:
    """The free texts of "other", newest first."""
    return tuple(r.feedback_note for r in sorted(rows, key=lambda r: -r.id) if r.feedback_note)


def _handoff_question_ids(
    rows: Sequence[LoggedQuestion], handoffs: Sequence[tuple[int, datetime]]
) -> set[int]:
    """For each handoff, the user's last question in the window before it."""
    found: set[int] = set()
    for user_id, started in handoffs:
        started = _aware(started)
        before = [
            r
            for r in rows
            if r.user_id == user_id and started - HANDOFF_WINDOW <= _aware(r.created_at) <= started
        ]
        if before:
            found.add(max(before, key=lambda r: (_aware(r.created_at), r.id)).id)
    return found


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes for timezone columns; they were stored as UTC."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class LearningService:
    """Unanswered questions and FAQ changes, each change audited with who and when."""

    def __init__(
        self,
        questions: QuestionLogService,
        kb: KnowledgeBase,
        audit: AuditService,
        clock: Clock,
        handoff_starts: HandoffStarts | None = None,
        *,
        answers: AnswerService | None = None,
        flows: FlowStore | None = None,
        handoffs: HandoffService | None = None,
    ) -> None:
        self._questions = questions
        self._kb = kb
        self._audit = audit
        self._clock = clock
        self._handoff_starts = handoff_starts
        self._answers = answers
        self._flows = flows
        self._handoffs = handoffs
        self._groups: OrderedDict[str, str] = OrderedDict()  # button token → wording
        self._tokens = itertools.count(1)

    def remember(self, wording: str) -> str:
        """A short token for a listed group's wording (its 保存为问答 button carries it)."""
        token = format(next(self._tokens), "x")
        self._groups[token] = wording
        while len(self._groups) > MAX_GROUP_TOKENS:
            self._groups.popitem(last=False)
        return token

    # ------------------------------------------------------------------ drafts
    def draft(self, user_id: int | None, chat_id: int | None = None) -> Draft | None:
        """The user's FAQ draft (in that chat, when given)."""
        flow = self._flows.get(FAQ_DRAFT, user_id) if self._flows and user_id else None
        if flow is None or (chat_id is not None and flow.chat_id != chat_id):
            return None
        return _draft_of(flow.step, flow.data)

    async def draft_from_group(self, user_id: int, chat_id: int, token: str) -> Draft | None:
        wording = self._groups.get(token)
        if wording is None:
            return None
        return await self._put(user_id, chat_id, Draft(ASK_QUESTION, wording))

    async def draft_from_faq(self, user_id: int, chat_id: int, faq_id: str) -> Draft | None:
        entry = self.get_faq(faq_id)
        if entry is None:
            return None
        draft = Draft(ASK_QUESTION, entry.questions[0], entry.answer, entry.faq_id,
                      tuple(entry.questions[1:]))  # fmt: skip
        return await self._put(user_id, chat_id, draft)

    async def draft_from_handoff(self, user_id: int, chat_id: int, handoff_id: int) -> Draft | None:
        """The case's first user line as the question, the officers' replies as the answer."""
        lines = await self._handoffs.transcript(handoff_id) if self._handoffs else []
        question, answer = qa_from_transcript(lines)
        if not question:
            return None
        return await self._put(user_id, chat_id, Draft(ASK_QUESTION, question, answer))

    async def set_question(self, user_id: int, text: str | None) -> Draft | None:
        """The wording typed (None: keep the proposed one); next, the answer."""
        draft = self.draft(user_id)
        if draft is None or draft.step != ASK_QUESTION:
            return None
        question = draft.question if text is None else text.strip()
        return await self._put(user_id, None, replace(draft, step=ASK_ANSWER, question=question))

    async def set_answer(self, user_id: int, text: str | None, lang: Lang) -> Draft | None:
        """The answer typed (None: keep it); next, the sections the search finds for it."""
        draft = self.draft(user_id)
        if draft is None or draft.step != ASK_ANSWER:
            return None
        answer = draft.answer if text is None else text.strip()
        links = await self._links(draft.question, lang)
        return await self._put(user_id, None, replace(draft, step=ASK_LINK, answer=answer,
                                                       links=links))  # fmt: skip

    async def finish(self, user_id: int, choice: str, actor_id: int | None) -> FaqEntry | None:
        """Save the entry with the chosen section (or none); the draft ends."""
        draft = self.draft(user_id)
        if draft is None or draft.step != ASK_LINK:
            return None
        source = section = None
        if choice.isdigit() and int(choice) < len(draft.links):
            source, section, _label = draft.links[int(choice)]
        entry = await self.save_faq(
            questions=[draft.question, *draft.extra_questions], answer=draft.answer,
            actor_id=actor_id, source=source, section=section or None, faq_id=draft.faq_id,
        )  # fmt: skip
        await self.cancel_draft(user_id)
        return entry

    async def cancel_draft(self, user_id: int) -> bool:
        return self._flows is not None and await self._flows.end(FAQ_DRAFT, user_id)

    async def _links(self, question: str, lang: Lang) -> tuple[tuple[str, str, str], ...]:
        if self._answers is None:
            return ()
        found = await self._answers.answer(question, lang=lang)
        links: list[tuple[str, str, str]] = []
        for hit in (*found.hits, *found.ranked):
            if hit.kind != "chunk" or not hit.source or hit.status != "current":
                continue
            link = (hit.source, hit.section, f"《{hit.title}》{hit.section}")
            if link not in links:
                links.append(link)
            if len(links) == MAX_LINKS:
                break
        return tuple(links)

    async def _put(self, user_id: int, chat_id: int | None, draft: Draft) -> Draft:
        if self._flows is None:
            raise RuntimeError("FAQ drafts need a flow store")
        if chat_id is None:
            current = self._flows.get(FAQ_DRAFT, user_id)
            chat_id = current.chat_id if current is not None else user_id
        data = {
            "question": draft.question, "answer": draft.answer, "faq_id": draft.faq_id,
            "extra_questions": list(draft.extra_questions),
            "links": [list(link) for link in draft.links],
        }  # fmt: skip
        await self._flows.put(FAQ_DRAFT, user_id, chat_id, draft.step, data)
        return draft

    async def unanswered(self, days: int = 7) -> list[QuestionGroup]:
        end = self._clock.now() + timedelta(seconds=1)
        start = end - timedelta(days=days)
        rows = await self._questions.between(start, end)
        handoffs: Sequence[tuple[int, datetime]] = ()
        if self._handoff_starts is not None:
            handoffs = await self._handoff_starts(start, end)
        return group_questions(missed_from_log(rows, handoffs))

    async def dislikes(self, days: int = 7) -> DislikeReport:
        """The 👎 of the last `days` days by reason and by cited article."""
        end = self._clock.now() + timedelta(seconds=1)
        rows = await self._questions.between(end - timedelta(days=days), end)
        return dislikes_from_log(rows, titles_from(self._kb))

    async def save_faq(
        self,
        *,
        questions: Sequence[str],
        answer: str,
        actor_id: int | None,
        source: str | None = None,
        section: str | None = None,
        faq_id: str | None = None,
        prefix: str = "learned",
    ) -> FaqEntry:
        """Create (or, with `faq_id`, replace) an entry; searchable as soon as this returns."""
        wordings = tuple(dict.fromkeys(q.strip() for q in questions if q.strip()))
        if not wordings or not answer.strip():
            raise ValueError("an FAQ entry needs a question and an answer")
        is_new = faq_id is None
        entry_id = (
            faq_id if faq_id is not None else await asyncio.to_thread(self._kb.next_faq_id, prefix)
        )
        entry = FaqEntry(
            faq_id=entry_id,
            questions=wordings,
            answer=answer.strip(),
            source=source,
            section=section,
            created_by=str(actor_id) if actor_id is not None else None,
        )
        await asyncio.to_thread(self._kb.put_faqs, [entry])
        stored = next((f for f in self._kb.faqs() if f.faq_id == entry_id), entry)
        await self._audit.record(
            actor_id,
            "faq.add" if is_new else "faq.edit",
            entry_id,
            question=wordings[0],
            source=source,
            section=section,
        )
        return stored

    async def remove_faq(self, faq_id: str, actor_id: int | None) -> bool:
        removed = await asyncio.to_thread(self._kb.remove_faq, faq_id)
        if removed:
            await self._audit.record(actor_id, "faq.remove", faq_id)
        return removed

    def get_faq(self, faq_id: str) -> FaqEntry | None:
        return self._kb.store.snapshot().faqs.get(faq_id)

    def faqs(self) -> list[FaqEntry]:
        return self._kb.faqs()


def handoff_starts_from(db: async_sessionmaker[AsyncSession]) -> HandoffStarts:
    """When each handoff began, per user: a question just before one 'ended in a handoff'."""

    async def _starts(start: datetime, end: datetime) -> Sequence[tuple[int, datetime]]:
        stmt = select(Handoff.user_id, Handoff.created_at).where(
            Handoff.created_at >= start, Handoff.created_at < end
        )
        async with db() as session:
            rows = (await session.execute(stmt)).all()
        return [(int(user_id), _aware(created)) for user_id, created in rows]

    return _starts


def qa_from_transcript(lines: Iterable[object]) -> tuple[str, str]:
    """(question, answer) of a handoff: the user's first text, the officers' replies joined.

    Lines are duck-typed `TranscriptLine`s (direction, kind, text) so this module does not
    depend on the handoff service.
    """
    question = ""
    answers: list[str] = []
    for line in lines:
        text = str(getattr(line, "text", "") or "").strip()
        if not text or getattr(line, "kind", "text") != "text":
            continue
        direction = getattr(line, "direction", "")
        if direction == "user" and not question:
            question = text
        elif direction == "officer":
            answers.append(text)
    return question, "\n".join(answers)


def _draft_of(step: str, data: dict[str, Any]) -> Draft:
    return Draft(
        step=step,
        question=str(data.get("question", "")),
        answer=str(data.get("answer", "")),
        faq_id=data.get("faq_id"),
        extra_questions=tuple(data.get("extra_questions", ())),
        links=tuple((str(a), str(b), str(c)) for a, b, c in data.get("links", ())),
    )
