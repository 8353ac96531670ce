"""What a question asks for: the slot, the constraints a quote must meet, the time it is about,
and the parts of a compound question.

Both answerers are judged by this reading: a sentence answers a part only if it carries the
slot the part asks for and meets the part's constraints (see `evidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from assistant.answer.amounts import counted_words, measure_of
from assistant.answer.dates import (
    DAY_MONTH,
    ISO_DATE,
    MONTH_DAY,
    MONTHS,
    YEAR_RE,
    days_in,
    years_in,
)
from assistant.answer.intent import Slot, Temporal, slot_of, temporal_of
from assistant.answer.lexicon import (
    AUXILIARIES,
    GENERIC_CAPS,
    NOT_NAMES,
    ORDINALS,
    ROLES,
    TITLES,
)
from assistant.text import STOPWORDS, sentence_spans, stem, terms

_WH = r"(?:who|whom|whose|what|when|where|which|why|how)"
_PREP = (
    r"(?:(?:on|in|at|by|from|for|since|to|until|with|under|after|before|over|into|near|across|"
    r"through|against)\s+)?"
)
_PART = re.compile(
    rf"(?:,?\s+and\s+|;\s*|\?\s+(?:and\s+)?|,\s+)"
    rf"(?={_PREP}{_WH}\b|(?:did|does|do|is|was|were|has|have)\s)",
    re.IGNORECASE,
)


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
_DESIGNATION = r"[A-Z][A-Za-z]*-\d+[A-Za-z]*"
_WORD = r"[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|['’\-])+"  # "Bürgenstock", "Zelensky's"
_NAME = re.compile(
    rf"\b(?:{_DESIGNATION}|{_WORD}|[A-Z]{{2,}}s?)"
    rf"(?:\s+(?:of\s+the\s+|of\s+|de\s+|al-)?(?:{_DESIGNATION}|{_WORD}|[A-Z]{{2,}}))*"
)
# Words a question may open with that name no one: "Close to which village …", "One of the
# prisoners …", "Near which town …".
_OPENING_WORDS = frozenset(
    """Close Near Next Along Across Inside Outside Beyond Around Toward Towards Through Within
    Among Amid Besides Apart Roughly Approximately Exactly Overall One Two Three Both Each Some
    Any All Most Many Few Several Just Only Exactly Compared Given Besides Other""".split()
)


_EXCLUDED = re.compile(
    r"\b(?:outside|beyond|other than|except|apart from)\s+(?:of\s+)?(?:the\s+)?$"
)


def names_in(text: str) -> tuple[str, ...]:
    """Proper names a question is specifically about ('Marco Rubio', 'Kursk', 'NATO'); the
    question's first word, months, demonyms and titles are not names."""
    out: list[str] = []
    for m in _NAME.finditer(text):
        if re.search(
            r"\b(?:outside|beyond|other than|except|apart from)\s+(?:of\s+)?(?:the\s+)?$",
            text[: m.start()],
        ):
            continue  # "a naval base outside Crimea": the answer is somewhere else
        words = [w for w in re.split(r"\s+", m.group(0)) if w not in {"of", "the", "de"}]
        if m.start() == 0 or not text[: m.start()].strip(" \"'“‘("):
            opening = NOT_NAMES | _OPENING_WORDS
            words = words[1:] if words and words[0] in opening else words
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


# "… of the Black Sea Fleet after the August 2022 explosions in Crimea?": the same at the end,
# when the question names what it asks about before it.
_SCENE_AFTER = re.compile(
    r"\s+(?:after|before|following|in the wake of|amid|during)\s+the\s+[^,?]{3,60}\??\s*$",
    re.IGNORECASE,
)


def _role_phrases(text: str) -> set[str]:
    """'Who is in charge of Okhmatdyt', 'who runs the railway': the head of it."""
    found = re.search(
        r"\bwho (?:is|was|are|were) in charge of\b|\bwho (?:runs|ran|heads|headed)\b", text, re.I
    )
    return {"head"} if found else set()


def constraints_of(text: str, temporal_free: str) -> Constraints:
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", text)}
    scene = _SCENE.match(text)
    named = names_in(text[scene.end() :] if scene else text)
    after = _SCENE_AFTER.search(text)
    if after and names_in(text[: after.start()]):
        named = names_in(text[: after.start()])
    return Constraints(
        names=named,
        years=tuple(sorted(years_in(temporal_free))),
        dates=tuple(dict.fromkeys(days_in(temporal_free))),
        numbers=_numbers(temporal_free),
        ordinals=tuple(sorted(words & ORDINALS)),
        roles=tuple(sorted(words & ROLES | _role_phrases(text))),
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


# The words that name a source; "the Russian column north of Kyiv" is a convoy, "her weekly
# column" a source.
_SOURCE_WORD = (
    r"(?:piece|article|analysis|report|briefing|story|op-ed|write-up|"
    r"(?<=opinion )column|(?<=weekly )column|(?<=['’]s )column|(?<=her )column|(?<=his )column)"
)
# "the inuno.ai analysis", "In the AI: Future Wars piece on US-Russia diplomacy": the source
# named, not what the answer must be about.
_SOURCE_NAMED = re.compile(
    r"(?:\b(?:in|per|from|by|according to)\s+)?(?:the\s+)?(?:[A-Z][\w.:'’-]*\s+){0,4}"
    rf"[\w.:'’-]*\s*\b{_SOURCE_WORD}\b"
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
_AUX = AUXILIARIES | {"said", "says"}  # after these, "it" is a subject


def _object_it(text: str) -> bool:
    """'win it back', 'hand it over': a thing an earlier part names; not 'did it promise' or
    'confirm it had pulled out' (the body the part itself names), not 'them' or 'there'."""
    words = re.findall(r"[\w'’]+", text.lower())
    for i, w in enumerate(words):
        if w != "it":
            continue
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if before not in _AUX and after not in _AUX and not after.endswith("ed"):
            return True
    return False


_LEANS = re.compile(r"\b(it|its|they|them|their|there|this|that|these|those)\b", re.IGNORECASE)


# "Roughly what proportion …", "So, who …": a word before the question word asks nothing.
_HEDGE = re.compile(
    r"^\s*(?:roughly|approximately|about|around|exactly|precisely|just|briefly|quickly|so|now|"
    r"ok|okay|well)\b,?\s+(?=(?:what|which|who|whom|whose|when|where|how|why|in|on|at|by|"
    r"from|is|are|was|were|did|does|do)\b)",
    re.IGNORECASE,
)


def analyse(text: str) -> Question:
    """Read a question: its parts (each with slot, constraints, focus) and its time intent."""
    main, context = split_context(text.strip())
    main = _HEDGE.sub("", main)
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
        if leans and _object_it(p):
            # '…take Kupiansk, and when did Ukraine win it back?': 'it' is Kupiansk
            before = tuple(n for n in parts[-1].constraints.names if n not in c.names)
            c = replace(c, names=c.names + before)
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


def named_source(text: str) -> str:
    """'the inuno.ai analysis' → 'inuno.ai'; 'the AI: Future Wars piece' → 'AI: Future Wars'."""
    m = re.search(rf"\b(?i:the)\s+((?:[\w.:'’-]+\s+){{0,3}}?[\w.:'’-]+)\s+{_SOURCE_WORD}\b", text)
    if not m:
        m = re.match(
            r"^\s*(?i:according to|per)\s+([A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3}),", text
        )
    if not m:
        return ""
    name = re.sub(r"(?:['’]s)?(?:\s+(?:weekly|opinion|her|his))?$", "", m.group(1).strip())
    return "" if name.lower() in STOPWORDS or name.islower() and "." not in name else name
