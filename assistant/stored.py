"""What the collection holds, as the index reads it back: document summaries, chunk counts per
document and source, a chunk's document metadata, and the reads behind them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.models import DocMeta


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


# The metadata every chunk carries about its document.
DOC_KEYS = ("doc_id", "title", "published", "publisher", "source", "url")


def meta_of(m: dict[str, Any]) -> DocMeta:
    published = m.get("published") or None
    return DocMeta(
        doc_id=m["doc_id"],
        title=m.get("title", ""),
        published=date.fromisoformat(published) if published else None,
        publisher=m.get("publisher", ""),
        source=m.get("source", ""),
        url=m.get("url") or None,
    )


# Rows per page when reading the whole collection.
_PAGE = 2000


class CollectionReads:
    """The index's reads of its collection (`self.collection`) that the question path never
    makes: listings, a document's text, what ingest needs to know."""

    collection: Any

    def _iter_all(self, include: list[str]):
        offset = 0
        while True:
            got = self.collection.get(include=include, limit=_PAGE, offset=offset)
            if not got["ids"]:
                return
            yield got
            offset += len(got["ids"])

    def _first_chunks(self) -> list[tuple[dict[str, Any], int]] | None:
        """Per document, one chunk's metadata and the number of chunks, when a faster reader
        than the client's paged `get` can say (the embedded store's file)."""
        return None

    def documents(self) -> list[DocSummary]:
        docs: dict[str, DocSummary] = {}
        firsts = self._first_chunks()
        if firsts is not None:
            docs = {m["doc_id"]: DocSummary(meta_of(m), n) for m, n in firsts}
        else:
            counts: dict[str, int] = defaultdict(int)
            for page in self._iter_all(["metadatas"]):
                for m in page["metadatas"]:
                    counts[m["doc_id"]] += 1
                    if m["doc_id"] not in docs:
                        docs[m["doc_id"]] = DocSummary(meta_of(m), 0)
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
