"""Homophone correction against the knowledge base's own vocabulary.

Entrepreneurs type with a pinyin input method, so their typos are homophones: 首代户 for
首贷户, 技该基金 for 技改基金, 境外上是 for 境外上市. Character n-gram BM25 half-survives such a
typo, but the dense encoder and the scope check read 首代 as a different word (bench/quality:
typo questions had the lowest recall and 7% were refused). The lexicon's misspelling list
fixes the typos someone wrote down; this fixes the rest by sound.

A window of 2-4 characters is replaced by a vocabulary word when all of these hold:
- it is not a word itself: not in jieba's general dictionary, not a lexicon term, and never
  written in the knowledge base (so official wording is never "corrected");
- it does not cut through a dictionary word of the question (so "政府有" never becomes 政负有);
- its toneless pinyin equals the word's and at most half of the characters differ;
- the word is the knowledge base's own: a lexicon term, or a word the corpus uses at least
  twice and much more often than general Chinese does (so 不能 or 小时 are never targets),
  or a phrase of such words it keeps writing (后备库, which jieba reads as 后备 + 库), which
  may mend only its own word's characters (`_phrases`, `_phrase_fits`).
"""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from index.function_words import function_words
from index.lexicon import Lexicon
from index.snapshot import Snapshot
from index.sparse import jieba_for

if TYPE_CHECKING:
    import jieba

log = logging.getLogger(__name__)

_RUN = re.compile("[\u4e00-\u9fff]+")
WINDOWS = (4, 3, 2)  # longest first: 首代户 is fixed as one word, not as 首代 + 户
MIN_CORPUS_COUNT = 2
# A corpus word is a correction target when its share of the corpus is at least this many
# times its share of general Chinese (jieba's frequencies): 上市 scores ~140, 材料 ~16,
# 小时 ~1 and 工作 ~1. Chosen by reading every change it made to the 1,000 questions and
# scope examples of bench/quality and the lexicon (issue-3 notes).
MIN_SALIENCE = 3.0
# phrases of PHRASE_MIN or more characters the corpus writes at least PHRASE_MIN_COUNT times
# are targets too (`_phrases`)
PHRASE_MIN = 3
PHRASE_MIN_COUNT = 3
# a correction that cuts a word of the question may leave this much of it, if that is a word,
# when the correction is at least MIN_LEAVING_TARGET characters long (但保费 → 担保费 leaving
# 补贴; a two-character one misreads too much: H股全流通 → 股权 + 流通)
MIN_REST = 2
MIN_LEAVING_TARGET = 3
# a homophone the rules above leave alone (a dictionary word: 后背, 上线; or one cutting the
# question's words: 企业哭里) is mended when its neighbours confirm it: with the corpus word and
# the next (or previous) CONTEXT_CHARS characters the text is written in the knowledge base,
# as typed it is not (`_confirmed_by_context`; set before measuring, not tuned)
CONTEXT_CHARS = 2
# a changed character inside a written string this long that reaches past the window keeps
# its place (`_in_written_beyond`; set before measuring, not tuned: three, since two written
# characters are everywhere)
WRITTEN_BEYOND = 3


@dataclass(frozen=True)
class HomophoneCorrector:
    targets: dict[tuple[str, ...], str]  # toneless pinyin → the word it most likely meant
    written: frozenset[str]  # every 2-4 character string the corpus contains
    tokenizer: jieba.Tokenizer
    phrases: frozenset[str] = frozenset()  # the targets that are phrases (`_phrases`)

    @classmethod
    def build(cls, texts: Iterable[str], terms: Iterable[str]) -> HomophoneCorrector:
        """Vocabulary from the corpus texts (documents and FAQ) plus the lexicon's terms."""
        all_terms = frozenset(terms)
        tk = jieba_for(all_terms)  # the same cached instance the jieba tokeniser would use
        terms = sorted(t for t in all_terms if _RUN.fullmatch(t) and 2 <= len(t) <= max(WINDOWS))
        counts: Counter[str] = Counter()
        grams: Counter[str] = Counter()
        written: set[str] = set()
        for text in texts:
            for run in _RUN.findall(text):
                for n in WINDOWS:
                    written.update(run[i : i + n] for i in range(len(run) - n + 1))
                tokens = tk.lcut(run)
                counts.update(w for w in tokens if 2 <= len(w) <= max(WINDOWS))
                counts.update(_inner_words(tokens, tk))
                grams.update(_joined(tokens))
        total = sum(counts.values()) or 1

        def salience(word: str) -> float:
            return (counts[word] / total) / ((tk.FREQ.get(word, 0) + 1) / tk.total)

        words = [
            w for w, k in counts.items() if k >= MIN_CORPUS_COUNT and salience(w) >= MIN_SALIENCE
        ]
        phrases = _phrases(grams, frozenset(words), tk)
        # the most used word wins a pinyin collision; lexicon terms win over corpus words, and
        # words over phrases
        ranked = (
            sorted(phrases, key=lambda w: grams[w])
            + sorted(words, key=lambda w: counts[w])
            + sorted(terms, key=len)
        )
        targets = {_pinyin(w): w for w in ranked}
        kept = frozenset(phrases) & frozenset(targets.values())
        return cls(targets, frozenset(written), tk, kept)

    def correct(self, text: str) -> str:
        return _RUN.sub(lambda m: self._confirmed_by_context(self._correct_run(m.group(0))), text)

    def _confirmed_by_context(self, run: str) -> str:
        """Homophones the knowledge base's own phrases confirm. 上市后背企业库: 后背 is a
        dictionary word, so the window rules keep it, but the corpus writes 后备企业 and never
        后背企业; 上市后备企业哭里: 企业哭 cuts jieba's 上市后备企业 and 哭里, but 企业库里 is
        written. The window itself must be written nowhere, differ from the corpus word by one
        character, and not change a word of the question the corpus writes (专精特新贷 keeps
        专精特新 though 信贷风险 is written)."""
        if len(run) < min(WINDOWS):
            return run
        sounds = _pinyin(run)
        if len(sounds) != len(run):
            return run
        spans = [(a, b, word) for word, a, b in self.tokenizer.tokenize(run)]
        out = run
        for n in (3, 2):
            for i in range(len(out) - n + 1):
                window = out[i : i + n]
                target = self.targets.get(sounds[i : i + n])
                if (
                    target is None
                    or target == window
                    or _differs_by(window, target) > 1
                    or window in self.written
                    or not self._context_confirms(out, i, window, target)
                    or self._changes_a_written_word(out, spans, i, window, target)
                    or self._breaks_a_word(out, spans, i, window, target)
                ):
                    continue
                out = out[:i] + target + out[i + n :]
        return out

    def _context_confirms(self, run: str, i: int, window: str, target: str) -> bool:
        """The corpus writes the target with its neighbours on one side, and never the window."""
        end = i + len(window)
        right = run[end : end + CONTEXT_CHARS]
        left = run[max(0, i - CONTEXT_CHARS) : i]
        span = max(WINDOWS)
        if len(right) == CONTEXT_CHARS and (
            (target + right)[:span] in self.written and (window + right)[:span] not in self.written
        ):
            return True
        return len(left) == CONTEXT_CHARS and (
            (left + target)[-span:] in self.written and (left + window)[-span:] not in self.written
        )

    def _breaks_a_word(
        self, run: str, spans: list[tuple[int, int, str]], i: int, window: str, target: str
    ) -> bool:
        """The window cuts a dictionary word of the question in its unchanged characters,
        and with the target that word's text is written nowhere: the question read as
        typed, a word and its neighbour ("股份公司时缴纳的所得税": 时缴 cuts 缴纳, and 实缴纳 is
        written nowhere, so 时 had become 实 and the question named 实缴出资). 交易见证书 is
        still mended (鉴证书 is written), and 上市后备企业裤 (上市后备企业库)."""
        changed = [i + k for k, (x, y) in enumerate(zip(window, target, strict=True)) if x != y]
        words = [(a, b) for a, b, _ in spans if b - a >= 2]
        for a, b in _cut_words(words, i, i + len(window)):
            if any(a <= at < b for at in changed) or self.tokenizer.FREQ.get(run[a:b], 0) == 0:
                continue
            whole = _completed(run, (a, b), i, target)
            span = max(WINDOWS)  # the corpus's strings are known up to this length
            if not (
                whole[:span] in self.written or whole[-span:] in self.written or self._a_word(whole)
            ):
                return True
        return False

    def _changes_a_written_word(
        self, run: str, spans: list[tuple[int, int, str]], i: int, window: str, target: str
    ) -> bool:
        """A changed character lies in a word of the question (two characters or more, not
        the window itself) that the corpus writes or that is a function word (不但保费补贴
        keeps 不但), or in one of the corpus's own words however jieba reads the question
        (投子基金 keeps 子基金, which jieba reads as 投子 + 基金)."""
        grammar = function_words(self.tokenizer)
        for k, (typed, meant) in enumerate(zip(window, target, strict=True)):
            if typed == meant:
                continue
            if self._in_target(run, i + k, window):
                return True
            for a, b, word in spans:
                if (
                    a <= i + k < b
                    and b - a >= 2
                    and word != window
                    and (word in self.written or word in grammar)
                ):
                    return True
        return False

    def _correct_run(self, run: str) -> str:
        if len(run) < min(WINDOWS):
            return run
        sounds = _pinyin(run)
        if len(sounds) != len(run):  # a character pypinyin cannot read: leave the run alone
            return run
        words = [
            (a, b) for w, a, b in self.tokenizer.tokenize(run) if b - a >= 2 and self._known(w)
        ]
        out: list[str] = []
        i = 0
        while i < len(run):
            fix = self._fix_at(run, sounds, words, i)
            out.append(fix or run[i])
            i += len(fix) if fix else 1
        return "".join(out)

    def _fix_at(
        self, run: str, sounds: tuple[str, ...], words: list[tuple[int, int]], i: int
    ) -> str | None:
        for n in WINDOWS:
            window = run[i : i + n]
            if len(window) < n or self._known(window):
                continue
            target = self.targets.get(sounds[i : i + n])
            if target is None or _differs_by(window, target) > max(1, n // 2):
                continue
            if target in self.phrases and not self._phrase_fits(run, window, target, words, i):
                continue
            if self._in_written_beyond(run, i, window, target):
                continue
            if all(self._completes(run, w, i, target) for w in _cut_words(words, i, i + n)):
                return target
        return None

    def _in_written_beyond(self, run: str, i: int, window: str, target: str) -> bool:
        """A changed character lies in a string of WRITTEN_BEYOND characters or more, reaching
        past the window, that the corpus writes: the question quotes the knowledge base's own
        wording there. "用渔光贷能贷多少" became 用于光贷 (用渔 is written nowhere, 用于 is a word
        of the corpus) although the corpus writes its product “渔光贷” (zheling, written blind)."""
        end = i + len(window)
        for k, (typed, meant) in enumerate(zip(window, target, strict=True)):
            if typed == meant:
                continue
            at = i + k
            for n in range(WRITTEN_BEYOND, max(WINDOWS) + 1):
                for a in range(max(0, at - n + 1), min(at, len(run) - n) + 1):
                    if (a < i or a + n > end) and run[a : a + n] in self.written:
                        return True
        return False

    @cached_property
    def _words(self) -> frozenset[str]:
        return frozenset(self.targets.values())

    def _phrase_fits(
        self, run: str, window: str, phrase: str, words: list[tuple[int, int]], i: int
    ) -> bool:
        """A phrase mends only its own word's characters, never a word the corpus writes.

        The changed characters must lie inside a word of the phrase that is a target itself
        (后被库 → 后备库 mends 后备; 向企业 is not mended into 乡企业, where 乡 is no word of
        it), and outside any word of the question the corpus writes or targets (投子基金 keeps
        子基金 rather than becoming 投资基金)."""
        changed = [k for k, (x, y) in enumerate(zip(window, phrase, strict=True)) if x != y]
        if not all(self._in_target(phrase, k, phrase) for k in changed):
            return False
        if any(a <= i + k < b and run[a:b] in self.written for k in changed for a, b in words):
            return False
        return not any(self._in_target(run, i + k, window) for k in changed)

    def _in_target(self, text: str, at: int, besides: str) -> bool:
        """Whether the character at `at` lies in a target word written in `text`, other
        than `besides` (the phrase itself, or the typed window it would replace)."""
        return any(
            text[a : a + n] in self._words and text[a : a + n] != besides
            for n in (2, 3, 4)
            for a in range(max(0, at - n + 1), min(at, len(text) - n) + 1)
        )

    def _completes(self, run: str, word: tuple[int, int], i: int, target: str) -> bool:
        """A window may cut a word of the question only when the correction completes it
        into a longer word the vocabulary knows, on either side: jieba reads 创业担保贷宽 as the
        term 创业担保贷 + 宽, and 贷宽 → 贷款 makes 创业担保贷款 (a blind KB's typo question went
        unanswered); it reads 但保费补贴 as 但 + 保费补贴, and 但保 → 担保 makes 担保费补贴."""
        a, b = word
        whole = _completed(run, word, i, target)
        if len(whole) > b - a and self._a_word(whole):
            return True
        return self._leaves_a_word(run, word, i, target)

    def _leaves_a_word(self, run: str, word: tuple[int, int], i: int, target: str) -> bool:
        """The window takes the head of the word it cuts and leaves a word the vocabulary
        knows: 但保费补贴 (jieba: 但 + 保费补贴) becomes 担保费 + 补贴 where the documents write
        担保费 and 补贴 but never 担保费补贴 (four sets' "但保费补贴…" questions found the
        保险 notices first)."""
        a, b = word
        end = i + len(target)
        rest = run[end:b]
        return (
            len(target) >= MIN_LEAVING_TARGET
            and i < a < end < b
            and len(rest) >= MIN_REST
            and self._known(rest)
        )

    def _a_word(self, text: str) -> bool:
        """A word the vocabulary knows as one (a target or a dictionary word), not only a
        string the corpus happens to hold: danjiang's corpus holds 回补偿 (in 追回补偿), which
        had made "政府会补偿" into 政府回补偿; luting's 云屿片区 had become 云于片区 the same way."""
        return text in self._words or self.tokenizer.FREQ.get(text, 0) > 0

    def _known(self, word: str) -> bool:
        return word in self.written or self.tokenizer.FREQ.get(word, 0) > 0


def _inner_words(tokens: list[str], tk: jieba.Tokenizer) -> Iterable[str]:
    """The dictionary words inside a term longer than a window: the lexicon's 上市后备企业 and
    后备企业库 are single tokens, so the 后备 and 企业库 they hold were never counted, and a
    question's 后被企业 or 企业裤 was left uncorrected and then declined (a typo question on
    each of four sets, session 36)."""
    for token in tokens:
        if len(token) > max(WINDOWS):
            yield from (w for w in tk.cut_for_search(token) if 2 <= len(w) <= max(WINDOWS))


def _joined(tokens: list[str]) -> Iterable[str]:
    """Two or three consecutive words read as one phrase of PHRASE_MIN to 4 characters: a
    phrase ends where a word does (后备/库 gives 后备库; 奖励/实行 gives no 奖励实)."""
    for i in range(len(tokens)):
        phrase = tokens[i]
        for nxt in tokens[i + 1 : i + 3]:
            phrase += nxt
            if len(phrase) > max(WINDOWS):
                break
            if len(phrase) >= PHRASE_MIN:
                yield phrase


def _phrases(grams: Counter[str], salient: frozenset[str], tk: jieba.Tokenizer) -> list[str]:
    """The corpus's recurring 3-4 character phrases around one of its own words: 后备库, 转贷资金
    (whole words joined, `_joined`).

    jieba reads 后备库 as 后备 + 库, so as a word it was never a target, and its typos were
    not fixed: 后被库 because the corpus happens to write 后被 elsewhere ("入库后被移出"),
    后背库 because 后背 is a dictionary word; each of the two was left alone as a known
    word. As a phrase, 后被库 and 后背库 are written nowhere, sound like 后备库, and differ
    from it by one character. A phrase counts when the corpus writes it PHRASE_MIN_COUNT
    times, it holds one of the corpus's salient words, and it is not a dictionary word
    (those are already targets, or not, by their salience)."""
    return [
        g
        for g, k in grams.items()
        if k >= PHRASE_MIN_COUNT
        and tk.FREQ.get(g, 0) == 0
        and any(g[i : i + n] in salient for n in (2, 3) for i in range(len(g) - n + 1))
    ]


def _completed(run: str, word: tuple[int, int], i: int, target: str) -> str:
    """The question's word that a window at `i` cuts, with the target in the window's place:
    the word's text before the window, the target, the word's text after it."""
    a, b = word
    end = i + len(target)
    return run[min(a, i) : i] + target + run[end : max(b, end)]


def _cut_words(words: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The question's words that the window [start, end) cuts through (overlaps, not holds)."""
    return [(a, b) for a, b in words if a < end and b > start and not (start <= a and b <= end)]


def _differs_by(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=True))


def load_pinyin() -> None:
    """Import pypinyin now (≈0.35 s: its phrase dictionary), so the first question with a
    run of unknown characters does not wait for it; a bot's warm-up calls it."""
    _pinyin("担保")


def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text, errors="ignore"))


class SpellingCorrector:
    """The corrector for the live snapshot, rebuilt when a new generation is published.

    Building one segments the whole corpus (~0.5 s for the sample knowledge base, plus ~1 s
    to load jieba's dictionary the first time), so it is built once per generation and
    shared by the worker threads that answer questions.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        self._terms = lexicon.terms()
        self._lock = threading.Lock()
        self._built: tuple[int, HomophoneCorrector] | None = None

    def correct(self, snap: Snapshot, text: str) -> str:
        return self.for_snapshot(snap).correct(text)

    def for_snapshot(self, snap: Snapshot) -> HomophoneCorrector:
        built = self._built
        if built is not None and built[0] == snap.generation:
            return built[1]
        with self._lock:
            if self._built is None or self._built[0] != snap.generation:
                texts = (ref.embed_text for ref in snap.entries.values())
                self._built = (snap.generation, HomophoneCorrector.build(texts, self._terms))
                log.debug("homophone vocabulary built for generation %d", snap.generation)
            return self._built[1]


__all__ = ["HomophoneCorrector", "SpellingCorrector"]
