"""The values sentences give: counts and amounts, lengths of time, dates, read as written and
compared as numbers, so that two sources can be found to agree or to differ."""

from __future__ import annotations

import re

from assistant.answer.dates import MONTH_RE, YEAR_RE
from assistant.text import stem

_VAGUE = re.compile(
    r"\b(a number of|several|many|numerous|some|a few|scores of|a handful of|countless|"
    r"an unknown number|unspecified|undisclosed|"
    r"(?:tens of |hundreds of )?(?:dozens|hundreds|thousands|millions) of)\b",
    re.IGNORECASE,
)


_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|"
    r"millions|billion|billions|trillion|dozen|dozens|half)"
)


# A share written as a fraction: 'about two-thirds', 'roughly three-quarters', 'a third'.
# ('a third country', 'a fifth day': an ordinal before a noun, no share)
_FRACTION = (
    r"(?:one|two|three)[- ](?:thirds?|quarters?|fifths?)"
    r"|\ba (?:third|quarter|fifth)(?=\s*(?:[.,;:)\"”]|$|\s(?:of|were|was|are|is|had|have|has|"
    r"will|would|could|may|might|did|do|does|said|came|went|lived|remain|remained)\b))"
)
_FRACTION_VALUE = {"third": 100 / 3, "quarter": 25.0, "fifth": 20.0}

_NUMBER = re.compile(
    rf"\b(?:{_FRACTION})\b"
    rf"|(?:[$€£]\s?)?\b\d[\d,.]*(?:\s?(?:%|per cent\b|percent\b|bn\b|m\b|k\b|million\b|"
    rf"billion\b|trillion\b))?"
    rf"|\b{_NUMBER_WORD}\b",
    re.IGNORECASE,
)


_WORD_VALUE = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
} | {"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}


_UNIT = r"(day|week|month|year|hour|minute|second)s?"


_DURATION = re.compile(rf"\b(\d+|{_NUMBER_WORD})[\s-]+{_UNIT}\b|\b(\d+)-{_UNIT}\b", re.IGNORECASE)


# "a year and a half", "two and a half years", "half a year", "a month": lengths written out
_HALVES = re.compile(
    rf"\b(?:(an?|one)\s+{_UNIT}\s+and\s+a\s+half|(\d+|{_NUMBER_WORD})\s+and\s+a\s+half\s+"
    rf"{_UNIT}|half\s+an?\s+{_UNIT}|(?:for|took|lasted|about|nearly|almost|over)\s+an?\s+"
    rf"{_UNIT})\b",
    re.IGNORECASE,
)


def _written_out(m: re.Match[str]) -> str:
    if m.group(1):
        return f"1.5 {m.group(2).lower()}s"
    if m.group(3):
        amount = _WORD_VALUE.get(m.group(3).lower(), m.group(3))
        return f"{float(amount) + 0.5:g} {m.group(4).lower()}s"
    if m.group(5):
        return f"0.5 {m.group(5).lower()}s"
    return f"1 {m.group(6).lower()}"


_UNIT_DAYS = {
    "second": 1 / 86_400,
    "minute": 1 / 1_440,
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "month": 30,
    "year": 365,
}


WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"


# Days fixed by the publication date. "This month" or "last year" fix no day: not a date.
RELATIVE = re.compile(
    rf"\b(?:yesterday|today|tonight|last night|on {WEEKDAY}|{WEEKDAY})\b", re.IGNORECASE
)


DATEISH = re.compile(
    rf"\b{MONTH_RE}\b|(?<![\d-]){YEAR_RE}(?![\d-])|\b\d{{4}}-\d\d-\d\d\b|{RELATIVE.pattern}",
    re.IGNORECASE,
)


NUMBER_WINDOW = 10  # words between a count and what it counts


# Words articles use for the same counted thing.
_COUNTED_KIN = [
    {"troop", "soldier", "servicemen", "personnel", "forc", "fighter", "men"},
    {"prison", "pow", "captiv", "detaine", "servicemen"},
    {"peopl", "civilian", "person", "resid", "individu", "inhabit", "crowd", "passeng"},
    {"aircraft", "plane", "jet", "bomber"},
    {"drone", "uav"},
    {"refuge", "displac"},
    {"kill", "wound", "dead", "death", "casualti", "loss", "injur", "die", "fallen", "bodi"},
    {"ship", "vessel", "tanker", "boat", "freighter"},
    {"sailor", "crew", "seamen", "seaman"},  # a ship's crew of 60 counts its sailors
    {"missil", "rocket"},
    {"shell", "round", "projectil"},
    {"child", "children", "minor", "young"},  # 'young patients' are children
    {"employe", "worker", "staff", "workforc"},  # a firm's employees are its workers
]


def _undated(sentence: str) -> str:
    """The sentence with its dates and clock times blanked, so '6 August 2024' and 'at 6:07
    local time' do not count as numbers."""
    s = re.sub(r"\b\d{4}-\d\d-\d\d\b", " ", sentence)
    s = re.sub(r"\b\d{1,2}:\d\d\b(?:\s*[ap]\.?m\b\.?)?|\b\d{1,2}\s*[ap]\.m\.", " ", s, flags=re.I)
    s = re.sub(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}\b", " ", s, flags=re.I)
    s = re.sub(rf"\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", " ", s, flags=re.I)
    return re.sub(rf"(?<![\d,.-]){YEAR_RE}(?![\d-])", " ", s)


_UNIT_TAIL = re.compile(
    r"(?:\s+(?:billion|million|thousand|bn))?\s+(?:cubic met(?:re|er)s|square (?:kilomet(?:re|er)s|"
    r"miles)|kilomet(?:re|er)s|km|met(?:re|er)s|miles|feet|per cent|percent|tonnes|barrels|"
    r"a barrel|bcm)\b",
    re.IGNORECASE,
)


_HYPHEN_UNIT = re.compile(
    r"-(?:(?:kilo)?met(?:re|er)|km|mile|foot|feet|kilogram(?:me)?|kg|tonne|ton|litre|liter)s?\b"
)
_HYPHEN_MEASURE = re.compile(
    r"-(?!day|week|month|year|hour)(?!" + _HYPHEN_UNIT.pattern[1:] + r")[a-z]"
)


def _plural(unit: str) -> str:
    return unit if unit.endswith("s") or unit in ("km", "kg", "feet") else unit + "s"


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
        if re.search(r"\b(?:No|Nos|Number|no)\.?\s*$", undated[: m.start()]):
            continue  # "maternity hospital No. 3" names the hospital
        if re.search(r"[A-Za-z]-$", undated[: m.start()]):
            continue  # "Su-24 bombers", "Kh-22 missiles": a model's designation counts nothing
        if re.match(_HYPHEN_MEASURE, undated[m.end() :]):
            continue  # "the 27-member bloc" describes the bloc; "a 385-metre tower" measures it
        if re.fullmatch(r"[\d.,]+", text) and text.strip(".,") == "":
            continue
        position = len(undated[: m.start()].split())
        unit = _UNIT_TAIL.match(undated[m.end() :])
        text = text.strip(".,") + (unit.group(0).rstrip() if unit else "")
        if not unit and (unit := _HYPHEN_UNIT.match(undated[m.end() :])):
            text += " " + _plural(unit.group(0)[1:])  # 'a 385-metre lattice': 385 metres
        out.append((position, text))
    return out


# Places that are rarely named: where people are held, hide or shelter ('in the basement of
# the village school'). A where-question is answered by one it does not name itself.
_COMMON_PLACES = (
    r"basements?|cellars?|shelters?|bunkers?|tunnels?|school|hospital|church|cathedral|"
    r"theatre|theater|station|plant|factory|hotel|camp|gym|warehouse|hangar|dormitory|"
    r"monastery|stadium|library|university|car park|parking lot|courtyard|yard|square|park|"
    r"field|garage|depot|barracks|cemetery|forest|market"
)
_COMMON_PLACE = re.compile(
    r"\b(?i:in|inside|into|at|under|beneath|underneath)\s+(?:the|a|an|its|their|his|her)\s+"
    rf"(?:[\w'’-]+\s+){{0,2}}?({_COMMON_PLACES})\b(?:\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?"
    rf"(?:{_COMMON_PLACES}|[A-Z][\w'’-]+))?",
)


def common_place(sentence: str, asked: set[str]) -> str | None:
    """'in the basement of the village school': an unnamed place, when the question does not
    already give it (its stems are `asked`)."""
    for m in _COMMON_PLACE.finditer(sentence):
        words = {stem(w.lower()) for w in re.findall(r"[\w'’-]+", m.group(0))}
        if stem(m.group(1).lower()) not in asked and not words <= asked:
            return m.group(0)
    return None


PLACE_NOUNS = (
    r"(?:town|city|village|region|province|oblast|port|base|capital|district|settlement|"
    r"country|airfield|island|peninsula|republic)"
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
SLOT_WORDS = {
    stem(w)
    for w in "rate share number amount percentage proportion figure total value level size "
    "volume count tally sum far deep depth high height wide width tall long large big old "
    "city town village region province district".split()
}


# People of one kind, counted when people are asked for ('how many people had gathered':
# 'about 200 cadets and instructors'), one way only: 'how many cadets' is not 'people'.
_PEOPLE_OF_A_KIND = frozenset(
    stem(w)
    for w in "cadets students pupils instructors teachers workers employees staff miners "
    "doctors nurses patients shoppers worshippers guests".split()
)


def counted_kin(counted: str) -> set[str]:
    """The counted noun and the words articles use for the same thing."""
    out = {counted}
    for kin in _COUNTED_KIN:
        if counted in kin:
            out |= kin
    if counted == "peopl":
        out |= _PEOPLE_OF_A_KIND
    return out


def _unit_after(sentence: str, found: tuple[int, str]) -> set[str]:
    """Measurement units written with a number ('1,000 square kilometres', '$60', '40%')."""
    undated = _undated(sentence)
    words = undated.split()
    after = " ".join(words[found[0] : found[0] + 3]).lower()
    if re.match(r"\S+ and an? half\b", " ".join(words[found[0] : found[0] + 4]).lower()):
        after = " ".join(words[found[0] : found[0] + 6]).lower()  # "two and a half years"
    return {u for u in _UNITS if u in after}


_KIND_AFTER = {
    "money": r"^(?:(?:billion|million|thousand|bn|m|trillion)\s+)?(?:euros?|dollars?|roubles?|"
    r"rubles?|hryvnias?|pounds?|usd|eur)\b",
    "energy": r"^(?:(?:billion|million|thousand)\s+)?(?:kilo|mega|giga|tera)?watts?\b|"
    r"^(?:kw|mw|gw|twh|kwh|mwh|gwh)\b",
    "age": r"^(?:-year-old|years? old|years of age)\b",
    "distance": r"^(?:(?:thousand|hundred)\s+)?(?:kilomet(?:re|er)s?|km|miles?|met(?:re|er)s?)\b",
    "percent": r"^(?:%|per ?cent\b)",
    "weight": r"^(?:(?:thousand|hundred)\s+)?"
    r"(?:kilo(?:gram(?:me)?s?)?|kg|tonnes?|tons?|pounds?|lbs?)\b",
    "speed": r"^(?:(?:kilomet(?:re|er)s?|km|miles?)\s*(?:an|per|/)\s*hour|km/h|mph|knots?)\b"
    r"|^mach\b",
}


def _after_age(sentence: str, found: tuple[int, str]) -> bool:
    """'aged 18 to 60', 'between the ages of 18 and 60': the second number is an age too."""
    words = _undated(sentence).split()
    before = " ".join(words[max(found[0] - 5, 0) : found[0]]).lower()
    return bool(re.search(r"\b(?:aged|ages? of|ages)\b[\s\d,.–-]*(?:to|and|-|–)?\s*$", before))


# 'a boy of ten', 'a woman of 71': the number after a person and "of" is an age
# The words for one person whose age follows ('a boy of ten', 'a woman aged 71').
PERSON_AGED = (
    r"boy|girl|man|woman|child|baby|teenager|pensioner|son|daughter|mother|father|"
    r"grandmother|grandfather|widow|veteran"
)
_PERSON_OF = (
    rf"\b(?:{PERSON_AGED})\s+of\s*$"
    # 'after a cadet of 20 died': one person and their age, not twenty of them
    r"|\b(?:a|an)\s+(?:[a-z-]+\s+)?(?:cadet|soldier|student|pupil|resident|worker|nurse|"
    r"doctor|driver|volunteer|serviceman|servicewoman|officer|pilot|sailor|miner|teacher|"
    r"farmer|passenger|guard|firefighter|rescuer|medic|journalist|priest|conscript)\s+of\s*$"
)


def of_kind(measure: str, sentence: str, found: tuple[int, str]) -> bool:
    """Whether an amount in the sentence is of the kind asked for ('$60' is money, 'aged 58'
    an age, '1,000 kilometres' a distance)."""
    text = found[1]
    if measure == "money" and re.search(r"[$€£]|\b(?:US|EUR|USD)\b", text):
        return True
    if measure == "percent" and ("%" in text or fraction_share(text) is not None):
        return True
    if measure == "age" and "year-old" in text:
        return True
    words = _undated(sentence).split()
    before = " ".join(words[max(found[0] - 2, 0) : found[0]]).lower()
    if measure == "money" and re.search(r"[$€£]\s*$|\b(?:us|usd|eur)\s*$", before):
        return True
    if measure == "age" and re.search(r"\b(?:aged|age of)\s*$", before):
        return True
    if measure == "age" and re.search(
        _PERSON_OF, " ".join(words[max(found[0] - 3, 0) : found[0]]).lower()
    ):
        return True  # 'a girl of six who died' gives her age, not a count of the dead
    if measure == "speed" and re.search(r"\bmach\s*$", before):
        return True
    start = len(" ".join(words[: found[0]])) + (1 if found[0] else 0)
    rest = " ".join(words)[start:]
    after = rest[rest.find(found[1].split()[0]) + len(found[1].split()[0]) :] if rest else ""
    after = re.sub(r"^[\d.,]*", "", after).lstrip().lower()
    if measure == "age":
        after = re.sub(r"^[\d.,]*\s*", "", after)
    return bool(re.search(_KIND_AFTER[measure], after.lstrip("-") if measure != "age" else after))


def duration(sentence: str, anchors: set[str] | None = None) -> str | None:
    """A length of time ('60 days', '10 or 12 days'); of several, the one nearest the words
    the question asks about."""
    found = []
    for m in _DURATION.finditer(sentence):
        amount = m.group(1) or m.group(3)
        unit = (m.group(2) or m.group(4)).lower()
        if amount.lower() == "half":
            continue
        if re.match(r"\s+(?:after|before|later|earlier|ago|on)\b", sentence[m.end() :], re.I):
            continue  # "nine days after the breach" places an event, it lasts nothing
        text = f"{amount} {unit}s" if amount not in {"one", "1"} else f"1 {unit}"
        found.append((len(sentence[: m.start()].split()), text))
    for m in _HALVES.finditer(sentence):
        if not re.match(r"\s+(?:after|before|later|earlier|ago)\b", sentence[m.end() :], re.I):
            found.append((len(sentence[: m.start()].split()), _written_out(m)))
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


def fraction_share(text: str) -> float | None:
    """A fraction as a percentage: 'two-thirds' → 66.7, 'a quarter' → 25."""
    m = re.fullmatch(r"(one|two|three|a)[- ](third|quarter|fifth)s?", text.strip().lower())
    if not m:
        return None
    count = {"a": 1, "one": 1, "two": 2, "three": 3}[m.group(1)]
    return count * _FRACTION_VALUE[m.group(2)]


def number_value(text: str) -> float | None:
    """12 from '12', 1200 from '1,200', 5e9 from '$5 billion', 66.7 from 'two-thirds' (a
    share, in per cent); None for words we can't read."""
    if (share := fraction_share(text)) is not None:
        return share
    t = text.lower().replace(",", "")
    m = re.search(r"(\d+(?:\.\d+)?)", t)
    if m:
        v = float(m.group(1))
        for word, factor in (("trillion", 1e12), ("billion", 1e9), ("bn", 1e9), ("million", 1e6)):
            if word in t:
                v *= factor
        return v
    return float(_WORD_VALUE[t]) if t in _WORD_VALUE else None
