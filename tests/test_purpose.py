"""The document's purpose sentence is recognised, and only when it is the whole passage."""

from __future__ import annotations

import pytest

from bot.answers.purpose import is_purpose_clause


@pytest.mark.parametrize(
    "text",
    [
        "第一条 为帮助中小微企业解决银行贷款到期续贷过程中的临时性资金周转困难，结合本市实际，制定本办法。",
        "第一章 总则 第一条　为加快集聚金融人才，为本市金融业发展提供人才支撑，制定本办法。",
        "为破解小微企业“首贷难”问题，经研究，现将有关事项通知如下：",
        "为吸引各类股权投资机构落户，打造基金集聚区，结合本区实际，特制定如下措施。",
    ],
)
def test_a_purpose_sentence_is_recognised(text: str) -> None:
    assert is_purpose_clause(text)


@pytest.mark.parametrize(
    "text",
    [
        # an article that opens with 为 but grants something
        "第六条 为鼓励企业股改，对完成股改的企业给予50万元奖励。",
        # the purpose sentence followed by a rule in the same passage
        "第一条 为帮助企业周转，制定本办法。第二条 转贷资金单笔不超过2000万元。",
        "第九条 转贷资金单笔使用金额不超过2000万元。",
        "",
    ],
)
def test_a_passage_that_says_more_is_not(text: str) -> None:
    assert not is_purpose_clause(text)
