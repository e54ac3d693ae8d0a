"""Fault injection: a real `finbot run` killed with SIGKILL mid-way, and the Bot API failing
in bursts. After each: nothing committed is lost, and the next start serves.

Marked `fault` (run by the normal test command; `-m "not fault"` leaves them out).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import StartBot
from tests.e2e.process import FinbotProcess, called, finbot_env
from tests.e2e_officers.helpers import ANSWERS, VALID_USCC
from tests.fakebot import BotMessage, FakeTelegram, ThreadedFakeTelegram, run_in_thread
from tests.fakebot.person import Chatter

START_S = 90  # a cold start seeds the sample knowledge base
OFFICERS_CHAT, OFFICER = -1001234, 201
QUESTION = "政府性融资担保的担保费率是多少？"


def _next(
    server: ThreadedFakeTelegram,
    person: Chatter,
    predicate: Callable[[BotMessage], bool] | None = None,
    timeout: float = 30,
) -> BotMessage:
    return server.call(person.wait_for(predicate, timeout=timeout), timeout=timeout + 10)[-1]


def _answer(server: ThreadedFakeTelegram, person: Chatter, text: str, prefix: str) -> BotMessage:
    """Type an answer, return the form's next question (which starts with `prefix`)."""
    server.call(person.send(text))
    return _next(server, person, lambda m: m.text.startswith(prefix))


@pytest.mark.fault
@pytest.mark.slow
def test_sigkill_after_a_prompt_loses_nothing_of_the_form(tmp_path: Path) -> None:
    """Killed right after "5/9": the next start resumes there and takes 500万 as the amount."""
    with (
        run_in_thread() as server,
        FinbotProcess(finbot_env(server.tg, tmp_path / "data"), tmp_path) as bot,
    ):
        erin = server.tg.user(1005, "王总")
        bot.start()
        server.call(erin.command("financing"))
        _next(server, erin, lambda m: m.text.startswith("1/9"), timeout=START_S)
        for key, prefix in (
            ("company", "2/9"),
            ("uscc", "3/9"),
            ("contact", "4/9"),
            ("phone", "5/9"),
        ):
            _answer(server, erin, ANSWERS[key], prefix)
        bot.kill()
        bot.start()
        server.call(erin.send("500万"))
        resumed = _next(server, erin, timeout=START_S)
        assert resumed.text.startswith("6/9"), resumed.text  # the form's, not a policy answer
        server.call(erin.tap("政府性融资担保贷款"))
        _next(server, erin, lambda m: m.text.startswith("7/9"))
        _answer(server, erin, "12", "8/9")
        _answer(server, erin, "采购原材料", "9/9")
        server.call(erin.tap("同意并继续"))
        summary = _next(server, erin, lambda m: m.text.startswith("请核对"))
    for shown in (ANSWERS["company"], VALID_USCC, ANSWERS["contact"], "13812345678", "500万元"):
        assert shown in summary.text


@pytest.mark.fault
@pytest.mark.slow
def test_sigkill_mid_relay_keeps_the_case_and_the_next_start_serves(tmp_path: Path) -> None:
    env = {"officers_chat_id": str(OFFICERS_CHAT), "officer_ids": str(OFFICER)}
    with (
        run_in_thread() as server,
        FinbotProcess(finbot_env(server.tg, tmp_path / "data", **env), tmp_path) as bot,
    ):
        tg = server.tg
        group = tg.group(OFFICERS_CHAT, "金融局工作群")
        li = tg.user(OFFICER, "李科长", started=True).in_group(group)
        alice = tg.user(1001, "王总")
        bot.start()
        server.call(alice.command("human 想咨询续贷"))
        card = _next(server, li, lambda m: "联系工作人员 #" in m.text, timeout=START_S)
        server.call(li.tap("认领", message=card))
        _next(server, alice, lambda m: "李科长" in m.text)
        server.call(alice.send("第一条：下个月到期"))
        _next(server, li, lambda m: "第一条" in m.text)
        server.call(li.send("收到，请准备流水。", reply_to=card))  # its id is long stored
        _next(server, alice, lambda m: "收到" in m.text)

        tg.set_latency(5.0, "sendMessage")  # the next relay hangs at the server …
        server.call(alice.send("第二条：额度三百万"))
        server.call(called(tg, "sendMessage", lambda c: "第二条" in str(c.get("text"))))
        bot.kill()  # … and the process dies in the middle of it
        tg.set_latency(0.0, "sendMessage")
        bot.start()

        server.call(alice.send("第三条：什么时候能办？"))
        _next(server, li, lambda m: "第三条" in m.text, timeout=START_S)
        server.call(li.send("本周内。", reply_to=card))
        _next(server, alice, lambda m: "本周内" in m.text)
        assert bot.stop()[0] == 0  # SIGTERM: the reply being recorded is finished first
    lines = _transcript(tmp_path / "data" / "finbot.db")
    assert lines[:2] == [("user", "第一条：下个月到期"), ("officer", "收到，请准备流水。")]
    assert lines[-2:] == [("user", "第三条：什么时候能办？"), ("officer", "本周内。")]


def _transcript(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        status = conn.execute("SELECT status FROM handoffs").fetchall()
        assert status == [("active",)]
        return list(conn.execute("SELECT direction, text FROM handoff_messages ORDER BY id"))


@pytest.mark.fault
@pytest.mark.parametrize("fault", ["429", "5xx", "dropped", "getUpdates"])
async def test_bot_api_failing_in_bursts_still_delivers_the_answer(
    tg: FakeTelegram, start_bot: StartBot, fault: str
) -> None:
    await start_bot()
    gil = tg.user(3301)
    if fault == "429":  # more than AIORateLimiter retries on its own
        tg.fail_next("sendMessage", status=429, retry_after=1, count=5)
    elif fault == "5xx":
        tg.fail_next("sendMessage", status=502, count=2)
        tg.fail_next("sendMessage", status=503, count=2)
    elif fault == "dropped":
        tg.drop_next("sendMessage", count=3)
    else:
        tg.fail_next("getUpdates", status=502, count=3)
    await gil.send(QUESTION)
    (answer,) = await gil.wait_for(lambda m: "0.8%" in m.text, timeout=60)
    assert "第六条 担保费率" in answer.text
    assert len(gil.messages()) == 1  # answered once
