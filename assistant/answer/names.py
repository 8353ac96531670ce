"""Names in sentences: who a sentence names, the aliases of a party, and whether a sentence
speaks of the party the question asks about or of another one."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from assistant.answer.dates import MONTH_NUMBER, WEEKDAYS
from assistant.answer.lexicon import COUNTRY_ADJECTIVES, GENERIC_CAPS, NOT_NAMES, TITLES
from assistant.answer.question import Part
from assistant.text import has_word, stem, stem_set

# Other ways articles name the same thing.
ALIASES: dict[str, tuple[str, ...]] = {
    "us": ("united states", "american", "americans", "washington", "u.s"),
    "usa": ("united states", "american", "washington"),
    "united states": ("us", "american", "washington", "u.s"),
    "america": ("us", "united states", "american"),
    "washington": ("us", "united states", "american"),
    "eu": ("european union", "brussels"),
    "european union": ("eu", "brussels"),
    "uk": ("united kingdom", "britain", "british", "london"),
    "britain": ("uk", "united kingdom", "british"),
    "un": ("united nations",),
    "united nations": ("un",),
    "nato": ("north atlantic", "alliance"),
    "russia": ("russian", "russians", "moscow", "kremlin"),
    "moscow": ("russia", "russian", "kremlin"),
    "kremlin": ("russia", "moscow", "putin"),
    "ukraine": ("ukrainian", "ukrainians", "kyiv", "kiev"),
    "kyiv": ("ukraine", "ukrainian", "kiev"),
    "kiev": ("ukraine", "kyiv"),
    "iaea": ("international atomic energy agency", "atomic energy agency"),
    "south korea": ("seoul", "south korean"),
    "north korea": ("pyongyang", "north korean"),
    "china": ("beijing", "chinese"),
    "turkey": ("ankara", "turkish", "türkiye"),
    "belarus": ("minsk", "belarusian"),
    "poland": ("warsaw", "polish"),
    "germany": ("berlin", "german", "bundeswehr"),
    "france": ("paris", "french", "elysee"),
    "iran": ("tehran", "iranian"),
}
# A capital stands for its government both ways: "What about Seoul's intelligence service?" is
# answered by "South Korea's National Intelligence Service".
for _country, _capital in (
    ("south korea", "seoul"),
    ("north korea", "pyongyang"),
    ("china", "beijing"),
    ("turkey", "ankara"),
    ("belarus", "minsk"),
    ("poland", "warsaw"),
    ("germany", "berlin"),
    ("france", "paris"),
    ("iran", "tehran"),
    ("uk", "london"),
    ("eu", "brussels"),
):
    ALIASES.setdefault(_capital, (_country, *(a for a in ALIASES[_country] if a != _capital)))


_NOT_PERSON_WORDS = frozenset(
    """Arabia States Kingdom Korea Sea Nations Union Emirates Republic Federation Oblast Strait
    Peninsula Bay Mountains Island Islands River Bridge Plant Fleet Forces Council Bank Fund
    Agency Commission Parliament House Office Ministry Department Service Corps Group Brigade
    Regiment Division Army Guard Initiative Corridor Deal Agreement Accord Treaty Summit
    Conference Forum Post Times News Review Institute University Center Centre Foundation
    Company Energy Airport Base Square Street Road Railway Station Hall Palace Cathedral Church
    Day Week Front Line Region Power Nuclear Dam Reservoir Canal Port Gulf Channel Basin Coast
    Monitor Dispatch Journal Gazette Herald Tribune Daily Weekly Press Agency Radio Television
    Europe Asia Africa America Crimea Donbas Donbass Kursk Kyiv Moscow Ukraine Russia Russian
    Ukrainian American European Soviet Western Eastern Northern Southern Central Kremlin Pentagon
    Congress Senate Duma Rada Navy Air Force Command Staff Operation Spiderweb""".split()
)


_SPEECH = r"(?:said|says|told|added|warned|noted|announced|stated|claimed|argued|insisted|wrote)"


def has_name(phrase: str, text_lower: str, stems: set[str]) -> bool:
    """A name (or its alias) in the text: whole words, surname enough for a person."""
    p = phrase.lower()
    if has_word(p, text_lower):
        return True
    # "Patriots", "Leopards": the systems named in the singular ('Patriot batteries')
    before = phrase[-2:-1]
    plural = phrase[-1:] == "s" and (before.islower() or before.isdigit()) and len(p) > 3
    if plural and has_word(p[:-1], text_lower):
        return True
    for alias in ALIASES.get(p, ()):
        if has_word(alias, text_lower):
            return True
    words = p.split()
    if len(words) > 1:
        return stem(words[-1]) in stems  # "Sergey Lavrov" → "Lavrov"
    if len(p) > 3 and stem(p) in stems:
        return True
    # "Crimean" for "Crimea", "Ukraine's" for "Ukraine": one is the other plus an ending.
    return len(p) >= 5 and any(
        len(s) >= 5 and (s.startswith(p[:-1]) or p.startswith(s)) for s in stems
    )


def spelled_out(acronym: str, text: str) -> bool:
    """'ICC' written out: 'the International Criminal Court' (capitalised words, 'of', 'the',
    'for', 'and' between them not counted)."""
    if not (2 <= len(acronym) <= 6 and acronym.isalpha() and acronym.isupper()):
        return False
    gap = r"\s+(?:(?:of|the|for|and|on|in)\s+)*"
    return bool(re.search(r"\b" + gap.join(rf"{c}[a-z]+" for c in acronym) + r"\b", text))


def mentions(name: str, text: str) -> bool:
    """The text names this person, place or body (or an alias of it)."""
    return has_name(name, text.lower(), stem_set(text))


def name_conflict(name: str, sentence: str) -> bool:
    """The sentence names someone else with the same first name ('Oleksandr Tarnavskyi' for a
    question about 'Oleksandr Syrskyi')."""
    words = name.split()
    if len(words) != 2 or set(words) & (_NOT_PERSON_WORDS | GENERIC_CAPS):
        return False
    first, last = words
    found = re.findall(rf"\b{re.escape(first)}\s+([A-Z][\w'’-]+)", sentence)
    same = [f for f in found if f[:4].lower() == last[:4].lower()]
    return bool(found) and not same and last not in sentence


_CAP_RUN = re.compile(r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z]\.\s+)?[A-Z][a-z][\w'’-]*)*")


# "between Finland and Estonia", "at Berdiansk and Luhansk": a list of places, not people.
_PLACE_LIST = re.compile(
    r"\b(?:in|at|near|from|between|to|towards|outside)\s+(?:the\s+)?[A-Z][\w'’-]+"
    r"(?:,\s*[A-Z][\w'’-]+)*\s*(?:,|and)\s*$"
)


def people(sentence: str) -> list[str]:
    """Person names a sentence gives: runs of capitalised words that are not places or bodies,
    without their titles ('Foreign Minister Sergey Lavrov' → 'Sergey Lavrov'), titled
    surnames ('President Putin') and speakers ('Lavrov said')."""
    out: list[str] = []
    for m in _CAP_RUN.finditer(sentence):
        words = m.group(0).split()
        while words and re.search(r"['’]s$", words[0]):
            words = words[1:]  # "Ukraine's Sumy region", "Putin's adviser"
        titled = False
        while words and (words[0] in TITLES or words[0] in NOT_NAMES or words[0] in GENERIC_CAPS):
            titled = titled or words[0] in TITLES
            words = words[1:]
        inner = [i for i, w in enumerate(words) if w in TITLES]
        if inner and inner[-1] < len(words) - 1:
            # "US Treasury Secretary Scott Bessent": the name follows the last title word
            words, titled = words[inner[-1] + 1 :], True
        if not words or set(words) & (_NOT_PERSON_WORDS | GENERIC_CAPS):
            continue
        if any(w.lower() in MONTH_NUMBER for w in words) or len(words) > 3:
            continue
        at_start = not sentence[: m.start()].strip(" \"'“‘(")
        if len(words) >= 2 or titled:
            out.append(" ".join(words))
        elif (
            (
                re.match(rf"\s+{_SPEECH}\b", sentence[m.end() :])
                and not re.search(
                    r"\b(?:of|the)\s*$", sentence[: m.start()]
                )  # 'the Study of War said'
            )
            or (
                not at_start
                and re.search(
                    r"\b(?:by|with|and|,)\s*$", sentence[: m.start()]
                )  # not 'from Kherson'
                and not _PLACE_LIST.search(sentence[: m.start()])
            )
        ):
            out.append(words[0])
    return list(dict.fromkeys(out))


# "ODESA — Six weeks after …", "KYIV, March 3 (Wire) — …": where the story was filed, before
# the sentence itself begins.
DATELINE = re.compile(r"^\s*[A-Z][A-Z .'’-]{2,}(?:,\s*\w[\w .()'’-]{0,40})?\s+[—–-]{1,2}\s+")


def without_dateline(sentence: str) -> str:
    return DATELINE.sub("", sentence, count=1)


def capitalised(sentence: str) -> list[str]:
    """Names of any kind after the first word (places, bodies, people, acronyms); a dateline
    is not part of the sentence ("ODESA — Six weeks …" names nobody)."""
    sentence = without_dateline(sentence)
    found = re.findall(r"(?<!^)(?<![.!?]\s)\b([A-Z][\w'’-]+|[A-Z]{2,})", sentence)
    return [
        w
        for w in found
        if w not in NOT_NAMES and w.lower() not in MONTH_NUMBER and w.lower() not in WEEKDAYS
    ]


_DEMONYM = {
    "russian": "russia",
    "ukrainian": "ukraine",
    "american": "us",
    "european": "eu",
    "british": "uk",
    "french": "france",
    "german": "germany",
    "bundeswehr": "germany",
    "polish": "poland",
    "turkish": "turkey",
    "chinese": "china",
    "saudi": "saudi arabia",
}


# Countries and what their people and things are called: 'Danish police' is Denmark's police.
for _country, _adjective in COUNTRY_ADJECTIVES.items():
    ALIASES.setdefault(_country, (_adjective,))
    ALIASES.setdefault(_adjective, (_country,))
    _DEMONYM.setdefault(_adjective, _country)


def is_demonym(word: str) -> bool:
    """'Ukrainian', 'Danish': what a people or a language is called, not a place."""
    return word.lower() in _DEMONYM


def _canonical() -> dict[str, str]:
    """Every alias to one name for its group ('moscow', 'kremlin', 'russian' → 'russia')."""
    groups: list[set[str]] = []
    for key, aliases in ALIASES.items():
        members = {key, *aliases}
        joined = [g for g in groups if g & members]
        for g in joined:
            members |= g
            groups.remove(g)
        groups.append(members)
    out: dict[str, str] = {}
    for g in groups:
        head = min(g, key=lambda w: (len(w), w))
        out.update({w: head for w in g})
    return out


_CANON = _canonical()


def _entity(word: str) -> str:
    w = word.lower().removesuffix("'s").removesuffix("’s").strip("().,")
    w = _DEMONYM.get(w, w)
    return _CANON.get(w, w)


_AUXILIARIES = frozenset(
    "did does do will would can could should shall must may might has have had is was are "
    "were".split()
)


def _after_auxiliary(question: str, m: re.Match[str]) -> bool:
    """'did Russia recognise', 'did Kherson's governor impose': after 'did' and its subject
    comes the verb, not a thing Russia owns."""
    before = question[: m.start()].split()
    return bool(before) and before[-1].lower() in _AUXILIARIES and m.group(1)[:1].isupper()


def _final_verb(question: str, m: re.Match[str]) -> bool:
    """'Why did gas transit through Ukraine stop?': the last word of a did-question is its
    verb, not a thing Ukraine has."""
    rest = question[m.end() :].strip(" ?!.\"'”")
    return not rest and bool(re.search(r"\b(?:did|does|do|will|would|can|could)\b", question, re.I))


@lru_cache(maxsize=1_024)
def _modified(question: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """The parties the question names and its (modifier, noun) pairs ('US delegation'). Kept:
    every sentence read for the question is checked against the same ones."""
    pairs = list(re.finditer(r"\b([A-Z][\w'’.-]*|US|EU|UK|UN)\s+([a-z]{4,})\b", question))
    # Every party the question names: 'North Korean soldiers … alongside Russian forces'.
    wanted = frozenset(_entity(m.group(1)) for m in pairs)
    # ('did Russia recognise': a subject and its verb, not Russia's kind of thing)
    asked = tuple(
        (m.group(1), m.group(2))
        for m in pairs
        if not _after_auxiliary(question, m) and not _final_verb(question, m)
    )
    return wanted, asked


def parties(text: str) -> set[str]:
    """The countries and sides a text names, each as one name ('Russia's', 'Kremlin' → russia)."""
    return {
        _entity(w) for w in re.findall(r"\b[A-Z][\w'’-]+", text) if _entity(w) in _CANON.values()
    }


def party_of(word: str) -> str:
    return _entity(word)


def modifier_clash(
    question: str, sentence: str, kin: Callable[[str], set[str]] | None = None
) -> str | None:
    """'the US delegation' asked, 'the Ukrainian delegation' quoted: the sentence is about
    another party's thing. Returns the clashing modifier."""
    wanted, asked = _modified(question)
    for modifier, noun in asked:
        if modifier in NOT_NAMES or modifier in TITLES or any(ch.isdigit() for ch in modifier):
            continue  # 'F-16 pilots' names a kind of pilot, not a party's
        want = _entity(modifier)
        # (Both patterns need the noun itself: a sentence without it is not searched.)
        said = noun in sentence
        before = re.findall(rf"((?:\S+\s+){{1,3}}){re.escape(noun)}\b", sentence) if said else []
        if any(want in {_entity(w.strip("()[],")) for w in b.split()} for b in before):
            continue  # the sentence also speaks of the asked one
        others = re.findall(rf"\b([A-Z][\w'’.-]*)\s+{re.escape(noun)}\b", sentence) if said else []
        for other in others:
            if other in NOT_NAMES or other in TITLES:
                continue
            if _entity(other) != want and _entity(other) not in wanted:
                if _entity(other).split("-")[0] == want.split("-")[0]:
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
                if i == 1 and _entity(other) not in ALIASES:
                    continue  # 'Transit stopped': capitalised only as the sentence's first word
                nearby = {_entity(x.strip("()[],")) for x in words[max(0, i - 4) : i]}
                if want not in nearby and _entity(other) not in wanted:
                    return other
    return None


@lru_cache(maxsize=1_024)
def _owners(part: Part) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The parties the part names, its words, and the stems of the things it owns. Kept: every
    sentence read for the part is checked against the same ones."""
    wanted = {_entity(w) for n in part.constraints.names for w in [n, *n.split()]}
    # 'the German training area': a demonym the question gives names a party too
    wanted |= {
        _entity(w)
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
            r"\b(the|its|their|his|her|a|an|next|[A-Z][\w'’]*)\s+(?:([a-z][\w-]*)\s+)?([a-z]{4,})\b",
            part.text,
        )
        if m.group(1) not in NOT_NAMES or m.group(1).islower()
        for w in (
            m.group(2) if re.search(r"['’]s$", m.group(1)) else None,
            None if _after_auxiliary(part.text, m) else m.group(3),
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
            or _entity(x) in wanted
            or _entity(x).split("-")[0] in wanted
            or any(mentions(n, x) for n in part.constraints.names)
            for x in spans
        ):
            return None  # the asked party's own is there too
        if w.lower().endswith(("ed", "ing")) and w.lower() not in asked:
            continue  # 'the order' asked, 'Tarnavskyi ordered' quoted: a verb, owned by no one
        for back, before in enumerate(reversed(window[-2:]), 1):
            if not re.match(r"[A-Z]", before) or before in NOT_NAMES or before in TITLES:
                continue
            if re.search(r"[,;:()\"“”]", sentence[found[i - back].end() : found[i].start()]):
                continue  # "the Security Service, Säpo, took over": a subject, not an owner
            if back == 2 and (not words[i - 1].islower() or words[i - 1] in _AUXILIARIES):
                continue  # only an adjective may stand between owner and thing
            if before in GENERIC_CAPS and _entity(before) == before.lower():
                continue  # "National", "Security": not a party
            other = other or before
    return other
