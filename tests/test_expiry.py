"""Which documents expire soon or have expired, and that admins are told once per document."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.expiry import ExpiryWatch, expiry_report
from bot.services import Services, build_services
from index.encoders import HashingEncoder


def policy(title: str, expires: str) -> bytes:
    return (f"# {title}\n\n- 施行日期：2025年1月1日\n- 有效期：{expires}\n\n"
            f"## 第一条 内容\n\n{title}的具体规定。\n").encode()  # fmt: skip


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    upgrade(settings.db_url)
    clock = ManualClock(datetime(2027, 12, 1, 1, 0, tzinfo=UTC))  # 2027-12-01 09:00 Shanghai
    services = await build_services(settings, encoder=HashingEncoder(), clock=clock, seed=False)
    for name, title, expires in [
        ("soon.md", "即将到期办法", "2027年12月31日"),  # 30 days ahead: warned
        ("later.md", "明年到期办法", "2028年1月1日"),  # 31 days ahead: not yet
        ("gone.md", "已到期办法", "2027年11月30日"),  # passed yesterday: expired
        ("forever.md", "长期办法", "长期有效"),
    ]:
        services.kb.add_bytes(policy(title, expires), name)
    yield services
    await services.close()


def test_report_windows(svc: Services) -> None:
    report = expiry_report(svc.kb, date(2027, 12, 1))
    assert [(i.doc_id, i.days_left) for i in report.expiring] == [("soon", 30)]
    assert [(i.doc_id, i.expires) for i in report.expired] == [("gone", date(2027, 11, 30))]
    last_day = expiry_report(svc.kb, date(2027, 12, 31))
    assert [(i.doc_id, i.days_left) for i in last_day.expiring] == [("later", 1), ("soon", 0)]
    assert "soon" not in {i.doc_id for i in last_day.expired}  # 有效期至 is inclusive
    assert "soon" in {i.doc_id for i in expiry_report(svc.kb, date(2028, 1, 1)).expired}


async def test_watch_tells_each_notice_once_and_audits_it(svc: Services) -> None:
    clock = svc.clock
    assert isinstance(clock, ManualClock)
    watch = ExpiryWatch(svc.kb, svc.audit, clock)
    first = await watch.check()
    assert [i.doc_id for i in first.expiring] == ["soon"] and [i.doc_id for i in first.expired] == [
        "gone"
    ]
    assert (await watch.check()).empty  # same day, again: nothing new
    clock.advance(timedelta(days=1))
    second = await watch.check()
    assert [i.doc_id for i in second.expiring] == ["later"] and not second.expired
    clock.set(datetime(2028, 1, 2, 1, 0, tzinfo=UTC))
    third = await watch.check()
    assert sorted(i.doc_id for i in third.expired) == ["later", "soon"]
    rows = await svc.audit.recent(limit=100)
    assert sorted((r.action, r.target) for r in rows) == [
        ("doc.expired", "gone"), ("doc.expired", "later"), ("doc.expired", "soon"),
        ("doc.expiry_warned", "later"), ("doc.expiry_warned", "soon"),
    ]  # fmt: skip
    assert svc.kb.store.snapshot().status_of("soon", date(2028, 1, 2)) == "expired"


def test_an_extended_measure_is_neither_expired_nor_expiring_on_its_own_date(svc: Services) -> None:
    """A 延期通知 moves the end: "已到期办法" (own end 2027-11-30) extended to 2029-12-31 is
    not reported as expired, and is reported as expiring only before its new end."""
    notice = ("# 关于延长《已到期办法》有效期的通知\n\n- 施行日期：2027年11月1日\n\n"
              "## 一、延期\n\n《已到期办法》有效期延长至2029年12月31日。\n").encode()  # fmt: skip
    svc.kb.add_bytes(notice, "extension.md")
    report = expiry_report(svc.kb, date(2027, 12, 1))
    assert "gone" not in {i.doc_id for i in report.expired + report.expiring}
    assert [(i.doc_id, i.expires) for i in expiry_report(svc.kb, date(2029, 12, 1)).expiring] == [
        ("gone", date(2029, 12, 31))
    ]


def test_each_row_of_a_policy_list_is_reminded_with_its_own_end(svc: Services) -> None:
    """A 政策清单's rows end on their own days (session 54): the workbook has no 有效期 of its
    own, and the reminder names the row's measure and the file holding it."""
    from handlers.admin import expiry_html
    from tests.knowledge.test_workbook import TITLE, policy_list

    svc.kb.add_bytes(policy_list(), "policy-list-2029.xlsx")
    report = expiry_report(svc.kb, date(2030, 12, 15))
    rows = {(i.title, i.days_left, i.compiled_in) for i in report.expiring}
    assert ("企业上市分阶段奖励", 16, TITLE) in rows and ("新三板挂牌奖励", 16, TITLE) in rows
    assert "科技保险保费补贴" in {i.title for i in report.expired}  # its row ended 2028-12-31
    assert "policy-list-2029" not in {i.doc_id for i in [*report.expiring, *report.expired]}
    html = expiry_html(report, "zh")
    assert (
        f"• 《新三板挂牌奖励》（栖政发〔2027〕3号）（收录于《{TITLE}》）将于 2030-12-31 到期"
        in html
    )
