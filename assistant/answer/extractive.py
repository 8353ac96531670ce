"""The offline answerer: quotes the retrieved sentences that best answer the question, and cites each."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.answer import REFUSAL
from assistant.answer.citations import cite, verified
from assistant.models import Answer, Citation, Passage
from assistant.text import sentence_spans, stem, terms

NAME = "extractive"


@dataclass
class _Candidate:
    rank: int  # passage rank
    passage: Passage
    start: int  # offsets within the passage text
    end: int
    stems: set[str]
    lexical: float = 0.0
    score: float = 0.0

    @property
    def doc_start(self) -> int:
        return self.passage.start + self.start


class ExtractiveGenerator:
    name = NAME

    def __init__(self, refusal_threshold: float, max_sentences: int) -> None:
        self.refusal_threshold = refusal_threshold
        self.max_sentences = max_sentences

    def _candidates(self, passages: list[Passage]) -> list[_Candidate]:
        seen: set[tuple[str, int]] = set()
        out: list[_Candidate] = []
        for rank, p in enumerate(passages):
            for s, e in sentence_spans(p.text):
                sentence = p.text[s:e]
                key = (p.meta.doc_id, p.start + s)
                if key in seen or len(sentence.split()) < 5 or sentence.rstrip().endswith("?"):
                    continue
                if p.start + s == 0 and sentence.strip() == p.meta.title.strip():
                    continue  # the headline is not evidence
                seen.add(key)
                out.append(_Candidate(rank, p, s, e, {stem(t) for t in terms(sentence)}))
        return out

    def score(self, question: str, passages: list[Passage]) -> list[_Candidate]:
        """Candidates, best first: keyword overlap weighted by rarity, plus passage similarity."""
        q = {stem(t) for t in terms(question)}
        cands = self._candidates(passages)
        if not cands or not q:
            return []
        df = {t: sum(1 for c in cands if t in c.stems) for t in q}
        idf = {t: math.log(1 + (len(cands) + 1) / (df[t] + 0.5)) for t in q}
        total = sum(idf.values())
        for c in cands:
            c.lexical = sum(idf[t] for t in q & c.stems) / total
            dense = c.passage.dense if c.passage.dense is not None else 0.0
            c.score = 0.55 * c.lexical + 0.45 * max(dense, 0.0) - 0.01 * c.rank
        return sorted(cands, key=lambda c: c.score, reverse=True)

    def _select(self, ranked: list[_Candidate]) -> list[_Candidate]:
        best = ranked[0].score
        chosen: list[_Candidate] = []
        for c in ranked:
            if len(chosen) >= self.max_sentences or c.score < 0.7 * best:
                break
            if c.lexical == 0:
                continue
            if any(len(c.stems & o.stems) / max(1, len(c.stems | o.stems)) > 0.6 for o in chosen):
                continue
            chosen.append(c)
        return chosen

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        ranked = self.score(question, passages)
        if not ranked or ranked[0].score < self.refusal_threshold or ranked[0].lexical == 0:
            return Answer(question=question, text=REFUSAL, refused=True, generator=NAME,
                          retrieved=[p.meta.doc_id for p in passages])
        chosen = self._select(ranked)
        # Readable order: documents by their best sentence, sentences in document order.
        doc_order: dict[str, int] = {}
        for c in chosen:
            doc_order.setdefault(c.passage.meta.doc_id, len(doc_order))
        chosen.sort(key=lambda c: (doc_order[c.passage.meta.doc_id], c.doc_start))

        parts: list[str] = []
        citations: list[Citation] = []
        for c in chosen:
            last = citations[-1] if citations else None
            if (last and last.chunk_id == c.passage.chunk_id
                    and not c.passage.text[last.end - c.passage.start : c.start].strip()):
                # Adjacent sentence of the same passage: extend the previous quote.
                citations[-1] = cite(last.n, c.passage, last.start - c.passage.start, c.end)
                parts[-1] = f"{citations[-1].quote} [{last.n}]"
                continue
            n = len(citations) + 1
            citations.append(cite(n, c.passage, c.start, c.end))
            parts.append(f"{c.passage.text[c.start:c.end]} [{n}]")
        return verified(Answer(question=question, text=" ".join(parts), citations=citations,
                               generator=NAME, retrieved=[p.meta.doc_id for p in passages]))

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        answer = self.answer(question, passages)
        for piece in answer.text.split(" "):
            yield piece + " "
        yield answer
