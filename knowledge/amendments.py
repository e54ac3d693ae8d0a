"""Amending decisions: "关于修改《…办法》部分条款的决定".

A bureau changes a number of a measure in force without reissuing it: "将第九条中的“2000万元”
修改为“3000万元”". The measure's own text keeps the old number, so quoting its 第九条 as it
stands would give a number that no longer applies (the blind 沅州市 knowledge base: every
question on the bridge-loan cap quoted 2000万元 after the decision raised it to 3000万元).
This module reads such a decision: which document it amends and each textual change.

A notice may also stop articles of a measure that otherwise stays in force: "《办法》第八条、
第九条自2026年7月1日起停止执行" (`parse_suspension`). Quoting 第八条 as it stands would present a
rule that no longer applies as current (the blind 溱港市 knowledge base: "山区镇贷款贴息能多给
半个点，现在还有吗？" was answered from the stopped article alone).

A notice that extends a measure's validity may change a few of its numbers for the extended
term: "延期期间，《办法》第八条中“最高不超过1000万元”调整为“最高不超过1500万元”"
(`parse_extension`; the blind 冶山区 knowledge base quoted the old cap as current). A notice
that corrects a measure's words ("第八条中的“1.5%”更正为“1%”") is read the same way
(`parse_correction`).

A notice may change a measure's amounts for a time without rewriting it: "2027年度阶段性提高
《办法》规定的贷款额度…《办法》第四条所列各类人员最高额度分别提高10万元…小微企业创业担保贷款
最高额度由300万元提高至500万元" (`parse_adjustment`; the blind 岑江 knowledge base answered five
questions with the measure's own amounts while the notice was in force). Such a sentence is not
a textual change: it is shown, as written, under the article it adjusts, and the article is
quoted as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from knowledge.dates import cn_small_number, find_date

__all__ = [
    "ARTICLE",
    "Amendment",
    "Change",
    "parse_adjustment",
    "parse_amendment",
    "parse_article_notice",
    "parse_correction",
    "parse_extension",
    "parse_suspension",
]

_NUMERAL = r"[一二三四五六七八九十百零〇\d]+"
_TITLE = re.compile(r"关于修改《(?P<target>[^》]+)》(?:部分条款|有关条款|条款)?的决定")
_QUOTE_OPEN = "“\"「『'‘"
_QUOTE_CLOSE = "”\"」』'’"
# an article (with a 款 or 项 inside it), and "“A”修改为“B”": the words replaced
_ITEM = rf"第[（(]?{_NUMERAL}[）)]?项"  # "第二项", "第（二）项"
_ARTICLE_AT = rf"(?P<article>第{_NUMERAL}条)(?:第{_NUMERAL}款)?(?:{_ITEM})?"
_REPLACED = (
    rf"[{_QUOTE_OPEN}](?P<old>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]"
    rf"(?:修改|修订|调整|变更|更正)为"
    rf"[{_QUOTE_OPEN}](?P<new>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]"
)
_CHANGE = re.compile(rf"将{_ARTICLE_AT}中的{_REPLACED}")
# an article rewritten as a whole: "将第八条修改为：“……”" (quotes inside it are ‘…’)
_REWRITE = re.compile(
    rf"(?P<article>第{_NUMERAL}条)(?:第(?P<paragraph>{_NUMERAL})款)?"
    rf"(?:修改|修订|调整|变更)为[：:]?\s*“(?P<new>[^”]+)”"
)
# an article or one of its paragraphs (款) struck out: "删去第十五条", "删除第二十条第二款"
_DELETED = re.compile(
    rf"(?:删去|删除)(?P<article>第{_NUMERAL}条)(?:第(?P<paragraph>{_NUMERAL})款)?"
)
# a paragraph added to an article: "将第十七条中的…修改为…，并增加一款，作为第二款：“……”" or
# "在第十七条中增加一款：“……”" (the article named last before it, in the same item)
_ADDED_PARAGRAPH = re.compile(
    rf"(?P<article>第{_NUMERAL}条)[^。“”]*?(?:“[^”]*”[^。“”]*?)*?增加一款[^“”。]{{0,12}}?[：:]\s*“(?P<new>[^”]+)”"
)
_NUMBER_AFTER = r"》\s*[（(](?P<number>[^）)]*?〔\d{4}〕\s*\d+\s*号)[）)]"
# a notice that extends a measure's validity: "关于延长《…办法》有效期的通知"
_EXTENSION_TITLE = re.compile(r"延长《(?P<target>[^》]+)》[^《》]{0,6}(?:有效期|期限)")
# … and may change a few of its numbers while it does: "延期期间，《办法》第八条中“最高不超过
# 1000万元”调整为“最高不超过1500万元”；第十条中使用期限在5日（含）以内的资金使用费由“按日
# 0.01%”调整为“按日0.008%”" (the words between the article and the quote say where in it)
_NOTICE_CHANGE = re.compile(
    rf"{_ARTICLE_AT}中[^{_QUOTE_OPEN}{_QUOTE_CLOSE}。；;]{{0,40}}?{_REPLACED}"
)
# … and a further replacement of the same article right after one: "，“70%”调整为“80%”"
_CHAINED_CHANGE = re.compile(rf"\s*[，,、]\s*{_REPLACED}")


@dataclass(frozen=True, slots=True)
class Change:
    article: str  # "第九条"
    old: str  # "2000万元" ("" when the article is rewritten as a whole)
    new: str  # "3000万元", or the article's whole new text
    whole: bool = False  # "将第八条修改为：“……”": the new text replaces the article's
    # … or only its Nth paragraph (款): "将第五条第一款修改为：“……”"; with `new` "", the
    # paragraph is struck out ("删去第二十条第二款")
    paragraph: int = 0
    appended: bool = False  # "增加一款，作为第二款：“……”": `new` follows the article's text
    stopped: bool = False  # "第八条…停止执行": the article no longer applies (old = new = "")
    since: date | None = None  # the day a stop takes effect, when the notice names one
    # a notice's sentence that adjusts the article for a time (阶段性提高), shown under it as
    # written; the article is quoted as it stands. With no article named, `old` is the amount
    # the sentence changes ("由300万元提高至500万元"), which places it on the one article of
    # the measure that writes it (`bot.answers.amendments`)
    clause: str = ""


@dataclass(frozen=True, slots=True)
class Amendment:
    target_title: str  # the amended document's title, as the decision names it
    target_number: str | None  # its 文号, when the decision gives it
    changes: tuple[Change, ...]


def parse_amendment(title: str, text: str) -> Amendment | None:
    """The decision's target and changes; None for any other document, or a decision whose
    changes are not all of the forms "将第N条中的“A”修改为“B”" (words replaced) or "将第N条修改为：
    “……”" (the article rewritten): then nothing is applied, since a partial reading would
    quote a half-amended article (a 款 or 项 rewritten on its own cannot be placed)."""
    named = _TITLE.search(title) or _TITLE.search(text[:300])
    if named is None:
        return None
    target = named.group("target").strip()
    found = [(m.start(), Change(m["article"], m["old"], m["new"])) for m in _CHANGE.finditer(text)]
    found += [
        (m.start(), Change(m["article"], "", _unwrapped(m["new"]), whole=True,
                           paragraph=_paragraph(m["paragraph"])))
        for m in _REWRITE.finditer(text)
    ]  # fmt: skip
    found += [
        (m.start(), _struck_out(m["article"], m["paragraph"])) for m in _DELETED.finditer(text)
    ]
    found += [
        (m.end(), Change(m["article"], "", _unwrapped(m["new"]), appended=True))
        for m in _ADDED_PARAGRAPH.finditer(text)
    ]
    changes = tuple(change for _, change in sorted(found, key=lambda item: item[0]))
    if not changes or _unread_changes(text) > len(changes):
        return None
    number = re.search(re.escape(target) + _NUMBER_AFTER, text)
    return Amendment(target, number.group("number").strip() if number else None, changes)


def _paragraph(numeral: str | None) -> int:
    """The 款's number ("二" → 2); 0 when the change is to the whole article."""
    return cn_small_number(numeral) if numeral else 0


def _struck_out(article: str, paragraph: str | None) -> Change:
    """An article struck out stops applying from the decision's day (quoted, if at all, as
    the rule that was); a paragraph struck out is dropped from the quote."""
    if paragraph:
        return Change(article, "", "", whole=True, paragraph=_paragraph(paragraph))
    return Change(article, "", "", stopped=True)


# a notice (or decision) that changes articles of one measure for good:
# "关于调整《磐溪市产业发展基金管理办法》部分条款的通知"
_ARTICLES_TITLE = re.compile(
    r"关于(?:修改|调整|修订)《(?P<target>[^》]+)》(?:部分|有关)?(?:条款|内容|规定)的(?:决定|通知)"
)


def parse_article_notice(title: str, text: str) -> Amendment | None:
    """The changes of a notice that amends articles of one measure for good without the
    form of a 修改决定 ("一、第七条中“A”调整为“B”。二、第十一条中的让渡比例“60%”调整为“70%”，
    “70%”调整为“80%”": panxi, written blind), read clause by clause as an extension's are
    (`_article_changes`). None for any other document, or one with a change not read (a
    partial reading would quote a half-amended article)."""
    named = _ARTICLES_TITLE.search(title)
    if named is None:
        return None
    flat = _unwrapped(text)
    changes = _article_changes(flat)
    if not changes or _unread_changes(flat) > len(changes):
        return None
    target = named.group("target").strip()
    number = re.search(re.escape(target) + _NUMBER_AFTER, flat)
    return Amendment(target, number.group("number").strip() if number else None, tuple(changes))


def parse_extension(title: str, text: str) -> Amendment | None:
    """The numbers a notice extending a measure's validity changes for the extended term
    ("第八条中“A”调整为“B”"); None for any other document, for an extension that changes
    no article, or for one that changes an article otherwise (a partial reading would quote
    a half-changed article; a change naming no article, "申请受理由区担保公司调整为…", cannot
    be placed on a quote and is left to the notice's own passage). The blind 冶山区
    knowledge base's extension raised the bridge-loan cap from 1000万元 to 1500万元, and its
    measure was quoted with the old cap."""
    named = _EXTENSION_TITLE.search(title) or _EXTENSION_TITLE.search(text[:300])
    if named is None:
        return None
    target = named.group("target").strip()
    flat = _unwrapped(text)  # a PDF's line breaks fall inside sentences
    changes = _article_changes(flat)
    if not changes:
        return None
    numbers = {m["title"]: m["number"] for m in _ALIAS.finditer(flat)}
    number = numbers.get(target)
    return Amendment(target, number.strip() if number else None, tuple(changes))


def parse_correction(title: str, text: str) -> Amendment | None:
    """The words a 更正 (勘误) notice corrects in a measure ("第八条中的“1.5%”更正为“1%”"),
    applied as a 修改决定's are; None for any other document or one that corrects otherwise
    (a partial reading would quote a half-corrected article). The measure is the one the
    title names, or else the one the text gives a short name (以下简称《办法》)."""
    if not re.search(r"更正|勘误", title):
        return None
    flat = _unwrapped(text)
    named = re.search(r"《([^》]+)》", title)
    aliases = _short_names(flat)
    if named is not None:
        target = named.group(1).strip()
        number = next((n for t, n in aliases.values() if t == target), None)
    elif len({t for t, _ in aliases.values()}) == 1:
        target, number = next(iter(aliases.values()))
    else:
        return None
    changes = _article_changes(flat)
    if not changes:
        return None
    return Amendment(target, number.strip() if number else None, tuple(changes))


def _article_changes(flat: str) -> list[Change] | None:
    """Each "第N条中…“A”…为“B”" of a notice, and each "，“C”…为“D”" right after one (the same
    article's), clause by clause; None when a clause changes an article in a way not read."""
    changes: list[Change] = []
    for clause in re.split(r"[。；;]", flat):
        found: list[Change] = []
        for m in _NOTICE_CHANGE.finditer(clause):
            found.append(Change(m["article"], m["old"], m["new"]))
            end = m.end()
            while (chained := _CHAINED_CHANGE.match(clause, end)) is not None:
                found.append(Change(m["article"], chained["old"], chained["new"]))
                end = chained.end()
        if _unread_changes(clause) > len(found) and ARTICLE.search(clause):
            return None  # a change of an article not read: not applied rather than half
        changes += found
    return changes


# a notice that adjusts a measure's amounts for a time: "关于2027年度阶段性提高创业担保贷款额度和
# 贴息标准的通知", "关于调整应急转贷资金使用费标准的通知"
_ADJUSTING_TITLE = re.compile(
    r"阶段性|(?:提高|上调|下调|降低|调整|提升)[^《》]{0,16}?(?:额度|标准|比例|费率|上限|限额|金额)"
)
# "由300万元提高至500万元", "由LPR的50%提高至60%", "由不超过1%阶段性降至不超过0.6%"
_FROM_TO = re.compile(
    r"由(?P<old>[^，,。；;：:由]{1,24}?)(?:阶段性|临时|暂时)?"
    r"(?:提高|上调|下调|降低|调整|提升|放宽|增加|减少|扩大|延长|缩短|[降升增减提])(?:至|为|到)"
    r"(?P<new>[^，,。；;]{1,24})"
)
# the sentence of the notice's own term ("本通知有效期至…，期满后恢复执行《办法》规定的标准")
_OWN_TERM = re.compile(r"有效期|期满|恢复执行|继续执行")
# what leads a sentence but is not the notice's words on the measure: "现将有关事项通知如下：",
# an item's number ("二、", "（一）")
_ITEM_LEAD = re.compile(
    r"^(?:[^。]*?如下[：:])?\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])?\s*"
)
CLAUSE_MAX = 240  # a longer sentence is cut (with …) under the quote


def parse_adjustment(title: str, text: str) -> Amendment | None:
    """The sentences of a notice that adjust one measure's amounts for a time, each on the
    article it names ("《办法》第四条所列…分别提高10万元") or, naming none, with the amount it
    changes ("由300万元提高至500万元"); None for any other document, or a notice that names
    more than one measure by a short name (which of them a sentence adjusts is not read). A
    notice that gives the measure no short name names it with its 文号 ("将《…若干措施》（岱政发
    〔2025〕3号）附件1所列股份制改造补助标准由50万元提高至80万元": daizhou, written blind)."""
    if not _ADJUSTING_TITLE.search(title):
        return None
    flat = _unwrapped(text)
    aliases = _short_names(flat)
    if not aliases:  # named with its 文号 alone: "将《…若干措施》（岱政发〔2025〕3号）附件1所列…"
        aliases = {m["title"]: (m["title"], m["number"]) for m in _CITED.finditer(flat)}
    if len({t for t, _ in aliases.values()}) != 1:
        return None
    alias, (target, number) = next(iter(aliases.items()))
    names = "|".join(re.escape(n) for n in {alias, target})
    named_articles = re.compile(rf"《(?:{names})》((?:[、和及与]?第{_NUMERAL}条)+)")
    changes: list[Change] = []
    for sentence in re.split(r"(?<=。)", flat):
        sentence = _ITEM_LEAD.sub("", sentence.strip())
        if not re.search(r"\d", sentence) or _OWN_TERM.search(sentence):
            continue
        clause = sentence if len(sentence) <= CLAUSE_MAX else sentence[: CLAUSE_MAX - 1] + "…"
        articles = [a for m in named_articles.finditer(sentence) for a in ARTICLE.findall(m[1])]
        if articles:
            changes += [Change(a, "", "", clause=clause) for a in dict.fromkeys(articles)]
            continue
        changes += [
            Change("", m["old"], m["new"], clause=clause)
            for m in _FROM_TO.finditer(sentence)
            if re.search(r"\d", m["old"]) and re.search(r"\d", m["new"])
        ]
    if not changes:
        return None
    return Amendment(target, number.strip() if number else None, tuple(changes))


# "《溱港市小微企业贷款贴息管理办法》（溱财企〔2025〕26号，以下简称《办法》）"
_ALIAS = re.compile(
    r"《(?P<title>[^》]+)》\s*[（(](?:(?P<number>[^）)，,]*?〔\d{4}〕\s*\d+\s*号)\s*[，,、]?\s*)?"
    r"以下简称《(?P<alias>[^》]+)》[）)]"
)
# a measure cited with its 文号: "《岱州市推进企业上市…若干措施》（岱政发〔2025〕3号）"
_CITED = re.compile(
    r"《(?P<title>[^》]+)》\s*[（(](?P<number>[^（）()]{0,20}?〔\d{4}〕\s*\d+\s*号)[）)]"
)
_STOP_VERB = re.compile(r"停止执行|暂停执行|不再执行")
ARTICLE = re.compile(rf"第{_NUMERAL}条")  # "第九条", "第二十六条"
_SINCE = re.compile(r"自(?P<day>[^起，,。；;]{6,16})起")


def parse_suspension(text: str) -> Amendment | None:
    """The articles a notice stops, from a sentence that names the measure (or its short
    name, "以下简称《办法》"), its articles and the stop: "《办法》第八条（…）、第九条（…）自
    2026年7月1日起停止执行". None when no sentence does: a requirement stopped without an
    article number ("…中关于纸质材料的要求同时停止执行") cannot be placed on a quote."""
    flat = _unwrapped(text)  # a PDF's line breaks fall inside sentences
    aliases = _short_names(flat)
    target: tuple[str, str | None] | None = None
    changes: list[Change] = []
    start = 0
    for verb in _STOP_VERB.finditer(flat):
        clause = re.split(r"[。；;：:]", flat[start : verb.start()])[-1]
        start = verb.end()
        named = re.search(r"《([^》]+)》", clause)
        articles = ARTICLE.findall(clause[named.end() :]) if named else []
        if named is None or not articles:
            continue
        title, number = aliases.get(named.group(1), (named.group(1), None))
        if target is not None and target[0] != title:
            return None  # two measures in one notice: not read rather than half read
        target = (title, number)
        since = _SINCE.search(clause)
        day = find_date(since["day"]) if since else None
        changes += [Change(a, "", "", stopped=True, since=day) for a in dict.fromkeys(articles)]
    if target is None:
        return None
    return Amendment(target[0], target[1], tuple(changes))


def _short_names(flat: str) -> dict[str, tuple[str, str | None]]:
    """Each short name a notice gives a measure, with the measure's title and 文号: "《…办法》
    （…〔2025〕26号，以下简称《办法》）" → 办法: (…办法, …〔2025〕26号)."""
    return {m["alias"]: (m["title"], m["number"]) for m in _ALIAS.finditer(flat)}


def _unread_changes(text: str) -> int:
    """How many items say "修改为" at all (the decision's own closing lines aside)."""
    return len(re.findall(r"修改为|修订为|调整为|变更为|更正为", text))


def _unwrapped(text: str) -> str:
    """The text without the line breaks a PDF's lines left inside its sentences."""
    return re.sub(r"\s*\n\s*", "", text).strip()
