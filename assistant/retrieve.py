"""Hybrid search: dense (Chroma) and BM25 rankings fused by weighted reciprocal rank."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from assistant.answer.names import mentions
from assistant.answer.question import analyse, names_in, split_context
from assistant.bm25 import KeywordHit, KeywordIndex
from assistant.index import QUERY_BATCH, Index
from assistant.models import Filters, Passage
from assistant.settings import Settings

# Each side contributes this many candidates per passage asked for.
CANDIDATES_PER_K = 4
# Passages added for "latest", "now" and "as of" questions, so newer reports get a look.
LATEST_EXTRA = 3
# Passages added so that every name in the question is seen by the answerer.
MAX_NAME_PASSAGES = 2


@dataclass
class _Asked:
    """What one question's searches have found so far: its parts, its publisher's passages and
    the wider search for a missing name search the same texts again, and read these instead."""

    side: KeywordIndex
    dense: dict[tuple[str, str], tuple[int, list[tuple[str, float]]]] = field(default_factory=dict)
    keyword: dict[tuple[str, str], tuple[int, list[KeywordHit]]] = field(default_factory=dict)
    passages: dict[tuple[str, str], Passage] = field(default_factory=dict)


class Retriever:
    def __init__(self, settings: Settings, index: Index) -> None:
        self.settings = settings
        self.index = index

    def search(
        self,
        query: str,
        k: int | None = None,
        filters: Filters | None = None,
        others: int = 0,
    ) -> list[Passage]:
        """Top-k passages; a question that names a publisher ("per the inuno.ai analysis")
        gets that publisher's best passages first, and the rest from everywhere. `others`
        more, marked `wider`: the next best, where another report's figure for the same thing
        often is when the top k are one article's."""
        k = k or self.settings.k
        asked = analyse(query)
        if asked.wants_latest:
            k += LATEST_EXTRA  # the newest report may rank below older ones on the same thing
        # One look at the side index per question (it checks the collection's generation):
        # every part and pass of this question searches the same snapshot.
        asked_now = _Asked(self.index.keyword())
        parts = [f"{p.search_text} {asked.context}".strip() for p in asked.parts]
        # The question and its parts in one call to the model, with the texts the extractive
        # answerer reads the question by (each part, and its topic, or its own words when it
        # names an indexed outlet): each is looked up later. A text read that is not here is
        # encoded when read, to the same vector.
        named = self._named_publishers(query, asked_now.side) if filters is None else []
        read_as = f"{asked.text} {asked.context}".strip() if named else asked.topic
        texts = [query, *parts, read_as, *(p.search_text for p in asked.parts)]
        self.index.embed(list(dict.fromkeys(t for t in texts if t))[:QUERY_BATCH])
        # The texts searched without filters of their own, in one pass over the vectors: the
        # parts of a compound question, or the question (its wider search for a missing name
        # reads these too).
        searched = list(dict.fromkeys(parts if len(parts) > 1 else [query]))
        self._dense_ahead(
            searched, max(k * CANDIDATES_PER_K, 20) * CANDIDATES_PER_K, filters, asked_now
        )
        if len(parts) > 1:
            # A compound question: each part gets its own search, results interleaved.
            lists = [self._search_one(part, k, filters, asked_now) for part in parts]
            merged: dict[str, Passage] = {}
            for row in zip(*lists, strict=False):
                for p in row:
                    merged.setdefault(p.chunk_id, p)
            found = list(merged.values())[: k * len(parts)]
        else:
            found = self._search_one(query, k, filters, asked_now)
        found = self._with_names(query, found, filters, asked_now)
        if others and len(parts) == 1:
            have = {p.chunk_id for p in found}
            more = self._search(query, k + others, filters, asked_now)
            found += [p.model_copy(update={"wider": True}) for p in more if p.chunk_id not in have][
                :others
            ]
        return found

    def _dense_ahead(
        self, texts: list[str], n: int, filters: Filters | None, asked: _Asked
    ) -> None:
        """Dense candidates of every search this question will make at first (each text, and
        its named publishers' passages), in one pass over the vectors."""
        if not self.settings.dense_weight:
            return
        searches: list[tuple[str, Filters | None]] = []
        for text in texts:
            searches.append((text, filters))
            named = self._named_publishers(text, asked.side) if filters is None else []
            if named:
                searches.append((text, Filters(publishers=tuple(named))))
        vecs = self.index.embed([t for t, _ in searches])
        found = self.index.dense_search_each(vecs, n, [f for _, f in searches], asked.side)
        for (text, f), hits in zip(searches, found, strict=True):
            asked.dense[(text, repr(f))] = (n, hits)

    def _search_one(
        self, query: str, k: int, filters: Filters | None, asked: _Asked
    ) -> list[Passage]:
        named = self._named_publishers(query, asked.side) if filters is None else []
        if not named:
            return self._search(query, k, filters, asked)
        own = self._search(query, max(1, k // 2), Filters(publishers=tuple(named)), asked)
        rest = [
            p
            for p in self._search(query, k, filters, asked)
            if p.chunk_id not in {o.chunk_id for o in own}
        ]
        return (own + rest)[:k]

    def _named_publishers(self, query: str, side: KeywordIndex) -> list[str]:
        lowered = query.lower()
        return [p for p in side.publisher_names() if len(p) >= 4 and p.lower() in lowered]

    def _search(self, query: str, k: int, filters: Filters | None, asked: _Asked) -> list[Passage]:
        n = max(k * CANDIDATES_PER_K, 20)
        qvec = self.index.embed([query])[0]
        key = (query, repr(filters))
        dense: list[tuple[str, float]] = []
        keyword: list[KeywordHit] = []
        if self.settings.dense_weight:
            have, hits = asked.dense.get(key, (0, []))
            if have < n:
                hits = self.index.dense_search(qvec, n, filters, asked.side)
                asked.dense[key] = (n, hits)
            dense = hits[:n]
        if self.settings.bm25_weight:
            have, found = asked.keyword.get(key, (0, []))
            if have < n:
                # As many as a wider search for a missing name will ask for (see _with_names).
                wide = n * CANDIDATES_PER_K
                found = self.index.keyword_search(query, wide, filters, asked.side)
                asked.keyword[key] = (wide, found)
            keyword = found[:n]

        fused: dict[str, float] = defaultdict(float)
        rrf = self.settings.rrf_k
        for rank, (cid, _) in enumerate(dense):
            fused[cid] += self.settings.dense_weight / (rrf + rank + 1)
        for rank, hit in enumerate(keyword):
            fused[hit.chunk_id] += self.settings.bm25_weight / (rrf + rank + 1)
        top = sorted(fused, key=fused.__getitem__, reverse=True)[:k]

        bm25 = {h.chunk_id: h.score for h in keyword}
        fetch = [cid for cid in top if (cid, query) not in asked.passages]
        for cid, p in self.index.passages(fetch, qvec).items():
            asked.passages[(cid, query)] = p
        out = []
        for cid in top:
            p = asked.passages.get((cid, query))
            if p is None:  # removed between search and fetch
                continue
            p = p.model_copy()
            p.score = fused[cid]
            p.bm25 = bm25.get(cid)
            out.append(p)
        return out

    def _with_names(
        self, query: str, found: list[Passage], filters: Filters | None, asked: _Asked
    ) -> list[Passage]:
        """The best passage naming each name of the question that no passage found names:
        fusion must not drop the one passage that is about the person asked for."""
        names = names_in(split_context(query)[0])
        missing = [
            n for n in names if not any(mentions(n, f"{p.meta.title}\n{p.text}") for p in found)
        ]
        if not missing:
            return found
        have = {p.chunk_id for p in found}
        wider = self._search(query, len(found) * CANDIDATES_PER_K, filters, asked)
        extra: list[Passage] = []
        for name in missing:
            for p in wider:
                if p.chunk_id in have or any(e.chunk_id == p.chunk_id for e in extra):
                    continue
                if mentions(name, f"{p.meta.title}\n{p.text}"):
                    extra.append(p)
                    break
            if len(extra) >= MAX_NAME_PASSAGES:
                break
        return found + extra
