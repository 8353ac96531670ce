"""The keyword side of the index: a bm25s index persisted beside Chroma and tied to its generation.

Chroma (embedded or server) is the source of truth. Every change to the collection writes a new
random `generation` into the collection's metadata before it touches any chunk; this index records
the generation it was built from. When the two differ (another writer, a killed ingest, a server
restored from backup) the keyword index is rebuilt from the collection's contents before use.
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
# Bump when tokenisation changes: a saved index of another format is rebuilt.
FORMAT = 2


def tokenize(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords=STOPWORDS, return_ids=False, show_progress=False,
                          stemmer=stem_words)


@dataclass
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    def __init__(self, ids: list[str], publishers: list[str], dates: list[int],
                 model: bm25s.BM25 | None, generation: str) -> None:
        self.ids = ids
        self.publishers = np.array(publishers, dtype=object)
        self.dates = np.array(dates, dtype=np.int64)
        self.model = model
        self.generation = generation

    def publisher_names(self) -> list[str]:
        if not hasattr(self, "_publisher_names"):
            self._publisher_names = sorted({p for p in self.publishers.tolist() if p})
        return self._publisher_names

    @classmethod
    def build(cls, ids: list[str], texts: list[str], publishers: list[str], dates: list[int],
              generation: str) -> KeywordIndex:
        model = None
        if ids:
            model = bm25s.BM25()
            model.index(tokenize(texts), show_progress=False)
        return cls(ids, publishers, dates, model, generation)

    def search(self, query: str, k: int, publishers: list[str] | None = None,
               date_from: int | None = None, date_to: int | None = None) -> list[KeywordHit]:
        if self.model is None or not self.ids:
            return []
        mask = np.ones(len(self.ids), dtype=bool)
        if publishers:
            mask &= np.isin(self.publishers, publishers)
        if date_from:
            mask &= self.dates >= date_from
        if date_to:
            mask &= (self.dates <= date_to) & (self.dates > 0)
        if not mask.any():
            return []
        q = tokenize([query])
        if not q[0]:
            return []
        docs, scores = self.model.retrieve(
            q, k=min(k, len(self.ids)), show_progress=False, n_threads=1,
            weight_mask=None if mask.all() else mask.astype(np.float32),
        )
        return [KeywordHit(self.ids[int(d)], float(s))
                for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    # Persistence: write to a fresh folder, then swap it in, so a crash leaves the old or new one.
    def save(self, folder: Path) -> None:
        tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self.model is not None:
            self.model.save(str(tmp / "bm25"))
        (tmp / "ids.json").write_text(json.dumps({
            "format": FORMAT, "generation": self.generation, "ids": self.ids,
            "publishers": self.publishers.tolist(), "dates": self.dates.tolist(),
        }))
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
        except (OSError, ValueError, KeyError):
            return None
        return cls(meta["ids"], meta["publishers"], meta["dates"], model, meta["generation"])
