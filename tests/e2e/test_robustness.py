"""Odd input, rate limits, flood control, outages and blocked users: nothing crashes."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.db.models import QuestionLog
from bot.services import Services
from tests.e2e.conftest import StartBot
from tests.fakebot import FakeTelegram

QUESTION = "政府性融资担保的担保费率是多少？"


async def log_count(services: Services) -> int:
    async with services.db() as session:
        return int(await session.scalar(select(func.count()).select_from(QuestionLog)) or 0)


async def test_odd_input_gets_short_friendly_replies(tg: FakeTelegram, start_bot: StartBot) -> None:
    bot = await start_bot()
    ann = tg.user(3001)
    await ann.send_sticker()
    assert (await ann.wait_for())[0].text.startswith("抱歉，我暂时看不懂图片、语音和表情包")
    await ann.send_photo()
    assert "看不懂图片" in (await ann.wait_for())[0].text
    await ann.send_voice()
    assert "看不懂图片" in (await ann.wait_for())[0].text
    for text in ("😀😀🎉", "？？？！！。。。"):
        await ann.send(text)
        assert (await ann.wait_for())[0].text.startswith("我只能看懂文字问题哦")
    await ann.command("frobnicate")
    assert (await ann.wait_for())[0].text.startswith("抱歉，我不认识这个命令")
    sent = await ann.send(QUESTION)
    await ann.wait_for()
    await ann.edit(sent, "担保费率是多少？")
    assert (await ann.wait_for())[0].text.startswith("我看到您修改了消息")
    assert await log_count(bot.services) == 1


async def test_odd_input_in_english(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    ben = tg.user(3002, "Ben", language_code="en")
    await ben.send_sticker()
    assert (await ben.wait_for())[0].text.startswith("Sorry, I cannot read pictures")
    await ben.command("nope")
    assert (await ben.wait_for())[0].text.startswith("Sorry, I don't know that command")


async def test_very_long_message_answered_from_its_start(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    bot = await start_bot()
    cat = tg.user(3003)
    text = QUESTION + "请详细说明。" * 1700
    assert len(text) >= 10_000
    await cat.send(text)
    (answer,) = await cat.wait_for()
    assert "0.8%" in answer.text
    assert "您的消息较长，我只根据前 500 个字作答" in answer.text
    assert await log_count(bot.services) == 1


async def test_a_key_held_down_gets_choices_not_a_policy(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    """10,000 × "贷" is read as "贷": too little to quote one policy as the answer, and the
    reply does not claim to have read the first 500 characters."""
    bot = await start_bot()
    eve = tg.user(3005)
    await eve.send("贷" * 10_000)
    (reply,) = await eve.wait_for()
    assert reply.text.startswith("您是想问")
    assert "根据现行政策文件" not in reply.text
    assert "前 500 个字" not in reply.text  # read as one "贷": nothing was left unread
    assert await log_count(bot.services) == 1


async def test_redelivered_update_is_answered_and_logged_once(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    bot = await start_bot()
    dan = tg.user(3004)
    sent = await dan.send(QUESTION)
    await dan.wait_for()
    tg.inject_update("message", dict(sent.raw))  # Telegram re-sends after a lost ack
    await tg.wait_idle()
    assert len(dan.messages()) == 1
    assert await log_count(bot.services) == 1


async def test_rate_limit_is_per_user_and_friendly(tg: FakeTelegram, start_bot: StartBot) -> None:
    bot = await start_bot(questions_per_minute=3)
    eve, fox = tg.user(3005), tg.user(3006)
    for _ in range(3):
        await eve.send(QUESTION)
        await eve.wait_for()
    await eve.send(QUESTION)
    (limited,) = await eve.wait_for()
    assert limited.text.startswith("您提问太快了，请休息一下")
    await fox.send(QUESTION)
    assert "0.8%" in (await fox.wait_for())[0].text
    assert await log_count(bot.services) == 4


async def test_429_is_waited_out(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    gil = tg.user(3007)
    tg.fail_next("sendMessage", retry_after=1)
    await gil.send(QUESTION)
    (answer,) = await gil.wait_for(timeout=10)
    assert "0.8%" in answer.text
    texts = [c["text"] for c in tg.calls_of("sendMessage")]
    assert len(texts) == 2 and texts[0] == texts[1]  # the refused send, then the retry


async def test_5xx_and_dropped_connection_are_retried(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    hal = tg.user(3008)
    tg.fail_next("sendMessage", status=502)
    await hal.send(QUESTION)
    assert "0.8%" in (await hal.wait_for(timeout=10))[0].text
    tg.drop_next("sendMessage")
    await hal.send("担保费补贴")
    assert "50%" in (await hal.wait_for(timeout=10))[0].text


async def test_blocked_user_does_not_break_others(tg: FakeTelegram, start_bot: StartBot) -> None:
    bot = await start_bot()
    ivy, jon = tg.user(3009), tg.user(3010)
    await ivy.send(QUESTION)
    await ivy.wait_for()
    ivy.block_bot()
    await ivy.send("担保费补贴")
    # the block is learnt when the reply is refused: wait for it to be recorded, not for a quiet
    # spell of the API (a loaded machine computes the answer for longer than one)
    deadline = asyncio.get_running_loop().time() + 10
    user = await bot.services.users.get(3009)
    while not (user is not None and user.blocked) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
        user = await bot.services.users.get(3009)
    assert user is not None and user.blocked
    await jon.send(QUESTION)
    assert "0.8%" in (await jon.wait_for())[0].text


async def test_ten_users_at_once_are_all_answered(tg: FakeTelegram, start_bot: StartBot) -> None:
    bot = await start_bot()
    people = [tg.user(3100 + n) for n in range(10)]
    await asyncio.gather(*(p.send(QUESTION) for p in people))
    replies = await asyncio.gather(*(p.wait_for(timeout=15) for p in people))
    assert all("0.8%" in r[0].text for r in replies)
    assert await log_count(bot.services) == 10


async def test_one_users_messages_are_answered_in_order(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    kim = tg.user(3011)
    await kim.send(QUESTION)
    await kim.send("xyzzy plugh")
    await kim.send("担保费补贴")
    first, second, third = await kim.wait_for(count=3, timeout=15)
    assert "0.8%" in first.text
    assert second.text.startswith("抱歉，现有政策文件中没有找到")
    assert "50%" in third.text


async def test_a_flooding_user_is_told_once_and_the_rest_dropped(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    bot = await start_bot(questions_per_minute=3)
    eve, fox = tg.user(3012), tg.user(3013)
    for _ in range(3):
        await eve.send(QUESTION)
        await eve.wait_for()
    for _ in range(20):  # a flood: one reply says so, the rest get none
        await eve.send(QUESTION)
    await fox.send(QUESTION)
    assert "0.8%" in (await fox.wait_for())[0].text
    await tg.wait_idle()
    told = [m for m in eve.messages() if m.text.startswith("您提问太快了")]
    assert len(told) == 1 and len(eve.messages()) == 4
    assert await log_count(bot.services) == 4
