"""The officers' group: claim (also concurrently), statuses with notification, commands,
refusals for non-officers, export files, stats and SLA reminders with a controllable clock."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from datetime import timedelta

from openpyxl import load_workbook

from handlers.officers import send_reminders
from tests.e2e_officers.conftest import ADMIN, OFFICER_A, OFFICER_B, Bureau, StartBureau
from tests.e2e_officers.helpers import VALID_USCC, submit
from tests.fakebot import FakeTelegram
from tests.fakebot.person import GroupMember
from tests.fakebot.records import BotMessage


def _mentioning(word: str) -> Callable[[BotMessage], bool]:
    """A wait_for predicate bound to this word (a lambda in a loop would see the last one)."""
    return lambda m: word in m.text


async def _card(officer: GroupMember, ref: str) -> BotMessage:
    (card,) = await officer.wait_for(lambda m: ref in m.text and "融资需求" in m.text)
    return card


async def test_request_from_claim_to_disbursed_notifies_the_entrepreneur(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长", started=True).in_group(b.group)
    alice = tg.user(1001, "王总")
    ref = await submit(alice)
    card = await _card(li, ref)
    await li.tap("认领", message=card)
    (notice,) = await alice.wait_for(lambda m: ref in m.text)
    assert notice.text == f"您的融资需求 {ref} 状态更新：已受理（工作人员：李科长）。"
    for label in ("跟进中", "已对接金融机构", "已获批", "已放款"):
        query = await li.tap(label, message=card)
        await li.wait_answer(query)
        (notice,) = await alice.wait_for(_mentioning(label))
        assert ref in notice.text
    shown = b.group.chat.bot_messages[card.message_id]
    assert "状态：已放款｜负责人：李科长" in shown.text and len(shown.edits) == 5
    row = await b.services.requests.by_ref(ref)
    assert row is not None and row.status == "disbursed" and row.closed_at is not None
    events = await b.services.requests.events(row.id)
    assert [e.kind for e in events] == ["created", "claimed"] + ["status"] * 4
    assert all(e.actor_name == "李科长" for e in events[1:])
    audit = await b.services.audit.recent(action="request.status")
    assert len(audit) == 4 and audit[0].actor_id == OFFICER_A


async def test_concurrent_claim_has_exactly_one_winner(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    zhao = tg.user(OFFICER_B, "赵专员").in_group(b.group)
    ref = await submit(tg.user(1002))
    card = await _card(li, ref)
    q1, q2 = await asyncio.gather(li.tap("认领", message=card), zhao.tap("认领", message=card))
    a1, a2 = await asyncio.gather(li.wait_answer(q1), zhao.wait_answer(q2))
    row = await b.services.requests.by_ref(ref)
    assert row is not None and row.owner_id in (OFFICER_A, OFFICER_B)
    loser = a2 if row.owner_id == OFFICER_A else a1
    assert loser.text == f"{ref} 已由 {row.owner_name} 认领。" and loser.show_alert
    claims = [e for e in await b.services.requests.events(row.id) if e.kind == "claimed"]
    assert len(claims) == 1


async def test_non_officer_is_refused_every_command_and_button(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    ref = await submit(tg.user(1003))
    card = await _card(li, ref)
    mallory = tg.user(666, "路人甲")
    in_group = mallory.in_group(b.group)
    commands = [
        "requests",
        f"request {ref}",
        f"note {ref} hi",
        f"assign {ref} 666",
        "export",
        "stats",
        "grant officer 666",
        "revoke officer 201",
    ]
    for chatter in (mallory, in_group):
        for cmd in commands:
            await chatter.command(cmd)
            (reply,) = await chatter.wait_for()
            assert "仅供金融局工作人员" in reply.text or "只有管理员" in reply.text, cmd
            assert "13812345678" not in reply.text and VALID_USCC not in reply.text
    for label in ("认领",):
        query = await in_group.tap(label, message=card)
        answer = await in_group.wait_answer(query)
        assert answer.show_alert and "仅供金融局工作人员" in (answer.text or "")
    row = await b.services.requests.by_ref(ref)
    assert row is not None and row.owner_id is None and row.status == "new"
    await li.tap("认领", message=card)
    await li.wait_for(lambda m: m.message_id == card.message_id)
    query = await in_group.tap("已关闭", message=card)
    assert (await in_group.wait_answer(query)).show_alert
    row = await b.services.requests.by_ref(ref)
    assert row is not None and row.status == "claimed"
    assert not b.services.roles.is_officer(666)


async def test_officer_commands_list_detail_note_assign(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    tg.user(OFFICER_B, "赵专员", username="zhao").in_group(b.group)
    zhao_private = tg.user(OFFICER_B)
    await zhao_private.command("start")  # the bot learns the @username
    await zhao_private.wait_for()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    ref = await submit(tg.user(1004))
    await _card(li, ref)
    await li.command("requests")
    (listing,) = await li.wait_for()
    assert ref in listing.text and "待认领" in listing.text
    await li.command(f"note {ref} 已电话联系企业")
    assert (await li.wait_for())[0].text == f"已为 {ref} 添加备注。"
    await li.command(f"assign {ref} @zhao")
    (assigned, *_) = await li.wait_for(lambda m: "指派" in m.text)
    assert assigned.text == f"{ref} 已指派给 赵专员。"
    await li.command(f"request {ref.lower()}")
    (detail,) = await li.wait_for(lambda m: "处理记录" in m.text)
    assert "李科长 备注：已电话联系企业" in detail.text and "李科长 指派给 赵专员" in detail.text
    assert "负责人：赵专员" in detail.text
    await li.command("requests following")
    (empty,) = await li.wait_for()
    assert empty.text == "没有符合条件的融资需求。"
    row = await b.services.requests.by_ref(ref)
    assert row is not None and row.owner_id == OFFICER_B


async def test_requests_are_paged(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    refs = []
    for n in range(12):
        from bot.requests import RequestDraft

        row = await b.services.requests.create(
            user_id=5000 + n,
            chat_id=5000 + n,
            lang="zh",
            draft=RequestDraft(
                company=f"企业{n}",
                uscc=VALID_USCC,
                contact_name="张三",
                phone="13812345678",
                amount_yuan=1_000_000,
                fin_type="other",
                term_months=6,
                purpose="周转",
            ),
        )
        refs.append(row.ref)
    li = tg.user(OFFICER_A, "李科长")  # a private chat with an officer is allowed too
    await li.command("requests")
    (page1,) = await li.wait_for()
    assert (
        "共 12 条，第 1/2 页" in page1.text and refs[-1] in page1.text and refs[0] not in page1.text
    )
    await li.tap("下一页", message=page1)
    (page2,) = await li.wait_for()
    assert "第 2/2 页" in page2.text and refs[0] in page2.text


async def test_export_csv_and_xlsx_contain_the_requests(
    tg: FakeTelegram, bureau: StartBureau
) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    ref = await submit(tg.user(1005))
    await _card(li, ref)
    await li.command("export 2026-11-01 2026-11-30")
    csv_msg, xlsx_msg = await li.wait_for(lambda m: m.document is not None, count=2)
    assert csv_msg.document is not None and xlsx_msg.document is not None
    rows = list(csv.reader(io.StringIO(csv_msg.document.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "企业名称", "统一社会信用代码"]
    assert rows[1][0] == ref and rows[1][2] == VALID_USCC and rows[1][5] == "5000000"
    assert rows[1][6] == "政府性融资担保贷款" and rows[1][9] == "待认领"
    sheet = load_workbook(io.BytesIO(xlsx_msg.document.data)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == ref and values[1][5] == 5_000_000 and len(values) == 2
    assert "共 1 条" in csv_msg.text
    await li.command("export 2026-10-01 2026-10-31")
    empty_csv, _ = await li.wait_for(lambda m: m.document is not None, count=2)
    assert empty_csv.document is not None
    assert len(list(csv.reader(io.StringIO(empty_csv.document.data.decode("utf-8-sig"))))) == 1
    audit = await b.services.audit.recent(action="request.export")
    assert len(audit) == 2 and audit[-1].detail["count"] == 1


async def test_stats_counts_and_medians(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    ref = await submit(tg.user(1006))
    card = await _card(li, ref)
    b.clock.advance(timedelta(hours=1))
    await li.tap("认领", message=card)
    await li.wait_for(lambda m: m.message_id == card.message_id)
    b.clock.advance(timedelta(hours=2))
    await li.tap("已关闭", message=card)
    await li.wait_for(lambda m: m.message_id == card.message_id and "已关闭" in m.text)
    await li.command("stats")
    (stats,) = await li.wait_for(lambda m: "📊" in m.text)
    assert (
        "共 1 条" in stats.text
        and "已关闭 1" in stats.text
        and "政府性融资担保贷款 1" in stats.text
    )
    assert "认领用时中位数：1.0 小时" in stats.text and "办结用时中位数：3.0 小时" in stats.text


async def _reminders(b: Bureau) -> None:
    """Run the SLA job now (the job queue would on its interval)."""
    b.app.job_queue.run_once(lambda ctx: send_reminders(ctx), 0)


async def test_sla_reminders_follow_working_hours(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    li = tg.user(OFFICER_A, "李科长").in_group(b.group)
    ref = await submit(tg.user(1007))  # Tuesday 10:00
    card = await _card(li, ref)
    b.clock.advance(timedelta(hours=1, minutes=59))
    await _reminders(b)
    await tg.wait_idle()
    assert not any("⏰" in text for text in b.group.texts())
    b.clock.advance(timedelta(hours=1, minutes=31))  # 13:30: 2 working hours (lunch excluded)
    await _reminders(b)
    (reminder,) = await li.wait_for(lambda m: "⏰" in m.text)
    assert reminder.text == f"⏰ {ref} 已超过 2 个工作小时无人认领，请尽快处理。"
    assert reminder.reply_to_message_id == card.message_id
    await li.tap("认领", message=card)
    await li.wait_for(lambda m: m.message_id == card.message_id)
    b = await bureau()  # a restart: reminders come from the database
    b.clock.advance(timedelta(days=3))  # Friday 13:30, two working days since the claim
    await _reminders(b)
    (stale,) = await li.wait_for(lambda m: "⏰" in m.text)
    assert stale.text == f"李科长 ⏰ {ref} 已 2 个工作日没有状态更新，请跟进。"
    await _reminders(b)
    await tg.wait_idle()
    assert sum("⏰" in text for text in b.group.texts()) == 2  # not repeated at once


async def test_admin_grants_and_revokes_officer_role(tg: FakeTelegram, bureau: StartBureau) -> None:
    b = await bureau()
    newbie = tg.user(777, "新同事", username="newbie")
    await newbie.command("start")
    await newbie.wait_for()
    admin = tg.user(ADMIN, "局长")
    await admin.command("grant officer @newbie")
    assert (await admin.wait_for())[0].text == "已授予 新同事 officer 权限。"
    assert b.services.roles.is_officer(777)
    await newbie.command("requests")
    assert (await newbie.wait_for())[0].text == "没有符合条件的融资需求。"
    await admin.command("revoke officer 777")
    assert (await admin.wait_for())[0].text == "已撤销 新同事 的 officer 权限。"
    await newbie.command("requests")
    assert "仅供金融局工作人员" in (await newbie.wait_for())[0].text
    await admin.command("revoke officer 201")
    assert "环境变量" in (await admin.wait_for())[0].text
    actions = [a.action for a in await b.services.audit.recent()]
    assert actions[:2] == ["role.revoke", "role.grant"]
