"""Bot API methods about the bot itself, chats, files and callback answers."""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import bad_request
from .params import Params
from .world import World

__all__ = ["HANDLERS"]

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_QUERY_GONE = "query is too old and response timeout expired or query ID is invalid"
_ADMIN_RIGHTS = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)


def get_me(world: World, p: Params) -> dict[str, Any]:
    """getMe: the username is what group @mentions must match."""
    me = world.bot.to_api()
    me.update(
        can_join_groups=True,
        can_read_all_group_messages=False,
        supports_inline_queries=False,
        can_connect_to_business=False,
        has_main_web_app=False,
    )
    return me


def _scope_key(p: Params) -> tuple[str, str]:
    scope = p.json_value("scope") or {"type": "default"}
    if not isinstance(scope, dict) or "type" not in scope:
        raise bad_request("can't parse BotCommandScope")
    return json.dumps(scope, sort_keys=True), p.string("language_code") or ""


def set_my_commands(world: World, p: Params) -> bool:
    """setMyCommands: validated like Telegram and stored per (scope, language_code)."""
    commands = p.json_value("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be an array of at most 100 BotCommand")
    for item in commands:
        if not isinstance(item, dict) or not _COMMAND_RE.match(str(item.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(item.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_scope_key(p)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


def get_my_commands(world: World, p: Params) -> list[dict[str, Any]]:
    """getMyCommands for exactly the given scope and language."""
    return list(world.commands.get(_scope_key(p), []))


def delete_my_commands(world: World, p: Params) -> bool:
    """deleteMyCommands for exactly the given scope and language."""
    world.commands.pop(_scope_key(p), None)
    return True


def set_chat_menu_button(world: World, p: Params) -> bool:
    """setChatMenuButton: per chat, or the default when chat_id is omitted."""
    button = p.json_value("menu_button") or {"type": "default"}
    chat_id = p.integer("chat_id")
    if chat_id is None:
        world.default_menu_button = button
    else:
        world.chat(chat_id).menu_button = button
    return True


def get_chat_menu_button(world: World, p: Params) -> dict[str, Any]:
    """getChatMenuButton falls back to the default like Telegram."""
    chat_id = p.integer("chat_id")
    if chat_id is not None and world.chat(chat_id).menu_button is not None:
        return dict(world.chat(chat_id).menu_button or {})
    return dict(world.default_menu_button)


def get_chat(world: World, p: Params) -> dict[str, Any]:
    """getChat returns ChatFullInfo, whose required fields PTB 22 insists on."""
    chat = world.chat(p.req_integer("chat_id"))
    info = chat.to_api()
    info.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return info


def get_chat_member(world: World, p: Params) -> dict[str, Any]:
    """getChatMember: status comes from Group.set_status (default "member")."""
    chat = world.chat(p.req_integer("chat_id"))
    user_id = p.req_integer("user_id")
    user = world.bot if user_id == world.bot.id else world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    status = chat.members.get(user_id, "member")
    member: dict[str, Any] = {"status": status, "user": user.to_api()}
    if status == "administrator":
        member.update(dict.fromkeys(_ADMIN_RIGHTS, False), can_manage_chat=True)
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


def get_file(world: World, p: Params) -> dict[str, Any]:
    """getFile: file_path is served by the /file/bot<token>/ route."""
    blob = world.files.get(p.string("file_id") or "")
    if blob is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": blob.file_id,
        "file_unique_id": blob.file_unique_id,
        "file_size": len(blob.data),
        "file_path": blob.file_path,
    }


def answer_callback_query(world: World, p: Params) -> bool:
    """answerCallbackQuery: each query can be answered once, like the real API."""
    record = world.callbacks.get(p.string("callback_query_id") or "")
    if record is None or record.answered:
        raise bad_request(_QUERY_GONE)
    text = p.string("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    record.answered = True
    record.text = text
    record.show_alert = p.flag("show_alert")
    record.url = p.string("url")
    world.changed.fire()
    return True


def always_true(world: World, p: Params) -> bool:
    """close / logOut: accepted; nothing to tear down in a fake."""
    return True


HANDLERS = {
    "getme": get_me,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getfile": get_file,
    "answercallbackquery": answer_callback_query,
    "close": always_true,
    "logout": always_true,
}
