"""Turning text + parse_mode into what the user reads, with Telegram's length and parse errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .params import Params
from .tghtml import HtmlParseError, parse_html, utf16_len

__all__ = ["MAX_CAPTION", "MAX_TEXT", "Rendered", "render"]

MAX_TEXT = 4096
MAX_CAPTION = 1024


@dataclass(frozen=True)
class Rendered:
    """Visible text and entities, plus the raw source kept for debugging failed asserts."""

    text: str
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]]


def render(
    p: Params,
    *,
    text_key: str,
    entities_key: str,
    strict_ampersand: bool,
    required: bool,
) -> Rendered | None:
    """Parse ``text_key`` like Telegram; None when optional and absent (e.g. no caption)."""
    source = p.string(text_key)
    if source is None:
        if required:
            raise bad_request("message text is empty")
        return None
    mode = p.string("parse_mode") or None
    if mode is not None and mode.lower() == "html":
        try:
            text, parsed = parse_html(source, strict_ampersand=strict_ampersand)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        entities = [e.to_api() for e in parsed]
    else:
        text = source
        given = p.json_value(entities_key)
        entities = list(given) if isinstance(given, list) else []
    _check_length(text, text_key=text_key, required=required)
    return Rendered(text=text, html=source, parse_mode=mode, entities=entities)


def _check_length(text: str, *, text_key: str, required: bool) -> None:
    if text_key == "caption":
        if utf16_len(text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        return
    if required and not text.strip():
        raise bad_request("message text is empty")
    if utf16_len(text) > MAX_TEXT:
        raise bad_request("message is too long")
