"""The sections of an offline brief, each built from quoted on-topic sentences: the bottom
line, the timeline, positions, disagreements and gaps."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from assistant.answer.citations import cite
from assistant.answer.compose import as_of, disagreement_sentence
from assistant.answer.values import counted_kin, number_value, numbers
from assistant.brief.actors import MAIN, actor_order, speaker
from assistant.brief.evidence import Evidence, Sentence
from assistant.brief.models import Line
from assistant.models import Citation, Disagreement, Side
from assistant.text import STOPWORDS, day, shorten, stem

MAX_EVENTS = 20
SAME_EVENT_OVERLAP = 0.35  # stem overlap at which two dated sentences report one event
MAX_SOURCES_PER_LINE = 3
MAX_PER_ACTOR = 2
MAX_POSITIONS = 10
MAX_DISAGREEMENTS = 4
DISPUTE_OVERLAP = 0.15
FIGURE_OVERLAP = 0.3  # word overlap of two sentences giving figures for one thing
PAIR_POOL = 60  # most relevant sentences compared pairwise for disagreements
UPDATE_DAYS = 7
LEAD_SENTENCES = 6  # the opening of the newest article: where it states the current state
HANDFUL, SPREAD = 10, 5


class Cites:
    """Citation numbers, one per quoted sentence, in the order the brief first uses them."""

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, int], int] = {}
        self.citations: list[Citation] = []

    def add(self, s: Sentence) -> int:
        key = (s.doc_id, s.doc_start)
        if key not in self.by_key:
            n = len(self.citations) + 1
            self.by_key[key] = n
            self.citations.append(cite(n, s.passage, s.start, s.end))
        return self.by_key[key]


def _markers(ns: list[int]) -> str:
    return "".join(f"[{n}]" for n in dict.fromkeys(ns))


def overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def _in_range(s: Sentence, since: date | None, until: date | None) -> bool:
    if s.when is None:
        return False
    return (since is None or s.when.last >= since) and (until is None or s.when.first <= until)


def timeline(ev: Evidence, cites: Cites, since: date | None, until: date | None) -> list[Line]:
    """Dated events in order; the same event from several articles is one line citing each."""
    groups: list[list[Sentence]] = []
    for s in ev.sentences:
        if not _in_range(s, since, until):
            continue
        for g in groups:
            head = g[0]
            same_day = head.when and s.when and head.when.overlaps(s.when)
            if same_day and overlap(head.stems, s.stems) >= SAME_EVENT_OVERLAP:
                if s.doc_id not in {x.doc_id for x in g} and len(g) < MAX_SOURCES_PER_LINE:
                    g.append(s)
                break
        else:
            if len(groups) < MAX_EVENTS:
                groups.append([s])
    groups.sort(key=lambda g: (g[0].when.middle, g[0].when.first) if g[0].when else (date.max,) * 2)
    lines = []
    for g in groups:
        head = g[0]
        assert head.when is not None
        ns = [cites.add(x) for x in g]
        lines.append(
            Line(
                text=f"{head.text} {_markers(ns)}",
                cites=ns,
                when=head.when.label(),
                first=head.when.first,
                last=head.when.last,
            )
        )
    return lines


def positions(
    ev: Evidence, cites: Cites, used: set[tuple[str, int]], since: date | None = None
) -> list[Line]:
    """What each actor said or wants, newest first; sentences already on the timeline only when
    the actor has nothing else; none dated before `since`."""
    by_actor: dict[str, list[Sentence]] = defaultdict(list)
    for s in ev.sentences:
        if since and s.when and s.when.last < since:
            continue
        actor = speaker(s.text)
        if actor:
            by_actor[actor].append(s)
    lines: list[Line] = []
    for actor in sorted(by_actor, key=actor_order):
        said = by_actor[actor]
        fresh = [s for s in said if (s.doc_id, s.doc_start) not in used] or said
        picked = sorted(fresh[:MAX_PER_ACTOR], key=lambda s: s.published or date.min, reverse=True)
        for s in picked:
            n = cites.add(s)
            lines.append(Line(text=f"{s.text} [{n}]", cites=[n], actor=actor))
        if len(lines) >= MAX_POSITIONS:
            break
    return lines


def _quantities(s: Sentence) -> list[tuple[float, str, set[str]]]:
    """(value, as written, what it counts) of every amount in the sentence."""
    words = s.text.split()
    out = []
    for pos, text in numbers(s.text):
        value = number_value(text)
        if value is None:
            continue
        after = [w.strip(".,;:()\"'").lower() for w in words[pos : pos + 4]]
        near = " ".join(words[max(0, pos - 2) : pos + 3]).lower()
        if _INCREMENT.search(near):
            continue  # "105 more vessels" adds to a total; it does not dispute it
        nouns: set[str] = set()
        for w in after:
            for piece in w.split("-"):
                if piece and piece.isalpha() and piece not in STOPWORDS and len(piece) > 2:
                    nouns |= counted_kin(stem(piece))
        shown = " ".join(words[pos : pos + 2]).strip(".,;:")
        out.append((value, shown, nouns))
    return out


_TIME_WORDS = {stem(w) for w in "year years day days month months week weeks hour hours".split()}
_INCREMENT = re.compile(
    r"\b(?:more|further|additional|another|extra|new|up to|at least|over|nearly|almost)\b"
)


def _side(s: Sentence, value: str, cites: Cites) -> Side:
    return Side(
        value=value, n=cites.add(s), publisher=s.passage.meta.publisher, published=s.published
    )


def _kind(a: Sentence, b: Sentence) -> str:
    if a.published and b.published and abs((a.published - b.published).days) > UPDATE_DAYS:
        return "update"
    return "conflict"


def _numeric(a: Sentence, b: Sentence) -> tuple[str, str, str] | None:
    """A figure both sentences give for the same thing, with different values."""
    for va, ta, na in _quantities(a):
        for vb, tb, nb in _quantities(b):
            shared = (na & nb) - _TIME_WORDS
            if not shared or va == vb:
                continue
            low, high = sorted((abs(va), abs(vb)))
            if low < HANDFUL and high > SPREAD * low or high - low <= 0.01 * high:
                continue
            if ta.split()[0] in b.text or tb.split()[0] in a.text:
                continue  # one sentence gives both figures: a change it reports, not a dispute
            about = " ".join(sorted(shared))
            return about, ta, tb
    return None


def disagreements(ev: Evidence, cites: Cites) -> tuple[list[Disagreement], list[Line]]:
    """Different figures for the same thing in different articles, and one actor disputing
    what another says."""
    pool = ev.sentences[:PAIR_POOL]
    found: list[Disagreement] = []
    lines: list[Line] = []
    done: set[tuple[str, int]] = set()
    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            if len(found) >= MAX_DISAGREEMENTS:
                break
            if a.doc_id == b.doc_id or {(a.doc_id, a.doc_start), (b.doc_id, b.doc_start)} & done:
                continue
            apart = a.when and b.when and abs((a.when.middle - b.when.middle).days) > 3
            if apart and not a.when.overlaps(b.when):  # type: ignore[union-attr]
                continue  # two dated events, not two accounts of one
            if overlap(a.stems, b.stems) < DISPUTE_OVERLAP:
                continue
            hit = _numeric(a, b) if overlap(a.stems, b.stems) >= FIGURE_OVERLAP else None
            if hit is None:
                continue
            about, ta, tb = hit
            a_newer = (a.published or date.min) >= (b.published or date.min)
            newer, older = (a, b) if a_newer else (b, a)
            tn, to = (ta, tb) if newer is a else (tb, ta)
            d = Disagreement(
                about=about,
                kind=_kind(a, b),
                sides=[_side(newer, tn, cites), _side(older, to, cites)],
            )
            found.append(d)
            done |= {(a.doc_id, a.doc_start), (b.doc_id, b.doc_start)}
            lines.append(Line(text=disagreement_sentence(d), cites=[x.n for x in d.sides]))
    found_disputes = _disputes(ev, cites, done)
    for d, line in found_disputes[: max(0, MAX_DISAGREEMENTS - len(found))]:
        found.append(d)
        lines.append(line)
    return found, lines


_DISPUTE_WORDS = {
    stem(w)
    for w in "denied denies disputed disputes rejected rejects dismissed "
    "contradicted contested countered false untrue".split()
}


def _disputes(
    ev: Evidence, cites: Cites, done: set[tuple[str, int]]
) -> list[tuple[Disagreement, Line]]:
    out = []
    pool = ev.sentences[:PAIR_POOL]
    for s in pool:
        if not (s.stems & _DISPUTE_WORDS):
            continue
        who = speaker(s.text)
        if not who:
            continue
        best, score = None, DISPUTE_OVERLAP
        for other in pool:
            if other is s or other.stems & _DISPUTE_WORDS:
                continue
            theirs = speaker(other.text)
            if not theirs or theirs == who:
                continue
            o = overlap(s.stems, other.stems)
            if o > score:
                best, score = other, o
        if best is None or {(s.doc_id, s.doc_start), (best.doc_id, best.doc_start)} & done:
            continue
        claimant = speaker(best.text) or "one source"
        d = Disagreement(
            about=f"{who} disputes {claimant}",
            kind="conflict",
            sides=[
                _side(best, shorten(best.text, 120), cites),
                _side(s, shorten(s.text, 120), cites),
            ],
        )
        done |= {(s.doc_id, s.doc_start), (best.doc_id, best.doc_start)}
        text = (
            f"{claimant} says: {best.text} [{d.sides[0].n}] {who} disputes this: "
            f"{s.text} [{d.sides[1].n}]"
        )
        out.append((d, Line(text=text, cites=[x.n for x in d.sides])))
    return out


def bottom_line(ev: Evidence, cites: Cites) -> list[Line]:
    """The current state, as of the newest article about the topic: the best of its opening
    sentences, then the newest dated event if another article reports it."""
    by_doc: dict[str, list[Sentence]] = defaultdict(list)
    for s in ev.sentences:
        by_doc[s.doc_id].append(s)
    docs = [d for d, ss in by_doc.items() if len(ss) >= 2 and ss[0].published] or list(by_doc)
    if not docs:
        return []
    newest = max(docs, key=lambda d: (by_doc[d][0].published or date.min, d in ev.topical_docs))
    own = by_doc[newest]
    lead = sorted((s for s in own if s.order <= LEAD_SENTENCES), key=lambda s: s.order)
    picked = sorted((lead or own)[:], key=lambda s: s.relevance, reverse=True)[:2]
    picked.sort(key=lambda s: s.order)
    lines = []
    for i, s in enumerate(picked):
        n = cites.add(s)
        text = as_of(s.text, s.published) if i == 0 else s.text
        lines.append(Line(text=f"{text} [{n}]", cites=[n]))
    return lines


def gaps(
    ev: Evidence,
    brief_lines: dict[str, list[Line]],
    as_of_day: date | None,
    asked: list[str],
    today: date,
) -> list[str]:
    """What the articles on the topic do not say."""
    out = []
    if as_of_day:
        age = (today - as_of_day).days
        stale = f" ({age} days before today)" if age > 30 else ""
        out.append(
            f"The newest article on this topic is from {day(as_of_day)}{stale}; nothing later "
            "is indexed."
        )
    for q in asked:
        out.append(f"Asked and not answered by the articles: “{q}”")
    spoke = {line.actor for line in brief_lines.get("positions", [])}
    silent = [a for a in MAIN if a not in spoke]
    if silent and spoke:
        out.append("No quoted position of: " + ", ".join(silent) + ".")
    if ev.undated:
        out.append(f"{ev.undated} on-topic sentences give no date and are not on the timeline.")
    return out
