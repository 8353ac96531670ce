"""The offline answerer: quotes the retrieved sentences that best answer the question, and cites each."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.answer import REFUSAL
from assistant.answer.citations import cite, verified
from assistant.models import Answer, Citation, Passage
from assistant.text import STOPWORDS, sentence_spans, stem, terms

NAME = "extractive"
MISSING_NAME_PENALTY = 0.6
DENSE_MARGIN = 0.2


def _names(question: str) -> set[str]:
    """Stems of capitalised words after the first: the names a question is about."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", question)[1:]
    return {stem(w.split("'")[0].split("’")[0]) for w in words
            if w[0].isupper() and w.lower() not in STOPWORDS and len(w) > 2}


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

    def score(self, question: str, passages: list[Passage]) -> tuple[list[_Candidate], float]:
        """Candidates best first, and the evidence that the passages answer the question at all.

        Evidence is per passage: similarity to the question plus the share of the question's
        terms (weighted by rarity) the passage contains. A sentence scores by its own term
        overlap plus the evidence of its passage.
        """
        q = {stem(t) for t in terms(question)}
        cands = self._candidates(passages)
        if not cands or not q:
            return [], 0.0
        df = {t: sum(1 for c in cands if t in c.stems) for t in q}
        idf = {t: math.log(1 + (len(cands) + 1) / (df[t] + 0.5)) for t in q}
        total = sum(idf.values())
        # A name the question asks about that no retrieved sentence mentions ("What did the Pope
        # say…") means the articles are about something else, however close the topic.
        seen = set().union(*(c.stems for c in cands))
        missing = [n for n in _names(question) if n not in seen]
        penalty = MISSING_NAME_PENALTY if missing else 1.0
        by_passage: dict[str, set[str]] = {}
        for c in cands:
            by_passage.setdefault(c.passage.chunk_id, set()).update(c.stems)
        evidence: dict[str, float] = {}
        for c in cands:
            cid = c.passage.chunk_id
            if cid not in evidence:
                covered = sum(idf[t] for t in q & by_passage[cid]) / total
                dense = max(c.passage.dense or 0.0, 0.0)
                # Very high similarity is evidence on its own, even in other words.
                evidence[cid] = penalty * max(0.5 * dense + 0.5 * covered, dense - DENSE_MARGIN)
            c.lexical = sum(idf[t] for t in q & c.stems) / total
            c.score = 0.5 * c.lexical + 0.5 * evidence[cid] - 0.01 * c.rank
        return sorted(cands, key=lambda c: c.score, reverse=True), max(evidence.values())

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
        ranked, evidence = self.score(question, passages)
        if not ranked or evidence < self.refusal_threshold or ranked[0].lexical == 0:
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
                    and not (gap := c.passage.text[last.end - c.passage.start : c.start]).strip()
                    and "\n" not in gap):
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
