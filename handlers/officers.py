"""The officers' side of financing requests: the group card, claim/status buttons, commands.

Access rule (checked on every action): the user must be an officer (env or granted role)
AND act either in FINBOT_OFFICERS_CHAT_ID or in their own private chat with the bot. Card
buttons only work in the officers' group, where the cards are. Everything else is refused
politely, and every privileged action is written to the audit log.
"""

from __future__ import annotations

import asyncio
import logging
import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    MaybeInaccessibleMessage,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, CommandHandler

from bot.clock import BUREAU_TZ, local_today
from bot.db.models import FinancingRequest
from bot.export import request_rows, to_csv, to_xlsx
from bot.pii import mask_pii
from bot.requests import FINANCING_TYPES, OFFICER_STATUSES, RequestStatus
from bot.services import Services
from bot.sla import SlaPolicy, as_utc
from bot.texts import Lang, t
from handlers.context import services
from handlers.render import b, esc, split_message

log = logging.getLogger("finbot.officers")

Ctx = CallbackContext[Any, Any, Any, Any]
AnyApp = Application[Any, Any, Any, Any, Any, Any]
OFFICER_LANG: Lang = "zh"  # the bureau works in Chinese
PAGE_SIZE = 10


# ---------------------------------------------------------------- access
def officer_allowed(svc: Services, update: Update, *, group_only: bool = False) -> bool:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not svc.roles.is_officer(user.id):
        return False
    if chat.id == svc.roles.officers_chat_id and svc.roles.officers_chat_id is not None:
        return True
    return not group_only and chat.type == ChatType.PRIVATE


async def refuse(update: Update) -> None:
    """A polite no, as an alert for a button and as a reply for a command."""
    lang: Lang = (
        "en"
        if (update.effective_user and (update.effective_user.language_code or "").startswith("en"))
        else "zh"
    )
    if update.callback_query is not None:
        await update.callback_query.answer(t("officer.refused", lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(esc(t("officer.refused", lang)))


def actor_name(update: Update) -> str:
    user = update.effective_user
    if user is None:
        return "?"
    return user.full_name or (f"@{user.username}" if user.username else str(user.id))


# ---------------------------------------------------------------- formatting
def fmt_amount(yuan: int, lang: Lang = "zh") -> str:
    if lang == "en":
        return f"CNY {yuan:,}"
    if yuan >= 10**8 and yuan % 10**6 == 0:
        return f"{yuan / 10**8:g}亿元"
    if yuan >= 10**4 and yuan % 100 == 0:
        return f"{yuan / 10**4:g}万元"
    return f"{yuan:,}元"


def fmt_when(when: datetime | None) -> str:
    if when is None:
        return "-"
    return as_utc(when).astimezone(BUREAU_TZ).strftime("%Y-%m-%d %H:%M")


def fmt_duration(seconds: float | None, lang: Lang = OFFICER_LANG) -> str:
    if seconds is None:
        return t("officer.none", lang)
    hours = seconds / 3600
    if hours < 48:
        return f"{hours:.1f} 小时" if lang == "zh" else f"{hours:.1f} h"
    return f"{hours / 24:.1f} 天" if lang == "zh" else f"{hours / 24:.1f} days"


def status_label(status: str, lang: Lang = OFFICER_LANG) -> str:
    return t(f"req.status.{status}", lang)


def type_label(code: str, lang: Lang = OFFICER_LANG) -> str:
    return t(f"form.type.{code}", lang)


def card_html(row: FinancingRequest, question: str | None = None) -> str:
    """The officers' card: the only place (besides /request) contact details are shown."""
    lang = OFFICER_LANG
    lines = [
        b(t("officer.card_title", lang, ref=row.ref)),
        f"{esc(t('form.field.company', lang))}：{esc(row.company)}",
        f"{esc(t('form.field.uscc', lang))}：{esc(row.uscc)}",
        f"{esc(t('form.field.amount', lang))}：{esc(fmt_amount(row.amount_yuan))}（{row.amount_yuan:,} 元）",
        f"{esc(t('form.field.fin_type', lang))}：{esc(type_label(row.fin_type))}",
        f"{esc(t('form.field.term', lang))}：{esc(t('form.term_value', lang, months=row.term_months))}",
        f"{esc(t('form.field.purpose', lang))}：{esc(row.purpose)}",
        f"{esc(t('form.field.contact', lang))}：{esc(row.contact_name)} {esc(row.phone)}",
    ]
    if question:
        lines.append(esc(t("officer.card_question", lang, question=question)))
    if row.handoff_id:
        lines.append(esc(t("officer.card_handoff", lang, id=row.handoff_id)))
    lines.append(
        b(
            t(
                "officer.card_owner",
                lang,
                status=status_label(row.status),
                owner=row.owner_name or t("officer.nobody", lang),
            )
        )
    )
    return "\n".join(lines)


def card_keyboard(row: FinancingRequest) -> InlineKeyboardMarkup:
    if row.owner_id is None:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t("officer.btn.claim", OFFICER_LANG), callback_data=f"rq:claim:{row.id}"
                    )
                ]
            ]
        )
    buttons = [
        InlineKeyboardButton(status_label(s), callback_data=f"rq:st:{row.id}:{s}")
        for s in OFFICER_STATUSES
        if s != row.status
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


async def post_card(context: Ctx, row: FinancingRequest, question: str | None) -> None:
    svc = services(context)
    chat_id = svc.roles.officers_chat_id
    if chat_id is None:
        log.warning("FINBOT_OFFICERS_CHAT_ID is not set: request %s has no card", row.ref)
        return
    message = await context.bot.send_message(
        chat_id, card_html(row, question), reply_markup=card_keyboard(row)
    )
    await svc.requests.set_card(row.id, chat_id, message.message_id)


async def refresh_card(
    context: Ctx, row: FinancingRequest, tapped: MaybeInaccessibleMessage | None = None
) -> None:
    """Edit the card in place so the group always shows the current owner and status.

    `tapped` is the card whose button was pressed: a tap can arrive in the milliseconds
    between posting the card and storing its message id, and the card must still change.
    """
    chat_id, message_id = row.card_chat_id, row.card_message_id
    if (chat_id is None or message_id is None) and tapped is not None:
        chat_id, message_id = tapped.chat.id, tapped.message_id
    if chat_id is None or message_id is None:
        return
    question = await _question_text(services(context), row.question_id)
    try:
        await context.bot.edit_message_text(
            card_html(row, question),
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=card_keyboard(row),
        )
    except BadRequest as exc:  # "message is not modified" after a double tap
        log.info("card of %s not edited: %s", row.ref, exc)


async def _question_text(svc: Services, question_id: int | None) -> str | None:
    if question_id is None:
        return None
    row = await svc.questions.get(question_id)
    return row.text if row else None


async def notify_owner_change(context: Ctx, row: FinancingRequest) -> None:
    """The entrepreneur hears about every status change, in their language."""
    lang: Lang = "en" if row.lang == "en" else "zh"
    text = t(
        "req.notify_status",
        lang,
        ref=row.ref,
        status=status_label(row.status, lang),
        owner=row.owner_name or "-",
    )
    try:
        await context.bot.send_message(row.chat_id, esc(text))
    except TelegramError:
        log.warning("could not notify the owner of %s", row.ref, exc_info=True)


# ---------------------------------------------------------------- card buttons
async def on_claim(update: Update, context: Ctx) -> None:
    svc = services(context)
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    request_id = int(query.data.split(":")[2])
    name = actor_name(update)
    result = await svc.requests.claim(request_id, update.effective_user.id, name)
    row = result.request
    if not result.won:
        await query.answer(
            t("officer.claim_lost", OFFICER_LANG, ref=row.ref, owner=row.owner_name),
            show_alert=True,
        )
        return
    await svc.audit.record(update.effective_user.id, "request.claim", row.ref)
    await query.answer(t("officer.claimed", OFFICER_LANG, ref=row.ref))
    await refresh_card(context, row, query.message)
    await notify_owner_change(context, row)


async def on_status(update: Update, context: Ctx) -> None:
    svc = services(context)
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    if not officer_allowed(svc, update, group_only=True):
        await refuse(update)
        return
    _, _, raw_id, raw_status = query.data.split(":")
    status = RequestStatus(raw_status)
    row = await svc.requests.get(int(raw_id))
    user_id = update.effective_user.id
    if row is None:
        await query.answer()
        return
    if row.owner_id != user_id and not svc.roles.is_admin(user_id):
        await query.answer(
            t("officer.not_owner", OFFICER_LANG, ref=row.ref, owner=row.owner_name), show_alert=True
        )
        return
    row = await svc.requests.set_status(row.id, status, user_id, actor_name(update))
    await svc.audit.record(user_id, "request.status", row.ref, status=str(status))
    await query.answer(
        t("officer.status_set", OFFICER_LANG, ref=row.ref, status=status_label(row.status))
    )
    await refresh_card(context, row, query.message)
    await notify_owner_change(context, row)


# ---------------------------------------------------------------- commands
async def _guarded(update: Update, context: Ctx) -> Services | None:
    svc = services(context)
    if not officer_allowed(svc, update):
        await refuse(update)
        return None
    return svc


async def _reply(
    update: Update, html_text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    assert update.effective_message is not None
    parts = split_message(html_text)
    for n, part in enumerate(parts):
        await update.effective_message.reply_text(
            part, reply_markup=markup if n == len(parts) - 1 else None
        )


def _parse_status(arg: str | None) -> str | None:
    if not arg:
        return None
    for status in RequestStatus:
        if arg in (str(status), t(f"req.status.{status}", "zh"), t(f"req.status.{status}", "en")):
            return str(status)
    return None


async def on_requests(update: Update, context: Ctx) -> None:
    svc = await _guarded(update, context)
    if svc is None:
        return
    status = _parse_status(context.args[0] if context.args else None)
    html_text, markup = await _list_page(svc, status, 0)
    await _reply(update, html_text, markup)


async def on_requests_page(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    if not officer_allowed(svc, update):
        await refuse(update)
        return
    _, raw_status, raw_offset = query.data.split(":")
    html_text, markup = await _list_page(
        svc, raw_status if raw_status != "-" else None, int(raw_offset)
    )
    await query.answer()
    await query.edit_message_text(html_text, reply_markup=markup)


async def _list_page(
    svc: Services, status: str | None, offset: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    rows, total = await svc.requests.page(status, offset=offset, limit=PAGE_SIZE)
    lang = OFFICER_LANG
    if total == 0:
        return esc(t("officer.list_empty", lang)), None
    pages = max(1, math.ceil(total / PAGE_SIZE))
    label = status_label(status) if status else t("officer.list_all", lang)
    lines = [
        b(
            t(
                "officer.list_title",
                lang,
                status=label,
                total=total,
                page=offset // PAGE_SIZE + 1,
                pages=pages,
            )
        )
    ]
    lines += [
        esc(
            t(
                "officer.list_item",
                lang,
                ref=r.ref,
                company=r.company,
                amount=fmt_amount(r.amount_yuan),
                status=status_label(r.status),
                owner=r.owner_name or t("officer.nobody", lang),
            )
        )
        for r in rows
    ]
    key = status or "-"
    nav = []
    if offset > 0:
        nav.append(
            InlineKeyboardButton(
                t("officer.btn.prev", lang), callback_data=f"rql:{key}:{max(0, offset - PAGE_SIZE)}"
            )
        )
    if offset + PAGE_SIZE < total:
        nav.append(
            InlineKeyboardButton(
                t("officer.btn.next", lang), callback_data=f"rql:{key}:{offset + PAGE_SIZE}"
            )
        )
    return "\n".join(lines), InlineKeyboardMarkup([nav]) if nav else None


async def on_request(update: Update, context: Ctx) -> None:
    svc = await _guarded(update, context)
    if svc is None:
        return
    assert update.effective_user is not None
    if not context.args:
        await _reply(update, esc(t("officer.usage_request", OFFICER_LANG)))
        return
    ref = context.args[0].upper()
    row = await svc.requests.visible_to(ref, update.effective_user.id, is_officer=True)
    if row is None:
        await _reply(update, esc(t("officer.not_found", OFFICER_LANG, ref=ref)))
        return
    await svc.audit.record(update.effective_user.id, "request.view", row.ref)
    lines = [
        card_html(row, await _question_text(svc, row.question_id)),
        "",
        b(t("officer.history", OFFICER_LANG)),
    ]
    for event in await svc.requests.events(row.id):
        detail = event.detail or {}
        lines.append(
            esc(
                t(
                    f"officer.event.{event.kind}",
                    OFFICER_LANG,
                    when=fmt_when(event.created_at),
                    who=event.actor_name or "-",
                    status=status_label(str(detail.get("status", "")))
                    if detail.get("status")
                    else "",
                    text=detail.get("text", ""),
                    owner=detail.get("owner", ""),
                )
            )
        )
    await _reply(update, "\n".join(lines))


async def on_note(update: Update, context: Ctx) -> None:
    svc = await _guarded(update, context)
    if svc is None:
        return
    assert update.effective_user is not None
    if not context.args or len(context.args) < 2:
        await _reply(update, esc(t("officer.usage_note", OFFICER_LANG)))
        return
    ref = context.args[0].upper()
    row = await svc.requests.by_ref(ref)
    if row is None:
        await _reply(update, esc(t("officer.not_found", OFFICER_LANG, ref=ref)))
        return
    text = " ".join(context.args[1:])
    await svc.requests.add_note(row.id, update.effective_user.id, actor_name(update), text)
    await svc.audit.record(update.effective_user.id, "request.note", row.ref)
    await _reply(update, esc(t("officer.noted", OFFICER_LANG, ref=row.ref)))


async def on_assign(update: Update, context: Ctx) -> None:
    from handlers.roles import resolve_user

    svc = await _guarded(update, context)
    if svc is None:
        return
    assert update.effective_user is not None
    if not context.args or len(context.args) != 2:
        await _reply(update, esc(t("officer.usage_assign", OFFICER_LANG)))
        return
    ref, who = context.args[0].upper(), context.args[1]
    row = await svc.requests.by_ref(ref)
    if row is None:
        await _reply(update, esc(t("officer.not_found", OFFICER_LANG, ref=ref)))
        return
    target = await resolve_user(svc, who)
    if target is None or not svc.roles.is_officer(target[0]):
        await _reply(update, esc(t("officer.not_officer", OFFICER_LANG, who=who)))
        return
    row = await svc.requests.assign(
        row.id, target[0], target[1], update.effective_user.id, actor_name(update)
    )
    await svc.audit.record(update.effective_user.id, "request.assign", row.ref, owner_id=target[0])
    await _reply(update, esc(t("officer.assigned", OFFICER_LANG, ref=row.ref, owner=target[1])))
    await refresh_card(context, row)


def _export_range(args: list[str], today: date) -> tuple[date, date] | None:
    """Inclusive local dates; default: the last 30 days."""
    if not args:
        return today - timedelta(days=29), today
    if len(args) != 2:
        return None
    try:
        start, end = date.fromisoformat(args[0]), date.fromisoformat(args[1])
    except ValueError:
        return None
    return (start, end) if start <= end else None


async def on_export(update: Update, context: Ctx) -> None:
    svc = await _guarded(update, context)
    if svc is None:
        return
    assert update.effective_user is not None and update.effective_message is not None
    span = _export_range(list(context.args or []), local_today(svc.clock))
    if span is None:
        await _reply(update, esc(t("officer.usage_export", OFFICER_LANG)))
        return
    start = datetime.combine(span[0], time.min, BUREAU_TZ).astimezone(UTC)
    end = datetime.combine(span[1] + timedelta(days=1), time.min, BUREAU_TZ).astimezone(UTC)
    rows = await svc.requests.between(start, end)
    table = request_rows(
        rows,
        {c: type_label(c) for c in FINANCING_TYPES},
        {str(s): status_label(str(s)) for s in RequestStatus},
    )
    await svc.audit.record(
        update.effective_user.id,
        "request.export",
        None,
        start=span[0].isoformat(),
        end=span[1].isoformat(),
        count=len(rows),
    )
    caption = esc(
        t("officer.export_caption", OFFICER_LANG, start=span[0], end=span[1], count=len(rows))
    )
    stem = f"financing-{span[0]:%Y%m%d}-{span[1]:%Y%m%d}"
    await update.effective_message.reply_document(
        InputFile(to_csv(table), filename=f"{stem}.csv"), caption=caption
    )
    await update.effective_message.reply_document(
        InputFile(to_xlsx(table), filename=f"{stem}.xlsx"), caption=caption
    )


async def on_stats(update: Update, context: Ctx) -> None:
    svc = await _guarded(update, context)
    if svc is None:
        return
    stats = await svc.requests.stats()
    today = local_today(svc.clock)
    week_start = datetime.combine(today - timedelta(days=today.weekday()), time.min, BUREAU_TZ)
    bands = await svc.questions.count_by_band(
        week_start.astimezone(UTC), svc.clock.now() + timedelta(seconds=1)
    )
    none = t("officer.none", OFFICER_LANG)
    text = t(
        "officer.stats",
        OFFICER_LANG,
        total=stats.total,
        by_status="，".join(f"{status_label(k)} {v}" for k, v in sorted(stats.by_status.items()))
        or none,
        by_type="，".join(f"{type_label(k)} {v}" for k, v in sorted(stats.by_type.items())) or none,
        claim=fmt_duration(stats.median_claim_seconds),
        close=fmt_duration(stats.median_close_seconds),
        answered=bands.get("answer", 0),
        unanswered=bands.get("none", 0) + bands.get("suggest", 0),
    )
    await _reply(update, esc(text))


# ---------------------------------------------------------------- SLA reminders
async def send_reminders(context: Ctx) -> int:
    """Re-announce overdue unclaimed cases and nudge silent owners; returns how many were sent.

    Everything is derived from the database (created/claimed/changed/reminded times), so
    a restart loses nothing: the first run after start-up catches up. Runs are serialised
    so an overlapping run sees the previous run's `reminded_at` and does not repeat it.
    """
    lock = context.application.bot_data.setdefault("sla_lock", asyncio.Lock())
    async with lock:
        return await _send_reminders(context)


async def _send_reminders(context: Ctx) -> int:
    from handlers.handoff import remind_handoffs

    svc = services(context)
    chat_id = svc.roles.officers_chat_id
    if chat_id is None:
        return 0
    policy = SlaPolicy.from_settings(svc.settings)
    now = svc.clock.now()
    sent = 0
    for row in await svc.requests.open_requests():
        if row.owner_id is None and policy.unclaimed_due(row.created_at, row.reminded_at, now):
            text = t(
                "officer.remind_unclaimed",
                OFFICER_LANG,
                ref=row.ref,
                hours=f"{svc.settings.sla_unclaimed_hours:g}",
            )
        elif row.owner_id is not None and policy.stale_due(
            row.status_changed_at or row.created_at, row.reminded_at, now
        ):
            text = t(
                "officer.remind_stale",
                OFFICER_LANG,
                ref=row.ref,
                days=f"{svc.settings.sla_stale_days:g}",
            )
        else:
            continue
        mention = (
            f'<a href="tg://user?id={row.owner_id}">{esc(row.owner_name)}</a> '
            if row.owner_id
            else ""
        )
        await context.bot.send_message(
            chat_id,
            mention + esc(text),
            reply_to_message_id=row.card_message_id if row.card_chat_id == chat_id else None,
        )
        await svc.requests.mark_reminded(row.id)
        log.info("SLA reminder for %s", mask_pii(row.ref))
        sent += 1
    return sent + await remind_handoffs(context, policy, now)


async def _reminder_job(context: Ctx) -> None:
    await send_reminders(context)


def schedule_sla(app: AnyApp) -> None:
    """Repeat the SLA check; the first run right after start-up rebuilds what a restart missed."""
    svc = app.bot_data.get("services")
    if app.job_queue is None or not isinstance(svc, Services):
        log.warning("no job queue: SLA reminders are disabled")
        return
    for job in app.job_queue.get_jobs_by_name("sla-reminders"):
        job.schedule_removal()
    app.job_queue.run_repeating(
        _reminder_job, interval=svc.settings.sla_check_seconds, first=1, name="sla-reminders"
    )


def register(app: AnyApp) -> None:
    app.add_handler(CallbackQueryHandler(on_claim, pattern=r"^rq:claim:\d+$"))
    app.add_handler(CallbackQueryHandler(on_status, pattern=r"^rq:st:\d+:[a-z]+$"))
    app.add_handler(CallbackQueryHandler(on_requests_page, pattern=r"^rql:[a-z-]+:\d+$"))
    app.add_handler(CommandHandler("requests", on_requests))
    app.add_handler(CommandHandler("request", on_request))
    app.add_handler(CommandHandler("note", on_note))
    app.add_handler(CommandHandler("assign", on_assign))
    app.add_handler(CommandHandler("export", on_export))
    app.add_handler(CommandHandler("stats", on_stats))
