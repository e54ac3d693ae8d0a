"""/canned: the officers' ready-made replies, listed for officers, managed by admins.

Sending one in a handoff (`/c 名称`) is part of the relay (handlers.handoff); this module
lists them (`/canned`) and lets admins add and remove them (`/canned add 名称 文本…`,
`/canned remove 名称`). The text of an added reply is taken from the message as typed, so
it keeps its line breaks. Everything goes through `bot.canned.CannedService`.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.canned import VARIABLES, CannedError
from bot.texts import Lang, t
from handlers import access
from handlers.context import AnyApp, Ctx, chat_of, lang_for, message_of, services, user_of
from handlers.render import b, send, tell, text, truncate

MANAGE = filters.Regex(r"^/canned(@\w+)?\s+(add|remove)(\s|$)")


def _variables() -> str:
    return " ".join(f"{{{v}}}" for v in VARIABLES)


async def on_list(update: Update, context: Ctx) -> None:
    """/canned: every reply by name with its first line."""
    lang = await lang_for(update, context)
    await send(context.bot, chat_of(update).id, await list_html(context, lang))


async def list_html(context: Ctx, lang: Lang) -> str:
    replies = await services(context).canned.list()
    if not replies:
        return text("canned.list_empty", lang)
    lines = [b(t("canned.list_head", lang, n=len(replies)))]
    lines += [text("canned.list_item", lang, name=r.name, first=truncate(r.first_line, 80))
              for r in replies]  # fmt: skip
    lines.append(text("canned.list_hint", lang, variables=_variables()))
    return "\n".join(lines)


async def on_manage(update: Update, context: Ctx) -> None:
    """/canned add 名称 文本… (replaces one of the same name) · /canned remove 名称."""
    parts = (message_of(update).text or "").split(None, 3)
    action, name = parts[1], parts[2] if len(parts) > 2 else ""
    canned, actor = services(context).canned, user_of(update).id
    if action == "remove":
        if not name:
            await tell(update, context, "canned.usage_remove")
            return
        removed = await canned.remove(name, actor)
        await tell(update, context, "canned.removed" if removed else "canned.not_found", name=name)
        return
    if len(parts) < 4:
        await tell(update, context, "canned.usage_add", variables=_variables())
        return
    try:
        created = await canned.add(name, parts[3], actor)
    except CannedError as exc:
        lang = await lang_for(update, context)
        await send(context.bot, chat_of(update).id, text(f"canned.{exc.code}", lang, **exc.params))
        return
    await tell(update, context, "canned.added" if created else "canned.updated", name=name)


def register(app: AnyApp) -> None:
    access.guard(app, access.CANNED_ADMINS, CommandHandler("canned", on_manage, filters=MANAGE))
    access.guard(app, access.STAFF, CommandHandler("canned", on_list))
