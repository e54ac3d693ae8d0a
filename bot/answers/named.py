"""Is the document an answer would quote the one that speaks of what the question names?

The absent-term check (`absent`) declines a question naming a specific thing (a glossary
term) that no document writes. A near-domain question often names a thing some document
does write, in another context: "企业做期货套期保值，区里给不给手续费补贴？" on the sample,
whose page on the bureau's functions names 证券、期货 firms (期货套期保值 counts as written
since 期货 is), or "保险资金投资本市重点项目有没有奖励？" where a measure elsewhere mentions
保险资金. The search then finds a confident passage of a third document that never mentions the
thing at all (the sample quoted its 股改奖励 article), and the answer quotes it as if it
answered.

So the leading documents are read for the terms the question names:
- the first writes them all: nothing changes;
- it leaves some unwritten, and one of the next (of the first LEADING_DOCUMENTS) writes them
  all: that one is quoted first ("投保环境污染责任保险的企业保费补贴标准是多少？" quoted a
  科技保险 notice ahead of the green-finance measure that names the 环境污染责任保险);
- the first writes none of them and no leading document writes them all: the documents do
  not speak of this thing here, and the question is declined, naming it. A first document
  that writes some of them is left alone: the question is about it, with something else as
  context ("因为理财产品产生纠纷，找调解中心要付费吗？" is about the mediation rules).

Only Chinese single-part questions: a two-part question's terms belong to different
documents by design, and the terms of an English question are the glossary's Latin ones.
A term written with Latin letters (QFLP, LPR, H股) moves a document but never declines: the
documents often spell it out in Chinese (境外上市外资股 for H股; sample's "做A+H两地上市的话，H股
那部分奖励怎么算？" was declined). Chosen on the 19 development sets (issue 13 notes, session 33): with the
first three documents, first documents right +17, in-scope questions declined +3 (of 2,985),
out-of-scope questions declined +15 (of 1,535); with four to six, fewer of both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.answers.absent import AbsentTerms
from bot.answers.parts import question_parts
from index.lexicon import has_cjk
from index.snapshot import Snapshot

LEADING_DOCUMENTS: Final = 3
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class NamedReading:
    """What the leading documents say of the question's named terms."""

    first: str | None = None  # the document to quote first, when not the search's first
    unspoken: str | None = None  # the term none of them speaks of where the question asks it


def read_named(
    absent: AbsentTerms, snap: Snapshot, question: str, leading: Sequence[str]
) -> NamedReading:
    """`leading`: the documents in the order the answer would quote them (at most
    LEADING_DOCUMENTS are read)."""
    if not leading or not has_cjk(question) or len(question_parts(question)) >= 2:
        return NamedReading()
    named = absent.named_written(snap, question)
    if not named:
        return NamedReading()
    missing = absent.unwritten_by(snap, leading[0], named)
    if not missing:
        return NamedReading()
    for doc_id in leading[1:LEADING_DOCUMENTS]:
        if not absent.unwritten_by(snap, doc_id, named):
            return NamedReading(first=doc_id)
    chinese = [term for term in missing if not _LATIN.search(term)]
    if len(missing) == len(named) and chinese:
        return NamedReading(unspoken=chinese[0])
    return NamedReading()
