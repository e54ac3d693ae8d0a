"""Request parameters as the Bot API accepts them: query string, JSON, urlencoded or multipart.

PTB sends urlencoded/multipart bodies where non-string values are JSON-encoded strings, while
other clients send JSON. Everything is normalised into one dict with typed accessors so method
handlers never care which transport was used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from .errors import bad_request

__all__ = ["Params", "UploadedFile", "read_params"]

# Values of these keys are free text: "123" must stay a string, never become a number.
_TEXT_KEYS = frozenset(
    {
        "text",
        "caption",
        "title",
        "description",
        "url",
        "secret_token",
        "callback_query_id",
        "file_id",
        "parse_mode",
        "language_code",
        "action",
        "message_effect_id",
        "business_connection_id",
        "inline_message_id",
        "document",
        "photo",
        "sticker",
        "voice",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A multipart file part (sendDocument/sendPhoto upload)."""

    filename: str
    data: bytes
    content_type: str


def _decode(key: str, value: str) -> Any:
    if key in _TEXT_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


class Params:
    """Decoded parameters with coercing getters that raise Telegram-style 400s."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def has(self, key: str) -> bool:
        """True when the client sent the key (even empty)."""
        return key in self.values and self.values[key] is not None

    def raw(self, key: str, default: Any = None) -> Any:
        """Decoded value as sent (dict/list/number/str/UploadedFile)."""
        return self.values.get(key, default)

    def string(self, key: str, default: str | None = None) -> str | None:
        """String value; numbers are stringified like Telegram would."""
        value = self.values.get(key)
        if value is None:
            return default
        return value if isinstance(value, str) else json.dumps(value)

    def req_string(self, key: str) -> str:
        """Required string: missing parameter is a 400 as on the real server."""
        value = self.string(key)
        if value is None:
            raise bad_request(f"{key} is empty" if key == "text" else f"{key} required")
        return value

    def integer(self, key: str, default: int | None = None) -> int | None:
        """Integer value; accepts numeric strings (query-string clients)."""
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {key} specified") from None

    def req_integer(self, key: str) -> int:
        """Required integer such as chat_id / message_id."""
        value = self.integer(key)
        if value is None:
            raise bad_request(f"{key} is empty" if key == "chat_id" else f"{key} required")
        return value

    def number(self, key: str, default: float = 0.0) -> float:
        """Float value such as the getUpdates timeout."""
        value = self.values.get(key)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {key} specified") from None

    def flag(self, key: str) -> bool:
        """Boolean; query strings send "true"/"false"."""
        value = self.values.get(key)
        if isinstance(value, str):
            return value.lower() in {"true", "1"}
        return bool(value)

    def json_value(self, key: str) -> Any:
        """JSON object/array value; a string is decoded as JSON (query-string clients)."""
        value = self.values.get(key)
        if isinstance(value, str) and value:
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {key} JSON object") from None
        return value


async def read_params(request: web.Request) -> Params:
    """Merge query string and body; the body wins, like Telegram's own front end."""
    values: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                values.update(body)
        elif content_type == "multipart/form-data":
            values.update(await _read_multipart(request))
        else:
            form = await request.post()
            values.update({k: _decode(k, v) for k, v in form.items() if isinstance(v, str)})
    return Params(values)


async def _read_multipart(request: web.Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            return values
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        if part.filename is not None:
            values[part.name] = UploadedFile(
                filename=part.filename,
                data=bytes(await part.read()),
                content_type=part.headers.get("Content-Type", "application/octet-stream"),
            )
        else:
            values[part.name] = _decode(part.name, await part.text())
