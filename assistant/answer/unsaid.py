"""Sentences that say what is not known: they mention the thing asked about and answer nothing
('did not say how many', 'has not given a figure'), or do not rank what a superlative asks."""

from __future__ import annotations

import re

# "They did not say which missile had been used", "could not say what had caused it": a
# sentence that says the thing is not known does not answer what it is.
# "did not", "would not", "has never": the negations before a verb of saying.
NOT_SAYING = (
    r"\b(?:did not|didn't|would not|wouldn't|could not|couldn't|cannot|can't|declined to|"
    r"refused to|has not|have not|had not|has never|have never|never)\s+(?:yet\s+)?"
)
SAYING = (
    r"say|said|disclose|disclosed|reveal|revealed|confirm|confirmed|specify|specified|"
    r"publish|published"
)
_NOT_KNOWN = re.compile(
    rf"{NOT_SAYING}(?:{SAYING}|name|named)\b"
    r"|\b(?:is|was|are|were|remains?|remained) (?:still )?(?:not (?:yet )?known|unknown|unclear)\b",
    re.IGNORECASE,
)


_NO_FIGURE = re.compile(
    r"\b(?:not|never)\s+(?:yet\s+)?(?:given|give|gave|put|released?|provided?|published?)\s+"
    r"(?:a|any)\s+(?:\w+\s+)?(?:figure|number|toll|count|estimate|breakdown)s?\b"
    r"|\bno (?:\w+\s+)?(?:figure|number|breakdown|estimate)s? (?:was|were|has been|have been|is)\b"
    r"|\b(?:gave|given|offered|published|released) no (?:\w+\s+)?"
    r"(?:figure|number|toll|breakdown)s?\b"
    r"|\bwithout (?:giving|providing|offering) (?:a|any) (?:figure|number)s?\b",
    re.IGNORECASE,
)


# "Which government gave the most money …": only a sentence that ranks them answers.
_SUPERLATIVE = re.compile(
    r"\bthe (?:most(?! recent)|largest|biggest|highest|lowest|smallest|deadliest|worst|longest|"
    r"heaviest)\b",
    re.IGNORECASE,
)
_RANKS = re.compile(
    r"\b(?:most|largest|biggest|highest|lowest|smallest|deadliest|worst|longest|heaviest|top|"
    r"leading|record|more than any|greatest|single|minimum|maximum)\b",
    re.IGNORECASE,
)


def says_unknown(sentence: str) -> bool:
    return bool(_NOT_KNOWN.search(sentence))


def says_no_figure(sentence: str) -> bool:
    return bool(_NO_FIGURE.search(sentence))


def asks_the_most(question: str) -> bool:
    return bool(_SUPERLATIVE.search(question))


def ranks(sentence: str) -> bool:
    return bool(_RANKS.search(sentence))
