"""From the model's text to a checked `Answer`: `[n]` markers, supporting quotes, refusals, flags.

The model cites passage n as `[n]`. A marker that names no passage is removed (while streaming
too). Each citation quotes the sentence(s) of passage n that best support the sentence carrying
the marker, so every surface can show the exact words and their offsets in the document.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.answer import REFUSAL
from assistant.answer.citations import MARKER, cite, verified
from assistant.answer.facts import claim_facts
from assistant.models import Answer, Citation, Passage
from assistant.text import sentence_spans, squash, stem, terms

MAX_QUOTE_CHARS = 700  # about a chunk: longer quotes stop pointing at anything

UNCITED_NOTICE = "Some sentences carry no citation; check them against the sources."
CUT_SHORT_NOTICE = "The model's answer was cut short."

_LIST = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})+)\s*\]")
_NAMED = re.compile(r"\[(?:passage|source|doc(?:ument)?)\s*#?\s*(\d{1,3})\]", re.IGNORECASE)
_SPACED = re.compile(r"[ \t]*\[(\d{1,3})\]")  # a marker and the space before it
_OPEN = re.compile(r"\[[^\[\]\n]{0,24}$")  # a marker that may still be arriving
_RUN = re.compile(r"(?:\s*\[\d{1,3}\])+")  # markers, wherever the match starts
_MARKED_END = re.compile(r"[.!?][\"'”’)]*(?:[ \t]*\[\d{1,3}\])+")  # "Lavrov. [1]", "Lavrov.[1]"
_NOT_COVERED = re.compile(
    r"\b(passages?|articles?|sources?|documents?|context)\b[^.]{0,40}\b(do not|don't|does not|"
    r"doesn't|did not|didn't|cannot|can't|contain no|provide no|make no|offer no)\b[^.]{0,30}"
    r"\b(cover|answer|mention|say|contain|include|address|discuss|provide|state|specify|"
    r"information|details?)",
    re.IGNORECASE,
)


def normalize_markers(text: str, count: int) -> str:
    """`[1, 2]` → `[1][2]`, `[Passage 3]` → `[3]`; markers outside 1..count are removed."""
    text = _NAMED.sub(lambda m: f"[{m.group(1)}]", text)
    text = _LIST.sub(lambda m: "".join(f"[{x}]" for x in re.findall(r"\d+", m.group(1))), text)
    return _SPACED.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", text)


class MarkerFilter:
    """Streams text with invalid markers removed, holding back a marker until it is complete."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._held = ""

    def feed(self, piece: str) -> str:
        text = self._held + piece
        m = _OPEN.search(text)
        cut = m.start() if m else len(text)
        self._held = text[cut:]
        return normalize_markers(text[:cut], self.count)

    def flush(self) -> str:
        text, self._held = self._held, ""
        return normalize_markers(text, self.count)


@dataclass
class _Claim:
    text: str  # the sentence without its markers
    cites: list[int]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets in a model's answer, each with the markers it carries: markers written
    after a full stop ("… Lavrov. [1] Next" or "… Lavrov.[1] Next") belong to that sentence."""
    spans: list[tuple[int, int]] = []
    cut = 0
    for m in _MARKED_END.finditer(text):
        spans += sentence_spans(text, cut, m.end())
        cut = m.end()
    spans += sentence_spans(text, cut)
    out: list[tuple[int, int]] = []
    for s, e in spans:
        lead = _RUN.match(text, s, e)
        if lead and out:  # a marker opening a sentence belongs to the last one
            out[-1] = (out[-1][0], lead.end())
            s = lead.end()
            while s < e and text[s].isspace():
                s += 1
        if e > s:
            out.append((s, e))
    return out


def bare(sentence: str) -> str:
    """The sentence without its markers (and the space before each)."""
    return _SPACED.sub("", sentence).strip()


def claims(text: str) -> list[_Claim]:
    """Sentences and the markers they carry."""
    out: list[_Claim] = []
    for s, e in sentences(text):
        sentence = text[s:e]
        cites = [int(n) for n in MARKER.findall(sentence)]
        if bare(sentence) or cites:
            out.append(_Claim(bare(sentence), cites))
    return out


def is_factual(sentence: str) -> bool:
    """Worth a citation: states something with some substance ("Kyiv fell yesterday." does:
    a name and a date), and is not a hedge or question."""
    s = sentence.strip()
    if not s or s.endswith("?") or _NOT_COVERED.search(s):
        return False
    n = len(terms(s))
    return n >= 4 or (n >= 2 and any(claim_facts(s)))


def is_refusal(text: str) -> bool:
    said = squash(text)
    return squash(REFUSAL).rstrip(".") in said or bool(_NOT_COVERED.search(text))


def _stems(text: str) -> set[str]:
    return {stem(t) for t in terms(text)}


def support(claim: str, passage: Passage) -> tuple[int, int, float]:
    """Offsets (in the passage) of the sentence(s) that best support the claim, and the score."""
    want = _stems(claim)
    spans = [
        (s, e)
        for s, e in sentence_spans(passage.text)
        if not (passage.start + s == 0 and passage.text[s:e].strip() == passage.meta.title)
    ]
    spans = spans or sentence_spans(passage.text) or [(0, len(passage.text))]
    scored = []
    for s, e in spans:
        have = _stems(passage.text[s:e])
        overlap = len(want & have)
        scored.append((overlap / math.sqrt(max(1, len(want)) * max(1, len(have))), s, e, have))
    i = max(range(len(scored)), key=lambda j: (scored[j][0], -j))
    best, start, end, have = scored[i]
    # A neighbour that carries more of the claim and scores nearly as well joins the quote.
    for j in (i - 1, i + 1):
        if 0 <= j < len(scored) and best > 0:
            score, s, e, other = scored[j]
            if score >= 0.75 * best and (want & other) - have:
                start, end = min(start, s), max(end, e)
    return start, end, best


def _merge(spans: list[tuple[int, int, float]], text: str) -> tuple[int, int]:
    """One quote for every claim citing the passage: from the first span to the last, unless
    that runs long; then the best-supported run of adjacent spans."""
    spans = sorted(spans)
    start, end = spans[0][0], max(e for _, e, _ in spans)
    if end - start <= MAX_QUOTE_CHARS:
        return start, end
    groups: list[list[tuple[int, int, float]]] = []
    for span in spans:
        if groups and (
            span[0] < groups[-1][-1][1] or not text[groups[-1][-1][1] : span[0]].strip()
        ):
            groups[-1].append(span)  # overlapping or adjacent
        else:
            groups.append([span])
    best = max(groups, key=lambda g: sum(x[2] for x in g))
    return best[0][0], max(x[1] for x in best)


def to_answer(
    question: str,
    raw: str,
    passages: list[Passage],
    *,
    generator: str,
    prompt_version: str,
    retrieved: list[str],
    finished: bool = True,
) -> Answer:
    """The checked Answer for the model's full text; `passages[n - 1]` is passage n."""
    text = normalize_markers(raw.strip(), len(passages))
    parsed = claims(text)
    cited_spans: dict[int, list[tuple[int, int, float]]] = {}
    for c in parsed:
        for n in dict.fromkeys(c.cites):
            cited_spans.setdefault(n, []).append(support(c.text, passages[n - 1]))
    notices: list[str] = []
    base = dict(
        question=question, generator=generator, prompt_version=prompt_version, retrieved=retrieved
    )
    if not cited_spans and (not text or is_refusal(text)):
        return Answer(text=REFUSAL, refused=True, **base)

    citations: list[Citation] = []
    for n, spans in sorted(cited_spans.items()):
        start, end = _merge(spans, passages[n - 1].text)
        citations.append(cite(n, passages[n - 1], start, end))
    answer = verified(Answer(text=text, citations=citations, **base))
    valid = {c.n for c in answer.citations}
    flagged = [c.text for c in parsed if not set(c.cites) & valid and is_factual(c.text)]
    if flagged:
        notices.append(UNCITED_NOTICE)
    if not finished:
        notices.append(CUT_SHORT_NOTICE)
    return answer.model_copy(update={"flagged": flagged, "notice": " ".join(notices) or None})
