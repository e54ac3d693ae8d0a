"""`finbot stats` and `finbot export questions`: the officers' reports from the command line.

They run the same services as /stats and /export questions over the same database, so the
numbers printed here are the numbers the bot shows. The operator at the server's shell is
trusted like an admin (`--unmasked` needs no role) and, like an admin, audited.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.clock import SystemClock, local_today
from bot.config import Settings

if TYPE_CHECKING:  # imported where used: the parser is built for every `finbot` command
    from bot.stats import Period, Titles

T = TypeVar("T")
MAX_DAYS = 366  # bot.stats.MAX_DAYS (a test keeps them equal)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The two commands' arguments, added to `finbot`'s parser."""
    stats = sub.add_parser("stats", help="Q&A and request statistics for a period")
    when = stats.add_mutually_exclusive_group()
    when.add_argument("--days", type=int, help="the last N days (default 7)")
    when.add_argument("--from", dest="start", type=iso_day, metavar="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=iso_day, metavar="YYYY-MM-DD")
    stats.add_argument("--json", action="store_true", help="print the figures as JSON")
    stats.add_argument("--png", type=Path, metavar="FILE", help="write the chart to FILE")

    export = sub.add_parser("export", help="export records")
    what = export.add_subparsers(dest="export_command", required=True)
    questions = what.add_parser("questions", help="the question log as CSV or XLSX")
    questions.add_argument("--from", dest="start", type=iso_day, metavar="YYYY-MM-DD")
    questions.add_argument("--to", dest="end", type=iso_day, metavar="YYYY-MM-DD")
    out = questions.add_mutually_exclusive_group(required=True)
    out.add_argument("--xlsx", type=Path, metavar="FILE")
    out.add_argument("--csv", type=Path, metavar="FILE")
    questions.add_argument(
        "--unmasked", action="store_true", help="real user ids and question text (audited)"
    )


def iso_day(text: str) -> date:
    """An argparse type: a day as YYYY-MM-DD (`finbot ask --as-of`, stats, export)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from None


def period_of(args: argparse.Namespace, today: date, default_days: int) -> Period | None:
    """--days N, or --from/--to (either may be left out: --to today, --from N days before)."""
    from bot.stats import Period, last_days

    if getattr(args, "days", None) is not None:
        return last_days(args.days, today) if 1 <= args.days <= MAX_DAYS else None
    end = args.end or today
    start = args.start or last_days(default_days, end).start
    period = Period(start, end)
    return period if start <= end and period.days <= MAX_DAYS else None


def stats_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.charts import render_png
    from bot.stats import as_json, summary_text

    period = period_of(args, local_today(SystemClock()), 7)
    if period is None:
        print(f"finbot: a period of 1 to {MAX_DAYS} days, --from before --to", file=sys.stderr)
        return 2
    figures = _with_services(settings, lambda svc: svc.stats.collect(period))
    if args.png:
        args.png.write_bytes(render_png(figures))
    if args.json:
        print(json.dumps(as_json(figures), ensure_ascii=False, indent=1))
    elif not args.png:
        print(summary_text(figures, "zh"))
    return 0


def export_command(settings: Settings, args: argparse.Namespace) -> int:
    period = period_of(args, local_today(SystemClock()), 30)
    if period is None:
        print(f"finbot: a period of 1 to {MAX_DAYS} days, --from before --to", file=sys.stderr)
        return 2
    export = _with_services(
        settings,
        lambda svc: svc.exports.questions(period.start, period.end, None, unmasked=args.unmasked),
    )
    target: Path = args.xlsx or args.csv
    target.write_bytes(export.xlsx if args.xlsx else export.csv)
    print(f"{export.count} questions {period.start} to {period.end} → {target}")
    return 0


class _Reports:
    """The services the reports need, on their own engine (no Telegram, no answer engine)."""

    def __init__(self, settings: Settings, titles: Titles) -> None:
        from bot.audit import AuditService
        from bot.db.session import make_engine, make_sessionmaker
        from bot.export import ExportService
        from bot.questions import QuestionLogService
        from bot.requests import RequestService
        from bot.sla import SlaPolicy
        from bot.stats import StatsService

        clock = SystemClock()
        self.engine = make_engine(settings.db_url)
        db = make_sessionmaker(self.engine)
        questions, requests = QuestionLogService(db, clock), RequestService(db, clock)
        self.stats = StatsService(db, clock, questions=questions, requests=requests,
                                  policy=SlaPolicy.from_settings(settings), titles=titles)  # fmt: skip
        self.exports = ExportService(requests, clock, questions=questions,
                                     audit=AuditService(db, clock), titles=titles)  # fmt: skip


def _with_services(settings: Settings, work: Callable[[_Reports], Awaitable[T]]) -> T:
    from bot.core import build_core
    from bot.titles import titles_from

    core = build_core(settings, scope_model=False)
    try:
        return asyncio.run(_run(settings, titles_from(core.kb), work))
    finally:
        core.close()


async def _run(settings: Settings, titles: Titles, work: Callable[[_Reports], Awaitable[T]]) -> T:
    reports = _Reports(settings, titles)
    try:
        return await work(reports)
    finally:
        await reports.engine.dispose()
