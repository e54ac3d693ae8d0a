"""Registers every feature's handlers in one explicit order (gates and flows before Q&A).

Within group 0 only the first matching handler runs, so the order is the routing table:
commands, buttons and the flows a user is in (an FAQ draft, the financing form, the
handoff intake) first, the live-handoff relay next (a user talking to an officer is not
answered by the bot), the catch-all question handler last. Who may use what is decided at
registration too (`handlers.access`).

One exception sits before group 0: an officer's reply to a live handoff in the officers'
group is relayed from handoff.RELAY_GROUP (-1) and stops there, so a flow the officer is
in the middle of (such as an FAQ draft, which also takes typed text in the group) can
never swallow an answer meant for an entrepreneur.

Feature modules import the kit (access, context, render, keyboards, cards) and never each
other; this module and `startup` are the only ones that know them all.
"""

from __future__ import annotations

import logging

from handlers import (
    admin,
    ask,
    canned,
    errors,
    faq_import,
    handoff,
    history,
    learning,
    officers,
    request_form,
    roles,
    start,
    subscriptions,
)
from handlers.context import AnyApp
from handlers.startup import set_command_menus, warm_up_answers

log = logging.getLogger("finbot.startup")

FEATURES = (
    start, subscriptions, faq_import, admin, history, learning, request_form, officers, roles,
    canned, handoff, ask,
)  # fmt: skip
# features with jobs (expiry, SLA, form timeouts, unfinished broadcasts)
SCHEDULED = (admin, officers, request_form, subscriptions)


def register_all(app: AnyApp) -> None:
    for feature in FEATURES:
        feature.register(app)
    app.add_error_handler(errors.on_error)


async def on_startup(app: AnyApp) -> None:
    """Work that needs the running bot and the services: menus, jobs, the model warm-up."""
    await set_command_menus(app)
    for feature in SCHEDULED:
        feature.schedule(app)
    warm_up_answers(app)


async def on_stop(app: AnyApp) -> None:
    """Before the bot shuts down (its HTTP client still open): background sends stop."""
    await subscriptions.stop(app)
