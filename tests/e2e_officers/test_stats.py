"""/stats and /export questions as officers, an admin and an entrepreneur use them."""

from __future__ import annotations

import asyncio
import csv
import io

from openpyxl import load_workbook

from handlers.context import Ctx
from handlers.officers import send_reminders
from tests.e2e_officers.conftest import ADMIN, OFFICER_A, Bureau, StartBureau
from tests.fakebot import FakeTelegram
from tests.fakebot.records import BotMessage
from tests.stats_seed import ASKER, DOC, PHONE, Expected, seed

PNG = b"\x89PNG\r\n\x1a\n"


async def _seeded(bureau: StartBureau) -> Bureau:
    b = await bureau()
    svc = b.services
    await seed(svc.db, svc.requests, svc.handoffs, b.clock)
    await _reminded(b)
    return b


async def _reminded(b: Bureau) -> None:
    """Post the seed's SLA reminder now, before the test speaks.

    The seed leaves a request unclaimed for three working hours. The job queue's first SLA
    run (one second after start) would otherwise post its reminder into the group at a moment
    of its own, sometimes inside a wait that expects the one reply to a command. A sweep run
    here delivers it first; the scheduled run then finds it already sent.
    """
    swept = asyncio.Event()

    async def sweep(context: Ctx) -> None:
        try:
            await send_reminders(context)
        finally:
            swept.set()

    b.app.job_queue.run_once(sweep, 0)
    await asyncio.wait_for(swept.wait(), 10)
    assert sum("⏰" in text for text in b.group.texts()) == 1


def _summary(m: BotMessage) -> bool:
    return m.text.startswith("📊")


async def test_stats_sends_a_chart_and_the_seeded_figures(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await _seeded(bureau)
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await li.command("stats")
    chart, summary = await li.wait_for(lambda m: m.photo is not None or _summary(m), count=2)
    assert chart.photo is not None and chart.photo.data.startswith(PNG)
    assert "2026-11-18 至 2026-11-24" in chart.text  # the caption
    e = Expected()
    lines = summary.text.splitlines()
    assert lines[0] == "📊 问答统计 2026-11-18 至 2026-11-24（7 天）"
    assert lines[1] == (
        f"问题 {e.questions} 条：已解答 {e.answered}，推荐 {e.suggested}，未解答 {e.declined}"
    )
    assert lines[2] == f"反馈：👍 {e.likes}，👎 {e.dislikes}（好评率 50%）"
    assert lines[3] == f"引用最多的文件：1.《{DOC}》 3"  # no title: the bot has no documents
    assert lines[4] == f"引用最多的条款：《{DOC}》第九条 办理时限 2，《{DOC}》第十条 收费 1"
    assert lines[5].startswith("未解答热点：上市奖励怎么申请 ×2，")
    assert (
        f"融资需求共 {e.requests} 条" in summary.text
        and "按状态：已关闭 1，待认领 1" in summary.text
    )
    assert "认领用时中位数：1.0 小时" in summary.text and "办结用时中位数：3.0 小时" in summary.text
    assert f"：{e.sla_met}/{e.sla_judged}（67%）" in summary.text
    assert "转人工 1 次，评分 1 次，平均 4.0 分" in summary.text
    assert summary.labels == ["7 天", "30 天"] and PHONE not in summary.text

    await li.tap("30 天", message=summary)
    chart30, summary30 = await li.wait_for(lambda m: m.photo is not None or _summary(m), count=2)
    assert chart30.photo is not None and chart30.photo.data.startswith(PNG)
    assert "2026-10-26 至 2026-11-24（30 天）" in summary30.text
    assert "问题 7 条：已解答 3，推荐 1，未解答 3" in summary30.text

    await li.command("stats 2026-11-10 2026-11-10")
    _, one_day = await li.wait_for(lambda m: m.photo is not None or _summary(m), count=2)
    assert "问题 1 条：已解答 0，推荐 0，未解答 1" in one_day.text
    assert "融资需求共 0 条" in one_day.text and "（无）" in one_day.text

    await li.command("stats 2026-11-30 2026-11-01")
    (usage,) = await li.wait_for()
    assert usage.text.startswith("用法：/stats")


async def test_stats_and_question_export_are_refused_to_entrepreneurs(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await _seeded(bureau)
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await li.command("stats")
    _, summary = await li.wait_for(lambda m: m.photo is not None or _summary(m), count=2)
    mallory = tg.user(666, "路人甲")
    in_group = mallory.in_group(b.group)
    for chatter in (mallory, in_group):
        for cmd in ("stats", "stats 30", "export questions", "export questions unmasked"):
            await chatter.command(cmd)
            (reply,) = await chatter.wait_for()
            assert "仅供金融局工作人员" in reply.text, cmd
    query = await in_group.tap("30 天", message=summary)
    assert (await in_group.wait_answer(query)).show_alert
    await b.tg.wait_idle()
    assert not [m for m in b.group.messages() if m.photo is not None][1:]  # only li's chart
    assert not [m for m in mallory.messages() if m.photo or m.document]
    assert await b.services.audit.recent(action="question.export") == []


def _sheet(message: BotMessage) -> list[tuple[object, ...]]:
    assert message.document is not None
    sheet = load_workbook(io.BytesIO(message.document.data)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


async def test_question_export_is_masked_and_unmasked_only_for_admins(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await _seeded(bureau)
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    await li.command("export questions 2026-11-01 2026-11-30")
    csv_msg, xlsx_msg = await li.wait_for(lambda m: m.document is not None, count=2)
    assert csv_msg.document is not None and csv_msg.document.data.startswith(b"\xef\xbb\xbf")
    assert csv_msg.document.filename == "questions-20261101-20261130.csv"
    assert "共 7 条（已脱敏）" in csv_msg.text
    rows = _sheet(xlsx_msg)
    assert rows[0][:4] == ("时间", "用户", "语言", "问题") and "反馈原因" in rows[0]
    assert len(rows) == 8
    first = rows[1]
    assert first[0] == "2026-11-10 15:07" and first[4] == "未解答"
    by_text = {str(r[3]): r for r in rows[1:]}
    assert "'=担保收费标准" in by_text  # a question that looks like a formula stays text
    asked = next(r for r in rows[1:] if str(r[3]).startswith("担保办理要多久"))
    assert PHONE not in str(asked[3]) and asked[5] == DOC and asked[6] == "第九条 办理时限"
    assert asked[8] == "👍" and asked[10] == 101
    users = {r[1] for r in rows[1:]}
    assert all(str(u).startswith("u-") for u in users) and str(ASKER) not in users
    text = csv_msg.document.data.decode("utf-8-sig")
    assert PHONE not in text and list(csv.reader(io.StringIO(text)))[1][0] == "2026-11-10 15:07"

    await li.command("export questions 2026-11-01 2026-11-30 unmasked")
    (refused,) = await li.wait_for()
    assert refused.text == "只有管理员可以导出未脱敏的问答记录。"
    admin = tg.user(ADMIN, "张局")
    await admin.command("export questions 2026-11-01 unmasked")
    _, unmasked = await admin.wait_for(lambda m: m.document is not None, count=2)
    assert "（未脱敏，已记录审计）" in unmasked.text
    plain = _sheet(unmasked)
    assert any(PHONE in str(r[3]) for r in plain) and str(ASKER) in {r[1] for r in plain}
    audit = await b.services.audit.recent(action="question.export")
    assert [(a.actor_id, a.detail["unmasked"], a.detail["count"]) for a in audit] == [
        (ADMIN, True, 7),
        (OFFICER_A, False, 7),
    ]
