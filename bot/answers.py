"""The answer service: question → one of three bands, quoting the policy text verbatim.

It never writes an answer of its own: a reply is the passage(s) of the current policy
document (or an FAQ answer an officer approved), with title, 文号, section and 施行日期.
Superseded and expired documents are filtered out of the current answer; when a question
names one explicitly, the reply says it is no longer in force and points to its replacement.
"""

from __future__ import annotations

import asyncio
import html
import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

import numpy as np

from bot.scope import Scope
from bot.scope_model import ScopeModel
from bot.texts import Lang, t
from index.batcher import QueryBatcher
from index.lexicon import Lexicon
from index.snapshot import Candidate, Snapshot
from index.spelling import SpellingCorrector
from index.store import KnowledgeStore
from knowledge.models import DocStatus
from knowledge.status import DocStatusInfo

MAX_QUESTION_CHARS = 500  # longer messages are cut for retrieval; the full text is still logged


class Band(StrEnum):
    ANSWER = "answer"
    SUGGEST = "suggest"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Band cut-offs on the confidence score (see `confidence`); tuned on bench/quality.

    answer ≥ `answer`; `suggest` ≤ confidence < `answer` gives "did you mean"; below is none.
    """

    answer: float = 0.60
    suggest: float = 0.15
    # Scope model: declined when its margin + SCOPE_LEXICAL_WEIGHT·logit(confidence) falls
    # below this (see `in_scope`).
    scope: float = 0.0125
    second_passage_ratio: float = 0.97


def thresholds_for(encoder_name: str) -> Thresholds:
    """The confidence model uses lexical evidence only, so one calibration fits every encoder."""
    return Thresholds()


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
    expires: date | None = None
    chunk_id: str | None = None
    faq_id: str | None = None
    faq_question: str | None = None
    replaced_by: str | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str  # shown on a button / numbered option
    ref: str  # "faq:<faq_id>" or "chunk:<chunk_id>", answerable with `answer_ref`


@dataclass(frozen=True, slots=True)
class Notice:
    """A question named a document that is no longer in force."""

    old_doc_id: str
    old_title: str
    status: str
    new_doc_id: str | None
    new_title: str | None
    old_source: str | None = None


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


class AnswerService:
    """Stateless over the store's current snapshot; safe to call from many tasks at once."""

    def __init__(
        self,
        store: KnowledgeStore,
        lexicon: Lexicon,
        *,
        thresholds: Thresholds | None = None,
        today: Callable[[], date] = date.today,
        batcher: QueryBatcher | None = None,
        reload_interval_s: float = 1.0,
        scope: Scope | None = None,
        scope_model: ScopeModel | None = None,
    ) -> None:
        self.store = store
        self.lexicon = lexicon
        self.scope = scope or Scope()
        self.scope_model = scope_model
        self.spelling = SpellingCorrector(lexicon)
        self.thresholds = thresholds or thresholds_for(store.encoder.name)
        self.today = today
        self._batcher = batcher
        self._reload_interval_s = reload_interval_s
        self._last_reload_check = 0.0
        self._reload_lock = threading.Lock()

    # ------------------------------------------------------------------ API
    async def answer(self, question: str, *, lang: Lang = "zh") -> Answer:
        """Non-blocking: encoding and search run in worker threads."""
        started = time.perf_counter()
        text = prepare_question(question)
        if not text:
            return self._empty_question(question, lang, started)
        text, expanded = await asyncio.to_thread(self._search_text, text)
        if self._batcher is not None:
            vec = await self._batcher.encode_async(expanded)
        else:
            vec = await asyncio.to_thread(self._encode, expanded)
        return await asyncio.to_thread(self._decide, question, text, expanded, vec, lang, started)

    def answer_sync(self, question: str, *, lang: Lang = "zh") -> Answer:
        started = time.perf_counter()
        text = prepare_question(question)
        if not text:
            return self._empty_question(question, lang, started)
        text, expanded = self._search_text(text)
        vec = self._batcher.encode(expanded) if self._batcher else self._encode(expanded)
        return self._decide(question, text, expanded, vec, lang, started)

    def answer_ref(self, ref: str, *, lang: Lang = "zh", question: str | None = None) -> Answer:
        """Answer a suggestion the user picked (an FAQ entry or a passage), by reference."""
        started = time.perf_counter()
        snap = self.store.snapshot()
        kind, _, key = ref.partition(":")
        hits: list[Hit] = []
        if kind == "faq" and key in snap.faqs:
            hits = self._faq_hits(snap, key, 1.0)
            label = snap.faqs[key].questions[0]
        elif kind == "chunk" and key in snap.chunks:
            ch = snap.chunks[key]
            if self._status(snap, ch.doc_id) is DocStatus.CURRENT:
                hits = [self._chunk_hit(snap, key, 1.0)]
            label = f"{snap.docs[ch.doc_id].doc.meta.title} {ch.section}".strip()
        else:
            label = question or ref
        q = question or label
        if not hits:
            return self._none(q, lang, started, 0.0, ())
        related = self._related(snap, hits, ())
        reply = render_answer_text(hits, None, lang)
        return Answer(
            q,
            Band.ANSWER,
            tuple(hits),
            reply,
            lang,
            (),
            related,
            None,
            1.0,
            _ms(started),
            tuple((h.doc_id or h.faq_id or "", h.score) for h in hits),
        )

    def maybe_reload(self) -> None:
        """Pick up a generation saved by another process (the CLI) without a restart."""
        now = time.monotonic()
        if now - self._last_reload_check < self._reload_interval_s:
            return
        with self._reload_lock:
            if now - self._last_reload_check < self._reload_interval_s:
                return
            self._last_reload_check = now
            self.store.reload_if_changed()

    def warm_up(self) -> None:
        """Load the scope model's examples and build the homophone vocabulary now
        (blocking), so the first question does not wait for them."""
        snap = self.store.snapshot()
        self.spelling.for_snapshot(snap)
        if self.scope_model is not None:
            self.scope_model.nearest_for(snap)

    def _search_text(self, text: str) -> tuple[str, str]:
        """(corrected question, expanded query): what the scope list reads, and what both
        searches and the scope model see."""
        self.maybe_reload()
        corrected = self.spelling.correct(self.store.snapshot(), self.lexicon.normalize(text))
        return corrected, self.lexicon.expand_query(corrected)

    # ------------------------------------------------------------------ internals
    def _encode(self, text: str) -> np.ndarray:
        return self.store.encoder.encode_queries([text])[0]

    def _decide(
        self,
        original: str,
        text: str,
        expanded: str,
        vec: np.ndarray,
        lang: Lang,
        started: float,
    ) -> Answer:
        snap = self.store.snapshot()
        if not snap.docs and not snap.faqs:
            return Answer(
                original, Band.NONE, (), t("none.empty_kb", lang), lang, latency_ms=_ms(started)
            )
        topic = self.scope.topic(text)
        if topic is not None:
            return self._out_of_scope(original, lang, started, "scope:" + topic, 0.0)
        place = self.scope.places.elsewhere(text)
        if place is not None:
            names = self.scope.places
            home = names.home_name_latin if lang == "en" else names.home_name
            reply = t("none.other_place", lang, home=html.escape(home), place=html.escape(place))
            return self._out_of_scope(original, lang, started, "place:" + place, 0.0, reply)
        tokens = self.store.tokenize(expanded)
        cands = snap.search(vec, tokens)
        today = self.today()
        statuses = snap.statuses(today)
        current = order_by_document([c for c in cands if self._entry_current(snap, c, statuses)])
        top_list = tuple(
            (c.entry.doc_id or c.entry.key, round(confidence(c), 4)) for c in current[:5]
        )
        ranked = tuple(
            self._hit_for(snap, c, confidence(c)) for c in best_per_document(current, 10)
        )
        notice_answer = self._explicit_old_document(
            snap, original, text, cands, current, lang, started
        )
        if notice_answer is not None:
            return replace(notice_answer, top=top_list, ranked=ranked)
        if not current:
            return self._none(original, lang, started, 0.0, top_list)
        conf = max(confidence(c) for c in current[:3])
        margin = self.scope_model.margin(snap, vec, text) if self.scope_model else None
        if margin is not None and not in_scope(margin, conf, self.thresholds.scope):
            return self._out_of_scope(original, lang, started, "scope:model", round(margin, 4))
        lapsed = self._lapsed_best_match(snap, original, cands, current, statuses, lang, started)
        if lapsed is not None:
            return replace(lapsed, top=top_list, ranked=ranked)
        answer = self._band(snap, original, current, lang, started, top_list)
        return replace(answer, ranked=ranked)

    def _lapsed_best_match(
        self,
        snap: Snapshot,
        original: str,
        cands: list[Candidate],
        current: list[Candidate],
        statuses: dict[str, DocStatusInfo],
        lang: Lang,
        started: float,
    ) -> Answer | None:
        """The best-matching document expired and nothing replaced it: say so.

        Answering from the next current document instead would quote a different programme's
        numbers (asked about 贷款保证保险 premiums after that notice lapsed, the guarantee-fee
        subsidy came back, with its own amounts).
        """
        ranked = [c for c in order_by_document(cands) if c.entry.doc_id is not None]
        if not ranked or confidence(ranked[0]) < self.thresholds.answer:
            return None
        best = ranked[0]
        info = statuses.get(best.entry.doc_id or "")
        if info is None or info.status is not DocStatus.EXPIRED or info.replaced_by in snap.docs:
            return None
        return self._notice_answer(snap, original, best, info, current, lang, started)

    def _band(
        self,
        snap: Snapshot,
        original: str,
        current: list[Candidate],
        lang: Lang,
        started: float,
        top_list: tuple[tuple[str, float], ...],
    ) -> Answer:
        conf = max(confidence(c) for c in current[:3])
        best = current[0]
        th = self.thresholds
        if conf >= th.answer:
            hits = self._hits_for(snap, best, current, conf)
            related = self._related(snap, hits, current)
            reply = render_answer_text(hits, None, lang)
            return Answer(
                original,
                Band.ANSWER,
                tuple(hits),
                reply,
                lang,
                (),
                related,
                None,
                conf,
                _ms(started),
                top_list,
            )
        if conf >= th.suggest:
            suggestions = self._suggestions(snap, current)
            shown = tuple(self._hit_for(snap, c, confidence(c)) for c in current[:3])
            reply = render_suggest_text(suggestions, lang)
            return Answer(
                original,
                Band.SUGGEST,
                shown,
                reply,
                lang,
                suggestions,
                (),
                None,
                conf,
                _ms(started),
                top_list,
            )
        return self._none(original, lang, started, conf, top_list)

    def _out_of_scope(
        self,
        original: str,
        lang: Lang,
        started: float,
        reason: str,
        score: float,
        reply: str | None = None,
    ) -> Answer:
        return Answer(
            original,
            Band.NONE,
            (),
            reply or t("none.out_of_scope", lang),
            lang,
            latency_ms=_ms(started),
            top=((reason, score),),
        )

    def _entry_current(
        self, snap: Snapshot, c: Candidate, statuses: dict[str, DocStatusInfo]
    ) -> bool:
        if c.entry.doc_id is None:
            return True
        info = statuses.get(c.entry.doc_id)
        if info is None:
            # an FAQ linked to a document that is gone: still valid on its own
            return c.entry.kind == "faq"
        return bool(info.status is DocStatus.CURRENT)

    def _status(self, snap: Snapshot, doc_id: str | None) -> DocStatus:
        if doc_id is None:
            return DocStatus.CURRENT
        return snap.status_of(doc_id, self.today())

    def _hits_for(
        self, snap: Snapshot, best: Candidate, current: list[Candidate], conf: float
    ) -> list[Hit]:
        hits = [self._hit_for(snap, best, conf)]
        if best.entry.kind == "faq":
            return hits + self._backing_passage(snap, best.entry.key, current)
        # a second passage when it is nearly as good (e.g. a multi-part question)
        for c in current[1:4]:
            if c.entry.kind != "chunk" or c.entry.key == best.entry.key:
                continue
            if confidence(c) >= conf * self.thresholds.second_passage_ratio:
                hits.append(self._hit_for(snap, c, confidence(c)))
            break
        return hits

    def _backing_passage(self, snap: Snapshot, faq_id: str, current: list[Candidate]) -> list[Hit]:
        faq = snap.faqs[faq_id]
        if not faq.doc_id or faq.doc_id not in snap.docs:
            return []
        if self._status(snap, faq.doc_id) is not DocStatus.CURRENT:
            return []
        chunks = [
            c for c in snap.docs[faq.doc_id].doc.chunks if faq.section and c.section == faq.section
        ]
        if not chunks:
            return []
        return [self._chunk_hit(snap, chunks[0].chunk_id, 0.0)]

    def _hit_for(self, snap: Snapshot, c: Candidate, score: float) -> Hit:
        if c.entry.kind == "faq":
            return self._faq_hits(snap, c.entry.key, score, matched=c.entry.embed_text)[0]
        return self._chunk_hit(snap, c.entry.key, score)

    def _chunk_hit(self, snap: Snapshot, chunk_id: str, score: float) -> Hit:
        ch = snap.chunks[chunk_id]
        rec = snap.docs[ch.doc_id]
        meta = rec.doc.meta
        info = snap.statuses(self.today()).get(ch.doc_id)
        return Hit(
            kind="chunk",
            doc_id=ch.doc_id,
            source=rec.doc.source,
            title=meta.title,
            section=ch.section,
            status=str(info.status if info else DocStatus.CURRENT),
            score=round(score, 4),
            text=ch.text,
            doc_number=meta.doc_number,
            issuer=meta.issuer,
            effective=meta.effective or meta.published,
            expires=meta.expires,
            chunk_id=chunk_id,
            replaced_by=info.replaced_by if info else None,
        )

    def _faq_hits(
        self, snap: Snapshot, faq_id: str, score: float, matched: str | None = None
    ) -> list[Hit]:
        faq = snap.faqs[faq_id]
        rec = snap.docs.get(faq.doc_id) if faq.doc_id else None
        meta = rec.doc.meta if rec else None
        return [
            Hit(
                kind="faq",
                doc_id=faq.doc_id,
                source=rec.doc.source if rec else faq.source,
                title=meta.title if meta else None,
                section=faq.section or "",
                status=str(self._status(snap, faq.doc_id) if rec else DocStatus.CURRENT),
                score=round(score, 4),
                text=faq.answer,
                doc_number=meta.doc_number if meta else None,
                issuer=meta.issuer if meta else None,
                effective=(meta.effective or meta.published) if meta else None,
                expires=meta.expires if meta else None,
                faq_id=faq_id,
                faq_question=matched or faq.questions[0],
            )
        ]

    def _suggestions(self, snap: Snapshot, current: list[Candidate]) -> tuple[Suggestion, ...]:
        out: list[Suggestion] = []
        seen: set[str] = set()
        for c in current[:10]:
            if c.entry.kind == "faq":
                key = f"faq:{c.entry.key}"
                label = snap.faqs[c.entry.key].questions[0]
                group = key
            else:
                ch = snap.chunks[c.entry.key]
                title = snap.docs[ch.doc_id].doc.meta.title
                key = f"chunk:{ch.chunk_id}"
                label = f"《{title}》{ch.section}" if ch.section else f"《{title}》"
                group = f"{ch.doc_id}|{ch.section}"
            if group in seen:
                continue
            seen.add(group)
            out.append(Suggestion(label=label, ref=key))
            if len(out) == 3:
                break
        return tuple(out)

    def _related(
        self, snap: Snapshot, hits: Sequence[Hit], current: Sequence[Candidate]
    ) -> tuple[Suggestion, ...]:
        """FAQ questions about the same document first, then FAQs found nearby."""
        used = {h.faq_id for h in hits if h.faq_id}
        doc_ids = {h.doc_id for h in hits if h.doc_id}
        out: list[Suggestion] = []
        for faq in snap.faqs.values():
            if faq.doc_id in doc_ids and faq.faq_id not in used:
                out.append(Suggestion(faq.questions[0], f"faq:{faq.faq_id}"))
                used.add(faq.faq_id)
            if len(out) == 3:
                return tuple(out)
        for c in current:
            if c.entry.kind == "faq" and c.entry.key not in used:
                out.append(Suggestion(snap.faqs[c.entry.key].questions[0], f"faq:{c.entry.key}"))
                used.add(c.entry.key)
            if len(out) == 3:
                break
        return tuple(out)

    def _explicit_old_document(
        self,
        snap: Snapshot,
        original: str,
        text: str,
        cands: list[Candidate],
        current: list[Candidate],
        lang: Lang,
        started: float,
    ) -> Answer | None:
        """A question that names a repealed/expired document gets told so, with the replacement."""
        statuses = snap.statuses(self.today())
        for c in cands[:5]:
            doc_id = c.entry.doc_id
            if doc_id is None or c.entry.kind != "chunk":
                continue
            info = statuses.get(doc_id)
            if info is None or info.status is DocStatus.CURRENT:
                continue
            meta = snap.docs[doc_id].doc.meta
            if not names_document(text, meta.title, meta.doc_number, meta.published):
                continue
            return self._notice_answer(snap, original, c, info, current, lang, started)
        return None

    def _notice_answer(
        self,
        snap: Snapshot,
        original: str,
        c: Candidate,
        info: DocStatusInfo,
        current: list[Candidate],
        lang: Lang,
        started: float,
    ) -> Answer:
        """The document is no longer in force: say so, and quote its replacement if any."""
        doc_id = c.entry.doc_id or ""
        meta = snap.docs[doc_id].doc.meta
        new_id = info.replaced_by if info.replaced_by in snap.docs else None
        new_title = snap.docs[new_id].doc.meta.title if new_id else None
        notice = Notice(
            doc_id,
            meta.title,
            str(info.status),
            new_id,
            new_title,
            snap.docs[doc_id].doc.source,
        )
        hits: list[Hit] = []
        if new_id is not None:
            same_doc = [x for x in current if x.entry.doc_id == new_id and x.entry.kind == "chunk"]
            if same_doc:
                hits.append(self._chunk_hit(snap, same_doc[0].entry.key, confidence(same_doc[0])))
            else:
                first = snap.docs[new_id].doc.chunks
                if first:
                    hits.append(self._chunk_hit(snap, first[0].chunk_id, 0.0))
        reply = render_answer_text(hits, notice, lang)
        return Answer(
            original,
            Band.ANSWER,
            tuple(hits),
            reply,
            lang,
            (),
            (),
            notice,
            confidence(c),
            _ms(started),
        )

    def _none(
        self,
        question: str,
        lang: Lang,
        started: float,
        conf: float,
        top: tuple[tuple[str, float], ...],
    ) -> Answer:
        return Answer(
            question,
            Band.NONE,
            (),
            t("none.reply", lang),
            lang,
            confidence=conf,
            latency_ms=_ms(started),
            top=top,
        )

    def _empty_question(self, question: str, lang: Lang, started: float) -> Answer:
        return Answer(
            question, Band.NONE, (), t("question.empty", lang), lang, latency_ms=_ms(started)
        )


FAQ_WEIGHT = 0.8  # an FAQ phrasing match counts a little less than the policy text itself
DOC_SUPPORT = 0.3  # weight of a document's 2nd and 3rd best entries in its score


def order_by_document(cands: Sequence[Candidate]) -> list[Candidate]:
    """Rank documents, not passages: a document several of whose passages match wins.

    Each document scores its best entry plus DOC_SUPPORT × its next two (measured on
    bench/quality: R@1 .892 → .93 over max-only); inside a document entries keep their order.
    """
    groups: dict[str, list[tuple[float, int, Candidate]]] = {}
    for pos, c in enumerate(cands):
        key = c.entry.doc_id or f"faq:{c.entry.key}"
        weight = FAQ_WEIGHT if c.entry.kind == "faq" else 1.0
        groups.setdefault(key, []).append((c.fused * weight, pos, c))
    scored = []
    for items in groups.values():
        items.sort(key=lambda x: (-x[0], x[1]))
        top = [x[0] for x in items[:3]]
        score = top[0] + DOC_SUPPORT * sum(top[1:])
        scored.append((score, items[0][1], items))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [c for _, _, items in scored for _, _, c in items]


def best_per_document(ordered: Sequence[Candidate], limit: int) -> list[Candidate]:
    """The leading entry of each of the first `limit` documents (FAQ entries count as their own)."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for c in ordered:
        key = c.entry.doc_id or f"faq:{c.entry.key}"
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
        if len(out) == limit:
            break
    return out


# Logistic fit on the tuning split of bench/quality (issue 3 notes): P(in scope | evidence).
COVERAGE_FLOOR_START = 0.5
CONF_WEIGHT = 11.0
CONF_BIAS = -18.26


SCOPE_LEXICAL_WEIGHT = 0.0025


def in_scope(margin: float, conf: float, threshold: float) -> bool:
    """The scope model's verdict, with a little slack from strong lexical evidence.

    The nearest examples can misplace a real question that the knowledge base's own words
    match strongly (an unusual phrasing, a typo the homophone correction did not catch):
    confidence 0.999 moves the bar by −0.017, confidence 0.001 by +0.017. Weight and
    threshold were chosen on the tune split of bench/quality as the most out-of-scope
    refusal with at most 1% of in-scope questions refused: .985 at .006 (the session-3
    logistic probe: .941 at .012).
    """
    return margin + SCOPE_LEXICAL_WEIGHT * _logit(conf) >= threshold


def _logit(p: float) -> float:
    q = min(max(p, 1e-6), 1.0 - 1e-6)
    return math.log(q / (1.0 - q))


def confidence(c: Candidate) -> float:
    """How sure we are that the knowledge base answers the question with this entry (0..1).

    Measured on bench/quality: dense cosine barely separates near-domain questions from real
    ones (e5 scores 个人房贷 like 担保费率), while the BM25 evidence, scaled by the corpus's
    largest idf so it does not depend on corpus size, does; dense cosine still ranks.
    """
    z = CONF_WEIGHT * math.log1p(max(c.sparse_norm, 0.0)) + CONF_BIAS
    lexical = 1.0 / (1.0 + math.exp(-z))
    # Scale-free floor: when nearly every (idf-weighted) query word is in the entry, it is
    # answerable however small the knowledge base (BM25's absolute scores shrink with it).
    # On bench/quality no out-of-scope question exceeded coverage .40.
    covered = min(1.0, max(0.0, (c.coverage - COVERAGE_FLOOR_START) / (1.0 - COVERAGE_FLOOR_START)))
    return max(lexical, covered)


_PUNCT_ONLY = re.compile(r"^[\W_]+$", re.UNICODE)
_WS = re.compile(r"\s+")


def prepare_question(question: str) -> str:
    """Whitespace-normalised, length-capped text; empty when there is nothing to search."""
    text = _WS.sub(" ", question or "").strip()
    if not text or _PUNCT_ONLY.match(text):
        return ""
    if not any(ch.isalnum() for ch in text):
        return ""
    return text[:MAX_QUESTION_CHARS]


_YEAR = re.compile(r"(19|20)\d{2}")
_OLD_WORDS = (
    "旧版",
    "老版",
    "原来的",
    "以前的",
    "之前的",
    "废止",
    "旧的",
    "old version",
    "previous",
)


def _norm_title(s: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"'（）()【】\[\]，,。.:：、]", "", s)


def names_document(
    question: str, title: str, doc_number: str | None, published: date | None
) -> bool:
    """Does the question point at this particular document (its 文号, its title, its year)?"""
    q = _norm_title(question)
    if doc_number and _norm_title(doc_number) and _norm_title(doc_number) in q:
        return True
    nt = _norm_title(title)
    if nt and nt in q:
        return True
    years = {m.group(0) for m in _YEAR.finditer(question)}
    doc_years = {m.group(0) for m in _YEAR.finditer(title)}
    if published:
        doc_years.add(str(published.year))
    if years & doc_years:
        return True
    return any(w in question.lower() for w in _OLD_WORDS)


def _fmt_date(d: date | None, lang: Lang) -> str:
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def citation_line(hit: Hit, lang: Lang) -> str:
    if not hit.title:
        return ""
    number = (
        f"（{hit.doc_number}）"
        if hit.doc_number and lang == "zh"
        else (f" ({hit.doc_number})" if hit.doc_number else "")
    )
    section = f" {hit.section}" if hit.section else ""
    line = t("answer.source", lang, title=hit.title, number=number, section=section)
    if hit.effective:
        line += ("，" if lang == "zh" else ", ") + t(
            "answer.effective", lang, date=_fmt_date(hit.effective, lang)
        )
    return line


def render_answer_text(hits: Sequence[Hit], notice: Notice | None, lang: Lang) -> str:
    """Plain-text reply (console, CLI JSON). Telegram renders the same DTO as HTML."""
    parts: list[str] = []
    if notice is not None:
        reason = t(f"status.{notice.status}", lang)
        if notice.new_title:
            parts.append(
                t(
                    "answer.superseded",
                    lang,
                    title=notice.old_title,
                    reason=reason,
                    new_title=notice.new_title,
                )
            )
        else:
            parts.append(
                t("answer.superseded_no_replacement", lang, title=notice.old_title, reason=reason)
            )
    else:
        parts.append(t("answer.intro", lang))
    for hit in hits:
        if hit.kind == "faq":
            parts.append(hit.text)
            basis = citation_line(hit, lang)
            if basis:
                parts.append(t("answer.faq_basis", lang, basis=basis))
            continue
        parts.append(citation_line(hit, lang))
        parts.append(f"「{quote_text(hit)}」")
        if hit.source:
            parts.append(t("answer.source_file", lang, source=hit.source))
    if hits:
        parts.append(t("answer.quote_note", lang))
    return "\n\n".join(p for p in parts if p)


def quote_text(hit: Hit) -> str:
    """The passage without a leading repeat of its section label (the citation names it)."""
    text = hit.text
    if hit.section and text.startswith(hit.section):
        rest = text[len(hit.section) :].lstrip(" \u3000\n")
        if rest:
            return rest
    return text


def render_suggest_text(suggestions: Sequence[Suggestion], lang: Lang) -> str:
    lines = [t("suggest.intro", lang)]
    lines += [f"{i}. {s.label}" for i, s in enumerate(suggestions, 1)]
    lines.append(t("suggest.outro", lang))
    return "\n".join(lines)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
