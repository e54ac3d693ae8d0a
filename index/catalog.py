"""JSON (de)serialisation of the catalogue: documents, chunks and FAQ entries.

The catalogue keeps the verbatim chunk text so an index can be rebuilt (new model, new
tokeniser) without the original files.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from index.entries import FaqEntry
from knowledge.models import Chunk, DocumentMeta, ParsedDocument

_DATE_FIELDS = {"published", "effective", "expires", "repealed", "extended_to"}


@dataclass(frozen=True, slots=True)
class DocRecord:
    """A document in the knowledge base: what was parsed plus where its original is kept."""

    doc: ParsedDocument
    added_at: str  # ISO timestamp
    stored_file: str | None = None  # path of the original, relative to the data dir
    added_by: str | None = None
    superseded_by: str | None = None  # doc_id of the upload that replaced this one (admin "替换")
    revision: int = 1  # numbered by the store: each new text of the same doc id is the next one
    restored_from: int | None = None  # the earlier revision a rollback re-published

    @property
    def doc_id(self) -> str:
        return self.doc.doc_id


def meta_to_json(meta: DocumentMeta) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(meta):
        value = getattr(meta, f.name)
        out[f.name] = value.isoformat() if isinstance(value, date) else value
    return out


def meta_from_json(data: dict[str, Any]) -> DocumentMeta:
    known = {f.name for f in fields(DocumentMeta)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            continue
        if key in _DATE_FIELDS and isinstance(value, str):
            value = date.fromisoformat(value)
        elif key == "repeals":
            value = tuple((str(title), str(number)) for title, number in value)
        kwargs[key] = value
    return DocumentMeta(**kwargs)


def record_to_json(rec: DocRecord) -> dict[str, Any]:
    d = rec.doc
    return {
        "doc_id": d.doc_id,
        "source": d.source,
        "file_type": d.file_type,
        "content_hash": d.content_hash,
        "warnings": list(d.warnings),
        "meta": meta_to_json(d.meta),
        "chunks": [asdict(c) for c in d.chunks],
        "added_at": rec.added_at,
        "stored_file": rec.stored_file,
        "added_by": rec.added_by,
        "superseded_by": rec.superseded_by,
        "revision": rec.revision,
        "restored_from": rec.restored_from,
    }


def record_from_json(data: dict[str, Any]) -> DocRecord:
    doc = ParsedDocument(
        doc_id=data["doc_id"],
        source=data["source"],
        meta=meta_from_json(data["meta"]),
        chunks=tuple(Chunk(**c) for c in data["chunks"]),
        content_hash=data["content_hash"],
        file_type=data["file_type"],
        warnings=tuple(data.get("warnings", ())),
    )
    return DocRecord(
        doc=doc,
        added_at=data["added_at"],
        stored_file=data.get("stored_file"),
        added_by=data.get("added_by"),
        superseded_by=data.get("superseded_by"),
        revision=int(data.get("revision") or 1),  # catalogues written before revisions: 1
        restored_from=data.get("restored_from"),
    )


def faq_to_json(faq: FaqEntry) -> dict[str, Any]:
    out = asdict(faq)
    out["questions"] = list(faq.questions)
    return out


def faq_from_json(data: dict[str, Any]) -> FaqEntry:
    known = {f.name for f in fields(FaqEntry)}
    kwargs = {k: v for k, v in data.items() if k in known}
    kwargs["questions"] = tuple(kwargs.get("questions", ()))
    return FaqEntry(**kwargs)
