"""SIGKILL of a real `finbot run` in the middle of a broadcast (issue 16, fault tier).

300 subscribers, 30 notices a second. Once about a third have theirs, the fake server starts
holding every sendMessage (as a slow Telegram would), so each of the bot's senders is
waiting on one; the process is killed there. The held requests die with their connection,
as they do at Telegram. The next start resumes: every subscriber ends with exactly one
notice (none twice, none missing) and the admin gets the report.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.process import FinbotProcess, finbot_env
from tests.e2e_subs.conftest import POLICY_V1
from tests.fakebot import BotMessage, ThreadedFakeTelegram, run_in_thread
from tests.fakebot.person import Person

pytestmark = [pytest.mark.fault, pytest.mark.slow]

ADMIN = 9001
SUBSCRIBERS = range(500_000, 500_300)
START_S = 90  # a cold start seeds the sample knowledge base


def _next(
    server: ThreadedFakeTelegram,
    person: Person,
    match: Callable[[BotMessage], bool],
    timeout: float,
) -> BotMessage:
    return server.call(person.wait_for(match, timeout=timeout), timeout=timeout + 10)[-1]


def _notices(server: ThreadedFakeTelegram) -> dict[int, int]:
    async def count() -> dict[int, int]:
        tg = server.tg
        return {u: sum("政策更新" in m.text for m in tg.chat_messages(u)) for u in SUBSCRIBERS}

    return server.call(count())


def _subscribe_all(db: Path) -> None:
    now = datetime.now(UTC).isoformat()
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO subscriptions (user_id, topic, created_at) VALUES (?, 'guarantee', ?)",
            [(u, now) for u in SUBSCRIBERS],
        )


def _wait(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_sigkill_mid_broadcast_then_restart_sends_everyone_exactly_one_notice(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    env = {"admin_ids": str(ADMIN), "broadcast_rate": "30"}
    with (
        run_in_thread() as server,
        FinbotProcess(finbot_env(server.tg, data, **env), tmp_path) as bot,
    ):
        tg = server.tg
        for user_id in SUBSCRIBERS:
            tg.user(user_id, started=True)
        _subscribe_all(data / "finbot.db")
        admin = tg.user(ADMIN, "管理员")
        bot.start()
        server.call(admin.upload("fee-cut.md", POLICY_V1.encode()))
        prompt = _next(server, admin, lambda m: "是否通知" in m.text, START_S)
        assert "300 位用户" in prompt.text
        server.call(admin.tap("发送通知", message=prompt))
        _wait(lambda: sum(_notices(server).values()) >= 100, 60)

        arrived = len(tg.calls_of("sendMessage"))
        tg.set_latency(30.0, "sendMessage")  # from now on every send hangs at "Telegram"
        _wait(lambda: len(tg.calls_of("sendMessage")) > arrived, 10)
        time.sleep(0.5)  # every sender is now waiting on a held request
        bot.kill()
        tg.set_latency(0.0, "sendMessage")
        before = _notices(server)
        assert 100 <= sum(before.values()) < len(SUBSCRIBERS)  # killed midway
        assert max(before.values()) == 1

        bot.start()
        report = _next(server, admin, lambda m: "发送完毕" in m.text, START_S + 30)
        assert "共 300 位订阅者" in report.text
        assert "已送达 300，已屏蔽机器人 0（已为其取消订阅），发送失败 0" in report.text
        after = _notices(server)
        assert bot.stop()[0] == 0  # SIGTERM: the report's bookkeeping is finished first
    assert sorted(set(after.values())) == [1]  # none twice, none missing
    with sqlite3.connect(data / "finbot.db") as conn:
        assert conn.execute("SELECT state FROM broadcasts").fetchall() == [("done",)]
