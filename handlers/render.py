"""The one place dynamic text becomes Telegram HTML: escape everything, then split at 4096.

Handlers build messages from plain strings with `esc` and the tag helpers below, then
send `split_message(...)` parts. Splitting happens on the rendered HTML at paragraph
boundaries (then lines, then characters) without ever cutting inside a tag or an entity.
"""

from __future__ import annotations

import html
import re

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-z\-]+)(?:\s[^>]*)?>")


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def b(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def i(text: object) -> str:
    return f"<i>{esc(text)}</i>"


def quote(text: object) -> str:
    return f"<blockquote>{esc(text)}</blockquote>"


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: tags removed, entities as one character, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis (labels, previews)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def split_message(html_text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts each within the limit, closed/reopened tags kept balanced across the cut."""
    if visible_length(html_text) <= limit:
        return [html_text]
    parts: list[str] = []
    current = ""
    for para in _pieces(html_text, limit):
        candidate = f"{current}\n\n{para}" if current else para
        if visible_length(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = para
    if current:
        parts.append(current)
    return [_balance(p) for p in parts]


def _pieces(html_text: str, limit: int) -> list[str]:
    out: list[str] = []
    for para in html_text.split("\n\n"):
        if visible_length(para) <= limit:
            out.append(para)
            continue
        for line in para.split("\n"):
            if visible_length(line) <= limit:
                out.append(line)
            else:
                out.extend(_hard_split(line, limit))
    return out


def _hard_split(text: str, limit: int) -> list[str]:
    """Cut a single over-long line between tags/entities, never inside one."""
    tokens = re.findall(r"<[^>]+>|&[#a-zA-Z0-9]+;|[\s\S]", text)
    parts: list[str] = []
    current: list[str] = []
    count = 0
    budget = limit - 2
    for tok in tokens:
        width = (
            0
            if tok.startswith("<") and tok.endswith(">") and len(tok) > 1
            else (len(html.unescape(tok).encode("utf-16-le")) // 2)
        )
        if count + width > budget and current:
            parts.append("".join(current))
            current, count = [], 0
        current.append(tok)
        count += width
    if current:
        parts.append("".join(current))
    return parts


def _balance(part: str) -> str:
    """Close tags left open at the end of a part and reopen closers that lost their opener."""
    stack: list[tuple[str, str]] = []
    prefix: list[str] = []
    for m in re.finditer(r"<(/?)([a-z\-]+)((?:\s[^>]*)?)>", part):
        closing, name, _attrs = m.group(1), m.group(2), m.group(3)
        if not closing:
            stack.append((name, m.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
        else:
            prefix.append(f"<{name}>")
    suffix = "".join(f"</{name}>" for name, _ in reversed(stack))
    return "".join(reversed(prefix)) + part + suffix
