"""Inline keyboards and their callback data, always within Telegram's 64-byte limit.

Callback data formats (prefix, then fields separated by ':'):

    menu:<listing|guarantee|funds|financing|human>    main menu (financing/human: ISSUE 5)
    sub:menu / sub:t:<topic> / sub:rm:<topic>         policy subscriptions (toggle, remove)
    sub:ask:<doc_id> / bc:<go|no>:<broadcast id>      a notice's "ask about it"; send it?
    fb:<+|->:<question log id>                        feedback on an answer
    fbr:<reason>:<question log id>                    why a 👎 (bot.feedback.REASONS)
    q:f:<faq_id> / q:c:<chunk_id>                     answer a suggestion / related question
    q:t:<token>                                       the same, when the ref is too long
    lang:<zh|en>                                      language picker

Refs that fit are encoded as they are, so buttons survive a restart; longer refs (chunk
ids can be ~60 bytes) go through a bounded in-memory token table (`bot.refs.RefTable`),
and a token that is gone after a restart is answered with "button expired" rather than a
wrong answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import Answer, Band, ChatIntent, Suggestion
from bot.feedback import REASONS
from bot.refs import RefTable
from bot.texts import Lang, t
from handlers.render import truncate

MAX_CALLBACK_BYTES = 64
LABEL_CHARS = 60  # long labels are cut; Telegram shows ~30 characters on a phone anyway

MENU_TOPICS = ("listing", "guarantee", "funds")
MENU_FINANCING = "menu:financing"
MENU_HUMAN = "menu:human"
MENU_SUBSCRIBE = "sub:menu"


def fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


def encode_ref(ref: str, table: RefTable) -> str:
    kind, _, key = ref.partition(":")
    short = {"faq": "f", "chunk": "c"}.get(kind)
    if short is not None:
        direct = f"q:{short}:{key}"
        if fits(direct):
            return direct
    return f"q:t:{table.token_for(ref)}"


def decode_ref(data: str, table: RefTable) -> str | None:
    """The ref a `q:` button stands for; None when it cannot be resolved (expired token)."""
    parts = data.split(":", 2)
    if len(parts) != 3 or parts[0] != "q":
        return None
    _, kind, key = parts
    if kind == "f":
        return f"faq:{key}"
    if kind == "c":
        return f"chunk:{key}"
    if kind == "t":
        return table.ref_for(key)
    return None


def feedback_data(question_id: int, positive: bool) -> str:
    return f"fb:{'+' if positive else '-'}:{question_id}"


def parse_feedback(data: str) -> tuple[int, bool] | None:
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "fb" or parts[1] not in {"+", "-"} or not parts[2].isdigit():
        return None
    return int(parts[2]), parts[1] == "+"


def reason_data(question_id: int, reason: str) -> str:
    return f"fbr:{reason}:{question_id}"


def parse_reason(data: str) -> tuple[int, str] | None:
    """(question id, reason) of a 👎-reason button; None for a malformed one."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != "fbr" or parts[1] not in REASONS or not parts[2].isdigit():
        return None
    return int(parts[2]), parts[1]


def reason_keyboard(lang: Lang, question_id: int) -> InlineKeyboardMarkup:
    """The four reasons, two to a row, then the way to an officer."""
    buttons = [
        button(t(f"feedback.reason.{r}", lang), reason_data(question_id, r)) for r in REASONS
    ]
    return InlineKeyboardMarkup([*rows_of(buttons, 2), contact_row(lang)])


def rows_of(
    buttons: Sequence[InlineKeyboardButton], per_row: int
) -> list[list[InlineKeyboardButton]]:
    """Buttons laid out `per_row` to a row."""
    return [list(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row)]


def button(label: str, data: str) -> InlineKeyboardButton:
    if not fits(data):
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return InlineKeyboardButton(truncate(label, LABEL_CHARS), callback_data=data)


def main_menu(lang: Lang) -> InlineKeyboardMarkup:
    topics = [button(t(f"menu.{name}", lang), f"menu:{name}") for name in MENU_TOPICS]
    return InlineKeyboardMarkup(
        [
            topics,
            [button(t("menu.financing", lang), MENU_FINANCING)],
            [button(t("menu.human", lang), MENU_HUMAN)],
            [button(t("sub.menu", lang), MENU_SUBSCRIBE)],
        ]
    )


def question_buttons(items: list[Suggestion], table: RefTable) -> list[list[InlineKeyboardButton]]:
    """One question per row: labels are long sentences."""
    return [[button(s.label, encode_ref(s.ref, table))] for s in items]


def contact_row(lang: Lang) -> list[InlineKeyboardButton]:
    return [button(t("menu.human", lang), MENU_HUMAN)]


def none_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [button(t("menu.human", lang), MENU_HUMAN)],
            [button(t("menu.financing", lang), MENU_FINANCING)],
        ]
    )


def keyboard_for(
    answer: Answer, question_id: int | None, refs: RefTable
) -> InlineKeyboardMarkup | None:
    """The buttons under an answer of any band: feedback and related questions, the
    suggestions, or the way to an officer; under a chat reply, the main menu after a
    greeting, the form first after a financing need, nothing after thanks or "ok"."""
    if answer.intent is not None:
        return _chat_keyboard(answer.intent, answer.lang)
    if answer.band is Band.ANSWER and answer.hits:
        return answer_keyboard(answer.lang, question_id, list(answer.related), refs)
    if answer.band is Band.SUGGEST and answer.suggestions:
        rows = question_buttons(list(answer.suggestions)[:3], refs)
        return InlineKeyboardMarkup([*rows, contact_row(answer.lang)])
    return none_keyboard(answer.lang)


def _chat_keyboard(intent: ChatIntent, lang: Lang) -> InlineKeyboardMarkup | None:
    if intent.closes_the_turn:
        return None
    if intent is ChatIntent.GREETING:
        return main_menu(lang)
    if intent is ChatIntent.FINANCING:
        return InlineKeyboardMarkup(
            [
                [button(t("menu.financing", lang), MENU_FINANCING)],
                [button(t("menu.human", lang), MENU_HUMAN)],
            ]
        )
    return None


def answer_keyboard(
    lang: Lang, question_id: int | None, related: list[Suggestion], table: RefTable
) -> InlineKeyboardMarkup:
    rows: list[list[InlineKeyboardButton]] = []
    if question_id is not None:
        rows.append(
            [
                button(t("feedback.up", lang), feedback_data(question_id, True)),
                button(t("feedback.down", lang), feedback_data(question_id, False)),
            ]
        )
    rows += question_buttons(related[:3], table)
    rows.append(contact_row(lang))
    return InlineKeyboardMarkup(rows)


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup:
    """The same keyboard minus the 👍/👎 row, once the user has rated the answer."""
    rows = (
        []
        if markup is None
        else [
            [b for b in row if not str(b.callback_data or "").startswith("fb:")]
            for row in markup.inline_keyboard
        ]
    )
    return InlineKeyboardMarkup([row for row in rows if row])


def lang_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button("中文", "lang:zh"), button("English", "lang:en")]])
