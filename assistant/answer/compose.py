"""The sentences an answer adds around its quotes, the same for both answerers: the date a
report is as of, where sources disagree, and which part of the question the articles miss."""

from __future__ import annotations

import re
from datetime import date

from assistant.models import Answer, Disagreement
from assistant.text import day, stem

# Sentence openers that read lower-case after "As of 11 March 2025, ".
_COMMON_OPENERS = frozenset(
    """the a an in on at this that these those it its there their they his her he she we our
    after before during since while although though despite according both each some many
    most several under over with without by for from as when if once""".split()
)
NOT_COVERED_PART = "The articles don't cover this part of the question: {part}."
GAP = "{publisher} ({published}) says: “{sentence}”"
CONFLICT = "Sources disagree: {sides}."
UPDATE = "Reports differ over time: the latest, {newest}; an earlier one, {older}."

# Words that qualify a figure: "nearly 7%", "more than 30,000", "some 11,000 to 12,000".
_QUALIFIER = re.compile(
    r"(?:\b(?:nearly|almost|about|around|roughly|approximately|some|at least|at most|"
    r"more than|less than|fewer than|over|under|up to|close to|just over|just under|"
    r"well over|an estimated|as many as|as few as|between)\s+)$",
    re.IGNORECASE,
)
_RANGE_START = re.compile(r"([$€£]?\d[\d,.]*\s*(?:to|-|–|and)\s*)$")


_NOUN_NEXT = re.compile(r"\s+([a-z][\w-]*)")
_WORD_NEXT = re.compile(r"\s+([A-Za-z][\w-]*)")  # "four Il-76 aircraft" counts Il-76s
_NOUN_AFTER_ONE = re.compile(r"\s+[A-Za-z][\w-]*\s+([a-z][\w-]*)")


def noun_after(value: str, sentence: str) -> str | None:
    """The stem of the word a value stands right before ('280 residents' → 'resid')."""
    at = sentence.find(value)
    m = _NOUN_NEXT.match(sentence[at + len(value) :]) if value and at >= 0 else None
    return stem(m.group(1)) if m else None


def _counted_noun(word: str, counted: frozenset[str]) -> bool:
    """A word of what is counted, not the verb after it ('1,700 people lived')."""
    return stem(word) in counted and not word.endswith("ed")


def value_as_worded(value: str, sentence: str, counted: frozenset[str] = frozenset()) -> str:
    """The value with the words the sentence qualifies it by, so a side is reported as its
    source put it: 'some 11,000 to 12,000', not '12,000'; 'nearly 7%', not '7%'; and with
    what it counts when that follows it ('three missiles', not 'three')."""
    at = sentence.find(value)
    if not value or at < 0:
        return value
    end = at + len(value)
    for noun in (re.match(p, sentence[end:]) for p in (_WORD_NEXT, _NOUN_AFTER_ONE)):
        if noun and stem(noun.group(1)) in counted:  # "three missiles", "two Patriot missiles"
            end += noun.end()
            # "20 cruise missiles": the rest of a counted noun of several words
            while (more := _NOUN_NEXT.match(sentence[end:])) and _counted_noun(
                more.group(1), counted
            ):
                end += more.end()
            break
    if not re.match(r"[$€£\d]", value):
        return sentence[at:end].strip()
    start = at
    m = _RANGE_START.search(sentence[:start])
    if m and not re.search(r"\bfrom\s*$", sentence[: m.start(1)]):  # "from $60 to $47.60": a change
        start = m.start(1)
    if m := _QUALIFIER.search(sentence[:start]):
        start = m.start()
        if not sentence[:start].strip():  # "said some 700 residents", not "said Some 700"
            return (sentence[start].lower() + sentence[start + 1 : end]).strip()
    return sentence[start:end].strip()


def as_of(sentence: str, d: date | None) -> str:
    """'As of 11 March 2025, the talks …': the date the quoted report is as of."""
    if d is None:
        return sentence
    first, _, rest = sentence.partition(" ")
    if first.lower() in _COMMON_OPENERS:
        return f"As of {day(d)}, {first.lower()} {rest}".rstrip()
    return f"As of {day(d)}: {sentence}"  # "Two months after …", "Kyiv says …" keep their capital


def _side(publisher: str, published: date | None, value: str, n: int, said: str) -> str:
    who = publisher or "one source"
    return f"{who} ({day(published)}) {said} {value} [{n}]"


def disagreement_sentence(d: Disagreement) -> str:
    """One sentence naming every side, newest first, each with its citation."""
    if d.kind == "update" and len(d.sides) >= 2:
        newest, *older = d.sides
        return UPDATE.format(
            newest=_side(newest.publisher, newest.published, newest.value, newest.n, "says"),
            older="; ".join(_side(s.publisher, s.published, s.value, s.n, "said") for s in older),
        )
    sides = "; ".join(_side(s.publisher, s.published, s.value, s.n, "says") for s in d.sides)
    return CONFLICT.format(sides=sides)


def uncovered_sentence(part: str) -> str:
    return NOT_COVERED_PART.format(part=part.strip().rstrip("?.").strip())


def gap_notice(sentences: list[tuple[str, date | None, str]]) -> str:
    """What the articles say is not known, in their words: (publisher, published, sentence)."""
    return " ".join(
        GAP.format(publisher=pub or "An article", published=day(when), sentence=text.strip())
        for pub, when, text in sentences
    )


def newest_cited(answer: Answer) -> date | None:
    dates = [c.published for c in answer.citations if c.published]
    return max(dates) if dates else None


def mentions_disagreement(text: str) -> bool:
    return bool(re.search(r"\b(disagree|differ|conflict|contradict)", text, re.IGNORECASE))
