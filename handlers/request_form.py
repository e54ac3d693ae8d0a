"""The 融资需求登记 form: one question at a time, validated, editable, resumable.

Answers live in `user_data["form"]` (JSON values only) and the step in the persistent
ConversationHandler, both stored in the database by `bot.persistence.DbPersistence`, so a
restart resumes at the same step with the answers kept. A wrong answer gets its specific
message and the same question again; nothing already typed is dropped.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.ext._utils.types import ConversationKey
from telegram.warnings import PTBUserWarning

from bot.persistence import DbPersistence
from bot.pii import mask_pii
from bot.requests import FINANCING_TYPES, RequestDraft
from bot.services import Services
from bot.sla import as_utc
from bot.texts import Lang, t
from bot.validation import (
    Invalid,
    parse_amount,
    parse_term_months,
    uscc_check_char,
    validate_name,
    validate_phone,
    validate_purpose,
    validate_uscc,
)
from handlers.context import services
from handlers.officers import fmt_amount, post_card
from handlers.render import b, esc

log = logging.getLogger("finbot.form")

Ctx = CallbackContext[Any, Any, Any, Any]
AnyApp = Application[Any, Any, Any, Any, Any, Any]

FIELDS = ("company", "uscc", "contact", "phone", "amount", "fin_type", "term", "purpose", "consent")
TEXT_FIELDS = ("company", "uscc", "contact", "phone", "amount", "term", "purpose")
EDITABLE = FIELDS[:-1]
SUMMARY, EDIT = "summary", "edit"
FORM_NAME = "financing_form"  # the persisted conversation's name
QUESTION_WINDOW = timedelta(minutes=30)  # a question this recent "led to" the request


# ---------------------------------------------------------------- state helpers
def _form(context: Ctx) -> dict[str, Any]:
    assert context.user_data is not None
    form: dict[str, Any] = context.user_data.setdefault("form", {"values": {}})
    return form


def _lang(context: Ctx) -> Lang:
    return "en" if _form(context).get("lang") == "en" else "zh"


def _next_field(form: dict[str, Any]) -> str | None:
    values = form["values"]
    return next((f for f in FIELDS if f not in values), None)


def _parse(field: str, text: str) -> Any:
    """The validated value of a typed answer (raises Invalid with the message key)."""
    if field == "company":
        return validate_name(text, max_chars=200, key="form.err.company")
    if field == "contact":
        return validate_name(text, max_chars=50, key="form.err.contact")
    if field == "uscc":
        return validate_uscc(text)
    if field == "phone":
        return validate_phone(text)
    if field == "amount":
        return parse_amount(text)
    if field == "term":
        return parse_term_months(text)
    return validate_purpose(text)


# ---------------------------------------------------------------- asking
async def _ask(update: Update, context: Ctx, field: str) -> str:
    lang = _lang(context)
    markup: InlineKeyboardMarkup | None = None
    if field == "fin_type":
        buttons = [
            InlineKeyboardButton(t(f"form.type.{code}", lang), callback_data=f"form:type:{code}")
            for code in FINANCING_TYPES
        ]
        markup = InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])
    elif field == "consent":
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t("form.consent.yes", lang), callback_data="form:consent:yes"
                    ),
                    InlineKeyboardButton(
                        t("form.consent.no", lang), callback_data="form:consent:no"
                    ),
                ]
            ]
        )
    await _send(update, context, esc(t(f"form.ask.{field}", lang)), markup)
    _form(context)["step"] = field
    return field


async def _send(
    update: Update, context: Ctx, html_text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    assert update.effective_chat is not None
    await context.bot.send_message(update.effective_chat.id, html_text, reply_markup=markup)


async def _advance(update: Update, context: Ctx) -> str:
    form = _form(context)
    if form.pop("editing", False):
        return await _summary(update, context)
    field = _next_field(form)
    if field is None:
        return await _summary(update, context)
    return await _ask(update, context, field)


def _value_text(field: str, value: Any, lang: Lang) -> str:
    if field == "amount":
        return fmt_amount(int(value), lang)
    if field == "fin_type":
        return t(f"form.type.{value}", lang)
    if field == "term":
        return t("form.term_value", lang, months=value)
    return str(value)


async def _summary(update: Update, context: Ctx) -> str:
    lang = _lang(context)
    values = _form(context)["values"]
    lines = [b(t("form.summary", lang))]
    lines += [
        f"{esc(t(f'form.field.{f}', lang))}：{esc(_value_text(f, values[f], lang))}"
        for f in EDITABLE
        if f in values
    ]
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t("form.btn.confirm", lang), callback_data="form:confirm"),
                InlineKeyboardButton(t("form.btn.edit", lang), callback_data="form:edit"),
                InlineKeyboardButton(t("form.btn.cancel", lang), callback_data="form:cancel"),
            ]
        ]
    )
    await _send(update, context, "\n".join(lines), markup)
    _form(context)["step"] = SUMMARY
    return SUMMARY


# ---------------------------------------------------------------- entry
async def start_form(
    update: Update,
    context: Ctx,
    prefill: dict[str, Any] | None = None,
    handoff_id: int | None = None,
) -> str:
    svc = services(context)
    user = update.effective_user
    assert user is not None and context.user_data is not None
    lang = await svc.users.touch(user.id, user.full_name, user.username, user.language_code)
    question_id = await _recent_question(svc, user.id)
    context.user_data["form"] = {
        "values": dict(prefill or {}),
        "lang": lang,
        "question_id": question_id,
        "handoff_id": handoff_id,
    }
    await _send(update, context, esc(t("form.intro", lang)))
    if prefill:
        await _send(update, context, esc(t("form.prefilled", lang)))
    return await _advance(update, context)


async def _recent_question(svc: Services, user_id: int) -> int | None:
    recent = await svc.questions.recent_for_user(user_id, 1)
    if recent and svc.clock.now() - as_utc(recent[-1].created_at) <= QUESTION_WINDOW:
        return recent[-1].id
    return None


async def on_financing(update: Update, context: Ctx) -> str:
    if update.callback_query is not None:
        await update.callback_query.answer()
    return await start_form(update, context)


async def on_prefilled(update: Update, context: Ctx) -> str | int:
    """The entrepreneur accepted an officer's suggestion (button `ho:form:<handoff id>`)."""
    svc = services(context)
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    handoff_id = int(query.data.split(":")[2])
    handoff = await svc.handoffs.get(handoff_id)
    await query.answer()
    if handoff is None or handoff.user_id != update.effective_user.id:
        return ConversationHandler.END
    lines = [
        line.text for line in await svc.handoffs.transcript(handoff_id) if line.direction == "user"
    ]
    return await start_form(update, context, prefill_from_text(lines), handoff_id=handoff_id)


def prefill_from_text(lines: list[str]) -> dict[str, Any]:
    """Answers already given in a handoff: a valid credit code, a phone, an amount, the text."""
    values: dict[str, Any] = {}
    joined = "\n".join(lines)
    for token in re.findall(r"[0-9A-Z]{18}", joined.upper()):
        if token[17] == _safe_check(token[:17]):
            values["uscc"] = token
            break
    phone = re.search(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-\d{7,8})(?!\d)", joined)
    if phone:
        values["phone"] = phone.group(1)
    amount = re.search(r"(\d+(?:\.\d+)?\s*[万亿]元?)", joined)
    if amount:
        with contextlib.suppress(Invalid):
            values["amount"] = parse_amount(amount.group(1))
    text = joined.strip()
    if text:
        values["purpose"] = text[:500]
    return values


def _safe_check(body: str) -> str | None:
    try:
        return uscc_check_char(body)
    except ValueError:
        return None


# ---------------------------------------------------------------- answers
def _text_step(field: str) -> Any:
    async def _on_text(update: Update, context: Ctx) -> str:
        assert update.effective_message is not None and update.effective_message.text is not None
        lang = _lang(context)
        try:
            value = _parse(field, update.effective_message.text)
        except Invalid as err:
            log.info(
                "form answer rejected (%s): %s",
                err.key,
                mask_pii(update.effective_message.text[:60]),
            )
            await _send(update, context, esc(t(err.key, lang, **err.params)))
            return await _ask(update, context, field)
        _form(context)["values"][field] = value
        return await _advance(update, context)

    _on_text.__name__ = f"on_{field}"
    return _on_text


async def on_type(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    code = query.data.split(":")[2]
    await query.answer()
    if code not in FINANCING_TYPES:
        return await _ask(update, context, "fin_type")
    _form(context)["values"]["fin_type"] = code
    await query.edit_message_text(
        esc(t("form.ask.fin_type", _lang(context)) + " " + t(f"form.type.{code}", _lang(context)))
    )
    return await _advance(update, context)


async def on_use_buttons(update: Update, context: Ctx) -> str:
    step = str(_form(context).get("step", "fin_type"))
    await _send(update, context, esc(t("form.err.use_buttons", _lang(context))))
    return await _ask(update, context, step)


async def on_consent(update: Update, context: Ctx) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    if query.data.endswith(":no"):
        await _send(update, context, esc(t("form.consent_refused", _lang(context))))
        return _finish(context)
    _form(context)["values"]["consent"] = True
    return await _advance(update, context)


async def on_confirm(update: Update, context: Ctx) -> str | int:
    svc = services(context)
    query = update.callback_query
    assert (
        query is not None
        and update.effective_user is not None
        and update.effective_chat is not None
    )
    await query.answer()
    await query.edit_message_reply_markup(None)
    form = _form(context)
    values = form["values"]
    missing = [f for f in FIELDS if f not in values]
    if missing:  # an old summary button after a restart with lost answers: ask again
        return await _ask(update, context, missing[0])
    draft = RequestDraft(
        company=values["company"],
        uscc=values["uscc"],
        contact_name=values["contact"],
        phone=values["phone"],
        amount_yuan=int(values["amount"]),
        fin_type=values["fin_type"],
        term_months=int(values["term"]),
        purpose=values["purpose"],
        question_id=form.get("question_id"),
        handoff_id=form.get("handoff_id"),
    )
    row = await svc.requests.create(
        user_id=update.effective_user.id,
        chat_id=update.effective_chat.id,
        lang=_lang(context),
        draft=draft,
    )
    if draft.handoff_id is not None:
        await svc.handoffs.link_request(draft.handoff_id, row.id)
    log.info("financing request %s created by user %s", row.ref, update.effective_user.id)
    await _send(update, context, esc(t("form.saved", _lang(context), ref=row.ref)))
    question = None
    if row.question_id is not None:
        asked = await svc.questions.get(row.question_id)
        question = asked.text if asked else None
    await post_card(context, row, question)
    return _finish(context)


async def on_edit(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_reply_markup(None)
    lang = _lang(context)
    buttons = [
        InlineKeyboardButton(t(f"form.field.{f}", lang), callback_data=f"form:editf:{f}")
        for f in EDITABLE
    ]
    await _send(
        update,
        context,
        esc(t("form.edit_pick", lang)),
        InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)]),
    )
    _form(context)["step"] = EDIT
    return EDIT


async def on_edit_field(update: Update, context: Ctx) -> str:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    field = query.data.split(":")[2]
    if field not in EDITABLE:
        return await _summary(update, context)
    _form(context)["editing"] = True
    return await _ask(update, context, field)


async def on_cancel(update: Update, context: Ctx) -> int:
    if update.callback_query is not None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)
    lang = _lang(context)
    await _send(update, context, esc(t("form.cancelled", lang)))
    return _finish(context)


async def on_again(update: Update, context: Ctx) -> str:
    """/financing (or the menu button) while already filling in: continue where they are."""
    if update.callback_query is not None:
        await update.callback_query.answer()
    step = str(_form(context).get("step") or _next_field(_form(context)) or SUMMARY)
    await _send(update, context, esc(t("form.continue", _lang(context))))
    if step == SUMMARY:
        return await _summary(update, context)
    if step == EDIT:
        return await _summary(update, context)
    return await _ask(update, context, step)


async def on_timeout(update: Update, context: Ctx) -> int:
    svc = services(context)
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            esc(
                t("form.timeout", _lang(context), minutes=f"{svc.settings.form_timeout_minutes:g}")
            ),
        )
    return _finish(context)


def _finish(context: Ctx) -> int:
    if context.user_data is not None:
        context.user_data.pop("form", None)
    return ConversationHandler.END


def build_conversation(timeout_minutes: float) -> FormConversation:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        field: [MessageHandler(text, _text_step(field))] for field in TEXT_FIELDS
    }
    states["fin_type"] = [
        CallbackQueryHandler(on_type, pattern=r"^form:type:\w+$"),
        MessageHandler(text, on_use_buttons),
    ]
    states["consent"] = [
        CallbackQueryHandler(on_consent, pattern=r"^form:consent:(yes|no)$"),
        MessageHandler(text, on_use_buttons),
    ]
    states[SUMMARY] = [
        CallbackQueryHandler(on_confirm, pattern=r"^form:confirm$"),
        CallbackQueryHandler(on_edit, pattern=r"^form:edit$"),
        CallbackQueryHandler(on_cancel, pattern=r"^form:cancel$"),
        MessageHandler(text, on_use_buttons),
    ]
    states[EDIT] = [
        CallbackQueryHandler(on_edit_field, pattern=r"^form:editf:\w+$"),
        MessageHandler(text, on_use_buttons),
    ]
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, on_timeout)]
    # per_message=False is intended: the buttons belong to the user's one form.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        return _conversation(states, timeout_minutes)


class FormConversation(ConversationHandler[Any]):
    """The form's ConversationHandler, plus a way to end one conversation from a job.

    PTB arms a conversation's timeout only when an update arrives, so a form restored from
    the database after a restart would never time out; `expire_restored_form` needs `end`.
    """

    def end(self, key: ConversationKey) -> bool:
        """End the conversation under `key`; False when it was not running."""
        if key not in self._conversations:
            return False
        self._update_state(self.END, key)
        return True


def _conversation(states: dict[object, list[Any]], timeout_minutes: float) -> FormConversation:
    private = filters.ChatType.PRIVATE
    return FormConversation(
        entry_points=[
            CommandHandler("financing", on_financing, filters=private),
            CallbackQueryHandler(on_financing, pattern=r"^menu:financing$"),
            CallbackQueryHandler(on_prefilled, pattern=r"^ho:form:\d+$"),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", on_cancel, filters=private),
            CommandHandler("financing", on_again, filters=private),
            CallbackQueryHandler(on_again, pattern=r"^menu:financing$"),
        ],
        name=FORM_NAME,
        persistent=True,
        conversation_timeout=timeout_minutes * 60,
        allow_reentry=False,
    )


def _form_conversation(app: AnyApp) -> FormConversation:
    return next(
        h for group in app.handlers.values() for h in group if isinstance(h, FormConversation)
    )


async def rearm_form_timeouts(app: AnyApp) -> int:
    """Give every form restored after a restart the rest of its timeout (0 if already over).

    Returns how many were re-armed. Without a database persistence nothing was restored.
    """
    persistence = app.persistence
    if not isinstance(persistence, DbPersistence) or app.job_queue is None:
        return 0
    setting = _form_conversation(app).conversation_timeout
    timeout = setting.total_seconds() if isinstance(setting, timedelta) else float(setting or 0)
    if timeout <= 0:
        return 0
    idle = await persistence.conversation_idle_times(FORM_NAME)
    for key, age in idle.items():
        left = max(0.0, timeout - age.total_seconds())
        app.job_queue.run_once(expire_restored_form, left, data=key, name=f"form-timeout:{key}")
    return len(idle)


async def expire_restored_form(context: Ctx) -> None:
    """Time out a restored form unless its user came back (PTB then armed its own timer)."""
    assert context.job is not None
    key: ConversationKey = context.job.data  # type: ignore[assignment]
    app = context.application
    conversation = _form_conversation(app)
    if key in conversation.timeout_jobs or not conversation.end(key):
        return
    chat_id, user_id = int(key[0]), int(key[-1])
    form = app.user_data[user_id].pop("form", None) or {}
    lang: Lang = "en" if form.get("lang") == "en" else "zh"
    app.mark_data_for_update_persistence(user_ids=user_id)
    await app.update_persistence()  # stored as ended before the user is told so
    minutes = f"{services(context).settings.form_timeout_minutes:g}"
    await context.bot.send_message(chat_id, esc(t("form.timeout", lang, minutes=minutes)))


async def on_myrequests(update: Update, context: Ctx) -> None:
    """Only the asker's own requests, ever: the query is by their user id."""
    svc = services(context)
    user = update.effective_user
    assert user is not None and update.effective_message is not None
    lang = await svc.users.touch(user.id, user.full_name, user.username, user.language_code)
    rows = await svc.requests.for_user(user.id)
    if not rows:
        await update.effective_message.reply_text(esc(t("req.mine_empty", lang)))
        return
    lines = [b(t("req.mine_title", lang))]
    lines += [
        esc(
            t(
                "req.mine_item",
                lang,
                ref=r.ref,
                company=r.company,
                amount=fmt_amount(r.amount_yuan, lang),
                status=t(f"req.status.{r.status}", lang),
            )
        )
        for r in rows
    ]
    await update.effective_message.reply_text("\n".join(lines))


def register(app: AnyApp) -> None:
    settings = app.bot_data.get("settings")
    minutes = float(getattr(settings, "form_timeout_minutes", 30))
    app.add_handler(build_conversation(minutes))
    app.add_handler(CommandHandler("myrequests", on_myrequests, filters=filters.ChatType.PRIVATE))
