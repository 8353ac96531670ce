"""Lengths of time that answer another question than the one asked: the length of the war,
not of a soldier's service; sixty days for 'after how many months'."""

from __future__ import annotations

import re

from assistant.answer.question import Part
from assistant.answer.values import duration_days
from assistant.text import stem, terms

# What the articles measure time by in passing: "after two years of war", "months of talks";
# "within 60 days of the law taking effect" is a deadline, and stays an answer.
_SPANS = {
    stem(w)
    for w in "war invasion conflict fighting occupation siege talks negotiations wrangling "
    "debate deadlock shelling".split()
}


_ASKED_UNIT = re.compile(r"\bhow many (hours|days|weeks|months|years)\b", re.IGNORECASE)


def _other_scale(question: str, value: str) -> bool:
    """'After how many months of service …' answered by '60 days' is another deadline: a
    length counted in units thirty times smaller or larger than the ones asked for."""
    m = _ASKED_UNIT.search(question)
    asked = duration_days(f"1 {m.group(1)}") if m else None
    unit = value.split()[-1] if value.split() else ""
    given = duration_days(f"1 {unit}")
    if not asked or not given:
        return False
    return max(asked, given) / min(asked, given) >= 30


def _of_another(value: str, sentence: str, part: Part) -> bool:
    """'More than two years of full-scale war' is a length of the war: not an answer to how
    long soldiers serve. A length 'of' something the question does not ask about."""
    m = re.search(
        rf"{re.escape(value)}\s+of\s+(?:the\s+|its\s+|their\s+)?((?:[\w-]+\s+)?[\w-]+)",
        sentence,
        re.IGNORECASE,
    )
    if not m:
        return False
    words = {stem(t) for t in terms(m.group(1))}
    return bool(words & _SPANS) and words.isdisjoint(part.focus)


def length_of_another(value: str, sentence: str, part: Part) -> str:
    """Why the length the sentence gives is not the one asked for ('' when it may be)."""
    if _of_another(value, sentence, part):
        return "a length of something else"
    if _other_scale(part.text, value):
        return "a length on another scale than asked"
    return ""
