"""Start-up work that needs the running bot: the command menus and the answer warm-up.

The menus list what is registered, in the user's language, so the menu a user sees always
matches what the bot answers; the officers' group gets the officers' commands.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from handlers.context import AnyApp, Ctx, services, services_of

log = logging.getLogger("finbot.startup")

# Commands shown to entrepreneurs in private chats, per language.
PRIVATE_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "zh": [
        ("start", "开始 / 主菜单"),
        ("help", "能做什么、不能做什么"),
        ("financing", "登记融资需求"),
        ("myrequests", "我的融资需求"),
        ("human", "联系工作人员"),
        ("subscribe", "订阅政策更新"),
        ("subscriptions", "我的订阅"),
        ("lang", "切换语言 / Language"),
        ("cancel", "取消当前操作"),
    ],
    "en": [
        ("start", "Start / main menu"),
        ("help", "What I can and cannot do"),
        ("financing", "Register a financing need"),
        ("myrequests", "My financing requests"),
        ("human", "Talk to an officer"),
        ("subscribe", "Follow policy updates"),
        ("subscriptions", "My subscriptions"),
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
    ("canned", "快捷回复列表"),
    ("c", "发送快捷回复 名称（回复会话消息）"),
]


# Added to an admin's own private-chat menu (BotCommandScopeChat): what only they may use there.
ADMIN_COMMANDS: dict[str, list[tuple[str, str]]] = {
    "zh": [("docs", "文档管理"), ("test", "命中测试 问题"), ("unanswered", "未解答问题与👎原因")],
    "en": [
        ("docs", "Documents"),
        ("test", "Hit test QUESTION"),
        ("unanswered", "Missed questions and 👎 reasons"),
    ],
}


def warm_up_answers(app: AnyApp) -> None:
    """Fit the scope model in a worker thread as soon as the bot runs.

    The first fit encodes every example once (seconds on a CPU; later starts read the
    vector cache); a question arriving meanwhile waits for it rather than skipping it.
    A job, not a bare task: start-up hooks run before the application does.
    """
    if app.job_queue is not None and services_of(app) is not None:
        app.job_queue.run_once(_warm_up, 0, name="finbot:warm-up")


async def _warm_up(context: Ctx) -> None:
    await asyncio.to_thread(services(context).answers.warm_up)


async def set_command_menus(app: AnyApp) -> None:
    """Menus in both languages; a failure here must not stop the bot from serving."""
    try:
        for lang, cmds in PRIVATE_COMMANDS.items():
            await app.bot.set_my_commands(
                [BotCommand(c, d) for c, d in cmds],
                scope=BotCommandScopeAllPrivateChats(),
                language_code=None if lang == "zh" else lang,
            )
        svc = services_of(app)
        chat_id = svc.settings.officers_chat_id if svc is not None else None
        if chat_id is not None:
            await app.bot.set_my_commands(
                [BotCommand(c, d) for c, d in OFFICER_COMMANDS], scope=BotCommandScopeChat(chat_id)
            )
        for admin_id in sorted(svc.roles.admins()) if svc is not None else ():
            await _admin_menu(app, admin_id)
    except TelegramError:
        log.warning("could not set the command menus", exc_info=True)


async def _admin_menu(app: AnyApp, admin_id: int) -> None:
    """An admin's private chat lists the entrepreneurs' commands and the admins' own."""
    for lang, cmds in PRIVATE_COMMANDS.items():
        await app.bot.set_my_commands(
            [BotCommand(c, d) for c, d in [*cmds, *ADMIN_COMMANDS[lang]]],
            scope=BotCommandScopeChat(admin_id),
            language_code=None if lang == "zh" else lang,
        )
