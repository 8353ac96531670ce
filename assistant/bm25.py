"""The side of the index kept beside Chroma and tied to its generation: BM25 over the chunk texts,
and the chunk vectors for exact search under filters.

Chroma (embedded or server) is the source of truth. Every change to the collection writes a new
random `generation` into the collection's metadata before it touches any chunk; this index records
the generation it is in step with. A write made through this process's `Index` is applied here as
it happens (a new small segment, tombstones for replaced or removed rows), so it costs time in
proportion to what was written. When the generations differ otherwise (another writer, a killed
ingest, a server restored from backup) the side index is rebuilt from the collection's contents.

Chroma's HNSW search is fast and near-exact without filters, but with a `where` filter it costs
70–100 ms at 100k chunks; the rows a filter allows are known here (publisher and date per row),
so filtered dense search is an exact dot product over those rows instead.

On disk: one folder holding a segment folder per segment and `manifest.json` (the generation, the
segments in order, each one's tombstones). Segments are written first under a temporary name, then
the manifest is replaced in one rename, so a crash leaves the old state or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.segments import Segment, idf, term_scores, tokenize

__all__ = ["KeywordHit", "KeywordIndex", "tokenize"]

# Bump when tokenisation or the saved layout changes: a saved index of another format is rebuilt.
FORMAT = 4
MANIFEST = "manifest.json"
# Rows per product in dense search. OpenBLAS multiplies blocks this small on the calling thread;
# a larger product wakes its thread pool, which spins for ~0.1 s afterwards and makes the
# embedding model's next call (same 2 cores) ~10× slower.
_BLOCK = 512
# A new segment is merged into the one before it while it holds at least 1/MERGE_RATIO of that
# one's live rows: segment sizes fall geometrically, so there are O(log n) of them and each row is
# rewritten O(log n) times over the life of the index.
MERGE_RATIO = 4
MAX_SEGMENTS = 12
# A segment with more than this share of its rows removed is rewritten without them.
COMPACT_SHARE = 0.5
# Unreferenced segment folders younger than this may belong to a writer still at work.
STALE_S = 60.0


@dataclass
class KeywordHit:
    chunk_id: str
    score: float


class KeywordIndex:
    """An immutable snapshot: segments in order, their tombstones, the generation it matches.
    A change makes a new snapshot (sharing the unchanged segments), so a search running in
    another thread keeps reading the one it started with."""

    def __init__(
        self,
        segments: Sequence[Segment],
        deleted: Sequence[np.ndarray | None],
        generation: str,
    ) -> None:
        self.segments = list(segments)
        self.deleted = list(deleted)  # per segment: bool rows removed, or None
        self._alive = [None if d is None else ~d for d in self.deleted]
        self.generation = generation
        self._live = [
            len(s) - (0 if d is None else int(d.sum()))
            for s, d in zip(self.segments, self.deleted, strict=True)
        ]
        self.n = sum(self._live)
        total = sum(
            int(s.lengths.sum() if d is None else s.lengths[~d].sum())
            for s, d in zip(self.segments, self.deleted, strict=True)
        )
        self.avgdl = total / self.n if self.n else 0.0
        self._ids: list[str] | None = None
        self._publisher_names: list[str] | None = None
        # Segments the snapshot this one came from had and this one merged away: removed from
        # disk when this one is saved.
        self.dropped: set[str] = set()

    @classmethod
    def empty(cls, generation: str) -> KeywordIndex:
        return cls([], [], generation)

    @classmethod
    def build(
        cls,
        ids: list[str],
        texts: list[str],
        publishers: list[str],
        dates: list[int],
        generation: str,
        vectors: np.ndarray | None = None,
    ) -> KeywordIndex:
        """One segment of all rows: what a full rebuild from the collection makes."""
        if not ids:
            return cls.empty(generation)
        seg = Segment.build(ids, tokenize(texts), publishers, dates, vectors, generation)
        return cls([seg], [None], generation)

    @property
    def ids(self) -> list[str]:
        """The live chunk ids, segment by segment."""
        if self._ids is None:
            out: list[str] = []
            for seg, dead in zip(self.segments, self.deleted, strict=True):
                if dead is None:
                    out.extend(seg.ids)
                else:
                    out.extend(seg.ids[i] for i in np.flatnonzero(~dead).tolist())
            self._ids = out
        return self._ids

    def publisher_names(self) -> list[str]:
        if self._publisher_names is None:
            names: set[str] = set()
            for seg, dead in zip(self.segments, self.deleted, strict=True):
                pubs = seg.publishers if dead is None else seg.publishers[~dead]
                names.update(p for p in set(pubs.tolist()) if p)
            self._publisher_names = sorted(names)
        return self._publisher_names

    # ---- changes -------------------------------------------------------------------------
    def with_changes(
        self,
        generation: str,
        added: Segment | None = None,
        removed: Iterable[str] = (),
    ) -> KeywordIndex:
        """A new snapshot: rows of `removed` ids and earlier rows of `added`'s ids tombstoned,
        `added` appended, small segments merged."""
        gone = set(removed)
        if added is not None:
            gone.update(added.ids)
        deleted = list(self.deleted)
        copied: set[int] = set()
        for si, seg in enumerate(self.segments):
            for cid in gone:
                row = seg.row_of(cid)
                if row is None:
                    continue
                if si not in copied:
                    current = deleted[si]
                    deleted[si] = (
                        np.zeros(len(seg), dtype=bool) if current is None else current.copy()
                    )
                    copied.add(si)
                deleted[si][row] = True
        segments = list(self.segments)
        if added is not None and len(added):
            segments.append(added)
            deleted.append(None)
        out = _merged(segments, deleted, generation)
        out.dropped = {s.name for s in self.segments} - {s.name for s in out.segments}
        return out

    # ---- search --------------------------------------------------------------------------
    def _allowed(
        self,
        si: int,
        publishers: list[str] | None,
        date_from: int | None,
        date_to: int | None,
    ) -> np.ndarray | None:
        """Rows of segment `si` that are live and pass the filters; None when all are."""
        seg, alive = self.segments[si], self._alive[si]
        allowed = None
        if publishers or date_from or date_to:
            allowed = seg.mask(tuple(sorted(publishers or ())), date_from or None, date_to or None)
        if alive is not None:
            allowed = alive if allowed is None else allowed & alive
        return allowed

    def dense_search(
        self,
        query_vec: np.ndarray,
        k: int,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> list[tuple[str, float]]:
        """Exact cosine search over the rows the filters allow, best first."""
        if not self.n or k <= 0:
            return []
        q = np.asarray(query_vec, dtype=np.float32)
        found: list[tuple[float, str]] = []
        for si, seg in enumerate(self.segments):
            if seg.vectors is None:
                continue
            allowed = self._allowed(si, publishers, date_from, date_to)
            rows = np.arange(len(seg)) if allowed is None else np.flatnonzero(allowed)
            if rows.size == 0:
                continue
            scores = np.empty(rows.size, dtype=np.float32)
            for lo in range(0, rows.size, _BLOCK):
                scores[lo : lo + _BLOCK] = seg.vectors[rows[lo : lo + _BLOCK]] @ q
            found.extend(_top(scores, rows, seg.ids, k))
        found.sort(key=lambda x: (-x[0], x[1]))
        return [(cid, score) for score, cid in found[:k]]

    def search(
        self,
        query: str,
        k: int,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> list[KeywordHit]:
        """BM25 (Lucene variant, bm25s's defaults) with IDF and average length over every live
        row, so the scores are those of one index of the whole collection."""
        if not self.n or k <= 0:
            return []
        q = tokenize([query])[0]
        if not q:
            return []
        # Per query term (repeats count again, as in bm25s): its postings in each segment.
        per_term: list[tuple[np.float32, list[tuple[int, np.ndarray, np.ndarray]]]] = []
        for term in q:
            postings = []
            df = 0
            for si, seg in enumerate(self.segments):
                found = seg.postings(term)
                if found is None:
                    continue
                rows, tf = found
                alive = self._alive[si]
                if alive is not None:
                    live = alive[rows]
                    rows, tf = rows[live], tf[live]
                if rows.size:
                    postings.append((si, rows, tf))
                    df += rows.size
            if df:
                per_term.append((idf(df, self.n), postings))
        if not per_term:
            return []
        scores: dict[int, np.ndarray] = {}
        for weight, postings in per_term:
            for si, rows, tf in postings:
                seg = self.segments[si]
                acc = scores.get(si)
                if acc is None:
                    acc = scores[si] = np.zeros(len(seg), dtype=np.float32)
                acc[rows] += term_scores(tf, seg.float_lengths()[rows], self.avgdl, weight)
        hits: list[tuple[float, str]] = []
        for si, acc in scores.items():
            allowed = self._allowed(si, publishers, date_from, date_to)
            if allowed is not None:
                acc *= allowed
            rows = np.flatnonzero(acc > 0)
            hits.extend(_top(acc[rows], rows, self.segments[si].ids, k))
        hits.sort(key=lambda x: (-x[0], x[1]))
        return [KeywordHit(cid, score) for score, cid in hits[:k]]

    # ---- persistence ---------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """New segments first, then the manifest in one rename. A folder of another layout (or
        none) is written whole beside it and swapped in."""
        if _read_manifest(folder) is None:
            tmp = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{threading.get_ident()}")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for seg in self.segments:
                seg.save(tmp)
            self._write_manifest(tmp)
            old = folder.with_name(f"{folder.name}.old-{os.getpid()}-{threading.get_ident()}")
            if folder.exists():
                folder.rename(old)
            tmp.rename(folder)
            shutil.rmtree(old, ignore_errors=True)
            return
        for seg in self.segments:
            seg.save(folder)
        self._write_manifest(folder)
        for name in self.dropped:
            shutil.rmtree(folder / name, ignore_errors=True)
        _collect(folder, {seg.name for seg in self.segments})

    def _write_manifest(self, folder: Path) -> None:
        body = {
            "format": FORMAT,
            "generation": self.generation,
            "segments": [
                {
                    "name": seg.name,
                    "rows": len(seg),
                    "deleted": [] if dead is None else np.flatnonzero(dead).tolist(),
                }
                for seg, dead in zip(self.segments, self.deleted, strict=True)
            ],
        }
        tmp = folder / f"{MANIFEST}.tmp-{os.getpid()}-{threading.get_ident()}"
        tmp.write_text(json.dumps(body))
        os.replace(tmp, folder / MANIFEST)

    @classmethod
    def load(cls, folder: Path) -> KeywordIndex | None:
        manifest = _read_manifest(folder)
        if manifest is None:
            return None
        segments: list[Segment] = []
        deleted: list[np.ndarray | None] = []
        try:
            for entry in manifest["segments"]:
                seg = Segment.load(folder / entry["name"])
                if len(seg) != entry["rows"]:
                    return None
                dead = None
                if entry["deleted"]:
                    dead = np.zeros(len(seg), dtype=bool)
                    dead[np.asarray(entry["deleted"], dtype=np.int64)] = True
                segments.append(seg)
                deleted.append(dead)
        except (OSError, ValueError, KeyError, IndexError):
            return None
        return cls(segments, deleted, manifest["generation"])


def _top(scores: np.ndarray, rows: np.ndarray, ids: list[str], k: int) -> list[tuple[float, str]]:
    """The best k (score, id) of one segment, ties at the edge all kept: the final order (score,
    then id) must not depend on how rows are split into segments."""
    if scores.size > k:
        kth = np.partition(scores, scores.size - k)[scores.size - k]
        keep = np.flatnonzero(scores >= kth)
        scores, rows = scores[keep], rows[keep]
    return [(float(s), ids[int(r)]) for s, r in zip(scores, rows, strict=True)]


def _merged(
    segments: list[Segment], deleted: list[np.ndarray | None], generation: str
) -> KeywordIndex:
    """Apply the merge policy: compact mostly-removed segments, merge a new segment into the one
    before it while they are of similar size, and cap the number of segments."""

    def live(i: int) -> int:
        d = deleted[i]
        return len(segments[i]) - (0 if d is None else int(d.sum()))

    def merge(lo: int, hi: int) -> None:
        parts = list(zip(segments[lo:hi], deleted[lo:hi], strict=True))
        seg = Segment.merge(parts, generation)
        segments[lo:hi] = [seg] if len(seg) else []
        deleted[lo:hi] = [None] if len(seg) else []

    for i in reversed(range(len(segments))):
        if live(i) < len(segments[i]) * (1 - COMPACT_SHARE) or live(i) == 0:
            merge(i, i + 1)
    while len(segments) >= 2 and live(-1) * MERGE_RATIO >= live(-2):
        merge(len(segments) - 2, len(segments))
    if len(segments) > MAX_SEGMENTS:
        merge(MAX_SEGMENTS - 1, len(segments))
    return KeywordIndex(segments, deleted, generation)


def _read_manifest(folder: Path) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


def _collect(folder: Path, referenced: set[str]) -> None:
    """Remove segment folders and temporary files no manifest refers to (left by merges or by a
    crash), once they are old enough not to be another writer's work in progress."""
    now = time.time()
    for entry in folder.iterdir():
        if entry.name == MANIFEST or entry.name in referenced:
            continue
        try:
            if now - entry.stat().st_mtime < STALE_S and not _ours(entry.name):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            continue


def _ours(name: str) -> bool:
    """A temporary file or folder of this process: left by an earlier failed save."""
    return f".tmp-{os.getpid()}-" in name
