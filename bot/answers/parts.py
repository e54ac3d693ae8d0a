"""Questions that ask two things at once: "应急转贷怎么收费，要多久？".

Searched whole, such a question finds the section that best matches both together and
quotes only one part's answer. Split at its question marks (and at a comma between two
asking clauses), each part picks its own best section among the passages of the documents
the whole question found; at most three quotes. The second part usually leaves out the
subject ("利息政府怎么贴？"); looking only inside those documents supplies it.
"""

from __future__ import annotations

import re
from typing import Final

MAX_QUOTES: Final = 3
_SENTENCE_END = re.compile(r"(?<=[？?；;])")
_COMMA = re.compile(r"[，,]|\s+and\s+(?=(?:what|how|when|which|who|where|is|are|can|does|do)\b)")
_ASKS = re.compile(
    r"多少|多久|多长|多大|多高|(?<!好)几(?!乎)|哪|谁|何|怎么|怎样|如何|是否|能否|可否|吗|么|什么|啥|"
    # a verb asked as "A不A" / "A没A": 收不收费, 会不会, 能不能, 有没有, 交没交
    r"([\u4e00-\u9fff])[不没]\1|"
    r"\b(?:what|how|when|which|who|where|why|is|are|can|does|do)\b",
    re.IGNORECASE,
)
_QUESTION_MARK = re.compile(r"[？?]$")
_MIN_PART: Final = 3


def question_parts(text: str) -> list[str]:
    """The asking clauses of a question, in order; one element when it asks one thing."""
    pieces = [p.strip() for p in _SENTENCE_END.split(text) if p.strip()]
    parts: list[str] = []
    for piece in pieces:
        clauses = [c.strip() for c in _COMMA.split(piece) if c.strip()]
        if len(clauses) > 1 and sum(1 for c in clauses if _ASKS.search(c)) >= 2:
            parts.extend(_merge_lead_ins(clauses))
        else:
            parts.append(piece)
    parts = [p for p in parts if len(p) >= _MIN_PART and _asks(p)]
    return parts if len(parts) >= 2 else [text]


def _asks(part: str) -> bool:
    """A clause that asks: a question word, or a question mark of its own."""
    return _ASKS.search(part) is not None or _QUESTION_MARK.search(part) is not None


def _merge_lead_ins(clauses: list[str]) -> list[str]:
    """A clause that asks nothing ("区担保公司做担保评审") leads into the next one."""
    out: list[str] = []
    lead = ""
    for clause in clauses:
        if _ASKS.search(clause):
            out.append(f"{lead}{clause}")
            lead = ""
        else:
            lead += clause
    if lead and out:
        out[-1] += lead
    return out
