"""Dense search over the side index's vectors: exact for small segments, a projected pre-scan and
an exact re-score for large ones.

A product over all 100k × 384 float32 vectors reads 153 MB and costs ~13 ms on this machine (it
does not fit the cache); Chroma's HNSW costs 4–6 ms and answers only unfiltered queries. A
segment of at least `PROJECT_FROM` rows keeps its vectors projected on the top `DIMS` principal
directions of its own vectors (26 MB at 100k, which the cache holds): a query scores every row in
that space, the best `CANDIDATES` are scored exactly, and the best of those are returned with
their exact cosines. Recall@10 against exact search was ≥ 0.99 on the benchmark's 100k chunks
(BENCHMARKS.md). Segments below the threshold, and filters that leave at most `CANDIDATES` rows
of a segment, are searched exactly.

The projection is a pure function of the segment's vectors (a fixed sample of its rows), so it is
computed when the segment is written and saved beside it, or on first use for a segment saved
without one.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from assistant.segments import Segment

PROJECT_FROM = 4_000
DIMS = 64
# Rows scored exactly after the pre-scan, per segment.
CANDIDATES = 1_000
# Rows of the sample the principal directions are computed from.
SAMPLE = 20_000
# Rows per product. OpenBLAS multiplies blocks this small on the calling thread; a larger product
# wakes its thread pool, which spins for ~0.1 s afterwards and makes the embedding model's next
# call (same 2 cores) ~10× slower.
BLOCK = 512
# Below this many values a k-th largest is found by partitioning them all.
SAMPLED_FROM = 8_192
BASIS_FILE = "basis.npy"
PROJECTED_FILE = "projected.npy"
_lock = threading.Lock()


def search_many(
    segments: Sequence[Segment],
    allowed: Sequence[Callable[[int], np.ndarray | None]],
    query_vecs: np.ndarray,
    k: int,
) -> list[list[tuple[str, float]]]:
    """(chunk id, cosine) of the best k rows each query's filter allows (`allowed[i]`: segment
    → rows allowed, None when all are), best first, ties by id. The queries of a question (its
    parts, its publisher's passages) read each segment once for all of them."""
    qs = np.asarray(query_vecs, dtype=np.float32)
    found: list[list[tuple[float, str]]] = [[] for _ in range(len(qs))]
    for si, seg in enumerate(segments):
        if seg.vectors is None:
            continue
        oks = [a(si) for a in allowed]
        if len(seg) >= PROJECT_FROM and len(seg) > CANDIDATES:
            for qi, q_rows in enumerate(_prescan(seg, qs, oks)):
                if q_rows.size:
                    scores = _exact(seg.vectors, q_rows, qs[qi : qi + 1])[:, 0]
                    found[qi].extend(top_rows(scores, q_rows, seg.ids, k))
            continue
        # Exact, every query in one pass over the rows any of them may see.
        seen = None if any(ok is None for ok in oks) else np.logical_or.reduce(oks)
        rows = np.arange(len(seg)) if seen is None else np.flatnonzero(seen)
        if not rows.size:
            continue
        scores = _exact(seg.vectors, rows, qs)
        for qi, ok in enumerate(oks):
            keep = slice(None) if ok is None else ok[rows]
            found[qi].extend(top_rows(scores[keep, qi], rows[keep], seg.ids, k))
    out = []
    for hits in found:
        hits.sort(key=lambda x: (-x[0], x[1]))
        out.append([(cid, score) for score, cid in hits[:k]])
    return out


def _exact(vectors: np.ndarray, rows: np.ndarray, qs: np.ndarray) -> np.ndarray:
    """Cosines (rows × queries) of the given rows, in blocks (see BLOCK)."""
    scores = np.empty((rows.size, len(qs)), dtype=np.float32)
    qt = np.ascontiguousarray(qs.T)
    for lo in range(0, rows.size, BLOCK):
        scores[lo : lo + BLOCK] = vectors[rows[lo : lo + BLOCK]] @ qt
    return scores


def _prescan(seg: Segment, qs: np.ndarray, oks: Sequence[np.ndarray | None]) -> list[np.ndarray]:
    """Per query, the sorted rows to score exactly: the best CANDIDATES of those its filter
    allows by projected score, or all of them when they are no more. Every query in one pass
    over the projection (3 queries cost ~1.5× one)."""
    basis, projected = projection(seg)
    step = BLOCK * 384 // DIMS  # as many numbers a product as the exact blocks
    qp = np.ascontiguousarray((qs @ basis).T) if len(qs) > 1 else qs[0] @ basis
    scores = np.empty((len(seg), len(qs)) if len(qs) > 1 else len(seg), dtype=np.float32)
    for lo in range(0, len(seg), step):
        scores[lo : lo + step] = projected[lo : lo + step] @ qp
    scores = scores.reshape(len(seg), -1)
    out = []
    for qi, ok in enumerate(oks):
        column = np.ascontiguousarray(scores[:, qi])
        if ok is None:
            out.append(best_rows(column, CANDIDATES))
            continue
        rows = np.flatnonzero(ok)  # a filter's rows: the best of those, or all when no more
        out.append(rows if rows.size <= CANDIDATES else rows[best_rows(column[rows], CANDIDATES)])
    return out


def best_rows(scores: np.ndarray, k: int) -> np.ndarray:
    """The sorted rows of the k best scores (of more than k); of rows tied at the k-th score,
    the first. Two passes over the scores and partitions of small parts of them, where a
    partition of all (`np.argpartition`) cost ~1.6 ms at 100k rows."""
    kth = kth_largest(scores, k)
    best = np.flatnonzero(scores >= kth)
    if best.size > k:  # ties at the k-th score
        above = scores[best] > kth
        ties = best[~above][: k - int(np.count_nonzero(above))]
        best = np.sort(np.concatenate([best[above], ties]))
    return best


def kth_largest(values: np.ndarray, k: int) -> np.floating:
    """The k-th largest value (1 ≤ k ≤ size), what `np.partition(values, n - k)[n - k]` gives.
    A strided sample's k-th largest is at most the true one, so only the values at or above it
    (~`stride` × k of them) need a partition."""
    n = values.size
    stride = int(np.sqrt(n / k)) if k else 1
    if n < SAMPLED_FROM or stride < 2:
        return np.partition(values, n - k)[n - k]
    sample = values[::stride]
    floor = np.partition(sample, sample.size - k)[sample.size - k]
    near = values[values >= floor]  # holds every value of the k largest
    return np.partition(near, near.size - k)[near.size - k]


def projection(seg: Segment) -> tuple[np.ndarray, np.ndarray]:
    """(basis DIMS × 384ᵀ, projected rows), from the segment's folder or computed (and saved)."""
    got = seg.cache.get("projection")
    if got is not None:
        return got
    with _lock:
        got = seg.cache.get("projection")
        if got is None:
            got = _load(seg.path) if seg.path is not None else None
            if got is None or got[1].shape[0] != len(seg):
                got = compute(seg.vectors)
                if seg.path is not None:
                    save(seg.path, *got)
            seg.cache["projection"] = got
    return got


def compute(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The top principal directions (uncentred: inner products are what is kept) of a fixed
    sample of the rows, and every row projected on them."""
    n = vectors.shape[0]
    sample = np.asarray(vectors[np.linspace(0, n - 1, min(n, SAMPLE)).astype(np.int64)])
    gram = np.zeros((vectors.shape[1], vectors.shape[1]), dtype=np.float64)
    for lo in range(0, sample.shape[0], BLOCK):
        part = sample[lo : lo + BLOCK].astype(np.float64)
        gram += part.T @ part
    _, vecs = np.linalg.eigh(gram)
    basis = np.ascontiguousarray(vecs[:, ::-1][:, :DIMS], dtype=np.float32)
    projected = np.empty((n, basis.shape[1]), dtype=np.float32)
    for lo in range(0, n, BLOCK):
        projected[lo : lo + BLOCK] = vectors[lo : lo + BLOCK] @ basis
    return basis, projected


def save(folder: Path, basis: np.ndarray, projected: np.ndarray) -> None:
    """Beside the segment's own files, each under a temporary name first; a read-only folder
    leaves the projection in memory."""
    try:
        for name, arr in ((BASIS_FILE, basis), (PROJECTED_FILE, projected)):
            tmp = folder / f"{name}.tmp-{os.getpid()}-{threading.get_ident()}.npy"
            np.save(tmp, arr)
            os.replace(tmp, folder / name)
    except OSError:
        return


def _load(folder: Path) -> tuple[np.ndarray, np.ndarray] | None:
    try:
        basis = np.load(folder / BASIS_FILE)
        projected = np.asarray(np.load(folder / PROJECTED_FILE, mmap_mode="r"))
    except (OSError, ValueError):
        return None
    if basis.ndim != 2 or projected.ndim != 2 or not basis.shape[1] == projected.shape[1] == DIMS:
        return None
    return basis, projected


def top_rows(
    scores: np.ndarray, rows: np.ndarray, ids: list[str], k: int
) -> list[tuple[float, str]]:
    """The best k (score, id) of one segment, ties at the edge all kept: the final order (score,
    then id) must not depend on how rows are split into segments."""
    if scores.size > k:
        kth = kth_largest(scores, k)
        keep = np.flatnonzero(scores >= kth)
        scores, rows = scores[keep], rows[keep]
    if ids is None:  # rows stay rows
        return [(float(s), int(r)) for s, r in zip(scores, rows, strict=True)]
    return [(float(s), ids[int(r)]) for s, r in zip(scores, rows, strict=True)]
