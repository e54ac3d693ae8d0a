"""One layout of an answer, rendered per medium: plain text here, Telegram HTML in handlers.

The layout says what is shown and how it is emphasised (a citation is strong, a passage is
a quote); a renderer only decides how emphasis looks. Console, CLI JSON and Telegram thus
show the same content in the same order, and a change of wording happens in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.answers.models import Amended, Answer, Band, Hit, Notice, Suggestion
from bot.texts import Lang, t
from knowledge.structure import carried_line


class Style(StrEnum):
    PLAIN = "plain"
    STRONG = "strong"  # citation, headings
    QUOTE = "quote"  # a verbatim passage or an approved FAQ answer
    NOTE = "note"  # the source file, the "quoted verbatim" remark
    WARNING = "warning"  # the document is no longer in force


@dataclass(frozen=True, slots=True)
class Line:
    style: Style
    text: str


Paragraph = tuple[Line, ...]


def layout(answer: Answer) -> list[Paragraph]:
    """Paragraphs for any band; NONE shows its reply as it is. A follow-up answered in the
    context of the previous turn opens by naming that topic ("关于《…》："), so a wrong guess
    shows; when its first quote is from another document (the province's rule after the
    county's), it says it follows on from that topic instead, since "关于" would name the wrong
    document as the answer's subject."""
    if answer.band is Band.ANSWER and (answer.hits or answer.notice is not None):
        paragraphs = answer_paragraphs(answer.hits, answer.notice, answer.related, answer.lang)
        if answer.context_title:
            key = "answer.context_from" if answer.context_elsewhere else "answer.context"
            topic = t(key, answer.lang, title=answer.context_title)
            paragraphs.insert(0, (Line(Style.PLAIN, topic),))
        return paragraphs
    if answer.band is Band.SUGGEST:
        return [suggest_paragraph(answer.suggestions, answer.lang)]
    if answer.notice is not None:
        # no answer: only a document no longer in force spoke of it, and the note says so
        return [(Line(Style.WARNING, notice_text(answer.notice, answer.lang)),)]
    return [(Line(Style.PLAIN, answer.reply),)]


def answer_paragraphs(
    hits: Sequence[Hit], notice: Notice | None, related: Sequence[Suggestion], lang: Lang
) -> list[Paragraph]:
    parts: list[Paragraph] = []
    if notice is not None:
        parts.append((Line(Style.WARNING, notice_text(notice, lang)),))
    else:
        parts.append((Line(Style.PLAIN, t("answer.intro", lang)),))
    parts += [_hit_paragraph(hit, lang) for hit in hits]
    if hits:
        parts.append((Line(Style.NOTE, t("answer.quote_note", lang)),))
    if related:
        parts.append((Line(Style.STRONG, t("answer.related", lang) + " ↓"),))
    return parts


def suggest_paragraph(suggestions: Sequence[Suggestion], lang: Lang) -> Paragraph:
    lines = [Line(Style.STRONG, t("suggest.intro", lang))]
    lines += [Line(Style.PLAIN, f"{n}. {s.label}") for n, s in enumerate(suggestions, 1)]
    lines.append(Line(Style.PLAIN, t("suggest.outro", lang)))
    return tuple(lines)


# the note on a document not quoted as the rule in force, by its status: the text naming the
# rule in force in its place, and the text when the knowledge base holds none
_NOTICE_TEXTS = {
    "pending": ("answer.pending_of", "answer.pending"),
    "draft": ("answer.draft_of", "answer.draft"),
}
_NO_LONGER_IN_FORCE = ("answer.superseded", "answer.superseded_no_replacement")


def notice_text(notice: Notice, lang: Lang) -> str:
    with_rule, alone = _NOTICE_TEXTS.get(notice.status, _NO_LONGER_IN_FORCE)
    if notice.in_part:
        with_rule = "answer.pending_in_part"
    fields = {
        "title": notice.old_title,
        "reason": t(f"status.{notice.status}", lang),
        "date": fmt_date(notice.effective, lang),
    }
    if notice.new_title:
        return t(with_rule, lang, new_title=notice.new_title, **fields)
    return t(alone, lang, **fields)


def _hit_paragraph(hit: Hit, lang: Lang) -> Paragraph:
    """Citation first (title, 文号, section, 施行日期), then the verbatim passage quoted."""
    citation = citation_line(hit, lang)
    if hit.kind == "faq":
        lines = [Line(Style.QUOTE, hit.text)]
        if citation:
            lines.append(Line(Style.PLAIN, t("answer.faq_basis", lang, basis=citation)))
        return tuple(lines)
    lines = [Line(Style.STRONG, citation)] if citation else []
    lines.append(Line(Style.QUOTE, quote_text(hit)))
    lines += [Line(Style.WARNING, amended_line(a, lang)) for a in hit.amended]
    if hit.source:
        lines.append(Line(Style.NOTE, t("answer.source_file", lang, source=hit.source)))
    return tuple(lines)


def amended_line(change: Amended, lang: Lang) -> str:
    """Which decision changed the quoted words, so the amended quote is never taken for the
    measure's own wording."""
    number = ""
    if change.by_number:
        number = f"（{change.by_number}）" if lang == "zh" else f" ({change.by_number})"
    title = _inner_title(change.by_title) if lang == "zh" else change.by_title
    if change.stopped:
        since = fmt_date(change.effective, lang) if change.effective else ""
        key = "answer.stopped_from" if since else "answer.stopped"
        return t(key, lang, title=title, number=number, date=since)
    when = ""
    if change.effective:
        when = t("answer.amended_from", lang, date=fmt_date(change.effective, lang))
    if change.clause:  # adjusted for a time: the notice's own words, the quote as it stands
        until = (
            t("answer.adjusted_until", lang, date=fmt_date(change.until, lang))
            if change.until
            else ""
        )
        key = "answer.adjusted_section" if change.on_section else "answer.adjusted"
        return t(key, lang, title=title, number=number, when=when, until=until,
                 clause=change.clause)  # fmt: skip
    if not change.old:  # the article rewritten as a whole: the quote is its new text
        return t("answer.amended_article", lang, title=title, number=number, when=when)
    return t("answer.amended", lang, title=title, number=number, old=change.old,
             new=change.new, when=when)  # fmt: skip


def _inner_title(title: str) -> str:
    """A title quoted inside 《》 writes the title it names in 〈〉: 《关于修改〈…办法〉的决定》."""
    return title.replace("《", "〈").replace("》", "〉")


def fmt_date(d: date | None, lang: Lang) -> str:
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.isoformat()


def citation_line(hit: Hit, lang: Lang) -> str:
    if not hit.title:
        return ""
    if hit.doc_number:
        number = f"（{hit.doc_number}）" if lang == "zh" else f" ({hit.doc_number})"
    else:
        number = ""
    # a bare item label ("三、") would run into the comma: "三、，施行日期"
    section = f" {hit.section.removesuffix('、')}" if hit.section else ""
    line = t("answer.source", lang, title=hit.title, number=number, section=section)
    comma = "，" if lang == "zh" else ", "
    if hit.compiled_in:  # an entry of a 政策汇编: where the reader finds it
        line += comma + t("answer.compiled_in", lang, title=hit.compiled_in)
    if hit.effective:
        line += comma + t("answer.effective", lang, date=fmt_date(hit.effective, lang))
    if hit.extended_by and hit.expires:
        line += comma + t(
            "answer.extended", lang, date=fmt_date(hit.expires, lang), by=hit.extended_by
        )
    return line


def quote_text(hit: Hit) -> str:
    """The passage without a leading repeat of its section label (the citation names it),
    nor the punctuation that followed it ("一、新增商业汇票贴现贴息。在本区…" → "在本区…")."""
    text = _without_entry_lines(hit) if hit.compiled_in else hit.text
    if hit.section and text.startswith(hit.section):
        rest = text[len(hit.section) :].lstrip(" \u3000\n。．.：:，,；;")
        if rest:
            return rest
    return text


def _without_entry_lines(hit: Hit) -> str:
    """An entry of a 政策汇编 quoted without the part's and the entry's lines it carries
    ("第一部分 区级政策 / 【01】…（原文收录）"): the citation above names the entry."""
    lines = hit.text.split("\n")
    start = 0
    while start < len(lines) - 1 and carried_line(lines[start]):
        start += 1
    return "\n".join(lines[start:])


def render_plain(paragraphs: Sequence[Paragraph]) -> str:
    """Console and CLI: quotes in 「」, emphasis dropped."""
    return "\n\n".join("\n".join(_plain_line(line) for line in p) for p in paragraphs if p)


def _plain_line(line: Line) -> str:
    return f"「{line.text}」" if line.style is Style.QUOTE else line.text
