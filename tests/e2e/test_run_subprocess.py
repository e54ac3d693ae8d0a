"""`finbot run` as a real process against the fake server: answers, then stops cleanly on SIGTERM."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.process import FinbotProcess, called, finbot_env
from tests.fakebot import run_in_thread


@pytest.mark.slow
@pytest.mark.parametrize("level", ["INFO", "DEBUG"])
def test_finbot_run_answers_and_exits_cleanly_on_sigterm(tmp_path: Path, level: str) -> None:
    """…and at any log level, no line it writes holds the bot token (httpx logs every URL)."""
    with run_in_thread() as server:
        tg = server.tg
        with FinbotProcess(finbot_env(tg, tmp_path / "data", log_level=level), tmp_path) as bot:
            bot.start()
            alice = tg.user(4001, "Alice")
            server.call(alice.send("政府性融资担保的担保费率是多少？"))
            (answer,) = server.call(alice.wait_for(timeout=60), timeout=70)
            assert "0.8%" in answer.text and "第六条 担保费率" in answer.text
            assert tg.commands({"type": "all_private_chats"}, "")  # setMyCommands ran at start-up
            returncode, out, err = bot.stop()
        assert returncode == 0, err[-2000:]
        assert "getUpdates" in err or level == "INFO"  # the URLs were logged, redacted
        _assert_no_secret(out + err, tg.token)


def _assert_no_secret(output: str, *secrets: str) -> None:
    """No 10-character piece of any secret appears (a partly masked token still leaks)."""
    assert output.strip(), "the process wrote no log at all"
    for secret in secrets:
        for start in range(len(secret) - 9):
            piece = secret[start : start + 10]
            assert piece not in output, f"a log line holds part of a secret: {piece[:3]}…"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_finbot_run_in_webhook_mode_checks_the_secret(tmp_path: Path) -> None:
    """FINBOT_WEBHOOK_URL switches to webhook mode: setWebhook with a secret, updates POSTed."""
    port = _free_port()
    with run_in_thread() as server:
        tg = server.tg
        env = finbot_env(
            tg, tmp_path / "data", webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_listen="127.0.0.1", webhook_port=str(port), webhook_secret="s3cret-token",
        )  # fmt: skip
        with FinbotProcess(env, tmp_path) as bot:
            bot.start()
            (set_hook,) = server.call(called(tg, "setWebhook"), timeout=60)
            assert set_hook["url"] == f"http://127.0.0.1:{port}/telegram"
            assert set_hook["secret_token"] == "s3cret-token"
            alice = tg.user(4002, "Alice")
            server.call(alice.send("应急转贷资金占用费怎么收？"))
            (answer,) = server.call(alice.wait_for(timeout=60), timeout=70)
            assert "资金占用费" in answer.text
            assert not tg.calls_of("getUpdates")  # no polling in webhook mode
            returncode, out, err = bot.stop()
        assert returncode == 0, err[-2000:]
        _assert_no_secret(out + err, tg.token, "s3cret-token")
