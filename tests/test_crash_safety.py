"""An ingest killed with SIGKILL at many points, then run again: every document present exactly
once, no orphan chunks, dense and BM25 in agreement.

The ingest runs in a child process that announces (on stdout) each file it finishes and each write
it starts; the parent kills it a chosen number of milliseconds after a chosen announcement, or at a
random moment, then runs the same ingest again and counts what is in the store.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from assistant.bm25 import KeywordIndex
from assistant.embeddings import HashingEmbeddings
from assistant.index import Index
from assistant.ingest.clean import clean
from assistant.ingest.load import load_file
from assistant.settings import Settings
from tests.conftest import CORPUS

CHILD = """
import json, sys
from collections import Counter, defaultdict
from pathlib import Path

from assistant.bm25 import KeywordIndex
from assistant.embeddings import HashingEmbeddings
from assistant.index import Index
from assistant.pipeline import Briefing
from assistant.settings import Settings


def say(*words):
    print(*words, flush=True)


def announced(cls, name):
    real = getattr(cls, name)

    def wrapper(*args, **kwargs):
        say("event", name)
        return real(*args, **kwargs)

    setattr(cls, name, wrapper)


for cls, name in ((Index, "add"), (Index, "delete_where"), (KeywordIndex, "save")):
    announced(cls, name)

settings = Settings(data_dir=Path(sys.argv[1]))
briefing = Briefing(settings, embeddings=HashingEmbeddings())
metas = briefing.index.collection.get(include=["metadatas"])["metadatas"]
chunks = Counter(m["doc_id"] for m in metas)
expected = {m["doc_id"]: m["n_chunks"] for m in metas}
versions = defaultdict(set)
for m in metas:
    versions[m["source"]].add(m["doc_id"])
saved = KeywordIndex.load(settings.bm25_dir / settings.collection)
say("state", json.dumps({
    "chunks": len(metas), "documents": len(chunks),
    "partial_documents": sum(chunks[d] != expected[d] for d in chunks),
    "sources_with_two_versions": sum(len(v) > 1 for v in versions.values()),
    "bm25_behind": saved is None or saved.generation != briefing.index.generation(),
}))
report = briefing.ingestor.ingest_paths([Path(sys.argv[2])], lambda *_: say("event", "file"))
say("done", report.summary())
"""


@dataclass(frozen=True)
class KillPoint:
    """Kill `delay` seconds after the `steps` were seen in order ((event, how many), ...);
    with no steps, `delay` seconds after the child is ready."""

    name: str
    steps: tuple[tuple[str, int], ...]
    delay: float


FRESH = [
    KillPoint("preparing files", (("file", 10),), 0.0),
    KillPoint("first write, 30 ms in", (("add", 1),), 0.03),
    KillPoint("second write, 10 ms in", (("add", 2),), 0.01),
    KillPoint("saving BM25", (("save", 1),), 0.0),
]
UPDATE = [
    KillPoint("update: first write, 20 ms in", (("add", 1),), 0.02),
    KillPoint("update: dropping old versions", (("add", 1), ("delete_where", 1)), 0.0),
    KillPoint("update: dropping old versions, later", (("add", 1), ("delete_where", 12)), 0.002),
]


def _articles(folder: Path, version: int, n: int = 100) -> None:
    """`n` distinct articles assembled from the corpus's paragraphs; version 2 changes every
    other one and adds four."""
    pool = []
    for f in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
        pool += [p.strip() for p in f.read_text().split("\n\n") if len(p.split()) >= 25]
    folder.mkdir(exist_ok=True)
    for i in range(n + (4 if version == 2 else 0)):
        rnd = random.Random(i)
        paras = rnd.sample(pool, rnd.randint(6, 12))
        if version == 2 and i % 2 == 0:
            paras.append(f"Update to dispatch {i}: {rnd.choice(pool)}")
        body = "\n\n".join(
            [
                f"This is dispatch number {i} of the war briefing series, filed by desk {i % 5}.",
                *paras,
            ]
        )
        (folder / f"dispatch_{i:03d}.txt").write_text(
            f"Dispatch {i}: the war in review\nDate: 2025-0{1 + i % 9}-{10 + i % 18}\n"
            f"Publisher: Desk {i % 5}\n\n{body}\n"
        )


def _run(
    script: Path, data: Path, folder: Path, kill: KillPoint | None, log: Path, timeout: float = 180
) -> dict:
    """One ingest in a child process; killed at `kill` unless it finishes first."""
    proc = subprocess.Popen(
        [sys.executable, str(script), str(data), str(folder)],
        stdout=subprocess.PIPE,
        stderr=log.open("ab"),
        text=True,
        bufsize=1,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    steps = list(kill.steps) if kill else []
    seen: dict[str, int] = defaultdict(int)
    out: dict = {"killed": False, "state": None, "done": None, "events": 0}
    start = time.monotonic()
    assert proc.stdout is not None
    for line in proc.stdout:
        word, _, rest = line.strip().partition(" ")
        if word == "state":
            out["state"] = json.loads(rest)
            ready = time.monotonic()
            if kill and not steps:  # a timed kill
                time.sleep(kill.delay)
                proc.send_signal(signal.SIGKILL)
        elif word == "done":
            out["done"] = rest
            out["ingest_seconds"] = time.monotonic() - ready
        elif word == "event":
            out["events"] += 1
            if steps:
                seen[rest] += 1
                event, count = steps[0]
                if rest == event and seen[rest] >= count:
                    steps.pop(0)
                    seen.clear()
                    if not steps:
                        time.sleep(kill.delay)
                        proc.send_signal(signal.SIGKILL)
        assert time.monotonic() - start < timeout, "the ingest hung"
    proc.wait(30)
    out["killed"] = proc.returncode == -signal.SIGKILL
    out["seconds"] = round(time.monotonic() - start, 2)
    assert out["killed"] or proc.returncode == 0, log.read_text()[-3000:]
    return out


def _count(data: Path, folder: Path) -> dict:
    """What is in the store, against what the folder says should be."""
    settings = Settings(data_dir=data)
    index = Index(settings, HashingEmbeddings())
    got = index.collection.get(include=["metadatas", "embeddings"])
    expected = {str(f): clean(load_file(f, 10**8)).meta.doc_id for f in sorted(folder.iterdir())}
    chunks: dict[str, list[int]] = defaultdict(list)
    n_chunks: dict[str, int] = {}
    versions: dict[str, set[str]] = defaultdict(set)
    for cid, m in zip(got["ids"], got["metadatas"], strict=True):
        assert cid == f"{m['doc_id']}:{m['index']}"
        chunks[m["doc_id"]].append(m["index"])
        n_chunks[m["doc_id"]] = m["n_chunks"]
        versions[m["source"]].add(m["doc_id"])
    complete = {d for d, idx in chunks.items() if sorted(idx) == list(range(n_chunks[d]))}
    wanted = set(expected.values())
    # Dense side: every stored vector is found by searching for itself, where questions search
    # (the side index's vectors; Chroma's approximate HNSW graph, which no question reads, may
    # leave a point unreachable after a kill mid-delete without losing it).
    vectors = np.asarray(got["embeddings"], dtype=np.float32)
    found = [
        [cid for cid, _ in hits] for hits in index.dense_search_many(vectors, min(10, len(vectors)))
    ]
    saved = KeywordIndex.load(settings.bm25_dir / settings.collection)
    return {
        "documents_lost": sorted(s for s, d in expected.items() if d not in complete),
        "documents_twice": sorted(s for s, v in versions.items() if len(v) > 1),
        "orphan_chunks": sum(
            len(idx) for d, idx in chunks.items() if d not in wanted or d not in complete
        ),
        "dense_missing": sum(cid not in hits for cid, hits in zip(got["ids"], found, strict=True)),
        "bm25_in_step": saved is not None
        and saved.generation == index.generation()
        and set(saved.ids) == set(got["ids"]),
        "chunks": len(got["ids"]),
        "stray_bm25_folders": sorted(
            f.name for f in settings.bm25_dir.iterdir() if f.name != settings.collection
        ),
    }


@pytest.mark.integration
def test_sigkill_anywhere_then_rerun_loses_nothing(tmp_path, artifacts):
    script = tmp_path / "ingest_child.py"
    script.write_text(CHILD)
    log = tmp_path / "child.log"
    folder = tmp_path / "articles"
    _articles(folder, version=1)
    baseline = tmp_path / "baseline"
    full = _run(script, baseline, folder, None, log)
    assert full["done"] and not full["killed"]
    first = _count(baseline, folder)
    assert not first["documents_lost"] and first["chunks"] > 400  # two writes or more per ingest
    _articles(folder, version=2)
    full_b = _run(script, tmp_path / "full-b", folder, None, log)

    rnd = random.Random(20250311)
    timed = [
        KillPoint(f"random moment {i + 1}", (), round(rnd.uniform(0, full_b["ingest_seconds"]), 3))
        for i in range(3)
    ]

    def crash_and_rerun(i: int, kill: KillPoint) -> dict:
        data = tmp_path / f"kill-{i}"
        if kill in UPDATE or (kill in timed and i % 2):  # from the version-1 store
            shutil.copytree(baseline, data)
        killed = _run(script, data, folder, kill, log)
        rerun = _run(script, data, folder, None, log)
        return {
            "kill_point": kill.name,
            "killed": killed["killed"],
            "left_behind": rerun["state"],
            "after_rerun": _count(data, folder),
        }

    points = FRESH + UPDATE + timed
    with ThreadPoolExecutor(2) as pool:  # each kill point has its own store
        results = list(pool.map(crash_and_rerun, range(len(points)), points))
    (artifacts / "crash_safety.json").write_text(json.dumps(results, indent=2))

    killed = [r for r in results if r["killed"]]
    assert len(killed) >= len(results) - 2, "most kill points must land while the ingest runs"
    damaged = [
        r
        for r in killed
        if r["left_behind"]["bm25_behind"]
        or r["left_behind"]["partial_documents"]
        or r["left_behind"]["sources_with_two_versions"]
    ]
    assert len(damaged) >= 3, "the kills must leave work for the rerun to repair"
    for r in results:
        after = r["after_rerun"]
        assert after["documents_lost"] == [], r
        assert after["documents_twice"] == [] and after["orphan_chunks"] == 0, r
        assert after["dense_missing"] == 0 and after["bm25_in_step"], r


def test_document_cut_short_is_redone_on_the_next_ingest(fake_briefing, articles):
    """A document larger than one Chroma batch is written in slices; a crash between slices
    leaves fewer than its `n_chunks` chunks, and the next ingest redoes it."""
    fake_briefing.ingestor.ingest_paths([articles])
    index = fake_briefing.index
    doc = max(index.documents(), key=lambda d: d.chunks)
    ids = sorted(index.chunks_where({"doc_id": doc.meta.doc_id})["ids"])
    index.collection.delete(ids=ids[len(ids) // 2 :])
    assert not index.is_complete(doc.meta.doc_id)

    report = fake_briefing.ingestor.ingest_paths([articles])
    assert [d.meta.doc_id for d in report.added + report.replaced] == [doc.meta.doc_id]
    assert sorted(index.chunks_where({"doc_id": doc.meta.doc_id})["ids"]) == ids
    assert set(index.keyword().ids) == set(index.collection.get(include=[])["ids"])
