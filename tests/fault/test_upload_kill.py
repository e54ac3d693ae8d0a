"""SIGKILL of a real `finbot run` in the middle of an admin's upload (issue 14, fault tier).

An admin replaces a policy (v1 → a large v2) from Telegram and the process dies while it is
receiving the file or building the index. After the kill: the index holds v1 or v2 wholly,
every original it names is on disk and nothing else is. The next start serves: when Telegram
delivers the admin's 替换 again (the dead process had not confirmed it), the replacement is
completed and said so; otherwise v1 answers until the admin uploads v2 again, which goes through,
and answers change at once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core import build_core
from index.encoders import HashingEncoder
from tests.e2e.process import FinbotProcess, called, finbot_env
from tests.e2e_admin.conftest import ADMIN, ENTREPRENEUR, POLICY_V1, POLICY_V2
from tests.fakebot import BotMessage, FakeTelegram, ThreadedFakeTelegram, run_in_thread
from tests.fakebot.person import Chatter

pytestmark = [pytest.mark.fault, pytest.mark.slow]

START_S = 90  # a cold start seeds the sample knowledge base
QUESTION = "数字人民币试点企业补贴多少钱？"
DOC_ID = "digital-rmb"
NEW_ID = "digital-rmb-2026"
EXTRA_ARTICLES = 150  # a long policy: parsing and indexing it take a moment


def big_v2() -> bytes:
    """v2 of the policy with many more articles (each a chunk of its own)."""
    extra = [
        f"## 第{n}条 附则{n}\n\n本办法所称第{n}类台账，由区档案馆按年度归档保存，保存期限十年。\n"
        for n in range(3, 3 + EXTRA_ARTICLES)
    ]
    return (POLICY_V2 + "\n" + "\n".join(extra)).encode()


def finished(m: BotMessage) -> bool:
    return any(mark in m.text for mark in ("✅", "❌", "ℹ️"))


def _until(
    server: ThreadedFakeTelegram,
    person: Chatter,
    predicate: Callable[[BotMessage], bool],
    timeout: float = 60,
) -> BotMessage:
    return server.call(person.wait_for(predicate, timeout=timeout), timeout=timeout + 10)[-1]


def _ask(server: ThreadedFakeTelegram, person: Chatter, timeout: float = 30) -> str:
    person.mark()
    server.call(person.send(QUESTION))
    return _until(server, person, lambda m: "万元" in m.text or "未" in m.text, timeout).text


def _published(data: Path) -> tuple[dict[str, str], set[str], set[str]]:
    """(digital-rmb* documents: "current" or the id that replaced it; files named; on disk)."""
    core = build_core(
        load_settings(data_dir=data, embedding_model="hashing"), encoder=HashingEncoder()
    )
    docs = core.store.snapshot().docs
    named = {rec.stored_file or "" for rec in docs.values()}
    on_disk = {p.relative_to(data).as_posix() for p in (data / "files").rglob("*") if p.is_file()}
    ours = {d: rec.superseded_by or "current" for d, rec in docs.items() if d.startswith(DOC_ID)}
    return ours, named, on_disk


def _replace(server: ThreadedFakeTelegram, admin: Chatter, kill_before_choice: bool) -> None:
    """Upload v2 under a new name; unless killed first, choose to replace v1 with it."""
    admin.mark()
    server.call(admin.upload(f"{NEW_ID}.md", big_v2()))
    if not kill_before_choice:
        _until(server, admin, lambda m: "请选择" in m.text)
        server.call(admin.tap("替换"))


def _kill_point(point: str) -> tuple[float, str, Callable[[dict[str, object]], bool]]:
    """(latency, Bot API method, the call that means "the upload is under way")."""
    if point == "while receiving":  # the bot hangs fetching the file and dies there
        return 5.0, "getFile", lambda _c: True
    # the choice was made: the bot has started replacing and dies while it parses and indexes
    return 0.0, "editMessageText", lambda c: "正在解析" in str(c.get("text"))


def _after(
    seen: int, tg: FakeTelegram, method: str, matching: Callable[[dict[str, object]], bool]
) -> Callable[[dict[str, object]], bool]:
    """Match only calls made after the first `seen` ones (identity, as params are dicts)."""
    earlier = [id(c) for c in tg.calls_of(method)[:seen]]
    return lambda c: id(c) not in earlier and matching(c)


@pytest.mark.parametrize("point", ["while receiving", "while parsing"])
def test_sigkill_mid_upload_publishes_old_or_new_wholly_and_the_next_upload_works(
    tmp_path: Path, point: str
) -> None:
    data = tmp_path / "data"
    with (
        run_in_thread() as server,
        FinbotProcess(finbot_env(server.tg, data, admin_ids=str(ADMIN)), tmp_path) as bot,
    ):
        tg = server.tg
        admin, alice = tg.user(ADMIN, "管理员"), tg.user(ENTREPRENEUR, "王总")
        bot.start()
        server.call(admin.upload(f"{DOC_ID}.md", POLICY_V1.encode()), timeout=START_S + 10)
        _until(server, admin, finished, timeout=START_S)
        assert "八万元" in _ask(server, alice)
        old = {DOC_ID: "current"}
        assert _published(data)[0] == old
        new = {DOC_ID: NEW_ID, NEW_ID: "current"}

        latency, method, under_way = _kill_point(point)
        seen = len(tg.calls_of(method))
        tg.set_latency(latency, method)
        _replace(server, admin, kill_before_choice=point == "while receiving")
        server.call(called(tg, method, _after(seen, tg, method, under_way)), timeout=60)
        bot.kill()
        tg.set_latency(0.0, method)

        published, named, on_disk = _published(data)
        assert published in (old, new), published
        assert on_disk == named, "an original no generation names was left behind"

        # Telegram delivers again what the dead process had not confirmed: the admin's choice
        replayed = any("callback_query" in u for u in tg.updates.pending)
        bot.start()
        if replayed and published == old:
            _until(server, admin, lambda m: "✅ 已替换为" in m.text, timeout=START_S)
            published = _published(data)[0]
        print(f"{point}: {'new' if published == new else 'old'} after the kill; {replayed=}")
        before = _ask(server, alice, timeout=START_S)
        assert ("八万元" if published == old else "十二万元") in before, before
        if published == old:
            _replace(server, admin, kill_before_choice=False)
            done = _until(server, admin, finished, timeout=120)
            assert "✅" in done.text, done.text
        assert "十二万元" in _ask(server, alice)
        assert bot.stop()[0] == 0
    published, named, on_disk = _published(data)
    assert published == new and on_disk == named
