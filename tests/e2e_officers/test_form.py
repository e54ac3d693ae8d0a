"""The financing form end to end: validation, editing, cancelling, resuming after a restart.

Timeouts run on the bureau's clock (the fixture's ManualClock): a test moves it on and the
form's timeout job, which checks every second, does the rest; nothing sleeps.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from sqlalchemy import select

from bot.db.models import FlowState
from tests.e2e_officers.conftest import OFFICER_A, OFFICERS_CHAT, StartBureau
from tests.e2e_officers.helpers import ANSWERS, VALID_USCC, fill_form, say, submit
from tests.fakebot import FakeTelegram


async def test_full_request_is_stored_and_carded_for_officers_only(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    officer = tg.user(OFFICER_A, "李科长").in_group(b.group)
    alice = tg.user(1001, "王总")
    ref = await submit(alice)
    assert ref == "RZ-20261124-0001"
    row = await b.services.requests.by_ref(ref)
    assert row is not None
    assert (row.company, row.uscc, row.phone, row.amount_yuan, row.fin_type, row.term_months) == (
        "青禾科技有限公司",
        VALID_USCC,
        "13812345678",
        5_000_000,
        "gov_guarantee",
        12,
    )
    assert [e.kind for e in await b.services.requests.events(row.id)] == ["created"]
    (card,) = await officer.wait_for(lambda m: ref in m.text)
    assert card.chat_id == OFFICERS_CHAT and "13812345678" in card.text and "500万元" in card.text
    assert card.labels == ["认领"]
    assert not any("13812345678" in text for text in alice.texts()[-1:])


async def test_each_wrong_answer_gets_its_reason_and_the_same_question(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    bob = tg.user(1002)
    await bob.command("financing")
    await bob.wait_for(lambda m: m.text.startswith("1/9"))
    await say(bob, ANSWERS["company"])
    await bob.send(VALID_USCC[:-1] + "4")  # wrong check character
    error, again = await bob.wait_for(count=2)
    assert "校验位不正确" in error.text and again.text.startswith("2/9")
    await say(bob, VALID_USCC)
    await say(bob, ANSWERS["contact"])
    await bob.send("1381234567890")  # 13 digits
    error, again = await bob.wait_for(count=2)
    assert "手机号应为 11 位数字，您输入了 13 位" in error.text and again.text.startswith("4/9")
    await say(bob, "0571-87654321")
    for wrong, reason in (
        ("abc", "无法识别金额"),
        ("0", "金额必须大于 0"),
        ("10000000000000", "超过 1000 亿元"),
        ("-5万", "不能为负数"),
    ):
        await bob.send(wrong)
        error, again = await bob.wait_for(count=2)
        assert reason in error.text, wrong
        assert again.text.startswith("5/9")
    question = await say(bob, "五百万")
    assert question.text.startswith("6/9")
    await bob.send("贷款")  # typed instead of tapping a type
    error, again = await bob.wait_for(count=2)
    assert "请点击" in error.text and again.labels[0] == "流动资金贷款"
    await bob.tap("应急转贷")
    await bob.wait_for(lambda m: m.text.startswith("7/9"))
    await bob.send("999")
    error, again = await bob.wait_for(count=2)
    assert "1 到 360 个月" in error.text and again.text.startswith("7/9")
    await say(bob, "3年")
    await bob.send("用" * 501)
    error, again = await bob.wait_for(count=2)
    assert "最多 500 字，您写了 501 字" in error.text and again.text.startswith("8/9")
    await say(bob, "周转")
    await bob.tap("同意并继续")
    (summary,) = await bob.wait_for(lambda m: m.text.startswith("请核对"))
    for shown in (
        "青禾科技有限公司",
        VALID_USCC,
        "0571-87654321",
        "500万元",
        "应急转贷",
        "36 个月",
    ):
        assert shown in summary.text
    assert b.services.requests is not None


async def test_edit_from_summary_changes_only_that_answer(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    carol = tg.user(1003)
    await fill_form(carol)
    await carol.tap("修改")
    await carol.wait_for(lambda m: m.text.startswith("要修改哪一项"))
    await carol.tap("融资金额")
    await carol.wait_for(lambda m: m.text.startswith("5/9"))
    summary = await say(carol, "1.2亿元")
    assert summary.text.startswith("请核对") and "1.2亿元" in summary.text
    await carol.tap("确认提交")
    await carol.wait_for(lambda m: "已提交" in m.text)
    (row,) = await b.services.requests.for_user(1003)
    assert row.amount_yuan == 120_000_000 and row.company == ANSWERS["company"]


async def test_cancel_midway_discards_everything(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    dave = tg.user(1004)
    await dave.command("financing")
    await dave.wait_for(lambda m: m.text.startswith("1/9"))
    await say(dave, ANSWERS["company"])
    await dave.command("cancel")
    (done,) = await dave.wait_for()
    assert done.text == "已取消融资需求登记，填写的信息已删除。"
    assert await b.services.requests.for_user(1004) == []
    await dave.command("myrequests")
    (mine,) = await dave.wait_for()
    assert "还没有登记融资需求" in mine.text


async def test_restart_mid_form_resumes_at_the_same_step(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    erin = tg.user(1005)
    await erin.command("financing")
    await erin.wait_for(lambda m: m.text.startswith("1/9"))
    for key in ("company", "uscc", "contact", "phone"):
        await say(erin, ANSWERS[key])
    b = await bureau()  # stop the application, start a new one on the same database
    async with b.services.db() as session:
        stored = (await session.scalars(select(FlowState))).all()
    assert {s.kind for s in stored} >= {"financing_form"}
    values = cast(dict[str, object], stored[0].data["values"])  # the answers so far, by key
    assert {"company", "uscc", "contact", "phone"} <= set(values)
    question = await say(erin, "0.5亿")
    assert question.text.startswith("6/9")
    await erin.tap("上市辅导")
    await erin.wait_for(lambda m: m.text.startswith("7/9"))
    await say(erin, "24")
    await say(erin, "上市前股改")
    await erin.tap("同意并继续")
    (summary,) = await erin.wait_for(lambda m: m.text.startswith("请核对"))
    assert ANSWERS["company"] in summary.text and "13812345678" in summary.text
    await erin.tap("确认提交")
    await erin.wait_for(lambda m: "已提交" in m.text)
    (row,) = await b.services.requests.for_user(1005)
    assert (row.company, row.amount_yuan, row.fin_type) == (
        ANSWERS["company"],
        50_000_000,
        "listing",
    )


async def test_consent_refused_stores_nothing(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    finn = tg.user(1006)
    await finn.command("financing")
    await finn.wait_for(lambda m: m.text.startswith("1/9"))
    for key in ("company", "uscc", "contact", "phone", "amount"):
        await say(finn, ANSWERS[key])
    await finn.tap("其他")
    await finn.wait_for(lambda m: m.text.startswith("7/9"))
    await say(finn, "6")
    await say(finn, "周转")
    await finn.tap("不同意")
    (msg,) = await finn.wait_for(lambda m: "未获得您的同意" in m.text)
    assert msg.text
    assert await b.services.requests.for_user(1006) == []


async def test_myrequests_lists_only_own_requests(tg: FakeTelegram, bureau: StartBureau) -> None:
    await bureau()
    gina, hank = tg.user(1007), tg.user(1008)
    ref = await submit(gina)
    await gina.command("myrequests")
    (mine,) = await gina.wait_for()
    assert ref in mine.text and "待认领" in mine.text
    await hank.command("myrequests")
    (theirs,) = await hank.wait_for()
    assert ref not in theirs.text and "还没有登记" in theirs.text
    await hank.command(f"request {ref}")
    (refused,) = await hank.wait_for()
    assert "仅供金融局工作人员" in refused.text and "13812345678" not in refused.text


async def test_abandoned_form_times_out_with_a_message(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau(form_timeout_minutes=0.01)  # 0.6 s
    ivy = tg.user(1009)
    await ivy.command("financing")
    await ivy.wait_for(lambda m: m.text.startswith("1/9"))
    await say(ivy, ANSWERS["company"])
    b.clock.advance(timedelta(seconds=0.6))
    (gone,) = await ivy.wait_for(lambda m: "已自动取消" in m.text, timeout=5)
    assert "0.01 分钟" in gone.text
    await ivy.command("myrequests")
    await ivy.wait_for()
    assert await b.services.requests.for_user(1009) == []
    await ivy.command("financing")
    (again,) = await ivy.wait_for(lambda m: m.text.startswith("1/9"))
    assert again.text.startswith("1/9")


async def test_form_restored_after_restart_still_times_out(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    """PTB re-arms a timeout only on the next update; a user who never comes back after a
    restart must still get the timeout message, and their half-filled answers are dropped."""
    await bureau()
    jack = tg.user(1010)
    await jack.command("financing")
    await jack.wait_for(lambda m: m.text.startswith("1/9"))
    for key in ("company", "uscc", "contact"):
        await say(jack, ANSWERS[key])
    b = await bureau(form_timeout_minutes=0.02)  # restart; 1.2 s for the restored form
    b.clock.advance(timedelta(seconds=1.2))
    (gone,) = await jack.wait_for(lambda m: "已自动取消" in m.text, timeout=10)
    assert "/financing" in gone.text
    async with b.services.db() as session:
        stored = (await session.scalars(select(FlowState))).all()
    assert [(s.kind, s.data) for s in stored] == []  # neither the step nor the answers
    await jack.send("应急转贷怎么申请？")  # answered as a question, not taken as a phone number
    (reply,) = await jack.wait_for()
    assert not reply.text.startswith("4/9") and "手机" not in reply.text
    await jack.command("financing")
    (again,) = await jack.wait_for(lambda m: m.text.startswith("1/9"))
    assert ANSWERS["company"] not in again.text


async def test_user_back_after_restart_keeps_the_form_until_its_own_timeout(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    """The re-armed timer must not cut off a user who resumed the form after the restart."""
    await bureau()
    kim = tg.user(1011)
    await kim.command("financing")
    await kim.wait_for(lambda m: m.text.startswith("1/9"))
    await say(kim, ANSWERS["company"])
    b = await bureau(form_timeout_minutes=0.05)  # 3 s left for the restored form
    b.clock.advance(timedelta(seconds=1.5))
    second = await say(kim, VALID_USCC)  # back in time: the 3 s start again
    assert second.text.startswith("3/9")
    b.clock.advance(timedelta(seconds=2.0))  # 3.5 s since the restored form, 2 s since the answer
    assert await b.services.forms.expire_due() == []
    third = await say(kim, ANSWERS["contact"])
    assert third.text.startswith("4/9")
    assert not [text for text in kim.texts() if "已自动取消" in text]
