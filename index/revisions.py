"""Earlier texts of a document, kept beside the live catalogue so they can be re-published.

When a document is replaced under the same id (a new text from `kb add` or an admin's
upload), the record it had (its chunks verbatim, its metadata, content hash and the name of
its original) is kept as a `Revision`, with when and by whom it was replaced. Revisions are
numbered per document: the first text is 1, each new text the next number, and a rollback
re-publishes an earlier text as a new number (remembering which one it restored), so the
numbering never goes back and a citation's revision number names one text for good.

The history is written by the store into every generation directory (`history.json`), so it
commits atomically with the catalogue it belongs to: a killed writer leaves both as they
were. Everything here is pure; the store does the reading and writing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from typing import Any, Final

from index.catalog import DocRecord, record_from_json, record_to_json

HISTORY_FORMAT = 1

__all__ = [
    "History",
    "Revision",
    "RevisionError",
    "history_from_json",
    "history_to_json",
    "kept_files",
    "restore_record",
    "revise",
]


class RevisionError(Exception):
    """A rollback that cannot be done; `code` says why (for a message in the user's words)."""

    def __init__(self, code: str, doc_id: str, number: int | None = None) -> None:
        self.code = code  # no_document | no_revision | already_current
        self.doc_id = doc_id
        self.number = number
        super().__init__(f"{code}: {doc_id} r{number}")


@dataclass(frozen=True, slots=True)
class Revision:
    """An earlier text of a document: its record as it was while current."""

    record: DocRecord
    replaced_at: str  # ISO timestamp of the commit that replaced it
    replaced_by: str | None  # who published the text that replaced it (user id, "cli", …)

    @property
    def number(self) -> int:
        return self.record.revision


# doc id → its earlier revisions, oldest first (the current text is in the catalogue)
History = Mapping[str, tuple[Revision, ...]]


# Earlier texts kept per document. Each commit rewrites the generation's history with every
# kept text, so it must be bounded; the oldest goes first, and its original with it.
KEEP_REVISIONS: Final = 20


def next_number(current: DocRecord | None, kept: Sequence[Revision]) -> int:
    """One more than any number this document has had."""
    used = [r.number for r in kept] + ([current.revision] if current is not None else [])
    return max(used, default=0) + 1


def revise(
    old: DocRecord | None, new: DocRecord, kept: tuple[Revision, ...], now: str
) -> tuple[DocRecord, tuple[Revision, ...]]:
    """Number `new` and keep `old` if `new` is another text of it.

    The same text with other details (an admin's 替换 marking it superseded, a re-saved file)
    is the same revision: only a change of content makes a new one."""
    if old is not None and old.doc.content_hash == new.doc.content_hash:
        return dc_replace(new, revision=old.revision, restored_from=old.restored_from), kept
    numbered = dc_replace(new, revision=next_number(old, kept))
    if old is None:
        return numbered, kept
    return numbered, (*kept, Revision(old, now, new.added_by))[-KEEP_REVISIONS:]


def restore_record(
    current: DocRecord, kept: Sequence[Revision], number: int, by: str | None, now: str
) -> DocRecord:
    """The record that re-publishes revision `number` (to be numbered by `revise`).

    It keeps the current record's 替换 mark (whether an admin superseded the document is
    about the document, not about one of its texts)."""
    if number == current.revision:
        raise RevisionError("already_current", current.doc_id, number)
    found = next((r for r in kept if r.number == number), None)
    if found is None:
        raise RevisionError("no_revision", current.doc_id, number)
    if found.record.doc.content_hash == current.doc.content_hash:
        raise RevisionError("already_current", current.doc_id, number)
    return dc_replace(
        found.record,
        added_at=now,
        added_by=by,
        superseded_by=current.superseded_by,
        restored_from=number,
    )


def kept_files(history: History) -> set[str]:
    """Originals named by kept revisions (relative to the data dir): never collected."""
    return {r.record.stored_file for kept in history.values() for r in kept if r.record.stored_file}


def history_to_json(history: History) -> dict[str, Any]:
    return {
        "format": HISTORY_FORMAT,
        "documents": {
            doc_id: [
                {
                    "replaced_at": r.replaced_at,
                    "replaced_by": r.replaced_by,
                    "record": record_to_json(r.record),
                }
                for r in kept
            ]
            for doc_id, kept in sorted(history.items())
            if kept
        },
    }


def history_from_json(data: Mapping[str, Any]) -> dict[str, tuple[Revision, ...]]:
    out: dict[str, tuple[Revision, ...]] = {}
    for doc_id, items in (data.get("documents") or {}).items():
        out[doc_id] = tuple(
            Revision(record_from_json(i["record"]), i["replaced_at"], i.get("replaced_by"))
            for i in items
        )
    return out
