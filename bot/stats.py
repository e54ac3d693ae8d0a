"""Q&A and workflow statistics for a period: what /stats shows and `finbot stats` prints.

`StatsService.collect` reads the question log, the requests and the handoffs of a period
once and hands them to pure aggregation functions (tested without a database), which fill
one `QaStats`. The chart (`bot/charts.py`), the officers' text and the CLI's JSON are all
drawn from that one object, so they never disagree.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import BUREAU_TZ, Clock, iso_span, local_today
from bot.db.models import Handoff
from bot.learning import group_questions, missed_from_log
from bot.questions import QuestionLogService, QuestionView
from bot.requests import RequestService, RequestStats
from bot.sla import SlaPolicy
from bot.texts import Lang, t
from bot.titles import Titles
from bot.titles import titles_from as titles_from  # the wiring imports it from here
from bot.views import as_utc

DEFAULT_DAYS = 7
MAX_DAYS = 366
TOP_N = 5
BANDS = ("answer", "suggest", "none")
# reasons for a reply, not sources
NOT_A_DOCUMENT = (
    "scope:", "place:", "topic:", "intent:", "absent:", "elsewhere:", "unstated:",
    "unrewarded:",
)  # fmt: skip


# ---------------------------------------------------------------------------- the DTO
@dataclass(frozen=True)
class DayBands:
    """Questions of one bureau-local day by band."""

    day: date
    answer: int = 0
    suggest: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        return self.answer + self.suggest + self.none


@dataclass(frozen=True)
class Cited:
    """A document (section "" ) or one of its sections, and how many questions quoted it."""

    doc_id: str
    title: str
    section: str
    count: int


@dataclass(frozen=True)
class MissedTopic:
    """Similar questions the bot did not settle, as one gap: the commonest wording."""

    wording: str
    count: int


@dataclass(frozen=True)
class SlaFigures:
    """Requests and handoffs claimed within the unclaimed-SLA's working hours."""

    met: int = 0
    missed: int = 0
    pending: int = 0  # unclaimed, still inside the limit: neither met nor missed yet
    limit_hours: float = 0.0  # working hours allowed before a case counts as late

    @property
    def percent(self) -> float | None:
        judged = self.met + self.missed
        return None if judged == 0 else 100.0 * self.met / judged


@dataclass(frozen=True)
class HandoffFigures:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    ratings: dict[int, int] = field(default_factory=dict)  # 1..5 → how many

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def mean_rating(self) -> float | None:
        rated = self.rated
        return None if rated == 0 else sum(k * v for k, v in self.ratings.items()) / rated


@dataclass(frozen=True)
class QaStats:
    """Everything /stats reports for the inclusive local days [start, end]."""

    start: date
    end: date
    days: tuple[DayBands, ...]
    likes: int
    dislikes: int
    documents: tuple[Cited, ...]
    sections: tuple[Cited, ...]
    missed: tuple[MissedTopic, ...]
    requests: RequestStats
    sla: SlaFigures
    handoffs: HandoffFigures

    @property
    def questions(self) -> int:
        return sum(d.total for d in self.days)

    def band(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.days)

    @property
    def like_rate(self) -> float | None:
        """Share of 👍 among the answers that were rated."""
        rated = self.likes + self.dislikes
        return None if rated == 0 else 100.0 * self.likes / rated


# ---------------------------------------------------------------------------- periods
@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        return local_midnight(self.start), local_midnight(self.end + timedelta(days=1))


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, BUREAU_TZ).astimezone(UTC)


def last_days(days: int, today: date) -> Period:
    return Period(today - timedelta(days=days - 1), today)


def stats_period(args: Sequence[str], today: date) -> Period | None:
    """`[]` → the last 7 days; `N` → the last N days; `FROM TO` (ISO) → those days; else None."""
    if not args:
        return last_days(DEFAULT_DAYS, today)
    if len(args) == 1:
        return last_days(int(args[0]), today) if args[0].isdigit() and _fits(int(args[0])) else None
    span = iso_span(args[0], args[1]) if len(args) == 2 else None
    period = Period(*span) if span is not None else None
    return period if period is not None and _fits(period.days) else None


def _fits(days: int) -> bool:
    return 1 <= days <= MAX_DAYS


# ---------------------------------------------------------------------------- aggregation
def local_day(when: datetime) -> date:
    return as_utc(when).astimezone(BUREAU_TZ).date()


def bands_per_day(rows: Iterable[QuestionView], period: Period) -> tuple[DayBands, ...]:
    """One entry per day of the period (empty days too, so the chart's axis is continuous)."""
    counts: Counter[tuple[date, str]] = Counter(
        (local_day(r.created_at), r.band) for r in rows if r.band in BANDS
    )
    out = []
    for n in range(period.days):
        day = period.start + timedelta(days=n)
        out.append(DayBands(day, *(counts[(day, band)] for band in BANDS)))
    return tuple(out)


def feedback_counts(rows: Iterable[QuestionView]) -> tuple[int, int]:
    """(👍, 👎) given in the period."""
    votes = Counter(r.feedback for r in rows if r.feedback is not None)
    return votes[1], votes[-1]


def cited_entries(row: QuestionView) -> list[tuple[str, str]]:
    """(document id, section) of each passage an answer quoted, in quote order.

    Read from `cited`; a row logged before citations were kept (`cited` None) counts the
    first entry of its ranking, without a section.
    """
    if row.band != "answer":
        return []
    if row.cited is not None:
        quoted = [(str(e[0]), str(e[3]) if len(e) > 3 else "") for e in row.cited if e and e[0]]
    elif row.top and row.top[0]:
        quoted = [(str(row.top[0][0]), "")]
    else:
        quoted = []
    return [(doc, section) for doc, section in quoted if not doc.startswith(NOT_A_DOCUMENT)]


def citations(
    rows: Iterable[QuestionView], titles: Titles, limit: int = TOP_N
) -> tuple[tuple[Cited, ...], tuple[Cited, ...]]:
    """The most-quoted documents and sections; each counted once per question."""
    docs: Counter[str] = Counter()
    sections: Counter[tuple[str, str]] = Counter()
    for row in rows:
        quoted = cited_entries(row)
        docs.update({doc for doc, _ in quoted})
        sections.update({(doc, sec) for doc, sec in quoted if sec})

    def title(doc: str) -> str:
        return titles(doc) or doc

    top_docs = sorted(docs.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    top_secs = sorted(sections.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return (
        tuple(Cited(d, title(d), "", n) for d, n in top_docs),
        tuple(Cited(d, title(d), s, n) for (d, s), n in top_secs),
    )


def missed_topics(
    rows: Sequence[QuestionView],
    handoff_starts: Sequence[tuple[int, datetime]] = (),
    limit: int = TOP_N,
) -> tuple[MissedTopic, ...]:
    """The commonest gaps: missed questions (none, 👎, ended in a handoff) grouped by wording."""
    groups = group_questions(missed_from_log(rows, handoff_starts))
    return tuple(MissedTopic(g.wording, g.count) for g in groups[:limit])


def sla_figures(
    cases: Iterable[tuple[datetime, datetime | None]], policy: SlaPolicy, now: datetime
) -> SlaFigures:
    """(created, claimed) pairs judged against the unclaimed limit in working time."""
    met = missed = pending = 0
    for created, claimed in cases:
        due = policy.calendar.add(as_utc(created), policy.unclaimed_seconds)
        if claimed is not None:
            met, missed = (met + 1, missed) if as_utc(claimed) <= due else (met, missed + 1)
        elif due <= now:
            missed += 1
        else:
            pending += 1
    return SlaFigures(met, missed, pending, policy.unclaimed_seconds / 3600)


def handoff_figures(cases: Iterable[tuple[str, int | None]]) -> HandoffFigures:
    """(status, rating) of the period's handoffs."""
    by_status: Counter[str] = Counter()
    ratings: Counter[int] = Counter()
    for status, rating in cases:
        by_status[status] += 1
        if rating is not None:
            ratings[rating] += 1
    return HandoffFigures(sum(by_status.values()), dict(by_status), dict(sorted(ratings.items())))


# ---------------------------------------------------------------------------- the service
@dataclass(frozen=True)
class _HandoffRow:
    user_id: int
    status: str
    rating: int | None
    created_at: datetime
    claimed_at: datetime | None


class StatsService:
    def __init__(
        self,
        db: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        questions: QuestionLogService,
        requests: RequestService,
        policy: SlaPolicy,
        titles: Titles,
    ) -> None:
        self._db = db
        self._clock = clock
        self._questions = questions
        self._requests = requests
        self._policy = policy
        self._titles = titles

    def period(self, args: Sequence[str]) -> Period | None:
        return stats_period(args, local_today(self._clock))

    async def collect(self, period: Period) -> QaStats:
        """Read the period once, then aggregate in a worker thread: grouping a year's missed
        questions by wording is CPU work that must not stall the other chats."""
        start, end = period.utc_bounds()
        rows = await self._questions.between(start, end)
        requests = await self._requests.between(start, end)
        handoffs = await self._handoffs(start, end)
        request_stats = await self._requests.stats(start, end)
        cases = [(r.created_at, r.claimed_at) for r in requests]
        cases += [(h.created_at, h.claimed_at) for h in handoffs]
        return await asyncio.to_thread(
            self._aggregate, period, rows, handoffs, cases, request_stats, self._clock.now()
        )

    def _aggregate(
        self,
        period: Period,
        rows: Sequence[QuestionView],
        handoffs: Sequence[_HandoffRow],
        cases: Sequence[tuple[datetime, datetime | None]],
        requests: RequestStats,
        now: datetime,
    ) -> QaStats:
        likes, dislikes = feedback_counts(rows)
        documents, sections = citations(rows, self._titles)
        return QaStats(
            start=period.start, end=period.end, days=bands_per_day(rows, period),
            likes=likes, dislikes=dislikes, documents=documents, sections=sections,
            missed=missed_topics(rows, [(h.user_id, h.created_at) for h in handoffs]),
            requests=requests, sla=sla_figures(cases, self._policy, now),
            handoffs=handoff_figures((h.status, h.rating) for h in handoffs),
        )  # fmt: skip

    async def _handoffs(self, start: datetime, end: datetime) -> list[_HandoffRow]:
        stmt = select(
            Handoff.user_id, Handoff.status, Handoff.rating, Handoff.created_at, Handoff.claimed_at
        ).where(Handoff.created_at >= start, Handoff.created_at < end)
        async with self._db() as session:
            found = (await session.execute(stmt)).all()
        return [
            _HandoffRow(int(u), s, r, as_utc(c), as_utc(cl) if cl else None)
            for u, s, r, c, cl in found
        ]


# ---------------------------------------------------------------------------- words
def as_json(stats: QaStats) -> dict[str, Any]:
    """The figures as plain JSON (what `finbot stats --json` prints)."""
    data = asdict(stats)
    data["start"], data["end"] = stats.start.isoformat(), stats.end.isoformat()
    data["days"] = [{**asdict(d), "day": d.day.isoformat(), "total": d.total} for d in stats.days]
    data["questions"] = stats.questions
    data["bands"] = {band: stats.band(band) for band in BANDS}
    data["like_rate"] = _round(stats.like_rate)
    data["sla"]["percent"] = _round(stats.sla.percent)
    data["handoffs"]["rated"] = stats.handoffs.rated
    data["handoffs"]["mean_rating"] = _round(stats.handoffs.mean_rating)
    return data


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def duration_text(seconds: float | None, lang: Lang) -> str:
    """Hours under two days, days beyond ("无" for none)."""
    if seconds is None:
        return t("officer.none", lang)
    hours = seconds / 3600
    if hours < 48:
        return f"{hours:.1f} 小时" if lang == "zh" else f"{hours:.1f} h"
    return f"{hours / 24:.1f} 天" if lang == "zh" else f"{hours / 24:.1f} days"


def percent_text(value: float | None, lang: Lang) -> str:
    return t("officer.none", lang) if value is None else f"{value:.0f}%"


def summary_text(stats: QaStats, lang: Lang) -> str:
    """The plain-text summary beside the chart (the renderer escapes it)."""
    sep = "，" if lang == "zh" else ", "
    none = t("officer.none", lang)

    def counts(values: dict[str, int], key: str) -> str:
        items = sorted(values.items())
        return sep.join(f"{t(f'{key}.{k}', lang)} {v}" for k, v in items) or none

    req, sla, ho = stats.requests, stats.sla, stats.handoffs
    documents = sep.join(
        f"{n}.{_cite_label(c, lang)} {c.count}" for n, c in enumerate(stats.documents, 1)
    )  # numbered as the chart's bars
    sections = sep.join(f"{_cite_label(c, lang)} {c.count}" for c in stats.sections)
    return t(
        "stats.summary", lang, start=stats.start.isoformat(), end=stats.end.isoformat(),
        days=(stats.end - stats.start).days + 1, questions=stats.questions,
        answered=stats.band("answer"), suggested=stats.band("suggest"),
        declined=stats.band("none"), likes=stats.likes, dislikes=stats.dislikes,
        like_rate=percent_text(stats.like_rate, lang), documents=documents or none,
        sections=sections or none,
        missed=sep.join(f"{_short(m.wording)} ×{m.count}" for m in stats.missed) or none,
        total=req.total, by_status=counts(req.by_status, "req.status"),
        by_type=counts(req.by_type, "form.type"),
        claim=duration_text(req.median_claim_seconds, lang),
        close=duration_text(req.median_close_seconds, lang),
        sla_hours=f"{sla.limit_hours:g}", sla_met=sla.met, sla_judged=sla.met + sla.missed, sla=percent_text(sla.percent, lang),
        handoffs=ho.total, rated=ho.rated,
        rating=none if ho.mean_rating is None else f"{ho.mean_rating:.1f}",
    )  # fmt: skip


def _short(text: str, limit: int = 40) -> str:
    """A missed question's wording can be a paragraph; the summary keeps to one line each."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cite_label(cited: Cited, lang: Lang) -> str:
    name = f"《{cited.title}》" if lang == "zh" else f"“{cited.title}”"
    return f"{name}{cited.section}"
