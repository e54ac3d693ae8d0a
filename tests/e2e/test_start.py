"""/start, deep links, /help, /lang, the command menus and the main menu buttons."""

from __future__ import annotations

from tests.e2e.conftest import StartBot
from tests.fakebot import FakeTelegram

MENU = ["上市政策", "担保贷款", "基金", "登记融资需求", "联系工作人员", "🔔 订阅政策更新"]


async def test_start_welcomes_in_chinese_with_menu(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    alice = tg.user(1001, "小王")
    await alice.command("start")
    (welcome,) = await alice.wait_for()
    assert welcome.text.startswith("您好，小王！")
    assert welcome.labels == MENU
    # the example question is one the bundled documents answer: asking it gets an answer
    example = welcome.text.split("（例如“", 1)[1].split("”）", 1)[0]
    await alice.send(example)
    (answer,) = await alice.wait_for()
    assert answer.text.startswith("根据现行政策文件")
    assert [b.value for row in welcome.buttons for b in row][3:] == [
        "menu:financing",
        "menu:human",
        "sub:menu",
    ]


async def test_english_client_gets_english(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    bob = tg.user(1002, "Bob", language_code="en")
    await bob.command("start")
    (welcome,) = await bob.wait_for()
    assert welcome.text.startswith("Hello, Bob!")
    assert "Listing policy" in welcome.labels


async def test_lang_switch_is_remembered(tg: FakeTelegram, start_bot: StartBot) -> None:
    bot = await start_bot()
    carol = tg.user(1003, "Carol")
    await carol.command("lang")
    (picker,) = await carol.wait_for()
    query = await carol.tap("English", message=picker)
    (done,) = await carol.wait_for()
    assert (await carol.wait_answer(query)).text == "Language set to English."
    assert done.text == "Language set to English."
    user = await bot.services.users.get(1003)
    assert user is not None and user.language == "en"
    await carol.command("help")
    (help_msg,) = await carol.wait_for()
    assert help_msg.text.startswith("What I can do:")
    await carol.command("lang zh")
    (back,) = await carol.wait_for()
    assert back.text == "已切换为中文。"


async def test_help_says_what_it_cannot_do(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    dave = tg.user(1004)
    await dave.command("help")
    (msg,) = await dave.wait_for()
    assert "我能做的" in msg.text and "我不能做的" in msg.text


async def test_deep_link_opens_topic_with_top_questions(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    erin = tg.user(1005)
    await erin.command("start guarantee")
    (topic,) = await erin.wait_for()
    assert topic.text.startswith("担保贷款：大家最常问的问题")
    assert topic.labels[0] == "政府性融资担保的担保费率是多少？"
    assert len(topic.labels) == 6 and topic.labels[-1] == "联系工作人员"
    query = await erin.tap("政府性融资担保的担保费率是多少？")
    (answer,) = await erin.wait_for()
    await erin.wait_answer(query)
    assert "0.8%" in answer.text
    assert "第六条 担保费率" in answer.text


async def test_topic_ranking_follows_the_question_log(
    tg: FakeTelegram, start_bot: StartBot
) -> None:
    await start_bot()
    fay = tg.user(1006)
    for _ in range(2):
        await fay.send("引导基金对子基金的返投比例要求是多少？")
        await fay.wait_for()
    await fay.command("start")
    await fay.wait_for()
    query = await fay.tap("基金")
    (topic,) = await fay.wait_for()
    assert (await fay.wait_answer(query)).answered
    assert topic.labels[0] == "引导基金对子基金的返投比例要求是多少？"
    assert topic.labels[1] == "青禾区政府投资引导基金的规模是多少？"


async def test_command_menus_in_both_languages(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    zh = tg.commands({"type": "all_private_chats"}, "")
    en = tg.commands({"type": "all_private_chats"}, "en")
    assert {"command": "start", "description": "开始 / 主菜单"} in zh
    assert {"command": "help", "description": "What I can and cannot do"} in en


async def test_buttons_of_other_features_do_not_hang(tg: FakeTelegram, start_bot: StartBot) -> None:
    await start_bot()
    gus = tg.user(1007)
    await gus.command("start")
    await gus.wait_for()
    for label in ("登记融资需求", "联系工作人员"):
        query = await gus.tap(label)
        record = await gus.wait_answer(query)
        assert record.answered
    await tg.wait_idle()
    assert tg.unanswered_callbacks() == []
