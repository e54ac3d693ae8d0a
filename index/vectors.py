"""Passage vectors on disk, keyed by content hash: ingest that resumes and never encodes twice.

Encoding is the slow part of `kb add` (a few chunks a second on 2 cores). Every batch of
vectors is appended here, and flushed to disk, as soon as the encoder returns it, so a killed
or failed `kb add` that is run again encodes only what is still missing, and a text that was
ever encoded under the same model (a document removed and added back, `kb rebuild`, a
renamed file) is looked up instead of encoded.

One append-only file per model (`<digest of model name>.vec`): a header, then fixed-size
records of (sha256 of model + text, vector). A write cut short by a kill leaves a partial last
record, which the reader ignores. Only the index writer appends (under the store's writer
lock); the file is compacted to the vectors of the live index when it has grown well past
them.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAGIC = b"FBVEC1\n"
HEADER = 64  # magic, dim, model name (padded)
COMPACT_MIN_ROWS = 20_000
COMPACT_FACTOR = 3


def text_key(model: str, text: str) -> bytes:
    """32-byte key: the same text under the same model has one vector."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).digest()


class VectorCache:
    """Vectors of one model. Not thread-safe for writes: the index writer is the only writer."""

    def __init__(self, directory: Path, model: str, dim: int) -> None:
        self.model = model
        self.dim = dim
        digest = hashlib.sha256(model.encode("utf-8")).hexdigest()[:16]
        self.path = directory / f"{digest}.vec"
        self._record = np.dtype([("key", "S32"), ("vec", "<f4", (dim,))])
        self._rows: dict[bytes, int] | None = None  # key → row of the file
        self._data: np.ndarray | None = None  # the file's records (memory-mapped)
        self._fresh: dict[bytes, np.ndarray] = {}  # appended by this process

    # ------------------------------------------------------------------ reading
    def _load(self) -> None:
        if self._rows is not None:
            return
        self._rows = {}
        self._data = np.zeros(0, dtype=self._record)
        try:
            with open(self.path, "rb") as fh:
                header = fh.read(HEADER)
            if not self._header_ok(header):
                log.warning("ignoring a vector cache of another format at %s", self.path)
                return
            n = (self.path.stat().st_size - HEADER) // self._record.itemsize
            if n > 0:  # a torn last record is ignored; pages are read only when used
                self._data = np.memmap(
                    self.path, dtype=self._record, mode="r", offset=HEADER, shape=(n,)
                )
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.warning("cannot read the vector cache at %s: %s", self.path, exc)
            return
        # a key appended twice (two killed runs) maps to its last copy
        self._rows = {bytes(k): i for i, k in enumerate(self._data["key"])}

    def _header_ok(self, header: bytes) -> bool:
        if len(header) < HEADER or not header.startswith(MAGIC):
            return False
        dim = int.from_bytes(header[len(MAGIC) : len(MAGIC) + 4], "little")
        return dim == self.dim

    def _header(self) -> bytes:
        name = self.model.encode("utf-8")[: HEADER - len(MAGIC) - 5]
        head = MAGIC + self.dim.to_bytes(4, "little") + name + b"\n"
        return head.ljust(HEADER, b"\0")

    def __len__(self) -> int:
        self._load()
        assert self._rows is not None
        return len(self._rows.keys() | self._fresh.keys())

    def get_many(self, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """Position in `texts` → cached vector, for the texts that have one."""
        self._load()
        assert self._rows is not None and self._data is not None
        out: dict[int, np.ndarray] = {}
        for i, text in enumerate(texts):
            key = text_key(self.model, text)
            vec = self._fresh.get(key)
            if vec is None:
                row = self._rows.get(key)
                if row is not None:
                    vec = np.array(self._data[row]["vec"], dtype=np.float32)
            if vec is not None:
                out[i] = vec
        return out

    # ------------------------------------------------------------------ writing
    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Append and flush to disk before returning: what was encoded survives a kill."""
        if not len(texts):
            return
        self._load()
        assert self._rows is not None
        records = np.zeros(len(texts), dtype=self._record)
        records["key"] = [text_key(self.model, t) for t in texts]
        records["vec"] = np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size < HEADER:
                    if size:  # a header cut short: start the file again
                        os.ftruncate(fd, 0)
                    os.write(fd, self._header())
                    size = HEADER
                extra = (size - HEADER) % self._record.itemsize
                if extra:  # a record cut short by a kill: drop it before appending
                    os.ftruncate(fd, size - extra)
                os.write(fd, records.tobytes())
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:  # a full disk must not fail the ingest itself
            log.warning("cannot write the vector cache at %s: %s", self.path, exc)
            return
        for rec in records:
            self._fresh[bytes(rec["key"])] = np.array(rec["vec"], dtype=np.float32)

    def compact(self, live_texts: Sequence[str]) -> None:
        """Keep only the vectors of `live_texts` once the file has grown well past them."""
        try:
            size = self.path.stat().st_size
        except OSError:
            return
        rows = max(0, size - HEADER) // self._record.itemsize
        if rows < max(COMPACT_MIN_ROWS, COMPACT_FACTOR * len(live_texts)):
            return  # decided from the file size alone: no hashing on every commit
        self._load()
        keys = {text_key(self.model, t) for t in live_texts}
        found = self._vectors_for(keys)
        data = np.zeros(len(found), dtype=self._record)
        data["key"] = list(found)
        if found:
            data["vec"] = np.stack(list(found.values()))
        tmp = self.path.with_suffix(".tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(self._header())
                fh.write(data.tobytes())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            log.warning("cannot compact the vector cache at %s: %s", self.path, exc)
            tmp.unlink(missing_ok=True)
            return
        self._rows, self._data, self._fresh = None, None, {}

    def _vectors_for(self, keys: Iterable[bytes]) -> dict[bytes, np.ndarray]:
        assert self._rows is not None and self._data is not None
        out = {}
        for key in keys:
            vec = self._fresh.get(key)
            if vec is None and key in self._rows:
                vec = np.array(self._data[self._rows[key]]["vec"], dtype=np.float32)
            if vec is not None:
                out[key] = vec
        return out


def vectors_of(cache: VectorCache, texts: Mapping[int, str]) -> dict[int, np.ndarray]:
    """Entry id → cached vector for the entries whose text is cached."""
    ids = list(texts)
    found = cache.get_many([texts[i] for i in ids])
    return {ids[pos]: vec for pos, vec in found.items()}
