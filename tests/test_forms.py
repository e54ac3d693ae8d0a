"""The financing form's state machine on a real database, without Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.forms import FORM, SUMMARY
from bot.services import Services, build_services
from index.encoders import HashingEncoder

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
USER = 1001
ANSWERS = ["青禾科技有限公司", "91350100M000100Y43", "王小明", "13812345678", "500万"]


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing", form_timeout_minutes=30)
    upgrade(settings.db_url)
    services = await build_services(
        settings, encoder=HashingEncoder(), clock=ManualClock(NOW), seed=False
    )
    yield services
    await services.close()


async def _to_summary(svc: Services) -> None:
    await svc.forms.open(USER, USER, "zh")
    for n, text in enumerate(ANSWERS, start=1):
        await svc.forms.answer(USER, text, n)
    await svc.forms.choose_type(USER, "bridge")
    await svc.forms.answer(USER, "12", 10)
    await svc.forms.answer(USER, "周转", 11)
    reply = await svc.forms.consent(USER, True)
    assert reply is not None and reply.step == SUMMARY


async def test_each_step_is_stored_before_the_reply(svc: Services) -> None:
    first = await svc.forms.open(USER, USER, "en")
    assert first.step == "company" and [n.key for n in first.notes] == ["form.intro"]
    wrong = await svc.forms.answer(USER, "", 1)
    assert wrong.step == "company" and wrong.rejected == "form.err.company"
    nxt = await svc.forms.answer(USER, ANSWERS[0], 2)
    assert nxt.step == "uscc" and nxt.lang == "en"
    again = await svc.forms.answer(USER, ANSWERS[0], 2)  # the same message re-delivered
    assert again.step == "uscc" and again.notes == ()
    fresh = type(svc.flows)(svc.db, svc.clock)  # what the next start reads
    await fresh.load()
    stored = fresh.get(FORM, USER)
    assert stored is not None and stored.step == "uscc"
    assert stored.data["values"] == {"company": ANSWERS[0]}


async def test_buttons_only_work_at_their_step(svc: Services) -> None:
    await svc.forms.open(USER, USER, "zh")
    assert await svc.forms.confirm(USER) is None
    assert await svc.forms.choose_type(USER, "bridge") is None
    typed = await svc.forms.answer(USER, ANSWERS[0], 1)
    assert typed.step == "uscc"


async def test_edit_returns_to_the_summary_and_confirm_stores_and_ends(svc: Services) -> None:
    await _to_summary(svc)
    assert (await svc.forms.edit(USER)).step == "edit"  # type: ignore[union-attr]
    asked = await svc.forms.edit_field(USER, "amount")
    assert asked is not None and asked.step == "amount"
    back = await svc.forms.answer(USER, "1.2亿", 20)
    assert back.step == SUMMARY and back.values["amount"] == 120_000_000
    done = await svc.forms.confirm(USER)
    assert done is not None and done.submitted is not None
    assert done.submitted.amount_yuan == 120_000_000 and done.submitted.fin_type == "bridge"
    assert not svc.forms.is_open(USER)
    fresh = type(svc.flows)(svc.db, svc.clock)
    await fresh.load()
    assert fresh.get(FORM, USER) is None  # ended in the request's transaction
    assert [e.action for e in await svc.audit.recent()] == ["request.submit"]


async def test_timeout_spares_a_form_answered_meanwhile(svc: Services) -> None:
    clock = svc.clock
    assert isinstance(clock, ManualClock)
    await svc.forms.open(USER, USER, "zh")
    await svc.forms.open(USER + 1, USER + 1, "en")
    clock.advance(timedelta(minutes=20))
    await svc.forms.answer(USER, ANSWERS[0], 1)
    clock.advance(timedelta(minutes=15))
    expired = await svc.forms.expire_due()
    assert [(e.user_id, e.lang) for e in expired] == [(USER + 1, "en")]
    assert svc.forms.is_open(USER) and not svc.forms.is_open(USER + 1)
