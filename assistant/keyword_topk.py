"""BM25 top-k over a snapshot of segments, from term scores kept per snapshot.

A question's common terms ("ukrainian", "2022", "say") have tens of thousands of postings each
at 100k chunks, and computing each posting's score (IDF, length normalisation, in float64, then
rounded) was 60 % of a search; the rest was adding them up per segment and sorting. A snapshot's
IDF and average length never change, so each term's posting scores are computed once per
snapshot, in the snapshot's row space (segments one after another), and shared by every question
with the term; a search adds them up in query order into one float32 row of scores, exactly as
scoring every posting of every segment does (`exhaustive`, kept as the reference for tests).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from assistant.dense import kth_largest, top_rows
from assistant.segments import idf, term_scores

if TYPE_CHECKING:
    from assistant.segments import Segment

# Postings of cached term scores a snapshot holds at most (~12 bytes each) before starting over.
MAX_HELD = 8_000_000
# Summed rows kept per snapshot (4 bytes a row each).
KEEP_SUMS = 8

Postings = list[tuple[int, np.ndarray, np.ndarray]]  # (segment, rows, term frequencies)
Allowed = Callable[[int], np.ndarray | None]  # segment → rows allowed (live, filters), None: all


class TermScores:
    """Per query term, over one snapshot: its postings in the snapshot's row space (segments one
    after another, tombstoned rows included) and each posting's float32 score. The snapshot's
    IDF and average length never change, so a term's scores are computed once per snapshot and
    shared by every question that has the term (most questions share "ukrainian" or "russia")."""

    def __init__(
        self,
        segments: Sequence[Segment],
        alive: Sequence[np.ndarray | None],
        n: int,
        avgdl: float,
    ) -> None:
        self.segments = segments
        self.alive = alive
        self.n = n
        self.avgdl = avgdl
        self.offsets = np.cumsum([0, *(len(s) for s in segments)])
        self._terms: dict[str, tuple[np.ndarray, np.ndarray] | None] = {}
        self._held = 0
        self._sums: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def rows(self) -> int:
        return int(self.offsets[-1])

    def of(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, scores) of the term, None when no live row has it."""
        with self._lock:
            if term in self._terms:
                return self._terms[term]
        found = self._compute(term)
        with self._lock:
            if self._held > MAX_HELD:
                self._terms.clear()
                self._held = 0
            self._terms[term] = found
            self._held += 0 if found is None else found[0].size
        return found

    def _compute(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        parts = []
        df = 0
        for si, seg in enumerate(self.segments):
            found = seg.postings(term)
            if found is None:
                continue
            rows, tf = found
            live = self.alive[si]
            df += rows.size if live is None else int(np.count_nonzero(live[rows]))
            parts.append((si, rows, tf))
        if not df:
            return None
        weight = idf(df, self.n)
        rows_out, scores_out = [], []
        for si, rows, tf in parts:
            seg = self.segments[si]
            scores_out.append(term_scores(tf, seg.float_lengths()[rows], self.avgdl, weight))
            rows_out.append(rows.astype(np.int64) + int(self.offsets[si]))
        rows_all = np.concatenate(rows_out) if len(rows_out) > 1 else rows_out[0]
        scores = np.concatenate(scores_out) if len(scores_out) > 1 else scores_out[0]
        return rows_all, scores

    def summed(self, terms: list[str]) -> np.ndarray | None:
        """Every row's score for these query terms, added in query order (float32), None when
        no live row has any. The last few are kept: a question's publisher search and its
        search of everything score the same text."""
        key = tuple(terms)
        with self._lock:
            found = self._sums.get(key)
            if found is not None:
                self._sums.move_to_end(key)
                return found
        occurrences = [hit for hit in map(self.of, terms) if hit is not None]
        if not occurrences:
            return None
        acc = np.zeros(self.rows, dtype=np.float32)
        for rows, add in occurrences:
            acc[rows] += add
        acc.setflags(write=False)
        with self._lock:
            self._sums[key] = acc
            while len(self._sums) > KEEP_SUMS:
                self._sums.popitem(last=False)
        return acc

    def ids_of(self, rows: np.ndarray) -> list[str]:
        """Chunk ids of rows of the snapshot's row space."""
        seg_of = np.searchsorted(self.offsets, rows, side="right") - 1
        local = rows - self.offsets[seg_of]
        return [
            self.segments[si].ids[r] for si, r in zip(seg_of.tolist(), local.tolist(), strict=True)
        ]


def top_k(
    scores: TermScores, terms: list[str], k: int, allowed: np.ndarray | None
) -> list[tuple[float, str]]:
    """The best k (score, chunk id) of the query's terms (repeats count again), best first, ties
    by id. `allowed`: the rows (in the snapshot's row space) live and passing the filters, None
    when all are."""
    acc = scores.summed(terms)
    if acc is None:
        return []
    if allowed is not None:
        acc = acc * allowed
    if acc.size > k:
        # Fewer than k rows scoring: every one that scores (the k-th largest is 0 or less)
        scoring = acc[acc > 0]
        kth = float(kth_largest(scoring, k)) if scoring.size >= k else 0.0
        kth = max(kth, np.finfo(np.float32).tiny)
        rows = np.flatnonzero(acc >= kth)
    else:
        rows = np.flatnonzero(acc > 0)
    found = acc[rows]
    order = np.argsort(-found, kind="stable")
    rows, found = rows[order], found[order]
    if rows.size > k:  # ties at the k-th score: all of them go to the sort by id
        last = found[k - 1]
        keep = int(np.searchsorted(-found, -last, side="right"))
        rows, found = rows[:keep], found[:keep]
    out = [(float(s), cid) for s, cid in zip(found, scores.ids_of(rows), strict=True)]
    out.sort(key=lambda x: (-x[0], x[1]))
    return out[:k]


def exhaustive(
    segments: Sequence[Segment],
    alive: Sequence[np.ndarray | None],
    n: int,
    avgdl: float,
    terms: list[str],
    k: int,
    allowed: Allowed,
) -> list[tuple[float, str]]:
    """Every posting of every term scored: what `top_k` must equal."""
    scores: dict[int, np.ndarray] = {}
    for _, weight, parts in _postings(segments, alive, n, terms):
        for si, rows, tf in parts:
            if alive[si] is not None:
                live = alive[si][rows]
                rows, tf = rows[live], tf[live]
            seg = segments[si]
            acc = scores.get(si)
            if acc is None:
                acc = scores[si] = np.zeros(len(seg), dtype=np.float32)
            acc[rows] += term_scores(tf, seg.float_lengths()[rows], avgdl, weight)
    hits: list[tuple[float, str]] = []
    for si, acc in scores.items():
        ok = allowed(si)
        if ok is not None:
            acc *= ok
        rows = np.flatnonzero(acc > 0)
        hits.extend(top_rows(acc[rows], rows, segments[si].ids, k))
    hits.sort(key=lambda x: (-x[0], x[1]))
    return hits[:k]


def _postings(
    segments: Sequence[Segment], alive: Sequence[np.ndarray | None], n: int, terms: list[str]
) -> list[tuple[str, np.float32, Postings]]:
    """Per query term (repeats again, in order): its IDF over the live rows and its postings
    (tombstoned rows still in them: candidates are taken from live rows only)."""
    seen: dict[str, tuple[str, np.float32, Postings] | None] = {}
    out = []
    for term in terms:
        if term not in seen:
            parts: Postings = []
            df = 0
            for si, seg in enumerate(segments):
                found = seg.postings(term)
                if found is None:
                    continue
                rows, tf = found
                live = rows.size if alive[si] is None else int(np.count_nonzero(alive[si][rows]))
                if live:
                    parts.append((si, rows, tf))
                    df += live
            seen[term] = (term, idf(df, n), parts) if df else None
        if seen[term] is not None:
            out.append(seen[term])
    return out
