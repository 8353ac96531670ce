"""The sentences of retrieved passages an answer may quote: whole sentences of facts, not
headings, questions, fragments or an article describing itself."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import Passage
from assistant.text import sentence_spans, stem, terms

ABOUT_ITSELF = re.compile(
    r"^\s*(?:this|the present|our)\s+(?:briefing|article|report|piece|tracker|analysis|review|"
    r"story|page|explainer|update|note|summary|overview|newsletter)\s+(?:\w+\s+){0,2}"
    r"(?:explains|summari[sz]es|looks|sets out|examines|describes|brings|covers|reviews|asks|"
    r"considers|outlines|tracks|rounds up)\b",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    rank: int  # passage rank
    passage: Passage
    start: int  # offsets within the passage text
    end: int
    stems: set[str]
    lexical: float = 0.0
    semantic: float = 0.0
    evidence: float = 0.0
    score: float = 0.0
    document: str = ""  # every retrieved passage of its article

    @property
    def doc_start(self) -> int:
        return self.passage.start + self.start

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


def candidates(passages: list[Passage]) -> list[Candidate]:
    """Every sentence of the passages that can be evidence, once (a sentence two passages
    overlap on is read from the first)."""
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, p in enumerate(passages):
        for s, e in sentence_spans(p.text):
            sentence = p.text[s:e]
            key = (p.meta.doc_id, p.start + s)
            if key in seen or len(sentence.split()) < 5 or sentence.rstrip().endswith("?"):
                continue
            if not sentence.rstrip().endswith((".", "!", '"', "”", "’", ")", "%")):
                continue  # headings and fragments are not evidence
            if sentence.strip().lower() == p.meta.title.strip().lower():
                continue  # the headline: a heading, however it ends
            if ABOUT_ITSELF.match(sentence):
                continue  # "This briefing explains what the deal contains": no facts
            seen.add(key)
            words = terms(sentence)
            stems = {stem(t) for t in words} | {
                stem(part) for t in words if "-" in t for part in t.split("-") if part
            }
            out.append(Candidate(rank, p, s, e, stems))
    return out
