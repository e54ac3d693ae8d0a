"""How much of a section's heading does the question write?

Inside the right document the passage quoted first is often a neighbour of the one that
answers: 拿了上市奖励后多少年内不能迁出 matched "四、鼓励上市公司迁入" before "七、其他事项",
过桥那个钱一天多少利息 matched the general articles before the fee article. A heading names
what its section is about in the document's own words, so a question that writes those words
points at that section. The match is the share of the heading's character pairs (numbering
left out) that the question writes: typos and everyday phrasing keep most pairs, and a
heading that is only a number ("第十二条") matches nothing and changes nothing.
"""

from __future__ import annotations

import re

_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条]|[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])\s*"
)
_WORD_CHARS = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


def heading_match(question: str, heading: str) -> float:
    """Share (0..1) of the heading's character pairs that also occur in the question."""
    pairs = _pairs(_NUMBERING.sub("", heading.strip()))
    if not pairs:
        return 0.0
    return len(pairs & _pairs(question)) / len(pairs)


def _pairs(text: str) -> set[str]:
    s = _WORD_CHARS.sub("", text).casefold()
    return {s[i : i + 2] for i in range(len(s) - 1)}
