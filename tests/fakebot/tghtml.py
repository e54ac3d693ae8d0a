"""Telegram's HTML parse mode, re-implemented strictly enough to catch what the real API rejects.

The bot formats every answer as HTML; if it forgets to escape a policy title containing ``<`` or
uses a tag Telegram does not know (``<br>``), the real API answers 400 and the user sees nothing.
This parser reproduces those failures and yields the visible text plus entities (offsets in
UTF-16 code units, as Telegram counts) so tests can assert on what a person actually reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Entity", "HtmlParseError", "parse_html", "utf16_len"]

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_START_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")
_END_TAG_RE = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
_ATTR_RE = re.compile(r"\s+([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_TAG_CLOSE_RE = re.compile(r"\s*>")

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
}
_ALL_TAGS = {*_SIMPLE_TAGS, "a", "span", "blockquote", "tg-emoji"}


class HtmlParseError(ValueError):
    """Raised with Telegram's wording so the fake server can return it verbatim."""


@dataclass(frozen=True)
class Entity:
    """One MessageEntity; offsets/lengths are UTF-16 code units like the Bot API."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_api(self) -> dict[str, Any]:
        """Serialise exactly as the Bot API does: optional fields only when present."""
        data: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            data["url"] = self.url
        if self.language is not None:
            data["language"] = self.language
        if self.custom_emoji_id is not None:
            data["custom_emoji_id"] = self.custom_emoji_id
        return data


def utf16_len(text: str) -> int:
    """Length as Telegram measures it (message limits and entity offsets use UTF-16 units)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    name: str
    entity_type: str | None
    start: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None
    absorbed: bool = False


@dataclass
class _State:
    source: str
    strict_ampersand: bool
    out: list[str] = field(default_factory=list)
    pos16: int = 0
    stack: list[_Open] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.pos16 += utf16_len(text)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))


def parse_html(source: str, *, strict_ampersand: bool = True) -> tuple[str, list[Entity]]:
    """Return (visible text, entities) or raise HtmlParseError like Telegram would.

    ``strict_ampersand`` rejects a bare ``&``; real Telegram keeps it literally, but a bot that
    relies on that is one policy title away from a ``&lt;`` mix-up, so tests default to strict.
    """
    state = _State(source=source, strict_ampersand=strict_ampersand)
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "&":
            i = _consume_entity(state, i)
        elif ch == "<" and source.startswith("</", i):
            i = _consume_end_tag(state, i)
        elif ch == "<":
            i = _consume_start_tag(state, i)
        else:
            nxt = _next_special(source, i)
            state.emit(source[i:nxt])
            i = nxt
    if state.stack:
        raise HtmlParseError(
            f'Can\'t find end tag corresponding to start tag "{state.stack[-1].name}"'
        )
    state.entities.sort(key=lambda e: (e.offset, -e.length))
    return "".join(state.out), state.entities


def _next_special(source: str, start: int) -> int:
    positions = [p for p in (source.find("<", start), source.find("&", start)) if p != -1]
    return min(positions) if positions else len(source)


def _consume_entity(state: _State, i: int) -> int:
    match = _ENTITY_RE.match(state.source, i)
    if match is None:
        if state.strict_ampersand:
            raise HtmlParseError(
                f'Unescaped "&" at byte offset {state.byte_offset(i)}: use &amp; instead'
            )
        state.emit("&")
        return i + 1
    named, decimal, hexa = match.groups()
    if named:
        state.emit(_NAMED_ENTITIES[named])
    else:
        code = int(decimal) if decimal else int(hexa, 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or code == 0:
            raise HtmlParseError(f"Invalid character code at byte offset {state.byte_offset(i)}")
        state.emit(chr(code))
    return match.end()


def _consume_end_tag(state: _State, i: int) -> int:
    match = _END_TAG_RE.match(state.source, i)
    offset = state.byte_offset(i)
    if match is None or not state.stack:
        raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
    name = match.group(1).lower()
    top = state.stack[-1]
    if name != top.name:
        raise HtmlParseError(
            f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", '
            f'found "</{name}>"'
        )
    state.stack.pop()
    length = state.pos16 - top.start
    if top.entity_type is not None and not top.absorbed and length > 0:
        state.entities.append(
            Entity(
                type=top.entity_type,
                offset=top.start,
                length=length,
                url=top.url,
                language=top.language,
                custom_emoji_id=top.custom_emoji_id,
            )
        )
    return match.end()


def _consume_start_tag(state: _State, i: int) -> int:
    offset = state.byte_offset(i)
    match = _START_TAG_RE.match(state.source, i)
    if match is None:
        raise HtmlParseError(f'Unsupported start tag "" at byte offset {offset}')
    name = match.group(1).lower()
    if name not in _ALL_TAGS:
        raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {offset}')
    attrs, end = _read_attributes(state, match.end(), offset)
    state.stack.append(_open_tag(state, name, attrs, offset))
    return end


def _read_attributes(state: _State, pos: int, offset: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    while True:
        close = _TAG_CLOSE_RE.match(state.source, pos)
        if close is not None:
            return attrs, close.end()
        attr = _ATTR_RE.match(state.source, pos)
        if attr is None:
            raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
        raw = attr.group(2) or ""
        if raw[:1] in {'"', "'"}:
            raw = raw[1:-1]
        attrs[attr.group(1).lower()] = _decode_attribute(raw, offset)
        pos = attr.end()


def _decode_attribute(raw: str, offset: int) -> str:
    try:
        text, _ = parse_html(raw.replace("<", "&lt;"), strict_ampersand=False)
    except HtmlParseError as exc:  # pragma: no cover - only numeric-entity garbage gets here
        raise HtmlParseError(f"Bad attribute value at byte offset {offset}") from exc
    return text


def _open_tag(state: _State, name: str, attrs: dict[str, str], offset: int) -> _Open:
    start = state.pos16
    if name in _SIMPLE_TAGS:
        tag = _Open(name=name, entity_type=_SIMPLE_TAGS[name], start=start)
        parent = state.stack[-1] if state.stack else None
        language = attrs.get("class", "")
        if (
            name == "code"
            and parent is not None
            and parent.name == "pre"
            and parent.start == start
            and language.startswith("language-")
        ):
            parent.language = language.removeprefix("language-")
            tag.absorbed = True
        return tag
    if name == "a":
        href = attrs.get("href", "").strip()
        return _Open(name=name, entity_type="text_link" if href else None, start=start, url=href)
    if name == "span":
        if attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        return _Open(name=name, entity_type="spoiler", start=start)
    if name == "blockquote":
        kind = "expandable_blockquote" if "expandable" in attrs else "blockquote"
        return _Open(name=name, entity_type=kind, start=start)
    emoji_id = attrs.get("emoji-id", "")
    if not emoji_id.isdigit():
        raise HtmlParseError("Custom emoji entity must contain a valid custom emoji identifier")
    return _Open(name=name, entity_type="custom_emoji", start=start, custom_emoji_id=emoji_id)
