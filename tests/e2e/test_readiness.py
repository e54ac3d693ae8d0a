"""Ready before it listens: a fresh data dir, no `finbot db upgrade`, and no update taken
before the bot can answer (issue 15)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.process import finbot_env
from tests.e2e.test_run_subprocess import _free_port
from tests.fakebot import run_in_thread


def _wait_for_call(tg: object, method: str, timeout: float = 60.0) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        calls = tg.calls_of(method)  # type: ignore[attr-defined]
        if calls:
            return list(calls)
        time.sleep(0.1)
    raise AssertionError(f"the bot never called {method}")


def _health(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return None  # not listening yet


def _run(env: dict[str, str], cwd: Path) -> tuple[subprocess.Popen[str], list[tuple[float, str]]]:
    """`finbot run`, its stdout lines collected with the time each arrived."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    out: list[tuple[float, str]] = []
    _lines(proc, out)
    return proc, out


def _lines(proc: subprocess.Popen[str], into: list[tuple[float, str]]) -> threading.Thread:
    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            into.append((time.monotonic(), line))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@pytest.mark.slow
def test_webhook_mode_on_a_fresh_data_dir_answers_health_only_when_ready(tmp_path: Path) -> None:
    port = _free_port()
    with run_in_thread() as server:
        tg = server.tg
        env = finbot_env(tg, tmp_path / "data")
        env.update(
            {
                "FINBOT_WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram",
                "FINBOT_WEBHOOK_LISTEN": "127.0.0.1",
                "FINBOT_WEBHOOK_PORT": str(port),
                "FINBOT_WEBHOOK_SECRET": "s3cret-token",
            }
        )
        proc, out = _run(env, tmp_path)  # no `finbot db upgrade` first
        try:
            seen: list[int | None] = []
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                status = _health(port)
                if status != 200:
                    assert not tg.calls_of("setWebhook"), "webhook registered before ready"
                seen.append(status)
                if status == 200:
                    break
                time.sleep(0.05)
            assert seen and seen[-1] == 200, seen[-5:]
            assert 503 in seen  # it listened while warming up, and said it was not ready
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                assert json.loads(resp.read())["status"] == "ready"
            assert any("finbot: ready in" in line and "webhook" in line for _, line in out)
            (hook,) = _wait_for_call(tg, "setWebhook")
            assert hook["secret_token"] == "s3cret-token"
            alice = tg.user(4010, "Alice")
            server.call(alice.send("政府性融资担保的担保费率是多少？"))
            (answer,) = server.call(alice.wait_for(timeout=30), timeout=40)
            assert "0.8%" in answer.text
        finally:
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err[-2000:]
        assert "created the database schema" in err


@pytest.mark.slow
def test_polling_starts_only_after_the_ready_line(tmp_path: Path) -> None:
    with run_in_thread() as server:
        tg = server.tg
        env = finbot_env(tg, tmp_path / "data")
        alice = tg.user(4011, "Alice")
        server.call(alice.send("政府性融资担保的担保费率是多少？"))  # waiting before the start
        proc, out = _run(env, tmp_path)
        try:
            first_poll = None
            deadline = time.monotonic() + 120
            while first_poll is None and time.monotonic() < deadline and proc.poll() is None:
                if tg.calls_of("getUpdates"):
                    first_poll = time.monotonic()
                time.sleep(0.01)
            assert first_poll is not None
            (answer,) = server.call(alice.wait_for(timeout=30), timeout=40)
            assert "0.8%" in answer.text
            ready = [t for t, line in out if "finbot: ready in" in line and "polling" in line]
            assert ready and ready[0] <= first_poll + 0.05  # the line came first
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30)
        assert proc.returncode == 0
