"""Names the documents coin in quotes (“栎信贷”): which count, and the passages they rank."""

from __future__ import annotations

from pathlib import Path

from bot.answers import AnswerService
from bot.answers.absent import AbsentTerms, Glossary
from bot.answers.coined import coined_names, quoted_names
from bot.answers.models import Band
from bot.config import load_settings
from bot.core import build_core
from index.encoders import HashingEncoder
from knowledge.models import DocStatus
from tests.bond_kb import DAY, FixedScope, bond_service

_OPINIONS = (
    "# 栎山区金融支持小微企业发展的实施意见\n\n- 施行日期：2026年1月1日\n\n"
    "## 一、扩大信用贷款\n\n推广“栎信贷”产品，小微企业单户最高300万元。\n\n"
    "## 二、利率\n\n“栎信贷”执行利率不高于1年期LPR加80个基点。\n\n"
    "## 三、风险补偿\n\n区财政设立小微企业贷款风险补偿资金池（以下简称“资金池”），"
    "资金池承担本金损失的50%。\n"
)
_EXPIRED = (
    "# 个体工商户纾困贷款贴息办法\n\n- 施行日期：2025年1月1日\n- 有效期至：2025年12月31日\n\n"
    "## 第一条\n\n推出“栎惠贷”，个体工商户单户最高30万元。\n"
)


_SELF_EMPLOYED = (
    "# 栎山区个体工商户贷款贴息办法\n\n- 施行日期：2026年1月1日\n\n"
    "## 第三条 贴息标准\n\n个体工商户单户贷款最高50万元，按1个百分点给予贴息。\n"
)


def test_a_quoted_name_of_a_document_in_force_ranks_the_passages_that_write_it(
    tmp_path: Path,
) -> None:
    service = bond_service(
        tmp_path, lambda text: 0.05, **{"opinions.md": _OPINIONS, "relief.md": _EXPIRED}
    )
    snap = service.store.snapshot()
    statuses = snap.statuses(DAY)
    current = [d for d in snap.docs if statuses[d].status is DocStatus.CURRENT]
    names = coined_names(snap, current)
    # the short form of a longer name is not a name; an expired document coins nothing
    assert "栎信贷" in names.passages
    assert "资金池" not in names.passages and "栎惠贷" not in names.passages
    question = "栎信贷的执行利率不高于多少？"
    assert names.named_in(question) == ["栎信贷"]
    ranked = names.ranking(snap, question, service.store.tokenize(question))
    texts = [snap.chunks[snap.entries[i].key].text for i in ranked]
    assert len(texts) == 2 and "LPR加80个基点" in texts[0]
    assert names.ranking(snap, "企业发行公司债券奖励多少？", ["债", "券"]) == []
    answer = service.answer_sync(question)
    assert "LPR加80个基点" in answer.hits[0].text


_PLAIN_QUOTES = (
    "# 榆湾区关于进一步加大普惠金融支持实体经济的若干措施\n\n- 施行日期：2026年2月15日\n\n"
    '## （三）科技信用贷款\n\n合作银行面向科技型中小企业推出"榆科贷"纯信用贷款产品，单户最高1000万元，'
    "利率不高于LPR加50个基点。\n\n"
    "## （四）服务站\n\n在各镇设立「普惠金融服务站」，由“榆湾区”金融办统一管理。\n"
)


def test_a_name_in_plain_quotes_counts_and_the_bureau_s_own_product_is_never_out_of_scope(
    tmp_path: Path,
) -> None:
    """A text layer may carry straight quotes ("榆科贷") or corner brackets; and a question
    naming the bureau's own product is not declined by the scope model, which cannot know it
    (yuwan, written blind: "榆科贷能贷多少钱，利息大概多少啊？" was declined). A quoted place
    (“榆湾区”) or word of the language is no product."""
    service = bond_service(tmp_path, lambda text: -1.0, **{"inclusive.md": _PLAIN_QUOTES})
    snap = service.store.snapshot()
    names = coined_names(snap, list(snap.docs))
    assert {"榆科贷", "普惠金融服务站", "榆湾区"} <= set(names.passages)
    product = service.answer_sync("榆科贷能贷多少钱，利息大概多少啊？")
    assert product.band is not Band.NONE and "1000万元" in product.hits[0].text
    place = service.answer_sync("榆湾区今天天气怎么样？")
    assert place.band is Band.NONE


def test_a_name_only_a_lapsed_document_coins_is_answered_with_its_end(tmp_path: Path) -> None:
    """ "栎惠贷" is written in quotes only by a relief measure that has expired: the question
    asks about that scheme, and is told it ended, though a measure in force writes its other
    words (个体工商户, 最高) (heshan, written blind: "“稳企贷”个体工商户贴息是几个百分点？" was
    answered from a tea-loan subsidy; there the measure in force answered confidently, which
    the hashing encoder here does not reproduce, so this pins what the user sees)."""
    settings = load_settings(data_dir=tmp_path / "kb", embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=lambda: DAY)
    for name, text in (("relief.md", _EXPIRED), ("subsidy.md", _SELF_EMPLOYED)):
        core.kb.add_bytes(text.encode(), name)
    service = AnswerService(
        core.store, core.lexicon, today=lambda: DAY,
        absent=AbsentTerms(Glossary(["个体工商户"]), core.lexicon),
    )  # fmt: skip
    service.scope_model = FixedScope(lambda text: 0.05)  # type: ignore[assignment]
    assert service.answer_sync("个体工商户单户最高能贷多少？").notice is None
    answer = service.answer_sync("“栎惠贷”个体工商户纾困贷款单户最高能贷多少？")
    assert answer.notice is not None and "已不再施行" in answer.reply
    assert "个体工商户纾困贷款贴息办法" in answer.reply


def test_the_names_a_text_writes_in_quotes() -> None:
    text = '推出“栎惠贷”和"稳企贷"，设立「服务站」；资金池（以下简称“资金池”）'
    assert quoted_names(text) == {"栎惠贷", "稳企贷", "服务站"}
