"""/grant and /revoke: admins give or take the officer and admin roles from the chat.

Roles from FINBOT_ADMIN_IDS / FINBOT_OFFICER_IDS cannot be revoked here (they would come
back at the next start); every change is written to the audit log by the role service.
Only admins, in the officers' group or in private, get here (`access.ROLE_ADMINS`).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.roles import Role
from handlers import access
from handlers.context import AnyApp, Ctx, services, user_of
from handlers.render import tell


async def _change(update: Update, context: Ctx, *, grant: bool) -> None:
    args = context.args or []
    if len(args) != 2 or args[0].lower() not in (Role.OFFICER, Role.ADMIN):
        await tell(update, context, "role.usage")
        return
    role = Role(args[0].lower())
    change = await services(context).roles.change(
        args[1], role, grant=grant, actor_id=user_of(update).id
    )
    await tell(update, context, change.key, who=change.who, role=str(role))


async def on_grant(update: Update, context: Ctx) -> None:
    await _change(update, context, grant=True)


async def on_revoke(update: Update, context: Ctx) -> None:
    await _change(update, context, grant=False)


def register(app: AnyApp) -> None:
    access.guard(
        app,
        access.ROLE_ADMINS,
        CommandHandler("grant", on_grant),
        CommandHandler("revoke", on_revoke),
    )
