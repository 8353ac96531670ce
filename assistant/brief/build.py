"""A brief on a topic: the on-topic sentences of the indexed articles, arranged into the
sections an analyst reads, every line cited; a model, when one is configured, rewrites the
sections from the same evidence and each of its lines is checked against what it cites."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from assistant.brief import sections
from assistant.brief.disagree import Vectors, disagreements
from assistant.brief.evidence import Evidence, gather
from assistant.brief.models import Brief, BriefSource, Line
from assistant.index import Index
from assistant.models import Filters
from assistant.retrieve import Retriever
from assistant.text import day

NOT_COVERED = "The indexed articles don't cover this topic: {topic}."
NOTHING_SINCE = "The indexed articles have nothing on {topic} since {since}."
MAX_TOPIC_CHARS = 200

# Questions that were refused, for the gaps section: (question, day asked).
Unanswered = Callable[[], list[tuple[str, date]]]


class Briefer:
    def __init__(
        self,
        retriever: Retriever,
        index: Index,
        writer: Any = None,
        unanswered: Unanswered | None = None,
        today: Callable[[], date] = date.today,
        vectors: Vectors | None = None,
    ) -> None:
        self.retriever = retriever
        self.index = index
        self.writer = writer  # assistant.brief.writer.SectionWriter, when a model is configured
        self.unanswered = unanswered
        self.today = today
        self.vectors = vectors  # sentence vectors, for telling two accounts of one thing

    def brief(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        publishers: tuple[str, ...] = (),
    ) -> Brief:
        """The whole brief (the last value `stream` yields)."""
        *_, last = self.stream(topic, since, until, publishers)
        return last

    def stream(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        publishers: tuple[str, ...] = (),
    ) -> Iterator[Brief]:
        """The brief as it grows, section by section (surfaces show each as it lands)."""
        t0 = time.perf_counter()
        topic = " ".join(str(topic or "").split())[:MAX_TOPIC_CHARS]
        base = Brief(topic=topic, since=since, until=until, publishers=list(publishers))
        if not topic:
            yield base.model_copy(update={"covered": False, "message": "Give a topic to brief on."})
            return
        filters = Filters(tuple(publishers), since, until)
        ev = gather(topic, self.retriever, self.index, filters if _narrows(filters) else None)
        if not ev.covered:
            message = NOT_COVERED.format(topic=topic)
            if since and gather(topic, self.retriever, self.index, None).covered:
                message = NOTHING_SINCE.format(topic=topic, since=day(since))
            yield base.model_copy(update={"covered": False, "message": message})
            return
        cites = sections.Cites()
        brief = base.model_copy()
        timings: dict[str, float] = {"evidence": (time.perf_counter() - t0) * 1000}

        def step(name: str, build: Callable[[], Any]) -> Brief:
            t = time.perf_counter()
            value = build()
            if self.writer is not None and name in ("bottom_line", "timeline", "positions"):
                value, dropped = self.writer.rewrite(name, topic, value, cites)
                brief.unsupported.extend(dropped)
            setattr(brief, name, value)
            timings[name] = (time.perf_counter() - t) * 1000
            brief.citations = list(cites.citations)
            brief.sources = _sources(brief)
            brief.as_of = max((s.published for s in brief.sources if s.published), default=None)
            return brief.model_copy(deep=True)

        yield step("bottom_line", lambda: sections.bottom_line(ev, cites))
        yield step("timeline", lambda: sections.timeline(ev, cites, since, until))
        on_timeline = {(c.doc_id, c.start) for c in cites.citations}
        yield step("positions", lambda: sections.positions(ev, cites, on_timeline, since))
        found, lines = disagreements(ev, cites, self.vectors)
        brief.disagreements = found
        yield step("disagreement_lines", lambda: lines)
        yield step("gaps", lambda: self._gaps(ev, brief))
        if self.writer is not None:
            brief.generator = self.writer.name
        brief.timing_ms = timings | {"total": (time.perf_counter() - t0) * 1000}
        yield brief.model_copy(deep=True)

    def _gaps(self, ev: Evidence, brief: Brief) -> list[str]:
        asked = []
        if self.unanswered is not None:
            from assistant.brief.evidence import topic_named

            asked = [q for q, _ in self.unanswered() if topic_named(ev.topic, q)]
        return sections.gaps(
            ev,
            {"positions": brief.positions},
            brief.as_of,
            list(dict.fromkeys(asked))[:5],
            self.today(),
        )


def _narrows(f: Filters) -> bool:
    return bool(f.publishers or f.date_from or f.date_to)


def _sources(brief: Brief) -> list[BriefSource]:
    """Every article the brief quotes, newest first, with the numbers that cite it."""
    by_doc: dict[str, BriefSource] = {}
    used = {n for line in brief.lines() for n in line.cites}
    for c in brief.citations:
        if c.n not in used:
            continue
        if c.doc_id not in by_doc:
            by_doc[c.doc_id] = BriefSource(
                n=[],
                doc_id=c.doc_id,
                title=c.title,
                publisher=c.publisher,
                published=c.published,
                source=c.source,
                url=c.url,
            )
        by_doc[c.doc_id].n.append(c.n)
    return sorted(by_doc.values(), key=lambda s: s.published or date.min, reverse=True)


__all__ = ["Brief", "Briefer", "Line"]
