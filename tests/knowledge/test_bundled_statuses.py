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
