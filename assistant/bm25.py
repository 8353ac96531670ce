"""The side of the index kept beside Chroma and tied to its generation: BM25 over the chunk texts,
and the chunk vectors for exact search under filters.

Chroma (embedded or server) is the source of truth. Every change to the collection writes a new
random `generation` into the collection's metadata before it touches any chunk; this index records
the generation it is in step with. A write made through this process's `Index` is applied here as
it happens (a new small segment, tombstones for replaced or removed rows), so it costs time in
proportion to what was written. When the generations differ otherwise (another writer, a killed
ingest, a server restored from backup) the side index is rebuilt from the collection's contents.

Dense search runs here too (`assistant.dense`), with or without filters: the rows a filter allows
are known here (publisher and date per row), where Chroma's filtered HNSW search costs 70–100 ms
at 100k chunks, and the query path then needs nothing of Chroma but the passages' texts.

On disk: one folder holding a segment folder per segment and `manifest.json` (the generation, the
segments in order, each one's tombstones). Segments are written first under a temporary name, then
the manifest is replaced in one rename, so a crash leaves the old state or the new one.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant import dense, keyword_topk
from assistant.segments import Segment, tokenize
from assistant.side_files import MANIFEST, collect, read_manifest

__all__ = ["KeywordHit", "KeywordIndex", "tokenize"]

# Bump when tokenisation or the saved layout changes: a saved index of another format is rebuilt.
FORMAT = 4
# A new segment is merged into the one before it while it holds at least 1/MERGE_RATIO of that
# one's live rows: segment sizes fall geometrically, so there are O(log n) of them and each row is
# rewritten O(log n) times over the life of the index.
MERGE_RATIO = 4
MAX_SEGMENTS = 12
# A segment with more than this share of its rows removed is rewritten without them.
COMPACT_SHARE = 0.5


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
        self._scores: keyword_topk.TermScores | None = None
        self._masks: dict[tuple, np.ndarray | None] = {}
        self._lock = threading.Lock()
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
        """Cosine search over the rows the filters allow, best first (`assistant.dense`)."""
        vecs = np.asarray(query_vec)[None, :]
        return self.dense_search_each(vecs, k, [(publishers, date_from, date_to)])[0]

    def dense_search_each(
        self,
        query_vecs: np.ndarray,
        k: int,
        filters: list[tuple[list[str] | None, int | None, int | None]],
    ) -> list[list[tuple[str, float]]]:
        """`dense_search` of several queries, each with its own filters (publishers, from, to)
        or all with the one given, in one pass over the vectors."""
        if not self.n or k <= 0:
            return [[] for _ in range(len(query_vecs))]
        each = filters if len(filters) == len(query_vecs) else filters[:1] * len(query_vecs)
        allowed = [(lambda si, f=f: self._allowed(si, *f)) for f in each]
        return dense.search_many(self.segments, allowed, query_vecs, k)

    def vectors_of(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored (normalised) vectors of these live chunk ids."""
        out: dict[str, np.ndarray] = {}
        for seg, alive in zip(self.segments, self._alive, strict=True):
            if seg.vectors is None:
                continue
            for cid in ids:
                row = seg.row_of(cid)
                if row is not None and (alive is None or alive[row]):
                    out[cid] = seg.vectors[row]
        return out

    @property
    def has_vectors(self) -> bool:
        return all(seg.vectors is not None for seg in self.segments)

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
        found = keyword_topk.top_k(
            self._term_scores(), q, k, self._allowed_rows(publishers, date_from, date_to)
        )
        return [KeywordHit(cid, score) for score, cid in found]

    def search_exhaustive(
        self,
        query: str,
        k: int,
        publishers: list[str] | None = None,
        date_from: int | None = None,
        date_to: int | None = None,
    ) -> list[KeywordHit]:
        """`search` scoring every posting: the reference the pruned search is tested against."""
        q = tokenize([query])[0] if self.n and k > 0 else []
        if not q:
            return []
        found = keyword_topk.exhaustive(
            self.segments,
            self._alive,
            self.n,
            self.avgdl,
            q,
            k,
            lambda si: self._allowed(si, publishers, date_from, date_to),
        )
        return [KeywordHit(cid, score) for score, cid in found]

    def _term_scores(self) -> keyword_topk.TermScores:
        if self._scores is None:
            with self._lock:
                if self._scores is None:
                    self._scores = keyword_topk.TermScores(
                        self.segments, self._alive, self.n, self.avgdl
                    )
        return self._scores

    def _allowed_rows(
        self, publishers: list[str] | None, date_from: int | None, date_to: int | None
    ) -> np.ndarray | None:
        """`_allowed` over the snapshot's row space (segments one after another), kept per
        filter."""
        key = (tuple(sorted(publishers or ())), date_from or None, date_to or None)
        if key in self._masks:
            return self._masks[key]
        parts = [
            self._allowed(i, publishers, date_from, date_to) for i in range(len(self.segments))
        ]
        mask = None
        if any(p is not None for p in parts):
            mask = np.concatenate(
                [
                    np.ones(len(seg), dtype=bool) if p is None else p
                    for seg, p in zip(self.segments, parts, strict=True)
                ]
            )
        with self._lock:
            if len(self._masks) >= 16:
                self._masks.clear()
            self._masks[key] = mask
        return mask

    # ---- persistence ---------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        """New segments first, then the manifest in one rename. A folder of another layout (or
        none) is written whole beside it and swapped in."""
        if read_manifest(folder, FORMAT) is None:
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
        collect(folder, {seg.name for seg in self.segments})

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
        manifest = read_manifest(folder, FORMAT)
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
