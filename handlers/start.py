"""/start (with deep links), /help, /lang and the main menu's topic buttons.

Deep links `t.me/<bot>?start=listing|guarantee|funds` open a topic directly, so the bureau
can print a QR code per policy area.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.answers import Suggestion
from bot.texts import Lang, t
from handlers import keyboards as kb
from handlers.context import AnyApp, Ctx, chat_of, lang_for, query_of, services, user_of
from handlers.render import send, text

TOP_QUESTIONS = 5


async def on_start(update: Update, context: Ctx) -> None:
    """Welcome with the main menu, or a topic straight away for a deep link."""
    lang = await lang_for(update, context)
    payload = (context.args or [""])[0].strip().lower()
    if payload in kb.MENU_TOPICS:
        await send_topic(context, chat_of(update).id, payload, lang)
        return
    # off the event loop: after a knowledge-base update the example question is searched anew
    intro = await asyncio.to_thread(services(context).answers.introduction, lang)
    welcome = text("start.welcome", lang, name=user_of(update).first_name, intro=intro)
    await send(context.bot, chat_of(update).id, welcome, kb.main_menu(lang))


async def on_help(update: Update, context: Ctx) -> None:
    """What the bot does; officers and admins also see their own commands."""
    lang, roles = await lang_for(update, context), services(context).roles
    parts = [text("help.text", lang)]
    if roles.is_officer(user_of(update).id):
        parts.append(text("help.staff", lang))
    if roles.is_admin(user_of(update).id):
        parts.append(text("help.admin", lang))
    await send(context.bot, chat_of(update).id, "\n\n".join(parts), kb.main_menu(lang))


async def on_lang(update: Update, context: Ctx) -> None:
    """/lang en|zh switches at once; bare /lang shows a picker."""
    lang = await lang_for(update, context)
    arg = (context.args or [""])[0].lower()
    if not arg.startswith(("en", "zh", "cn", "中")):
        await send(context.bot, chat_of(update).id, text("lang.pick", lang), kb.lang_keyboard())
        return
    await _switch(update, context, "en" if arg.startswith("en") else "zh")


async def on_lang_tap(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    await lang_for(update, context)  # make sure the user row exists before changing it
    new: Lang = "en" if data.endswith("en") else "zh"
    await query.answer(t("lang.set", new))
    await _switch(update, context, new)


async def _switch(update: Update, context: Ctx, new: Lang) -> None:
    await services(context).users.set_language(user_of(update).id, new)
    await send(context.bot, chat_of(update).id, text("lang.set", new), kb.main_menu(new))


async def on_topic_tap(update: Update, context: Ctx) -> None:
    query, data = query_of(update)
    lang = await lang_for(update, context)
    await query.answer()
    await send_topic(context, chat_of(update).id, data.partition(":")[2], lang)


async def send_topic(context: Ctx, chat_id: int, topic: str, lang: Lang) -> None:
    """The topic's most asked questions as buttons; tapping one answers it."""
    svc = services(context)
    top = await svc.topics.top_questions(topic, TOP_QUESTIONS)
    name = t(f"menu.{topic}", lang)
    if not top:
        await send(context.bot, chat_id, text("topic.empty", lang, topic=name), kb.main_menu(lang))
        return
    rows = kb.question_buttons([Suggestion(q.label, f"faq:{q.faq_id}") for q in top], svc.refs)
    markup = InlineKeyboardMarkup([*rows, kb.contact_row(lang)])
    await send(context.bot, chat_id, text("topic.intro", lang, topic=name), markup)


def register(app: AnyApp) -> None:
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("help", on_help))
    app.add_handler(CommandHandler("lang", on_lang))
    app.add_handler(CallbackQueryHandler(on_lang_tap, pattern=r"^lang:(zh|en)$"))
    app.add_handler(CallbackQueryHandler(on_topic_tap, pattern=r"^menu:(listing|guarantee|funds)$"))
