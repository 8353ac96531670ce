"""The side index changes by segments and tombstones, not by rebuilds: after any sequence of adds,
replacements and removals it searches exactly like one index built from the whole collection,
and its BM25 scores are bm25s's."""

from __future__ import annotations

import random
from datetime import date

import bm25s
import numpy as np
import pytest

from assistant.bm25 import KeywordIndex
from assistant.index import Index
from assistant.models import Filters
from assistant.segments import tokenize
from assistant.text import stem_words
from tests.conftest import CORPUS

QUERIES = [
    "US delegation Saudi Arabia talks",
    "gas transit Slovakia Austria",
    "grain corridor Black Sea ports",
    "ceasefire negotiations Jeddah",
    "sanctions package oil price cap",
    "drone attack energy infrastructure",
    "the the of",  # stopwords only
    "zzzunknownterm",
]
PUBLISHERS = ["Reuters", "inuno.ai", "Kyiv Independent", "BBC"]


def _paragraphs() -> list[str]:
    pool = []
    for f in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
        pool += [p.strip() for p in f.read_text().split("\n\n") if len(p.split()) >= 20]
    return pool


def _article(rnd: random.Random, pool: list[str], tag: str) -> bytes:
    day = date(2025, rnd.randint(1, 7), rnd.randint(1, 28))
    body = "\n\n".join(rnd.sample(pool, rnd.randint(2, 6)))
    return (
        f"Dispatch {tag}\n\nPublisher: {rnd.choice(PUBLISHERS)}\nDate: {day.isoformat()}\n\n{body}"
    ).encode()


def _full_rebuild(index: Index) -> KeywordIndex:
    got = index.collection.get(include=["documents", "metadatas", "embeddings"])
    return KeywordIndex.build(
        got["ids"],
        got["documents"],
        [m.get("publisher", "") for m in got["metadatas"]],
        [int(m.get("date", 0)) for m in got["metadatas"]],
        "full",
        np.asarray(got["embeddings"], dtype=np.float32) if got["ids"] else None,
    )


def _same_results(a: KeywordIndex, b: KeywordIndex, index: Index) -> None:
    assert sorted(a.ids) == sorted(b.ids)
    assert a.publisher_names() == b.publisher_names()
    filters = [
        Filters(),
        Filters(publishers=("Reuters",)),
        Filters(publishers=("BBC", "inuno.ai"), date_from=date(2025, 3, 1)),
        Filters(date_to=date(2025, 4, 30)),
    ]
    for query in QUERIES:
        qvec = index.embed([query])[0]
        for f in filters:
            pubs = list(f.publishers) or None
            lo, hi = f.day_numbers()
            got = [(h.chunk_id, h.score) for h in a.search(query, 20, pubs, lo, hi)]
            want = [(h.chunk_id, h.score) for h in b.search(query, 20, pubs, lo, hi)]
            assert [c for c, _ in got] == [c for c, _ in want], (query, f)
            np.testing.assert_allclose([s for _, s in got], [s for _, s in want], rtol=1e-6)
            got_d = a.dense_search(qvec, 20, pubs, lo, hi)
            want_d = b.dense_search(qvec, 20, pubs, lo, hi)
            assert [c for c, _ in got_d] == [c for c, _ in want_d], (query, f)
            np.testing.assert_allclose(
                [s for _, s in got_d], [s for _, s in want_d], rtol=1e-5, atol=1e-6
            )


def test_random_changes_search_like_a_full_rebuild(fake_briefing, monkeypatch):
    """Adds, replacements (a changed file under the same name) and removals, in random
    order: the side index is never rebuilt, and after every step it returns the rankings and
    scores of an index built from the collection's contents, in memory and as saved."""
    briefing = fake_briefing
    index = briefing.index
    rnd = random.Random(16)
    pool = _paragraphs()
    briefing.ingest_bytes([(f"a{i}.md", _article(rnd, pool, f"a{i}")) for i in range(12)])

    def refuse(*_a, **_k):
        raise AssertionError("the side index was rebuilt from the collection")

    monkeypatch.setattr(Index, "_rebuild_keyword", refuse)
    names = [f"a{i}.md" for i in range(12)]
    shapes: set[int] = set()
    removed = 0
    for step in range(40):
        action = rnd.choice(["add", "add", "replace", "replace", "remove"])
        if action == "add" or not names:
            name = f"n{step}.md"
            names.append(name)
            report = briefing.ingest_bytes([(name, _article(rnd, pool, name))])
            assert report.added
        elif action == "replace":
            name = rnd.choice(names)
            report = briefing.ingest_bytes([(name, _article(rnd, pool, f"{name}-{step}"))])
            assert report.replaced or report.added
        else:
            name = names.pop(rnd.randrange(len(names)))
            doc = next(d for d in briefing.documents() if d.meta.source == name)
            removed += briefing.remove(doc.meta.doc_id)
        side = index.keyword()
        assert side.generation == index.generation()
        shapes.add(len(side.segments))
        if step % 5 == 4:
            full = _full_rebuild(index)
            _same_results(side, full, index)
            saved = KeywordIndex.load(briefing.settings.bm25_dir / briefing.settings.collection)
            assert saved is not None and saved.generation == side.generation
            _same_results(saved, full, index)
    assert removed and max(shapes) > 1  # tombstones and several segments were exercised
    folder = briefing.settings.bm25_dir / briefing.settings.collection
    on_disk = {p.name for p in folder.iterdir()} - {"manifest.json"}
    assert on_disk == {s.name for s in index.keyword().segments}  # merged-away ones removed


def test_tokenizer_is_bm25s_own():
    texts = _paragraphs()[:80] + ["", "The and of", "Zelenskyy's 2025 ceasefire — a's b2 ÉLAN"]
    want = bm25s.tokenize(
        texts, stopwords="en", return_ids=False, show_progress=False, stemmer=stem_words
    )
    assert tokenize(texts) == want


def test_scores_are_bm25s_scores():
    texts = _paragraphs()
    ids = [f"c{i}" for i in range(len(texts))]
    side = KeywordIndex.build(ids, texts, [""] * len(ids), [0] * len(ids), "g")
    model = bm25s.BM25()
    model.index(tokenize(texts), show_progress=False)
    for query in QUERIES[:6]:
        docs, scores = model.retrieve(tokenize([query]), k=20, show_progress=False, n_threads=0)
        want = {ids[int(d)]: float(s) for d, s in zip(docs[0], scores[0], strict=True) if s > 0}
        got = {h.chunk_id: h.score for h in side.search(query, 20)}
        assert got.keys() == want.keys(), query
        for cid, score in got.items():
            assert score == pytest.approx(want[cid], rel=1e-6)


def test_a_write_from_elsewhere_rebuilds_the_side(fake_briefing):
    """A write this index did not make (another host on a shared server, a crash before the
    save) moves the generation without touching the side: the next search rebuilds it."""
    briefing = fake_briefing
    index = briefing.index
    rnd = random.Random(3)
    pool = _paragraphs()
    briefing.ingest_bytes([(f"b{i}.md", _article(rnd, pool, f"b{i}")) for i in range(3)])
    gone = index.chunks_where({"source": "b1.md"})["ids"]
    index._bump()
    index.collection.delete(ids=gone)
    index._bump()
    side = index.keyword()
    assert side.generation == index.generation()
    assert set(side.ids) == set(index.collection.get(include=[])["ids"])
    assert not set(gone) & set(side.ids)
    _same_results(side, _full_rebuild(index), index)


def test_keyword_search_equals_scoring_every_posting(fake_briefing):
    """The search adds up per-term scores kept per snapshot; after adds and removals (so with
    tombstones and several segments) it returns what scoring every posting returns."""
    rnd = random.Random(7)
    pool = _paragraphs()
    briefing = fake_briefing
    briefing.ingest_bytes([(f"c{i}.md", _article(rnd, pool, f"c{i}")) for i in range(8)])
    for i in range(3):
        briefing.ingest_bytes([(f"c{i}.md", _article(rnd, pool, f"c{i}-again"))])
    side = briefing.index.keyword()
    assert len(side.segments) > 1 and any(d is not None for d in side.deleted)
    for query in QUERIES + ["ceasefire ceasefire talks"]:
        for pubs, lo, hi in [(None, None, None), (["Reuters"], None, None), (None, 0, 20250430)]:
            for k in (1, 5, 40):
                got = [(h.chunk_id, h.score) for h in side.search(query, k, pubs, lo, hi)]
                want = [
                    (h.chunk_id, h.score) for h in side.search_exhaustive(query, k, pubs, lo, hi)
                ]
                assert got == want, (query, pubs, k)


def test_projected_dense_search(fake_briefing, monkeypatch, tmp_path):
    """A large segment is pre-scanned in its projection and re-scored exactly: the cosines are
    exact, the best rows are exact search's, the projection is saved beside the segment and read
    back, and several queries in one pass get what each gets alone."""
    from assistant import dense

    rnd = random.Random(5)
    pool = _paragraphs()
    briefing = fake_briefing
    briefing.ingest_bytes([(f"d{i}.md", _article(rnd, pool, f"d{i}")) for i in range(10)])
    side = briefing.index.keyword()
    rows = len(side.segments[0])
    vecs = np.stack([briefing.index.embed([q])[0] for q in QUERIES])
    exact = side.dense_search_each(vecs, rows, [(None, None, None)])
    # Fewer rows than dimensions: the projection keeps every cosine, and only the one row the
    # pre-scan leaves out (of the lowest) is missing.
    monkeypatch.setattr(dense, "PROJECT_FROM", 10)
    monkeypatch.setattr(dense, "CANDIDATES", rows - 1)
    side.save(tmp_path / "side")
    loaded = KeywordIndex.load(tmp_path / "side")
    assert loaded is not None and (loaded.segments[0].path / dense.PROJECTED_FILE).exists()
    got = loaded.dense_search_each(vecs, rows, [(None, None, None)])
    vectors = dict(zip(loaded.segments[0].ids, loaded.segments[0].vectors, strict=True))
    for qvec, hits, want in zip(vecs, got, exact, strict=True):
        assert len(hits) == len(want) - 1
        for cid, score in hits:
            assert score == pytest.approx(float(vectors[cid] @ qvec), abs=1e-6)
        best = want[-2][1]  # above the lowest two, no tie can be the row left out
        assert [c for c, s in hits if s > best] == [c for c, s in want if s > best]
    for hits, alone in zip(got, [loaded.dense_search(v, rows) for v in vecs], strict=True):
        # The same cosines; which of several rows tied at the lowest one the pre-scan leaves out
        # may follow the last bit of the projected product (a batch and one query may sum it
        # in another order on some CPUs).
        assert [s for _, s in hits] == [s for _, s in alone]
        low = hits[-1][1]
        assert [(c, s) for c, s in hits if s > low] == [(c, s) for c, s in alone if s > low]


def test_the_store_file_reads_what_the_client_does(fake_briefing):
    """The question path reads the generation and the passages from the embedded store's file:
    what it reads is what the client returns, after writes and removals alike."""
    briefing = fake_briefing
    index = briefing.index
    rnd = random.Random(11)
    pool = _paragraphs()
    assert index._file is not None
    for step in range(3):
        briefing.ingest_bytes([(f"e{step}.md", _article(rnd, pool, f"e{step}"))])
        if step == 2:
            doc = next(d for d in briefing.documents() if d.meta.source == "e0.md")
            briefing.remove(doc.meta.doc_id)
        meta = index.client.get_collection(index.settings.collection).metadata
        assert index._file.generation() == meta["generation"]
        got = index.collection.get(include=["documents", "metadatas"])
        asked = got["ids"] + ["no-such-chunk"]
        records = index._file.records(asked)
        assert records == {
            cid: (text, m)
            for cid, text, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        }
