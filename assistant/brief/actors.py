"""Who speaks in a sentence: the actor behind "X said …", "according to X", for the positions
section of a brief. Known actors are grouped (Zelensky and Kyiv are Ukraine); any other
speaker named in the text is an actor of its own."""

from __future__ import annotations

import re

from assistant.answer.names import people

# The actors a brief lists first, in this order, with the words that stand for them.
ACTORS: dict[str, tuple[str, ...]] = {
    "Ukraine": (
        "Ukraine",
        "Ukrainian",
        "Kyiv",
        "Zelensky",
        "Zelenskyy",
        "Zelenskiy",
        "Syrskyi",
        "Sybiha",
        "Yermak",
        "Umerov",
        "Shmyhal",
        "Kuleba",
        "Svyrydenko",
        "Budanov",
    ),
    "Russia": (
        "Russia",
        "Russian",
        "Moscow",
        "Kremlin",
        "Putin",
        "Lavrov",
        "Peskov",
        "Gerasimov",
        "Shoigu",
        "Zakharova",
        "Ushakov",
        "Dmitriev",
        "Medvedev",
        "Belousov",
        "Nebenzia",
    ),
    "United States": (
        "United States",
        "US",
        "U.S.",
        "American",
        "Washington",
        "Trump",
        "Rubio",
        "Witkoff",
        "Vance",
        "Waltz",
        "Hegseth",
        "Bessent",
        "Kellogg",
        "White House",
        "Pentagon",
        "Biden",
        "Blinken",
        "Austin",
        "Sullivan",
        "State Department",
        "Treasury",
        "CIA",
        "Ratcliffe",
        "Congress",
    ),
    "European Union": (
        "European Union",
        "EU",
        "European Commission",
        "Brussels",
        "von der Leyen",
        "Kallas",
        "Costa",
        "Borrell",
        "European Council",
    ),
    "NATO": ("NATO", "Nato", "Rutte", "Stoltenberg"),
}
# Others with a known grouping; speakers not listed here are shown by their own name.
OTHERS: dict[str, tuple[str, ...]] = {
    "United Kingdom": ("United Kingdom", "UK", "Britain", "British", "Starmer", "London"),
    "France": ("France", "French", "Macron", "Paris"),
    "Germany": ("Germany", "German", "Scholz", "Merz", "Berlin"),
    "North Korea": ("North Korea", "North Korean", "Pyongyang", "Kim Jong Un"),
    "China": ("China", "Chinese", "Beijing", "Xi Jinping"),
    "Turkey": ("Turkey", "Turkish", "Erdogan", "Ankara"),
    "Saudi Arabia": ("Saudi Arabia", "Saudi", "Riyadh", "bin Salman"),
    "United Nations": ("United Nations", "UN", "Guterres", "OCHA", "UNHCR"),
    "IAEA": ("IAEA", "Grossi"),
}
MAIN = tuple(ACTORS)

_SPEECH = (
    r"(?:said|says|told|stated|announced|warned|insisted|demanded|called for|calls for|wants|"
    r"wanted|urged|urges|accused|denied|denies|rejected|rejects|argued|argues|claimed|claims|"
    r"acknowledged|confirmed|confirms|vowed|pledged|promised|proposed|offered|threatened|"
    r"dismissed|described|welcomed|condemned|maintained|maintains|stressed|added|"
    r"signalled|signaled|reiterated|disputed|disputes|countered)"
)
_SPEECH_RE = re.compile(rf"\b{_SPEECH}\b")
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)


def _patterns(table: dict[str, tuple[str, ...]]) -> list[tuple[str, re.Pattern[str]]]:
    return [
        (actor, re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])"))
        for actor, words in table.items()
    ]


_KNOWN = _patterns(ACTORS) + _patterns(OTHERS)


def _last_actor(text: str) -> str | None:
    """The actor named last in `text` (the subject nearest a speech verb)."""
    best: tuple[int, str] | None = None
    for actor, pattern in _KNOWN:
        for m in pattern.finditer(text):
            if best is None or m.start() >= best[0]:
                best = (m.start(), actor)
    return best[1] if best else None


def _first_actor(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for actor, pattern in _KNOWN:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), actor)
    return best[1] if best else None


def speaker(sentence: str) -> str | None:
    """The actor whose words or wishes the sentence reports, or None when it reports none."""
    m = _ACCORDING.search(sentence)
    if m:
        return _first_actor(sentence[m.end() : m.end() + 80]) or _named(sentence[m.end() :])
    m = _SPEECH_RE.search(sentence)
    if not m:
        return None
    # "Zelensky, who was visiting Turkey on 18 February, said": the aside is not the subject.
    before = re.sub(r",\s*(?:who|which|whose)\b[^,]*,", ",", sentence[: m.start()])
    # The subject is the clause just before the verb: "…, Oleksandr Syrskyi, said".
    clause = re.split(r"[;:]|\b(?:and|but|while|after|as|when)\b", before)[-1] or before
    return _last_actor(clause) or _named(clause) or _last_actor(before)


def _named(text: str) -> str | None:
    found = people(text)
    return found[-1] if found else None


def actor_order(actor: str) -> tuple[int, str]:
    """The main actors first, in their order; then the others by name."""
    return (MAIN.index(actor), "") if actor in MAIN else (len(MAIN), actor)
