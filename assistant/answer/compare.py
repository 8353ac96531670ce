"""Do two quotes give the same thing, and the same value? What tells a disagreement or an
update between two sources from two facts that only sound alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from assistant.answer.asked import names_in_sentence
from assistant.answer.compose import noun_after
from assistant.answer.counts import count_anchors
from assistant.answer.dates import CLOCK, MONTH_RE, clock_minutes, years_in
from assistant.answer.question import Part, Slot
from assistant.answer.values import SLOT_WORDS, counted_kin, duration_days, number_value
from assistant.answer.when import date_year, event_dates
from assistant.answer.wording import synonyms_of
from assistant.text import stem, terms

if TYPE_CHECKING:
    from assistant.answer.plan import Pick

SAME_EVENT_DAYS = 3
DISPUTE_DAYS = 31  # two accounts of one day rarely differ by more than a month
# Two sentences this close in the model's reading give the same fact, however worded.
SAME_THING_SIMILARITY = 0.65
HANDFUL, SPREAD = 10, 5  # a handful against many is two things, not two counts of one
ESTIMATE_SPREAD = 1.25
DURATION_SPREAD = 1.5
APART = 50  # values this many times apart are two quantities, whatever their size


def _norm(slot: Slot, value: str | None, published: date | None = None) -> Any:
    if value is None:
        return None
    if slot is Slot.NUMBER:
        return number_value(value)
    if slot is Slot.DURATION:
        return duration_days(value)
    if slot is Slot.DATE:
        if value == "relative":
            return None
        if CLOCK.fullmatch(value.strip()):
            return ("time", clock_minutes(value))
        days = event_dates(value, published)
        return days[0] if len(days) == 1 else date_year(value, published)
    if slot is Slot.PERSON:
        return stem(value.split()[-1])
    if slot is Slot.ORG:  # a unit, a vessel by its name: 'the 47th Mechanised Brigade'
        return " ".join(w for w in value.lower().split() if w != "the")
    return None


_BOUND = re.compile(
    rf"\b(?:before|since|until|till|by|after|from)\s+(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{MONTH_RE}"
    r"(?:\s+\d{1,2})?(?:,?\s+\d{4})?",
    re.IGNORECASE,
)


def _unbounded(text: str) -> str:
    """The sentence without the days that bound its fact ('before 24 February', 'since 1
    March'): those do not date the news it reports."""
    return _BOUND.sub(" ", text)


def same_thing(part: Part, a: Pick, b: Pick, semantic: bool = True) -> bool:
    """Both sentences are about what the part asks: the counted noun in each ('troops'), or
    else every name of the part in each; and the part's focus words."""
    if part.slot is not Slot.DATE:
        da = event_dates(_unbounded(a.cand.text), a.published)
        db = event_dates(_unbounded(b.cand.text), b.published)
        if da and db and min(abs((x - y).days) for x in da for y in db) > SAME_EVENT_DAYS:
            return False  # two dated events, not two accounts of one
    else:
        va, vb = _norm(part.slot, a.value, a.published), _norm(part.slot, b.value, b.published)
        if isinstance(va, date) and isinstance(vb, date) and abs((va - vb).days) > DISPUTE_DAYS:
            # 15 August 2024 and 13 March 2025: Sudzha taken, then retaken, not one day disputed
            return False
        years = [v.year if isinstance(v, date) else v for v in (va, vb)]
        dated = isinstance(va, date) or isinstance(vb, date)
        if dated and all(isinstance(y, int) for y in years) and years[0] != years[1]:
            return False  # 17 July 2023 against 'July 2022': another event, a year apart
    close = semantic and a.vector is not None and b.vector is not None
    if close and float(a.vector @ b.vector) >= SAME_THING_SIMILARITY:
        return True  # one fact in other words: 'a pre-war population of' / 'home to'
    if part.counted:
        kin = count_anchors(part) if part.counted_words else counted_kin(part.counted)
        return bool(kin & a.cand.stems) and bool(kin & b.cand.stems)
    if (
        part.measure
        and min(names_in_sentence(part, a.cand.text), names_in_sentence(part, b.cand.text)) > 0
    ):
        return True  # a distance (a cost, an age) of the same named thing: 165 km, 300 km
    if min(_names_given(part, a), _names_given(part, b)) < 1:
        return False
    focus = _asked_focus(part)
    # a focus word counts in either sentence in its war-reporting synonyms (moved/transferred),
    # for the day of an event, its verb in any form ('leave' / 'left')
    same = {f: synonyms_of(f, forms=part.slot is Slot.DATE) for f in focus}
    shared = {f for f in focus if same[f] & a.cand.stems and same[f] & b.cand.stems}
    need = max(1, min(2, len(focus & a.cand.stems)))
    if part.slot is Slot.NUMBER and _close(a, b):
        need = 1  # two estimates of one figure, worded apart ('a population of' / 'home to')
        if "popul" in focus:  # 'about 15,000 inhabitants' / 'some 14,000 people who lived'
            people = count_anchors(part) - focus
            shared |= {"popul"} if people & a.cand.stems and people & b.cand.stems else set()
    return len(shared) >= need


# "… the Olenivka barrack that later exploded": a clause describing what is asked about
_RELATIVE_CLAUSE = re.compile(r"(?<=\w)\s*,?\s+(?:that|which|who|whose)\s+\w", re.IGNORECASE)


def _asked_focus(part: Part) -> set[str]:
    """The focus words before a relative clause: the event asked about, not the one that
    describes it (when the prisoners were moved, not when the barrack exploded)."""
    m = _RELATIVE_CLAUSE.search(part.text)
    if not m:
        return set(part.focus)
    before = {stem(t) for t in terms(part.text[: m.start()])}
    return {f for f in part.focus if f in before} or set(part.focus)


def _names_given(part: Part, p: Pick) -> float:
    """The part's names in the sentence, or in its passage (or article) when the sentence refers
    back ('The prisoners inside … had been transferred to the building on 25 July')."""
    in_sentence = names_in_sentence(part, p.cand.text)
    if in_sentence >= 1:
        return in_sentence
    in_passage = names_in_sentence(part, p.cand.passage.text)
    # a unit or a vessel named in another passage of its article ('the 47th … was sent into
    # the northern districts'): its article's other retrieved passages name the place
    # as is what an amount of a named thing measures ('At 11,500 tonnes, it is the largest
    # warship lost …' in an article on the Moskva)
    named_thing = part.slot is Slot.ORG or (part.slot is Slot.NUMBER and part.measure)
    article = getattr(p.cand, "document", "") if named_thing else ""
    return in_passage if in_passage >= 1 or not article else names_in_sentence(part, article)


def _close(a: Pick, b: Pick) -> bool:
    """Two amounts within a factor of two of each other: estimates of one quantity."""
    va, vb = number_value(a.value or ""), number_value(b.value or "")
    if not va or not vb:
        return False
    low, high = sorted((abs(va), abs(vb)))
    return low > 0 and high <= 2 * low


def overlap(a: Pick, b: Pick) -> float:
    sa, sb = a.cand.stems, b.cand.stems
    return len(sa & sb) / max(1, len(sa | sb))


def differs(part: Part, a: Pick, b: Pick) -> bool:
    """Different values, and neither sentence also gives the other's value."""
    va, vb = _norm(part.slot, a.value, a.published), _norm(part.slot, b.value, b.published)
    if part.slot is Slot.DATE and va is not None and vb is not None:
        va, vb = _same_precision(va, vb, _spans_days(a.cand.text) or _spans_days(b.cand.text))
    if va is None or vb is None or va == vb:
        return False
    if part.slot is Slot.PERSON:  # full names only; one sentence naming both is no dispute
        if len((a.value or "").split()) < 2 or len((b.value or "").split()) < 2:
            return False
        return vb not in a.cand.stems and va not in b.cand.stems
    if part.slot is Slot.ORG:  # one sentence naming both ('not from the Moskva') is no dispute
        if _one_name(va, vb):
            return False  # 'British-made Storm Shadow missiles' are the Storm Shadow missiles
        return vb not in a.cand.text.lower() and va not in b.cand.text.lower()
    if part.slot is Slot.DATE:
        # one sentence giving both days ('on 25 or 27 July') is no dispute
        da, db = (
            set(event_dates(a.cand.text, a.published)),
            set(event_dates(b.cand.text, b.published)),
        )
        if isinstance(va, date) and (va in db or vb in da):
            return False
        return not (isinstance(va, int) and years_in(a.cand.text) & years_in(b.cand.text))
    if isinstance(va, float) and isinstance(vb, float):
        if a.value and b.value and (_gives(b.cand.text, a.value) or _gives(a.cand.text, b.value)):
            return False
        low, high = sorted((abs(va), abs(vb)))
        if low < HANDFUL and high > SPREAD * low:
            return False  # "two captured soldiers" is no estimate of a 12,000-strong force
        if high > APART * low:
            return False  # "500 civilians remain" is no estimate of a 70,000 population
        return high - low > 0.01 * high
    return True


def _gives(text: str, value: str) -> bool:
    """The sentence gives this amount itself, not inside another number ('60' is not in
    'Project 22160')."""
    return bool(re.search(rf"(?<![\w.,]){re.escape(value)}(?![\w]|[.,]\d)", text))


def _one_name(a: str, b: str) -> bool:
    """One name is the other with words added: 'storm shadow missile' and 'british-made storm
    shadow missile'."""
    wa, wb = set(a.split()), set(b.split())
    return wa <= wb or wb <= wa


def same_value(part: Part, a: Pick, b: Pick) -> bool:
    va, vb = _norm(part.slot, a.value, a.published), _norm(part.slot, b.value, b.published)
    if part.slot is Slot.ORG and va is not None and vb is not None:
        return _one_name(va, vb)
    if part.slot is Slot.DATE and va is not None and vb is not None:
        va, vb = _same_precision(va, vb, _spans_days(a.cand.text) or _spans_days(b.cand.text))
    return va is not None and va == vb


_DAY_SPAN = re.compile(r"\b\d{1,2}\s*(?:to|–|-|and|until)\s*\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+")


def _spans_days(text: str) -> bool:
    """'From 23 to 27 September': a span, not one day to dispute."""
    return bool(_DAY_SPAN.search(text))


def _same_precision(a: Any, b: Any, span: bool = False) -> tuple[Any, Any]:
    """A day against a year ('18 March 2014' / 'in 2014'), or against a span of days, compares
    as years."""
    if isinstance(a, date) and isinstance(b, date) and not span:
        return a, b
    return (a.year if isinstance(a, date) else a), (b.year if isinstance(b, date) else b)


def folded(stems: set[str]) -> set[str]:
    """British and American spellings as one ('defence' / 'defense')."""
    return {s[:-1] + "c" if s.endswith("ens") else s for s in stems}


def estimates(part: Part, main: Pick, c: Any, value: str) -> bool:
    """Two counts of the same kind of thing within a quarter of each other ('about 70,000
    people' / 'about 73,000 inhabitants'), or two lengths in the same unit within a half
    ('about four hours' / 'just over three hours'): two estimates of one figure."""
    if part.slot is Slot.DURATION and main.value:
        unit_a, unit_b = main.value.split()[-1].rstrip("s"), value.split()[-1].rstrip("s")
        a, b = duration_days(main.value), duration_days(value)
        if unit_a != unit_b or not a or not b or a == b:
            return False
        return max(a, b) <= DURATION_SPREAD * min(a, b)
    if part.slot is not Slot.NUMBER or not main.value:
        return False
    if part.counted:
        kin = counted_kin(part.counted)
        if not (kin & main.cand.stems and kin & c.stems):
            return False
    elif part.measure:
        # 'about 6.3% of GDP' / 'nearly 7% of GDP': a share (a cost, a distance) of the
        # same thing when both sentences carry every word the part asks about
        anchors = folded(set(part.focus) - SLOT_WORDS)
        held = anchors & folded(main.cand.stems)
        if not held or not held <= folded(c.stems):
            return False
    else:
        return False
    a, b = number_value(main.value), number_value(value)
    if not a or not b or a == b:
        return False
    low, high = sorted((abs(a), abs(b)))
    return low > 0 and high <= ESTIMATE_SPREAD * low


def updates(part: Part, main: Pick, c: Any, value: str) -> bool:
    """A later article's count of the same kind of thing ('some 700 residents' in April,
    'only about 280 residents remain' in October): the figure as it stood then, however far
    it moved."""
    if part.slot is not Slot.NUMBER or not part.counted or not main.value:
        return False
    older, newer = main.published, c.passage.meta.published
    if not older or not newer or newer <= older:
        return False
    kin = counted_kin(part.counted)
    noun = noun_after(main.value, main.cand.text)
    if not noun or noun not in kin or noun != noun_after(value, c.text):
        return False  # 'once home to some 12,500 people' is not what '700 residents' counts
    a, b = number_value(main.value), number_value(value)
    return bool(a and b and a != b)
