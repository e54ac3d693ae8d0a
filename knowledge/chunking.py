"""Body text → retrievable chunks that follow the document's own articles.

An answer quotes "第五条 资金占用费", so a chunk should be one article (or one headed
section, or one titled item of a 一、 section), never half of two. Only articles longer than `max_chars` are split, at
paragraph and then sentence boundaries, with a little overlap so a sentence that
depends on the previous one can still be found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.models import Chunk, sha256_text
from knowledge.structure import (
    FIELD_START,
    GUIDE_FIELDS_MIN,
    ITEM_START,
    MIN_ENTRIES,
    PART_START,
    Level,
    Marker,
    asks,
    carried_line,
    classify,
    heading_content,
    names_entry,
    numbered_question,
)
from knowledge.tables import CELL

# after a Chinese stop (not before closing quotes or brackets), or after an English one
# where the next sentence starts: "…per year. Registration is…" (an English edition's
# long paragraph was cut mid-word)
_SENTENCE_SPLIT = re.compile(
    r"(?<=[。！？；!?;])(?![。！？；!?;”’」』）)\]】])|(?<=[a-z0-9)][.!?])(?=\s+[A-Z“\"(])"
)
_CLAUSE_END = re.compile(r"[，,、：:]")
_WORD_START = re.compile(r"(?<=[A-Za-z0-9.;)]) (?=[A-Za-z(])")


@dataclass(slots=True)
class _Unit:
    section: str
    lines: list[str] = field(default_factory=list)
    entry: bool = False  # opened by a compilation's entry line (`structure.names_entry`)


@dataclass(frozen=True, slots=True)
class _Atom:
    """A sentence (or a slice of an overlong one); `para` marks a paragraph start."""

    text: str
    para: bool


def chunk_document(
    doc_id: str, body: str, *, max_chars: int = 500, overlap: int = 80, compilation: bool = False
) -> tuple[Chunk, ...]:
    """Deterministic chunks; ids are `{doc_id}#{ordinal}-{sha256(text)[:8]}`. In a
    `compilation` (政策汇编) every passage also carries the line naming its measure."""
    if max_chars <= 0 or not 0 <= overlap < max_chars:
        raise ValueError("need max_chars > 0 and 0 <= overlap < max_chars")
    chunks: list[Chunk] = []
    for unit in split_units(body, compilation=compilation):
        for text in split_unit(unit.lines, max_chars=max_chars, overlap=overlap):
            chunks.append(_make_chunk(doc_id, len(chunks), unit.section, text))
    return tuple(chunks)


def _make_chunk(doc_id: str, ordinal: int, section: str, text: str) -> Chunk:
    content_hash = sha256_text(text)
    return Chunk(
        chunk_id=f"{doc_id}#{ordinal}-{content_hash[:8]}",
        doc_id=doc_id,
        ordinal=ordinal,
        section=section,
        text=text,
        content_hash=content_hash,
    )


def _heads_questions(marker: Marker, lines: list[str], number: int) -> bool:
    """A heading-only item over a 百问百答's numbered questions ("一、上市挂牌" / "1. …？") is
    their theme, carried into the first of them as a container is, not a passage of its own."""
    return (
        marker.heading_only
        and number + 1 < len(lines)
        and numbered_question(lines[number + 1])
        and not numbered_question(lines[number])
    )


def split_units(body: str, *, compilation: bool = False) -> list[_Unit]:
    """Group lines into preamble / headed sections / articles.

    Container headings (Markdown headings, 第X章, 第X节) with nothing under them before
    the next article are carried into that article's text, so no chunk is a bare title.
    A 问答's question right under a numbered heading that is only a heading ("二、个人最多能贷
    多少？" / "问：一个人创业最多能贷多少钱？" / "答：…") is that item's body: alone, the heading
    was a passage of nothing but a question, near any question asked (tongyue, seen: a
    问答 on start-up loans led the answers to a pawnshop's and a platform's questions).
    In a compilation, a line naming one of its measures opens a unit (a 政策要点 card's
    "政策名称：… / 支持标准：…" is that measure's, not the article before it's) and is
    carried into every unit of that measure (`_carry_parts`).
    """
    lines = [raw for raw in body.split("\n") if raw.strip()]
    entries = _entry_lines(lines) if compilation else {}
    units: list[_Unit] = []
    current: _Unit | None = _Unit("")
    pending: list[str] = []
    pending_label = ""
    bare = False  # `current` holds only a numbered heading so far

    def close() -> None:
        if current is not None and current.lines:
            units.append(current)

    for number, raw in enumerate(lines):
        marker = classify(raw)
        if number in entries:
            close()
            line, content = entries[number], heading_content(raw)
            # a numbered line's label as its number reads it; an unnumbered one's as written
            label = _entry_label(line, marker) if line == content else content
            current, pending = _Unit(label, [*pending, line], True), []
            pending_label = ""
            bare = False
            continue
        if marker is not None and compilation and names_entry(raw):
            marker = None  # the 目录's line for a measure, not the measure
        if marker is not None and bare and current is not None and asks(raw):
            current.lines.append(marker.text)
        elif marker is None or marker.level is Level.SUBITEM:
            if current is None:
                current, pending = _Unit(pending_label, pending), []
            current.lines.append(marker.text if marker else raw.strip())
        elif marker.level is Level.CONTAINER or _heads_questions(marker, lines, number):
            close()
            current = None
            pending.append(marker.text)
            pending_label = marker.label
            if not marker.heading_only:
                current, pending = _Unit(marker.label, pending), []
        else:
            close()
            current, pending = _Unit(marker.label, [*pending, marker.text]), []
            bare = marker.heading_only and not asks(raw)
            continue
        bare = False
    close()
    if pending:
        units.append(_Unit(pending_label, pending))
    return [
        part
        for unit in _carry_parts(units)
        for card in _split_card(unit)
        for part in split_titled_items(card)
    ]


# a 政策要点 card has at least this many fields ("支持标准：…", "受理部门及电话：…": FIELD_START)
_CARD_FIELDS_MIN = 3
# a field this short ("政策名称：湄屿区绿色贷款贴息") is no passage of its own: it goes with the one
# before it (the first with the second)
_CARD_FIELD_SHORT = 40


def _split_card(unit: _Unit) -> list[_Unit]:
    """A compilation's 政策要点 card, one unit per field ("政策名称：… / 政策依据：… / 支持对象：… /
    支持标准：… / 申报条件：…"), each under the card's heading lines: whole, a card of 800
    characters was cut at 500 wherever its sentences fell, and its second half quoted
    without the measure's name (meiyu, written blind, session 53)."""
    starts = [i for i, line in enumerate(unit.lines) if FIELD_START.match(line)]
    if not unit.entry:
        return _split_fields(unit, starts)
    if len(starts) < _CARD_FIELDS_MIN:
        return [unit]
    head = unit.lines[: starts[0]]
    fields: list[tuple[str, list[str]]] = []
    for start, end in zip(starts, [*starts[1:], len(unit.lines)], strict=True):
        lines = unit.lines[start:end]
        short = len("".join(lines)) < _CARD_FIELD_SHORT
        opening = len(fields) == 1 and len("".join(fields[0][1])) < _CARD_FIELD_SHORT
        if fields and (short or opening):
            fields[-1][1].extend(lines)  # a short field goes with the one before it
        else:
            fields.append((FIELD_START.match(lines[0]).group(1), list(lines)))  # type: ignore[union-attr]
    return [_Unit(label, [*head, *lines], True) for label, lines in fields]


# a 办事指南 written as lines of fields ("事项名称：… / 申请材料：… / 收费标准：…"), not as a
# table, opens with at most this many lines before its first field
_GUIDE_HEAD_MAX = 3


def _split_fields(unit: _Unit, starts: list[int]) -> list[_Unit]:
    """A service guide written as lines of fields (a PDF's "事项名称：…", "承诺办结时限：…",
    "收费标准：…"), one unit per field under its name, as a guide drawn as a table reads
    (`tables.field_table`): in one passage of 800 characters the fee and the hours were
    found by no question on them (zheling, written blind). Only a unit that is such a list:
    at least GUIDE_FIELDS_MIN fields of distinct names, opening within its first lines."""
    names = [FIELD_START.match(unit.lines[i]).group(1) for i in starts]  # type: ignore[union-attr]
    if (
        unit.section  # fields under a heading of their own ("五、联系电话") stay with it
        or len(starts) < GUIDE_FIELDS_MIN
        or len(set(names)) != len(names)
        or starts[0] > _GUIDE_HEAD_MAX
    ):
        return [unit]
    bounds = [*starts[1:], len(unit.lines)]
    out = [_Unit(unit.section, unit.lines[: starts[0]])] if starts[0] else []
    out += [
        _Unit(name, unit.lines[start:end])
        for name, start, end in zip(names, starts, bounds, strict=True)
    ]
    return out


def _entry_lines(lines: list[str]) -> dict[int, str]:
    """The lines of a compilation that open one of its measures, with the entry line each
    passage of the measure carries: those of its 目录 are followed straight by the next
    measure's (or part's) line, and open nothing. A compilation that numbers no measure
    names each by a heading alone (`_unnumbered_entries`)."""
    out: dict[int, str] = {}
    for number, line in enumerate(lines):
        if not names_entry(line):
            continue
        after = heading_content(lines[number + 1]) if number + 1 < len(lines) else ""
        if after and not names_entry(after) and not PART_START.match(after):
            out[number] = heading_content(line)
    return out if len(out) >= MIN_ENTRIES else _unnumbered_entries(lines) or out


# what only a measure's own text writes: its 文号, basis, or period (not a 前言 or a 目录)
_MEASURE_MARK = re.compile(r"〔\d{4}〕\d{1,4}号|政策依据|有效期|执行期限|实施期限|施行日期")


def _unnumbered_entries(lines: list[str]) -> dict[int, str]:
    """A compilation whose measures are headings with no number ("## 科技型企业知识产权质押融资
    贴息", a Word file's bold line: `loaders._bold_title`): each heading from the first whose
    text holds a measure's mark (`_MEASURE_MARK`) opens an entry; those above it are the
    cover, the 前言 and the 目录. The entry line is numbered in the compilation's order
    ("【03】科技型企业知识产权质押融资贴息"), as a 政策清单's rows are (`knowledge.workbook`), so
    every reader of entries finds it by its number; the section keeps the heading as written."""
    headings = [
        number
        for number, raw in enumerate(lines)
        if (marker := classify(raw)) is not None
        and marker.level is Level.CONTAINER
        and marker.heading_only
        and marker.label == heading_content(raw)
        and not PART_START.match(marker.label)
    ]
    if not headings:
        return {}
    bodies = [
        "\n".join(lines[start + 1 : end])
        for start, end in zip(headings, [*headings[1:], len(lines)], strict=True)
    ]
    first = next((i for i, body in enumerate(bodies) if _MEASURE_MARK.search(body)), None)
    if first is None:
        return {}
    opened = [(number, body) for number, body in zip(headings, bodies, strict=True)][first:]
    entries = [number for number, body in opened if body.strip()]
    if len(entries) < MIN_ENTRIES:
        return {}
    return {
        number: f"【{place:02d}】{heading_content(lines[number])}"
        for place, number in enumerate(entries, 1)
    }


def _entry_label(line: str, marker: Marker | None) -> str:
    """An entry's section label: the measure's name, as a numbered line's label is."""
    return marker.label if marker is not None else line.strip()


def _carry_parts(units: list[_Unit]) -> list[_Unit]:
    """In a compilation (政策汇编: "第一部分 栎山区首贷培育贴息奖励办法 / 栎金〔2027〕20号 /
    第一条 …"), every unit of a part opens with the part's heading line: each part is a
    measure of its own, with articles numbered from 第一条 again, and the document's title
    names only the compilation. Without it an article of the 首贷 measure that does not say
    首贷 ("第五条 贴息和奖励按年度申报…") was found only through its words, and a notice
    naming 首贷贴息 in its title ranked above it (a blind district's 汇编, session 50)."""
    out: list[_Unit] = []
    part = entry = ""
    for unit in units:
        first = unit.lines[0] if unit.lines else ""
        if unit.entry:
            # "第一部分 区级政策 / 【01】…若干措施（原文收录）": the part's heading, then the measure's
            entry = unit.lines[1] if PART_START.match(first) and len(unit.lines) > 1 else first
            if PART_START.match(first):
                part = first
            elif part:
                unit = _Unit(unit.section, [part, *unit.lines], True)
        elif PART_START.match(first):
            part, entry = first, ""
        else:
            carried = [line for line in (part, entry) if line and line != first]
            if carried:
                unit = _Unit(unit.section, [*carried, *unit.lines])
        out.append(unit)
    return out


def split_titled_items(unit: _Unit) -> list[_Unit]:
    """A 一、 section whose （一） items each open with a title of their own, as one unit per
    item: "二、降低外贸企业汇率和信用风险 / （三）出口信用保险保费补贴。对… / （四）汇率避险费用补贴。
    对…" holds two measures, and quoted whole it answers a question on either with both.
    Each item keeps its section's heading as its first line (where it is from); words of
    the section before its first item stay a unit of their own. Items without titles
    ("（一）营业执照副本；") are a list, and stay together."""
    if not ITEM_START.match(unit.section):
        return [unit]
    items = [
        (i, m.label)
        for i, line in enumerate(unit.lines)
        if (m := classify(line)) is not None and m.level is Level.SUBITEM
    ]
    if len(items) < 2 or any(label == _number(label) for _, label in items):
        return [unit]
    starts = [i for i, _ in items]
    head = unit.lines[: starts[0]]
    # the section's own heading: the last of its kind above the items (a compilation's
    # entry line "二、…办法（原文收录）" is carried above it, `_carry_parts`)
    headings = [m for line in head if (m := classify(line)) and m.level is Level.ARTICLE]
    if not headings:
        return [unit]
    heading = headings[-1]
    own_words = heading.text if heading.heading_only else heading.label
    carried = [line for line in head[: head.index(heading.text)] if carried_line(line)]
    out: list[_Unit] = []
    prefix = head
    if not heading.heading_only or len(head) > head.index(heading.text) + 1:
        out.append(_Unit(unit.section, head))  # the section's own words before its items
        prefix = [*carried, own_words]
    for n, (start, label) in enumerate(items):
        end = starts[n + 1] if n + 1 < len(starts) else len(unit.lines)
        out.append(_Unit(label, [*prefix, *unit.lines[start:end]]))
        prefix = [*carried, own_words]
    return out


def section_above(chunk: Chunk) -> str:
    """The heading of the 一、 section an item's passage was cut from ("" for any other
    passage): among its first lines, when the passage's own heading is a （一） item's."""
    if not chunk.section.startswith(("（", "(")):
        return ""
    for line in chunk.text.split("\n", 3)[:3]:
        marker = classify(line)
        if marker is not None and marker.level is Level.ARTICLE and ITEM_START.match(marker.label):
            return marker.label
    return ""


def _number(label: str) -> str:
    """ "（三）出口信用保险保费补贴" → "（三）"."""
    return label[: label.index("）") + 1] if "）" in label else label[: label.find(")") + 1]


def split_unit(lines: list[str], *, max_chars: int, overlap: int) -> list[str]:
    """The unit as one text, or parts ≤ max_chars that prefer paragraph boundaries."""
    whole = "\n".join(lines)
    if len(whole) <= max_chars:
        return [whole]
    parts: list[list[_Atom]] = []
    current: list[_Atom] = []
    for line in lines:
        paragraph = _atoms(line, max_chars - overlap)
        if _length([*current, *paragraph]) <= max_chars:
            current.extend(paragraph)
            continue
        if current and len(line) <= max_chars:
            parts.append(current)
            # a table's row stands on its own: the last cells of the row before it ("…拨付 |
            # 收费：不收费 | 地点：…") would open the part as if they were this row's
            row = CELL in line
            current = paragraph if row else _with_overlap(current, paragraph, max_chars, overlap)
            continue
        for atom in paragraph:
            if current and _length([*current, atom]) > max_chars:
                parts.append(current)
                current = _with_overlap(current, [atom], max_chars, overlap)
            else:
                current.append(atom)
    if current:
        parts.append(current)
    return [_render(part) for part in parts]


def _atoms(paragraph: str, max_atom: int) -> list[_Atom]:
    """Sentences of one paragraph; a sentence longer than `max_atom` is cut in slices."""
    atoms: list[_Atom] = []
    for sentence in (s for s in _SENTENCE_SPLIT.split(paragraph) if s):
        for start in range(0, len(sentence), max_atom):
            atoms.append(_Atom(sentence[start : start + max_atom], para=not atoms))
    return atoms


def _with_overlap(
    previous: list[_Atom], following: list[_Atom], max_chars: int, overlap: int
) -> list[_Atom]:
    """Start a new part with the tail of the previous one, if it fits."""
    tail = _tail(previous, overlap)
    if tail and _length([*tail, *following]) <= max_chars:
        return [*tail, *following]
    return list(following)


def _tail(atoms: list[_Atom], overlap: int) -> list[_Atom]:
    """Whole trailing sentences up to `overlap` chars, else the end of the last sentence."""
    if overlap <= 0:
        return []
    taken: list[_Atom] = []
    for atom in reversed(atoms[1:]):
        if _length([atom, *taken]) > overlap:
            break
        taken.insert(0, atom)
    if taken:
        return taken
    last = atoms[-1].text
    if len(last) <= overlap:  # a one-sentence part: repeating all of it is not overlap
        return []
    piece = last[-overlap:]
    # from a clause's start, or an English word's: never from the middle of a word
    clause = _CLAUSE_END.search(piece, 0, len(piece) // 2) or _WORD_START.search(
        piece, 0, len(piece) // 2
    )
    return [_Atom(piece[clause.end() :] if clause else piece, para=False)]


def _render(atoms: list[_Atom]) -> str:
    out = atoms[0].text
    for atom in atoms[1:]:
        out += ("\n" if atom.para else "") + atom.text
    return out


def _length(atoms: list[_Atom]) -> int:
    return len(_render(atoms)) if atoms else 0
