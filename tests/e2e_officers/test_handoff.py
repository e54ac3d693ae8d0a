"""Live handoff end to end: card, claim, relay both ways (text and photo), end, rating,
turning a case into a pre-filled financing request, the after-hours notice, an officer's
/end as a reply in the group, an English-speaking entrepreneur, and officer replies that
must reach the entrepreneur even while that officer is in the middle of another flow."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e_officers.conftest import OFFICER_A, OFFICER_B, StartBureau
from tests.e2e_officers.helpers import (
    VALID_USCC,
    case_id,
    claimed_case,
    is_card,
    open_case,
    relay_to_group,
    say,
)
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


STARS = ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]
END_HINT = "请回复要结束的会话卡片或其中转来的消息，并发送 /end。"


async def test_officer_ends_the_case_replied_to_with_end_in_group(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    stranger = tg.user(888, "群成员").in_group(b.group)
    alice, carol = tg.user(1001, "王总"), tg.user(1003, "陈总")
    alice_card = await claimed_case(alice, li, "续贷怎么办")
    carol_card = await claimed_case(carol, li, "想了解应急转贷")
    relayed = await relay_to_group(alice, li, "下个月到期")

    await li.command("end")
    (hint,) = await li.wait_for()
    assert hint.text == END_HINT
    chatter = await stranger.send("大家好")
    await li.command("end", reply_to=chatter.message_id)  # a reply, but not to a case
    (hint_again,) = await li.wait_for()
    assert hint_again.text == END_HINT
    await stranger.command("end", reply_to=relayed)
    (refusal,) = await stranger.wait_for()
    assert refusal.text.startswith("抱歉，该功能仅供金融局工作人员")
    assert b.services.handoffs.is_relaying(1001) and b.services.handoffs.is_relaying(1003)

    await li.command("end", reply_to=relayed)
    (ended,) = await alice.wait_for()
    assert ended.text.startswith("本次人工服务已结束") and ended.labels == STARS
    closed = b.group.chat.bot_messages[alice_card.message_id]
    assert "已结束｜负责人：李科长" in closed.text and closed.labels == ["存为常见问答"]
    (note,) = await li.wait_for(lambda m: m.text == f"#{case_id(alice_card)} 已结束。")
    assert note.reply_to_message_id == alice_card.message_id
    # only the case replied to ended: Carol is still talking to the officer
    assert b.services.handoffs.is_relaying(1003) and not b.services.handoffs.is_relaying(1001)
    assert "服务中" in b.group.chat.bot_messages[carol_card.message_id].text
    row = await b.services.handoffs.get(case_id(alice_card))
    assert row is not None and row.status == "closed" and row.closed_by == OFFICER_A

    await alice.send("担保费率是多少？")
    (auto,) = await alice.wait_for()
    assert auto.text.startswith("知识库暂时为空")  # the bot answers again (empty test KB)
    assert not [m for m in li.messages() if "担保费率" in m.text]
    await alice.tap("⭐⭐⭐⭐", message=ended)
    (thanks,) = await alice.wait_for()
    assert thanks.text == "感谢您的评价！ ⭐⭐⭐⭐"

    await li.command("end", reply_to=alice_card)
    (again,) = await li.wait_for()
    assert again.text == f"#{case_id(alice_card)} 已经结束，无需再次结束。"
    seen = (b.group.texts(), alice.texts())
    await li.send("收到，谢谢", reply_to=alice_card)  # chatter about a closed case
    await tg.wait_idle()
    assert (b.group.texts(), alice.texts()) == seen  # neither relayed nor answered as a question
    await li.command("end", mention=True, reply_to=carol_card)
    (carol_ended,) = await carol.wait_for()
    assert carol_ended.labels == STARS
    assert not b.services.handoffs.is_relaying(1003)


async def test_english_entrepreneur_gets_the_handoff_in_english(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    bob = tg.user(1002, "Bob", language_code="en")
    await bob.command("human")
    (ask,) = await bob.wait_for()
    assert ask.text.startswith("I will put you in touch with an officer") and ask.labels == ["Skip"]
    await bob.send("We need a working capital loan")
    (waiting,) = await bob.wait_for()
    assert waiting.text.startswith("The officers have been notified")
    (card,) = await li.wait_for(is_card)
    assert "用户：Bob（语言：en）" in card.text  # the bureau's side stays Chinese
    assert card.labels == ["认领", "结束", "转为融资需求"]
    await li.tap("认领", message=card)
    (claimed,) = await bob.wait_for()
    assert claimed.text == "Officer 李科长 is now helping you; just send your messages."

    relayed = await relay_to_group(bob, li, "About 3 million yuan for 12 months")
    assert relayed.text.startswith(f"#{case_id(card)} Bob：")
    await li.send("请提供近三个月的银行流水。", reply_to=relayed)
    (answer,) = await bob.wait_for()
    assert answer.text == "Officer 李科长:\n请提供近三个月的银行流水。"

    await li.command("end", reply_to=relayed)
    (ended,) = await bob.wait_for()
    assert ended.text == (
        "The conversation with the officer has ended; I will answer your questions again. "
        "Please rate it:"
    )
    assert ended.labels == STARS
    (note,) = await li.wait_for(lambda m: m.message_id != card.message_id)
    assert note.text == f"#{case_id(card)} 已结束。"
    assert "状态：已结束" in b.group.chat.bot_messages[card.message_id].text
    query = await bob.tap("⭐⭐⭐", message=ended)
    assert (await bob.wait_answer(query)).text == "Thank you for your rating!"
    (thanks,) = await bob.wait_for()
    assert thanks.text == "Thank you for your rating! ⭐⭐⭐"
    row = await b.services.handoffs.get(case_id(card))
    assert row is not None and row.rating == 3 and row.lang == "en"
    await bob.command("end")
    (nothing_live,) = await bob.wait_for()
    assert nothing_live.text == "You are not talking to an officer right now."


async def test_switching_to_english_during_a_case_applies_at_once(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    carol = tg.user(1003, "陈总")
    card = await open_case(carol, li, "想贷款")
    await carol.command("lang en")
    await carol.wait_for()
    await li.tap("认领", message=card)
    (claimed,) = await carol.wait_for()
    assert claimed.text == "Officer 李科长 is now helping you; just send your messages."
    await li.tap("结束", message=card)
    (ended,) = await carol.wait_for()
    assert ended.text.startswith("The conversation with the officer has ended")
    assert "用户：陈总（语言：zh）" in b.group.chat.bot_messages[card.message_id].text


async def test_officer_saving_an_faq_in_the_group_still_answers_live_cases(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    alice, carol = tg.user(1001, "王总"), tg.user(1003, "陈总")
    done = await claimed_case(alice, li, "无还本续贷要什么材料")
    asked = await relay_to_group(alice, li, "需要审计报告吗？")
    await li.send("需要近一年的财务报表即可。", reply_to=asked)
    await alice.wait_for()
    await li.command("end", reply_to=done)
    await alice.wait_for()
    live = await claimed_case(carol, li, "应急转贷怎么申请")
    question = await relay_to_group(carol, li, "周转资金什么时候能到账？")

    await li.tap("存为常见问答", message=done)  # the FAQ-editing flow now runs in the group
    (wording,) = await li.wait_for(lambda m: m.text.startswith("问题措辞"))
    assert "无还本续贷要什么材料" in wording.text
    await li.send("一般三个工作日内到账。", reply_to=question)
    (reply,) = await carol.wait_for()
    assert reply.text == "工作人员 李科长：\n一般三个工作日内到账。"
    await li.send("请把合同发来。", reply_to=live)  # a reply to the card is relayed too
    (second,) = await carol.wait_for()
    assert second.text == "工作人员 李科长：\n请把合同发来。"
    await li.command("end", reply_to=question)  # and /end still ends the case
    (ended,) = await carol.wait_for()
    assert ended.labels == STARS
    lines = await b.services.handoffs.transcript(case_id(live))
    assert [(line.direction, line.text) for line in lines] == [
        ("user", "应急转贷怎么申请"),
        ("user", "周转资金什么时候能到账？"),
        ("officer", "一般三个工作日内到账。"),
        ("officer", "请把合同发来。"),
    ]

    await li.send("无还本续贷需要哪些材料？")  # the FAQ flow goes on where it was
    (answer_prompt,) = await li.wait_for(lambda m: m.text.startswith("当前答案"))
    assert "近一年的财务报表" in answer_prompt.text
    await li.tap("使用此答案", message=answer_prompt)
    await li.wait_for(lambda m: "关联" in m.text)
    await li.tap("不关联")
    (saved,) = await li.wait_for(lambda m: "已保存问答" in m.text)
    assert "无还本续贷需要哪些材料？" in saved.text
