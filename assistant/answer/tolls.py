"""Counts of the dead and the hurt, and lengths: what a toll is (this strike's dead, not the
war's, nor a part of them, an age, days or buildings) and what a length is (not how far a
place lies from another). Read by `counts.number_near`."""

from __future__ import annotations

import re

from assistant.answer.question import Part
from assistant.answer.values import _COUNTED_KIN, _undated, counted_kin
from assistant.text import stem

PLURALS = frozenset("people men women children personnel police".split())  # without an -s
CASUALTIES = next(k for k in _COUNTED_KIN if "kill" in k)
# The kinds of people a casualty count may be of (not the missiles that killed them).
BEINGS = [k for k in _COUNTED_KIN if k & {"troop", "prison", "peopl", "refuge", "child"}]
DEAD = frozenset({"kill", "die", "dead", "death", "fallen", "bodi"})
HURT = frozenset({"wound", "injur", "hurt"})
ANYONE = frozenset({stem("people"), stem("person")})
TOLL_WORDS = {stem(w) for w in "casualties casualty losses toll dead killed".split()}


_NUMBER_OF = re.compile(r"^\W*(?:the\s+)?(?:number|count|toll)\s+of\s+([a-z]+)", re.IGNORECASE)
_RISEN_TO = re.compile(
    r"\b(?:risen|rose|climbed|grown|grew|increased|reached|fallen|fell|dropped)\s+to\s*$",
    re.IGNORECASE,
)


def number_risen_to(part: Part, sentence: str, found: list[tuple[int, str]]) -> str | None:
    """'The number of people killed … has risen to 20': the subject says what the number
    counts, however long the clause between them; it counts the dead only when they are
    asked for (not the people at the meeting, nor the injured)."""
    head = _NUMBER_OF.match(sentence)
    if not head or not part.counted:
        return None
    if stem(head.group(1).lower()) not in counted_kin(part.counted) | {part.counted}:
        return None
    if subject_counts_other(part, sentence):
        return None
    words = _undated(sentence).split()
    for position, value in found:
        if risen_to(words, position):
            return value
    return None


def risen_to(words: list[str], position: int) -> bool:
    return bool(_RISEN_TO.search(" ".join(words[max(position - 3, 0) : position])))


def subject_counts_other(part: Part, sentence: str) -> bool:
    """'The number of people killed …': the dead, when the injured are asked for (or the
    people at a meeting), or the other way round."""
    head = _NUMBER_OF.match(sentence)
    if not head:
        return False
    words = _undated(sentence).split()
    said = {stem(w.strip(".,;:").lower()) for w in words[len(head.group(0).split()) :][:2]}
    asked = set(part.focus)
    return any(said & kind and not asked & kind for kind in (DEAD, HURT))


_NONE_HURT = re.compile(
    r"\b(?:none|no one|no-one|nobody|not one|not a single one)\b(?:\s+[\w'’]+){0,3}?\s+"
    r"(?:killed|hurt|injured|wounded|died|dead)\b",
    re.IGNORECASE,
)


def unnegated(sentence: str) -> set[str]:
    """The sentence's word stems without the casualties it denies ('none had been killed')."""
    kept = _NONE_HURT.sub(" ", _undated(sentence))
    return {stem(w) for w in re.findall(r"[\w'’$€£%-]+", kept)}


_WAR_WIDE = re.compile(
    r"^[^.;]{0,60}?\b(?:since|from)\s+the\s+(?:start|beginning|outset)\s+of\s+the\s+"
    r"(?:full-scale\s+)?(?:invasion|war)\b",
    re.IGNORECASE,
)
WAR_WIDE_ASKED = re.compile(r"\b(?:since|war|invasion|in all|in total|overall|so far)\b", re.I)


_AMONG = re.compile(
    r"^((?:[a-z-]+\s+){1,2}?)(?:were|was|are|is)\s+(?:also\s+)?among\s+the\s+"
    r"(?:dead|killed|injured|wounded|victims|casualties)\b",
    re.IGNORECASE,
)


def among_another(part: Part, sentence: str, found: tuple[int, str]) -> bool:
    """'Six children were among the dead' counts children: it answers how many children, not
    the toll (nor how many people)."""
    words = _undated(sentence).split()
    m = _AMONG.match(" ".join(words[found[0] + 1 :]))
    if not m:
        return False
    kind = stem(m.group(1).split()[-1].lower())
    counted = part.counted or ""
    return not counted or counted in ANYONE or counted not in counted_kin(kind) | {kind}


def things_counted(sentence: str, position: int) -> bool:
    """The number counts things, not people: a plural after it that names no one
    ('six residential buildings', not 'two people' or '36 civilians')."""
    beings = set().union(*BEINGS) | CASUALTIES
    after = [w.strip(".,;:()\"'’").lower() for w in _undated(sentence).split()]
    for word in after[position + 1 : position + 3]:
        if stem(word) in beings or word in PLURALS or word in ("of", "them", "more", "others"):
            return False
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            return True
    return False


TIME_UNITS = frozenset({"day", "week", "month", "year", "hour", "minute"})
_NTH_DEAD = re.compile(r"^the\s+(\d+)(?:st|nd|rd|th)\s+(?:body|bodies|victim|death|dead)\b", re.I)


def nth_of_the_dead(part: Part, sentence: str) -> list[tuple[int, str]]:
    """'after they had recovered the 23rd body': the toll asked for is 23."""
    if not set(part.focus) & (DEAD | TOLL_WORDS):
        return []
    words = _undated(sentence).split()
    return [
        (i + 1, m.group(1))
        for i, w in enumerate(words[:-1])
        if (m := _NTH_DEAD.match(" ".join(words[i : i + 3])))
    ]


LENGTH_ASKED = re.compile(r"\bhow long (?:is|was|are|were)\b|\blength\b", re.IGNORECASE)
_LIES_FROM = re.compile(
    r"^(?:[a-z]+\s+)?(?:(?:north|south|east|west)(?:-(?:east|west))?(?:ern)?\s+of|from|away"
    r"|(?:off|inland|outside|beyond|short of)\b)",
    re.IGNORECASE,
)


def fixed_measure(part: Part) -> bool:
    """What a thing weighs, or how long it is: one value, which reports dispute but do not
    update ('how heavy was the Moskva', 'how long is the bridge')."""
    return part.measure == "weight" or (
        part.measure == "distance" and bool(LENGTH_ASKED.search(part.text))
    )


def lies_from(sentence: str, found: tuple[int, str]) -> bool:
    """'some 45 kilometres south-west of Odesa', '35 kilometres off the coast': how far one
    place lies from another."""
    words = _undated(sentence).split()
    rest = " ".join(words[found[0] + len(found[1].split()) :])
    return bool(_LIES_FROM.match(rest))


def war_wide(sentence: str, found: tuple[int, str]) -> bool:
    """The count runs from the start of the war ('8,000 civilian deaths since the start of the
    invasion'): the words right after it say so."""
    words = _undated(sentence).split()
    return bool(_WAR_WIDE.search(" ".join(words[found[0] + 1 :])))
