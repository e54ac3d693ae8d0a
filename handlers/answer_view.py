"""Answer DTO → Telegram HTML: the same content as the plain-text reply, styled and escaped.

Every dynamic string goes through `handlers.render` helpers, so a policy text containing
`<` or `&` (or a question containing markup) can never break the message.
"""

from __future__ import annotations

from bot.answers import Answer, Band, Hit, Notice, citation_line, quote_text
from bot.texts import Lang, t
from handlers.render import b, esc, i, quote


def render_answer(answer: Answer) -> str:
    """HTML for any band; callers split it with `split_message` before sending."""
    if answer.band is Band.ANSWER and (answer.hits or answer.notice is not None):
        return _answer_html(answer)
    if answer.band is Band.SUGGEST:
        return _suggest_html(answer)
    return esc(answer.reply)


def _answer_html(answer: Answer) -> str:
    lang = answer.lang
    parts: list[str] = []
    if answer.notice is not None:
        parts.append("⚠️ " + b(_notice_text(answer.notice, lang)))
    else:
        parts.append(esc(t("answer.intro", lang)))
    parts += [_hit_html(hit, lang) for hit in answer.hits]
    if answer.hits:
        parts.append(i(t("answer.quote_note", lang)))
    if answer.related:
        parts.append(b(t("answer.related", lang)) + " ↓")
    return "\n\n".join(p for p in parts if p)


def _notice_text(notice: Notice, lang: Lang) -> str:
    reason = t(f"status.{notice.status}", lang)
    if notice.new_title:
        return t(
            "answer.superseded",
            lang,
            title=notice.old_title,
            reason=reason,
            new_title=notice.new_title,
        )
    return t("answer.superseded_no_replacement", lang, title=notice.old_title, reason=reason)


def _hit_html(hit: Hit, lang: Lang) -> str:
    """Citation first (title, 文号, section, 施行日期), then the verbatim passage quoted."""
    citation = citation_line(hit, lang)
    if hit.kind == "faq":
        lines = [quote(hit.text)]
        if citation:
            lines.append(esc(t("answer.faq_basis", lang, basis=citation)))
        return "\n".join(lines)
    lines = [b(citation)] if citation else []
    lines.append(quote(quote_text(hit)))
    if hit.source:
        lines.append(i(t("answer.source_file", lang, source=hit.source)))
    return "\n".join(lines)


def _suggest_html(answer: Answer) -> str:
    lang = answer.lang
    lines = [b(t("suggest.intro", lang))]
    lines += [f"{n}. {esc(s.label)}" for n, s in enumerate(answer.suggestions, 1)]
    lines.append(esc(t("suggest.outro", lang)))
    return "\n".join(lines)
