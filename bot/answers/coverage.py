"""Does the best passage write out everything the question names?

The scope model places a question by its nearest examples, and a near-domain example (a
bond-interest subsidy, where most bureaus have no bond policy) can outvote a knowledge base's
formal headings for a question its passage plainly answers: 小额贷款公司贷款利率上限是多少？ was
refused on a knowledge base whose 小贷 measure states that cap. When every content word of the
question is written in one of the leading current passages (its title, heading or text;
`service.OVERRULE_DEPTH`), or a lexicon synonym of it is, the knowledge base speaks of it and
the model is overruled.

Content words are the question's words (jieba's segmentation, the lexicon's terms kept whole)
of two characters or more that jieba's dictionary does not tag as a pronoun, numeral, adverb,
preposition, conjunction, particle, time or place word (多少/什么/怎么/可以 are not content; a
word the dictionary does not know is). Only that small set of tags is kept in memory (~24k
words, a few MB): jieba's full part-of-speech tagger would add ~100 MB to the bot. A
near-domain question almost always names the one thing the documents do not (董责险, 中期票据,
套期保值), so it keeps its verdict; and at least MIN_WORDS content words must be written (two
let 买新能源车有补贴吗 through on 新能源 + 补贴 once the first three passages were read).
Measured over six knowledge bases (issue 13 notes): with the first passage and two words,
4 of 37 wrongly refused questions answered and 1 of 672 refused out-of-scope questions let
through (session 23); with the first three passages and three words, every KB at or above
session 23 on both counts (session 24).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

from index.function_words import function_words
from index.lexicon import Lexicon
from index.sparse import jieba_for

if TYPE_CHECKING:
    import jieba

_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z]{2,}")
MIN_WORDS = 3  # one or two words ("补贴", "新能源 补贴") say too little to overrule anything
# English words that carry no content of their own: articles, pronouns, auxiliaries,
# prepositions, conjunctions, question words and the verbs of asking. jieba's dictionary tags
# no English word, so without them an English question ("Is there an English-speaking service
# desk…") was never written out by an English passage (a bureau's English guide) and the scope
# model was never overruled. A general list, not chosen on any knowledge base.
_ENGLISH_FUNCTION_TEXT: Final = """
    a an the this that these those there here it its it's i me my we us our ours you your yours he him his she her they them their what which who whom whose when where why how
    whether if then than so as at by for from in into of on onto to with within without about
    above below over under after before between during through per via up down out off and or
    but nor not no yes all any each every some such both either neither other another more most
    much many few less least very too also only just still even ever again is am are was were be
    been being do does did done doing have has had having can could may might must shall should
    will would get gets got getting please tell know want wants need needs like let lets ask
    asking there's what's how's i'm we're you're don't doesn't can't isn't aren't"""
ENGLISH_FUNCTION_WORDS: Final = frozenset(_ENGLISH_FUNCTION_TEXT.split())
# the words of asking for a duration or a frequency ("how long does the review take?",
# "how soon", "how often"): the passage answers with a number of days, not with these words
_ENGLISH_QUESTION_PHRASE = re.compile(
    r"\bhow\s+(?:long|soon|often|quickly|fast)\b|\b(?:does|do|did|will|would)\s+(?:it\s+)?take\b|\btakes?\s*\?",
    re.IGNORECASE,
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")


class PassageCoverage:
    """Thread-safe; the dictionary's function words are read once (≈0.3 s, at warm-up)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._lock = threading.Lock()
        self._loaded: tuple[jieba.Tokenizer, frozenset[str]] | None = None

    def prepare(self) -> None:
        self._tools()

    def content_words(self, question: str) -> list[str]:
        tokenizer, function_words = self._tools()
        question = _ENGLISH_QUESTION_PHRASE.sub(" ", question)
        words = (
            w
            for w in tokenizer.lcut(question, HMM=False)
            if _WORD.fullmatch(w)
            and w not in function_words
            and w.casefold() not in ENGLISH_FUNCTION_WORDS
        )
        return list(dict.fromkeys(words))

    def covers(self, question: str, passage: str) -> bool:
        """Every content word of the question (at least MIN_WORDS of them) is in the passage."""
        return self.covered_by_any(question, (passage,))

    def covered_by_any(self, question: str, passages: Iterable[str]) -> bool:
        """One of the passages writes every content word of the question (at least MIN_WORDS
        of them); the question is segmented once for all of them."""
        words = self.content_words(question)
        if len(words) < MIN_WORDS:
            return False
        return any(
            all(self.written(word, passage.casefold()) for word in words) for passage in passages
        )

    def unwritten(self, question: str, text: str) -> list[str]:
        """The question's content words that the text writes neither as such nor as a
        lexicon synonym."""
        folded = text.casefold()
        return [word for word in self.content_words(question) if not self.written(word, folded)]

    def written(self, word: str, folded: str) -> bool:
        """The (case-folded) text writes the word, or a lexicon synonym of it. An English
        word is looked for at the start of a word, by its stem (`_latin_written`)."""
        return self.matcher(word)(folded)

    def forms(self, word: str) -> tuple[str, ...]:
        """The word and the words a text may write for it (its lexicon synonyms and
        phrasings), case-folded."""
        others = (*self._lexicon.synonyms_of(word), *self._lexicon.phrased(word))
        return tuple(dict.fromkeys(form.casefold() for form in (word, *others)))

    def matcher(self, word: str) -> Callable[[str], bool]:
        """`written` for one word, its synonyms looked up once: for reading many passages
        (a phrasing's patterns are run over the word on each lookup)."""
        others = [
            other.casefold()
            for other in (*self._lexicon.synonyms_of(word), *self._lexicon.phrased(word))
        ]
        own = word.casefold()
        if _LATIN_WORD.fullmatch(word):
            return lambda folded: _latin_written(own, folded) or any(o in folded for o in others)
        return lambda folded: own in folded or any(o in folded for o in others)

    def _tools(self) -> tuple[jieba.Tokenizer, frozenset[str]]:
        loaded = self._loaded
        if loaded is not None:
            return loaded
        with self._lock:
            if self._loaded is None:
                terms = self._lexicon.terms()
                tokenizer = jieba_for(terms)
                self._loaded = (tokenizer, function_words(tokenizer) - terms)
            return self._loaded


def _latin_written(word: str, folded: str) -> bool:
    """An English word at the start of a word of the text, its last three letters free
    ("companies" in "company", "invested" in "investment"; "rate" not in "corporate")."""
    stem = word[: max(5, len(word) - 3)]
    return re.search(rf"(?<![a-z0-9]){re.escape(stem)}", folded) is not None
