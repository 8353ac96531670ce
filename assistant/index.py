"""Chroma (embedded or a `chroma run` server) holding chunks and vectors, the side index in step."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.bm25 import KeywordHit, KeywordIndex
from assistant.chroma import make_client
from assistant.embeddings import DIM, encode
from assistant.errors import IndexUnavailable
from assistant.models import Chunk, DocMeta, Document, Filters, Passage
from assistant.segments import Segment, tokenize
from assistant.settings import Settings
from assistant.vector_cache import VectorCache

__all__ = ["DocSummary", "Filters", "Index", "Stored"]  # Filters: its old home, kept

HNSW = {"space": "cosine", "ef_search": 400, "ef_construction": 200, "max_neighbors": 32}
_PAGE = 2000
# Calls of at most this many texts are a question's (itself, its parts): their vectors are kept.
QUERY_BATCH = 16


@dataclass
class DocSummary:
    meta: DocMeta
    chunks: int


@dataclass
class Stored:
    """What the collection holds for some documents and sources, read in one query: the ingest
    step asks this once per group of files instead of three times per file."""

    chunks: dict[str, int] = field(default_factory=dict)  # doc_id → chunks present
    expected: dict[str, set[int]] = field(default_factory=dict)  # doc_id → n_chunks recorded
    sources: dict[str, set[str]] = field(default_factory=dict)  # source → doc_ids present

    def is_complete(self, doc_id: str) -> bool | None:
        """As `Index.is_complete`; None when the chunks disagree on their number (ask Chroma)."""
        if not self.chunks.get(doc_id):
            return False
        expected = self.expected[doc_id]
        return self.chunks[doc_id] == next(iter(expected)) if len(expected) == 1 else None

    def has_source(self, source: str) -> bool:
        return bool(self.sources.get(source))

    def has_other_versions(self, source: str, doc_id: str) -> bool:
        return bool(self.sources.get(source, set()) - {doc_id})


def _side_filters(f: Filters) -> tuple[list[str] | None, int | None, int | None]:
    """Filters as the side index takes them: publishers, and dates as YYYYMMDD ints."""
    return (list(f.publishers) or None, *f.day_numbers())


def _meta_of(m: dict[str, Any]) -> DocMeta:
    published = m.get("published") or None
    return DocMeta(
        doc_id=m["doc_id"],
        title=m.get("title", ""),
        published=date.fromisoformat(published) if published else None,
        publisher=m.get("publisher", ""),
        source=m.get("source", ""),
        url=m.get("url") or None,
    )


class Index:
    """One collection of chunks. All writes go through here so the keyword side stays in step."""

    def __init__(self, settings: Settings, embeddings: Embeddings, client: Any = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.client = client if client is not None else make_client(settings)
        try:
            self.collection = self.client.get_or_create_collection(
                settings.collection,
                embedding_function=None,
                configuration={"hnsw": HNSW},
                metadata={"generation": "empty"},
            )
        except Exception as e:
            raise IndexUnavailable(f"Cannot open the index: {e}") from e
        self._keyword: KeywordIndex | None = None
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._stored_vectors: VectorCache | None = None
        self._lock = threading.RLock()

    # ---- reading -------------------------------------------------------------------------
    def generation(self) -> str:
        meta = (
            self.client.get_collection(self.settings.collection, embedding_function=None).metadata
            or {}
        )
        return str(meta.get("generation", "empty"))

    def count(self) -> int:
        return self.collection.count()

    def _iter_all(self, include: list[str]):
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=_PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def documents(self) -> list[DocSummary]:
        docs: dict[str, DocSummary] = {}
        counts: dict[str, int] = defaultdict(int)
        for page in self._iter_all(["metadatas"]):
            for m in page["metadatas"]:
                counts[m["doc_id"]] += 1
                if m["doc_id"] not in docs:
                    docs[m["doc_id"]] = DocSummary(_meta_of(m), 0)
        for doc_id, summary in docs.items():
            summary.chunks = counts[doc_id]
        return sorted(
            docs.values(), key=lambda d: (d.meta.published or date.min, d.meta.title), reverse=True
        )

    def chunks_where(self, where: dict[str, Any]) -> dict[str, Any]:
        return self.collection.get(where=where, include=["metadatas"])

    def document_text(self, doc_id: str) -> str:
        """The cleaned text rebuilt from the document's chunks (each an exact slice of it);
        the gaps no chunk covers, if any, are spaces."""
        got = self.collection.get(where={"doc_id": doc_id}, include=["documents", "metadatas"])
        size = max((m["end"] for m in got["metadatas"]), default=0)
        chars = [" "] * size
        for text, m in zip(got["documents"], got["metadatas"], strict=True):
            chars[m["start"] : m["start"] + len(text)] = text
        return "".join(chars)

    def is_complete(self, doc_id: str) -> bool:
        got = self.chunks_where({"doc_id": doc_id})
        if not got["ids"]:
            return False
        expected = got["metadatas"][0].get("n_chunks", -1)
        return len(got["ids"]) == expected

    def stored(self, doc_ids: list[str], sources: list[str]) -> Stored:
        """The chunks of these documents and of these sources (any version), in one query."""
        clauses: list[dict[str, Any]] = []
        if doc_ids:
            clauses.append({"doc_id": {"$in": sorted(set(doc_ids))}})
        if sources:
            clauses.append({"source": {"$in": sorted(set(sources))}})
        out = Stored()
        if not clauses:
            return out
        where = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        for m in self.chunks_where(where)["metadatas"]:
            doc_id = m["doc_id"]
            out.chunks[doc_id] = out.chunks.get(doc_id, 0) + 1
            out.expected.setdefault(doc_id, set()).add(m.get("n_chunks", -1))
            out.sources.setdefault(m.get("source", ""), set()).add(doc_id)
        return out

    def passages(self, ids: list[str], query_vec: np.ndarray | None = None) -> dict[str, Passage]:
        if not ids:
            return {}
        include = ["documents", "metadatas"] + (["embeddings"] if query_vec is not None else [])
        got = self.collection.get(ids=ids, include=include)
        out: dict[str, Passage] = {}
        for i, cid in enumerate(got["ids"]):
            m = got["metadatas"][i]
            dense = None
            if query_vec is not None:
                dense = float(np.dot(np.asarray(got["embeddings"][i], dtype=np.float32), query_vec))
            out[cid] = Passage(
                chunk_id=cid,
                text=got["documents"][i],
                start=m["start"],
                end=m["end"],
                meta=_meta_of(m),
                dense=dense,
            )
        return out

    def dense_search(
        self,
        query_vec: np.ndarray,
        k: int,
        filters: Filters | None = None,
        side: KeywordIndex | None = None,
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine) best first: Chroma's HNSW without filters, exact search over the
        allowed rows of the side index with them (Chroma's filtered search is 20× slower).
        `side` is a `keyword()` the caller already holds for this question."""
        if filters is not None and filters.chroma_where() is not None:
            side = side or self.keyword()
            return side.dense_search(query_vec, k, *_side_filters(filters))
        # No count() first: at 100k chunks it costs more than the query, and Chroma returns
        # what there is (nothing, for an empty collection) when asked for more.
        res = self.collection.query(
            query_embeddings=[query_vec.tolist()],
            n_results=k,
            include=["distances"],
        )
        return [
            (cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
        ]

    def keyword_search(
        self,
        query: str,
        k: int,
        filters: Filters | None = None,
        side: KeywordIndex | None = None,
    ) -> list[KeywordHit]:
        side = side or self.keyword()
        return side.search(query, k, *_side_filters(filters or Filters()))

    def keyword(self) -> KeywordIndex:
        """The BM25 side, loaded from disk or rebuilt when it lags behind the collection."""
        with self._lock:
            current = self.generation()
            if self._keyword is not None and self._keyword.generation == current:
                return self._keyword
            loaded = KeywordIndex.load(self._side_folder)
            if loaded is None or loaded.generation != current:
                loaded = self._rebuild_keyword(current)
            self._keyword = loaded
            return loaded

    def _rebuild_keyword(self, generation: str) -> KeywordIndex:
        ids: list[str] = []
        texts: list[str] = []
        publishers: list[str] = []
        dates: list[int] = []
        vectors: list[np.ndarray] = []
        for page in self._iter_all(["documents", "metadatas", "embeddings"]):
            ids.extend(page["ids"])
            texts.extend(page["documents"])
            publishers.extend(m.get("publisher", "") for m in page["metadatas"])
            dates.extend(int(m.get("date", 0)) for m in page["metadatas"])
            vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
        keyword = KeywordIndex.build(
            ids, texts, publishers, dates, generation, np.vstack(vectors) if vectors else None
        )
        keyword.save(self._side_folder)
        return keyword

    # ---- writing -------------------------------------------------------------------------
    def _bump(self) -> str:
        """Mark the collection changed. Before a write, so a crash mid-write is noticed; after it
        too, so a reader that rebuilt BM25 from half-written contents (another process in server
        mode) sees the collection change again. Returns the new generation."""
        generation = uuid.uuid4().hex
        self.collection.modify(metadata={"generation": generation})
        return generation

    def add(self, docs: list[tuple[Document, list[Chunk]]], vectors: np.ndarray) -> None:
        """Add documents, in one write when Chroma's batch limit allows. A document cut short by a
        crash lacks some of its `n_chunks` chunks, so `is_complete` sends it back to be redone."""
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict[str, Any]] = []
        for doc, chunks in docs:
            m = doc.meta
            for c in chunks:
                ids.append(c.chunk_id)
                texts.append(c.text)
                metas.append(
                    {
                        "doc_id": m.doc_id,
                        "title": m.title,
                        "publisher": m.publisher,
                        "published": m.published.isoformat() if m.published else "",
                        "date": m.date_int,
                        "source": m.source,
                        "url": m.url or "",
                        "start": c.start,
                        "end": c.end,
                        "index": c.index,
                        "n_chunks": len(chunks),
                    }
                )
        if not ids:
            return
        with self._lock:
            side = self._side_in_step()
            ours = self._bump()
            step = self.client.get_max_batch_size()
            for lo in range(0, len(ids), step):
                hi = lo + step
                self.collection.upsert(
                    ids=ids[lo:hi],
                    documents=texts[lo:hi],
                    metadatas=metas[lo:hi],
                    embeddings=vectors[lo:hi],
                )
            alone = self.generation() == ours  # no other writer between our two stamps
            generation = self._bump()
            if side is not None and alone:
                added = Segment.build(
                    ids,
                    tokenize(texts),
                    [m["publisher"] for m in metas],
                    [int(m["date"]) for m in metas],
                    np.asarray(vectors, dtype=np.float32),
                    generation,
                )
                self._keep(side.with_changes(generation, added=added))

    def delete_where(self, where: dict[str, Any]) -> int:
        with self._lock:
            ids = self.collection.get(where=where, include=[])["ids"]
            if ids:
                side = self._side_in_step()
                ours = self._bump()
                step = self.client.get_max_batch_size()
                for lo in range(0, len(ids), step):
                    self.collection.delete(ids=ids[lo : lo + step])
                alone = self.generation() == ours
                generation = self._bump()
                if side is not None and alone:
                    self._keep(side.with_changes(generation, removed=ids))
            return len(ids)

    def _side_in_step(self) -> KeywordIndex | None:
        """The side index at the collection's current generation, if there is one at hand: a
        write can then be applied to it instead of rebuilding it from the collection."""
        current = self.generation()
        if self._keyword is not None and self._keyword.generation == current:
            return self._keyword
        loaded = KeywordIndex.load(self._side_folder)
        if loaded is not None and loaded.generation == current:
            self._keyword = loaded
            return loaded
        if current == "empty":  # never written to: nothing to read back
            return KeywordIndex.empty(current)
        return None

    def _keep(self, side: KeywordIndex) -> None:
        side.save(self._side_folder)
        self._keyword = side

    @property
    def _side_folder(self) -> Path:
        return self.settings.bm25_dir / self.settings.collection

    def remove(self, doc_id: str) -> int:
        """Remove a document by id (or unique id prefix); returns the chunks removed."""
        if len(doc_id) < 16:
            matches = {d.meta.doc_id for d in self.documents() if d.meta.doc_id.startswith(doc_id)}
            if len(matches) == 1:
                doc_id = matches.pop()
        return self.delete_where({"doc_id": doc_id})

    def refresh_keyword(self) -> None:
        self.keyword()

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts. A question's texts (a few at a time) are remembered, because
        retrieval and the answerer both need them: the question and its parts are encoded
        in one call, and each is looked up alone later."""
        if len(texts) > QUERY_BATCH:
            return encode(self.embeddings, texts)
        with self._lock:
            found = {t: self._query_vectors[t] for t in texts if t in self._query_vectors}
        missing = list(dict.fromkeys(t for t in texts if t not in found))
        if missing:
            fresh = encode(self.embeddings, missing)
            with self._lock:
                for t, vec in zip(missing, fresh, strict=True):
                    found[t] = self._query_vectors[t] = vec
                while len(self._query_vectors) > 256:
                    self._query_vectors.popitem(last=False)
        return np.stack([found[t] for t in texts]) if texts else encode(self.embeddings, [])

    def embed_stored(self, texts: list[str]) -> np.ndarray:
        """Vectors of stored text (sentences of indexed chunks), from the cache on disk beside
        the index: a sentence is encoded once, not once per question that reads it."""
        if self._stored_vectors is None:
            name = getattr(self.embeddings, "name", type(self.embeddings).__name__)
            self._stored_vectors = VectorCache(
                self.settings.data_dir / "vectors" / f"sentences-{name}.bin", DIM
            )
        return self._stored_vectors.vectors(texts, lambda todo: encode(self.embeddings, todo))
