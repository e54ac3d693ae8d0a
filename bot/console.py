"""The console chat: the same answer service and bands as Telegram, numbered options for buttons.

Like the bot, it reads a follow-up ("那反担保呢？") in the context of the last answered
question for `followup_minutes` (FINBOT_FOLLOWUP_MINUTES); the console keeps that in memory.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from bot.answers import Answer, AnswerService, Band, Suggestion, Turn
from bot.texts import Lang, t

BANNER = {
    "zh": "finbot 政策问答（控制台）。输入问题回车；输入数字选择选项；/lang en 切换英文；/quit 退出。",
    "en": "finbot policy Q&A (console). Type a question; type a number to pick an option; /lang zh for Chinese; /quit to leave.",
}
OPTIONS = {"zh": "可选：", "en": "Options:"}
RELATED = {"zh": "相关问题：", "en": "Related questions:"}
NONE_OPTIONS = {
    "zh": "您可以：联系工作人员（Telegram 中输入 /human），或登记融资需求（/financing）。",
    "en": "You can contact an officer (/human in Telegram) or register a financing need (/financing).",
}
BYE = {"zh": "再见！", "en": "Bye!"}


def render(answer: Answer) -> tuple[str, list[Suggestion]]:
    """Text to print and the options the user may pick by number."""
    lang = answer.lang
    lines = [answer.reply]
    options: list[Suggestion] = []
    if answer.band is Band.SUGGEST:
        options = list(answer.suggestions)
    elif answer.band is Band.ANSWER and answer.related:
        options = list(answer.related)
        # the reply's "相关问题 ↓" points at Telegram's buttons; here the numbered list stands there
        lines = [answer.reply.removesuffix(f"\n\n{t('answer.related', lang)} ↓"), ""]
        lines.append(RELATED[lang])
        lines += [f"  [{i}] {s.label}" for i, s in enumerate(options, 1)]
    elif answer.band is Band.NONE and answer.question.strip() and not _closes(answer):
        lines.append(NONE_OPTIONS[lang])
    return "\n".join(lines), options


def _closes(answer: Answer) -> bool:
    """Thanks, goodbye or "ok": no officer or form to offer (as no buttons in Telegram)."""
    return answer.intent is not None and answer.intent.closes_the_turn


def run_console(
    answers: AnswerService,
    *,
    lang: Lang = "zh",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    on_answer: Callable[[Answer], None] | None = None,
    followup_minutes: float = 10.0,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    inp = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = inp.isatty()
    print(BANNER[lang], file=out)
    options: list[Suggestion] = []
    last: tuple[Turn, float] | None = None  # the last answered turn and when
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = inp.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text in {"/quit", "/exit", "quit", "exit"}:
            break
        if text.startswith("/lang"):
            arg = text.removeprefix("/lang").strip().lower()
            lang = "en" if arg.startswith("en") else "zh"
            print(BANNER[lang], file=out)
            continue
        if text.isdigit() and options and 1 <= int(text) <= len(options):
            picked = options[int(text) - 1]
            answer = answers.answer_ref(picked.ref, lang=lang, question=picked.label)
        else:
            window = followup_minutes * 60
            recent = last is not None and window > 0 and clock() - last[1] <= window
            previous = last[0] if last is not None and recent else None
            answer = answers.answer_sync(text, lang=lang, previous=previous)
        turn = answers.turn_of(answer)
        last = (turn, clock()) if turn is not None else last
        if on_answer is not None:
            on_answer(answer)
        body, options = render(answer)
        print(body, file=out)
        print("", file=out)
    print(BYE[lang], file=out)
    return 0
