"""Amending decisions: "关于修改《…办法》部分条款的决定".

A bureau changes a number of a measure in force without reissuing it: "将第九条中的“2000万元”
修改为“3000万元”". The measure's own text keeps the old number, so quoting its 第九条 as it
stands would give a number that no longer applies (the blind 沅州市 knowledge base: every
question on the bridge-loan cap quoted 2000万元 after the decision raised it to 3000万元).
This module reads such a decision: which document it amends and each textual change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Amendment", "Change", "parse_amendment"]

_NUMERAL = r"[一二三四五六七八九十百零〇\d]+"
_TITLE = re.compile(r"关于修改《(?P<target>[^》]+)》(?:部分条款|有关条款|条款)?的决定")
_QUOTE_OPEN = "“\"「『'‘"
_QUOTE_CLOSE = "”\"」』'’"
_CHANGE = re.compile(
    rf"将(?P<article>第{_NUMERAL}条)(?:第{_NUMERAL}款)?(?:第{_NUMERAL}项)?中的"
    rf"[{_QUOTE_OPEN}](?P<old>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]"
    rf"(?:修改|修订|调整|变更)为"
    rf"[{_QUOTE_OPEN}](?P<new>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]"
)
# an article rewritten as a whole: "将第八条修改为：“……”" (quotes inside it are ‘…’)
_REWRITE = re.compile(
    rf"(?P<article>第{_NUMERAL}条)(?:修改|修订|调整|变更)为[：:]?\s*“(?P<new>[^”]+)”"
)
_NUMBER_AFTER = r"》\s*[（(](?P<number>[^）)]*?〔\d{4}〕\s*\d+\s*号)[）)]"


@dataclass(frozen=True, slots=True)
class Change:
    article: str  # "第九条"
    old: str  # "2000万元" ("" when the article is rewritten as a whole)
    new: str  # "3000万元", or the article's whole new text
    whole: bool = False  # "将第八条修改为：“……”": the new text replaces the article's


@dataclass(frozen=True, slots=True)
class Amendment:
    target_title: str  # the amended document's title, as the decision names it
    target_number: str | None  # its 文号, when the decision gives it
    changes: tuple[Change, ...]


def parse_amendment(title: str, text: str) -> Amendment | None:
    """The decision's target and changes; None for any other document, or a decision whose
    changes are not all of the forms "将第N条中的“A”修改为“B”" (words replaced) or "将第N条修改为：
    “……”" (the article rewritten): then nothing is applied, since a partial reading would
    quote a half-amended article (a 款 or 项 rewritten on its own cannot be placed)."""
    named = _TITLE.search(title) or _TITLE.search(text[:300])
    if named is None:
        return None
    target = named.group("target").strip()
    found = [(m.start(), Change(m["article"], m["old"], m["new"])) for m in _CHANGE.finditer(text)]
    found += [
        (m.start(), Change(m["article"], "", _unwrapped(m["new"]), whole=True))
        for m in _REWRITE.finditer(text)
    ]
    changes = tuple(change for _, change in sorted(found, key=lambda item: item[0]))
    if not changes or _unread_changes(text) > len(changes):
        return None
    number = re.search(re.escape(target) + _NUMBER_AFTER, text)
    return Amendment(target, number.group("number").strip() if number else None, changes)


def _unread_changes(text: str) -> int:
    """How many items say "修改为" at all (the decision's own closing lines aside)."""
    return len(re.findall(r"修改为|修订为|调整为|变更为", text))


def _unwrapped(text: str) -> str:
    """The new text without the line breaks a PDF's lines left inside it."""
    return re.sub(r"\s*\n\s*", "", text).strip()
