"""A heading the question writes: matched by its character pairs, numbering left out."""

from __future__ import annotations

import pytest

from bot.answers.headings import heading_match


@pytest.mark.parametrize(
    ("question", "heading", "expected"),
    [
        ("拿了上市奖励以后迁出本区要退回吗", "七、迁出退回", 2 / 3),  # 迁出 退回, not 出退
        ("过桥资金怎么收费", "第十四条", 0.0),  # a heading that is only a number
        ("过桥资金怎么收费", "六、收费", 1.0),
        ("股改奖励多少", "（三）股份制改造奖励", 1 / 6),  # 奖励 of six pairs
        ("anything", "", 0.0),
    ],
)
def test_share_of_the_heading_the_question_writes(
    question: str, heading: str, expected: float
) -> None:
    assert heading_match(question, heading) == pytest.approx(expected)
