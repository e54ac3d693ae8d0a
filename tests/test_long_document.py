"""A very long policy still answers its own plainest question (issue 13: ranking that does
not depend on a document's length).

Each passage carries its document's title, so a policy of 1,500 articles used to give its
title words the BM25 document frequency of 1,500 passages; their idf sank and the question
the policy is named after went unanswered. Each document now counts at most
`DF_PASSAGES_PER_DOCUMENT` passages in a term's df.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import Band
from bot.core import Core
from index.sparse import BM25Index
from tests.e2e_admin.conftest import POLICY_V1
from tests.sample_core import sample_core

QUESTION = "数字人民币试点企业补贴多少钱？"
EXTRA_ARTICLES = 1_500


def long_policy(tmp: Path) -> Path:
    """The sample's digital-RMB policy again, with 1,500 record-keeping articles after it."""
    extra = [
        f"## 第{n}条 附则{n}\n\n本办法所称第{n}类台账，由区档案馆按年度归档保存，保存期限十年。\n"
        for n in range(3, 3 + EXTRA_ARTICLES)
    ]
    path = tmp / "digital-rmb.md"
    path.write_text(POLICY_V1 + "\n" + "\n".join(extra), "utf-8")
    return path


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    built = sample_core(tmp_path_factory)
    report = built.kb.add_paths([long_policy(tmp_path_factory.mktemp("long"))])
    assert report.ok
    return built


def test_a_long_policy_answers_its_own_question(core: Core) -> None:
    snap = core.store.snapshot()
    assert max(snap.doc_sizes.values()) > EXTRA_ARTICLES
    answer = core.answers.answer_sync(QUESTION)
    assert answer.band is Band.ANSWER
    assert answer.hits[0].title == "青禾区数字人民币试点企业补贴办法"
    assert "补贴" in answer.hits[0].section


def test_the_cap_counts_a_document_at_most_cap_times() -> None:
    docs = {i: ["标题", f"条{i}"] for i in range(10)} | {10: ["其他"], 11: ["标题", "其他"]}
    plain = BM25Index.build(docs)
    group_of = {i: "long" for i in range(10)} | {10: "a", 11: "b"}
    capped = plain.capped(group_of, 3)
    # 标题: 10 passages of "long" (counted 3) + 1 of "b" = df 4 instead of 11
    assert capped.scores(["标题"])[11] > plain.scores(["标题"])[11]
    assert capped.scores(["其他"]).tolist() == plain.scores(["其他"]).tolist()
    assert plain.capped(group_of, 10) is plain  # no group over the cap: the same index
