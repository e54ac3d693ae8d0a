"""Load benchmark of the Telegram Q&A path: simulated users → fake Bot API → real PTB bot.

    python -m bench.bot_load [--model e5-small|hashing] [--rates 5,10,20,40] [--duration 30]
    python -m bench.bot_load --scenario flood [--model …] [--flood 500] [--normal 20]

Each offered load R (questions/s) runs R*think users; every user asks a random question
from bench/quality/questions, waits for the answer, then thinks ~`think` seconds (jittered)
before the next one. Latency is "question sent → answer visible in the chat". Everything
runs on 127.0.0.1 in this process; the seeded data dir is reused between runs.

`--scenario flood`: one user sends `--flood` questions as fast as they can (over ~11 s,
far beyond FINBOT_QUESTIONS_PER_MINUTE) while `--normal` users ask at their usual pace.
It prints the normal users' latency (p50/p95/max), how many replies the flooder got and
how long the bot took to go quiet after the flood.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings, load_settings
from bot.db.migrate import upgrade
from bot.main import running
from bot.services import Services, build_services
from tests.fakebot import FakeTelegram

QUESTIONS_DIR = Path(__file__).resolve().parents[1] / "quality" / "questions"
REPLY_TIMEOUT_S = 10.0


@dataclass
class LevelResult:
    rate: float
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))]

    @property
    def answers_per_s(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


def load_questions() -> list[str]:
    out: list[str] = []
    for path in sorted(QUESTIONS_DIR.glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


async def user_loop(
    tg: FakeTelegram,
    user_id: int,
    questions: list[str],
    think: float,
    until: float,
    result: LevelResult,
    rng: random.Random,
) -> None:
    person = tg.user(user_id)
    await asyncio.sleep(rng.uniform(0, think))  # spread the first questions over one think time
    while time.monotonic() < until:
        started = time.perf_counter()
        await person.send(rng.choice(questions))
        try:
            await person.wait_for(timeout=REPLY_TIMEOUT_S)
            result.latencies.append(time.perf_counter() - started)
        except TimeoutError:
            result.errors += 1
        await asyncio.sleep(
            max(0.0, think * rng.uniform(0.8, 1.2) - (time.perf_counter() - started))
        )


async def run_level(
    tg: FakeTelegram,
    rate: float,
    think: float,
    duration: float,
    questions: list[str],
    first_user: int,
) -> LevelResult:
    users = max(1, round(rate * think))
    result = LevelResult(rate, users)
    rng = random.Random(first_user)
    begin = time.monotonic()
    until = begin + duration
    await asyncio.gather(
        *(user_loop(tg, first_user + n, questions, think, until, result, rng) for n in range(users))
    )
    result.elapsed = time.monotonic() - begin
    return result


async def fresh_services(settings: Settings) -> Services:
    db_file = settings.data_dir / "bench.db"
    db_file.unlink(missing_ok=True)  # the fake server restarts message ids: start a fresh log
    upgrade(settings.db_url)
    return await build_services(settings)


async def main_async(args: argparse.Namespace) -> int:
    questions = load_questions()
    data_dir = Path(args.data_dir or f"/tmp/finbot-bench-bot-load-{args.model}")
    async with FakeTelegram(host="127.0.0.1") as tg:
        settings = load_settings(
            data_dir=data_dir,
            embedding_model=args.model,
            telegram_token=tg.token,
            telegram_api_url=tg.base_url,
            telegram_file_url=tg.base_file_url,
            questions_per_minute=20 if args.scenario == "flood" else 1000,
            database_url=f"sqlite+aiosqlite:///{data_dir / 'bench.db'}",
        )
        print(
            f"starting bot (model {args.model}, data {data_dir}); first run seeds the sample KB…",
            file=sys.stderr,
        )
        services = await fresh_services(settings)
        rows: list[LevelResult] = []
        try:
            async with running(settings, services, poll_timeout=10):
                await services.answers.answer("预热")  # load the model before measuring
                if args.scenario == "flood":
                    await run_flood(
                        tg, questions, flood=args.flood, normal=args.normal, think=args.think
                    )
                    return 0
                for n, rate in enumerate(args.rates):
                    res = await run_level(
                        tg, rate, args.think, args.duration, questions, 10_000_000 * (n + 1)
                    )
                    rows.append(res)
                    print_row(res, header=n == 0)
        finally:
            await services.close()
    ok = [r for r in rows if r.errors == 0 and r.pct(0.95) <= 1.0]
    best = max((r.answers_per_s for r in ok), default=0.0)
    print(f"\nhighest sustained rate with p95 <= 1 s and 0 errors: {best:.1f} answers/s")
    return 0


FLOOD_USER = 99_000_001
FLOOD_SECONDS = 11.0


async def flood_loop(tg: FakeTelegram, count: int, questions: list[str]) -> None:
    """The flooder: `count` questions spread evenly over FLOOD_SECONDS."""
    person = tg.user(FLOOD_USER, "flooder")
    begin = time.monotonic()
    for n in range(count):
        await person.send(questions[n % len(questions)])
        await asyncio.sleep(max(0.0, begin + (n + 1) * FLOOD_SECONDS / count - time.monotonic()))


async def drained(tg: FakeTelegram) -> tuple[float, int]:
    """Seconds until the bot has worked through the flooder's backlog, and the replies they got.

    One user's updates are handled in order, so the reply to a /help sent after the flood
    comes once every flooded message has been dealt with.
    """
    person = tg.user(FLOOD_USER, "flooder")
    begin = time.monotonic()
    await person.command("help")
    await person.wait_for(lambda m: "/lang" in m.text, timeout=600)
    replies = len(person.messages()) - 1
    return time.monotonic() - begin, replies


async def run_flood(
    tg: FakeTelegram, questions: list[str], *, flood: int, normal: int, think: float
) -> None:
    """One flooder plus `normal` users asking at their pace during the flood."""
    result = LevelResult(normal / think, normal)
    rng = random.Random(7)
    begin = time.monotonic()
    until = begin + FLOOD_SECONDS
    await asyncio.gather(
        flood_loop(tg, flood, questions),
        *(
            user_loop(tg, 20_000_000 + n, questions, think, until, result, rng)
            for n in range(normal)
        ),
    )
    result.elapsed = time.monotonic() - begin
    drain, replies = await drained(tg)
    print(f"flood: {flood} questions in {FLOOD_SECONDS:.0f} s from one user, {normal} normal users")
    print_row(result, header=True)
    print(
        f"normal users' p95: {result.pct(0.95) * 1000:.0f} ms; flooder got {replies} replies; "
        f"the bot worked through the flood {drain:.1f} s after it ended"
    )


def print_row(r: LevelResult, *, header: bool) -> None:
    if header:
        print(
            f"{'offered q/s':>11} {'users':>6} {'answers':>8} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'max ms':>8} {'errors':>7} {'answers/s':>10}"
        )
    mx = max(r.latencies) if r.latencies else float("nan")
    print(
        f"{r.rate:>11.1f} {r.users:>6} {len(r.latencies):>8} {r.pct(0.5) * 1000:>8.0f} "
        f"{r.pct(0.95) * 1000:>8.0f} {mx * 1000:>8.0f} {r.errors:>7} {r.answers_per_s:>10.1f}",
        flush=True,
    )


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench.bot_load", description=__doc__.split("\n")[0])
    p.add_argument("--model", default="e5-small", help="embedding model (e5-small, hashing, …)")
    p.add_argument(
        "--rates", type=lambda s: [float(x) for x in s.split(",")], default=[5, 10, 20, 40]
    )
    p.add_argument("--duration", type=float, default=30.0, help="seconds per load level (<= 60)")
    p.add_argument(
        "--think", type=float, default=None, help="mean think time (levels 10 s, flood 2 s)"
    )
    p.add_argument("--data-dir", default=None)
    p.add_argument("--scenario", choices=("levels", "flood"), default="levels")
    p.add_argument("--flood", type=int, default=500, help="flood: the flooder's questions")
    p.add_argument("--normal", type=int, default=20, help="flood: normal users alongside")
    args = p.parse_args()
    args.duration = min(args.duration, 60.0)
    if args.think is None:
        args.think = 2.0 if args.scenario == "flood" else 10.0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    raise SystemExit(main())
