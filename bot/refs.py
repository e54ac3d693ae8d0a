"""Short tokens for references too long to travel in a button (Telegram allows 64 bytes).

Chunk ids can be ~60 bytes; a button carries a token instead, resolved through this bounded
in-memory table. A token that is gone after a restart resolves to None, so the caller can
say "button expired" rather than answer the wrong question.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict


class RefTable:
    """Short tokens for refs too long for callback data (most recent `capacity` kept)."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._capacity = capacity
        self._by_token: OrderedDict[str, str] = OrderedDict()
        self._by_ref: dict[str, str] = {}
        self._counter = itertools.count(1)

    def token_for(self, ref: str) -> str:
        token = self._by_ref.get(ref)
        if token is not None:
            self._by_token.move_to_end(token)
            return token
        token = _base36(next(self._counter))
        self._by_token[token] = ref
        self._by_ref[ref] = token
        while len(self._by_token) > self._capacity:
            _old_token, old_ref = self._by_token.popitem(last=False)
            self._by_ref.pop(old_ref, None)
        return token

    def ref_for(self, token: str) -> str | None:
        return self._by_token.get(token)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out
