"""The statistics' pure parts: periods, per-day bands, feedback, citations, missed topics,
the SLA and handoff figures, the words and the chart."""

from __future__ import annotations

import json
import random
import warnings
from datetime import UTC, date, datetime, timedelta

from bot.answers import Answer, Band, Hit
from bot.charts import buckets, render_png
from bot.cli_reports import MAX_DAYS as CLI_MAX_DAYS
from bot.config import load_settings
from bot.learning import MissedQuestion, bigrams, group_questions, similarity
from bot.questions import QuestionView, first_citation
from bot.requests import RequestStats
from bot.sla import SlaPolicy
from bot.stats import (
    MAX_DAYS,
    Cited,
    DayBands,
    HandoffFigures,
    MissedTopic,
    Period,
    QaStats,
    SlaFigures,
    as_json,
    bands_per_day,
    citations,
    cited_entries,
    feedback_counts,
    handoff_figures,
    missed_topics,
    sla_figures,
    stats_period,
    summary_text,
)

TODAY = date(2026, 11, 24)  # a Tuesday
DOC = "credit.gov-guarantee-measures-2024"
TITLE = "青禾区政府性融资担保业务管理办法"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    """November `day`, `hour`:`minute` bureau time (UTC+8) as UTC."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def q(
    qid: int,
    band: str,
    when: datetime,
    text: str = "问题",
    *,
    feedback: int | None = None,
    top: list[list[object]] | None = None,
    cited: list[list[object]] | None = None,
    user_id: int = 1,
) -> QuestionView:
    return QuestionView(
        id=qid, user_id=user_id, chat_id=user_id, message_id=qid, text=text, lang="zh",
        band=band, top=top or [], cited=cited, confidence=0.5, latency_ms=12.0, feedback=feedback,
        source="telegram", created_at=when,
    )  # fmt: skip


def test_stats_period_parses_days_and_ranges() -> None:
    assert stats_period([], TODAY) == Period(date(2026, 11, 18), TODAY)
    assert stats_period(["30"], TODAY) == Period(date(2026, 10, 26), TODAY)
    assert stats_period(["2026-11-01", "2026-11-30"], TODAY) == Period(
        date(2026, 11, 1), date(2026, 11, 30)
    )
    bad = [
        ["0"],
        ["x"],
        ["2026-11-30", "2026-11-01"],
        ["2026-13-01", "2026-11-01"],
        ["1", "2", "3"],
    ]
    for args in [*bad, [str(MAX_DAYS + 1)], ["2024-01-01", "2026-01-01"]]:
        assert stats_period(args, TODAY) is None, args
    assert CLI_MAX_DAYS == MAX_DAYS
    assert Period(date(2026, 11, 24), date(2026, 11, 24)).utc_bounds() == (
        utc(24, 0),
        utc(25, 0),
    )


def test_bands_per_day_uses_bureau_days_and_keeps_empty_days() -> None:
    rows = [
        q(1, "answer", utc(23, 23, 59)),
        q(2, "answer", utc(24, 0, 1)),  # 16:01 UTC on the 23rd, already the 24th in Shanghai
        q(3, "suggest", utc(24, 9)),
        q(4, "none", utc(24, 10)),
        q(5, "none", utc(17, 10)),  # before the period: not counted
    ]
    days = bands_per_day(rows, Period(date(2026, 11, 22), TODAY))
    assert [d.day for d in days] == [date(2026, 11, 22), date(2026, 11, 23), TODAY]
    assert days[0] == DayBands(date(2026, 11, 22), 0, 0, 0)
    assert (days[1].answer, days[1].total) == (1, 1)
    assert (days[2].answer, days[2].suggest, days[2].none) == (1, 1, 1)


def test_feedback_counts() -> None:
    rows = [q(1, "answer", utc(24, 9), feedback=1), q(2, "answer", utc(24, 9), feedback=-1)]
    rows += [q(3, "answer", utc(24, 9), feedback=1), q(4, "none", utc(24, 9))]
    assert feedback_counts(rows) == (2, 1)


def test_citations_count_documents_and_sections_once_per_question() -> None:
    quoted = [[DOC, 2, "0a1b2c3d", "第九条 办理时限"], [DOC, 2, "0a1b2c3d", "第十条 收费"]]
    rows = [
        q(1, "answer", utc(24, 9), top=[[DOC, 0.9], ["other-doc", 0.5]], cited=quoted),
        q(2, "answer", utc(24, 9), top=[[DOC, 0.8]], cited=[[DOC, 1, "ffee0011", "第九条 办理时限"]]),
        q(3, "answer", utc(24, 9), top=[["faq-7", 1.0]]),  # logged before `cited`: first entry
        q(4, "suggest", utc(24, 9), top=[[DOC, 0.3]], cited=quoted),  # suggestions: not cited
        q(5, "none", utc(24, 9), top=[["place:深圳", 1.0]]),
        q(6, "answer", utc(24, 9), top=[["scope:model", 0.1]]),
        q(7, "answer", utc(24, 9), top=[["faq-9", 1.0]], cited=[]),  # quoted no document
    ]  # fmt: skip
    assert cited_entries(rows[0]) == [(DOC, "第九条 办理时限"), (DOC, "第十条 收费")]
    assert cited_entries(rows[2]) == [("faq-7", "")]
    assert cited_entries(rows[3]) == cited_entries(rows[5]) == cited_entries(rows[6]) == []
    docs, sections = citations(rows, {DOC: TITLE}.get)
    assert docs == (Cited(DOC, TITLE, "", 2), Cited("faq-7", "faq-7", "", 1))
    assert sections == (
        Cited(DOC, TITLE, "第九条 办理时限", 2),
        Cited(DOC, TITLE, "第十条 收费", 1),
    )
    assert first_citation(rows[0]) == (DOC, "第九条 办理时限")
    assert first_citation(rows[2]) is None and first_citation(rows[3]) is None


def _hit(doc_id: str | None, section: str, revision: int | None = 1, faq: str | None = None) -> Hit:
    return Hit(
        "faq" if faq else "chunk", doc_id, "a.md", "t", section, "current", 0.9, "text",
        faq_id=faq, revision=revision, content_hash="0a1b2c3d" if revision else None,
    )  # fmt: skip


def test_an_answer_cites_each_quoted_passage_once_in_quote_order() -> None:
    hits = (
        _hit(DOC, "第九条"), _hit("extra", "第一条", revision=3), _hit(DOC, "第九条", faq="faq-1"),
        _hit(DOC, "第十条"), _hit(None, "", faq="faq-2"), _hit("gone", "第二条", revision=None),
    )  # fmt: skip
    answer = Answer("q", Band.ANSWER, hits=hits, reply="", top=((DOC, 0.9), ("b", 0.5)))
    assert answer.cited == (
        (DOC, 1, "0a1b2c3d", "第九条"),
        ("extra", 3, "0a1b2c3d", "第一条"),
        (DOC, 1, "0a1b2c3d", "第十条"),
    )  # an FAQ without a document, and a document the snapshot no longer has, cite nothing


def test_missed_topics_group_similar_wordings() -> None:
    rows = [
        q(1, "none", utc(24, 9), "上市奖励怎么申请"),
        q(2, "none", utc(24, 9, 5), "上市奖励怎么申请？", user_id=2),
        q(3, "answer", utc(24, 9, 10), "担保费率是多少", feedback=-1),
        q(4, "answer", utc(24, 9, 20), "贴息比例", feedback=1),
        q(5, "answer", utc(24, 9, 30), "转贷怎么办理", user_id=3),
    ]
    topics = missed_topics(rows, [(3, utc(24, 9, 40))])  # user 3 then asked for a person
    assert topics == (
        MissedTopic("上市奖励怎么申请", 2),
        MissedTopic("担保费率是多少", 1),
        MissedTopic("转贷怎么办理", 1),
    )


def test_sla_figures_count_working_hours() -> None:
    policy = SlaPolicy.from_settings(load_settings(sla_unclaimed_hours=2))
    now = utc(24, 16)
    cases = [
        (utc(24, 10), utc(24, 11)),  # an hour: met
        (utc(23, 11), utc(23, 14)),  # 11:00 → 14:00 spans lunch: 1.5 working hours, met
        (utc(23, 9), utc(23, 15)),  # late
        (utc(24, 9), None),  # due 11:00, unclaimed at 16:00: late
        (utc(24, 15), None),  # due tomorrow 09:30: pending
        (utc(20, 17), utc(23, 9, 30)),  # Friday 17:00, Monday 09:30: 1.5 working hours, met
    ]
    figures = sla_figures(cases, policy, now)
    assert (figures.met, figures.missed, figures.pending) == (3, 2, 1)
    assert figures.percent == 60.0 and figures.limit_hours == 2
    assert SlaFigures().percent is None


def test_handoff_figures() -> None:
    figures = handoff_figures([("closed", 5), ("closed", 4), ("closed", None), ("open", None)])
    assert figures.total == 4 and figures.by_status == {"closed": 3, "open": 1}
    assert figures.ratings == {4: 1, 5: 1} and figures.rated == 2 and figures.mean_rating == 4.5
    assert handoff_figures([]).mean_rating is None


def sample_stats() -> QaStats:
    start = date(2026, 11, 18)
    return QaStats(
        start=start, end=TODAY,
        days=tuple(DayBands(start + timedelta(days=n), n, 1, 1) for n in range(7)),
        likes=3, dislikes=1,
        documents=(Cited(DOC, TITLE, "", 4),), sections=(Cited(DOC, TITLE, "第九条 办理时限", 4),),
        missed=(MissedTopic("上市奖励怎么申请" * 5, 2),),
        requests=RequestStats({"new": 1, "closed": 1}, {"gov_guarantee": 2}, 3600.0, 10800.0, 2),
        sla=SlaFigures(2, 1, 0, 2.0),
        handoffs=HandoffFigures(1, {"closed": 1}, {4: 1}),
    )  # fmt: skip


def test_summary_text_in_both_languages() -> None:
    zh = summary_text(sample_stats(), "zh")
    assert zh.startswith("📊 问答统计 2026-11-18 至 2026-11-24（7 天）")
    assert "问题 35 条：已解答 21，推荐 7，未解答 7" in zh
    assert "👍 3，👎 1（好评率 75%）" in zh
    assert f"引用最多的文件：1.《{TITLE}》 4\n" in zh
    assert f"引用最多的条款：《{TITLE}》第九条 办理时限 4\n" in zh
    assert "融资需求共 2 条" in zh and "按状态：已关闭 1，待认领 1" in zh
    assert "认领用时中位数：1.0 小时" in zh and "办结用时中位数：3.0 小时" in zh
    assert "2 个工作小时内）：2/3（67%）" in zh and "转人工 1 次，评分 1 次，平均 4.0 分" in zh
    assert max(len(line) for line in zh.splitlines()) < 200  # a long missed question is cut
    en = summary_text(sample_stats(), "en")
    assert "35 questions: 21 answered, 7 suggested, 7 declined" in en and "(75% positive)" in en


def test_json_holds_the_same_figures() -> None:
    data = json.loads(json.dumps(as_json(sample_stats()), ensure_ascii=False))
    assert data["questions"] == 35 and data["bands"] == {"answer": 21, "suggest": 7, "none": 7}
    assert data["days"][0] == {"day": "2026-11-18", "answer": 0, "suggest": 1, "none": 1,
                               "total": 2}  # fmt: skip
    assert data["like_rate"] == 75.0 and data["sla"]["percent"] == 66.7
    assert data["requests"]["by_status"] == {"new": 1, "closed": 1}
    assert data["handoffs"]["mean_rating"] == 4.0 and data["sections"][0]["count"] == 4


def test_chart_is_a_png_without_missing_glyphs() -> None:
    """Chinese titles are drawn only with a CJK font: never as empty boxes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        png = render_png(sample_stats())
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    empty = QaStats(
        start=TODAY, end=TODAY, days=(DayBands(TODAY),), likes=0, dislikes=0, documents=(),
        sections=(), missed=(), requests=RequestStats({}, {}, None, None, 0), sla=SlaFigures(),
        handoffs=HandoffFigures(),
    )  # fmt: skip
    assert render_png(empty).startswith(b"\x89PNG")


def _plain_greedy(texts: list[str], threshold: float) -> list[list[str]]:
    """The grouping's definition, compared with every wording of every earlier group."""
    groups: list[list[str]] = []
    for text in texts:
        if not bigrams(text):
            continue
        target = next(
            (g for g in groups if any(similarity(text, other) >= threshold for other in g)), None
        )
        if target is None:
            groups.append(target := [])
        target.append(text.strip())
    return groups


def test_indexed_grouping_matches_the_plain_greedy_definition() -> None:
    """/stats over a year groups thousands of misses, so the grouping only compares groups
    that share a bigram; the groups must be the ones the plain definition gives."""
    rng = random.Random(7)
    chars = "上市奖励怎么申请担保费率贴息比例转贷办理流程材料时限企业补贴融资基金首贷户"
    for _ in range(8):
        topics = ["".join(rng.sample(chars, rng.randint(2, 8))) for _ in range(rng.randint(3, 40))]
        texts = [rng.choice(topics) + rng.choice(["", "吗", "？", "请问"]) for _ in range(100)]
        when = datetime(2026, 11, 24, tzinfo=UTC)
        items = [MissedQuestion(text, 1, when, "none", n) for n, text in enumerate(texts)]
        for threshold in (0.5, 0.3):
            got = sorted(sorted(g.texts) for g in group_questions(items, threshold))
            assert got == sorted(sorted(g) for g in _plain_greedy(texts, threshold))


def test_long_periods_are_drawn_by_week() -> None:
    year = stats_period(["366"], TODAY)
    assert year is not None
    days = [DayBands(year.start + timedelta(days=n), 1, 0, 2) for n in range(year.days)]
    unit, weeks = buckets(days)
    assert unit == "week" and len(weeks) == 53 and weeks[0].day == year.start
    assert (weeks[0].answer, weeks[0].none) == (7, 14) and weeks[-1].total == 6  # 366 = 52·7 + 2
    assert sum(w.total for w in weeks) == 3 * 366
    assert buckets(days[:62]) == ("day", days[:62])
