"""/test QUESTION: an admin's hit test in private (what `finbot ask --explain` prints), as HTML
in one message; refused to everyone else and in groups."""

from __future__ import annotations

from handlers.render import TELEGRAM_LIMIT, visible_length
from tests.e2e_conv.conftest import ADMIN, OFFICER, StartBot
from tests.fakebot import FakeTelegram

GUARANTEE = "青禾区政府性融资担保业务管理办法"


async def test_admin_sees_the_band_the_correction_and_the_top_entries(
    tg: FakeTelegram, bot: StartBot
) -> None:
    await bot()
    admin = tg.user(ADMIN, "管理员")
    await admin.command("test 政府性融资但保的费率是多少")  # a homophone typo
    (shown,) = await admin.wait_for()
    lines = shown.text.splitlines()
    assert lines[:3] == [
        "命中测试：政府性融资但保的费率是多少",
        "结论：直接回答（置信度 1.00）。",
        "同音纠错后：政府性融资担保的费率是多少",
    ]
    assert "置信度：1.00" in lines and "前 5 个检索结果：" in lines
    entries = lines[lines.index("前 5 个检索结果：") + 1 :]
    assert len(entries) == 5 and [e[:2] for e in entries] == ["1.", "2.", "3.", "4.", "5."]
    assert f"《{GUARANTEE}》 第六条 担保费率 [现行] 关键词第1名 语义第1名 fused=" in entries[0]
    assert any(e["type"] == "bold" for e in shown.entities)
    await admin.command("test 深圳的上市奖励是多少？")
    (place,) = await admin.wait_for()
    assert "结论：不回答——问的是深圳的政策" in place.text


async def test_english_admin_long_and_marked_up_questions(tg: FakeTelegram, bot: StartBot) -> None:
    await bot()
    admin = tg.user(ADMIN, "Admin", language_code="en")
    await admin.command("test <b>guarantee</b> & fee " + "担保费率" * 1000)
    (shown,) = await admin.wait_for()
    assert shown.text.startswith("Hit test: <b>guarantee</b> & fee 担保费率")
    assert "Top 5 entries:" in shown.text and "lexical #" in shown.text
    assert "&lt;b&gt;guarantee&lt;/b&gt; &amp; fee" in (shown.html or "")
    assert visible_length(shown.html or "") <= TELEGRAM_LIMIT and len(admin.messages()) == 1
    await admin.command("test")
    (usage,) = await admin.wait_for()
    assert usage.text.startswith("Usage: /test QUESTION")


async def test_refused_to_non_admins_and_in_groups(tg: FakeTelegram, bot: StartBot) -> None:
    await bot()
    for user_id in (OFFICER, 3201):
        person = tg.user(user_id)
        await person.command("test 担保费率是多少")
        (refusal,) = await person.wait_for()
        assert refusal.text == "此功能仅限管理员使用。"
    group = tg.group(-1003201, "园区企业群")
    admin = tg.user(ADMIN, "管理员").in_group(group)
    await admin.command("test 担保费率是多少", mention=True)
    (in_group,) = await admin.wait_for()
    assert in_group.text == "请在与我的私聊中管理知识库。"
    assert not any("命中测试" in text for text in group.texts())


async def test_listed_in_the_admins_menu_and_help(tg: FakeTelegram, bot: StartBot) -> None:
    await bot()
    menu = tg.commands({"type": "chat", "chat_id": ADMIN}, "")
    assert {"command": "test", "description": "命中测试 问题"} in menu
    assert {"command": "start", "description": "开始 / 主菜单"} in menu
    assert not any(c["command"] == "test" for c in tg.commands({"type": "all_private_chats"}, ""))
    admin = tg.user(ADMIN, "管理员")
    await admin.command("help")
    (shown,) = await admin.wait_for()
    assert "/test 问题 —— 命中测试" in shown.text and "/unanswered" in shown.text
    entrepreneur = tg.user(3202)
    await entrepreneur.command("help")
    (public,) = await entrepreneur.wait_for()
    assert "/test" not in public.text and "/unanswered" not in public.text
