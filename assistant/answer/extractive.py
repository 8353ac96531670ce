"""Offline answers: quote the retrieved sentences that best answer the question, citing each."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from assistant.answer import REFUSAL
from assistant.answer.citations import cite, verified
from assistant.models import Answer, Citation, Passage
from assistant.text import STOPWORDS, question_parts, sentence_spans, stem, terms

NAME = "extractive"
MISSING_NAME_PENALTY = 0.6
DENSE_MARGIN = 0.2
TYPE_PENALTY = 0.75  # a 'how many' answered without a number, a 'when' without a date
SEMANTIC_TOP = 10  # sentences the model reads per question (~35 ms on 2 cores)
SENTENCE_CACHE = 20_000
KEEP_RATIO = 0.7


def _names(question: str) -> set[str]:
    """Stems of capitalised words after the first, and numbers like '19th': what a question is
    specifically about."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", question)[1:]
    names = {
        stem(w.split("'")[0].split("’")[0])
        for w in words
        if w[0].isupper() and w.lower() not in STOPWORDS and len(w) > 2
    }
    return names | {stem(t) for t in terms(question) if any(ch.isdigit() for ch in t)}


_HOW_MANY = re.compile(
    r"^\s*(how (many|much)|what (share|percentage|proportion|number|amount))\b", re.IGNORECASE
)
_WHEN = re.compile(
    r"^\s*(when|in what year|what year|on what date|what date|by when)\b", re.IGNORECASE
)
_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"


_NOT_NAMES = set(
    """American Russian Ukrainian European Saudi British French German Foreign Minister
Secretary State President Prime Defence Defense National Security Council Union House White United
States Nations General Special Envoy Central Bank Vice Crown Prince Federal Senior Deputy""".split()
)
_WHO = re.compile(r"^\s*(who|whom|whose)\b", re.IGNORECASE)
_FULL_NAME = re.compile(r"\b([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def _answer_type_fits(question: str, sentence: str) -> bool:
    """'How many…' wants a number, 'When…' a date, 'Who…' a name the question doesn't already
    give; other questions take any sentence."""
    if _WHO.search(question):
        asked = {stem(t) for t in terms(question)}
        body = sentence.split(" ", 1)[1] if " " in sentence else ""  # not the capitalised opener
        return any(
            stem(a) not in asked
            and stem(b) not in asked
            and not ({a, b} & _NOT_NAMES)
            and not re.fullmatch(_MONTHS, b.lower())
            for a, b in _FULL_NAME.findall(body)
        )
    if _HOW_MANY.search(question):
        # A count or amount, not just the digits of a date.
        undated = re.sub(
            rf"\b\d{{1,2}}\s+{_MONTHS}\b|\b{_MONTHS}\s+\d{{1,2}}\b|\b(1[89]|20)\d\d\b",
            " ",
            sentence,
            flags=re.IGNORECASE,
        )
        return bool(
            re.search(
                r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozens?|"
                r"hundreds?|thousands?|millions?|billions?)\b",
                undated,
                re.IGNORECASE,
            )
        )
    if _WHEN.search(question):
        return bool(re.search(rf"\b(1[89]|20)\d\d\b|\b{_MONTHS}\b", sentence, re.IGNORECASE))
    return True


Embed = Callable[[list[str]], np.ndarray]
_DATE_STEMS = {stem(m) for m in _MONTHS.strip("()").split("|")}


def _date_weight(term: str) -> float:
    """Dates in a question pick the event; they are rarely the answer, so they count less."""
    return 0.3 if term in _DATE_STEMS or term.isdigit() else 1.0


@dataclass
class _Candidate:
    rank: int  # passage rank
    passage: Passage
    start: int  # offsets within the passage text
    end: int
    stems: set[str]
    lexical: float = 0.0
    semantic: float = 0.0
    evidence: float = 0.0
    score: float = 0.0

    @property
    def doc_start(self) -> int:
        return self.passage.start + self.start

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


class ExtractiveGenerator:
    name = NAME

    def __init__(
        self, refusal_threshold: float, max_sentences: int, embed: Embed | None = None
    ) -> None:
        self.refusal_threshold = refusal_threshold
        self.max_sentences = max_sentences
        # Sentence vectors for the best few candidates: the model reads the question and the
        # sentence in their own words, where keyword overlap misses paraphrase.
        self.embed = embed
        self._cache: OrderedDict[tuple[str, int], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _candidates(self, passages: list[Passage]) -> list[_Candidate]:
        seen: set[tuple[str, int]] = set()
        out: list[_Candidate] = []
        for rank, p in enumerate(passages):
            for s, e in sentence_spans(p.text):
                sentence = p.text[s:e]
                key = (p.meta.doc_id, p.start + s)
                if key in seen or len(sentence.split()) < 5 or sentence.rstrip().endswith("?"):
                    continue
                if not sentence.rstrip().endswith((".", "!", '"', "”", "’", ")", "%")):
                    continue  # headings and fragments are not evidence
                seen.add(key)
                out.append(_Candidate(rank, p, s, e, {stem(t) for t in terms(sentence)}))
        return out

    def _sentence_vectors(self, cands: list[_Candidate]) -> np.ndarray:
        keys = [(c.passage.meta.doc_id, c.doc_start) for c in cands]
        with self._lock:  # copy out what is cached: another thread may evict it meanwhile
            found = {k: self._cache[k] for k in keys if k in self._cache}
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            fresh = self.embed([cands[i].text for i in missing])
            with self._lock:
                for i, vec in zip(missing, fresh, strict=True):
                    found[keys[i]] = self._cache[keys[i]] = vec
                while len(self._cache) > SENTENCE_CACHE:
                    self._cache.popitem(last=False)
        return np.stack([found[k] for k in keys])

    def score(self, question: str, passages: list[Passage]) -> tuple[list[_Candidate], float]:
        """Candidates best first, and the evidence that the passages answer the question at all.

        A passage's evidence is its similarity to the question plus the share of the question's
        terms (weighted by rarity) it contains, its title and publisher included. A sentence
        scores by its own term overlap, its similarity to the question (for the best few), and
        the evidence of its passage.
        """
        q = {stem(t) for t in terms(question)}
        cands = self._candidates(passages)
        if not cands or not q:
            return [], 0.0
        df = {t: sum(1 for c in cands if t in c.stems) for t in q}
        idf = {t: math.log(1 + (len(cands) + 1) / (df[t] + 0.5)) * _date_weight(t) for t in q}
        total = sum(idf.values())
        # A name the question asks about that no retrieved sentence mentions ("What did the Pope
        # say…") means the articles are about something else, however close the topic.
        seen = set().union(*(c.stems for c in cands))
        missing = [n for n in _names(question) if n not in seen]
        penalty = MISSING_NAME_PENALTY if missing else 1.0
        by_passage: dict[str, set[str]] = {}
        for c in cands:
            if c.passage.chunk_id not in by_passage:
                about = f"{c.passage.meta.title} {c.passage.meta.publisher}"
                by_passage[c.passage.chunk_id] = {stem(t) for t in terms(about)}
            by_passage[c.passage.chunk_id].update(c.stems)
        evidence: dict[str, float] = {}
        for c in cands:
            cid = c.passage.chunk_id
            if cid not in evidence:
                covered = sum(idf[t] for t in q & by_passage[cid]) / total
                dense = max(c.passage.dense or 0.0, 0.0)
                # Very high similarity is evidence on its own, even in other words.
                evidence[cid] = max(0.5 * dense + 0.5 * covered, dense - DENSE_MARGIN)
            c.lexical = sum(idf[t] for t in q & c.stems) / total
            c.evidence = evidence[cid]
            c.score = 0.5 * c.lexical + 0.5 * c.evidence - 0.01 * c.rank
        cands.sort(key=lambda c: c.score, reverse=True)
        if self.embed is not None:
            top = cands[:SEMANTIC_TOP]
            vectors = self._sentence_vectors(top)
            qvec = self.embed([question])[0]
            for c, sim in zip(top, vectors @ qvec, strict=True):
                c.semantic = max(float(sim), 0.0)
                c.score = 0.4 * c.semantic + 0.3 * c.lexical + 0.3 * c.evidence - 0.01 * c.rank
            for c in cands[SEMANTIC_TOP:]:
                c.score *= 0.8  # unscored by the model: behind any sentence it has read
        for c in cands:
            c.score *= penalty * (1.0 if _answer_type_fits(question, c.text) else TYPE_PENALTY)
        cands.sort(key=lambda c: c.score, reverse=True)
        return cands, cands[0].score

    def _best_for(self, part: str, cands: list[_Candidate]) -> _Candidate | None:
        """The sentence that best answers one part of a compound question."""
        q = {stem(t) for t in terms(part)}
        if not q:
            return None
        idf = {
            t: math.log(1 + (len(cands) + 1) / (sum(t in c.stems for c in cands) + 0.5))
            * _date_weight(t)
            for t in q
        }
        total = sum(idf.values())
        lex = {id(c): sum(idf[t] for t in q & c.stems) / total for c in cands}
        pool = sorted(cands, key=lambda c: lex[id(c)] + 0.5 * c.evidence, reverse=True)[:8]
        pool = [c for c in pool if lex[id(c)] > 0]
        if not pool:
            return None
        sims = [0.0] * len(pool)
        if self.embed is not None:
            sims = list(self._sentence_vectors(pool) @ self.embed([part])[0])
        fit = [1.0 if _answer_type_fits(part, c.text) else TYPE_PENALTY for c in pool]
        scored = [
            (f * (0.4 * max(float(sim), 0) + 0.4 * lex[id(c)] + 0.2 * c.evidence), c)
            for c, sim, f in zip(pool, sims, fit, strict=True)
        ]
        return max(scored, key=lambda x: x[0])[1]

    def _select(self, ranked: list[_Candidate], question: str) -> list[_Candidate]:
        """Greedy: the best sentence (one per part of a compound question), then those that add
        question terms not yet covered."""
        q = {stem(t) for t in terms(question)}
        best = ranked[0].score
        chosen = [ranked[0]]
        parts = question_parts(question)
        if len(parts) > 1:
            picks = [self._best_for(part, ranked) for part in parts]
            unique = {id(c): c for c in picks if c is not None}
            chosen = list(unique.values()) or chosen
        covered = set().union(*(c.stems & q for c in chosen))
        for c in ranked:
            if any(c is o for o in chosen):
                continue
            if len(chosen) >= self.max_sentences:
                break
            if c.score < KEEP_RATIO * best or c.lexical == 0:
                continue
            if any(len(c.stems & o.stems) / max(1, len(c.stems | o.stems)) > 0.6 for o in chosen):
                continue
            adds = bool((c.stems & q) - covered)
            same_passage = any(o.passage.chunk_id == c.passage.chunk_id for o in chosen)
            if adds or same_passage or c.score >= 0.85 * best:
                chosen.append(c)
                covered |= c.stems & q
        return chosen

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        ranked, evidence = self.score(question, passages)
        if not ranked or evidence < self.refusal_threshold:
            return Answer(
                question=question,
                text=REFUSAL,
                refused=True,
                generator=NAME,
                retrieved=[p.meta.doc_id for p in passages],
            )
        chosen = self._select(ranked, question)
        # Readable order: documents by their best sentence, sentences in document order.
        doc_order: dict[str, int] = {}
        for c in chosen:
            doc_order.setdefault(c.passage.meta.doc_id, len(doc_order))
        chosen.sort(key=lambda c: (doc_order[c.passage.meta.doc_id], c.doc_start))

        parts: list[str] = []
        citations: list[Citation] = []
        for c in chosen:
            last = citations[-1] if citations else None
            if (
                last
                and last.chunk_id == c.passage.chunk_id
                and not (gap := c.passage.text[last.end - c.passage.start : c.start]).strip()
                and "\n" not in gap
            ):
                # Adjacent sentence of the same passage: extend the previous quote.
                citations[-1] = cite(last.n, c.passage, last.start - c.passage.start, c.end)
                parts[-1] = f"{citations[-1].quote} [{last.n}]"
                continue
            n = len(citations) + 1
            citations.append(cite(n, c.passage, c.start, c.end))
            parts.append(f"{c.passage.text[c.start : c.end]} [{n}]")
        return verified(
            Answer(
                question=question,
                text=" ".join(parts),
                citations=citations,
                generator=NAME,
                retrieved=[p.meta.doc_id for p in passages],
            )
        )

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        answer = self.answer(question, passages)
        for piece in answer.text.split(" "):
            yield piece + " "
        yield answer
