"""Follow-up questions to suggest under an answer, offline: the people, places, organisations
and events in the cited passages that the answer itself did not mention.

Only names the passages hold are offered, so every suggestion can be answered from the index.
"""

from __future__ import annotations

import re

from assistant.models import Answer

MAX_SUGGESTIONS = 3
# A run of capitalised words ("Crown Prince Mohammed bin Salman", "the Kerch ferry terminal").
_WORD = r"(?:[A-Z][a-z]+|[A-Z]{2,})"
_NAME = re.compile(rf"\b{_WORD}(?:[ -](?:(?:bin|al|de|of|the|von)[ -])?{_WORD})*")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|to|from|across)\s*$")
_PERSON_TITLES = {
    "President",
    "Minister",
    "Secretary",
    "Prince",
    "Chancellor",
    "General",
    "Commander",
    "Envoy",
    "Adviser",
    "Advisor",
    "Spokesman",
    "Spokeswoman",
}
_SKIP = {
    *"A An The This That These Those It Its He She They We I In On At For From By With As But And "
    "Or If When While After Before Since During Under Over According Meanwhile However Also "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December GMT UTC Posted Published".split(),
}


def _names(text: str) -> list[tuple[str, str]]:
    """(name, what it follows) for each capitalised name in `text`, in order."""
    out = []
    for m in _NAME.finditer(text):
        words = m.group(0).split()
        while words and words[0] in _SKIP:
            words.pop(0)
        if not words or (len(words) == 1 and len(words[0]) < 4):
            continue
        out.append((" ".join(words), text[max(0, m.start() - 12) : m.start()]))
    return out


def _question(name: str, before: str) -> str:
    words = name.split()
    titled = [i for i, w in enumerate(words[:-1]) if w in _PERSON_TITLES]
    if titled:  # "Ukrainian President Volodymyr Zelensky" → "President Volodymyr Zelensky"
        return f"What did {' '.join(words[titled[0] :])} say?"
    if _PLACE_BEFORE.search(before):
        return f"What happened in {name}?"
    return f"What do the articles say about {name}?"


def suggest(answer: Answer | None, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` questions about what the cited passages hold beyond the answer."""
    if answer is None or answer.refused or not answer.citations:
        return []
    said = " ".join([answer.question, answer.standalone_question or "", answer.text]).casefold()
    said += " " + " ".join(f"{c.title} {c.publisher}" for c in answer.citations).casefold()
    seen: set[str] = set()
    out: list[str] = []
    for c in answer.citations:
        rest = (c.chunk_text or "").replace(c.quote, " ")
        for name, before in _names(rest):
            key = name.casefold()
            if key in seen or key in said or any(w.casefold() in said for w in name.split()[-1:]):
                continue
            seen.add(key)
            out.append(_question(name, before))
            if len(out) >= limit:
                return out
    return out
