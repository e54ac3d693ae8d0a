"""Who may use a handler, and where: one gate, applied when the handler is registered.

A `Gate` pairs a role filter with a chat filter (PTB filter objects reading the role
service) and names the refusal for each. `guard(app, gate, *handlers)` registers handlers
behind it: an update a handler would take, from someone without the role or in a chat the
command does not belong to, gets that polite refusal instead (a button: an alert) and never
reaches the handler. A quiet gate lets such updates fall through to later handlers (an
entrepreneur's file goes to the Q&A handler, which treats it like any other media).

The chat rules: officers' commands in the officers' group or a private chat with the bot;
card buttons only in the officers' group, where the cards are; knowledge-base management
only in private. So an officer typing /unanswered in a public group posts nothing there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from telegram import Chat, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, filters

from bot.roles import Actor, RoleService
from bot.services import Services
from bot.texts import t
from handlers.context import AnyApp, Ctx, lang_for, services_of
from handlers.render import tell

RolePredicate = Callable[[RoleService, int], bool]
ChatPredicate = Callable[[RoleService, Chat], bool]


class ServiceFilter(filters.UpdateFilter):
    """A PTB filter deciding from the services, synchronously (they keep what it needs in
    memory: roles, open flows, live cases). False until the services are attached."""

    def __init__(self, app: AnyApp, test: Callable[[Services, Update], bool], name: str) -> None:
        super().__init__(name=name)
        self._app = app
        self._test = test

    def filter(self, update: Update) -> bool:
        svc = services_of(self._app)
        return svc is not None and self._test(svc, update)


def has_role(app: AnyApp, holds: RolePredicate, name: str) -> ServiceFilter:
    """The sender holds a role."""

    def test(svc: Services, update: Update) -> bool:
        user = update.effective_user
        return user is not None and holds(svc.roles, user.id)

    return ServiceFilter(app, test, name)


def in_chat(app: AnyApp, allowed: ChatPredicate, name: str) -> ServiceFilter:
    """The update happens in a chat the command belongs to."""

    def test(svc: Services, update: Update) -> bool:
        chat = update.effective_chat
        return chat is not None and allowed(svc.roles, chat)

    return ServiceFilter(app, test, name)


def user_test(app: AnyApp, test: Callable[[Services, int], bool], name: str) -> ServiceFilter:
    """A question about the sender (has an open form, is in a live case …)."""

    def check(svc: Services, update: Update) -> bool:
        user = update.effective_user
        return user is not None and test(svc, user.id)

    return ServiceFilter(app, check, name)


def _officer(roles: RoleService, user_id: int) -> bool:
    return roles.is_officer(user_id)


def _admin(roles: RoleService, user_id: int) -> bool:
    return roles.is_admin(user_id)


def _office(roles: RoleService, chat: Chat) -> bool:
    return roles.is_officers_chat(chat.id) or chat.type == ChatType.PRIVATE


def _group(roles: RoleService, chat: Chat) -> bool:
    return roles.is_officers_chat(chat.id)


def _private(_roles: RoleService, chat: Chat) -> bool:
    return chat.type == ChatType.PRIVATE


def officer(app: AnyApp) -> ServiceFilter:
    """The sender is an officer (or an admin)."""
    return has_role(app, _officer, "Officer")


def officers_chat(app: AnyApp) -> ServiceFilter:
    """The update happens in the officers' group."""
    return in_chat(app, _group, "OfficersChat")


@dataclass(frozen=True)
class Gate:
    """A role and a chat rule, with the text keys of their refusals."""

    role: RolePredicate
    chats: ChatPredicate
    role_key: str
    chat_key: str
    quiet: bool = False

    def filters(self, app: AnyApp) -> tuple[ServiceFilter, ServiceFilter]:
        return (
            has_role(app, self.role, f"role:{self.role_key}"),
            in_chat(app, self.chats, f"chat:{self.chat_key}"),
        )


# Officers' commands: the group or a private chat. Card buttons: the group only.
OFFICERS = Gate(_officer, _office, "officer.refused", "officer.refused")
OFFICERS_GROUP = Gate(_officer, _group, "officer.refused", "officer.refused")
# The learning loop (/unanswered, /faq, saving an FAQ entry): the same chats.
STAFF = Gate(_officer, _office, "unanswered.only", "access.wrong_chat")
# Knowledge-base management: admins in private.
ADMINS = Gate(_admin, _private, "admin.only", "admin.private_only")
ADMIN_FILES = replace(ADMINS, quiet=True)  # an entrepreneur's file is just media
# Roles: admins, in the group or in private.
ROLE_ADMINS = Gate(_admin, _office, "role.admins_only", "access.wrong_chat")
# Canned replies: officers list and send them; admins add and remove them (same chats).
CANNED_ADMINS = Gate(_admin, _office, "canned.admins_only", "access.wrong_chat")


class Gated(BaseHandler[Update, Ctx, Any]):
    """`inner` behind a gate (the way ptbcontrib's RolesHandler wraps a handler)."""

    def __init__(self, app: AnyApp, gate: Gate, inner: BaseHandler[Update, Ctx, Any]) -> None:
        super().__init__(inner.callback, block=inner.block)
        self.inner = inner
        self.gate = gate
        self._role, self._chat = gate.filters(app)

    def check_update(self, update: object) -> object:
        if not isinstance(update, Update):
            return None
        match = self.inner.check_update(update)
        if match is None or match is False:
            return None
        # `filter`, not `check_update`: PTB's filters only check message updates, and a gate
        # applies to buttons too
        if not self._role.filter(update):
            return None if self.gate.quiet else _Refusal(self.gate.role_key)
        if not self._chat.filter(update):
            return None if self.gate.quiet else _Refusal(self.gate.chat_key)
        return _Allowed(match)

    async def handle_update(
        self, update: Update, application: AnyApp, check_result: object, context: Ctx
    ) -> Any:
        if isinstance(check_result, _Allowed):
            return await self.inner.handle_update(update, application, check_result.match, context)
        if isinstance(check_result, _Refusal):
            await refuse(update, context, check_result.key)
        return None


@dataclass(frozen=True)
class _Allowed:
    match: object


@dataclass(frozen=True)
class _Refusal:
    key: str


def guard(
    app: AnyApp, gate: Gate, *handlers: BaseHandler[Update, Ctx, Any], group: int = 0
) -> None:
    """Register handlers behind `gate` (in group 0 unless told, in the order given)."""
    for handler in handlers:
        app.add_handler(Gated(app, gate, handler), group)


async def refuse(update: Update, context: Ctx, key: str) -> None:
    """A polite no in the sender's language: an alert for a button, a reply for a message."""
    if update.callback_query is not None:
        await update.callback_query.answer(t(key, await lang_for(update, context)), show_alert=True)
    elif update.effective_chat is not None:
        await tell(update, context, key)


def actor_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "?"
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


def actor(update: Update) -> Actor:
    """Who is acting, as the request history and the audit log name them."""
    user = update.effective_user
    return Actor(user.id if user else 0, actor_name(update))
