"""Registers every feature's handlers in one explicit order (gates and forms before Q&A).

Within group 0 only the first matching handler runs, so the order is the routing table:
commands and forms first, the live-handoff relay next (a user talking to an officer is not
answered by the bot), the catch-all question handler last.

One exception sits before group 0: an officer's reply to a live handoff in the officers'
group is relayed from handoff.RELAY_GROUP (-1) and stops there, so a conversation the
officer is in the middle of (such as the FAQ-editing flow of `learning`, which also takes
typed text in the group) can never swallow an answer meant for an entrepreneur.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from handlers import admin, ask, errors, handoff, learning, officers, request_form, roles, start


def register_all(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    start.register(app)
    admin.register(app)
    learning.register(app)
    request_form.register(app)
    officers.register(app)
    roles.register(app)
    handoff.register(app)  # the relay: after commands/forms, before the Q&A catch-all
    # (the officers' side of it in handoff.RELAY_GROUP, ahead of all of group 0)
    ask.register(app)
    app.add_error_handler(errors.on_error)
