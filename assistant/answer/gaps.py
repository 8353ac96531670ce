"""Sentences that say the very thing asked is not known: 'Investigators have not said which unit
fired it' answers 'Which unit launched the missile?' with a gap, whatever else the passage says
about the missile."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.answer.asked import head_stems
from assistant.answer.intent import Slot
from assistant.answer.lexicon import AUXILIARIES
from assistant.answer.sides import parties
from assistant.answer.unsaid import NOT_SAYING, SAYING
from assistant.answer.values import counted_kin
from assistant.answer.wording import aliases_of, date_weight, equivalents, names_asked
from assistant.text import STOPWORDS, stem, stem_set_split, terms

_WH = r"how many|how much|how long|how far|which|what|who|whom|whose|when|where|whether|why|if"
_CLAUSE = r"(?P<clause>[^,;:.!?\"“”()]{2,120})"
# "did not say how many had been brought down over the capital", "would not say which unit"
_UNSAID = re.compile(
    rf"{NOT_SAYING}(?:{SAYING}|explain|explained|know|known|been told)\s+"
    rf"(?P<wh>{_WH})\b{_CLAUSE}",
    re.IGNORECASE,
)
# "It was not clear how many troops had been landed", "it remains unknown whether …"
_UNCLEAR = re.compile(
    r"\b(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?(?:not\s+(?:yet\s+)?"
    rf"(?:clear|known)|unclear|unknown)\s+(?P<wh>{_WH})\b{_CLAUSE}",
    re.IGNORECASE,
)
# "The couple's names were not released", "Their names have not been made public"
_WITHHELD = re.compile(
    r"(?P<clause>\b[\w'’ -]{3,60}?)\s+(?:was|were|has|have|had|is|are)\s+not\s+(?:yet\s+)?"
    r"(?:been\s+)?(?:released|disclosed|made public|published|identified)\b",
    re.IGNORECASE,
)

# What each question word can ask for.
_SLOTS: dict[str, frozenset[Slot]] = {
    "how many": frozenset({Slot.NUMBER}),
    "how much": frozenset({Slot.NUMBER}),
    "how long": frozenset({Slot.DURATION, Slot.NUMBER}),
    "how far": frozenset({Slot.NUMBER}),
    "when": frozenset({Slot.DATE}),
    "where": frozenset({Slot.PLACE}),
    "who": frozenset({Slot.PERSON, Slot.ORG}),
    "whom": frozenset({Slot.PERSON, Slot.ORG}),
    "whose": frozenset({Slot.PERSON, Slot.ORG}),
    "which": frozenset({Slot.PERSON, Slot.ORG, Slot.PLACE, Slot.OTHER, Slot.LIST}),
    "what": frozenset({Slot.PERSON, Slot.ORG, Slot.PLACE, Slot.OTHER, Slot.LIST, Slot.REASON}),
    "whether": frozenset({Slot.YESNO}),
    "if": frozenset({Slot.YESNO}),
    "why": frozenset({Slot.REASON}),
}
# Words a gap's clause may use for the question's, beyond the war-reporting synonyms: these
# are too loose for scoring sentences ('set fire to cars' is no launch), not for matching a
# clause that already asks the part's question about the part's things.
_LOOSE = tuple(
    frozenset(stem(w) for w in g.split())
    for g in (
        "fire fired launch launched",
        "build built make makes made produce produced manufacture manufactured",
        "video videos footage film",
        "kill killed wound wounded injure injured hurt dead die died casualties",
    )
)
_PRONOUNS = {stem(w) for w in "it its they them their he his she her this that these those".split()}


@dataclass(frozen=True)
class Gap:
    """What a sentence says is not known: the question word and the words of its clause."""

    wh: str
    words: frozenset[str]  # stems of the clause's content words
    first: str = ""  # stem of the clause's first word: 'unit' of 'which unit fired it'

    @property
    def slots(self) -> frozenset[Slot]:
        return _SLOTS.get(self.wh, frozenset())


def gaps_in(sentence: str) -> list[Gap]:
    out = []
    for pattern in (_UNSAID, _UNCLEAR):
        for m in pattern.finditer(sentence):
            wh = m.group("wh").lower()
            clause = m.group("clause")
            # "has not said when or where he will be buried": each question word asks
            also = re.match(rf"\s*(?:or|and)\s+({_WH})\b(.*)$", clause, re.IGNORECASE)
            if also:
                clause = also.group(2)
            first = terms(clause)[:1]
            out.append(Gap(wh, _content(clause), stem(first[0]) if first else ""))
            if also:
                out.append(Gap(also.group(1).lower(), _content(clause), out[-1].first))
    for m in _WITHHELD.finditer(sentence):
        words = _content(m.group("clause"))
        if "name" in words:
            out.append(Gap("who", words - {"name"}))
    return out


def _content(text: str) -> frozenset[str]:
    return frozenset(
        stem(t) for t in terms(text) if t not in STOPWORDS and stem(t) not in _PRONOUNS
    )


def states_gap(part: Any, gap: Gap, sentence: str) -> bool:
    """The gap is the part's own question: a question word that asks for the part's slot, a
    clause whose words are mostly what the part asks about ('how many residents are still in
    the city' for 'how many residents were still living in Chernihiv'), and no other side's
    ('how many of its own soldiers', Ukraine speaking, is not the Russian losses asked for)."""
    if part.slot not in gap.slots:
        return False
    named = parties(sentence)
    if named and not parties(part.text) <= named:
        return False
    if not gap.words:
        return gap.wh in ("whether", "if", "why")  # 'did not say whether he survived'
    asked = equivalents(part.search_text)
    every = set().union(*asked.values()) if asked else set()
    focus = set().union(*(asked.get(f, frozenset({f})) for f in part.focus))
    loose = set().union(*(g for g in _LOOSE if g & focus))
    every, focus = every | loose, focus | loose
    if gap.wh == "how many" and _counts_another(part, gap, focus):
        return False  # 'how many people lived in the section' is not 'how many flats'
    head = head_stems(part)
    if head and head.isdisjoint(gap.words):
        return False  # 'which unit fired it' is not 'what model of warhead'
    if gap.wh in ("what", "which") and part.slot is not Slot.OTHER and gap.first not in focus:
        return False  # 'what the plane had carried' is not 'which village'
    shared = len(gap.words & every)
    if gap.wh in ("whether", "if"):
        # 'whether soldiers will stay on the island' is not 'have troops set foot on it'
        return shared == len(gap.words)
    if part.slot is Slot.OTHER and not head:
        return shared == len(gap.words)  # 'what Zelensky said' is not 'what caused the blasts'
    return bool(gap.words & focus) and shared >= min(2, len(gap.words))


def _counts_another(part: Any, gap: Gap, focus: set[str]) -> bool:
    """The clause counts a thing ('how many people …'), not the one the part counts nor
    anything the question names ('how many Storm Shadows')."""
    first = gap.first
    if not part.counted or not first or first in _NOT_COUNTED or first.endswith(("ed", "ing")):
        return False  # 'how many had been brought down': what is counted is left unsaid
    return first not in counted_kin(part.counted) | focus | stem_set_split(part.text)


_NOT_COUNTED = frozenset(stem(w) for w in AUXILIARIES | {"of", "them"})


def stated_gap(part: Any, answer: Any | None, pool: list[Any]) -> Any | None:
    """A sentence of the pool saying the part's own question is not known, in the answer's
    article or a later one about the same things (an earlier 'has not said how many' is what
    the answer updates; a later one naming none of the question's names is another event).
    Without an answer, any such sentence: it says why there is none."""
    published = answer.passage.meta.published if answer else None
    asked = equivalents(part.search_text)
    names = [  # dates are checked as dates: 'in July 2023' is no name the article must give
        asked.get(n, frozenset({n})) | aliases_of(n)
        for n in names_asked(part.text)
        if not re.fullmatch(r"(?:19|20)\d\d", n) and (n.isdigit() or date_weight(n) == 1)
    ]
    for c in pool:
        meta = c.passage.meta
        later = published is None or (meta.published is not None and meta.published >= published)
        if answer and meta.doc_id != answer.passage.meta.doc_id and not later:
            continue
        stems = stem_set_split(c.document or c.passage.text)
        if not all(n & stems for n in names):
            continue
        if any(states_gap(part, g, c.text) for g in gaps_in(c.text)):
            return c
    return None
