"""Fake Telegram Bot API server and person drivers for finbot's end-to-end tests."""

from .errors import ApiError
from .person import Chatter, Group, GroupMember, Person, text_entities
from .records import BotMessage, Button, Call, CallbackRecord, Edit, FileBlob, UserMessage
from .server import DEFAULT_TOKEN, FakeTelegram
from .tghtml import Entity, HtmlParseError, parse_html, utf16_len
from .threaded import ThreadedFakeTelegram, run_in_thread
from .updates import Delivery

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "BotMessage",
    "Button",
    "Call",
    "CallbackRecord",
    "Chatter",
    "Delivery",
    "Edit",
    "Entity",
    "FakeTelegram",
    "FileBlob",
    "Group",
    "GroupMember",
    "HtmlParseError",
    "Person",
    "ThreadedFakeTelegram",
    "UserMessage",
    "parse_html",
    "run_in_thread",
    "text_entities",
    "utf16_len",
]
