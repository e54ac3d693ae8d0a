"""What the index holds: passages of documents and phrasings of FAQ entries, side by side.

Both kinds live in the same dense and sparse indexes so one search ranks them together;
an `EntryRef` tells the answer service which kind it found.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

EntryKind = Literal["chunk", "faq"]


def entry_id_for(key: str) -> int:
    """A stable positive int64 id for faiss, derived from the entry key (no counters to persist)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:15], 16)


def content_key(model: str, text: str) -> str:
    """Embedding cache key: the same text under the same model is never embedded twice."""
    return hashlib.sha256(f"{model}\x00{text}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class FaqEntry:
    faq_id: str
    questions: tuple[str, ...]
    answer: str
    source: str | None = None  # backing document's source path
    section: str | None = None
    doc_id: str | None = None  # resolved from `source` when the document is in the catalogue
    created_by: str | None = None


@dataclass(frozen=True, slots=True)
class EntryRef:
    entry_id: int
    kind: EntryKind
    key: str  # chunk_id, or faq_id for FAQ phrasings
    doc_id: str | None
    embed_text: str  # what was embedded and tokenised
