"""/start (with deep links), /help, /lang and the main menu's topic buttons.

Deep links `t.me/<bot>?start=listing|guarantee|funds` open a topic directly, so the bureau
can print a QR code per policy area.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackContext, CallbackQueryHandler, CommandHandler

from bot.answers import Suggestion
from bot.texts import Lang, t
from handlers import keyboards as kb
from handlers.ask import qa_state, reply_plain, user_lang
from handlers.context import services

Context = CallbackContext[Any, Any, Any, Any]
TOP_QUESTIONS = 5


async def on_start(update: Update, context: Context) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    lang = await user_lang(update, services(context))
    payload = (context.args or [""])[0].strip().lower()
    if payload in kb.MENU_TOPICS:
        await send_topic(context, message.chat_id, payload, lang)
        return
    welcome = t("start.welcome", lang, name=user.first_name)
    await reply_plain(context, message.chat_id, welcome, kb.main_menu(lang))


async def on_help(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await user_lang(update, services(context))
    await reply_plain(context, message.chat_id, t("help.text", lang), kb.main_menu(lang))


async def on_lang(update: Update, context: Context) -> None:
    """/lang en|zh switches at once; bare /lang shows a picker."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    lang = await user_lang(update, svc)
    arg = (context.args or [""])[0].lower()
    if arg.startswith(("en", "zh", "cn", "中")):
        new: Lang = "en" if arg.startswith("en") else "zh"
        await svc.users.set_language(user.id, new)
        await reply_plain(context, message.chat_id, t("lang.set", new), kb.main_menu(new))
        return
    await reply_plain(context, message.chat_id, t("lang.pick", lang), kb.lang_keyboard())


async def on_lang_tap(update: Update, context: Context) -> None:
    query = update.callback_query
    user = update.effective_user
    if query is None or user is None or query.message is None:
        return
    new: Lang = "en" if (query.data or "").endswith("en") else "zh"
    svc = services(context)
    await user_lang(update, svc)  # make sure the user row exists before changing it
    await svc.users.set_language(user.id, new)
    await query.answer(t("lang.set", new))
    await reply_plain(context, query.message.chat.id, t("lang.set", new), kb.main_menu(new))


async def on_topic_tap(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    lang = await user_lang(update, services(context))
    await query.answer()
    topic = (query.data or "").partition(":")[2]
    await send_topic(context, query.message.chat.id, topic, lang)


async def send_topic(context: Context, chat_id: int, topic: str, lang: Lang) -> None:
    """The topic's most asked questions as buttons; tapping one answers it."""
    state = qa_state(context)
    top = await state.topics.top_questions(topic, TOP_QUESTIONS)
    name = t(f"menu.{topic}", lang)
    if not top:
        await reply_plain(context, chat_id, t("topic.empty", lang, topic=name), kb.main_menu(lang))
        return
    items = [Suggestion(q.label, f"faq:{q.faq_id}") for q in top]
    rows = kb.question_buttons(items, state.refs)
    markup = InlineKeyboardMarkup([*rows, kb.contact_row(lang)])
    await reply_plain(context, chat_id, t("topic.intro", lang, topic=name), markup)


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("help", on_help))
    app.add_handler(CommandHandler("lang", on_lang))
    app.add_handler(CallbackQueryHandler(on_lang_tap, pattern=r"^lang:(zh|en)$"))
    app.add_handler(CallbackQueryHandler(on_topic_tap, pattern=r"^menu:(listing|guarantee|funds)$"))
