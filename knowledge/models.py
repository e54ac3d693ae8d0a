"""Plain data passed from parsing to indexing.

Status is *not* stored on a parsed document: it depends on the date and on the other
documents in the knowledge base (a newer document may replace an older one), so the
catalogue computes it (see `knowledge.status`). Chunks carry the dates so the index can
report them without another lookup.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class DocStatus(StrEnum):
    CURRENT = "current"
    SUPERSEDED = "superseded"
    EXPIRED = "expired"
    DRAFT = "draft"  # a 征求意见稿 / 草案: published for comment, never in force
    PENDING = "pending"  # adopted, in force from a later day (自2027年1月1日起施行): not yet


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """Metadata from YAML front matter or the policy header block."""

    title: str
    issuer: str | None = None  # 发文单位
    doc_number: str | None = None  # 文号
    published: date | None = None  # 发布日期
    effective: date | None = None  # 施行日期 / 生效日期
    expires: date | None = None  # 有效期至
    long_term: bool = False  # 有效期：长期有效
    repealed: date | None = None  # 废止日期
    replaced_by: str | None = (
        None  # title of the replacing document, from 废止日期 …（由《…》替代）
    )
    replaces: str | None = None  # title of the document this one replaces, if stated
    replaces_number: str | None = None  # its 文号, when the repeal sentence gives one
    # (title, 文号) of each document a repeal decision lists (`closing.repealed_by_decision`)
    repeals: tuple[tuple[str, str], ...] = ()
    # title of a measure some of whose articles this one stops ("《…细则》第十三条至第十五条在试点
    # 地区停止执行"): a measure taking effect later that changes part of one in force
    amends: str | None = None
    amends_number: str | None = None  # its 文号, when the notice cites one
    extends: str | None = None  # title of a document whose 有效期 this one extends (延期通知)
    extends_number: str | None = None  # its 文号, when the sentence gives one
    extended_to: date | None = None  # … to this day ("有效期延长至2027年12月31日")
    topic: str | None = None  # optional: listing / guarantee / funds / other
    national_basis: str | None = None  # 依据 (the national document a local rule follows)
    draft: bool = False  # a 征求意见稿 / 草案 (`metadata.is_draft`): never in force
    # the 政策汇编 whose entry this is (`knowledge.compilation`): never stored, read anew
    compiled_in: str | None = None
    # the measure an entry's 政策要点 card or a 政策清单's row sums up, its 政策依据's title ("澧川市
    # 知识产权质押融资支持办法"), or its 文号 when it gives no title ("依据：桐政发〔2031〕6号第四条"):
    # whose measure it is when the entry's name does not say
    summarises: str | None = None
    # an entry its own list marks as ended, with or without a day ("状态：已失效", "备注：已到期，
    # 不再受理"): a bureau's 政策清单 keeps such rows, and the word is the newest word on them
    ended: bool = False


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrievable passage. `chunk_id` is stable for the same doc, position and text."""

    chunk_id: str
    doc_id: str
    ordinal: int
    section: str  # e.g. "第五条 资金占用费" or "一、支持对象"; "" for a preamble
    text: str  # verbatim passage text (what the bot quotes)
    content_hash: str  # sha256 of `text` (the embedding cache key, together with the model)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    doc_id: str
    source: str  # path relative to the folder given to `kb add`, or the file name
    meta: DocumentMeta
    chunks: tuple[Chunk, ...]
    content_hash: str  # sha256 of the normalised full text (duplicate detection)
    file_type: str  # "md" | "txt" | "docx" | "doc" | "pdf" | "xlsx" | "xls" | "html"
    warnings: tuple[str, ...] = field(
        default_factory=tuple
    )  # message keys, e.g. "no_effective_date"

    @property
    def sections(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.chunks:
            if c.section:
                seen.setdefault(c.section, None)
        return tuple(seen)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
