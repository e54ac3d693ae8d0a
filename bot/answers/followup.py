"""Follow-up questions: "那反担保呢？" after "政府性融资担保的费率是多少？".

A message that only makes sense after the previous one (short, opening with 那/还有/
what about, or closing with 呢) and that the knowledge base answers weakly on its own is
searched again with the previous answer's document named in it. The answer says which
topic it took ("关于《…》：") so a wrong guess is visible. A message that stands on its own
is never bent by the context: it is not elliptical, or it is answered well alone.

Nor is a message that only closes the turn or says nothing: "谢谢", "好的", "xyzzy plugh"
are short and weakly answered, and the document's name alone would make them "answer". So
an acknowledgement is never a follow-up, and a short message in Latin script must open
like one ("and …", "what about …") or refer back ("How long does it take?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from bot.answers.intents import is_small_talk
from bot.answers.models import Answer, Band
from bot.answers.question import says_enough

# Openers and endings that lean on what was said before (zh and en).
_OPENERS: Final = re.compile(
    r"^(?:那么?|那个|那要是|那如果|那我|那我们|还有|另外|再问|那+|如果是|要是|换成|其他的|它|这个|那种|"
    r"and\b|also\b|what about\b|how about\b|and what about\b|what if\b|same for\b)",
    re.IGNORECASE,
)
_ENDINGS: Final = re.compile(r"(?:呢|的呢|怎么样|咋样|又如何)[？?。!！]*$")
# An English message leans back when it is short and refers back: "How long does it take?"
_BACK_REFERENCE: Final = re.compile(r"\b(?:it|its|this|that|these|those|they|them|there)\b", re.I)
SHORT_CJK: Final = 10  # a question this short is elliptical whatever it says
SHORT_WORDS: Final = 5
STRONG: Final = 0.9  # alone, at least this confident (and answered): not a follow-up


@dataclass(frozen=True, slots=True)
class Turn:
    """What the next message may lean on: the last question and the document it was
    answered from. Plain data, so a chat's turn can be stored and survive a restart."""

    question: str
    doc_id: str
    title: str


def turn_of(answer: Answer) -> Turn | None:
    """The context an answered question leaves; nothing for a refusal or a choice list."""
    if answer.band is not Band.ANSWER:
        return None
    hit = next((h for h in answer.hits if h.doc_id and h.title), None)
    if hit is None or hit.doc_id is None or hit.title is None:
        return None
    return Turn(answer.question, hit.doc_id, hit.title)


def is_elliptical(text: str) -> bool:
    stripped = text.strip()
    if is_small_talk(stripped):  # "谢谢", "好的", "hi": they close a turn, they lean on nothing
        return False
    if not says_enough(stripped):  # "贷" (or "贷" held down) leans on nothing
        return False
    if _OPENERS.match(stripped) or _ENDINGS.search(stripped):
        return True
    cjk = sum(1 for ch in stripped if "\u4e00" <= ch <= "\u9fff")
    if cjk:
        return cjk <= SHORT_CJK
    # Latin script: shortness alone is not enough ("xyzzy plugh"); it must refer back
    return len(stripped.split()) <= SHORT_WORDS and bool(_BACK_REFERENCE.search(stripped))


def answered_well(answer: Answer) -> bool:
    return answer.band is Band.ANSWER and answer.confidence >= STRONG


def with_context(previous: Turn, text: str) -> str:
    """The question as searched in context: the previous document's title named in it."""
    return f"{previous.title} {text}"
