"""A 政策汇编 read as the measures it holds.

A bureau may publish its policies as one compilation: a cover, a 编印说明, a 目录, and then
each measure as an entry, reproduced in full ("【01】…若干措施（原文收录）" with its 文号, articles,
落款 and dates), as a 政策要点 card ("政策名称：… / 政策依据：《…》（文号） / 支持标准：…") or as 问答.
The entries are of different issuers (the district's, the city's, the province's), run for
different periods, and a later notice may change one of them. Read as one document, the
compilation is the district's, in force from the first entry's date, and a question on the
city's rule was declined as one the city's documents are silent on (meiyu, written blind,
session 53: 31 of 200 questions).

`split_compilation` gives each entry as a document of its own, with the metadata its own
text states, holding the compilation's passages of that entry; what comes before the
first entry (cover, 编印说明, 目录) stays the compilation's. The entries share the
compilation's source: the file an admin added, lists and removes is still one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Final

from knowledge.metadata import parse_metadata
from knowledge.models import Chunk, DocumentMeta, ParsedDocument
from knowledge.structure import (
    MIN_ENTRIES,
    PART_START,
    entry_title,
    is_compilation,
    names_entry,
    part_names_measure,
)

# an entry's id: the compilation's, then its place among the entries
ENTRY_SEPARATOR: Final = "~"
# a card's basis: "政策依据：《湄屿区普惠金融贷款风险补偿资金池管理办法》（湄财〔2026〕27号）"
# (its issuers before 关于 in the title, or after the 文号: "（财金〔2026〕20号，财政部、人力资源社会保障部）")
_BASIS = re.compile(
    r"^(?:政策)?依据[：:]\s*《(?P<title>[^》]{2,80})》\s*[（(](?P<number>[^，,）)]{2,30}?〔\d{4}〕\d{1,4}号)"
    r"(?:[，,](?P<issuer>[^（）()]{2,60}))?[）)]"
    # … or the 文号 before the title, as a standards table writes it: "依据：涟政发〔2030〕6号《关于
    # 深入实施“凤鸣计划”推进企业上市的意见》" (zhewan, written blind: the province's rows of a
    # county-level city's table were read as its own)
    r"|^(?:政策)?依据[：:]\s*(?P<number_first>[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号)\s*"
    r"《(?P<title_after>[^》]{2,80})》"
    # … or the 文号 alone, an article after it or not: "依据：桐政发〔2031〕6号第四条",
    # "依据：篁政发〔2032〕7号" (tongwu, written blind: the rows citing no title stood for no measure)
    r"|^(?:政策)?依据[：:]\s*(?P<number_alone>[\u4e00-\u9fff]{1,12}〔\d{4}〕\d{1,4}号)"
    r"(?=\s*(?:第[一二三四五六七八九十百零〇\d]+条|[、，,；;（(]|$))"
)
_ISSUED_BY = re.compile(r"^([^《》]{2,40}?)关于")
# … or the 文号 a PDF's line ran on into from the 印发 title: "…的通知湄政〔2027〕8号"
# (or stands on its own line, its issuers after it: "栎金〔2027〕20号（区金融中心、区财政局）")
_NUMBER_AT_END = re.compile(
    r"([\u4e00-\u9fff]{1,10}[〔［\[]\d{4}[〕］\]]\d{1,4}号)(?:[（(][^（）()]{1,30}[）)])?$"
)
# a list's word that its measure has ended: "状态：已失效", "备注：已到期，不再受理"
_ENDED = re.compile(
    r"^(?:状态|政策状态|执行状态|有效性|是否有效|备注)[：:]\s*"
    r"(?:已失效|已废止|已到期|已停止执行|停止执行|暂停执行|已暂停执行|失效|废止)"
)
# … or in a sentence of its own: "该政策已于2029年12月31日到期", "本措施已于2029年底停止执行"
_ENDED_ON = re.compile(
    r"^(?:该|本|此)(?:项)?(?:政策|措施|办法|事项|项目)[^。；;，,]{0,8}已于[^。；;，,]{2,16}"
    r"(?:到期|失效|废止|停止执行|终止执行|终止)"
)
# a card's period, wherever the card puts it ("执行期限：2029年1月1日至2031年12月31日" under its
# 政策内容 and 支持对象, where a document's header would not be read)
_PERIOD = re.compile(r"^(?:有效期|有效期限|执行期限|执行期|实施期限)[：:]")
_TITLE_END = re.compile(r"^.*(?:通知|决定|意见|办法|措施|细则|方案|公告|的)")
_HEAD_LINES: Final = 3  # the entry's first lines, where its 文号 stands


def split_compilation(doc: ParsedDocument) -> tuple[ParsedDocument, ...]:
    """The compilation's front matter and one document per entry; any other document, or a
    compilation with fewer than two entries, as it is."""
    front, groups = _grouped(doc)
    if not groups:
        return (doc,)
    out: list[ParsedDocument] = []
    if front:
        out.append(replace(doc, meta=own_meta(doc.meta), chunks=tuple(front)))
    for number, (line, chunks) in enumerate(groups.items(), 1):
        entry_id = f"{doc.doc_id}{ENTRY_SEPARATOR}{number:02d}"
        out.append(
            replace(
                doc,
                doc_id=entry_id,
                meta=_entry_meta(line, chunks, doc.meta),
                chunks=tuple(replace(ch, doc_id=entry_id) for ch in chunks),
                warnings=(),
            )
        )
    return tuple(out)


def own_meta(meta: DocumentMeta) -> DocumentMeta:
    """A compilation's own name and date only: the dates, repeals and 文号 read off its whole
    text are its entries' (the first measure's 施行日期 and 有效期 were the compilation's, and
    the admin's list would show the volume expired when that one measure is)."""
    return DocumentMeta(title=meta.title, issuer=meta.issuer, published=meta.published)


def entry_count(doc: ParsedDocument) -> int:
    """How many measures a compilation holds (0 for any other document), without reading
    each one's metadata as `split_compilation` does."""
    return len(_grouped(doc)[1])


def _grouped(doc: ParsedDocument) -> tuple[list[Chunk], dict[str, list[Chunk]]]:
    """The passages before the first entry, and each entry's passages under its line; no
    entries unless the document is a compilation of two or more."""
    front: list[Chunk] = []
    groups: dict[str, list[Chunk]] = {}
    head = "\n".join(ch.text for ch in doc.chunks[:3])
    if not is_compilation(doc.meta.title, head, doc.file_type):
        return list(doc.chunks), {}
    for chunk in doc.chunks:
        line = _entry_line(chunk)
        if line is None:
            front.append(chunk)
        else:
            groups.setdefault(line, []).append(chunk)
    return (front, groups) if len(groups) >= MIN_ENTRIES else (list(doc.chunks), {})


def _entry_line(chunk: Chunk) -> str | None:
    """The entry line a compilation's passage carries (`chunking._carry_parts`): its first
    line, or its second under its part's heading."""
    lines = chunk.text.split("\n", 3)
    if part_names_measure(lines[0]):  # "第一部分　栎山区首贷培育贴息奖励办法 / 第一条 …"
        after = lines[1] if len(lines) > 1 else ""
        return None if PART_START.match(after) or names_entry(after) else lines[0]
    for number, line in enumerate(lines[:2]):
        if names_entry(line):
            # … not the 目录's list of entries under its part's heading
            after = lines[number + 1] if number + 1 < len(lines) else ""
            return None if names_entry(after) else line
        if not PART_START.match(line):
            return None
    return None


def _basis_title(basis: re.Match[str]) -> str:
    """The title of the measure a card's 政策依据 names, in either order it is written; its
    文号 when the card gives no title (whose measure it is, then, the 文号 says)."""
    return basis.group("title") or basis.group("title_after") or basis.group("number_alone")


def _basis_number(basis: re.Match[str]) -> str:
    """The 文号 of the measure a card's 政策依据 names, wherever it stands beside the title."""
    return basis.group("number") or basis.group("number_first") or basis.group("number_alone")


def _entry_meta(line: str, chunks: list[Chunk], compilation: DocumentMeta) -> DocumentMeta:
    """What the entry's own text says of it: title, issuer, 文号 and dates as a document's
    header and closing give them, under the entry's name; a card's 文号 from its 政策依据."""
    title = entry_title(line)
    body = [
        ln for ch in chunks for ln in ch.text.split("\n") if ln != line and not PART_START.match(ln)
    ]
    text = "\n".join(dict.fromkeys([title, *body]))
    meta, _, _ = parse_metadata(text, fallback_title=title)
    basis = next((m for ln in body if (m := _BASIS.match(ln))), None)
    ran_on = next((m for ln in body[:_HEAD_LINES] if (m := _NUMBER_AT_END.search(ln))), None)
    if basis is not None and meta.issuer is None:
        # whose measure the card sums up: "《中国人民银行 农业农村部…关于…的指导意见》" is the State's
        issued_by = _ISSUED_BY.match(_basis_title(basis))
        issuer = basis.group("issuer") or (issued_by.group(1).strip() if issued_by else None)
        meta = replace(meta, issuer=issuer)
    if meta.doc_number is None and basis is not None:
        meta = replace(meta, doc_number=_basis_number(basis))
    elif meta.doc_number is None and ran_on is not None:
        meta = replace(meta, doc_number=_TITLE_END.sub("", ran_on.group(1)))
    period = next((ln for ln in body if _PERIOD.match(ln)), None)
    if period is not None and meta.effective is None:
        stated, _, _ = parse_metadata(f"{title}\n{period}", fallback_title=title)
        meta = replace(meta, effective=stated.effective, expires=meta.expires or stated.expires)
    summarises = _basis_title(basis) if basis is not None else None
    ended = any(_ENDED.match(ln) or _ENDED_ON.match(ln) for ln in body)
    return replace(
        meta, title=meta.title or title, compiled_in=compilation.title, summarises=summarises,
        ended=ended,
    )  # fmt: skip
