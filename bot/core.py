"""Builds the retrieval core (encoder, lexicon, store, knowledge base, answers) from settings.

Used by the CLI, the console chat and the Telegram composition root alike, so every entry
point answers from the same data the same way.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from bot.answers import AnswerService
from bot.answers.absent import AbsentTerms, Glossary
from bot.answers.latin import LatinRetriever
from bot.config import Settings, SettingsError
from bot.kb_scope import Jurisdiction
from bot.knowledge_base import KnowledgeBase
from bot.scope import Scope
from bot.scope_model import Encoding, ScopeExamples, ScopeModel, VectorCache
from index.batcher import QueryBatcher
from index.encoders import Encoder, EncoderLoadError, HashingEncoder, build_encoder
from index.lexicon import Lexicon
from index.progress import Progress
from index.sparse import CharNgramTokenizer, jieba_for
from index.spelling_cache import CachedSpellingCorrector
from index.store import KnowledgeStore

log = logging.getLogger(__name__)

BUNDLED_LEXICON = Path(__file__).resolve().parent.parent / "knowledge" / "lexicon" / "finance.yaml"
BUNDLED_ENGLISH = BUNDLED_LEXICON.with_name("english.yaml")  # translations for English questions
BUNDLED_SCOPE = BUNDLED_LEXICON.with_name("scope.yaml")
BUNDLED_SCOPE_EXAMPLES = BUNDLED_LEXICON.with_name("scope_examples.yaml")
BUNDLED_GLOSSARY = BUNDLED_LEXICON.with_name("glossary.txt")
BUNDLED_PRODUCTS = BUNDLED_LEXICON.with_name("products.txt")
NO_ENCODER = frozenset({"", "none", "off", "false"})


@dataclass(frozen=True)
class Core:
    settings: Settings
    encoder: Encoder
    lexicon: Lexicon
    store: KnowledgeStore
    kb: KnowledgeBase
    answers: AnswerService
    batcher: QueryBatcher | None

    def close(self) -> None:
        if self.batcher is not None:
            self.batcher.close()


def lexicon_paths(settings: Settings) -> list[Path]:
    """Bundled lexicon, then the admins' extension in the data dir, then an explicit file."""
    paths = [BUNDLED_LEXICON, BUNDLED_ENGLISH, settings.data_dir / "lexicon.yaml"]
    if settings.lexicon_path is not None:
        paths.append(settings.lexicon_path)
    return paths


def build_core(
    settings: Settings,
    *,
    encoder: Encoder | None = None,
    today: Callable[[], date] = date.today,
    batching: bool = False,
    prefetch: bool = False,
    scope_model: bool = True,
) -> Core:
    """`prefetch`: load jieba's dictionary and make the encoder's first call in a background
    thread while the index loads (a one-question process, e.g. `finbot ask`, gains ~1 s).
    `scope_model=False`: for processes that answer nothing (`kb add`), which then do not
    hold the scope encoder in memory."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if settings.as_of is not None:  # FINBOT_AS_OF / --as-of: documents in force on that day
        as_of = settings.as_of
        today = lambda: as_of  # noqa: E731
    enc = encoder or _encoder_for(
        "embedding_model", settings.embedding_model, settings.encoder_threads
    )
    lexicon = Lexicon.load(*lexicon_paths(settings))
    if prefetch:  # jieba and pinyin are needed first (spelling), the encoder next
        threading.Thread(target=_prefetch, args=(jieba_for, lexicon.terms()), daemon=True).start()
        threading.Thread(target=_prefetch, args=(import_module, "pypinyin"), daemon=True).start()
        threading.Thread(target=_prefetch, args=(enc.encode_queries, ["预热"]), daemon=True).start()
    tokenizer = CharNgramTokenizer(lexicon)
    store = KnowledgeStore(
        settings.index_dir,
        enc,
        tokenizer.tokenize,
        files_dir=settings.files_dir,
        tokenizer_id=tokenizer_id(lexicon),
    )
    store.load()
    kb = KnowledgeBase(
        store,
        settings.files_dir,
        max_bytes=settings.max_upload_bytes,
        max_chunks=settings.max_doc_chunks,
        max_chars=settings.max_doc_chars,
        today=today,
    )
    batcher = QueryBatcher(enc) if batching else None
    scope = Scope.load(BUNDLED_SCOPE, settings.data_dir / "scope.yaml")
    second = second_encoder(settings, enc) if scope_model else None
    learned = build_scope_model(settings, enc, lexicon, today, second) if scope_model else None
    answers = AnswerService(
        store,
        lexicon,
        today=today,
        batcher=batcher,
        scope=scope,
        scope_model=learned,
        latin=build_latin_retriever(settings, second) if scope_model else None,
        jurisdiction=Jurisdiction.parse(settings.jurisdiction),
        # the glossary check is part of the scope check: on exactly when the model is
        absent=build_absent_terms(settings, lexicon) if learned is not None else None,
    )
    # the homophone vocabulary is read back per corpus, not rebuilt per process
    answers.spelling = CachedSpellingCorrector(lexicon, settings.data_dir / "cache")
    return Core(settings, enc, lexicon, store, kb, answers, batcher)


def tokenizer_id(lexicon: Lexicon) -> str:
    """What the BM25 tokens depend on: the character n-gram tokenizer and the lexicon's terms."""
    terms = "\n".join(sorted(lexicon.terms()))
    return "charngram/1:" + hashlib.sha256(terms.encode("utf-8")).hexdigest()[:16]


def _prefetch(load: Callable[[Any], object], arg: Any) -> None:
    try:
        load(arg)  # the encoder's C engine releases the GIL: it runs beside the loading
    except Exception:  # only a head start: the question path loads them anyway
        log.debug("prefetch failed", exc_info=True)


def _encoder_for(setting: str, spec: str, threads: int, cache_dir: Path | None = None) -> Encoder:
    """A model that cannot be loaded is a bad setting: one line that names it, at startup."""
    try:
        return build_encoder(spec, threads=threads, cache_dir=cache_dir)
    except EncoderLoadError as exc:
        raise SettingsError.invalid(setting, exc) from None


def second_encoder(settings: Settings, enc: Encoder) -> Encoder | None:
    """FINBOT_SCOPE_ENCODER (the Universal Sentence Encoder by default), beside the search
    encoder: the scope check reads both, and it ranks passages for Latin-script questions.
    Not with the hashing test encoder, nor when the scope model is switched off."""
    if not settings.scope_model or isinstance(enc, HashingEncoder):
        return None
    if settings.scope_encoder.lower() in NO_ENCODER:
        return None
    # one thread: a second thread's BLAS workers would compete with e5's on 2 cores
    return _encoder_for(
        "scope_encoder", settings.scope_encoder, 1, cache_dir=settings.model_cache_dir
    )


def prepare_answers(core: Core) -> None:
    """After documents were added by a process built without the answering machinery
    (`kb add`: less memory while encoding passages), load it and encode what the new
    documents bring to it (scope evidence, passage vectors for Latin-script questions), so
    the running bot reads them from the caches instead of encoding them on a question."""
    answers = core.answers
    if answers.scope_model is None:
        second = second_encoder(core.settings, core.encoder)
        answers.scope_model = build_scope_model(
            core.settings, core.encoder, core.lexicon, answers.today, second
        )
        answers.latin = build_latin_retriever(core.settings, second)
    answers.warm_up()


def build_scope_model(
    settings: Settings,
    enc: Encoder,
    lexicon: Lexicon,
    today: Callable[[], date] = date.today,
    second: Encoder | None = None,
) -> ScopeModel | None:
    """The learned scope check needs an encoder with meaning: not the hashing test encoder.

    Examples go through what a question goes through: the search encoder reads them
    expanded by the lexicon, the second encoder (FINBOT_SCOPE_ENCODER) normalised.
    """
    if not settings.scope_model or isinstance(enc, HashingEncoder):
        return None
    examples = ScopeExamples.load(BUNDLED_SCOPE_EXAMPLES, settings.data_dir / "scope_examples.yaml")
    first = Encoding(enc.name, enc.encode_queries, lexicon.expand_query)
    other = second if second is not None else second_encoder(settings, enc)
    joint = Encoding(other.name, other.encode_queries, lexicon.normalize) if other else None
    # vectors are keyed by text: the shipped examples' are shared by every data dir on the
    # machine, and `kb add` and the running bot read and write the same file
    return ScopeModel(examples, first, joint, cache_dir=settings.model_cache_dir, today=today)


def build_absent_terms(settings: Settings, lexicon: Lexicon) -> AbsentTerms:
    """The shipped glossary and farm products, extended (or trimmed) by the data dir's. Built
    beside the scope model, so not with the hashing test encoder, whose small knowledge bases
    never name most of what their tests ask about."""
    glossary = Glossary.load(BUNDLED_GLOSSARY, settings.data_dir / "glossary.txt")
    products = Glossary.load(BUNDLED_PRODUCTS, settings.data_dir / "products.txt")
    return AbsentTerms(glossary, lexicon, products)


def build_latin_retriever(settings: Settings, second: Encoder | None) -> LatinRetriever | None:
    if second is None:
        return None
    encoding = Encoding(second.name, second.encode_passages, lambda text: text)
    return LatinRetriever(encoding, VectorCache(encoding, settings.data_dir, kind="passages"))


def ensure_seeded(core: Core, progress: Progress | None = None) -> bool:
    """A data dir that never held an index gets the bundled sample knowledge base."""
    if core.store.pointer() is not None:
        return False
    report = core.kb.seed_sample(progress=progress)
    if not report.ok:
        for err in report.errors:
            log.error("sample knowledge base: %s", err)
        return False
    # the scope model's first start encodes its ~1,200 examples once (~30 s on 2 cores): pay it with
    # the seeding rather than on the first question; later starts read the vector cache
    core.answers.warm_up()
    return True
