"""Chroma (embedded or a `chroma run` server) holding chunks and vectors, the side index in step."""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.bm25 import KeywordHit, KeywordIndex
from assistant.chroma import make_client
from assistant.chroma_sqlite import ChromaFile
from assistant.embeddings import DIM, encode, encode_ingest
from assistant.errors import IndexUnavailable
from assistant.models import Chunk, Document, Filters, Passage
from assistant.segments import Segment, tokenize
from assistant.settings import Settings
from assistant.stored import DOC_KEYS, CollectionReads, DocSummary, Stored, meta_of
from assistant.vector_cache import VectorCache

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

__all__ = ["DocSummary", "Filters", "Index", "Stored"]  # Filters: its old home, kept

HNSW = {"space": "cosine", "ef_search": 400, "ef_construction": 200, "max_neighbors": 32}
# Calls of at most this many texts are a question's (itself, its parts): their vectors are kept.
QUERY_BATCH = 16


def _side_filters(f: Filters) -> tuple[list[str] | None, int | None, int | None]:
    """Filters as the side index takes them: publishers, and dates as YYYYMMDD ints."""
    return (list(f.publishers) or None, *f.day_numbers())


class Index(CollectionReads):
    """One collection of chunks. All writes go through here so the keyword side stays in step."""

    def __init__(self, settings: Settings, embeddings: Embeddings, client: Any = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self._client = client
        self._collection: Any = None
        # The question path reads an embedded store's file itself (`assistant.chroma_sqlite`):
        # no chromadb import, no collection to open. Not with a server, or a client of its own.
        self._file = (
            ChromaFile(settings.chroma_dir / "chroma.sqlite3", settings.collection)
            if client is None and not settings.chroma_url
            else None
        )
        self._keyword: KeywordIndex | None = None
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._stored_vectors: VectorCache | None = None
        self._lock = threading.RLock()
        if self._file is None or not self._file.path.exists():
            self.collection  # noqa: B018 - open now: a server that is down fails here, by URL

    def _first_chunks(self) -> list[tuple[dict[str, Any], int]] | None:
        return self._file.first_chunks(DOC_KEYS) if self._file is not None else None

    @property
    def client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = make_client(self.settings)
            return self._client

    @property
    def collection(self) -> Any:
        """The collection, opened on first use (a question answered from the file never does)."""
        with self._lock:
            if self._collection is None:
                try:
                    self._collection = self.client.get_or_create_collection(
                        self.settings.collection,
                        embedding_function=None,
                        configuration={"hnsw": HNSW},
                        metadata={"generation": "empty"},
                    )
                except IndexUnavailable:
                    raise
                except Exception as e:
                    raise IndexUnavailable(f"Cannot open the index: {e}") from e
            return self._collection

    # ---- reading -------------------------------------------------------------------------
    def generation(self) -> str:
        if self._file is not None:
            found = self._file.generation()
            if found is not None:
                return found
        meta = (
            self.client.get_collection(self.settings.collection, embedding_function=None).metadata
            or {}
        )
        return str(meta.get("generation", "empty"))

    def count(self) -> int:
        return self.collection.count()

    def passages(self, ids: list[str], query_vec: np.ndarray | None = None) -> dict[str, Passage]:
        """Texts and metadata of these chunks (those present), with their cosine to `query_vec`
        from the side index's vectors (the ones dense search ranked them by), so an embedded
        store and a server give the same passages."""
        if not ids:
            return {}
        records = self._file.records(ids) if self._file is not None else None
        if records is None:
            got = self.collection.get(ids=ids, include=["documents", "metadatas"])
            records = {
                cid: (text, meta)
                for cid, text, meta in zip(
                    got["ids"], got["documents"], got["metadatas"], strict=True
                )
            }
        vectors: dict[str, np.ndarray] = {}
        if query_vec is not None and records:
            side = self.keyword()
            vectors = side.vectors_of(list(records)) if side.has_vectors else {}
            missing = [cid for cid in records if cid not in vectors]
            if missing:  # a side index without vectors (or behind): Chroma's own
                got = self.collection.get(ids=missing, include=["embeddings"])
                for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                    vectors[cid] = np.asarray(vec, dtype=np.float32)
        out: dict[str, Passage] = {}
        for cid, (text, m) in records.items():
            dense = None
            if query_vec is not None and cid in vectors:
                dense = float(np.dot(vectors[cid], query_vec))
            out[cid] = Passage(
                chunk_id=cid,
                text=text,
                start=m["start"],
                end=m["end"],
                meta=meta_of(m),
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
        """(chunk id, cosine) best first, from the side index (`assistant.dense`): with filters
        or without, so a question never waits on Chroma's vector index. `side` is a `keyword()`
        the caller already holds for this question."""
        return self.dense_search_many(np.asarray(query_vec)[None, :], k, filters, side)[0]

    def dense_search_many(
        self,
        query_vecs: np.ndarray,
        k: int,
        filters: Filters | None = None,
        side: KeywordIndex | None = None,
    ) -> list[list[tuple[str, float]]]:
        """`dense_search` of several queries (a question and its parts) in one pass."""
        return self.dense_search_each(query_vecs, k, [filters] * len(query_vecs), side)

    def dense_search_each(
        self,
        query_vecs: np.ndarray,
        k: int,
        filters: list[Filters | None],
        side: KeywordIndex | None = None,
    ) -> list[list[tuple[str, float]]]:
        """`dense_search` of several queries, each with its own filters, in one pass."""
        side = side or self.keyword()
        if side.has_vectors:
            return side.dense_search_each(
                query_vecs, k, [_side_filters(f or Filters()) for f in filters]
            )
        out = []
        for vec, f in zip(query_vecs, filters, strict=True):
            # No count() first: at 100k chunks it costs more than the query, and Chroma returns
            # what there is (nothing, for an empty collection) when asked for more.
            res = self.collection.query(
                query_embeddings=[np.asarray(vec).tolist()],
                n_results=k,
                include=["distances"],
                where=(f or Filters()).chroma_where(),
            )
            out.append(
                [
                    (cid, 1.0 - float(d))
                    for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
                ]
            )
        return out

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

    def embed_ingest(self, texts: list[str]) -> np.ndarray:
        """Vectors of chunks being indexed, through the encoder's ingest route (which may run in
        a lower precision than questions, see `Settings.ingest_precision`)."""
        return encode_ingest(self.embeddings, texts)

    def embed_stored(self, texts: list[str]) -> np.ndarray:
        """Vectors of stored text (sentences of indexed chunks), from the cache on disk beside
        the index: a sentence is encoded once, not once per question that reads it."""
        if self._stored_vectors is None:
            name = getattr(self.embeddings, "name", type(self.embeddings).__name__)
            self._stored_vectors = VectorCache(
                self.settings.data_dir / "vectors" / f"sentences-{name}.bin", DIM
            )
        return self._stored_vectors.vectors(texts, lambda todo: encode(self.embeddings, todo))
