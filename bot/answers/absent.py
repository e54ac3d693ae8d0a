"""Does the question name a specific thing that no document of this knowledge base mentions?

A near-domain question almost always names the one thing the bureau has no policy on:
"上市公司现金分红区里有奖励吗", "出口信用保险保费补贴怎么申请", "企业发中期票据有奖励吗".
Its other words (上市公司, 奖励, 保费补贴) match the knowledge base well, so the search finds
a confident passage about something else, and the scope model, which compares the question
with examples, cannot know what this bureau lacks. The knowledge base itself can: when the
question names a term of a finance glossary (`knowledge/lexicon/glossary.txt`: products,
programmes, instruments, institutions, taxes) and no document writes that term, the
documents cannot answer it, and the reply says which thing they do not cover.

The glossary is a list of things, not of topics to refuse: a term fires only when the loaded
documents never write it, so it never overrides a document that speaks of it, and uploading
a policy on 出口信用保险 makes the questions on it answerable at once. A term counts as
written when a document writes it (punctuation and quotes aside: 专精特新“小巨人”), a lexicon
synonym of it, its abbreviated full form (医保 → 医疗保险, 定增 → 定向增发: the term's
characters in order within twice its length), a shorter glossary term it is a kind of
(设备融资租赁 where the documents write 融资租赁), or the same kind of body under another
generic name (基金管理公司 where the documents write 基金管理人 or 基金管理机构), or a
four-character term with its halves the other way round (资金归集 as 归集偿债资金). A question
names a term only where the term is not two of its words' ends and starts (商承 in 券商承销).

The glossary was written blind, by a helper who saw neither finbot nor any knowledge base
or question set (session 26); a deployment extends it with `$FINBOT_DATA_DIR/glossary.txt`,
where a line "-术语" removes a shipped term.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from bot.scope import ScopeFileError
from index.lexicon import ABBREVIATION_GAP, Lexicon, abbreviated, has_cjk, is_latin_entry
from index.snapshot import Snapshot
from index.sparse import jieba_for

if TYPE_CHECKING:
    import jieba

# a document's short name for what it has just named: "私募股权投资基金、创业投资基金（以下
# 统称“基金”）" → (the clause, 基金)
_DEFINED = re.compile(
    r"([^。；;\n]{2,120}?)[（(](?:以下简称|以下统称|以下称|下称)[“\"《]?([^”\"》）)，。,]{1,12})[”\"》]?[）)]"
)
# what a document may put inside a term without changing it: spaces, quotes, brackets (a
# question keeps its spaces: they part its Latin words)
_QUOTES = r"“”\"'‘’《》〈〉「」『』()（）·・"
_NOISE = re.compile(rf"[\s{_QUOTES}]")
# a name a question quotes: 2 to 8 characters in Chinese, corner or straight quotes
_QUOTED_NAME = re.compile(r"[“「\"]([\u4e00-\u9fffA-Za-z0-9]{2,8})[”」\"]")
_QUESTION_NOISE = re.compile(rf"[{_QUOTES}]")


def without_noise(text: str) -> str:
    """The text as a term is looked for in it: without the spaces, quotes and brackets a
    document may put inside one ("首台（套）重大技术装备" writes 首台套重大技术装备)."""
    return _NOISE.sub("", text)


_MIN_TERM = 2
_INSURANCE = "保险"
# the benefits a bureau grants, in the words of its measures
BENEFITS: Final = ("奖励", "补贴", "贴息", "补偿", "补助", "奖补", "资助", "减免")
# a thing and the benefit granted on it, at most BENEFIT_GAP characters apart in one clause:
# 租金补贴 as "按实际租金的50%给予补贴" (set before measuring, not tuned)
BENEFIT_GAP: Final = 8
_BENEFIT_APART = rf"[^，。；：！？,;:!?\n]{{0,{BENEFIT_GAP}}}(?:{'|'.join(BENEFITS)})"
# the generic names of a body, one as good as another after the same stem (基金管理公司,
# 基金管理人, 基金管理机构)
_BODY_SUFFIXES = ("公司", "机构", "企业", "人")
# a lexicon synonym inside this many glossary terms or more is a word of the domain, not the
# name of a term (`AbsentTerms.named_in`): read off the glossary (上市 26, 私募 17, then 5 at
# most), not off any question
DOMAIN_WORD: Final = 10
# the shortest head of a Chinese compound term (`AbsentTerms.head_written`): 专利 of 发明专利
HEAD_MIN = 2


class Glossary:
    """The terms, longest first (a question naming 出口信用保险 names it, not 信用保险)."""

    def __init__(self, terms: Iterable[str]) -> None:
        unique = {t.strip() for t in terms if len(t.strip()) >= _MIN_TERM}
        self.terms: tuple[str, ...] = tuple(sorted(unique, key=lambda t: (-len(t), t)))
        # the terms by their first two characters, case-folded: a question is read for the
        # few whose opening it writes, not for all ~2,600 (0.7 ms a reading, several a question)
        by_opening: dict[str, list[str]] = {}
        for term in self.terms:
            by_opening.setdefault(term[:2].casefold(), []).append(term)
        self._rank = {term: i for i, term in enumerate(self.terms)}  # the order of `terms`
        # an insurance as people name it, 险 for 保险 ("安全生产责任险" names 安全生产责任保险);
        # not where the short form is a term of its own
        self._spoken = {
            f"{term[: -len(_INSURANCE)]}险": term
            for term in self.terms
            if term.endswith(_INSURANCE) and len(term) - len(_INSURANCE) >= _MIN_TERM
            and f"{term[: -len(_INSURANCE)]}险" not in self._rank
        }  # fmt: skip
        for short in self._spoken:
            by_opening.setdefault(short[:2].casefold(), []).append(short)
        self._by_opening = {k: tuple(v) for k, v in by_opening.items()}

    def __contains__(self, term: object) -> bool:
        return term in self._rank

    @classmethod
    def load(cls, *paths: Path) -> Glossary:
        """One term per line; '#' starts a comment; in a later file "-term" removes a term.
        A missing file is an empty one (the data dir's extension is optional); one that
        cannot be read stops start-up with a message naming it, as a broken scope file does."""
        terms: set[str] = set()
        for path in paths:
            if not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.__class__.__name__
                raise ScopeFileError(f"{path}: cannot read the glossary ({reason})") from None
            for raw in text.splitlines():
                line = raw.split("#", 1)[0].strip()
                if line.startswith("-"):
                    terms.discard(line[1:].strip())
                elif line:
                    terms.add(line)
        return cls(terms)

    def named_in(self, text: str) -> list[str]:
        """The terms the text names, without those inside a longer term it names (a Latin
        term as a word of its own, in any case: "ABS" is not in "labs")."""
        folded = text.casefold()
        openings = {folded[i : i + 2] for i in range(len(folded) - 1)}
        candidates = {t for o in openings for t in self._by_opening.get(o, ())}
        # each term as the text writes it (its spoken form, for an insurance)
        written = {t: self._spoken.get(t, t) for t in candidates if _occurs(t, folded)}
        inside = {t for t in written if any(t != longer and t in longer for longer in written)}
        found = {term for form, term in written.items() if form not in inside}
        return sorted(found, key=self._rank.__getitem__)


@dataclass(frozen=True, slots=True)
class _Passage:
    """A passage as searched (with its document's title), as it reads without the title,
    and the things of the title (glossary terms) it names itself."""

    text: str
    body: str
    names: frozenset[str]


# a document's passages, and its short names with the clause each stands for
_Passages = tuple[list[_Passage], list[tuple[str, str]]]
_T = TypeVar("_T")


class _PerGeneration(Generic[_T]):
    """Values read from one document each, kept while the snapshot generation they were read
    from is current (the caller holds the lock)."""

    def __init__(self) -> None:
        self._generation = -1
        self._values: dict[str, _T] = {}

    def get(self, generation: int, doc_id: str, read: Callable[[], _T]) -> _T:
        if generation != self._generation:
            self._generation, self._values = generation, {}
        found = self._values.get(doc_id)
        if found is None:
            found = self._values[doc_id] = read()
        return found


def _passages_of(snap: Snapshot, doc_id: str, glossary: Glossary) -> _Passages:
    """The things of the title are those it names, and those its short name stands for: the
    title of "…地方金融组织监督管理工作指引" names the five bodies its 第一条 gathers as "小额
    贷款公司、融资担保公司、典当行、融资租赁公司和商业保理公司（以下统称地方金融组织）", so its
    article on a 融资担保公司's capital speaks of that body, not of a 商业保理公司 (yuwan, written
    blind: "商业保理公司注册资本最低多少？" was answered with it)."""
    doc = snap.docs[doc_id].doc
    defined = [
        (span, alias) for chunk in doc.chunks for span, alias in _DEFINED.findall(chunk.text)
    ]
    title = _NOISE.sub("", doc.meta.title)
    listed = set(glossary.named_in(doc.meta.title))
    for span, alias in defined:
        short = _NOISE.sub("", alias)
        if len(short) >= _MIN_TERM and short in title:
            listed.update(glossary.named_in(span))
    texts = []
    for chunk in doc.chunks:
        body = f"{chunk.section}\n{chunk.text}"
        names = frozenset(listed & set(glossary.named_in(body))) if listed else frozenset()
        texts.append(_Passage(_searchable([doc.meta.title, body]), _searchable([body]), names))
    aliases = [(_NOISE.sub("", alias).casefold(), _searchable([span])) for span, alias in defined]
    return texts, aliases


class AbsentTerms:
    """Thread-safe; the knowledge base's text is read once per snapshot generation."""

    def __init__(
        self, glossary: Glossary, lexicon: Lexicon, products: Glossary | None = None
    ) -> None:
        self.glossary = glossary
        self.products = products or Glossary(())
        self._lexicon = lexicon
        self._lock = threading.Lock()
        # per snapshot generation: the corpus and the verdicts read from it so far (each costs
        # a few scans of the text: ~3 ms apiece on a 5 MB knowledge base)
        self._text: tuple[int, str, dict[str, bool]] | None = None
        # per snapshot generation: each document's own text and verdicts, read when asked
        self._docs: _PerGeneration[tuple[str, dict[str, bool]]] = _PerGeneration()
        # per snapshot generation: each document's passages as searched and its short names
        self._passage_texts: _PerGeneration[_Passages] = _PerGeneration()
        # per term (the glossary and the lexicon do not change): the forms it is looked for
        # in, and the shorter glossary terms it contains
        self._term_forms: dict[str, tuple[str, ...]] = {}
        self._wider_terms: dict[str, tuple[str, ...]] = {}
        self._siblings: dict[str, tuple[str, ...]] = {}
        self._synonyms: dict[str, str] | None = None

    def prepare(self, snap: Snapshot) -> None:
        self._corpus(snap)
        self._tokenizer()
        self._synonym_names()

    def _tokenizer(self) -> jieba.Tokenizer:
        """The search's own segmenter (jieba with the lexicon's terms), loaded once."""
        return jieba_for(self._lexicon.terms())

    def named_in(self, text: str) -> list[str]:
        """The glossary terms the text names: written as such (`Glossary.named_in`), or as
        a lexicon synonym of one, which names it as surely (中基协 names 基金业协会, 小贷 names
        小额贷款公司): a term counts as written wherever one of its synonyms is, so a
        question in the synonym's words is declined only where the documents write neither."""
        named = self.glossary.named_in(text)
        for member, term in self._synonym_names().items():
            if term not in named and member in text and not any(member in n for n in named):
                named.append(term)
        return named

    def _synonym_names(self) -> dict[str, str]:
        """Each Chinese member of a lexicon synonym group that holds a glossary term, not a
        term itself nor a word of the domain, with the group's first term; read once. A word
        of the domain is one that DOMAIN_WORD glossary terms or more are built on: 上市 (in 26
        terms: 上市公司股权激励, 境外上市 …) is searched as a synonym of 首次公开发行 but
        names no offering, and 私募 (17) no one kind of fund; the next member is in 5."""
        found = self._synonyms
        if found is None:
            found = {}
            for group in self._lexicon.synonym_groups:
                terms = [member for member in group if member in self.glossary]
                for member in group if terms else ():
                    if (
                        has_cjk(member)
                        and len(member) >= _MIN_TERM
                        and member not in self.glossary
                        and sum(member in term for term in self.glossary.terms) < DOMAIN_WORD
                    ):
                        found.setdefault(member, terms[0])
            self._synonyms = found
        return found

    def first_unwritten(self, snap: Snapshot, question: str) -> str | None:
        """The first term the question names that no document (nor FAQ) writes, or None."""
        named = self.named_in(_QUESTION_NOISE.sub("", question))
        if not named:
            return None
        corpus, verdicts = self._corpus(snap)
        words: list[tuple[str, int, int]] | None = None  # the question's words, read if needed
        bounds: set[int] = set()
        for term in named:
            if self._verdict(term, corpus, verdicts):
                continue
            if words is None:
                words = _words(question, self._tokenizer())
                bounds = _word_bounds(words)
            if not _straddled(term, question, bounds) and not self._inside_other_term(term, words):
                return term
        return None

    def first_unwritten_product(self, snap: Snapshot, question: str) -> str | None:
        """The first farm, livestock or forest product the question names (`products`) that
        no document writes: a thing of its own, which no wider word of the documents stands
        for. Over 53 seen sets (session 47) it declined 12 questions out of scope ("种柑橘买保险
        有没有保费补贴？" on a measure listing other crops) and 1 in scope (杉木 where the
        documents write 林木)."""
        named = self.products.named_in(_QUESTION_NOISE.sub("", question))
        if not named:
            return None
        corpus, _ = self._corpus(snap)
        bounds = _word_bounds(_words(question, self._tokenizer()))
        for product in named:
            if not _occurs(product, corpus) and not _straddled(product, question, bounds):
                return product
        return None

    def first_unwritten_name(self, question: str, snap: Snapshot) -> str | None:
        """The first name the question puts in quotes ("区里有个“湖商快贷”…", "能办“政采贷”吗")
        that no document writes, of any status: a product or programme this bureau does not
        have. Quotes mark a proper name, and a bureau's own products are written in its
        measures; a common word in quotes (“专精特新”) is written too. Over the 259 questions of
        the 79 sets that quote a name (session 55), 51 of 76 out of scope quote one no
        document writes, and 1 of 183 in scope: a product romanised in an English question
        ("Mufudai"), which a name with no Chinese character is spared as."""
        corpus, _ = self._corpus(snap)
        for match in _QUOTED_NAME.finditer(question):
            name = _NOISE.sub("", match.group(1))
            if len(name) >= _MIN_TERM and has_cjk(name) and not _occurs(name, corpus):
                return name
        return None

    def _inside_other_term(self, term: str, words: Sequence[tuple[str, int, int]]) -> bool:
        """The question writes the term only inside a longer word of the lexicon that is no
        synonym of it, and no glossary term: it names that word ("科技贷款", a loan to tech
        firms, not the product 科技贷; meixi declined three questions on a measure for
        科技型中小企业贷款 as naming 科技贷)."""
        inside = [word for word, _, _ in words if term in word]
        return bool(inside) and all(
            word != term
            and word in self._lexicon.terms()
            and word not in self.glossary
            and term not in self._lexicon.synonyms_of(word)
            for word in inside
        )

    def first_unwritten_phrase(self, snap: Snapshot, question: str) -> tuple[str, str] | None:
        """In a question written in English: the first phrase whose Chinese terms (the
        lexicon's translations) include a glossary term and none of which any document
        writes, with that glossary term; or None. "export credit insurance" names
        出口信用保险 as surely as the Chinese question does, and the absent-term check reads
        Chinese questions only. A single word read back from a plural names nothing: it is
        as often a verb ("Which indicator carries the largest weight…" is not about carried
        interest, carry; meixi declined it as naming 业绩报酬)."""
        corpus, verdicts = self._corpus(snap)
        for phrase, meaning in self._lexicon.translated_phrases(question):
            if " " not in phrase and not self._lexicon.translates_as_written(phrase):
                continue
            named = [term for term in meaning if term in self.glossary]
            if named and not any(self._verdict(term, corpus, verdicts) for term in meaning):
                return phrase, named[0]
        return None

    def head_written(self, snap: Snapshot, term: str, doc_id: str | None = None) -> bool:
        """Does the knowledge base write what the term is a kind of: its head, the end of a
        Chinese compound, of two characters or more (发明专利 is a 专利, 注册商标 a 商标, 大基金 a
        基金)? A term of two characters has no such head and counts as having one; a term in
        Latin letters is read as the Chinese it is spelt out in (QDLP as 合格境内有限合伙人),
        and counts as having one when the lexicon spells it out in none (the documents may:
        FOF as 母基金). Where the documents write a sibling of the term (合格境外有限合伙人),
        the kind they share is that sibling's, not the term's (`_sibling_written`).

        Given a document (the one the answer would quote), the head must be written there:
        a 市值管理 or 员工持股计划 question had its head (管理, 计划) written by every knowledge
        base, and a 贷款保证保险 one its 保险 by some other measure than the one quoted."""
        if is_latin_entry(term):
            spelt = [form for form in self._forms(term) if has_cjk(form)]
            return not spelt or any(self.head_written(snap, form, doc_id) for form in spelt)
        if len(term) <= HEAD_MIN:
            return True
        corpus, _ = self._corpus(snap)
        if self._sibling_written(term, corpus):
            return False
        if doc_id is not None:
            corpus, _ = self._document(snap, doc_id)
        return any(_occurs(term[start:], corpus) for start in range(1, len(term) - HEAD_MIN + 1))

    def named_written(self, snap: Snapshot, question: str) -> list[str]:
        """The terms the question names (not straddled) that some document does write."""
        text = _QUESTION_NOISE.sub("", question)
        named = self.named_in(text)
        if not named:
            return []
        corpus, verdicts = self._corpus(snap)
        bounds = _word_bounds(_words(text, self._tokenizer()))
        return [
            term
            for term in named
            if self._verdict(term, corpus, verdicts) and not _straddled(term, text, bounds)
        ]

    def subjects_written(self, snap: Snapshot, question: str) -> list[str]:
        """The question's words that are terms of the search's lexicon (Chinese, two
        characters or more, no benefit) and that some document writes: what it asks about
        in the domain's words (债券, 上市, 出资比例), glossary term or not. A benefit word
        (奖励, 贴息) is left out: a level's measure may name its benefit otherwise."""
        corpus, verdicts = self._corpus(snap)
        lexicon = self._lexicon.terms()
        found: list[str] = []
        for word, _start, _end in _words(_QUESTION_NOISE.sub("", question), self._tokenizer()):
            if (
                word in found
                or len(word) < _MIN_TERM
                or not has_cjk(word)
                or word not in lexicon
                or any(benefit in word for benefit in BENEFITS)
            ):
                continue
            if self._verdict(word, corpus, verdicts):
                found.append(word)
        return found

    def unwritten_by(self, snap: Snapshot, doc_id: str, terms: Sequence[str]) -> list[str]:
        """Those of the terms one document (its title, headings and text) never writes, by
        the same rules as the whole corpus."""
        text, verdicts = self._document(snap, doc_id)
        return [term for term in terms if not self._verdict(term, text, verdicts)]

    def passages_writing(
        self,
        snap: Snapshot,
        doc_ids: Sequence[str],
        terms: Sequence[str],
        *,
        every: bool,
        own_subject: bool = False,
    ) -> Iterator[str]:
        """The passages of the documents (each its heading and text with its document's
        title, as searched) that write every one of the terms (`every`) or one of them. A
        term is written where the document's short name for it is ("私募股权投资基金、创业
        投资基金（以下统称“基金”）": a passage on 基金 writes 创投基金).

        With `own_subject`, a passage that names a thing of its document's title which is
        none of the terms is read without the title: it speaks of that thing. Under "…小额
        贷款公司、融资担保公司和典当行监督管理实施细则", "第十条 新设立的融资担保公司，注册资本不
        低于2000万元" states no pawnshop's capital, though the title names 典当行 (a blind KB's
        "新开一家典当行，注册资本最低要多少？" was answered with it)."""
        need = all if every else any
        asked = set(terms)
        for doc_id in doc_ids:
            passages, aliases = self._passages(snap, doc_id)
            for passage in passages:
                text = passage.text
                if own_subject and passage.names - asked:
                    text = passage.body
                if need(self._written_in(term, text, aliases) for term in terms):
                    yield text

    def _passages(self, snap: Snapshot, doc_id: str) -> _Passages:
        """A document's passages as searched, and its short names (the names and the clause
        each stands for), read once per snapshot generation."""
        with self._lock:
            return self._passage_texts.get(
                snap.generation, doc_id, lambda: _passages_of(snap, doc_id, self.glossary)
            )

    def _written_in(self, term: str, text: str, aliases: list[tuple[str, str]]) -> bool:
        if self._written(term, text):
            return True
        return any(alias in text and self._written(term, span) for alias, span in aliases)

    def _document(self, snap: Snapshot, doc_id: str) -> tuple[str, dict[str, bool]]:
        with self._lock:
            return self._docs.get(
                snap.generation, doc_id, lambda: (_searchable([snap.document_text(doc_id)]), {})
            )

    def _verdict(self, term: str, text: str, verdicts: dict[str, bool]) -> bool:
        """Does the text write the term? Read once per text and term (`verdicts` is the
        text's own memo)."""
        written = verdicts.get(term)
        if written is None:
            written = verdicts[term] = self._written(term, text)
        return written

    def _written(self, term: str, corpus: str) -> bool:
        """Written as such or in a form (`_plainly_written`), or as a kind of a wider term the
        corpus writes, where it writes no sibling of it; also in the words of a synonym of its
        opening (专利质押贷款 as 知识产权质押贷款, a kind of 知识产权质押: meixi declined a question
        on a measure that writes 知识产权质押 and 碳汇质押贷款, never 专利质押)."""
        if self._plainly_written(term, corpus):
            return True
        return any(
            self._plainly_written(shorter, corpus)
            and not self._sibling_written(form, corpus, shorter)
            for form in (term, *self._with_other_head(term))
            for shorter in self._wider(form)
        )

    def _sibling_written(self, term: str, corpus: str, kind: str = "") -> bool:
        """The documents write another glossary term of the term's length that ends as it
        does and differs only in a few characters of its qualifier (合格境外有限合伙人 for
        合格境内有限合伙人): they name that one kind, so the kind the term shares with it
        (有限合伙人) does not stand for the term. A QDLP question was answered from a QFLP
        measure (hongjiang, after its blind run). Given the kind, only a sibling of that kind
        counts: 股权质押贷款 is no 抵押贷款, and a measure writing it and 抵押贷款 still grants a
        林权抵押贷款 (panxi, written blind: "林权抵押贷款期限最长多少年？" was declined on a
        measure for 农村产权 mortgages that writes 林权抵押)."""
        siblings = self._siblings.get(term)
        if siblings is None:
            siblings = tuple(
                other
                for other in self.glossary.terms
                if other != term and len(other) == len(term) and _sibling(term, other)
            )
            self._siblings[term] = siblings
        # a kind that ends the term is the kind of its siblings too (…抵押贷款); one that
        # opens it (关税 of 关税保证保险) is no kind of them, and every sibling counts
        ending = kind if term.endswith(kind) else ""
        return any(_occurs(other, corpus) for other in siblings if ending in other)

    def _forms(self, term: str) -> tuple[str, ...]:
        """The term, its lexicon synonyms and its other bodies' names, without noise; read
        once per term (the lexicon's expansion costs ~0.15 ms, and the passage readings of
        `named` look for a term in each passage of three documents)."""
        found = self._term_forms.get(term)
        if found is None:
            forms = [term, *self._lexicon.synonyms_of(term), *_other_bodies(term)]
            forms += self._with_other_head(term)
            found = tuple(dict.fromkeys(_NOISE.sub("", form) for form in forms))
            self._term_forms[term] = found
        return found

    def _with_other_head(self, term: str) -> list[str]:
        """The term with its opening words put in a lexicon synonym's (专利质押贷款 as
        知识产权质押贷款: 专利质押 and 知识产权质押 are one group): a measure on 知识产权质押 that
        never writes 专利质押贷款 still grants one (cenjiang, seen, declined "专利质押贷款的贴息
        啥时候报？")."""
        out: list[str] = []
        for cut in range(len(term) - 1, HEAD_MIN, -1):
            opening = term[:cut]
            synonyms = self._lexicon.synonyms_of(opening)
            if term in synonyms:
                continue  # a short form of the whole term (科技创新债), not its opening
            others = [o for o in synonyms if has_cjk(o) and o != opening]
            if others:
                out += [other + term[cut:] for other in others]
                break
        return out

    def _wider(self, term: str) -> tuple[str, ...]:
        """The shorter glossary terms the term is a kind of (设备融资租赁 → 融资租赁), in the
        glossary's order; found once per term, not on every text it is looked for in."""
        found = self._wider_terms.get(term)
        if found is None:
            found = tuple(t for t in self.glossary.terms if t != term and t in term)
            self._wider_terms[term] = found
        return found

    def _plainly_written(self, term: str, corpus: str) -> bool:
        if any(_occurs(form, corpus) for form in self._forms(term)):
            return True
        if is_latin_entry(term):
            return False
        return (
            abbreviated(term.casefold(), corpus)
            or _inverted(term, corpus)
            or _benefit_apart(term, corpus)
        )

    def _corpus(self, snap: Snapshot) -> tuple[str, dict[str, bool]]:
        """Every document's title, headings and text, and every FAQ, without the noise a
        term may carry inside it (any status: a question about a repealed policy is answered
        with its repeal notice, not as unknown)."""
        cached = self._text
        if cached is not None and cached[0] == snap.generation:
            return cached[1], cached[2]
        with self._lock:
            cached = self._text
            if cached is None or cached[0] != snap.generation:
                parts = [snap.document_text(doc_id) for doc_id in snap.docs]
                for faq in snap.faqs.values():
                    parts.extend([*faq.questions, faq.answer])
                cached = (snap.generation, _searchable(parts), {})
                self._text = cached
            return cached[1], cached[2]


# a sibling differs from a term in this many characters at most, all before its last
# SIBLING_HEAD characters (the kind both are): 境内/境外, 一级/二级
SIBLING_CHANGES: Final = 2
SIBLING_HEAD: Final = 3


def _sibling(term: str, other: str) -> bool:
    """Two Chinese terms of one length, the same kind (their last SIBLING_HEAD characters),
    qualified differently in at most SIBLING_CHANGES characters."""
    if not has_cjk(term) or len(term) <= SIBLING_HEAD + 1:
        return False
    if term[-SIBLING_HEAD:] != other[-SIBLING_HEAD:]:
        return False
    changed = sum(a != b for a, b in zip(term, other, strict=True))
    return 0 < changed <= SIBLING_CHANGES


def _searchable(parts: Sequence[str]) -> str:
    """The texts joined, with the names their coordinations write (`_shared_heads`), without
    the noise a term may carry inside it, case-folded: where a term is looked for."""
    text = "\n".join(parts)
    text += "\n" + "\n".join(_shared_heads(text))
    return _NOISE.sub("", text).casefold()


# "上海、深圳证券交易所": two names of the same length sharing what follows them
_COORDINATED = tuple(
    re.compile(
        rf"([\u4e00-\u9fff]{{{n}}})[、和及与或]([\u4e00-\u9fff]{{{n}}})([\u4e00-\u9fff]{{1,8}})"
    )
    for n in (2, 3, 4)
)


def _shared_heads(text: str) -> list[str]:
    """The first name of each coordination with what follows the last: "上海、深圳证券交易所"
    writes 上海证券交易所 too (and so 上交所: weitang's "冲刺上交所或深交所的企业…" was declined
    as naming what no document writes). Names of every length from two to four are tried;
    a wrong cut only adds text in which a glossary term is then found written, never one
    that is not."""
    return [m.group(1) + m.group(3) for pattern in _COORDINATED for m in pattern.finditer(text)]


def _occurs(term: str, folded: str) -> bool:
    """The term in a case-folded text: a substring, or for a Latin term a word of its own."""
    needle = term.casefold()
    if not is_latin_entry(term):
        return needle in folded
    return re.search(rf"(?<![a-z0-9]){re.escape(needle)}(?![a-z0-9])", folded) is not None


def _words(question: str, tokenizer: jieba.Tokenizer) -> list[tuple[str, int, int]]:
    """The question's words as the search segments it, each with its start and end."""
    return list(tokenizer.tokenize(question, HMM=False))


def _word_bounds(words: Sequence[tuple[str, int, int]]) -> set[int]:
    """The offsets at which the words start or end."""
    return {0, *(end for _word, _start, end in words)}


def _straddled(term: str, question: str, bounds: set[int]) -> bool:
    """Wherever the question names the term, it starts inside one of the question's words and
    ends inside another: 商承 in 券商承销 (券商 / 承销), 险资 in 风险资产 (风险 / 资产). The
    question names the words the term's characters happen to sit across, not the term. A
    term cut at one end only is still named (消费贷 in 消费贷款, 存款利率 in 定期存款利率:
    the segmenter's words are not the glossary's), and a Latin term is a word already."""
    if is_latin_entry(term):
        return False
    starts = [m.start() for m in re.finditer(re.escape(term), question)]
    if not starts:
        return False
    return all(
        (i not in bounds and i + len(term) not in bounds) or _classifier(term, question, i)
        for i in starts
    )


# a demonstrative or a number before the classifier 个: "那个税信贷" is "that 税信贷", not a 个税
_BEFORE_CLASSIFIER: Final = "那这哪每一整几两各某半"


def _classifier(term: str, question: str, start: int) -> bool:
    """The term opens with the classifier 个 of "那个", "这个", "每个" …: "纳税信用是B的小公司，
    那个税信贷能贷多少" names the product, not 个税 (tingbu, written blind: declined as asking
    about a personal tax no document writes)."""
    return term.startswith("个") and start > 0 and question[start - 1] in _BEFORE_CLASSIFIER


def _other_bodies(term: str) -> list[str]:
    """The term under the other generic names of a body (`_BODY_SUFFIXES`), when it ends in
    one after a stem of two characters or more."""
    for suffix in _BODY_SUFFIXES:
        stem = term[: -len(suffix)]
        if term.endswith(suffix) and len(stem) >= _MIN_TERM:
            return [stem + other for other in _BODY_SUFFIXES if other != suffix]
    return []


def _inverted(term: str, corpus: str) -> bool:
    """A four-character term written with its halves the other way round, a few characters
    apart: 资金归集 as 归集偿债资金 (an object and its verb trade places as a noun phrase)."""
    if len(term) != 4:
        return False
    first, second = term[:2], term[2:]
    return re.search(re.escape(second) + ABBREVIATION_GAP + re.escape(first), corpus) is not None


def _benefit_apart(term: str, corpus: str) -> bool:
    """A benefit on a thing (租金补贴, 保费补助) written with the thing and the benefit a few
    words apart in one clause: "按实际租金的50%给予补贴" grants a 租金补贴."""
    benefit = next((b for b in BENEFITS if term.endswith(b)), None)
    if benefit is None or len(term) - len(benefit) < _MIN_TERM:
        return False
    thing = term[: -len(benefit)]
    return re.search(re.escape(thing) + _BENEFIT_APART, corpus) is not None
