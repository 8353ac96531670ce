"""From the supporting sentences of each part to the answer an analyst reads.

The sentence that answers each part comes first; the same fact from other sources becomes one
sentence with several citations; a different value from another source is a disagreement
(newest first); at most two context sentences follow; parts nobody answers are named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from assistant.answer.asked import specific_kind
from assistant.answer.citations import cite, verified
from assistant.answer.compare import differs, overlap, same_thing, same_value
from assistant.answer.compose import (
    as_of,
    day,
    disagreement_sentence,
    newest_cited,
    uncovered_sentence,
    value_as_worded,
)
from assistant.answer.dates import date_range, weekday_days
from assistant.answer.evidence import meets
from assistant.answer.former import asks_before
from assistant.answer.intent import ORG_NOUNS, THING_NOUNS
from assistant.answer.question import Part, Question, Slot, Temporal
from assistant.answer.tolls import fixed_measure
from assistant.answer.values import counted_kin
from assistant.answer.when import event_dates
from assistant.models import Answer, Citation, Disagreement, Passage, Side

PART_POOL = 16  # sentences scored per part of a compound question
DUPLICATE_OVERLAP = 0.45  # word overlap at which two sentences state the same fact
DISAGREE_RATIO = 0.5  # a differing value counts when its sentence scores this close to the best
REUSE_RATIO = 0.75  # a second-best sentence answers a part whose best one answered another
ORDER_RATIO = 0.85  # "first"/"last": events compared among sentences this close to the best
RECENT_RATIO = 0.75  # "latest": among sentences this close to the best, the newest leads
UPDATE_DAYS = 7  # reports further apart than this are an update, not a same-day conflict
SECOND_RATIO = 0.85  # a second answering sentence from another passage, this close to the first
MAX_CONTEXT = 2
CONTEXT_RATIO = 0.75
_VALUE_SLOTS = (Slot.NUMBER, Slot.DURATION, Slot.DATE, Slot.PERSON)
_COUNT_SLOTS = (Slot.NUMBER, Slot.DURATION, Slot.DATE)
_CONTEXT_SLOTS = (Slot.OTHER, Slot.REASON, Slot.LIST, Slot.YESNO)


class Candidate(Protocol):
    passage: Passage
    start: int
    end: int
    stems: set[str]
    score: float
    lexical: float

    @property
    def text(self) -> str: ...

    @property
    def doc_start(self) -> int: ...


@dataclass
class Pick:
    cand: Any  # a Candidate
    score: float  # for ordering: relevance, plus a little for naming what the question names
    value: str | None = None
    base: float = 0.0  # relevance alone, for "how close to the best" comparisons
    vector: Any = None  # the sentence's vector, when the model has read it
    rival: bool = False  # only read for the other side of a disagreement, never as corroboration
    estimate: bool = False  # a rival judged another estimate of the same figure by its value

    @property
    def published(self) -> date | None:
        return self.cand.passage.meta.published

    @property
    def doc(self) -> str:
        return self.cand.passage.meta.doc_id


@dataclass
class Segment:
    picks: list[Pick]  # the first is quoted; every one is cited
    lead: str = ""  # "as of" date or an "earlier report" label


@dataclass
class Plan:
    segments: list[Segment] = field(default_factory=list)
    # (kind, what about, the sides, the stems of what a side's number counts)
    disagreements: list[tuple[str, str, list[Pick], frozenset[str]]] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)


def event_day(text: str, published: date | None) -> date | None:
    """The day a sentence names, else its publication day: what orders accounts of events (a
    month or year named in passing, 'since October 2024', does not date the sentence's news)."""
    days = event_dates(text, published)
    return days[0] if days else published


def event_span(text: str, published: date | None) -> tuple[date, date] | None:
    """The days a sentence's event can fall on: a day it names, else the month or year it
    names ('annexed Crimea in 2014'), else its publication day."""
    if days := event_dates(text, published):
        return days[0], days[0]
    if span := date_range(text):
        return span
    return (published, published) if published else None


def in_time(q: Question, text: str, published: date | None) -> bool:
    """Within 'as of D' (reported by then), 'since/after D' and 'before D'."""
    if q.when is None or q.until is None:
        return True
    if q.temporal is Temporal.AS_OF:
        return published is None or published <= q.until
    span = event_span(text, published)
    if span is None:
        return True
    first, last = span
    if q.temporal is Temporal.SINCE:
        return last >= q.when
    if q.temporal is Temporal.AFTER:
        return last > q.until
    if q.temporal is Temporal.BEFORE:
        return first < q.when
    return True


def order_by_time(temporal: Temporal | None, picks: list[Pick]) -> list[Pick]:
    """'Latest', 'now', 'as of': the newest report among the best; 'first': the earliest event
    among those nearly as good as the best (the order of events only among accounts of them)."""
    if not picks or temporal is None:
        return picks
    top = picks[0].base
    ratio = RECENT_RATIO if temporal in (Temporal.LATEST, Temporal.AS_OF) else ORDER_RATIO
    close = [p for p in picks if p.base >= ratio * top]
    rest = [p for p in picks if p.base < ratio * top]
    if temporal in (Temporal.LATEST, Temporal.AS_OF):
        # The newest report first; within it, the sentence about the latest event (a report
        # of 1 August that recalls "on 14 July …" before giving the news).
        close.sort(
            key=lambda p: (
                p.published or date.min,
                event_day(p.cand.text, p.published) or p.published or date.min,
            ),
            reverse=True,
        )
    elif temporal is Temporal.LAST:
        close.sort(key=lambda p: event_day(p.cand.text, p.published) or date.min, reverse=True)
    elif temporal is Temporal.FIRST:
        close.sort(key=lambda p: event_day(p.cand.text, p.published) or date.max)
    return close + rest


def _named_kind(part: Part) -> bool:
    """'Which brigade', 'which vessel': a thing of that kind by its name, which two reports
    may give differently."""
    kind = specific_kind(part)
    return (
        part.slot is Slot.ORG
        and kind is not None
        and bool(re.fullmatch(ORG_NOUNS, kind) or re.fullmatch(THING_NOUNS, kind))
    )


def plan_part(
    q: Question, part: Part, picks: list[Pick], again: bool = False
) -> tuple[Segment, list[Pick], str]:
    """The main sentence with its corroborating sources, the differing sides, and their kind."""
    main = picks[0]
    differing: list[Pick] = []
    same: list[Pick] = []
    for p in picks[1:]:
        if p.doc == main.doc:
            continue
        if p.rival:  # read only as the other side of a disagreement
            rivals = differs(part, main, p) and (p.estimate or same_thing(part, main, p))
            if rivals and all(differs(part, d, p) for d in differing):
                differing.append(p)
            continue
        if (
            part.slot in _VALUE_SLOTS or _named_kind(part)
        ) and p.base >= DISAGREE_RATIO * main.base:
            # Corroboration in the articles' own words; the model's reading finds rivals only.
            if same_value(part, main, p) and same_thing(part, main, p, semantic=False):
                same.append(p)
                continue
            if differs(part, main, p) and same_thing(part, main, p):
                if all(differs(part, d, p) for d in differing):
                    differing.append(p)
                continue
        if overlap(main, p) >= DUPLICATE_OVERLAP:
            same.append(p)
    kind = ""
    if differing:
        sides = sorted([main, *differing], key=lambda p: p.published or date.min, reverse=True)
        newest, oldest = sides[0].published, sides[-1].published
        far = newest and oldest and newest - oldest > timedelta(days=UPDATE_DAYS)
        # 'the toll has risen to 25': the newer report says its figure replaced the older one
        far = far or bool(
            newest and oldest and newest > oldest and _REVISED.search(sides[0].cand.text)
        )
        # the day of one past event, or a figure from before the war, is disputed, never updated
        # and so is what a thing weighs or how long it is (no later report changes a bridge)
        fixed = part.slot is Slot.DATE or asks_before(part) or fixed_measure(part)
        kind = "update" if far and not fixed else "conflict"
        if sides[0] is not main and not again:  # the newer report leads
            reordered = [sides[0], *[p for p in picks if p is not sides[0]]]
            return plan_part(q, part, reordered, again=True)
    return Segment([main, *same[:2]]), differing, kind


_REVISED = re.compile(
    r"\b(?:risen|rose|climbed|grown|grew|increased|fallen|dropped) to\b"
    r"|\bfinal (?:toll|figure|count)\b|\brevised\b|\bnow stands at\b",
    re.IGNORECASE,
)


def _earlier(q: Question, part: Part, main: Pick, picks: list[Pick]) -> Pick | None:
    """For 'latest' questions without a value to compare: an older report on the same thing."""
    if not q.wants_latest or part.slot in _VALUE_SLOTS or main.published is None:
        return None
    for p in picks[1:]:
        if (
            p.doc != main.doc
            and p.published
            and main.published - p.published > timedelta(days=UPDATE_DAYS)
            and p.base >= DISAGREE_RATIO * main.base
            and overlap(main, p) < DUPLICATE_OVERLAP
        ):
            return p
    return None


def plan_answer(
    q: Question,
    found: list[tuple[Part, list[Pick]]],
    ranked: list[Any],
    max_sentences: int,
) -> Plan:
    plan = Plan()
    used: set[int] = set()
    for part, picks in found:
        if not picks:
            plan.uncovered.append(part.text)
            continue
        if id(picks[0].cand) in used:
            # The best sentence already answers another part: another one, nearly as good,
            # may answer this one; if none, the one sentence answers both.
            others = [p for p in picks if id(p.cand) not in used]
            if not others or others[0].base < REUSE_RATIO * picks[0].base:
                continue
            picks = others
        segment, differing, kind = plan_part(q, part, picks)
        if q.wants_latest or q.temporal is Temporal.AS_OF or kind:
            segment.lead = "as of"
        main = segment.picks[0]
        if part.slot is Slot.DATE and main.value == "relative" and _weekdays(main):
            segment.lead = "weekday"  # "on Sunday" answers "on what date" only with its day
        plan.segments.append(segment)
        used |= {id(p.cand) for p in segment.picks}
        if differing:
            # ('cruise missiles': every word of what is counted)
            counted = frozenset().union(
                *map(counted_kin, part.counted_words or [part.counted or ""])
            )
            plan.disagreements.append((kind, part.text, [segment.picks[0], *differing], counted))
            used |= {id(p.cand) for p in differing}
        earlier = _earlier(q, part, segment.picks[0], picks)
        if earlier is not None and len(plan.segments) < max_sentences:
            plan.segments.append(Segment([earlier], lead="earlier"))
            used.add(id(earlier.cand))
    if len(q.parts) == 1 and plan.segments and found[0][1] and q.slot not in _COUNT_SLOTS:
        # Not for counts and dates: other sources' values are corroboration or disagreement.
        _add_second(plan, found[0][1], used, max_sentences)
    if len(q.parts) == 1 and q.slot in _CONTEXT_SLOTS and plan.segments:
        _add_context(q, plan, ranked, used, max_sentences)
    return plan


def _add_second(plan: Plan, picks: list[Pick], used: set[int], max_sentences: int) -> None:
    """A second sentence that also answers, from another passage, nearly as good as the first:
    the question may want more than one sentence holds."""
    main = plan.segments[0].picks[0]
    for p in picks:
        if len(plan.segments) >= max_sentences or p.base < SECOND_RATIO * main.base:
            break
        if id(p.cand) in used or p.cand.passage.chunk_id == main.cand.passage.chunk_id:
            continue
        if any(overlap(p, s.picks[0]) > 0.5 for s in plan.segments):
            continue
        plan.segments.append(Segment([p]))
        used.add(id(p.cand))
        return


def _add_context(
    q: Question, plan: Plan, ranked: list[Any], used: set[int], max_sentences: int
) -> None:
    """Up to two sentences that add what the question asks and the first quote lacks."""
    best = plan.segments[0].picks[0].base
    asked = set(q.terms)
    covered = set().union(*(s.picks[0].cand.stems & asked for s in plan.segments))
    added = 0
    for c in ranked:
        if added >= MAX_CONTEXT or len(plan.segments) >= max_sentences:
            break
        if id(c) in used or c.score < CONTEXT_RATIO * best or c.lexical == 0:
            continue
        if any(
            len(c.stems & s.picks[0].cand.stems) / max(1, len(c.stems | s.picks[0].cand.stems))
            > 0.5
            for s in plan.segments
        ):
            continue
        if not meets(q.parts[0], c.text, c.passage.text, c.passage.meta).ok:
            continue
        if (c.stems & asked) - covered:
            plan.segments.append(Segment([Pick(c, c.score, base=c.score)]))
            used.add(id(c))
            covered |= c.stems & asked
            added += 1


def _weekdays(pick: Pick) -> list[tuple[str, date]]:
    """Every weekday the quote names, once: 'on Tuesday, a day after … on Monday' gives both."""
    return list(dict.fromkeys(weekday_days(pick.cand.text, pick.published)))


def _lead(segment: Segment, text: str) -> str:
    pick = segment.picks[0]
    if segment.lead == "as of":
        return as_of(text, pick.published)
    if segment.lead == "weekday" and (named := _weekdays(pick)):
        days = ", ".join(f'"{word}" is {day(when)}' for word, when in named)
        return f"As of {day(pick.published)} ({days}): {text}"
    if segment.lead == "earlier":
        meta = pick.cand.passage.meta
        who = meta.publisher or "another source"
        return f"An earlier report ({who}, {day(meta.published)}): {text}"
    return text


def render_plan(plan: Plan, q: Question, base: dict[str, Any]) -> Answer:
    """Numbered citations, one per quoted sentence, and the answer text in plan order."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, int], int] = {}

    def number(p: Pick) -> int:
        c = p.cand
        key = (c.passage.chunk_id, c.start)
        if key not in numbers:
            numbers[key] = len(citations) + 1
            citations.append(cite(numbers[key], c.passage, c.start, c.end))
        return numbers[key]

    sentences: list[str] = []
    for segment in plan.segments:
        marks = "".join(f"[{number(p)}]" for p in segment.picks)
        sentences.append(f"{_lead(segment, segment.picks[0].cand.text)} {marks}")
    disagreements: list[Disagreement] = []
    for kind, about, picks, counted in plan.disagreements:
        sides = [
            Side(
                value=value_as_worded(p.value or "", p.cand.text, counted),
                n=number(p),
                publisher=p.cand.passage.meta.publisher,
                published=p.published,
            )
            for p in picks
        ]
        d = Disagreement(about=about, kind=kind, sides=sides)
        disagreements.append(d)
        sentences.append(disagreement_sentence(d))
    sentences += [uncovered_sentence(part) for part in plan.uncovered]
    text = " ".join(sentences)
    answer = verified(
        Answer(
            text=text,
            citations=citations,
            disagreements=disagreements,
            uncovered=plan.uncovered,
            **base,
        )
    )
    return answer.model_copy(update={"as_of": newest_cited(answer)})
