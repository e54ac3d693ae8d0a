"""The 融资需求登记 form as a state machine: one question at a time, validated, editable.

Every step is written to the database (`FlowStore`) before the bot replies to it, so a
crash or a restart resumes at the same step with the answers kept, and an unfinished form
is cancelled after FINBOT_FORM_TIMEOUT_MINUTES of silence, also across restarts. A wrong
answer gets its specific message and the same question again; nothing typed is dropped.
The confirmation stores the request and ends the form in one transaction.

Nothing here knows Telegram: each call returns a `FormReply` (what to say, what to ask
next) that the handler renders.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot import validation
from bot.clock import Clock
from bot.flows import Flow, FlowStore
from bot.handoff import HandoffService
from bot.questions import QuestionLogService
from bot.requests import FINANCING_TYPES, RequestDraft, RequestService, RequestView
from bot.texts import Lang
from bot.validation import Invalid

FORM = "financing_form"  # the flow's kind
FIELDS = ("company", "uscc", "contact", "phone", "amount", "fin_type", "term", "purpose", "consent")
TEXT_FIELDS = ("company", "uscc", "contact", "phone", "amount", "term", "purpose")
EDITABLE = FIELDS[:-1]
SUMMARY, EDIT = "summary", "edit"
QUESTION_WINDOW = timedelta(minutes=30)  # a question this recent "led to" the request

_PARSERS: dict[str, Callable[[str], Any]] = {
    "company": lambda text: validation.validate_name(text, max_chars=200, key="form.err.company"),
    "contact": lambda text: validation.validate_name(text, max_chars=50, key="form.err.contact"),
    "uscc": validation.validate_uscc,
    "phone": validation.validate_phone,
    "amount": validation.parse_amount,
    "term": validation.parse_term_months,
    "purpose": validation.validate_purpose,
}


@dataclass(frozen=True)
class Note:
    """A message (text key and its parameters) said before the next question."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FormReply:
    """What the bot says after a step: the notes, then `step` (a field, SUMMARY or EDIT)
    unless the form is over. `values` are the answers so far (for the summary)."""

    lang: Lang
    notes: tuple[Note, ...] = ()
    step: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    submitted: RequestView | None = None  # the stored request (its card goes to officers)
    rejected: str | None = None  # the error key of a wrong answer (for the log)


@dataclass(frozen=True)
class Expired:
    """A form cancelled for silence: whom to tell."""

    user_id: int
    chat_id: int
    lang: Lang


class FormService:
    def __init__(
        self,
        flows: FlowStore,
        requests: RequestService,
        questions: QuestionLogService,
        handoffs: HandoffService,
        clock: Clock,
        *,
        timeout_minutes: float,
    ) -> None:
        self._flows = flows
        self._requests = requests
        self._questions = questions
        self._handoffs = handoffs
        self._clock = clock
        self.timeout_minutes = timeout_minutes

    def is_open(self, user_id: int | None) -> bool:
        return self._flows.is_open(FORM, user_id)

    # ------------------------------------------------------------------ starting
    async def open(self, user_id: int, chat_id: int, lang: Lang) -> FormReply:
        """/financing: a new form, or the one under way continued where it is."""
        flow = self._flows.get(FORM, user_id)
        if flow is not None:
            flow = await self._flows.touch(flow)
            step = SUMMARY if flow.step in (SUMMARY, EDIT) else flow.step
            return _reply(flow, (Note("form.continue"),), step)
        return await self._start(user_id, chat_id, lang, {}, None)

    async def open_from_handoff(
        self, user_id: int, chat_id: int, lang: Lang, handoff_id: int
    ) -> FormReply | None:
        """The entrepreneur took an officer's 填写融资需求: the form pre-filled from the case.

        None when it is not their case or a form is already under way.
        """
        handoff = await self._handoffs.get(handoff_id)
        if handoff is None or handoff.user_id != user_id or self.is_open(user_id):
            return None
        lines = [
            x.text for x in await self._handoffs.transcript(handoff_id) if x.direction == "user"
        ]
        return await self._start(user_id, chat_id, lang, prefill_from_text(lines), handoff_id)

    async def _start(
        self,
        user_id: int,
        chat_id: int,
        lang: Lang,
        prefill: dict[str, Any],
        handoff_id: int | None,
    ) -> FormReply:
        data = {
            "values": prefill,
            "lang": lang,
            "question_id": await self._recent_question(user_id),
            "handoff_id": handoff_id,
        }
        notes = (Note("form.intro"), Note("form.prefilled")) if prefill else (Note("form.intro"),)
        return await self._go(user_id, chat_id, data, _next_step(data), notes)

    async def _recent_question(self, user_id: int) -> int | None:
        recent = await self._questions.recent_for_user(user_id, 1)
        if recent and self._clock.now() - recent[-1].created_at <= QUESTION_WINDOW:
            return recent[-1].id
        return None

    # ------------------------------------------------------------------ answers
    async def answer(self, user_id: int, text: str, message_id: int | None = None) -> FormReply:
        """A typed answer to the current question (a re-delivered message changes nothing)."""
        flow = self._require(user_id)
        seen = int(flow.data.get("last_message_id") or 0)
        if message_id is not None and message_id <= seen:
            return _reply(flow, (), SUMMARY if flow.step == EDIT else flow.step)
        if message_id is not None:
            flow.data["last_message_id"] = message_id
        if flow.step not in TEXT_FIELDS:
            step = SUMMARY if flow.step in (SUMMARY, EDIT) else flow.step
            return await self._go_flow(flow, step, (Note("form.err.use_buttons"),))
        try:
            value = _PARSERS[flow.step](text)
        except Invalid as err:
            note = Note(err.key, dict(err.params))
            reply = await self._go_flow(flow, flow.step, (note,))
            return FormReply(reply.lang, reply.notes, reply.step, reply.values, rejected=err.key)
        flow.data["values"][flow.step] = value
        return await self._go_flow(flow, _next_step(flow.data))

    async def choose_type(self, user_id: int, code: str) -> FormReply | None:
        """The financing type button; None when the form is not asking for it."""
        flow = self._flows.get(FORM, user_id)
        if flow is None or flow.step != "fin_type":
            return None
        if code not in FINANCING_TYPES:
            return await self._go_flow(flow, "fin_type")
        flow.data["values"]["fin_type"] = code
        return await self._go_flow(flow, _next_step(flow.data))

    async def consent(self, user_id: int, agreed: bool) -> FormReply | None:
        flow = self._flows.get(FORM, user_id)
        if flow is None or flow.step != "consent":
            return None
        if not agreed:
            await self._flows.end(FORM, user_id)
            return _reply(flow, (Note("form.consent_refused"),), None)
        flow.data["values"]["consent"] = True
        return await self._go_flow(flow, _next_step(flow.data))

    async def confirm(self, user_id: int) -> FormReply | None:
        """确认提交: the request is stored and the form ended in one transaction."""
        flow = self._flows.get(FORM, user_id)
        if flow is None or flow.step != SUMMARY:
            return None
        missing = [f for f in FIELDS if f not in flow.data["values"]]
        if missing:  # answers lost to an old summary button: ask again
            return await self._go_flow(flow, missing[0])
        row = await self._requests.submit(
            user_id=user_id, chat_id=flow.chat_id, lang=_lang(flow), draft=_draft(flow),
            end_flow=(FORM, user_id),
        )  # fmt: skip
        self._flows.forget(FORM, user_id)
        return FormReply(_lang(flow), (Note("form.saved", {"ref": row.ref}),), submitted=row)

    async def edit(self, user_id: int) -> FormReply | None:
        flow = self._flows.get(FORM, user_id)
        if flow is None or flow.step != SUMMARY:
            return None
        return await self._go_flow(flow, EDIT)

    async def edit_field(self, user_id: int, name: str) -> FormReply | None:
        flow = self._flows.get(FORM, user_id)
        if flow is None or flow.step != EDIT:
            return None
        if name not in EDITABLE:
            return await self._go_flow(flow, SUMMARY)
        flow.data["editing"] = True
        return await self._go_flow(flow, name)

    async def cancel(self, user_id: int) -> FormReply | None:
        flow = self._flows.get(FORM, user_id)
        if flow is None:
            return None
        await self._flows.end(FORM, user_id)
        return _reply(flow, (Note("form.cancelled"),), None)

    async def expire_due(self) -> list[Expired]:
        """Cancel the forms left alone for the timeout (unless answered meanwhile)."""
        since = self._clock.now() - timedelta(minutes=self.timeout_minutes)
        expired = []
        for flow in self._flows.idle(FORM, since):
            if await self._flows.end(FORM, flow.user_id, version=flow.version):
                expired.append(Expired(flow.user_id, flow.chat_id, _lang(flow)))
        return expired

    # ------------------------------------------------------------------ internals
    def _require(self, user_id: int) -> Flow:
        flow = self._flows.get(FORM, user_id)
        if flow is None:
            raise LookupError(f"user {user_id} has no financing form open")
        return flow

    async def _go(
        self, user_id: int, chat_id: int, data: dict[str, Any], step: str, notes: tuple[Note, ...]
    ) -> FormReply:
        flow = await self._flows.put(FORM, user_id, chat_id, step, data)
        return _reply(flow, notes, step)

    async def _go_flow(self, flow: Flow, step: str, notes: tuple[Note, ...] = ()) -> FormReply:
        if step == SUMMARY:
            flow.data.pop("editing", None)
        return await self._go(flow.user_id, flow.chat_id, flow.data, step, notes)


def _next_step(data: dict[str, Any]) -> str:
    """After an answer: back to the summary when editing, else the first unanswered field."""
    if data.get("editing"):
        return SUMMARY
    return next((f for f in FIELDS if f not in data["values"]), SUMMARY)


def _lang(flow: Flow) -> Lang:
    return "en" if flow.data.get("lang") == "en" else "zh"


def _reply(flow: Flow, notes: tuple[Note, ...], step: str | None) -> FormReply:
    return FormReply(_lang(flow), notes, step, dict(flow.data.get("values", {})))


def _draft(flow: Flow) -> RequestDraft:
    values = flow.data["values"]
    return RequestDraft(
        company=values["company"],
        uscc=values["uscc"],
        contact_name=values["contact"],
        phone=values["phone"],
        amount_yuan=int(values["amount"]),
        fin_type=values["fin_type"],
        term_months=int(values["term"]),
        purpose=values["purpose"],
        question_id=flow.data.get("question_id"),
        handoff_id=flow.data.get("handoff_id"),
    )


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
            values["amount"] = validation.parse_amount(amount.group(1))
    text = joined.strip()
    if text:
        values["purpose"] = text[:500]
    return values


def _safe_check(body: str) -> str | None:
    try:
        return validation.uscc_check_char(body)
    except ValueError:
        return None
