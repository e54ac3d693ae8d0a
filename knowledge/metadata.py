"""Document metadata from YAML front matter or the header block policy files carry.

Two authoring styles reach the bureau: Markdown with YAML front matter, and policy text
whose first lines are `# 标题` followed by `发文单位：…`, `文号：…`, `施行日期：…`.
Both map onto the same `DocumentMeta`; the header lines are removed from the body so
they are not indexed as if they were policy content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import fields
from datetime import date, datetime
from typing import Any, Final

import yaml

from knowledge.amendments import parse_adjustment, parse_article_notice, parse_suspension
from knowledge.closing import (
    CAMPAIGN_TITLE,
    DOC_NUMBER,
    DRAFT_MARKERS,
    Signature,
    campaign_end,
    continued_title,
    cover_signature,
    extension_in_body,
    masthead_title,
    repealed_by_body,
    repealed_by_decision,
    replaced_by_body,
    split_signature,
    split_title_lines,
    validity_from_body,
    wrapped_title,
)
from knowledge.dates import find_date, find_dates
from knowledge.models import DocumentMeta
from knowledge.structure import STRUCTURE_START

# Canonical field name for every accepted key (YAML keys and header labels alike).
_KEY_ALIASES: Final = {
    "title": "title", "标题": "title", "名称": "title",
    "issuer": "issuer", "发文单位": "issuer", "发文机关": "issuer", "印发单位": "issuer",
    "发布机构": "issuer", "发布单位": "issuer",
    "doc_number": "doc_number", "文号": "doc_number", "发文字号": "doc_number",
    "published": "published", "发布日期": "published", "印发日期": "published",
    "成文日期": "published",
    "effective": "effective", "施行日期": "effective", "生效日期": "effective",
    "实施日期": "effective",
    "expires": "expires", "有效期至": "expires", "有效期": "expires", "有效期限": "expires",
    "执行期限": "expires", "实施期限": "expires", "执行期": "expires",
    "long_term": "long_term",
    "repealed": "repealed", "废止日期": "repealed",
    "replaced_by": "replaced_by", "替代文件": "replaced_by", "被替代": "replaced_by",
    "replaces": "replaces", "替代": "replaces", "取代": "replaces",
    "topic": "topic", "主题": "topic",
    "national_basis": "national_basis", "依据": "national_basis", "政策依据": "national_basis",
    "draft": "draft", "草案": "draft", "征求意见稿": "draft",
    # a government website's info box: "有效性：已废止" over a measure kept for reference
    "validity": "validity", "有效性": "validity", "时效性": "validity", "效力状态": "validity",
}  # fmt: skip
_DATE_FIELDS: Final = ("published", "effective", "repealed")
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADER_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*)?(?P<key>" + "|".join(sorted(_KEY_ALIASES, key=len, reverse=True))
    + r")(?:\*\*)?\s*[：:](?:\*\*)?\s*(?P<value>.*?)\s*$"
)  # fmt: skip
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
# several pairs on one line: "发布机构：沅州市地方金融管理局　　发布日期：2025年2月12日"
_PAIR_GAP = re.compile(r"(?:\s{2,}|\u3000+|\s*[|｜]\s*)(?=[\u4e00-\u9fff]{2,6}\s*[：:])")
_BOOK_TITLE = re.compile(r"《(.+?)》")
_NO_LONGER_VALID = re.compile(r"废止|失效|停止执行|已到期|不再执行")
_LONG_TERM = re.compile(r"长期|永久|long[ _-]?term", re.IGNORECASE)
# "自2021年3月1日起施行"; and as often written, with the date itself right before the verb,
# "于2027年1月1日起施行", "自2027年1月1日起正式实施", "从2027年1月1日开始执行" (not "于2025年12月31日
# 前完成审核后实施", a deadline; 关于… is a title's "about", not "on")
_DAY = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
_EFFECTIVE_IN_BODY = re.compile(
    rf"自(.{{6,20}}?)起(?:施行|实施|执行|生效)"
    rf"|(?:自|(?<!关)于|从)\s*({_DAY})\s*(?:起|开始)?\s*(?:正式|开始)?(?:施行|实施|执行|生效)"
)
_INTERPRETATION = re.compile(r"解读|问答")  # "《…措施》政策解读", "…政策问答"
# "…办法（征求意见稿）", "…条例（修订草案）", "关于公开征求《…》意见的公告", "（送审稿）"
_DRAFT = re.compile(rf"{DRAFT_MARKERS}|征求[^，。]{{0,40}}意见的(?:公告|通知|函)")
_DRAFT_MARK = re.compile(rf"[（(][^（）()]*(?:{DRAFT_MARKERS})[^（）()]*[）)]")
_EFFECTIVE_ON_ISSUE = re.compile(r"自(?:印发|发布|公布|发文)之日起(?:施行|实施|执行|生效)")
_MAX_TITLE_LINE: Final = 60
_HAN = re.compile(r"[\u3400-\u9fff]")
# how a notice's or measure's title ends, and what a title never holds
_TITLE_KIND_END = re.compile(r"(?:通知|办法|细则|意见|方案|决定|规定|措施|指引|公告|批复|通报)$")
_SENTENCE_MARK = re.compile(r"[，。；;,]")
_TEXT_FIELDS: Final = frozenset(f.name for f in fields(DocumentMeta)) - {
    *_DATE_FIELDS, "expires", "long_term", "draft",
}  # fmt: skip


def parse_metadata(text: str, fallback_title: str) -> tuple[DocumentMeta, str, tuple[str, ...]]:
    """Return (meta, body_without_header, warnings); warnings are message keys."""
    warnings: list[str] = []
    values: dict[str, Any] = {}
    front, body = _read_front_matter(text, warnings)
    _apply(values, front, warnings)
    header, body = _split_header_block(body)
    _apply(values, header, warnings, overwrite=False)
    values.setdefault("title", _title_from_body(body) or fallback_title)
    body = _drop_title_heading(body, values["title"])
    body = _read_body_metadata(body, values)
    if values.get("effective") is None:
        values["effective"] = _effective_from_body(body, values.get("published"))
    _read_closing_article(body, values)
    if is_draft(values["title"]):
        values["draft"] = True
    if values.get("draft"):
        warnings.append("draft")
    elif values.get("effective") is None and values.get("published") is None:
        warnings.append("no_effective_date")
    meta = DocumentMeta(**{k: v for k, v in values.items() if v is not None})
    return meta, body.strip("\n"), tuple(dict.fromkeys(warnings))


def _read_front_matter(text: str, warnings: list[str]) -> tuple[dict[str, Any], str]:
    """YAML between leading `---` lines; broken YAML is dropped (with a warning), not indexed."""
    front = _FRONT_MATTER.match(text)
    if not front:
        return {}, text
    try:
        loaded = yaml.safe_load(front.group(1))
    except yaml.YAMLError:
        warnings.append("bad_front_matter")
        return {}, text[front.end() :]
    if not isinstance(loaded, dict):  # e.g. two Markdown rules around a paragraph
        return {}, text
    return {str(key).strip(): value for key, value in loaded.items()}, text[front.end() :]


def _split_header_block(text: str) -> tuple[dict[str, Any], str]:
    """Read an optional title line and the `键：值` lines below it; return (raw, rest)."""
    lines = text.split("\n")
    raw: dict[str, Any] = {}
    index = _skip_blank(lines, 0)
    title: str | None = None
    if index < len(lines) and not _HEADER_LINE.match(lines[index]):
        title = _title_line(lines[index])
        if title is None:
            return {}, text
        index += 1
    found = False
    while index < len(lines):
        line = lines[index]
        matches = [_HEADER_LINE.match(piece) for piece in split_header_pairs(line)]
        if matches and all(matches):
            for match in matches:
                if match is not None:
                    raw.setdefault(match.group("key"), match.group("value"))
            found = True
        elif line.strip():
            break
        index += 1
    if not found:
        return {}, text
    if title:
        raw.setdefault("title", title)
    return raw, "\n".join(lines[index:])


def split_header_pairs(line: str) -> list[str]:
    """One `键：值` pair per piece: "发布机构：…　　发布日期：…" (two spaces, a full-width
    space or a bar between pairs) is two header lines written as one."""
    return _PAIR_GAP.split(line)


def _title_line(line: str) -> str | None:
    """A Markdown heading, or a short line that does not read as a sentence."""
    heading = _MD_HEADING.match(line)
    if heading:
        return heading.group(2).strip()
    stripped = line.strip()
    if STRUCTURE_START.match(stripped) or not any(ch.isalnum() for ch in stripped):
        return None
    if 0 < len(stripped) <= _max_title_line(stripped) and stripped[-1] not in "。；;，,：:.":
        return stripped
    return None


def _max_title_line(line: str) -> int:
    """A title line's longest length: an English edition's title takes about three times the
    characters of its Chinese one ("Guide to Financing Support for Foreign-Invested Enterprises
    in … Development Zone", 113). A Chinese line that reads as a notice's title, with no
    sentence's punctuation and ending in its kind, may be twice as long: three bodies issuing
    a measure jointly ("磐溪市地方金融服务中心 磐溪市科学技术局 磐溪市财政局关于印发《…管理办法》
    的通知", 72 characters: panxi, written blind, whose title was its file name)."""
    if not _HAN.search(line):
        return 3 * _MAX_TITLE_LINE
    if _TITLE_KIND_END.search(line) and not _SENTENCE_MARK.search(line):
        return 2 * _MAX_TITLE_LINE
    return _MAX_TITLE_LINE


def _apply(
    values: dict[str, Any], raw: dict[str, Any], warnings: list[str], *, overwrite: bool = True
) -> None:
    named = [
        (_KEY_ALIASES.get(key) or _KEY_ALIASES.get(key.lower()), value)
        for key, value in raw.items()
    ]
    # A validity range also implies an effective date; an explicit 施行日期 must win.
    named.sort(key=lambda item: item[0] == "expires")
    for name, value in named:
        if name is None or value is None or value == "":
            continue
        for field_name, parsed in _FIELD_PARSERS.get(name, _parse_text_field(name))(value):
            if parsed is None:
                warnings.append("bad_date")
            elif overwrite or values.get(field_name) is None:
                values[field_name] = parsed


FieldParser = Callable[[Any], list[tuple[str, Any]]]


def _parse_text_field(name: str) -> FieldParser:
    def parse(value: Any) -> list[tuple[str, Any]]:
        text = str(value).strip()
        if name in {"title", "replaced_by", "replaces"}:
            text = _strip_book_marks(text)
        return [(name, text)] if text and name in _TEXT_FIELDS else []

    return parse


def _date_parser(name: str) -> FieldParser:
    def parse(value: Any) -> list[tuple[str, Any]]:
        return [(name, _to_date(value))]

    return parse


def _parse_repealed(value: Any) -> list[tuple[str, Any]]:
    """`2024年3月1日（由《新办法》替代）` carries both the date and the replacement."""
    out: list[tuple[str, Any]] = [("repealed", _to_date(value))]
    replacement = _BOOK_TITLE.search(str(value))
    if replacement and ("替代" in str(value) or "取代" in str(value)):
        out.append(("replaced_by", replacement.group(1).strip()))
    return out


def _parse_expires(value: Any) -> list[tuple[str, Any]]:
    """`长期有效`, a single end date, or a `A至B` range (A then doubles as effective)."""
    if value is True or (isinstance(value, str) and _LONG_TERM.search(value)):
        return [("long_term", True)]
    if isinstance(value, date):
        return [("expires", _as_date(value))]
    dates = find_dates(str(value))
    if len(dates) >= 2:
        return [("effective", dates[0]), ("expires", dates[-1])]
    if len(dates) == 1 and _STARTS_ON.search(str(value)):
        # "执行期限：2029年1月1日起执行，有效期5年" gives the start, and the period from it: read
        # as an end, the measure had lapsed on the day it began (zheling, written blind)
        expires, long_term = validity_from_body(str(value), dates[0])
        return [("effective", dates[0]), ("expires", expires), ("long_term", long_term)]
    return [("expires", dates[0] if dates else None)]


# a period's single day that is its start: "2029年1月1日起执行", "自2029年1月1日起"
_STARTS_ON = re.compile(r"日\s*起(?!至)(?:施行|执行|实施|生效)?(?![^，。；,;]{0,12}(?:至|到|止))")


def _parse_long_term(value: Any) -> list[tuple[str, Any]]:
    return [("long_term", True)] if _truthy(value) else []


def _parse_draft(value: Any) -> list[tuple[str, Any]]:
    return [("draft", True)] if _truthy(value) else []


def _truthy(value: Any) -> bool:
    return value is True or str(value).strip().lower() in {"true", "yes", "是", "1"}


def _parse_validity(value: Any) -> list[tuple[str, Any]]:
    """ "已废止", "失效": the page marks its measure as no longer in force, with or without the
    day; "有效", "现行有效" say nothing the dates do not."""
    return [("ended", True)] if _NO_LONGER_VALID.search(str(value)) else []


_FIELD_PARSERS: Final[dict[str, FieldParser]] = {
    "validity": _parse_validity,
    "published": _date_parser("published"),
    "effective": _date_parser("effective"),
    "repealed": _parse_repealed,
    "expires": _parse_expires,
    "long_term": _parse_long_term,
    "draft": _parse_draft,
}


def _to_date(value: Any) -> date | None:
    if isinstance(value, date):
        return _as_date(value)
    return find_date(str(value))


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _strip_book_marks(text: str) -> str:
    match = _BOOK_TITLE.fullmatch(text.strip())
    return match.group(1).strip() if match else text.strip()


def _title_from_body(body: str) -> str | None:
    """The first line when it reads as a title (a heading, or a short line that is not a
    sentence or a numbered unit), else the first Markdown heading.

    Official documents open with their title as plain text (or in Word's Title style) and
    only later use heading styles for their chapters, so the first heading alone would
    name the document after its first chapter ("一、总则").
    """
    _issuer, masthead = masthead_title(body.split("\n"))
    if masthead is not None:
        return masthead
    lines = [line for line in body.split("\n") if line.strip()]
    if len(lines) > 1 and DOC_NUMBER.match(lines[0].strip()):
        # the 文号 printed above the title ("柘政发〔2032〕5号" / "关于印发…的通知"): it is
        # the number, read apart (`split_title_lines`), not the title's first line (zhewan,
        # written blind: the title ran on from the number, so the measure repealing it by
        # name and 文号 named no document the knowledge base held)
        lines = lines[1:]
    first = lines[0] if lines else ""
    heading = _MD_HEADING.match(first)
    if heading:
        return heading.group(2).strip()
    if first and _title_line(first) is not None:
        wrapped = wrapped_title(first, lines[1]) if len(lines) > 1 else None
        return wrapped or continued_title(lines[:3]) or _title_line(first)
    for line in body.split("\n"):
        heading = _MD_HEADING.match(line)
        if heading:
            return heading.group(2).strip()
    return None


def _drop_title_heading(body: str, title: str) -> str:
    """The title already lives in meta; keep it out of the first chunk's section label."""
    lines = body.split("\n")
    index = _skip_blank(lines, 0)
    if index < len(lines):
        heading = _MD_HEADING.match(lines[index])
        if heading and heading.group(2).strip() == title:
            return "\n".join(lines[index + 1 :])
    return body


def _read_body_metadata(body: str, values: dict[str, Any]) -> str:
    """The 文号 under the title and the 落款 at the end; both leave the indexed body.

    Values from front matter or a header block always win: these fill only what is missing.
    """
    masthead, _ = masthead_title(body.split("\n"))
    body, number = split_title_lines(body, values["title"])
    body, signature = split_signature(body)
    if signature.issuer is None:  # a measure printed unsigned under its cover letter
        cover = cover_signature(body, str(values.get("title", "")))
        signature = Signature(cover.issuer, signature.signed or cover.signed)
    for name, value in (
        ("issuer", masthead),
        ("doc_number", number),
        ("issuer", signature.issuer),
        ("published", signature.signed),
    ):
        if value is not None and values.get(name) is None:
            values[name] = value
    return body


def is_draft(title: str) -> bool:
    """A 征求意见稿, 草案 or 送审稿, or the notice that publishes one for comment: a text the
    bureau put out to be discussed, which changes nothing until it is issued as a rule. Read
    as a rule, its closing article ("原《…》同时废止") repealed the measure in force."""
    return _DRAFT.search(title) is not None


def undrafted_title(title: str) -> str:
    """The title of the rule a draft would become: "…办法（修订征求意见稿）" → "…办法", and
    "关于公开征求《…办法》意见的公告" → "…办法"."""
    named = _BOOK_TITLE.search(title)
    inner = named.group(1) if named else title
    return _DRAFT_MARK.sub("", inner).strip()


def is_interpretation(title: str) -> bool:
    """A 政策解读 or 政策问答: it explains a measure in its own words and changes nothing."""
    return _INTERPRETATION.search(title) is not None


def _read_closing_article(body: str, values: dict[str, Any]) -> None:
    """Validity and the repealed predecessor, from the closing article's sentences (or, for
    a campaign notice that states no 有效期, from its 活动时间).

    A 政策解读 restates the measure it explains ("原《…》同时废止", "有效期延长至…"): it
    lives as long as that measure, but it replaces, extends and amends nothing, or a
    question on the repealed predecessor would be pointed at the 解读 instead of the
    measure now in force (hexi's 解读 page was)."""
    if values.get("expires") is None and not values.get("long_term"):
        start = values.get("effective") or values.get("published")
        expires, long_term = validity_from_body(body, start)
        if expires is None and CAMPAIGN_TITLE.search(str(values.get("title", ""))):
            expires = campaign_end(body)
        if expires is not None:
            values["expires"] = expires
        elif long_term:
            values["long_term"] = True
    if is_interpretation(str(values.get("title", ""))):
        return
    repeals = repealed_by_decision(str(values.get("title", "")), body, values.get("doc_number"))
    if repeals:
        values["repeals"] = repeals
        return
    if values.get("replaced_by") is None:
        values["replaced_by"] = replaced_by_body(body)
    if values.get("replaces") is None:
        title, number = repealed_by_body(body)
        if title is not None:
            values["replaces"] = title
            values["replaces_number"] = number
    if values.get("replaces") is None and values.get("amends") is None:
        title = str(values.get("title", ""))
        changed = (
            parse_suspension(body)
            or parse_adjustment(title, body)
            or parse_article_notice(title, body)
        )
        if changed is not None:
            values["amends"] = changed.target_title
            values["amends_number"] = changed.target_number
    if values.get("extends") is None:
        extension = extension_in_body(body)
        if extension is not None:
            values["extends"] = extension.title
            values["extends_number"] = extension.number
            values["extended_to"] = extension.until


def _effective_from_body(body: str, published: date | None) -> date | None:
    """`自2021年3月1日起施行` (`于…起施行`, `自…起正式实施`) or `自印发之日起施行` (then the
    publication date)."""
    for match in _EFFECTIVE_IN_BODY.finditer(body):
        found = find_date(match.group(1) or match.group(2))
        if found:
            return found
    if published and _EFFECTIVE_ON_ISSUE.search(body):
        return published
    return None


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index
