"""The quality bench's scoring of the first quote (bench/quality/evaluate.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.quality.evaluate import Part, Question, judge, load_questions
from bot.answers import Answer, Band, Hit


def _answer(section: str, text: str) -> Answer:
    hit = Hit(kind="chunk", doc_id="m", source="listing/m.docx", title="并购通知", section=section,
              status="current", score=1.0, text=text, effective=date(2026, 3, 1))  # fmt: skip
    return Answer(question="q", band=Band.ANSWER, hits=(hit,), reply="")


def _question(label: str) -> Question:
    return Question(qid="t", question="并购落地奖励标准？", kind="lexical",
                    gold_docs=("listing/m.docx",), gold_sections=(label,))  # fmt: skip


def test_an_item_quoted_inside_its_whole_section_counts_in_quote_not_as_the_section() -> None:
    whole = _answer("二、支持措施", "二、支持措施\n（二）对象。……\n（三）并购落地奖励。按1%奖励。")
    item = judge(_question("（三）"), whole)
    assert item.section_in_quote and not item.section_hit
    assert not judge(_question("（四）"), whole).section_in_quote
    # "三、" is not "（三）": labels keep their punctuation
    other = _answer("一、总则", "一、总则\n三、附则……")
    assert not judge(_question("（三）"), other).section_in_quote
    exact = judge(_question("二、"), whole)
    assert exact.section_hit and exact.section_in_quote


def test_a_part_held_inside_a_quoted_section_counts_in_quote_not_as_quoted() -> None:
    whole = _answer("二、支持措施", "二、支持措施\n（二）对象。……\n（三）并购落地奖励。按1%奖励。")
    parts = (
        Part(gold_docs=("listing/m.docx",), gold_sections=("二、",)),
        Part(gold_docs=("listing/m.docx",), gold_sections=("（三）",)),
    )
    two = Question(qid="t", question="支持谁？奖励多少？", kind="two_part",
                   gold_docs=("listing/m.docx",) * 2, gold_sections=("二、", "（三）"),
                   parts=parts)  # fmt: skip
    outcome = judge(two, whole)
    assert outcome.parts_quoted == 1 and outcome.parts_in_quote == 2
    missing = Part(gold_docs=("listing/m.docx",), gold_sections=("（四）",))
    assert judge(replace(two, parts=(parts[0], missing)), whole).parts_in_quote == 1


def test_a_notice_calling_a_gold_document_no_longer_in_force_is_no_answer() -> None:
    """A gold document its writers list as in force on the set's day: "《m》已不再施行" about
    it is wrong, not a rank-1 answer; the same notice about another document still cites it."""
    from bot.answers.models import Notice

    def expired(source: str) -> Answer:
        notice = Notice(old_doc_id="x", old_title="并购通知", status="expired", new_doc_id=None,
                        new_title=None, old_source=source)  # fmt: skip
        return Answer(question="q", band=Band.ANSWER, hits=(), reply="已不再施行", notice=notice)

    stated = frozenset({"listing/old.docx"})  # the writers' list of documents not in force
    wrong = judge(_question("二、"), expired("listing/m.docx"), stated)
    assert wrong.rank is None and wrong.in_force_retired
    # a set whose writers listed it as not in force, or listed nothing: the notice answers
    listed = judge(_question("二、"), expired("listing/m.docx"), frozenset({"listing/m.docx"}))
    unlisted = judge(_question("二、"), expired("listing/m.docx"))
    assert listed.rank == unlisted.rank == 1
    assert not (listed.in_force_retired or unlisted.in_force_retired)
    replaced = Notice(old_doc_id="o", old_title="旧通知", status="repealed", new_doc_id="m",
                      new_title="并购通知", old_source="listing/old.docx")  # fmt: skip
    named_old = replace(_answer("二、支持措施", "二、支持措施"), notice=replaced)
    outcome = judge(
        _question("二、"), named_old
    )  # "《旧通知》已废止，现行为《并购通知》" + its text
    assert outcome.rank == 1 and not outcome.in_force_retired


def test_a_quote_with_an_amendment_applied_cites_the_amending_decision_at_its_rank() -> None:
    """The article quoted with a 修改决定's new figure applied answers a question on that
    figure: the decision ranks with the article, not after every other document."""
    from bot.answers.models import Amended

    change = Amended(old="单户最高1000万元", new="单户最高1500万元", by_title="关于修改…的决定",
                     by_number="示金服〔2026〕31号", by_source="credit/amendment.pdf")  # fmt: skip
    article = Hit(kind="chunk", doc_id="m", source="credit/measure.docx", title="转贷办法",
                  section="第七条", status="current", score=1.0, text="单户最高1500万元。",
                  effective=date(2024, 5, 1), amended=(change,))  # fmt: skip
    other = replace(article, doc_id="o", source="credit/other.docx", amended=())
    answer = Answer(
        question="q", band=Band.ANSWER, hits=(article,), reply="", ranked=(article, other)
    )
    on_decision = Question(qid="t", question="单户最高多少？", kind="lexical",
                           gold_docs=("credit/amendment.pdf",), gold_sections=("一、",))  # fmt: skip
    assert judge(on_decision, answer).rank == 1
    on_measure = replace(on_decision, gold_docs=("credit/measure.docx",))
    assert judge(on_measure, answer).rank == 1
    # a quote without the change does not cite the decision
    plain = replace(answer, hits=(replace(article, amended=()),), ranked=(other,))
    assert judge(on_decision, plain).rank is None


def test_an_out_of_scope_question_told_only_that_its_measure_lapsed_is_shown_apart() -> None:
    """ "《…》已不再施行，知识库中没有替代它的现行文件" to an out-of-scope question on an expired
    measure is counted as answered (the headline figure does not change) and reported on a
    line of its own; a notice that names the rule in force, or quotes one, is not."""
    from bench.quality.evaluate import report
    from bot.answers.models import Notice

    oos = Question(qid="o", question="今年家庭农场贷款还有贴息吗？", kind="oos", gold_docs=(),
                   gold_sections=())  # fmt: skip
    lapsed = Notice(old_doc_id="x", old_title="贴息办法", status="expired", new_doc_id=None,
                    new_title=None, old_source="credit/x.docx")  # fmt: skip
    alone = Answer(question="q", band=Band.ANSWER, hits=(), reply="已不再施行", notice=lapsed)
    told = judge(oos, alone)
    assert told.lapsed_only and told.band == "answer"
    replaced = replace(lapsed, new_doc_id="m", new_title="并购通知")
    assert not judge(oos, replace(alone, notice=replaced)).lapsed_only
    quoting = replace(_answer("二、支持措施", "二、支持措施"), notice=lapsed)
    assert not judge(oos, quoting).lapsed_only
    lines = report([told, judge(oos, quoting)]).splitlines()
    assert any("answered=1.000" in line for line in lines)
    assert any(line.strip().startswith("of the answered, 1 only told") for line in lines)


def test_the_first_quote_writing_the_gold_text_is_counted_where_labels_repeat() -> None:
    """A 政策汇编 holds many measures, each with its 第五条: the gold text, not the label,
    says the right one was quoted (spaces and a PDF's line breaks do not matter)."""
    reward = _answer("第五条", "第五条 对在北交所上市的企业，\n给予一次性奖励 300万元。")
    fund = _answer("第五条", "第五条 基金对单个企业的投资不超过2000万元。")
    question = replace(_question("第五条"), gold_text=("一次性奖励300万元",))
    assert judge(question, reward).text_hit
    assert not judge(question, fund).text_hit
    assert judge(question, fund).section_hit  # the label alone cannot tell them apart
    declined = Answer(question="q", band=Band.NONE, hits=reward.hits, reply="")
    assert not judge(question, declined).text_hit


def test_gold_texts_are_read_from_the_set_with_their_parts(tmp_path: Path) -> None:
    line = {"id": "x-q1", "kind": "two_part", "question": "奖励多少？基金投多少？",
            "gold_docs": ["vol.pdf", "vol.pdf"], "gold_sections": ["第五条", "第五条"],
            "gold_text": ["一次性奖励300万元", "不超过2000万元"],
            "parts": [{"gold_docs": ["vol.pdf"], "gold_sections": ["第五条"],
                       "gold_text": ["一次性奖励300万元"]},
                      {"gold_docs": ["vol.pdf"], "gold_sections": ["第五条"],
                       "gold_text": ["不超过2000万元"]}]}  # fmt: skip
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False), "utf-8")
    (question,) = load_questions([path])
    assert question.gold_text == ("一次性奖励300万元", "不超过2000万元")
    assert [p.gold_text for p in question.parts] == [("一次性奖励300万元",), ("不超过2000万元",)]
    hit = _answer("第五条", "第五条 给予一次性奖励300万元。").hits[0]
    fund = replace(hit, source="vol.pdf", text="基金投资不超过2000万元。")
    both = Answer(
        question="q", band=Band.ANSWER, hits=(replace(hit, source="vol.pdf"), fund), reply=""
    )
    outcome = judge(question, both)
    assert outcome.text_hit and outcome.parts_text == 2
