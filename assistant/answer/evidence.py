"""Does a sentence answer a part of the question? The one check both answerers go through.

A sentence supports a part only if it carries the slot the part asks for (a real number for
"how many", a date for "when", a name the question doesn't already give for "who") and meets
the part's constraints (its names, years, dates, numbers, ordinals and roles are in the
sentence, its passage or its document's title; a year can also be fixed by the publication
date). The same module reads the value a sentence gives, so that two sources giving different
values for the same thing can be told apart from two sources agreeing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.answer.question import (
    GENERIC_CAPS,
    MONTH_NUMBER,
    MONTH_RE,
    MONTHS,
    NOT_NAMES,
    TITLES,
    YEAR_RE,
    Part,
    Slot,
    days_in,
    years_in,
)
from assistant.models import DocMeta
from assistant.text import stem, terms

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
    "germany": ("berlin", "german"),
    "france": ("paris", "french", "elysee"),
    "iran": ("tehran", "iranian"),
}
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
_VAGUE = re.compile(
    r"\b(a number of|several|many|numerous|some|a few|scores of|a handful of|countless|"
    r"an unknown number|unspecified|undisclosed)\b",
    re.IGNORECASE,
)
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|"
    r"millions|billion|billions|trillion|dozen|dozens|half)"
)
_NUMBER = re.compile(
    rf"(?:[$€£]\s?)?\b\d[\d,.]*(?:\s?(?:%|per cent|percent|bn|m|k|million|billion|trillion))?"
    rf"|\b{_NUMBER_WORD}\b",
    re.IGNORECASE,
)
_WORD_VALUE = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
_UNIT = r"(day|week|month|year|hour)s?"
_DURATION = re.compile(rf"\b(\d+|{_NUMBER_WORD})[\s-]+{_UNIT}\b|\b(\d+)-{_UNIT}\b", re.IGNORECASE)
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
# Days fixed by the publication date. "This month" or "last year" fix no day: not a date.
_RELATIVE = re.compile(
    rf"\b(?:yesterday|today|tonight|last night|on {_WEEKDAY}|{_WEEKDAY})\b", re.IGNORECASE
)
_DATEISH = re.compile(
    rf"\b{MONTH_RE}\b|(?<![\d-]){YEAR_RE}(?![\d-])|\b\d{{4}}-\d\d-\d\d\b|{_RELATIVE.pattern}",
    re.IGNORECASE,
)


NUMBER_WINDOW = 10  # words between a count and what it counts
# Words articles use for the same counted thing.
_COUNTED_KIN = [
    {"troop", "soldier", "servicemen", "personnel", "forc", "fighter", "men"},
    {"prison", "pow", "captiv", "detaine", "servicemen"},
    {"peopl", "civilian", "person", "resid", "individu"},
    {"aircraft", "plane", "jet", "bomber"},
    {"drone", "uav"},
    {"refuge", "displac"},
]


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str = ""
    value: str | None = None  # the slot's value in the sentence, for comparing sources


def _has(phrase: str, text_lower: str, stems: set[str]) -> bool:
    """A name (or its alias) in the text: whole words, surname enough for a person."""
    p = phrase.lower()
    if re.search(rf"(?<![\w]){re.escape(p)}(?![\w])", text_lower):
        return True
    for alias in ALIASES.get(p, ()):
        if re.search(rf"(?<![\w]){re.escape(alias)}(?![\w])", text_lower):
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


def mentions(name: str, text: str) -> bool:
    """The text names this person, place or body (or an alias of it)."""
    return _has(name, text.lower(), {stem(t) for t in terms(text)})


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


def people(sentence: str) -> list[str]:
    """Person names a sentence gives: runs of capitalised words that are not places or bodies,
    without their titles ('Foreign Minister Sergey Lavrov' → 'Sergey Lavrov'), titled
    surnames ('President Putin') and speakers ('Lavrov said')."""
    out: list[str] = []
    for m in _CAP_RUN.finditer(sentence):
        words = m.group(0).split()
        titled = False
        while words and (words[0] in TITLES or words[0] in NOT_NAMES or words[0] in GENERIC_CAPS):
            titled = titled or words[0] in TITLES
            words = words[1:]
        if not words or set(words) & (_NOT_PERSON_WORDS | GENERIC_CAPS):
            continue
        if any(w.lower() in MONTH_NUMBER for w in words) or len(words) > 3:
            continue
        at_start = not sentence[: m.start()].strip(" \"'“‘(")
        if len(words) >= 2 or titled:
            out.append(" ".join(words))
        elif re.match(rf"\s+{_SPEECH}\b", sentence[m.end() :]) or (
            not at_start and re.search(r"\b(?:by|with|from|and|,)\s*$", sentence[: m.start()])
        ):
            out.append(words[0])
    return list(dict.fromkeys(out))


def capitalised(sentence: str) -> list[str]:
    """Names of any kind after the first word (places, bodies, people, acronyms)."""
    found = re.findall(r"(?<!^)(?<![.!?]\s)\b([A-Z][\w'’-]+|[A-Z]{2,})", sentence)
    return [w for w in found if w not in NOT_NAMES and w.lower() not in MONTH_NUMBER]


def _undated(sentence: str) -> str:
    """The sentence with its dates blanked, so '6 August 2024' does not count as a number."""
    s = re.sub(r"\b\d{4}-\d\d-\d\d\b", " ", sentence)
    s = re.sub(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}\b", " ", s, flags=re.I)
    s = re.sub(rf"\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", " ", s, flags=re.I)
    return re.sub(rf"(?<![\d,.-]){YEAR_RE}(?![\d-])", " ", s)


_UNIT_TAIL = re.compile(
    r"(?:\s+(?:billion|million|thousand|bn))?\s+(?:cubic met(?:re|er)s|square (?:kilomet(?:re|er)s|"
    r"miles)|kilomet(?:re|er)s|km|per cent|percent|tonnes|barrels|a barrel|bcm)\b",
    re.IGNORECASE,
)


def numbers(sentence: str) -> list[tuple[int, str]]:
    """(word position, text) of every count or amount, dates excluded."""
    undated = _undated(sentence)
    if _VAGUE.search(undated) and not re.search(r"\d", undated):
        undated = _VAGUE.sub(" ", undated)
    out = []
    for m in _NUMBER.finditer(undated):
        text = m.group(0).strip()
        if not text or text.lower() in {"one"} and re.search(r"\bone of\b", undated[m.start() :]):
            continue
        if re.match(r"(?:st|nd|rd|th)\b", undated[m.end() :]):
            continue  # "the 14th package" names a package, it counts nothing
        if re.match(r"-(?!day|week|month|year|hour)[a-z]", undated[m.end() :]):
            continue  # "the 27-member bloc" describes the bloc
        if re.fullmatch(r"[\d.,]+", text) and text.strip(".,") == "":
            continue
        position = len(undated[: m.start()].split())
        unit = _UNIT_TAIL.match(undated[m.end() :])
        text = text.strip(".,") + (unit.group(0).rstrip() if unit else "")
        out.append((position, text))
    return out


_PLACE_NOUNS = (
    r"(?:town|city|village|region|province|oblast|port|base|capital|district|settlement|"
    r"country|airfield|island|peninsula)"
)
_UNITS = (
    "square",
    "kilomet",
    "km",
    "mile",
    "metre",
    "meter",
    "per cent",
    "percent",
    "%",
    "tonne",
    "ton",
    "barrel",
    "cubic",
    "bcm",
    "euro",
    "dollar",
    "rouble",
    "ruble",
    "hryvnia",
    "$",
    "€",
    "£",
    "day",
    "week",
    "month",
    "year",
    "hour",
    "minute",
    "litre",
    "gigawatt",
    "megawatt",
)


# Words that say a number is wanted, not what it is of ("the unemployment rate").
_SLOT_WORDS = {
    stem(w)
    for w in "rate share number amount percentage proportion figure total value level size "
    "volume count tally sum".split()
}


def counted_kin(counted: str) -> set[str]:
    """The counted noun and the words articles use for the same thing."""
    out = {counted}
    for kin in _COUNTED_KIN:
        if counted in kin:
            out |= kin
    return out


def _unit_after(sentence: str, found: tuple[int, str]) -> set[str]:
    """Measurement units written with a number ('1,000 square kilometres', '$60', '40%')."""
    undated = _undated(sentence)
    words = undated.split()
    after = " ".join(words[found[0] : found[0] + 3]).lower()
    return {u for u in _UNITS if u in after}


def _number_near(part: Part, sentence: str) -> str | None:
    """The count the part asks for: a number near the counted noun or a focus word."""
    found = numbers(sentence)
    if not found:
        return None
    words = [stem(w) for w in re.findall(r"[\w'’$€£%-]+", _undated(sentence))]
    anchors = set(part.focus) - _SLOT_WORDS
    anchors |= counted_kin(part.counted) if part.counted else set()
    targets = [i for i, w in enumerate(words) if w in anchors]
    if not targets:
        return found[0][1] if len(found) == 1 and not part.counted else None
    asked_units = {u for u in _UNITS if re.search(rf"\b{u}", part.text, re.IGNORECASE)}
    if re.search(r"\bhow many\b", part.text, re.IGNORECASE):
        # "how many soldiers": not "1,000 square kilometres", not "40 per cent"
        found = [f for f in found if not (_unit_after(sentence, f) - asked_units)]
        if not found:
            return None
    best = min(found, key=lambda f: min(abs(f[0] - t) for t in targets))
    distance = min(abs(best[0] - t) for t in targets)
    return best[1] if distance <= NUMBER_WINDOW else None


def duration(sentence: str, anchors: set[str] | None = None) -> str | None:
    """A length of time ('60 days', '10 or 12 days'); of several, the one nearest the words
    the question asks about."""
    found = []
    for m in _DURATION.finditer(sentence):
        amount = m.group(1) or m.group(3)
        unit = (m.group(2) or m.group(4)).lower()
        if amount.lower() == "half":
            continue
        text = f"{amount} {unit}s" if amount not in {"one", "1"} else f"1 {unit}"
        found.append((len(sentence[: m.start()].split()), text))
    if not found:
        return None
    if not anchors:
        return found[0][1]
    words = [stem(w) for w in sentence.split()]
    targets = [i for i, w in enumerate(words) if w.strip(".,;:") in anchors]
    if not targets:
        return found[0][1]
    return min(found, key=lambda f: min(abs(f[0] - t) for t in targets))[1]


def duration_days(value: str) -> float | None:
    m = re.match(r"(\S+)\s+(\w+?)s?$", value)
    if not m:
        return None
    amount = _WORD_VALUE.get(m.group(1).lower())
    if amount is None:
        try:
            amount = float(m.group(1))
        except ValueError:
            return None
    return amount * _UNIT_DAYS.get(m.group(2).lower(), 1)


def number_value(text: str) -> float | None:
    """12 from '12', 1200 from '1,200', 5e9 from '$5 billion'; None for words we can't read."""
    t = text.lower().replace(",", "")
    m = re.search(r"(\d+(?:\.\d+)?)", t)
    if m:
        v = float(m.group(1))
        for word, factor in (("trillion", 1e12), ("billion", 1e9), ("bn", 1e9), ("million", 1e6)):
            if word in t:
                v *= factor
        return v
    return float(_WORD_VALUE[t]) if t in _WORD_VALUE else None


def event_dates(sentence: str, published: date | None) -> list[date]:
    """Days a sentence names, a yearless day resolved against the publication date."""
    year = published.year if published else None
    out = []
    for d in days_in(sentence, default_year=year):
        if published and d > published + timedelta(days=31) and not re.search(YEAR_RE, sentence):
            d = d.replace(year=d.year - 1)  # "on 28 December" in a January article
        out.append(d)
    return out


_DATE_PHRASE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+{YEAR_RE})?"
    rf"|\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+{YEAR_RE})?"
    rf"|\b(?:(?:early|mid|late)[\s-]+)?{MONTH_RE}\s+{YEAR_RE}"
    rf"|\b\d{{4}}-\d\d-\d\d\b"
    rf"|(?<![\d-]){YEAR_RE}(?![\d-])",
    re.IGNORECASE,
)


def date_value(sentence: str, published: date | None) -> str | None:
    """The first date a sentence gives, as written ('6 August 2024', 'March 2014', '2014');
    'relative' for a weekday or a month alone (fixed only by the publication date)."""
    m = _DATE_PHRASE.search(sentence)
    if m:
        return m.group(0)
    if _RELATIVE.search(sentence) or re.search(
        rf"\b(?:in|on|since|until|from|by|early|late|mid-?)\s+{MONTH_RE}\b", sentence, re.I
    ):
        return "relative"
    return None


def date_year(value: str, published: date | None) -> int | None:
    """The year a date as written falls in (a yearless day takes the publication year)."""
    years = years_in(value)
    if years:
        return min(years)
    days = event_dates(value, published)
    return days[0].year if days else None


def _date_near(part: Part, sentence: str, published: date | None) -> str | None:
    """The date of what the part asks about: in a clause naming its names or focus words."""
    clauses = [c for c in re.split(r"[,;:]\s+|\s+(?:and|while|but|after|before)\s+", sentence)]
    wanted = {stem(w) for n in part.constraints.names for w in terms(n)} | set(part.focus)
    scored = []
    for i, clause in enumerate(clauses):
        value = date_value(clause, published)
        if value:
            hits = len(wanted & {stem(t) for t in terms(clause)})
            scored.append((hits, -i, value))
    if scored:
        return max(scored)[2]
    return date_value(sentence, published)


def _slot(part: Part, sentence: str, meta: DocMeta, asked: set[str]) -> Check:
    slot = part.slot
    if slot is Slot.NUMBER:
        value = _number_near(part, sentence)
        return Check(bool(value), "" if value else "no number for what was asked", value)
    if slot is Slot.DURATION:
        value = duration(sentence, set(part.focus))
        return Check(bool(value), "" if value else "no length of time", value)
    if slot is Slot.DATE:
        value = _date_near(part, sentence, meta.published)
        return Check(bool(value), "" if value else "no date", value)
    if slot is Slot.PERSON:
        new = [p for p in people(sentence) if not all(stem(w) in asked for w in p.split())]
        return Check(bool(new), "" if new else "names nobody new", new[0] if new else None)
    if slot is Slot.PLACE:
        # "in Paris", "at Ciragan Palace", "to Jeddah": a place is where something happens.
        new = [
            w
            for w in re.findall(
                r"\b(?:in|at|near|to|from|outside|inside|into|towards?)\s+(?:the\s+)?"
                r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)",
                sentence,
            )
            if stem(w.split()[0]) not in asked and w.split()[0] not in NOT_NAMES
        ]
        # "Sudzha, a small town close to the border", "the town of Sudzha"
        new += [
            w
            for w in re.findall(
                rf"\b([A-Z][\w'’-]+),\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}{_PLACE_NOUNS}\b"
                rf"|\b{_PLACE_NOUNS}\s+of\s+([A-Z][\w'’-]+)",
                sentence,
            )
            for w in w
            if w and stem(w) not in asked and w not in NOT_NAMES
        ]
        return Check(bool(new), "" if new else "no place named", new[0] if new else None)
    if slot is Slot.ORG:
        new = [w for w in capitalised(sentence) if stem(w) not in asked]
        return Check(bool(new), "" if new else f"no {slot.value} named", new[0] if new else None)
    if slot is Slot.LIST:
        named = {w for w in capitalised(sentence) if stem(w) not in asked}
        items = len(named) >= 2 or len(re.findall(r",|\band\b|;", sentence)) >= 2
        return Check(items, "" if items else "lists nothing")
    return Check(True)


def meets(part: Part, sentence: str, passage_text: str, meta: DocMeta) -> Check:
    """The part's constraints hold in the sentence, its passage or its title."""
    c = part.constraints
    s_low = sentence.lower()
    around = f"{meta.title}\n{passage_text}"
    a_low = around.lower()
    s_stems = {stem(t) for t in terms(sentence)}
    a_stems = {stem(t) for t in terms(around)} | s_stems
    clash = modifier_clash(part.text, sentence) or owner_clash(part, sentence)
    if clash:
        return Check(False, f"about the {clash} side")
    for name in c.names:
        if not (_has(name, s_low, s_stems) or _has(name, a_low, a_stems)):
            return Check(False, f"'{name}' is not mentioned")
        if name_conflict(name, sentence):
            return Check(False, f"about another person than '{name}'")
    for role in c.roles:
        if stem(role) not in a_stems:
            return Check(False, f"no '{role}' mentioned")
    for n in c.numbers:
        if not re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", around + " " + sentence):
            return Check(False, f"'{n}' is not mentioned")
    for o in c.ordinals:
        if o not in a_low and o not in s_low:
            return Check(False, f"'{o}' is not mentioned")
    if c.years:
        own = years_in(sentence)
        if own:
            if not own & set(c.years) and not _spans(own, c.years, sentence):
                return Check(
                    False,
                    f"about {', '.join(map(str, sorted(own)))}, not {', '.join(map(str, c.years))}",
                )
        else:
            near = years_in(passage_text) | years_in(meta.title)
            pub = {meta.published.year} if meta.published else set()
            if not (near | pub) & set(c.years) and (near or pub):
                return Check(False, f"not dated {', '.join(map(str, c.years))}")
    for d in c.dates:
        mentioned = event_dates(around + " " + sentence, meta.published)
        if d not in mentioned and not (
            meta.published and timedelta(0) <= meta.published - d <= timedelta(days=3)
        ):
            return Check(False, f"not dated {d.day} {MONTHS[d.month - 1].capitalize()}")
    return Check(True)


_DEMONYM = {
    "russian": "russia",
    "ukrainian": "ukraine",
    "american": "us",
    "european": "eu",
    "british": "uk",
    "french": "france",
    "german": "germany",
    "polish": "poland",
    "turkish": "turkey",
    "chinese": "china",
    "saudi": "saudi arabia",
}


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


def modifier_clash(question: str, sentence: str) -> str | None:
    """'the US delegation' asked, 'the Ukrainian delegation' quoted: the sentence is about
    another party's thing. Returns the clashing modifier."""
    asked = re.findall(r"\b([A-Z][\w'’.-]*|US|EU|UK|UN)\s+([a-z]{4,})\b", question)
    for modifier, noun in asked:
        if modifier in NOT_NAMES or modifier in TITLES:
            continue
        want = _entity(modifier)
        before = re.findall(rf"((?:\S+\s+){{1,3}}){re.escape(noun)}\b", sentence)
        if any(want in {_entity(w.strip("()[],")) for w in b.split()} for b in before):
            continue  # the sentence also speaks of the asked one
        for other in re.findall(rf"\b([A-Z][\w'’.-]*)\s+{re.escape(noun)}\b", sentence):
            if other in NOT_NAMES or other in TITLES:
                continue
            if _entity(other) != want:
                return other
    return None


def owner_clash(part: Part, sentence: str) -> str | None:
    """'When will Ukraine hold its next presidential election?' against 'the US presidential
    election': the asked thing, owned by a party the question does not name."""
    if not part.constraints.names:
        return None
    wanted = {_entity(w) for n in part.constraints.names for w in [n, *n.split()]}
    asked = {w.lower() for w in re.findall(r"[\w'’]+", part.text)}
    # Only things the question owns ("its next election", "the US delegation"), not verbs.
    owned = {
        stem(m.group(2))
        for m in re.finditer(
            r"\b(the|its|their|his|her|a|an|next|[A-Z][\w'’]*)\s+(?:[a-z][\w-]*\s+)?([a-z]{4,})\b",
            part.text,
        )
        if m.group(1) not in NOT_NAMES or m.group(1).islower()
    } & set(part.focus)
    words = re.findall(r"[\w'’.-]+", sentence)
    other = None
    for i, w in enumerate(words):
        if stem(w) not in owned or len(w) < 4:
            continue
        window = words[max(0, i - 3) : i]
        spans = window + [" ".join(window[j:]) for j in range(len(window) - 1)]
        spans = [x for x in spans if re.match(r"[A-Z]", x) and x not in NOT_NAMES]
        if any(
            x.lower() in asked
            or _entity(x) in wanted
            or any(mentions(n, x) for n in part.constraints.names)
            for x in spans
        ):
            return None  # the asked party's own is there too
        for before in window[-2:]:
            if not re.match(r"[A-Z]", before) or before in NOT_NAMES or before in TITLES:
                continue
            if before in GENERIC_CAPS and _entity(before) == before.lower():
                continue  # "National", "Security": not a party
            other = other or before
    return other


def _spans(own: set[int], wanted: tuple[int, ...], sentence: str) -> bool:
    """'between 2014 and 2022', 'from 2014 to 2024', '2014-2022' cover the years between."""
    if len(own) < 2 or not re.search(r"\b(between|from|since|to|until|through)\b|–|-", sentence):
        return False
    return any(min(own) <= y <= max(own) for y in wanted)


def focus_in_sentence(part: Part, sentence: str) -> float:
    """Share of the part's own words (what it asks about, besides names) in the sentence."""
    if not part.focus:
        return 1.0
    stems = {stem(t) for t in terms(sentence)}
    return sum(f in stems for f in part.focus) / len(part.focus)


def names_in_sentence(part: Part, sentence: str) -> float:
    """Share of the part's names the sentence itself gives (not only its passage)."""
    if not part.constraints.names:
        return 1.0
    low = sentence.lower()
    stems = {stem(t) for t in terms(sentence)}
    return sum(_has(n, low, stems) for n in part.constraints.names) / len(part.constraints.names)


def supports(part: Part, sentence: str, passage_text: str, meta: DocMeta) -> Check:
    """Slot carried and constraints met: the sentence can stand as the answer to this part."""
    asked = {stem(t) for t in terms(part.text)}
    held = meets(part, sentence, passage_text, meta)
    if not held.ok:
        return held
    return _slot(part, sentence, meta, asked)


# --- claims written by a model --------------------------------------------------------------


_OPENERS = frozenset(
    """However Meanwhile Moreover Furthermore Also Both Under Following After Before During
    Since While Although Though Despite According Overall Instead Still Yet Later Earlier
    Today Yesterday Finally First Second Third Last Next Then Thus Therefore Hence Such Each
    Several Many Most Some Other Others Neither Either Officials Sources Reports Analysts
    Negotiations Talks""".split()
)


def claim_facts(sentence: str) -> tuple[list[str], list[str], list[str]]:
    """Names, numbers and dates a written sentence asserts."""
    sentence = re.sub(r"\[\d{1,3}\]", "", sentence)
    names = [w for w in capitalised(sentence) if w not in GENERIC_CAPS]
    first = re.match(r"\s*[\"'“‘(]?([A-Z][a-z][\w'’-]+)\b", sentence)
    if first and first.group(1) not in NOT_NAMES | GENERIC_CAPS | _OPENERS:
        names.insert(0, first.group(1))  # "Kyiv fell yesterday."
    nums = [t for _, t in numbers(sentence)]
    dates = [m.group(0) for m in _DATEISH.finditer(sentence)]
    return names, nums, dates


def unsupported_facts(sentence: str, sources: list[tuple[str, DocMeta]]) -> list[str]:
    """The names, numbers and dates of a sentence that none of its cited passages contain (the
    passage text, its title, publisher and publication date count)."""
    blob = " ".join(
        f"{text}\n{meta.title}\n{meta.publisher}\n"
        + (
            f"{meta.published.day} {meta.published:%B %Y} {meta.published.isoformat()}"
            if meta.published
            else ""
        )
        for text, meta in sources
    )
    low = blob.lower()
    stems = {stem(t) for t in terms(blob)}
    names, nums, dates = claim_facts(sentence)
    missing = [n for n in names if not _has(n, low, stems) and n.lower() not in low]
    digits = re.sub(r"[^\d]", " ", blob).split()
    for n in nums:
        core = re.sub(r"[^\d.]", "", n).strip(".")
        if core:
            if core.replace(".", "") not in {d for d in digits} and core not in blob:
                missing.append(n)
        elif n.lower() not in low:
            missing.append(n)
    for d in dates:
        if d.lower() not in low and not (
            d.lower() in {"today", "yesterday"} or re.fullmatch(_WEEKDAY, d.lower())
        ):
            missing.append(d)
    return list(dict.fromkeys(missing))
