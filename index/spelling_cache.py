"""The homophone vocabulary of a generation, kept on disk so a new process does not rebuild it.

Building the vocabulary segments the whole corpus with jieba and reads the pinyin of every
candidate word (~1-2 s for the sample knowledge base, far more for a large one): a cold
`finbot ask` or a restarted bot paid it on its first question. The result depends only on
the corpus texts and the lexicon's terms, so it is saved under a digest of both and read
back (~0.1 s). Only jieba's own dictionary is still loaded per process.

`CachedSpellingCorrector` is a drop-in `SpellingCorrector` (index/spelling.py): same
results, built once per corpus rather than once per process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import threading
from pathlib import Path

from index.lexicon import Lexicon
from index.snapshot import Snapshot
from index.sparse import jieba_for
from index.spelling import HomophoneCorrector, SpellingCorrector

log = logging.getLogger(__name__)

FORMAT = 3  # 2: recurring phrases are targets too; 3: the words inside long terms count


class CachedSpellingCorrector(SpellingCorrector):
    def __init__(self, lexicon: Lexicon, cache_dir: Path) -> None:
        super().__init__(lexicon)
        self._all_terms = lexicon.terms()
        self._cache_dir = cache_dir
        self._current: tuple[int, HomophoneCorrector] | None = None
        self._building = threading.Lock()

    def for_snapshot(self, snap: Snapshot) -> HomophoneCorrector:
        current = self._current
        if current is not None and current[0] == snap.generation:
            return current[1]
        with self._building:
            if self._current is None or self._current[0] != snap.generation:
                self._current = (snap.generation, self._load_or_build(snap))
            return self._current[1]

    def _key(self, snap: Snapshot) -> str:
        h = hashlib.sha256(f"spelling/{FORMAT}\n".encode())
        h.update("\n".join(sorted(self._all_terms)).encode("utf-8"))
        h.update(b"\0")
        # content keys: a digest of every entry's text under the model (what the corpus is)
        h.update("\n".join(sorted(snap.content_keys)).encode("ascii"))
        return h.hexdigest()[:24]

    def _load_or_build(self, snap: Snapshot) -> HomophoneCorrector:
        path = self._cache_dir / f"spelling-{self._key(snap)}.pickle"
        try:
            with open(path, "rb") as fh:
                targets, written, phrases = pickle.load(fh)
            return HomophoneCorrector(targets, written, jieba_for(self._all_terms), phrases)
        except FileNotFoundError:
            pass
        except Exception:
            log.warning("ignoring an unreadable spelling cache at %s", path)
        texts = (ref.embed_text for ref in snap.entries.values())
        built = HomophoneCorrector.build(texts, self._all_terms)
        self._save(path, built)
        return built

    def _save(self, path: Path, built: HomophoneCorrector) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".tmp-{os.getpid()}")
            with open(tmp, "wb") as fh:
                pickle.dump((built.targets, built.written, built.phrases), fh, protocol=5)
            os.replace(tmp, path)
            for old in path.parent.glob("spelling-*.pickle"):  # one corpus at a time
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            log.warning("could not write the spelling cache at %s", path)
