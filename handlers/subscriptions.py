"""Policy subscriptions (/subscribe, /subscriptions) and the notices sent to subscribers.

Entrepreneurs pick topics with toggle buttons (from /subscribe or the main menu's 🔔 row)
and remove them from /subscriptions. An admin's upload ends with a question (asked by the
admin feature through `handlers.notices`); its 发送通知 button lands here and starts the
broadcast in the background (`bot.broadcast`), which is resumed at the next start if the
bot stopped midway. Each subscriber's notice carries "问一问这份文件", answered here by
asking the knowledge base the document's title.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, filters

from bot.broadcast import Delivery, Notice, Report, Sender, SendResult
from bot.subscriptions import Topic
from bot.texts import Lang, t
from handlers import access
from handlers import keyboards as kb
from handlers.answer_view import admit_tap, send_tapped
from handlers.context import (
    AnyApp,
    Ctx,
    chat_of,
    lang_for,
    query_of,
    services,
    services_of,
    user_of,
)
from handlers.notices import confirm_prompt, notice_html, notice_keyboard
from handlers.render import OWN_RETRIES, b, edit, send, tell, text, try_send

log = logging.getLogger("finbot.subscriptions")

PRIVATE = filters.ChatType.PRIVATE
MENU_DATA = kb.MENU_SUBSCRIBE


# ------------------------------------------------------------------ keyboards
def _toggle_keyboard(topics: list[Topic], mine: list[str], lang: Lang) -> InlineKeyboardMarkup:
    buttons = [
        kb.button(t("sub.on" if tp.key in mine else "sub.off", lang, topic=tp.label(lang)),
                  f"sub:t:{tp.key}")
        for tp in topics
        if kb.fits(f"sub:t:{tp.key}")
    ]  # fmt: skip
    return InlineKeyboardMarkup(kb.rows_of(buttons, 2))


def _list_view(
    topics: list[Topic], mine: list[str], lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    labels = {tp.key: tp.label(lang) for tp in topics}
    more = [kb.button(t("sub.btn.more", lang), MENU_DATA)]
    if not mine:
        return text("sub.list_empty", lang), InlineKeyboardMarkup([more])
    lines = [b(t("sub.list_head", lang))]
    lines += [text("sub.list_item", lang, topic=labels.get(k, k)) for k in mine]
    rows = [
        [kb.button(t("sub.btn.remove", lang, topic=labels.get(k, k)), f"sub:rm:{k}")]
        for k in mine
        if kb.fits(f"sub:rm:{k}")
    ]
    return "\n".join(lines), InlineKeyboardMarkup([*rows, more])


# ------------------------------------------------------------------ entrepreneurs
async def on_subscribe(update: Update, context: Ctx) -> None:
    """/subscribe: the topics as toggles (✅ subscribed, ☐ not)."""
    svc, lang = services(context), await lang_for(update, context)
    mine = await svc.subscriptions.of_user(user_of(update).id)
    markup = _toggle_keyboard(svc.subscriptions.topics(), mine, lang)
    await send(context.bot, chat_of(update).id, text("sub.pick", lang), markup)


async def on_menu_tap(update: Update, context: Ctx) -> None:
    """The main menu's 🔔 row (and 添加主题 under /subscriptions)."""
    query, _data = query_of(update)
    await query.answer()
    await on_subscribe(update, context)


async def on_toggle(update: Update, context: Ctx) -> None:
    """A topic button: subscribe or unsubscribe, and show the new state in place."""
    svc, (query, data) = services(context), query_of(update)
    lang = await lang_for(update, context)
    topic = svc.subscriptions.topic(data.removeprefix("sub:t:"))
    if topic is None:
        await query.answer(t("sub.unknown", lang), show_alert=True)
        return
    user_id = user_of(update).id
    now_on = await svc.subscriptions.toggle(user_id, topic.key)
    await query.answer(t("sub.added" if now_on else "sub.removed", lang, topic=topic.label(lang)))
    mine = await svc.subscriptions.of_user(user_id)
    if isinstance(query.message, Message):
        markup = _toggle_keyboard(svc.subscriptions.topics(), mine, lang)
        await edit(query.message, text("sub.pick", lang), markup)


async def on_subscriptions(update: Update, context: Ctx) -> None:
    """/subscriptions: what the user follows, a remove button each."""
    svc, lang = services(context), await lang_for(update, context)
    mine = await svc.subscriptions.of_user(user_of(update).id)
    html, markup = _list_view(svc.subscriptions.topics(), mine, lang)
    await send(context.bot, chat_of(update).id, html, markup)


async def on_remove_tap(update: Update, context: Ctx) -> None:
    svc, (query, data) = services(context), query_of(update)
    lang = await lang_for(update, context)
    key, user_id = data.removeprefix("sub:rm:"), user_of(update).id
    removed = await svc.subscriptions.remove(user_id, key)
    topic = svc.subscriptions.topic(key)
    label = topic.label(lang) if topic else key
    await query.answer(t("sub.removed", lang, topic=label) if removed else None)
    if isinstance(query.message, Message):
        mine = await svc.subscriptions.of_user(user_id)
        await edit(query.message, *_list_view(svc.subscriptions.topics(), mine, lang))


async def on_ask_tap(update: Update, context: Ctx) -> None:
    """问一问这份文件: the knowledge base asked the document's title, answered here."""
    svc, (_, data) = services(context), query_of(update)
    info = svc.kb.info(data.removeprefix("sub:ask:"))
    lang = await admit_tap(update, context, info is not None, "bc.doc_gone")
    if info is None or lang is None:
        return
    question = t("bc.ask_question", lang, title=info.title)
    await send_tapped(update, context, await svc.answers.answer(question, lang=lang))


# ------------------------------------------------------------------ admins
async def on_notify(update: Update, context: Ctx) -> None:
    """/notify DOC_ID: the question an upload asks, for a document added another way
    (`finbot kb add`)."""
    svc, lang, args = services(context), await lang_for(update, context), context.args or []
    if not args:
        await tell(update, context, "bc.usage_notify")
        return
    draft = await svc.broadcasts.prepare(args[0], user_of(update).id)
    if draft is None:
        await tell(update, context, "bc.not_current", doc_id=args[0])
        return
    await send(context.bot, chat_of(update).id, *confirm_prompt(draft, lang))


async def on_broadcast_choice(update: Update, context: Ctx) -> None:
    """发送通知 / 不发送 under the admin's question."""
    svc, (query, data) = services(context), query_of(update)
    lang = await lang_for(update, context)
    _, action, raw_id = data.split(":", 2)
    broadcast_id = int(raw_id)
    await query.answer()
    if action == "go":
        count = await svc.broadcasts.confirm(broadcast_id)
        html = text("bc.stale", lang) if count is None else text("bc.started", lang, n=count)
        if count is not None:
            launch(context.application, broadcast_id)
    else:
        cancelled = await svc.broadcasts.cancel(broadcast_id)
        html = text("bc.skipped" if cancelled else "bc.stale", lang)
    if isinstance(query.message, Message):
        await edit(query.message, html)


# ------------------------------------------------------------------ sending
def telegram_sender(app: AnyApp) -> Sender:
    """One notice to one subscriber, Telegram's answer as a `SendResult` (no retry here:
    the broadcast decides what to retry and paces it)."""

    async def send_notice(user_id: int, lang: Lang, notice: Notice) -> SendResult:
        try:
            await app.bot.send_message(
                user_id, notice_html(notice, lang), reply_markup=notice_keyboard(notice, lang),
                rate_limit_args=OWN_RETRIES,
            )  # fmt: skip
        except Forbidden:
            return SendResult(Delivery.BLOCKED)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            return SendResult(Delivery.RETRY, retry_after=seconds)
        except BadRequest:
            return SendResult(Delivery.FAILED)
        except TelegramError:  # network, 5xx, timeouts
            return SendResult(Delivery.RETRY)
        return SendResult(Delivery.SENT)

    return send_notice


def launch(app: AnyApp, broadcast_id: int) -> None:
    """Send in the background; the admin gets the report at the end."""
    svc = services_of(app)
    if svc is None:
        return

    async def report_to_admin(report: Report) -> None:
        lang = await svc.users.language(report.admin_id)
        html = text("bc.report", lang, title=report.notice.title, total=report.total,
                    sent=report.sent, blocked=report.blocked, failed=report.failed)  # fmt: skip
        await try_send(app.bot, report.admin_id, html)

    svc.broadcasts.start(broadcast_id, telegram_sender(app), report_to_admin)


async def _resume(context: Ctx) -> None:
    for broadcast_id in await services(context).broadcasts.unfinished():
        log.info("resuming broadcast %s", broadcast_id)
        launch(context.application, broadcast_id)


async def stop(app: AnyApp) -> None:
    """Before the bot shuts down: broadcasts stop between two sends (resumed next start)."""
    svc = services_of(app)
    if svc is not None:
        await svc.broadcasts.stop()


def register(app: AnyApp) -> None:
    app.add_handler(CommandHandler("subscribe", on_subscribe, filters=PRIVATE))
    app.add_handler(CommandHandler("subscriptions", on_subscriptions, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_menu_tap, pattern=rf"^{MENU_DATA}$"))
    app.add_handler(CallbackQueryHandler(on_toggle, pattern=r"^sub:t:"))
    app.add_handler(CallbackQueryHandler(on_remove_tap, pattern=r"^sub:rm:"))
    app.add_handler(CallbackQueryHandler(on_ask_tap, pattern=r"^sub:ask:"))
    access.guard(
        app, access.ADMINS,
        CommandHandler("notify", on_notify),
        CallbackQueryHandler(on_broadcast_choice, pattern=r"^bc:(go|no):\d+$"),
    )  # fmt: skip


def schedule(app: AnyApp) -> None:
    """Resume the broadcasts a stopped or killed bot left unfinished, once it runs."""
    if app.job_queue is None:
        log.warning("no job queue: unfinished broadcasts resume only when confirmed again")
        return
    # no misfire limit: `finbot run` warms up for seconds between scheduling and starting
    app.job_queue.run_once(
        _resume, 0, name="finbot:broadcast-resume", job_kwargs={"misfire_grace_time": None}
    )
