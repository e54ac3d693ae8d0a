"""Question heuristics that need no index: normalising the text, spotting a named document."""

from __future__ import annotations

import re
from datetime import date

MAX_QUESTION_CHARS = 500  # longer messages are cut for retrieval; the full text is still logged

_PUNCT_ONLY = re.compile(r"^[\W_]+$", re.UNICODE)
_WS = re.compile(r"\s+")
# a word of one to four Chinese characters typed three times or more in a row: "贷贷贷…",
# "上市上市上市"; said once it means as much (digits are never collapsed: 1000万)
_STUTTER = re.compile(r"([\u4e00-\u9fff]{1,4}?)\1{2,}")
_YEAR = re.compile(r"(19|20)\d{2}")
_OLD_WORDS = (
    "旧版",
    "老版",
    "原来的",
    "以前的",
    "之前的",
    "废止",
    "旧的",
    "old version",
    "previous",
)


def prepare_question(question: str) -> str:
    """Whitespace-normalised, length-capped text; empty when there is nothing to search. A
    word held down ("贷贷贷…" ×10,000) counts once, so it is not read as a long question about
    loans."""
    text = _read(question)
    if not text or _PUNCT_ONLY.match(text):
        return ""
    if not any(ch.isalnum() for ch in text):
        return ""
    return text[:MAX_QUESTION_CHARS]


def is_cut(question: str) -> bool:
    """Was part of the question left unread (longer than MAX_QUESTION_CHARS once a word held
    down counts once)? The reply then says it answered from the first characters; after
    "贷" ×10,000, read as "贷", it must not claim to have read 500 of them."""
    return len(_read(question)) > MAX_QUESTION_CHARS


def _read(question: str) -> str:
    """The message as it is read, before the cap: whitespace normalised, a word held down
    counted once."""
    return _STUTTER.sub(r"\1", _WS.sub(" ", question or "").strip())


_UNIT = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")


def says_enough(text: str) -> bool:
    """Two characters or words at least: "贷" alone (or "贷贷贷…", see `prepare_question`) is
    too little to pick one policy and quote it, so it gets "did you mean" choices instead."""
    return len(_UNIT.findall(text)) >= 2


def _norm_title(s: str) -> str:
    return re.sub(r"[\s《》〈〉“”\"'（）()【】\[\]，,。.:：、]", "", s)


def same_title(a: str, b: str) -> bool:
    """Titles equal but for spacing, brackets and punctuation."""
    return bool(_norm_title(a)) and _norm_title(a) == _norm_title(b)


def names_document(
    question: str,
    title: str,
    doc_number: str | None,
    published: date | None,
    *,
    title_in_force: bool = False,
) -> bool:
    """Does the question point at this particular document (its 文号, its title, its year)?

    `title_in_force`: a document in force carries the same title (a new version under the
    old name), so the title alone points at that one, not at this."""
    q = _norm_title(question)
    if doc_number and _norm_title(doc_number) and _norm_title(doc_number) in q:
        return True
    nt = _norm_title(title)
    if nt and nt in q and not title_in_force:
        return True
    years = {m.group(0) for m in _YEAR.finditer(question)}
    doc_years = {m.group(0) for m in _YEAR.finditer(title)}
    if published:
        doc_years.add(str(published.year))
    if years & doc_years:
        return True
    return any(w in question.lower() for w in _OLD_WORDS)
