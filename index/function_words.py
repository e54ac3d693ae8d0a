"""The words jieba's dictionary tags as function words (pronouns, numerals, adverbs,
prepositions, conjunctions, particles, time and place words): 多少, 什么, 不但, 可以.

Read once per tokenizer and shared: the coverage overrule does not count them as content, and
the homophone correction never rewrites one (不但保费补贴 stays as typed). Only this small set
(~24k words, a few MB) is kept: jieba's full part-of-speech tagger would add ~100 MB.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

# jieba's tags of content words: nouns, verbs, adjectives, abbreviations, idioms, fixed
# expressions, Latin, unclassified; every other tag marks a function word
_CONTENT_TAG_STARTS = ("n", "v", "a", "j", "i", "l", "eng", "x")
_FUNCTION_WORD_LINE = re.compile(
    rf"^(\S{{2,}})[ \t]+\S+[ \t]+(?!{'|'.join(_CONTENT_TAG_STARTS)})\S", re.MULTILINE
)


@cache
def function_words(tokenizer: jieba.Tokenizer) -> frozenset[str]:
    """Words of two characters or more that the tokenizer's dictionary tags as function words.

    One regular expression over the whole dictionary file ("word count tag" per line), not a
    Python loop over its 350,000 lines: 0.12 s instead of 0.35 s, once per tokenizer."""
    with tokenizer.get_dict_file() as fh:
        raw = fh.read()
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    return frozenset(_FUNCTION_WORD_LINE.findall(text))
