"""A 👎 asks why; the reason is stored with the answer's first citation and counted per
article in the officers' /unanswered; "其他" takes one sentence, kept safe."""

from __future__ import annotations

import logging

import pytest

from bot.questions import first_citation
from tests.e2e_conv.conftest import OFFICER, StartBot, logged
from tests.fakebot import FakeTelegram
from tests.fakebot.person import Person

GUARANTEE = "青禾区政府性融资担保业务管理办法"
GUARANTEE_ID = "credit.gov-guarantee-measures-2024"
FEE = "政府性融资担保的担保费率是多少？"
REASONS_ZH = ["答非所问", "内容过时", "没有找到我要的", "其他", "联系工作人员"]


async def dislike(person: Person, question: str) -> None:
    """Ask, tap 👎, and wait for the question why."""
    await person.send(question)
    (answer,) = await person.wait_for()
    down = next(label for label in answer.labels if label.startswith("👎"))
    await person.tap(down, message=answer)
    await person.wait_for(lambda m: m.message_id != answer.message_id)


async def test_a_reason_is_stored_with_the_cited_article_and_counted_in_unanswered(
    tg: FakeTelegram, bot: StartBot
) -> None:
    b = await bot()
    for user_id, reason in ((3101, "内容过时"), (3102, "内容过时"), (3103, "答非所问")):
        person = tg.user(user_id)
        await dislike(person, FEE)
        why = person.last()
        assert why.text.startswith("抱歉没能帮到您。能告诉我们原因吗？")
        assert why.labels == REASONS_ZH
        await person.tap(reason, message=why)
        (noted,) = await person.wait_for()  # the question why, edited
        assert noted.message_id == why.message_id
        assert noted.text == f"已记录原因：{reason}。谢谢，我们会据此改进。"
        assert noted.labels == ["联系工作人员"]
    rows = await logged(b.services)
    assert [(r.feedback, r.feedback_reason) for r in rows] == [
        (-1, "outdated"), (-1, "outdated"), (-1, "off_topic"),
    ]  # fmt: skip
    (cited,) = {first_citation(r) for r in rows}  # the same article each time
    assert cited is not None and cited[0] == GUARANTEE_ID
    section = cited[1]
    assert section.startswith("第")
    assert rows[0].cited and rows[0].cited[0][:2] == [GUARANTEE_ID, 1]  # the text quoted
    officer = tg.user(OFFICER, "李科员")
    await officer.command("unanswered")
    (report,) = await officer.wait_for()
    lines = report.text.splitlines()
    assert "1. 政府性融资担保的担保费率是多少？（3 次；👎）" in lines
    assert "👎 原因（最近 7 天，共 3 次）：" in lines
    assert lines[lines.index("👎 原因（最近 7 天，共 3 次）：") + 1 :][:2] == [
        "• 内容过时：2 次", "• 答非所问：1 次",
    ]  # fmt: skip
    assert f"• 《{GUARANTEE}》{section}：内容过时 2 次" in lines
    assert f"• 《{GUARANTEE}》{section}：答非所问 1 次" in lines


async def test_other_takes_one_safe_sentence(
    tg: FakeTelegram, bot: StartBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # finbot's level (PTB's DEBUG dumps every update)
    b = await bot()
    wu = tg.user(3104, "吴总")
    await dislike(wu, FEE)
    why = wu.last()
    await wu.tap("其他", message=why)
    (prompt,) = await wu.wait_for(lambda m: m.message_id == why.message_id)
    assert prompt.text.startswith("请用一句话说明原因") and "300" in prompt.text
    note = "<b>费率</b> & 表格看不懂，电话13812345678 " + "很长" * 400
    await wu.send(note)
    (thanks,) = await wu.wait_for()
    assert thanks.text == "已收到您的说明，谢谢！"
    (row,) = await logged(b.services)
    assert row.feedback_reason == "other" and row.feedback_note is not None
    assert row.feedback_note.startswith("<b>费率</b> & 表格看不懂，电话138****5678 ")
    assert len(row.feedback_note) == 300 and row.feedback_note.endswith("…")
    assert not [r for r in caplog.records if "表格看不懂" in r.getMessage()]  # never logged
    await wu.send(FEE)  # the next message is a question again
    (again,) = await wu.wait_for()
    assert again.text.startswith("根据现行政策文件：")
    officer = tg.user(OFFICER, "李科员")
    await officer.command("unanswered")
    (report,) = await officer.wait_for()
    assert "• 其他：1 次" in report.text
    assert "“<b>费率</b> & 表格看不懂，电话138****5678" in report.text  # shown as typed
    assert "&lt;b&gt;费率&lt;/b&gt; &amp; 表格" in (report.html or "")  # escaped, never markup


async def test_other_can_be_skipped_with_cancel(tg: FakeTelegram, bot: StartBot) -> None:
    b = await bot()
    zheng = tg.user(3105)
    await dislike(zheng, FEE)
    await zheng.tap("其他", message=zheng.last())
    await zheng.wait_for()
    await zheng.command("cancel")
    (skipped,) = await zheng.wait_for()
    assert skipped.text == "好的，已跳过。"
    (row,) = await logged(b.services)
    assert (row.feedback_reason, row.feedback_note) == ("other", None)


async def test_english_reason_labels(tg: FakeTelegram, bot: StartBot) -> None:
    b = await bot()
    amy = tg.user(3106, "Amy", language_code="en")
    await dislike(amy, "What is the guarantee fee rate of the government financing guarantee?")
    why = amy.last()
    assert why.text.startswith("Sorry this did not help. Could you tell us why?")
    assert why.labels == [
        "Off-topic", "Outdated", "Didn't find what I need", "Other", "Contact an officer",
    ]  # fmt: skip
    await amy.tap("Outdated", message=why)
    (noted,) = await amy.wait_for(lambda m: m.message_id == why.message_id)
    assert noted.text == "Noted: Outdated. Thank you, this helps us improve."
    (row,) = await logged(b.services)
    assert row.feedback_reason == "outdated"


async def test_only_the_asker_gives_the_reason(tg: FakeTelegram, bot: StartBot) -> None:
    b = await bot()
    await dislike(tg.user(3107), FEE)
    (row,) = await logged(b.services)
    assert not await b.services.feedback.give_reason(row.id, 3108, 3108, "outdated")
    assert await b.services.feedback.give_reason(row.id, 3107, 3107, "outdated")
