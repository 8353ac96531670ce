"""Ingest into the real embedded Chroma: idempotence, replacement without orphans, bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.index import Filters
from tests.conftest import DATA, SEED


def _chunk_docs(briefing) -> dict[str, int]:
    metas = briefing.index.collection.get(include=["metadatas"])["metadatas"]
    out: dict[str, int] = {}
    for m in metas:
        out[m["doc_id"]] = out.get(m["doc_id"], 0) + 1
    return out


def test_ingest_folder_lists_documents(fake_briefing, articles):
    report = fake_briefing.ingestor.ingest_paths([articles])
    assert report.ok and len(report.added) == 4
    docs = {d.meta.title: d for d in fake_briefing.index.documents()}
    seed = docs[
        "The delicate thread to peace: Can US-Russia Negotiations End the Ukraine Conflict?"
    ]
    assert seed.meta.publisher == "inuno.ai" and seed.chunks >= 5
    assert sum(d.chunks for d in docs.values()) == fake_briefing.index.count()


def test_reingest_unchanged_is_a_no_op(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    generation = fake_briefing.index.generation()
    count = fake_briefing.index.count()
    again = fake_briefing.ingestor.ingest_paths([articles])
    assert len(again.unchanged) == 4 and not again.added and again.chunks == 0
    assert fake_briefing.index.count() == count
    assert fake_briefing.index.generation() == generation  # nothing was written


def test_changed_file_replaces_its_chunks(fake_briefing, tmp_path):
    f = tmp_path / "note.md"
    shutil.copy(DATA / "article_gas_transit.md", f)
    fake_briefing.ingestor.ingest_paths([f])
    old = fake_briefing.index.documents()[0].meta.doc_id
    f.write_text(f.read_text().replace("Slovakia and Austria", "Slovakia, Hungary and Austria"))
    report = fake_briefing.ingestor.ingest_paths([f])
    assert len(report.replaced) == 1
    docs = _chunk_docs(fake_briefing)
    assert old not in docs and len(docs) == 1  # no orphan chunks of the old version
    hits = fake_briefing.index.keyword_search("Hungary Slovakia Austria", 5)
    assert hits and all(h.chunk_id.startswith(report.replaced[0].meta.doc_id) for h in hits)


def test_remove_keeps_dense_and_keyword_in_step(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    grain = next(d for d in fake_briefing.index.documents() if "grain" in d.meta.title.lower())
    assert fake_briefing.index.remove(grain.meta.doc_id[:8]) == grain.chunks
    ids = set(fake_briefing.index.collection.get(include=[])["ids"])
    assert set(fake_briefing.index.keyword().ids) == ids
    assert not any(i.startswith(grain.meta.doc_id) for i in ids)
    answer = fake_briefing.ask("What happened to the Black Sea Grain Initiative in July 2023?")
    assert all(c.doc_id != grain.meta.doc_id for c in answer.citations)


def test_bad_files_are_named_and_the_rest_ingested(fake_briefing, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not really a pdf")
    report = fake_briefing.ingestor.ingest_paths(
        [folder, tmp_path / "missing.md", DATA / "article_grain.txt"]
    )
    failed = {Path(e.path).name: e.reason for e in report.failed}
    assert set(failed) == {"empty.txt", "image.txt", "broken.pdf", "missing.md"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["image.txt"]
    assert "no such file" in failed["missing.md"]
    assert len(report.added) == 2


def test_bm25_side_rebuilds_when_it_lags_the_collection(fake_briefing, articles, settings):
    fake_briefing.ingestor.ingest_paths([articles])
    # Another writer (or a crash after the Chroma write) leaves the keyword side behind.
    fake_briefing.index.collection.modify(metadata={"generation": "someone-else"})
    shutil.rmtree(settings.bm25_dir)
    hits = fake_briefing.index.keyword_search("TurkStream pipeline", 3)
    assert (
        hits
        and "TurkStream" in fake_briefing.index.passages([hits[0].chunk_id])[hits[0].chunk_id].text
    )


def test_filters_by_publisher_and_date(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    only = fake_briefing.retriever.search(
        "sanctions Russia oil", 10, Filters(publishers=("Eastern Europe Monitor",))
    )
    assert only and {p.meta.publisher for p in only} == {"Eastern Europe Monitor"}
    from datetime import date

    recent = fake_briefing.retriever.search(
        "Ukraine Russia", 20, Filters(date_from=date(2025, 2, 1))
    )
    assert recent and all(p.meta.published >= date(2025, 2, 1) for p in recent)
    assert {p.meta.publisher for p in recent} >= {"inuno.ai"}


def test_feedback_log_survives_a_truncated_last_line(fake_briefing, articles, settings):
    from assistant import feedback

    fake_briefing.ingestor.ingest_paths([articles])
    answer = fake_briefing.ask("Who led the US delegation in Saudi Arabia?")
    feedback.record(settings.feedback_path, answer, "up", "cli")
    with settings.feedback_path.open("a") as f:
        f.write('{"time": "2025-')  # power lost mid-write
    feedback.record(settings.feedback_path, answer, "down", "cli", comment="wrong date")
    entries = feedback.read(settings.feedback_path)
    assert [e["rating"] for e in entries] == ["up", "down"]
    assert entries[0]["citations"][0]["quote"] in answer.text
