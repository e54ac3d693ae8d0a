"""The officers' side of financing requests: the card buttons, the commands, the SLA job.

Who may do what is decided where the handlers are registered (`access.OFFICERS`: officers
in their group or in private; `access.OFFICERS_GROUP`: the card buttons, in the group
only); each action is one service call, which writes the history and the audit log.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.charts import chart_png
from bot.errors import FinbotError, NotAllowedError
from bot.export import Export
from bot.pii import mask_pii
from bot.requests import RequestStatus, RequestView
from bot.sla import Reminder
from bot.stats import Period, summary_text
from bot.texts import BUREAU_LANG, Lang, t
from handlers import access, cards
from handlers.context import AnyApp, Ctx, chat_of, query_of, services, services_of
from handlers.keyboards import button
from handlers.render import (
    b,
    esc,
    fmt_amount,
    fmt_when,
    nav_row,
    page_of,
    send,
    send_file,
    send_photo,
    text,
    try_send,
)

log = logging.getLogger("finbot.officers")

PAGE_SIZE = 10
STATS_DAYS = (7, 30)  # the period buttons under a /stats summary
LANG = BUREAU_LANG


# ---------------------------------------------------------------- card buttons
async def on_claim(update: Update, context: Ctx) -> None:
    """认领 on a card: one officer wins; the entrepreneur hears who is helping."""
    query, data = query_of(update)
    officer = access.actor(update)
    result = await services(context).requests.claim(
        int(data.split(":")[2]), officer.id, officer.name
    )
    row = result.request
    if not result.won:
        await query.answer(
            t("officer.claim_lost", LANG, ref=row.ref, owner=row.owner_name), show_alert=True
        )
        return
    await query.answer(t("officer.claimed", LANG, ref=row.ref))
    await cards.refresh_card(context.bot, row, query.message)
    await _notify_owner(context, row)


async def on_status(update: Update, context: Ctx) -> None:
    """A status button on a card: the owner (or an admin) moves the request on."""
    query, data = query_of(update)
    _, _, raw_id, raw_status = data.split(":")
    officer = access.actor(update)
    try:
        row = await services(context).requests.set_status(
            int(raw_id), RequestStatus(raw_status), officer.id, officer.name, owner_only=True
        )
    except NotAllowedError as err:
        await query.answer(t(err.key, LANG, **err.params), show_alert=True)
        return
    except FinbotError:  # the request is gone
        await query.answer()
        return
    await query.answer(
        t("officer.status_set", LANG, ref=row.ref, status=cards.status_label(row.status))
    )
    await cards.refresh_card(context.bot, row, query.message)
    await _notify_owner(context, row)


async def _notify_owner(context: Ctx, row: RequestView) -> None:
    """The entrepreneur hears about every status change, in their language."""
    lang: Lang = "en" if row.lang == "en" else "zh"
    status = t(f"req.status.{row.status}", lang)
    notice = text(
        "req.notify_status", lang, ref=row.ref, status=status, owner=row.owner_name or "-"
    )
    await try_send(context.bot, row.chat_id, notice)


# ---------------------------------------------------------------- commands
async def _say(
    update: Update, context: Ctx, html: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    await send(context.bot, chat_of(update).id, html, markup)


async def on_requests(update: Update, context: Ctx) -> None:
    """/requests [status]: the newest requests, a page at a time."""
    args = context.args or []
    status = _parse_status(args[0] if args else None)
    await _say(update, context, *await _list_page(context, status, 1))


async def on_requests_page(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    _, raw_status, raw_offset = data.split(":")
    status = raw_status if raw_status != "-" else None
    html, markup = await _list_page(context, status, int(raw_offset) // PAGE_SIZE + 1)
    await query.answer()
    await query.edit_message_text(html, reply_markup=markup)


def _parse_status(arg: str | None) -> str | None:
    for status in RequestStatus if arg else ():
        if arg in (str(status), t(f"req.status.{status}", "zh"), t(f"req.status.{status}", "en")):
            return str(status)
    return None


async def _list_page(
    context: Ctx, status: str | None, number: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    svc = services(context)
    rows, total = await svc.requests.page(status, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    if total == 0:
        return text("officer.list_empty"), None
    page = page_of(total, number, PAGE_SIZE)
    label = cards.status_label(status) if status else t("officer.list_all", LANG)
    head = b(
        t("officer.list_title", LANG, status=label, total=total, page=page.number, pages=page.pages)
    )
    lines = [head, *(_list_item(r) for r in rows)]
    nav = nav_row(page, lambda n: f"rql:{status or '-'}:{(n - 1) * PAGE_SIZE}", LANG)
    return "\n".join(lines), InlineKeyboardMarkup([nav]) if nav else None


def _list_item(r: RequestView) -> str:
    owner = r.owner_name or t("officer.nobody", LANG)
    return text("officer.list_item", ref=r.ref, company=r.company, amount=fmt_amount(r.amount_yuan),
                status=cards.status_label(r.status), owner=owner)  # fmt: skip


async def on_request(update: Update, context: Ctx) -> None:
    """/request REF: the card and its history (the viewing is audited)."""
    args = context.args or []
    if not args:
        await _say(update, context, text("officer.usage_request"))
        return
    try:
        row, events = await services(context).requests.detail(args[0], access.actor(update))
    except FinbotError as err:
        await _say(update, context, text(err.key, LANG, **err.params))
        return
    lines = [cards.card_html(row), "", b(t("officer.history", LANG))]
    lines += [_event_line(e.kind, e.created_at, e.actor_name, e.detail) for e in events]
    await _say(update, context, "\n".join(lines))


def _event_line(kind: str, when: datetime, who: str | None, detail: dict[str, object]) -> str:
    status = str(detail.get("status") or "")
    return text(
        f"officer.event.{kind}", when=fmt_when(when), who=who or "-",
        status=cards.status_label(status) if status else "",
        text=detail.get("text", ""), owner=detail.get("owner", ""),
    )  # fmt: skip


async def on_note(update: Update, context: Ctx) -> None:
    """/note REF text."""
    args = context.args or []
    if len(args) < 2:
        await _say(update, context, text("officer.usage_note"))
        return
    try:
        row = await services(context).requests.note(
            args[0], access.actor(update), " ".join(args[1:])
        )
    except FinbotError as err:
        await _say(update, context, text(err.key, LANG, **err.params))
        return
    await _say(update, context, text("officer.noted", ref=row.ref))


async def on_assign(update: Update, context: Ctx) -> None:
    """/assign REF @officer (or their numeric id)."""
    args = context.args or []
    if len(args) != 2:
        await _say(update, context, text("officer.usage_assign"))
        return
    try:
        row = await services(context).requests.assign_to(args[0], args[1], access.actor(update))
    except FinbotError as err:
        await _say(update, context, text(err.key, LANG, **err.params))
        return
    await _say(update, context, text("officer.assigned", ref=row.ref, owner=row.owner_name))
    await cards.refresh_card(context.bot, row)


async def on_export(update: Update, context: Ctx) -> None:
    """/export [START END]: the requests of a period as CSV and XLSX (default: 30 days);
    /export questions …: the question log (see `_export_questions`)."""
    args = context.args or []
    if args[:1] == ["questions"]:
        await _export_questions(update, context, args[1:])
        return
    export = await services(context).exports.export(args, access.actor(update).id)
    if export is None:
        await _say(update, context, text("officer.usage_export"))
        return
    caption = text("officer.export_caption", start=export.start, end=export.end, count=export.count)
    await _send_export(update, context, export, caption)


async def _export_questions(update: Update, context: Ctx, args: list[str]) -> None:
    """/export questions [FROM [TO]] [unmasked]: masked unless an admin asks (audited)."""
    exports = services(context).exports
    span = exports.question_span(args)
    if span is None:
        await _say(update, context, text("export.usage_questions"))
        return
    start, end, unmasked = span
    try:
        export = await exports.questions(start, end, access.actor(update).id, unmasked=unmasked)
    except NotAllowedError as err:
        await _say(update, context, text(err.key, LANG, **err.params))
        return
    masking = t("export.unmasked" if unmasked else "export.masked", LANG)
    caption = text("export.questions_caption", start=start, end=end, count=export.count,
                   masking=masking)  # fmt: skip
    await _send_export(update, context, export, caption)


async def _send_export(update: Update, context: Ctx, export: Export, caption: str) -> None:
    for suffix, data in (("csv", export.csv), ("xlsx", export.xlsx)):
        await send_file(context.bot, chat_of(update).id, data, f"{export.stem}.{suffix}", caption)


async def on_stats(update: Update, context: Ctx) -> None:
    """/stats [DAYS | FROM TO]: the period's chart and summary (default: the last 7 days)."""
    period = services(context).stats.period(context.args or [])
    if period is None:
        await _say(update, context, text("stats.usage"))
        return
    await _send_stats(context, chat_of(update).id, period)


async def on_stats_days(update: Update, context: Ctx) -> None:
    """7 天 / 30 天 under a summary: the same report over that many days."""
    query, data = query_of(update)
    await query.answer()
    period = services(context).stats.period([data.split(":")[1]])
    if period is not None:
        await _send_stats(context, chat_of(update).id, period)


async def _send_stats(context: Ctx, chat_id: int, period: Period) -> None:
    """The chart first (a photo), then the figures in words with the period buttons."""
    figures = await services(context).stats.collect(period)
    png = await chart_png(figures)
    name = f"stats-{period.start:%Y%m%d}-{period.end:%Y%m%d}.png"
    caption = text("stats.caption", start=period.start, end=period.end)
    await send_photo(context.bot, chat_id, png, name, caption)
    summary = esc(summary_text(figures, LANG)) + "\n" + text("stats.custom_hint")
    buttons = [button(t("stats.btn.days", LANG, days=n), f"stats:{n}") for n in STATS_DAYS]
    await send(context.bot, chat_id, summary, InlineKeyboardMarkup([buttons]))


# ---------------------------------------------------------------- SLA reminders
async def send_reminders(context: Ctx) -> int:
    """Run the SLA sweep, posting each reminder in the officers' group; how many were sent."""

    async def deliver(reminder: Reminder) -> None:
        mention = ""
        if reminder.mention is not None:
            owner_id, owner_name = reminder.mention
            mention = f'<a href="tg://user?id={owner_id}">{esc(owner_name)}</a> '
        html = mention + text(reminder.key, LANG, **reminder.params)
        await send(context.bot, reminder.chat_id, html, reply_to=reminder.reply_to)
        log.info("SLA reminder %s for %s", reminder.key, mask_pii(str(reminder.params)))

    return await services(context).sla.sweep(deliver)


async def _reminder_job(context: Ctx) -> None:
    await send_reminders(context)


def register(app: AnyApp) -> None:
    access.guard(
        app, access.OFFICERS_GROUP,
        CallbackQueryHandler(on_claim, pattern=r"^rq:claim:\d+$"),
        CallbackQueryHandler(on_status, pattern=r"^rq:st:\d+:[a-z]+$"),
    )  # fmt: skip
    access.guard(
        app, access.OFFICERS,
        CallbackQueryHandler(on_requests_page, pattern=r"^rql:[a-z-]+:\d+$"),
        CommandHandler("requests", on_requests),
        CommandHandler("request", on_request),
        CommandHandler("note", on_note),
        CommandHandler("assign", on_assign),
        CommandHandler("export", on_export),
        CommandHandler("stats", on_stats),
        CallbackQueryHandler(on_stats_days, pattern=r"^stats:(7|30)$"),
    )  # fmt: skip


def schedule(app: AnyApp) -> None:
    """Repeat the SLA check; the first run right after start-up rebuilds what a restart missed."""
    svc = services_of(app)
    if app.job_queue is None or svc is None:
        log.warning("no job queue: SLA reminders are disabled")
        return
    app.job_queue.run_repeating(
        _reminder_job, interval=svc.settings.sla_check_seconds, first=1, name="sla-reminders"
    )
