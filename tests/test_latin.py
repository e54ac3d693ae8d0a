"""The third ranked list for Latin-script questions: encoded at ingest, never awaited."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.answers.latin import PASSAGE_CHARS, LatinRetriever
from bot.core import Core
from bot.scope_model import Encoding, VectorCache
from index.encoders import HashingEncoder
from tests.sample_core import sample_core


@pytest.fixture(scope="module")
def core(tmp_path_factory: pytest.TempPathFactory) -> Core:
    return sample_core(tmp_path_factory)


class Counting:
    def __init__(self) -> None:
        self.encoded = 0

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.encoded += len(texts)
        return HashingEncoder().encode_passages(texts)


def _retriever(cache_dir: Path, counter: Counting) -> LatinRetriever:
    encoding = Encoding("test:hashing", counter, lambda text: text)
    return LatinRetriever(encoding, VectorCache(encoding, cache_dir, kind="passages"))


def test_passages_are_encoded_at_ingest_once_and_a_question_never_waits(
    core: Core, tmp_path: Path
) -> None:
    snap = core.store.snapshot()
    chunk = next(ref for ref in snap.entries.values() if ref.kind == "chunk")
    question = HashingEncoder().encode_passages([chunk.embed_text[:PASSAGE_CHARS]])[0]
    counter = Counting()
    latin = _retriever(tmp_path, counter)
    unprepared = latin.ranking(snap, question, 5)
    assert unprepared.ids == []  # not prepared: answered from the other lists
    assert unprepared.best is None  # and not judged by a passage it has not read
    assert counter.encoded == 0
    latin.prepare(snap)
    chunks = sum(1 for ref in snap.entries.values() if ref.kind == "chunk")
    assert counter.encoded == chunks
    ranked = latin.ranking(snap, question, 5)
    assert ranked.ids[0] == chunk.entry_id
    assert ranked.best is not None and ranked.best > 0.99  # the question is that passage
    restarted_counter = Counting()
    restarted = _retriever(tmp_path, restarted_counter)  # a restart reads the disk cache
    assert restarted.ranking(snap, question, 5).ids[0] == chunk.entry_id
    assert restarted_counter.encoded == 0


def test_only_latin_script_questions_use_it(core: Core, tmp_path: Path) -> None:
    counter = Counting()
    core.answers.latin = _retriever(tmp_path, counter)
    try:
        core.answers.warm_up()
        before = counter.encoded
        core.answers.answer_sync("政府性融资担保的担保费率是多少？")
        assert counter.encoded == before  # a Chinese question is not encoded a third time
        core.answers.answer_sync("What is the guarantee fee rate?", lang="en")
        assert counter.encoded == before + 1
    finally:
        core.answers.latin = None
