"""The peer: a plain LangChain + Chroma pipeline (`langchain_chroma.Chroma`, its defaults).

It gets the same chunk texts and metadata as our pipeline and the same embedding model, so the
comparison is of the store and the glue, not of the chunker.
"""

from __future__ import annotations

from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bench.corpus import Corpus

COLLECTION = "peer"
BATCH = 5000


def _client(folder: Path) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(
        path=str(folder), settings=ChromaSettings(anonymized_telemetry=False)
    )


def documents(c: Corpus) -> list[Document]:
    out = []
    for doc, chunks in c.docs:
        m = doc.meta
        for ch in chunks:
            out.append(
                Document(
                    page_content=ch.text,
                    id=ch.chunk_id,
                    metadata={
                        "doc_id": m.doc_id,
                        "title": m.title,
                        "publisher": m.publisher,
                        "published": m.published.isoformat() if m.published else "",
                        "source": m.source,
                        "start": ch.start,
                        "end": ch.end,
                    },
                )
            )
    return out


def from_documents(folder: Path, c: Corpus, embedding: Embeddings) -> Chroma:
    """What a plain pipeline does on ingest: one call that embeds and writes everything."""
    docs = documents(c)
    return Chroma.from_documents(
        docs,
        embedding,
        ids=[d.id for d in docs],
        collection_name=COLLECTION,
        client=_client(folder),
    )


def build_peer(folder: Path, c: Corpus, embedding: Embeddings) -> None:
    """The peer's store at a retrieval size, written in batches from precomputed vectors."""
    store = Chroma(collection_name=COLLECTION, embedding_function=embedding, client=_client(folder))
    docs = documents(c)
    for i in range(0, len(docs), BATCH):
        part = docs[i : i + BATCH]
        store.add_documents(part, ids=[d.id for d in part])


def open_peer(folder: Path, embedding: Embeddings) -> Chroma:
    return Chroma(collection_name=COLLECTION, embedding_function=embedding, client=_client(folder))
