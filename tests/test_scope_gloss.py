"""The scope check reads an English question a second time, glossed with the Chinese terms
of its phrases (`AnswerService._scope_verdict`): the knowledge base's evidence is Chinese."""

from __future__ import annotations

from pathlib import Path

from bot.answers.models import Band
from tests.bond_kb import bond_service

QUESTION = "How much is the reward for issuing corporate bonds?"


def _chinese_terms_in_scope(text: str) -> float:
    """In scope (over the cut-off of 0) only when the text writes the bond's Chinese name."""
    return 0.01 if "公司债券" in text else -0.05


def test_an_english_question_on_a_thing_the_documents_cover_is_answered(tmp_path: Path) -> None:
    """Declined on its English words alone, "corporate bonds" glossed as 公司债券 clears the
    cut-off: the reward article is offered."""
    service = bond_service(tmp_path, _chinese_terms_in_scope)
    reply = service.answer_sync(QUESTION, lang="en")
    assert reply.band is not Band.NONE
    assert reply.hits and reply.hits[0].doc_id == "bonds"
    assert reply.hits[0].section.startswith("第三条")


def test_the_gloss_never_answers_what_its_terms_do_not_place_in_scope(tmp_path: Path) -> None:
    """No phrase of two words to gloss, or a gloss that stays under the cut-off: declined as
    before."""
    service = bond_service(tmp_path, _chinese_terms_in_scope)
    assert service.answer_sync("How much is the reward for bonds?", lang="en").band is Band.NONE
    below = bond_service(tmp_path / "other", lambda text: -0.05)
    assert below.answer_sync(QUESTION, lang="en").band is Band.NONE
