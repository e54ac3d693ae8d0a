"""Documents no longer in force that a question still reaches.

Two cases get a notice ("this document was repealed/expired") instead of a plain answer:

- the question names the old document (by title, 文号 or date): it is told so, and quoted
  the replacement when there is one (`named_old_document`);
- the best-matching document lapsed and nothing replaced it (`lapsed_best_match`):
  answering from the next current document would quote a different programme's numbers;
- the best-matching document is a draft for comment of a rule nothing in force states
  (`best_match_with_status`): the reply says that only a draft speaks of it.

Both return the old document's best candidate and its status; the service builds the reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answers.question import names_document, same_title
from bot.answers.ranking import confidence, order_by_document
from index.snapshot import Candidate, Snapshot
from knowledge.models import DocStatus
from knowledge.status import DocStatusInfo

Lapsed = tuple[Candidate, DocStatusInfo]
NAMED_DEPTH = 5  # a named old document must be among the first entries the search found

_TEMPORARY_CHANGE = re.compile(r"由[^。；，,;]{0,20}?(?:提高|提升|上调|降低|下调|调整)(?:至|为|到)")


def named_old_document(
    snap: Snapshot, question: str, cands: Sequence[Candidate], statuses: dict[str, DocStatusInfo]
) -> Lapsed | None:
    """A repealed/expired document among the first entries that the question names."""
    for c in cands[:NAMED_DEPTH]:
        doc_id = c.entry.doc_id
        if doc_id is None or c.entry.kind != "chunk":
            continue
        info = statuses.get(doc_id)
        if info is None or info.status is DocStatus.CURRENT:
            continue
        meta = snap.docs[doc_id].doc.meta
        shared = title_in_force(snap, meta.title, statuses)
        if names_document(
            question, meta.title, meta.doc_number, meta.published, title_in_force=shared
        ):
            return c, info
    return None


def lapsed_best_match(
    snap: Snapshot,
    cands: Sequence[Candidate],
    statuses: dict[str, DocStatusInfo],
    answer_threshold: float,
) -> Lapsed | None:
    """The best-matching document expired and nothing replaced it.

    Answering from the next current document instead would quote a different programme's
    numbers (asked about 贷款保证保险 premiums after that notice lapsed, the guarantee-fee
    subsidy came back, with its own amounts). Not so for a lapsed notice that implemented a
    standing measure ("根据《…补贴办法》…申报2024年度…"): the measure it cites answers; nor
    for a temporary change to a standing rule, which applies again as the documents in force
    state it.
    """
    found = best_match_with_status(DocStatus.EXPIRED, snap, cands, statuses, answer_threshold)
    if found is None:
        return None
    doc_id = found[0].entry.doc_id or ""
    if cites_a_current_document(snap, doc_id, statuses) or changed_a_standing_rule(snap, doc_id):
        return None
    return found


def best_match_with_status(
    status: DocStatus,
    snap: Snapshot,
    cands: Sequence[Candidate],
    statuses: dict[str, DocStatusInfo],
    answer_threshold: float,
) -> Lapsed | None:
    """The best-matching document's best candidate, when it answers with an answer's
    confidence, has this status and no document in the knowledge base replaces it.

    With DocStatus.DRAFT: the question asks what only a proposal (征求意见稿) says of a rule
    nothing in force states. Answering from the next document in force would quote another
    programme's numbers ("知识产权质押贷款区里有贴息吗" was answered with the green-credit
    subsidy while the only text on it was a draft, hongjiang); quoting the draft would present
    a proposal as a rule."""
    found = best_match(snap, cands, statuses, answer_threshold)
    if found is None or found[1].status is not status or found[1].replaced_by in snap.docs:
        return None
    return found


def best_match(
    snap: Snapshot,
    cands: Sequence[Candidate],
    statuses: dict[str, DocStatusInfo],
    answer_threshold: float,
) -> Lapsed | None:
    """The best-matching document's best candidate and its status, of any status, when it
    answers with an answer's confidence; None otherwise."""
    ranked = [c for c in order_by_document(cands, snap.doc_sizes) if c.entry.doc_id is not None]
    if not ranked or confidence(ranked[0]) < answer_threshold:
        return None
    info = statuses.get(ranked[0].entry.doc_id or "")
    return None if info is None else (ranked[0], info)


def cites_a_current_document(
    snap: Snapshot, doc_id: str, statuses: dict[str, DocStatusInfo]
) -> bool:
    """Does the document name (by 文号 or 《title》) a document in force today?"""
    text = "\n".join(chunk.text for chunk in snap.docs[doc_id].doc.chunks)
    for other, rec in snap.docs.items():
        info = statuses.get(other)
        if other == doc_id or (info is not None and info.status is not DocStatus.CURRENT):
            continue
        meta = rec.doc.meta
        if (meta.doc_number and meta.doc_number in text) or f"《{meta.title}》" in text:
            return True
    return False


def cites_document(snap: Snapshot, doc_id: str | None, other: str) -> bool:
    """Does the document name the other one, by the measure's own name (《…》 in its title,
    or the title) or its 文号? A notice adjusting or explaining a measure does, and answers a
    follow-up on it better than the measure's own text ("那北交所呢？" after the city's listing
    reward, where a notice raised the 北交所 amounts: panxi). Unlike `cites_a_current_document`
    it reads the measure a 印发通知 delivers by that measure's name, as notices cite it."""
    if doc_id is None or doc_id not in snap.docs or other not in snap.docs:
        return False
    meta = snap.docs[other].doc.meta
    names = re.findall(r"《([^《》]{4,})》", meta.title) or [meta.title]
    if meta.doc_number:
        names.append(meta.doc_number)
    text = snap.document_text(doc_id)
    return any(name in text for name in names)


def changed_a_standing_rule(snap: Snapshot, doc_id: str) -> bool:
    """Was the document a temporary change to a standing rule (阶段性提高…标准: "挂牌奖励由50万元
    提高至80万元")? Once it lapses the standing rule applies again, as the documents in force
    state it: "新三板挂牌现在奖多少" was answered "that notice expired" while the listing
    measure in force answers it (沅州市)."""
    doc = snap.docs[doc_id].doc
    return "阶段性" in doc.meta.title or any(
        _TEMPORARY_CHANGE.search(chunk.text) for chunk in doc.chunks
    )


def title_in_force(snap: Snapshot, title: str, statuses: dict[str, DocStatusInfo]) -> bool:
    """Is a document in force titled the same (a revision that kept the old name)?"""
    for doc_id, rec in snap.docs.items():
        info = statuses.get(doc_id)
        if (info is None or info.status is DocStatus.CURRENT) and same_title(
            rec.doc.meta.title, title
        ):
            return True
    return False
