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
from index.lexicon import cjk_count, has_cjk

# Openers and endings that lean on what was said before (zh and en).
_OPENERS: Final = re.compile(
    r"^(?:那么?|那个|那要是|那如果|那我|那我们|还有|另外|再问|那+|如果是|要是|换成|其他的|它|这个|那种|"
    r"and\b|also\b|what about\b|how about\b|and what about\b|what if\b|same for\b)",
    re.IGNORECASE,
)
_ENDINGS: Final = re.compile(r"(?:呢|的呢|怎么样|咋样|又如何)[？?。!！]*$")
# … of which these ask the previous question again of something else ("那北交所呢？",
# "what about sole traders?"), where "另外，…" and "还有，…" add a question of their own
_ASKS_THE_SAME: Final = re.compile(
    rf"^(?:那么?|what about\b|how about\b|and what about\b|same for\b)|{_ENDINGS.pattern}",
    re.IGNORECASE,
)
# An English message leans back when it is short and refers back: "How long does it take?"
_BACK_REFERENCE: Final = re.compile(r"\b(?:it|its|this|that|these|those|they|them|there)\b", re.I)
SHORT_CJK: Final = 10  # a question this short is elliptical whatever it says
SHORT_WORDS: Final = 5
STRONG: Final = 0.9  # alone, at least this confident (and answered): not a follow-up
# … unless worded as one, with the previous document among this many it ranks (set before
# measuring: LEADING_DOCUMENTS's value)
LEADING_ALONE: Final = 3


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


def leans_in_form(text: str) -> bool:
    """It opens or closes as a follow-up does ("那…", "还有…", "…呢？", "what about …")."""
    stripped = text.strip()
    return bool(_OPENERS.match(stripped) or _ENDINGS.search(stripped))


# a deadline or a date asked of no named thing ("截止到哪天？", "现在还来得及吗？"): a short message
# asking it asks the previous answer's notice
_ASKS_WHEN: Final = re.compile(r"截止|截至|来得及|赶得上|什么时候|哪天|还能(?:申请|申报|报|领)")


def asks_when(text: str) -> bool:
    """A short message (`SHORT_CJK`) that asks for a deadline or a date: "截止到哪天？",
    "申报截止到什么时候？", "现在还来得及吗？". It says nothing the scope check can place, and
    the notice it asks about often writes its window as dates ("2028年1月15日至2月29日"), not
    as 截止 or 来得及: over the 32 KBs' dialogues, 5 of 8 such follow-ups were declined."""
    stripped = text.strip()
    cjk = cjk_count(stripped)
    return 0 < cjk <= SHORT_CJK and _ASKS_WHEN.search(stripped) is not None


def is_elliptical(text: str) -> bool:
    stripped = text.strip()
    if is_small_talk(stripped):  # "谢谢", "好的", "hi": they close a turn, they lean on nothing
        return False
    if not says_enough(stripped):  # "贷" (or "贷" held down) leans on nothing
        return False
    if leans_in_form(stripped):
        return True
    cjk = cjk_count(stripped)
    if cjk:
        return cjk <= SHORT_CJK
    # Latin script: shortness alone is not enough ("xyzzy plugh"); it must refer back
    return len(stripped.split()) <= SHORT_WORDS and bool(_BACK_REFERENCE.search(stripped))


# a message that says it changes the subject ("换个问题，…", "对了，…", "Different question: …")
_TOPIC_CHANGE: Final = re.compile(
    r"^(?:换个(?:问题|话题)|说点别的|问点别的|另问|顺便问|对了|再问个别的|还有个别的|"
    r"different question|another question|unrelated|by the way|btw|on another note|separately)",
    re.IGNORECASE,
)


def leans_back(alone: Answer, text: str, names_a_thing: bool) -> bool:
    """A longer message that the knowledge base cannot place on its own, which names no
    thing of its own (`names_a_thing`: a glossary term) and does not say it changes the
    subject: "发完以后多久之内要去申报？" after a bond-reward answer, "我是那家公司的员工，能多拿
    吗？" after the whistle-blower reward. Declined alone by the scope model, or for want of a
    confident passage, it is read in context; a message declined by a rule on its own words
    (another place, a thing no document writes) is not, nor one far from the documents
    (`AnswerService._may_lean_back`). Over 21 sets' 1,132 dialogues (session 41), with that
    gate: follow-ups answered from the right document 578 → 588 of 693 (+18 −8, the losses
    short questions the gate now keeps alone: "审核要多长时间？"), topic switches 396 of 439
    unchanged; with a named thing allowed, 6 switches were bent."""
    stripped = text.strip()
    if alone.band is not Band.NONE or names_a_thing or _TOPIC_CHANGE.match(stripped):
        return False
    if not has_cjk(stripped) or is_small_talk(stripped) or not says_enough(stripped):
        return False  # in Latin script only a message that refers back leans back (above)
    return not declined_by_rule(alone)


def declined_by_rule(answer: Answer) -> bool:
    """Declined by a rule on the message's own words (another place, a listed topic, a thing
    no document writes, a draft: "place:…", "absent:…"), not by the scope model nor for want
    of a confident passage (its top entries are documents then)."""
    reason = answer.top[0][0] if answer.top else ""
    return answer.band is Band.NONE and reason != "scope:model" and ":" in reason


def answered_well(answer: Answer) -> bool:
    return answer.band is Band.ANSWER and answer.confidence >= STRONG


def previous_also_answers(alone: Answer, text: str, previous: Turn) -> bool:
    """A message asking the same of something else ("那北交所呢？", "个体工商户呢？"; not one
    adding a question: "另外，…", "还有，…") that another document answers well on its own,
    while the previous answer's document is among the LEADING_ALONE it ranks: the asker is
    still reading that document ("区里对主板上市每个阶段给多少？" then "那北交所呢？"
    asks for the district's 北交所 reward, not the city's, which a district's knowledge base
    also holds: jihu, written blind)."""
    if not _ASKS_THE_SAME.search(text.strip()) or not alone.hits:
        return False
    if alone.hits[0].doc_id == previous.doc_id:
        return False
    leading = dict.fromkeys(h.doc_id for h in (*alone.hits, *alone.ranked))
    return previous.doc_id in list(leading)[:LEADING_ALONE]


def with_context(previous: Turn, text: str, another_level: bool = False) -> str:
    """The question as searched in context: the previous document's title named in it; and,
    when the message asks for another level than that document's, the previous question too,
    whose subject the other level's document shares and whose title it does not ("宛澄股交中心
    专精特新专板挂牌，县里奖多少？" / "省里呢？": the county measure's title alone kept the
    province's answer out of the search; luanxi, written blind)."""
    if another_level:
        return f"{previous.title} {previous.question} {text}"
    return f"{previous.title} {text}"
