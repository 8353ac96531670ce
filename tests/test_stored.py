"""The document list of an embedded store is read from its file in two grouped queries (the
client's paged reads took 16 s at 100k chunks); it must be the list the client gives."""

from __future__ import annotations

from pathlib import Path

from assistant.pipeline import Briefing
from assistant.stored import CollectionReads


class _Paged(CollectionReads):
    """The client's paged reads of the same collection."""

    def __init__(self, collection) -> None:
        self.collection = collection


def _listing(docs) -> list[tuple]:
    return [(d.meta, d.chunks) for d in docs]


def test_the_file_lists_what_the_client_lists(fake_briefing: Briefing, articles: Path):
    assert fake_briefing.ingestor.ingest_paths([articles]).ok
    first = sorted(articles.iterdir())[0]
    first.write_text(first.read_text(encoding="utf-8") + "\n\nOne more paragraph was added.\n")
    assert fake_briefing.ingestor.ingest_paths([articles]).ok  # a replaced version
    gone = fake_briefing.documents()[-1].meta.doc_id
    assert fake_briefing.remove(gone)
    index = fake_briefing.index
    assert index._first_chunks() is not None  # really the file
    listed = index.documents()
    assert _listing(listed) == _listing(_Paged(index.collection).documents())
    assert gone not in {d.meta.doc_id for d in listed}
    assert len(listed) == len(list(articles.iterdir())) - 1
