"""A policy notice as subscribers see it, and the admin's question before it goes out.

Shared kit: the admin feature asks (after an upload) with `confirm_prompt`, the
subscriptions feature sends `notice_html` with `notice_keyboard` to each subscriber and
handles both keyboards' buttons (`bc:` and `sub:ask:`).

Callback data: `bc:go:<broadcast id>` / `bc:no:<broadcast id>` (the admin's choice),
`sub:ask:<doc id>` (a subscriber's "ask about it"; doc ids are at most 48 bytes).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.broadcast import Draft, Notice
from bot.subscriptions import topic_label
from bot.texts import Lang, t
from handlers.keyboards import button, fits
from handlers.render import b, text


def notice_html(notice: Notice, lang: Lang) -> str:
    """Title, 文号, 施行日期 and what changed (new / replaces 《…》)."""
    lines = [
        b(t("bc.notice_head", lang, topic=topic_label(notice.topic, lang))),
        b(t("bc.notice_title", lang, title=notice.title)),
    ]
    if notice.doc_number:
        lines.append(text("bc.notice_number", lang, value=notice.doc_number))
    if notice.effective:
        lines.append(text("bc.notice_effective", lang, value=notice.effective))
    if notice.replaces_title:
        number = f"（{notice.replaces_number}）" if notice.replaces_number else ""
        lines.append(text("bc.notice_replaces", lang, title=notice.replaces_title, number=number))
    else:
        lines.append(text("bc.notice_new", lang))
    lines.append(text("bc.notice_unsub", lang))
    return "\n".join(lines)


def ask_data(doc_id: str) -> str | None:
    data = f"sub:ask:{doc_id}"
    return data if fits(data) else None


def notice_keyboard(notice: Notice, lang: Lang) -> InlineKeyboardMarkup | None:
    data = ask_data(notice.doc_id)
    return None if data is None else InlineKeyboardMarkup([[button(t("bc.btn.ask", lang), data)]])


def confirm_prompt(draft: Draft, lang: Lang) -> tuple[str, InlineKeyboardMarkup | None]:
    """The question to the admin, with the notice as it will look; no buttons when the
    topic has nobody to notify."""
    topic = topic_label(draft.notice.topic, lang)
    if draft.broadcast_id is None:
        return text("bc.no_subscribers", lang, topic=topic), None
    head = text("bc.confirm", lang, topic=topic, n=draft.recipients)
    markup = InlineKeyboardMarkup(
        [
            [
                button(t("bc.btn.send", lang, n=draft.recipients), f"bc:go:{draft.broadcast_id}"),
                button(t("bc.btn.skip", lang), f"bc:no:{draft.broadcast_id}"),
            ]
        ]
    )
    return f"{head}\n\n{notice_html(draft.notice, lang)}", markup
