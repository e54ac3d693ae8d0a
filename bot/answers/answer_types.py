"""What kind of fact a question asks for, and whether a passage states one.

"去北交所上市，区里一共给多少钱？" asks for an amount; the 北交所 action plan speaks of 北交所
in every line, but the article of the listing measures that answers names 万元. A passage
that does not state the kind of fact asked for (an amount, a duration or date, a phone
number) is a weaker answer than one that does, whatever its words share with the question.
The patterns are Chinese question words and the way Chinese policy text writes numbers: they
describe the language, not any one knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final

from index.snapshot import Candidate

# A passage without the fact asked for counts this share of its fused score (chosen on the
# sample, 松岭区 and 云溪区: 0.9 / 0.8 / 0.7 measured, 0.8 the best that lost no KB more than
# one question at rank 3).
MISSING_FACT_WEIGHT: Final = 0.8

_NUMERAL = r"[\d一二三四五六七八九十百千两〇零半]"


@dataclass(frozen=True, slots=True)
class FactKind:
    name: str
    asked: re.Pattern[str]  # in the question
    stated: re.Pattern[str]  # in a passage that answers it


KINDS: Final = (
    FactKind(
        "amount",
        re.compile(
            r"多少钱|[奖补给投贷借拿领报得赔]多少|奖励多少|补贴多少|最[高多]多少|多少万|几万|额度|上限|费率|"
            r"比例|利率|贴息多少|多少比例"
        ),
        re.compile(rf"{_NUMERAL}[\d,.]*\s*(?:万|亿|元|%|％|‰|倍|成)|百分之"),
    ),
    FactKind(
        "duration or date",
        re.compile(
            r"多久|多长时间|几天|多少天|几个工作日|期限|几年|多少年|几个月|什么时候|何时|啥时候"
        ),
        re.compile(rf"{_NUMERAL}+\s*个?(?:工作日|日|天|月|年|周|季度)|\d{{1,2}}月\d{{1,2}}日"),
    ),
    FactKind(
        "phone number",
        re.compile(r"电话|热线|联系方式|打哪个|hotline", re.IGNORECASE),
        re.compile(r"\d{3,4}[-\s]?\d{3,4}[-\s]?\d{3,4}"),
    ),
)


def asked_kinds(question: str) -> tuple[FactKind, ...]:
    """The kinds of fact the question asks for (none for most "how do I" questions)."""
    return tuple(kind for kind in KINDS if kind.asked.search(question))


def weigh_by_fact(
    cands: Sequence[Candidate], question: str, texts: Callable[[Candidate], str | None]
) -> list[Candidate]:
    """The candidates with those that state none of the asked facts weighed down (`texts`:
    what an entry would quote, the passage or the FAQ answer; None when unknown)."""
    kinds = asked_kinds(question)
    if not kinds:
        return list(cands)
    out = []
    for c in cands:
        text = texts(c)
        if text is not None and not all(kind.stated.search(text) for kind in kinds):
            c = replace(c, fused=c.fused * MISSING_FACT_WEIGHT)
        out.append(c)
    return out
