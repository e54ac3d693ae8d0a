"""/grant and /revoke: admins give or take the officer and admin roles from the chat.

Roles from FINBOT_ADMIN_IDS / FINBOT_OFFICER_IDS cannot be revoked here (they would come
back at the next start); every change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import Application, CallbackContext, CommandHandler

from bot.db.models import User
from bot.roles import Role
from bot.services import Services
from bot.texts import Lang, t
from handlers.context import services
from handlers.render import esc

Ctx = CallbackContext[Any, Any, Any, Any]


async def resolve_user(svc: Services, token: str) -> tuple[int, str] | None:
    """(id, display name) for "@username" (someone who wrote to the bot) or a numeric id."""
    token = token.strip()
    async with svc.db() as session:
        if token.lstrip("-").isdigit():
            user = await session.get(User, int(token))
            return int(token), (user.display_name if user and user.display_name else token)
        name = token.removeprefix("@").lower()
        found = (
            await session.scalars(select(User).where(func.lower(User.username) == name))
        ).first()
    if found is None:
        return None
    return found.id, found.display_name or f"@{found.username}"


async def _lang(svc: Services, update: Update) -> Lang:
    assert update.effective_user is not None
    return await svc.users.language(update.effective_user.id)


async def _change(update: Update, context: Ctx, grant: bool) -> None:
    svc = services(context)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    lang = await _lang(svc, update)
    if not svc.roles.is_admin(user.id):
        await message.reply_text(esc(t("role.admins_only", lang)))
        return
    args = list(context.args or [])
    if len(args) != 2 or args[0].lower() not in (Role.OFFICER, Role.ADMIN):
        await message.reply_text(esc(t("role.usage", lang)))
        return
    role = Role(args[0].lower())
    target = await resolve_user(svc, args[1])
    if target is None:
        await message.reply_text(esc(t("role.unknown_user", lang, who=args[1])))
        return
    target_id, name = target
    if grant:
        changed = await svc.roles.grant(target_id, role, user.id)
        key = "role.granted" if changed else "role.already"
    else:
        changed = await svc.roles.revoke(target_id, role)
        key = "role.revoked" if changed else "role.not_granted"
    if changed:
        await svc.audit.record(
            user.id, "role.grant" if grant else "role.revoke", str(target_id), role=str(role)
        )
    await message.reply_text(esc(t(key, lang, who=name, role=str(role))))


async def on_grant(update: Update, context: Ctx) -> None:
    await _change(update, context, grant=True)


async def on_revoke(update: Update, context: Ctx) -> None:
    await _change(update, context, grant=False)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(CommandHandler("grant", on_grant))
    app.add_handler(CommandHandler("revoke", on_revoke))
