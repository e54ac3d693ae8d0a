"""Canned replies: an admin adds one, officers list it and send it in a handoff with /c,
the entrepreneur receives it filled in through the relay; a missing variable stops it."""

from __future__ import annotations

from tests.e2e_officers.conftest import ADMIN, OFFICER_A, StartBureau
from tests.e2e_officers.helpers import VALID_USCC, case_id, say
from tests.fakebot import FakeTelegram

MATERIALS = "{企业名称}您好，您的需求 {编号} 已受理。\n请准备近三个月银行流水。"


async def test_admin_adds_officer_sends_filled_reply_through_the_relay(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    admin = tg.user(ADMIN, "张管理")
    await admin.command(f"canned add 材料 {MATERIALS}")
    (added,) = await admin.wait_for()
    assert added.text == "✅ 已保存快捷回复“材料”。"
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await li.command("canned")
    (listing,) = await li.wait_for()
    assert "快捷回复（1 条）：" in listing.text
    assert "• 材料：{企业名称}您好，您的需求 {编号} 已受理。" in listing.text
    assert "请准备" not in listing.text  # the first line only

    carol = tg.user(1003, "陈总")
    await carol.command("human")
    await carol.wait_for()
    await carol.send(f"我们公司代码 {VALID_USCC}，想贷 800万 买设备，电话 13900001111")
    await carol.wait_for()
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    await li.tap("转为融资需求", message=card)
    (offer,) = await carol.wait_for()
    await carol.tap("填写融资需求", message=offer)
    await carol.wait_for(lambda m: m.text.startswith("1/9"))
    await say(carol, "陈氏精密制造有限公司")
    await say(carol, "陈建国")
    await carol.tap("流动资金贷款")
    await carol.wait_for(lambda m: m.text.startswith("7/9"))
    await say(carol, "12")
    await carol.tap("同意并继续")
    await carol.wait_for(lambda m: m.text.startswith("请核对"))
    await carol.tap("确认提交")
    (saved,) = await carol.wait_for(lambda m: "已提交" in m.text)
    ref = saved.text.split("编号 ")[1].split("。")[0]

    await li.command("c 材料", reply_to=card)  # answering an unclaimed case takes it
    (received,) = await carol.wait_for(lambda m: m.text.startswith("工作人员 李科长："))
    assert received.text == (
        f"工作人员 李科长：\n陈氏精密制造有限公司您好，您的需求 {ref} 已受理。\n请准备近三个月银行流水。"
    )
    (note,) = await li.wait_for(lambda m: m.text.startswith("✅ 已发送给"))
    assert note.text.startswith(f"✅ 已发送给 #{case_id(card)}：\n陈氏精密制造有限公司您好")
    await tg.wait_idle()  # the bot records the line just after its note
    lines = await b.services.handoffs.transcript(case_id(card))
    assert lines[-1].direction == "officer" and lines[-1].text == received.text.split("\n", 1)[1]
    await li.send("还需要营业执照。", reply_to=note)  # the note is part of the case too
    (typed,) = await carol.wait_for()
    assert typed.text == "工作人员 李科长：\n还需要营业执照。"


async def test_missing_variable_reported_and_nothing_sent(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    await b.services.canned.add("材料", MATERIALS, ADMIN)
    await b.services.canned.add("稍等", "{联系人}，请稍等，我们马上查询。", ADMIN)
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    alice = tg.user(1001, "王总")
    await alice.command("human 想咨询担保贷款")
    await alice.wait_for()
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    await li.tap("认领", message=card)
    await alice.wait_for()
    seen = len(alice.messages())
    await li.command("c 材料")  # no reply: the officer's only active case
    (refused,) = await li.wait_for()
    assert refused.text == (
        "未发送：以下变量在此会话中没有值：{企业名称}。请手动回复，或换一条快捷回复。"
    )
    await li.command("c 没有这条")
    (unknown,) = await li.wait_for()
    assert unknown.text == "没有名为“没有这条”的快捷回复。"
    await tg.wait_idle()
    assert len(alice.messages()) == seen  # the entrepreneur got nothing


async def test_only_officers_send_and_only_admins_manage(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    await b.services.canned.add("材料", MATERIALS, ADMIN)
    alice = tg.user(1001, "王总")
    staff_only, admins_only = "此功能仅限工作人员使用。", "抱歉，只有管理员可以添加或删除快捷回复。"
    for command, refusal in (("c 材料", staff_only), ("canned", staff_only),
                             ("canned add 坏 文本", admins_only)):  # fmt: skip
        await alice.command(command)
        (refused,) = await alice.wait_for()
        assert refused.text == refusal, command
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await li.command("canned remove 材料")
    (no,) = await li.wait_for()
    assert no.text == admins_only
    admin = tg.user(ADMIN, "张管理")
    await admin.command("canned add 坏 {公司名}您好")
    (bad,) = await admin.wait_for()
    assert bad.text.startswith("未知变量：{公司名}。")
    await admin.command("canned remove 材料")
    (removed,) = await admin.wait_for()
    assert removed.text == "🗑 已删除快捷回复“材料”。" and await b.services.canned.list() == []
