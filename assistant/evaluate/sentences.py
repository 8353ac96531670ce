"""Sentence-level checks of one answer: precision against the expected facts, support by the
cited passages, a flagged disagreement, a superseded value given as the current one.

Everything here reads the finished `Answer` only (its text and its citations' chunk texts), so
the extractive and the model answers are measured the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.dates import weekday_days
from assistant.answer.grounding import is_factual
from assistant.evaluate.metrics import answer_body, group_satisfied, normalise
from assistant.models import MARKER, Answer, Citation
from assistant.text import STOPWORDS, day, sentence_spans, stem, terms

SUPPORT_SHARE = 0.6  # content terms of a sentence that must appear in what it cites

_LEADING = re.compile(r"^(?:\s*\[\d{1,3}\])+")
_AS_OF = re.compile(r"^as of \d{1,2} \w+ \d{4}[,:]\s*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")
_PIECE = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


def is_gap(sentence: str) -> bool:
    """A sentence that says what the articles don't cover: not a claim, so not scored."""
    s = normalise(sentence)
    return (
        s.startswith("the indexed articles don't cover")
        or "don't cover" in s
        or "do not cover" in s
    )


def answer_sentences(text: str) -> list[str]:
    """The answer's sentences without citation markers, gap statements left out."""
    body = answer_body(text)
    spans = sentence_spans(body)
    return [body[s:e] for s, e in spans if not is_gap(body[s:e])]


def precision_counts(text: str, groups: Sequence[Sequence[str]]) -> tuple[int, int]:
    """(sentences, sentences that satisfy at least one must_include group)."""
    sentences = answer_sentences(text)
    return len(sentences), sum(any(group_satisfied(g, s) for g in groups) for s in sentences)


@dataclass
class SentenceCheck:
    """One answer sentence checked against the citations it carries."""

    text: str
    cites: list[int]
    supported: bool
    missing: list[str] = field(default_factory=list)  # names, numbers, months not cited
    coverage: float = 0.0  # share of content terms found in the cited chunks

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "cites": self.cites,
            "supported": self.supported,
            "missing": self.missing,
            "coverage": round(self.coverage, 3),
        }


def _marked(text: str) -> list[tuple[str, list[int], int]]:
    """(sentence without markers, its markers, line number); a marker that opens a sentence
    belongs to the one before it, as in grounding."""
    out: list[tuple[str, list[int], int]] = []
    for line_no, line in enumerate(text.split("\n")):
        for s, e in sentence_spans(line):
            sentence = line[s:e]
            lead = _LEADING.match(sentence)
            if lead and out and out[-1][2] == line_no:
                out[-1][1].extend(int(n) for n in MARKER.findall(lead.group(0)))
                sentence = sentence[lead.end() :]
            cites = [int(n) for n in MARKER.findall(sentence)]
            bare = " ".join(answer_body(sentence).split())
            if bare:
                out.append((bare, cites, line_no))
    return out


def _pieces(word: str) -> list[str]:
    """'Russia's' → ['russia'], 'Russia-Ukraine' → ['russia', 'ukraine']."""
    parts = _PIECE.findall(normalise(word))
    if len(parts) > 1 and parts[-1] == "s" and ("'" in word or "’" in word):
        parts = parts[:-1]
    return parts


def checked_items(sentence: str) -> list[str]:
    """What must appear verbatim in the cited text: capitalised words after the first that are
    not stopwords (names), numbers, and month names."""
    words = _WORD.findall(sentence)
    items: list[str] = []
    for i, w in enumerate(words):
        bare = w.strip("'’-")
        if not bare or not bare[0].isupper():
            continue  # numbers are taken below
        month = bare.lower() in MONTHS
        if month or (i > 0 and bare.lower() not in STOPWORDS):
            items.append(bare)
    items += _NUMBER.findall(sentence)
    return list(dict.fromkeys(items))


def _number(s: str) -> str:
    return s.replace(",", "")


def supported_by(sentence: str, cited: str) -> tuple[bool, list[str], float]:
    """Does the cited text carry the sentence's names, numbers and months, and at least
    SUPPORT_SHARE of its content terms? Returns (supported, what is missing, coverage)."""
    sentence = _AS_OF.sub("", sentence.strip())
    words = set(_PIECE.findall(normalise(cited)))
    numbers = {_number(n) for n in _NUMBER.findall(cited)}
    missing = []
    for item in checked_items(sentence):
        if item[0].isdigit():
            found = _number(item) in numbers
        else:
            found = all(p in words for p in _pieces(item))
        if not found:
            missing.append(item)
    want = {stem(t) for t in terms(sentence)}
    have = {stem(t) for t in terms(cited)}
    coverage = len(want & have) / len(want) if want else 1.0
    return not missing and coverage >= SUPPORT_SHARE, missing, coverage


def cited_text(c: Citation) -> str:
    """What a citation vouches for: its chunk, and the source it names (title, publisher,
    date), so an attribution such as "(Black Sea Monitor, 14 April 2022)" is supported by it."""
    when = f"{c.published.day} {c.published:%B} {c.published.year}" if c.published else ""
    text = c.chunk_text or c.quote
    # and the days its weekdays stand for ('on Sunday' in a report of 5 August: 4 August)
    days = [day(d) for _, d in weekday_days(text, c.published)]
    return "\n".join(x for x in (text, c.title, c.publisher, when, *days) if x)


def check_support(answer: Answer) -> list[SentenceCheck]:
    """Every scored sentence of the answer: cited ones against the union of what they cite
    (`cited_text`), uncited factual ones as unsupported. Gap statements and uncited
    non-factual sentences (a short lead-in, a question) are not scored.

    One exception for a quote that runs over several sentences with a single marker at its
    end (the extractive answerer writes those): an uncited sentence that is verbatim in the
    quote of a citation of the next cited sentence on its line is checked against that one.
    """
    if answer.refused:
        return []
    by_n = {c.n: c for c in answer.citations}
    marked = _marked(answer.text)
    checks: list[SentenceCheck] = []
    for i, (text, cites, line_no) in enumerate(marked):
        if is_gap(text):
            continue
        if not cites:
            following = next(
                (c for t, c, ln in marked[i + 1 :] if c and ln == line_no),
                [],
            )
            inside = [
                n
                for n in following
                if n in by_n
                and normalise(_AS_OF.sub("", text)) in normalise(answer_body(by_n[n].quote))
            ]
            if not inside:
                if is_factual(_AS_OF.sub("", text)):
                    checks.append(SentenceCheck(text, [], False))
                continue
            cites = inside
        cites = list(dict.fromkeys(cites))
        cited = "\n".join(cited_text(by_n[n]) for n in cites if n in by_n)
        if not cited:
            checks.append(SentenceCheck(text, cites, False))
            continue
        ok, missing, coverage = supported_by(text, cited)
        checks.append(SentenceCheck(text, cites, ok, missing, coverage))
    return checks


def flags_disagreement(answer: Answer) -> bool:
    """The answer says its sources disagree: a Disagreement, or the word in its text."""
    return bool(answer.disagreements) or "disagree" in answer.text.lower()


def stale_value(
    text: str, superseded: Sequence[str], groups: Sequence[Sequence[str]], refused: bool
) -> str | None:
    """The superseded value an answer gives as the current one, or None.

    Stale: a superseded string appears, and either no must_include group is satisfied or the
    superseded string comes before every string of the first group (the current value).
    A refusal is never stale; it fails for its own reason.
    """
    if refused or not superseded:
        return None
    body = normalise(answer_body(text))
    found = [(body.find(normalise(s)), s) for s in superseded if normalise(s) in body]
    if not found:
        return None
    first_old, value = min(found)
    if not any(group_satisfied(g, text) for g in groups):
        return value
    current = [body.find(normalise(s)) for s in groups[0] if normalise(s) in body] if groups else []
    if current and _changed_to(body, normalise(value), min(current)):
        return None  # "lowers the cap from $60 to $47.60": the old value named as the old one
    return value if not current or first_old < min(current) else None


def _changed_to(body: str, old: str, current_at: int) -> bool:
    """The superseded value is the 'from' of a 'from A to B' whose 'to' is the current one."""
    start = body.find(old)
    between = body[start + len(old) : current_at]
    return (
        start >= 0
        and " from " in body[max(0, start - 6) : start + 1]
        and between.strip(" ,").endswith("to")
    )
