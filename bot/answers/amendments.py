"""Quoting an article as amended: the decisions in force applied to the passage, and shown.

A 修改决定 changes words of a measure that stays in force under its own title and 文号, or
rewrites an article as a whole (`knowledge.amendments`). An answer that quotes the measure's
article quotes it as it now reads, the way a bureau publishes a consolidated text after a decision ("《办法》根据本决定
作相应修改"), and says which decision changed what: the user sees the number in force and
where it comes from. A decision not yet in force (or no longer) changes nothing.

A notice that stops articles of a measure ("《办法》第八条、第九条自2026年7月1日起停止执行") is
read the same way: the stopped article is quoted as it read, with the notice and the day it
stops applying, never as a rule in force without a word.

A notice that adjusts a measure's amounts for a time ("2027年度阶段性提高…") leaves the article
as it reads and is shown under it in its own words, with its term: the user sees the amount
that applies now beside the measure's own, and which notice says so.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date
from itertools import groupby

from bot.answers.models import Amended
from bot.answers.question import same_title
from index.snapshot import Snapshot
from knowledge.amendments import (
    ARTICLE,
    Amendment,
    Change,
    parse_adjustment,
    parse_amendment,
    parse_article_notice,
    parse_correction,
    parse_extension,
    parse_suspension,
)
from knowledge.metadata import is_interpretation
from knowledge.models import DocStatus, DocumentMeta
from knowledge.status import DocStatusInfo
from knowledge.structure import classify

__all__ = ["ArticleChanges", "amended_text", "changes_in_force"]

# the line that opens an attachment ("附件1", "附件：") after a measure's last article
_ATTACHMENT = re.compile(r"\n\s*附件\s*[0-9一二三四五六七八九十]*\s*[：:]?\s*(?=\n|$)")

# an amount a notice changes ("300万元"), read also from a table's cell under its unit
_AMOUNT = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>亿元|万元|元)")
# amended document id → article ("第九条") → its changes, each with the decision that made it
ArticleChanges = Mapping[str, Mapping[str, tuple[tuple[Change, Amended], ...]]]


def changes_in_force(
    snap: Snapshot, statuses: Mapping[str, DocStatusInfo], today: date
) -> ArticleChanges:
    """Every change made by a decision in force (施行 by `today`) to a document in force."""

    def current(doc_id: str) -> bool:
        info = statuses.get(doc_id)
        return info is None or info.status is DocStatus.CURRENT

    out: dict[str, dict[str, list[tuple[Change, Amended]]]] = defaultdict(lambda: defaultdict(list))
    for doc_id, rec in snap.docs.items():
        meta = rec.doc.meta
        if is_interpretation(meta.title) or not current(doc_id):
            continue
        if meta.effective is not None and meta.effective > today:
            continue
        decision = _decision(meta.title, "\n".join(c.text for c in rec.doc.chunks))
        if decision is None:
            continue
        targets = [
            other
            for other, target in snap.docs.items()
            if other != doc_id and current(other) and _is_target(target.doc.meta, decision)
        ]
        effective = meta.effective or meta.published
        for target_id in targets:
            for change in decision.changes:
                article = change.article or _article_writing(
                    snap, target_id, change.old, change.clause
                )
                if article is None:
                    continue  # an amount the measure writes in no article, or in several
                shown = Amended(
                    change.old, change.new, meta.title, meta.doc_number,
                    change.since or effective, rec.doc.source, stopped=change.stopped,
                    clause=change.clause, until=meta.expires if change.clause else None,
                    on_section=ARTICLE.fullmatch(article) is None,
                )  # fmt: skip
                placed = out[target_id][article]
                if change.clause and any(
                    (other.clause, other.by_source) == (shown.clause, shown.by_source)
                    for _, other in placed
                ):
                    continue  # one sentence changing two amounts of the article: shown once
                placed.append((change, shown))
    return {d: {a: tuple(v) for a, v in arts.items()} for d, arts in out.items()}


def _decision(title: str, text: str) -> Amendment | None:
    """A 修改决定's changes (or a notice's that amends articles for good), the numbers an
    extension notice changes, or the articles a notice stops; None for any other document."""
    if "修改" in title:
        return parse_amendment(title, text) or parse_article_notice(title, text)
    changed = parse_article_notice(title, text)
    if changed is not None:
        return changed
    extended = parse_extension(title, text) if "延长" in title else None
    if extended is not None:
        return extended
    corrected = parse_correction(title, text)
    if corrected is not None:
        return corrected
    adjusted = parse_adjustment(title, text)
    if adjusted is not None:
        return adjusted
    if "执行" in text:
        return parse_suspension(text)
    return None


def _article_writing(snap: Snapshot, doc_id: str, words: str, sentence: str = "") -> str | None:
    """The article of the document whose text writes the words (the amount a notice changes
    without naming its article); where several do, the one that shares the most of the
    notice's sentence (its two-character runs: "单户1000万元（含）以下小微企业…担保费率由不超过1%
    阶段性降至不超过0.6%" is 第五条's, not the 附件 table's at the end of 第二十六条: daizhou);
    None when none does, or two share as much. A measure numbered 一、（一）1. has no articles:
    its sections stand for them, by their whole heading ("（一）境内上市奖励"), when no article
    writes the words (panxi's listing measure, whose 北交所 amounts a notice raised, was
    quoted without the notice)."""
    if not words:
        return None
    rec = snap.docs.get(doc_id)
    if rec is None:
        return None
    articles: dict[str, str] = {}
    sections: dict[str, str] = {}
    for chunk in rec.doc.chunks:
        head = chunk.section.strip()
        label = ARTICLE.match(head)
        into, key = (articles, label.group(0)) if label is not None else (sections, head)
        if key:  # an 附件 after the last article is none of its words
            into[key] = into.get(key, "") + _ATTACHMENT.split(chunk.text, maxsplit=1)[0]
    for texts in (articles, sections):
        found = [key for key, text in texts.items() if _writes(text, words)]
        if len(found) == 1:
            return found[0]
        if found:
            return _closest(sentence, {key: texts[key] for key in found})
    return None


def _closest(sentence: str, texts: Mapping[str, str]) -> str | None:
    """The text that shares the most of the sentence's two-character runs, each run weighed by
    how few of the texts share it: what they all write (成功上市, 奖励, the amount) counts
    little, a run one of them alone shares (北京证券交易所 in the 北交所 row) counts whole; None
    on a tie (no note rather than one under an item it does not adjust)."""
    runs = _runs(sentence)
    held = {key: runs & _runs(text) for key, text in texts.items()}
    count = Counter(run for shared in held.values() for run in shared)
    ranked = sorted(
        ((sum(1 / count[r] for r in shared), key) for key, shared in held.items()), reverse=True
    )
    return ranked[0][1] if ranked[0][0] > ranked[1][0] + 1e-9 else None


def _writes(text: str, words: str) -> bool:
    """The text writes the words, or the amount they are in a table's cell under a head that
    gives the unit ("北京证券交易所 | 300 |" under "成功上市奖励（万元）": panxi's listing measure,
    whose 北交所 reward a notice raised "由300万元调整为400万元")."""
    if words in text:
        return True
    amount = _AMOUNT.fullmatch(words)
    if amount is None:
        return False
    cell = re.compile(rf"(?:^|\|)\s*{re.escape(amount['number'])}\s*(?:\||$)")
    unit = re.compile(rf"[（(]{amount['unit']}[）)]")
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "|" not in line or not cell.search(line):
            continue
        first = i
        while first > 0 and "|" in lines[first - 1]:
            first -= 1
        if unit.search(lines[first]):  # the table's head row gives the cell's unit
            return True
    return False


def _runs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _is_target(meta: DocumentMeta, decision: Amendment) -> bool:
    """By 文号 when both carry one; else by title, also inside a 印发通知's title
    ("关于印发《X》的通知": the measure delivered with its notice)."""
    if decision.target_number and meta.doc_number:
        return same_title(meta.doc_number, decision.target_number)
    return same_title(meta.title, decision.target_title) or (
        f"《{decision.target_title}》" in meta.title and "印发" in meta.title
    )


def amended_text(
    changes: ArticleChanges, doc_id: str, section: str, text: str
) -> tuple[str, tuple[Amended, ...]]:
    """The passage as amended, and the changes applied to it; unchanged when none applies
    (a change applies to its article's passage that still holds the old words). Decisions
    apply in the order they took effect; a rewrite of the whole article replaces what
    earlier ones changed in it, and only it is named."""
    articles = changes.get(doc_id)
    if not articles:
        return text, ()
    head = section.strip() or text.lstrip()[:12]
    applied: list[Amended] = []
    for article, items in articles.items():
        if not _is_article(head, article):
            continue
        ordered = sorted(items, key=lambda item: (item[1].effective or date.min, item[1].by_source))
        for _, decision in groupby(ordered, key=lambda item: item[1].by_source):
            words: dict[str, str] = {}
            for change, shown in decision:
                if change.stopped:
                    applied.append(shown)
                elif change.clause:  # adjusted for a time: shown, the article quoted as it reads
                    if not change.old or _writes(text, change.old):
                        applied.append(shown)
                elif change.appended or change.paragraph:
                    edited = _paragraph_edited(text, article, change)
                    if edited is not None:
                        text = edited
                        applied.append(shown)
                elif change.whole:
                    rewritten = _rewritten(text, article, change.new)
                    if rewritten is not None:
                        text = rewritten
                        applied = [shown]
                elif change.old in text:
                    words[change.old] = change.new
                    applied.append(shown)
            text = _replaced(text, words)
    return text, tuple(applied)


def _replaced(text: str, words: Mapping[str, str]) -> str:
    """The text with one decision's words replaced at once: "“60%”调整为“70%”，“70%”调整为
    “80%”" makes 60% 70% and 70% 80%, never 60% 80%."""
    if not words:
        return text
    pattern = "|".join(re.escape(old) for old in sorted(words, key=len, reverse=True))
    return re.sub(pattern, lambda m: words[m.group(0)], text)


def _rewritten(text: str, article: str, new: str) -> str | None:
    """The passage with its article's text replaced by the new one: what precedes the
    article's line (a chapter heading) and a heading of its own ("第九条 单笔上限") stay;
    None when the passage does not hold the article's first line (the rest of a long
    article split over passages), which is then quoted as it stands."""
    lines = text.split("\n")
    found = _article_line(lines, article)
    if found is None:
        return None
    at, titled = found
    if titled:
        return "\n".join([*lines[: at + 1], new])
    return "\n".join([*lines[:at], f"{article}\u3000{new}"])


def _article_line(lines: list[str], article: str) -> tuple[int, bool] | None:
    """The line that opens the article, and whether it is a heading of its own ("第九条 单笔
    上限") standing above the article's text; None when the passage does not hold it."""
    for i, line in enumerate(lines):
        if _is_article(line.strip(), article):
            marker = classify(line)
            return i, marker is not None and marker.heading_only and marker.label != article
    return None


def _paragraph_edited(text: str, article: str, change: Change) -> str | None:
    """The passage with one paragraph (款) of its article rewritten or struck out, or with a
    paragraph added after the article's last ("增加一款"); the article's paragraphs are its
    lines up to the next article. None when the passage does not hold the article's first
    line or the paragraph, which is then quoted as it stands."""
    lines = text.split("\n")
    found = _article_line(lines, article)
    if found is None:
        return None
    start, titled = found
    first = start + 1 if titled else start
    end = next(
        (j for j in range(start + 1, len(lines)) if ARTICLE.match(lines[j].strip())), len(lines)
    )
    body = [j for j in range(first, end) if lines[j].strip()]
    if change.appended:
        at = (body[-1] if body else start) + 1
        return "\n".join([*lines[:at], change.new, *lines[at:]])
    if change.paragraph > len(body):
        return None
    at = body[change.paragraph - 1]
    if at == start:  # the first paragraph shares the article's line
        if not change.new:
            return None
        return "\n".join([*lines[:at], f"{article}\u3000{change.new}", *lines[at + 1 :]])
    kept = [change.new] if change.new else []
    return "\n".join([*lines[:at], *kept, *lines[at + 1 :]])


def _is_article(head: str, article: str) -> bool:
    """ "第九条 单笔上限" is 第九条; "第九十条" is not. A section standing for an article (a
    measure numbered 一、（一）) is its whole heading."""
    if ARTICLE.fullmatch(article) is None:
        return head == article
    if not head.startswith(article):
        return False
    rest = head[len(article) :]
    return not rest or rest[0] not in "一二三四五六七八九十百零〇0123456789"
