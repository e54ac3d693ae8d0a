"""Admins manage documents from Telegram; entrepreneurs see the change on their next question."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import numpy as np

from index.encoders import Encoder
from knowledge.models import DocStatus
from tests.e2e.conftest import RunningBot, StartBot
from tests.e2e_admin.conftest import (
    ADMIN,
    ADMIN2,
    ENTREPRENEUR,
    POLICY_V1,
    POLICY_V2,
    REPEAL_DECISION,
    index_fingerprint,
)
from tests.fakebot import BotMessage, FakeTelegram
from tests.knowledge.builders import (
    PNG_BYTES,
    make_docx,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_zip_bomb,
)
from tests.knowledge.test_legacy_files import DOC as LEGACY_DOC
from tests.knowledge.test_legacy_files import XLS as LEGACY_XLS

QUESTION = "数字人民币试点企业补贴多少钱？"


def done(m: BotMessage) -> bool:
    return any(mark in m.text for mark in ("✅", "❌", "ℹ️", "请选择"))


async def upload(tg: FakeTelegram, user_id: int, name: str, data: bytes) -> BotMessage:
    admin = tg.user(user_id, "管理员")
    await admin.upload(name, data)
    (msg,) = await admin.wait_for(done, timeout=30)
    return msg


async def ask(tg: FakeTelegram, text: str, user_id: int = ENTREPRENEUR) -> str:
    person = tg.user(user_id, "王总")
    await person.send(text)
    (answer,) = await person.wait_for(timeout=30)
    return answer.text


async def test_upload_shows_progress_and_summary_then_answers(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    msg = await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    shown = [e.text for e in msg.edits] if msg.edits else []
    assert any("正在解析" in s for s in shown), shown  # edited in place: parsing → … → done
    assert "✅ 已导入：《青禾区数字人民币试点企业补贴办法》" in msg.text
    for part in (
        "文号：青金发〔2025〕31号",
        "施行日期：2025-04-01",
        "有效期至：2028-03-31",
        "状态：现行",
        "章节 2 个",
        "文档 ID：digital-rmb",
    ):
        assert part in msg.text, msg.text
    assert "八万元" in await ask(tg, QUESTION)
    (entry,) = await bot.services.audit.recent(action="doc.add")
    assert entry.actor_id == ADMIN and entry.target == "digital-rmb"


async def test_summary_warns_about_missing_date_and_duplicate(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    await start_bot(**admin_settings)
    undated = POLICY_V1.replace("- 施行日期：2025年4月1日\n", "")
    msg = await upload(tg, ADMIN, "undated.md", undated.encode())
    assert "未找到施行日期" in msg.text
    renamed = undated.replace("# 青禾区", "# 另存青禾区").replace("31号", "99号")
    copy = await upload(tg, ADMIN, "copy-of-undated.md", renamed.encode())
    assert "内容相同" in copy.text and "undated" in copy.text


async def test_summary_warns_when_another_document_has_the_same_number(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """A 文号 typed twice (issue 13: two measures numbered alike) is pointed out at once."""
    await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    other = POLICY_V1.replace("数字人民币试点企业补贴办法", "绿色信贷贴息办法")
    admin = tg.user(ADMIN)
    await admin.upload("green-credit.md", other.encode())
    (choice,) = await admin.wait_for(lambda m: bool(m.buttons), timeout=30)
    assert "青金发〔2025〕31号" in choice.text
    await admin.tap("作为新文档")
    (summary,) = await admin.wait_for(lambda m: "✅" in m.text, timeout=30)
    assert "文号 青金发〔2025〕31号 与已有文档 digital-rmb 相同，但标题不同" in summary.text


async def test_replace_keeps_old_as_superseded_never_cited(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    admin = tg.user(ADMIN)
    await admin.upload("digital-rmb-2026.md", POLICY_V2.encode())
    (choice,) = await admin.wait_for(lambda m: "请选择" in m.text)
    assert choice.labels == ["替换", "作为新文档", "取消"]
    await admin.tap("替换")
    (summary,) = await admin.wait_for(lambda m: "✅" in m.text, timeout=30)
    assert "替换了文档 digital-rmb" in summary.text
    docs = {d.doc_id: d for d in bot.services.kb.list()}
    assert docs["digital-rmb"].status == "superseded"
    assert docs["digital-rmb"].replaced_by == "digital-rmb-2026"
    answer = await ask(tg, QUESTION)
    assert "十二万元" in answer and "八万元" not in answer
    assert [e.target for e in await bot.services.audit.recent(action="doc.replace")] == [
        "digital-rmb-2026"
    ]


async def test_conflict_cancel_changes_nothing(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    before = index_fingerprint(bot.settings.index_dir)
    admin = tg.user(ADMIN)
    await admin.upload("digital-rmb-2026.md", POLICY_V2.encode())
    await admin.wait_for(lambda m: "请选择" in m.text)
    await admin.tap("取消")
    (_msg,) = await admin.wait_for(lambda m: "已取消" in m.text)
    assert index_fingerprint(bot.settings.index_dir) == before


async def test_remove_with_confirmation(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    admin = tg.user(ADMIN)
    await admin.command("remove digital-rmb")
    (confirm,) = await admin.wait_for()
    assert "确定从知识库删除《青禾区数字人民币试点企业补贴办法》" in confirm.text
    await admin.tap("确认删除")
    await admin.wait_for(lambda m: "已删除 digital-rmb" in m.text)
    assert "digital-rmb" not in bot.services.kb.store.snapshot().docs
    assert "八万元" not in await ask(tg, QUESTION)
    assert [e.actor_id for e in await bot.services.audit.recent(action="doc.remove")] == [ADMIN]


async def test_docs_list_paged_filtered_and_doc_detail(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    total = len(bot.services.kb.list())
    admin = tg.user(ADMIN)
    await admin.command("docs")
    (page1,) = await admin.wait_for()
    assert f"共 {total} 个，第 1/" in page1.text and "下一页 ▶" in page1.labels
    await admin.tap("下一页 ▶")
    (page2,) = await admin.wait_for()
    assert "第 2/" in page2.text
    await admin.command("docs superseded")
    (old,) = await admin.wait_for()
    superseded = [d for d in bot.services.kb.list() if d.status == "superseded"]
    assert superseded and all(d.doc_id in old.text for d in superseded)
    assert "现行 ·" not in old.text
    await admin.command(f"doc {superseded[0].doc_id}")
    (detail,) = await admin.wait_for()
    assert "章节（" in detail.text and "已废止" in detail.text


async def test_non_admin_upload_is_never_ingested(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    before = index_fingerprint(bot.settings.index_dir)
    user = tg.user(ENTREPRENEUR)
    await user.upload("digital-rmb.md", POLICY_V1.encode())
    (reply,) = await user.wait_for()
    assert "已导入" not in reply.text and "解析" not in reply.text
    await user.command("docs")
    (refusal,) = await user.wait_for()
    assert refusal.text == "此功能仅限管理员使用。"
    assert index_fingerprint(bot.settings.index_dir) == before
    assert "digital-rmb" not in bot.services.kb.store.snapshot().docs


async def test_every_bad_file_leaves_the_index_byte_for_byte(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(max_upload_mb=1, **admin_settings)
    cases: Sequence[tuple[str, bytes, str]] = [
        ("policy.pptx", b"PK\x03\x04 not really", "不支持的文件类型"),  # .xlsx: an FAQ sheet
        ("big.md", ("# 大文件\n\n" + "第一条 内容。\n" * 200_000).encode(), "超过允许的大小上限"),
        ("empty.md", b"", "没有可用的文字内容"),
        ("scan.pdf", make_image_only_pdf(), "没有文字层"),
        ("locked.pdf", make_encrypted_pdf("secret"), "已加密"),
        ("broken.docx", make_docx(paragraphs=["第一条 测试。"])[:300], "已损坏"),
        ("bomb.docx", make_zip_bomb(), "压缩炸弹"),
        ("broken.doc", LEGACY_DOC[:3000], "已损坏"),
        ("image.md", PNG_BYTES * 20, "不是文本"),
    ]
    before = index_fingerprint(bot.settings.index_dir)
    for name, data, reason in cases:
        msg = await upload(tg, ADMIN, name, data)
        assert msg.text.startswith("❌ 未能导入：") and name in msg.text, (name, msg.text)
        assert reason in msg.text, (name, msg.text)
        assert "知识库未作任何改动" in msg.text
        assert index_fingerprint(bot.settings.index_dir) == before, name
    rejected = await bot.services.audit.recent(action="doc.rejected")
    assert len(rejected) == len(cases)


class SlowEncoder:
    """The real encoder, slowed down while embedding passages: a reindex that takes a while."""

    def __init__(self, inner: Encoder, delay: float) -> None:
        self.inner = inner
        self.delay = delay
        # another name: a rebuild takes unchanged vectors from the vector cache by model name,
        # and this one must really encode
        self.name = f"{inner.name}+slow"
        self.dim = inner.dim

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        import time

        time.sleep(self.delay)
        return self.inner.encode_passages(texts)


async def test_questions_are_answered_while_reindex_runs(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot: RunningBot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    store = bot.services.kb.store
    store.encoder = SlowEncoder(store.encoder, 0.15)
    generation = store.snapshot().generation
    admin = tg.user(ADMIN)
    await admin.command("reindex")
    (_started,) = await admin.wait_for(lambda m: "后台重建索引" in m.text)
    answer = await ask(tg, QUESTION)
    assert "八万元" in answer
    assert store.snapshot().generation == generation  # answered from the old index
    assert "✅" not in admin.messages()[-1].text
    await admin.wait_for(lambda m: "索引已重建" in m.text, timeout=60)
    assert store.snapshot().generation == generation + 1
    assert "八万元" in await ask(tg, QUESTION)


async def test_two_admins_uploading_at_once_both_land(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    bot = await start_bot(**admin_settings)
    other = (
        POLICY_V1.replace("数字人民币试点企业补贴办法", "绿色信贷贴息办法")
        .replace("〔2025〕31号", "〔2025〕40号")
        .replace("数字人民币对公钱包并开展受理业务", "绿色项目贷款")
        .replace("受理改造", "绿色改造")
    )
    a, b = await asyncio.gather(
        upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode()),
        upload(tg, ADMIN2, "green-credit.md", other.encode()),
    )
    assert "✅" in a.text and "✅" in b.text
    docs = bot.services.kb.store.snapshot().docs
    assert {"digital-rmb", "green-credit"} <= set(docs)
    # a fresh load from disk sees both (no lost update in the saved generation)
    reloaded = type(bot.services.kb.store)(
        bot.settings.index_dir, store_encoder(bot), bot.services.kb.store.tokenize
    )
    assert {"digital-rmb", "green-credit"} <= set(reloaded.load().docs)
    statuses = reloaded.snapshot().statuses(bot.services.kb.today())
    assert statuses["digital-rmb"].status is DocStatus.CURRENT


def store_encoder(bot: RunningBot) -> Encoder:
    return bot.services.kb.store.encoder


async def test_a_draft_for_comment_is_shown_as_one_and_never_answers(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """The draft proposes 五万元 and says it repeals the measure in force; the admin is told
    it is a draft, and entrepreneurs keep getting the measure in force (八万元)."""
    await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    draft = (
        POLICY_V1.replace("补贴办法\n", "补贴办法（修订征求意见稿）\n")
        .replace("- 文号：青金发〔2025〕31号\n", "")
        .replace("八万元", "五万元")
        + "\n## 第三条 施行日期\n\n本办法自2025年6月1日起施行，原《青禾区数字人民币试点企业补贴办法》"
        "同时废止。\n"
    )
    msg = await upload(tg, ADMIN, "digital-rmb-draft.md", draft.encode())
    assert "✅ 已导入：《青禾区数字人民币试点企业补贴办法（修订征求意见稿）》" in msg.text
    assert "状态：征求意见稿" in msg.text and "这是征求意见稿（草案），尚未生效" in msg.text
    reply = await ask(tg, QUESTION)
    assert "八万元" in reply and "五万元" not in reply


async def test_a_notice_that_stops_an_article_is_shown_on_its_quote(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """The admin uploads a notice stopping the measure's 第二条: the next answer still quotes
    the article (八万元), with the notice and the day it stopped, never as a rule in force."""
    await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    assert "停止执行" not in await ask(tg, QUESTION)
    stop = (
        "# 关于《青禾区数字人民币试点企业补贴办法》部分条款停止执行的通知\n\n"
        "- 发文单位：青禾区地方金融监督管理局\n- 文号：青金发〔2026〕3号\n"
        "- 施行日期：2026年2月1日\n\n"
        "各有关单位：现就《青禾区数字人民币试点企业补贴办法》（青金发〔2025〕31号，以下简称《办法》）"
        "部分条款停止执行有关事项通知如下：\n\n"
        "一、《办法》第二条（补贴标准）自2026年3月1日起停止执行。\n\n"
        "二、《办法》其他条款继续有效。\n"
    )
    msg = await upload(tg, ADMIN, "digital-rmb-stop.md", stop.encode())
    assert "✅ 已导入" in msg.text
    reply = await ask(tg, QUESTION)
    assert "八万元" in reply
    assert "本条自2026年3月1日起停止执行" in reply and "青金发〔2026〕3号" in reply


async def test_a_new_edition_taking_effect_later_is_shown_as_pending_and_announced(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """The admin uploads the next edition of the measure (十万元 from 2099) and replaces the
    measure with it: the new one is listed as not yet in force, and entrepreneurs keep getting
    the measure in force (八万元) under a note that it changes on that day."""
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    later = (
        POLICY_V1.replace("青金发〔2025〕31号", "青金发〔2026〕9号")
        .replace("施行日期：2025年4月1日", "施行日期：2099年1月1日")
        .replace("有效期至：2028年3月31日", "有效期至：2101年12月31日")
        .replace("八万元", "十万元")
    )
    admin = tg.user(ADMIN)
    await admin.upload("digital-rmb-next.md", later.encode())
    await admin.wait_for(lambda m: "请选择" in m.text)
    await admin.tap("替换")  # the admin's own word: it replaces the measure, from its day
    (summary,) = await admin.wait_for(lambda m: "✅" in m.text, timeout=30)
    assert "替换了文档 digital-rmb" in summary.text
    docs = {d.doc_id: d.status for d in bot.services.kb.list()}
    assert (docs["digital-rmb"], docs["digital-rmb-next"]) == ("current", "pending")
    reply = await ask(tg, QUESTION)
    assert reply.startswith(
        "⚠️ 注意：《青禾区数字人民币试点企业补贴办法》自2099年1月1日起施行，将取代现行的"
        "《青禾区数字人民币试点企业补贴办法》；在此之前适用现行规定："
    )
    assert "八万元" in reply and "十万元" not in reply


async def test_a_repeal_decision_takes_the_measures_it_lists_out_of_force(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """The measure never says it was repealed; the decision the admin uploads lists it in a
    table. The summary names what it repealed, the measure is listed as superseded, and the
    entrepreneur is no longer given its subsidy as in force."""
    bot = await start_bot(**admin_settings)
    await upload(tg, ADMIN, "digital-rmb.md", POLICY_V1.encode())
    msg = await upload(tg, ADMIN, "repeal-2026.md", REPEAL_DECISION.encode())
    assert "本文件废止了知识库中的 1 份文件：digital-rmb" in msg.text
    docs = {d.doc_id: d.status for d in bot.services.kb.list()}
    assert (docs["digital-rmb"], docs["repeal-2026"]) == ("superseded", "current")
    reply = await ask(tg, QUESTION)
    assert "八万元" not in reply
    assert "青禾区数字人民币试点企业补贴办法" in reply and "予以废止" in reply


async def test_a_compilation_upload_says_how_many_measures_it_holds(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """A 政策汇编 (session 53) is one file to the admin, read as its measures: the summary
    says so, with no "no 施行日期" warning (the volume's date is none of its measures'), and a
    question on the city's entry is answered from it, citing the volume."""
    from tests.knowledge.test_compilation import VOLUME

    await start_bot(**admin_settings)
    msg = await upload(tg, ADMIN, "compilation-2029.txt", VOLUME.encode())
    assert "✅ 已导入：《湄屿区惠企金融政策汇编（2029年版）》" in msg.text
    assert "已识别为政策汇编：共3项政策" in msg.text, msg.text
    assert "未找到施行日期" not in msg.text
    answer = await ask(tg, "湄屿区绿色贷款贴息的支持标准是什么？")
    assert "收录于《湄屿区惠企金融政策汇编（2029年版）》" in answer, answer


async def test_a_policy_workbook_upload_is_added_as_a_document_and_answered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """An .xlsx 政策清单 (session 54) is a document of the knowledge base, not an FAQ sheet
    (those carry the 问题/答案 header and are still imported as FAQ): the summary says how
    many measures its rows hold, and a question on a row is answered from that row, with
    the rate shown as the sheet shows it."""
    from tests.knowledge.test_workbook import TITLE, policy_list

    await start_bot(**admin_settings)
    msg = await upload(tg, ADMIN, "policy-list-2029.xlsx", policy_list())
    assert f"✅ 已导入：《{TITLE}》" in msg.text, msg.text
    assert "已识别为政策清单：共4项政策" in msg.text, msg.text
    answer = await ask(tg, "茶园抵押贷款贴息标准是多少？")
    assert "按贷款市场报价利率的40%给予贴息" in answer, answer
    assert "收录于《栖桐区惠企金融政策清单（2029年版）》" in answer, answer
    answer = await ask(tg, "茶叶合作社的担保费率是多少？")
    assert "0.50%" in answer, answer


async def test_a_word_compilation_of_bold_titles_and_a_service_guide_are_answered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """A Word 汇编 that names each measure only by a bold line (session 55) is read as its
    measures: the summary counts them, a question on the city's measure is answered citing
    the volume. A 办事指南 drawn as one two-column table answers a question on its fee from
    its 收费标准 field."""
    from tests.knowledge.builders import make_docx
    from tests.knowledge.test_compilation import UNNUMBERED, word_volume

    await start_bot(**admin_settings)
    msg = await upload(tg, ADMIN, "policy-compilation-2030.docx", word_volume(UNNUMBERED))
    assert "✅ 已导入：《柘岭区金融惠企政策汇编（2030年版）》" in msg.text, msg.text
    assert "已识别为政策汇编：共3项政策" in msg.text, msg.text
    answer = await ask(tg, "临沣市对企业上市奖励多少？能和区里的叠加吗？")
    assert "市财政奖励300万元" in answer, answer
    assert "收录于《柘岭区金融惠企政策汇编（2030年版）》" in answer, answer
    guide = [
        ["事项名称", "金融纠纷调解申请"],
        ["实施主体", "柘岭区金融纠纷人民调解委员会，设在区政务服务中心。"],
        ["申请材料", "1.调解申请书；\n2.身份证明；\n3.合同及相关证据材料。"],
        ["承诺办结时限", "收到申请之日起3个工作日内决定是否受理，受理后30日内调结。"],
        ["收费标准", "调解不向当事人收取任何费用"],
        ["办理地点", "柘岭区政务服务中心三楼金融纠纷调解室"],
    ]
    data = make_docx(paragraphs=["金融纠纷调解办事指南"], table=guide)
    msg = await upload(tg, ADMIN, "mediation-guide.docx", data)
    assert "✅ 已导入" in msg.text, msg.text
    answer = await ask(tg, "申请金融纠纷调解收费吗？")
    assert "调解不向当事人收取任何费用" in answer, answer


async def test_a_wechat_article_saved_as_a_web_page_is_added_and_answered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """A bureau explains its measures in its 公众号 and staff save an article from the browser
    (.html, session 56): the upload is added under the article's title, and a question is
    answered from its table, citing it; the page's script and the account's furniture are
    never quoted."""
    from tests.knowledge.test_htmlpage import ARTICLE

    await start_bot(encoder="e5", **admin_settings)
    msg = await upload(tg, ADMIN, "homestay-loan-article.html", ARTICLE.encode("utf-8"))
    assert "✅ 已导入：《【政策速递】一图读懂民宿贷款贴息》" in msg.text, msg.text
    answer = await ask(tg, "精品民宿贷款贴息比例是多少？")
    assert "实付利息的50%" in answer, answer
    assert "一图读懂民宿贷款贴息" in answer, answer
    assert "appmsg" not in answer and "往期推荐" not in answer, answer


async def test_word_97_and_excel_97_files_are_added_and_answered(
    tg: FakeTelegram, start_bot: StartBot, admin_settings: dict[str, object]
) -> None:
    """A bureau's older attachments are .doc and .xls files (session 57): each upload is added
    under its title, and questions are answered from the Word file's article and table and
    from the workbook's row, as from their .docx and .xlsx forms."""
    await start_bot(encoder="e5", **admin_settings)
    msg = await upload(tg, ADMIN, "guarantee-fee-subsidy.doc", LEGACY_DOC)
    assert "✅ 已导入：《示范区中小企业融资担保费补贴办法》" in msg.text, msg.text
    msg = await upload(tg, ADMIN, "guarantee-fees.xls", LEGACY_XLS)
    assert "✅ 已导入：《示范区政府性融资担保收费标准一览表（2025年）》" in msg.text, msg.text
    answer = await ask(tg, "担保代偿补偿申请除了代偿证明还要交什么，多久办结？")
    assert "追偿报告" in answer and "受理后30个工作日" in answer, answer
    answer = await ask(tg, "收费标准一览表里涉农主体的单户上限是多少？")
    assert "涉农主体" in answer and "300万元" in answer, answer
