"""A question on how to apply is answered by the document written for applying."""

from __future__ import annotations

import pytest

from bot.answers.procedure import (
    asks_procedure,
    is_procedure_title,
    is_reading_title,
    weigh_by_procedure,
)
from bot.answers.ranking import order_by_document
from index.entries import EntryRef
from index.snapshot import Candidate


@pytest.mark.parametrize(
    "question",
    [
        "老板让我列个清单，申请上市奖励要准备哪些材料？",
        "今年上市奖励还能报吗？第二批啥时候截止？",
        "上市奖励材料交上去以后，大概多久钱能到账？",
        "贴息咋申请",
        "应急转贷去哪个窗口办理，电话多少？",
        "What documents do I need to apply for the listing award?",
    ],
)
def test_questions_on_how_when_or_where_to_apply(question: str) -> None:
    assert asks_procedure(question)


@pytest.mark.parametrize(
    "question",
    [
        "北交所上市奖励多少钱？",
        "转贷资金要是晚还了咋办，会罚多少？",  # 咋办: what to do, not how to apply
        "银行贷款快到期了 钱周转不过来怎么办",
        "上市奖励怎么算",
        "How much is the guarantee fee?",
    ],
)
def test_questions_on_what_is_given(question: str) -> None:
    assert not asks_procedure(question)


@pytest.mark.parametrize(
    ("title", "guide"),
    [
        ("栖凤高新区企业上市挂牌奖励申报指南（2026年度）", True),
        ("鹤溪县企业应急转贷资金申请办事指南", True),
        ("关于开展2026年度小微企业银行贷款贴息申报工作的通知", True),
        ("松岭区拟上市企业合规证明出具工作规程", True),
        ("关于组织申报2031年度出口信用保险保费补贴的通知", True),  # a long subject
        ("关于印发《某某区企业上市挂牌奖励办法》的通知", False),  # a measure, published
        ("某某区企业上市挂牌奖励办法", False),
        ("关于延长《某某办法》有效期的通知", False),
    ],
)
def test_documents_written_for_applying(title: str, guide: bool) -> None:
    assert is_procedure_title(title) is guide


@pytest.mark.parametrize(
    ("title", "reading"),
    [
        ("《茶坪县创业担保贷款实施办法》政策解读", True),
        ("柘原市企业上市挂牌奖励政策问答（2026）", True),
        ("鹤溪县企业应急转贷资金申请办事指南", True),
        ("关于开展2026年度小微企业银行贷款贴息申报工作的通知", False),  # grants this year's round
        ("某某区企业上市挂牌奖励办法", False),
    ],
)
def test_documents_that_restate_measures(title: str, reading: bool) -> None:
    assert is_reading_title(title) is reading


def _candidate(key: str, doc_id: str, fused: float) -> Candidate:
    entry = EntryRef(entry_id=hash(key) % 1000, kind="chunk", key=key, doc_id=doc_id, embed_text="")
    return Candidate(entry, fused, 0.0, None, 0.0, None, 0.0, 0.0)


TITLES = {"measure": "某某区企业上市挂牌奖励办法", "guide": "某某区企业上市挂牌奖励申报指南"}


def _order(question: str, cands: list[Candidate]) -> list[str]:
    weighed = weigh_by_procedure(cands, question, lambda c: TITLES.get(c.entry.doc_id or ""))
    ordered = order_by_document(weighed if weighed is not None else cands, {})
    return [c.entry.doc_id or "" for c in ordered]


def test_a_guide_leads_for_a_question_on_applying_and_the_measure_for_an_amount() -> None:
    cands = [
        _candidate("m1", "measure", 0.30),
        _candidate("g1", "guide", 0.27),
    ]
    assert _order("申请上市奖励要准备哪些材料？", cands)[0] == "guide"
    assert _order("上市奖励最高多少钱？", cands)[0] == "measure"
    # no guide among the candidates: nothing moves, and the caller is told so
    alone = [_candidate("m1", "measure", 0.30), _candidate("x1", "other", 0.29)]
    assert (
        weigh_by_procedure(alone, "要准备哪些材料？", lambda c: TITLES.get(c.entry.doc_id or ""))
        is None
    )
    # a guide far behind stays behind
    far = [_candidate("m1", "measure", 0.30), _candidate("g1", "guide", 0.15)]
    assert _order("申请上市奖励要准备哪些材料？", far)[0] == "measure"
