"""The sentence after: news writing often names an event in one sentence and gives its day,
its count or its name in the next ('Prigozhin chose to announce it himself. In a video
released on Saturday, 20 May, the Wagner chief …'). Quoted together they answer."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.answer.asked import specific_kind
from assistant.answer.evidence import Check, meets, slot_check
from assistant.answer.intent import THING_NOUNS
from assistant.answer.question import Part, Slot
from assistant.answer.speakers import PRONOUN_SAID
from assistant.models import Passage
from assistant.text import sentence_spans, stem, terms

# What a following sentence can give that its lead did not: a value. A name in the next
# sentence is as often someone else's ('… the Azov regiment. Ukrainian officials say …').
CARRIED = (Slot.NUMBER, Slot.DATE, Slot.DURATION)


def following(passage: Passage, end: int) -> tuple[int, int] | None:
    """The span of the sentence right after offset `end`, in the same paragraph."""
    for s, e in sentence_spans(passage.text):
        if s >= end:
            gap = passage.text[end:s]
            return (s, e) if "\n" not in gap and len(passage.text[s:e].split()) >= 5 else None
    return None


def supports_across(
    part: Part, lead: str, after: str, passage: Passage, document: str = ""
) -> Check:
    """The lead meets the question's constraints and says what it is about; the sentence
    after carries the value the lead lacks."""
    kind = specific_kind(part)
    thing = part.slot is Slot.ORG and kind is not None and re.fullmatch(THING_NOUNS, kind)
    if part.slot not in CARRIED and not thing:
        return Check(False, "nothing to carry")  # ('a Russian ship radioed … The demand came
        # from the patrol ship Vasily Bykov': a thing of the kind asked for, named after)
    held = meets(part, f"{lead} {after}", passage.text, passage.meta, document)
    if not held.ok:
        return held
    asked = {stem(t) for t in terms(part.text)}
    return slot_check(part, after, passage.meta, asked)


def with_next(part: Part, c: Any) -> tuple[Any, Check]:
    """A candidate (a dataclass with `passage`, `end`, `text`, `stems`) widened to the sentence
    after it when that one gives the value it lacks; else the candidate and why not."""
    span = following(c.passage, c.end)
    if span is None:
        return c, Check(False, "no sentence after")
    after = c.passage.text[span[0] : span[1]]
    check = supports_across(part, c.text, after, c.passage, getattr(c, "document", ""))
    if not check.ok:
        return c, check
    return replace(c, end=span[1], stems=c.stems | {stem(t) for t in terms(after)}), check


def with_speaker(c: Any) -> Any:
    """'It said the garrison had been withdrawn …' quoted with the sentence before, which
    says who 'it' is ('Russia's defence ministry gave a different account.')."""
    if not PRONOUN_SAID.match(c.text):
        return c
    before = [(s, e) for s, e in sentence_spans(c.passage.text) if e <= c.start]
    if not before or "\n" in c.passage.text[before[-1][1] : c.start]:
        return c
    lead = c.passage.text[before[-1][0] : before[-1][1]].lstrip()
    if lead[:1] in "\"“‘'" or PRONOUN_SAID.match(lead) or not lead[:1].isupper():
        return c  # a quote or another 'he said' says no more who is speaking
    return replace(c, start=before[-1][0])


def with_articles(cands: list[Any], passages: list[Passage]) -> None:
    """Give each candidate the text of every retrieved passage of its article, where a name
    the sentence's own passage lacks may stand (`evidence.meets`)."""
    parts: dict[str, list[str]] = {}
    for p in passages:
        parts.setdefault(p.meta.doc_id, []).append(p.text)
    articles = {doc: "\n".join(texts) for doc, texts in parts.items()}  # one string an article
    for c in cands:
        c.document = articles.get(c.passage.meta.doc_id, "")
