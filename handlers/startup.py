"""Start-up work that needs the running bot: the command menus and the scheduled jobs.

Each feature contributes its commands here and its jobs through `schedule_jobs`, so the
menu a user sees always matches what is registered.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext

from handlers.context import SERVICES_KEY

log = logging.getLogger("finbot.startup")

# Commands shown to entrepreneurs in private chats, per language.
PRIVATE_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "zh": [
        ("start", "开始 / 主菜单"),
        ("help", "能做什么、不能做什么"),
        ("financing", "登记融资需求"),
        ("myrequests", "我的融资需求"),
        ("human", "联系工作人员"),
        ("lang", "切换语言 / Language"),
        ("cancel", "取消当前操作"),
    ],
    "en": [
        ("start", "Start / main menu"),
        ("help", "What I can and cannot do"),
        ("financing", "Register a financing need"),
        ("myrequests", "My financing requests"),
        ("human", "Talk to an officer"),
        ("lang", "Language / 切换语言"),
        ("cancel", "Cancel the current step"),
    ],
}

# Commands shown in the officers' group.
OFFICER_COMMANDS: list[tuple[str, str]] = [
    ("requests", "融资需求列表 [状态]"),
    ("request", "需求详情 REF"),
    ("note", "添加备注 REF 内容"),
    ("assign", "指派 REF @officer"),
    ("export", "导出 CSV/XLSX"),
    ("stats", "统计"),
    ("unanswered", "本周未解答问题"),
]


async def on_startup(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await set_command_menus(app)
    await schedule_jobs(app)
    warm_up_answers(app)


def warm_up_answers(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Fit the scope model in a worker thread as soon as the bot runs.

    The first fit encodes every example once (seconds on a CPU; later starts read the
    vector cache); a question arriving meanwhile waits for it rather than skipping it.
    A job, not a bare task: start-up hooks run before the application does.
    """
    if app.job_queue is not None and app.bot_data.get(SERVICES_KEY) is not None:
        app.job_queue.run_once(_warm_up, 0, name="finbot:warm-up")


async def _warm_up(context: CallbackContext[Any, Any, Any, Any]) -> None:
    await asyncio.to_thread(context.bot_data[SERVICES_KEY].answers.warm_up)


async def set_command_menus(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Menus in both languages; a failure here must not stop the bot from serving."""
    try:
        for lang, cmds in PRIVATE_COMMANDS.items():
            commands = [BotCommand(c, d) for c, d in cmds]
            await app.bot.set_my_commands(
                commands,
                scope=BotCommandScopeAllPrivateChats(),
                language_code=None if lang == "zh" else lang,
            )
        svc = app.bot_data.get(SERVICES_KEY)
        chat_id = getattr(getattr(svc, "settings", None), "officers_chat_id", None)
        if chat_id is not None:
            await app.bot.set_my_commands(
                [BotCommand(c, d) for c, d in OFFICER_COMMANDS], scope=BotCommandScopeChat(chat_id)
            )
    except TelegramError:
        log.warning("could not set the command menus", exc_info=True)


async def schedule_jobs(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Feature jobs (SLA reminders, expiry, restored forms' timeouts) are scheduled here from the database state."""
    from handlers.admin import schedule_expiry
    from handlers.officers import schedule_sla
    from handlers.request_form import rearm_form_timeouts

    schedule_expiry(app)
    schedule_sla(app)
    restored = await rearm_form_timeouts(app)
    if restored:
        log.info("re-armed the timeout of %d restored financing forms", restored)
