"""Does the best passage write out everything the question names?

The scope model places a question by its nearest examples, and a near-domain example (a
bond-interest subsidy, where most bureaus have no bond policy) can outvote a knowledge base's
formal headings for a question its passage plainly answers: 小额贷款公司贷款利率上限是多少？ was
refused on a knowledge base whose 小贷 measure states that cap. When every content word of the
question is written in the best current passage (its title, heading or text), or a lexicon
synonym of it is, the knowledge base speaks of it and the model is overruled.

Content words are jieba's nouns, verbs, adjectives and abbreviations, idioms, Latin words and
the lexicon's own terms, two characters or more (是/有/能 and 多少/什么/怎么 are not). A
near-domain question almost always names the one thing the documents do not (董责险, 中期票据,
套期保值), so it keeps its verdict. Measured over six knowledge bases with the session-23
near-domain examples: 4 of 37 wrongly refused questions answered, 1 of 672 refused
out-of-scope questions let through (issue 13 note).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING

from index.lexicon import Lexicon
from index.sparse import jieba_for

if TYPE_CHECKING:
    from jieba.posseg import POSTokenizer

_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{2,}")
_CONTENT_TAG_STARTS = ("n", "v", "a", "j")  # nouns, verbs, adjectives, abbreviations
_CONTENT_TAGS = frozenset({"eng", "l", "i", "x"})  # Latin, idioms; x: the lexicon's terms
MIN_WORDS = 2  # one word alone ("补贴") says too little to overrule anything


class PassageCoverage:
    """Thread-safe; jieba's part-of-speech tables load once (≈0.3 s, at warm-up)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._lock = threading.Lock()
        self._pos: POSTokenizer | None = None

    def prepare(self) -> None:
        self._tokenizer()

    def content_words(self, question: str) -> list[str]:
        words = (
            w
            for w, tag in self._tokenizer().cut(question)
            if _WORD.fullmatch(w) and (tag.startswith(_CONTENT_TAG_STARTS) or tag in _CONTENT_TAGS)
        )
        return list(dict.fromkeys(words))

    def covers(self, question: str, passage: str) -> bool:
        """Every content word of the question (at least MIN_WORDS of them) is in the passage."""
        words = self.content_words(question)
        if len(words) < MIN_WORDS:
            return False
        folded = passage.casefold()
        return all(self._written(word, folded) for word in words)

    def _written(self, word: str, folded: str) -> bool:
        if word.casefold() in folded:
            return True
        return any(other.casefold() in folded for other in self._lexicon.expand(word))

    def _tokenizer(self) -> POSTokenizer:
        pos = self._pos
        if pos is not None:
            return pos
        with self._lock:
            if self._pos is None:
                from jieba.posseg import POSTokenizer

                self._pos = POSTokenizer(jieba_for(self._lexicon.terms()))
            return self._pos
