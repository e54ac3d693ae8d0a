"""Which passages an answer quotes, once the documents are ranked.

The ranking (`ranking`) decides which document answers; this module decides which of its
passages are shown, and in which order:

- the first quote: among the leading document's first matching passages, not its purpose
  sentence (`purpose`), the best by fused score raised by how much of its heading the
  question writes (`headings`);
- a second passage when it is nearly as good;
- for a question that asks two things (`parts`), the best section for each part, looked for
  in the document the whole question found, or in the part's own first document when that one
  writes more of the part's words.

It returns candidates and chunk ids, never `Hit`s: the service builds those (with the
amendments in force, statuses and sources), so this module knows nothing of rendering.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answers.answer_types import weigh_by_fact
from bot.answers.coverage import PassageCoverage
from bot.answers.headings import heading_match
from bot.answers.parts import MAX_QUOTES
from bot.answers.procedure import asks_procedure, is_procedure_title
from bot.answers.purpose import is_purpose_clause
from bot.answers.ranking import confidence, first_in_both, order_by_document
from index.entries import entry_id_for
from index.fusion import rrf
from index.lexicon import Lexicon, has_cjk
from index.snapshot import Candidate, Snapshot
from knowledge.models import DocStatus
from knowledge.status import DocStatusInfo

# the first quote: the leading document's first QUOTE_POOL passages among the first
# QUOTE_POOL_DEPTH candidates, each raised by HEADING_WEIGHT × its heading match (`headings`);
# 0.5 chosen over 0.5/1/2 on the six main KBs (section quoted first .749 → .760, issue 13 note)
HEADING_WEIGHT = 0.5
# … and by APART_WEIGHT × how well the question's words tell it from the document's other
# passages (`scores_within`, as a share of the best); 1 and 2 alike on 12 sets (session 27)
APART_WEIGHT = 1.0
# … when at least MIN_APART_POOL passages match: among two, a word is in one or in both, so
# idf cannot tell the subject they share from the detail one of them holds (a measure's
# 适用范围 restating "获得上市奖励的企业" would outweigh the 迁出退回 article asked about)
MIN_APART_POOL = 3
QUOTE_POOL = 6
QUOTE_POOL_DEPTH = 40
PART_RRF_K = 60  # a part's dense and lexical ranks inside one document (20–60 alike)


def quoted_text(snap: Snapshot, c: Candidate) -> str | None:
    """What an entry would quote: the passage, or the FAQ's approved answer."""
    if c.entry.kind == "chunk":
        chunk = snap.chunks.get(c.entry.key)
        return chunk.text if chunk is not None else None
    faq = snap.faqs.get(c.entry.key)
    return faq.answer if faq is not None else None


def title_of(snap: Snapshot, doc_id: str | None) -> str | None:
    """The title of the document, None for an FAQ entry's (or a document gone)."""
    rec = snap.docs.get(doc_id) if doc_id else None
    return rec.doc.meta.title if rec is not None else None


def entry_in_force(c: Candidate, statuses: dict[str, DocStatusInfo]) -> bool:
    """Is the entry's document in force (an FAQ without a document always is)?"""
    if c.entry.doc_id is None:
        return True
    info = statuses.get(c.entry.doc_id)
    if info is None:
        # an FAQ linked to a document that is gone: still valid on its own
        return c.entry.kind == "faq"
    return bool(info.status is DocStatus.CURRENT)


def is_purpose(snap: Snapshot, c: Candidate) -> bool:
    """Is the entry a passage that is only its document's statement of purpose?"""
    chunk = snap.chunks.get(c.entry.key) if c.entry.kind == "chunk" else None
    return chunk is not None and is_purpose_clause(chunk.text)


def first_quote(
    snap: Snapshot,
    current: Sequence[Candidate],
    question: str,
    tokens: Sequence[str],
    passage_levels: Mapping[str, str] | None = None,
) -> Candidate:
    """The passage quoted first: among the leading document's first matching passages (not
    its purpose sentence), the best by fused score raised by how much of its heading the
    question writes, and by how well the question's words (`tokens`, the lexical index's)
    tell that passage apart from the document's others: BM25 with idf counted among the
    pool's passages only (`scores_within`), as a share of the pool's best. The subject
    every passage shares (上市, 奖励, the title read into each) then no longer decides
    between "四、支持企业境内外首发上市" and "八、差异化支持" for 经开区企业上市有配套奖励吗: the
    one word only 八、 writes (配套) does (first quote a gold section, 12 sets: 1,203 →
    1,227 of 1,895 in-scope questions, 50 gained and 26 lost; the sample 391 → 396). Not
    for a pool of two passages, nor for an English question (see below). An FAQ entry or
    a document whose only match is its purpose sentence is quoted as it stands. A passage
    put first as standing under the heading of the level asked (`passage_levels`,
    `ranking.of_level_first`) is weighed only against passages under that level's."""
    best = current[0]
    if best.entry.kind != "chunk":
        return best
    under = passage_levels or {}
    level = under.get(best.entry.key)
    pool = [
        c
        for c in current[:QUOTE_POOL_DEPTH]
        if c.entry.doc_id == best.entry.doc_id
        and c.entry.kind == "chunk"
        and not is_purpose(snap, c)
        and (level is None or under.get(c.entry.key) == level)
    ][:QUOTE_POOL]
    if not pool:
        return best

    if len(pool) < MIN_APART_POOL or not has_cjk(question):
        # idf among two passages cannot tell subject from detail; and an English question's
        # words are not the Chinese passages' (its lexical evidence is the lexicon's few
        # synonyms): over 12 sets it lost 16 first quotes here for 3 gained
        within = [0.0] * len(pool)
    else:
        within = snap.sparse.scores_within(tokens, [c.entry.entry_id for c in pool])
    best_within = max(within) or 1.0

    def score(item: tuple[Candidate, float]) -> float:
        c, apart = item
        heading = snap.chunks[c.entry.key].section
        raised = c.fused * (1.0 + HEADING_WEIGHT * heading_match(question, heading))
        return raised * (1.0 + APART_WEIGHT * apart / best_within)

    return max(zip(pool, within, strict=True), key=score)[0]


def second_quote(
    snap: Snapshot, best: Candidate, current: Sequence[Candidate], conf: float, ratio: float
) -> Candidate | None:
    """The next passage among the following three, when it is nearly as good as the answer
    (its confidence at least `ratio` × the answer's): a question often needs two articles."""
    for c in current[1:4]:
        if c.entry.kind != "chunk" or c.entry.key == best.entry.key or is_purpose(snap, c):
            continue
        return c if confidence(c) >= conf * ratio else None
    return None


def _order(scores: Sequence[float]) -> list[int]:
    """Positions, best score first (a ranking for reciprocal-rank fusion)."""
    return sorted(range(len(scores)), key=lambda i: -scores[i])


# a part's lexicon term this long or longer that titles its own document moves the part there
# (five: 创业担保贷款, 风险补偿资金池; a four-character one such as 小微企业 or 担保公司 names who is
# asking more often than what: 4 and 5 on 20 sets, 341 two-part questions: both parts quoted
# 157 → 159 at either, but 4 also moved two parts away from their document)
TITLE_TERM_MIN = 5


def of_its_level(
    current: Sequence[Candidate], levels: Mapping[str, str], level: str | None, doc_id: str
) -> str | None:
    """The first document the whole question found of the level a part asks for, where the
    part's document is of another: "省里对科技创新专板挂牌奖多少？市里对同一个板块又奖多少？" asks
    the province's measure and then the city's (panxi, jihu and meixi, written blind: 5 of 9
    such questions quoted one level for both parts). The later part names the level and leaves
    out the subject, which the first part states."""
    if level is None or levels.get(doc_id, "") == level:
        return None
    return next(
        (
            c.entry.doc_id
            for c in current
            if c.entry.kind == "chunk"
            and c.entry.doc_id
            and levels.get(c.entry.doc_id, "") == level
        ),
        None,
    )


@dataclass(frozen=True)
class PartQuoter:
    """The best section for each part of a question that asks two things.

    `encode` turns a part's lexicon-expanded text into its query vector (the service's
    encoder, batched or not); `tokenize` gives the lexical index's tokens; `answer_threshold`
    is the confidence an answer needs (`Thresholds.answer`).
    """

    lexicon: Lexicon
    coverage: PassageCoverage
    encode: Callable[[str], np.ndarray]
    tokenize: Callable[[str], list[str]]
    answer_threshold: float

    def sections(
        self,
        snap: Snapshot,
        parts: Sequence[str],
        current: Sequence[Candidate],
        statuses: dict[str, DocStatusInfo],
        level_of: Callable[[str], str | None] = lambda _part: None,
        levels: Mapping[str, str] | None = None,
    ) -> list[str]:
        """One chunk id per part, at most MAX_QUOTES, none twice. A part is looked for
        inside the document the whole question found, which supplies the subject a part's
        wording usually leaves out ("利息政府怎么贴？"; songling's 24 two-part questions: both
        parts quoted .25 → .50 over the top two or three documents' .42). A part that names
        something that document never writes ("另外风险补偿资金池赔多少？" after a guarantee
        question) is looked for in the document its own search ranks first, when that one
        writes more of the part's words (`document_for`). A part naming another level than
        that document's (`level_of`, by `levels`) is looked for in the first document of its
        level the whole question found, with the first part's words beside its own
        (`of_its_level`)."""
        doc_id = next((c.entry.doc_id for c in current if c.entry.kind == "chunk"), None)
        if doc_id is None:
            return []
        chosen: list[str] = []
        for part in parts:
            expanded = self.lexicon.expand_query(part)
            vec = self.encode(expanded)
            tokens = self.tokenize(expanded)
            target = self.document_for(snap, part, vec, tokens, doc_id, statuses)
            row = self._guide_row(snap, parts, part, (vec, tokens), target, statuses, chosen)
            if row is not None:
                chosen.append(row)
                continue
            own_level = of_its_level(current, levels or {}, level_of(part), target)
            if own_level is not None:
                target = own_level
                if part != parts[0]:  # the first part states the subject this one leaves out
                    subject = self.lexicon.expand_query(f"{parts[0]} {part}")
                    vec, tokens = self.encode(subject), self.tokenize(subject)
            best = self._best_section(snap, target, vec, tokens, chosen)
            if best is not None:
                chosen.append(best)
        return chosen[:MAX_QUOTES]

    def document_for(
        self,
        snap: Snapshot,
        part: str,
        vec: np.ndarray,
        tokens: Sequence[str],
        doc_id: str,
        statuses: dict[str, DocStatusInfo],
    ) -> str:
        """The whole question's document, unless the part's own first document (in force)
        is first by both of the part's searches with an answer's confidence (the keyword and
        the vector ranking agree on its passage: "第一次贷款的贴息又是多少？" beside a
        guarantee-fee question; over 35 sets (session 40) both parts quoted 353 → 363 of 560
        answered two-part questions, the 25 earlier sets 260 → 267, the 10 later 93 → 96),
        or is titled by a term of the part that the whole question's title is not ("小微企业的
        创业担保贷款最高又是多少？" after a bridge-loan question: the bridge measure writes 创业
        担保贷款 somewhere, the 创业担保贷款 measure is titled by it), or the whole question's
        document leaves some of the part's content words unwritten and the part's own leaves
        fewer."""
        missing_here = self.unwritten(snap, part, doc_id)
        titled = self._title_terms(snap, part, doc_id)
        cands = weigh_by_fact(snap.search(vec, tokens), part, lambda c: quoted_text(snap, c))
        ranked = order_by_document(
            [c for c in cands if c.entry.kind == "chunk" and entry_in_force(c, statuses)],
            snap.doc_sizes,
        )
        other = ranked[0].entry.doc_id if ranked else None
        if other is None or other == doc_id:
            return doc_id
        if first_in_both(ranked, self.answer_threshold):
            return other
        if not missing_here and not titled:
            return doc_id
        if titled and any(term in snap.docs[other].doc.meta.title for term in titled):
            return other
        if not missing_here:
            return doc_id
        return other if len(self.unwritten(snap, part, other)) < len(missing_here) else doc_id

    def _guide_row(
        self,
        snap: Snapshot,
        parts: Sequence[str],
        part: str,
        searched: tuple[np.ndarray, Sequence[str]],
        doc_id: str,
        statuses: dict[str, DocStatusInfo],
        taken: Sequence[str],
    ) -> str | None:
        """The passage of a guide that answers a part asking how, when or where to apply
        (`asks_procedure`): the first passage, not yet quoted, of a document written for
        applying that writes every content word of the part (those some passage found
        writes), as the part's search finds them (with the first part's words, which name
        the subject a later part leaves out: of two guides, the row on the first part's
        thing). Unless the document the part would be quoted from is no guide and has a
        passage that writes those words and speaks of papers, a window, a place or a
        deadline. "办茶农贷要带什么材料？" after a question on the tea insurance's premium quoted the
        百问百答's 茶农贷 answer, which lists no papers; the 办事指南's row "“茶农贷”申请 | 申请
        材料：…" does (tingbu, written blind: 7 of its 15 two-part questions with a part
        unquoted asked a guide's papers, days, window or place). Weighing the other
        documents down, as for a whole question (`weigh_by_procedure`), did not reach it: a
        guide's row on one 事项 ranks far below the answers that share the part's subject.
        `searched`: the part's own vector and tokens, the search of a first part."""
        if not asks_procedure(part):
            return None
        vec, tokens = searched  # the part's own search: the first part's
        if part != parts[0]:
            expanded = self.lexicon.expand_query(f"{parts[0]} {part}")
            vec, tokens = self.encode(expanded), self.tokenize(expanded)
        found = [
            (c, quoted_text(snap, c) or "")
            for c in snap.search(vec, tokens)
            if c.entry.kind == "chunk"
            and c.entry.doc_id is not None
            and entry_in_force(c, statuses)
        ]
        # the part's own words that a passage found writes ("办完" is only asked)
        found_text = "\n".join(text for _c, text in found).casefold()
        matchers = [self.coverage.matcher(word) for word in self.coverage.content_words(part)]
        words = [writes for writes in matchers if writes(found_text)]
        if not words:
            return None

        def writes_all(text: str) -> bool:
            folded = text.casefold()
            return all(writes(folded) for writes in words)

        if not is_procedure_title(title_of(snap, doc_id) or "") and any(
            writes_all(chunk.text) and asks_procedure(chunk.text)
            for chunk in snap.docs[doc_id].doc.chunks
        ):
            return None
        for c, text in found:
            if (
                c.entry.key not in taken
                and is_procedure_title(title_of(snap, c.entry.doc_id) or "")
                and writes_all(text)
            ):
                return c.entry.key
        return None

    def _title_terms(self, snap: Snapshot, part: str, doc_id: str) -> list[str]:
        """The lexicon's terms the part names (TITLE_TERM_MIN characters or more) that the
        document's title does not write."""
        title = snap.docs[doc_id].doc.meta.title
        terms = self.lexicon.terms()
        return [
            word
            for word in self.coverage.content_words(part)
            if len(word) >= TITLE_TERM_MIN and word in terms and word not in title
        ]

    def unwritten(self, snap: Snapshot, part: str, doc_id: str) -> list[str]:
        """The part's content words (`coverage`) that the document writes nowhere."""
        return self.coverage.unwritten(part, snap.document_text(doc_id))

    @staticmethod
    def _best_section(
        snap: Snapshot,
        doc_id: str,
        vec: np.ndarray,
        tokens: Sequence[str],
        taken: Sequence[str],
    ) -> str | None:
        """The document's passage (not its purpose sentence) that the part's dense and
        lexical ranks, fused, put first, skipping passages already quoted. The lexical rank
        weighs the part's words by how rare they are among this document's passages
        (`scores_within`): the subject the whole document shares ("上市奖励", its title read
        into every passage) does not decide which article answers "公示几天" (both parts
        quoted, 11 sets' 186 two-part questions: 84 → 88; the asked-fact and heading weights
        of the first quote were measured here too and lost: 82 and 81). Inside one document
        the lexical rank is the more telling one, so it goes first and wins a tie (a passage
        first by one list and second by the other ties with its mirror): the gold section
        first for 177 → 195 of 247 parts on six sets, 35 → 40 of 60 on five fresh ones."""
        doc = snap.docs[doc_id].doc
        pool = [ch for ch in doc.chunks if not is_purpose_clause(ch.text)] or list(doc.chunks)
        ids = [entry_id_for(ch.chunk_id) for ch in pool]
        vectors = [snap.dense.reconstruct(i) for i in ids]
        dense = [float(np.dot(v, vec)) if v is not None else -1.0 for v in vectors]
        sparse = snap.sparse.scores_within(tokens, ids)
        fused = rrf([_order(sparse), _order(dense)], k=PART_RRF_K)
        return next((pool[i].chunk_id for i, _ in fused if pool[i].chunk_id not in taken), None)
