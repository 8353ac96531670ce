"""Whose thing a sentence is about: 'the US delegation' asked, 'the Ukrainian delegation'
quoted, or 'Ukraine's next election' against 'the US presidential election' — another side's."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from assistant.answer.lexicon import AUXILIARIES, GENERIC_CAPS, NOT_NAMES, TITLES, VERB_FORMS
from assistant.answer.names import ALIASES, entity, is_party, mentions
from assistant.answer.question import Part, Slot
from assistant.text import stem


def _after_auxiliary(question: str, m: re.Match[str]) -> bool:
    """'did Russia recognise', 'did Kherson's governor impose': after 'did' and its subject
    comes the verb, not a thing Russia owns."""
    before = question[: m.start()].split()
    return bool(before) and before[-1].lower() in AUXILIARIES and m.group(1)[:1].isupper()


def _final_verb(question: str, m: re.Match[str]) -> bool:
    """'Why did gas transit through Ukraine stop?': the last word of a did-question is its
    verb, not a thing Ukraine has."""
    rest = question[m.end() :].strip(" ?!.\"'”")
    if rest:
        return False
    if re.search(r"\b(?:did|does|do|will|would|can|could)\b", question, re.I):
        return True
    # 'In which shipyard was the landing ship … at Novorossiysk built?': a passive's participle
    word = m.group(m.lastindex or 0).lower()
    participle = word.endswith(("ed", "en", "wn")) or any(
        word in forms and not {f"{word}s", f"{word}es", f"{word[:-1]}ies"} & forms
        for forms in VERB_FORMS
        if not word.endswith("s")
    )  # ('built', 'sunk'; not 'build', 'builds')
    return participle and bool(re.search(r"\b(?:is|are|was|were|been)\b", question, re.I))


def _relative_subject(question: str, m: re.Match[str]) -> bool:
    """'the canal that Russian troops had to cross': the subject of a clause describing the
    thing asked about, not the thing itself (whose troops the answer names is no clash)."""
    before = question[: m.start()].split()
    # (not 'which': 'from which Russian region' asks for the region)
    return bool(before) and before[-1] == "that"


@lru_cache(maxsize=1_024)
def _modified(question: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The parties the question names and its (modifier, noun) pairs ('US delegation'). Kept:
    every sentence read for the question is checked against the same ones."""
    pairs = list(re.finditer(r"\b([A-Z][\w'’.-]*|US|EU|UK|UN)\s+([a-z]{4,})\b", question))
    # Every party the question names: 'North Korean soldiers … alongside Russian forces'.
    wanted = frozenset(entity(m.group(1)) for m in pairs) | frozenset(
        entity(w) for w in re.findall(r"\b[A-Z][\w'’-]+", question) if is_party(entity(w))
    )  # ('… gone into battle against Ukraine?': Ukraine's forces are asked about too)
    # ('did Russia recognise': a subject and its verb, not Russia's kind of thing)
    asked = tuple(
        (m.group(1), m.group(2))
        for m in pairs
        if not _after_auxiliary(question, m)
        and not _final_verb(question, m)
        and not _relative_subject(question, m)
    )
    return wanted, asked


def parties(text: str) -> set[str]:
    """The countries and sides a text names, each as one name ('Russia's', 'Kremlin' → russia)."""
    return {entity(w) for w in re.findall(r"\b[A-Z][\w'’-]+", text) if is_party(entity(w))}


def party_of(word: str) -> str:
    return entity(word)


def modifier_clash(
    question: str, sentence: str, kin: Callable[[str], set[str]] | None = None
) -> str | None:
    """'the US delegation' asked, 'the Ukrainian delegation' quoted: the sentence is about
    another party's thing. Returns the clashing modifier."""
    wanted, asked = _modified(question)
    for modifier, noun in asked:
        if modifier in NOT_NAMES or modifier in TITLES or any(ch.isdigit() for ch in modifier):
            continue  # 'F-16 pilots' names a kind of pilot, not a party's
        want = entity(modifier)
        # (Both patterns need the noun itself: a sentence without it is not searched.)
        said = noun in sentence
        # ('the Senate approved it by 79 votes': the asked one's, in the plural too)
        before = (
            re.findall(rf"((?:\S+\s+){{1,3}}){re.escape(noun)}\b", sentence)
            + re.findall(rf"((?:\S+\s+){{1,6}}){re.escape(noun)}s\b", sentence)
            if said
            else []
        )
        if any(want in {entity(w.strip("()[],")) for w in b.split()} for b in before):
            continue  # the sentence also speaks of the asked one
        after = re.findall(
            rf"\b{re.escape(noun)}\s+(?:in|at|of|near)\s+(?:the\s+)?([\w'’-]+)", sentence
        )
        if want in {entity(w) for w in after}:
            continue  # "the Sevmorzavod shipyard in Sevastopol" is Sevastopol's shipyard
        others = re.findall(rf"\b([A-Z][\w'’.-]*)\s+{re.escape(noun)}\b", sentence) if said else []
        for other in others:
            if other in NOT_NAMES or other in TITLES:
                continue
            if sentence.lstrip("\"“'‘(").startswith(other) and entity(other) not in ALIASES:
                continue  # 'Hours before the strike': capitalised only as the first word
            if entity(other) != want and entity(other) not in wanted:
                if entity(other).split("-")[0] == want.split("-")[0]:
                    continue  # 'Shahed-136 drones' are the Shahed drones asked about
                return other
        if kin is not None:
            # 'Ukrainian soldiers' asked, '20,000 Wagner fighters' quoted: the same kind of
            # thing, another party's.
            same = kin(noun)
            words = sentence.split()
            for i, w in enumerate(words[1:], 1):
                if w[:1].isupper() or stem(w.strip(".,;:()\"'’").lower()) not in same:
                    continue  # 'the 3rd Separate Assault Brigade' is a name, not a party's unit
                other = words[i - 1].strip("(\"'")
                if not other[:1].isupper() or other in NOT_NAMES or other in TITLES:
                    continue
                if i == 1 and entity(other) not in ALIASES:
                    continue  # 'Transit stopped': capitalised only as the sentence's first word
                nearby = {entity(x.strip("()[],")) for x in words[max(0, i - 4) : i]}
                if want not in nearby and entity(other) not in wanted:
                    return other
    return None


@lru_cache(maxsize=1_024)
def _owners(part: Part) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The parties the part names, its words, and the stems of the things it owns. Kept: every
    sentence read for the part is checked against the same ones."""
    wanted = {entity(w) for n in part.constraints.names for w in [n, *n.split()]}
    # 'the German training area': a demonym the question gives names a party too
    wanted |= {
        entity(w)
        for w in re.findall(r"\b[A-Z][\w'’-]+", part.text)[1:]
        if w not in NOT_NAMES and w not in TITLES
    }
    wanted |= {w.split("-")[0] for w in wanted}  # 'Shahed-136' is a Shahed
    asked = {w.lower() for w in re.findall(r"[\w'’]+", part.text)}
    # Only things the question owns ("its next election", "the US delegation"), not verbs.
    # ("Ukraine's parliament ratify": the word after a possessive may itself be the thing.)
    owned = {
        stem(w)
        for m in re.finditer(
            r"\b(its|their|his|her|next|[A-Z][\w'’]*)\s+(?:([a-z][\w-]*)\s+)?([a-z]{4,})\b",
            part.text,
        )
        if m.group(1) not in NOT_NAMES or m.group(1).islower()
        for w in (
            m.group(2) if re.search(r"['’]s$", m.group(1)) else None,
            None if _after_auxiliary(part.text, m) or _final_verb(part.text, m) else m.group(3),
        )
        if w
    } & set(part.focus)
    return frozenset(wanted), frozenset(asked), frozenset(owned)


def owner_clash(part: Part, sentence: str) -> str | None:
    """'When will Ukraine hold its next presidential election?' against 'the US presidential
    election': the asked thing, owned by a party the question does not name."""
    if not part.constraints.names:
        return None
    wanted, asked, owned = _owners(part)
    found = list(re.finditer(r"[\w'’.-]+", sentence))
    words = [m.group(0) for m in found]
    other = None
    for i, w in enumerate(words):
        if stem(w) not in owned or len(w) < 4 or w[0].isupper():
            continue  # ("the 3rd Separate Assault Brigade" names the brigade; no one owns it)
        window = words[max(0, i - 3) : i]
        # "the Kursk, Belgorod and Bryansk regions": every owner of a list counts
        listed = " ".join(words[max(0, i - 7) : i])
        wide = words[max(0, i - 7) : i] if re.search(r"\b(?:and|or)\b", listed) else window
        spans = wide + [" ".join(window[j:]) for j in range(len(window) - 1)]
        spans = [x for x in spans if re.match(r"[A-Z]", x) and x not in NOT_NAMES]
        if any(
            x.lower() in asked
            or entity(x) in wanted
            or entity(x).split("-")[0] in wanted
            or any(mentions(n, x) for n in part.constraints.names)
            for x in spans
        ):
            return None  # the asked party's own is there too
        if w.lower().endswith(("ed", "ing")) and w.lower() not in asked:
            continue  # 'the order' asked, 'Tarnavskyi ordered' quoted: a verb, owned by no one
        place = re.search(
            rf"\b{re.escape(w)}\s+(?:in|at|of|near)\s+(?:the\s+)?([\w'’-]+)", sentence
        )
        if place and entity(place.group(1)) in wanted:
            continue  # "the Sevmorzavod shipyard in Sevastopol" is Sevastopol's shipyard
        for back, before in enumerate(reversed(window[-2:]), 1):
            if not re.match(r"[A-Z]", before) or before in NOT_NAMES or before in TITLES:
                continue
            if re.search(r"[,;:()\"“”]", sentence[found[i - back].end() : found[i].start()]):
                continue  # "the Security Service, Säpo, took over": a subject, not an owner
            if back == 2 and (not words[i - 1].islower() or words[i - 1] in AUXILIARIES):
                continue  # only an adjective may stand between owner and thing
            if before in GENERIC_CAPS and entity(before) == before.lower():
                continue  # "National", "Security": not a party
            if i == back and entity(before) not in ALIASES:
                continue  # 'Hours before the strike': capitalised only as the first word
            other = other or before
    # 'the Chaplyne station strike' asked, 'the Russian strike on … Chaplyne' quoted: an attack
    # on a place and an attack by a party are the same one when the sentence names the place
    on_place = not any(is_party(w) for w in wanted) and owned <= _ATTACKS
    if other and is_party(entity(other)) and on_place:
        return None if all(mentions(n, sentence) for n in part.constraints.names) else other
    return other


_ATTACKS = frozenset(
    stem(w)
    for w in "strike attack raid bombing shelling assault bombardment offensive blast "
    "explosion".split()
)


_IN_PLACE = re.compile(r"\b(?:in|at) ([A-Z][\w'’-]+)")


def place_clash(part: Part, sentence: str) -> str | None:
    """'How many died when a missile hit an apartment block in Dnipro?': 'struck a building
    in Uman' is another place's strike, whatever its passage says of Dnipro."""
    if part.slot is Slot.PLACE:
        return None  # where the wounded were taken: another place is the answer
    names = part.constraints.names
    asked = [m.group(1) for m in _IN_PLACE.finditer(part.text) if m.group(1) in names]
    if not asked or any(mentions(a, sentence) for a in asked):
        return None
    for m in _IN_PLACE.finditer(sentence):
        other = m.group(1)
        if other not in NOT_NAMES and other not in GENERIC_CAPS and not is_party(entity(other)):
            return other
    return None


_SIDE_ASKED = re.compile(
    r"\b(?:headed|led|lead|leads|heading|leading)\s+(?:the\s+)?([A-Z][a-z]+)\s+"
    r"(?:side|delegation|team|negotiators)\b"
)
_LEADING = re.compile(r"\b(?:headed|heading|led|leads|leading)\b", re.I)  # not "head of the fund"


def side_leaders(question: str, sentence: str, names: list[str]) -> list[str] | None:
    """'Who headed the Russian side?': in '… a US delegation led by Rubio … with a Russian
    delegation headed by Foreign Minister Lavrov', Lavrov first. A sentence that names no
    leading of that side ('Kirill Dmitriev … was also in Riyadh', 'the US delegation was led
    by Marco Rubio') names no one who headed it. None when the question asks no such thing."""
    asked = _SIDE_ASKED.search(question)
    if not asked:
        return None
    side = asked.group(1)
    m = re.search(
        rf"\b{re.escape(side)}\s+(?:delegation|side|team|negotiators)\b[^.;]{{0,40}}?"
        rf"\b(?:headed|led)\s+by\b(?P<rest>[^.;]{{0,80}})",
        sentence,
    )
    led = next((n for n in names if n in m.group("rest")), None) if m else None
    if led:
        return [led, *[n for n in names if n != led]]
    return names if _LEADING.search(sentence) and side in sentence else []
