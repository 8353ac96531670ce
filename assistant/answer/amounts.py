"""What a number question counts or measures: the noun after 'how many', the words of that
phrase up to its verb, and the kind of amount ('how much does it cost' wants money)."""

from __future__ import annotations

import re

from assistant.text import STOPWORDS, stem

AUX = {"did", "does", "do", "is", "was", "were", "has", "have", "had", "will", "are", "the"}


# People counted by where they are from: 'how many Russians crossed' counts Russians.
_PEOPLE = frozenset(
    "russians ukrainians americans europeans georgians kazakhs belarusians poles germans "
    "britons chechens tatars".split()
)


def _names_in(text: str) -> set[str]:
    """Words written with a capital: modifiers of what is counted ('North Korean troops'),
    except a people, which is what is counted."""
    return {w.lower() for w in re.findall(r"\b[A-Z][\w'-]*", text)} - _PEOPLE


def counted_noun(original: str, following: list[str]) -> str | None:
    """The noun counted in 'how many North Korean troops': the first word after the phrase
    that is neither an auxiliary nor written with a capital in the question."""
    capitalised = _names_in(original)
    model = None  # "how many Il-76s were hit": the aircraft of that model ("F-16 jets": jets)
    for w in following:
        if w in AUX:
            break
        if _DESIGNATION.fullmatch(w):
            model = model or stem(w)
            continue
        if any(ch.isdigit() for ch in w):
            continue  # "how many of the 27 members": the members are counted
        if w not in capitalised and w not in STOPWORDS and w not in _ADJECTIVES:
            return stem(w)
    return model


# A model's designation, in the plural or not: 'Il-76s', 'F-16', 'Kh-101s'.
_DESIGNATION = re.compile(r"[A-Za-z]{1,4}-\d{1,4}[A-Za-z]?(?:s|'s)?", re.IGNORECASE)

# Words before the counted noun that only say which ones: 'how many young patients'.
_ADJECTIVES = frozenset(
    "young old elderly new local foreign additional extra more total injured wounded senior "
    "junior female male small large".split()
)


_MEASURES = (
    ("percent", r"\b(?:share|percentage|proportion|per ?cent)\b|\bwhat percent"),
    (
        "money",
        r"\b(?:cost|costs|costing|price|priced|spend|spent|spending|worth|budget|paid|pay|"
        r"funding|loan|fee|revenue|compensation|paying|payment|payments|how much money)\b"
        r"|\bhow much (?:[\w-]+ )?(?:aid|assistance|support)\b",
    ),
    ("energy", r"\b(?:generat\w*|electricity|megawatts?|gigawatts?|power output)\b"),
    ("age", r"\bhow old\b|\bwhat age\b|\bage\b|\baged\b"),
    (
        "distance",
        r"\bhow (?:far|deep|wide|tall|high|long|close)\b|\bdistance\b|\brange\b|\bdepth\b"
        r"|\bheight\b",
    ),
    ("weight", r"\bweight\b|\bhow heavy\b|\bweigh(?:s|ed)?\b"),
    ("speed", r"\bspeed\b|\bhow fast\b"),
)


_SUBSET = re.compile(
    r"\bhow many of (?:the|them|those|these)\b.*\b(?:were|are|was)\s+(?:also\s+)?"
    r"(women|men|children|minors|boys|girls|civilians|foreigners|soldiers|officers|"
    r"volunteers|conscripts|mercenaries|cadets|students|pupils|servicemen|sailors|pilots|"
    r"journalists|doctors|medics|nurses|firefighters|rescuers|residents|workers|employees|"
    r"refugees|prisoners|teachers|guests|[A-Z][\w-]*s)\s*\??$",  # "… systems are Patriots"
)


def subset_counted(text: str) -> str | None:
    """'How many of the civilians killed in Bucha were women?' counts women, not civilians."""
    m = _SUBSET.search(re.sub(r"^how", "how", text.strip(), flags=re.IGNORECASE))
    return m.group(1).lower() if m else None


def counted_words(text: str) -> tuple[str, ...]:
    """Stems of what 'how many …' counts, up to its verb: 'how many shadow-fleet vessels did'
    → shadow-fleet, shadow, fleet, vessel."""
    if subset := subset_counted(text):
        return (stem(subset),)
    m = re.search(r"\bhow many\s+(?:of\s+)?(?:the\s+)?((?:[\w'’-]+\s*){1,4})", text, re.I)
    if not m:
        return ()
    capitalised = _names_in(text)
    out: list[str] = []
    for w in m.group(1).lower().split():
        if w in AUX or w in _VERB_STOPS:
            break
        if _DESIGNATION.fullmatch(w):
            out.append(stem(w))
            continue
        if w in capitalised or w in STOPWORDS or any(ch.isdigit() for ch in w):
            continue
        out += [stem(w)] + [stem(x) for x in w.split("-") if x and "-" in w]
    return tuple(dict.fromkeys(out))


_VERB_STOPS = {"has", "have", "had", "will", "can", "could", "would", "should", "may", "might"}


def measure_of(text: str) -> str | None:
    """The kind of amount a number question wants ('how much does it cost' → money), so an
    amount of another kind ('a range of 1,000 kilometres') does not answer it."""
    low = text.lower()
    if re.search(r"\bhow many\b", low):
        return None  # a count ('how many times … cut off from electricity'), its units as asked
    for kind, pattern in _MEASURES:
        if re.search(pattern, low):
            return kind
    return None
