"""What the answer service returns: plain dataclasses, the same for every medium."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.answers.intents import ChatIntent
from bot.texts import Lang


class Band(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Band cut-offs on the confidence score (see `ranking.confidence`).

    answer ≥ `answer`; `suggest` ≤ confidence < `answer` gives "did you mean"; below is none.
    """

    answer: float = 0.60
    suggest: float = 0.15
    second_passage_ratio: float = 0.97


@dataclass(frozen=True, slots=True)
class Amended:
    """A change an amending decision in force made to the quoted article (已应用于引文)."""

    old: str  # "" when the decision rewrote the article as a whole
    new: str
    by_title: str
    by_number: str | None = None
    effective: date | None = None
    by_source: str | None = None  # the decision's file, as the knowledge base holds it
    # a notice stopped the article ("第八条…自2026年7月1日起停止执行"; old = new = ""): the quote
    # is the article as it read, shown with the day it stops applying (`effective`)
    stopped: bool = False
    # a notice adjusts the article for a time (阶段性提高): its sentence, shown as written under
    # the article, which is quoted as it stands; `until` is the notice's own term
    clause: str = ""
    until: date | None = None
    # placed on a section of a measure numbered 一、（一）, which has no articles: "本项", not "本条"
    on_section: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    kind: str  # "chunk" | "faq"
    doc_id: str | None
    source: str | None
    title: str | None
    section: str
    status: str
    score: float
    text: str  # verbatim passage, or the FAQ answer
    doc_number: str | None = None
    issuer: str | None = None
    effective: date | None = None
    expires: date | None = None  # the end of its 有效期, a 延期通知 applied
    extended_by: str | None = None  # the title of the 延期通知 that moved that end
    chunk_id: str | None = None
    faq_id: str | None = None
    faq_question: str | None = None
    replaced_by: str | None = None
    # the text quoted: the document's revision number and content hash (first 8 hex digits),
    # so feedback on an answer can be traced to the very text it quoted after a rollback
    revision: int | None = None
    content_hash: str | None = None
    # the 政策汇编 the quoted measure is an entry of (`knowledge.compilation`)
    compiled_in: str | None = None
    # changes of amending decisions in force, already applied to `text` (each one is shown)
    amended: tuple[Amended, ...] = ()


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str  # shown on a button / numbered option
    ref: str  # "faq:<faq_id>" or "chunk:<chunk_id>", answerable with `answer_ref`


@dataclass(frozen=True, slots=True)
class Notice:
    """A document the answer is not quoting as the rule in force: no longer in force, a draft,
    or a measure that takes effect later (`effective`), with the rule in force in its place."""

    old_doc_id: str
    old_title: str
    status: str
    new_doc_id: str | None
    new_title: str | None
    old_source: str | None = None
    effective: date | None = None  # a measure not yet in force: the day it takes effect
    in_part: bool = False  # … that will change only part of the rule in force (`new_title`)


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    band: Band
    hits: tuple[Hit, ...]
    reply: str
    lang: Lang = "zh"
    suggestions: tuple[Suggestion, ...] = ()
    related: tuple[Suggestion, ...] = ()
    notice: Notice | None = None
    confidence: float = 0.0
    latency_ms: float = 0.0
    top: tuple[tuple[str, float], ...] = field(default_factory=tuple)  # (doc or faq id, score)
    ranked: tuple[Hit, ...] = ()  # current candidates in rank order (diagnostics, CLI --top-k)
    context_title: str | None = None  # a follow-up, answered as being about this document
    context_elsewhere: bool = False  # … and its first quote is from another document
    intent: ChatIntent | None = (
        None  # not a policy question: a greeting, thanks, a need (`intents`)
    )

    @property
    def cited(self) -> tuple[tuple[str, int, str, str], ...]:
        """(doc id, revision, content hash, section) of each passage the answer quotes, in
        quote order, once per (doc id, section).

        The one record of what an answer cited: the statistics count documents and articles
        from it, the 👎 report its first entry, and the history the exact text (revision and
        hash) even after a rollback.
        """
        out: dict[tuple[str, str], tuple[str, int, str, str]] = {}
        for h in self.hits:
            if h.doc_id and h.revision is not None and h.content_hash:
                out.setdefault(
                    (h.doc_id, h.section), (h.doc_id, h.revision, h.content_hash, h.section)
                )
        return tuple(out.values())
