"""/unanswered groups the week's misses; 保存为问答 makes them answerable at once; /faq edits."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from bot.clock import UTC, ManualClock, local_today
from bot.expiry import ExpiryReport, expiry_report
from bot.services import Services
from handlers.admin import expiry_job
from handlers.context import SERVICES_KEY
from tests.e2e.conftest import RunningBot, StartBot
from tests.e2e_admin.conftest import ADMIN, ADMIN2, ENTREPRENEUR, OFFICER, POLICY_V1
from tests.fakebot import FakeTelegram

MISSES = [
    "猫咪绝育手术疼不疼",
    "猫咪的绝育手术疼不疼啊",
    "猫咪绝育手术会疼吗",
    "火锅店营业时间几点",
]
ANSWER = "猫咪绝育请咨询区农业农村局动物防疫站，电话 0000-1234。"


async def test_unanswered_grouped_then_saved_and_answered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    user = tg.user(ENTREPRENEUR, "王总")
    for q in MISSES:
        await user.send(q)
        await user.wait_for(timeout=30)  # a no-answer reply (its wording is ISSUE 4's)
    officer = tg.user(OFFICER, "李科员")
    await officer.command("unanswered")
    (listing,) = await officer.wait_for()
    lines = listing.text.splitlines()
    assert lines[0] == "最近 7 天未能解答的问题（2 类，共 4 次）："
    assert lines[1].startswith("1. 猫咪绝育手术") and "（3 次；无答案）" in lines[1]
    assert lines[2] == "2. 火锅店营业时间几点（1 次；无答案）"
    await officer.tap("保存为问答 1")
    (prompt,) = await officer.wait_for()
    assert "问题措辞" in prompt.text
    await officer.send("猫咪绝育手术疼不疼")
    await officer.wait_for(lambda m: "请发送这个问题的答案" in m.text)
    await officer.send(ANSWER)
    (_link,) = await officer.wait_for(lambda m: "关联" in m.text)
    await officer.tap("不关联")
    (saved,) = await officer.wait_for(lambda m: "已保存问答" in m.text)
    assert "learned-001" in saved.text
    await user.send("猫咪绝育手术疼不疼")
    (answer,) = await user.wait_for(timeout=30)
    assert ANSWER in answer.text
    (entry,) = await bot.services.audit.recent(action="faq.add")
    assert entry.actor_id == OFFICER and entry.target == "learned-001"


async def test_entrepreneur_cannot_see_unanswered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    await start_bot(**admin_settings)
    user = tg.user(ENTREPRENEUR)
    await user.command("unanswered")
    (reply,) = await user.wait_for()
    assert reply.text == "此功能仅限工作人员使用。"


async def test_handoff_answer_saved_as_faq_then_answered_directly(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    handoffs = bot.services.handoffs
    case, _ = await handoffs.open(
        user_id=ENTREPRENEUR, chat_id=ENTREPRENEUR, user_name="王总", lang="zh", note=""
    )
    await handoffs.claim(case.id, OFFICER, "李科员")
    await handoffs.record(
        case.id,
        direction="user",
        sender_id=ENTREPRENEUR,
        sender_name="王总",
        kind="text",
        text="跨境电商企业可以申请出口信保补贴吗？",
    )
    await handoffs.record(
        case.id,
        direction="officer",
        sender_id=OFFICER,
        sender_name="李科员",
        kind="text",
        text="可以，按实缴保费的50%给予补贴，每户每年最高20万元。",
    )
    await handoffs.close(case.id, OFFICER)
    officer = tg.user(OFFICER, "李科员")
    await officer.command(f"savefaq {case.id}")
    (prompt,) = await officer.wait_for()
    assert "跨境电商企业可以申请出口信保补贴吗？" in prompt.text
    await officer.tap("使用此措辞")
    (answer_prompt,) = await officer.wait_for()
    assert "按实缴保费的50%" in answer_prompt.text
    await officer.tap("使用此答案")
    await officer.wait_for(lambda m: "关联" in m.text)
    await officer.tap("不关联")
    await officer.wait_for(lambda m: "已保存问答" in m.text)
    user = tg.user(ENTREPRENEUR)
    await user.send("跨境电商企业可以申请出口信保补贴吗？")
    (reply,) = await user.wait_for(timeout=30)
    assert "每户每年最高20万元" in reply.text


async def test_faq_list_edit_and_remove(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    total = len(bot.services.kb.faqs())
    first = bot.services.kb.faqs()[0]
    admin = tg.user(ADMIN)
    await admin.command("faq")
    (page,) = await admin.wait_for()
    assert f"共 {total} 条" in page.text and f"✏️ {first.faq_id}" in page.labels
    await admin.tap(f"✏️ {first.faq_id}")
    await admin.wait_for(lambda m: "问题措辞" in m.text)
    await admin.tap("使用此措辞")
    await admin.wait_for(lambda m: "当前答案" in m.text)
    await admin.send("新的答案：请以最新通知为准。")
    await admin.wait_for(lambda m: "关联" in m.text)
    await admin.tap("不关联")
    await admin.wait_for(lambda m: "已保存问答" in m.text)
    edited = bot.services.kb.store.snapshot().faqs[first.faq_id]
    assert edited.answer == "新的答案：请以最新通知为准。" and edited.questions == first.questions
    await admin.command("faq")
    await admin.wait_for()
    await admin.tap(f"🗑 {first.faq_id}")
    await admin.wait_for(lambda m: "确定删除问答" in m.text)
    await admin.tap("确认删除")
    await admin.wait_for(lambda m: "已删除问答" in m.text)
    assert first.faq_id not in bot.services.kb.store.snapshot().faqs
    actions = [(e.action, e.actor_id) for e in await bot.services.audit.recent()]
    assert ("faq.edit", ADMIN) in actions and ("faq.remove", ADMIN) in actions


async def test_expiry_job_warns_admins_once_and_retires(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("digital-rmb.md", POLICY_V1.encode())
    await admin.wait_for(lambda m: "✅" in m.text, timeout=30)
    admin2 = tg.user(ADMIN2, "管理员二")
    admin2.chat.started = True
    clock = ManualClock(datetime(2028, 3, 5, 2, 0, tzinfo=UTC))  # 10:00 in Shanghai, 26 days left
    bot.app.bot_data[SERVICES_KEY] = dataclasses.replace(bot.services, clock=clock)
    sample_expiring = {i.doc_id for i in _report(bot).expiring}
    bot.app.job_queue.run_once(expiry_job, 0)
    (notice,) = await admin.wait_for(lambda m: "有效期提醒" in m.text)
    assert (
        "《青禾区数字人民币试点企业补贴办法》（青金发〔2025〕31号）将于 2028-03-31 到期（还有 26 天）"
        in notice.text
    )
    (notice2,) = await admin2.wait_for(lambda m: "有效期提醒" in m.text)
    assert notice2.text == notice.text
    assert "digital-rmb" in sample_expiring
    bot.app.job_queue.run_once(expiry_job, 0)  # the next day: nothing new to say
    clock.advance(timedelta(days=1))
    await tg.wait_idle()
    assert sum("有效期提醒" in m.text for m in admin.messages()) == 1
    clock.set(datetime(2028, 4, 1, 2, 0, tzinfo=UTC))  # 有效期至 2028-03-31 has passed
    bot.app.job_queue.run_once(expiry_job, 0)
    (expired,) = await admin.wait_for(lambda m: "已于 2028-03-31 到期" in m.text)
    assert "已自动停止作为现行政策引用" in expired.text
    today = clock.now().date()
    assert bot.services.kb.store.snapshot().status_of("digital-rmb", today) == "expired"
    audit = [(e.action, e.target) for e in await bot.services.audit.recent(limit=500)]
    assert ("doc.expiry_warned", "digital-rmb") in audit and ("doc.expired", "digital-rmb") in audit


def _report(bot: RunningBot) -> ExpiryReport:
    """The report as of the clock of the services the running application holds now."""
    svc: Services = bot.app.bot_data[SERVICES_KEY]
    return expiry_report(svc.kb, local_today(svc.clock))
