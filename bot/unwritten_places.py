"""Places a question names that no document in force writes.

A bureau's documents name its own places (the district, its parks, the city and province
above it) and the places whose schemes stack with its own. A question that asks about a place
they never write ("梧溪市对企业上市的奖励标准是怎样的？", "岷东新区的首贷贴息比例是多少？",
"What is Wuxi City's guarantee fee subsidy rate?") asks for another place's policy, which the
knowledge base cannot state, however close its subject is to the documents'.

This reads nothing from the shipped place lists: what counts as written is the documents' own
text, so it holds for any bureau's knowledge base. A place is read as two characters and a
level (梧溪市, 岷东新区, 柳溪县); jieba's dictionary tells a place name from the tail of an
everyday word (利息县里, 保险县财政), and the words that follow a level tell the asker's own level
(市里, 县级, 区内) and market words (市场, 市值, 区域) from a place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import Final

from bot.kb_scope import (
    EVERYDAY_PLACE_ENDINGS,
    NOT_IN_PLACE_NAME,
    PINYIN_WORD,
    KbFacts,
    WrittenText,
    latin,
)
from bot.scope import ORIGIN

# the characters of a level ("州" of 霞州市 is its level's, not a name's)
_LEVELS: Final = frozenset("省市县区州旗盟")
# a place's name before its level: two characters (not tuned: the 27 bench sets' questions
# were read for what the pattern flags, session 37)
NAME_CHARACTERS: Final = 2
# the name and a level, not followed by what makes it the asker's own level or a word
_CJK_PLACE: Final = re.compile(
    rf"([\u4e00-\u9fff]{{{NAME_CHARACTERS}}})(新区|省|市|县|区|州|旗|盟)"
    r"(?![里级内外域场值民政城委长属直管财下舰帜])"
)
# the levels of an autonomous region's places, a banner (旗) and a league (盟), end everyday
# words too (加盟, 联盟, 红旗, 锦旗): there the level's character and the one before it are no
# name (aoqin, written blind: "查干旗的创业担保贷款个人最高能贷多少？" was answered from the
# banner's own measure)
_WORD_ENDING_LEVELS: Final = frozenset("旗盟")
# words ending like a place that are not one (企业上市, 城市, 园区 …, and the kinds of area a
# question names: 山区, 港区, 林区 …)
_NOT_A_PLACE: Final = (
    *EVERYDAY_PLACE_ENDINGS, "山区", "郊区", "校区", "厂区", "港区", "库区", "矿区", "林区",
    "牧区", "空区",
)  # fmt: skip
# "Wuxi City's", "Linzhan city": a capitalised pinyin name and a level
_LATIN_PLACE: Final = re.compile(
    r"\b([A-Z][a-z]+)\s+(?i:city|county|province|district|new\s+area|prefecture|banner|league)\b"
)


@cache
def _dictionary_tags() -> dict[str, str]:
    """jieba's default dictionary, word → part of speech (0.2 s once, warmed by kb_facts)."""
    import jieba.posseg

    tags: dict[str, str] = jieba.posseg.dt.word_tag_tab
    return tags


def warm() -> None:
    _dictionary_tags()


def dictionary_word(word: str) -> bool:
    """jieba's dictionary holds the word (利息, 理财, 金融): a word of the language."""
    return word in _dictionary_tags()


def _everyday_word(stem: str) -> bool:
    """A dictionary word that is not a place name (利息, 保险, 挂牌): what precedes 县 in
    "利息县里" is not a county's name."""
    tag = _dictionary_tags().get(stem)
    return tag is not None and tag != "ns"


def _ends_a_word(question: str, start: int) -> bool:
    """The name's first character is the last of a dictionary word before it: in
    "贷款走区担保公司" the 款 of 贷款, so 款走 names no place (lanwan, seen)."""
    tags = _dictionary_tags()
    return any(question[start - k : start + 1] in tags for k in (1, 2) if start - k >= 0)


# a number before a level counts places, it names none: "澜边两市", "三县"
_COUNTING: Final = frozenset("两二三四五六七八九十几多")


def _counts_places(stem: str, question: str, start: int, written: WrittenText) -> bool:
    """The name ends in a number ("梧岭、澜边两市企业": 边两 counts the two cities), or its first
    character ends a name the documents write (澜边 of 澜边市): the two characters straddle a
    written place and a count (cenjiang, written blind: "东盟子基金对投向梧岭、澜边两市企业的资金
    有没有最低比例？" was declined as asking about a place 边两市)."""
    if stem[-1] in _COUNTING:
        return True
    return start >= 1 and written.writes(question[start - 1 : start + 1])


def named_places(
    question: str, written: WrittenText, listed: Callable[[str], bool] = lambda name: False
) -> Iterator[tuple[str, int]]:
    """Each place the question names in Chinese (two characters and a level) with where it
    starts: not the tail of an everyday word, nor a count of places. A name ending as an
    everyday word does (栝城区: 城区), or a word of the dictionary and a level (宝音旗), is a
    place where `listed` says the documents list it as one."""
    for match in _CJK_PLACE.finditer(question):
        stem, name = match.group(1), match.group(0)
        if not (
            NOT_IN_PLACE_NAME.intersection(stem)
            or (name.endswith(_NOT_A_PLACE) and not listed(name))
            or (name[-1] in _WORD_ENDING_LEVELS and dictionary_word(name[-2:]))
            or (_everyday_word(stem) and not listed(name))
            or _ends_a_word(question, match.start())
            or _counts_places(stem, question, match.start(), written)
        ):
            yield name, match.start()


def unwritten_place(question: str, written: WrittenText) -> str | None:
    """The first place the question names that the documents never write, nor a homophone
    of one (丰源县 typed for the written 丰原县), nor its last part (今天沅州天气 names 沅州), nor
    a place it abbreviates (经开区 where they write 磐溪经济开发区: panxi, written blind). A place
    the asker comes from is not asked about."""
    for name, start in named_places(question, written):
        if ORIGIN.search(question[:start]):
            continue
        stem = name[:NAME_CHARACTERS]
        # its last part, where that is a name and a level (沅州 of 天沅州), not two levels (州市 of
        # 霞州市, which 栝州市 writes)
        tail = name[1:] if name[1] not in _LEVELS else ""
        if name[-1] in _WORD_ENDING_LEVELS:
            # a banner's or a league's name is written whole: its first two characters
            # open longer names too (查干 of 查干淖尔苏木, 宝音 of a person's 宝音图)
            if written.writes(name):
                continue
        elif written.writes(stem) or (tail and written.writes(tail)) or written.abbreviates(name):
            continue
        if latin(stem).lower() in written.place_names():
            continue
        return name
    for match in _LATIN_PLACE.finditer(question):
        word = match.group(1)
        if (
            PINYIN_WORD.fullmatch(word)
            and word.lower() not in written.place_names()
            and not written.writes(word)
            and not ORIGIN.search(question[: match.start()])
        ):
            return match.group(0)
    return None


def sibling_place(question: str, facts: KbFacts) -> str | None:
    """A place beside a county-level deployment that the documents write as a government of
    its own ("澄沙区人民政府", "由澄沙区财政承担"), asked about on its own: "澄沙区的知识产权质押
    贷款贴息标准是多少？" in a district's knowledge base whose zone is run jointly with 澄沙区
    (jihu, written blind: three such questions were answered from the district's own measures,
    which apply to its own firms). The documents write the neighbour, so it is no unwritten
    place, and they hold none of its measures. Inside a county-level place no place with a
    government of its own lies (its towns are 镇, 乡, 街道), so nothing it names is inside;
    a city's or a province's counties are (`KbFacts.beside_only`)."""
    if not facts.beside_only:
        return None
    for name, _ in named_places(question, facts.written, facts.listed_beside):
        if facts.governs_beside(name):
            return name if facts.asked_on_its_own(question, name) else None
    return None
