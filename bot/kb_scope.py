"""What the knowledge base at hand covers: its own places and its own words.

The scope lists ship with finbot, but a bureau's documents decide what is in scope. A
place is only "another place" when the knowledge base holds no policy of it and the
deployment does not name it as home: a district's bureau declines 深圳's rules, a
provincial knowledge base that includes 深圳's notices answers them. (Listed private-life
topics are checked against the passages a question retrieves, in the answer service.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.scope import Places
from index.snapshot import Snapshot
from knowledge.models import DocStatus

_SUFFIX_LATIN: Final = {
    "省": "Province", "自治区": "Region", "市": "City", "区": "District", "县": "County",
    "自治州": "Prefecture", "州": "Prefecture", "旗": "Banner", "盟": "League",
}  # fmt: skip
_SUFFIXES: Final = "|".join(sorted(_SUFFIX_LATIN, key=len, reverse=True))
# A place name opening a title or an issuer: "望川市松岭区地方金融发展服务中心" → 望川市, 松岭区.
_LEADING_PLACE = re.compile(rf"^([\u4e00-\u9fff]{{2,4}}?(?:{_SUFFIXES}))")
# Words that end like a place name but are not one ("企业上市", "城市", "园区", …).
_NOT_A_PLACE_END: Final = (
    "上市", "城市", "超市", "都市", "股市", "楼市", "门市", "集市", "地区", "市区", "城区",
    "园区", "社区", "小区", "景区", "专区", "分区", "辖区", "片区", "街区", "新区", "本区",
    "全区", "各区", "本市", "全市", "各市", "本省", "全省", "各省", "本县", "全县", "开发区",
    "自贸区", "示范区", "功能区", "试验区", "保税区", "高新区",
)  # fmt: skip
_PARTY_PREFIX = re.compile(r"^(?:中共|中国共产党)")
_DISTRICT_LEVEL: Final = ("区", "县", "旗")


def leading_places(text: str) -> list[str]:
    """Place names at the start of a title or an issuer, outermost first."""
    out: list[str] = []
    rest = _PARTY_PREFIX.sub("", text.strip())
    while True:
        match = _LEADING_PLACE.match(rest)
        if match is None or match.group(1).endswith(_NOT_A_PLACE_END):
            return out
        out.append(match.group(1))
        rest = rest[match.end() :]


def short_forms(name: str) -> list[str]:
    """松岭区 → 松岭区, 松岭, Songling; the short form only for a two-character stem."""
    stem = re.sub(rf"(?:{_SUFFIXES})$", "", name)
    forms = [name]
    if len(stem) >= 2:
        forms.append(stem)
        forms.append(latin(stem))
    return forms


def latin(name: str) -> str:
    from pypinyin import lazy_pinyin  # 0.35 s to import: a cold `finbot ask` prefetches it

    return "".join(lazy_pinyin(name)).capitalize()


def latin_display(name: str) -> str:
    """青禾区 → Qinghe District (the English name shown to users)."""
    match = re.match(rf"^(.+?)({_SUFFIXES})$", name)
    if match is None:
        return latin(name)
    return f"{latin(match.group(1))} {_SUFFIX_LATIN[match.group(2)]}"


@dataclass(frozen=True)
class Jurisdiction:
    """The deployment's own place, from FINBOT_JURISDICTION ("海澄省望川市松岭区", optionally
    "… | Songling District" for the English name); empty means: read it off the documents."""

    names: tuple[str, ...] = ()  # 海澄省, 望川市, 松岭区 (outermost first)
    latin_name: str = ""

    @classmethod
    def parse(cls, setting: str | None) -> Jurisdiction:
        chinese, _, english = (setting or "").partition("|")
        return cls(tuple(leading_places(re.sub(r"\s+", "", chinese))), english.strip())

    @property
    def display(self) -> str:
        return self.names[-1] if self.names else ""


@dataclass(frozen=True)
class KbFacts:
    """Facts about the documents in force on one day, computed once per snapshot and day."""

    home: frozenset[str]  # the deployment's and the documents' own places, with short forms
    covered: frozenset[str]  # listed places whose policies the knowledge base holds
    home_name: str
    home_name_latin: str

    def names_home(self, question: str) -> bool:
        lowered = question.lower()
        return any(name.lower() in lowered for name in self.home if len(name) >= 2)


def kb_facts(snap: Snapshot, today: date, places: Places, jurisdiction: Jurisdiction) -> KbFacts:
    statuses = snap.statuses(today)
    current = [
        rec
        for doc_id, rec in snap.docs.items()
        if (info := statuses.get(doc_id)) is None or info.status is DocStatus.CURRENT
    ]
    heads = [h for rec in current for h in (rec.doc.meta.title, rec.doc.meta.issuer or "") if h]
    own = Counter(name for head in heads for part in re.split(r"[、，,\s]+", head)
                  for name in leading_places(part))  # fmt: skip
    covered = {p for head in heads for p in places.named_in(head)}
    home = _with_forms([*jurisdiction.names, *own])
    display = jurisdiction.display or _most_local(own)
    return KbFacts(
        home=frozenset(home),
        covered=frozenset(covered | home),
        home_name=display,
        home_name_latin=jurisdiction.latin_name or (latin_display(display) if display else ""),
    )


def _with_forms(names: Iterable[str]) -> set[str]:
    return {form for name in names for form in short_forms(name)}


def _most_local(counts: Counter[str]) -> str:
    """The district the documents speak for most, else their city or province."""
    for suffixes in (_DISTRICT_LEVEL, ("市",), ("省", "自治区")):
        ranked = [(count, name) for name, count in counts.items() if name.endswith(suffixes)]
        if ranked:
            return max(ranked)[1]
    return ""
