"""Grouping of missed questions and FAQ entries written by people (no Telegram)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.answers import Answer, Band
from bot.clock import ManualClock
from bot.config import load_settings
from bot.db.migrate import upgrade
from bot.db.models import QuestionLog
from bot.learning import (
    LearningService,
    MissedQuestion,
    group_questions,
    missed_from_log,
    normalise,
    qa_from_transcript,
    similarity,
)
from bot.services import Services, build_services
from index.encoders import HashingEncoder

NOW = datetime(2026, 5, 20, 3, 0, tzinfo=UTC)


def missed(text: str, reason: str = "none", qid: int | None = None) -> MissedQuestion:
    return MissedQuestion(text, 1, NOW, reason, qid)


def test_normalise_ignores_width_punctuation_and_particles() -> None:
    assert normalise("请问 ＡＢＣ 贷款利率是多少呢？") == normalise("abc贷款利率是多少")


def test_similar_wordings_score_high_and_unrelated_zero() -> None:
    assert similarity("担保费率是多少？", "担保费率是多少") == 1.0
    assert similarity("宠物狗疫苗在哪里打", "宠物狗的疫苗去哪里打") >= 0.5
    assert similarity("宠物狗疫苗在哪里打", "火锅店营业时间") == 0.0


def test_groups_most_frequent_first_with_counts_and_common_wording() -> None:
    groups = group_questions([
        missed("火锅店几点开门"),
        missed("宠物狗疫苗在哪打", "dislike", 2),
        missed("宠物狗疫苗在哪里打", qid=3),
        missed("宠物狗疫苗在哪里打？", qid=4),
        missed("？？"),  # nothing left after normalising: not a question
    ])  # fmt: skip
    assert [(g.count, g.wording) for g in groups] == [
        (3, "宠物狗疫苗在哪打"),
        (1, "火锅店几点开门"),
    ]
    assert groups[0].reasons == {"none", "dislike"} and groups[0].question_ids == [2, 3, 4]


def row(
    qid: int, user: int, text: str, band: str, minutes: int, feedback: int | None = None
) -> QuestionLog:
    return QuestionLog(id=qid, user_id=user, chat_id=user, text=text, band=band,
                       feedback=feedback, created_at=NOW + timedelta(minutes=minutes))  # fmt: skip


def test_missed_from_log_none_dislike_and_last_question_before_a_handoff() -> None:
    rows = [
        row(1, 7, "无答案的问题", "none", 0),
        row(2, 7, "答了但被踩", "answer", 1, feedback=-1),
        row(3, 7, "答了且点赞", "answer", 2, feedback=1),
        row(4, 8, "早一点的问题", "answer", 3),
        row(5, 8, "转人工前的问题", "suggest", 4),
        row(6, 9, "别人的问题", "answer", 4),
    ]
    out = missed_from_log(rows, handoffs=[(8, (NOW + timedelta(minutes=5)).replace(tzinfo=None))])
    assert [(m.question_id, m.reason) for m in out] == [(1, "none"), (2, "dislike"), (5, "handoff")]


def test_small_talk_is_not_an_unanswered_question_but_a_financing_need_is() -> None:
    rows = [row(1, 7, "你好", "none", 0), row(2, 7, "谢谢", "none", 1),
            row(3, 7, "我想贷款500万", "none", 2), row(4, 7, "无答案的问题", "none", 3)]  # fmt: skip
    rows[0].top, rows[1].top = [["intent:greeting", 0.0]], [["intent:thanks", 0.0]]
    rows[2].top, rows[3].top = [["intent:financing", 0.0]], [["scope:model", -0.1]]
    out = missed_from_log(rows)
    assert [(m.question_id, m.reason) for m in out] == [(3, "none"), (4, "none")]


def test_transcript_gives_first_user_text_and_officer_replies() -> None:
    class Line:
        def __init__(self, direction: str, text: str, kind: str = "text") -> None:
            self.direction, self.text, self.kind = direction, text, kind

    lines = [Line("user", "能贴息吗？"), Line("officer", "可以。"), Line("user", "图", "photo"),
             Line("user", "谢谢"), Line("officer", "按50%贴息。")]  # fmt: skip
    assert qa_from_transcript(lines) == ("能贴息吗？", "可以。\n按50%贴息。")


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    upgrade(settings.db_url)
    services = await build_services(settings, encoder=HashingEncoder(), clock=ManualClock(NOW))
    yield services
    await services.close()


async def log_question(svc: Services, qid: int, text: str, band: Band) -> None:
    answer = Answer(question=text, band=band, hits=(), reply="")
    await svc.questions.log(
        user_id=100 + qid, chat_id=100 + qid, message_id=qid, text=text, answer=answer
    )


async def test_unanswered_reads_the_week_from_the_log(svc: Services) -> None:
    clock = svc.clock
    assert isinstance(clock, ManualClock)
    await log_question(svc, 1, "上周的老问题", Band.NONE)
    clock.advance(timedelta(days=8))
    await log_question(svc, 2, "新三板挂牌奖励怎么领", Band.NONE)
    await log_question(svc, 3, "新三板挂牌奖励如何领", Band.NONE)
    await log_question(svc, 4, "已答的问题", Band.ANSWER)
    groups = await LearningService(svc.questions, svc.kb, svc.audit, svc.clock).unanswered()
    assert [(g.wording, g.count) for g in groups] == [("新三板挂牌奖励如何领", 2)]


async def test_saved_faq_is_answered_at_once_and_audited(svc: Services) -> None:
    service = LearningService(svc.questions, svc.kb, svc.audit, svc.clock)
    entry = await service.save_faq(questions=["  猫咪绝育手术疼不疼 ", "猫咪绝育手术疼不疼"],
                                   answer="请咨询动物防疫站。", actor_id=42)  # fmt: skip
    assert entry.faq_id == "learned-001" and entry.questions == ("猫咪绝育手术疼不疼",)
    assert entry.created_by == "42"
    answer = await svc.answers.answer("猫咪绝育手术疼不疼")
    assert answer.band is Band.ANSWER and "请咨询动物防疫站。" in answer.reply
    edited = await service.save_faq(questions=["猫咪绝育手术疼不疼"], answer="新答案", actor_id=43,
                                    faq_id="learned-001")  # fmt: skip
    assert (
        edited.answer == "新答案" and [f.faq_id for f in service.faqs()].count("learned-001") == 1
    )
    assert await service.remove_faq("learned-001", 44)
    assert not await service.remove_faq("learned-001", 44)
    log = [(e.action, e.target, e.actor_id) for e in reversed(await svc.audit.recent())]
    assert log == [("faq.add", "learned-001", 42), ("faq.edit", "learned-001", 43),
                   ("faq.remove", "learned-001", 44)]  # fmt: skip


async def test_empty_answer_is_refused(svc: Services) -> None:
    service = LearningService(svc.questions, svc.kb, svc.audit, svc.clock)
    with pytest.raises(ValueError):
        await service.save_faq(questions=["问题"], answer="  ", actor_id=1)
    assert not [f for f in service.faqs() if f.faq_id.startswith("learned")]
