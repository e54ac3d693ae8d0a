"""Scores the answer service on the question set: recall, MRR, refusals, superseded citations.

Kept importable so the test suite can run a small slice with the real encoder and fail
when quality drops below a floor.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.answers import Answer, AnswerService, Band

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
# The question set was written against the sample knowledge base as it stood on this day:
# every gold document in force, the two repealed versions already replaced. Scoring on the
# real calendar would drift as sample policies expire (one did on 2025-12-31, another does
# on 2026-12-15), and the scores would change with nothing changed in the code.
BENCH_DAY = date(2025, 10, 1)
HOLDOUT_SHARE = 30  # percent of questions held out from tuning, chosen by a hash of the id


@dataclass(frozen=True, slots=True)
class Question:
    qid: str
    question: str
    kind: str
    gold_docs: tuple[str, ...]
    gold_sections: tuple[str, ...]
    oos: str | None = None
    origin: str = ""  # question file stem; "blind*" files were written without seeing the tuning

    @property
    def in_scope(self) -> bool:
        return self.kind != "oos"

    @property
    def split(self) -> str:
        h = int(hashlib.sha1(self.qid.encode()).hexdigest()[:8], 16) % 100
        return "holdout" if h < HOLDOUT_SHARE else "tune"


def load_questions(paths: Iterable[Path] | None = None) -> list[Question]:
    files = sorted(paths) if paths is not None else sorted(QUESTIONS_DIR.glob("*.jsonl"))
    out: list[Question] = []
    for f in files:
        for line in f.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            out.append(
                Question(
                    qid=d["id"],
                    question=d["question"],
                    kind=d["kind"],
                    gold_docs=tuple(d.get("gold_docs") or ()),
                    gold_sections=tuple(d.get("gold_sections") or ()),
                    oos=d.get("oos"),
                    origin=f.stem,
                )
            )
    return out


@dataclass
class Outcome:
    q: Question
    band: str
    ranked_sources: list[str]
    rank: int | None  # 1-based rank of the first gold doc among distinct ranked docs
    superseded_as_current: bool
    confidence: float
    latency_ms: float


def ranked_sources(answer: Answer) -> list[str]:
    """Distinct document sources in the order the service ranked them (FAQ → its document)."""
    out: list[str] = []
    for h in list(answer.hits) + list(answer.ranked):
        if h.source and h.source not in out:
            out.append(h.source)
    return out


def judge(q: Question, answer: Answer) -> Outcome:
    sources = ranked_sources(answer)
    if answer.notice is not None:
        # a question about a repealed/expired document, answered with the notice: it cites that one
        old = answer.notice.old_source
        if old and old not in sources:
            sources.insert(0, old)
    rank = None
    for i, s in enumerate(sources, 1):
        if s in q.gold_docs:
            rank = i
            break
    stale = (
        answer.band is Band.ANSWER
        and answer.notice is None
        and any(h.status != "current" for h in answer.hits if h.doc_id)
    )
    return Outcome(q, str(answer.band), sources, rank, stale, answer.confidence, answer.latency_ms)


def run(service: AnswerService, questions: Sequence[Question]) -> list[Outcome]:
    out = []
    for q in questions:
        lang = "en" if q.kind == "english" else "zh"
        out.append(judge(q, service.answer_sync(q.question, lang=lang)))
    return out


@dataclass
class Summary:
    n: int = 0
    r1: float = 0.0
    r3: float = 0.0
    r5: float = 0.0
    mrr: float = 0.0
    refused: float = 0.0  # share answered "none"
    suggested: float = 0.0
    answered: float = 0.0
    stale: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    s = Summary(n=len(outcomes))
    if not outcomes:
        return s
    n = len(outcomes)
    s.r1 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 1) / n
    s.r3 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 3) / n
    s.r5 = sum(1 for o in outcomes if o.rank is not None and o.rank <= 5) / n
    s.mrr = sum(1 / o.rank for o in outcomes if o.rank is not None and o.rank <= 10) / n
    s.refused = sum(1 for o in outcomes if o.band == "none") / n
    s.suggested = sum(1 for o in outcomes if o.band == "suggest") / n
    s.answered = sum(1 for o in outcomes if o.band == "answer") / n
    s.stale = sum(1 for o in outcomes if o.superseded_as_current)
    return s


def report(outcomes: Sequence[Outcome]) -> str:
    """A plain-text table: per kind, per split, and the refusal figures."""
    ins = [o for o in outcomes if o.q.in_scope]
    oos = [o for o in outcomes if not o.q.in_scope]
    rows: list[tuple[str, Summary]] = [("ALL in-scope", summarise(ins))]
    for split in ("tune", "holdout"):
        rows.append((f"  {split}", summarise([o for o in ins if o.q.split == split])))
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in ins:
        by_kind[o.q.kind].append(o)
    for kind in sorted(by_kind):
        rows.append((f"  kind={kind}", summarise(by_kind[kind])))
    lines = [
        f"{'slice':<20}{'n':>5}{'R@1':>7}{'R@3':>7}{'R@5':>7}{'MRR@10':>8}"
        f"{'none':>7}{'sugg':>7}{'ans':>7}{'stale':>7}"
    ]
    for name, s in rows:
        lines.append(
            f"{name:<20}{s.n:>5}{s.r1:>7.3f}{s.r3:>7.3f}{s.r5:>7.3f}{s.mrr:>8.3f}"
            f"{s.refused:>7.3f}{s.suggested:>7.3f}{s.answered:>7.3f}{s.stale:>7}"
        )
    so = summarise(oos)
    lines.append("")
    lines.append(
        f"out-of-scope: n={so.n}  refused(none)={so.refused:.3f}  suggest={so.suggested:.3f}  "
        f"answered={so.answered:.3f}"
    )
    for split in ("tune", "holdout"):
        sp = summarise([o for o in oos if o.q.split == split])
        lines.append(f"  {split}: n={sp.n} refused={sp.refused:.3f} answered={sp.answered:.3f}")
    for origin in sorted({o.q.origin for o in outcomes if o.q.origin.startswith("blind")}):
        sb = summarise([o for o in oos if o.q.origin == origin])
        lines.append(
            f"  {origin} (not tuned on when written): n={sb.n} refused={sb.refused:.3f} "
            f"answered={sb.answered:.3f}"
        )
    for origin in sorted({o.q.origin for o in outcomes if o.q.origin.startswith("blind")}):
        sb = summarise([o for o in ins if o.q.origin == origin])
        lines.append(
            f"{origin} in-scope: n={sb.n} R@1={sb.r1:.3f} R@3={sb.r3:.3f} "
            f"wrongly refused={sb.refused:.3f}"
        )
    si = summarise(ins)
    lines.append(
        f"in-scope wrongly refused (none): {si.refused:.3f}   in-scope not answered (none+suggest): "
        f"{si.refused + si.suggested:.3f}"
    )
    lines.append(f"superseded/expired cited as current: {si.stale + so.stale}")
    lat = sorted(o.latency_ms for o in outcomes)
    if lat:
        lines.append(
            f"latency ms: p50={lat[len(lat) // 2]:.1f} p95={lat[int(len(lat) * 0.95) - 1]:.1f}"
        )
    return "\n".join(lines)
