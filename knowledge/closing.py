"""Metadata that official documents carry in their body, not in a header block.

A bureau's own files are rarely written with `施行日期：` lines. The facts sit where the
official format (GB/T 9704) puts them: the 文号 under the title, the validity and the
repeal of the earlier version in the closing article ("本办法自2025年3月1日起施行，有效期
五年。原《…》（…〔2021〕…号）同时废止。"), and the issuing agencies with the 成文日期
at the end (落款). Reading them from there is what lets a superseded or expired document be
recognised without anyone retyping its dates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from knowledge.dates import cn_small_number, find_date

DOC_NUMBER: Final = re.compile(
    r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号$"
)
# 发文机关标志: the issuing agency printed above the title ("北京市财政局文件", "财政部").
MASTHEAD: Final = re.compile(
    r"^[\u4e00-\u9fff（）()、\s]{2,40}?(?:局|委|厅|办|政府|中心|委员会|办公室|办公厅|部|署|行|会)"
    r"(?:文件)?$"
)
_DATE_LINE = re.compile(
    r"^[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{1,6}月.{1,6}[日号]\s*[）)]?$"
)
_TRAILING_NOTE = re.compile(r"^[（(][^（()）]{1,30}[）)]$")  # （此件公开发布）
_SIGNATURE_LINE = re.compile(r"^[\u4e00-\u9fff（）()“”\"·]{2,40}$")
_MAX_SIGNERS: Final = 6
# how far into a body a cover letter's 落款 is looked for (`cover_signature`)
_COVER_LINES: Final = 14
_MAX_TAIL: Final = 16  # the second line of a wrapped title: "的通知", "（试行）的通知"
# a first line ending in these opens a "关于印发《…》的通知" frame the next line closes
_OPEN_FRAME: Final = ("关于印发", "关于转发", "关于公布", "关于发布")
# what a reading of a measure calls itself on the line under the measure's name:
# "《…奖励办法（2026年修订）》" / "政策问答"
_READING_KIND: Final = re.compile(r"^(?:政策|相关)?(?:问答|解读|答记者问|问题解答|常见问题解答)$")
# the words that mark a text put out for comment, not a rule (`metadata.is_draft`)
DRAFT_MARKERS: Final = "征求意见稿|草案|送审稿|讨论稿"
# an edition printed under the title: "（2025年版）", "（2026年修订版）", "（试行）", "（征求意见稿）"
_EDITION: Final = re.compile(
    rf"^[（(][^（）()]{{0,12}}(?:版|试行|修订|修正|暂行|{DRAFT_MARKERS})[^（）()]{{0,4}}[）)]$"
)
# the period a document runs: 有效期 and the words notices use for it (执行期限, 实施期), and a
# pilot's (试点期限: "本办法试点期限为2026年7月1日至2028年6月30日，试点期满自动失效")
_PERIOD = r"(?:有效|执行|实施|施行|试行|试点)期限?"
# "有效期至2027年12月31日", "有效期为2025年1月1日至2025年12月31日",
# "执行期限自2025年1月1日起至2025年12月31日止"
_VALID_UNTIL = re.compile(
    rf"{_PERIOD}(?:为|暂定为|是)?(?:自|从)?[^，。；,;至到延]{{0,16}}?(?:至|到)\s*([^，。；,;]{{6,20}})"
    # "有效期：2022年9月1日—2024年8月31日", "执行期限 2022.9.1-2024.8.31"
    rf"|{_PERIOD}[：:\s为]*[^，。；,;至到延—－~～-]{{6,16}}?\s*[—－~～-]{{1,2}}\s*([^，。；,;]{{6,20}})"
)
# the words a document calls itself by: "本办法", "本通知"
_DOCUMENT_WORDS = r"(?:通知|办法|措施|细则|方案|规定|意见|政策|指南|公告|规则)"
_ITSELF = rf"本{_DOCUMENT_WORDS}"
# … or just before its period, without 本: "政策有效期两年", "文件有效期三年"
_NAMED_BEFORE = re.compile(rf"(?:{_DOCUMENT_WORDS}|文件)$")
# "本通知自2025年1月1日起执行至2025年12月31日", "…起施行，至2026年6月30日止", and without its
# start, as a 公众号 article ends: "本政策执行至2030年12月31日" (tingbu, written blind: an
# article on a measure that had ended was read as in force)
_RUNS_UNTIL = re.compile(
    rf"{_ITSELF}[^。；]{{0,6}}?"
    r"自[^，。；,;]{6,20}?起(?:施行|实施|执行|生效)?[，,]?\s*(?:执行|实施|施行)?(?:至|到)\s*"
    r"([^，。；,;]{6,20})"
    rf"|{_ITSELF}(?:执行|实施|施行|有效)(?:期)?(?:至|到)\s*([^，。；,;]{{6,20}})"
)
# "有效期五年", "有效期限为两年", "试行期2年", "实施期限暂定为3年"
_VALID_FOR = re.compile(
    rf"{_PERIOD}(?:为|暂定为|是)?\s*([一二两三四五六七八九十\d]{{1,3}})\s*(?:个)?年"
)
_LONG_TERM = re.compile(r"长期有效|有效期(?:为)?长期")
# … said of the document, not of something its rules grant: "本办法自…起施行，有效期5年", not
# "企业在线授权，授权有效期为1年" (a blind KB's platform measure was read as lapsed a year on)
_OF_ITSELF = re.compile(rf"{_ITSELF}|施行|实施|执行|生效|印发之日|发布之日")
_SENTENCE_START = re.compile(r"[。；;\n]")
_REPEAL = re.compile(
    # not "本办法已被《…》废止", which a page prints over a repealed measure: the measure named
    # repeals this one (`replaced_by_body`), not the other way round (xipu, written blind)
    r"(?:原|此前印发的|\d{4}年印发的)?(?<!被)《([^》]{2,80})》\s*"
    r"(?:[（(]\s*([^）)]{3,30}?)\s*[）)])?\s*"
    # … or on a day of its own: "《…办法》（岱金办〔2023〕25号）自2027年7月1日起废止" (daizhou,
    # written blind: the measure replaced in the middle of the year was read as in force)
    r"(?:自[^，,。；;《》]{6,16}?起\s*)?(?:同时|即行|予以)?(?:废止|停止执行)"
)
# … and with the verb first: "决定停止执行《…办法（试行）》（…〔2023〕30号，以下简称原办法）",
# "现决定废止《…》" (a notice that stops a measure before its own 有效期 ends)
_REPEAL_FIRST = re.compile(
    r"(?:决定|予以|现)\s*(?:废止|停止执行|停止实施)\s*《([^》]{2,80})》\s*"
    r"(?:[（(]\s*([^）)]{3,40}?)\s*[）)])?"
)


# the words a 延期通知 extends a period with
_EXTENDED_TO = r"(?:延长至|延长到|延期至|延续至|顺延至|展期至)"
# 延期通知: "《…办法》（棠金服〔2023〕5号）有效期延长至2027年12月31日"
_EXTENSION = re.compile(
    r"《([^》]{2,80})》\s*(?:[（(]\s*([^）)]{3,30}?)\s*[）)])?\s*(?:的)?有效期\s*"
    rf"{_EXTENDED_TO}\s*([^，。；,;）)]{{6,20}})"
)


# "苇金服〔2023〕26号文件有效期延长至2027年12月31日": a 延期通知 that names its measure by 文号
_NUMBERED_EXTENSION = re.compile(
    r"([\u4e00-\u9fff]{1,12}[〔［\[]\s*\d{4}\s*[〕］\]]\s*\d{1,4}\s*号)\s*(?:文件|文)?\s*(?:的)?有效期\s*"
    rf"{_EXTENDED_TO}\s*([^，。；,;）)]{{6,20}})"
)
# where the body cites a document with its 文号: "《关于开展…的通知》（苇金服〔2023〕26号）"
_CITED_WITH_NUMBER = re.compile(r"《([^》]{2,80})》\s*[（(]\s*([^）)]{3,30}?)\s*[）)]")


# "《澜川省中小企业应急转贷资金管理办法》（澜金管发〔2023〕22号，以下简称《办法》）": the short
# name the rest of the notice uses for the measure ("一、《办法》有效期延长至2027年12月31日")
_SHORT_NAME = re.compile(
    r"《([^》]{2,80})》\s*[（(]([^（()）]{0,40}?)[，,、；;]?\s*(?:以下简称|下称|简称)\s*"
    r"[《“\"]([^》”\"]{1,20})[》”\"]\s*[）)]"
)


_CITED_BEFORE = re.compile(r"《([^》]{1,80})》\s*(?:[（(][^（()）]{0,60}[）)])?\s*(?:的)?\s*$")


@dataclass(frozen=True, slots=True)
class Extension:
    """A document's 有效期 extended by another: which one (title, 文号) and to when."""

    title: str
    number: str | None
    until: date


@dataclass(frozen=True, slots=True)
class Signature:
    """The 落款: issuing agencies and the 成文日期."""

    issuer: str | None
    signed: date | None


def split_title_lines(body: str, title: str) -> tuple[str, str | None]:
    """Drop what opens an official document before its text: the 发文机关标志 (agency
    masthead), the 文号 line and the title line, in the first few lines; keep the 文号."""
    lines = body.split("\n")
    index = _skip_blank(lines, 0)
    number: str | None = None
    opened = False
    for _ in range(4):
        if index >= len(lines):
            break
        line = lines[index].strip()
        following = _skip_blank(lines, index + 1)
        if _same(line, title):
            opened = True
        elif following < len(lines) and _same(line + lines[following].strip(), title):
            opened, index = True, following  # a title wrapped over two lines
        elif DOC_NUMBER.match(line) and number is None:
            number = re.sub(r"\s+", "", line)
            opened = True
        elif MASTHEAD.match(line) and not _same(line, title) and index + 1 < len(lines):
            opened = True
        else:
            break
        index = _skip_blank(lines, index + 1)
    if not opened:
        return body, None
    return "\n".join(lines[index:]), number


def wrapped_title(first: str, second: str) -> str | None:
    """A title printed over two lines ("关于延长《…办法》有效期" / "的通知", as a PDF wraps
    it): the first line does not end as a title does and the short second line completes it;
    or an edition under the title ("办事指南" / "（2026年修订版）", "…办法" / "（征求意见稿）"),
    which tells one year's guide from another's, and a draft from the rule in force; or the
    kind of reading under the name of the measure it reads ("《…办法》" / "政策问答"), which
    tells the 问答 from the measure (it was titled as the measure itself, session 38); or the
    measure's name under the issuers' "…关于印发", however long. Read alone, the first line was
    the title and the second a passage of its own."""
    first, second = first.strip(), second.strip()
    if not first or not second:
        return None
    if first.endswith(_OPEN_FRAME) and second.startswith("《"):
        # "…财政局关于印发" / "《…暂行办法》的通知": a frame that cannot end a title, so the
        # measure's name under it belongs to the title however long it is (hongjiang's PDF)
        joined = first + second
        return joined if joined.endswith(_TITLE_ENDINGS) else None
    if len(second) > _MAX_TAIL:
        return None
    if DOC_NUMBER.match(second) or re.search(r"[。；;，,：:]", second):
        return None
    if _EDITION.match(second):  # "企业应急转贷资金申请办事指南" / "（2026年修订版）"
        return first + second
    if _READING_KIND.match(second):  # "《…办法》" / "政策问答": the reading, not the measure
        return first + second
    if first.endswith(_TITLE_ENDINGS):
        return None
    joined = first + second
    return joined if joined.endswith(_TITLE_ENDINGS) else None


# a wrapped title's longest length (twice a title line's: three issuers and a measure's name)
_MAX_WRAPPED: Final = 120


def continued_title(lines: Sequence[str]) -> str | None:
    """A long title a PDF wrapped over up to three lines where "关于" opens it, the lines
    closing it however long ("财政部 人力资源社会保障部 中国人民银行 国家金融监督管理总局关于进" /
    "一步优化创业担保贷款政策支持创业带动就业的通知": panxi, written blind; "…中国人民银行澜川省分行
    国家" / "金融监督管理总局澜川监管局关于修改《澜川省普惠小微贷款风险" / "补偿资金池管理办法》部分
    条款的决定": lanchuan), none of them a sentence or a 文号. Its first line alone was the title."""
    joined = lines[0].strip() if lines else ""
    unclosed = joined.count("《") > joined.count("》")  # "关于修改《…办法" / "》部分条款的决定"
    if not joined or (joined.endswith((*_TITLE_ENDINGS, "）", ")")) and not unclosed):
        return None  # a whole title, or one closed by its edition ("…（修订征求意见稿）")
    for line in lines[1:3]:
        line = line.strip()
        if not line or DOC_NUMBER.match(line) or re.search(r"[。；;，,：:]", line):
            return None
        joined += line
        if len(joined) > _MAX_WRAPPED:
            return None
        if joined.endswith(_TITLE_ENDINGS):
            return joined if "关于" in joined else None
    return None


def masthead_title(lines: list[str]) -> tuple[str | None, str | None]:
    """(issuer, title) when a document opens with an agency masthead: the title is the first
    line after it (and after a 文号 line) that reads as a title."""
    head = [line.strip() for line in lines if line.strip()][:4]
    if len(head) < 2 or not MASTHEAD.match(head[0]):
        return None, None
    for line in head[1:]:
        if DOC_NUMBER.match(line):
            continue
        if line.startswith("关于") or line.endswith(_TITLE_ENDINGS):
            return re.sub(r"文件$", "", head[0]), line
        return None, None
    return None, None


_TITLE_ENDINGS: Final = (
    "通知",
    "办法",
    "细则",
    "意见",
    "措施",
    "方案",
    "规定",
    "公告",
    "指南",
    "决定",
    "规程",
)


def split_signature(body: str) -> tuple[str, Signature]:
    """Remove the 落款 (agency lines + a date line, at the very end) from the body."""
    lines = body.rstrip().split("\n")
    end = len(lines)
    while end > 0 and (not lines[end - 1].strip() or _TRAILING_NOTE.match(lines[end - 1].strip())):
        end -= 1
    if end == 0 or not _DATE_LINE.match(lines[end - 1].strip()):
        return body, Signature(None, None)
    start, signers = _signers_above(lines, end - 1)
    issuer = "、".join(signers) if signers else None
    return "\n".join(lines[:start]).rstrip(), Signature(issuer, find_date(lines[end - 1]))


def cover_signature(body: str, title: str) -> Signature:
    """The 落款 of the cover letter of a "关于印发《…》的通知" whose measure follows it unsigned:
    "…现将《…办法》印发给你们，请认真组织实施。" / "乌岚盟行政公署办公室" / "2027年6月18日" (aoqin,
    written blind: with no 落款 at the end, the league's measure had no issuer and was read as
    the banner's own). Only within the letter's first lines, signers under a sentence or the
    附件 line; (None, None) for any other document."""
    if not any(frame in title for frame in _OPEN_FRAME):
        return Signature(None, None)
    lines = [line for line in body.split("\n") if line.strip()][:_COVER_LINES]
    for index, line in enumerate(lines):
        if not _DATE_LINE.match(line.strip()):
            continue
        start, signers = _signers_above(lines, index)
        above = lines[start - 1].strip() if start > 0 else ""
        if signers and (above.endswith("。") or above.startswith("附件")):
            return Signature("、".join(signers), find_date(line))
        return Signature(None, None)
    return Signature(None, None)


def _signers_above(lines: Sequence[str], date_index: int) -> tuple[int, list[str]]:
    """(index of the first signer line, the signers) of the agency lines over a date line."""
    start = date_index
    signers: list[str] = []
    while start > 0 and len(signers) < _MAX_SIGNERS:
        line = lines[start - 1].strip()
        if not line:
            start -= 1
            continue
        if not _SIGNATURE_LINE.match(line) or line.endswith(("办法", "细则", "通知", "措施")):
            break
        signers.insert(0, line)
        start -= 1
    return start, signers


def validity_from_body(body: str, effective: date | None) -> tuple[date | None, bool]:
    """(expires, long_term) from "有效期至…" (or 执行期限/实施期 "自…起至…止", "本通知自…起
    执行至…"), "有效期五年" (counted from `effective`), "长期有效"."""
    extended = extension_in_body(body)
    short = _short_names(body) if extended is not None else {}
    for pattern in (_VALID_UNTIL, _RUNS_UNTIL):
        for until in pattern.finditer(body):
            if extended is not None and _period_of(body, until.start(), short) == extended.title:
                continue  # a 延期通知 recalls the old end of the measure it extends
            if _of_another_document(body, until.start()):
                continue
            found = find_date(until.group(1) or until.group(2) or "")
            if found:
                return found, False
    span = next((m for m in _VALID_FOR.finditer(body) if _said_of_itself(body, m.start())), None)
    if span and effective is not None:
        years = _small_number(span.group(1))
        if 0 < years <= 30:
            return _add_years(effective, years) - timedelta(days=1), False
    return None, bool(_LONG_TERM.search(body))


# the former document, named by its title: "原《鹤山区…办法》（鹤政办发〔2025〕21号）有效期至2028年3月
# 31日" (a 问答 restating the measure it explains, "《措施》…有效期至…", gives its own period)
_FORMER_DOCUMENT = re.compile(r"(?:原|旧|此前印发的)《[^》]{2,80}》")


def _of_another_document(body: str, start: int) -> bool:
    """The period at `start` is that of the former document its sentence names, not of this
    one: a 解读 recalls "原《…办法》（…号）有效期至2028年3月31日" before its new measure's "有效期至
    2031年3月31日" (heshan, written blind: the 解读 was read as expired the day its measure took
    effect). A sentence that also speaks of the document itself (本办法, 本通知) is its own."""
    opens = max((m.end() for m in _SENTENCE_START.finditer(body, 0, start)), default=0)
    before = body[opens:start]
    return _FORMER_DOCUMENT.search(before) is not None and re.search(_ITSELF, before) is None


def _said_of_itself(body: str, start: int) -> bool:
    """A length of validity at `start` is the document's own: its sentence speaks of the
    document or of its taking effect, the word before it names a document ("政策有效期两年"),
    or the length opens a clause ("，有效期两年") rather than ending a thing's name
    ("授权有效期为1年", "评级结果有效期2年")."""
    opens = max((m.end() for m in _SENTENCE_START.finditer(body, 0, start)), default=0)
    if _OF_ITSELF.search(body, opens, start) or _NAMED_BEFORE.search(body, opens, start):
        return True
    return start == 0 or not ("\u4e00" <= body[start - 1] <= "\u9fff")


# a campaign notice ("关于开展2025年汽车消费贷款贴息活动的通知") runs for its campaign: "活动时间
# 2025年3月15日至2025年12月31日" is its period when it states no 有效期
CAMPAIGN_TITLE: Final = re.compile(r"开展.{0,40}活动的?(?:通知|公告)$")
_CAMPAIGN_PERIOD = re.compile(
    r"活动(?:时间|期间|期限|日期)[^，。；,;\d〇○零一二三四五六七八九]{0,6}"
    r"([^，。；,;至到—－~～-]{6,16}?)\s*(?:至|到|[—－~～-]{1,2})\s*([^，。；,;（(]{4,16})"
)


# … and its claims may be made after it: "且最迟不晚于2026年1月31日，通过小程序申领"
_LAST_CLAIM = re.compile(r"最迟(?:不晚于|于|至)\s*([^，。；,;]{6,16})")


def campaign_end(body: str) -> date | None:
    """The last day of a campaign notice's 活动时间 (its end's year read from its start when
    the end omits it: "2025年5月1日至5月31日"), or the later last day it gives for claims:
    until then a question on the campaign is answered by it as current."""
    match = _CAMPAIGN_PERIOD.search(body)
    if match is None:
        return None
    start = find_date(match.group(1))
    end = find_date(match.group(2))
    if end is None and start is not None:
        end = find_date(f"{start.year}年{match.group(2)}")
    if start is None or end is None or end < start:
        return None
    claims = [found for m in _LAST_CLAIM.finditer(body) if (found := find_date(m.group(1)))]
    return max([end, *claims])


def repealed_by_body(body: str) -> tuple[str | None, str | None]:
    """(title, 文号) of an earlier document this one repeals ("原《…》（…号）同时废止")."""
    short = _short_names(body)
    found = [m for pattern in (_REPEAL, _REPEAL_FIRST) if (m := pattern.search(body))]
    match = min(found, key=lambda m: m.start(), default=None)
    if match is None:
        return None, None
    title, number = match.group(1).strip(), _cited_number(match.group(2))
    return short.get(title, (title, number)) if number is None else (title, number)


# the note a government website prints over a measure it keeps for reference: "【说明】本办法已被
# 《海洋经济金融服务十条》（汐政办发〔2031〕5号）废止，自2031年7月1日起不再执行，仅供查阅。"
_REPEALED_BY = re.compile(
    r"(?:本|该|此)(?:办法|规定|细则|措施|意见|通知|方案|政策|文件|文)?\s*(?:已|现已)?\s*被\s*"
    r"《([^》]{2,80})》\s*(?:[（(]\s*[^）)]{3,30}?\s*[）)])?\s*(?:宣布)?(?:废止|取代|替代|代替)"
)


def replaced_by_body(body: str) -> str | None:
    """The title of the document that, as this one says of itself, repealed it."""
    match = _REPEALED_BY.search(body)
    return match.group(1).strip() if match else None


# a decision or notice that repeals other documents, listed in its body or a table:
# "关于废止部分规范性文件的决定", "关于宣布失效和废止一批文件的通知"
_REPEAL_DECISION = re.compile(r"(?:废止|失效)[^。]{0,20}(?:决定|通知|公告)")
# a 文号 as a list or a table row cites it: "金政规〔2023〕5号", "金金办 [2022] 12号"
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号"
)
# a heading over documents kept or amended, not repealed ("继续有效的规范性文件目录")
_KEPT = re.compile(r"继续有效|继续执行|保留|修改|修订")
_DROPPED = re.compile(r"废止|失效")
# a sentence citing the decision's basis ("根据《…》（国办发〔2024〕3号）要求")
_BASIS = re.compile(r"根据|按照|依据|依照|贯彻")


def repealed_by_decision(
    title: str, body: str, own_number: str | None
) -> tuple[tuple[str, str], ...]:
    """(title, 文号) of each document a repeal decision lists ("关于废止部分规范性文件的决定",
    with a table 序号 | 文件名称 | 文号 | 废止理由): real bureaus clean up their documents so,
    and the documents repealed never say it themselves. A row's first 文号 is the document's
    (a reason may cite its replacement's after it); lines under a heading of documents kept
    or amended, and sentences citing the decision's basis, repeal nothing."""
    if not _REPEAL_DECISION.search(title):
        return ()
    own = re.sub(r"\s+", "", own_number or "")
    found: list[tuple[str, str]] = []
    listing = True
    for line in body.splitlines():
        number = _DOC_NUMBER.search(line)
        if number is None:
            if _KEPT.search(line):
                listing = False
            elif _DROPPED.search(line):
                listing = True
            continue
        cited = re.sub(r"\s+", "", number.group(0))
        if not listing or _BASIS.search(line[: number.start()]) or cited == own:
            continue
        found.append((_title_before(line, number.start()), cited))
    return tuple(dict.fromkeys(found))


def _title_before(line: str, end: int) -> str:
    """The title a row or a sentence gives before a 文号: the last 《…》, else the table cell
    before the number's."""
    before = line[:end]
    quoted = re.findall(r"《([^》]{2,80})》", before)
    if quoted:
        return quoted[-1].strip()
    cells = [c.strip() for c in before.split("|")]
    named = [c for c in cells if len(c) >= 4 and not c.isdigit()]
    # a PDF's row is one line: "1 金沙湾区应急转贷资金管理办法 金政规〔2023〕5号"
    return re.sub(r"^\d{1,3}[.、．\s]+", "", named[-1]) if named else ""


def extension_in_body(body: str) -> Extension | None:
    """The document whose 有效期 this one extends, and to when ("《…》（…号）有效期延长至
    2027年12月31日"): a 延期通知 keeps a measure in force past the end its own closing
    article states."""
    short = _short_names(body)
    for match in _EXTENSION.finditer(body):
        until = find_date(match.group(3))
        if until is None:
            continue
        title, number = match.group(1).strip(), _cited_number(match.group(2))
        if number is None and title in short:
            title, number = short[title]
        return Extension(title, number, until)
    for match in _NUMBERED_EXTENSION.finditer(body):
        until = find_date(match.group(2))
        number = _cited_number(match.group(1))
        if until is not None and number is not None:
            return Extension(_title_cited_as(body, number), number, until)
    return None


def _title_cited_as(body: str, number: str) -> str:
    """The title the body cites with this 文号 ("" when it gives none: the number alone then
    finds the document)."""
    for match in _CITED_WITH_NUMBER.finditer(body):
        if _cited_number(match.group(2)) == number:
            return match.group(1).strip()
    return ""


def _period_of(body: str, start: int, short: dict[str, tuple[str, str | None]]) -> str | None:
    """The document whose period the words at `start` state, when a cited title (or one of
    the body's `short` names) stands right before them: "《…办法》（…号，以下简称《办法》）有效期至…"."""
    before = _CITED_BEFORE.search(body[max(0, start - 120) : start])
    if before is None:
        return None
    title = before.group(1).strip()
    return short.get(title, (title, None))[0]


def _short_names(body: str) -> dict[str, tuple[str, str | None]]:
    """Short name → (full title, 文号) of each document the body names "以下简称《办法》":
    a notice defines it once and then writes 《办法》, which names no document by itself."""
    out: dict[str, tuple[str, str | None]] = {}
    for match in _SHORT_NAME.finditer(body):
        short = match.group(3).strip()
        if short not in out and short != match.group(1).strip():
            out[short] = (match.group(1).strip(), _cited_number(match.group(2)))
    return out


def _cited_number(bracketed: str | None) -> str | None:
    """The 文号 in the brackets after a cited 《title》, spaces removed; None when the brackets
    hold something else ("（以下简称《办法》）")."""
    # "…〔2023〕30号，以下简称原办法": the number without the short name after it
    number = re.split(r"[，,；;]", (bracketed or "").strip(), maxsplit=1)[0]
    if not re.search(r"\d{4}.*号", number):
        return None
    return re.sub(r"\s+", "", number)


def _small_number(text: str) -> int:
    return int(text) if text.isdigit() else cn_small_number(text.replace("两", "二"))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _same(line: str, title: str) -> bool:
    strip = re.compile(r"[\s#《》]")
    return bool(title) and strip.sub("", line) == strip.sub("", title)


def _skip_blank(lines: list[str], index: int) -> int:
    while index < len(lines) and not lines[index].strip():
        index += 1
    return index
