"""One file → one `ParsedDocument`, and the file list behind `kb add PATH`.

doc ids must be stable across runs (re-adding a file replaces it) and safe in chunk ids,
URLs and log lines, hence ASCII slugs, with a hash for Chinese file names.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Final

from knowledge.chunking import chunk_document
from knowledge.compilation import entry_count, own_meta
from knowledge.errors import IngestError
from knowledge.loaders import DEFAULT_MAX_BYTES, extract_text
from knowledge.metadata import parse_metadata
from knowledge.models import ParsedDocument, sha256_text
from knowledge.structure import is_compilation
from knowledge.webpage import strip_web_page

MAX_DOC_ID: Final = 48
_SLUG_JUNK = re.compile(r"[^a-z0-9._-]+")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")


def doc_id_for(source: str) -> str:
    """`policies/Listing Rules.md` → `policies.listing-rules`; `上市奖励.md` → `d-<sha1>`."""
    path = PurePosixPath(source.replace("\\", "/"))
    stem = str(path.with_suffix("")) if path.suffix else str(path)
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
    if not stem.isascii():
        return f"d-{digest[:10]}"
    slug = _SLUG_JUNK.sub("-", stem.replace("/", ".").lower()).strip(".-_")
    slug = re.sub(r"-{2,}", "-", slug)
    if not slug:
        return f"d-{digest[:10]}"
    if len(slug) > MAX_DOC_ID:
        slug = f"{slug[: MAX_DOC_ID - 11].rstrip('.-_')}-{digest[:10]}"
    return slug


def normalise_body(body: str) -> str:
    """Whitespace-insensitive form for duplicate detection."""
    return _BLANK_RUNS.sub("\n\n", _TRAILING_SPACE.sub("", body)).strip()


def parse_document(
    data: bytes, source: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> ParsedDocument:
    """Extract, read metadata, chunk. Raises IngestError; CPU-bound, run it in a thread."""
    name = PurePosixPath(source.replace("\\", "/")).name
    text, file_type = extract_text(data, name, max_bytes=max_bytes)
    text = strip_web_page(text)  # a policy saved from the website: without the page around it
    meta, body, warnings = parse_metadata(text, fallback_title=PurePosixPath(name).stem)
    doc_id = doc_id_for(source)
    chunks = chunk_document(doc_id, body, compilation=is_compilation(meta.title, body, file_type))
    if not chunks:
        raise IngestError("empty", name, "only a header, no policy text")
    doc = ParsedDocument(
        doc_id=doc_id,
        source=source,
        meta=meta,
        chunks=chunks,
        content_hash=sha256_text(normalise_body(body)),
        file_type=file_type,
        warnings=warnings,
    )
    if entry_count(doc):  # a 政策汇编: its entries' dates are not its own
        doc = replace(doc, meta=own_meta(meta))
    return doc


def iter_source_files(path: Path) -> list[tuple[Path, str]]:
    """Files to ingest with their `source` names; unsupported ones are kept for reporting.

    Hidden files and folders and Office lock files (`~$…`) are skipped: they are never
    documents and would only produce confusing errors.
    """
    if path.is_file():
        return [(path, path.name)]
    found: list[tuple[Path, str]] = []
    for file in path.rglob("*"):
        relative = file.relative_to(path)
        if any(part.startswith((".", "~$")) for part in relative.parts) or not file.is_file():
            continue
        found.append((file, relative.as_posix()))
    return sorted(found, key=lambda item: item[1])
