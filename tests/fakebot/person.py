"""People who talk to the bot: they send updates and read the chat as a Telegram client shows it.

Every action marks the chat first, so ``await p.send(...); await p.wait_for()`` waits for the
replies to *that* action even when the bot is faster than the test.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .records import BotMessage, CallbackRecord, UserMessage
from .tghtml import utf16_len
from .world import ChatState, UserInfo

if TYPE_CHECKING:
    from .server import FakeTelegram

__all__ = ["Chatter", "Group", "GroupMember", "Person", "text_entities"]

_ENTITY_RE = re.compile(
    r"(?<![\w/@])(?:(?P<cmd>/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)|(?P<mention>@[A-Za-z0-9_]{5,32}))"
)
Predicate = Callable[[BotMessage], bool]
ReplyTarget = BotMessage | UserMessage | int | None


def text_entities(text: str) -> list[dict[str, Any]]:
    """bot_command and mention entities as Telegram's clients attach them (UTF-16 offsets)."""
    entities: list[dict[str, Any]] = []
    for match in _ENTITY_RE.finditer(text):
        kind = "bot_command" if match.group("cmd") else "mention"
        entities.append(
            {
                "type": kind,
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group(0)),
            }
        )
    return entities


class Chatter:
    """A user acting in one chat (private chat or a group)."""

    def __init__(self, tg: FakeTelegram, user: UserInfo, chat: ChatState) -> None:
        self.tg = tg
        self.user = user
        self.chat = chat
        self._cursor = len(chat.events)

    @property
    def user_id(self) -> int:
        """Telegram user id."""
        return self.user.id

    @property
    def chat_id(self) -> int:
        """Chat this chatter acts in."""
        return self.chat.id

    # ------------------------------------------------------------- acting
    async def send(
        self, text: str, *, reply_to: ReplyTarget = None, mention: bool = False
    ) -> UserMessage:
        """Send a text message; ``mention`` prefixes ``@bot`` (useful in groups)."""
        if mention:
            text = f"@{self.tg.bot_username} {text}"
        content: dict[str, Any] = {"text": text}
        entities = text_entities(text)
        if entities:
            content["entities"] = entities
        return await self._post(content, reply_to)

    async def command(
        self, cmd_with_args: str, *, mention: bool = False, reply_to: ReplyTarget = None
    ) -> UserMessage:
        """Send ``/cmd args``; ``mention`` addresses it as ``/cmd@bot`` like group clients do."""
        text = cmd_with_args if cmd_with_args.startswith("/") else f"/{cmd_with_args}"
        if mention:
            head, _, rest = text.partition(" ")
            text = f"{head}@{self.tg.bot_username}" + (f" {rest}" if rest else "")
        return await self.send(text, reply_to=reply_to)

    async def upload(
        self,
        filename: str,
        data: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> UserMessage:
        """Send a document the bot can getFile + download byte-for-byte."""
        blob = self.tg.world.store_file(
            data, folder="documents", filename=filename, mime_type=mime_type
        )
        content: dict[str, Any] = {"document": blob.document_json()}
        if caption is not None:
            content["caption"] = caption
        return await self._post(content, None)

    async def send_photo(
        self, data: bytes = b"\x89PNG\r\n\x1a\nfake", *, caption: str | None = None
    ) -> UserMessage:
        """Send a photo (one PhotoSize)."""
        blob = self.tg.world.store_file(data, folder="photos", filename=None, mime_type=None)
        content: dict[str, Any] = {"photo": blob.photo_json()}
        if caption is not None:
            content["caption"] = caption
        return await self._post(content, None)

    async def send_sticker(self, emoji: str = "👍") -> UserMessage:
        """Send a sticker: something a policy bot must answer gracefully."""
        blob = self.tg.world.store_file(
            b"RIFFwebp", folder="stickers", filename=None, mime_type=None
        )
        sticker = {
            "file_id": blob.file_id,
            "file_unique_id": blob.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._post({"sticker": sticker}, None)

    async def send_voice(self, data: bytes = b"OggS\x00fake", duration: int = 2) -> UserMessage:
        """Send a voice note (bots without speech support must say so)."""
        blob = self.tg.world.store_file(data, folder="voice", filename=None, mime_type="audio/ogg")
        voice = {
            "file_id": blob.file_id,
            "file_unique_id": blob.file_unique_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(data),
        }
        return await self._post({"voice": voice}, None)

    async def edit(self, message: UserMessage, new_text: str) -> UserMessage:
        """Edit one of my messages: the bot gets an ``edited_message`` update."""

        async def _act() -> UserMessage:
            stored = self.chat.messages.get(message.message_id)
            if stored is None:
                raise ValueError(f"message {message.message_id} not found in chat {self.chat_id}")
            stored["text"] = new_text
            stored.pop("entities", None)
            entities = text_entities(new_text)
            if entities:
                stored["entities"] = entities
            stored["edit_date"] = int(time.time())
            self.mark()
            self.tg.updates.put("edited_message", dict(stored))
            return UserMessage(stored["message_id"], self.chat_id, new_text, dict(stored))

        return await self.tg.on_loop(_act())

    async def tap(self, label: str, *, message: BotMessage | int | None = None) -> str:
        """Press an inline button (exact label preferred, else unique substring); returns query id."""

        async def _act() -> str:
            record, button = self._find_button(label, message)
            if "callback_data" not in button:
                raise ValueError(f"button {button.get('text')!r} is not a callback button")
            query_id = self.tg.world.new_callback_id()
            self.tg.world.callbacks[query_id] = CallbackRecord(
                query_id=query_id,
                chat_id=self.chat_id,
                message_id=record.message_id,
                user_id=self.user_id,
                data=str(button["callback_data"]),
            )
            payload = {
                "id": query_id,
                "from": self.user.to_api(),
                "message": dict(record.raw),
                "chat_instance": str(abs(self.chat_id) * 31 + 7),
                "data": str(button["callback_data"]),
            }
            self.mark()
            self.chat.started = True
            self.tg.updates.put("callback_query", payload)
            return query_id

        return await self.tg.on_loop(_act())

    async def wait_answer(self, query_id: str, timeout: float = 5.0) -> CallbackRecord:
        """Wait until the bot answers my tap (answerCallbackQuery)."""
        return await self.tg.wait_answered(query_id, timeout)

    # ------------------------------------------------------------- reading
    def messages(self, *, include_deleted: bool = False) -> list[BotMessage]:
        """Bot messages in this chat as currently shown (edits applied), oldest first."""
        return self.tg.chat_messages(self.chat_id, include_deleted=include_deleted)

    def last(self) -> BotMessage:
        """The newest visible bot message; AssertionError if the bot never spoke."""
        shown = self.messages()
        if not shown:
            raise AssertionError(f"no bot messages in chat {self.chat_id}")
        return shown[-1]

    def texts(self) -> list[str]:
        """Visible texts (captions for files) of bot messages, oldest first."""
        return [m.text for m in self.messages()]

    def actions(self) -> list[str]:
        """Chat actions (``typing`` ...) the bot sent to this chat."""
        return list(self.chat.actions)

    def mark(self) -> None:
        """Forget everything seen so far: the next wait_for only counts newer messages/edits."""
        self._cursor = len(self.chat.events)

    async def wait_for(
        self, predicate: Predicate | None = None, *, count: int = 1, timeout: float = 10.0
    ) -> list[BotMessage]:
        """Wait for >= ``count`` new (or edited) bot messages matching ``predicate``.

        Returns all matching news since the mark and moves the mark past them.
        """

        async def _wait() -> list[BotMessage]:
            deadline = time.monotonic() + timeout
            while True:
                found = self._news(predicate)
                if len(found) >= count:
                    self.mark()
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(self._timeout_report(found, count, timeout))
                await self.tg.world.changed.wait(remaining)

        return await self.tg.on_loop(_wait())

    # ------------------------------------------------------------- internals
    def _news(self, predicate: Predicate | None) -> list[BotMessage]:
        seen: dict[int, BotMessage] = {}
        for message_id in self.chat.events[self._cursor :]:
            record = self.chat.bot_messages[message_id]
            if record.deleted or message_id in seen:
                continue
            if predicate is None or predicate(record):
                seen[message_id] = record
        return list(seen.values())

    def _timeout_report(self, found: list[BotMessage], count: int, timeout: float) -> str:
        recent = [f"{c.method}" for c in self.tg.calls[-8:]]
        latest = [m.text[:80] for m in self.messages()[-3:]]
        return (
            f"user {self.user_id} waited {timeout}s in chat {self.chat_id} for {count} new bot "
            f"message(s), matched {len(found)}: {[m.text[:80] for m in found]}; "
            f"latest bot messages: {latest}; recent API calls: {recent}"
        )

    def _should_deliver(self, content: dict[str, Any], reply_to: dict[str, Any] | None) -> bool:
        """Privacy mode: groups only forward commands and replies to the bot."""
        if not self.chat.privacy:
            return True
        if str(content.get("text", "")).startswith("/"):
            return True
        bot_id = self.tg.world.bot.id
        return reply_to is not None and reply_to.get("from", {}).get("id") == bot_id

    async def _post(self, content: dict[str, Any], reply_to: ReplyTarget) -> UserMessage:
        async def _act() -> UserMessage:
            target = self._resolve_reply(reply_to)
            self.mark()
            self.chat.started = True
            raw = self.tg.world.message_json(self.chat, self.user, content, reply_to=target)
            if self._should_deliver(content, target):
                self.tg.updates.put("message", raw)
            return UserMessage(raw["message_id"], self.chat_id, content.get("text"), raw)

        return await self.tg.on_loop(_act())

    def _resolve_reply(self, reply_to: ReplyTarget) -> dict[str, Any] | None:
        if reply_to is None:
            return None
        message_id = reply_to if isinstance(reply_to, int) else reply_to.message_id
        target = self.chat.messages.get(message_id)
        if target is None:
            raise ValueError(f"cannot reply: message {message_id} not in chat {self.chat_id}")
        return target

    def _find_button(
        self, label: str, message: BotMessage | int | None
    ) -> tuple[BotMessage, dict[str, Any]]:
        if message is None:
            candidates = list(reversed(self.messages()))
        else:
            message_id = message if isinstance(message, int) else message.message_id
            candidates = [self.chat.bot_messages[message_id]]
        for exact in (True, False):
            for record in candidates:
                hits = [b for b in _inline_buttons(record) if _label_matches(b, label, exact)]
                if len(hits) > 1 and not exact:
                    labels = [b.get("text") for b in hits]
                    raise ValueError(f"label {label!r} is ambiguous on message: {labels}")
                if hits:
                    return record, hits[0]
        shown = [m.labels for m in candidates]
        raise ValueError(f"no inline button {label!r} in chat {self.chat_id}; buttons: {shown}")


def _inline_buttons(record: BotMessage) -> list[dict[str, Any]]:
    rows = record.raw.get("reply_markup", {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def _label_matches(button: dict[str, Any], label: str, exact: bool) -> bool:
    text = str(button.get("text", ""))
    return text == label if exact else label in text


class Person(Chatter):
    """Someone in a private chat with the bot (chat id == user id)."""

    def __init__(self, tg: FakeTelegram, user: UserInfo, chat: ChatState) -> None:
        super().__init__(tg, user, chat)
        self._memberships: dict[int, GroupMember] = {}

    def in_group(self, group: Group) -> GroupMember:
        """The same person acting in ``group`` (own read mark there)."""
        if group.chat_id not in self._memberships:
            self._memberships[group.chat_id] = GroupMember(self.tg, self.user, group.chat)
        return self._memberships[group.chat_id]

    def block_bot(self) -> None:
        """Block the bot: its sends to me now fail with 403."""
        self.tg.block_user(self.user_id)


class GroupMember(Chatter):
    """A person acting in a group chat."""


class Group:
    """A group or supergroup containing the bot."""

    def __init__(self, tg: FakeTelegram, chat: ChatState) -> None:
        self.tg = tg
        self.chat = chat

    @property
    def chat_id(self) -> int:
        """Negative group id."""
        return self.chat.id

    @property
    def title(self) -> str:
        """Group title."""
        return self.chat.title or ""

    def set_status(self, user_id: int, status: str) -> None:
        """getChatMember status: member / administrator / creator / left / kicked."""
        self.chat.members[user_id] = status

    def messages(self, *, include_deleted: bool = False) -> list[BotMessage]:
        """Bot messages in the group, current state."""
        return self.tg.chat_messages(self.chat_id, include_deleted=include_deleted)

    def texts(self) -> list[str]:
        """Visible texts of the bot's group messages."""
        return [m.text for m in self.messages()]
