"""Files in, documents in the index out: load → clean → chunk → embed → write, one file at a time
for errors and in batches for the embedding model."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import IngestError
from assistant.index import Index
from assistant.ingest.chunk import chunk_document
from assistant.ingest.clean import clean
from assistant.ingest.load import RawDocument, expand, load_bytes, load_file, upload_name
from assistant.models import Chunk, Document
from assistant.settings import Settings

__all__ = ["IngestReport", "Ingestor", "expand", "load_bytes", "load_file"]

# Embed this many chunks per model call: large enough to keep the model busy, small enough that
# an interruption loses little work.
BATCH_CHUNKS = 256


@dataclass
class IngestReport:
    added: list[Document] = field(default_factory=list)
    replaced: list[Document] = field(default_factory=list)
    unchanged: list[Document] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    chunks: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.replaced)} replaced, "
                f"{len(self.unchanged)} unchanged, {len(self.failed)} failed; "
                f"{self.chunks} chunks written")


Progress = Callable[[str, int, int], None]  # (file name, done, total)


class Ingestor:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index

    def ingest_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> IngestReport:
        files, errors = expand(list(paths))
        report = IngestReport(failed=errors)
        max_bytes = int(self.settings.max_file_mb * 1_000_000)

        def raws():
            for f in files:
                try:
                    yield load_file(f, max_bytes)
                except IngestError as e:
                    report.failed.append(e)
                    yield None

        self._ingest(raws(), len(files), report, progress)
        return report

    def ingest_bytes(self, items: list[tuple[str, bytes]],
                     progress: Progress | None = None) -> IngestReport:
        """Uploads: (name, data) pairs. The file name (any folder part dropped) decides the format
        and is the source; nothing is written under it."""
        report = IngestReport()
        max_bytes = int(self.settings.max_file_mb * 1_000_000)

        def raws():
            for name, data in items:
                try:
                    yield load_bytes(data, upload_name(name), max_bytes)
                except IngestError as e:
                    report.failed.append(e)
                    yield None

        self._ingest(raws(), len(items), report, progress)
        return report

    def _ingest(self, raws: Iterable[RawDocument | None], total: int, report: IngestReport,
                progress: Progress | None) -> None:
        pending: list[tuple[Document, list[Chunk], bool]] = []
        pending_chunks = 0
        seen: set[str] = set()
        for done, raw in enumerate(raws, start=1):
            if raw is not None:
                item = self._prepare(raw, report)
                if item is not None and item[0].meta.doc_id in seen:
                    # The same text as an earlier file of this batch: stored once, under that one.
                    self._drop_other_versions(item[0])
                    report.unchanged.append(item[0])
                    item = None
                if item is not None:
                    seen.add(item[0].meta.doc_id)
                    pending.append(item)
                    pending_chunks += len(item[1])
                if pending_chunks >= BATCH_CHUNKS:
                    self._write(pending, report)
                    pending, pending_chunks = [], 0
            if progress:
                progress(raw.source if raw else "", done, total)
        self._write(pending, report)
        self.index.refresh_keyword()

    def _prepare(self, raw: RawDocument,
                 report: IngestReport) -> tuple[Document, list[Chunk], bool] | None:
        try:
            doc = clean(raw)
        except IngestError as e:
            report.failed.append(e)
            return None
        except Exception as e:  # a parser bug must not sink the batch
            report.failed.append(IngestError(raw.source, f"could not be parsed ({e})"))
            return None
        if self.index.is_complete(doc.meta.doc_id):
            # Same text already indexed; drop older versions of this source left by a crash.
            self._drop_other_versions(doc)
            report.unchanged.append(doc)
            return None
        replaced = bool(self.index.chunks_where({"source": doc.meta.source})["ids"])
        chunks = chunk_document(doc, self.settings.chunk_tokens, self.settings.chunk_overlap)
        return doc, chunks, replaced

    def _write(self, pending: list[tuple[Document, list[Chunk], bool]],
               report: IngestReport) -> None:
        if not pending:
            return
        texts = [c.text for _, chunks, _ in pending for c in chunks]
        vectors = self.index.embed(texts)
        for doc, _, _ in pending:  # leftovers of an interrupted earlier attempt
            self.index.delete_where({"doc_id": doc.meta.doc_id})
        self.index.add([(doc, chunks) for doc, chunks, _ in pending], vectors)
        for doc, chunks, replaced in pending:
            self._drop_other_versions(doc)
            (report.replaced if replaced else report.added).append(doc)
            report.chunks += len(chunks)

    def _drop_other_versions(self, doc: Document) -> None:
        self.index.delete_where({"$and": [{"source": doc.meta.source},
                                          {"doc_id": {"$ne": doc.meta.doc_id}}]})
