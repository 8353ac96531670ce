"""The measurements. Each task runs in a fresh worker process (`bench.worker`) and returns a dict.

A fresh process per task keeps one size's caches and memory out of the next size's figures, and
lets the peak RSS of a task be read from the process itself.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.embeddings import MiniLMEmbeddings
from assistant.settings import Settings
from bench import corpus, vectors
from bench.corpus import CACHE

# Candidates each side of hybrid search asks for with the default k=6 (max(4k, 20)).
CANDIDATES = 24
RECALL_K = 10
# Above this size chunk vectors are composed from sentence vectors instead of embedded.
REAL_UP_TO = 10_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stats(samples_ms: list[float]) -> dict[str, float]:
    a = np.asarray(samples_ms)
    return {"p50": float(np.median(a)), "p95": float(np.percentile(a, 95)), "n": len(a)}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t) * 1000, out


def settings_for(data_dir: Path, **kw: Any) -> Settings:
    return Settings(data_dir=data_dir, _env_file=None, **kw)


def chunk_vectors(c: corpus.Corpus, model: MiniLMEmbeddings, size: int) -> tuple[np.ndarray, str]:
    texts = [ch.text for ch in c.chunks]
    if size <= REAL_UP_TO:
        return vectors.real(texts, model), "real"
    return vectors.composed(texts, model), "composed"


def index_dir(size: int, code_id: str) -> Path:
    return CACHE / f"index-{code_id}-{size}"


# ---- building (not measured as a target: it only puts cached vectors through the ingest path) --
def build(size: int, code_id: str) -> dict[str, Any]:
    from assistant.pipeline import Briefing

    model = MiniLMEmbeddings()
    c = corpus.build(size)
    vecs, kind = chunk_vectors(c, model, size)
    out: dict[str, Any] = {
        "size": size,
        "chunks": len(c.chunks),
        "articles": len(c.files),
        "vectors": kind,
    }
    folder = index_dir(size, code_id)
    done = folder / "built.ok"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        lookup = vectors.Lookup(model, [ch.text for ch in c.chunks], vecs)
        b = Briefing(settings_for(folder), embeddings=lookup)
        ms, report = timed(lambda: b.ingestor.ingest_paths([c.folder]))
        assert report.ok and report.chunks == len(c.chunks), report.summary()
        assert lookup.fallbacks == 0
        out["ours_build_s"] = ms / 1000
        done.write_text("ok")
    peer = CACHE / f"peer-{size}"
    if not (peer / "built.ok").exists():
        shutil.rmtree(peer, ignore_errors=True)
        from bench.peer import build_peer

        lookup = vectors.Lookup(model, [ch.text for ch in c.chunks], vecs)
        ms, _ = timed(lambda: build_peer(peer, c, lookup))
        out["peer_build_s"] = ms / 1000
        (peer / "built.ok").write_text("ok")
    return out


# ---- ingest ------------------------------------------------------------------------------------
def ingest(size: int, repeats: int) -> dict[str, Any]:
    """Whole pipeline vs `encode` alone vs the peer's from_documents, on the same chunk texts."""
    from assistant.pipeline import Briefing
    from bench.peer import from_documents

    c = corpus.build(size)
    texts = [ch.text for ch in c.chunks]
    model = MiniLMEmbeddings()
    model.encode(["warm up the model"])
    rows: dict[str, list[float]] = {"pipeline": [], "encode": [], "peer": [], "reingest": []}
    try:  # the encoder before the ONNX route, where this code has both
        torch_model = MiniLMEmbeddings(runtime="torch")
        torch_model.encode(["warm up the model"])
        rows["encode_torch"] = []
    except TypeError:
        torch_model = None
    for _ in range(repeats):
        tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
        try:
            b = Briefing(settings_for(tmp / "ours"), embeddings=model)
            ms, report = timed(lambda b=b: b.ingestor.ingest_paths([c.folder]))
            assert report.ok and report.chunks == len(texts), report.summary()
            rows["pipeline"].append(ms)
            ms, again = timed(lambda b=b: b.ingestor.ingest_paths([c.folder]))
            assert again.chunks == 0 and len(again.unchanged) == len(c.files)
            rows["reingest"].append(ms)
            rows["encode"].append(timed(lambda: model.encode(texts))[0])
            if torch_model is not None:
                rows["encode_torch"].append(timed(lambda: torch_model.encode(texts))[0])
            peer_model = torch_model or model  # a plain pipeline runs sentence-transformers
            rows["peer"].append(
                timed(lambda tmp=tmp, m=peer_model: from_documents(tmp / "peer", c, m))[0]
            )
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    med = {k: float(np.median(v)) for k, v in rows.items()}
    return {
        "size": size,
        "chunks": len(texts),
        "articles": len(c.files),
        "repeats": repeats,
        "ms": med,
        "samples_ms": rows,
        "chunks_per_s": {
            k: len(texts) / (med[k] / 1000)
            for k in ("pipeline", "encode", "peer", "encode_torch")
            if k in med
        },
        "peak_rss_mb": peak_rss_mb(),
    }


# ---- retrieval and answers at one size -----------------------------------------------------------
def retrieval(size: int, code_id: str, repeats: int) -> dict[str, Any]:
    from assistant.pipeline import Briefing

    model = MiniLMEmbeddings()
    c = corpus.build(size)
    vecs, kind = chunk_vectors(c, model, size)
    ids = [ch.chunk_id for ch in c.chunks]
    qs = corpus.questions()
    qvecs = model.encode(qs)
    out: dict[str, Any] = {"size": size, "chunks": len(ids), "vectors": kind, "queries": len(qs)}

    embed_ms = [timed(lambda q=q: model.encode([q]))[0] for _ in range(repeats) for q in qs]
    out["query_embedding"] = stats(embed_ms)

    # Search latencies take the query encoder out: the lookup answers the questions' vectors,
    # and an untimed first pass embeds the parts of compound questions.
    lookup = vectors.Lookup(model, qs, qvecs)
    settings = settings_for(index_dir(size, code_id))
    b = Briefing(settings, embeddings=lookup)
    index, retriever = b.index, b.retriever
    out["first_search_ms"] = timed(lambda: retriever.search(qs[0]))[0]  # loads the BM25 side
    for q in qs:
        retriever.search(q)

    exact = vecs.astype(np.float32)

    def numpy_exact(q: np.ndarray, k: int = CANDIDATES) -> list[int]:
        scores = exact @ q
        top = np.argpartition(-scores, k)[:k]
        return top[np.argsort(-scores[top])].tolist()

    lat: dict[str, list[float]] = {"dense": [], "bm25": [], "hybrid": [], "numpy_exact": []}
    for _ in range(repeats):
        for q, qv in zip(qs, qvecs, strict=True):
            lat["dense"].append(timed(lambda qv=qv: index.dense_search(qv, CANDIDATES))[0])
            lat["bm25"].append(timed(lambda q=q: index.keyword_search(q, CANDIDATES))[0])
            lat["hybrid"].append(timed(lambda q=q: retriever.search(q))[0])
    # Apart from the rest: numpy's threaded product leaves OpenBLAS threads spinning for a while.
    for _ in range(repeats):
        for qv in qvecs:
            lat["numpy_exact"].append(timed(lambda qv=qv: numpy_exact(qv))[0])
    out["latency"] = {k: stats(v) for k, v in lat.items()}

    recall = []
    for qv in qvecs:
        truth = {ids[i] for i in numpy_exact(qv, RECALL_K)}
        got = {cid for cid, _ in index.dense_search(qv, RECALL_K)}
        recall.append(len(truth & got) / RECALL_K)
    out["recall_at_10"] = float(np.mean(recall))

    out["peak_rss_mb"] = peak_rss_mb()
    return out


def answers(size: int, code_id: str, repeats: int) -> dict[str, Any]:
    """End to end in a process that only serves: question in, extractive cited answer out.

    Each pass gets a fresh pipeline (same model), so no question finds its own vectors cached
    from an earlier pass. The peak RSS is that of a process serving this index.
    """
    from assistant.pipeline import Briefing

    model = MiniLMEmbeddings()
    qs = corpus.questions()
    settings = settings_for(index_dir(size, code_id))
    samples, refused = [], 0
    for _ in range(repeats):
        b = Briefing(settings, embeddings=model)
        b.ask("What is this collection about?")  # loads the model and the side index
        for q in qs:
            ms, answer = timed(lambda q=q, b=b: b.ask(q))
            samples.append(ms)
            refused += answer.refused
    return {
        "size": size,
        "answer": stats(samples),
        "refused": refused / len(samples),
        "peak_rss_mb": peak_rss_mb(),
    }


def peer_retrieval(size: int, repeats: int) -> dict[str, Any]:
    """The peer's `similarity_search_by_vector` on our chunks and vectors, with its defaults."""
    from bench.peer import open_peer

    model = MiniLMEmbeddings()
    c = corpus.build(size)
    vecs, _ = chunk_vectors(c, model, size)
    ids = [ch.chunk_id for ch in c.chunks]
    qs = corpus.questions()
    qvecs = model.encode(qs)
    store = open_peer(CACHE / f"peer-{size}", model)
    store.similarity_search_by_vector(qvecs[0].tolist(), k=CANDIDATES)
    lat = [
        timed(lambda qv=qv: store.similarity_search_by_vector(qv.tolist(), k=CANDIDATES))[0]
        for _ in range(repeats)
        for qv in qvecs
    ]
    with_text = [
        timed(lambda q=q: store.similarity_search(q, k=CANDIDATES))[0]
        for _ in range(max(1, repeats // 2))
        for q in qs
    ]
    recall = []
    for qv in qvecs:
        scores = vecs @ qv
        truth = {ids[i] for i in np.argsort(-scores)[:RECALL_K]}
        got = {d.id for d in store.similarity_search_by_vector(qv.tolist(), k=RECALL_K)}
        recall.append(len(truth & got) / RECALL_K)
    return {
        "size": size,
        "latency": stats(lat),
        "with_query_embedding": stats(with_text),
        "recall_at_10": float(np.mean(recall)),
        "peak_rss_mb": peak_rss_mb(),
    }


def validate_composed(size: int = REAL_UP_TO) -> dict[str, Any]:
    """How well composed vectors stand in for real ones, on the largest really embedded corpus."""
    model = MiniLMEmbeddings()
    c = corpus.build(size)
    texts = [ch.text for ch in c.chunks]
    qvecs = model.encode(corpus.questions())
    return {
        "size": size,
        **vectors.validate(vectors.real(texts, model), vectors.composed(texts, model), qvecs),
    }
