"""Chunk vectors computed once and cached on disk: retrieval at 10k–100k chunks embeds nothing.

- "real": MiniLM run on every chunk text (the 10k corpus takes minutes on 2 cores; done once).
- "composed": for 100k chunks (hours of encoding), each chunk's vector is composed from MiniLM
  vectors of its sentences, weighted by their word-piece counts (MiniLM mean-pools word pieces),
  then normalised. Text and vector stay consistent: a chunk about Rubio's delegation is near the
  question about it. `validate` measures how close composed vectors are to real ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from assistant.embeddings import DIM, Encoder, MiniLMEmbeddings
from assistant.text import sentence_spans
from bench.corpus import CACHE, VERSION


def key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class VectorStore:
    """A text-keyed table of vectors in one .npz file, grown as new texts are embedded."""

    def __init__(self, name: str) -> None:
        self.path = CACHE / f"{name}-v{VERSION}.npz"
        self.rows: dict[str, int] = {}
        self.matrix = np.zeros((0, DIM), dtype=np.float32)
        if self.path.exists():
            data = np.load(self.path)
            self.rows = {k: i for i, k in enumerate(data["keys"].tolist())}
            self.matrix = data["vectors"]

    def missing(self, texts: Iterable[str]) -> list[str]:
        seen: set[str] = set()
        out = []
        for t in texts:
            k = key(t)
            if k not in self.rows and k not in seen:
                seen.add(k)
                out.append(t)
        return out

    def add(self, texts: list[str], vectors: np.ndarray) -> None:
        if not texts:
            return
        start = len(self.rows)
        for i, t in enumerate(texts):
            self.rows[key(t)] = start + i
        self.matrix = np.vstack([self.matrix, vectors.astype(np.float32)])
        CACHE.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(self.rows, key=self.rows.__getitem__))
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=self.matrix)
        tmp.replace(self.path)

    def get(self, texts: list[str]) -> np.ndarray:
        return self.matrix[[self.rows[key(t)] for t in texts]] if texts else np.zeros((0, DIM))


def real(texts: list[str], model: MiniLMEmbeddings, log=print, step: int = 1024) -> np.ndarray:
    """MiniLM vectors of `texts`, embedding (and caching) only those not seen before."""
    store = VectorStore("real")
    todo = store.missing(texts)
    for i in range(0, len(todo), step):
        part = todo[i : i + step]
        store.add(part, model.encode(part))
        log(f"  embedded {min(i + step, len(todo))}/{len(todo)} chunk texts")
    return store.get(texts)


def composed(texts: list[str], model: MiniLMEmbeddings) -> np.ndarray:
    """Vectors composed from cached sentence vectors, weighted by word pieces."""
    store = VectorStore("sentences")
    backend = model._load()
    pieces_of = getattr(backend, "word_pieces", None) or (
        lambda s: len(backend.tokenizer.tokenize(s))  # sentence-transformers itself
    )
    pieces = [[t[s:e] for s, e in sentence_spans(t)] or [t] for t in texts]
    todo = store.missing(s for ps in pieces for s in ps)
    if todo:
        store.add(todo, model.encode(todo))
    weights: dict[str, int] = {}
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, ps in enumerate(pieces):
        for s in ps:
            k = key(s)
            if k not in weights:
                weights[k] = pieces_of(s)
            out[row] += weights[k] * store.matrix[store.rows[k]]
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return out


class Lookup(Encoder):
    """Embeddings that answer from a precomputed table and fall back to the real model.

    Building an index with it writes the cached vectors through the real ingest path; asking
    with it takes the query encoder out of a search-latency measurement.
    """

    name = "lookup"

    def __init__(self, model: MiniLMEmbeddings, texts: list[str], vectors: np.ndarray) -> None:
        self.model = model
        self.table = {key(t): v for t, v in zip(texts, vectors, strict=True)}
        self.fallbacks = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        todo = []
        for i, t in enumerate(texts):
            v = self.table.get(key(t))
            if v is None:
                todo.append(i)
            else:
                out[i] = v
        if todo:
            self.fallbacks += len(todo)
            fresh = self.model.encode([texts[i] for i in todo])
            out[todo] = fresh
            for i, v in zip(todo, fresh, strict=True):
                self.table[key(texts[i])] = v
        return out


def validate(
    real_vectors: np.ndarray, composed_vectors: np.ndarray, queries: np.ndarray, k: int = 10
) -> dict[str, float]:
    """How far composed vectors stand in for real ones: cosine, and top-k overlap per query."""
    cos = np.sum(real_vectors * composed_vectors, axis=1)
    overlap = []
    for q in queries:
        a = set(np.argsort(-(real_vectors @ q))[:k].tolist())
        b = set(np.argsort(-(composed_vectors @ q))[:k].tolist())
        overlap.append(len(a & b) / k)
    return {
        "cosine_mean": float(cos.mean()),
        "cosine_p5": float(np.percentile(cos, 5)),
        "topk_overlap": float(np.mean(overlap)),
    }
