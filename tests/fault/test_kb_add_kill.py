"""SIGKILL of a real `finbot kb add` at several points (issue 14, fault tier).

After each kill: the index is wholly old or wholly new; every original the catalogue names is
there; `kb rebuild` publishes nothing that was never committed (the killed run's draft
original included) and leaves no file the catalogue does not name; running the same
`kb add` again finishes and encodes only what the killed run had not.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core import build_core
from index.encoders import HashingEncoder

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
DOCS = 120
ARTICLES = 12


def policy(title: str, word: str) -> str:
    lines = [f"# {title}", "", "- 文号：青金发〔2025〕9号", "- 施行日期：2025年1月1日", ""]
    for i in range(1, ARTICLES + 1):
        lines += [f"第{i}条 本区对符合条件的企业给予{word}{i}万元，申请材料第{i}项。", ""]
    return "\n".join(lines)


def env_for(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {"FINBOT_DATA_DIR": str(data), "FINBOT_EMBEDDING_MODEL": "hashing", "PYTHONPATH": str(ROOT)}
    )
    env.pop("FINBOT_TELEGRAM_TOKEN", None)
    return env


def finbot(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env_for(data),
        cwd=data.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A data dir holding v1 of a.md, and a folder with v2 (a draft) and 120 other policies."""
    root = tmp_path_factory.mktemp("kill")
    v1 = root / "v1"
    v1.mkdir()
    (v1 / "a.md").write_text(policy("贴息办法", "补贴"), "utf-8")
    big = root / "big"
    big.mkdir()
    (big / "a.md").write_text(policy("贴息办法", "草稿"), "utf-8")
    for d in range(DOCS):
        (big / f"p{d:03d}.md").write_text(policy(f"政策{d}", f"奖励{d}"), "utf-8")
    pristine = root / "pristine" / "data"
    pristine.parent.mkdir()
    done = finbot(pristine, "kb", "add", str(v1))
    assert done.returncode == 0, done.stderr
    return {"root": root, "big": big, "pristine": pristine}


def state(data: Path) -> dict[str, str]:
    core = build_core(
        load_settings(data_dir=data, embedding_model="hashing"), encoder=HashingEncoder()
    )
    snap = core.store.snapshot()
    out = {doc_id: rec.doc.content_hash for doc_id, rec in snap.docs.items()}
    for rec in snap.docs.values():  # nothing committed is lost: every named original is there
        assert rec.stored_file and (data / rec.stored_file).is_file(), rec.stored_file
    return out


def files_under(data: Path) -> set[str]:
    return {p.relative_to(data).as_posix() for p in (data / "files").rglob("*") if p.is_file()}


def named_files(data: Path) -> set[str]:
    core = build_core(
        load_settings(data_dir=data, embedding_model="hashing"), encoder=HashingEncoder()
    )
    current = {rec.stored_file or "" for rec in core.store.snapshot().docs.values()}
    kept = {rev.record.stored_file or "" for doc in core.store.snapshot().docs
            for rev in core.store.history(doc)}  # fmt: skip
    return current | kept  # a replaced text's original is kept with its revision


def after_seconds(seconds: float) -> Callable[[Path], bool]:
    started = time.monotonic()
    return lambda _data: time.monotonic() - started >= seconds


def vectors_written(data: Path) -> bool:
    return any(p.stat().st_size > 64 * 1024 for p in (data / "index" / "vectors").glob("*.vec"))


def generation_being_written(data: Path) -> bool:
    return any(p.name.startswith(".tmp-") for p in (data / "index").iterdir())


def originals_written(data: Path) -> bool:
    return len(files_under(data)) > 1


def committed(data: Path) -> bool:
    return (data / "index" / "CURRENT").read_text().strip() != "gen-000001"


POINTS: dict[str, Callable[[], Callable[[Path], bool]]] = {
    "while parsing": lambda: after_seconds(0.3),
    "while encoding": lambda: vectors_written,
    "while writing the generation": lambda: generation_being_written,
    "after writing originals": lambda: originals_written,
    "right after the commit": lambda: committed,
}


@pytest.mark.parametrize("point", list(POINTS))
def test_kill_kb_add_leaves_the_index_wholly_old_or_wholly_new(
    world: dict[str, Path], point: str
) -> None:
    data = world["root"] / point.replace(" ", "-") / "data"
    data.parent.mkdir()
    shutil.copytree(world["pristine"], data)
    old = state(data)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "kb", "add", str(world["big"])],
        env=env_for(data),
        cwd=data.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    trigger = POINTS[point]()
    fired = False
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if trigger(data):
                    fired = True
                    break
            except FileNotFoundError:
                pass
            time.sleep(0.002)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    now = state(data)
    wholly_new = len(now) == DOCS + 1 and now["a"] != old["a"]
    assert now == old or wholly_new, f"{point}: {len(now)} documents"
    print(f"{point}: killed={fired} {'new' if wholly_new else 'old'}")

    rebuilt = finbot(data, "kb", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert state(data) == now  # nothing uncommitted was published by the rebuild
    assert files_under(data) == named_files(data)  # and no orphan is left for later

    again = finbot(data, "kb", "add", str(world["big"]))
    assert again.returncode == 0, again.stderr
    assert len(state(data)) == DOCS + 1
    embedded = int(again.stdout.split("embedded ")[1].split()[0])
    assert embedded <= (DOCS + 1) * ARTICLES
    if point != "while parsing" and not wholly_new:
        assert embedded < (DOCS + 1) * ARTICLES, "the killed run's vectors were not reused"
