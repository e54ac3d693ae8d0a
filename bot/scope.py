"""Out-of-scope topics: personal finance, social insurance, tips, small talk.

Near-domain questions (个人房贷, 公积金, 个税) score like real ones on both dense and
sparse retrieval, so no threshold separates them (see the issue-3 notes). A curated,
admin-extendable list does: a question naming such a topic, and no enterprise matter,
is declined rather than answered with the nearest policy.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


class ScopeFileError(ValueError):
    """A scope file that cannot be read; the message names the file."""


def read_string_lists(
    paths: Sequence[Path], keys: Sequence[str], what: str
) -> dict[str, list[str]]:
    """The named lists of every existing file, in order: stripped, non-empty strings.

    The bundled file comes first and an admin's file in the data dir extends it, so a
    missing file is skipped; a broken one stops start-up with a message naming it.
    """
    lists: dict[str, list[str]] = {key: [] for key in keys}
    for path in paths:
        if not path.exists():
            continue
        try:
            data = yaml.safe_load(path.read_text("utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ScopeFileError(f"{path}: cannot read {what} ({exc.__class__.__name__})") from None
        if not isinstance(data, dict):
            raise ScopeFileError(f"{path}: expected keys {' and '.join(keys)}")
        for key in keys:
            lists[key] += [str(x).strip() for x in data.get(key) or [] if str(x).strip()]
    return lists


_LATIN = re.compile(r"[A-Za-z]")


def _matcher(entries: Sequence[str]) -> re.Pattern[str] | None:
    """CJK entries match anywhere; Latin ones only as whole words (so "Xi'an" not in "Xi'anning")."""
    alts = [
        rf"\b{re.escape(e)}\b" if _LATIN.search(e) else re.escape(e)
        for e in sorted(entries, key=len, reverse=True)
    ]
    return re.compile("|".join(alts), re.IGNORECASE) if alts else None


# What follows a city's name when the name means its stock exchange (case-insensitive)
EXCHANGE_WORDS = (
    r"证券交易所|交易所|证交所|主板|科创板|创业板|(?:stock\s+)?exchanges?|bourses?"
    r"|main\s+board|star\s+market|chinext"
)


# where the asker comes from, not whose policy is asked: "从广东打工回来想开个小作坊",
# "a company moving from Shenzhen"
ORIGIN = re.compile(r"(?:从|自)\s*$|\bfrom\s+(?:the\s+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Places:
    """The places people ask about, and the ways they say "here".

    Which places are home and which the knowledge base covers depends on the documents;
    `bot.kb_scope` supplies that per snapshot.
    """

    home: re.Pattern[str] | None = None  # the ways people say "here" (本区, 区里 …)
    others: re.Pattern[str] | None = None
    removals: re.Pattern[str] | None = None  # names that contain a place but are not one

    @classmethod
    def build(cls, home: Sequence[str], others: Sequence[str], not_places: Sequence[str]) -> Places:
        home_re, others_re, skip_re = (_matcher(e) for e in (home, others, not_places))
        removals = [skip_re.pattern] if skip_re else []
        if others_re is not None:
            place = f"(?:{others_re.pattern})(?:['’]s)?"
            # "上海证券交易所", "the Shanghai or Shenzhen exchange", "深圳创业板": exchanges and
            # their boards, not places
            joined = rf"{place}(?:\s*(?:or|and|/|、|和|或)\s*{place})*"
            removals.append(rf"{joined}\s*(?:{EXCHANGE_WORDS})")
        removal_re = re.compile("|".join(removals), re.IGNORECASE) if removals else None
        return cls(home_re, others_re, removal_re)

    def elsewhere(self, question: str, covered: Collection[str] = ()) -> str | None:
        """The other place a question is about, unless it also names the home district or
        the knowledge base itself holds that place's policies (`covered`). A place the asker
        comes from (从广东, from Shenzhen) is not asked about."""
        if self.others is None:
            return None
        q = self.removals.sub(" ", question) if self.removals is not None else question
        if self.home is not None and self.home.search(q):
            return None
        folded = {c.lower() for c in covered}
        for hit in self.others.finditer(q):
            if hit.group(0).lower() in folded or ORIGIN.search(q[: hit.start()]):
                continue
            return hit.group(0)
        return None

    def named_in(self, text: str) -> set[str]:
        """The listed places a text names (a title, an issuer)."""
        if self.others is None:
            return set()
        q = self.removals.sub(" ", text) if self.removals is not None else text
        return {m.group(0) for m in self.others.finditer(q)}


@dataclass(frozen=True)
class Scope:
    out_of_scope: tuple[str, ...] = ()
    in_scope_markers: tuple[str, ...] = ()
    places: Places = Places()

    @classmethod
    def load(cls, *paths: Path) -> Scope:
        keys = ("out_of_scope", "in_scope_markers", "home_places", "other_places", "not_places")
        lists = read_string_lists(paths, keys, "scope file")
        out, markers = (
            tuple(dict.fromkeys(x.lower() for x in lists[k]))
            for k in ("out_of_scope", "in_scope_markers")
        )
        places = Places.build(lists["home_places"], lists["other_places"], lists["not_places"])
        return cls(out, markers, places)

    def topic(self, question: str) -> str | None:
        """The out-of-scope topic a question is about, unless it also names an enterprise matter."""
        found = self.topics(question)
        return found[0] if found else None

    def topics(self, question: str) -> list[str]:
        """Every listed out-of-scope topic the question names (none when it also names an
        enterprise matter), in list order."""
        q = question.lower()
        hits = [t for t in self.out_of_scope if t in q]
        if not hits or any(m in q for m in self.in_scope_markers):
            return []
        return hits
