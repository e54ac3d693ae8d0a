"""python -m bench.latency [--sizes 1000,10000,100000] [--queries 200]

Per-query time of the answer service against the bare query-encode time of the same model
in the same run, at several index sizes (synthetic chunks built from the sample KB's text),
plus ingest throughput, peak RSS and cold start to first answer. Prints a table; asserts
nothing (speed goals are read from the table, never enforced by tests).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.quality.evaluate import load_questions
from bot.config import load_settings
from bot.core import build_core
from index.catalog import DocRecord
from knowledge.models import Chunk, DocumentMeta, ParsedDocument, sha256_text


def synthetic_records(n_chunks: int, corpus: list[str], seed: int = 7) -> list[DocRecord]:
    """Documents of 20 chunks each, texts recombined from real policy sentences."""
    rng = random.Random(seed)
    sentences = [s for text in corpus for s in text.replace("\n", "。").split("。") if len(s) > 8]
    records = []
    now = datetime.now(UTC).isoformat()
    for d in range(0, n_chunks, 20):
        doc_id = f"syn-{d // 20:06d}"
        chunks = []
        for i in range(min(20, n_chunks - d)):
            text = "。".join(rng.sample(sentences, 3)) + f"。（第{d + i}号）"
            chunks.append(
                Chunk(f"{doc_id}#{i}", doc_id, i, f"第{i + 1}条", text, sha256_text(text))
            )
        meta = DocumentMeta(title=f"合成政策文件{d // 20}")
        doc = ParsedDocument(
            doc_id, f"syn/{doc_id}.md", meta, tuple(chunks), sha256_text(doc_id), "md"
        )
        records.append(DocRecord(doc, now))
    return records


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(prog="bench.latency")
    ap.add_argument("--encoder", default="e5-small")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument(
        "--embed-sample", type=int, default=400, help="chunks actually embedded to time ingest"
    )
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    questions = [q.question for q in load_questions() if q.in_scope][: args.queries]
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="finbot-latency-"))
    try:
        base = build_core(load_settings(data_dir=tmp / "seed", embedding_model=args.encoder))
        base.kb.seed_sample()
        corpus = [c.text for c in base.store.snapshot().chunks.values()]
        # ingest throughput: real embedding of N chunks through the store
        sample = synthetic_records(args.embed_sample, corpus, seed=1)
        t0 = time.perf_counter()
        ing = build_core(
            load_settings(data_dir=tmp / "ingest", embedding_model=args.encoder),
            encoder=base.encoder,
        )
        ing.store.apply(upsert=sample)
        ingest_rate = args.embed_sample / (time.perf_counter() - t0)
        enc = base.encoder
        for size in [int(s) for s in args.sizes.split(",")]:
            core = build_core(
                load_settings(data_dir=tmp / f"s{size}", embedding_model=args.encoder), encoder=enc
            )
            core.kb.seed_sample()
            records = synthetic_records(max(0, size - len(corpus)), corpus)
            # vectors for synthetic chunks: random unit vectors (embedding 100k texts takes hours on 2 cores)
            _fill_without_embedding(core, records)
            for q in questions[:5]:
                core.answers.answer_sync(q)
            enc_ms, svc_ms = [], []
            for q in questions:
                t = time.perf_counter()
                enc.encode_queries([core.lexicon.expand_query(q)])
                enc_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                core.answers.answer_sync(q)
                svc_ms.append((time.perf_counter() - t) * 1000)
            rows.append(
                (
                    size,
                    len(core.store.snapshot().chunks),
                    statistics.median(enc_ms),
                    statistics.median(svc_ms),
                    pct(svc_ms, 0.95),
                    rss_mb(),
                )
            )
            core.close()
        cold = _cold_start(tmp / "seed", args.encoder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"encoder={args.encoder}  queries={len(questions)}  cores={os.cpu_count()}")
    print(
        f"{'chunks':>8} {'encode p50':>11} {'answer p50':>11} {'ratio':>6} {'answer p95':>11} {'peak RSS MB':>12}"
    )
    for _size, real, e50, s50, s95, rss in rows:
        print(f"{real:>8} {e50:>9.1f}ms {s50:>9.1f}ms {s50 / e50:>6.2f} {s95:>9.1f}ms {rss:>12.0f}")
    print(f"ingest: {ingest_rate:.1f} chunks/s (embedding included, {args.embed_sample} chunks)")
    print(f"cold start to first answer (built index, new process): {cold:.2f} s")
    return 0


def _fill_without_embedding(core, records):  # type: ignore[no-untyped-def]
    import numpy as np

    store = core.store
    rng = np.random.default_rng(0)

    class RandomEncoder:
        name = store.encoder.name
        dim = store.encoder.dim

        def encode_passages(self, texts):  # type: ignore[no-untyped-def]
            v = rng.standard_normal((len(texts), self.dim)).astype("float32")
            return v / np.linalg.norm(v, axis=1, keepdims=True)

        encode_queries = encode_passages

    real = store.encoder
    store.encoder = RandomEncoder()
    try:
        if records:
            store.apply(upsert=records)
    finally:
        store.encoder = real


def _cold_start(data_dir: Path, encoder: str) -> float:
    env = dict(os.environ, FINBOT_DATA_DIR=str(data_dir), FINBOT_EMBEDDING_MODEL=encoder)
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "政府性融资担保费率是多少"],
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
