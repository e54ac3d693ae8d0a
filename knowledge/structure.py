"""Recognising the numbering conventions of Chinese policy text, line by line.

Policies are organised as 第X章 / 第X节 containers holding 第X条 articles, or as
一、/二、 items with （一）（二） sub-items; Markdown copies add `#` headings on top.
Chunking, title detection and PDF reflow all need the same notion of "this line starts
a new unit", so it lives here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

CN_NUMERALS: Final = "一二三四五六七八九十百千零〇两"
_NUM = rf"[{CN_NUMERALS}\d０-９]+"
# a 政策解读's question: "一问：…", "问题三：…", "问：…", "Q2：…" (its answer follows as body)
_QUESTION_LABEL = rf"(?:[{CN_NUMERALS}]+问|问题?(?:{_NUM})?|[Qq](?:{_NUM})?)[：:]"
STRUCTURE_START: Final = re.compile(
    rf"^(?:第{_NUM}(?:[章节条篇]|部分)|[{CN_NUMERALS}]+、|[（(][{CN_NUMERALS}]+[）)]|{_QUESTION_LABEL}"
    r"|(?:Article|ARTICLE|Chapter|CHAPTER)\s+\d+\b)"
)
# a line that starts with an article's number only because a full line of text before it
# ended there: "…补贴比例在" / "第三条所列比例基础上增加0.2个百分点。" (a PDF's wrap); the number
# runs straight on into a reference's words, where an article's own text would follow a space
REFERENCE_START: Final = re.compile(
    rf"^第{_NUM}[章节条款项](?:第{_NUM}[款项])*"
    r"(?:所|规定|的|中|之|至|、|和|或|及|以外|约定|确定|明确|执行|要求)"
)
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
# 第X章, 第X节, and a compilation's (汇编) 第X部分 / 第X篇, each a measure of its own
_CONTAINER = re.compile(rf"^(第{_NUM}(?:[章节篇]|部分))[\s\u3000]*(.*)$")
PART_START: Final = re.compile(rf"^第{_NUM}(?:部分|篇)")
_ARTICLE = re.compile(rf"^(第{_NUM}条)[\s\u3000]*(.*)$")
# a numbered item's label, "三、" (the unit 第X条 is in a 若干措施 or 实施意见)
_ITEM_NUMBER = rf"[{CN_NUMERALS}]+、"
ITEM_START: Final = re.compile(rf"^{_ITEM_NUMBER}")
_ITEM = re.compile(rf"^({_ITEM_NUMBER})[\s\u3000]*(.*)$")
_SUBITEM = re.compile(rf"^([（(][{CN_NUMERALS}]+[）)])[\s\u3000]*(.*)$")
_QUESTION = re.compile(rf"^({_QUESTION_LABEL})[\s\u3000]*(\S.*)$")
# a bureau's English edition of a measure: "Article 4 Foreign debt interest subsidy. Where…",
# "Chapter 2 Listing Rewards"
_ARTICLE_EN = re.compile(r"^((?:Article|ARTICLE)\s+\d+)\b[\s.:：]*(.*)$")
_CONTAINER_EN = re.compile(r"^((?:Chapter|CHAPTER)\s+\d+)\b[\s.:：]*(.*)$")
_MAX_QUESTION_LABEL: Final = 40  # a question is its own heading, cut to fit a section label
_MAX_SHORT_TITLE: Final = 24
_CLAUSE_PUNCT = re.compile(r"[。；;，,！？!?：:、]")
_BRACKET_TITLE = re.compile(r"^[【\[]([^】\]]{1,24})[】\]](.*)$")
_FIRST_SENTENCE = re.compile(r"^([^。；;，,！？!?：:]{1,16})[。：:](.*)$")
# … and in English: a few words and a full stop ("Foreign debt registration. FIEs may…")
_FIRST_SENTENCE_EN = re.compile(r"^([A-Za-z][A-Za-z'’&/ -]{0,47}[A-Za-z])\.(?:\s+(.*))?$")
_MAX_TITLE_WORDS: Final = 6


class Level(IntEnum):
    """How a line starts a unit; lower values enclose higher ones."""

    CONTAINER = 1  # Markdown heading, 第X章, 第X节, 第X部分: carries over to the next article
    ARTICLE = 2  # 第X条, 一、, a 解读's "一问：": one chunk each
    SUBITEM = 3  # （一）: stays inside its article (a titled one under 一、: `chunking.split_titled_items`)


@dataclass(frozen=True, slots=True)
class Marker:
    level: Level
    label: str  # section label, e.g. "第五条 资金占用费", "一、支持对象", "申请流程"
    text: str  # the line as it goes into chunk text (without `#` markup)
    heading_only: bool  # True when the line is a heading with no body text of its own


def classify(line: str) -> Marker | None:
    """The unit a line starts, or None for an ordinary paragraph line."""
    heading = _MD_HEADING.match(line)
    content = heading.group(2).strip() if heading else line.strip()
    if not content:
        return None
    numbered = _numbered(content)
    if numbered is not None:
        return numbered if not heading else Marker(numbered.level, numbered.label, content, True)
    if heading:
        return Marker(Level.CONTAINER, content, content, True)
    return None


def asks(line: str) -> bool:
    """The line is a 解读's question ("问：…", "Q2：…"), as a heading or not."""
    heading = _MD_HEADING.match(line)
    return _QUESTION.match(heading.group(2).strip() if heading else line.strip()) is not None


def _numbered(content: str) -> Marker | None:
    question = _QUESTION.match(content)
    if question is not None:
        # "三问：企业完成股改能拿到多少奖励？" → "三问 企业完成股改能拿到多少奖励？": the question
        # is the heading the answer below it is quoted under
        label = question.group(1).rstrip("：:")
        asked = question.group(2).strip()[:_MAX_QUESTION_LABEL]
        return Marker(Level.ARTICLE, f"{label} {asked}", content, True)
    for pattern, level, joiner, sentence_titles in (
        (_ARTICLE, Level.ARTICLE, " ", False),
        (_CONTAINER, Level.CONTAINER, " ", False),
        (_ITEM, Level.ARTICLE, "", True),
        (_SUBITEM, Level.SUBITEM, "", True),
        (_ARTICLE_EN, Level.ARTICLE, " ", True),
        (_CONTAINER_EN, Level.CONTAINER, " ", False),
    ):
        match = pattern.match(content)
        if match:
            title, heading_only = short_title(match.group(2), sentence_titles=sentence_titles)
            label = f"{match.group(1)}{joiner}{title}" if title else match.group(1)
            return Marker(level, label, content, heading_only)
    return None


def short_title(rest: str, *, sentence_titles: bool) -> tuple[str, bool]:
    """(short heading after the number, whether the line holds nothing else).

    `资金占用费` and `【资金占用费】` are headings. Numbered items often open with a
    heading sentence (`一、加大奖励力度。对……`), so with `sentence_titles` a short first
    sentence counts too; an article's first sentence (`第五条 申请企业应当……。`) is body.
    """
    rest = rest.strip()
    if not rest:
        return "", True
    bracketed = _BRACKET_TITLE.match(rest)
    if bracketed:
        return bracketed.group(1).strip(), not bracketed.group(2).strip()
    if len(rest) <= _MAX_SHORT_TITLE and not _CLAUSE_PUNCT.search(rest.replace("、", "")):
        return rest, True  # "个人贷款额度、期限和利率": an enumeration is still a heading
    if sentence_titles:
        first = _FIRST_SENTENCE.match(rest)
        if first:
            return first.group(1).strip(), not first.group(2).strip()
        english = _FIRST_SENTENCE_EN.match(rest)
        if english and len(english.group(1).split()) <= _MAX_TITLE_WORDS:
            return english.group(1).strip(), not (english.group(2) or "").strip()
    return "", False
