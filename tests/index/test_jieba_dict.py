"""The fast copy of jieba's dictionary: the same tokenizer as the slow build, and only ever
read when it is whole and this user's."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from index.jieba_dict import _copy_path, tokenizer_with

WORDS = ["上市后备企业", "应急转贷", "政府性融资担保"]
QUESTION = "上市后备企业裤每年集中受理几次？政府性融资但保的费率是多少，应急转贷资金占用费"


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("finbot-jieba-*.npz"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("jieba")
    return folder, tokenizer_with(WORDS, folder)  # the slow way, which writes the copy


def test_the_copy_gives_the_same_dictionary_and_the_same_words(
    built: tuple[Path, object],
) -> None:
    folder, slow = built
    assert len(_copies(folder)) == 1
    fast = tokenizer_with(WORDS, folder)
    assert fast.FREQ == slow.FREQ and fast.total == slow.total  # type: ignore[attr-defined]
    assert list(fast.cut(QUESTION)) == list(slow.cut(QUESTION))  # type: ignore[attr-defined]
    assert "应急转贷" in list(fast.cut(QUESTION))


def test_other_words_get_their_own_copy(built: tuple[Path, object]) -> None:
    folder, _ = built
    other = tokenizer_with([*WORDS, "科技贷"], folder)
    assert "科技贷" in other.FREQ
    assert len(_copies(folder)) == 2


def test_a_broken_copy_is_rebuilt_and_rewritten(
    built: tuple[Path, object], caplog: pytest.LogCaptureFixture
) -> None:
    folder, slow = built
    copy = _copy_path(WORDS, folder)
    assert copy is not None and copy.exists()
    copy.write_bytes(copy.read_bytes()[:1000])  # a write cut short
    again = tokenizer_with(WORDS, folder)
    assert again.FREQ == slow.FREQ  # type: ignore[attr-defined]
    assert "unreadable" in caplog.text
    with np.load(copy, allow_pickle=False) as data:  # whole again
        assert int(data["total"]) == slow.total  # type: ignore[attr-defined]


def test_a_copy_someone_else_owns_is_not_read(
    built: tuple[Path, object], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    folder, slow = built
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 12345)
    tk = tokenizer_with(WORDS, folder)
    assert tk.FREQ == slow.FREQ  # type: ignore[attr-defined]
    assert "owned by another user" in caplog.text


def test_only_the_copies_used_last_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each lexicon version leaves a ≈9 MB copy; the folder keeps the KEEP used last."""
    import index.jieba_dict as jd

    monkeypatch.setattr(jd, "KEEP", 2)
    for i, age in enumerate((300, 200, 100)):  # three older copies, the first used last
        old = tmp_path / f"finbot-jieba-old{i}.npz"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 - age, 1_000_000 - age))
    tokenizer_with(WORDS[:1], tmp_path)  # writes a fourth and prunes
    assert [p.name for p in _copies(tmp_path)] == sorted(
        [_copy_path(WORDS[:1], tmp_path).name, "finbot-jieba-old2.npz"]  # type: ignore[union-attr]
    )
