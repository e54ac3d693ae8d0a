"""Answer DTO → Telegram HTML: the shared layout (`bot.answers.layout`), styled and escaped.

The console and the CLI render the same paragraphs as plain text, so wording and order are
decided once. Every dynamic string goes through `handlers.render` helpers, so a policy text
containing `<` or `&` (or a question containing markup) can never break the message.
"""

from __future__ import annotations

from bot.answers import Answer
from bot.answers.layout import Line, Style, layout
from handlers.render import b, esc, i, quote


def render_answer(answer: Answer) -> str:
    """HTML for any band; callers split it with `split_message` before sending."""
    return "\n\n".join("\n".join(_line(line) for line in p) for p in layout(answer) if p)


def _line(line: Line) -> str:
    if line.style is Style.STRONG:
        arrow = line.text.endswith(" ↓")
        return b(line.text.removesuffix(" ↓")) + " ↓" if arrow else b(line.text)
    if line.style is Style.QUOTE:
        return quote(line.text)
    if line.style is Style.NOTE:
        return i(line.text)
    if line.style is Style.WARNING:
        return "⚠️ " + b(line.text)
    return esc(line.text)
