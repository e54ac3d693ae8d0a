"""Hit-testing (命中测试): what the engine did with a question, for an admin.

`AnswerService.explain` answers the question the usual way while a `Trace` records each
decision; the `Explanation` it returns is plain data that the CLI (`finbot ask --explain`)
prints with `explanation_lines` and the bot renders as HTML. This is how an admin checks an
upload ("is my new notice found for the questions people will ask?") and diagnoses a 👎.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.answers.layout import fmt_date
from bot.answers.models import Answer
from bot.texts import Lang, t
from knowledge.models import DocStatus


@dataclass(frozen=True, slots=True)
class ExplainedEntry:
    """One of the top entries after fusion, with how each list ranked it."""

    rank: int
    kind: str  # "chunk" | "faq"
    doc_id: str | None
    title: str | None
    section: str
    status: str
    lexical_rank: int | None  # 1-based; None when not in that list's top
    dense_rank: int | None
    fused: float
    confidence: float


@dataclass
class Trace:
    """Filled in while a question is decided (None fields: that step did not run)."""

    corrected: str = ""
    expanded: str = ""
    rule: str | None = None  # "place:深圳" / "topic:公积金"
    margin: float | None = None
    cut_off: float | None = None
    confidence: float | None = None
    context_title: str | None = None
    entries: list[ExplainedEntry] = field(default_factory=list)
    # (the place the question names, the scheme's place, its title) when another place's
    # scheme was among the leading documents and was set aside (`KbFacts.schemes_elsewhere`)
    scheme_elsewhere: tuple[str, str, str] | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    question: str
    answer: Answer
    corrected: str | None  # the question after homophone correction, when it changed
    expanded: str  # what both searches read (lexicon synonyms added)
    reason: str  # why this band, in the asker's language
    margin: float | None
    cut_off: float | None
    confidence: float | None
    context_title: str | None
    entries: tuple[ExplainedEntry, ...]


def band_reason(answer: Answer, trace: Trace, lang: Lang) -> str:
    """One sentence: the rule, the scope verdict or the confidence that decided the band."""
    if trace.rule is not None:
        kind, _, what = trace.rule.partition(":")
        return t(f"explain.rule.{kind}", lang, what=what)
    notice = answer.notice
    if notice is not None and notice.effective is not None:  # a measure taking effect later
        return t("explain.pending", lang, title=notice.old_title,
                 date=fmt_date(notice.effective, lang))  # fmt: skip
    if notice is not None:
        key = "explain.notice" if answer.hits else "explain.notice_alone"
        return t(key, lang, status=t(f"status.{notice.status}", lang),
                 title=notice.old_title)  # fmt: skip
    if (
        trace.margin is not None
        and trace.cut_off is not None
        and answer.top[:1] == (("scope:model", round(trace.margin, 4)),)
    ):
        return t("explain.scope_out", lang, margin=f"{trace.margin:+.4f}",
                 cut=f"{trace.cut_off:+.4f}")  # fmt: skip
    conf = f"{trace.confidence:.2f}" if trace.confidence is not None else "-"
    return t(f"explain.band.{answer.band}", lang, confidence=conf)


def explanation_lines(ex: Explanation, lang: Lang) -> list[str]:
    """Plain text, one fact per line (the CLI); the bot renders the same fields as HTML."""
    lines = [t("explain.head", lang, question=ex.question), ex.reason]
    if ex.corrected:
        lines.append(t("explain.corrected", lang, text=ex.corrected))
    if ex.context_title:
        lines.append(t("explain.context", lang, title=ex.context_title))
    if ex.margin is not None and ex.cut_off is not None:
        lines.append(t("explain.scope", lang, margin=f"{ex.margin:+.4f}", cut=f"{ex.cut_off:+.4f}"))
    if ex.entries:
        lines.append(t("explain.entries", lang))
    for e in ex.entries:
        lines.append(entry_line(e, lang))
    return lines


def entry_line(e: ExplainedEntry, lang: Lang) -> str:
    where = f"《{e.title}》 {e.section}".strip() if e.title else (e.doc_id or "")
    if e.kind == "faq":
        where = f"FAQ → {where}" if where else "FAQ"
    ranks = t("explain.ranks", lang, lexical=_rank(e.lexical_rank), dense=_rank(e.dense_rank))
    status = t(f"docs.status.{e.status}", lang) if e.status in _STATUSES else e.status
    return f"{e.rank}. {where} [{status}] {ranks} fused={e.fused:.4f} conf={e.confidence:.2f}"


_STATUSES = frozenset(s.value for s in DocStatus)


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)
