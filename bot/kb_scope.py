"""What the knowledge base at hand covers: its own places and its own words.

The scope lists ship with finbot, but a bureau's documents decide what is in scope. A
place is only "another place" when the knowledge base holds no policy of it and the
deployment does not name it as home: a district's bureau declines 深圳's rules, a
provincial knowledge base that includes 深圳's notices answers them. (Listed private-life
topics are checked against the passages a question retrieves, in the answer service.)
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from bot.scope import Places
from index.catalog import DocRecord
from index.lexicon import abbreviated, has_cjk
from index.snapshot import Snapshot, documents_in_force
from knowledge.models import DocumentMeta
from knowledge.tables import CELL

_SUFFIX_LATIN: Final = {
    "省": "Province", "自治区": "Region", "市": "City", "区": "District", "县": "County",
    "自治州": "Prefecture", "州": "Prefecture", "旗": "Banner", "盟": "League",
    "自治县": "County", "自治旗": "Banner", "片区": "Area",
}  # fmt: skip
_SUFFIXES: Final = "|".join(sorted(_SUFFIX_LATIN, key=len, reverse=True))
# The peoples an autonomous place is named for (the 55 recognised minorities; some names
# leave out 族: 新疆维吾尔自治区, 伊犁哈萨克自治州)
_PEOPLES_TEXT: Final = (
    "壮 回 维吾尔 藏 苗 彝 土家 蒙古 布依 侗 瑶 朝鲜 白 哈尼 哈萨克 黎 傣 畲 傈僳 仡佬 东乡 拉祜 水 佤 "
    "纳西 羌 土 仫佬 锡伯 柯尔克孜 达斡尔 景颇 毛南 撒拉 布朗 塔吉克 阿昌 普米 鄂温克 怒 京 基诺 德昂 "
    "保安 俄罗斯 裕固 乌孜别克 门巴 鄂伦春 独龙 塔塔尔 赫哲 珞巴"
)
_PEOPLES: Final = _PEOPLES_TEXT.split()
# An autonomous place: its name, the peoples it is named for, then 自治区/州/县/旗
# ("沅溪土家族苗族自治州", "岚峪土家族自治县", "黔东南苗族侗族自治州", "新疆维吾尔自治区"). The
# name holds no level's character, so "湘澧省沅溪…自治州" is read as the province, then the
# prefecture.
_AUTONOMOUS = re.compile(
    r"((?:(?![省市州县区旗盟])[\u4e00-\u9fff]){2,4}?)"
    rf"((?:{'|'.join(sorted(_PEOPLES, key=len, reverse=True))})族?)*"
    r"自治([区州县旗])"
)
# A place name opening a title or an issuer: "望川市松岭区地方金融发展服务中心" → 望川市, 松岭区.
_LEADING_PLACE = re.compile(rf"^({_AUTONOMOUS.pattern}|[\u4e00-\u9fff]{{2,4}}?(?:{_SUFFIXES}))")
# Everyday words that end like a place name but are not one ("企业上市", "城市", "园区", …),
# in a title and in a question alike (`bot.unwritten_places`)
EVERYDAY_PLACE_ENDINGS: Final = (
    "上市", "城市", "超市", "都市", "股市", "楼市", "门市", "集市", "地区", "市区", "城区",
    "园区", "社区", "小区", "景区", "专区", "分区", "辖区", "片区", "街区",
)  # fmt: skip
# … and, opening a title, the words of a zone or of one's own place (新区, 本区, 开发区 …)
_NOT_A_PLACE_END: Final = (
    *EVERYDAY_PLACE_ENDINGS, "新区", "本区", "全区", "各区", "本市", "全市", "各市", "本省",
    "全省", "各省", "本县", "全县", "开发区", "自贸区", "示范区", "功能区", "试验区", "保税区",
    "高新区",
)  # fmt: skip
# a level named alone, the deployment's own way of naming itself ("自治区金融管理局" is the
# region's own bureau; cenjiang, written blind: a joint region-and-city pilot was read as the
# scheme of a place called 自治区): no place's name
_LEVEL_ALONE: Final = frozenset({"自治区", "自治州", "自治县", "自治旗"})
_PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)")
# A pilot free trade zone, which an area (片区) lies in: "中国（溟海）自由贸易试验区" (its full
# name), "溟海自贸试验区", "溟海自贸区". China's 22 pilot FTZs have 70-odd areas, each with its
# own 管委会 and policies; the FTZ itself is not a level of government.
_FTZ = re.compile(
    r"^(?:中国[（(][\u4e00-\u9fff]{2,4}[）)]自由贸易试验区|[\u4e00-\u9fff]{2,4}?自贸(?:试验)?区)"
)
# an area of it: "鹭汀片区", "深圳前海蛇口片区", "广州南沙新区片区" (after the FTZ's name only: 片区
# alone also names parts of a town)
_FTZ_AREA = re.compile(r"^[\u4e00-\u9fff]{2,8}?片区")
_DISTRICT_LEVEL: Final = ("区", "县", "旗")


def leading_places(text: str, known: Collection[str] = ()) -> list[str]:
    """Place names at the start of a title or an issuer, outermost first; `known` names
    (the deployment's own) are places even where they end like an everyday word (钧城市)."""
    return _split_places(text, known)[0]


def _split_places(text: str, known: Collection[str] | None = ()) -> tuple[list[str], str]:
    """The leading place names, and what follows them. An everyday word's ending (城市,
    都市, 门市, 城区) ends the names unless the name is `known`, or `known` is None: a
    jurisdiction as configured is all places (钧城市, 成都市, 江门市, 东城区)."""
    out: list[str] = []
    rest = _PARTY_PREFIX.sub("", text.strip())
    while True:
        if (ftz := _FTZ.match(rest)) is not None:
            if (area := _FTZ_AREA.match(rest[ftz.end() :])) is None:
                return out, rest
            out.append(area.group(0))
            rest = rest[ftz.end() + area.end() :]
            continue
        if (zone := _ZONE_ISSUING.match(rest)) is not None:
            out.append(zone.group(1))
            rest = rest[zone.end(1) :]
            continue
        match = _LEADING_PLACE.match(rest)
        if (
            match is None
            or match.group(1).startswith("关于")
            or (
                known is not None
                and match.group(1).endswith(_NOT_A_PLACE_END)
                and match.group(1) not in known
            )
        ):  # "关于调整区政府…", "关于鸾溪县…" open with no place's name
            return out, rest
        if match.group(1) in _LEVEL_ALONE or (
            known and any(match.group(1).endswith(k) and match.group(1) != k for k in known)
        ):
            # "自治区农担…" names the region by its level alone; "敖沁旗落实乌岚盟…" goes on
            # with a verb before a known place (aoqin, written blind: both were read as the
            # banner's own places, and the region's documents as no level's)
            return out, rest
        out.append(match.group(1))
        rest = rest[match.end() :]


# A zone a deployment names as its own place: "云江省岚州市栖凤高新区" (a title's "…高新区" is
# not read as a place: "园区", "开发区" open too many titles that name none)
_ZONE_SUFFIXES: Final = "高新技术产业开发区|经济技术开发区|经济开发区|高新区|经开区|开发区|新区|自贸区|保税区|试验区|示范区"
_ZONE = re.compile(rf"^[\u4e00-\u9fff]{{2,8}}?(?:{_ZONE_SUFFIXES})$")
_ZONE_SUFFIX = re.compile(rf"(?:{_ZONE_SUFFIXES})$")
# … but a zone by its full name before its 管委会 is one, the body issuing a title's measure:
# "皋宁经济技术开发区管理委员会关于印发…" (luanxi, written blind: a city-run zone on a county's
# land, whose measures the county's knowledge base holds; the zone was taken for a place the
# knowledge base has no documents of, and questions of its firms were declined)
_ZONE_ISSUING = re.compile(
    rf"^([\u4e00-\u9fff]{{2,4}}?(?:{_ZONE_SUFFIXES}))(?:管理委员会|管委会|党工委|工作委员会)"
)
# the short name of a zone's kind, as its firms and its own documents write it
_ZONE_SHORT: Final = {
    "高新技术产业开发区": "高新区",
    "经济技术开发区": "经开区",
    "经济开发区": "经开区",
}


def short_forms(name: str) -> list[str]:
    """松岭区 → 松岭区, 松岭, Songling; 栖凤高新区 → 栖凤高新区, 栖凤, Qifeng; the short form
    only for a stem of two characters or more. An autonomous place is also called by its
    stem with its level: 岚峪土家族自治县 → 岚峪县, 岚峪自治县, 岚峪, Lanyu (its documents and
    its people say 岚峪县, 沅溪州)."""
    autonomous = _AUTONOMOUS.fullmatch(name)
    if autonomous is not None:
        stem = autonomous.group(1)
        return list(dict.fromkeys([name, *_called_with_level(name), stem, latin(stem)]))
    stem = (
        _ZONE_SUFFIX.sub("", name) if _ZONE.match(name) else re.sub(rf"(?:{_SUFFIXES})$", "", name)
    )
    forms = [name, *zone_short_names(name)]
    if len(stem) >= 2:
        forms.append(stem)
        forms.append(latin(stem))
    return forms


def zone_short_names(name: str) -> list[str]:
    """皋宁经济技术开发区 → 皋宁经开区; 栖凤高新技术产业开发区 → 栖凤高新区; nothing for another
    name."""
    kind = _zone_kind(name)
    short = _ZONE_SHORT.get(kind)
    return [name[: -len(kind)] + short] if short else []


def scheme_names(place: str) -> list[str]:
    """What a question calls a place inside the deployment by when it asks for that place's
    scheme: its name and short name (海港区, 海港, Haigang; 皋宁经济技术开发区, 皋宁经开区), and a
    zone's kind alone (经开区) but not a zone's stem, which is its city's (皋宁)."""
    forms = short_forms(place)
    if _ZONE.match(place):
        return [*forms[:2], *_zone_kind_words(place)]
    return forms


def _zone_kind_words(name: str) -> list[str]:
    """The words a zone's own firms call it by without its name: 经济技术开发区, 经开区 of
    皋宁经济技术开发区 ("我们经开区的企业…": luanxi, written blind, whose one 经开区 is the city's,
    beside the county's own measures); nothing for another place."""
    kind = _zone_kind(name)
    short = _ZONE_SHORT.get(kind)
    return [kind, short] if short else [kind] if kind else []


def _called_with_level(name: str) -> list[str]:
    """An autonomous prefecture or county by its stem and level: 沅溪土家族苗族自治州 → 沅溪州,
    沅溪自治州 (a region is called by its stem alone: 广西); nothing for other places."""
    autonomous = _AUTONOMOUS.fullmatch(name)
    if autonomous is None or autonomous.group(3) == "区":
        return []
    stem, level = autonomous.group(1), autonomous.group(3)
    return [stem + level, f"{stem}自治{level}"]


# how a character reads in a place's name where pypinyin, knowing no such name, takes its
# everyday reading: 都 is du in 成都, 花都, 丰都 (沣都 read Fengdou, and "Fengdu city" in an
# English question was another place: jihu, written blind)
_PLACE_READINGS: Final = {"都": "du"}


def latin(name: str) -> str:
    from pypinyin import lazy_pinyin  # 0.35 s to import: a cold `finbot ask` prefetches it

    if len(name) == 1:
        return "".join(lazy_pinyin(name)).capitalize()
    syllables = lazy_pinyin(name)
    if len(syllables) == len(name):
        syllables = [_PLACE_READINGS.get(ch, s) for ch, s in zip(name, syllables, strict=True)]
    return "".join(syllables).capitalize()


def _stem_and_level(name: str) -> tuple[str, str] | None:
    """A place name's stem and its level as written (a key of `_SUFFIX_LATIN`): 青禾区 →
    (青禾, 区); 沅溪土家族苗族自治州 → (沅溪, 自治州), the peoples left out; None for a name with
    no level."""
    autonomous = _AUTONOMOUS.fullmatch(name)
    if autonomous is not None:
        return autonomous.group(1), "自治" + autonomous.group(3)
    match = re.match(rf"^(.+?)({_SUFFIXES})$", name)
    return (match.group(1), match.group(2)) if match is not None else None


def latin_display(name: str) -> str:
    """青禾区 → Qinghe District (the English name shown to users); 岚峪土家族自治县 → Lanyu
    County."""
    split = _stem_and_level(name)
    if split is None:
        return latin(name)
    stem, level = split
    return f"{latin(stem)} {_SUFFIX_LATIN[level]}"


@dataclass(frozen=True)
class Jurisdiction:
    """The deployment's own place, from FINBOT_JURISDICTION ("海澄省望川市松岭区", optionally
    "… | Songling District" for the English name); empty means: read it off the documents."""

    names: tuple[str, ...] = ()  # 海澄省, 望川市, 松岭区 (outermost first)
    latin_name: str = ""

    @classmethod
    def parse(cls, setting: str | None) -> Jurisdiction:
        chinese, _, english = (setting or "").partition("|")
        names, rest = _split_places(re.sub(r"\s+", "", chinese), known=None)
        if _ZONE.match(rest):
            names.append(rest)
        return cls(tuple(names), english.strip())

    @property
    def display(self) -> str:
        return self.names[-1] if self.names else ""

    @property
    def parents(self) -> tuple[str, ...]:
        """The province and city above the deployment's own place (海澄省, 望川市)."""
        return self.names[:-1]


# How a question says "at our own level" for each level of place: 县里, 本县, 县级, 我县, the
# county …; the level is the last character of the deployment's own place (栖凤高新区: 区).
_LEVEL_LATIN: Final = {
    "省": "province|provincial", "市": "city|municipal|municipality", "区": "district|zone",
    "县": "county", "州": "prefecture", "旗": "banner", "盟": "league", "自治区": "region|regional",
    "片区": "area|zone|district|FTZ|free trade zone",
}  # fmt: skip


def _own_level(place: str) -> str:
    """The level a place's own words use: 片区 for an FTZ area (本片区, 片区内, also 区里),
    else its last character."""
    return "片区" if place.endswith("片区") else place[-1:]


# what a level's rank makes of a firm or a person ("省级龙头企业", "州级非遗代表性传承人", "市级专精
# 特新"): a kind of firm, not that level's policy (daizhou, written blind: "海产品加工企业是省级龙头
# 的，贴息上限多少？" was read as asking for the province's measure)
_RANKED_KIND: Final = "龙头|示范|重点|专精特新|非遗|高新|科技型|农业产业化|代表性|人才"


def _level_words(level: str, zone: str = "") -> re.Pattern[str] | None:
    """How a question says "at our own level"; a zone is also called by its kind alone
    (`zone`: "新区还能再贴吗？", "高新区给多少？"). "市、县两级合计" counts the own level in: a
    figure of both levels together is not the level above's own (luanxi: "与皋宁市政府投资
    引导基金共同出资的，市、县两级合计出资比例不超过50%" is no cap of the city's fund alone)."""
    latin = _LEVEL_LATIN.get(level)
    if latin is None:
        return None
    chinese = "(?:片区|区)" if level == "片区" else level
    alone = f"|{zone}" if zone else ""
    # not the 本市 of 资本市场 (xipu, written blind: a district measure's "支持企业利用资本市场…"
    # heading was read as the city's)
    return re.compile(
        rf"(?:本|我|全|咱|咱们|你们|贵){chinese}(?!场)"
        rf"|{chinese}(?:里|内|级(?!{_RANKED_KIND})|两级|上(?!市)|财政|政府){alone}"
        rf"|\b(?:our|the|this|your)\s+(?:{latin})\b",
        re.IGNORECASE,
    )


def _level_body(level: str) -> re.Pattern[str] | None:
    """A level's own guarantee body (市担保公司, 州担保集团): it says which level's measure a
    question asks for ("找市担保公司担保，费率最多收多少？" in a county-level city whose
    prefecture's guarantee group has a fee measure too: panxi, written blind), though not that
    the question is about its own level rather than another's (`KbFacts.level_asked` only)."""
    if level not in _LEVEL_LATIN:
        return None
    return re.compile(rf"(?<!上){level}担保")


# how a county-level city's people name the prefecture-level city above it, whose level words
# (市里, 本市, 市级) are their own city's: 大市, 大市里, 地级市
_BIG_CITY: Final = re.compile(r"(?<![扩放])大市(?!场|值|民)|地级市")


def shares_level(name: str, own: str) -> bool:
    """The level above `name` is of the same kind as the deployment's own (`own`, its level
    character): a county-level city under a prefecture-level city, both 市. Its level words
    then say the deployment's own level, and the level above is named by its name or as the
    大市 (zhewan, written blind: "本市…再融资奖励标准是什么？" in 柘湾市 was declined as asking
    for 澹州市's)."""
    split = _stem_and_level(name)
    level = split[1] if split else name[-1:]  # 自治区 is no 区's kind (广西 above 青秀区)
    return bool(own) and level == own


def _zone_kind(place: str) -> str:
    """栖凤高新区 → 高新区, 澹江新区 → 新区; "" for a place that is not a zone."""
    if not _ZONE.match(place):
        return ""
    found = _ZONE_SUFFIX.search(place)
    return found.group(0) if found else ""


# a level's figure: an amount, a share, a rate or a time ("500万元", "40%", "1.2个百分点",
# "3年", "10个工作日"), not a year ("2030年"); also in Chinese numerals, as measures write them
# ("一般不超过五百万元", "百分之二十", "十个工作日": heting, written blind in session 62)
_CN_NUMERAL = "[零〇一二两三四五六七八九十百千]"
_LEVEL_AMOUNT = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万元|亿元|万美元|元|%|‰|个百分点|倍)"
    r"|(?<!\d)\d{1,3}\s*(?:年(?!\d)|个月|个工作日|工作日|天)"
    rf"|{_CN_NUMERAL}+(?:点{_CN_NUMERAL}+)?(?:万元|亿元|万美元|个百分点|倍)"
    rf"|百分之{_CN_NUMERAL}+(?:点{_CN_NUMERAL}+)?|{_CN_NUMERAL}{{1,3}}(?:个月|个工作日)"
)
_SENTENCE_BREAK = re.compile(r"[。；;！？!?\n]")
# the numbered headings of a compilation's entries, by depth: 第一章, 一、, （一）, 1.
_HEADING_DEPTHS: Final = (
    re.compile(r"^\s*第[一二三四五六七八九十百]+[章编篇]"),
    re.compile(r"^\s*[一二三四五六七八九十]{1,3}、"),
    re.compile(r"^\s*[（(][一二三四五六七八九十]{1,3}[）)]"),
    re.compile(r"^\s*\d{1,2}[.．、](?!\d)"),
)
# a heading that names some level, whichever: "三、省级政策", "一、区级政策"
_ANY_LEVEL = re.compile(r"[省市县区州盟旗][级里]|国家级|中央")


def _heading_depth(line: str) -> int | None:
    """How deep a numbered heading line stands (0 for a chapter), None for other lines."""
    return next((depth for depth, p in enumerate(_HEADING_DEPTHS) if p.match(line)), None)


def _names_a_level(heading: str) -> bool:
    return _ANY_LEVEL.search(heading) is not None


def _cites_level(name: str, local: Iterable[str]) -> re.Pattern[str] | None:
    """A citation of a level's measure: its title opening with the level's name ("《沅川省…"),
    or a 文号 opening with the first character of its stem, as places abbreviate themselves
    ("沅金管〔2029〕20号"), unless the deployment's own name opens with that character too."""
    split = _stem_and_level(name)
    if split is None:
        return None
    stem = split[0]
    titles = "|".join(re.escape(n) for n in dict.fromkeys([name, stem]) if len(n) >= 2)
    if not titles:
        return None
    own_initials = {n[0] for n in local if n}
    number = (
        rf"|(?<![\u4e00-\u9fff]){re.escape(stem[0])}[\u4e00-\u9fff]{{1,4}}〔\d{{4}}〕"
        if stem[0] not in own_initials
        else ""
    )
    return re.compile(rf"《(?:{titles}){number}")


def _parent_in_passages(name: str, own: str = "") -> re.Pattern[str] | None:
    """How a document names a level above: by its name or stem ("泾屏市", "泾屏") or by the
    level's words ("市级", "市财政", "全市"), unless they are the deployment's own level's
    (`own`, `shares_level`: then as the 大市)."""
    split = _stem_and_level(name)
    if split is None:
        return None
    stem, level = split
    words = _BIG_CITY if shares_level(name, own) else _level_words(level[-1])
    names = [re.escape(n) for n in (name, *_called_with_level(name))]
    if len(stem) >= 2:
        names.append(re.escape(stem))
    alternatives = "|".join([*names, *([words.pattern] if words is not None else [])])
    return re.compile(alternatives, re.IGNORECASE)


def _parent_pattern(name: str, own_level: str = "") -> re.Pattern[str]:
    """临渠市, or in English "Linqu City" / "Linqu municipal" / "city of Linqu"; an autonomous
    prefecture also as 沅溪州, 沅溪自治州; and by its level alone, 省里 / 州里 / 市里, when the
    deployment's own level (`own_level`, its last character) is another one (a county-level
    city's 市里 is its own)."""
    split = _stem_and_level(name)
    if split is None:
        return re.compile(re.escape(name))
    stem, level = split
    # an autonomous region is a region in English, not a district; an autonomous prefecture
    # is a prefecture
    words = _LEVEL_LATIN.get(level) or _LEVEL_LATIN.get(level[-1], "")
    # … but not the level's rating of a firm or a house ("黔岭省等级民宿", "黔岭省级龙头": meixi,
    # written blind: a homestay's rating was read as asking for the province's measure)
    rating = rf"(?!等级|星级|级(?:{_RANKED_KIND}))"
    alternatives = [re.escape(n) + rating for n in (name, *_called_with_level(name))]
    shared = shares_level(name, own_level)
    if own_level and level[-1] != own_level:
        alternatives.append(rf"(?<![城超都门集]){level[-1]}里")
    elif shared:
        # … as the 大市, and by its stem alone, since its level words are the deployment's
        # own: "澹州对首台套保险补多少？", "澹州那边的转贷资金"
        alternatives.append(_BIG_CITY.pattern)
        if len(stem) >= 2:
            alternatives.append(re.escape(stem) + rating)
    if words and len(stem) >= 2:
        pinyin = re.escape(latin(stem))
        alternatives.append(
            rf"\b{pinyin}(?:['’]s)?\s+(?:{words})\b|\b(?:{words})\s+of\s+{pinyin}\b"
        )
        if shared:  # "the Danzhou Angel Investment Fund"
            alternatives.append(rf"\b{pinyin}\b")
    return re.compile("|".join(alternatives), re.IGNORECASE)


# characters that join words into a clause and are never inside an institution's name
_CLAUSE_WORDS: Final = "对给向为在从把被让跟与和及或是有能要想吗呢怎多少设"
# a market institution named after a level above: "越川省股权交易中心", "嘉岭市农商银行" (the
# province's equity exchange is where a district's firms list, not the province's own policy;
# the level's own companies are its policy: "东澄省农业信贷担保公司…费率是多少？")
_INSTITUTION = (
    # the words between the level and the kind of institution are its name ("农商", "区域"),
    # never a clause: "宁湾市对新设科技支行奖励多少钱？" asks for the city's reward (qiyuan,
    # written blind: the city's "…支行" was read as a bank of the city's)
    rf"(?:(?![{_CLAUSE_WORDS}])[\u4e00-\u9fff]){{0,6}}?"
    r"(?:股权交易中心|股交中心|交易中心|股权市场|交易所|证监局|监管局|分行|支行|银行)"
)


def _institution_of(name: str) -> str:
    """A market institution named after the level, by its name or its level alone ("省里
    区域股权市场的专精特新板": the province's equity market, where a county's firms list)."""
    split = _stem_and_level(name)
    level = split[1][-1] if split is not None else name[-1:]
    names = [name, *_called_with_level(name)]
    return rf"(?:{'|'.join(map(re.escape, names))}|{level}里的?){_INSTITUTION}"


# a question on how the deployment's own money stacks with a level above's: "人才贷贴息能和
# 嘉岭市的叠加吗？", "担保fee补贴和嘉岭市的担保费补助能一起拿吗？" (qingang, written blind: 4
# of its 8 wrongly declined questions)
_STACKING = re.compile(
    r"叠加|一起拿|一起享受|同时(?:享受|拿|申请|领)|重复(?:享受|拿|申请|领)|兼得|就高|联投|"
    # an English word beside Chinese has no word boundary ("能和省里的stack吗")
    r"(?<![A-Za-z])(?:combined?|combining|stack(?:ed|s|ing)?|on top of|top(?:s|ped)? up"
    r"|together with)(?![A-Za-z])",
    re.IGNORECASE,
)
# a comparison of another place's policy with the deployment's own ("临川区的私募落户奖励是不是比
# 泓江高？", "…跟蓝湾区比哪个高？"): the own place is named as the yardstick, and the question
# asks what the other place gives, which the documents do not hold
_COMPARED = re.compile(
    r"比(?![例重率照较如])[^，。？?；]{1,8}?(?:高|低|多|少|优惠|划算)"
    r"|(?:跟|和|与|同)[^，。？?；]{1,8}?(?:比(?![例重率照较如])|相比)"
    r"|哪个(?:高|低|多|少|好|优惠|划算)|\b(?:higher|lower|more|less|better)\s+than\b",
    re.IGNORECASE,
)

# a place's own name: two to four characters that are not a grammatical word's ("临渠市级政策和
# 县…" names no place "级政策和县")
_NAME = r"(?:(?![级和的与及在对里是为把给向跟同或等])[\u4e00-\u9fff]){2,4}?"
_SUB_PLACE = (
    r"(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|经开区|开发区|新区|自贸区|区|县|旗)"
)
# "隔壁柳溪县", "邻近的芦湾县": a neighbour, by the word that says so; or unnamed ("隔壁县的
# 贴息比例是多少？")
_NEIGHBOUR = re.compile(
    rf"(?:隔壁|邻近|旁边|周边|相邻|邻县|邻区)的?(?:({_NAME}(?:{_SUB_PLACE}|市|镇|乡))"
    r"|(?:县|区|市|旗)(?=的|里|对|给|有|是))"
)

# what the documents write right after a place that governs itself ("澄沙区人民政府", "由澄沙区
# 财政承担"): a zone is run by a 管委会
_GOVERNMENT: Final = ("人民政府", "政府", "财政")

# a place's own money, asked by the words that say "its own" or "at its level": "石屏市自己对…
# 有没有加码？", "柘阳市本级的首贷贴息", "梧川市政府对本市企业…", "石屏市对茶企贷款有没有市级
# 贴息？" (the level named is the place's own). Over the 44 bench sets (session 45) the pattern marked 28 out-of-scope
# questions and one in-scope one, on "设区市自己拿钱" (a kind of city, not one)
_OWN_OF_PLACE = re.compile(
    r"([\u4e00-\u9fff]{2})(市|县|区|州|省)"
    r"(?:(?:的|政府|人民政府)?(?:自己|本级|自身)|(?:人民)?政府对"
    r"|的?(?P<level>[市县区州省])级(?!以上|及以上|龙头|示范|重点|专精特新|人民|政府|分行|财政)"
    r"|(?:政府)?对[^，。？?；]{0,14}?(?P<after>[市县区州省])级"
    r"(?!以上|及以上|龙头|示范|重点|专精特新|人民|政府|分行|财政)"
    # its level by itself right after it: "雷岭县县财政对…", "我们在黎坪县，县里有没有…"
    r"|[，,的]?(?P<again>[市县区州省])(?:里|财政))"
)
# kinds of place, not places: 设区市, 各县, 地级市, 县级市, 山区县 …
_KIND_OF_PLACE: Final = frozenset({"设区", "地级", "县级", "山区", "脱贫", "老区", "边境", "远郊"})


# A pinyin word: "Chengwan" (cheng + wan), not "Bonded" or "Pilot"
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|uai|ang|eng|ing|ong|ian|iao|uan|uen|ai|ei|ao|ou|an|en|er|ia|ie|in|iu"
    r"|ua|uo|ui|un|ve|ue|a|o|e|i|u|v)"
)
PINYIN_WORD = re.compile(rf"(?:{_PINYIN_SYLLABLE})+", re.IGNORECASE)
_LATIN_AREA = re.compile(r"\b([A-Z][a-z]+)\s+[Aa]rea\b")


def other_ftz_areas(question: str, own: Iterable[str]) -> list[str]:
    """Another area of the deployment's FTZ the question names: "云屿片区的创业担保贷款能贷多少？",
    "the Chengwan Area". Each area has its own 管委会 and policies. In Chinese, 片区 after a
    word jieba tags as a place name (ns): a bare 片区 is the area itself ("…迁入片区", "想找
    片区担保公司": in luting's blind questions, any two characters before 片区 read as a place
    declined 13 in-scope questions); in English, "<pinyin name> Area". The deployment's own
    names (`own`) are not another area."""
    own_names = {name.lower() for name in own if len(name) >= 2}
    found: list[tuple[str, str]] = []  # (the place as written, its name)
    if "片区" in question:
        import jieba.posseg  # the default dictionary's tags; 0.7 s once (warmed by kb_facts)

        words = list(jieba.posseg.cut(question))
        for before, word in itertools.pairwise(words):
            if (
                word.word.startswith("片区")
                and before.flag == "ns"
                and len(before.word) >= 2
                and not before.word.endswith(_NOT_A_PLACE_END)  # jieba tags 上市 ns
            ):
                found.append((before.word + "片区", before.word))
    for match in _LATIN_AREA.finditer(question):
        if PINYIN_WORD.fullmatch(match.group(1)):
            found.append((match.group(0), match.group(1)))
    # the own area by its name or the end of it (蛇口片区 of 深圳前海蛇口片区), or by a homophone
    # of it (a typo: 鹭停片区 for 鹭汀片区)
    return [
        place
        for place, name in found
        if not any(
            own_name in place.lower() or own_name.endswith(place.lower()) for own_name in own_names
        )
        and (latin(name).lower() if has_cjk(name) else name.lower()) not in own_names
    ]


def _inside_pattern(parents: Sequence[str]) -> re.Pattern[str] | None:
    """ "临江市滨海区", "岚州经济技术开发区": another place inside a level above the deployment."""
    names = {form for p in parents for form in (p, re.sub(rf"(?:{_SUFFIXES})$", "", p))}
    # an autonomous place also by its stem, alone or with its level (沅溪, 沅溪州)
    names |= {form for p in parents if _AUTONOMOUS.fullmatch(p) for form in short_forms(p)[:-1]}
    names = {n for n in names if len(n) >= 2}
    if not names:
        return None
    joined = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?:{joined})(?P<link>{_BELOW})?(?P<place>{_NAME}{_SUB_PLACE})")


# the words between a level above and a place inside it: "澹州下面的青槎县", "蓠州下辖的X区"
# (zhewan, written blind: answered with the prefecture's own listing reward)
_BELOW: Final = r"(?:下面|底下|下辖|所辖|辖区内|下属)的?"


# the stem of a place a text writes: 梧溪 of 梧溪市, 岷东 of 岷东新区
_WRITTEN_PLACE: Final = re.compile(r"([\u4e00-\u9fff]{2})(?:新区|片区|省|市|县|区|州)")
# the body a place's own document is issued by, right after the place's name
_BODY_AFTER_PLACE: Final = re.compile(
    r"^(?:人民政府|政府|管委会|管理委员会|[\u4e00-\u9fff]{0,10}?(?:局|委员会|办公室|办|厅)(?![法理事]))"
)
# a place below a province a question names (沂原市, 北滨区, 渝岭县, 两岔新区) …
_NAMED_PLACE: Final = re.compile(r"([\u4e00-\u9fff]{2})(?:新区|市|县|区|州)")
# characters no place name of two holds: grammatical words, pronouns, verbs of asking
# ("我们区", "本区", "来新区", "找县担保公司", "归区金融局")
NOT_IN_PLACE_NAME: Final = frozenset(
    "的们在我本全各该这那每哪个了是和与或到去从给对向里外上下中其他你您咱它有没要能可想请问吗呢啊么什怎多少几找来进回归"
)


class WrittenText:
    """What the documents in force write, read when a question needs it: a question naming
    a place no dictionary knows is rare, and a large knowledge base's text is not kept a
    second time (`bot.unwritten_places`). Answers are kept per fragment."""

    def __init__(self, texts: Callable[[], Iterable[str]]) -> None:
        self._texts = texts
        self._seen: dict[str, bool] = {}
        self._abbreviated: dict[str, bool] = {}
        self._latin: frozenset[str] | None = None

    def writes(self, fragment: str) -> bool:
        """A text writes the fragment (any letter case)."""
        found = self._seen.get(fragment)
        if found is None:
            if fragment.lower() == fragment.upper():  # no letter case (梧溪): as written
                found = any(fragment in text for text in self._texts())
            else:
                folded = fragment.casefold()
                found = any(folded in text.casefold() for text in self._texts())
            self._seen[fragment] = found
        return found

    def abbreviates(self, name: str) -> bool:
        """A text writes in full what the name abbreviates (经开区 for 经济开发区)."""
        found = self._abbreviated.get(name)
        if found is None:
            found = self._abbreviated[name] = any(abbreviated(name, t) for t in self._texts())
        return found

    def enumerates(self, name: str, beside: str) -> bool:
        """A text writes the place in one enumeration with another ("远郊区（新城）指榆湾区、
        桐泽区、北岭区、南塘区": 桐泽区 with 榆湾区), the names parted by 、 only."""
        # each item may carry its league or city before it ("乌岚盟敖沁旗、乌岚盟查干旗": aoqin,
        # written blind, a region's list of its 牧区旗县)
        above = r"(?:[\u4e00-\u9fff]{2,6}?[市州盟])?"
        return self._matched(
            f"{beside}、{name}",
            rf"{re.escape(beside)}(?:、[^、，。；：,;:\s]{{2,8}})*、{above}{re.escape(name)}"
            rf"|{re.escape(name)}(?:、[^、，。；：,;:\s]{{2,8}})*、{above}{re.escape(beside)}",
        )

    def lists_among_counties(self, name: str) -> bool:
        """A text writes the place next to another county-level one in an enumeration ("县
        （市）为龙潭县、桐溪县、泷水县"): a city's list of its counties or districts."""
        other = r"[\u4e00-\u9fff]{2}[县区旗]"
        return self._matched(
            f"{name}、县区", rf"{other}、{re.escape(name)}|{re.escape(name)}、{other}"
        )

    def _matched(self, key: str, pattern: str) -> bool:
        """A text matches the pattern; the answer is kept under `key` with the fragments'."""
        found = self._seen.get(key)
        if found is None:
            compiled = re.compile(pattern)
            found = self._seen[key] = any(compiled.search(text) for text in self._texts())
        return found

    def place_names(self) -> frozenset[str]:
        """The latin names of the places the texts write (梧溪市 → wuxi), lower case: an
        English question names them so, and a typo of one sounds the same (丰源县 for 丰原县)."""
        if self._latin is None:
            stems = {m.group(1) for text in self._texts() for m in _WRITTEN_PLACE.finditer(text)}
            self._latin = frozenset(latin(stem).lower() for stem in stems)
        return self._latin


@dataclass(frozen=True)
class KbFacts:
    """Facts about the documents in force on one day, computed once per snapshot and day."""

    home: frozenset[str]  # the deployment's and the documents' own places, with short forms
    covered: frozenset[str]  # listed places whose policies the knowledge base holds
    home_name: str
    home_name_latin: str
    # the deployment's own place without the levels above it (苇塘县, 苇塘, Weitang), the words
    # for "at our level" (县里, 本县 …), and the levels above whose own policies the knowledge
    # base does not hold (临渠市, 东澄省), each with its pattern
    local: frozenset[str] = frozenset()
    own_level: re.Pattern[str] | None = None
    own_body: re.Pattern[str] | None = None  # the own level's guarantee body (`_level_body`)
    parents: tuple[tuple[str, re.Pattern[str]], ...] = ()
    inside: re.Pattern[str] | None = None  # another place inside a level above (`_inside_pattern`)
    issuing: frozenset[str] = frozenset()  # the places whose documents the knowledge base holds
    ftz_area: bool = False  # the deployment is an area of a pilot FTZ (`other_ftz_areas`)
    # what the documents in force write, read when a question names an unknown place
    written: WrittenText = field(default_factory=lambda: WrittenText(tuple))
    # (document id, place) of each document a place inside the deployment's own issued: a
    # city's pilot in a province's knowledge base, a new area's measures in a city's
    schemes: Mapping[str, str] = field(default_factory=dict)
    # the level each document in force is of: a level above's own (黔岭省 of "黔岭省人民政府
    # 办公厅关于…"), a place's inside it whose scheme it is (`schemes`), or "" for the
    # deployment's own (its name, or no place, opening the title); and each level above some
    # document is of, with the words a question names it by alone (省里, 省级, the province)
    levels: Mapping[str, str] = field(default_factory=dict)
    above: tuple[tuple[str, re.Pattern[str]], ...] = ()
    # the deployment is a county-level place (a 区, 县 or 旗, or a 市 under a city or a
    # prefecture): a place with a government of its own is beside it, never inside it
    beside_only: bool = False
    # the passages (chunk ids) of the deployment's own documents that stand under a heading of
    # a level above's ("二、市级政策" of a district's 政策汇编), with that level
    passage_levels: Mapping[str, str] = field(default_factory=dict)

    def level_asked(self, question: str) -> str | None:
        """The one level whose own policy the question asks for, where the knowledge base
        holds documents of more than one: a level above by name or level word ("省里", "the
        province": its name), or the deployment's own ("州里", "本州": ""); None when it names
        none, or both ("省里和州里的能叠加吗？"). A place inside the deployment's own whose
        scheme the knowledge base holds is a level of its own: "县里…" is not answered by the
        city-run 经开区's measure, "经开区…" by it (luanxi, written blind: "公司整体变更为股份有限
        公司，县里有什么资金上的支持？" quoted the zone's measure first); a question naming such a
        place beside a level asks for that level ("我们在经开区，…县里给奖励不？")."""
        if not self.above:
            return None
        named = [name for name, pattern in self.above if pattern.search(question)]
        others: list[str | re.Pattern[str]] = [pattern for _, pattern in self.above]
        if named:  # where the firm is, beside the level it asks for: "我们在榆湾，市里奖多少？"
            others.append(self._located_here())
        called = {place: scheme_names(place) for place in self.schemes.values()}
        for names in called.values():
            others += names
        own = self._speaks_of_own_level(question, others) or bool(
            self.own_body is not None and self.own_body.search(question)
        )
        if not named and not own:  # where the firm is, when it names no level of the question
            named = [place for place, names in called.items() if _names_any(names, question)]
            return named[0] if len(named) == 1 else None
        if len(named) + own != 1:
            return None
        return named[0] if named else ""

    def _located_here(self) -> re.Pattern[str]:
        """The asker saying where the firm is, in the deployment's own place ("我们在榆湾",
        "公司注册在榆湾区"): it names the place of the firm, not the level whose policy is
        asked (yuwan, written blind: "市里给远郊区企业上市奖多少啊？我们在榆湾" was read as asking
        both levels, and the city's measure was not quoted first)."""
        names = sorted((n for n in self.local if len(n) >= 2 and has_cjk(n)), key=len, reverse=True)
        if not names:
            return re.compile(r"(?!)")
        return re.compile(
            rf"(?:我们|我|俺们|俺|咱们|咱|公司|企业|厂子?)(?:就|也|都)?"
            rf"(?:在|是|位于|注册在|落户在?)(?:原)?(?:{'|'.join(map(re.escape, names))})"
        )

    def names_home(self, question: str) -> bool:
        return _names_any(self.home, question)

    def parent_asked(self, question: str) -> str | None:
        """The level above the deployment a question asks about on its own: "临渠市的应急转贷
        资金使用费是多少？" asks for the city's policy, which a county's documents do not hold;
        "县里的贴息和临渠市的贴息能同时拿吗？" asks about the county's own, and so does a question
        on how the own policy stacks with that level's ("能和嘉岭市的叠加吗？"). A market
        institution named after the level ("越川省股权交易中心") is not the level."""
        hit = next(
            (
                name
                for name, pattern in self.parents
                if pattern.search(re.sub(_institution_of(name), "", question))
            ),
            None,
        )
        if hit is None or self.stacks(question):
            return None
        # an FTZ area shares its stem with its city (鹭汀片区 in 鹭汀市): "鹭汀市的", "Luting
        # City" is the city
        above = [pattern for _, pattern in self.parents]
        return None if self._speaks_of_own_level(question, above) else hit

    def states_level(
        self,
        name: str,
        passages: Sequence[str],
        terms: Sequence[str] = (),
        writes: Callable[[str, str], bool] = lambda term, text: term in text,
        *,
        in_sentence: bool = False,
        under: bool = False,
    ) -> bool:
        """The passages an answer would quote state a level above's own measure on what the
        question names (`terms`, every one written in the passage): the level's name or
        word ("泾屏市", "市级", "市财政") opens a stretch of a sentence that gives an amount, a
        share or a time before the deployment's own level is named again ("市级：新三板挂牌
        奖励50万元", "省级代偿补偿比例10%"), as a district's 百问百答 or its table of the
        city's and the province's standards does (tingbu, written blind: "新三板挂上牌了，市里
        也给钱吗？" was declined as asking for a place the knowledge base holds no document
        of). "在市级奖励基础上，区级再给予50万元" states the district's own, and a city's 新三板
        reward is no answer to what the city gives for 创新层. A table's row states it
        wherever it puts the figure, when it cites the level's measure by its title or its
        文号 ("省再担保风险分担 | … | 代偿损失由…省再担保集团30% | 《沅川省…办法》（沅金管〔2029〕
        20号）") and writes the terms itself. `writes(term, text)` says whether a text
        writes a term (in a synonym's words too, for the caller that knows them);
        `in_sentence`: the sentence (a table's row) stating the figure must write them too,
        not only its passage; `under`: the passages stand under a heading of the level's
        (`passage_levels`), so each line of theirs is the level's (`_entry_states`)."""
        level = _parent_in_passages(name, _own_level(self.home_name))
        if level is None:
            return False

        def names_all(text: str) -> bool:
            return all(writes(term, text) for term in terms)

        cited = _cites_level(name, self.local)
        for passage in passages:
            for row in passage.split("\n"):
                if (
                    CELL in row
                    and cited is not None
                    and cited.search(row)
                    and _LEVEL_AMOUNT.search(row)
                    and names_all(row)
                ):
                    return True
            if self._entry_states(level, cited, passage, names_all, in_sentence, under):
                return True
            if not names_all(passage):
                continue
            for sentence in _SENTENCE_BREAK.split(passage):
                if in_sentence and not names_all(sentence):
                    continue
                for match in level.finditer(sentence):
                    stretch = sentence[match.end() :]
                    own = self.own_level.search(stretch) if self.own_level else None
                    ends = [stretch.find(n) for n in self.local if len(n) >= 2 and n in stretch]
                    ends += [own.start()] if own is not None else []
                    if _LEVEL_AMOUNT.search(stretch[: min(ends, default=len(stretch))]):
                        return True
        return False

    def _entry_states(
        self,
        level: re.Pattern[str],
        cited: re.Pattern[str] | None,
        passage: str,
        names_all: Callable[[str], bool],
        in_sentence: bool,
        under: bool = False,
    ) -> bool:
        """A compilation's entry of the level's measure states its figure: a numbered heading
        names the level or cites its measure ("二、市级政策", "（五）蓠州市科技创新母基金管理办法
        （蓠金发〔2030〕6号）"), and a line under it, before a heading that does not, gives an
        amount, a share or a time ("●出资比例：天使投资子基金不超过子基金规模的40%"; xipu,
        written blind: the question on the city's fund was declined as asking for a place the
        knowledge base holds no document of). `under`: the whole passage stands under such a
        heading (`KbFacts.passage_levels`). With `in_sentence`, the line and the headings
        above it write what the question names; else the passage does."""
        # (depth, heading, of the level); depth -1: the heading the passage stands under
        open_headings: list[tuple[int, str, bool]] = [(-1, "", True)] if under else []
        for line in passage.split("\n"):
            depth = _heading_depth(line)
            if depth is not None:
                while open_headings and open_headings[-1][0] >= depth:
                    open_headings.pop()
                of_level = bool(level.search(line) or (cited is not None and cited.search(line)))
                own = bool(self.own_level is not None and self.own_level.search(line)) or (
                    _names_any(self.local, line)
                )
                open_headings.append((depth, line, of_level and not own))
            if not open_headings or not _LEVEL_AMOUNT.search(line):
                continue
            innermost = next((of for depth, heading, of in reversed(open_headings)
                              if of or depth < 0 or _names_a_level(heading)), False)  # fmt: skip
            if not innermost:
                continue
            context = "\n".join([*(heading for _, heading, _ in open_headings), line])
            if names_all(context if in_sentence else passage):
                return True
        return False

    def neighbour_asked(self, question: str, as_written: str = "") -> str | None:
        """Another place beside the deployment a question asks about: "隔壁柳溪县对上市后备企业
        有没有房租补贴？", "临江市滨海区有没有应急转贷资金" (a district of the deployment's
        city), unless it is the deployment's own place, the question also speaks of its own
        level (but not only as the yardstick of a comparison: "是不是比泓江高？"), or the
        knowledge base holds that place's documents. A neighbour, and another
        area of the deployment's FTZ, are also read in the question `as_written` (before
        spelling correction)."""
        written = as_written or question
        # as written: spelling correction took 云屿片区 for 云于片区
        areas = other_ftz_areas(written, self.local) if self.ftz_area else []
        for text in dict.fromkeys([question, written]):
            # as typed too: spelling correction may mend a neighbour's name into no name at
            # all (隔壁青禾新区 became 青和新区, and 和 joins words)
            found = [m.group(1) or m.group(0) for m in _NEIGHBOUR.finditer(text)]
            if self.inside is not None:
                found += [
                    m.group("place") if m.group("link") else m.group(0)
                    for m in self.inside.finditer(text)
                ]
            found += areas
            others = [
                place
                for place in found
                if not any(name in place for name in self.local if len(name) >= 2)
                and not any(
                    place.endswith(issuer) or issuer.endswith(place) for issuer in self.issuing
                )
            ]
            if others and (not self._speaks_of_own_level(text, others) or _COMPARED.search(text)):
                return others[0]
        return None

    def own_policy_asked(self, question: str) -> str | None:
        """A place's own money asked about ("石屏市自己对知识产权质押贴息有没有加码？",
        "青屿市的市级应急转贷资金规模有多大？") where the knowledge base holds no document of that
        place: a province's or a city's documents state their own level's rules and what
        the places below may add, never how much one of them did (tongyue and lanchuan,
        answered from the province's rule); or by its level word right after it, when the
        documents write the place ("雷岭县县财政对民宿贷款另外出台的…", "我们在黎坪县，县里有没有…":
        a prefecture's knowledge base, meixi, answered both from its own). Not the deployment's own place, not one whose
        documents it holds, not beside the own level ("…省里标准是多少？"), not how the own
        money stacks with it."""
        for match in _OWN_OF_PLACE.finditer(question):
            stem, level = match.group(1), match.group(2)
            asked_level = match.group("level") or match.group("after") or match.group("again")
            place = stem + level
            if stem in _KIND_OF_PLACE or (asked_level is not None and asked_level != level):
                continue
            if match.group("again") and (
                place.endswith(EVERYDAY_PLACE_ENDINGS)
                or NOT_IN_PLACE_NAME.intersection(stem)
                or not self.written.writes(place)
            ):
                continue  # "…港上市，市里", "我们县，县里": a word and a level's, no place
            if _names_any(self.local, place) or any(
                place.endswith(issuer) or issuer.endswith(place) for issuer in self.issuing
            ):
                continue
            if self.asked_on_its_own(question, place):
                return place
        return None

    def schemes_elsewhere(self, question: str) -> tuple[str, frozenset[str]]:
        """The documents of a place inside the deployment's own that a question from another
        such place is not answered by: "我们北滨区的天使投资机构投了一家初创企业，亏了有风险补偿
        吗？" is not answered by 两岔新区's measures, nor "我们是沂原市的粮食贸易企业，用仓单
        质押贷款…" by 岳港市's bonded-zone pilot (cangyu and tongyue, each written blind: a
        place's scheme applies to its own firms only). A question that names the scheme's
        place, or no place of the documents but the deployment's own, may be answered by it.
        Returns the place the question names and those documents ("", none: no such place)."""
        if not self.schemes:
            return "", frozenset()
        named = [
            place
            for m in _NAMED_PLACE.finditer(question)
            if (place := m.group(0)) not in EVERYDAY_PLACE_ENDINGS
            and not NOT_IN_PLACE_NAME.intersection(m.group(1))
            and not _names_any(short_forms(self.home_name), place)
            and self.written.writes(place)
        ]
        if not named:
            return "", frozenset()
        return named[0], frozenset(
            doc_id
            for doc_id, place in self.schemes.items()
            if not _names_any(scheme_names(place), question)
        )

    def names_own_part(self, question: str, place: str) -> bool:
        """The question writes the place as the first part of a longer name the documents
        write ("临港街道", "临港物流园", "临港园" where they do): a street or a park of the
        deployment's own that shares its name with a listed place elsewhere (jihu and jinsha,
        written blind: "俺们厂在临港街道…" was declined as asking about 临港; heting, written
        blind in session 62: "临港园做冷链的…", its 临港产业园's short name)."""
        return any(
            self.written.writes(question[m.start() : m.end() + more])
            for m in re.finditer(re.escape(place), question)
            for more in (2, 1)
            if len(question) >= m.end() + more and has_cjk(question[m.end() : m.end() + more])
        )

    def governs_beside(self, place: str) -> bool:
        """The documents write the place as a government of its own (人民政府, 政府, 财政 right
        after its name), or in an enumeration beside the deployment's own place ("远郊区指
        榆湾区、桐泽区、北岭区": a city's list of its districts) or beside another county or
        district ("县（市）为龙潭县、桐溪县、泷水县"), but not as a zone's short name (综保区),
        and it is none of the deployment's own places, the levels above it or the places whose
        documents the knowledge base holds."""
        ours = (
            *self.local, *self.home, *self.issuing, *self.schemes.values(),
            *(name for name, _ in self.parents), *(name for name, _ in self.above),
        )  # fmt: skip
        if any(place in name or name in place for name in ours if len(name) >= 2):
            return False
        if any(self.written.writes(place + body) for body in _GOVERNMENT):
            return True
        return self.listed_beside(place)

    def listed_beside(self, place: str) -> bool:
        """The documents list the place beside the deployment's own county-level place in an
        enumeration ("市辖区为栝城区、鹤山区、栝东区"), and it is no zone's short name (综保区)."""
        home = self.home_name
        listed = self.written.enumerates(place, home) or (
            place.endswith(("县", "区", "旗")) and self.written.lists_among_counties(place)
        )
        return (
            len(home) >= 3
            and home[-1] in "区县旗"
            and place != home
            and listed
            and not self.written.writes(f"简称{place}")
            and not self.written.writes(f"简称“{place}”")
        )

    @staticmethod
    def stacks(question: str) -> bool:
        """The question asks how two levels' or places' money combines (叠加, 就高, stack)."""
        return _STACKING.search(question) is not None

    def asked_on_its_own(self, question: str, place: str) -> bool:
        """The question asks about the place's own policy: not how the deployment's own money
        stacks with it, nor beside the deployment's own place or level."""
        return not self.stacks(question) and not self._speaks_of_own_level(question, [place])

    def _speaks_of_own_level(
        self, question: str, other_places: Sequence[str | re.Pattern[str]] = ()
    ) -> bool:
        """The question names the deployment's own place or level, outside the names of the
        other places it asks about ("柳溪县里" is not "县里"; "鹭汀市" does not name 鹭汀片区)."""
        for place in other_places:
            pattern = place if isinstance(place, re.Pattern) else _with_its_level(place)
            question = pattern.sub("、", question)
        if _names_any(self.local, question):
            return True
        return self.own_level is not None and self.own_level.search(question) is not None


def _with_its_level(place: str) -> re.Pattern[str]:
    """A place's name with its own level's word after it: "澄沙区自己的区级", "梧溪市的市级",
    "柳溪县县财政" speak of that place's level, not the deployment's."""
    level = re.escape(place[-1:])
    return re.compile(rf"{re.escape(place)}(?:(?:自己|本级|自身)?的?{level}(?:级|里|财政))?")


def _names_any(names: Iterable[str], question: str) -> bool:
    """The question writes one of the names (two characters or more; any letter case)."""
    lowered = question.lower()
    return any(name.lower() in lowered for name in names if len(name) >= 2)


def kb_facts(snap: Snapshot, today: date, places: Places, jurisdiction: Jurisdiction) -> KbFacts:
    current_by_id = {doc_id: snap.docs[doc_id] for doc_id in documents_in_force(snap, today)}
    current = list(current_by_id.values())
    # … and the measure a 清单 row or 汇编 card sums up: "政策依据：《云岚省仓单质押融资风险补偿办法》"
    # under "仓单质押融资风险补偿" is the province's measure the knowledge base holds (zheling,
    # written blind: questions on it were declined as asking for a place it has no document of)
    heads = [
        h
        for rec in current
        for h in (rec.doc.meta.title, rec.doc.meta.issuer or "", rec.doc.meta.summarises or "")
        if h
    ]
    # the places that open each title, issuer, or joint issuer's part of one, outermost first
    opened = [(part, found) for head in heads for part in re.split(r"[、，,\s]+", head)
              if (found := leading_places(part, jurisdiction.names))]  # fmt: skip
    own = Counter(name for _, found in opened for name in found)
    covered = {p for head in heads for p in places.named_in(head)}
    home = _with_forms([*jurisdiction.names, *own])
    display = jurisdiction.display or _most_local(own)
    # a level above as its documents call it: 瑶澜州 is 瑶澜哈尼族彝族自治州 (panxi, written
    # blind: its prefecture's documents were read as the city's own, and questions naming
    # the prefecture were declined as another place's)
    parent_of = {form: p for p in jurisdiction.parents for form in short_forms(p)}
    # (a zone's stem is its city's name: 皋宁 of 皋宁经济技术开发区 stays 皋宁市's)
    local = _with_forms([n for n in [jurisdiction.display, *own] if n and n not in parent_of])
    local -= set(parent_of) - set(short_forms(jurisdiction.display))
    # whose documents these are: "临江市生态环境局青禾分局" is the district's branch of a city
    # bureau, not the city
    issuing = {
        form
        for part, found in opened
        if not _names_any(local, part)
        for form in (parent_of.get(found[-1], found[-1]), *zone_short_names(found[-1]))
    }
    parents = [p for p in jurisdiction.parents if p not in issuing]
    # each passage's heading and text as stored: a large knowledge base is scanned without
    # joining its documents anew on every look
    schemes = {
        doc_id: place
        for doc_id, rec in current_by_id.items()
        if (place := _scheme_place(rec.doc.meta.title, rec.doc.meta.issuer, jurisdiction))
    }
    levels = {doc_id: _level_of(rec.doc.meta, jurisdiction.parents, local) or schemes.get(doc_id, "")
              for doc_id, rec in current_by_id.items()}  # fmt: skip
    numbered = {
        level
        for doc_id, rec in current_by_id.items()
        if (level := levels[doc_id])
        and not rec.doc.meta.issuer
        and level == _numbered_by(rec.doc.meta.doc_number or "", jurisdiction.parents, local)
    }
    passage_levels = _passage_levels(
        [rec for doc_id, rec in current_by_id.items() if not levels[doc_id]],
        jurisdiction.parents,
        local,
        _own_level(display),
    )
    written = WrittenText(
        lambda: itertools.chain(
            heads,
            jurisdiction.names,
            (part for rec in current for ch in rec.doc.chunks for part in (ch.section, ch.text)),
        )
    )
    return KbFacts(
        home=frozenset(home),
        covered=frozenset(covered | home),
        home_name=display,
        home_name_latin=jurisdiction.latin_name or (latin_display(display) if display else ""),
        local=frozenset(local),
        own_level=_level_words(_own_level(jurisdiction.display), _zone_kind(jurisdiction.display))
        if jurisdiction.display
        else None,
        own_body=_level_body(_own_level(jurisdiction.display)) if jurisdiction.display else None,
        # … nor those whose documents are known by their 文号 (`_numbered_by`)
        parents=tuple(
            (p, _parent_pattern(p, jurisdiction.display[-1:])) for p in parents if p not in numbered
        ),
        inside=_inside_pattern(jurisdiction.parents),
        issuing=frozenset(issuing),
        ftz_area=_warmed_ftz_area(jurisdiction.display),
        written=written,
        schemes=schemes,
        levels=levels,
        above=tuple(
            (p, _named_level(p, _own_level(display)))
            for p in jurisdiction.parents
            if p in levels.values() or p in passage_levels.values()
        )
        + (((NATIONAL, _NATIONAL_ASKED),) if NATIONAL in levels.values() else ()),
        beside_only=_county_level(jurisdiction),
        passage_levels=passage_levels,
    )


# a heading's number ("二、", "（三）", "第二部分", "3.") and what may follow a level's name in a
# heading that is only the level ("市级政策", "省级支持措施", "蓠州市")
_HEADING_NUMBER = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]+[章编篇部分节]+|[一二三四五六七八九十]{1,3}、|"
    r"[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、])?\s*"
)
_LEVEL_HEADING_REST: Final = r"(?:级|层面|里)?(?:的)?(?:支持|扶持|惠企|金融)?(?:政策|措施|部分)?"


def _passage_levels(
    records: Iterable[DocRecord], parents: Sequence[str], local: Set[str], own: str = ""
) -> dict[str, str]:
    """The passages of the deployment's own documents that stand under a heading of a level
    above's: one that is the level alone ("二、市级政策") or one that opens with its name or
    cites its measure's 文号 ("九、临溟省地方金融组织监督管理实施办法（临金管〔2029〕21号）"). A
    district's 政策汇编 reproduces the city's and the province's measures so (xipu, written
    blind: the questions on them were declined as asking for a place the knowledge base
    holds no document of). A passage's heading path is its section and the numbered lines
    its text opens with; a bare number ("九、") is the heading an earlier passage showed."""
    heads = [(p, _level_heading(p, own), _cites_level(p, local)) for p in parents]

    def level_of(line: str) -> str | None:
        rest = _HEADING_NUMBER.sub("", line, count=1).strip()
        return next(
            (
                p
                for p, alone, cited in heads
                if alone.fullmatch(rest)
                or (_heading_depth(line) is not None and cited is not None and cited.search(line))
            ),
            None,
        )

    out: dict[str, str] = {}
    for rec in records:
        shown: dict[str, str | None] = {}  # a heading's number → the level it names
        for chunk in rec.doc.chunks:
            path = [chunk.section]
            for line in chunk.text.split("\n"):
                if _heading_depth(line) is None:
                    break
                path.append(line)
            found = None
            for line in path:
                number = _HEADING_NUMBER.match(line)
                label = number.group(0).strip() if number else ""
                level = level_of(line)
                if label and line.strip() != label:
                    shown[label] = level
                level = level or (shown.get(label) if label and line.strip() == label else None)
                found = level or found
            if found is not None:
                out[chunk.chunk_id] = found
    return out


def _level_heading(name: str, own: str = "") -> re.Pattern[str]:
    """A heading that names only the level: its name, stem or level character (not when it
    is the deployment's own level's, `shares_level`), and the few words such a heading ends
    with."""
    split = _stem_and_level(name)
    names = [name] + ([split[0], split[0] + split[1][-1]] if split else [])
    level = "" if shares_level(name, own) else split[1][-1] if split else name[-1]
    alternatives = "|".join(re.escape(n) for n in dict.fromkeys([*names, level]) if n)
    return re.compile(rf"(?:{alternatives}){_LEVEL_HEADING_REST}")


# the provincial places whose names end in 区 (岑江壮族自治区: its cities are inside it)
_REGIONS: Final = ("自治区", "特别行政区")


def _county_level(jurisdiction: Jurisdiction) -> bool:
    """A 区, 县 or 旗 that is no zone, or a 市 under a city or a prefecture (磐溪市 in 瑶澜州,
    溱港市 in 嘉岭市): the places with a government of their own it names are its neighbours."""
    own = jurisdiction.display
    if not own or _zone_kind(own) or own.endswith(_REGIONS):
        return False
    if own[-1] in "区县旗":
        return True
    return (
        own[-1] == "市" and bool(jurisdiction.parents) and jurisdiction.parents[-1][-1] in "市州盟"
    )


def _level_of(meta: DocumentMeta, parents: Sequence[str], local: Set[str]) -> str:
    """The level above (or the State) whose measure the document is, by its own title and
    issuer, else by the measure it sums up: a 政策清单's row "知识产权质押融资贴息（市级）" on
    "政策依据：《澧川市知识产权质押融资支持办法》（澧金发〔2027〕9号）" is the city's (fengzhu,
    written blind, session 54: the city's and the province's rows were read as the
    district's, and questions asking for the city's number declined as the city's documents
    being silent)."""
    for title, issuer in ((meta.title, meta.issuer), (meta.summarises or "", None)):
        level = _level_above(title, issuer, parents, local) or (
            NATIONAL if title and _national(title, issuer) else ""
        )
        if level:
            return level
    # … and, when no issuer says whose it is, by its 文号: a zone's 管委会 abbreviates itself
    # with its city's character too ("津临空管发〔2027〕11号": yuwan, written blind)
    return "" if meta.issuer else _numbered_by(meta.doc_number or "", parents, local)


def _numbered_by(number: str, parents: Sequence[str], local: Set[str]) -> str:
    """The level above whose 文号 the document carries, read as a citation of its measure is
    (`_cites_level`: places abbreviate themselves by their first character, "涟政发〔2030〕6号"
    is 涟屿省's, unless the deployment's own name opens with it too); none when two levels'
    names open alike. A table's row giving the province's reward under "依据：涟政发〔2030〕6号
    《关于深入实施…的意见》" is the province's (zhewan, written blind)."""
    above = [
        p for p in parents if (cited := _cites_level(p, local)) is not None and cited.match(number)
    ]
    return above[0] if len(above) == 1 else ""


def _level_above(title: str, issuer: str | None, parents: Sequence[str], local: Set[str]) -> str:
    """The level above whose own document this is: the most local place opening its title
    or issuer, when that is a level above and no own name opens it too ("黔岭省人民政府办公厅
    关于印发…"); "" for every other document (the deployment's own, a place's below it)."""
    for head in (title, issuer or ""):
        found = leading_places(head, parents)
        if found and not any(name in local for name in found):
            above = [
                p for p in parents if any(p in short_forms(f) or f in short_forms(p) for f in found)
            ]
            if above:
                return above[-1]
    return ""


# the level of the State's own measures (国务院, 财政部 …), which a knowledge base may carry
# beside its own and its province's (panxi, written blind: "Under the national rules, what
# is the maximum term of an IP-pledge loan?" quoted the city's measure first)
NATIONAL: Final = "国家"
# the bodies that issue them, as a title or issuer opens with one: a branch ("中国人民银行澜川省
# 分行") is no such body
_NATIONAL_BODY: Final = re.compile(
    r"^(?:中共中央|国务院办公厅|国务院|财政部|中国人民银行|国家金融监督管理总局|中国证券监督管理委员会"
    r"|中国证监会|国家发展和改革委员会|国家发展改革委|人力资源社会保障部|人力资源和社会保障部"
    r"|工业和信息化部|农业农村部|商务部|科学技术部|科技部|国家知识产权局|国家税务总局|国家外汇管理局)$"
)
# a question asking for the State's own rules, not for a national programme or rank (国家级专精特新,
# 国家融资担保基金)
_NATIONAL_ASKED: Final = re.compile(
    r"国家(?:层面|规定|政策|的政策|的规定|文件|出台)|按(?:照)?国家|中央(?:财政|层面|政策|的)|国务院|财政部"
    r"|\bnational (?:rules?|level|polic(?:y|ies)|measures?|regulations?|government)\b"
    r"|\bcentral (?:government|finance|budget)\b|\bState Council\b|\bMinistry of Finance\b",
    re.IGNORECASE,
)


def _national(title: str, issuer: str | None) -> bool:
    """The document is the State's own: its title or issuer opens with a national body."""
    for head in (issuer or "", title):
        first = re.split(r"[\s、，,]+", head.strip(), maxsplit=1)[0].split("关于")[0]
        if first and _NATIONAL_BODY.match(first):
            return True
    return False


def _named_level(name: str, own: str = "") -> re.Pattern[str]:
    """A level above named by its name (黔岭省, 黔岭, Qianling province) or by its level's words
    alone (省里, 省级, 全省, the province), unless those are the deployment's own level's
    (`own`, `shares_level`: a county-level city's 市里 and 市担保 are its own; the city above
    it is the 大市)."""
    named = _parent_pattern(name, own)
    shared = shares_level(name, own)
    alone = None if shared else _level_words(_own_level(name))
    body = None if shared else _level_body(_own_level(name))
    region = _REGION_ALONE if name.endswith(_REGIONS) else None
    return re.compile(
        "|".join(p.pattern for p in (named, alone, body, region) if p is not None), re.IGNORECASE
    )


# an autonomous region as its places' firms call it, by its level alone at the head of a
# clause: "自治区对企业在主板上市奖励多少钱？", "自治区有没有设立应急转贷资金？" (aoqin, written blind:
# read as asking no level, they were answered from the banner's own measures); its bodies
# ("自治区农担", "自治区再担保公司") are not the region's own policy, and "the autonomous region"
_REGION_ALONE: Final = re.compile(
    r"(?:^|(?<=[，。？！、,.?!\s按据问看那咱]))自治区(?=[对给有的还能会是在规出])"
    r"|\bthe\s+(?:autonomous\s+)?region(?:['’]s)?\b",
    re.IGNORECASE,
)


def _scheme_place(title: str, issuer: str | None, jurisdiction: Jurisdiction) -> str:
    """The place inside the deployment's own whose scheme a document is: the most local place
    opening its title or issuer before a government body (岳港市 of "岳港市人民政府办公室",
    两岔新区 of "两岔新区人民政府关于印发…") when it is not the deployment's own place; "" for
    every other document. A level above the deployment (its province, configured as a parent)
    is not inside it: its documents are the levels' (`KbFacts.levels`). A city's knowledge
    base carries its counties' and districts' schemes as a province's carries its cities'
    (daizhou, written blind: 石塘县's fishing-loan measures answered a firm of 鹤礁县)."""
    if not jurisdiction.display:
        return ""
    above = {form for parent in jurisdiction.parents for form in short_forms(parent)}
    for head in (title, issuer or ""):
        for part in re.split(r"[、，,\s]+", head):
            found, rest = _split_places(part, None)
            if not found or _BODY_AFTER_PLACE.match(rest) is None:
                continue
            place = found[-1]
            if (
                place in above
                or "关于" in place  # "关于调整区政府投资引导基金…的通知": 区政府 is the own one's
                or place.endswith(EVERYDAY_PLACE_ENDINGS)
                or _names_any(short_forms(jurisdiction.display), place)
            ):
                continue
            return place
    return ""


def _warmed_ftz_area(place: str) -> bool:
    """Whether the deployment is an FTZ area; if so, jieba's tags are loaded now, with the
    knowledge base's facts, not on a user's first question that names a 片区."""
    if not place.endswith("片区"):
        return False
    other_ftz_areas("云屿片区", ())
    return True


def _with_forms(names: Iterable[str]) -> set[str]:
    return {form for name in names for form in short_forms(name)}


def _most_local(counts: Counter[str]) -> str:
    """The district the documents speak for most, else their city or province."""
    for suffixes in (_DISTRICT_LEVEL, ("市",), ("省", "自治区")):
        ranked = [(count, name) for name, count in counts.items() if name.endswith(suffixes)]
        if ranked:
            return max(ranked)[1]
    return ""
