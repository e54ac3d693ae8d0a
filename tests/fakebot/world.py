"""The fake Telegram's state: users, chats, every message, files, taps and commands.

Kept separate from HTTP so method handlers are plain functions over this state and the person
drivers can create updates without going through the network.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request, forbidden
from .records import BotMessage, CallbackRecord, FileBlob

__all__ = ["ChatState", "Signal", "UserInfo", "World"]


class Signal:
    """Wake every waiter on change; callable synchronously from handlers on the server loop."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def fire(self) -> None:
        """Release everyone currently waiting."""
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        self._waiters.clear()

    async def wait(self, timeout: float) -> None:
        """Return on the next fire() or after ``timeout`` seconds, whichever is first."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(fut)
        try:
            await asyncio.wait_for(fut, max(timeout, 0.0))
        except TimeoutError:
            pass
        finally:
            self._waiters.discard(fut)


@dataclass
class UserInfo:
    """A Telegram account (person or the bot itself)."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        """User object as embedded in ``from``."""
        data: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class ChatState:
    """One chat: its identity, every message by id, and the bot's messages as users see them."""

    id: int
    type: str
    title: str | None = None
    user: UserInfo | None = None
    started: bool = False
    privacy: bool = False
    next_message_id: int = 1
    messages: dict[int, dict[str, Any]] = field(default_factory=dict)
    bot_messages: dict[int, BotMessage] = field(default_factory=dict)
    events: list[int] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    members: dict[int, str] = field(default_factory=dict)
    menu_button: dict[str, Any] | None = None

    def to_api(self) -> dict[str, Any]:
        """Chat object as embedded in messages."""
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title is not None:
            data["title"] = self.title
        if self.user is not None:
            data["first_name"] = self.user.first_name
            if self.user.username:
                data["username"] = self.user.username
        return data

    def take_message_id(self) -> int:
        """Ids are per chat and shared by both sides, as in real private chats."""
        value = self.next_message_id
        self.next_message_id += 1
        return value


class World:
    """All mutable fake-Telegram state; single-threaded (lives on the server's event loop)."""

    def __init__(
        self, *, bot_id: int, bot_username: str, bot_name: str, strict_ampersand: bool = True
    ) -> None:
        self.strict_ampersand = strict_ampersand
        self.bot = UserInfo(id=bot_id, first_name=bot_name, username=bot_username, is_bot=True)
        self.users: dict[int, UserInfo] = {}
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, FileBlob] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.default_menu_button: dict[str, Any] = {"type": "default"}
        self.blocked: set[int] = set()
        self.changed = Signal()
        self._file_seq = itertools.count(1)
        self._callback_seq = itertools.count(1)

    @staticmethod
    def now() -> int:
        """Unix time like Telegram's ``date`` fields."""
        return int(time.time())

    def add_user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> ChatState:
        """Register a person and their private chat with the bot (same id, as in Telegram)."""
        user = UserInfo(user_id, first_name, username, language_code)
        self.users[user_id] = user
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatState(id=user_id, type="private", user=user)
            self.chats[user_id] = chat
        chat.user = user
        return chat

    def add_group(self, chat_id: int, title: str, kind: str, privacy: bool) -> ChatState:
        """Register a group the bot is a member of."""
        chat = self.chats.get(chat_id)
        if chat is None:
            chat = ChatState(id=chat_id, type=kind, title=title, started=True, privacy=privacy)
            self.chats[chat_id] = chat
        return chat

    def chat(self, chat_id: int) -> ChatState:
        """Any known chat, else Telegram's "chat not found"."""
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def writable_chat(self, chat_id: int) -> ChatState:
        """A chat the bot may post to: blocked users and never-started chats refuse it."""
        chat = self.chat(chat_id)
        if chat.type == "private":
            if chat_id in self.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.started:
                raise forbidden("bot can't initiate conversation with a user")
        return chat

    def store_file(
        self, data: bytes, *, folder: str, filename: str | None, mime_type: str | None
    ) -> FileBlob:
        """Keep uploaded bytes under a fresh file_id so getFile + download can return them."""
        seq = next(self._file_seq)
        suffix = ""
        if filename and "." in filename:
            suffix = "." + filename.rsplit(".", 1)[1]
        blob = FileBlob(
            file_id=f"BQAC{seq:06d}{secrets.token_hex(6)}",
            file_unique_id=f"AgAD{seq:06d}",
            file_path=f"{folder}/file_{seq}{suffix}",
            data=data,
            filename=filename,
            mime_type=mime_type,
        )
        self.files[blob.file_id] = blob
        return blob

    def new_callback_id(self) -> str:
        """Callback query ids are opaque strings in Telegram."""
        return f"{next(self._callback_seq)}{secrets.token_hex(4)}"

    def file_by_path(self, file_path: str) -> FileBlob | None:
        """Download route lookup."""
        for blob in self.files.values():
            if blob.file_path == file_path:
                return blob
        return None

    def message_json(
        self,
        chat: ChatState,
        sender: UserInfo,
        content: dict[str, Any],
        *,
        reply_to: dict[str, Any] | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """Build and store a Message (any side) with the next id of the chat."""
        message: dict[str, Any] = {
            "message_id": chat.take_message_id(),
            "from": sender.to_api(),
            "chat": chat.to_api(),
            "date": self.now(),
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
        if reply_to is not None:
            message["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        message.update(content)
        chat.messages[message["message_id"]] = message
        return message

    def record_bot_message(self, chat: ChatState, record: BotMessage) -> None:
        """Make a new bot message visible to persons and wake their waits."""
        chat.bot_messages[record.message_id] = record
        chat.events.append(record.message_id)
        self.changed.fire()

    def record_bot_edit(self, chat: ChatState, record: BotMessage) -> None:
        """An edit counts as news for persons waiting on the chat."""
        chat.events.append(record.message_id)
        self.changed.fire()
