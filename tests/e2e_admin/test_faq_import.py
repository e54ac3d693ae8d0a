"""An admin sends an FAQ spreadsheet: preview, confirm (even after a restart), answered at once;
a sheet with a bad row is refused row by row and nothing is imported."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.main import running
from bot.services import build_services
from index.encoders import HashingEncoder
from tests.e2e.conftest import POLL_TIMEOUT, RunningBot
from tests.e2e_admin.conftest import ADMIN, ENTREPRENEUR, OFFICER, POLICY_V1
from tests.fakebot import BotMessage, FakeTelegram

QUESTION = "数字人民币受理改造能拿多少补贴？"
GOOD = [
    ["问题", "相似问法", "答案", "来源文件", "条款"],
    [QUESTION, "数字人民币补贴｜受理改造补贴", "完成受理改造的试点企业，一次性补贴每户8万元。",
     "digital-rmb.md", "第二条"],
    ["数字人民币试点适用于哪些企业？", "", "开立数字人民币对公钱包并开展受理业务的试点企业。",
     "digital-rmb.md", "第一条 适用范围"],
]  # fmt: skip
BAD = [
    GOOD[0],
    GOOD[1],
    ["数字人民币补贴是多少钱？", "", "每户补贴10万元。", "digital-rmb.md", "第二条"],
    ["数字人民币怎么申请？", "", "请向区金融局申请。", "unknown-policy.md", "第一条"],
]
Restartable = Callable[[], Awaitable[RunningBot]]


def xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def checked(m: BotMessage) -> bool:
    return "问答导入预览" in m.text


@pytest.fixture
async def bot_on_one_data_dir(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[Restartable]:
    """`await start()` runs the bot (no sample knowledge base: the tests upload their own
    policy); calling it again stops it and starts it on the same data."""
    stacks: list[AsyncExitStack] = []

    async def start() -> RunningBot:
        if stacks:
            await stacks.pop().aclose()
        settings = load_settings(
            data_dir=tmp_path / "data", telegram_token=tg.token, telegram_api_url=tg.base_url,
            telegram_file_url=tg.base_file_url, embedding_model="hashing",
            admin_ids=[ADMIN], officer_ids=[OFFICER],
        )  # fmt: skip
        upgrade(settings.db_url)
        stack = AsyncExitStack()
        stacks.append(stack)
        services = await build_services(settings, encoder=HashingEncoder(), seed=False)
        stack.push_async_callback(services.close)
        app = await stack.enter_async_context(
            running(settings, services, poll_timeout=POLL_TIMEOUT)
        )
        return RunningBot(tg, app, services, settings)

    yield start
    for stack in stacks:
        await stack.aclose()


async def add_policy(tg: FakeTelegram) -> None:
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("digital-rmb.md", POLICY_V1.encode())
    await admin.wait_for(lambda m: "✅" in m.text, timeout=30)


async def test_good_sheet_previewed_confirmed_after_restart_then_answered(
    tg: FakeTelegram, bot_on_one_data_dir: Restartable
) -> None:
    bot = await bot_on_one_data_dir()
    await add_policy(tg)
    before = len(bot.services.kb.faqs())
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("常见问答.xlsx", xlsx(GOOD))
    (preview,) = await admin.wait_for(lambda m: checked(m) and bool(m.buttons), timeout=30)
    assert "有效 2 行（新增 2 条，更新 0 条），拒绝 0 行。" in preview.text
    assert "全部 2 行通过检查" in preview.text and f"• {QUESTION}" in preview.text
    assert preview.labels == ["确认导入", "取消"]
    assert len(bot.services.kb.faqs()) == before  # nothing before the confirmation

    bot = await bot_on_one_data_dir()  # the pending import is in the database
    await admin.tap("确认导入", message=preview)
    (done,) = await admin.wait_for(lambda m: "已导入" in m.text, timeout=30)
    assert done.text == "✅ 已导入 2 条问答（新增 2 条，更新 0 条），已立即生效。"
    assert len(bot.services.kb.faqs()) == before + 2
    user = tg.user(ENTREPRENEUR, "王总")
    await user.send(QUESTION)
    (answer,) = await user.wait_for(timeout=30)
    assert "完成受理改造的试点企业，一次性补贴每户8万元。" in answer.text
    assert (
        "依据：《青禾区数字人民币试点企业补贴办法》" in answer.text
        and "第二条 补贴标准" in answer.text
    )
    (entry,) = await bot.services.audit.recent(action="faq.import")
    assert (
        entry.actor_id == ADMIN and entry.target == "常见问答.xlsx" and entry.detail["added"] == 2
    )


async def test_bad_rows_rejected_with_reasons_and_nothing_imported(
    tg: FakeTelegram, bot_on_one_data_dir: Restartable
) -> None:
    bot = await bot_on_one_data_dir()
    await add_policy(tg)
    before = bot.services.kb.faqs()
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("faq.xlsx", xlsx(BAD))
    (preview,) = await admin.wait_for(lambda m: checked(m) and "拒绝" in m.text, timeout=30)
    assert "有效 1 行（新增 1 条，更新 0 条），拒绝 2 行。" in preview.text
    assert "第 3 行：答案中的数字 10万 在第二条 补贴标准中找不到" in preview.text
    assert "第 4 行：知识库中没有来源文件“unknown-policy.md”" in preview.text
    assert "全部导入或全不导入" in preview.text and preview.buttons == []
    assert bot.services.kb.faqs() == before


async def test_csv_without_faq_header_and_cancel(
    tg: FakeTelegram, bot_on_one_data_dir: Restartable
) -> None:
    bot = await bot_on_one_data_dir()
    await add_policy(tg)
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("名单.csv", "名称,金额\n甲,1\n".encode())
    (refused,) = await admin.wait_for(checked, timeout=30)
    assert "这不是问答表" in refused.text and refused.buttons == []
    good_csv = "\n".join(",".join(row) for row in GOOD[:2]).encode("gb18030")
    await admin.upload("faq.csv", good_csv)
    (preview,) = await admin.wait_for(lambda m: checked(m) and bool(m.buttons), timeout=30)
    before = bot.services.kb.faqs()
    await admin.tap("取消", message=preview)
    (cancelled,) = await admin.wait_for(lambda m: "已取消" in m.text)
    assert cancelled.text == "已取消，问答未改动。" and cancelled.buttons == []
    assert bot.services.kb.faqs() == before


async def test_entrepreneur_sheet_is_not_an_import(
    tg: FakeTelegram, bot_on_one_data_dir: Restartable
) -> None:
    bot = await bot_on_one_data_dir()
    before = bot.services.kb.faqs()
    user = tg.user(ENTREPRENEUR, "王总")
    await user.upload("faq.xlsx", xlsx(GOOD))
    (reply,) = await user.wait_for(timeout=30)
    assert "问答导入" not in reply.text and bot.services.kb.faqs() == before


async def test_document_removed_before_confirming_imports_nothing(
    tg: FakeTelegram, bot_on_one_data_dir: Restartable
) -> None:
    bot = await bot_on_one_data_dir()
    await add_policy(tg)
    admin = tg.user(ADMIN, "管理员")
    await admin.upload("faq.xlsx", xlsx(GOOD))
    (preview,) = await admin.wait_for(lambda m: checked(m) and bool(m.buttons), timeout=30)
    before = bot.services.kb.faqs()
    await admin.command("remove digital-rmb")
    (ask,) = await admin.wait_for(lambda m: "digital-rmb" in m.text and bool(m.buttons))
    await admin.tap("确认删除", message=ask)
    await admin.wait_for(lambda m: "已删除" in m.text, timeout=30)
    await admin.tap("确认导入", message=preview)
    (changed,) = await admin.wait_for(lambda m: "有变化" in m.text, timeout=30)
    assert "第 2 行：知识库中没有来源文件“digital-rmb.md”" in changed.text
    assert changed.buttons == [] and bot.services.kb.faqs() == before
