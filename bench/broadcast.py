"""Broadcast benchmark: one policy notice to thousands of subscribers through the fake Bot API.

    python -m bench.broadcast [--subscribers 5000] [--rate 25] [--blocked 100] [--burst 8]

The real bot runs in this process against the fake Bot API server (127.0.0.1, in a thread
of its own), with the hashing encoder and an empty knowledge base (the admin's upload is
its one document). `--subscribers` users follow 担保与贷款; `--blocked` of them have
blocked the bot. The admin uploads a guarantee policy, is asked, taps 发送通知, and the
clock runs from that tap to the admin's report. Once a fifth of the notices are out, the
server answers the next `--burst` sendMessage calls with 429 (retry_after 2 s), the way
Telegram answers a flood.

Printed: subscribers, the rate limit, time to finish, the peak of sendMessage calls that
reached the server in any one-second window (429s included: Telegram counts those too),
sent / blocked / failed from the report, and whether every reachable subscriber got exactly
one notice. Bounded: 5,000 subscribers at the default 25/s take about 3.5 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.db.models import Subscription
from bot.main import running
from bot.services import build_services
from index.encoders import HashingEncoder
from tests.fakebot import FakeTelegram, run_in_thread

ADMIN = 9001
FIRST_USER = 7_000_000
POLICY = """# 青禾区小微企业融资担保降费办法

- 文号：青金发〔2026〕7号
- 施行日期：2026年2月1日

## 第一条 担保费率

对符合条件的小微企业，年化担保费率降至0.5%。
"""


def peak_per_second(times: list[float]) -> int:
    """The most calls in any half-open one-second window [t, t + 1)."""
    times = sorted(times)
    return max(
        (bisect.bisect_left(times, t + 1.0) - n for n, t in enumerate(times)),
        default=0,
    )


async def wait_for_sends(tg: FakeTelegram, users: set[int], count: int) -> None:
    while sum(1 for c in tg.calls_of("sendMessage") if c.get("chat_id") in users) < count:
        await asyncio.sleep(0.05)


async def run(args: argparse.Namespace) -> int:
    users = list(range(FIRST_USER, FIRST_USER + args.subscribers))
    blocked = (
        set(users[:: max(1, len(users) // args.blocked)][: args.blocked]) if args.blocked else set()
    )
    with run_in_thread() as server:  # "Telegram" off the bot's event loop, as it is remote
        tg = server.tg
        data = Path(tempfile.mkdtemp(prefix="finbot-bench-broadcast-"))
        settings = load_settings(
            data_dir=data, embedding_model="hashing", telegram_token=tg.token,
            telegram_api_url=tg.base_url, telegram_file_url=tg.base_file_url,
            admin_ids=[ADMIN], broadcast_rate=args.rate,
        )  # fmt: skip
        upgrade(settings.db_url)
        print(
            f"data dir {data} (an empty knowledge base: the upload is its document)",
            file=sys.stderr,
        )
        services = await build_services(settings, encoder=HashingEncoder(), seed=False)
        now = datetime.now(UTC)
        async with services.db() as session, session.begin():
            await session.execute(
                insert(Subscription),
                [{"user_id": u, "topic": "guarantee", "created_at": now} for u in users],
            )
        for user_id in users:
            tg.user(user_id, started=True)
        for user_id in blocked:
            tg.block_user(user_id)
        try:
            async with running(settings, services):
                admin = tg.user(ADMIN, "管理员")
                await admin.upload("fee-cut.md", POLICY.encode())
                (prompt,) = await admin.wait_for(lambda m: "是否通知" in m.text, timeout=60)
                first_call = len(tg.calls)
                burst = asyncio.create_task(
                    _burst(tg, set(users), args.subscribers // 5, args.burst)
                )
                began = time.monotonic()
                await admin.tap("发送通知", message=prompt)
                (report,) = await admin.wait_for(
                    lambda m: "发送完毕" in m.text, timeout=args.subscribers / args.rate * 2 + 60
                )
                elapsed = time.monotonic() - began
                burst.cancel()
        finally:
            await services.close()
        wanted = set(users)
        sends = [
            t
            for c, t in zip(tg.calls[first_call:], tg.call_times[first_call:], strict=True)
            if c.method == "sendMessage" and c.params.get("chat_id") in wanted
        ]
        shown = Counter(u for u in users for m in tg.chat_messages(u) if "政策更新" in m.text)
    counts = _report_numbers(report.text)
    exactly_once = all(shown[u] == 1 for u in users if u not in blocked) and not any(
        shown[u] for u in blocked
    )
    _print_table(args, elapsed, peak_per_second(sends), counts, exactly_once)
    return 0 if exactly_once else 1


async def _burst(tg: FakeTelegram, users: set[int], after: int, count: int) -> None:
    if count:
        await wait_for_sends(tg, users, after)
        tg.fail_next("sendMessage", status=429, retry_after=2, count=count)


def _report_numbers(text: str) -> tuple[str, str, str]:
    """sent / blocked / failed as the admin's report states them."""
    found = re.search(r"已送达 (\d+)，已屏蔽机器人 (\d+).*发送失败 (\d+)", text)
    return found.groups() if found else ("?", "?", "?")  # type: ignore[return-value]


def _print_table(
    args: argparse.Namespace,
    elapsed: float,
    peak: int,
    counts: tuple[str, str, str],
    exactly_once: bool,
) -> None:
    sent, blocked, failed = counts
    print(
        "| subscribers | rate limit (msg/s) | 429 burst | time to finish (s) "
        "| peak msg/s (any 1 s) | sent | blocked | failed | each exactly once |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
    print(
        f"| {args.subscribers} | {args.rate:g} | {args.burst} × 429 (2 s) | {elapsed:.1f} "
        f"| {peak} | {sent} | {blocked} | {failed} | {'yes' if exactly_once else 'NO'} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=25.0, help="FINBOT_BROADCAST_RATE")
    parser.add_argument("--blocked", type=int, default=100, help="subscribers who blocked the bot")
    parser.add_argument("--burst", type=int, default=8, help="429 answers in a row, 0 for none")
    args = parser.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
