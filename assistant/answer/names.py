"""Names in sentences: who a sentence names, and the aliases a party goes by."""

from __future__ import annotations

import re

from assistant.answer.dates import MONTH_NUMBER, WEEKDAYS
from assistant.answer.lexicon import (
    AUXILIARIES,
    COUNTRY_ADJECTIVES,
    GENERIC_CAPS,
    NOT_NAMES,
    TITLES,
)
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
    Day Week Year Year's Eve Christmas Easter Front Line Region Power Nuclear Dam Reservoir
    Canal Port Gulf Channel Basin Coast
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
        if titled and len(words) > 2 and words[1] == "Rank":
            words = words[2:]  # "Captain First Rank Anton Kuprin": a naval rank
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


def entity(word: str) -> str:
    """One name for a party however it is written ('Russia's', 'Kremlin', 'Russian' → russia)."""
    w = word.lower().removesuffix("'s").removesuffix("’s").strip("().,")
    w = _DEMONYM.get(w, w)
    return _CANON.get(w, w)


def is_party(name: str) -> bool:
    """A country or side, as `entity` writes it."""
    return name in _CANON.values()


_OPENERS = frozenset(
    """However Meanwhile Moreover Furthermore Also Both Under Following After Before During
    Since While Although Though Despite According Overall Instead Still Yet Later Earlier
    Today Yesterday Finally First Second Third Last Next Then Thus Therefore Hence Such Each
    Several Many Most Some Other Others Neither Either Officials Sources Reports Analysts
    Negotiations Talks""".split()
)


def first_name(sentence: str) -> str | None:
    """The sentence's first word, when it is a name and not just capitalised ('Kyiv fell')."""
    first = re.match(r"\s*[\"'“‘(]?([A-Z][a-z][\w'’-]+)\b", sentence)
    if first and first.group(1) not in NOT_NAMES | GENERIC_CAPS | _OPENERS:
        return first.group(1)
    return None


# "What are the names of the two soldiers …", "the name of the pilot": people of one kind.
_NAMES_OF = re.compile(
    r"\bnames? of (?:the |a |an )?(?:[\w'-]+ ){0,4}?"
    r"(soldiers?|officers?|pilots?|prisoners?|victims?|crew|journalists?|children|men|women)\b",
    re.IGNORECASE,
)


def named_beside(person: str, noun: str, sentence: str) -> bool:
    """The person is named within a few words of the noun ('the soldiers, Kim and Ri', 'pilot
    Ivan Petrov'), not elsewhere in the sentence ('Zelensky said … two soldiers')."""
    words = [stem(w.strip(".,;:()\"'’").lower()) for w in sentence.split()]
    first = person.split()[0]
    at = [i for i, w in enumerate(sentence.split()) if w.strip(".,;:()\"'’") == first]
    kin = {noun, noun.rstrip("s")}
    return any(words[j] in kin for i in at for j in range(max(0, i - 4), min(len(words), i + 6)))


def people_named(question: str) -> str | None:
    """The stem of the people whose names are asked for, if the question asks for names."""
    m = _NAMES_OF.search(question)
    return stem(m.group(1)) if m else None


def where_named(name: str, question: str) -> bool:
    """The question names it as a place, a side or a thing's name ('in Sevastopol', 'of the
    Dnipro', 'after the Kakhovka dam was breached', 'Moscow'), not as a person or body who acts
    ('has Zelensky asked')."""
    if is_party(entity(name)):
        return True  # a country or side ('did Moscow release'): what the articles are about
    at = question.find(name)
    if at < 0:
        return False
    before = question[:at].split()[-2:]
    after = question[at + len(name) :].split()[:1]
    if before and before[-1].lower() in _PLACE_PREPOSITIONS:
        return True
    if (
        len(before) == 2
        and before[-1].lower() == "the"
        and before[0].lower() in _PLACE_PREPOSITIONS
    ):
        return True
    # 'the Kakhovka dam', 'how many Azovstal fighters'; not 'has Zelensky asked'
    actor = bool(before) and before[-1].lower() in _BEFORE_SUBJECT
    return bool(after) and after[0][:1].islower() and not actor


# ('… after Putin announced': after a conjunction, too, a subject and its verb)
_BEFORE_SUBJECT = AUXILIARIES | frozenset(
    "after before when since until as because while that and or".split()
)


_PLACE_PREPOSITIONS = frozenset(
    "in at near of from on over across under into outside inside around towards to".split()
)


# '30 kilometres west of Kupiansk', 'some 15 km from the border': the place after it is a landmark
_LANDMARK = re.compile(
    r"\b\d[\d,.]*\s*(?:kilometres|kilometers|km|miles)\s+(?:(?:to\s+the\s+)?"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:\s+of)?|from)\s+(?:the\s+)?"
    r"(?:[A-Z][\w'’-]+\s*)+"
)
_FAR = re.compile(r"\b(?:how far|far from|distance|kilometres|miles)\b", re.I)


def without_landmarks(question: str, sentence: str) -> str:
    """The sentence without the places it names only to say where another is ('Hroza, a
    village 30 kilometres west of Kupiansk'), unless the question asks how far."""
    return sentence if _FAR.search(question) else _LANDMARK.sub(" ", sentence)
