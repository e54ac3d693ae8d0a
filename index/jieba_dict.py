"""A private jieba tokenizer with the lexicon's terms, read from a fast copy of its dictionary.

jieba keeps its prefix dictionary (≈500,000 words and prefixes) in a `marshal` file that
takes 1.4–1.5 s to read on a 2-core machine; the lexicon's terms are then added one by one.
Every process that answers a question pays it before its first answer: it was the largest
single share of a restarted bot's time to ready. The same dictionary, with the terms already
added, is kept as one `.npz` of plain arrays (the words as UTF-8 text, their counts, the
total), which NumPy reads and Python turns back into the dictionary in ≈0.3 s.

The copy is data only (read with `allow_pickle=False`), lives where jieba keeps its own
cache (the temporary directory), is keyed by jieba's version, its dictionary file and the
terms, and is used only when it belongs to this user; the KEEP copies used last are kept. Anything wrong with it (missing,
foreign, truncated, another layout) and the tokenizer is built the slow way and the copy
rewritten; segmentation is the same either way.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import jieba

log = logging.getLogger(__name__)

FORMAT = "finbot-jieba-dict/1"
KEEP = 4  # copies kept per folder (≈9 MB each), the most recently used: one per lexicon in use
_SEPARATOR = "\n"  # no jieba word holds a line break (checked before writing)


def tokenizer_with(words: Sequence[str], cache_dir: Path | None = None) -> jieba.Tokenizer:
    """An initialised jieba.Tokenizer whose dictionary also holds `words`, added in order."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    path = _copy_path(words, cache_dir)
    if path is not None and _load(tk, path):
        return tk
    tk.initialize()
    for word in words:
        tk.add_word(word)
    if path is not None:
        _save(tk, path)
    return tk


def _copy_path(words: Sequence[str], cache_dir: Path | None) -> Path | None:
    import jieba

    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    try:
        stat = source.stat()
    except OSError:  # a packaged jieba without its dictionary file: nothing to key on
        return None
    h = hashlib.sha256(
        f"{FORMAT}\n{jieba.__version__}\n{stat.st_size}\n{stat.st_mtime_ns}\n".encode()
    )
    h.update(_SEPARATOR.join(words).encode("utf-8"))
    folder = cache_dir if cache_dir is not None else Path(tempfile.gettempdir())
    return folder / f"finbot-jieba-{h.hexdigest()[:20]}.npz"


def _load(tk: jieba.Tokenizer, path: Path) -> bool:
    try:
        if path.stat().st_uid != os.getuid():  # someone else's file in a shared /tmp
            log.warning("ignoring a jieba dictionary copy owned by another user: %s", path)
            return False
        with np.load(path, allow_pickle=False) as data:
            words = data["words"].tobytes().decode("utf-8").split(_SEPARATOR)
            counts = data["counts"].tolist()
            total = int(data["total"])
    except FileNotFoundError:
        return False
    except Exception:  # truncated, another layout, not an npz at all
        log.warning("ignoring an unreadable jieba dictionary copy at %s", path)
        return False
    if len(words) != len(counts):
        log.warning("ignoring an inconsistent jieba dictionary copy at %s", path)
        return False
    tk.FREQ = dict(zip(words, counts, strict=True))
    tk.total = total
    tk.initialized = True
    with contextlib.suppress(OSError):
        os.utime(path)  # in use: the last copy pruning would remove
    return True


def _save(tk: jieba.Tokenizer, path: Path) -> None:
    freq: dict[str, int] = tk.FREQ
    if any(_SEPARATOR in word for word in freq):
        return
    words = np.frombuffer(_SEPARATOR.join(freq).encode("utf-8"), dtype=np.uint8)
    counts = np.fromiter(freq.values(), dtype=np.int64, count=len(freq))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem, suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, words=words, counts=counts, total=np.int64(tk.total))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(path.parent)
    except OSError:
        log.warning("could not write a jieba dictionary copy at %s", path)


def _prune(folder: Path) -> None:
    """Keep the KEEP copies used last: a lexicon edited over months leaves one per version."""
    mine = []
    for copy in folder.glob("finbot-jieba-*.npz"):
        try:
            stat = copy.stat()
        except OSError:
            continue
        if stat.st_uid == os.getuid():
            mine.append((stat.st_mtime_ns, copy))
    for _, old in sorted(mine, reverse=True)[KEEP:]:
        old.unlink(missing_ok=True)
