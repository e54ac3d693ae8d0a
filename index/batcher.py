"""Groups concurrent query encodes into one encoder call.

Under load many users ask at once; one batched encode of 16 queries costs far less than 16
single encodes. Batches form by themselves: whatever arrived while the encoder was busy is
encoded together next, so a question asked when nobody else is asking waits for nothing
(no collection window: it cost every question 2 ms at idle).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from concurrent.futures import Future

import numpy as np

from index.encoders import Encoder


class QueryBatcher:
    def __init__(self, encoder: Encoder, *, max_batch: int = 32, window_s: float = 0.0) -> None:
        """`window_s`: an optional wait for more callers before encoding (0: none)."""
        self._encoder = encoder
        self._max_batch = max_batch
        self._window_s = window_s
        self._cond = threading.Condition()
        self._queue: list[tuple[str, Future[np.ndarray]]] = []
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="query-encoder", daemon=True)
        self._thread.start()

    def submit(self, text: str) -> Future[np.ndarray]:
        fut: Future[np.ndarray] = Future()
        with self._cond:
            if self._closed:
                raise RuntimeError("QueryBatcher is closed")
            self._queue.append((text, fut))
            self._cond.notify()
        return fut

    def encode(self, text: str) -> np.ndarray:
        return self.submit(text).result()

    async def encode_async(self, text: str) -> np.ndarray:
        return await asyncio.wrap_future(self.submit(text))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=5)

    def _take(self) -> list[tuple[str, Future[np.ndarray]]]:
        with self._cond:
            while not self._queue and not self._closed:
                self._cond.wait()
            if not self._queue:
                return []
            if self._window_s > 0 and len(self._queue) < self._max_batch:
                self._cond.wait(timeout=self._window_s)
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            return batch

    def _run(self) -> None:
        while True:
            batch = self._take()
            if not batch:
                return
            texts: Sequence[str] = [t for t, _ in batch]
            try:
                vecs = self._encoder.encode_queries(texts)
            except BaseException as exc:  # the error belongs to the callers, not this thread
                for _, fut in batch:
                    fut.set_exception(exc)
                continue
            for i, (_, fut) in enumerate(batch):
                fut.set_result(np.asarray(vecs[i], dtype=np.float32))
