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
# a compilation's (政策汇编) entry: one measure reproduced in full, as a 政策要点 card or as 问答,
# under a line that names it, "【01】湄屿区促进企业利用资本市场高质量发展若干措施（原文收录）",
# "二、湄屿区企业应急转贷资金管理办法（原文收录）", "【02】湄屿区上市后备企业库管理问答"
_ENTRY_LABEL = rf"(?:【\s*{_NUM}\s*】|[{CN_NUMERALS}]+、|\d{{1,3}}[.．、]|政策{_NUM}[：:、\s])"
_ENTRY_NOTE = r"[（(][^（）()]{0,6}(?:原文|全文|要点|问答|摘编|节选|摘要|解读)[^（）()]{0,4}[）)]"
_ENTRY_WORD = r"(?:办法|措施|细则|通知|方案|意见|规定|问答|政策|计划|指引|指南|条例|规则|决定|解读)"
_ENTRY = re.compile(
    rf"^(?P<label>{_ENTRY_LABEL})\s*(?P<title>[^。；;，,：:！？!?]{{4,60}}?)\s*(?P<note>{_ENTRY_NOTE})?$"
)
# a measure's own name, long enough and ending in a document's word ("…贴息奖励办法", "…问答")
_MEASURE_NAME_END = re.compile(rf"{_ENTRY_WORD}[）)]?$")
_MEASURE_NAME_MIN: Final = 8
# what a compilation calls itself: in its title, or in its 编印说明 ("本汇编收录…")
COMPILATION_TITLE: Final = re.compile(r"汇编|选编")
_COMPILATION_HEAD: Final = re.compile(r"本汇编|本选编")

# a compilation of fewer entries than this is read as one document
MIN_ENTRIES: Final = 2
# a field's name opening a line: "支持标准：…" of a 政策要点 card, "收费标准：…" of a 办事指南
FIELD_START: Final = re.compile(r"^([\u4e00-\u9fff]{2,8})[：:]")
# the fields a 办事指南 lists at least (事项名称, 申请材料, 承诺办结时限, 收费标准, 办理地点, …),
# whether drawn as a table (`tables.field_table`), on a PDF page (`loaders.reflow_pdf_page`)
# or as lines (`chunking._split_fields`)
GUIDE_FIELDS_MIN: Final = 6


# the file types of a spreadsheet (`knowledge.workbook`)
WORKBOOK_TYPES: Final = ("xlsx", "xls")


def is_compilation(title: str, body: str, file_type: str = "") -> bool:
    """A 政策汇编: many measures, each with its own articles, under one title; or a workbook,
    whose rows may be measures of a 政策清单 (`knowledge.workbook`: a row of measures is an
    entry "【03】…", and a workbook without such rows holds no entry to split)."""
    if file_type in WORKBOOK_TYPES:
        return True
    return bool(COMPILATION_TITLE.search(title) or _COMPILATION_HEAD.search(body[:3000]))


# a bold line of a compilation is a heading of this level (below the document's title)
BOLD_TITLE_LEVEL: Final = 2
# … when it is a title: short, one clause, not a numbered unit (those are read by their numbers)
_BOLD_TITLE_MAX: Final = 40
_CLAUSE_ENDING = re.compile(r"[。；;，,：:！？!?]$")


def may_be_bold_title(text: str) -> bool:
    """A line that reads as a compilation's title when set bold (a Word file's, .docx or
    .doc): short, one clause, not a numbered unit."""
    return not (
        len(text) > _BOLD_TITLE_MAX or _CLAUSE_ENDING.search(text) or STRUCTURE_START.match(text)
    )


def reads_as_compilation(lines: list[str]) -> bool:
    """The file calls itself a 政策汇编: in its first line, or in the 编印说明 ("本汇编收录…")."""
    lines = [line for line in lines if line]
    return bool(lines) and is_compilation(lines[0], "\n".join(lines))


def entry_title(line: str) -> str:
    """The measure's name on an entry line, without its number and its note ("【01】…若干措施
    （原文收录）" → "…若干措施", "第一部分　…办法" → "…办法")."""
    content = heading_content(line)
    match = _ENTRY.match(content)
    if match is not None:
        return match.group("title").strip()
    part = PART_START.match(content)
    return content[part.end() :].strip(" \u3000") if part else content


def part_names_measure(line: str) -> bool:
    """A compilation's part that is one measure: "第一部分　栎山区首贷培育贴息奖励办法", not a
    grouping of several ("第一部分　区级政策")."""
    content = heading_content(line)
    match = PART_START.match(content)
    if match is None:
        return False
    return _names_measure(content[match.end() :].strip(" \u3000"))


def names_entry(line: str) -> bool:
    """The line names one measure of a compilation: a numbered title with a note of how it
    is reproduced, or one that ends in a document's word ("…办法", "…问答"), or under a
    bracketed number ("【03】湄屿区科创投资基金")."""
    match = _ENTRY.match(heading_content(line))
    if match is None:
        return False
    return bool(
        match.group("note")
        or match.group("label").startswith("【")
        or _names_measure(match.group("title"))
    )


def _names_measure(title: str) -> bool:
    return len(title) >= _MEASURE_NAME_MIN and _MEASURE_NAME_END.search(title) is not None


def carried_line(line: str) -> bool:
    """A compilation's part or entry line, which every passage of its measure carries
    (`chunking._carry_parts`) and a quote of it leaves out (`layout.quote_text`)."""
    return bool(PART_START.match(line)) or names_entry(line)


# a numbered item's label, "三、" (the unit 第X条 is in a 若干措施 or 实施意见)
_ITEM_NUMBER = rf"[{CN_NUMERALS}]+、"
ITEM_START: Final = re.compile(rf"^{_ITEM_NUMBER}")
_ITEM = re.compile(rf"^({_ITEM_NUMBER})[\s\u3000]*(.*)$")
_SUBITEM = re.compile(rf"^([（(][{CN_NUMERALS}]+[）)])[\s\u3000]*(.*)$")
_QUESTION = re.compile(rf"^({_QUESTION_LABEL})[\s\u3000]*(\S.*)$")
# a 百问百答's question, numbered through the book and asked in one line: "12. 企业在新三板挂牌，
# 区里奖励多少？" over "答：…" (tingbu, written blind: read as plain lines, a passage of 500
# characters held the end of one answer and the start of the next question's)
_NUMBERED_QUESTION = re.compile(r"^(\d{1,3}[.．、])[\s\u3000]*(\S.{1,80}[？?])$")
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


def heading_content(line: str) -> str:
    """The line without a Markdown heading's `#` marks (a docx heading is read as one)."""
    heading = _MD_HEADING.match(line)
    return heading.group(2).strip() if heading else line.strip()


def asks(line: str) -> bool:
    """The line is a 解读's question ("问：…", "Q2：…"), as a heading or not."""
    return _QUESTION.match(heading_content(line)) is not None


def numbered_question(line: str) -> bool:
    """The line is a 百问百答's numbered question ("12. 企业在新三板挂牌，区里奖励多少？")."""
    return _NUMBERED_QUESTION.match(heading_content(line)) is not None


def _numbered(content: str) -> Marker | None:
    question = _QUESTION.match(content) or _NUMBERED_QUESTION.match(content)
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
