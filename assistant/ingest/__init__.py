"""Files in, documents in the index out: load → clean → chunk → embed → write, one file at a time
for errors and in batches for the embedding model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from assistant.errors import IngestError
from assistant.index import Index, Stored
from assistant.ingest.chunk import chunk_document
from assistant.ingest.clean import clean
from assistant.ingest.files import display_name, expand, unsupported_note
from assistant.ingest.load import RawDocument, load_bytes, load_file, upload_name
from assistant.models import Chunk, Document
from assistant.settings import Settings

__all__ = ["IngestReport", "Ingestor", "display_name", "expand", "load_bytes", "load_file"]

# Embed this many chunks per model call: large enough to keep the model busy, small enough that
# an interruption loses little work.
BATCH_CHUNKS = 256
# Files whose state in the index (already there? other versions?) is read in one query: at 100k
# chunks a filtered read costs ~7 ms whether it matches 1 document or 64.
GROUP_FILES = 64
T = TypeVar("T")


@dataclass
class IngestReport:
    added: list[Document] = field(default_factory=list)
    replaced: list[Document] = field(default_factory=list)
    unchanged: list[Document] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)
    chunks: int = 0
    # Files in a folder whose type we do not read: counted in the summary, not failures, so a
    # folder with a stray image still ingests cleanly.
    unsupported: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: IngestReport) -> IngestReport:
        """This report with another batch's added to it: paths and URLs of one command give one
        summary line."""
        self.added += other.added
        self.replaced += other.replaced
        self.unchanged += other.unchanged
        self.failed += other.failed
        self.chunks += other.chunks
        self.unsupported += other.unsupported
        return self

    def summary(self) -> str:
        line = (
            f"{len(self.added)} added, {len(self.replaced)} replaced, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed; "
            f"{self.chunks} chunks written"
        )
        note = unsupported_note(self.unsupported)
        return f"{line}; {note}" if note else line


Progress = Callable[[str, int, int], None]  # (file name, done, total)


class Ingestor:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index

    def ingest_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> IngestReport:
        """Files and folders: each file once however often it is named; symlinks inside a
        folder are followed only while they stay inside it."""
        found = expand(list(paths))
        report = IngestReport(
            failed=list(found.failed),
            unsupported=found.unsupported,
        )
        files = found.files
        max_bytes = int(self.settings.max_file_mb * 1_000_000)

        def raws():
            for path, name in files:
                try:
                    yield load_file(path, max_bytes, name)
                except IngestError as e:
                    report.failed.append(e)
                    yield None

        self._ingest(raws(), len(files), report, progress)
        return report

    def ingest_bytes(
        self, items: list[tuple[str, bytes]], progress: Progress | None = None
    ) -> IngestReport:
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

    def ingest_raw(
        self,
        items: Iterable[RawDocument | IngestError],
        total: int,
        progress: Progress | None = None,
        cleaner: Callable[[RawDocument], Document] = clean,
    ) -> IngestReport:
        """Documents read elsewhere (fetched pages), produced lazily: an `IngestError` among
        them is that item's failure line; `cleaner` turns each into a `Document`."""
        report = IngestReport()

        def raws():
            for item in items:
                if isinstance(item, IngestError):
                    report.failed.append(item)
                    yield None
                else:
                    yield item

        self._ingest(raws(), total, report, progress, cleaner)
        return report

    def _ingest(
        self,
        raws: Iterable[RawDocument | None],
        total: int,
        report: IngestReport,
        progress: Progress | None,
        cleaner: Callable[[RawDocument], Document] = clean,
    ) -> None:
        pending: list[tuple[Document, list[Chunk], bool]] = []
        pending_chunks = 0
        seen: set[str] = set()
        done = 0
        for group in _groups(raws, GROUP_FILES):
            docs = [
                (raw, self._clean(raw, report, cleaner) if raw is not None else None)
                for raw in group
            ]
            stored: Stored | None = None
            for i, (raw, doc) in enumerate(docs):
                done += 1
                if doc is not None:
                    if stored is None:  # read once per group, again after our own writes
                        stored = self._stored([d for _, d in docs[i:] if d is not None])
                    item, wrote = self._prepare(doc, stored, report)
                    if item is not None and item[0].meta.doc_id in seen:
                        # The same text as an earlier file of this batch: stored once, under
                        # that one.
                        wrote |= self._drop_other_versions(item[0])
                        report.unchanged.append(item[0])
                        item = None
                    if item is not None:
                        seen.add(item[0].meta.doc_id)
                        pending.append(item)
                        pending_chunks += len(item[1])
                    if pending_chunks >= BATCH_CHUNKS:
                        self._write(pending, report)
                        pending, pending_chunks = [], 0
                        wrote = True
                    if wrote:
                        stored = None
                if progress:
                    progress(raw.source if raw else "", done, total)
        self._write(pending, report)
        self.index.refresh_keyword()

    def _clean(
        self,
        raw: RawDocument,
        report: IngestReport,
        cleaner: Callable[[RawDocument], Document] = clean,
    ) -> Document | None:
        try:
            return cleaner(raw)
        except IngestError as e:
            report.failed.append(e)
        except Exception as e:  # a parser bug must not sink the batch
            report.failed.append(IngestError(raw.source, f"could not be parsed ({e})"))
        return None

    def _stored(self, docs: list[Document]) -> Stored:
        return self.index.stored([d.meta.doc_id for d in docs], [d.meta.source for d in docs])

    def _prepare(
        self, doc: Document, stored: Stored, report: IngestReport
    ) -> tuple[tuple[Document, list[Chunk], bool] | None, bool]:
        """The document to embed and write (None if it is already indexed), and whether the
        collection was written to on the way."""
        complete = stored.is_complete(doc.meta.doc_id)
        if complete is None:
            complete = self.index.is_complete(doc.meta.doc_id)
        if complete:
            # Same text already indexed; drop older versions of this source left by a crash.
            wrote = False
            if stored.has_other_versions(doc.meta.source, doc.meta.doc_id):
                wrote = self._drop_other_versions(doc)
            report.unchanged.append(doc)
            return None, wrote
        replaced = stored.has_source(doc.meta.source)
        chunks = chunk_document(doc, self.settings.chunk_tokens, self.settings.chunk_overlap)
        return (doc, chunks, replaced), False

    def _write(
        self, pending: list[tuple[Document, list[Chunk], bool]], report: IngestReport
    ) -> None:
        if not pending:
            return
        texts = [c.text for _, chunks, _ in pending for c in chunks]
        vectors = self.index.embed_ingest(texts)
        stored = self._stored([doc for doc, _, _ in pending])  # after embedding: fresh
        for doc, _, _ in pending:  # leftovers of an interrupted earlier attempt
            if stored.chunks.get(doc.meta.doc_id):
                self.index.delete_where({"doc_id": doc.meta.doc_id})
        self.index.add([(doc, chunks) for doc, chunks, _ in pending], vectors)
        sources = [doc.meta.source for doc, _, _ in pending]
        for doc, chunks, replaced in pending:
            if (
                stored.has_other_versions(doc.meta.source, doc.meta.doc_id)
                or sources.count(doc.meta.source) > 1
            ):
                self._drop_other_versions(doc)
            (report.replaced if replaced else report.added).append(doc)
            report.chunks += len(chunks)

    def _drop_other_versions(self, doc: Document) -> bool:
        """Remove chunks of this document's source that belong to other versions of it."""
        return bool(
            self.index.delete_where(
                {"$and": [{"source": doc.meta.source}, {"doc_id": {"$ne": doc.meta.doc_id}}]}
            )
        )


def _groups(items: Iterable[T], size: int) -> Iterator[list[T]]:
    group: list[T] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group
