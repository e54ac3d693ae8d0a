"""Bot API methods that create, change or remove messages in a chat."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .keyboards import Markup, parse_markup
from .params import Params, UploadedFile
from .records import BotMessage, Edit, FileBlob
from .rendering import Rendered, render
from .world import ChatState, World

__all__ = ["HANDLERS"]

_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


def _reply_target(chat: ChatState, p: Params) -> tuple[dict[str, Any] | None, int | None]:
    """Resolve reply_parameters / legacy reply_to_message_id to the replied message."""
    params = p.json_value("reply_parameters")
    allow_missing = p.flag("allow_sending_without_reply")
    target_id: int | None = None
    if isinstance(params, dict) and "message_id" in params:
        target_id = int(params["message_id"])
        allow_missing = bool(params.get("allow_sending_without_reply", allow_missing))
    elif p.has("reply_to_message_id"):
        target_id = p.integer("reply_to_message_id")
    if target_id is None:
        return None, None
    target = chat.messages.get(target_id)
    if target is None:
        if allow_missing:
            return None, None
        raise bad_request("message to be replied not found")
    return target, target_id


def _text_content(rendered: Rendered, markup: Markup, *, caption: bool) -> dict[str, Any]:
    key, ent_key = ("caption", "caption_entities") if caption else ("text", "entities")
    content: dict[str, Any] = {key: rendered.text}
    if rendered.entities:
        content[ent_key] = rendered.entities
    if markup.raw_inline is not None:
        content["reply_markup"] = markup.raw_inline
    return content


def _post(
    world: World,
    chat: ChatState,
    p: Params,
    content: dict[str, Any],
    *,
    rendered: Rendered | None,
    markup: Markup,
    document: FileBlob | None = None,
    photo: FileBlob | None = None,
) -> BotMessage:
    """Store a new bot message in the chat and expose it to persons."""
    reply_to, reply_id = _reply_target(chat, p)
    thread_id = p.integer("message_thread_id")
    if markup.raw_inline is not None:
        content.setdefault("reply_markup", markup.raw_inline)
    raw = world.message_json(chat, world.bot, content, reply_to=reply_to, thread_id=thread_id)
    record = BotMessage(
        message_id=raw["message_id"],
        chat_id=chat.id,
        date=raw["date"],
        text=rendered.text if rendered else "",
        html=rendered.html if rendered else None,
        parse_mode=rendered.parse_mode if rendered else None,
        entities=rendered.entities if rendered else [],
        buttons=markup.inline,
        raw=raw,
        reply_keyboard=markup.reply_keyboard,
        keyboard_removed=markup.remove_keyboard,
        reply_to_message_id=reply_id,
        thread_id=thread_id,
        document=document,
        photo=photo,
    )
    world.record_bot_message(chat, record)
    return record


def send_message(world: World, p: Params) -> dict[str, Any]:
    """sendMessage: HTML parsing, 4096-unit limit, keyboards, replies, topics."""
    chat = world.writable_chat(p.req_integer("chat_id"))
    rendered = render(
        p,
        text_key="text",
        entities_key="entities",
        strict_ampersand=world.strict_ampersand,
        required=True,
    )
    assert rendered is not None
    markup = parse_markup(p.json_value("reply_markup"))
    content = _text_content(rendered, markup, caption=False)
    return _post(world, chat, p, content, rendered=rendered, markup=markup).raw


def _resolve_upload(world: World, p: Params, key: str, folder: str) -> FileBlob:
    value = p.raw(key)
    if isinstance(value, UploadedFile):
        mime = value.content_type if value.content_type != "application/octet-stream" else None
        return world.store_file(value.data, folder=folder, filename=value.filename, mime_type=mime)
    if isinstance(value, str) and value.startswith("attach://"):
        attached = p.raw(value.removeprefix("attach://"))
        if isinstance(attached, UploadedFile):
            return world.store_file(
                attached.data, folder=folder, filename=attached.filename, mime_type=None
            )
    if isinstance(value, str) and value in world.files:
        return world.files[value]
    if value is None:
        raise bad_request(f"there is no {key} in the request")
    raise bad_request("wrong file identifier/HTTP URL specified")


def _send_file(world: World, p: Params, key: str) -> dict[str, Any]:
    chat = world.writable_chat(p.req_integer("chat_id"))
    folder = "photos" if key == "photo" else "documents"
    blob = _resolve_upload(world, p, key, folder)
    rendered = render(
        p,
        text_key="caption",
        entities_key="caption_entities",
        strict_ampersand=world.strict_ampersand,
        required=False,
    )
    markup = parse_markup(p.json_value("reply_markup"))
    content: dict[str, Any] = (
        {"photo": blob.photo_json()} if key == "photo" else {"document": blob.document_json()}
    )
    if rendered is not None:
        content.update(_text_content(rendered, markup, caption=True))
    record = _post(
        world,
        chat,
        p,
        content,
        rendered=rendered,
        markup=markup,
        document=blob if key == "document" else None,
        photo=blob if key == "photo" else None,
    )
    return record.raw


def send_document(world: World, p: Params) -> dict[str, Any]:
    """sendDocument: multipart upload or re-send by file_id."""
    return _send_file(world, p, "document")


def send_photo(world: World, p: Params) -> dict[str, Any]:
    """sendPhoto: multipart upload or re-send by file_id."""
    return _send_file(world, p, "photo")


def _editable(world: World, p: Params) -> tuple[ChatState, BotMessage]:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    chat = world.writable_chat(p.req_integer("chat_id"))
    message_id = p.req_integer("message_id")
    record = chat.bot_messages.get(message_id)
    if record is None and message_id in chat.messages:
        raise bad_request("message can't be edited")
    if record is None or record.deleted:
        raise bad_request("message to edit not found")
    return chat, record


def _apply_edit(
    world: World,
    chat: ChatState,
    record: BotMessage,
    rendered: Rendered | None,
    markup: Markup,
    *,
    caption: bool,
) -> dict[str, Any]:
    """Replace text/markup in place, keep the old state in ``edits``, reject no-op edits."""
    new_text = rendered.text if rendered else record.text
    new_entities = rendered.entities if rendered else record.entities
    if (new_text, new_entities, markup.inline) == (record.text, record.entities, record.buttons):
        raise bad_request(_NOT_MODIFIED)
    record.edits.append(Edit(record.text, record.html, record.buttons, world.now()))
    raw = record.raw
    if rendered is not None:
        key, ent_key = ("caption", "caption_entities") if caption else ("text", "entities")
        raw[key] = rendered.text
        raw.pop(ent_key, None)
        if rendered.entities:
            raw[ent_key] = rendered.entities
        record.text, record.html = rendered.text, rendered.html
        record.parse_mode, record.entities = rendered.parse_mode, rendered.entities
    raw.pop("reply_markup", None)
    if markup.raw_inline is not None:
        raw["reply_markup"] = markup.raw_inline
    record.buttons = markup.inline
    raw["edit_date"] = world.now()
    world.record_bot_edit(chat, record)
    return raw


def edit_message_text(world: World, p: Params) -> dict[str, Any]:
    """editMessageText: omitting reply_markup removes the inline keyboard, as on Telegram."""
    chat, record = _editable(world, p)
    if record.document is not None or record.photo is not None:
        raise bad_request("there is no text in the message to edit")
    rendered = render(
        p,
        text_key="text",
        entities_key="entities",
        strict_ampersand=world.strict_ampersand,
        required=True,
    )
    markup = _inline_only(p)
    return _apply_edit(world, chat, record, rendered, markup, caption=False)


def edit_message_caption(world: World, p: Params) -> dict[str, Any]:
    """editMessageCaption for documents/photos."""
    chat, record = _editable(world, p)
    rendered = render(
        p,
        text_key="caption",
        entities_key="caption_entities",
        strict_ampersand=world.strict_ampersand,
        required=False,
    )
    if rendered is None:
        rendered = Rendered(text="", html=None, parse_mode=None, entities=[])
    return _apply_edit(world, chat, record, rendered, _inline_only(p), caption=True)


def edit_message_reply_markup(world: World, p: Params) -> dict[str, Any]:
    """editMessageReplyMarkup: only the inline keyboard changes."""
    chat, record = _editable(world, p)
    return _apply_edit(world, chat, record, None, _inline_only(p), caption=False)


def _inline_only(p: Params) -> Markup:
    markup = parse_markup(p.json_value("reply_markup"))
    if markup.reply_keyboard is not None or markup.remove_keyboard:
        raise bad_request("inline keyboard expected")
    return markup


def delete_message(world: World, p: Params) -> bool:
    """deleteMessage: the record stays (flagged) so tests can see what was removed."""
    chat = world.chat(p.req_integer("chat_id"))
    message_id = p.req_integer("message_id")
    if chat.messages.pop(message_id, None) is None:
        raise bad_request("message to delete not found")
    record = chat.bot_messages.get(message_id)
    if record is not None:
        record.deleted = True
    world.changed.fire()
    return True


def send_chat_action(world: World, p: Params) -> bool:
    """sendChatAction: recorded per chat ("typing" while the bot searches)."""
    chat = world.writable_chat(p.req_integer("chat_id"))
    action = p.string("action") or ""
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.actions.append(action)
    return True


def _source(world: World, p: Params, verb: str) -> dict[str, Any]:
    source_chat = world.chat(p.req_integer("from_chat_id"))
    source = source_chat.messages.get(p.req_integer("message_id"))
    if source is None:
        raise bad_request(f"message to {verb} not found")
    return source


def _reuse(world: World, source: dict[str, Any]) -> tuple[FileBlob | None, FileBlob | None]:
    document = source.get("document", {}).get("file_id")
    photos = source.get("photo") or [{}]
    photo = photos[-1].get("file_id")
    return world.files.get(document or ""), world.files.get(photo or "")


def _relay(world: World, p: Params, verb: str) -> BotMessage:
    """Shared body of copyMessage/forwardMessage: same content, new bot message."""
    chat = world.writable_chat(p.req_integer("chat_id"))
    source = _source(world, p, verb)
    content = {
        k: v
        for k, v in source.items()
        if k in {"text", "entities", "caption", "caption_entities", "document", "photo"}
    }
    caption = render(
        p,
        text_key="caption",
        entities_key="caption_entities",
        strict_ampersand=world.strict_ampersand,
        required=False,
    )
    if verb == "copy" and caption is not None:
        content["caption"] = caption.text
        content.pop("caption_entities", None)
    if verb == "forward":
        content["forward_origin"] = {
            "type": "user",
            "sender_user": source["from"],
            "date": source["date"],
        }
    markup = parse_markup(p.json_value("reply_markup")) if verb == "copy" else Markup()
    visible = content.get("text", content.get("caption", ""))
    entities = content.get("entities", content.get("caption_entities", []))
    rendered = Rendered(text=visible, html=None, parse_mode=None, entities=entities)
    document, photo = _reuse(world, source)
    return _post(
        world, chat, p, content, rendered=rendered, markup=markup, document=document, photo=photo
    )


def copy_message(world: World, p: Params) -> dict[str, Any]:
    """copyMessage returns only the new MessageId."""
    return {"message_id": _relay(world, p, "copy").message_id}


def forward_message(world: World, p: Params) -> dict[str, Any]:
    """forwardMessage returns the full forwarded Message."""
    return _relay(world, p, "forward").raw


HANDLERS = {
    "sendmessage": send_message,
    "senddocument": send_document,
    "sendphoto": send_photo,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "sendchataction": send_chat_action,
    "copymessage": copy_message,
    "forwardmessage": forward_message,
}
