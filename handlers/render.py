"""The one place dynamic text becomes Telegram HTML and goes out: escape, split, send.

Handlers build messages from plain strings with `esc`/`text` and the tag helpers below and
send them with `send` / `reply` / `edit`: those split at 4096 characters on the rendered
HTML at paragraph boundaries (then lines, then characters) without ever cutting inside a
tag or an entity, put the keyboard on the last part, and retry what Telegram may fail
transiently (flood limits, 5xx, dropped connections), never a 400 or 403. Numbers, dates
and pages are formatted here too, so every screen shows them the same way.
"""

from __future__ import annotations

import asyncio
import functools
import html
import logging
import math
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter

from bot.clock import BUREAU_TZ
from bot.texts import BUREAU_LANG, Lang, t
from bot.views import as_utc
from handlers.context import Ctx, chat_of, lang_for, query_of

log = logging.getLogger("finbot.render")
T = TypeVar("T")

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<(/?)([a-z\-]+)(?:\s[^>]*)?>")


def esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def b(text: object) -> str:
    return f"<b>{esc(text)}</b>"


def i(text: object) -> str:
    return f"<i>{esc(text)}</i>"


def quote(text: object) -> str:
    return f"<blockquote>{esc(text)}</blockquote>"


def text(key: str, lang: Lang = BUREAU_LANG, **params: object) -> str:
    """A catalogue text, escaped for HTML."""
    return esc(t(key, lang, **params))


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: tags removed, entities as one character, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis (labels, previews)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def split_message(html_text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Parts each within the limit, closed/reopened tags kept balanced across the cut."""
    if visible_length(html_text) <= limit:
        return [html_text]
    parts: list[str] = []
    current = ""
    for para in _pieces(html_text, limit):
        candidate = f"{current}\n\n{para}" if current else para
        if visible_length(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = para
    if current:
        parts.append(current)
    return [_balance(p) for p in parts]


def _pieces(html_text: str, limit: int) -> list[str]:
    out: list[str] = []
    for para in html_text.split("\n\n"):
        if visible_length(para) <= limit:
            out.append(para)
            continue
        for line in para.split("\n"):
            if visible_length(line) <= limit:
                out.append(line)
            else:
                out.extend(_hard_split(line, limit))
    return out


def _hard_split(text: str, limit: int) -> list[str]:
    """Cut a single over-long line between tags/entities, never inside one."""
    tokens = re.findall(r"<[^>]+>|&[#a-zA-Z0-9]+;|[\s\S]", text)
    parts: list[str] = []
    current: list[str] = []
    count = 0
    budget = limit - 2
    for tok in tokens:
        width = (
            0
            if tok.startswith("<") and tok.endswith(">") and len(tok) > 1
            else (len(html.unescape(tok).encode("utf-16-le")) // 2)
        )
        if count + width > budget and current:
            parts.append("".join(current))
            current, count = [], 0
        current.append(tok)
        count += width
    if current:
        parts.append("".join(current))
    return parts


def _balance(part: str) -> str:
    """Close tags left open at the end of a part and reopen closers that lost their opener."""
    stack: list[tuple[str, str]] = []
    prefix: list[str] = []
    for m in re.finditer(r"<(/?)([a-z\-]+)((?:\s[^>]*)?)>", part):
        closing, name, _attrs = m.group(1), m.group(2), m.group(3)
        if not closing:
            stack.append((name, m.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
        else:
            prefix.append(f"<{name}>")
    suffix = "".join(f"</{name}>" for name, _ in reversed(stack))
    return "".join(reversed(prefix)) + part + suffix


# ---------------------------------------------------------------------------- formatting
def fmt_amount(yuan: int, lang: Lang = BUREAU_LANG) -> str:
    if lang == "en":
        return f"CNY {yuan:,}"
    if yuan >= 10**8 and yuan % 10**6 == 0:
        return f"{yuan / 10**8:g}亿元"
    if yuan >= 10**4 and yuan % 100 == 0:
        return f"{yuan / 10**4:g}万元"
    return f"{yuan:,}元"


def fmt_when(when: datetime | None) -> str:
    """Bureau time to the minute; "-" for no time."""
    if when is None:
        return "-"
    return as_utc(when).astimezone(BUREAU_TZ).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------- pages
@dataclass(frozen=True)
class Page:
    """Page `number` (1-based) of `pages`; items [start, stop) of `total`."""

    number: int
    pages: int
    start: int
    stop: int
    total: int


def page_of(total: int, number: int, size: int) -> Page:
    """The page asked for, clamped to the pages there are (at least one)."""
    pages = max(1, math.ceil(total / size))
    number = min(max(1, number), pages)
    start = (number - 1) * size
    return Page(number, pages, start, min(total, start + size), total)


def nav_row(page: Page, data_for: Callable[[int], str], lang: Lang) -> list[InlineKeyboardButton]:
    """◀ / ▶ buttons to the neighbouring pages (none on a single page)."""
    row = []
    if page.number > 1:
        row.append(
            InlineKeyboardButton(t("docs.btn.prev", lang), callback_data=data_for(page.number - 1))
        )
    if page.number < page.pages:
        row.append(
            InlineKeyboardButton(t("docs.btn.next", lang), callback_data=data_for(page.number + 1))
        )
    return row


# ---------------------------------------------------------------------------- sending
SEND_ATTEMPTS = 5  # transient 5xx / network errors / flood limits beyond AIORateLimiter's
RETRY_BASE_S = 0.3
MAX_RETRY_AFTER_S = 30.0


async def send(
    bot: Bot,
    chat_id: int,
    html_text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    reply_to: int | None = None,
) -> list[Message]:
    """Split at 4096 by paragraphs; the keyboard goes on the last part, the reply on the first."""
    parts = split_message(html_text)
    sent: list[Message] = []
    for n, part in enumerate(parts):
        keyboard = markup if n == len(parts) - 1 else None
        quoted = reply_to if n == 0 else None
        sent.append(await _retrying(functools.partial(
            bot.send_message, chat_id, part, reply_markup=keyboard,
            reply_to_message_id=quoted, allow_sending_without_reply=True,
        )))  # fmt: skip
    return sent


async def tell(
    update: Update,
    context: Ctx,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **params: object,
) -> list[Message]:
    """A catalogue text to the chat the update came from, in the sender's language."""
    lang = await lang_for(update, context)
    return await send(context.bot, chat_of(update).id, text(key, lang, **params), markup)


async def stale_button(update: Update, context: Ctx) -> None:
    """Stop the spinner of a button that no longer applies ("not available")."""
    query, _data = query_of(update)
    await query.answer(t("button.unavailable", await lang_for(update, context)))


async def send_file(bot: Bot, chat_id: int, data: bytes, filename: str, caption: str) -> Message:
    """A document (an export) with an HTML caption."""
    return await _retrying(functools.partial(
        bot.send_document, chat_id, InputFile(data, filename=filename), caption=caption
    ))  # fmt: skip


async def send_photo(bot: Bot, chat_id: int, data: bytes, filename: str, caption: str) -> Message:
    """A picture (a chart) with an HTML caption."""
    return await _retrying(functools.partial(
        bot.send_photo, chat_id, InputFile(data, filename=filename), caption=caption
    ))  # fmt: skip


async def edit(
    message: Message, html_text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit in place (the rest of a long text follows as new messages); an unchanged text is fine."""
    parts = split_message(html_text)
    try:
        await _retrying(
            lambda: message.edit_text(parts[0], reply_markup=markup if len(parts) == 1 else None)
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    if len(parts) > 1:
        await send(message.get_bot(), message.chat_id, "\n\n".join(parts[1:]), markup)


async def edit_message(
    bot: Bot,
    chat_id: int,
    message_id: int,
    html_text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edit a message known by its ids (a card); a card always fits one message."""
    await _retrying(functools.partial(
        bot.edit_message_text, split_message(html_text)[0], chat_id=chat_id,
        message_id=message_id, reply_markup=markup,
    ))  # fmt: skip


async def drop_keyboard(message: Message) -> None:
    """Remove the buttons of a message (a double tap finds them gone already)."""
    try:
        await _retrying(lambda: message.edit_reply_markup(None))
    except BadRequest as exc:
        log.info("keyboard not removed: %s", exc)


async def try_send(
    bot: Bot, chat_id: int, html_text: str, markup: InlineKeyboardMarkup | None = None
) -> bool:
    """Best effort (a notice to someone who may have blocked the bot): False when it failed."""
    try:
        await send(bot, chat_id, html_text, markup)
    except TelegramError:
        log.warning("could not send to %s", chat_id, exc_info=True)
        return False
    return True


async def _retrying(call: Callable[[], Awaitable[T]]) -> T:
    """Retry transient failures; never a 400 (BadRequest) or 403 (Forbidden)."""
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            return await call()
        except (BadRequest, Forbidden):
            raise
        except RetryAfter as exc:
            if attempt == SEND_ATTEMPTS:
                raise
            await asyncio.sleep(min(_seconds(exc.retry_after), MAX_RETRY_AFTER_S))
        except NetworkError:
            if attempt == SEND_ATTEMPTS:
                raise
            log.warning("Telegram call failed (attempt %d), retrying", attempt)
            await asyncio.sleep(RETRY_BASE_S * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------- flood limits
# `rate_limit_args` of a call whose caller handles 429 itself (PTB drops a falsy value, so
# not 0; AIORateLimiter itself never sees it)
OWN_RETRIES = -1
_ApiResult = bool | dict[str, Any] | list[dict[str, Any]]


class _Unretried(Exception):
    def __init__(self, error: RetryAfter) -> None:
        super().__init__(str(error))
        self.error = error


class RateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (Telegram's overall and per-group limits, 429s retried after
    `retry_after` with every other request held back), except for a call made with
    `rate_limit_args=OWN_RETRIES`: its 429 is raised at once. The broadcast sender paces
    its own sends and retries them through its own bucket; a retry made in here would
    leave at the end of the pause together with every other held sender, above the rate."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, _ApiResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> _ApiResult:
        if rate_limit_args != OWN_RETRIES:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

        async def once(*a: Any, **kw: Any) -> _ApiResult:
            try:
                return await callback(*a, **kw)
            except RetryAfter as exc:  # hidden from the retry loop, raised again below
                raise _Unretried(exc) from exc

        try:
            return await super().process_request(once, args, kwargs, endpoint, data, None)
        except _Unretried as unretried:
            raise unretried.error from None


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
