"""What a question asks for: the slot, the constraints a quote must meet, the time it is about,
and the parts of a compound question.

Both answerers are judged by this reading: a sentence answers a part only if it carries the
slot the part asks for and meets the part's constraints (see `evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from assistant.answer.amounts import AUX, counted_noun, counted_words, measure_of
from assistant.answer.dates import (
    DAY_MONTH,
    ISO_DATE,
    MONTH_DAY,
    MONTH_RE,
    MONTHS,
    YEAR_RE,
    date_range,
    days_in,
    years_in,
)
from assistant.answer.lexicon import GENERIC_CAPS, NOT_NAMES, ORDINALS, ROLES, TITLES
from assistant.text import STOPWORDS, sentence_spans, stem, terms


class Slot(StrEnum):
    PERSON = "person"
    ORG = "organisation"
    PLACE = "place"
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    YESNO = "yes/no"
    REASON = "reason"
    LIST = "list"
    OTHER = "other"


class Temporal(StrEnum):
    LATEST = "latest"  # latest, now, still, currently, so far
    AS_OF = "as of"
    SINCE = "since"
    BEFORE = "before"
    AFTER = "after"
    FIRST = "first"
    LAST = "last"


_WH = r"(?:who|whom|whose|what|when|where|which|why|how)"
_PREP = r"(?:(?:on|in|at|by|from|for|since|to|until|with|under|after|before)\s+)?"
_PART = re.compile(
    rf"(?:,?\s+and\s+|;\s*|\?\s+(?:and\s+)?|,\s+)"
    rf"(?={_PREP}{_WH}\b|(?:did|does|do|is|was|were|has|have)\s)",
    re.IGNORECASE,
)
_PERSON_NOUNS = (
    r"(?:person|people|official|officials|minister|ministers|leader|leaders|member|members|"
    r"general|generals|commander|commanders|envoy|envoys|president|politician|diplomat|"
    r"diplomats|negotiator|negotiators|captain|spokesman|spokesperson|secretary|adviser|advisor|"
    r"ambassador|man|woman|head|chief|figure|figures|candidate|officer|officers|pilot|pilots|soldier|soldiers|journalist|prosecutor|judge|governor|"
    r"mayor)"
)
_ORG_NOUNS = (
    r"(?:organi[sz]ation|organi[sz]ations|agency|agencies|company|companies|group|groups|"
    r"alliance|bloc|body|bodies|institution|institutions|party|parties|firm|firms|outlet|"
    r"outlets|bank|banks|unit|units|brigade|brigades|ministry|ministries)"
)
_PLACE_NOUNS = (
    r"(?:country|countries|city|cities|town|towns|village|villages|region|regions|province|"
    r"provinces|oblast|oblasts|place|places|port|ports|base|bases|state|states|territory|"
    r"territories|capital|border|area|areas|river|bridge|airfield|airfields|plant|airbase|"
    r"airbases|airport|airports|building|buildings|palace|hotel|hall|hospital|camp|site|"
    r"centre|center|facility|ground|grounds)"
)
_TIME_UNITS = r"(?:days?|weeks?|months?|years?|hours?|minutes?)"


@dataclass(frozen=True)
class Constraints:
    """What a quote must agree with: the question's names, years, dates, numbers, roles."""

    names: tuple[str, ...] = ()  # as written: "Marco Rubio", "Kursk", "NATO"
    years: tuple[int, ...] = ()
    dates: tuple[date, ...] = ()  # full days named in the question
    numbers: tuple[str, ...] = ()  # "16th", "30", "2231": not years
    ordinals: tuple[str, ...] = ()  # "second", "third" (first/last are temporal)
    roles: tuple[str, ...] = ()  # "captain", "minister"

    def __bool__(self) -> bool:
        return any((self.names, self.years, self.dates, self.numbers, self.ordinals, self.roles))


@dataclass(frozen=True)
class Part:
    """One question of a (possibly compound) question."""

    text: str
    slot: Slot
    constraints: Constraints
    focus: tuple[str, ...]  # stems of the content words that are not constraints
    counted: str | None = None  # the noun after "how many", stemmed
    temporal: Temporal | None = None  # this part's own time intent ("first admit")
    leans_on: str = ""  # the part before, when this one says "it" or "they"
    measure: str | None = None  # the kind of amount asked for: money, energy, age, distance, …
    counted_words: tuple[str, ...] = ()  # "how many shadow-fleet vessels": shadow, fleet, vessel

    @property
    def search_text(self) -> str:
        return f"{self.text} {self.leans_on}".strip()


@dataclass(frozen=True)
class Question:
    text: str
    parts: tuple[Part, ...]
    temporal: Temporal | None = None
    when: date | None = None  # first day of "as of D", "since D", "before D", "after D"
    until: date | None = None  # last day D can mean ("March 2025" → 31 March)
    context: str = ""  # an earlier question a follow-up was read against
    source: str = ""  # the outlet the question names ("the inuno.ai analysis")
    terms: tuple[str, ...] = field(default=())  # stems of all content words

    @property
    def slot(self) -> Slot:
        return self.parts[0].slot

    @property
    def topic(self) -> str:
        """What the question is about, for scoring sentences: without the source it names
        ("per the inuno.ai analysis"), with the question a follow-up leans on."""
        return f"{_unsourced(self.text)} {self.context}".strip()

    @property
    def compound(self) -> bool:
        return len(self.parts) > 1

    @property
    def wants_latest(self) -> bool:
        return self.temporal in (Temporal.LATEST, Temporal.LAST, Temporal.AS_OF)


FOLLOWING = " (following: "  # how a rule-based rewrite appends the question it leans on


def split_context(text: str) -> tuple[str, str]:
    """'Q (following: P)' → (Q, P); other text → (text, '')."""
    if text.endswith(")") and FOLLOWING in text:
        head, _, tail = text.rpartition(FOLLOWING)
        return head.strip(), tail[:-1].strip()
    return text, ""


# A word that ends a noun phrase: what follows it is no longer the thing asked for.
_NOT_PHRASE = (
    r"(?!(?:of|for|in|on|to|at|by|with|from|that|which|who|did|does|do|was|is|were|are|has|"
    r"have|had|will|and|or)\b)"
)


def slot_of(text: str) -> tuple[Slot, str | None]:
    """The kind of answer a single question wants, and for 'how many X' the stem of X."""
    q = re.sub(r"\b(what|who|where|when|how)['’]s\b", r"\1 is", text.strip().lower())
    q = re.sub(r"^(and|but|so|also|then|ok|okay|now|well)[,\s]+", "", q)
    q = re.sub(r"^(according to|per|in|based on)\b[^,]{0,80},\s*", "", q)  # "According to X, who …"
    q = re.sub(r"^(tell me|can you tell me|do you know|please say)\s+", "", q)
    m = re.search(rf"\bhow\s+(?:many|much)\s+{_TIME_UNITS}", q)
    if m or re.search(
        r"\bhow long\b|\bfor how long\b|\bwhat (?:was |is )?the (?:length|duration)", q
    ):
        return Slot.DURATION, None
    m = re.search(r"\bhow (?:many|much)\s+(?:of\s+)?(?:the\s+)?((?:[\w'-]+\s+){0,3})", q)
    if m:
        return Slot.NUMBER, counted_noun(text, m.group(1).split())
    if re.search(r"\bhow (?:many|much|large|big|high|far|often|old|deep|wide|tall)\b", q):
        return Slot.NUMBER, None
    m = re.search(
        r"^(?:what|which)\s+(?:was |is |were |are |will be )?(?:the\s+)?"
        # "the plant's total generating capacity", "the estimated cost": words of the noun phrase
        rf"(?:{_NOT_PHRASE}[\w'’-]+\s+){{0,6}}?"
        r"(?:number|share|percentage|proportion|amount|sum|size|figure|toll|death toll|value|cost|"
        r"price|rate|count|tally|population|casualties|length|distance|area|budget|volume|"
        r"capacity|output|age|range|revenue|spending|depth|height|width|magnitude|speed|weight|"
        r"altitude|temperature|turnout)\b"
        r"(?:\s+of\s+((?:[\w'-]+\s*){0,3}))?",
        q,
    )
    if m:
        share = re.search(r"\b(?:share|percentage|proportion|rate)\b", m.group(0))
        return Slot.NUMBER, None if share else counted_noun(text, (m.group(1) or "").split())
    if re.search(
        r"^(?:when|since when|until when|by when|(?:in |on |by )?(?:what|which) "
        r"(?:year|date|day|month)s?|what time)\b",
        q,
    ):
        return Slot.DATE, None
    if re.search(
        rf"^(?:in|on|at) (?:what|which) (?:[\w'-]+ ){{0,2}}{_PLACE_NOUNS}\b", q
    ) or q.startswith("where"):
        return Slot.PLACE, None
    named = re.match(
        r"^what (?:is|was|are|were) (?:the )?names? of (?:the |a |an )?((?:[\w'-]+ ){0,3})", q
    )
    if named and any(re.fullmatch(_PERSON_NOUNS, w) for w in named.group(1).split()):
        return Slot.PERSON, None  # "the name of the Ukrainian officer who …": a person
    if named or re.match(r"^what (?:is|was) \w+(?: \w+)? called\b", q):
        return Slot.ORG, None  # a name the question doesn't give
    if re.match(r"^(?:who|whom|whose)\b", q):
        return Slot.PERSON, None
    if re.match(
        r"^(?:why|for what reason|what (?:was|is|were) the (?:reason|motive|cause)s?)\b", q
    ):
        return Slot.REASON, None
    if re.match(r"^what (?:reason|caused|prompted|led to|drove|motivated)\b", q):
        return Slot.REASON, None
    m = re.match(r"^(?:which|what)((?:\s+[\w'-]+){1,4})", q)
    aux = r"\s+(?:did|does|do|is|was|were|has|have|had|can|could|will|would|are)\b"
    if m and not re.match(aux, m.group(1)):
        for noun in m.group(1).split():
            if noun in AUX and noun != "the":
                break  # "what estimate did US officials give": the noun phrase has ended
            many = re.search(r"\b(?:two|three|four|five|six|several|all|both)\b", m.group(1))
            if re.fullmatch(_PERSON_NOUNS, noun):
                plural = (noun.endswith("s") and not noun.endswith("ss")) or noun == "people"
                return (Slot.LIST if plural or many else Slot.PERSON), None
            if re.fullmatch(_ORG_NOUNS, noun):
                return Slot.ORG, None
            if re.fullmatch(_PLACE_NOUNS, noun):
                plural = noun.endswith("s") and not noun.endswith("ss")
                return (Slot.LIST if plural else Slot.PLACE), None
    if re.match(r"^(?:list|name)\b|^what (?:are|were) the (?:\w+ )?(?:main |key )?\w+s\b", q):
        return Slot.LIST, None
    if re.match(
        r"^(?:did|does|do|is|was|were|has|have|had|can|could|will|would|should|are|am)\b", q
    ):
        return Slot.YESNO, None
    return Slot.OTHER, None


_WHEN_PHRASE = (
    rf"((?:\d{{1,2}}\s+)?(?:{MONTH_RE}\s+)?(?:\d{{1,2}},?\s+)?{YEAR_RE}|\d{{4}}-\d\d-\d\d)"
)
_TEMPORAL = [
    (Temporal.AS_OF, re.compile(rf"\bas (?:of|at)\s+{_WHEN_PHRASE}", re.IGNORECASE)),
    (Temporal.SINCE, re.compile(rf"\bsince\s+{_WHEN_PHRASE}", re.IGNORECASE)),
    (
        Temporal.BEFORE,
        re.compile(
            rf"\b(?:before|prior to|until|by the end of|by|predat\w*|earlier than)\s+"
            rf"{_WHEN_PHRASE}",
            re.IGNORECASE,
        ),
    ),
    (Temporal.AFTER, re.compile(rf"\b(?:after|following)\s+{_WHEN_PHRASE}", re.IGNORECASE)),
]
_LATEST = re.compile(
    r"\b(latest|newest|most recent(?:ly)?|now|still|currently|current|today|at present|"
    r"these days|so far|to date|yet|any longer|anymore|recent(?:ly)?|up to date|update)\b",
    re.IGNORECASE,
)
_FIRST = re.compile(r"\b(first|earliest|initially|originally|at first)\b", re.IGNORECASE)
_LAST = re.compile(r"\b(last|final|finally|most recent)\b", re.IGNORECASE)


def temporal_of(text: str) -> tuple[Temporal | None, tuple[date, date] | None, str]:
    """The question's time intent, the days its date can mean, and the text with that phrase
    taken out (so the date of 'since March 2025' is not also an exact-year constraint)."""
    for kind, rx in _TEMPORAL:
        m = rx.search(text)
        if m and (when := date_range(m.group(1))):
            return kind, when, (text[: m.start()] + text[m.end() :]).strip()
    if _LATEST.search(text):
        return Temporal.LATEST, None, text
    # "… commander after the first jet was lost": that 'first' belongs to the time clause
    main_clause = re.split(
        r"(?<=\w)[,]?\s+(?:after|before|when|since|until|following|during)\b", text, maxsplit=1
    )[0]
    if _FIRST.search(main_clause):
        return Temporal.FIRST, None, text
    # Not "how long did the siege last?" (a verb) nor "last week" / "the last year of transit"
    # (a relative date, a description).
    last = _LAST.search(
        re.sub(
            r"\blast\s*\?*\s*$|\blast\s+(?:year|month|week|day|night)s?\b",
            " ",
            text,
            flags=re.IGNORECASE,
        )
    )
    if last:
        return Temporal.LAST, None, text
    return None, None, text


# "F-16", "Su-34", "S-400": a designation is one name with its number.
_DESIGNATION = r"[A-Z][A-Za-z]*-\d+[A-Za-z]*"
_NAME = re.compile(
    rf"\b(?:{_DESIGNATION}|[A-Z][a-zA-Z'’\-]+|[A-Z]{{2,}}s?)"
    rf"(?:\s+(?:of\s+the\s+|of\s+|de\s+|al-)?(?:{_DESIGNATION}|[A-Z][a-zA-Z'’\-]+|[A-Z]{{2,}}))*"
)


def names_in(text: str) -> tuple[str, ...]:
    """Proper names a question is specifically about ('Marco Rubio', 'Kursk', 'NATO'); the
    question's first word, months, demonyms and titles are not names."""
    out: list[str] = []
    for m in _NAME.finditer(text):
        words = [w for w in re.split(r"\s+", m.group(0)) if w not in {"of", "the", "de"}]
        if m.start() == 0 or not text[: m.start()].strip(" \"'“‘("):
            words = words[1:] if words and words[0] in NOT_NAMES else words
        words = [re.sub(r"-[a-z][\w-]*$", "", w) for w in words]  # "UN-brokered" → "UN"
        words = [w.removesuffix("'s").removesuffix("’s").strip("'’") for w in words]
        words = [w for w in words if w not in NOT_NAMES]
        # "NATO Secretary General Mark Rutte" → "NATO", "Mark Rutte": titles split a run.
        runs: list[list[str]] = [[]]
        for w in words:
            if w in TITLES:
                runs.append([])
            else:
                runs[-1].append(w)
        for run in runs:
            if not run or (len(run) == 1 and (run[0] in GENERIC_CAPS or len(run[0]) < 2)):
                continue  # "Russian airmen": no one in particular
            name = " ".join(run)
            if name.lower() in MONTHS or re.fullmatch(r"\d+", name):
                continue
            out.append(name)
    return tuple(dict.fromkeys(out))


def _numbers(text: str) -> tuple[str, ...]:
    """Numbers that pick a thing ('the 16th package', 'the 30-day truce'): not years or days."""
    cleaned = ISO_DATE.sub(" ", text)
    cleaned = DAY_MONTH.sub(" ", cleaned)
    cleaned = MONTH_DAY.sub(" ", cleaned)
    # "the 27-nation bloc", "a 40-strong team" describe; "the 30-day truce" picks one.
    cleaned = re.sub(r"\b\d+-(?!day|week|month|year|hour|point)[a-z]+\b", " ", cleaned)
    found = re.findall(r"(?<![\w.])(\d+(?:[.,]\d+)?)(?:st|nd|rd|th)?(?![\w.-])", cleaned)
    found += re.findall(r"\b(\d+)(?:st|nd|rd|th)\b", cleaned)
    found += re.findall(r"\b(\d+)-(?:day|week|month|year|hour|point)\b", cleaned)
    return tuple(dict.fromkeys(n for n in found if not re.fullmatch(YEAR_RE, n)))


# "After the Kakhovka breach, how long …": a leading clause that sets the scene. Its names
# say when, not what the answer must name (an article on the plant may not repeat the dam).
_SCENE = re.compile(
    r"^\s*(?:after|before|since|during|following|amid|in the wake of|with)\b[^,?]{3,60},\s*(?=\w)",
    re.IGNORECASE,
)


def constraints_of(text: str, temporal_free: str) -> Constraints:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    scene = _SCENE.match(text)
    named = names_in(text[scene.end() :] if scene else text)
    return Constraints(
        names=named,
        years=tuple(sorted(years_in(temporal_free))),
        dates=tuple(dict.fromkeys(days_in(temporal_free))),
        numbers=_numbers(temporal_free),
        ordinals=tuple(sorted(words & ORDINALS)),
        roles=tuple(sorted(words & ROLES)),
    )


def split_parts(text: str) -> list[str]:
    """'Who led X, and when was Y signed?' → the two questions it asks."""
    pieces = [p.strip(" ,;?") for p in _PART.split(text)]
    parts: list[str] = []
    for p in pieces:
        asks = re.match(
            rf"^(?:and\s+)?{_PREP}(?:{_WH}|did|does|do|is|was|were|has|have)\b", p, re.I
        )
        if parts and not asks:
            parts[-1] = f"{parts[-1]}, {p}"
        elif parts and not re.search(
            rf"\b{_WH}\b|^(?:did|does|do|is|was|were|has|have)\b", parts[-1], re.I
        ):
            parts[-1] = f"{parts[-1]}, {p}"  # "According to X, who …": one question
        else:
            parts.append(p)
    parts = [p for p in parts if terms(p)]
    return parts if len(parts) > 1 else [text.strip()]


def _focus(text: str, c: Constraints) -> tuple[str, ...]:
    taken = {stem(w) for n in c.names for w in terms(n)} | {stem(r) for r in c.roles}
    taken |= {stem(str(y)) for y in c.years} | {stem(n) for n in c.numbers}
    taken |= {stem(m) for m in MONTHS}
    skip = {stem(w) for w in ("latest", "current", "currently", "still", "now", "first", "last")}
    return tuple(
        dict.fromkeys(
            stem(t)
            for t in terms(text)
            if stem(t) not in taken and stem(t) not in skip and not any(ch.isdigit() for ch in t)
        )
    )


# "the inuno.ai analysis", "In the AI: Future Wars piece on US-Russia diplomacy": the source
# named, not what the answer must be about.
_SOURCE_NAMED = re.compile(
    r"(?:\b(?:in|per|from|by|according to)\s+)?(?:the\s+)?(?:[A-Z][\w.:'’-]*\s+){0,4}"
    r"[\w.:'’-]*\s*\b(?:piece|article|analysis|report|briefing|story|column|op-ed|write-up)\b"
    r"(?:\s+on\s+[\w'’ -]{1,40}?(?=,))?",
)


def _unsourced(text: str) -> str:
    return _SOURCE_NAMED.sub(" ", text)


# "What about X?", "And X?", "The renewal after that one?": no question of their own.
_ELLIPSIS = re.compile(
    r"^\s*(?:and\s+)?(?:what|how)\s+about\b|^\s*and\s+(?:the\s+|for\s+|in\s+)?[^?]{1,60}\?\s*$"
    r"|^(?!.*\b(?:who|whom|whose|what|when|where|which|why|how|did|does|do|is|are|was|were|has|"
    r"have|had|will|can|could|would|should)\b)[^?]{1,60}\?\s*$",
    re.IGNORECASE,
)
_LEANS = re.compile(r"\b(it|its|they|them|their|there|this|that|these|those)\b", re.IGNORECASE)


def analyse(text: str) -> Question:
    """Read a question: its parts (each with slot, constraints, focus) and its time intent."""
    main, context = split_context(text.strip())
    temporal, when, free = temporal_of(main)
    # "The article mentions X. When did Y?": the question is the sentence that asks.
    sentences = [main[a:b] for a, b in sentence_spans(main)]
    asking = [x for x in sentences if x.rstrip().endswith("?")]
    if len(sentences) > 1 and asking:
        parts_text = [p for x in asking for p in split_parts(x)]
    else:
        parts_text = split_parts(main)
    parts: list[Part] = []
    for i, p in enumerate(parts_text):
        p_temporal, _, p_free = temporal_of(p)
        slot, counted = slot_of(p)
        c = constraints_of(_unsourced(p), _unsourced(p_free if temporal else p))
        leans = parts_text[i - 1] if i and _LEANS.search(p) else ""
        focus = _focus(_unsourced(p_free), c)
        measure = measure_of(p) if slot is Slot.NUMBER else None
        words = counted_words(p) if slot is Slot.NUMBER else ()
        parts.append(Part(p, slot, c, focus, counted, p_temporal, leans, measure, words))
    if context and len(parts) == 1 and _ELLIPSIS.match(main):
        # "What about Seoul's intelligence service?" asks what the question before asked,
        # of something else: its slot and focus, this question's names.
        before = analyse(context).parts[0]
        p = parts[0]
        parts = [
            replace(
                p,
                slot=before.slot,
                counted=before.counted,
                focus=tuple(dict.fromkeys(p.focus + before.focus)),
            )
        ]
    all_terms = tuple(dict.fromkeys(stem(t) for t in terms(main)))
    del free
    first, last = when if when else (None, None)
    source = named_source(main)
    if source:  # the outlet is where to look, not what the answer must name
        parts = [
            replace(
                p,
                constraints=replace(
                    p.constraints,
                    names=tuple(n for n in p.constraints.names if n.lower() not in source.lower()),
                ),
            )
            for p in parts
        ]
    return Question(main, tuple(parts), temporal, first, last, context, source, all_terms)


_SOURCE_WORD = r"(?:piece|article|analysis|report|briefing|story|column|op-ed|write-up)"


def named_source(text: str) -> str:
    """'the inuno.ai analysis' → 'inuno.ai'; 'the AI: Future Wars piece' → 'AI: Future Wars'."""
    m = re.search(rf"\b(?i:the)\s+((?:[\w.:'’-]+\s+){{0,3}}?[\w.:'’-]+)\s+{_SOURCE_WORD}\b", text)
    if not m:
        m = re.match(
            r"^\s*(?i:according to|per)\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}),", text
        )
    if not m:
        return ""
    name = m.group(1).strip()
    return "" if name.lower() in STOPWORDS or name.islower() and "." not in name else name
