"""The question's words as a sentence may give them: names and their one-word aliases,
demonyms one ending apart ('Crimean' ↔ 'Crimea'), dates that weigh less than the words
that pick the event.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.lexicon import ANSWERED_BY, SAME_WORDS, VERB_FORMS
from assistant.answer.names import ALIASES
from assistant.text import STOPWORDS, stem, terms


def names_asked(question: str) -> set[str]:
    """Stems of capitalised words after the first, and numbers like '19th': what a question is
    specifically about."""
    words = re.findall(r"[A-Za-z][A-Za-z'’]+", question)[1:]
    names = {
        stem(w.split("'")[0].split("’")[0])
        for w in words
        if w[0].isupper() and w.lower() not in STOPWORDS and len(w) > 2
    }
    # "the 27-nation bloc": the number is what a sentence must share, not the compound.
    numeric = {part for t in terms(question) for part in t.split("-") if part.isdigit()}
    return (
        names
        | {stem(t) for t in terms(question) if any(ch.isdigit() for ch in t) and "-" not in t}
        | numeric
    )


_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"


_DEMONYM_ENDINGS = ("ian", "an", "n", "i")  # Crimean, Ukrainian, Dagestani


def equivalents(question: str, synonyms: bool = True) -> dict[str, frozenset[str]]:
    """Each question term with the stems that count as the same word in a sentence: for a name,
    its one-word aliases ('Moscow' → 'Russia', 'Kremlin') and the forms one ending apart
    ('Crimean' ↔ 'Crimea', 'Ukrainian' ↔ 'Ukraine'); with `synonyms`, a common word's
    synonyms in war reporting ('GDP' for 'output')."""
    names = names_asked(question) | {
        stem(w) for w in re.findall(r"[A-Z][a-z]{3,}", question[:1].upper() + question[1:])
    }
    out: dict[str, frozenset[str]] = {}
    for t in {stem(t) for t in terms(question)}:
        same = {t}
        if t in names and len(t) >= 5 and not t.isdigit():
            same |= {t + e for e in _DEMONYM_ENDINGS}
            same |= {t[: -len(e)] for e in _DEMONYM_ENDINGS if t.endswith(e) and len(t) > 6}
            for word, aliases in ALIASES.items():
                if stem(word) == t:
                    same |= {stem(a) for a in aliases if " " not in a and "." not in a}
        elif synonyms and t not in names:
            same |= synonyms_of(t)
        out[t] = frozenset(same)
    return out


_SAME_STEMS = tuple(frozenset(stem(w) for w in g) for g in SAME_WORDS)
_FORM_STEMS = tuple(frozenset(stem(w) for w in g) for g in VERB_FORMS)
_ANSWERED_BY = {stem(q): frozenset(stem(a) for a in ans) for q, ans in ANSWERED_BY.items()}


@lru_cache(maxsize=4_096)
def aliases_of(term: str) -> frozenset[str]:
    """The stems of a name's one-word aliases, however short the name ('pari' → france)."""
    return frozenset(
        stem(a)
        for word, aliases in ALIASES.items()
        if stem(word) == term
        for a in aliases
        if " " not in a and "." not in a
    )


@lru_cache(maxsize=4_096)
def synonyms_of(term: str, forms: bool = False) -> frozenset[str]:
    """A stemmed common word with its war-reporting synonyms, stemmed ('move' → 'transfer');
    with `forms`, a verb's irregular forms too ('leave' → 'left')."""
    same = {term}
    for group in _SAME_STEMS + (_FORM_STEMS if forms else ()):
        if term in group:
            same |= group
    return frozenset(same | _ANSWERED_BY.get(term, frozenset()))


@lru_cache(maxsize=4_096)
def forms_of(term: str) -> frozenset[str]:
    """A stemmed verb with its irregular forms ('strike' → 'struck'): the same word, not a
    synonym."""
    same = {term}
    for group in _FORM_STEMS:
        if term in group:
            same |= group
    return frozenset(same)


def matched(q: dict[str, frozenset[str]], stems: set[str]) -> list[str]:
    return [t for t, same in q.items() if not same.isdisjoint(stems)]


_DATE_STEMS = {stem(m) for m in _MONTHS.strip("()").split("|")}


def date_weight(term: str) -> float:
    """Dates in a question pick the event; they are rarely the answer, so they count less."""
    return 0.3 if term in _DATE_STEMS or term.isdigit() else 1.0
