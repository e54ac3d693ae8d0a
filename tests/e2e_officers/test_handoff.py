"""Live handoff end to end: card, claim, relay both ways (text and photo), end, rating,
turning a case into a pre-filled financing request, and the after-hours notice."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e_officers.conftest import OFFICER_A, OFFICER_B, StartBureau
from tests.e2e_officers.helpers import VALID_USCC, say
from tests.fakebot import FakeTelegram

PHOTO = b"\x89PNG\r\n\x1a\nbusiness-licence"


async def test_handoff_relays_both_ways_then_ends_with_rating(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    zhao = tg.user(OFFICER_B, "赵专员").in_group(b.group)
    alice = tg.user(1001, "王总")
    await alice.command("human")
    (prompt,) = await alice.wait_for()
    assert "一句话" in prompt.text
    await alice.send("想咨询担保贷款续贷")
    (waiting,) = await alice.wait_for()
    assert "已通知工作人员" in waiting.text
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    assert "用户：王总（语言：zh）" in card.text and "留言：想咨询担保贷款续贷" in card.text
    assert card.labels == ["认领", "结束", "转为融资需求"]
    await li.tap("认领", message=card)
    (claimed,) = await alice.wait_for()
    assert claimed.text == "工作人员 李科长 正在为您服务，请直接发送消息。"
    edited = b.group.chat.bot_messages[card.message_id]
    assert "服务中｜负责人：李科长" in edited.text and "认领" not in edited.labels

    await alice.send("去年贷了 300 万，下个月到期")
    (relayed,) = await li.wait_for(lambda m: "去年贷了" in m.text)
    assert relayed.reply_to_message_id == card.message_id and relayed.text.startswith(
        f"#{card.text.split('#')[1].split()[0]} 王总："
    )
    await alice.send_photo(PHOTO, caption="营业执照")
    (photo,) = await li.wait_for(lambda m: m.photo is not None)
    assert photo.photo is not None and photo.photo.data == PHOTO and "营业执照" in photo.text
    assert alice.texts()[-1] == claimed.text  # the bot did not answer those itself

    await li.send("可以申请无还本续贷，请准备近三个月流水。", reply_to=relayed)
    (answer,) = await alice.wait_for()
    assert answer.text == "工作人员 李科长：\n可以申请无还本续贷，请准备近三个月流水。"
    await zhao.send_photo(b"\x89PNG\r\n\x1a\nchecklist", caption="材料清单")
    await tg.wait_idle()
    assert alice.texts()[-1] == answer.text  # not a reply to the case: not relayed
    await li.send("材料清单见上", reply_to=photo)
    (second,) = await alice.wait_for()
    assert second.text.endswith("材料清单见上")

    await alice.command("end")
    (ended,) = await alice.wait_for()
    assert "已结束" in ended.text and ended.labels == [
        "⭐",
        "⭐⭐",
        "⭐⭐⭐",
        "⭐⭐⭐⭐",
        "⭐⭐⭐⭐⭐",
    ]
    (closed_note,) = await li.wait_for(
        lambda m: "已结束" in m.text and m.message_id != card.message_id
    )
    assert closed_note.reply_to_message_id == card.message_id
    assert b.group.chat.bot_messages[card.message_id].labels == ["存为常见问答"]
    await alice.tap("⭐⭐⭐⭐⭐", message=ended)
    (thanks,) = await alice.wait_for()
    assert thanks.text.startswith("感谢您的评价")
    handoff_id = int(card.text.split("#")[1].split()[0])
    row = await b.services.handoffs.get(handoff_id)
    assert row is not None and row.rating == 5 and row.status == "closed"
    lines = await b.services.handoffs.transcript(handoff_id)
    assert [(line.direction, line.kind) for line in lines] == [
        ("user", "text"),
        ("user", "text"),
        ("user", "photo"),
        ("officer", "text"),
        ("officer", "text"),
    ]
    assert not b.services.handoffs.is_relaying(1001)
    await li.send("还在吗？", reply_to=relayed)
    await tg.wait_idle()
    assert alice.texts()[-1] == thanks.text  # a closed case relays nothing


async def test_officer_end_button_and_non_officer_refusal(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    stranger = tg.user(888, "群成员").in_group(b.group)
    bob = tg.user(1002, "Bob", language_code="en")
    await bob.command("human I need a loan")
    (waiting,) = await bob.wait_for()
    assert waiting.text.startswith("The officers have been notified")
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    for label in ("认领", "结束", "转为融资需求"):
        query = await stranger.tap(label, message=card)
        assert (await stranger.wait_answer(query)).show_alert
    await stranger.send("我来回答", reply_to=card)
    await tg.wait_idle()
    assert bob.texts() == [waiting.text]
    await li.tap("结束", message=card)
    (ended,) = await bob.wait_for()
    assert ended.text.startswith("The conversation with the officer has ended")
    row = await b.services.handoffs.get(int(card.text.split("#")[1].split()[0]))
    assert row is not None and row.status == "closed" and row.closed_by == OFFICER_A


async def test_handoff_becomes_prefilled_financing_request(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    carol = tg.user(1003, "陈总")
    await carol.command("human")
    await carol.wait_for()
    await carol.send(f"我们公司代码 {VALID_USCC}，想贷 800万 买设备，电话 13900001111")
    await carol.wait_for()
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    await li.tap("转为融资需求", message=card)
    (offer,) = await carol.wait_for()
    assert offer.labels == ["填写融资需求"]
    await carol.tap("填写融资需求", message=offer)
    (question,) = await carol.wait_for(lambda m: m.text.startswith("1/9"))
    assert question
    await say(carol, "陈氏精密制造有限公司")
    nxt = await say(carol, "陈建国")  # credit code and phone were already given
    assert nxt.text.startswith("6/9")  # amount too
    await carol.tap("流动资金贷款")
    await carol.wait_for(lambda m: m.text.startswith("7/9"))
    consent = await say(carol, "12")  # the purpose was pre-filled from the case: consent next
    assert consent.text.startswith("9/9")
    await carol.tap("同意并继续")
    (summary,) = await carol.wait_for(lambda m: m.text.startswith("请核对"))
    assert (
        VALID_USCC in summary.text and "13900001111" in summary.text and "800万元" in summary.text
    )
    await carol.tap("确认提交")
    await carol.wait_for(lambda m: "已提交" in m.text)
    (row,) = await b.services.requests.for_user(1003)
    handoff_id = int(card.text.split("#")[1].split()[0])
    assert row.handoff_id == handoff_id and row.amount_yuan == 8_000_000
    handoff = await b.services.handoffs.get(handoff_id)
    assert handoff is not None and handoff.request_id == row.id


async def test_after_hours_user_is_told_when_to_expect_a_reply(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    b.clock.advance(timedelta(days=4, hours=10))  # Saturday 20:00 in Shanghai
    dan = tg.user(1004)
    await dan.command("human 周末能办吗")
    waiting, later = await dan.wait_for(count=2)
    assert "已通知工作人员" in waiting.text
    assert later.text == "现在是非工作时间，工作人员将于 2026-11-30 09:00 起回复您。"


async def test_unclaimed_handoff_escalates(tg: FakeTelegram, bureau: StartBureau) -> None:
    from handlers.officers import send_reminders

    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await tg.user(1005).command("human 急")
    (card,) = await li.wait_for(lambda m: "联系工作人员 #" in m.text)
    b.clock.advance(timedelta(hours=4))
    b.app.job_queue.run_once(lambda ctx: send_reminders(ctx), 0)
    (reminder,) = await li.wait_for(lambda m: "⏰" in m.text)
    assert "无人认领" in reminder.text and reminder.reply_to_message_id == card.message_id
