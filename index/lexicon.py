"""Domain lexicon: whole-word terms, synonym groups and common misspellings.

Entrepreneurs write "北交所", "BSE" or "北交鼠" for the same exchange, and the official text
says "北京证券交易所". Neither dense nor BM25 search bridges that gap reliably on their own,
so queries are normalised and expanded with this lexicon before both searches, and the
tokenisers keep domain terms whole.

File format (YAML, UTF-8; every key optional; an empty file is an empty lexicon)::

    terms: [专精特新, 小巨人, 应急转贷]          # words kept whole by tokenisers
    synonyms:                                   # groups; first member is canonical;
      - [北京证券交易所, 北交所, BSE, Beijing Stock Exchange]   # all are equivalent
      - [应急转贷, 过桥, 过桥资金, 转贷, bridge loan]
    misspellings:                               # wrong: right
      北交鼠: 北交所
    translations:                               # English phrases → the documents' terms
      - en: [guarantee fee, guarantee fees]
        zh: [担保费]
    phrasings:                                  # everyday wordings → the programme's term
      - pattern: "头一回(?:从银行)?(?:贷款|借钱)"
        means: [首贷]

Translations serve questions written in English only: the knowledge base is Chinese, so an
English question's own words match nothing in it lexically (BM25 recall .33 on English
questions, NOTES), and its lexical list was noise in the fusion. The Chinese terms of the
English phrases it contains are searched for instead (`translate`). They never touch a
Chinese question, nor the dense vectors the scope check compares (synonyms do both).

Phrasings serve what no synonym can list, because other words come between: a business that
"头一回从银行拿到经营贷款" or "从来没在银行贷过款" asks about 首贷, a word it never types. A
phrasing is a regular expression over the (normalised) question; where it matches, the terms
it means are searched for too, with their synonyms, as if the question had named them.

Matching rules: CJK entries match as plain substrings; entries containing Latin letters or
digits match case-insensitively and only on word boundaries (so "BSE" does not fire inside
"BSEX"). Several files can be loaded together; later files extend earlier ones: terms are
unioned, a synonym group sharing a member with an earlier group is merged into it (the
earlier canonical stays first), and a later misspelling entry overrides an earlier one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Lexicon", "LexiconError", "has_cjk", "is_latin_entry"]

_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_LATIN_RE = re.compile(r"[A-Za-z0-9]")
# a word of an English phrase: "m&a" and "p2p" are one word each; a hyphen parts words
# ("sub-fund" is "sub fund"), and a possessive's "s" is a word of its own ("fund's")
_LATIN_WORD = re.compile(r"[a-z0-9]+(?:[&.][a-z0-9]+)*")
_PHRASE_BREAK = re.compile(r"[^a-z0-9&.'\s-]+")
# libyaml's safe loader where PyYAML was built with it: the bundled lexicon files load in
# 0.1 s instead of 0.4 s, which every start and every `finbot ask` pays
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_KEYS = frozenset({"terms", "synonyms", "misspellings", "translations", "phrasings"})


class LexiconError(ValueError):
    """A lexicon file cannot be used; names the file so the operator can fix it."""

    def __init__(self, source: str | Path, reason: str) -> None:
        super().__init__(f"lexicon {source}: {reason}")
        self.source = str(source)
        self.reason = reason


def has_cjk(text: str) -> bool:
    """True if the text contains a CJK ideograph (decides substring vs word matching)."""
    return _CJK_RE.search(text) is not None


def cjk_count(text: str) -> int:
    """How many characters of the text are common CJK ideographs (U+4E00–U+9FFF): how long a
    Chinese message is, whatever Latin or punctuation it carries."""
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")


def is_latin_entry(text: str) -> bool:
    """Latin/digit entries are matched case-insensitively on word boundaries."""
    return not has_cjk(text) and _LATIN_RE.search(text) is not None


def _clean(entry: str) -> str:
    """NFKC folds full-width Latin (ＢＳＥ) so file entries match what users type."""
    return " ".join(unicodedata.normalize("NFKC", entry).split())


def _entry_pattern(entry: str) -> str:
    """Regex for one entry: Latin entries get word boundaries, CJK ones are substrings."""
    body = r"\s+".join(re.escape(part) for part in entry.split())
    if is_latin_entry(entry):
        return rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"
    return body


def _entry_test(entry: str) -> str | tuple[str, re.Pattern[str]]:
    """What finds the entry in a text: the entry itself when it is one run of uncased
    characters (most CJK terms: a substring test, ~10x faster than a regular expression,
    and every example of the scope model is expanded at start-up), else its pattern, tried
    only when the lower-cased text holds the entry's first word (the pattern cannot match
    otherwise: the text is NFKC-normalised, so no other character folds onto ASCII)."""
    words = entry.split()
    uncased = all(ch.lower() == ch == ch.upper() for ch in entry)
    if len(words) == 1 and uncased and not is_latin_entry(entry):
        return entry
    first = words[0].lower() if words and words[0].isascii() else ""
    return first, re.compile(_entry_pattern(entry), re.IGNORECASE)


def _alternation(entries: Iterable[str]) -> re.Pattern[str] | None:
    """Longest entries first so "过桥资金" wins over its prefix "过桥"."""
    ordered = sorted(set(entries), key=lambda e: (-len(e), e))
    if not ordered:
        return None
    return re.compile("|".join(_entry_pattern(e) for e in ordered), re.IGNORECASE)


def _singular_forms(phrase: str) -> list[str]:
    """The phrase as written, then its last word read back from a plural."""
    forms = [phrase]
    for ending, base in (("ies", "y"), ("es", ""), ("s", "")):
        if phrase.endswith(ending):
            forms.append(phrase[: -len(ending)] + base)
    return forms


@dataclass(frozen=True)
class _Raw:
    """One file's validated content, before merging."""

    terms: tuple[str, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    misspellings: tuple[tuple[str, str], ...] = ()
    translations: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    phrasings: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _str_list(value: Any, source: str, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise LexiconError(source, f"{what} must be a list, got {type(value).__name__}")
    out: list[str] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise LexiconError(source, f"{what} entries must be strings, got {item!r}")
        text = _clean(str(item))
        if not text:
            raise LexiconError(source, f"{what} contains an empty entry")
        out.append(text)
    return tuple(out)


def _parse(data: Any, source: str) -> _Raw:
    """Validates strictly: a typo such as `synonym:` would otherwise silently do nothing."""
    if data is None:
        return _Raw()
    if not isinstance(data, Mapping):
        raise LexiconError(
            source, "top level must be a mapping with terms/synonyms/misspellings/translations"
        )
    unknown = set(data) - _ALLOWED_KEYS
    if unknown:
        raise LexiconError(source, f"unknown keys {sorted(map(str, unknown))}")
    terms = _str_list(data.get("terms") or [], source, "terms")
    groups_raw = data.get("synonyms") or []
    if not isinstance(groups_raw, list):
        raise LexiconError(source, "synonyms must be a list of lists")
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(groups_raw):
        members = _str_list(group, source, f"synonyms[{i}]")
        unique = tuple(dict.fromkeys(members))
        if len(unique) < 2:
            raise LexiconError(source, f"synonyms[{i}] needs at least two different members")
        groups.append(unique)
    miss_raw = data.get("misspellings") or {}
    if not isinstance(miss_raw, Mapping):
        raise LexiconError(source, "misspellings must be a mapping wrong: right")
    pairs: list[tuple[str, str]] = []
    for wrong, right in miss_raw.items():
        (w,) = _str_list([wrong], source, "misspellings key")
        (r,) = _str_list([right], source, f"misspellings[{wrong}]")
        pairs.append((w, r))
    return _Raw(
        terms, tuple(groups), tuple(pairs), _translations(data, source), _phrasings(data, source)
    )


def _entries(
    data: Mapping[str, Any], key: str, fields: tuple[str, str], shape: str, source: str
) -> list[Mapping[str, Any]]:
    """The list under `key`, each entry a mapping with exactly `fields` (translations: en, zh;
    phrasings: pattern, means); anything else is refused with the file's name."""
    raw = data.get(key) or []
    first, second = fields
    if not isinstance(raw, list):
        raise LexiconError(source, f"{key} must be a list of {shape}")
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping) or set(item) != set(fields):
            raise LexiconError(source, f"{key}[{i}] needs exactly the keys {first} and {second}")
    return raw


def _translations(
    data: Mapping[str, Any], source: str
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """`translations: [{en: [...], zh: [...]}, …]`: English phrases and the terms the documents
    write for them (Chinese, or Latin ones they use too: IPO, REITs)."""
    out = []
    for i, item in enumerate(
        _entries(data, "translations", ("en", "zh"), "{en: [...], zh: [...]}", source)
    ):
        english = _str_list(item["en"], source, f"translations[{i}].en")
        chinese = _str_list(item["zh"], source, f"translations[{i}].zh")
        if not english or not chinese:
            raise LexiconError(source, f"translations[{i}] needs en and zh entries")
        if not all(is_latin_entry(e) for e in english):
            raise LexiconError(source, f"translations[{i}]: en must be Latin-script phrases")
        out.append((english, chinese))
    return tuple(out)


def _phrasings(data: Mapping[str, Any], source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`phrasings: [{pattern: regex, means: [...]}, …]`: a wording and the terms it means. A
    pattern that does not compile, or that matches the empty text (it would fire on every
    question), is refused with the file's name."""
    out = []
    for i, item in enumerate(
        _entries(data, "phrasings", ("pattern", "means"), "{pattern: ..., means: [...]}", source)
    ):
        (pattern,) = _str_list([item["pattern"]], source, f"phrasings[{i}].pattern")
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise LexiconError(source, f"phrasings[{i}]: bad pattern ({exc})") from None
        if compiled.search(""):
            raise LexiconError(source, f"phrasings[{i}]: the pattern matches an empty text")
        means = _str_list(item["means"], source, f"phrasings[{i}].means")
        if not means:
            raise LexiconError(source, f"phrasings[{i}] needs a term in means")
        out.append((pattern, means))
    return tuple(out)


def _read(path: Path) -> _Raw:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_SAFE_LOADER)
    except UnicodeDecodeError as exc:
        raise LexiconError(path, f"not UTF-8 ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(path, f"invalid YAML: {exc}") from exc
    return _parse(data, str(path))


def _dedupe_folded(items: Iterable[str]) -> list[str]:
    """Keeps the first spelling of entries equal up to case ("BSE" vs "bse")."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def _merge_groups(groups: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Union groups sharing a member (case-insensitively), keeping first-seen order."""
    merged: list[list[str]] = []
    for group in groups:
        keys = {m.casefold() for m in group}
        hits = [g for g in merged if keys & {m.casefold() for m in g}]
        if not hits:
            merged.append(list(group))
            continue
        target = hits[0]
        for other in hits[1:]:
            target.extend(other)
            merged.remove(other)
        target.extend(group)
        target[:] = _dedupe_folded(target)
    return tuple(tuple(g) for g in merged)


@dataclass(frozen=True)
class Lexicon:
    """Immutable, so one instance can be shared by all request threads."""

    term_list: tuple[str, ...] = ()
    synonym_groups: tuple[tuple[str, ...], ...] = ()
    misspellings: Mapping[str, str] = field(default_factory=dict)
    # (English phrases, Chinese terms); later files first, so an overlay wins a phrase
    translation_pairs: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()
    # (regular expression, the terms a question matching it means)
    phrasing_pairs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    _miss_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _miss_map: dict[str, str] = field(init=False, repr=False, compare=False)
    # per synonym member: the member itself (a substring test) or (a word it must hold, its pattern)
    _member_res: tuple[str | tuple[str, re.Pattern[str]], ...] = field(
        init=False, repr=False, compare=False
    )
    _meaning: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _longest: int = field(init=False, repr=False, compare=False)  # words in a phrase, at most
    _phrasing_res: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = field(
        init=False, repr=False, compare=False
    )
    _terms: frozenset[str] = field(init=False, repr=False, compare=False)
    # per case-folded member: the synonym groups holding it, in file order
    _groups_of: dict[str, tuple[tuple[str, ...], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        miss_map = {k.casefold(): v for k, v in self.misspellings.items()}
        object.__setattr__(self, "_miss_map", miss_map)
        object.__setattr__(self, "_miss_re", _alternation(self.misspellings))
        member_res = tuple(_entry_test(m) for g in self.synonym_groups for m in g)
        object.__setattr__(self, "_member_res", member_res)
        meaning: dict[str, tuple[str, ...]] = {}
        for english, chinese in self.translation_pairs:
            for phrase in english:
                words = _LATIN_WORD.findall(unicodedata.normalize("NFKC", phrase).casefold())
                meaning.setdefault(" ".join(words), chinese)
        object.__setattr__(self, "_meaning", meaning)
        object.__setattr__(self, "_longest", max((len(p.split()) for p in meaning), default=0))
        phrasings = tuple((re.compile(p), means) for p, means in self.phrasing_pairs)
        object.__setattr__(self, "_phrasing_res", phrasings)
        cjk_members = (m for g in self.synonym_groups for m in g if has_cjk(m))
        object.__setattr__(self, "_terms", frozenset((*self.term_list, *cjk_members)))
        groups_of: dict[str, list[tuple[str, ...]]] = {}
        for group in self.synonym_groups:
            for key in dict.fromkeys(m.casefold() for m in group):
                groups_of.setdefault(key, []).append(group)
        object.__setattr__(self, "_groups_of", {k: tuple(v) for k, v in groups_of.items()})

    # ----------------------------------------------------------------- construction
    @classmethod
    def empty(cls) -> Lexicon:
        return cls()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<mapping>") -> Lexicon:
        """Builds from already-parsed YAML; handy for tests and embedded defaults."""
        return cls._combine([_parse(data, source)])

    @classmethod
    def load(cls, *paths: Path) -> Lexicon:
        """Missing files are skipped: a deployment may not ship the optional local overlay."""
        return cls._combine([_read(Path(p)) for p in paths if Path(p).is_file()])

    @classmethod
    def _combine(cls, raws: Sequence[_Raw]) -> Lexicon:
        terms = tuple(dict.fromkeys(t for raw in raws for t in raw.terms))
        groups = _merge_groups(g for raw in raws for g in raw.synonyms)
        miss: dict[str, str] = {}
        for raw in raws:
            for wrong, right in raw.misspellings:
                for key in [k for k in miss if k.casefold() == wrong.casefold()]:
                    del miss[key]
                miss[wrong] = right
        translations = tuple(pair for raw in reversed(raws) for pair in raw.translations)
        phrasings = tuple(dict.fromkeys(p for raw in raws for p in raw.phrasings))
        return cls(terms, groups, miss, translations, phrasings)

    # ----------------------------------------------------------------------- queries
    def normalize(self, text: str) -> str:
        """Fixes known misspellings; NFKC first so full-width input matches too."""
        text = unicodedata.normalize("NFKC", text)
        if self._miss_re is None:
            return text
        return self._miss_re.sub(self._fix, text)

    def _fix(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return self._miss_map.get(" ".join(found.split()).casefold(), found)

    def _present(self, text: str) -> list[bool]:
        lowered = text.lower()
        return [
            (r in text)
            if isinstance(r, str)
            else (r[0] in lowered and r[1].search(text) is not None)
            for r in self._member_res
        ]

    def expand(self, text: str) -> list[str]:
        """The terms the text's phrasings mean, then the other members of every synonym group
        the (normalised) text or those terms mention."""
        normalized = self.normalize(text)
        phrased = self.phrased(normalized)
        present = iter(self._present(" ".join([normalized, *phrased])))
        out: dict[str, None] = dict.fromkeys(phrased)
        seen_fold: set[str] = {t.casefold() for t in phrased}
        for group in self.synonym_groups:
            flags = [next(present) for _ in group]
            if not any(flags):
                continue
            for member, here in zip(group, flags, strict=True):
                key = member.casefold()
                if not here and key not in seen_fold:
                    seen_fold.add(key)
                    out[member] = None
        return list(out)

    def phrased(self, text: str) -> list[str]:
        """The terms meant by the phrasings the text matches, that it does not write itself."""
        out: dict[str, None] = {}
        for pattern, means in self._phrasing_res:
            if pattern.search(text):
                out.update(dict.fromkeys(t for t in means if t not in text))
        return list(out)

    def expand_query(self, text: str) -> str:
        """The single string fed to both the dense encoder and the BM25 tokeniser."""
        normalized = self.normalize(text)
        extra = self.expand(normalized)
        return f"{normalized} {' '.join(extra)}" if extra else normalized

    def translate(self, text: str) -> list[str]:
        """The Chinese terms of the English phrases in a Latin-script text, longest phrase
        first and none overlapping ("guarantee fee rate" before "guarantee fee"); a plural
        -s/-es/-ies on the last word is read as the phrase. Word by word against a table,
        not one regular expression of every phrase: compiling that cost each start 0.3 s."""
        out: dict[str, None] = {}
        for _, meaning in self.translated_phrases(text):
            out.update(dict.fromkeys(meaning))
        return list(out)

    def glossed(self, text: str) -> str | None:
        """A Latin-script text followed by the first Chinese term of each of its phrases of
        two words or more ("… lists on the STAR Market?" → "… lists on the STAR Market?
        科创板"), or None when it has no such phrase. A phrase of several words names a thing
        of the domain (STAR Market, loss tolerance, commercial factoring); a single word is
        as often an everyday one (award, company, lists → 名单)."""
        terms = [meaning[0] for phrase, meaning in self.translated_phrases(text) if " " in phrase]
        return f"{text} {' '.join(dict.fromkeys(terms))}" if terms else None

    def translated_phrases(self, text: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each English phrase of a Latin-script text that the table translates (as written,
        case-folded) with its Chinese terms, in the order of `translate`."""
        out: list[tuple[str, tuple[str, ...]]] = []
        folded = unicodedata.normalize("NFKC", text).casefold()
        for stretch in _PHRASE_BREAK.split(folded):  # a phrase never spans "," or "？" or 中文
            self._translate_words(_LATIN_WORD.findall(stretch), out)
        return out

    def _translate_words(self, words: list[str], out: list[tuple[str, tuple[str, ...]]]) -> None:
        i = 0
        while i < len(words):
            for n in range(min(self._longest, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + n])
                found = next((f for f in _singular_forms(phrase) if f in self._meaning), None)
                if found is not None:
                    out.append((phrase, self._meaning[found]))
                    i += n
                    break
            else:
                i += 1

    def translates_as_written(self, phrase: str) -> bool:
        """The table holds the (case-folded) phrase itself, not only its singular."""
        return phrase in self._meaning

    def terms(self) -> frozenset[str]:
        """Words tokenisers must keep whole: declared terms plus CJK synonym members (read once:
        the answer path asks for them per question and per part of one)."""
        return self._terms

    def synonyms_of(self, term: str) -> list[str]:
        """The other members of the synonym groups the term itself belongs to; not those of
        the words inside it (`expand` reads a text: 汽车贷款 mentions 贷款, whose synonym 借款 is
        no name for a car loan). Looked up, not searched: the coverage overrule asks per word
        and passage."""
        key = unicodedata.normalize("NFKC", term).casefold()
        out: dict[str, None] = {}
        for group in self._groups_of.get(key, ()):
            out.update(dict.fromkeys(m for m in group if m.casefold() != key))
        return list(out)

    def canonical(self, term: str) -> str:
        """First member of the term's synonym group (for display/analytics), else the term."""
        groups = self._groups_of.get(unicodedata.normalize("NFKC", term).casefold())
        return groups[0][0] if groups else term


# between the characters of an abbreviation's full form (医保 in 医疗保险)
ABBREVIATION_GAP = "[^，。；：！？,;:!?\n]{0,3}"


def abbreviated(term: str, corpus: str) -> bool:
    """The corpus writes a full form the term abbreviates: its characters in order, a few
    characters apart, within twice its length (医保 in 医疗保险, 可转债 in 可转换公司债券)."""
    if len(term) < 2:
        return False
    pattern = ABBREVIATION_GAP.join(re.escape(ch) for ch in term)
    return any(m.end() - m.start() <= 2 * len(term) for m in re.finditer(pattern, corpus))
