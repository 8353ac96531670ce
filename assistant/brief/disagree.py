"""Where the sources of a brief disagree: different figures or dates for the same thing in
different articles, and one actor disputing what another says.

"The same thing" is judged by the model's reading when sentence vectors are at hand (two
accounts of one fact are close however they are worded: "a pre-war population of about 32,000"
and "home to about 35,000 people before the war"), else by shared words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np

from assistant.answer.compose import disagreement_sentence
from assistant.answer.lexicon import GENERIC_CAPS
from assistant.answer.names import capitalised
from assistant.answer.values import _undated, counted_kin, number_value, numbers
from assistant.brief.actors import speaker
from assistant.brief.evidence import Evidence, Sentence
from assistant.brief.models import Line
from assistant.brief.sections import Cites, overlap
from assistant.models import Disagreement, Side
from assistant.text import STOPWORDS, shorten, stem

Vectors = Callable[[list[Sentence]], np.ndarray]

MAX_DISAGREEMENTS = 4
PAIR_POOL = 60  # most relevant sentences compared pairwise
SAME_FIGURE = 0.6  # cosine at which two sentences with figures speak of the same thing
SAME_FIGURE_WORDS = 0.3  # word overlap standing in for it without vectors
SAME_EVENT = 0.75  # cosine at which two dated sentences report the same event
DATE_GAP_DAYS = 3  # further apart: two events, not two dates of one
DISPUTE_OVERLAP = 0.15
UPDATE_DAYS = 7
HANDFUL, SPREAD = 10, 5
_TIME = {stem(w) for w in "year day month week hour minute".split()}
_INCREMENT = re.compile(
    r"\b(?:more|further|additional|another|extra|new|up to|at least|over|nearly|almost|"
    r"per|a|each|every)\b"
)
_ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
_DISPUTE_WORDS = {
    stem(w)
    for w in "denied denies disputed disputes rejected rejects dismissed "
    "contradicted contested countered false untrue".split()
}


def _kind_of(text_after: str, shown: str) -> str:
    """What sort of amount: a duration, a share, money, a distance, or a count."""
    low = f"{shown} {text_after}".lower()
    if re.search(r"%|per ?cent", low):
        return "percent"
    if re.search(r"[$€£]|\b(?:dollars?|euros?|roubles?|rubles?|hryvnias?|pounds?)\b", low):
        return "money"
    if re.search(r"\b(?:km|kilomet|miles?)\b", low):
        return "distance"
    if re.search(
        r"-?\b(?:days?|weeks?|months?|years?|hours?)\b",
        low.split(" ", 2)[0] + " " + " ".join(low.split()[1:2]),
    ):
        return "duration"
    return "count"


def quantities(s: Sentence) -> list[tuple[float, str, str, set[str]]]:
    """(value, as written, kind, what it counts) of every amount in the sentence; a range
    ("11,000 to 12,000") is one amount, a change ("from $60 to $47.60") none."""
    words = _undated(s.text).split()  # the word positions `numbers` counts in
    out = []
    found = numbers(s.text)
    skip: set[int] = set()
    for k, (pos, text) in enumerate(found):
        if pos in skip or pos >= len(words):
            continue
        value = number_value(text)
        if value is None:
            continue
        joined = " ".join(words[pos : pos + 3]).lower()
        ranged = re.match(r"\S+\s+(?:to|and|-|–)\s", joined)
        if ranged and k + 1 < len(found) and found[k + 1][0] == pos + 2:
            skip.add(pos + 2)
            if pos and words[pos - 1].lower() == "from":
                continue  # "from $60 to $47.60": a change the sentence reports
            text = " ".join(words[pos : pos + 3])
            pos += 2  # what the range counts follows its second figure
        near = " ".join(words[max(0, pos - 2) : pos]).lower()
        if _INCREMENT.search(near + " " + " ".join(words[pos + 1 : pos + 2]).lower()):
            continue  # "105 more vessels" adds to a total; "$60 a barrel" is a rate
        after = [w.strip(".,;:()\"'").lower() for w in words[pos : pos + 4]]
        nouns: set[str] = set()
        for w in after:
            for piece in w.split("-"):
                if piece and piece.isalpha() and piece not in STOPWORDS and len(piece) > 1:
                    nouns |= counted_kin(stem(piece))
        shown = text.strip(".,;:") if " to " in text else " ".join(words[pos : pos + 2])
        shown = shown.strip(".,;:")
        if not shown:
            continue
        head = words[pos] if pos < len(words) else text
        out.append((value, shown, _kind_of(" ".join(after[1:]), head), nouns - _TIME))
    return out


def _different(va: float, vb: float) -> bool:
    low, high = sorted((abs(va), abs(vb)))
    if low < HANDFUL and high > SPREAD * low:
        return False  # "two captured soldiers" is no estimate of a 12,000-strong force
    return high - low > 0.01 * high and high <= 3 * max(low, 1e-9)


def _other_things(a: Sentence, b: Sentence) -> bool:
    """The sentences name different particular things: the 18th package and the 16th, the
    refinery at Ukhta and the one at Ryazan."""
    oa, ob = set(_ORDINAL.findall(a.text.lower())), set(_ORDINAL.findall(b.text.lower()))
    if oa and ob and not (oa & ob):
        return True
    na, nb = _name_words(a.text), _name_words(b.text)
    return bool(na and nb) and not (na & nb)


def _name_words(text: str) -> set[str]:
    return {
        stem(w)
        for name in capitalised(text)
        for w in name.replace("’", "'").split("'")[0].split()
        if w not in GENERIC_CAPS and w.lower() not in STOPWORDS
    }


def _figures(a: Sentence, b: Sentence) -> tuple[str, str, str] | None:
    """A figure both sentences give for the same thing, with different values."""
    if _other_things(a, b):
        return None
    for va, ta, ka, na in quantities(a):
        for vb, tb, kb, nb in quantities(b):
            if ka != kb or not _different(va, vb):
                continue
            if na and nb and not (na & nb):
                continue  # 175 prisoners and 197 servicemen are kin; 14 experts and 13 reactors not
            if ta.split()[0] in b.text or tb.split()[0] in a.text:
                continue  # one sentence gives both figures: a change it reports, not a dispute
            about = " ".join(sorted(na & nb)) or ka
            return about, ta, tb
    return None


def _side(s: Sentence, value: str, cites: Cites) -> Side:
    return Side(
        value=value, n=cites.add(s), publisher=s.passage.meta.publisher, published=s.published
    )


def _kind(a: Sentence, b: Sentence) -> str:
    if a.published and b.published and abs((a.published - b.published).days) > UPDATE_DAYS:
        return "update"
    return "conflict"


def _similarity(pool: list[Sentence], vectors: Vectors | None) -> np.ndarray | None:
    if vectors is None or len(pool) < 2:
        return None
    try:
        v = np.asarray(vectors(pool), dtype=np.float32)
    except Exception:  # a failing encoder costs the semantic pairing, not the brief
        return None
    return v @ v.T


def disagreements(
    ev: Evidence, cites: Cites, vectors: Vectors | None = None
) -> tuple[list[Disagreement], list[Line]]:
    pool = [s for s in ev.sentences[:PAIR_POOL] if quantities(s) or s.when]
    sims = _similarity(pool, vectors)
    found: list[tuple[Disagreement, Line]] = []
    done: set[tuple[str, int]] = set()
    for i, a in enumerate(pool):
        for j in range(i + 1, len(pool)):
            b = pool[j]
            if len(found) >= MAX_DISAGREEMENTS:
                break
            if a.doc_id == b.doc_id or {(a.doc_id, a.doc_start), (b.doc_id, b.doc_start)} & done:
                continue
            close = float(sims[i, j]) if sims is not None else None
            hit = _date_dispute(a, b, close) or _figure_dispute(a, b, close)
            if hit is None:
                continue
            about, ta, tb = hit
            newer, older = (
                (a, b) if (a.published or date.min) >= (b.published or date.min) else (b, a)
            )
            tn, to = (ta, tb) if newer is a else (tb, ta)
            d = Disagreement(
                about=about,
                kind=_kind(a, b),
                sides=[_side(newer, tn, cites), _side(older, to, cites)],
            )
            found.append((d, Line(text=disagreement_sentence(d), cites=[x.n for x in d.sides])))
            done |= {(a.doc_id, a.doc_start), (b.doc_id, b.doc_start)}
    found += _disputes(ev, cites, done)[: max(0, MAX_DISAGREEMENTS - len(found))]
    return [d for d, _ in found], [line for _, line in found]


def _two_events(a: Sentence, b: Sentence) -> bool:
    if not (a.when and b.when) or a.when.overlaps(b.when):
        return False
    return abs((a.when.middle - b.when.middle).days) > DATE_GAP_DAYS


def _figure_dispute(a: Sentence, b: Sentence, close: float | None) -> tuple[str, str, str] | None:
    if _two_events(a, b):
        return None  # two dated events, not two accounts of one
    same = (
        close >= SAME_FIGURE
        if close is not None
        else overlap(a.stems, b.stems) >= SAME_FIGURE_WORDS
    )
    return _figures(a, b) if same else None


def _date_dispute(a: Sentence, b: Sentence, close: float | None) -> tuple[str, str, str] | None:
    """One event, two days: 'on 13 April' in one article, 'on 14 April' in another."""
    if close is None or close < SAME_EVENT or not (a.when and b.when):
        return None
    if a.when.precision != "day" or b.when.precision != "day" or a.when.overlaps(b.when):
        return None
    if abs((a.when.first - b.when.first).days) > DATE_GAP_DAYS:
        return None
    if a.when.phrase in b.text or b.when.phrase in a.text:
        return None
    return "the date", a.when.phrase, b.when.phrase  # as each article writes it


def _disputes(
    ev: Evidence, cites: Cites, done: set[tuple[str, int]]
) -> list[tuple[Disagreement, Line]]:
    """An actor denying or disputing what another actor says, each side quoted."""
    out = []
    pool = ev.sentences[:PAIR_POOL]
    for s in pool:
        if not (s.stems & _DISPUTE_WORDS):
            continue
        who = speaker(s.text)
        if not who:
            continue
        best, score = None, DISPUTE_OVERLAP
        for other in pool:
            if other is s or other.stems & _DISPUTE_WORDS:
                continue
            theirs = speaker(other.text)
            if not theirs or theirs == who:
                continue
            o = overlap(s.stems, other.stems)
            if o > score:
                best, score = other, o
        if best is None or {(s.doc_id, s.doc_start), (best.doc_id, best.doc_start)} & done:
            continue
        claimant = speaker(best.text) or "one source"
        d = Disagreement(
            about=f"{who} disputes {claimant}",
            kind="conflict",
            sides=[
                _side(best, shorten(best.text, 120), cites),
                _side(s, shorten(s.text, 120), cites),
            ],
        )
        done |= {(s.doc_id, s.doc_start), (best.doc_id, best.doc_start)}
        text = (
            f"{claimant} says: {best.text} [{d.sides[0].n}] {who} disputes this: "
            f"{s.text} [{d.sides[1].n}]"
        )
        out.append((d, Line(text=text, cites=[x.n for x in d.sides])))
    return out
