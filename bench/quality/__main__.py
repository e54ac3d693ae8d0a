"""python -m bench.quality [--encoder e5-small] [--split all|tune|holdout] [--misses]

Builds (or reuses) an index of the bundled sample knowledge base in var/bench-<encoder>,
answers every question of bench/quality/questions and prints the table.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from bench.quality.evaluate import BENCH_DAY, load_questions, report, run
from bot.config import load_settings
from bot.core import build_core


def main() -> int:
    p = argparse.ArgumentParser(prog="bench.quality")
    p.add_argument("--encoder", default="e5-small")
    p.add_argument("--split", choices=["all", "tune", "holdout"], default="all")
    p.add_argument("--data-dir", type=Path, default=None)
    p.add_argument("--misses", action="store_true", help="list the questions that missed")
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        default=BENCH_DAY,
        help=f"the day documents are in force on (default {BENCH_DAY}, the set's own day)",
    )
    args = p.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    data_dir = args.data_dir or Path("var") / f"bench-{args.encoder.replace('/', '_')}"
    settings = load_settings(data_dir=data_dir, embedding_model=args.encoder)
    core = build_core(settings, today=lambda: args.today)
    core.kb.seed_sample()
    questions = load_questions()
    if args.split != "all":
        questions = [q for q in questions if q.split == args.split]
    outcomes = run(core.answers, questions)
    print(
        f"encoder={core.encoder.name} documents={len(core.store.snapshot().docs)} "
        f"chunks={len(core.store.snapshot().chunks)} faq={len(core.store.snapshot().faqs)} "
        f"questions={len(questions)}"
    )
    print(report(outcomes))
    if args.misses:
        for o in outcomes:
            bad_rank = o.q.in_scope and (o.rank is None or o.rank > 1)
            bad_band = (o.q.in_scope and o.band == "none") or (
                not o.q.in_scope and o.band != "none"
            )
            if bad_rank or bad_band or o.superseded_as_current:
                print(
                    f"- [{o.q.kind}] {o.q.question} | band={o.band} conf={o.confidence:.3f} "
                    f"rank={o.rank} gold={list(o.q.gold_docs)} got={o.ranked_sources[:3]}",
                    file=sys.stdout,
                )
    core.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
