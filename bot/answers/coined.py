"""Names a knowledge base coins for its own products and programmes (“栎信贷”, “鹭科贷”).

A bureau's measures name their own loan products and boards in quotes: "推广“栎信贷”产品",
"“栎信贷”执行利率不高于1年期LPR加80个基点". A question naming one ("栎信贷的利率呢？") is about
the passages that write it, but a coined word means nothing to the encoder: the keyword search
ranked the article first while the vector search put it 38th, and the fused list led with a
start-up loan leaflet on 利率; the scope check, reading the leading passages, then declined a
question whose answer the knowledge base writes word for word (a blind district's 栎信贷,
session 50; luting's 鹭科贷 and qixia's 栖科贷 alike).

So the passages that write a coined name the question names are a ranked list of their own,
fused beside the two searches (`Snapshot.search`'s `extra`), in the keyword search's order.
A name is what a document in force writes in quotes, 2 to 8 characters, not as the short
form of a longer name ("（以下简称“资金池”）"): a short form stands for a common thing. A
common word a document quotes ("“金融+”" → 金融, “理财”) counts as well: over the 762 questions
of 62 sets naming a quoted word, the first document was right for 667 against 657 without the
list, and the 3 it lost named common words, as did 3 of the 13 it won (session 50).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from index.snapshot import Snapshot

# a quoted name of CJK characters, Latin letters or digits ("栎信贷", "e企贷", "专精特新"), in
# Chinese quotes, corner brackets or the straight quotes a text layer may carry ("榆科贷":
# yuwan, written blind)
_NAME = r"[\u4e00-\u9fffA-Za-z0-9]{2,8}"
_QUOTED = re.compile(rf"“({_NAME})”|「({_NAME})」|\"({_NAME})\"")
# "以下简称“资金池”", "统称“基金”", "简称为“服务站”": the short form of a longer name
_SHORT_FORM = re.compile(r"(?:简称|统称|称为|以下称|下称)[为：:]?\s*$")
COINED_WEIGHT = 1.0  # the list's weight in the fusion, as the two searches' (not tuned)


@dataclass(frozen=True, slots=True)
class CoinedNames:
    """The names the documents in force coin, each with the entries (passages) writing it."""

    passages: Mapping[str, frozenset[int]]

    def named_in(self, question: str) -> list[str]:
        """The coined names the question writes, longest first, none inside another."""
        found: list[str] = []
        for name in sorted(self.passages, key=len, reverse=True):
            if name in question and not any(name in longer for longer in found):
                found.append(name)
        return found

    def ranking(self, snap: Snapshot, question: str, tokens: Sequence[str]) -> list[int]:
        """The passages writing a name the question names, in the keyword search's order
        (empty when it names none)."""
        wanted: set[int] = set()
        for name in self.named_in(question):
            wanted |= self.passages[name]
        if not wanted:
            return []
        ids = sorted(wanted)
        scores = snap.sparse.scores_for(tokens, ids)
        return [i for _, i in sorted(zip(scores, ids, strict=True), key=lambda p: (-p[0], p[1]))]


def quoted_names(text: str) -> set[str]:
    """The names a text writes in quotes, not as the short form of a longer name."""
    return {
        next(group for group in m.groups() if group)
        for m in _QUOTED.finditer(text)
        if not _SHORT_FORM.search(text[max(0, m.start() - 8) : m.start()])
    }


def coined_names(snap: Snapshot, current: Iterable[str]) -> CoinedNames:
    """The names the current documents write in quotes, with the passages writing them."""
    in_force = set(current)
    names: set[str] = set()
    for doc_id in in_force:
        names |= quoted_names(snap.document_text(doc_id))
    passages: dict[str, set[int]] = {}
    for entry_id, ref in snap.entries.items():
        if ref.kind != "chunk" or ref.doc_id not in in_force:
            continue
        for name in names:
            if name in ref.embed_text:
                passages.setdefault(name, set()).add(entry_id)
    return CoinedNames({name: frozenset(ids) for name, ids in passages.items()})
