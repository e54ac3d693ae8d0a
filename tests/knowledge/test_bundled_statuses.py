"""On each bundled knowledge base, the documents the engine holds not in force on the day its
set was written are exactly those its writers listed (MANIFEST.md): a 延期通知, 废止 clause or
有效期 misread makes a measure in force answer "已不再施行", or an expired one answer as current
(lanchuan's extension notice, which named its measure by a short name, did the first).

A new measure published before its day with no rule before it is held current under a
notice that it takes effect later ("not_yet_effective"): it is quoted so, and is not in force
(aoqin, session 52: 敖沁旗出口信用保险保费补贴办法, in force from 2029-03-01)."""

from __future__ import annotations

import pytest

from bench.quality.kbs import KBS, BenchKb
from knowledge.compilation import split_compilation
from knowledge.documents import parse_document
from knowledge.models import DocStatus
from knowledge.status import resolve_statuses

LISTED = [
    kb for kb in KBS.values() if kb.docs is not None and kb.not_in_force and not kb.shares_index_of
]


@pytest.mark.parametrize("kb", LISTED, ids=[kb.name for kb in LISTED])
def test_the_documents_not_in_force_are_those_the_writers_listed(kb: BenchKb) -> None:
    assert kb.docs is not None
    metas, sources = {}, {}
    for path in sorted(p for p in kb.docs.rglob("*") if p.is_file()):
        doc = parse_document(path.read_bytes(), path.relative_to(kb.docs).as_posix())
        metas[doc.doc_id], sources[doc.doc_id] = doc.meta, doc.source
    statuses = resolve_statuses(metas, kb.day)
    not_current = {
        sources[d]
        for d, info in statuses.items()
        if info.status is not DocStatus.CURRENT or info.reason == "not_yet_effective"
    }
    assert not_current == kb.not_in_force


COMPILED = [kb for kb in LISTED if kb.name in ("lishan", "meiyu")]


@pytest.mark.parametrize("kb", COMPILED, ids=[kb.name for kb in COMPILED])
def test_every_entry_of_a_compilation_is_in_force_as_its_writers_list_it(kb: BenchKb) -> None:
    """The entries of a 政策汇编, read as documents of their own (`knowledge.compilation`),
    each with its own dates: the writers list all of them in force on their set's day
    (meiyu's per-entry table: 41 entries, two of them changed by a later notice, none ended;
    lishan's four parts), and the files beside them keep their statuses."""
    assert kb.docs is not None
    metas, sources, entries = {}, {}, []
    for path in sorted(p for p in kb.docs.rglob("*") if p.is_file()):
        doc = parse_document(path.read_bytes(), path.relative_to(kb.docs).as_posix())
        for part in split_compilation(doc):
            metas[part.doc_id], sources[part.doc_id] = part.meta, part.source
            if part.doc_id != doc.doc_id:  # an entry, not the file's front matter
                entries.append(part.doc_id)
    assert len(entries) >= 4
    statuses = resolve_statuses(metas, kb.day)
    ended = [d for d in entries if statuses[d].status is not DocStatus.CURRENT]
    assert ended == []
    not_current = {
        sources[d]
        for d, info in statuses.items()
        if info.status is not DocStatus.CURRENT or info.reason == "not_yet_effective"
    }
    assert not_current == kb.not_in_force
