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
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

import numpy as np

from bot.answers.absent import BENEFITS, HEAD_MIN, AbsentTerms, without_noise
from bot.answers.amendments import ArticleChanges, amended_text, changes_in_force
from bot.answers.answer_types import weigh_by_fact
from bot.answers.as_of_day import AsOfDay
from bot.answers.coined import COINED_WEIGHT, CoinedNames, coined_names, quoted_names
from bot.answers.coverage import PassageCoverage
from bot.answers.examples import Example, first_answered
from bot.answers.explain import ExplainedEntry, Explanation, Trace, band_reason
from bot.answers.followup import (
    Turn,
    answered_well,
    asks_when,
    declined_by_rule,
    is_elliptical,
    leans_back,
    leans_in_form,
    previous_also_answers,
    turn_of,
    with_context,
)
from bot.answers.intents import ChatIntent, chat_intent
from bot.answers.lapsed import (
    best_match,
    best_match_with_status,
    cites_document,
    lapsed_best_match,
    named_old_document,
)
from bot.answers.latin import LATIN_WEIGHT, LatinRetriever
from bot.answers.layout import layout, render_plain
from bot.answers.models import Answer, Band, Hit, Notice, Suggestion, Thresholds
from bot.answers.named import DETAILS, LEADING_DOCUMENTS, read_named
from bot.answers.parts import MAX_QUOTES, question_parts
from bot.answers.procedure import asks_procedure, is_reading_title, weigh_by_procedure
from bot.answers.question import prepare_question, says_enough
from bot.answers.quotes import (
    PartQuoter,
    entry_in_force,
    first_quote,
    quoted_text,
    second_quote,
    title_of,
)
from bot.answers.ranking import (
    AGREED_SLACK,
    best_per_document,
    confidence,
    document_first,
    entries_per_document,
    first_in_both,
    in_scope,
    measure_before_reading,
    of_level_first,
    order_by_document,
)
from bot.kb_scope import (
    NATIONAL,
    Jurisdiction,
    KbFacts,
    kb_facts,
    latin_display,
    short_forms,
)
from bot.scope import Scope
from bot.scope_model import ScopeModel, ScopeVerdict
from bot.texts import Lang, t
from bot.unwritten_places import dictionary_word, sibling_place, unwritten_place
from bot.unwritten_places import warm as warm_unwritten_places
from index.batcher import QueryBatcher
from index.lexicon import Lexicon, abbreviated, cjk_count, has_cjk
from index.snapshot import Candidate, Snapshot, documents_in_force
from index.spelling import SpellingCorrector
from index.store import KnowledgeStore
from knowledge.models import DocStatus
from knowledge.status import DocStatusInfo, valid_until

TopList = tuple[tuple[str, float], ...]
SEARCH_DEPTH = 50  # entries taken from each ranked list before fusion
# the scope model is overruled when one of the first OVERRULE_DEPTH passages writes out the
# question (`coverage`; 3 and 5 alike on the six main KBs, with MIN_WORDS 3: 2 wrongly refused
# questions answered, none of ~1,500 out-of-scope let through; 1 until session 24)
OVERRULE_DEPTH = 3
# what ends a place's name: a quoted “栎山区” names a place, not a product
_PLACE_LEVELS = ("省", "市", "州", "县", "区", "旗", "镇", "乡", "街道", "村")
# a message the scope model declined alone is read in the previous answer's context only
# within CONTEXT_SLACK of the cut-off (AGREED_SLACK's value, not tuned apart), unless the
# previous answer's document writes every word it says (`_may_lean_back`)
CONTEXT_SLACK = AGREED_SLACK


@dataclass(frozen=True, slots=True)
class Query:
    """A question prepared once: what the user wrote, what the scope list reads (normalised
    and spelling-corrected), and what both searches see (expanded by the lexicon)."""

    original: str
    lang: Lang
    started: float
    text: str = ""
    expanded: str = ""
    # the message's own words when it is searched in the previous turn's context: the level
    # it names is the one asked for, not the previous document's ("区里呢？" after the city's)
    said: str = ""


def make_answer(
    query: Query,
    band: Band,
    *,
    reply: str | None = None,
    hits: tuple[Hit, ...] = (),
    suggestions: tuple[Suggestion, ...] = (),
    related: tuple[Suggestion, ...] = (),
    notice: Notice | None = None,
    confidence: float = 0.0,
    top: TopList = (),
) -> Answer:
    """The one place an Answer is built: the plain reply comes from the shared layout."""
    answer = Answer(
        question=query.original, band=band, hits=hits, reply=reply or "", lang=query.lang,
        suggestions=suggestions, related=related, notice=notice, confidence=confidence,
        latency_ms=_ms(query.started), top=top,
    )  # fmt: skip
    if reply is None:
        answer = replace(answer, reply=render_plain(layout(answer)))
    return answer


def _with_notice(answer: Answer, notice: Notice) -> Answer:
    """The answer under a note on another document (a draft, a measure taking effect later),
    its plain reply laid out again: the note stands above the quotes in every rendering."""
    noted = replace(answer, notice=notice)
    return replace(noted, reply=render_plain(layout(noted)))


# the passages an answer would quote from: the first entries found, overall or of a document
BEST_PASSAGES: Final = 3


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
        jurisdiction: Jurisdiction | None = None,
        latin: LatinRetriever | None = None,
        absent: AbsentTerms | None = None,
    ) -> None:
        self.store = store
        self.lexicon = lexicon
        self.scope = scope or Scope()
        self.jurisdiction = jurisdiction or Jurisdiction()
        self.latin = latin
        # read from the whole knowledge base, kept per index generation and day
        self._facts = AsOfDay(
            lambda snap, day: kb_facts(snap, day, self.scope.places, self.jurisdiction)
        )
        self._coined_names = AsOfDay(
            lambda snap, day: coined_names(snap, documents_in_force(snap, day))
        )
        self._amended = AsOfDay(lambda snap, day: changes_in_force(snap, snap.statuses(day), day))
        # the 文号 of the documents that are not a list's or a table's summary of others
        self._measure_numbers = AsOfDay(
            lambda snap, _day: frozenset(
                rec.doc.meta.doc_number
                for rec in snap.docs.values()
                if rec.doc.meta.doc_number and not rec.doc.meta.summarises
            )
        )
        self._example = AsOfDay(
            lambda _snap, _day: first_answered(lambda q: self.answer_sync(q).band)
        )
        self.scope_model = scope_model
        self.absent = absent
        self.spelling = SpellingCorrector(lexicon)
        self.coverage = PassageCoverage(lexicon)
        self.thresholds = thresholds or Thresholds()
        self.parts = PartQuoter(
            lexicon, self.coverage, self._encode_expanded, store.tokenize, self.thresholds.answer
        )
        self.today = today
        self._batcher = batcher
        self.reload_interval_s = (
            reload_interval_s  # how often the disk is checked for a new generation
        )
        self._last_reload_check = 0.0
        self._reload_lock = threading.Lock()

    # ------------------------------------------------------------------ API
    async def answer(
        self, question: str, *, lang: Lang = "zh", previous: Turn | None = None
    ) -> Answer:
        """Non-blocking: encoding and search run in worker threads. `previous`: the chat's
        last answered turn, for an elliptical follow-up (see `followup`)."""
        query = Query(question, lang, time.perf_counter())
        # in a worker thread: a greeting's introduction may search its example question anew
        unsearched = await asyncio.to_thread(self._without_search, query)
        if unsearched is not None:
            return unsearched
        query = await asyncio.to_thread(self._prepare, query)
        alone = await self._answer_async(query)
        # in a worker thread: it may read the knowledge base's words (`_may_lean_back`)
        merged = await asyncio.to_thread(self._follow_up_query, query, alone, previous)
        if merged is None or previous is None:
            return alone
        return self._prefer(alone, await self._answer_async(merged), previous)

    def answer_sync(
        self, question: str, *, lang: Lang = "zh", previous: Turn | None = None
    ) -> Answer:
        return self.explain(question, lang=lang, previous=previous).answer

    def explain(
        self, question: str, *, lang: Lang = "zh", previous: Turn | None = None
    ) -> Explanation:
        """The answer with what decided it (blocking; the CLI and `/test`)."""
        query = Query(question, lang, time.perf_counter())
        trace = Trace()
        unsearched = self._without_search(query, trace)
        if unsearched is not None:
            return self._explanation(query, unsearched, trace)
        query = self._prepare(query)
        answer = self._decide(query, self._vector(query), trace)
        merged = self._follow_up_query(query, answer, previous)
        if merged is not None and previous is not None:
            context = Trace()
            better = self._prefer(
                answer, self._decide(merged, self._vector(merged), context), previous
            )
            if better is not answer:
                answer, trace = better, context
                trace.context_title = previous.title
        return self._explanation(query, answer, trace)

    async def _answer_async(self, query: Query) -> Answer:
        if self._batcher is not None:
            vec = await self._batcher.encode_async(query.expanded)
        else:
            vec = await asyncio.to_thread(self._encode, query.expanded)
        return await asyncio.to_thread(self._decide, query, vec)

    def _vector(self, query: Query) -> np.ndarray:
        return self._encode_expanded(query.expanded)

    def _encode_expanded(self, expanded: str) -> np.ndarray:
        """A lexicon-expanded text's query vector, through the batcher when there is one."""
        if self._batcher is not None:
            return self._batcher.encode(expanded)
        return self._encode(expanded)

    def _follow_up_query(self, query: Query, alone: Answer, previous: Turn | None) -> Query | None:
        """The question searched in context, when it leans on the previous turn and is
        answered weakly alone; None when it stands on its own."""
        if previous is None:
            return None
        snap = self.store.snapshot().by_entries()
        if answered_well(alone) and (
            not previous_also_answers(alone, query.text, previous)
            or cites_document(snap, alone.hits[0].doc_id, previous.doc_id)
        ):
            return None
        if previous.doc_id not in snap.docs or not self._may_lean_back(
            snap, query, alone, previous
        ):
            return None
        if not is_elliptical(query.text) and not leans_back(
            alone, query.text, self._names_a_thing(query.text)
        ):
            return None
        text = with_context(previous, query.text, self._asks_another_level(snap, query, previous))
        return replace(query, text=text, expanded=self.lexicon.expand_query(text), said=query.text)

    def _asks_another_level(self, snap: Snapshot, query: Query, previous: Turn) -> bool:
        """The message's own words ask for a level the previous answer's document is not of
        ("省里呢？" after the county's reward for a listing on the regional equity market)."""
        facts = self.facts(snap)
        level = facts.level_asked(query.text)
        return level is not None and facts.levels.get(previous.doc_id, "") != level

    def _may_lean_back(self, snap: Snapshot, query: Query, alone: Answer, previous: Turn) -> bool:
        """May the message be read in the previous answer's context at all? Not when it was
        declined for its own words (another place, a listed topic, a thing no document
        writes); when the scope model declined it, only when it is worded as a follow-up
        ("那…", "…呢？") or asks only for a deadline (`asks_when`: "截止到什么时候？"; over the 32
        KBs' dialogues 5 follow-ups more read in context, none lost, and no question of any
        set has that form alone), near the cut-off (CONTEXT_SLACK) or where the previous answer's
        document writes every word it says (a follow-up asks about that document). Read in
        context, a message carries the previous document's title into the scope check, which
        then passes almost anything: over 41 sets, 186 of 2,416 out-of-scope questions
        declined alone were answered when they followed an in-scope question ("给我讲个笑话吧",
        "办护照要带什么材料？"), 492 with `leans_back` ungated; with this gate 128, while the
        693 dialogue follow-ups answered from the right document went 578 → 588 (session 41).
        The words were first looked for in the whole knowledge base, which writes 身份证 and
        补办 somewhere: in the previous document alone, 127 → 106 ("身份证丢了去哪里补办？",
        "现在一年期LPR是多少？"), follow-ups 2 fewer ("要准备哪些材料？" after a rule that lists its
        申报材料 but never says 准备; session 42)."""
        if alone.band is not Band.NONE:
            return True
        if declined_by_rule(alone):
            return False
        reason, margin = alone.top[0] if alone.top else ("", 0.0)
        if reason != "scope:model" or leans_in_form(query.text) or asks_when(query.text):
            # it lacked a confident passage, or it says it is a follow-up ("…呢？", "截止到哪天？")
            return True
        nearest = self.scope_model.nearest_for(snap) if self.scope_model else None
        if nearest is not None and margin >= nearest.threshold - CONTEXT_SLACK:
            return True
        return not self.coverage.unwritten(query.text, snap.document_text(previous.doc_id))

    def _names_a_thing(self, text: str) -> bool:
        """Does the message name a glossary term (a thing of its own, not a follow-up's)?"""
        return self.absent is not None and bool(self.absent.glossary.named_in(text))

    @staticmethod
    def _prefer(alone: Answer, merged: Answer, previous: Turn) -> Answer:
        """The in-context answer when it answers; it names the topic it took. A message
        answered well alone takes it only when it quotes the previous document
        (`previous_also_answers`)."""
        if merged.band is not Band.ANSWER or merged.notice is not None:
            return alone
        if answered_well(alone) and (not merged.hits or merged.hits[0].doc_id != previous.doc_id):
            return alone
        taken = replace(
            merged, question=alone.question, context_title=previous.title,
            context_elsewhere=merged.hits[0].doc_id != previous.doc_id if merged.hits else False,
        )  # fmt: skip
        return replace(taken, reply=render_plain(layout(taken)))

    def _explanation(self, query: Query, answer: Answer, trace: Trace) -> Explanation:
        corrected = (
            trace.corrected if trace.corrected and trace.corrected != query.original else None
        )
        return Explanation(
            question=query.original, answer=answer, corrected=corrected,
            expanded=trace.expanded, reason=band_reason(answer, trace, query.lang),
            margin=trace.margin, cut_off=trace.cut_off, confidence=trace.confidence,
            context_title=trace.context_title, entries=tuple(trace.entries),
        )  # fmt: skip

    def turn_of(self, answer: Answer) -> Turn | None:
        """What the chat should remember for its next message."""
        return turn_of(answer)

    def answer_ref(self, ref: str, *, lang: Lang = "zh", question: str | None = None) -> Answer:
        """Answer a suggestion the user picked (an FAQ entry or a passage), by reference."""
        started = time.perf_counter()
        snap = self.store.snapshot().by_entries()
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
        query = Query(question or label, lang, started)
        if not hits:
            return self._none(query, 0.0, ())
        return make_answer(
            query, Band.ANSWER, hits=tuple(hits), related=self._related(snap, hits, ()),
            confidence=1.0, top=tuple((h.doc_id or h.faq_id or "", h.score) for h in hits),
        )  # fmt: skip

    def maybe_reload(self) -> None:
        """Pick up a generation saved by another process (the CLI) without a restart."""
        now = time.monotonic()
        if now - self._last_reload_check < self.reload_interval_s:
            return
        with self._reload_lock:
            if now - self._last_reload_check < self.reload_interval_s:
                return
            self._last_reload_check = now
            self.store.reload_if_changed()

    def warm_up(self) -> None:
        """Load the scope model's examples, the English questions' centre, the homophone
        vocabulary, the knowledge base's own places and the names it coins now (blocking), so
        the first question does not wait for them."""
        snap = self.store.snapshot().by_entries()
        self.spelling.for_snapshot(snap)
        self.facts(snap).written.place_names()  # read once at start, not on a first question
        self._coined(snap)
        warm_unwritten_places()
        self.coverage.prepare()
        if self.scope_model is not None:
            self.scope_model.nearest_for(snap)
            self.scope_model.latin_centre()
            snap.centring()
        if self.latin is not None:
            self.latin.prepare(snap)
        if self.absent is not None:
            self.absent.prepare(snap)

    def _prepare(self, query: Query) -> Query:
        """Normalise, correct homophones against the KB's words, expand with the lexicon."""
        self.maybe_reload()
        text = prepare_question(query.original)
        corrected = self.spelling.correct(
            self.store.snapshot().by_entries(), self.lexicon.normalize(text)
        )
        return replace(query, text=corrected, expanded=self.lexicon.expand_query(corrected))

    # ------------------------------------------------------------------ internals
    def _encode(self, text: str) -> np.ndarray:
        return self.store.encoder.encode_queries([text])[0]

    def _decide(self, query: Query, vec: np.ndarray, trace: Trace | None = None) -> Answer:
        """The answer; one declined where another place's scheme was what matched says so."""
        trace = trace if trace is not None else Trace()
        answer = self._decide_among_documents(query, vec, trace)
        if trace.scheme_elsewhere is None or answer.band is not Band.NONE:
            return answer
        asked, place, title = trace.scheme_elsewhere
        if query.lang == "en":
            place, asked = latin_display(place), latin_display(asked)
        reply = t(
            "none.scheme_elsewhere", query.lang, place=html.escape(place),
            title=html.escape(title), asked=html.escape(asked),
        )  # fmt: skip
        return replace(answer, reply=reply)

    def _decide_among_documents(self, query: Query, vec: np.ndarray, trace: Trace) -> Answer:
        trace.corrected, trace.expanded = query.text, query.expanded
        snap = self.store.snapshot().by_entries()
        if not snap.docs and not snap.faqs:
            return make_answer(query, Band.NONE, reply=t("none.empty_kb", query.lang))
        latin_vec = self._latin_vector(query)
        extra = []
        latin_match: float | None = None
        if latin_vec is not None and self.latin is not None:
            latin_ranking = self.latin.ranking(snap, latin_vec, SEARCH_DEPTH)
            extra.append((latin_ranking.ids, LATIN_WEIGHT))
            latin_match = latin_ranking.best
        centre = self._question_centre(query)
        tokens = self._lexical_tokens(query)
        coined = self._coined(snap).ranking(snap, query.text, tokens)
        if coined:
            extra.append((coined, COINED_WEIGHT))
        cands = snap.search(vec, tokens, extra=extra, centre=centre)
        cands = weigh_by_fact(cands, query.text, lambda c: quoted_text(snap, c))
        statuses = snap.statuses(self.today())
        facts = self.facts(snap)
        # another place's scheme does not answer a firm of this one (`schemes_elsewhere`)
        asked_from, elsewhere = facts.schemes_elsewhere(query.text)
        in_force = order_by_document(
            [c for c in cands if entry_in_force(c, statuses)], snap.doc_sizes
        )
        current = [c for c in in_force if c.entry.doc_id not in elsewhere]
        # the search's own order: which level goes first decides what is quoted, not whether
        # the knowledge base answers (the scope check and the confidence read both orders)
        searched = current
        asked_level = self._level_asked(facts, query)
        if asked_level is not None:  # "州里…" / "省里…": that level's own document first
            current = of_level_first(current, facts.levels, asked_level, facts.passage_levels)
        leading = [c.entry.doc_id for c in best_per_document(in_force, LEADING_DOCUMENTS)]
        set_aside = next((d for d in leading if d in elsewhere), None)
        if set_aside is not None:
            title = snap.docs[set_aside].doc.meta.title
            trace.scheme_elsewhere = (asked_from, facts.schemes[set_aside], title)
        trace.entries = self._explained(snap, current[:5], statuses)
        passages = self._passage_texts(snap, current)
        parent = facts.parent_asked(query.text)
        stating = (
            self._level_stating(snap, query.text, facts, parent, current)
            if parent is not None
            else None
        )
        declined = self._listed_out_of_scope(
            query, facts, passages, parent if stating is None else None, stating is not None
        )
        if declined is None and stating is not None:
            current = [stating, *(c for c in current if c is not stating)]
        if declined is None and asked_level is not None:
            declined = self._level_silent(snap, query, facts, asked_level)
            # … unless the passages found name the level and state its figure on what is
            # asked: the own 问答 or table gives the city's or the province's numbers by name,
            # where the few documents of that level are on other things (zhewan, written
            # blind: "澹州市中小企业融资担保有限公司…担保费率"; tongwu, written blind: "市级再担保
            # 费…由篁州市财政承担" in the county's 问答). Kept to a county-level city in session
            # 60, for every level since session 61: over 37 sets it answers 5 in-scope questions
            # of tongwu and zhewan and 2 out-of-scope ones of yuwan and lishan, where a sentence
            # names the city beside a figure on another thing
            levelled = (
                self._level_sentence(snap, query.text, facts, asked_level, current)
                if declined is not None
                else None
            )
            if levelled is not None:
                declined = None
                current = [levelled, *(c for c in current if c is not levelled)]
        if declined is not None:
            trace.rule = declined.top[0][0]
            return declined
        top_list = tuple(
            (c.entry.doc_id or c.entry.key, round(confidence(c), 4)) for c in current[:5]
        )
        ranked = self._ranked(snap, current)
        named = named_old_document(snap, query.text, cands, statuses)
        note = None  # on another document, over the answer from the documents in force
        if named is not None and named[1].status is DocStatus.DRAFT and not named[1].replaced_by:
            # a draft whose rule is not known: the documents in force answer, under its note
            note, named = _notice(snap, named[0].entry.doc_id or "", named[1]), None
        if named is not None:
            notice_answer = self._notice_answer(snap, query, *named, current)
            return replace(notice_answer, top=top_list, ranked=ranked)
        if not current:
            return self._none(query, 0.0, top_list)
        conf = max(confidence(c) for c in [*current[:3], *searched[:3]])
        trace.confidence = conf
        verdict = self._scope_verdict(snap, query, vec, latin_vec)
        if verdict is not None:
            trace.margin, trace.cut_off = verdict.margin, verdict.threshold
        if not has_cjk(query.text) and latin_match is None:
            latin_match = math.nan  # no second encoder: the margin alone
        # first: a question declined for naming what no document writes is told what that is,
        # whether or not the scope model would have declined it too
        quoted = current[0].entry.doc_id
        unknown = self._names_what_no_document_writes(snap, query, verdict, quoted)
        if unknown is not None:
            trace.rule = unknown.top[0][0]
            return unknown
        if (
            verdict is not None
            and not in_scope(
                verdict.margin,
                conf,
                verdict.threshold,
                latin_match,
                agreed=first_in_both(current, self.thresholds.answer)
                or first_in_both(searched, self.thresholds.answer),
            )
            and not self._written_out(query, current[:OVERRULE_DEPTH])
            and not self._written_out(query, searched[:OVERRULE_DEPTH])
            and not self._first_part_in_scope(query)
            and not self._names_own_product(snap, query)
        ):
            return self._out_of_scope(query, "scope:model", round(verdict.margin, 4))
        dropped = self._dropped_rule(snap, query, cands, statuses, facts)
        if dropped is not None:
            trace.rule = dropped.top[0][0]
            return dropped
        lapsed = lapsed_best_match(snap, cands, statuses, self.thresholds.answer)
        if lapsed is not None and (
            self._names_a_lapsed_product(snap, query, lapsed[0].entry.doc_id or "")
            or not self._current_writes_the_terms(snap, query, current, conf)
        ):
            lapsed_answer = self._notice_answer(snap, query, *lapsed, current)
            return replace(
                lapsed_answer, band=_band_of_notice(lapsed_answer), top=top_list, ranked=ranked
            )
        draft = best_match_with_status(
            DocStatus.DRAFT, snap, cands, statuses, self.thresholds.answer
        )
        if draft is not None and self._only_draft_writes(snap, query, draft[0], current):
            reply = self._draft_only(snap, query, draft[0])
            trace.rule = f"draft:{snap.docs[draft[0].entry.doc_id or ''].doc.meta.title}"
            return reply
        judged_in_scope = verdict is not None
        named_first, unspoken = self._where_named(snap, query, current, verdict)
        if unspoken is not None:
            trace.rule = unspoken.top[0][0]
            return unspoken
        answering = self._for_procedure(snap, query, named_first)
        if answering is not current:
            ranked = self._ranked(snap, answering)
        answer = self._band(snap, query, tokens, answering, top_list, judged_in_scope, conf)
        if note is None and answer.band is Band.ANSWER and answer.hits:
            sure = self.thresholds.suggest

            def found(doc_id: str) -> bool:
                return any(c.entry.doc_id == doc_id and confidence(c) >= sure for c in cands)

            note = _not_yet_effective(snap, statuses, answer.hits[0].doc_id, found)
        if note is not None and answer.band is Band.ANSWER:
            answer = _with_notice(answer, note)
        return replace(answer, ranked=ranked)

    def _dropped_rule(
        self,
        snap: Snapshot,
        query: Query,
        cands: Sequence[Candidate],
        statuses: dict[str, DocStatusInfo],
        facts: KbFacts,
    ) -> Answer | None:
        """Declined, naming both measures: the best match overall is a measure that a
        measure in force replaced, and its passage writes a word of the question that no
        document in force writes (nor a synonym of it). The rule asked was the old measure's
        and its successor dropped it: "上市公司并购外地企业…现在还有并购奖励吗？" was answered
        with the new listing policy's 迁入奖励, while only the repealed 2029 opinions gave a
        并购 reward (zhewan, written blind)."""
        found = best_match(snap, cands, statuses, self.thresholds.answer)
        if found is None:
            return None
        best, info = found
        if (
            best.entry.kind != "chunk"
            or info.status is not DocStatus.SUPERSEDED
            or info.replaced_by not in snap.docs
        ):
            return None
        old = snap.chunks[best.entry.key].text.casefold()
        word = next(
            (
                w
                for w in self.coverage.content_words(query.text)
                if cjk_count(w) >= 2
                and self.coverage.written(w, old)
                and not any(facts.written.writes(form) for form in self.coverage.forms(w))
            ),
            None,
        )
        if word is None:
            return None
        reply = t(
            "none.dropped", query.lang, word=html.escape(word),
            old=html.escape(snap.docs[best.entry.doc_id or ""].doc.meta.title),
            new=html.escape(snap.docs[info.replaced_by or ""].doc.meta.title),
        )  # fmt: skip
        return self._out_of_scope(query, f"dropped:{word}", 0.0, reply)

    def _current_writes_the_terms(
        self, snap: Snapshot, query: Query, current: Sequence[Candidate], conf: float
    ) -> bool:
        """The leading document in force answers as surely as an answer needs and writes
        every glossary term the question names: it covers what was asked, so a lapsed
        document that matched better is not put before it. "我们是做金融科技的，去年研发投了
        800万，能补多少？" had an expired 2021 action plan's notice first, above the measure in
        force that writes 金融科技 and answers (jinsha, seen). Without such a term, or where the
        document in force does not write it (贷款保证保险 after that notice lapsed, where the
        guarantee-fee subsidy has its own amounts), the notice stays."""
        if self.absent is None or not current or conf < self.thresholds.answer:
            return False
        named = self.absent.named_written(snap, query.text)
        doc_id = current[0].entry.doc_id
        return (
            bool(named) and doc_id is not None and not self.absent.unwritten_by(snap, doc_id, named)
        )

    def _names_a_lapsed_product(self, snap: Snapshot, query: Query, lapsed: str) -> bool:
        """The question names what the lapsed document coins in quotes ("稳企贷") and no
        document in force writes: it asks about that scheme, whose end is the answer, however
        well a measure in force writes its other words (heshan, written blind: "“稳企贷”个体
        工商户贴息是几个百分点？" was answered from the tea-loan subsidy)."""
        names = [name for name in quoted_names(snap.document_text(lapsed)) if name in query.text]
        return bool(names) and not any(name in self._coined(snap).passages for name in names)

    def _only_draft_writes(
        self, snap: Snapshot, query: Query, draft: Candidate, current: Sequence[Candidate]
    ) -> bool:
        """The draft writes a word of the question that the leading document in force does
        not: the question is on what the draft proposes (知识产权 under 知识产权质押贷款区里有贴息吗,
        where the green-credit measure in force writes 质押 and 贴息), not on the rule in force
        that the draft happens to outscore."""
        lead = current[0].entry.doc_id if current else None
        if lead is None:
            return True
        unwritten = self.coverage.unwritten(query.text, snap.document_text(lead))
        proposed = snap.document_text(draft.entry.doc_id or "").casefold()
        return any(self.coverage.written(word, proposed) for word in unwritten)

    def _ranked(self, snap: Snapshot, ordered: Sequence[Candidate]) -> tuple[Hit, ...]:
        """The leading passage of each of the first ten documents, in their order."""
        return tuple(self._hit_for(snap, c, confidence(c)) for c in best_per_document(ordered, 10))

    def _for_procedure(
        self, snap: Snapshot, query: Query, current: list[Candidate]
    ) -> list[Candidate]:
        """The documents in the order an answer quotes them: a question on how to apply
        puts a guide first (`procedure`); any other puts a measure before the reading that
        restates it, unless the reading leads by more than an FAQ would (`ranking`). Only
        the order of what is quoted moves: whether the question is in scope and how sure the
        answer is were read before it."""
        if asks_procedure(query.text):
            weighed = weigh_by_procedure(
                current, query.text, lambda c: title_of(snap, c.entry.doc_id)
            )
            return current if weighed is None else order_by_document(weighed, snap.doc_sizes)
        read = measure_before_reading(
            current,
            lambda doc_id: (
                is_reading_title(title_of(snap, doc_id) or "")
                or self._sums_up_a_measure(snap, doc_id)
            ),
            self.thresholds.answer,
            snap.doc_sizes,
            lambda doc_id: self.facts(snap).levels.get(doc_id, ""),
        )
        return self._measure_before_its_notice(snap, query, read)

    def _sums_up_a_measure(self, snap: Snapshot, doc_id: str) -> bool:
        """The document is a row of a 政策清单 or a standards table that sums up a measure the
        knowledge base holds: it cites that measure's 文号 ("依据：柘政发〔2032〕5号《…》第八条"),
        so it restates the measure as a 解读 does and gives way to it the same way (zhewan,
        written blind: the table's rows were quoted before the articles they cite)."""
        rec = snap.docs.get(doc_id)
        meta = rec.doc.meta if rec is not None else None
        if meta is None or not meta.summarises or not meta.doc_number:
            return False
        return meta.doc_number in self._measure_numbers.get(snap, self.today())

    def _measure_before_its_notice(
        self, snap: Snapshot, query: Query, ordered: list[Candidate]
    ) -> list[Candidate]:
        """A notice that changes an article of a measure (an adjustment, a 修改决定) leading
        gives way to that measure when the measure's best passage among the leading documents
        writes more of the question's words: the question asks a rule the notice leaves as it
        was, and the measure's article is quoted with the notice's change shown under it.
        "贷款风险补偿资金池对一般市场主体按贷款本金损失的多少补偿？" was answered first with the
        notice that raises only the 首贷户 share (zhewan, written blind; xipu's涉渔 guarantee
        rate the same way). Asked what the notice changes, both write the words, and the
        notice stays first."""
        if not ordered or ordered[0].entry.kind != "chunk":
            return ordered
        lead = ordered[0]
        source = snap.docs[lead.entry.doc_id or ""].doc.source
        targets = {
            target
            for target, articles in self._amendments(snap).items()
            for pairs in articles.values()
            for _, shown in pairs
            if shown.by_source == source
        }
        measure = next(
            (
                c
                for c in best_per_document(ordered, LEADING_DOCUMENTS)
                if c.entry.doc_id in targets and c.entry.kind == "chunk"
            ),
            None,
        )
        if measure is None:
            return ordered
        missing = [
            len(self.coverage.unwritten(query.text, snap.chunks[c.entry.key].text))
            for c in (measure, lead)
        ]
        if missing[0] >= missing[1]:
            return ordered
        return document_first(ordered, measure.entry.doc_id or "")

    @staticmethod
    def _level_asked(facts: KbFacts, query: Query) -> str | None:
        """The level whose own policy the question asks for; for a follow-up read in context,
        the one its own words name before the previous document's: "区里呢？" after "市里对港股
        上市给多少奖励？" asks for the district's, though the city's title leads the search (jihu,
        written blind: three such follow-ups were answered from the previous level's measure)."""
        own = facts.level_asked(query.said) if query.said else None
        return own if own is not None else facts.level_asked(query.text)

    def _scope_verdict(
        self, snap: Snapshot, query: Query, vec: np.ndarray, latin_vec: np.ndarray | None
    ) -> ScopeVerdict | None:
        """The scope model's verdict on the question; for one in Latin script below the
        cut-off, the verdict on it glossed with the Chinese terms of its phrases
        (`Lexicon.glossed`) when that one clears the cut-off on its own, without the
        English slack. The in-scope evidence is the knowledge base's Chinese text, and the
        English words of a thing it covers ("lists on the STAR Market") can sit nearer the
        shipped examples that name the same thing out of scope ("How is the IPO price
        determined on the STAR Market?") than any Chinese heading. Over 33 seen sets
        (session 44): of their English questions 8 in scope answered that were declined, 1
        out of scope shown choices ("cargo transport insurance"); the held-out tongyue
        unchanged."""
        if self.scope_model is None:
            return None
        verdict = self.scope_model.verdict(snap, vec, query.text, latin_vec)
        if verdict is None or verdict.margin >= verdict.threshold or has_cjk(query.text):
            return verdict
        glossed = self.lexicon.glossed(query.text)
        if glossed is None:
            return verdict
        second = self.scope_model.verdict(snap, self._encode(glossed), glossed)
        return second if second is not None and second.margin >= second.threshold else verdict

    def _lexical_tokens(self, query: Query) -> list[str]:
        """What the keyword search looks for: the expanded question, and for a question in
        Latin script the Chinese terms of its English phrases (`Lexicon.translate`): its own
        words are written nowhere in a Chinese knowledge base."""
        if has_cjk(query.text):
            return self.store.tokenize(query.expanded)
        translated = self.lexicon.translate(query.text)
        return self.store.tokenize(" ".join([query.expanded, *translated]))

    def _first_part_in_scope(self, query: Query) -> bool:
        """A question that asks two things ("企业发公司债奖励多少？发完多久之内要去申报？") is in
        scope when its first part is on its own: the later parts lean on the first's subject
        and say little alone ("发完多久之内要去申报？"), and together they read further from
        the documents than the first part alone (a blind KB declined both of its two-part
        questions on its bond and border-trade loans). Not any part: a later part alone
        ("最多能领几个月") is too bare to vouch for the whole ("失业金怎么领？最多能领几个月" was
        answered). Over 41 sets (session 42): 10 in-scope questions answered that were
        declined, 5 out-of-scope ones answered whose first part alone was answered too."""
        if not has_cjk(query.text):
            return False
        parts = question_parts(query.text)
        if len(parts) < 2:
            return False
        first = replace(query, text=parts[0], expanded=self.lexicon.expand_query(parts[0]))
        return self._decide(first, self._encode_expanded(first.expanded)).band is not Band.NONE

    def _names_own_product(self, snap: Snapshot, query: Query) -> bool:
        """The question names a product or programme the documents in force coin in quotes
        ("榆科贷", "栎信贷") that is no word of the language nor of the lexicon: it asks about
        this bureau's own scheme, which the scope model, comparing the question with
        examples, cannot know (yuwan, written blind: "榆科贷能贷多少钱，利息大概多少啊？" was
        declined with the article first in the ranking)."""
        return any(
            not dictionary_word(name)
            and name not in self.lexicon.terms()
            and not name.endswith(_PLACE_LEVELS)
            for name in self._coined(snap).named_in(query.text)
        )

    def _written_out(self, query: Query, leading: Sequence[Candidate]) -> bool:
        """One of the leading passages (its title, heading and text, as embedded at ingest)
        writes out every content word of the question (`coverage`). Not only the first: the
        article that names 地市级分行 was third behind two articles of the same measure."""
        return self.coverage.covered_by_any(
            query.text, (c.entry.embed_text for c in leading if c.entry.kind == "chunk")
        )

    def _explained(
        self, snap: Snapshot, top: Sequence[Candidate], statuses: dict[str, DocStatusInfo]
    ) -> list[ExplainedEntry]:
        out = []
        for rank, c in enumerate(top, 1):
            hit = self._hit_for(snap, c, confidence(c))
            info = statuses.get(c.entry.doc_id or "")
            out.append(
                ExplainedEntry(
                    rank=rank,
                    kind=c.entry.kind,
                    doc_id=c.entry.doc_id,
                    title=hit.title,
                    section=hit.section,
                    status=str(info.status) if info else "current",
                    lexical_rank=None if c.sparse_rank is None else c.sparse_rank + 1,
                    dense_rank=None if c.dense_rank is None else c.dense_rank + 1,
                    fused=round(c.fused, 4),
                    confidence=round(confidence(c), 4),
                )
            )
        return out

    def _question_centre(self, query: Query) -> np.ndarray | None:
        """Where typical Latin-script questions sit, for a Latin-script question: its dense
        list is then ranked by centred cosine (`index.centring`); None for Chinese."""
        if has_cjk(query.text) or self.scope_model is None:
            return None
        return self.scope_model.latin_centre()

    def _latin_vector(self, query: Query) -> np.ndarray | None:
        """The second encoder's vector of a Latin-script question (for the third list)."""
        if self.latin is None or has_cjk(query.text):
            return None
        return self.latin.encoding.encode([query.text])[0]

    @staticmethod
    def _passage_texts(
        snap: Snapshot, current: Sequence[Candidate], n: int = BEST_PASSAGES
    ) -> list[str]:
        """The text of each of the best current entries (lower case): what an answer would
        quote from."""
        texts = []
        for c in current[:n]:
            if c.entry.kind == "chunk":
                texts.append(snap.chunks[c.entry.key].text)
            else:
                faq = snap.faqs[c.entry.key]
                texts.append(" ".join([*faq.questions, faq.answer]))
        return [text.lower() for text in texts]

    def _amendments(self, snap: Snapshot) -> ArticleChanges:
        """The amending decisions in force today (kept per generation and day)."""
        return self._amended.get(snap, self.today())

    def _coined(self, snap: Snapshot) -> CoinedNames:
        """The names the documents in force coin (kept per generation and day)."""
        return self._coined_names.get(snap, self.today())

    def facts(self, snap: Snapshot) -> KbFacts:
        """The knowledge base's own places and words as of today (kept per generation and day)."""
        return self._facts.get(snap, self.today())

    def _level_stating(
        self,
        snap: Snapshot,
        question: str,
        facts: KbFacts,
        parent: str,
        current: Sequence[Candidate],
    ) -> Candidate | None:
        """The entry to quote first when each part of the question that asks a level above's
        own measure (the whole question, asking `parent`, when no part does alone) is
        answered (`KbFacts.states_level`) on the things that part names, in their words or a
        synonym's; None when one is not. Answered by the best passages overall (the first
        entry stays first), or by a sentence (a table's row) of the best passages of another
        leading document that writes those things itself (that entry goes first). A
        district's 百问百答 can fill the first places with its own answers while its table of
        the city's and the province's standards, next, holds the row asked for (tingbu,
        written blind: "省里对政府性融资担保机构的代偿补偿，每家机构每年上限是多少？", the table's
        省级代偿补偿 row, was declined as a place the knowledge base holds no document of).
        Read that far, a passage on other things is no answer: a 一图读懂's "在沅川股权交易中心
        专板挂牌：奖20万元" beside its 新三板 line says nothing of what the province gives for
        新三板."""
        if not current:
            return None
        best = self._passage_texts(snap, current)
        further = [
            (c, text)
            for c in entries_per_document(current, LEADING_DOCUMENTS, BEST_PASSAGES)
            if (text := self._passage_texts(snap, [c])[0]) not in best
        ]
        under = facts.passage_levels
        # … and the passages found anywhere that stand under a level's heading of a document of
        # the deployment's own (`KbFacts.passage_levels`): the city's part of a district's 政策汇编
        shown = {text for _, text in further}
        further += [
            (c, text)
            for c in current
            if under.get(c.entry.key)
            and (text := self._passage_texts(snap, [c])[0]) not in best
            and text not in shown
        ]
        asked = [(part, level) for part in question_parts(question)
                 if (level := facts.parent_asked(part)) is not None]  # fmt: skip
        first = current[0]
        writes = self._writes_term
        for part, level in asked or [(question, parent)]:
            terms = self._things_named(snap, part)
            if facts.states_level(level, best, terms, writes):
                continue
            levelled = next(
                (
                    c
                    for c, text in zip(current, best, strict=False)
                    if under.get(c.entry.key) == level
                    and facts.states_level(level, [text], terms, writes, under=True)
                ),
                None,
            )
            if levelled is not None:
                first = levelled if first is current[0] else first
                continue
            stating = next(
                (
                    c
                    for c, text in further
                    if terms
                    and facts.states_level(
                        level,
                        [text],
                        terms,
                        writes,
                        in_sentence=True,
                        under=under.get(c.entry.key) == level,
                    )
                ),
                None,
            )
            if stating is None:
                return None
            first = stating if first is current[0] else first
        return first

    def _listed_out_of_scope(
        self,
        query: Query,
        facts: KbFacts,
        passages: Sequence[str],
        parent: str | None,
        level_stated: bool = False,
    ) -> Answer | None:
        """The scope lists, where the documents are silent.

        A listed private-life topic is declined unless the passages the search found speak
        of it, in its words or a lexicon synonym's (a 股改 guide on shareholders' 个人所得税
        answers a question on their 个税); a place is
        another place unless it is home or the knowledge base holds its policies. `parent`:
        the level above whose own measure the question asks and the passages found do not
        state (`_level_stating`); `level_stated`: the question names a level above whose
        measure the passages state, so naming it is no sign the question is about home: a
        place no document writes, inside that level, is still another place ("临溟省省会定川市
        对北交所上市奖励多少？", xipu, written blind, once the province's part of its 汇编 was
        read as the province's).
        """
        found = "\n".join(passages)
        silent = [
            topic
            for topic in self.scope.topics(query.text)
            if not self._topic_written(topic, query.text, found)
        ]
        if silent:
            return self._out_of_scope(query, "scope:" + silent[0], 0.0)
        other = parent or facts.neighbour_asked(query.text, prepare_question(query.original))
        if other is not None:
            return self._other_place(query, facts, other)
        own_policy_of = facts.own_policy_asked(query.text)
        if own_policy_of is not None:
            return self._other_place(query, facts, own_policy_of, below=True)
        if facts.names_home(query.text) and not (
            level_stated and self._unwritten_place(query, facts)
        ):
            return None
        listed = self.scope.places.elsewhere(query.text, facts.covered)
        if listed is not None and facts.names_own_part(query.text, listed):
            listed = None
        place = listed or self._unwritten_place(query, facts) or sibling_place(query.text, facts)
        if place is None:
            return None
        return self._other_place(query, facts, place)

    def _topic_written(self, topic: str, question: str, found: str) -> bool:
        """The passages speak of a listed topic: in its words or a synonym's; for a Chinese
        topic, in the full form it abbreviates (医保: the 基本医疗保险 an anti-poverty
        insurance measure pays after; one in-scope question of 35 sets let through, no
        out-of-scope one, session 40); for an English topic, in the Chinese terms of the
        question's phrase that holds it, those that are no listed topic themselves, or their
        heads (`_head_written`). "rural land management right mortgage loan" holds
        "mortgage": its 抵押贷款 is what a county's farmland-mortgage measure writes; a "home
        mortgage" is a 房贷, listed as the Chinese topic, and stays declined as the Chinese
        question is. Over 29 sets (session 39), four English questions on such measures had
        been declined as a personal mortgage."""
        if self.coverage.written(topic, found):
            return True
        if has_cjk(topic):
            return abbreviated(topic, found)
        return any(
            topic in phrase
            and any(
                self.coverage.written(term, found) or self._head_written(term, found)
                for term in meaning
                if not self.scope.topics(term)
            )
            for phrase, meaning in self.lexicon.translated_phrases(question)
        )

    def _head_written(self, term: str, found: str) -> bool:
        """The passages write what a Chinese term is a kind of, its head, its last HEAD_MIN
        characters (the shortest head the glossary reads, `AbsentTerms.head_written`):
        不动产抵押 is a 抵押. "a loan secured by a property
        mortgage" translates to 不动产抵押, which a risk-pool measure listing 抵押 loans in a
        table never writes (three English questions declined as a personal mortgage, on
        chaping and yeshan, session 40; none let through over 37 sets)."""
        head = term[-HEAD_MIN:]
        return has_cjk(term) and head != term and self.coverage.written(head, found)

    @staticmethod
    def _unwritten_place(query: Query, facts: KbFacts) -> str | None:
        """A place no document in force writes, asked about on its own (not beside the
        deployment's own level, not how the own money stacks with it): its policy is not in
        the knowledge base (`bot.unwritten_places`)."""
        place = unwritten_place(query.text, facts.written)
        return place if place is not None and facts.asked_on_its_own(query.text, place) else None

    def _other_place(
        self, query: Query, facts: KbFacts, place: str, *, below: bool = False
    ) -> Answer:
        """Declined: the question is about another place's (or a higher level's) policies,
        or about what a place the documents speak of adds on its own (`below`)."""
        home = facts.home_name_latin if query.lang == "en" else facts.home_name
        home = home or t("place.this_district", query.lang)
        shown = latin_display(place) if query.lang == "en" and has_cjk(place) else place
        key = "none.own_policy_of_place" if below else "none.other_place"
        reply = t(key, query.lang, home=html.escape(home), place=html.escape(shown))
        return self._out_of_scope(query, "place:" + place, 0.0, reply)

    def _names_what_no_document_writes(
        self, snap: Snapshot, query: Query, verdict: ScopeVerdict | None, quoted: str | None
    ) -> Answer | None:
        """A question that names a specific thing (a glossary term) no document writes:
        the documents cannot answer it, whatever else it shares with them (`absent`).

        Unless the scope model places it as firmly in scope as a typical in-scope question
        (the knowledge base's median margin): then the term is most likely a kind of what
        the documents cover under a wider name (发明专利 where they write 专利, a 大基金 to
        bring in). Over twelve sets that spared 6 of 7 wrongly declined questions and kept
        59 of the 69 out-of-scope ones the glossary catches (session 26). It yields only
        where the documents write what the term is a kind of (its head: 专利 of 发明专利,
        `AbsentTerms.head_written`): over 24 sets (session 35) the spare kept 10 in-scope
        questions and let 41 out-of-scope ones through; read with the head, it lets 15 of
        those be declined (定向增发, 知识产权证券化, 短期融资券, 新三板 where the documents
        write neither it nor its last two characters) and still keeps the 10. The head must be
        written by the document the answer would quote (`quoted`), not anywhere: over 39 sets
        (session 46) the spare kept 18 in-scope questions and let 52 out-of-scope ones through
        (市值管理 on 管理, 贷款保证保险 on 保险); read in the quoted document it keeps the 18 and
        declines 22 of the 52."""
        if self.absent is None:
            return None
        term = self.absent.first_unwritten(snap, query.text)
        shown = term
        if term is None and not has_cjk(query.text):
            phrase = self.absent.first_unwritten_phrase(snap, query.text)
            if phrase is not None:
                shown, term = phrase
        if term is None and has_cjk(query.text):
            # a product, or a name in quotes, is declined whatever the scope model says: no
            # wider word stands for it
            product = self.absent.first_unwritten_product(
                snap, query.text
            ) or self.absent.first_unwritten_name(query.text, snap)
            if product is not None:
                reply = t("none.absent_term", query.lang, term=html.escape(product))
                return self._out_of_scope(query, f"absent:{product}", 0.0, reply)
        if term is None or shown is None:
            return None
        if _yields_to_scope_model(self.absent, snap, term, verdict, quoted):
            return None
        reply = t("none.absent_term", query.lang, term=html.escape(shown))
        return self._out_of_scope(query, f"absent:{term}", 0.0, reply)

    def _where_named(
        self, snap: Snapshot, query: Query, current: list[Candidate], verdict: ScopeVerdict | None
    ) -> tuple[list[Candidate], Answer | None]:
        """The leading documents read for the terms the question names (`named`): the one that
        writes them all is quoted first; when the first writes none of them and none of the
        others writes them all, the question is declined naming the term, unless the scope
        model places it as firmly in scope as a typical question and the documents write the
        term's head (as `absent` spares one). A requirement or a benefit the leading passages
        do not state is declined whatever the scope model says: it cannot know what the
        passages state (over 24 sets, session 35, the spare had kept no in-scope question
        and let 3 out-of-scope ones through)."""
        if self.absent is None:
            return current, None
        leading: list[str] = []
        for c in best_per_document(current, LEADING_DOCUMENTS):
            if c.entry.doc_id is None:
                break
            leading.append(c.entry.doc_id)
        keyword_first = next(
            (c.entry.doc_id for c in current if c.sparse_rank == 0 and c.entry.doc_id), None
        )
        also = (keyword_first,) if keyword_first and keyword_first not in leading else ()
        reading = read_named(self.absent, snap, query.text, leading, also)
        if reading.first is not None:
            current = document_first(current, reading.first)
        if reading.unstated is not None:
            asked, of = reading.unstated
            key = "none.detail_unstated" if asked in DETAILS else "none.requirement_unstated"
            reply = t(
                key, query.lang,
                asked=html.escape(asked), of="、".join(html.escape(term) for term in of),
            )  # fmt: skip
            return current, self._out_of_scope(query, f"unstated:{asked}", 0.0, reply)
        if reading.unrewarded is not None:
            reply = t("none.benefit_unstated", query.lang, term=html.escape(reading.unrewarded))
            return current, self._out_of_scope(
                query, f"unrewarded:{reading.unrewarded}", 0.0, reply
            )
        if reading.unspoken is None or _yields_to_scope_model(
            self.absent, snap, reading.unspoken, verdict
        ):
            return current, None
        reply = t("none.term_elsewhere", query.lang, term=html.escape(reading.unspoken))
        return current, self._out_of_scope(query, f"elsewhere:{reading.unspoken}", 0.0, reply)

    def _band(
        self,
        snap: Snapshot,
        query: Query,
        tokens: Sequence[str],
        current: list[Candidate],
        top_list: TopList,
        judged_in_scope: bool = False,
        conf: float | None = None,
    ) -> Answer:
        """answer / suggest / none by lexical confidence. A question the scope model placed
        in scope is never "none" for want of shared words (English, everyday phrasing):
        it gets the "did you mean" choices instead."""
        if conf is None:
            conf = max(confidence(c) for c in current[:3])
        best = first_quote(snap, current, query.text, tokens, self.facts(snap).passage_levels)
        if conf >= self.thresholds.answer and says_enough(query.text):
            hits = self._hits_for(snap, best, current, conf, query)
            return make_answer(
                query, Band.ANSWER, hits=tuple(hits), related=self._related(snap, hits, current),
                confidence=conf, top=top_list,
            )  # fmt: skip
        if conf >= self.thresholds.suggest or judged_in_scope:
            shown = tuple(self._hit_for(snap, c, confidence(c)) for c in current[:3])
            return make_answer(
                query, Band.SUGGEST, hits=shown, suggestions=self._suggestions(snap, current),
                confidence=conf, top=top_list,
            )  # fmt: skip
        return self._none(query, conf, top_list)

    def _level_silent(
        self, snap: Snapshot, query: Query, facts: KbFacts, level: str
    ) -> Answer | None:
        """Declined: the question asks for a level above's own rule on a thing (glossary terms
        the knowledge base writes somewhere) that no document of that level writes, nor asks
        how the own money stacks with it ("宛澄省对企业首发上市有没有省级奖励？" where the
        province's documents are a regional-equity-market 问答, a 再担保 问答 and a start-up loan
        measure). Answering quoted the own level's measure, or the level's document on another
        thing, as if it were that level's rule: over the 12 sets of the six knowledge bases
        holding a level above's documents (jihu, panxi, luanxi, meixi, daizhou, songling: all
        seen, session 49), 8 out-of-scope questions answered so, and 2 in scope had this form
        (one naming a level's rating, "黔岭省等级民宿", which since asks for no level; one asking
        how a subsidy stacks, which is excluded)."""
        if self.absent is None or level not in {name for name, _ in facts.above}:
            return None
        if facts.stacks(query.text):
            return None
        asking = self._parts_asking_level(query.text, facts, level)
        docs = [doc_id for doc_id, of in facts.levels.items() if of == level]
        if not docs:
            return None
        terms = self.absent.named_written(snap, asking)
        if not terms or any(
            len(self.absent.unwritten_by(snap, d, terms)) < len(terms) for d in docs
        ):
            things = [t for t in terms if not any(b in t for b in BENEFITS)]
            terms = [
                word
                for word in dict.fromkeys([*things, *self.absent.subjects_written(snap, asking)])
                if all(self.absent.unwritten_by(snap, d, [word]) for d in docs)
            ][:1]
        if not terms:
            return None
        named = dict(facts.above).get(level)
        if named is not None and self._written_with_level(snap, terms[0], named):
            return None
        if level == NATIONAL:
            shown = t("level.national", query.lang)
        else:
            shown = level if query.lang == "zh" else latin_display(level)
        reply = t("none.level_silent", query.lang, level=shown, term=html.escape(terms[0]))
        return self._out_of_scope(query, f"level:{shown}的“{terms[0]}”", 0.0, reply)

    def _level_sentence(
        self,
        snap: Snapshot,
        question: str,
        facts: KbFacts,
        level: str,
        current: Sequence[Candidate],
    ) -> Candidate | None:
        """The first of the leading documents' best passages with a sentence (a table's row)
        that states the level's figure and itself writes every thing the question names
        (glossary terms, not benefits): where the level's own documents are few and on other
        things, the own 问答 or table may still give its number ("澹州市中小企业融资担保有限公司
        对小微企业的年化担保费率一般为1%"). A question naming no thing (only the domain:
        "衡蕲省对企业上市有没有省级奖励？") is answered by no such sentence, nor is a sentence
        giving another figure beside the level's name ("同时纳入澹州市级或省级库的再奖5万元" is
        the own reward, not the level's 入库条件). The passage must name the level by its name:
        "市级" alone is any city's word, the own one's too."""
        terms = self._things_named(snap, question)
        if not terms:
            return None
        names = [name.lower() for name in short_forms(level) if len(name) >= 2]
        for c in entries_per_document(current, LEADING_DOCUMENTS, BEST_PASSAGES):
            text = self._passage_texts(snap, [c])[0]
            if not any(name in text for name in names):
                continue
            under = facts.passage_levels.get(c.entry.key) == level
            if facts.states_level(
                level, [text], terms, self._writes_term, in_sentence=True, under=under
            ):
                return c
        return None

    def _things_named(self, snap: Snapshot, text: str) -> list[str]:
        """The glossary terms the text names that the knowledge base writes, other than
        benefits (lower case): what a level's figure must be stated on to answer for it."""
        return [
            term.lower()
            for term in (self.absent.named_written(snap, text) if self.absent else [])
            if not any(benefit in term for benefit in BENEFITS)
        ]

    def _writes_term(self, term: str, text: str) -> bool:
        """The text writes the term or a synonym, read without the brackets and quotes a
        document puts inside terms ("首台（套）")."""
        return self.coverage.written(term, without_noise(text))

    def _written_with_level(self, snap: Snapshot, term: str, level: re.Pattern[str]) -> bool:
        """A document in force writes the thing on a line that gives the level's figure: the
        own table states the level's share ("险种：茶叶收入保险；…；市级财政：20.00%"), and asked "茶叶
        收入保险市里补多少比例？" it answers, though no document of the city's own writes it
        (fengzhu, seen, session 54). A line that only names the level's measure ("本办法贴息与
        市级知识产权质押融资贴息可以叠加") gives none (jihu: two out-of-scope questions)."""
        return any(
            term in clause and _states_level_figure(clause, level)
            for doc_id in documents_in_force(snap, self.today())
            for chunk in snap.docs[doc_id].doc.chunks
            for line in chunk.text.split("\n")
            for clause in _level_clauses(line)
        )

    @staticmethod
    def _parts_asking_level(text: str, facts: KbFacts, level: str) -> str:
        """The parts of a question that ask for the level: a two-part question's other part
        names things of other documents by design ("猕猴桃保险市级财政补几成？板栗贷款贴息一年怎么
        申报？" asks the city only of the insurance; its 贷款贴息 is the district's), so its
        terms are not the level's to write (lishan, session 50: declined for 贷款贴息)."""
        parts = question_parts(text)
        asking = [part for part in parts if facts.level_asked(part) == level]
        return "。".join(asking) if len(parts) >= 2 and asking else text

    def _out_of_scope(
        self, query: Query, reason: str, score: float, reply: str | None = None
    ) -> Answer:
        return make_answer(
            query, Band.NONE, reply=reply or t("none.out_of_scope", query.lang),
            top=((reason, score),),
        )  # fmt: skip

    def _status(self, snap: Snapshot, doc_id: str | None) -> DocStatus:
        if doc_id is None:
            return DocStatus.CURRENT
        return snap.status_of(doc_id, self.today())

    def _hits_for(
        self,
        snap: Snapshot,
        best: Candidate,
        current: list[Candidate],
        conf: float,
        query: Query | None = None,
    ) -> list[Hit]:
        hits = [self._hit_for(snap, best, conf)]
        parts = question_parts(query.text) if query is not None else []
        if best.entry.kind == "faq":
            hits += self._backing_passage(snap, best.entry.key)
            quoted = {h.chunk_id for h in hits if h.chunk_id}
            more = self._other_parts(snap, parts, current, conf, quoted)
            return (hits + more)[:MAX_QUOTES]
        if len(parts) >= 2:
            more = [
                h
                for h in self._part_hits(snap, parts, current, conf)
                if h.chunk_id != best.entry.key
            ]
            return (hits + more)[:MAX_QUOTES]
        second = second_quote(snap, best, current, conf, self.thresholds.second_passage_ratio)
        if second is not None:
            hits.append(self._hit_for(snap, second, confidence(second)))
        return hits

    def _part_hits(
        self, snap: Snapshot, parts: Sequence[str], current: Sequence[Candidate], conf: float
    ) -> list[Hit]:
        """The best section for each part of a two-part question (`quotes.PartQuoter`)."""
        facts = self.facts(snap)
        chosen = self.parts.sections(
            snap, parts, current, snap.statuses(self.today()), facts.level_asked, facts.levels
        )
        return [self._chunk_hit(snap, chunk_id, conf) for chunk_id in chosen]

    def _other_parts(
        self,
        snap: Snapshot,
        parts: Sequence[str],
        current: Sequence[Candidate],
        conf: float,
        quoted: set[str],
    ) -> list[Hit]:
        """An FAQ answer answers one part of a two-part question; the best section for each
        part, other than the passage the FAQ's answer already quotes ("担保费率是多少？另外应急
        转贷一年能用几次？" answered by the 应急转贷 FAQ alone used to leave the fee unquoted).
        A part in the FAQ's own document too: the FAQ on 使用期限 does not state the 资金占用费
        of "应急转贷资金占用费怎么收？使用期限最长多少天？", the article beside it does (it was
        left unquoted as the FAQ's document's)."""
        if len(parts) < 2:
            return []
        return [h for h in self._part_hits(snap, parts, current, conf) if h.chunk_id not in quoted]

    def _backing_passage(self, snap: Snapshot, faq_id: str) -> list[Hit]:
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
        text, amended = amended_text(self._amendments(snap), ch.doc_id, ch.section, ch.text)
        return Hit(
            kind="chunk",
            doc_id=ch.doc_id,
            source=rec.doc.source,
            title=meta.title,
            section=ch.section,
            status=str(info.status if info else DocStatus.CURRENT),
            score=round(score, 4),
            text=text,
            amended=amended,
            doc_number=meta.doc_number,
            issuer=meta.issuer,
            effective=meta.effective or meta.published,
            expires=valid_until(meta, info),
            extended_by=title_of(snap, info.extended_by if info else None),
            chunk_id=chunk_id,
            replaced_by=info.replaced_by if info else None,
            revision=rec.revision,
            content_hash=rec.doc.content_hash[:8],
            compiled_in=meta.compiled_in,
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
                revision=rec.revision if rec else None,
                content_hash=rec.doc.content_hash[:8] if rec else None,
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

    def _notice_answer(
        self,
        snap: Snapshot,
        query: Query,
        c: Candidate,
        info: DocStatusInfo,
        current: list[Candidate],
    ) -> Answer:
        """The document is not in force (no longer, a draft or a measure not yet): say so, and
        quote the document in force in its place, if any."""
        notice = _notice(snap, c.entry.doc_id or "", info)
        new_id = notice.new_doc_id
        hits: list[Hit] = []
        if new_id is not None:
            same_doc = [x for x in current if x.entry.doc_id == new_id and x.entry.kind == "chunk"]
            if same_doc:
                hits.append(self._chunk_hit(snap, same_doc[0].entry.key, confidence(same_doc[0])))
            elif snap.docs[new_id].doc.chunks:
                hits.append(self._chunk_hit(snap, snap.docs[new_id].doc.chunks[0].chunk_id, 0.0))
        return make_answer(
            query, Band.ANSWER, hits=tuple(hits), notice=notice, confidence=confidence(c)
        )

    def _draft_only(self, snap: Snapshot, query: Query, c: Candidate) -> Answer:
        """No document in force says it; a draft for comment does: named, not quoted."""
        doc_id = c.entry.doc_id or ""
        title = snap.docs[doc_id].doc.meta.title
        return make_answer(
            query, Band.NONE, reply=t("none.draft_only", query.lang, title=title),
            confidence=confidence(c), top=((f"draft:{doc_id}", round(confidence(c), 4)),),
        )  # fmt: skip

    def _none(self, query: Query, conf: float, top: TopList) -> Answer:
        return make_answer(
            query, Band.NONE, reply=t("none.reply", query.lang), confidence=conf, top=top
        )

    def introduction(self, lang: Lang) -> str:
        """The assistant's self-introduction, naming the deployment's own place
        (FINBOT_JURISDICTION, else the place its documents speak for), not the sample's,
        and an example question its documents answer."""
        facts = self.facts(self.store.snapshot().by_entries())
        example = self.example_hint(lang)
        if lang == "en":
            latin = facts.home_name_latin
            of_home = f" of {latin}" if latin else ""
            return t("chat.intro", lang, home="", of_home=of_home, example=example)
        return t("chat.intro", lang, home=facts.home_name, of_home="", example=example)

    def example_hint(self, lang: Lang) -> str:
        """ " (e.g. “…”)" with a question this knowledge base answers, or "" (`examples`)."""
        example = self.example()
        return t("chat.example", lang, question=example.text(lang)) if example else ""

    def example(self) -> Example | None:
        """The first everyday question the documents in force answer (cached per generation
        and day; the first call answers one to a few questions, so warm-up makes it)."""
        return self._example.get(self.store.snapshot().by_entries(), self.today())

    def _without_search(self, query: Query, trace: Trace | None = None) -> Answer | None:
        """The reply to a message with nothing to search (empty, punctuation only) or that
        is not a policy question (`intents`); None for a question."""
        prepared = prepare_question(query.original)
        if not prepared:
            return self._empty_question(query)
        intent = chat_intent(prepared)
        if intent is None:
            return None
        if trace is not None:
            trace.rule = f"intent:{intent}"
        return self._chat_reply(query, intent)

    def _chat_reply(self, query: Query, intent: ChatIntent) -> Answer:
        """A greeting, thanks or a bare financing need, answered without a search; the
        reason is logged as "intent:…" so statistics do not count it as a document."""
        params = {"intro": self.introduction(query.lang)} if intent is ChatIntent.GREETING else {}
        reply = t(f"chat.{intent}", query.lang, **params)
        answer = make_answer(query, Band.NONE, reply=reply, top=((f"intent:{intent}", 0.0),))
        return replace(answer, intent=intent)

    def _empty_question(self, query: Query) -> Answer:
        reply = t("question.empty", query.lang, example=self.example_hint(query.lang))
        return make_answer(query, Band.NONE, reply=reply)


# a level's figure: its word, then a number within a few characters ("市级财政：20.00%", "市级补贴30%")
_LEVEL_FIGURE_GAP: Final = 6


def _level_clauses(line: str) -> list[str]:
    """The stretches of a line within which a level's figure is read on a thing: a table's
    row of fields ("险种：茶叶收入保险；…；市级财政：20.00%") whole, a sentence clause by clause
    ("柘湾市级…股改、辅导备案…累计最高800万元；澹州市级…辅导备案50万元…" gives no 澹州 股改
    figure: zhewan, written blind, answered "澹州对企业完成股改有没有奖励？" from it)."""
    clauses = [c for c in _CLAUSE_BREAK.split(line) if c.strip()]
    if len(clauses) <= 1 or all(_FIELD.match(c) for c in clauses):
        return [line]
    return clauses


_CLAUSE_BREAK: Final = re.compile(r"[；;。]")
_FIELD: Final = re.compile(r"^\s*[^：:，,。]{1,16}[：:]")


def _states_level_figure(line: str, level: re.Pattern[str]) -> bool:
    return any(
        re.match(rf"\D{{0,{_LEVEL_FIGURE_GAP}}}\d", line[m.end() :]) for m in level.finditer(line)
    )


def _band_of_notice(answer: Answer) -> Band:
    """A notice that quotes nothing in force in its place is no answer: the question asked a
    rule (稳企贷的贴息怎么申报), and only a document that has lapsed gave one. It is said as
    the notice ("…已不再施行…知识库中没有替代它的现行文件"), with what a question the documents
    cannot answer gets: the way to an officer and the request form, and a miss in the
    bureau's statistics. A question that names the old document itself (现在还执行吗) is
    answered by the notice, and keeps its band (`named_old_document`)."""
    return Band.ANSWER if answer.hits else Band.NONE


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def _notice(snap: Snapshot, doc_id: str, info: DocStatusInfo) -> Notice:
    """The note on a document not in force (repealed, expired, a draft, or a measure that
    takes effect later), naming the document in force in its place when the knowledge base
    holds it. A named draft of an unknown rule carries it over the answer from the documents
    in force: its numbers are proposals, not rules."""
    new_id = info.replaced_by if info.replaced_by in snap.docs else None
    doc = snap.docs[doc_id].doc
    return Notice(
        old_doc_id=doc_id,
        old_title=doc.meta.title,
        status=str(info.status),
        new_doc_id=new_id,
        new_title=title_of(snap, new_id),
        old_source=doc.source,
        effective=doc.meta.effective if info.reason == "not_yet_effective" else None,
        in_part=info.in_part,
    )


def _not_yet_effective(
    snap: Snapshot,
    statuses: Mapping[str, DocStatusInfo],
    doc_id: str | None,
    found: Callable[[str], bool] = lambda _doc_id: False,
) -> Notice | None:
    """The note on the document an answer quotes first when it takes effect later ("《…》自
    2027年1月1日起施行，目前尚未生效"), or when a measure taking effect later will replace it
    ("…将取代现行的《…》"): the quoted rule applies until that day, and a firm planning a
    loan needs to know that it changes. A later notice that changes only part of the quoted
    measure is noted only where the question is about that part: when the search finds a
    passage of the notice itself as surely as a suggestion needs (`found`, asked only
    then). daizhou's notice raising the 股改 subsidy from 2027-10-01 was shown over every
    answer from its listing measure, its GEM and 借壳 rewards too (the notice's best passage:
    confidence ≤ .01 on those, 1.00 on its four 股改 questions)."""
    if doc_id is None:
        return None
    own = statuses.get(doc_id)
    if own is not None and own.reason == "not_yet_effective" and doc_id in snap.docs:
        return _notice(snap, doc_id, replace(own, status=DocStatus.PENDING))
    replacing = [
        other
        for other, info in statuses.items()
        if info.status is DocStatus.PENDING
        and info.replaced_by == doc_id
        and other in snap.docs
        and (not info.in_part or found(other))
    ]
    if not replacing:
        return None
    other = min(replacing)  # the same one on every answer, whatever the order of `statuses`
    return _notice(snap, other, statuses[other])


def _yields_to_scope_model(
    absent: AbsentTerms,
    snap: Snapshot,
    term: str,
    verdict: ScopeVerdict | None,
    quoted: str | None = None,
) -> bool:
    """A term the documents (or the leading ones) do not write declines nothing when the scope
    model places the question as firmly in scope as a typical one and the documents write what
    the term is a kind of (its head: `AbsentTerms.head_written`): for a term no document
    writes, the document the answer would quote (`quoted`) must write it."""
    return _as_sure_as_typical(verdict) and absent.head_written(snap, term, quoted)


def _as_sure_as_typical(verdict: ScopeVerdict | None) -> bool:
    """The scope model places the question as firmly in scope as the knowledge base's typical
    in-scope question: a term check (`absent`, `named`) then yields to it."""
    return verdict is not None and verdict.margin >= verdict.typical
