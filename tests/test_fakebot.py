"""The fake Telegram server, exercised through the real python-telegram-bot stack."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.request import urlopen

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakebot import DEFAULT_TOKEN, FakeTelegram, parse_html, run_in_thread, utf16_len

POLL = dtm.timedelta(seconds=1)


# ---------------------------------------------------------------- a tiny bot under test
async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_user
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("上市补贴政策", callback_data="topic:listing")],
            [InlineKeyboardButton("担保贷款", callback_data="topic:loan")],
            [InlineKeyboardButton("官网", url="https://jrj.example.gov.cn")],
        ]
    )
    await update.effective_message.reply_html(
        f"您好 <b>{update.effective_user.first_name}</b>，请选择 &lt;主题&gt;：",
        reply_markup=keyboard,
    )


async def on_tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(text="已选择")
    await query.edit_message_text(f"您选择了 {query.data}")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    quoted = message.reply_to_message.text if message.reply_to_message else None
    await context.bot.send_chat_action(message.chat_id, "typing")
    await message.reply_text(f"echo[{message.chat.type}|{quoted}]: {message.text}")


async def on_edit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.edited_message is not None
    await update.edited_message.reply_text(f"edited: {update.edited_message.text}")


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    tg_file = await message.document.get_file()
    data = await tg_file.download_as_bytearray()
    await message.reply_text(f"size={len(data)}")
    await message.reply_document(bytes(data[::-1]), filename="reversed.bin", caption="反转")


def build_app(tg: FakeTelegram) -> Application:
    app = (
        Application.builder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CallbackQueryHandler(on_tap))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE & filters.TEXT, on_edit))
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    return app


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def app(tg: FakeTelegram) -> AsyncIterator[Application]:
    application = build_app(tg)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0, timeout=POLL)
        yield application
        await application.updater.stop()
        await application.stop()


# ---------------------------------------------------------------- round trips with real PTB
async def test_echo_round_trip(tg: FakeTelegram, app: Application) -> None:
    alice = tg.user(1001, "Alice")
    sent = await alice.send("企业上市补贴有多少？")
    (reply,) = await alice.wait_for()
    assert reply.text == "echo[private|None]: 企业上市补贴有多少？"
    assert reply.raw["from"]["username"] == "finbot_test_bot"
    assert reply.message_id == sent.message_id + 1
    assert alice.actions() == ["typing"]


async def test_start_shows_html_and_keyboard(tg: FakeTelegram, app: Application) -> None:
    alice = tg.user(1002, "李雷")
    command = await alice.command("start")
    assert command.raw["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    (menu,) = await alice.wait_for()
    assert menu.text == "您好 李雷，请选择 <主题>："
    assert menu.entities == [{"type": "bold", "offset": 3, "length": 2}]
    assert menu.buttons[1] == [("担保贷款", "topic:loan")]
    assert menu.buttons[2] == [("官网", "https://jrj.example.gov.cn")]
    assert menu.reply_to_message_id is None
    with pytest.raises(ValueError, match="not a callback button"):
        await alice.tap("官网", message=menu)


async def test_tap_answers_and_edits(tg: FakeTelegram, app: Application) -> None:
    alice = tg.user(1003)
    await alice.command("/start")
    (menu,) = await alice.wait_for()
    query_id = await alice.tap("担保")
    (edited,) = await alice.wait_for()
    answer = await alice.wait_answer(query_id)
    assert answer.text == "已选择" and answer.data == "topic:loan"
    assert edited.message_id == menu.message_id
    assert edited.text == "您选择了 topic:loan"
    assert edited.buttons == []  # editMessageText without markup drops the keyboard
    assert edited.edits[0].text.startswith("您好")
    assert tg.unanswered_callbacks() == []
    with pytest.raises(ValueError, match="no inline button"):
        await alice.tap("担保")


async def test_upload_download_and_send_document(tg: FakeTelegram, app: Application) -> None:
    alice = tg.user(1004)
    payload = os.urandom(150_000)
    await alice.upload("申请表.pdf", payload, mime_type="application/pdf")
    size_msg, doc_msg = await alice.wait_for(count=2)
    assert size_msg.text == f"size={len(payload)}"
    assert doc_msg.document is not None
    assert doc_msg.document.data == payload[::-1]
    assert doc_msg.document.filename == "reversed.bin"
    assert doc_msg.text == "反转"


async def test_user_edit_reaches_bot(tg: FakeTelegram, app: Application) -> None:
    alice = tg.user(1005)
    sent = await alice.send("担保费率")
    await alice.wait_for()
    await alice.edit(sent, "担保费率是多少")
    (reply,) = await alice.wait_for()
    assert reply.text == "edited: 担保费率是多少"


async def test_group_mention_and_reply(tg: FakeTelegram, app: Application) -> None:
    group = tg.group(-1001234567890, "园区企业群")
    bob = tg.user(2001, "Bob").in_group(group)
    first = await bob.send("贴息政策", mention=True)
    assert first.raw["entities"] == [{"type": "mention", "offset": 0, "length": 16}]
    (answer,) = await bob.wait_for()
    assert answer.text == "echo[supergroup|None]: @finbot_test_bot 贴息政策"
    await bob.send("详细一点", reply_to=answer)
    (second,) = await bob.wait_for()
    assert second.text.startswith("echo[supergroup|echo[supergroup|None]")
    assert group.texts() == [answer.text, second.text]


async def test_privacy_mode_hides_plain_group_chatter(tg: FakeTelegram, app: Application) -> None:
    group = tg.group(-42, "小群", privacy=True)
    carol = tg.user(2002).in_group(group)
    await carol.send("大家好")
    await carol.command("start", mention=True)
    (menu,) = await carol.wait_for()
    assert menu.text.startswith("您好")
    await tg.wait_idle()
    assert group.texts() == [menu.text]


# ---------------------------------------------------------------- real errors surface in PTB
async def test_length_counts_utf16_after_html(tg: FakeTelegram, app: Application) -> None:
    tg.user(1100, started=True)
    await app.bot.send_message(1100, "😀" * 2048)  # 4096 UTF-16 units: fits
    await app.bot.send_message(1100, f"<b>{'a' * 4096}</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await app.bot.send_message(1100, "😀" * 2049)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await app.bot.send_message(1100, "   ")


@pytest.mark.parametrize(
    "html",
    [
        "<b>未闭合",
        "贷款额度 < 500万",
        "第一行<br>第二行",
        "R&D 补贴",
        "<b><i>x</b></i>",
        "<span>x</span>",
    ],
)
async def test_broken_html_is_rejected(tg: FakeTelegram, app: Application, html: str) -> None:
    tg.user(1101, started=True)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await app.bot.send_message(1101, html, parse_mode=ParseMode.HTML)
    assert tg.chat_messages(1101) == []


async def test_edit_errors(tg: FakeTelegram, app: Application) -> None:
    tg.user(1102, started=True)
    sent = await app.bot.send_message(1102, "原文")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await app.bot.edit_message_text("原文", chat_id=1102, message_id=sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("新", chat_id=1102, message_id=999)
    assert await app.bot.delete_message(1102, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await app.bot.edit_message_text("新", chat_id=1102, message_id=sent.message_id)
    assert tg.chat_messages(1102, include_deleted=True)[0].deleted


async def test_button_and_reply_validation(tg: FakeTelegram, app: Application) -> None:
    tg.user(1103, started=True)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await app.bot.send_message(1103, "hi", reply_markup=too_long)
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await app.bot.send_message(1103, "hi", reply_to_message_id=77)


async def test_retry_after_and_5xx_and_drop(
    tg: FakeTelegram,
    app: Application,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    tg.user(1104, started=True)
    tg.fail_next("sendMessage", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await app.bot.send_message(1104, "a")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    tg.fail_next("sendMessage", status=502)
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.bot.send_message(1104, "b")
    tg.drop_next("sendMessage", after_effect=True)
    with pytest.raises(NetworkError):
        await app.bot.send_message(1104, "c")
    await app.bot.send_message(1104, "d")
    assert tg.user(1104).texts() == ["c", "d"]  # the dropped reply was still delivered
    assert [p["text"] for p in tg.calls_of("sendMessage")] == ["a", "b", "c", "d"]


async def test_forbidden_when_blocked_or_never_started(tg: FakeTelegram, app: Application) -> None:
    dave = tg.user(1105)
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await app.bot.send_message(1105, "通知")
    await dave.send("hi")
    await dave.wait_for()
    dave.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(1105, "通知")


async def test_commands_chat_and_copy(tg: FakeTelegram, app: Application) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await app.bot.set_my_commands([BotCommand("ask", "提问")], scope=scope, language_code="zh")
    assert tg.commands({"type": "all_private_chats"}, "zh") == [
        {"command": "ask", "description": "提问"}
    ]
    assert await app.bot.get_my_commands(scope=scope, language_code="zh") == (
        BotCommand("ask", "提问"),
    )
    assert await app.bot.get_my_commands() == ()
    erin = tg.user(1106, "Erin")
    sent = await erin.send("转给专员")
    await erin.wait_for()
    copied = await app.bot.copy_message(1106, 1106, sent.message_id)
    assert tg.chat_messages(1106)[-1].message_id == copied.message_id
    assert tg.chat_messages(1106)[-1].text == "转给专员"
    chat = await app.bot.get_chat(1106)
    assert chat.type == "private" and chat.first_name == "Erin"
    member = await app.bot.get_chat_member(1106, 1106)
    assert member.status == "member"


# ---------------------------------------------------------------- transport behaviour
async def test_long_poll_returns_as_soon_as_update_arrives(tg: FakeTelegram) -> None:
    alice = tg.user(1200)
    url = f"{tg.base_url}{tg.token}/getUpdates"
    async with aiohttp.ClientSession() as http:
        started = time.monotonic()
        poll = asyncio.ensure_future(http.post(url, json={"timeout": 5}))
        await asyncio.sleep(0.05)
        await alice.send("ping")
        response = await poll
        body = await response.json()
        elapsed = time.monotonic() - started
        assert elapsed < 1.0
        (update,) = body["result"]
        assert update["message"]["text"] == "ping"
        confirm = await http.post(url, json={"offset": update["update_id"] + 1, "timeout": 0})
        assert (await confirm.json())["result"] == []


async def test_webhook_delivery_with_secret(tg: FakeTelegram) -> None:
    received: list[tuple[str | None, dict[str, object]]] = []
    got = asyncio.Event()

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        got.set()
        return web.Response()

    hook_app = web.Application()
    hook_app.router.add_post("/hook", hook)
    runner = web.AppRunner(hook_app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        application = build_app(tg)
        async with application:
            await application.bot.set_webhook(
                f"http://127.0.0.1:{port}/hook", secret_token="s3cr3t"
            )
            info = await application.bot.get_webhook_info()
            assert info.url.endswith("/hook")
            with pytest.raises(Exception, match="webhook is active"):
                await application.bot.get_updates()
            await tg.user(1201).send("via webhook")
            await asyncio.wait_for(got.wait(), 5)
            await application.bot.delete_webhook()
        secret, update = received[0]
        assert secret == "s3cr3t"
        assert update["message"]["text"] == "via webhook"  # type: ignore[index]
        assert tg.updates.deliveries[0].status == 200
    finally:
        await runner.cleanup()


async def test_run_in_thread_serves_bot_on_another_loop() -> None:
    with run_in_thread() as threaded:
        tg = threaded.tg
        application = build_app(tg)
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=POLL)
            frank = tg.user(1300)
            await frank.send("线程")
            (reply,) = await frank.wait_for()
            await tg.wait_idle()
            await application.updater.stop()
            await application.stop()
    assert reply.text == "echo[private|None]: 线程"


def test_standalone_module_prints_port() -> None:
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, "-m", "tests.fakebot", "--port", "0"]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
            url = f"http://127.0.0.1:{port}/bot{DEFAULT_TOKEN}/getMe"
            with urlopen(url, timeout=5) as resp:
                me = json.load(resp)
            assert me["result"]["username"] == "finbot_test_bot"
        finally:
            proc.terminate()
        assert proc.wait(5) == 0


# ---------------------------------------------------------------- the HTML parser itself
def test_html_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>粗</b> <a href="https://x.cn/?a=1&amp;b=2">链</a>')
    assert text == "😀 粗 链"
    assert [e.to_api() for e in entities] == [
        {"type": "bold", "offset": 3, "length": 1},
        {"type": "text_link", "offset": 5, "length": 1, "url": "https://x.cn/?a=1&b=2"},
    ]
    assert utf16_len(text) == 6  # the emoji is a surrogate pair


def test_html_pre_code_language_and_blockquote() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>引</blockquote>'
    )
    assert text == "x = 1引"
    assert [e.to_api() for e in entities] == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 5, "length": 1},
    ]


async def test_photo_by_file_id_forward_and_latency(tg: FakeTelegram, app: Application) -> None:
    grace = tg.user(1107, started=True)
    first = await app.bot.send_photo(
        1107, b"\x89PNG-policy-chart", caption="<b>图</b>", parse_mode="HTML"
    )
    again = await app.bot.send_photo(1107, first.photo[-1].file_id)
    resent = grace.messages()[1].photo
    assert resent is not None and resent.data == b"\x89PNG-policy-chart"
    assert first.caption == "图" and again.caption is None
    forwarded = await app.bot.forward_message(1107, 1107, first.message_id)
    assert forwarded.forward_origin is not None
    assert grace.texts() == ["图", "", "图"]
    tg.set_latency(0.2, "sendMessage")
    started = time.monotonic()
    await app.bot.send_message(1107, "slow")
    assert time.monotonic() - started >= 0.2
