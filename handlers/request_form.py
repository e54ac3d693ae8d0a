"""The 融资需求登记 form in Telegram: it shows what `bot.forms.FormService` decides.

The form's steps and answers are stored by the service before each reply, so a restart
(or a crash) resumes at the same step. A private text goes to the form while one is open,
ahead of the live-handoff relay and the Q&A catch-all; the form's buttons work only at
their own step (an old one gets "button unavailable"). A job cancels forms left
unfinished for FINBOT_FORM_TIMEOUT_MINUTES. States: request_form.mmd.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.forms import EDIT, EDITABLE, SUMMARY, FormReply, FormService
from bot.pii import mask_pii
from bot.requests import FINANCING_TYPES
from bot.texts import Lang, t
from handlers import cards
from handlers.access import user_test
from handlers.context import AnyApp, Ctx, chat_of, lang_for, message_of, query_of, services, user_of
from handlers.keyboards import rows_of
from handlers.render import b, drop_keyboard, edit, esc, fmt_amount, send, stale_button, text

log = logging.getLogger("finbot.form")

SWEEP_SECONDS = 1.0  # how often forms are checked for the timeout (an in-memory check)
PRIVATE = filters.ChatType.PRIVATE


# ---------------------------------------------------------------- showing a step
async def show(update: Update, context: Ctx, reply: FormReply) -> None:
    """The notes, then the next question (or the summary), then the card of a new request."""
    chat_id = chat_of(update).id
    for note in reply.notes:
        await send(context.bot, chat_id, text(note.key, reply.lang, **note.params))
    if reply.step is not None:
        await send(context.bot, chat_id, *_prompt(reply))
    if reply.submitted is not None:
        svc = services(context)
        message_id = await cards.post_card(context.bot, svc.roles.officers_chat_id, reply.submitted)
        if message_id is not None and svc.roles.officers_chat_id is not None:
            await svc.requests.set_card(reply.submitted.id, svc.roles.officers_chat_id, message_id)


def _prompt(reply: FormReply) -> tuple[str, InlineKeyboardMarkup | None]:
    lang, step = reply.lang, reply.step or SUMMARY
    if step == SUMMARY:
        return _summary(reply.values, lang), _buttons(
            lang, ("form.btn.confirm", "form:confirm"), ("form.btn.edit", "form:edit"),
            ("form.btn.cancel", "form:cancel"),
        )  # fmt: skip
    if step == EDIT:
        picks = [(f"form.field.{f}", f"form:editf:{f}") for f in EDITABLE]
        return text("form.edit_pick", lang), _buttons(lang, *picks, per_row=2)
    if step == "fin_type":
        types = [(f"form.type.{c}", f"form:type:{c}") for c in FINANCING_TYPES]
        return text("form.ask.fin_type", lang), _buttons(lang, *types, per_row=2)
    if step == "consent":
        choice = (("form.consent.yes", "form:consent:yes"), ("form.consent.no", "form:consent:no"))
        return text("form.ask.consent", lang), _buttons(lang, *choice)
    return text(f"form.ask.{step}", lang), None


def _buttons(lang: Lang, *items: tuple[str, str], per_row: int = 3) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(t(key, lang), callback_data=data) for key, data in items]
    return InlineKeyboardMarkup(rows_of(buttons, per_row))


def _summary(values: dict[str, object], lang: Lang) -> str:
    lines = [b(t("form.summary", lang))]
    lines += [
        f"{text(f'form.field.{f}', lang)}：{esc(value_text(f, values[f], lang))}"
        for f in EDITABLE
        if f in values
    ]
    return "\n".join(lines)


def value_text(field: str, value: object, lang: Lang) -> str:
    if field == "amount":
        return fmt_amount(int(str(value)), lang)
    if field == "fin_type":
        return t(f"form.type.{value}", lang)
    if field == "term":
        return t("form.term_value", lang, months=value)
    return str(value)


# ---------------------------------------------------------------- entry
async def on_financing(update: Update, context: Ctx) -> None:
    """/financing or the menu button: a new form, or the one under way continued."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    lang = await lang_for(update, context)
    reply = await services(context).forms.open(user_of(update).id, chat_of(update).id, lang)
    await show(update, context, reply)


async def on_prefilled(update: Update, context: Ctx) -> None:
    """The entrepreneur accepted an officer's suggestion (button `ho:form:<handoff id>`)."""
    query, data = query_of(update)
    lang = await lang_for(update, context)
    reply = await services(context).forms.open_from_handoff(
        user_of(update).id, chat_of(update).id, lang, int(data.split(":")[2])
    )
    await query.answer(None if reply is not None else t("button.unavailable", lang))
    if reply is not None:
        await show(update, context, reply)


# ---------------------------------------------------------------- answers
async def on_answer(update: Update, context: Ctx) -> None:
    """A typed answer; a wrong one gets its reason and the same question again."""
    message = message_of(update)
    reply = await services(context).forms.answer(
        user_of(update).id, message.text or "", message.message_id
    )
    if reply.rejected is not None:
        log.info(
            "form answer rejected (%s): %s", reply.rejected, mask_pii((message.text or "")[:60])
        )
    await show(update, context, reply)


async def on_button(update: Update, context: Ctx) -> None:
    """The form's buttons: type, consent, confirm, edit, the field to edit, cancel."""
    query, data = query_of(update)
    reply = await _pressed(services(context).forms, user_of(update).id, data.split(":"))
    if reply is None:
        await stale_button(update, context)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await _settle(query.message, data, reply)
    await show(update, context, reply)


async def _pressed(forms: FormService, user_id: int, parts: list[str]) -> FormReply | None:
    action, arg = parts[1], (parts[2] if len(parts) > 2 else "")
    if action == "type":
        return await forms.choose_type(user_id, arg)
    if action == "consent":
        return await forms.consent(user_id, arg == "yes")
    if action == "editf":
        return await forms.edit_field(user_id, arg)
    calls = {"confirm": forms.confirm, "edit": forms.edit, "cancel": forms.cancel}
    return await calls[action](user_id) if action in calls else None


async def _settle(message: Message, data: str, reply: FormReply) -> None:
    """The tapped message afterwards: the chosen type written in, or its buttons gone."""
    code = data.split(":")[2] if data.startswith("form:type:") else None
    if code is None:
        if not data.startswith("form:editf:"):
            await drop_keyboard(message)
    elif code in FINANCING_TYPES:
        await edit(
            message,
            esc(t("form.ask.fin_type", reply.lang) + " " + t(f"form.type.{code}", reply.lang)),
        )


async def on_cancel(update: Update, context: Ctx) -> None:
    reply = await services(context).forms.cancel(user_of(update).id)
    if reply is not None:
        await show(update, context, reply)


async def expire_forms(context: Ctx) -> None:
    """The timeout job: forms left alone too long are cancelled and their users told."""
    svc = services(context)
    minutes = f"{svc.forms.timeout_minutes:g}"
    for gone in await svc.forms.expire_due():
        await send(context.bot, gone.chat_id, text("form.timeout", gone.lang, minutes=minutes))


# ---------------------------------------------------------------- /myrequests
async def on_myrequests(update: Update, context: Ctx) -> None:
    """Only the asker's own requests, ever: the query is by their user id."""
    lang = await lang_for(update, context)
    rows = await services(context).requests.for_user(user_of(update).id)
    if not rows:
        await send(context.bot, chat_of(update).id, text("req.mine_empty", lang))
        return
    lines = [b(t("req.mine_title", lang))]
    lines += [
        text("req.mine_item", lang, ref=r.ref, company=r.company,
             amount=fmt_amount(r.amount_yuan, lang), status=t(f"req.status.{r.status}", lang))
        for r in rows
    ]  # fmt: skip
    await send(context.bot, chat_of(update).id, "\n".join(lines))


def register(app: AnyApp) -> None:
    in_form = user_test(app, lambda svc, user_id: svc.forms.is_open(user_id), "InForm")
    app.add_handler(CommandHandler("financing", on_financing, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_financing, pattern=r"^menu:financing$"))
    app.add_handler(CallbackQueryHandler(on_prefilled, pattern=r"^ho:form:\d+$"))
    app.add_handler(CommandHandler("cancel", on_cancel, filters=PRIVATE & in_form))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^form:"))
    app.add_handler(MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND & in_form, on_answer))
    app.add_handler(CommandHandler("myrequests", on_myrequests, filters=PRIVATE))


def schedule(app: AnyApp) -> None:
    """The timeout check; forms restored after a restart are in it from the first run."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(expire_forms, interval=SWEEP_SECONDS, first=SWEEP_SECONDS,
                                    name="form-timeouts")  # fmt: skip
