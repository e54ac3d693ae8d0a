"""Answer DTO → Telegram HTML: the shared layout (`bot.answers.layout`), styled and escaped.

The console and the CLI render the same paragraphs as plain text, so wording and order are
decided once. Every dynamic string goes through `handlers.render` helpers, so a policy text
containing `<` or `&` (or a question containing markup) can never break the message.
"""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from bot.answers import Answer, Explanation
from bot.answers.explain import entry_line
from bot.answers.layout import Line, Style, layout
from bot.texts import Lang, t
from handlers.context import Ctx, chat_of, lang_for, query_of, services, user_of
from handlers.keyboards import keyboard_for
from handlers.render import b, esc, i, quote, send, truncate

QUESTION_CHARS, TITLE_CHARS, SECTION_CHARS = 300, 60, 40  # a hit test always fits one message


def render_answer(answer: Answer) -> str:
    """HTML for any band; callers split it with `split_message` before sending."""
    return "\n\n".join("\n".join(_line(line) for line in p) for p in layout(answer) if p)


def _line(line: Line) -> str:
    if line.style is Style.STRONG:
        arrow = line.text.endswith(" ↓")
        return b(line.text.removesuffix(" ↓")) + " ↓" if arrow else b(line.text)
    if line.style is Style.QUOTE:
        return quote(line.text)
    if line.style is Style.NOTE:
        return i(line.text)
    if line.style is Style.WARNING:
        return "⚠️ " + b(line.text)
    return esc(line.text)


def render_explanation(ex: Explanation, lang: Lang) -> str:
    """/test: the hit test as HTML, the same facts as `finbot ask --explain` prints (the band
    and why, homophone correction, follow-up context, scope margin and cut-off, confidence,
    the top entries with their ranks); long titles are cut so it fits one message."""
    lines = [b(t("explain.head", lang, question=truncate(ex.question, QUESTION_CHARS)))]
    lines.append(esc(ex.reason))
    if ex.corrected:
        lines.append(esc(t("explain.corrected", lang, text=truncate(ex.corrected, QUESTION_CHARS))))
    if ex.context_title:
        lines.append(esc(t("explain.context", lang, title=truncate(ex.context_title, TITLE_CHARS))))
    if ex.margin is not None and ex.cut_off is not None:
        scope = t("explain.scope", lang, margin=f"{ex.margin:+.4f}", cut=f"{ex.cut_off:+.4f}")
        lines.append(esc(scope))
    if ex.confidence is not None:
        lines.append(esc(t("hittest.confidence", lang, confidence=f"{ex.confidence:.2f}")))
    lines += ["", b(t("explain.entries", lang))]
    for entry in ex.entries:
        short = replace(entry, title=truncate(entry.title or "", TITLE_CHARS) or None,
                        section=truncate(entry.section, SECTION_CHARS))  # fmt: skip
        lines.append(esc(entry_line(short, lang)))
    if not ex.entries:
        lines.append(esc(t("hittest.none", lang)))
    return "\n".join(lines)


# ------------------------------------------------------------------ answers asked by a button
async def admit_tap(update: Update, context: Ctx, found: bool, gone_key: str) -> Lang | None:
    """A button that asks a question (a suggestion, a notice's 问一问): the asker's language,
    or None once the tap was answered with why not (the button is gone, or too many
    questions this minute: the same limit as typed questions)."""
    svc, (query, _) = services(context), query_of(update)
    lang = await lang_for(update, context)
    verdict = svc.limiter.check(user_of(update).id) if found else None
    if verdict is None or not verdict.allowed:
        wait = verdict.retry_after_whole_s if verdict else 0
        await query.answer(t(gone_key if not found else "ratelimit.reply", lang, seconds=wait),
                           show_alert=True)  # fmt: skip
        return None
    await query.answer()
    return lang


async def send_tapped(update: Update, context: Ctx, answer: Answer) -> None:
    """The answer to a button's question: the chat's context for a follow-up, logged as a
    suggestion, sent with the buttons of its band."""
    svc, chat_id, user_id = services(context), chat_of(update).id, user_of(update).id
    await svc.conversation.remember(chat_id, user_id, answer)
    question_id = await svc.questions.log(
        user_id=user_id, chat_id=chat_id, message_id=None,
        text=answer.question, answer=answer, source="suggestion",
    )  # fmt: skip
    await send(
        context.bot, chat_id, render_answer(answer), keyboard_for(answer, question_id, svc.refs)
    )
