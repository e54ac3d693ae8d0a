"""Follow-up questions and hit-testing on the sample knowledge base (hashing encoder)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.answers import Band, Turn, explanation_lines
from bot.answers.followup import (
    asks_when,
    is_elliptical,
    leans_back,
    previous_also_answers,
    turn_of,
    with_context,
)
from bot.answers.lapsed import cites_document
from bot.answers.models import Answer, Hit
from bot.answers.service import AnswerService
from bot.cli import main
from bot.config import load_settings
from bot.core import Core, build_core
from bot.kb_scope import Jurisdiction
from index.encoders import HashingEncoder
from knowledge.models import DocumentMeta
from tests.bond_kb import bond_service
from tests.sample_core import sample_core


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return sample_core(tmp_path_factory)


@pytest.mark.parametrize(
    ("text", "elliptical"),
    [
        ("那反担保呢？", True),
        ("要多久能批下来？", True),
        ("还有别的费用吗", True),
        ("What about the counter-guarantee?", True),
        ("政府性融资担保的担保费率是多少？单户500万以下的小微企业", False),
        ("How much is the listing reward for an IPO on the Shanghai main board?", False),
        ("谢谢！", False),  # an acknowledgement closes a turn
        ("好的", False),
        ("xyzzy plugh", False),  # Latin script needs an opener
        ("fees?", False),
        ("贷", False),  # one character says too little to lean on anything
    ],
)
def test_elliptical_messages(text: str, elliptical: bool) -> None:
    assert is_elliptical(text) is elliptical


def _declined(reason: str) -> Answer:
    return Answer("q", Band.NONE, (), "", top=((reason, 0.0),))


@pytest.mark.parametrize(
    ("text", "alone", "names_a_thing", "leans"),
    [
        # declined alone by the scope model or for want of a passage: read in context
        ("发完以后多久之内要去申报？", _declined("scope:model"), False, True),
        ("我是那家公司的员工，能多拿吗？", _declined("supervision.reward-2024"), False, True),
        # it names a thing of its own: a new question
        ("典当行的绝当物品怎么处理？", _declined("scope:model"), True, False),
        # it says it changes the subject
        ("换个问题，科技保险补贴怎么申报？", _declined("scope:model"), False, False),
        (
            "Different question: how long can a pawn loan run?",
            _declined("scope:model"),
            False,
            False,
        ),
        # declined by a rule on its own words (another place): that stands
        ("如果是从望川市其他区迁过来的呢？", _declined("place:望川市"), False, False),
        # answered or offered choices alone: not this rule's
        ("发完以后多久之内要去申报？", Answer("q", Band.SUGGEST, (), ""), False, False),
        # in Latin script only a message that refers back leans back (`is_elliptical`)
        ("xyzzy plugh foo bar baz qux", _declined("scope:model"), False, False),
    ],
)
def test_a_longer_message_declined_alone_leans_back_unless_it_names_its_own_subject(
    text: str, alone: Answer, names_a_thing: bool, leans: bool
) -> None:
    assert leans_back(alone, text, names_a_thing) is leans


def _title_in_scope(text: str) -> float:
    """In scope only when the message names the measure's title (as a question searched in
    context does): declined alone just under the cut-off (0), and a joke far under it."""
    if "债券融资奖励办法" in text:
        return 0.05
    return -0.5 if "笑话" in text else -0.02


def test_a_longer_follow_up_declined_alone_is_answered_in_context(tmp_path: Path) -> None:
    """ "发完以后多久之内要去申报？" after the bond reward: declined alone, it is answered from
    the reward measure, under its name; a message naming a thing of its own (典当行) is not
    bent, nor one that says it changes the subject."""
    service = bond_service(tmp_path, _title_in_scope)
    first = service.answer_sync("示范区企业债券融资奖励办法规定发行公司债券奖励多少？")
    previous = turn_of(first)
    assert previous is not None and previous.doc_id == "bonds"
    question = "发完以后多久之内要去申报？"
    assert service.answer_sync(question).band is Band.NONE
    follow = service.answer_sync(question, previous=previous)
    assert follow.band is Band.ANSWER and follow.context_title == previous.title
    assert follow.reply.startswith("关于《示范区企业债券融资奖励办法》：")
    assert "6个月内" in follow.reply
    # far from anything the documents say, short or not, it is not read in context either
    for own_subject in (
        "典当行的绝当物品怎么处理才合规？",
        "换个问题，债券发完以后多久要申报？",
        "给我讲个笑话吧",
        "给我讲个笑话吧，要关于债券的",
    ):
        bent = service.answer_sync(own_subject, previous=previous)
        assert bent.band is Band.NONE and bent.context_title is None, own_subject


def _far_unless_titled(text: str) -> float:
    """In scope only when the message names the measure's title; far under the cut-off
    otherwise (a short deadline question says nothing the scope check can place)."""
    return 0.05 if "债券融资奖励办法" in text else -0.5


def test_a_short_deadline_question_far_from_the_documents_is_read_in_context(
    tmp_path: Path,
) -> None:
    """ "申报截止到什么时候？" after the bond reward is far from anything alone, and the measure
    writes its deadline without 截止 ("6个月内提出申请"): it is the previous answer's deadline
    (jihu, tangxi, lishan: 5 of 8 such follow-ups over 32 KBs were declined). A short
    message on something else far from the documents is still not read in context."""
    service = bond_service(tmp_path, _far_unless_titled)
    first = service.answer_sync("示范区企业债券融资奖励办法规定发行公司债券奖励多少？")
    previous = turn_of(first)
    assert previous is not None
    for question in ("申报截止到什么时候？", "现在申报还来得及吗？"):
        assert asks_when(question)
        assert service.answer_sync(question).band is Band.NONE
        follow = service.answer_sync(question, previous=previous)
        assert follow.band is Band.ANSWER and follow.context_title == previous.title, question
        assert "6个月内" in follow.reply
    assert not asks_when("护照过期了去哪里补办？") and not asks_when("明年春节是几月几号？")
    elsewhere = service.answer_sync("护照过期了去哪里补办？", previous=previous)
    assert elsewhere.band is Band.NONE and elsewhere.context_title is None


def test_a_follow_up_is_answered_in_the_context_of_the_previous_document(core: Core) -> None:
    first = core.answers.answer_sync("政府性融资担保的担保费率是多少？")
    previous = turn_of(first)
    assert previous is not None and previous.title == "青禾区政府性融资担保业务管理办法"
    alone = core.answers.answer_sync("那反担保呢？")
    follow = core.answers.answer_sync("那反担保呢？", previous=previous)
    assert follow.band is Band.ANSWER and follow.context_title == previous.title
    assert follow.reply.startswith("关于《青禾区政府性融资担保业务管理办法》：")
    assert follow.hits[0].doc_id == previous.doc_id
    assert alone.context_title is None


@pytest.mark.parametrize("text", ["xyzzy plugh", "谢谢！", "好的", "OK", "贷", "贷" * 10_000])
def test_a_message_that_says_nothing_of_the_topic_is_not_bent(core: Core, text: str) -> None:
    """Short and weakly answered, but the document's name alone would make it 'answer':
    an acknowledgement closes the turn, and Latin script needs an opener."""
    previous = Turn(
        "担保费率是多少", "credit.gov-guarantee-measures-2024", "青禾区政府性融资担保业务管理办法"
    )
    alone = core.answers.answer_sync(text)
    bent = core.answers.answer_sync(text, previous=previous)
    assert bent.context_title is None and bent.hits == alone.hits
    assert not any(h.doc_id == previous.doc_id for h in bent.hits)


def test_a_question_that_stands_on_its_own_is_not_bent(core: Core) -> None:
    previous = Turn(
        "担保费率是多少", "credit.gov-guarantee-measures-2024", "青禾区政府性融资担保业务管理办法"
    )
    question = "企业在上海证券交易所主板上市，区里奖励多少钱？"
    alone = core.answers.answer_sync(question)
    bent = core.answers.answer_sync(question, previous=previous)
    assert bent.context_title is None and bent.hits == alone.hits


def test_no_context_is_left_by_a_refusal(core: Core) -> None:
    assert turn_of(core.answers.answer_sync("？？？")) is None


def test_explain_says_why_and_ranks_the_top_entries(core: Core) -> None:
    ex = core.answers.explain("政府性融资但保的费率是多少")  # a homophone typo
    assert ex.answer.band is Band.ANSWER and ex.corrected == "政府性融资担保的费率是多少"
    assert ex.reason.startswith("结论：直接回答")
    assert 1 <= len(ex.entries) <= 5 and ex.entries[0].rank == 1
    assert any(e.lexical_rank == 1 for e in ex.entries)
    text = "\n".join(explanation_lines(ex, "zh"))
    assert "同音纠错后：政府性融资担保的费率是多少" in text and "关键词第" in text
    place = core.answers.explain("深圳的上市奖励是多少？")
    assert place.answer.band is Band.NONE and "深圳" in place.reason
    topic = core.answers.explain("彩票中奖了怎么交税", lang="en")
    assert "彩票" in topic.reason and topic.reason.startswith("Outcome: declined")


def test_finbot_ask_explain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FINBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FINBOT_EMBEDDING_MODEL", "hashing")
    monkeypatch.chdir(tmp_path)
    assert main(["ask", "--explain", "政府性融资担保的担保费率是多少？"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("命中测试：政府性融资担保的担保费率是多少？")
    assert "前 5 个检索结果：" in out and "根据现行政策文件：" in out
    assert main(["ask", "--json", "--explain", "政府性融资担保的担保费率是多少？"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["explain"]["entries"][0]["rank"] == 1 and data["explain"]["reason"]


REVISED_TITLE = "白湖区贷款风险补偿资金池管理办法"


def _pool_policy(number: str, effective: str, suspend: str, closing: str) -> bytes:
    return (
        f"# {REVISED_TITLE}\n\n{number}\n\n- 施行日期：{effective}\n\n"
        f"## 第九条 暂停备案\n\n合作银行不良率超过{suspend}的，暂停新增业务备案。\n\n"
        f"## 第十条 恢复备案\n\n不良率连续两个季度回落至3%以下的，恢复备案。\n\n"
        f"## 第十一条 附则\n\n{closing}\n"
    ).encode()


def test_a_title_that_the_revision_kept_points_at_the_revision_not_the_repealed_version(
    tmp_path: Path,
) -> None:
    """A follow-up is searched as "《title》 question": when a revision kept the repealed
    version's title, naming it is not asking about the repealed one (the in-context answer
    was replaced by "this document was repealed", and the follow-up went unanswered)."""
    from tests.sample_core import DAY

    settings = load_settings(data_dir=tmp_path, embedding_model="hashing")
    built = build_core(settings, encoder=HashingEncoder(), today=lambda: DAY)
    old = _pool_policy("白金规〔2021〕2号", "2021年3月1日", "5%", "本办法自2021年3月1日起施行。")
    new = _pool_policy(
        "白金规〔2024〕9号", "2024年3月1日", "4%",
        f"本办法自2024年3月1日起施行。原《{REVISED_TITLE}》（白金规〔2021〕2号）同时废止。",
    )  # fmt: skip
    built.kb.add_bytes(old, "pool-2021.md")
    built.kb.add_bytes(new, "pool-2024.md")
    named = built.answers.answer_sync(f"{REVISED_TITLE} 暂停备案后什么时候恢复备案？")
    assert named.notice is None and named.band is Band.ANSWER
    assert {h.doc_id for h in named.hits} == {"pool-2024"}
    by_number = built.answers.answer_sync(f"白金规〔2021〕2号 {REVISED_TITLE} 还有效吗")
    assert by_number.notice is not None and by_number.notice.old_doc_id == "pool-2021"
    assert by_number.notice.new_doc_id == "pool-2024"
    built.close()


def _title_in_scope_others_far(text: str) -> float:
    """Every message that does not name the title is declined far under the cut-off
    (beyond CONTEXT_SLACK)."""
    return 0.05 if "债券融资奖励办法" in text else -0.1


def test_far_from_the_documents_only_the_previous_documents_own_words_lean_back(
    tmp_path: Path,
) -> None:
    """A short message the scope model puts far out is read in context only when the
    previous answer's document writes every word of it ("逾期申请还受理吗？" after the bond
    reward): that another document writes its words ("身份证丢了去哪里补办？", written by an
    office guide) does not make it a follow-up of the bond reward."""
    guide = (
        "# 示范区政务服务窗口办事指南\n\n- 施行日期：2025年1月1日\n\n"
        "## 第二条 证件\n\n申请人身份证丢失的，应当先到公安机关补办后再来窗口办理。哪里办理详见附表。\n"
    )
    service = bond_service(tmp_path, _title_in_scope_others_far, **{"guide.md": guide})
    previous = turn_of(service.answer_sync("示范区企业债券融资奖励办法规定发行公司债券奖励多少？"))
    assert previous is not None and previous.doc_id == "bonds"
    written = service.answer_sync("逾期申请还受理吗？", previous=previous)
    assert written.band is Band.ANSWER and written.context_title == previous.title
    assert "逾期不予受理" in written.reply
    elsewhere = service.answer_sync("身份证丢了去哪里补办？", previous=previous)
    assert elsewhere.band is Band.NONE and elsewhere.context_title is None


_CITY = (
    "# 沣都市人民政府关于支持企业上市的若干措施\n\n- 施行日期：2026年1月1日\n\n"
    "## 第五条 境外上市奖励\n\n企业在香港联合交易所上市的，市级给予奖励300万元。\n"
)
_DISTRICT = (
    "# 霁湖区支持企业上市奖励办法\n\n- 施行日期：2026年3月1日\n\n"
    "## 第六条 境外上市奖励\n\n企业在香港联合交易所上市的，区级给予奖励200万元。\n"
)


def test_a_follow_up_naming_another_level_is_answered_from_that_level_s_measure(
    tmp_path: Path,
) -> None:
    """ "区里呢？" after the city's Hong Kong listing reward asks for the district's, though the
    city's title leads the search in context (jihu, written blind); "市里呢？" back again."""
    service = _levels_service(tmp_path, "沣都市霁湖区", city=_CITY, district=_DISTRICT)
    first, previous, district = _two_turns(
        service, "市里对企业在香港联合交易所上市的奖励是多少？", "区里呢？"
    )
    assert "300万元" in first.hits[0].text
    assert district.band is Band.ANSWER and district.context_title == previous.title
    assert "200万元" in district.hits[0].text
    # the reply names the previous topic as what it follows on from, not as its subject
    assert district.reply.startswith(f"接上一问（《{previous.title}》）：")
    assert not district.reply.startswith("关于")
    back = turn_of(district)
    assert back is not None
    city = service.answer_sync("市里呢？", previous=back)
    assert city.band is Band.ANSWER and "300万元" in city.hits[0].text


def _answered(*doc_ids: str) -> Answer:
    """Answered well alone from the first document, the others ranked after it."""
    hits = tuple(Hit("chunk", d, f"{d}.md", d, "第一条", "current", 1.0, "…") for d in doc_ids)
    return Answer("q", Band.ANSWER, hits[:1], "", confidence=0.99, ranked=hits)


@pytest.mark.parametrize(
    ("text", "ranked", "also"),
    [
        # the previous document is among the three the message ranks: still reading it
        ("那北交所呢？", ("city", "district"), True),
        ("个体工商户呢？", ("city", "x", "district"), True),
        ("What about sole traders?", ("city", "district"), True),
        # fourth, or not ranked at all
        ("那北交所呢？", ("city", "x", "y", "district"), False),
        ("那北交所呢？", ("city", "x"), False),
        # already first: nothing to move
        ("那北交所呢？", ("district", "city"), False),
        # a question of its own added ("另外，…", "还有，…"), or none worded as a follow-up
        ("另外，外贸企业第一次做远期结售汇有补贴吗？", ("city", "district"), False),
        ("还有，评估费补多少？", ("city", "district"), False),
        ("北交所上市奖励多少？", ("city", "district"), False),
    ],
)
def test_a_follow_up_answered_well_alone_stays_with_the_previous_document_it_ranks(
    text: str, ranked: tuple[str, ...], also: bool
) -> None:
    """ "区里对主板上市每个阶段给多少？" then "那北交所呢？": the city's measure answers it well
    alone, but the asker is still reading the district's (jihu, written blind)."""
    previous = Turn("区里对主板上市每个阶段给多少？", "district", "霁湖区支持企业上市若干措施")
    assert previous_also_answers(_answered(*ranked), text, previous) is also


def test_a_notice_naming_the_previous_measure_keeps_a_follow_up_it_answers_alone() -> None:
    """ "那北交所呢？" after the city's listing reward, answered well alone by a notice that
    raised the measure's 北交所 amounts: the notice names the measure (by its name or 文号),
    so the follow-up keeps the notice's answer rather than the measure's older figures (panxi)."""
    measure = SimpleNamespace(
        doc=SimpleNamespace(
            meta=DocumentMeta(
                title="磐溪市人民政府关于印发《磐溪市推动企业上市挂牌高质量发展若干措施》的通知",
                doc_number="磐政发〔2025〕3号",
            )
        )
    )
    texts = {
        "notice": "现对《磐溪市推动企业上市挂牌高质量发展若干措施》部分奖励标准调整如下：",
        "by_number": "磐政发〔2025〕3号其他规定不变。",
        "other": "企业在北京证券交易所上市的，市级给予奖励。",
    }
    snap = SimpleNamespace(
        docs={"measure": measure, **{k: measure for k in texts}},
        document_text=lambda doc_id: texts[doc_id],
    )
    assert cites_document(snap, "notice", "measure")  # type: ignore[arg-type]
    assert cites_document(snap, "by_number", "measure")  # type: ignore[arg-type]
    assert not cites_document(snap, "other", "measure")  # type: ignore[arg-type]
    assert not cites_document(snap, None, "measure")  # type: ignore[arg-type]


_COUNTY = (
    "# 关于印发《鸾溪县推进企业上市挂牌若干措施》的通知\n\n- 施行日期：2025年4月1日\n\n"
    "## （二）区域性股权市场挂牌\n\n企业在宛澄股权交易中心专精特新专板挂牌的，县级给予奖励20万元。\n"
)
_PROVINCE = (
    "# 宛澄省区域性股权市场支持政策常见问题解答\n\n- 施行日期：2025年7月1日\n\n"
    "## 2. 问：在宛澄股交中心专精特新专板挂牌，省里奖多少？\n\n答：省级财政给予一次性奖励30万元。\n"
)


def test_a_follow_up_asking_another_level_is_searched_with_the_previous_question(
    tmp_path: Path,
) -> None:
    """ "省里呢？" after the county's reward for a listing on the regional equity market: searched
    with the county measure's title alone, the province's answer stayed out of the search
    (luanxi, written blind, 31 documents); with the previous question beside it, the province's
    is quoted. (In this two-document knowledge base both searches find the province's.)"""
    previous = Turn(
        "宛澄股交中心专精特新专板挂牌，县里奖多少？", "county", "关于印发《鸾溪县…》的通知"
    )
    assert with_context(previous, "省里呢？") == "关于印发《鸾溪县…》的通知 省里呢？"
    assert with_context(previous, "省里呢？", another_level=True) == (
        "关于印发《鸾溪县…》的通知 宛澄股交中心专精特新专板挂牌，县里奖多少？ 省里呢？"
    )
    service = _levels_service(tmp_path, "宛澄省皋宁市鸾溪县", county=_COUNTY, province=_PROVINCE)
    first, _, province = _two_turns(
        service, "宛澄股交中心专精特新专板挂牌，县里奖多少？", "省里呢？"
    )
    assert "20万元" in first.hits[0].text
    assert province.band is Band.ANSWER and "30万元" in province.hits[0].text


def _levels_service(tmp_path: Path, setting: str, **documents: str) -> AnswerService:
    """The answer service over the bond reward and these documents (name → Markdown), for a
    deployment set to `setting`."""
    service = bond_service(
        tmp_path, lambda text: 0.05, **{f"{n}.md": t for n, t in documents.items()}
    )
    service.jurisdiction = Jurisdiction.parse(setting)
    return service


def _two_turns(service: AnswerService, first: str, then: str) -> tuple[Answer, Turn, Answer]:
    """The first question's answer (answered), the turn it leaves, the next message's answer."""
    answer = service.answer_sync(first)
    assert answer.band is Band.ANSWER
    turn = turn_of(answer)
    assert turn is not None
    return answer, turn, service.answer_sync(then, previous=turn)
