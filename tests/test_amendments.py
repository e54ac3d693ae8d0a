"""A 修改决定 in force changes what an answer quotes from the measure it amends, and says so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.answers import Band
from bot.config import load_settings
from bot.core import Core, build_core
from index.encoders import HashingEncoder
from knowledge.amendments import (
    Change,
    parse_adjustment,
    parse_amendment,
    parse_article_notice,
    parse_correction,
    parse_extension,
    parse_suspension,
)

MEASURE_TITLE = "白湖区企业应急转贷资金管理办法"
DECISION_TITLE = f"关于修改《{MEASURE_TITLE}》部分条款的决定"

MEASURE = f"""# {MEASURE_TITLE}

白金规〔2024〕12号

- 施行日期：2024年7月1日

## 第九条 单笔上限

转贷资金单笔使用金额不超过2000万元，且不超过企业到期贷款本金。

## 第十二条 使用期限

转贷资金单笔使用期限不超过10个自然日。

## 第九十条 附则

本办法由区金融局负责解释，2000万元以上的转贷另行报批。
"""

DECISION = f"""# {DECISION_TITLE}

白金规〔2026〕11号

经研究，决定对《{MEASURE_TITLE}》（白金规〔2024〕12号）作如下修改：

一、将第九条中的“2000万元”修改为“3000万元”。

二、将第十二条中的“10个自然日”修改为“15个自然日”。

三、本决定自2026年3月1日起施行。
"""


def test_a_decision_is_read_item_by_item() -> None:
    decision = parse_amendment(DECISION_TITLE, DECISION)
    assert decision is not None
    assert decision.target_title == MEASURE_TITLE and decision.target_number == "白金规〔2024〕12号"
    assert decision.changes == (
        Change("第九条", "2000万元", "3000万元"),
        Change("第十二条", "10个自然日", "15个自然日"),
    )


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (MEASURE_TITLE, MEASURE),  # not a decision
        # an item (项) rewritten on its own cannot be placed in the article: nothing is
        (DECISION_TITLE, DECISION + "\n四、将第五条第二项修改为：“企业应当按月报送。”\n"),
    ],
)
def test_anything_else_is_not_an_amendment(title: str, text: str) -> None:
    assert parse_amendment(title, text) is None


def _kb(tmp_path: Path, today: Callable[[], date], *files: tuple[str, str]) -> Core:
    """A knowledge base of these (text, file name) documents, read as of `today()`."""
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    core = build_core(settings, encoder=HashingEncoder(), today=today)
    for text, name in files:
        core.kb.add_bytes(text.encode(), name)
    return core


def _core(tmp_path: Path, day: date) -> Core:
    return _kb(
        tmp_path, lambda: day, (MEASURE, "bridge-measures.md"), (DECISION, "bridge-amendment.md")
    )


def _article_hit(core: Core, question: str, article: str):  # type: ignore[no-untyped-def]
    answer = core.answers.answer_sync(question)
    assert answer.band is Band.ANSWER
    return answer, next(h for h in answer.hits if h.section.startswith(article))


def test_the_amended_article_is_quoted_as_it_now_reads_with_the_decision_named(
    tmp_path: Path,
) -> None:
    core = _core(tmp_path, date(2026, 6, 1))
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额", "第九条"
    )
    assert "3000万元" in hit.text and "2000万元" not in hit.text
    assert [(a.old, a.new, a.by_number) for a in hit.amended] == [
        ("2000万元", "3000万元", "白金规〔2026〕11号")
    ]
    assert "“2000万元”改为“3000万元”" in answer.reply and "自2026年3月1日起施行" in answer.reply
    # another article that merely contains the same words is not touched (第九十条 ≠ 第九条)
    whole = core.answers.answer_sync(f"{MEASURE_TITLE} 第九十条 附则 另行报批")
    other = next(h for h in whole.hits if h.section.startswith("第九十条"))
    assert "2000万元以上" in other.text and other.amended == ()
    core.close()


def test_before_the_decision_takes_effect_the_measure_reads_as_written(tmp_path: Path) -> None:
    core = _core(tmp_path, date(2025, 6, 1))
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额", "第九条"
    )
    assert "2000万元" in hit.text and hit.amended == () and "改为" not in answer.reply
    core.close()


def test_ask_json_names_the_amending_decision(tmp_path: Path) -> None:
    from bot.cli import answer_json

    core = _core(tmp_path, date(2026, 6, 1))
    answer = core.answers.answer_sync(f"{MEASURE_TITLE} 第十二条 使用期限 转贷资金单笔使用期限")
    hit = next(h for h in answer_json(answer, 5)["hits"] if h["section"].startswith("第十二条"))
    assert "15个自然日" in hit["text"]
    assert hit["amended_by"] == [
        {"old": "10个自然日", "new": "15个自然日", "title": DECISION_TITLE,
         "doc_number": "白金规〔2026〕11号", "source": hit["amended_by"][0]["source"],
         "stopped": False}
    ]  # fmt: skip
    assert hit["amended_by"][0]["source"].endswith(".md")  # the decision's file
    core.close()


REWRITE_TITLE = f"关于修改《{MEASURE_TITLE}》部分条款的决定（二）"
# as a PDF gives it: the new article's text wraps over lines, with ‘…’ quotes inside it
REWRITE = f"""{REWRITE_TITLE}
白金规〔2026〕15号
经研究，决定对《{MEASURE_TITLE}》（白金规〔2024〕12号）作如下修改：
一、将第十二条修改为：“转贷资金单笔使用期限不超过20个自然日；‘三农’主体不超过
30个自然日。”
二、本决定自2026年4月1日起施行。
"""


def test_an_article_rewritten_as_a_whole_is_read() -> None:
    decision = parse_amendment(REWRITE_TITLE, REWRITE)
    assert decision is not None and decision.target_number == "白金规〔2024〕12号"
    assert decision.changes == (
        Change(
            "第十二条", "", "转贷资金单笔使用期限不超过20个自然日；‘三农’主体不超过30个自然日。",
            whole=True,
        ),
    )  # fmt: skip


def test_a_rewritten_article_is_quoted_in_its_new_words_under_its_heading(
    tmp_path: Path,
) -> None:
    core = _core(tmp_path, date(2026, 6, 1))
    core.kb.add_bytes(REWRITE.encode(), "bridge-amendment-2.md")
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第十二条 使用期限 转贷资金单笔使用期限", "第十二条"
    )
    assert hit.text == (
        "第十二条 使用期限\n转贷资金单笔使用期限不超过20个自然日；‘三农’主体不超过30个自然日。"
    )
    assert "10个自然日" not in hit.text and "15个自然日" not in hit.text
    # the earlier decision's 10 → 15 is not named beside the rewrite that replaced it
    assert [a.by_number for a in hit.amended] == ["白金规〔2026〕15号"]
    # the decision's title names the measure in 〈〉 inside its own 《》
    shown = REWRITE_TITLE.replace("《", "〈").replace("》", "〉")
    assert f"本条已由《{shown}》（白金规〔2026〕15号）修改，自2026年4月1日起施行" in answer.reply
    # the other decision's change to 第九条 still applies
    _, ninth = _article_hit(core, f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额", "第九条")
    assert "3000万元" in ninth.text
    core.close()


STOP_TITLE = f"关于《{MEASURE_TITLE}》部分条款停止执行的通知"
STOP = f"""# {STOP_TITLE}

白金发〔2026〕5号

- 施行日期：2026年5月1日

各银行业金融机构：经区政府同意，现就《{MEASURE_TITLE}》（白金规〔2024〕12号，以下简称《办法》）
部分条款停止执行有关事项通知如下：

一、《办法》第十二条（使用期限）自2026年7月1日起
停止执行。

二、2026年6月30日前已使用的转贷资金，仍按《办法》原第十二条执行。
"""


def test_a_notice_that_stops_articles_is_read() -> None:
    """The measure by its short name, the articles, the day (across a PDF's line break); a
    requirement stopped without an article number is not placed on any quote."""
    stop = parse_suspension(STOP)
    assert stop is not None
    assert (stop.target_title, stop.target_number) == (MEASURE_TITLE, "白金规〔2024〕12号")
    assert stop.changes == (Change("第十二条", "", "", stopped=True, since=date(2026, 7, 1)),)
    assert parse_suspension("《申报指南》中关于纸质材料一式三份的要求同时停止执行。") is None
    assert parse_suspension(MEASURE) is None


def test_a_stopped_article_is_quoted_with_the_day_it_stops_and_the_notice(tmp_path: Path) -> None:
    core = _core(tmp_path, date(2026, 8, 1))
    core.kb.add_bytes(STOP.encode(), "bridge-stop.md")
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第十二条 使用期限 转贷资金单笔使用期限", "第十二条"
    )
    # the words are the article's as it read (with the decision's 10 → 15 applied)
    assert "15个自然日" in hit.text
    assert [(a.stopped, a.effective, a.by_source) for a in hit.amended] == [
        (False, date(2026, 3, 1), "bridge-amendment.md"),
        (True, date(2026, 7, 1), "bridge-stop.md"),
    ]
    assert (
        "注意：根据《关于〈白湖区企业应急转贷资金管理办法〉部分条款停止执行的通知》（白金发〔2026〕5号），"
        "本条自2026年7月1日起停止执行" in answer.reply
    )
    english = core.answers.answer_sync(f"{MEASURE_TITLE} 第十二条 使用期限", lang="en")
    assert "this article stops applying from" in english.reply
    untouched = core.answers.answer_sync(f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额")
    nine = next(h for h in untouched.hits if h.section.startswith("第九条"))
    assert not any(a.stopped for a in nine.amended)
    core.close()


EXTENSION_TITLE = f"关于延长《{MEASURE_TITLE}》有效期的通知"
EXTENSION = f"""# {EXTENSION_TITLE}

白金办发〔2025〕30号

- 施行日期：2025年12月18日

《{MEASURE_TITLE}》（白金规〔2024〕12号，以下简称《办法》）将于2025年12月31日到期。现就有关
事项通知如下：

一、《办法》有效期延长至2027年12月31日。

二、延期期间，《办法》第九条中“2000万元”调整为“2500万元”；第十二条中单笔使用期限由
“10个自然日”调整为“15个自然日”。

三、转贷资金的申请受理由区担保公司调整为区金融服务中心综合窗口。
"""


def test_an_extension_notice_that_changes_numbers_is_read() -> None:
    """The words between the article and the quote say where in it; a change that names no
    article (the window) cannot be placed on a quote and is left out."""
    extension = parse_extension(EXTENSION_TITLE, EXTENSION)
    assert extension is not None
    assert extension.target_title == MEASURE_TITLE
    assert extension.target_number == "白金规〔2024〕12号"
    assert extension.changes == (
        Change("第九条", "2000万元", "2500万元"),
        Change("第十二条", "10个自然日", "15个自然日"),
    )
    # an extension that changes an article in a way not read is not applied at all
    odd = EXTENSION + "\n四、第十三条调整为按季度报送。\n"
    assert parse_extension(EXTENSION_TITLE, odd) is None
    assert parse_extension(EXTENSION_TITLE, EXTENSION.split("二、")[0]) is None  # none changed
    assert parse_extension(MEASURE_TITLE, MEASURE) is None


def test_an_article_changed_by_an_extension_is_quoted_with_the_new_number(tmp_path: Path) -> None:
    """The blind 冶山区 knowledge base's extension raised the bridge-loan cap while extending
    the measure; its 第八条 was quoted with the old cap."""
    core = _kb(
        tmp_path,
        lambda: date(2026, 6, 1),
        (MEASURE, "bridge-measures.md"),
        (EXTENSION, "bridge-extension.md"),
    )
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额", "第九条"
    )
    assert "2500万元" in hit.text and "2000万元" not in hit.text
    assert [(a.new, a.by_number) for a in hit.amended] == [("2500万元", "白金办发〔2025〕30号")]
    assert "“2000万元”改为“2500万元”" in answer.reply
    core.close()


ADJUSTMENT_TITLE = "关于2026年度阶段性提高应急转贷资金单笔额度的通知"
ADJUSTMENT = f"""# {ADJUSTMENT_TITLE}

白金发〔2026〕8号

为稳定企业资金链，2026年度阶段性调整《{MEASURE_TITLE}》（白金规〔2024〕12号，以下简称《办法》）
规定的额度。现将有关事项通知如下：

一、提高单笔额度。《办法》第九条规定的单笔使用金额，2026年度提高500万元。

二、延长使用期限。2026年度新使用转贷资金的，单笔使用期限由10个自然日延长至15个自然日。
重点产业链企业的单笔金额上限由2000万元提高至2500万元。

四、本通知自2026年2月1日起施行，有效期至2026年12月31日，期满后恢复执行《办法》规定的标准。
"""


def test_a_notice_that_adjusts_amounts_for_a_time_is_read_sentence_by_sentence() -> None:
    """A sentence naming the article is placed on it; one naming none carries the amount it
    changes (placed on the measure's article that writes it); the notice's own term is not a
    change; a notice naming two measures by short names is not read."""
    adjustment = parse_adjustment(ADJUSTMENT_TITLE, ADJUSTMENT)
    assert adjustment is not None
    assert (adjustment.target_title, adjustment.target_number) == (
        MEASURE_TITLE,
        "白金规〔2024〕12号",
    )
    assert adjustment.changes == (
        Change("第九条", "", "", clause="《办法》第九条规定的单笔使用金额，2026年度提高500万元。"),
        Change(
            "", "10个自然日", "15个自然日",
            clause="2026年度新使用转贷资金的，单笔使用期限由10个自然日延长至15个自然日。",
        ),
        Change("", "2000万元", "2500万元", clause="重点产业链企业的单笔金额上限由2000万元提高至2500万元。"),
    )  # fmt: skip
    two = (
        ADJUSTMENT
        + "\n五、《白湖区首贷贴息办法》（白金规〔2024〕3号，以下简称《贴息办法》）同步调整。\n"
    )
    assert parse_adjustment(ADJUSTMENT_TITLE, two) is None
    assert parse_adjustment(MEASURE_TITLE, MEASURE) is None
    assert parse_adjustment(EXTENSION_TITLE, EXTENSION) is None


def test_an_adjusted_article_is_quoted_as_it_reads_with_the_notice_in_its_own_words(
    tmp_path: Path,
) -> None:
    """The blind 岑江 knowledge base answered questions on this year's raised amounts with the
    measure's own; the notice's sentence now stands under the article while it is in force.
    An amount the measure writes in two articles (2000万元: 第九条 and 第九十条) is placed on
    the one that shares more of the sentence (单笔, 金额: 第九条)."""
    days = [date(2026, 6, 1)]
    core = _kb(
        tmp_path,
        lambda: days[-1],
        (MEASURE, "bridge-measures.md"),
        (ADJUSTMENT, "bridge-adjustment.md"),
    )
    nine = f"{MEASURE_TITLE} 第九条 单笔上限 转贷资金单笔使用金额"
    answer, hit = _article_hit(core, nine, "第九条")
    assert "2000万元" in hit.text  # the article's own words
    assert [(a.clause, a.until, a.by_number) for a in hit.amended] == [
        (
            "《办法》第九条规定的单笔使用金额，2026年度提高500万元。",
            date(2026, 12, 31),
            "白金发〔2026〕8号",
        ),
        (
            "重点产业链企业的单笔金额上限由2000万元提高至2500万元。",
            date(2026, 12, 31),
            "白金发〔2026〕8号",
        ),
    ]
    assert (
        "注意：《关于2026年度阶段性提高应急转贷资金单笔额度的通知》（白金发〔2026〕8号）调整了本条规定，"
        "自2026年2月1日起施行，有效期至2026年12月31日：“《办法》第九条规定的单笔使用金额，2026年度提高"
        "500万元。”以上引文为本条原文。" in answer.reply
    )
    english = core.answers.answer_sync(nine, lang="en")
    assert "adjusts this article, from" in english.reply and "until" in english.reply
    twelve = f"{MEASURE_TITLE} 第十二条 使用期限 转贷资金单笔使用期限"
    _, hit = _article_hit(core, twelve, "第十二条")
    assert "10个自然日" in hit.text
    assert [a.clause for a in hit.amended] == [
        "2026年度新使用转贷资金的，单笔使用期限由10个自然日延长至15个自然日。"
    ]
    days.append(date(2027, 1, 5))  # the notice has lapsed: the articles stand alone again
    _, later = _article_hit(core, nine, "第九条")
    assert later.amended == ()
    core.close()


CORRECTION_TITLE = f"关于《{MEASURE_TITLE}》有关内容更正的通知"
CORRECTION = f"""# {CORRECTION_TITLE}

白金办发〔2026〕2号

- 施行日期：2026年1月20日

《{MEASURE_TITLE}》（白金规〔2024〕12号，以下简称《办法》）印发后，发现个别内容有误，现更正如下：

《办法》第十二条中的“10个自然日”更正为“7个自然日”。
"""


def test_a_correction_notice_is_applied_as_a_decision_is(tmp_path: Path) -> None:
    correction = parse_correction(CORRECTION_TITLE, CORRECTION)
    assert correction is not None
    assert (correction.target_title, correction.target_number) == (
        MEASURE_TITLE,
        "白金规〔2024〕12号",
    )
    assert correction.changes == (Change("第十二条", "10个自然日", "7个自然日"),)
    assert parse_correction(MEASURE_TITLE, MEASURE) is None
    core = _kb(
        tmp_path,
        lambda: date(2026, 6, 1),
        (MEASURE, "bridge-measures.md"),
        (CORRECTION, "bridge-correction.md"),
    )
    answer, hit = _article_hit(
        core, f"{MEASURE_TITLE} 第十二条 使用期限 转贷资金单笔使用期限", "第十二条"
    )
    assert "7个自然日" in hit.text and "10个自然日" not in hit.text
    assert "“10个自然日”改为“7个自然日”" in answer.reply
    core.close()


def test_a_rate_lowered_for_a_time_names_its_measure_by_its_number() -> None:
    """daizhou (written blind): "由不超过1%阶段性降至不超过0.6%", the measure cited with its 文号
    in the closing item and given no short name."""
    title = "关于2027年度阶段性降低政府性融资担保费率的通知"
    text = (
        f"{title}\n一、小微企业担保业务年化担保费率由不超过1%阶段性降至不超过0.6%。\n"
        "二、本通知未调整的事项，仍按《示范市融资担保降费奖补办法》（示政办发〔2025〕21号）执行。"
        "本通知自印发之日起施行，有效期至2027年12月31日。\n"
    )
    adjustment = parse_adjustment(title, text)
    assert adjustment is not None
    assert (adjustment.target_title, adjustment.target_number) == (
        "示范市融资担保降费奖补办法",
        "示政办发〔2025〕21号",
    )
    assert [(c.old, c.new) for c in adjustment.changes] == [("不超过1%", "不超过0.6%")]


def test_a_sentence_is_shown_once_on_the_article_whose_amounts_it_changes(tmp_path: Path) -> None:
    """daizhou: one sentence lowers two rates of 第五条, and the 附件 table after the last
    article repeats one of them; the note stands once, under 第五条."""
    measure = (
        "# 示范市融资担保降费奖补办法\n\n示政办发〔2025〕21号\n\n"
        "## 第五条 担保费率\n\n小微企业年化担保费率不超过1%；个体工商户年化担保费率不超过0.8%。\n\n"
        "## 第九条 附则\n\n本办法自2025年4月1日起施行。\n附件1\n业务 | 费率\n小微企业 | 不超过1%\n"
    )
    title = "关于2027年度阶段性降低政府性融资担保费率的通知"
    notice = (
        f"# {title}\n\n示金发〔2027〕22号\n\n"
        "一、小微企业年化担保费率由不超过1%阶段性降至不超过0.6%；个体工商户由不超过0.8%降至不超过0.4%。\n\n"
        "二、其他事项仍按《示范市融资担保降费奖补办法》（示政办发〔2025〕21号）执行。"
        "本通知自2027年2月15日起施行，有效期至2027年12月31日。\n"
    )
    core = _kb(tmp_path, lambda: date(2027, 6, 1), (measure, "fees.md"), (notice, "fee-cut.md"))
    answer, hit = _article_hit(
        core, "示范市融资担保降费奖补办法 第五条 担保费率 小微企业年化担保费率", "第五条"
    )
    # placed by its first amount (不超过1%, which the 附件 repeats), shown once for both
    assert [(a.old, a.by_number) for a in hit.amended] == [("不超过1%", "示金发〔2027〕22号")]
    assert answer.reply.count("调整了本条规定") == 1
    core.close()


LISTING_TITLE = "白湖区推动企业上市若干措施"
LISTING = f"""# {LISTING_TITLE}

白政发〔2025〕3号

- 施行日期：2025年3月1日

## 一、分阶段给予上市奖励

### （一）境内上市奖励

1. 申报受理阶段。企业首次公开发行股票申请被北京证券交易所受理的，给予奖励150万元。
2. 成功上市阶段。企业在境内证券交易所首次公开发行股票并上市的，奖励标准见下表。

上市板块 | 成功上市奖励（万元）
沪深主板 | 600
北京证券交易所 | 300

### （二）境外上市奖励

企业在香港联合交易所成功上市的，给予奖励300万元。

### （三）迁入奖励

上市公司将注册地迁入本区的，给予一次性奖励300万元。
"""
LISTING_NOTICE = f"""# 白湖区金融工作局关于调整企业上市奖励部分标准的通知

白金发〔2027〕9号

现对《{LISTING_TITLE}》（白政发〔2025〕3号）部分奖励标准调整如下：

一、企业在北京证券交易所成功上市的奖励，由300万元调整为400万元。

二、本通知自2027年7月1日起施行。
"""


def test_a_notice_adjusting_a_measure_numbered_by_items_stands_under_its_section(
    tmp_path: Path,
) -> None:
    """panxi (written blind): a measure numbered 一、（一） has no articles, and its 北交所
    reward stands in a table cell ("300" under "（万元）"); the notice raising it stood under no
    quote, and "300万元" is also the words of the Hong Kong and the moving-in items. It now
    stands under （一）, the section whose table holds the amount and shares the most of the
    notice's sentence (北京证券交易所), and under no other."""
    core = _kb(
        tmp_path,
        lambda: date(2027, 8, 1),
        (LISTING, "listing.md"),
        (LISTING_NOTICE, "listing-notice.md"),
    )
    answer, hit = _article_hit(
        core, f"{LISTING_TITLE} 境内上市奖励 北京证券交易所 成功上市阶段 奖励标准", "（一）"
    )
    assert "| 300" in hit.text  # the measure's own table, quoted as it reads
    assert [(a.old, a.by_number) for a in hit.amended] == [("300万元", "白金发〔2027〕9号")]
    assert "由300万元调整为400万元" in answer.reply
    assert "调整了本项规定" in answer.reply and "调整了本条规定" not in answer.reply
    assert (
        "adjusts this part"
        in core.answers.answer_sync(
            f"{LISTING_TITLE} 境内上市奖励 北京证券交易所 成功上市阶段 奖励标准", lang="en"
        ).reply
    )
    for other, words in (
        ("（二）", "境外上市奖励 香港联合交易所"),
        ("（三）", "迁入奖励 注册地迁入本区"),
    ):
        _, hit = _article_hit(core, f"{LISTING_TITLE} {words} 300万元", other)
        assert "300万元" in hit.text and hit.amended == ()
    core.close()


FUND_TITLE = "磐溪市产业发展基金管理办法"
FUND = f"""# {FUND_TITLE}

磐政办发〔2026〕5号

- 施行日期：2026年5月1日

## 第七条 直接投资

基金直接投资单个企业的，投资额不超过2000万元。

## 第十一条 让利

子基金返投达到1.5倍的，让渡超额收益的60%；达到2倍的，让渡70%。
"""
ADJUSTING_TITLE = f"磐溪市人民政府办公室关于调整《{FUND_TITLE}》部分条款的通知"
ADJUSTING = f"""# {ADJUSTING_TITLE}

磐政办发〔2027〕14号

现对《{FUND_TITLE}》（磐政办发〔2026〕5号）部分条款调整如下：

一、第七条中“投资额不超过2000万元”调整为“投资额不超过3000万元”。

二、第十一条中的让渡比例“60%”调整为“70%”，“70%”调整为“80%”。

三、本通知自2028年1月1日起施行。
"""


def test_a_notice_that_changes_articles_for_good_is_read_change_by_change() -> None:
    """Not a 修改决定 by its form, a 修改决定 by what it does (panxi, written blind): each
    replacement belongs to the article its clause last named."""
    notice = parse_article_notice(ADJUSTING_TITLE, ADJUSTING)
    assert notice is not None
    assert (notice.target_title, notice.target_number) == (FUND_TITLE, "磐政办发〔2026〕5号")
    assert notice.changes == (
        Change("第七条", "投资额不超过2000万元", "投资额不超过3000万元"),
        Change("第十一条", "60%", "70%"),
        Change("第十一条", "70%", "80%"),
    )
    # a replacement naming no article cannot be placed: nothing is read
    unplaced = ADJUSTING.replace("二、第十一条中的让渡比例", "二、让渡比例")
    assert parse_article_notice(ADJUSTING_TITLE, unplaced) is None
    assert parse_article_notice(FUND_TITLE, FUND) is None


def test_a_notice_changing_articles_later_is_pending_and_then_applied_at_once(
    tmp_path: Path,
) -> None:
    """Before its day the measure is quoted as written, under the note that the notice will
    change part of it; from its day its articles read as changed, one notice's words replaced
    at once (60% → 70% and 70% → 80%, never 60% → 80%)."""

    def fund_kb(name: str, day: date) -> Core:
        return _kb(tmp_path / name, lambda: day, (FUND, "fund.md"), (ADJUSTING, "fund-adjust.md"))

    before = fund_kb("before", date(2027, 11, 1))
    answer, hit = _article_hit(before, f"{FUND_TITLE} 第十一条 让渡比例", "第十一条")
    assert "60%" in hit.text and hit.amended == ()
    assert answer.notice is not None and answer.notice.in_part
    assert "届时将调整现行《磐溪市产业发展基金管理办法》的部分规定" in answer.reply
    before.close()
    after = fund_kb("after", date(2028, 2, 1))
    answer, hit = _article_hit(after, f"{FUND_TITLE} 第十一条 让利 让渡超额收益", "第十一条")
    assert "让渡超额收益的70%；达到2倍的，让渡80%" in hit.text
    assert [(a.old, a.new) for a in hit.amended] == [("60%", "70%"), ("70%", "80%")]
    assert answer.notice is None
    after.close()


def test_a_measure_is_quoted_before_the_notice_when_the_rule_asked_is_one_it_left(
    tmp_path: Path,
) -> None:
    """zhewan, written blind: a notice raising only the 首贷户 share led "一般市场主体…按
    贷款本金损失的多少补偿？", which its measure's article answers. The measure goes first when
    its passage writes more of the question's words, with the notice's change under it; asked
    what the notice changes, the notice stays first."""
    measure = (
        "# 示范市贷款风险补偿资金池管理办法\n\n示政发〔2032〕20号\n\n"
        "## 第十五条 资金池补偿\n\n一般市场主体贷款发生损失的，补偿比例为本金损失的30%；"
        "首贷户为40%。\n\n"
        "## 第十六条 附则\n\n本办法自2032年7月1日起施行。\n"
    )
    notice = (
        "# 关于调整首贷户贷款本金损失补偿比例的通知\n\n示金服〔2033〕23号\n\n"
        "一、自2033年1月1日起，《示范市贷款风险补偿资金池管理办法》（示政发〔2032〕20号）第十五条规定的"
        "首贷户贷款本金损失补偿比例，由40%调整为50%。\n\n"
        "二、其他规定不变。本通知自2033年1月1日起施行。\n"
    )
    core = _kb(
        tmp_path, lambda: date(2033, 5, 20), (measure, "pool.md"), (notice, "pool-notice.md")
    )
    asked_kept = core.answers.answer_sync("一般市场主体的贷款本金损失补偿比例是多少？")
    assert asked_kept.band is Band.ANSWER and asked_kept.hits[0].source == "pool.md"
    asked_changed = core.answers.answer_sync("首贷户的贷款本金损失补偿比例是多少？")
    assert asked_changed.hits[0].source == "pool-notice.md"
    core.close()


PARTS_TITLE = "示范区普惠信贷支持办法"
PARTS_DECISION_TITLE = f"关于修改《{PARTS_TITLE}》部分条款的决定"
PARTS_MEASURE = f"""{PARTS_TITLE}
示政发〔2032〕20号

第五条 区担保公司对小微企业的年化担保费率不超过百分之一；对个体工商户的年化担保费率不超过百分之零点八。
对专精特新中小企业，年化担保费率减按百分之零点五收取。

第十条 企业首次公开发行股票申请获受理的，按照下列标准给予奖励：
（一）申报主板上市的，奖励二百万元；
（二）向北京证券交易所申报上市的，奖励一百五十万元。

第十五条 企业签订上市辅导协议的，按照中介服务费用的百分之二十给予补贴，最高五十万元。

第十七条 企业在区域性股权市场挂牌的，给予奖励二十万元。

第二十条 区财政对合作银行给予风险补偿。
合作银行每年应报送补偿资金使用情况。

第三十条 本办法自2032年6月1日起施行。

示范区人民政府
2032年5月1日
"""
PARTS_DECISION = f"""{PARTS_DECISION_TITLE}
示政发〔2034〕9号

决定对《{PARTS_TITLE}》（示政发〔2032〕20号）作如下修改：
一、将第五条第一款修改为：“区担保公司对小微企业的年化担保费率不超过百分之零点八；对个体工商户的年化担保费率不超过百分之零点六。”
二、将第十条第（二）项中的“奖励一百五十万元”修改为“奖励二百万元”。
三、删去第十五条。
四、将第十七条中的“给予奖励二十万元”修改为“给予奖励三十万元”，并增加一款，作为第二款：“注册在重点镇的企业挂牌的，再给予奖励十万元。”
五、删去第二十条第二款。
六、增加一条，作为第二十四条之一：“对入库企业的贷款给予贴息。”
七、本决定自2034年10月1日起施行。

示范区人民政府
2034年9月12日
"""


def test_a_decision_that_rewrites_strikes_out_and_adds_paragraphs_is_read() -> None:
    """A 修改决定 as bureaus write them (heting, written blind in session 62): a 款 rewritten,
    a 项's words replaced ("第（二）项"), an article and a 款 struck out, a 款 added to an
    article; a new article ("增加一条") is the decision's own text, quoted from it."""
    decision = parse_amendment(PARTS_DECISION_TITLE, PARTS_DECISION)
    assert decision is not None and decision.target_number == "示政发〔2032〕20号"
    assert decision.changes == (
        Change("第五条", "", "区担保公司对小微企业的年化担保费率不超过百分之零点八；对个体工商户的年化担保费率不超过百分之零点六。",
               whole=True, paragraph=1),
        Change("第十条", "奖励一百五十万元", "奖励二百万元"),
        Change("第十五条", "", "", stopped=True),
        Change("第十七条", "给予奖励二十万元", "给予奖励三十万元"),
        Change("第十七条", "", "注册在重点镇的企业挂牌的，再给予奖励十万元。", appended=True),
        Change("第二十条", "", "", whole=True, paragraph=2),
    )  # fmt: skip


def test_paragraphs_rewritten_struck_out_and_added_are_quoted_as_they_now_read(
    tmp_path: Path,
) -> None:
    core = _kb(
        tmp_path,
        lambda: date(2035, 6, 18),
        (PARTS_MEASURE, "credit-measures.txt"),
        (PARTS_DECISION, "credit-amendment.txt"),
    )
    answer, hit = _article_hit(core, "区担保公司对小微企业的年化担保费率不超过多少？", "第五条")
    assert "不超过百分之零点八；对个体工商户的年化担保费率不超过百分之零点六" in hit.text
    assert "不超过百分之一" not in hit.text and "减按百分之零点五收取" in hit.text
    assert "以上引文为修改后的条文" in answer.reply
    _, listed = _article_hit(core, "区域性股权市场挂牌奖励多少？", "第十七条")
    assert "给予奖励三十万元" in listed.text and listed.text.endswith("再给予奖励十万元。")
    _, struck = _article_hit(core, "合作银行风险补偿", "第二十条")
    assert "区财政对合作银行给予风险补偿" in struck.text and "每年应报送" not in struck.text
    answer, stopped = _article_hit(core, "上市辅导协议中介服务费用补贴多少？", "第十五条")
    assert [a.stopped for a in stopped.amended] == [True]
    assert "本条自2034年10月1日起停止执行" in answer.reply
    core.close()
