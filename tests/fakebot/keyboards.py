"""reply_markup validation and flattening into labels, with Telegram's errors for bad buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request
from .records import Button

__all__ = ["Markup", "parse_markup"]

_MAX_CALLBACK_BYTES = 64
_URL_PREFIXES = ("http://", "https://", "tg://")
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "login_url",
    "web_app",
    "pay",
    "copy_text",
)


@dataclass
class Markup:
    """The user-visible effect of a reply_markup value."""

    inline: list[list[Button]] = field(default_factory=list)
    reply_keyboard: list[list[str]] | None = None
    remove_keyboard: bool = False
    raw_inline: dict[str, Any] | None = None


def parse_markup(markup: Any) -> Markup:
    """Validate like Telegram; only inline keyboards are echoed back inside Message objects."""
    if markup is None:
        return Markup()
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = _inline_rows(markup["inline_keyboard"])
        return Markup(inline=rows, raw_inline={"inline_keyboard": markup["inline_keyboard"]})
    if "keyboard" in markup:
        return Markup(reply_keyboard=_reply_rows(markup["keyboard"]))
    if markup.get("remove_keyboard"):
        return Markup(remove_keyboard=True)
    if "force_reply" in markup:
        return Markup()
    raise bad_request("can't parse reply keyboard markup JSON object")


def _inline_rows(rows: Any) -> list[list[Button]]:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "inline_keyboard" must be an Array of Array')
    return [[_inline_button(b) for b in row] for row in rows]


def _inline_button(button: Any) -> Button:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    label = button.get("text")
    if not isinstance(label, str) or not label.strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [a for a in _INLINE_ACTIONS if a in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = str(button["callback_data"])
        if not data or len(data.encode("utf-8")) > _MAX_CALLBACK_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
        return Button(label, data)
    if "url" in button:
        url = str(button["url"])
        if not url.startswith(_URL_PREFIXES):
            raise bad_request("BUTTON_URL_INVALID")
        return Button(label, url)
    return Button(label, None)


def _reply_rows(rows: Any) -> list[list[str]]:
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise bad_request('field "keyboard" must be an Array of Array')
    labels: list[list[str]] = []
    for row in rows:
        labels.append([b if isinstance(b, str) else str(b.get("text", "")) for b in row])
    if any(not label for row in labels for label in row):
        raise bad_request("BUTTON_TEXT_INVALID")
    return labels
