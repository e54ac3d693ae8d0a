"""`finbot run` as a real process against the fake server: start it, kill it, start it again.

For the tests that need a real process: the exit on SIGTERM, secrets in the logs, and the
fault tests that SIGKILL it in the middle of something and check what the next start does.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakebot import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


def finbot_env(tg: FakeTelegram, data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a finbot process talking to `tg` (FINBOT_ prefix added)."""
    env = dict(os.environ)
    env.update(
        {
            "FINBOT_TELEGRAM_TOKEN": tg.token,
            "FINBOT_TELEGRAM_API_URL": tg.base_url,
            "FINBOT_TELEGRAM_FILE_URL": tg.base_file_url,
            "FINBOT_DATA_DIR": str(data_dir),
            "FINBOT_EMBEDDING_MODEL": "hashing",
            "FINBOT_WEBHOOK_URL": "",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update({f"FINBOT_{key.upper()}": value for key, value in settings.items()})
    return env


async def called(
    tg: FakeTelegram, method: str, matching: Callable[[dict[str, Any]], bool] = lambda _p: True
) -> list[dict[str, Any]]:
    """Once the server has received a call of `method` matching (run on the server's loop)."""
    while not (calls := [c for c in tg.calls_of(method) if matching(c)]):
        await asyncio.sleep(0.02)
    return calls


class FinbotProcess:
    """`finbot db upgrade` once, then `finbot run` started, killed and started again."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd
        self.proc: subprocess.Popen[str] | None = None
        upgrade = subprocess.run(
            [sys.executable, "-m", "bot", "db", "upgrade"],
            env=env, cwd=cwd, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert upgrade.returncode == 0, upgrade.stderr

    def start(self) -> FinbotProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            env=self.env, cwd=self.cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, nothing after this instruction runs."""
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.communicate(timeout=30)
            self.proc = None

    def stop(self) -> tuple[int, str, str]:
        """SIGTERM, as a service manager stops it: (exit code, stdout, stderr)."""
        if self.proc is None:
            return 0, "", ""
        self.proc.send_signal(signal.SIGTERM)
        out, err = self.proc.communicate(timeout=30)
        code, self.proc = self.proc.returncode, None
        return code, out, err

    def __enter__(self) -> FinbotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.kill()
