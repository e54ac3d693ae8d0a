"""What the fake server remembers, shaped for assertions: what a person sees, not raw JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = [
    "BotMessage",
    "Button",
    "Call",
    "CallbackRecord",
    "Edit",
    "FileBlob",
    "UserMessage",
]


class Call(NamedTuple):
    """One API call as received (method name as sent, decoded parameters)."""

    method: str
    params: dict[str, Any]


class Button(NamedTuple):
    """An inline button: compares equal to ``(label, callback_data_or_url)``."""

    label: str
    value: str | None


@dataclass
class FileBlob:
    """A stored file; ``file_path`` is what getFile returns and the download route serves."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    filename: str | None = None
    mime_type: str | None = None

    def document_json(self) -> dict[str, Any]:
        """Document object as embedded in a Message."""
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.filename is not None:
            doc["file_name"] = self.filename
        if self.mime_type is not None:
            doc["mime_type"] = self.mime_type
        return doc

    def photo_json(self) -> list[dict[str, Any]]:
        """PhotoSize list (one size is enough for bots that take ``photo[-1]``)."""
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.data),
                "width": 640,
                "height": 480,
            }
        ]


@dataclass(frozen=True)
class Edit:
    """A previous state of a bot message, kept so tests can see how it evolved."""

    text: str
    html: str | None
    buttons: list[list[Button]]
    date: int


@dataclass
class BotMessage:
    """A message the bot sent, as the chat shows it now (edits applied in place)."""

    message_id: int
    chat_id: int
    date: int
    text: str
    html: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]]
    buttons: list[list[Button]]
    raw: dict[str, Any]
    reply_keyboard: list[list[str]] | None = None
    keyboard_removed: bool = False
    reply_to_message_id: int | None = None
    thread_id: int | None = None
    document: FileBlob | None = None
    photo: FileBlob | None = None
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False

    @property
    def labels(self) -> list[str]:
        """All inline button labels, flattened, for quick membership asserts."""
        return [b.label for row in self.buttons for b in row]

    @property
    def edited(self) -> bool:
        """Whether the bot changed this message after sending it."""
        return bool(self.edits)


@dataclass(frozen=True)
class UserMessage:
    """A message a person sent (what the bot received in its update)."""

    message_id: int
    chat_id: int
    text: str | None
    raw: dict[str, Any]


@dataclass
class CallbackRecord:
    """A button tap and the bot's answer, so "forgot to answer" bugs are detectable."""

    query_id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
