"""Immutable segments of the side index: chunk rows with their metadata, vectors and BM25 postings.

A write to the collection becomes a new small segment (and tombstones for the rows it replaces or
removes) instead of a rebuild of everything, so adding a document costs time in proportion to the
document. Segments keep raw term frequencies and document lengths, not precomputed scores: BM25's
IDF and average length depend on the whole corpus, so they are computed over the union of all live
rows at query time, and the scores equal those of one index built from scratch (and of bm25s, whose
Lucene formulas and float32 rounding are followed step by step).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.text import stem

# bm25s's defaults (method "lucene"), which the saved indexes of earlier versions used.
K1 = 1.5
B = 0.75
# The tokenizer of bm25s.tokenize (scikit-learn's pattern, lower-cased, its English stopwords),
# written out so the query path does not import bm25s and scipy (0.36 s of a cold start).
TOKEN = re.compile(r"(?u)\b\w\w+\b")
STOPWORDS = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then "
    "there these they this to was will with".split()
)
_META = "meta.json"


def tokenize(texts: Iterable[str]) -> list[list[str]]:
    """Stemmed terms of each text, as `bm25s.tokenize(stopwords="en", stemmer=stem_words)`."""
    stems: dict[str, str] = {}
    out: list[list[str]] = []
    for text in texts:
        doc = []
        for word in TOKEN.findall(text.lower()):
            if word in STOPWORDS:
                continue
            s = stems.get(word)
            if s is None:
                s = stems[word] = stem(word)
            doc.append(s)
        out.append(doc)
    return out


def idf(df: int, n: int) -> np.float32:
    """Lucene IDF, rounded to float32 as bm25s stores it."""
    return np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5)))


def term_scores(
    tf: np.ndarray, lengths: np.ndarray, avgdl: float, weight: np.float32
) -> np.ndarray:
    """float32(idf × tf / (k1 (1 − b + b·dl/avgdl) + tf)), in bm25s's order of operations."""
    tfc = tf / (K1 * ((1 - B) + B * lengths / avgdl) + tf)
    return (np.float64(weight) * tfc).astype(np.float32)


def normalised(vectors: np.ndarray | None, n: int) -> np.ndarray | None:
    if vectors is None:
        return None
    vectors = np.asarray(vectors, dtype=np.float32).reshape(n, -1)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


@dataclass(eq=False)
class Segment:
    """Rows 0..n-1: ids, publishers, dates, vectors, and postings (term → rows, frequencies)
    sorted by term, then row. Never changed once built; removals are tombstones kept outside."""

    name: str
    generation: str  # of the collection when this segment was written
    ids: list[str]
    publishers: np.ndarray  # object
    dates: np.ndarray  # int64, YYYYMMDD, 0 when undated
    lengths: np.ndarray  # int32, terms per row
    terms: list[str]
    term_ptr: np.ndarray  # int64, len(terms) + 1
    post_rows: np.ndarray  # int32
    post_tf: np.ndarray  # float32
    vectors: np.ndarray | None = None
    _term_index: dict[str, int] | None = field(default=None, repr=False)
    _row_of: dict[str, int] | None = field(default=None, repr=False)
    _masks: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)
    _float_lengths: np.ndarray | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    path: Path | None = field(default=None, repr=False)  # the folder, once saved or loaded
    cache: dict[str, object] = field(default_factory=dict, repr=False)  # derived, see dense.py

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        tokens: Sequence[Sequence[str]],
        publishers: Sequence[str],
        dates: Sequence[int],
        vectors: np.ndarray | None,
        generation: str,
    ) -> Segment:
        n = len(ids)
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int32, count=n)
        terms = sorted({t for doc in tokens for t in doc})
        index = {t: i for i, t in enumerate(terms)}
        total = int(lengths.sum())
        flat = np.fromiter((index[t] for doc in tokens for t in doc), dtype=np.int64, count=total)
        rows = np.repeat(np.arange(n, dtype=np.int64), lengths)
        keys, tf = np.unique(flat * max(n, 1) + rows, return_counts=True)
        return cls._from_postings(
            ids=list(ids),
            publishers=np.array(list(publishers), dtype=object),
            dates=np.array(list(dates), dtype=np.int64),
            lengths=lengths,
            terms=terms,
            post_terms=keys // max(n, 1),
            post_rows=keys % max(n, 1),
            post_tf=tf,
            vectors=normalised(vectors, n),
            generation=generation,
        )

    @classmethod
    def _from_postings(
        cls,
        *,
        ids: list[str],
        publishers: np.ndarray,
        dates: np.ndarray,
        lengths: np.ndarray,
        terms: list[str],
        post_terms: np.ndarray,
        post_rows: np.ndarray,
        post_tf: np.ndarray,
        vectors: np.ndarray | None,
        generation: str,
    ) -> Segment:
        """Postings sorted by (term, row); terms left without postings are dropped."""
        counts = np.bincount(post_terms, minlength=len(terms)) if len(terms) else np.zeros(0, int)
        used = np.flatnonzero(counts)
        if used.size != len(terms):
            remap = np.full(len(terms), -1, dtype=np.int64)
            remap[used] = np.arange(used.size)
            post_terms = remap[post_terms]
            terms = [terms[i] for i in used]
            counts = counts[used]
        ptr = np.zeros(len(terms) + 1, dtype=np.int64)
        np.cumsum(counts, out=ptr[1:])
        return cls(
            name=f"s-{uuid.uuid4().hex[:16]}",
            generation=generation,
            ids=ids,
            publishers=publishers,
            dates=dates,
            lengths=np.asarray(lengths, dtype=np.int32),
            terms=terms,
            term_ptr=ptr,
            post_rows=np.asarray(post_rows, dtype=np.int32),
            post_tf=np.asarray(post_tf, dtype=np.float32),
            vectors=vectors,
        )

    @classmethod
    def merge(cls, parts: Sequence[tuple[Segment, np.ndarray | None]], generation: str) -> Segment:
        """One segment of the live rows of `parts` (segment, tombstones), in their order."""
        terms = sorted(set().union(*(seg.terms for seg, _ in parts)))
        index = {t: i for i, t in enumerate(terms)}
        ids: list[str] = []
        pubs, dates, lengths, vecs = [], [], [], []
        p_terms, p_rows, p_tf = [], [], []
        offset = 0
        has_vectors = all(seg.vectors is not None for seg, _ in parts)
        for seg, dead in parts:
            live = np.ones(len(seg), dtype=bool) if dead is None else ~dead
            keep = np.flatnonzero(live)
            new_row = np.full(len(seg), -1, dtype=np.int64)
            new_row[keep] = np.arange(keep.size) + offset
            offset += keep.size
            ids.extend(seg.ids[i] for i in keep.tolist())
            pubs.append(seg.publishers[keep])
            dates.append(seg.dates[keep])
            lengths.append(seg.lengths[keep])
            if has_vectors:
                vecs.append(np.asarray(seg.vectors)[keep])
            if seg.terms:
                term_map = np.fromiter((index[t] for t in seg.terms), np.int64, len(seg.terms))
                of_post = np.repeat(term_map, np.diff(seg.term_ptr))
                rows = new_row[np.asarray(seg.post_rows)]
                ok = rows >= 0
                p_terms.append(of_post[ok])
                p_rows.append(rows[ok])
                p_tf.append(np.asarray(seg.post_tf)[ok])
        post_terms = np.concatenate(p_terms) if p_terms else np.zeros(0, np.int64)
        post_rows = np.concatenate(p_rows) if p_rows else np.zeros(0, np.int64)
        post_tf = np.concatenate(p_tf) if p_tf else np.zeros(0, np.float32)
        order = np.lexsort((post_rows, post_terms))
        return cls._from_postings(
            ids=ids,
            publishers=np.concatenate(pubs) if pubs else np.zeros(0, dtype=object),
            dates=np.concatenate(dates) if dates else np.zeros(0, dtype=np.int64),
            lengths=np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int32),
            terms=terms,
            post_terms=post_terms[order],
            post_rows=post_rows[order],
            post_tf=post_tf[order],
            vectors=(np.vstack(vecs) if vecs else None) if has_vectors else None,
            generation=generation,
        )

    # ---- lookups (built on first use; the segment itself never changes) ------------------
    def float_lengths(self) -> np.ndarray:
        """Row lengths as float64, as BM25's length normalisation reads them."""
        if self._float_lengths is None:
            self._float_lengths = self.lengths.astype(np.float64)
        return self._float_lengths

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        if self._term_index is None:
            with self._lock:
                if self._term_index is None:
                    self._term_index = {t: i for i, t in enumerate(self.terms)}
        i = self._term_index.get(term)
        if i is None:
            return None
        lo, hi = int(self.term_ptr[i]), int(self.term_ptr[i + 1])
        return self.post_rows[lo:hi], self.post_tf[lo:hi]

    def row_of(self, chunk_id: str) -> int | None:
        if self._row_of is None:
            with self._lock:
                if self._row_of is None:
                    self._row_of = {cid: i for i, cid in enumerate(self.ids)}
        return self._row_of.get(chunk_id)

    def mask(self, publishers: tuple[str, ...], date_from: int | None, date_to: int | None):
        """The rows these filters allow (an undated row is never within an upper bound); kept
        per filter, since comparing 100k publisher strings costs more than a BM25 search."""
        key = (publishers, date_from, date_to)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        mask = np.ones(len(self), dtype=bool)
        if publishers:
            mask &= np.isin(self.publishers, list(publishers))
        if date_from:
            mask &= self.dates >= date_from
        if date_to:
            mask &= (self.dates <= date_to) & (self.dates > 0)
        mask.setflags(write=False)
        with self._lock:
            if len(self._masks) >= 32:
                self._masks.clear()
            self._masks[key] = mask
        return mask

    # ---- persistence: a folder per segment, written once under a temporary name -----------
    def save(self, parent: Path) -> None:
        final = parent / self.name
        if final.exists():
            return
        tmp = parent / f"{self.name}.tmp-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        np.save(tmp / "lengths.npy", self.lengths)
        np.save(tmp / "term_ptr.npy", self.term_ptr)
        np.save(tmp / "post_rows.npy", np.ascontiguousarray(self.post_rows))
        np.save(tmp / "post_tf.npy", np.ascontiguousarray(self.post_tf))
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", np.ascontiguousarray(self.vectors, dtype=np.float32))
            from assistant import dense

            if len(self) >= dense.PROJECT_FROM:  # readers find it ready
                dense.save(tmp, *dense.projection(self))
        (tmp / _META).write_text(
            json.dumps(
                {
                    "generation": self.generation,
                    "ids": self.ids,
                    "publishers": self.publishers.tolist(),
                    "dates": self.dates.tolist(),
                    "terms": self.terms,
                }
            )
        )
        tmp.rename(final)
        self.path = final

    @classmethod
    def load(cls, folder: Path) -> Segment:
        """Arrays are memory-mapped: a search pages in only the postings and rows it reads.
        (Held as plain arrays over the mapping: slicing a `np.memmap` costs ~4 µs a slice, a
        third of a BM25 search.)"""
        meta = json.loads((folder / _META).read_text())
        n = len(meta["ids"])
        vectors = None
        if (folder / "vectors.npy").exists():
            vectors = _mapped(folder / "vectors.npy")
            if vectors.ndim != 2 or vectors.shape[0] != n:
                raise ValueError(f"{folder}: vectors do not match the ids")
        seg = cls(
            name=folder.name,
            generation=meta["generation"],
            ids=meta["ids"],
            publishers=np.array(meta["publishers"], dtype=object),
            dates=np.array(meta["dates"], dtype=np.int64),
            lengths=np.load(folder / "lengths.npy"),
            terms=meta["terms"],
            term_ptr=np.load(folder / "term_ptr.npy"),
            post_rows=_mapped(folder / "post_rows.npy"),
            post_tf=_mapped(folder / "post_tf.npy"),
            vectors=vectors,
            path=folder,
        )
        if len(seg.lengths) != n or len(seg.term_ptr) != len(seg.terms) + 1:
            raise ValueError(f"{folder}: arrays do not match the ids")
        return seg


def _mapped(path: Path) -> np.ndarray:
    return np.asarray(np.load(path, mmap_mode="r"))
