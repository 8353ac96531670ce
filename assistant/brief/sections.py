"""The sections of an offline brief, each built from quoted on-topic sentences: the bottom
line, the timeline, positions, disagreements and gaps."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from assistant.answer.citations import cite
from assistant.answer.compose import as_of
from assistant.brief.actors import MAIN, actor_order, speaker
from assistant.brief.evidence import Evidence, Sentence
from assistant.brief.models import Line
from assistant.models import Citation
from assistant.text import day

MAX_EVENTS = 24
SAME_EVENT_OVERLAP = 0.35  # stem overlap at which two dated sentences report one event
MAX_SOURCES_PER_LINE = 3
MAX_PER_ACTOR = 2
MAX_POSITIONS = 10
LEAD_SENTENCES = 6  # the opening of the newest article: where it states the current state


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
    for s in _by_turns([s for s in ev.sentences if _in_range(s, since, until)]):
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
        # A clause quoted on its own ("the fourth was found on 29 September") opens the line.
        text = head.text[:1].upper() + head.text[1:]
        lines.append(
            Line(
                text=f"{text} {_markers(ns)}",
                cites=ns,
                when=head.when.label(),
                first=head.when.first,
                last=head.when.last,
            )
        )
    return lines


def _by_turns(sentences: list[Sentence]) -> list[Sentence]:
    """Each article's best sentence, then each one's second best, and so on: the timeline's
    places go round the articles instead of to the one that repeats the topic's words most
    (the inquiry closing in 2024, not a fifth reaction to the blasts of 2022)."""
    turn: dict[str, int] = defaultdict(int)
    ranked = []
    for i, s in enumerate(sentences):  # most relevant first
        ranked.append((turn[s.doc_id], i, s))
        turn[s.doc_id] += 1
    return [s for _, _, s in sorted(ranked, key=lambda x: (x[0], x[1]))]


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
