"""Scores the answer service on the question set: recall, MRR, refusals, superseded citations.

Kept importable so the test suite can run a small slice with the real encoder and fail
when quality drops below a floor.
"""

from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.answers import Answer, AnswerService, Band, Hit
from bot.texts import Lang
from knowledge.models import DocStatus

QUESTIONS_DIR = Path(__file__).resolve().parent / "questions"
# The question set was written against the sample knowledge base as it stood on this day:
# every gold document in force, the two repealed versions already replaced. Scoring on the
# real calendar would drift as sample policies expire (one did on 2025-12-31, another does
# on 2026-12-15), and the scores would change with nothing changed in the code.
BENCH_DAY = date(2025, 10, 1)
HOLDOUT_SHARE = 30  # percent of questions held out from tuning, chosen by a hash of the id


@dataclass(frozen=True, slots=True)
class Part:
    """One of the things a two-part question asks, with where its answer is."""

    gold_docs: tuple[str, ...]
    gold_sections: tuple[str, ...]
    gold_text: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    qid: str
    question: str
    kind: str
    gold_docs: tuple[str, ...]
    gold_sections: tuple[str, ...]
    oos: str | None = None
    origin: str = ""  # question file stem; "blind*" files were written without seeing the tuning
    parts: tuple[Part, ...] = ()
    # a short piece of each gold document's text, written once in it, from the sentence that
    # holds the answer (sets written from session 53): where one document holds many
    # measures (a 政策汇编), the document and its label "第五条" do not say which is quoted
    gold_text: tuple[str, ...] = ()

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
                    parts=tuple(
                        Part(
                            tuple(p.get("gold_docs") or ()),
                            tuple(p.get("gold_sections") or ()),
                            tuple(p.get("gold_text") or ()),
                        )
                        for p in d.get("parts") or ()
                    ),
                    gold_text=tuple(d.get("gold_text") or ()),
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
    section_hit: bool = False  # the first quoted passage is a gold section of a gold document
    parts_quoted: int = 0  # two-part questions: parts whose gold section is among the quotes
    # the first quote holds a gold label at the start of one of its lines: an item "（三）"
    # quoted inside its whole section "二、支持措施" counts here, not in `section_hit`
    section_in_quote: bool = False
    # two-part questions: parts whose gold section is quoted or held at a line start of a
    # quote of its document ("二、降低应收账款融资成本" quoted whole, holding "1. 中小微企业…")
    parts_in_quote: int = 0
    # the reply says a gold document (in force on the set's day) is no longer in force
    in_force_retired: bool = False
    # the reply only says the document asked about is no longer in force and nothing
    # replaces it, quoting no rule in force: an out-of-scope question on an expired measure
    # answered so is counted as answered, and shown apart (`report`)
    lapsed_only: bool = False
    # the reply quotes only a measure that takes effect after the set's day, under the notice
    # that it does (a new measure with no rule before it): an out-of-scope question on it
    # answered so is counted as answered, and shown apart (`report`)
    announced_only: bool = False
    # sets with `gold_text`: the first quote writes a gold text of its document
    text_hit: bool = False
    # … and two-part questions: parts whose gold text some quote writes
    parts_text: int = 0


def ranked_sources(answer: Answer) -> list[str]:
    """Distinct document sources in the order the service ranked them (FAQ → its document)."""
    return list(dict.fromkeys(source for sources in _ranked_groups(answer) for source in sources))


def _ranked_groups(answer: Answer) -> list[list[str]]:
    """The sources each ranked hit cites: its document, and the amending decisions whose
    changes its quote applies ("已按《关于修改…的决定》修改": the decision's new figure is what
    the reader sees, so a question on it is answered at that hit's rank)."""
    return [
        [s for s in (h.source, *(a.by_source for a in h.amended)) if s]
        for h in list(answer.hits) + list(answer.ranked)
    ]


def judge(q: Question, answer: Answer, not_in_force: frozenset[str] = frozenset()) -> Outcome:
    sources = ranked_sources(answer)
    replacement: str | None = None
    retired = False
    if answer.notice is not None:
        # a question about a repealed/expired document, answered with the notice: it cites that
        # one and, first, the document that replaced it ("《X》已废止，现行为《Y》" + Y's text);
        # either is the answer (sets differ on which they name as gold). A gold document its
        # writers list as in force on the set's day (MANIFEST.md: every one not in
        # `not_in_force`, where they gave that list) is no answer when the notice calls it
        # repealed or expired (it counted as one until session 31). Older sets also ask
        # about expired documents, with those as gold: there the notice is the answer.
        old = answer.notice.old_source
        retired = bool(not_in_force) and old in q.gold_docs and old not in not_in_force
        if answer.notice.new_doc_id is not None and answer.hits:
            replacement = answer.hits[0].source
        if old and old not in sources and not retired:
            sources.insert(0, old)
    rank = None
    for i, s in enumerate(sources, 1):
        if s in q.gold_docs:
            rank = 1 if s == replacement and i == 2 else _rank_of(answer, s, i)
            break
    stale = (
        answer.band is Band.ANSWER
        and answer.notice is None
        and any(h.status != "current" or h.source in not_in_force for h in answer.hits if h.doc_id)
    )
    quoted = [h for h in answer.hits if h.kind == "chunk"] if answer.band is Band.ANSWER else []
    section_hit = bool(quoted) and _covers(quoted[0], q.gold_docs, q.gold_sections)
    covered = [any(_covers(h, p.gold_docs, p.gold_sections) for h in quoted) for p in q.parts]
    held = [
        c or any(_holds(h, p.gold_docs, p.gold_sections) for h in quoted)
        for c, p in zip(covered, q.parts, strict=True)
    ]
    in_quote = section_hit or (bool(quoted) and _holds(quoted[0], q.gold_docs, q.gold_sections))
    lapsed_only = (
        answer.notice is not None
        and answer.notice.status in (DocStatus.EXPIRED, DocStatus.SUPERSEDED)
        and answer.notice.new_doc_id is None
        and not any(h.status == DocStatus.CURRENT for h in answer.hits)
    )
    announced_only = (
        answer.notice is not None
        and answer.notice.effective is not None
        and bool(quoted)
        and all(h.source == answer.notice.old_source for h in quoted)
    )
    text_hit = bool(quoted) and _writes(quoted[0], q.gold_docs, q.gold_text)
    parts_text = sum(any(_writes(h, p.gold_docs, p.gold_text) for h in quoted) for p in q.parts)
    return Outcome(
        q, str(answer.band), sources, rank, stale, answer.confidence, answer.latency_ms,
        section_hit, sum(covered), in_quote, sum(held), retired, lapsed_only, announced_only,
        text_hit, parts_text,
    )  # fmt: skip


def _rank_of(answer: Answer, source: str, position: int) -> int:
    """A source's rank: its position among the sources, or, when a quote applies its changes
    (an amending decision), the rank of the document that quote is from, if better."""
    primaries: list[str] = []
    for sources in _ranked_groups(answer):
        if sources and sources[0] not in primaries:
            primaries.append(sources[0])
        if source in sources[1:]:
            return min(position, primaries.index(sources[0]) + 1)
    return position


def _holds(hit: Hit, docs: Sequence[str], sections: Sequence[str]) -> bool:
    """A line of the quoted passage opens with a gold label ("（三）并购落地奖励。…" further
    down the "二、支持措施" passage)."""
    if hit.source not in docs:
        return False
    # labels keep their punctuation here: "（三）" is not "三、"
    lines = [unicodedata.normalize("NFKC", line).strip() for line in hit.text.split("\n")]
    labels = [unicodedata.normalize("NFKC", s).strip() for s in sections if s.strip()]
    return any(line.startswith(label) for line in lines for label in labels)


def _writes(hit: Hit, docs: Sequence[str], texts: Sequence[str]) -> bool:
    """The quoted passage writes the gold text given for its document (NFKC, without spaces
    and line breaks: a PDF's extracted lines break anywhere)."""
    passage = _squeeze(hit.text)
    return any(
        source == hit.source and bool(_squeeze(text)) and _squeeze(text) in passage
        for source, text in zip(docs, texts, strict=False)
    )


def _squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _norm(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _covers(hit: Hit, docs: Sequence[str], sections: Sequence[str]) -> bool:
    """The hit quotes one of the gold sections (labels are compared without punctuation;
    a gold label may name the article alone, "第十条", or an item inside a section)."""
    if hit.source not in docs:
        return False
    if not sections:
        return True
    label, head = _norm(hit.section), _norm(hit.text[:60])
    for gold in (_norm(s) for s in sections):
        if gold and (gold in label or (label and label in gold) or head.startswith(gold)):
            return True
        if len(gold) >= 5 and gold in _norm(hit.text):  # an item inside a longer section
            return True
    return False


def run(
    service: AnswerService,
    questions: Sequence[Question],
    not_in_force: frozenset[str] = frozenset(),
) -> list[Outcome]:
    out = []
    for q in questions:
        lang: Lang = "en" if q.kind == "english" else "zh"
        out.append(judge(q, service.answer_sync(q.question, lang=lang), not_in_force))
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
    told_lapsed = sum(o.lapsed_only for o in oos if o.band != "none")
    if told_lapsed:
        lines.append(
            f"  of the answered, {told_lapsed} only told that the document asked about is no "
            "longer in force, with nothing in its place"
        )
    told_later = sum(o.announced_only for o in oos if o.band != "none")
    if told_later:
        lines.append(
            f"  of the answered, {told_later} quoted only a measure not yet in force, under the "
            "notice of the day it takes effect"
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
    texted = [o for o in ins if o.q.gold_text]
    if texted:
        by_text: dict[str, list[Outcome]] = defaultdict(list)
        for o in texted:
            by_text[o.q.kind].append(o)
        cells = "  ".join(
            f"{kind} {sum(o.text_hit for o in group)}/{len(group)}"
            for kind, group in sorted(by_text.items())
        )
        lines.append(
            f"answered, the first quote writes the gold text: "
            f"{sum(o.text_hit for o in texted)}/{len(texted)}  ({cells})"
        )
    lines.append(f"superseded/expired cited as current: {si.stale + so.stale}")
    lines.append(
        f"in force, answered as repealed/expired: {sum(o.in_force_retired for o in outcomes)}"
    )
    lat = sorted(o.latency_ms for o in outcomes)
    if lat:
        lines.append(
            f"latency ms: p50={lat[len(lat) // 2]:.1f} p95={lat[int(len(lat) * 0.95) - 1]:.1f}"
        )
    return "\n".join(lines)


HEADLINE = (
    ("R@1", "in-scope Recall@1 (document)"),
    ("R@3", "in-scope Recall@3"),
    ("EN R@3", "English questions, Recall@3"),
    ("typo R@3", "typo questions, Recall@3"),
    ("refused", "in-scope questions declined (band none)"),
    ("OOS refused", "out-of-scope questions declined"),
    ("sec@1", "answered at rank 1: the first quote is a gold section"),
    ("sec in quote", "answered at rank 1: the first quote holds a gold label at a line start"),
    ("2-part", "two-part questions: both parts quoted"),
    ("2-part in quote", "two-part questions: both parts quoted or held at a line start of a quote"),
    ("text@1", "sets with gold text: answered, and the first quote writes it"),
    ("2-part text", "sets with gold text: two-part questions, both parts' texts quoted"),
    ("stale", "superseded/expired cited as current (count)"),
    ("retired", "in force, answered as repealed/expired (count)"),
)


def headline(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """The figures the issue sets targets on, for one knowledge base."""
    ins = [o for o in outcomes if o.q.in_scope]
    oos = [o for o in outcomes if not o.q.in_scope]
    english = [o for o in ins if o.q.kind == "english"]
    typo = [o for o in ins if o.q.kind == "typo"]
    top = [o for o in ins if o.rank == 1 and o.band == "answer"]
    two = [o for o in ins if o.q.parts]
    texted = [o for o in ins if o.q.gold_text]
    two_texted = [o for o in two if all(p.gold_text for p in o.q.parts)]
    return {
        "n": len(ins),
        "R@1": summarise(ins).r1,
        "R@3": summarise(ins).r3,
        "EN R@3": summarise(english).r3,
        "typo R@3": summarise(typo).r3,
        "refused": summarise(ins).refused,
        "OOS refused": summarise(oos).refused,
        "sec@1": sum(o.section_hit for o in top) / len(top) if top else math.nan,
        "sec in quote": sum(o.section_in_quote for o in top) / len(top) if top else math.nan,
        # a set without labelled two-part questions has no figure, not 0
        "2-part": sum(o.parts_quoted >= len(o.q.parts) for o in two) / len(two)
        if two
        else math.nan,
        "2-part in quote": sum(o.parts_in_quote >= len(o.q.parts) for o in two) / len(two)
        if two
        else math.nan,
        "text@1": sum(o.text_hit for o in texted) / len(texted) if texted else math.nan,
        "2-part text": sum(o.parts_text >= len(o.q.parts) for o in two_texted) / len(two_texted)
        if two_texted
        else math.nan,
        "stale": float(sum(o.superseded_as_current for o in outcomes)),
        "retired": float(sum(o.in_force_retired for o in outcomes)),
    }


def side_by_side(results: dict[str, dict[str, float]]) -> str:
    """One row per figure, one column per knowledge base."""
    names = list(results)
    width = max(12, *(len(n) + 2 for n in names))
    lines = [f"{'figure':<14}" + "".join(f"{n:>{width}}" for n in names)]
    lines.append(f"{'questions':<14}" + "".join(f"{int(results[n]['n']):>{width}}" for n in names))
    for key, _ in HEADLINE:
        cells = []
        for n in names:
            value = results[n][key]
            if math.isnan(value):
                cells.append(f"{'–':>{width}}")
            else:
                counted = key in ("stale", "retired")
                cells.append(f"{int(value):>{width}}" if counted else f"{value:>{width}.3f}")
        lines.append(f"{key:<14}" + "".join(cells))
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Dialogue:
    did: str
    kind: str  # "followup" (the second turn leans on the first) | "switch" (it stands alone)
    turns: tuple[str, str]
    gold_docs: tuple[str, ...]


def load_dialogues(path: Path) -> list[Dialogue]:
    out = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            turns = d["turns"]
            out.append(Dialogue(d["id"], d["kind"], (turns[0], turns[1]), tuple(d["gold_docs"])))
    return out


def run_dialogues(service: AnswerService, dialogues: Sequence[Dialogue], *, context: bool) -> str:
    """Second turns scored with (or without) the first turn as context: Recall@1 of the
    follow-ups, and for topic switches whether the context bent them."""
    rows: dict[str, list[tuple[bool, bool, bool]]] = defaultdict(list)
    for d in dialogues:
        lang: Lang = "en" if d.turns[1].isascii() else "zh"
        first = service.answer_sync(d.turns[0], lang=lang)
        previous = service.turn_of(first) if context else None
        second = service.answer_sync(d.turns[1], lang=lang, previous=previous)
        sources = ranked_sources(second)
        hit = bool(sources) and sources[0] in d.gold_docs
        rows[d.kind].append((hit, second.context_title is not None, second.band == Band.ANSWER))
    lines = [f"{'dialogues':<12}{'n':>5}{'R@1':>7}{'answered':>10}{'in context':>12}"]
    for kind in sorted(rows):
        r = rows[kind]
        n = len(r)
        lines.append(
            f"{kind:<12}{n:>5}{sum(x[0] for x in r) / n:>7.3f}{sum(x[2] for x in r) / n:>10.3f}"
            f"{sum(x[1] for x in r) / n:>12.3f}"
        )
    return "\n".join(lines)
