"""Two-part questions: each part gets the best section for it (at most three quotes)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.answers import Band
from bot.answers.parts import question_parts
from bot.core import Core
from tests.bond_kb import bond_service
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
        # a verb asked as A-not-A ("收不收费", "会不会") asks, as does a piece with its own "？"
        (
            "对监管评级结果有异议怎么申请复核？另外金融纠纷调解收不收费？",
            ["对监管评级结果有异议怎么申请复核？", "另外金融纠纷调解收不收费？"],
        ),
        ("上新三板区里给钱不？给多少", ["上新三板区里给钱不？", "给多少"]),
        # "好几个" asks nothing: the clause before "奖励给谁？" leads into it
        (
            "举报人的个人信息会不会被泄露？同一条线索好几个人都举报了，奖励给谁？",
            ["举报人的个人信息会不会被泄露？", "同一条线索好几个人都举报了，奖励给谁？"],
        ),
        ("金融纠纷调解收不收费？", ["金融纠纷调解收不收费？"]),
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


def test_inside_a_document_the_lexical_rank_wins_a_tie_for_a_part() -> None:
    """第十条 is first by the part's words and second by meaning; 第九条 the other way round.
    Their fused ranks tie, and the lexical order, the more telling inside one document (the
    gold section first for 177 → 195 of 247 parts on six sets), decides."""
    from types import SimpleNamespace

    from bot.answers.quotes import PartQuoter
    from index.entries import entry_id_for

    chunks = [
        SimpleNamespace(chunk_id=f"d#{n}", section=n, text=f"{n}　……")
        for n in ("第八条", "第九条", "第十条")
    ]
    ids = [entry_id_for(c.chunk_id) for c in chunks]
    meaning = dict(zip(ids, ([0.2, 0.0], [0.9, 0.1], [0.8, 0.2]), strict=True))
    words = dict(zip(ids, (0.5, 2.0, 3.0), strict=True))
    snap = SimpleNamespace(
        docs={"d": SimpleNamespace(doc=SimpleNamespace(chunks=chunks))},
        dense=SimpleNamespace(reconstruct=lambda i: np.array(meaning[i])),
        sparse=SimpleNamespace(scores_within=lambda tokens, pool: [words[i] for i in pool]),
    )
    best = PartQuoter._best_section(snap, "d", np.array([1.0, 0.0]), ["资金"], [])  # type: ignore[arg-type]
    assert best == "d#第十条"
    assert PartQuoter._best_section(snap, "d", np.array([1.0, 0.0]), ["资金"], [best]) == "d#第九条"  # type: ignore[arg-type]


def test_a_two_part_question_is_in_scope_when_its_first_part_is(tmp_path: Path) -> None:
    """The later part leans on the first's subject: declined whole, the question is
    answered when its first part alone is in scope; a first part out of scope is not
    vouched for by a later one."""
    # every message speaking of 申报 far out of scope, every other one in: as the whole
    # of a two-part question can read further from the documents than its first part alone
    service = bond_service(tmp_path, lambda text: -0.1 if "申报" in text else 0.05)
    both = service.answer_sync("企业发行公司债券奖励多少？发完多久之内要去申报？")
    assert both.band is Band.ANSWER
    assert "0.3%" in both.reply and "6个月内" in both.reply
    turned = service.answer_sync("发完多久之内要去申报？企业发行公司债券奖励多少？")
    assert turned.band is Band.NONE and turned.top[0][0] == "scope:model"


def test_a_part_asking_for_papers_is_quoted_from_the_guide_s_row(tmp_path: Path) -> None:
    """A later part asking what papers to bring is quoted from the 办事指南's row on its
    thing, not from the 百问百答's answer that names the loan and lists no papers; of the
    guide's rows, the one on the part's own thing (tingbu, written blind)."""
    from datetime import date

    from bot.config import load_settings
    from bot.core import build_core
    from index.encoders import HashingEncoder

    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: date(2026, 6, 1))
    core.answers.warm_up()
    faq = (
        "# 示范区茶叶金融百问百答\n\n- 施行日期：2025年3月1日\n\n"
        "1. 茶叶低温险每亩保费多少？\n\n答：茶叶低温指数保险每亩保费180元，区财政补贴70%。\n\n"
        "2. 茶农贷能贷多少？\n\n答：区农商行“茶农贷”对茶农个人最高30万元，区财政按LPR的50%贴息。\n\n"
        "3. 办茶农贷要去哪里？\n\n答：茶农可到区农商行各网点办理“茶农贷”，带上身份证即可咨询。\n"
    )
    guide = (
        "# 示范区金融服务办事指南\n\n- 施行日期：2025年3月1日\n\n"
        "## 一、担保费补贴申请\n\n申请材料：补贴申请表；担保合同；缴费凭证。办结时限：30个工作日。\n\n"
        "## 二、“茶农贷”申请\n\n申请材料：身份证；茶园承包合同；村委会证明。地点：乡便民服务中心。\n"
    )
    core.kb.add_bytes(faq.encode(), "faq.md")
    core.kb.add_bytes(guide.encode(), "guide.md")
    answer = core.answers.answer_sync("茶叶低温险每亩保费多少？办茶农贷要带什么材料？")
    assert answer.band is Band.ANSWER
    assert "每亩保费180元" in answer.reply
    assert "茶园承包合同" in answer.reply and "担保合同" not in answer.reply
    core.close()
