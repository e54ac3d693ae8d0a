"""The example question the assistant offers in its welcome: one this knowledge base answers.

The welcome, the greeting and the hint after an empty message show an example question.
A fixed one ("政府性融资担保的担保费率是多少？") is a promise the deployment may not keep: a
bureau whose documents hold no guarantee policy would invite a question it then refuses.
So the example is the first of a few everyday questions, across the themes a bureau
publishes on, that the loaded documents answer; none is shown when none is answered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from bot.answers.models import Band


@dataclass(frozen=True, slots=True)
class Example:
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


# in order of preference: the questions entrepreneurs ask most (the bureau's three themes)
CANDIDATES: Final = (
    Example(
        "政府性融资担保的担保费率是多少？",
        "What is the fee rate of a government financing guarantee?",
    ),
    Example("企业上市能拿到哪些奖励？", "What rewards does a company get for going public?"),
    Example("创业担保贷款最高能贷多少？", "How much can a start-up guaranteed loan be?"),
    Example("应急转贷资金怎么收费？", "What does the bridge-loan fund charge?"),
    Example("贷款贴息怎么申请？", "How do I apply for a loan interest subsidy?"),
    Example(
        "政府投资引导基金投向哪些领域？",
        "Which sectors does the government guidance fund invest in?",
    ),
)


def first_answered(band_of: Callable[[str], Band]) -> Example | None:
    """The first candidate whose Chinese wording `band_of` answers (Band.ANSWER)."""
    return next((e for e in CANDIDATES if band_of(e.zh) is Band.ANSWER), None)
