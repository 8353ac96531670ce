"""The side of the index kept beside Chroma and tied to its generation: a bm25s index, and the
chunk vectors as a memory-mapped matrix for exact search under filters.

Chroma (embedded or server) is the source of truth. Every change to the collection writes a new
random `generation` into the collection's metadata before it touches any chunk; this index records
the generation it was built from. When the two differ (another writer, a killed ingest, a server
restored from backup) the keyword index is rebuilt from the collection's contents before use.

Chroma's HNSW search is fast and near-exact without filters, but with a `where` filter it costs
70–100 ms at 100k chunks; the rows a filter allows are known here (publisher and date per row),
so filtered dense search is an exact dot product over those rows instead.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.text import stem_words

STOPWORDS = "en"
# Bump when tokenisation or the saved layout changes: a saved index of another format is rebuilt.
FORMAT = 3
# Rows per product in dense search. OpenBLAS multiplies blocks this small on the calling thread;
# a larger product wakes its thread pool, which spins for ~0.1 s afterwards and makes the
# embedding model's next call (PyTorch threads, same 2 cores) ~10× slower.
_BLOCK = 512
MASKS = 32  # filters whose row masks are kept


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(
        texts, stopwords=STOPWORDS, return_ids=False, show_progress=False, stemmer=stem_words
    )


@dataclass
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    def __init__(
        self,
        ids: list[str],
        publishers: list[str],
        dates: list[int],
        model: bm25s.BM25 | None,
        generation: str,
        vectors: np.ndarray | None = None,
    ) -> None:
        self.ids = ids
        self.publishers = np.array(publishers, dtype=object)
        self.dates = np.array(dates, dtype=np.int64)
        self.model = model
        self.generation = generation
        self.vectors = vectors  # row i: the normalised vector of ids[i]
        self._masks: dict[tuple, np.ndarray] = {}  # per filter: the side never changes

    def publisher_names(self) -> list[str]:
        if not hasattr(self, "_publisher_names"):
            self._publisher_names = sorted({p for p in self.publishers.tolist() if p})
        return self._publisher_names

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: list[str],
        publishers: list[str],
        dates: list[int],
        generation: str,
        vectors: np.ndarray | None = None,
    ) -> KeywordIndex:
        model = None
        if ids:
            model = bm25s.BM25()
            model.index(tokenize(texts), show_progress=False)
        if vectors is not None:
            vectors = np.asarray(vectors, dtype=np.float32).reshape(len(ids), -1)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.where(norms == 0, 1, norms)
        return cls(ids, publishers, dates, model, generation, vectors)

    def mask(
        self,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> np.ndarray:
        """The rows the filters allow (an undated chunk is never within an upper bound).

        Kept per filter: a question naming a publisher filters every search it makes, and
        comparing 100k publisher strings costs more than the BM25 search itself.
        """
        key = (tuple(sorted(publishers or ())), date_from or None, date_to or None)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        mask = np.ones(len(self.ids), dtype=bool)
        if publishers:
            mask &= np.isin(self.publishers, publishers)
        if date_from:
            mask &= self.dates >= date_from
        if date_to:
            mask &= (self.dates <= date_to) & (self.dates > 0)
        mask.setflags(write=False)
        if len(self._masks) >= MASKS:
            self._masks.clear()
        self._masks[key] = mask
        return mask

    def dense_search(
        self,
        query_vec: np.ndarray,
        k: int,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> list[tuple[str, float]]:
        """Exact cosine search over the rows the filters allow, best first."""
        if self.vectors is None or not self.ids or k <= 0:
            return []
        rows = np.flatnonzero(self.mask(publishers, date_from, date_to))
        if rows.size == 0:
            return []
        q = np.asarray(query_vec, dtype=np.float32)
        scores = np.empty(rows.size, dtype=np.float32)
        for lo in range(0, rows.size, _BLOCK):
            scores[lo : lo + _BLOCK] = self.vectors[rows[lo : lo + _BLOCK]] @ q
        k = min(k, rows.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[int(rows[i])], float(scores[i])) for i in top]

    def search(
        self,
        query: str,
        k: int,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> list[KeywordHit]:
        if self.model is None or not self.ids:
            return []
        mask = self.mask(publishers, date_from, date_to)
        if not mask.any():
            return []
        q = tokenize([query])
        if not q[0]:
            return []
        docs, scores = self.model.retrieve(
            q,
            k=min(k, len(self.ids)),
            show_progress=False,
            n_threads=0,  # in this thread: 1 starts a thread pool per query
            weight_mask=None if mask.all() else mask.astype(np.float32),
        )
        return [
            KeywordHit(self.ids[int(d)], float(s))
            for d, s in zip(docs[0], scores[0], strict=True)
            if s > 0
        ]

    # Persistence: write to a fresh folder, then swap it in, so a crash leaves the old or new one.
    def save(self, folder: Path) -> None:
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "bm25"))
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", np.ascontiguousarray(self.vectors, dtype=np.float32))
        (tmp / "ids.json").write_text(
            json.dumps(
                {
                    "format": FORMAT,
                    "generation": self.generation,
                    "ids": self.ids,
                    "publishers": self.publishers.tolist(),
                    "dates": self.dates.tolist(),
                }
            )
        )
        old = folder.with_name(f"{folder.name}.old-{os.getpid()}-{threading.get_ident()}")
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        try:
            meta = json.loads((folder / "ids.json").read_text())
            if meta.get("format") != FORMAT:
                return None
            model = bm25s.BM25.load(str(folder / "bm25")) if meta["ids"] else None
            vectors = None
            if meta["ids"]:
                # Mapped, not read: only the rows a filtered search touches are paged in.
                vectors = np.load(folder / "vectors.npy", mmap_mode="r")
                if vectors.ndim != 2 or vectors.shape[0] != len(meta["ids"]):
                    return None
        except (OSError, ValueError, KeyError):
            return None
        return cls(
            meta["ids"], meta["publishers"], meta["dates"], model, meta["generation"], vectors
        )
