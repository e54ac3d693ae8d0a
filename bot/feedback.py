"""Feedback on an answer: 👍/👎, and for a 👎 the reason why.

A 👎 alone says an answer failed, not how. The asker is offered four reasons (答非所问 /
内容过时 / 没有找到我要的 / 其他); the reason is kept on the question's log row, beside the
document and article the answer cited first, so the officers' /unanswered report can say
"this article: outdated, 3 times" instead of listing three unrelated complaints.

"其他" takes the asker's next message as a short note. Waiting for it is a durable flow (a
restart still takes the note), and it lapses after `NOTE_WAIT` so a question typed much
later is answered as a question. The note is free text from the public: it is stripped of
control characters, masked for phone numbers and credit codes (`bot.pii`), capped at
`MAX_NOTE_CHARS`, and never written to a log line; every renderer escapes it.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Final

from bot.clock import Clock
from bot.flows import FlowStore
from bot.pii import mask_pii
from bot.questions import QuestionLogService

OFF_TOPIC, OUTDATED, NOT_FOUND, OTHER = "off_topic", "outdated", "not_found", "other"
REASONS: Final = (OFF_TOPIC, OUTDATED, NOT_FOUND, OTHER)
UNSTATED: Final = "unstated"  # a 👎 whose reason was never given (reports only)
NOTE_FLOW: Final = "feedback_note"  # the flow kind while "其他" waits for its note
NOTE_WAIT: Final = timedelta(minutes=10)
MAX_NOTE_CHARS: Final = 300


def clean_note(text: str) -> str:
    """The note as stored: one line, no control characters, personal data masked, capped."""
    visible = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    flat = " ".join(visible.split())
    masked = mask_pii(flat)
    return masked if len(masked) <= MAX_NOTE_CHARS else masked[: MAX_NOTE_CHARS - 1] + "…"


class FeedbackService:
    """Ratings and 👎 reasons, only ever from the person who asked."""

    def __init__(self, questions: QuestionLogService, flows: FlowStore, clock: Clock) -> None:
        self._questions = questions
        self._flows = flows
        self._clock = clock

    async def rate(self, question_id: int, user_id: int, *, helpful: bool) -> bool:
        """👍 or 👎; False when the question is not the user's (or is gone)."""
        return await self._questions.set_feedback(question_id, user_id, 1 if helpful else -1)

    async def give_reason(
        self, question_id: int, user_id: int, chat_id: int, reason: str, *, ask_note: bool = True
    ) -> bool:
        """Why the 👎; "other" then waits for the user's next message in this chat (unless
        `ask_note` is False: in a group, the next message is not necessarily for the bot)."""
        if reason not in REASONS:
            return False
        if not await self._questions.set_reason(question_id, user_id, reason):
            return False
        if reason == OTHER and ask_note:
            await self._flows.put(NOTE_FLOW, user_id, chat_id, "note", {"question_id": question_id})
        elif self._flows.is_open(NOTE_FLOW, user_id):
            await self._flows.end(NOTE_FLOW, user_id)  # changed their mind from "other"
        return True

    def awaits_note(self, user_id: int, chat_id: int) -> bool:
        """Whether the user's next text in this chat is the note of an "other" (checked by a
        handler filter, so from memory)."""
        if not self._flows.is_open(NOTE_FLOW, user_id, chat_id):
            return False
        flow = self._flows.get(NOTE_FLOW, user_id)
        return flow is not None and flow.updated_at >= self._clock.now() - NOTE_WAIT

    async def add_note(self, user_id: int, text: str) -> bool:
        """Store the note (cleaned) on the question waiting for it; the wait ends."""
        flow = self._flows.get(NOTE_FLOW, user_id)
        if flow is None:
            return False
        await self._flows.end(NOTE_FLOW, user_id)
        question_id = int(flow.data.get("question_id", 0))
        note = clean_note(text)
        return await self._questions.set_reason(question_id, user_id, OTHER, note or None)

    async def skip_note(self, user_id: int) -> bool:
        """/cancel instead of a note: "other" stays, without words."""
        return await self._flows.end(NOTE_FLOW, user_id)
