"""Is the document an answer would quote the one that speaks of what the question names?

The absent-term check (`absent`) declines a question naming a specific thing (a glossary
term) that no document writes. A near-domain question often names a thing some document
does write, in another context: "企业做期货套期保值，区里给不给手续费补贴？" on the sample,
whose page on the bureau's functions names 证券、期货 firms (期货套期保值 counts as written
since 期货 is), or "保险资金投资本市重点项目有没有奖励？" where a measure elsewhere mentions
保险资金. The search then finds a confident passage of a third document that never mentions the
thing at all (the sample quoted its 股改奖励 article), and the answer quotes it as if it
answered.

So the leading documents are read for the terms the question names:
- the first writes them all: nothing changes;
- it leaves some unwritten, and one of the next (of the first LEADING_DOCUMENTS) writes them
  all: that one is quoted first ("投保环境污染责任保险的企业保费补贴标准是多少？" quoted a
  科技保险 notice ahead of the green-finance measure that names the 环境污染责任保险);
- the first writes none of them and no leading document writes them all: the documents do
  not speak of this thing here, and the question is declined, naming it. A first document
  that writes some of them is left alone: the question is about it, with something else as
  context ("因为理财产品产生纠纷，找调解中心要付费吗？" is about the mediation rules).

A question on a requirement of a kind of body (its 注册资本, 任职资格, 设立条件: `ATTRIBUTES`)
is read more closely, since a bureau's supervision rules name the body, and often the word,
without stating that requirement: "新设立一家小额贷款公司最低注册资本要多少？" finds lanyu's 小贷
rules, which name the capital only among the changes a company must report (第十四条). It is
declined when no passage of the leading documents (with its document's
title) writes the requirement together with every other term the question names. A
requirement given as a condition ("实缴注册资本8亿元的法人银行落户奖励多少") is not asked.
A question asking for a benefit (a 奖励, 补贴, 贴息 … : `BENEFITS`) is read the same way: a
passage must write one of the things it names together with a benefit word. The leading
documents name 天使投资 or 私募基金管理人 in passing and reward other things ("个人天使投资人投了
本地初创企业亏了，政府有损失补偿吗？" on qingang quoted its 天使基金 rules' article on joint
investment with the levels above). A measure
often names the thing in full once and then by its short name ("私募股权投资基金、创业投资基金
（以下统称“基金”）"): a passage writing the short name writes the thing.
A capital must be stated there, with its minimum or amount ("注册资本不低于5000万元"), not only
named ("余额不得超过注册资本的25%"), and with its minimum when the question asks for one
("最低要多少": "力争到2027年末注册资本达到20亿元" is one company's target; session 35: 4
out-of-scope questions on 4 of 24 sets, no in-scope one); and the conditions to set up or approve a body
may be asked in other words ("审批要什么条件"). The materials a procedure asks for are read the
same way ("私募基金管理人在中基协登记需要准备哪些材料？": the registration is another body's, and
a passage must write 材料 with 基金业协会; session 35, 25 sets: 4 out-of-scope questions declined,
none of the 24 in-scope ones that ask for materials). A document quoted first because it writes every
named term is read as closely as a first one (4 more out-of-scope questions on 4 sets, none in
scope).
A detail asked of a thing (`DETAILS`: a date, a phone number or an address, a fund's
存续期, the banks by name) is read the same way: a passage writing every thing the question
names must state it in one of the few ways notices write it, or a document on the question's
matter (its title holds TITLE_RUN of the question's characters) in any passage. The documents
often name a fund or a body and give none of these of it ("市天使投资基金今年申报截止到哪天？",
"省再担保集团的办公地址和电话是多少？": tingbu, written blind, session 57).
Measured on the 21 development sets (issue 13 notes, session 34): the requirement reading
declines 7 out-of-scope questions and no in-scope one; the stated capital and the conditions
in other words (found on lanyu-fresh) 8 more on 7 other sets of 23, and no in-scope one; the
benefit reading 12 out-of-scope questions and, with short names read, no in-scope one
(without them, one: "一只实缴12亿元的创投基金新落户本市，能拿多少落户奖励？").

Only Chinese questions (the terms of an English question are the glossary's Latin ones), and
of a two-part question only its requirements (`_parts_reading`): its terms belong to
different documents by design.
A term written with Latin letters (QFLP, LPR, H股) moves a document but never declines: the
documents often spell it out in Chinese (境外上市外资股 for H股; sample's "做A+H两地上市的话，H股
那部分奖励怎么算？" was declined). Chosen on the 19 development sets (issue 13 notes, session 33): with the
first three documents, first documents right +17, in-scope questions declined +3 (of 2,985),
out-of-scope questions declined +15 (of 1,535); with four to six, fewer of both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from bot.answers.absent import BENEFITS, AbsentTerms
from bot.answers.parts import question_parts
from index.lexicon import cjk_count, has_cjk
from index.snapshot import Snapshot

LEADING_DOCUMENTS: Final = 3
_LATIN = re.compile(r"[A-Za-z]")
# the requirements of a body that its supervision rules may leave to a higher level
# … and the terms of a product or a loan, which a measure may name the product without stating
# ("“续贷通”…的贷款利率是多少？", "逾期的罚息怎么算？": zheling, written blind, session 55): read
# by a leading document that writes the term and any one thing the question names, since a loan
# is named in many words (the table "抵押物 | 抵押率上限" of a measure on 农村产权抵押融资
# answers "土地经营权抵押贷款的抵押率上限", panxi; read in one passage, it was declined)
# … each (`LOAN_TERMS`) also read in the words a measure states it in: a rate as "本金加年化单利3%" (not as any
# 年化, which a 担保费率 and a 贴息 are written in too), a penalty as
# the 逾期利息 or 违约金, a loan-to-value as "评估价值的60%" or "货值的70%" (chaping's "产业基金直投
# 回购的价格咋算，年化利绿多少？" is answered by "本金加年化单利3%", which never writes 利率)
_WRITTEN_AS: Final = {
    "利率": ("利率", "单利", "复利"),
    "罚息": ("罚息", "逾期利息", "违约金"),
    "抵押率": ("抵押率", "评估价值的", "评估值的"),
    "质押率": ("质押率", "货值的", "评估价值的", "评估值的"),
}
LOAN_TERMS: Final = tuple(_WRITTEN_AS)  # 利率, 罚息, 抵押率, 质押率
ATTRIBUTES: Final = ("注册资本", "实缴资本", "任职资格", "设立条件", "审批条件", *LOAN_TERMS)
# the requirement given as a figure, not asked: "注册资本8亿元", "实缴资本不低于5000万"
_GIVEN = re.compile(r"^.{0,3}[0-9０-９一二三四五六七八九十两百千]")
# the capital as the base of a share asked ("单笔当金不得超过注册资本的多少？"): a limit on
# something else, stated as a share of it, not what the body must have (xipu, written blind)
_SHARE_OF = re.compile(r"^的(?:多少|几|百分之|比例|倍|大比例)")
# a change of it, for which a benefit is asked: "法人金融机构增加实缴资本有增资奖励吗？" asks
# for the 增资奖励, not for the capital a body must have (hongjiang, after its blind run)
_CHANGED = re.compile(r"(?:增加|新增|追加|补充|提高|扩大)$")


@dataclass(frozen=True)
class NamedReading:
    """What the leading documents say of the question's named terms."""

    first: str | None = None  # the document to quote first, when not the search's first
    unspoken: str | None = None  # the term none of them speaks of where the question asks it
    # the requirement asked (注册资本) and the terms it is asked of (小额贷款公司), which no
    # passage of the leading documents writes together
    unstated: tuple[str, tuple[str, ...]] | None = None
    # a thing a benefit is asked for that no passage of the leading documents grants one for
    unrewarded: str | None = None


def read_named(
    absent: AbsentTerms,
    snap: Snapshot,
    question: str,
    leading: Sequence[str],
    also: Sequence[str] = (),
) -> NamedReading:
    """`leading`: the documents in the order the answer would quote them (at most
    LEADING_DOCUMENTS are read); `also`: documents read after them for one that writes
    every named term (the keyword search's first, when the fused order left it out)."""
    if not leading or not has_cjk(question):
        return NamedReading()
    parts = question_parts(question)
    product = _product_term_unstated(absent, snap, question, parts, leading)
    if product is not None:
        return NamedReading(unstated=product)
    named = absent.named_written(snap, question)
    if not named:
        return _body_detail_reading(absent, snap, question, parts, leading)
    if len(parts) >= 2:
        return _parts_reading(absent, snap, parts, leading, named)
    missing = absent.unwritten_by(snap, leading[0], named)
    if not missing:
        return _closer_reading(absent, snap, question, leading, named)
    for doc_id in [*leading[1:LEADING_DOCUMENTS], *also]:
        if not absent.unwritten_by(snap, doc_id, named):
            # quoted first, and read as closely as a first document that writes them all
            reordered = [doc_id, *(other for other in leading if other != doc_id)]
            closer = _closer_reading(absent, snap, question, reordered, named)
            return replace(closer, first=doc_id)
    chinese = [term for term in missing if not _LATIN.search(term)]
    if len(missing) == len(named) and chinese:
        return NamedReading(unspoken=chinese[0])
    return _closer_reading(absent, snap, question, leading, named)


# a coined product the question names in quotes: "“汀融续贷通”的贷款利率是多少？"
_QUOTED_NAME = re.compile(r"[“\"「『]([^”\"」』]{2,12})[”\"」』]")


# a body or a platform a question names in its own words: a coined name in quotes, or one
# ending in what such places are called ("区企业续贷服务中心", "首贷服务站")
_BODY_NAMED = re.compile(r"[\u4e00-\u9fff]{2,10}?(?:服务中心|服务站|服务港|服务大厅|平台|窗口)")


def _body_detail_reading(
    absent: AbsentTerms,
    snap: Snapshot,
    question: str,
    parts: Sequence[str],
    leading: Sequence[str],
) -> NamedReading:
    """A detail (`DETAILS`) asked of a body or a platform no glossary term names ("区企业续
    贷服务中心的咨询电话是多少？", "“汐企金服”平台的客服电话是多少？"; xipu, written blind): read
    as a glossary term's would be, of the name as the question writes it, where a leading
    document writes that name; a name none writes is left to the other checks."""
    asked = asked_detail(question)
    if asked is None or len(parts) >= 2:
        return NamedReading()
    names = [m.group(1) for m in _QUOTED_NAME.finditer(question)]
    names += [m.group(0) for m in _BODY_NAMED.finditer(question)]
    documents = leading[:LEADING_DOCUMENTS]
    written = tuple(
        name
        for name in dict.fromkeys(names)
        if next(absent.passages_writing(snap, documents, [name], every=False), None) is not None
    )
    if not written or _detail_stated(absent, snap, documents, DETAILS[asked][1], written, question):
        return NamedReading()
    return NamedReading(unstated=(asked, written))


def _product_term_unstated(
    absent: AbsentTerms,
    snap: Snapshot,
    question: str,
    parts: Sequence[str],
    leading: Sequence[str],
) -> tuple[str, tuple[str, ...]] | None:
    """A loan's term asked of a product the question quotes, which no passage of the leading
    documents writes together with it: the term and the product. A product is named in one
    word, so its passage is where its terms are (tingbu, written blind: "“汀融续贷通”的贷款利率
    是多少？" and "“老码头民宿贷”的年利率是多少？" were answered from the products' passages,
    which give no rate, because a 百问百答 writes 利率 elsewhere); a glossary term's reading
    stays per document (`_stated`)."""
    if len(parts) >= 2:
        return None
    asked = asked_requirement(question)
    names = [m.group(1) for m in _QUOTED_NAME.finditer(question)]
    if asked not in LOAN_TERMS or not names:
        return None
    documents = leading[:LEADING_DOCUMENTS]
    for name in names:
        texts = list(absent.passages_writing(snap, documents, [name], every=False))
        if texts and not any(form in text for text in texts for form in _WRITTEN_AS[asked]):
            return asked, (name,)
    return None


def _parts_reading(
    absent: AbsentTerms,
    snap: Snapshot,
    parts: Sequence[str],
    leading: Sequence[str],
    named: list[str],
) -> NamedReading:
    """A two-part question's terms belong to different documents by design, so none is
    read as unspoken and no document is moved; but a part that asks a requirement of a body
    is read as closely as a question of its own: of the terms it names, or, where it names
    only the requirement, of the whole question's (its subject is in the other part: "想开
    一家典当行，要哪些审批，注册资本最低多少？" asks the 典当行's capital, which the documents
    name and never state). 29 sets (session 39): 8 out-of-scope questions declined on 7
    sets, no in-scope one. A part asking a benefit is not read so: the leading documents
    are the whole question's, not the part's, and read for its benefit they declined 5
    in-scope questions for 1 out-of-scope one."""
    for part in parts:
        asked = asked_requirement(part)
        if asked is None:
            continue
        own = [term for term in named if term in part]
        alone = _asked_of(asked, own) or _has_own_subject(part, asked)
        reading = _closer_reading(absent, snap, part, leading, own if alone else named)
        if reading.unstated is not None:
            return reading
    return NamedReading()


# a capital stated as a requirement: "实缴注册资本不低于1000万元", "注册资本为5000万元" (not
# "余额不得超过注册资本的25%", which names the capital as a measure of something else)
_CAPITALS: Final = ("注册资本", "实缴资本")
_CAPITAL = f"(?:{'|'.join(_CAPITALS)})"
# the characters between a capital and its minimum in one sentence: "注册资本应为一次性实缴货
# 币资本：在中心城区设立的不低于2亿元" (yuwan, written blind) has 20; 8 until session 51
CAPITAL_GAP: Final = 24
# the words that state a minimum, a few characters after the capital they bound
_MINIMUM = "(?:不低于|不少于|不得低于|最低|至少)"
_CAPITAL_STATED = re.compile(
    rf"{_CAPITAL}[^。；;]{{0,{CAPITAL_GAP}}}?(?:{_MINIMUM}|达到)"
    rf"|{_CAPITAL}[^。；;，,]{{0,4}}?[0-9０-９一二三四五六七八九十百千两]+(?:\.\d+)?(?:万|亿)"
)
# a capital asked as a minimum ("最低要多少"), which a passage states as one ("不低于1亿元"),
# not as one company's amount or target ("力争到2027年末注册资本达到20亿元": luting)
MINIMUM_ASKED = re.compile(r"最低|最少|至少|起码|门槛|起步")
_MINIMUM_STATED = re.compile(
    rf"{_CAPITAL}[^。；;]{{0,{CAPITAL_GAP}}}?{_MINIMUM}"
    rf"|{_CAPITAL}[^。；;，,]{{0,12}}?(?:万|亿)元?(?:人民币)?以上"
)
# the conditions to set up or approve a body, in other words: "审批要什么条件"
_CONDITIONS_ASKED = re.compile(r"(设立|审批|准入)[^，。？?]{0,4}条件")
# the materials a procedure asks for: "在中基协登记需要准备哪些材料？" (the registration is
# another body's; the documents name it as a condition and list their own 申报材料)
_MATERIALS_ASKED = re.compile(
    r"(?:准备|提交|提供|带|交)(?:哪些|什么|啥)材料|材料(?:有哪些|是什么|要哪些)"
)
# "想在片区设立一家民营融资担保公司，需要满足哪些条件？": the body named between
_SETTING_UP_CONDITIONS = re.compile(r"(?:设立|新设|开设|开办)[^。？?]{2,20}?(?:哪些|什么|啥)条件")


# A detail of a thing written in few ways, which a passage on the thing either states or
# does not: a day or month ("申报截止到哪天？", "每年几月份集中受理？"), a phone number or an
# address, a fund's term of existence. The documents often name the thing and never give that
# detail (tingbu, written blind: "市天使投资基金今年申报截止到哪天？" was answered with the
# fund's 返投 rule, "省再担保集团的办公地址和电话是多少？" with the 再担保 share); a passage
# must state it together with every thing the question names. The patterns are the ways
# Chinese notices write a date, a number to call, a street address.
_NUMBER = r"[0-9０-９一二三四五六七八九十]"
# the words that name a bank's or an insurer's role, not the bank; and 人民银行, the central
# bank, whose 征信 a guide's materials name, takes no part as a lender (tingbu, written blind:
# "风险补偿资金池的合作银行具体是哪几家？" was answered by the 入库 row's 征信 authorisation)
_ROLES: Final = (
    "人民", "合作", "商业", "政策", "相关", "指定", "承办", "经办", "贷款", "放款", "各家", "有关",
    "金融", "参与", "入围", "签约", "国有", "股份", "村镇", "各类", "承保", "保险",
    "责任", "财产", "人身", "社会", "开户", "托管", "主办", "中资", "外资", "境内", "境外",
    *"由向经与及或等家在到的各该从对为是",
)  # fmt: skip
DETAILS: Final = {
    "具体日期": (
        re.compile(r"截止|几月份|几号|哪天|哪一天|几月前|几月底|哪个月"),
        re.compile(
            rf"{_NUMBER}{{1,3}}月|年底|年末|月底|月末|季末|季度末|第[一二三四]季度|上半年|下半年"
        ),
    ),
    # a number to call is stated only as a number ("0719-5566123", "6829 1146", "6837-2210"): a named
    # 服务中心 is where to go, not what to dial (xipu, written blind: "区企业续贷服务中心的咨询
    # 电话是多少？" was answered with the centre's name)
    "联系电话": (
        re.compile(r"电话|联系方式|热线"),
        re.compile(r"\d{5,}|\d{3,4}[-－—]\d{7,8}|(?<!\d)\d{4}[-－— \u3000]\d{4}(?!\d)"),
    ),
    "地址": (
        # not "在哪里办": a procedure is done at an agency or on a platform, which its
        # measure names without an address ("活体抵压贷款在哪里办登记？", chaping)
        re.compile(r"地址|办公地点|位于什么|在什么地方"),
        re.compile(r"[路街道巷]\d+号|\d+号楼|\d+楼|\d+层|\d+室|大厦|大楼|服务中心|服务大厅|窗口"),
    ),
    "存续期": (re.compile(r"存续期"), re.compile(r"存续")),
    # the banks or insurers that take part, by name ("沅川银行泾屏分行、汀埠农商行"), not by
    # their role ("合作银行", "承保机构")
    "具体机构": (
        re.compile(
            r"哪[几些]家|哪家(?:银行|保险)|哪些(?:银行|保险公司|保险机构|金融机构|券商)|"
            r"合作银行[^？?。]{0,6}哪"
        ),
        re.compile(
            r"[\u4e00-\u9fff]{2}"
            + "".join(f"(?<!{w})" for w in _ROLES)
            + r"(?:银行|农商行|财险|产险|人寿|保险股份|证券股份|证券有限)"
        ),
    ),
}


def asked_detail(question: str) -> str | None:
    """The detail (`DETAILS`) the question asks of what it names, if any."""
    return next((name for name, (asked, _) in DETAILS.items() if asked.search(question)), None)


def asked_requirement(question: str) -> str | None:
    """The requirement of a body the question asks about (`ATTRIBUTES`), unless it gives
    it as a figure; the conditions to set up or approve one; the materials a procedure
    asks for; a detail (`DETAILS`)."""
    for attribute in ATTRIBUTES:
        at = question.find(attribute)
        after = question[at + len(attribute) :]
        if at < 0 or _GIVEN.match(after) or _SHARE_OF.match(after):
            continue
        if _CHANGED.search(question[:at]) and _names_benefit(question):
            continue  # a benefit for raising it is asked, not the requirement (`_CHANGED`)
        return attribute
    if _MATERIALS_ASKED.search(question):
        return "材料"
    conditions = _CONDITIONS_ASKED.search(question)
    if conditions is not None:
        return conditions.group(1) + "条件"
    if _SETTING_UP_CONDITIONS.search(question):
        return "设立条件"
    return asked_detail(question)


# the words of a part that only ask ("最低多少", "要带哪些材料"), around its requirement
_ASKING_WORDS: Final = re.compile(
    r"需要|要|得|准备|提交|提供|带|交|哪些|什么|啥|多少|几|最低|最少|至少|起码|门槛|起步|"
    r"是|有|吗|呢|怎么|如何|的|了"
)


def _has_own_subject(part: str, requirement: str) -> bool:
    """The part names what it asks the requirement of, in words the glossary does not hold
    ("办民宿贴息要带哪些材料？": 民宿贴息), so the other part's terms are not its subject. A
    part that is only the requirement asked ("注册资本最低多少？") takes its subject from the
    other part (lishan, session 50: a 民宿 materials question was read for the other part's
    产业基金 and declined)."""
    rest = _ASKING_WORDS.sub("", part.replace(requirement, ""))
    return cjk_count(rest) >= 2


def _asked_of(requirement: str, named: Sequence[str]) -> tuple[str, ...]:
    """The named terms the requirement is asked of: those that are not it, nor hold it, nor
    another requirement (given as a condition: "注册资本5亿元的小额贷款公司贷款利率…")."""
    return tuple(
        term
        for term in named
        if requirement not in term and term not in requirement and term not in ATTRIBUTES
    )


def _states(requirement: str, passage: str, question: str) -> bool:
    """The passage (which writes the requirement) states it: a capital with its minimum or
    amount, with its minimum when the question asks for one; other requirements by being
    written at all."""
    if requirement not in _CAPITALS:
        return True
    stated = _MINIMUM_STATED if MINIMUM_ASKED.search(question) else _CAPITAL_STATED
    return stated.search(passage) is not None


def _stated(
    absent: AbsentTerms,
    snap: Snapshot,
    documents: Sequence[str],
    asked: str,
    of: Sequence[str],
    question: str,
) -> bool:
    """A leading document states the requirement of what it is asked of: a loan's term in a
    document that writes it and one of those things (`LOAN_TERMS`), any other in one passage
    that writes it with every one of them."""
    if asked in LOAN_TERMS:
        return any(
            _writes(absent, snap, doc, _WRITTEN_AS[asked]) and _writes(absent, snap, doc, of)
            for doc in documents
        )
    if asked in DETAILS:
        return _detail_stated(absent, snap, documents, DETAILS[asked][1], of, question)
    together = absent.passages_writing(snap, documents, (asked, *of), every=True, own_subject=True)
    return any(_states(asked, text, question) for text in together)


# the characters of the question a document's title writes in one run when the document is
# on what the question asks of: "降费补助" of "担保公司那个降费补助啥时候截止报？" in "关于组织
# 申报2029年度融资担保降费补助资金的通知" (fengzhu; a notice names its applicants in one
# section and its deadline in another)
TITLE_RUN: Final = 4


def _detail_stated(
    absent: AbsentTerms,
    snap: Snapshot,
    documents: Sequence[str],
    stated: re.Pattern[str],
    of: Sequence[str],
    question: str,
) -> bool:
    """A passage writing every thing the question names states the detail; or a document
    whose title holds a run of TITLE_RUN of the question's characters, and which writes those
    things, states it in any passage: the document is on the question's matter."""
    together = absent.passages_writing(snap, documents, of, every=True, own_subject=True)
    if any(stated.search(text) for text in together):
        return True
    for doc_id in documents:
        entry = snap.docs.get(doc_id)
        if entry is None or not _shares_run(question, entry.doc.meta.title or ""):
            continue
        if all(_writes(absent, snap, doc_id, [term]) for term in of) and any(
            stated.search(text) for text in absent.passages_writing(snap, [doc_id], (), every=True)
        ):
            return True
    return False


def _shares_run(question: str, title: str) -> bool:
    """The title writes TITLE_RUN consecutive characters of the question (CJK only)."""
    return any(
        cjk_count(run) == TITLE_RUN and run in title
        for run in (question[i : i + TITLE_RUN] for i in range(len(question) - TITLE_RUN + 1))
    )


def _writes(absent: AbsentTerms, snap: Snapshot, doc_id: str, terms: Sequence[str]) -> bool:
    """A passage of the document writes one of the terms."""
    return next(absent.passages_writing(snap, [doc_id], terms, every=False), None) is not None


def _closer_reading(
    absent: AbsentTerms, snap: Snapshot, question: str, leading: Sequence[str], named: list[str]
) -> NamedReading:
    """The leading documents speak of what the question names; do they state what it asks
    of it? A requirement (`ATTRIBUTES`) must be written with every other term the question
    names, and a benefit (`BENEFITS`) with one of the things it is asked for, in one passage
    (its document's title and the document's own short names counted)."""
    documents = leading[:LEADING_DOCUMENTS]
    asked = asked_requirement(question)
    if asked is not None:
        of = _asked_of(asked, named)
        if not of or _stated(absent, snap, documents, asked, of, question):
            return NamedReading()
        return NamedReading(unstated=(asked, of))
    if not _names_benefit(question):
        return NamedReading()
    things = [t for t in named if not _LATIN.search(t) and not _names_benefit(t)]
    if not things or any(
        _names_benefit(text)
        for text in absent.passages_writing(snap, documents, things, every=False)
    ):
        return NamedReading()
    return NamedReading(unrewarded=things[0])


def _names_benefit(text: str) -> bool:
    return any(benefit in text for benefit in BENEFITS)
