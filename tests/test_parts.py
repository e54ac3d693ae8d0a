"""Two-part questions: each part gets the best section for it (at most three quotes)."""

from __future__ import annotations

import pytest

from bot.answers import Band
from bot.answers.parts import question_parts
from bot.core import Core
from tests.sample_core import sample_core


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "创业担保贷款个人最多能贷多少？利息政府怎么贴？",
            ["创业担保贷款个人最多能贷多少？", "利息政府怎么贴？"],
        ),
        ("应急转贷怎么收费，要多久", ["应急转贷怎么收费", "要多久"]),
        (
            "区担保公司做担保评审要多长时间，担保费率多少？",
            ["区担保公司做担保评审要多长时间", "担保费率多少？"],
        ),
        (
            "What is the fee and how long does it take?",
            ["What is the fee", "how long does it take?"],
        ),
        ("应急转贷资金规模有多大？由谁负责运营？", ["应急转贷资金规模有多大？", "由谁负责运营？"]),
        ("政府性融资担保的担保费率是多少？", ["政府性融资担保的担保费率是多少？"]),
        ("公司在青禾，想上市，区里奖多少？", ["公司在青禾，想上市，区里奖多少？"]),
    ],
)
def test_question_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return sample_core(tmp_path_factory)


def test_each_part_of_a_two_part_question_is_quoted(core: Core) -> None:
    a = core.answers.answer_sync("应急转贷资金占用费怎么收？使用期限最长多少天？")
    assert a.band is Band.ANSWER and 2 <= len(a.hits) <= 3
    sections = {h.section for h in a.hits}
    assert {"第七条 资金占用费", "第八条 使用期限"} <= sections
    assert len({h.doc_id for h in a.hits}) == 1
