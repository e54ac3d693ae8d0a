"""Questions on how to apply, and the documents written for applying.

A bureau often publishes, beside a measure, the document that tells how to claim it: a
申报指南, an 办事指南, a yearly 申报通知, a 工作规程. Both state the award; only the guide
states the papers, the window, the office and the phone. "申请上市奖励要准备哪些材料？" shares
every topic word with the measure and few with the guide's 申报材料 list, so the measure
was quoted first (qifeng: 6 of its 19 wrong first documents, session 31).

A question that asks how, when or where to apply (`asks_procedure`) weighs the passages of
other documents down when a document of the procedure genre (`is_procedure_title`) is
among the candidates; the guide then leads when it is about the same thing. Both patterns
describe the genre and the language of Chinese administration, not one knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

from index.snapshot import Candidate
from knowledge.metadata import is_interpretation

# Another document's passage counts this share of its fused score when the question asks how
# to apply and a guide is among the candidates (0.8 and 0.65 measured on 18 development sets:
# 0.8 moved 10 questions' first document to the gold guide and 3 away from gold; 0.65 moved
# 13 and 6).
PROCEDURE_WEIGHT: Final = 0.8

# The title of a document written for applying: a guide, a 须知, a working procedure, a
# call for applications ("关于开展2026年度…申报工作的通知"), but not a measure published by a
# notice ("关于印发《…办法》的通知"). Up to 24 characters between the call and 通知: "关于组织
# 申报2031年度出口信用保险保费补贴的通知" has 18 (five calls of four sets, tingbu's blind among
# them, were read as measures at 16 until session 58).
_PROCEDURE_TITLE: Final = re.compile(
    r"指南|须知|规程|办事|(?:申报|申请|征集|受理)[^《》]{0,24}通知"
)
_PUBLISHES: Final = re.compile(r"印发|转发")

# What asks how, when or where to apply: the papers, the window, the processing time, the
# office and its phone, the steps.
_ASKS_PROCEDURE: Final = re.compile(
    r"材料|资料|要准备|需准备|清单|截止|什么时候[报申交]|啥时候[报申交截]|何时[报申]|申报时间|受理时间"
    r"|来得及|还能报|窗口期|多久.{0,3}到账|到账|审核.{0,2}多久|在哪|哪里[报交办申]|去哪|地点|窗口|地址"
    r"|电话|热线|流程|步骤|手续|(?:怎么|如何|咋)(?:申请|申报|报|办理|交)"
    r"|\b(?:apply|application|documents|materials|paperwork|deadline|phone|where|submit)\b",
    re.IGNORECASE,
)


def asks_procedure(question: str) -> bool:
    """The question asks how, when or where to apply, not what is given."""
    return _ASKS_PROCEDURE.search(question) is not None


def is_procedure_title(title: str) -> bool:
    """The document is written for applying (a guide, a call for applications)."""
    return _PROCEDURE_TITLE.search(title) is not None and not _PUBLISHES.search(title)


def is_reading_title(title: str) -> bool:
    """The document restates measures for their readers (`measure_before_reading`): a
    政策解读 or 政策问答 (`is_interpretation`), an 办事指南 or 申报指南. Not a call for
    applications: a yearly 申报通知 is itself the rule of this year's round (with it, at a
    weight of 0.9 over 35 sets, 21 first documents moved to gold and 4 away; without it 19
    and 3: alike, session 40)."""
    return is_interpretation(title) or "指南" in title


def weigh_by_procedure(
    cands: Sequence[Candidate], question: str, title_of: Callable[[Candidate], str | None]
) -> list[Candidate] | None:
    """The candidates, with other documents' passages weighed down, when the question asks
    how to apply and a procedure document is among them (`title_of`: the title of an
    entry's document, None for an FAQ entry); None when nothing changes."""
    if not asks_procedure(question):
        return None
    guide = [is_procedure_title(title_of(c) or "") for c in cands]
    if not any(guide):
        return None
    return [
        c if is_guide else replace(c, fused=c.fused * PROCEDURE_WEIGHT)
        for c, is_guide in zip(cands, guide, strict=True)
    ]
