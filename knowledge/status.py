"""Which documents are in force today, and what replaced the ones that are not.

Status is relative (to today and to the other documents), so it is computed over the
whole catalogue rather than stored per file. The bot must never quote a repealed rule
as current, so a replacement counts only once the replacing document is in effect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from knowledge.metadata import undrafted_title
from knowledge.models import DocStatus, DocumentMeta


@dataclass(frozen=True, slots=True)
class DocStatusInfo:
    status: DocStatus
    # doc_id of the replacing document, when it is in the KB; for a draft, the rule in force
    # that it would revise; for a measure not yet in force, the rule in force it will replace
    replaced_by: str | None = None
    # Message key: "repealed", "replaced", "expired", "not_yet_effective", "repeal_scheduled",
    # "draft".
    reason: str | None = None
    # a 延期通知 in effect moved the end of the 有效期: to this day, by this document
    extended_to: date | None = None
    extended_by: str | None = None
    # the repeal decision that lists it ("关于废止部分规范性文件的决定")
    repealed_by: str | None = None
    # a measure not yet in force that will change only part of `replaced_by` (`amends`)
    in_part: bool = False


def valid_until(meta: DocumentMeta, info: DocStatusInfo | None) -> date | None:
    """The last day a document is in force by its 有效期, a 延期通知 applied (None: no end)."""
    return (info.extended_to if info is not None else None) or meta.expires


def normalise_title(title: str) -> str:
    """Compare titles ignoring 《》, spaces, punctuation and full/half width."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(
        ch for ch in folded if not ch.isspace() and not unicodedata.category(ch).startswith("P")
    )


def reference_keys(meta: DocumentMeta) -> tuple[str, str]:
    """A document's title and 文号 as documents are compared with each other (normalised;
    "" for a missing 文号): how a repeal, an earlier version and a mistyped number are found."""
    return normalise_title(meta.title), normalise_title(meta.doc_number or "")


def resolve_statuses(metas: Mapping[str, DocumentMeta], today: date) -> dict[str, DocStatusInfo]:
    """Status of every doc; iteration order of `metas` does not change the result."""
    by_title: dict[str, list[str]] = {}
    by_number: dict[str, list[str]] = {}
    for doc_id in sorted(metas):
        title, number = reference_keys(metas[doc_id])
        by_title.setdefault(title, []).append(doc_id)
        if number:
            by_number.setdefault(number, []).append(doc_id)

    def find(title: str | None, exclude: str, number: str | None = None) -> str | None:
        """The document a reference names: the one that has both its 文号 and its title;
        else by 文号 (two versions often share a title), unless the title names exactly one
        other document (two documents can carry the same 文号 by mistake: "原《…奖励办法》
        （栖金规〔2022〕3号）" must not repeal the guarantee measures numbered alike)."""
        by_num = [d for d in by_number.get(normalise_title(number or ""), []) if d != exclude]
        by_name = [d for d in by_title.get(normalise_title(title or ""), []) if d != exclude]
        both = [d for d in by_num if d in by_name]
        if both:
            return both[0]
        if by_num and len(by_name) != 1:
            return by_num[0]
        return by_name[0] if by_name else None

    def in_effect(doc_id: str) -> bool:
        effective = metas[doc_id].effective
        return effective is None or effective <= today

    extended = _extensions(metas, today, find, in_effect)
    result = {}
    for doc_id, meta in metas.items():
        until, by = extended.get(doc_id, (None, None))
        own = replace(meta, expires=until) if until is not None else meta
        info = _own_status(own, find(meta.replaced_by, doc_id), in_effect, today)
        result[doc_id] = replace(info, extended_to=until, extended_by=by) if by else info
    for doc_id in sorted(metas):
        meta = metas[doc_id]
        target = find(meta.replaces, doc_id, meta.replaces_number)
        if target is None or result[doc_id].status is not DocStatus.CURRENT:
            continue
        if not in_effect(doc_id):
            continue
        old = result[target]
        if old.status is not DocStatus.SUPERSEDED:
            result[target] = DocStatusInfo(DocStatus.SUPERSEDED, doc_id, "replaced")
        elif old.replaced_by is None:
            result[target] = DocStatusInfo(DocStatus.SUPERSEDED, doc_id, old.reason)
    _repeal_listed(metas, result, find, in_effect)
    _link_series(metas, result)
    for doc_id in sorted(metas):
        info = result[doc_id]
        if info.status in (DocStatus.DRAFT, DocStatus.PENDING):
            meta = metas[doc_id]
            pending = info.status is DocStatus.PENDING
            part = find(meta.amends, doc_id, meta.amends_number) if pending else None
            # a notice that changes articles of a measure names it in its title too
            # ("关于调整《…办法》部分条款的通知"): that measure is amended, not replaced
            rule = find(meta.replaces, doc_id, meta.replaces_number) or (
                None if part is not None else find(undrafted_title(meta.title), doc_id)
            )
            if rule is None and part is None and pending:
                rule = _earlier_edition(metas, result, doc_id)
            if rule is not None and result[rule].status is DocStatus.CURRENT:
                result[doc_id] = replace(info, replaced_by=rule)
            elif part is not None and result[part].status is DocStatus.CURRENT:
                # it stops articles of a measure in force from its day: that measure is the
                # rule until then (cenjiang, written blind: a pilot from 2027-07-01 that stops
                # three articles of the region's green-finance rules in the pilot areas)
                result[doc_id] = replace(info, replaced_by=part, in_part=True)
            elif info.status is DocStatus.PENDING:
                # a new measure with no rule in force before it: its rules are the only ones
                # on its subject, quoted under the day it takes effect
                result[doc_id] = DocStatusInfo(DocStatus.CURRENT, None, "not_yet_effective")
    return result


def _extensions(
    metas: Mapping[str, DocumentMeta],
    today: date,
    find: Callable[[str | None, str, str | None], str | None],
    in_effect: Callable[[str], bool],
) -> dict[str, tuple[date, str]]:
    """Documents whose 有效期 a 延期通知 in effect extends: target → (new end, notice).

    "《棠溪区中小微企业应急转贷资金管理办法》有效期延长至2027年12月31日": without it the
    measure read as expired from 2026-07-01 and its questions were answered "no longer in
    force" (a blind KB, session 25). The latest end wins; a notice that itself lapsed or was
    repealed extends nothing; an extension never shortens a validity.
    """
    out: dict[str, tuple[date, str]] = {}
    for doc_id in sorted(metas):
        meta = metas[doc_id]
        if meta.extends is None or meta.extended_to is None or not in_effect(doc_id):
            continue
        if meta.draft:
            continue
        if meta.repealed is not None and meta.repealed <= today:
            continue
        if meta.expires is not None and not meta.long_term and meta.expires < today:
            continue
        target = find(meta.extends, doc_id, meta.extends_number)
        if target is None:
            continue
        own_end = metas[target].expires
        if own_end is not None and meta.extended_to <= own_end:
            continue
        if target not in out or meta.extended_to > out[target][0]:
            out[target] = (meta.extended_to, doc_id)
    return out


def series_key(title: str) -> str:
    """A title without its issuers, years and numbers: the name of a recurring notice
    (关于开展2023年度…申报工作的通知 and 沅州市财政局关于开展2026年度…申报工作的通知 share it;
    the issuers stand before 关于 and vary from one edition to the next)."""
    folded = normalise_title(title)
    subject = folded[folded.find("关于") :] if "关于" in folded else folded
    return "".join(ch for ch in subject if not ch.isdigit())


def _repeal_listed(
    metas: Mapping[str, DocumentMeta],
    result: dict[str, DocStatusInfo],
    find: Callable[[str | None, str, str | None], str | None],
    in_effect: Callable[[str], bool],
) -> None:
    """The documents a repeal decision in force lists are repealed from its day; their
    successor, if any, is found by their series (`_link_series`)."""
    for doc_id in sorted(metas):
        repeals = metas[doc_id].repeals
        if not repeals or result[doc_id].status is not DocStatus.CURRENT or not in_effect(doc_id):
            continue
        for title, number in repeals:
            target = find(title, doc_id, number)
            if target is not None and result[target].status is DocStatus.CURRENT:
                result[target] = DocStatusInfo(
                    DocStatus.SUPERSEDED, None, "repealed", repealed_by=doc_id
                )


def _link_series(metas: Mapping[str, DocumentMeta], result: dict[str, DocStatusInfo]) -> None:
    """An expired or repealed document with no stated replacement is followed by the latest document in
    force of the same series that took effect after it: "the 2023 notice expired, the
    current one is the 2026 notice" (a blind KB's 2023 interest-subsidy notice was answered
    as lapsed with no replacement while its 2026 successor was loaded)."""
    current = _current_by_series(metas, result)
    for doc_id in sorted(metas):
        info, meta = result[doc_id], metas[doc_id]
        start = meta.effective or meta.published
        lapsed = info.status is DocStatus.EXPIRED or info.reason == "repealed"
        if not lapsed or info.replaced_by is not None or start is None:
            continue
        later = [c for c in current.get(series_key(meta.title), []) if c[0] > start]
        if later:
            result[doc_id] = replace(info, replaced_by=max(later)[1])
    _close_past_editions(metas, result, current)


def _current_by_series(
    metas: Mapping[str, DocumentMeta], result: Mapping[str, DocStatusInfo]
) -> dict[str, list[tuple[date, str]]]:
    """The documents in force with the day each started, by series (`series_key`)."""
    current: dict[str, list[tuple[date, str]]] = {}
    for doc_id in sorted(metas):
        info, meta = result[doc_id], metas[doc_id]
        start = meta.effective or meta.published
        if info.status is DocStatus.CURRENT and start:
            current.setdefault(series_key(meta.title), []).append((start, doc_id))
    return current


def _earlier_edition(
    metas: Mapping[str, DocumentMeta], result: Mapping[str, DocStatusInfo], doc_id: str
) -> str | None:
    """The edition in force of the series a measure not yet in force continues: the
    《…实施方案（2027—2029年）》 taking effect on 1 January follows the 《…（2024—2026年）》 that
    "执行至2026年12月31日止" without repealing it by name (a blind KB's 2027 insurance scheme
    was quoted as the rule on its subject while the 2024 one was still in force). The
    latest in force of the same series (`series_key`) that started before it."""
    meta = metas[doc_id]
    start = meta.effective or meta.published
    editions = _current_by_series(metas, result).get(series_key(meta.title), [])
    before = [(day, other) for day, other in editions if start is None or day < start]
    return max(before)[1] if before else None


_EDITION_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")


def _close_past_editions(
    metas: Mapping[str, DocumentMeta],
    result: dict[str, DocStatusInfo],
    current: Mapping[str, list[tuple[date, str]]],
) -> None:
    """A yearly notice that runs "至2025年度贴息资金拨付完毕之日止" states no end date, so it
    stayed in force beside the next year's notice of the same series (a blind KB's 2025
    申报通知, whose window had closed, beside the 2026 one). Once a later year's edition is
    in force, the earlier year's is expired and followed by it; an edition with an end date
    of its own, or one for the same year (a second batch), is left to its dates."""
    for doc_id in sorted(metas):
        meta, info = metas[doc_id], result[doc_id]
        year = _edition_year(meta.title)
        if info.status is not DocStatus.CURRENT or year is None:
            continue
        if meta.expires is not None or meta.long_term:
            continue
        later = [
            (start, other)
            for start, other in current.get(series_key(meta.title), [])
            if other != doc_id and (_edition_year(metas[other].title) or 0) > year
        ]
        if later:
            result[doc_id] = DocStatusInfo(DocStatus.EXPIRED, max(later)[1], "expired")


def _edition_year(title: str) -> int | None:
    found = _EDITION_YEAR.search(title)
    return int(found.group(1)) if found else None


def _own_status(
    meta: DocumentMeta,
    replacement: str | None,
    in_effect: Callable[[str], bool],
    today: date,
) -> DocStatusInfo:
    """Status from the doc's own dates and its `replaced_by` title. A draft is never in
    force, whatever its dates say ("本办法自2027年1月1日起施行"), so it replaces, extends and
    amends nothing: the rule in force stays the answer. Nor is a measure adopted to take
    effect on a later day in place of a rule in force, until that day: quoted as current it
    gave next year's fee as today's (a blind KB's 2027 bridge-fund measure beside the one in
    force, session 36). One that replaces nothing stays current, "not yet effective"."""
    if meta.draft:
        return DocStatusInfo(DocStatus.DRAFT, None, "draft")
    if meta.repealed is not None and meta.repealed <= today:
        return DocStatusInfo(DocStatus.SUPERSEDED, replacement, "repealed")
    if meta.repealed is not None:
        return DocStatusInfo(DocStatus.CURRENT, None, "repeal_scheduled")
    if replacement is not None and in_effect(replacement):
        return DocStatusInfo(DocStatus.SUPERSEDED, replacement, "replaced")
    if meta.ended or (meta.expires is not None and not meta.long_term and meta.expires < today):
        return DocStatusInfo(DocStatus.EXPIRED, None, "expired")
    if meta.effective is not None and meta.effective > today:
        return DocStatusInfo(DocStatus.PENDING, None, "not_yet_effective")
    return DocStatusInfo(DocStatus.CURRENT)
