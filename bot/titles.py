"""Names for the ids the question log keeps: a document's title, or an FAQ entry's wording.

The log stores ids only (a title changes with a new revision; the report should show the
current one), so every report that prints a citation looks its name up here.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.knowledge_base import KnowledgeBase

Titles = Callable[[str], str | None]


def no_titles(_entry_id: str) -> str | None:
    """No names known: reports fall back to the id."""
    return None


def titles_from(kb: KnowledgeBase) -> Titles:
    """Document titles, or an FAQ entry's first wording, from the current snapshot."""

    def title(entry_id: str) -> str | None:
        snap = kb.store.snapshot().by_entries()  # an entry of a 政策汇编 by its own name
        rec = snap.docs.get(entry_id)
        if rec is not None:
            return rec.doc.meta.title or None
        faq = snap.faqs.get(entry_id)
        return faq.questions[0] if faq is not None and faq.questions else None

    return title
