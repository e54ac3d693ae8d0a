"""Is a passage the document's statement of purpose?

Chinese policy documents open with one boilerplate sentence: "第一条 为……，根据……，结合本市
实际，制定本办法。" or, in a notice, "为……，现将有关事项通知如下：". It names the document's
whole subject, so it matches almost any question about that subject, and it answers none of
them: it was the first quote for 转贷资金一次最多能借多少钱 (the cap is in 第九条) and for
过桥那个钱一天多少利息 (第十二条). A passage that is only this sentence is quoted after the
document's other matching passages, never instead of them; the documents' order is untouched.

The pattern is the genre's, not one knowledge base's: a clause opening with 为/为了 and
closing with 制定本…/特制定/通知如下/如下措施/结合…实际. It matched 16–20 passages in each of
five independently written knowledge bases (songling, lanting, qixia, yunxi, yuanzhou), each
of them a whole purpose sentence and nothing else, and none in the sample, whose documents
have no such opening (issue 13 note, session 24).
"""

from __future__ import annotations

import re

_OPENING = re.compile(
    r"^(?:第[一二三四五六七八九十百]+章\s*\S{0,10}\s+)?"  # "第一章 总则" before the article
    r"(?:第[一二三四五六七八九十]+条\s*)?"
    r"为了?[^。]{2,200}?"
    r"(?:制定本|特制定|制定如下|制定以下|通知如下|提出如下|如下(?:措施|意见|政策|通知)|特作如下"
    r"|现将[^。]{0,40}(?:通知|明确|公告)如下|结合[^。]{0,40}实际[，,][^。]{0,30}(?:制定|特)"
    r"|现就[^。]{0,40}如下)"
    r"[^。]{0,40}[。：:]?\s*$",
    re.S,
)


def is_purpose_clause(text: str) -> bool:
    """The passage is the document's purpose sentence and nothing more."""
    return _OPENING.match(text.strip()) is not None
