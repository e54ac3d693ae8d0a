"""An admin re-uploads a policy, looks at its history and rolls back; the next answer quotes
the old text and the question log says which revision it quoted."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import StartBot
from tests.e2e_admin.conftest import ADMIN, ENTREPRENEUR, POLICY_V1, POLICY_V2
from tests.e2e_admin.test_documents import QUESTION, ask, upload
from tests.fakebot import FakeTelegram


async def test_history_rollback_button_confirm_then_answers_quote_the_old_text(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    v1_hash = bot.services.kb.store.snapshot().docs["digital-rmb"].doc.content_hash[:8]
    admin = tg.user(ADMIN)
    await admin.upload("digital-rmb.md", POLICY_V2.encode())  # the same file, a new text
    await admin.wait_for(lambda m: "请选择" in m.text)
    await admin.tap("替换")
    (summary,) = await admin.wait_for(lambda m: "✅" in m.text, timeout=30)
    assert "文档 ID：digital-rmb" in summary.text and "版本：r2" in summary.text
    assert "十二万元" in await ask(tg, QUESTION)

    await admin.command("history digital-rmb")
    (listing,) = await admin.wait_for()
    lines = listing.text.splitlines()
    assert "共 2 个" in lines[0]
    assert (
        lines[1].startswith("r2 · ") and "青金发〔2026〕2号" in lines[1] and "（当前）" in lines[1]
    )
    assert lines[2].startswith(f"r1 · {v1_hash} · ") and "施行 2025-04-01" in lines[2]
    assert listing.labels == ["↩️ 回滚到 r1"]

    await admin.tap("↩️ 回滚到 r1", message=listing)
    (confirm,) = await admin.wait_for(lambda m: "确定" in m.text)
    assert "回滚到 r1" in confirm.text and confirm.labels == ["确认回滚", "取消"]
    await admin.tap("确认回滚", message=confirm)
    (done,) = await admin.wait_for(lambda m: "已回滚" in m.text, timeout=30)
    assert f"digital-rmb 现为 r3（{v1_hash}，由 r1 恢复）" in done.text

    answer = await ask(tg, QUESTION)
    assert "八万元" in answer and "十二万元" not in answer
    before, after = await bot.services.questions.recent_for_user(ENTREPRENEUR)
    assert before.cited and before.cited[0][:2] == ["digital-rmb", 2]
    assert after.cited and {tuple(c[:3]) for c in after.cited} == {("digital-rmb", 3, v1_hash)}
    assert ["digital-rmb", 3, v1_hash, "第二条 补贴标准"] in after.cited  # with its section
    (entry,) = await bot.services.audit.recent(action="doc.rollback")
    assert entry.actor_id == ADMIN and entry.detail["restored"] == 1

    assert done.labels == []  # the confirmation cannot be tapped twice
    await admin.tap("↩️ 回滚到 r1", message=listing)  # r1's text is the current one now
    (refused,) = await admin.wait_for()
    assert "没有可回滚的这个版本" in refused.text
    assert bot.services.kb.store.snapshot().docs["digital-rmb"].revision == 3


async def test_history_is_refused_to_non_admins_and_explains_bad_input(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    person = tg.user(ENTREPRENEUR, "王总")
    await person.command("history digital-rmb")
    (refused,) = await person.wait_for()
    assert refused.text == "此功能仅限管理员使用。"

    admin = tg.user(ADMIN)
    await admin.command("history")
    assert "用法：/history 文档ID" in (await admin.wait_for())[0].text
    await admin.command("history no-such-doc")
    assert "没有 ID 为 no-such-doc 的文档" in (await admin.wait_for())[0].text
    await admin.command("history digital-rmb")
    (only,) = await admin.wait_for()
    assert "只有当前版本" in only.text and only.labels == []


async def test_a_long_history_is_paged(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    for n in range(1, 11):
        text = POLICY_V1.replace("八万元", f"{n}万元")
        await asyncio.to_thread(bot.services.kb.add_bytes, text.encode(), "digital-rmb.md")
    admin = tg.user(ADMIN)
    await admin.command("history digital-rmb")
    (first,) = await admin.wait_for()
    assert "共 10 个，第 1/2 页" in first.text and "r10 · " in first.text
    assert "r1 · " not in first.text and "下一页 ▶" in first.labels
    await admin.tap("下一页 ▶", message=first)
    (second,) = await admin.wait_for(lambda m: "第 2/2 页" in m.text)
    assert second.message_id == first.message_id  # the same message, edited
    assert "r2 · " in second.text and "r1 · " in second.text and "r10 · " not in second.text
    assert second.labels == ["↩️ 回滚到 r2", "↩️ 回滚到 r1", "◀ 上一页"]
