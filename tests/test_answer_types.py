"""A passage that does not state the kind of fact a question asks for ranks lower."""

from __future__ import annotations

import pytest

from bot.answers.answer_types import MISSING_FACT_WEIGHT, asked_kinds, weigh_by_fact
from bot.answers.ranking import order_by_document
from index.entries import EntryRef
from index.snapshot import Candidate
from knowledge.models import Chunk


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        ("去北交所上市，区里一共给多少钱？", ["amount"]),
        ("担保费率是多少", ["amount"]),
        ("审核要多长时间？", ["duration or date"]),
        ("奖励什么时候能报？最高多少？", ["amount", "duration or date"]),
        ("区担保公司电话多少", ["phone number"]),
        ("上市需要哪些材料？", []),
        # how a busy boss asks for an amount
        ("老板想问下，刚做完辅导备案能先拿多少？", ["amount"]),
        ("请券商花了一大笔钱，区里能报多少？", ["amount"]),
        ("这个补贴一年能领多少", ["amount"]),
    ],
)
def test_the_kind_of_fact_asked(question: str, kinds: list[str]) -> None:
    assert [k.name for k in asked_kinds(question)] == kinds


def _candidate(key: str, doc_id: str, fused: float) -> Candidate:
    entry = EntryRef(entry_id=hash(key) % 1000, kind="chunk", key=key, doc_id=doc_id, embed_text="")
    return Candidate(entry, fused, 0.0, None, 0.0, None, 0.0, 0.0)


def _chunk(key: str, doc_id: str, text: str) -> Chunk:
    return Chunk(chunk_id=key, doc_id=doc_id, ordinal=0, section="", text=text, content_hash="")


CHUNKS = {
    "plan": _chunk("plan", "bse-plan", "推动专精特新企业登陆北京证券交易所，建立北交所服务基地。"),
    "reward": _chunk("reward", "measures", "在北京证券交易所上市的，给予一次性奖励300万元。"),
}


def _text(c: Candidate) -> str:
    return CHUNKS[c.entry.key].text


def test_the_passage_that_states_an_amount_wins_an_amount_question() -> None:
    cands = [_candidate("plan", "bse-plan", 0.5), _candidate("reward", "measures", 0.45)]
    weighed = weigh_by_fact(cands, "去北交所上市区里一共给多少钱", _text)
    assert weighed[0].fused == pytest.approx(0.5 * MISSING_FACT_WEIGHT)
    assert weighed[1].fused == 0.45
    assert [c.entry.key for c in order_by_document(weighed)] == ["reward", "plan"]


def test_a_question_that_asks_no_fact_is_left_as_it_is() -> None:
    cands = [_candidate("plan", "bse-plan", 0.5), _candidate("reward", "measures", 0.45)]
    assert weigh_by_fact(cands, "北交所服务基地在哪里办", _text) == cands
