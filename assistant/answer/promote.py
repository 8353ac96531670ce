"""Sentences that say in so many words what a kind of question asks for, and so lead its
answer over closer ones: where people were taken or went ('taken to hospitals in Dnipro'),
that a state asked about has ended ('halted production on 14 January'), that a name is of the
kind of body asked for ('Ukrzaliznytsia, the state railway company')."""

from __future__ import annotations

import re

from assistant.answer.asked import gives_name, names_head, states_reason, typed_place
from assistant.answer.counts import gives_toll
from assistant.answer.former import keeps_before, says_former
from assistant.answer.question import Part, Slot
from assistant.answer.wording import forms_of
from assistant.text import stem

_MOTION = (
    "taken take took moved move sent send evacuated evacuate brought bring transferred "
    "transfer deported deport relocated relocate flown fly flew went go fled flee headed head "
    "rehoused rehouse driven drive drove carried carry"
)
_ASKS_WHERE_TO = re.compile(
    rf"^\s*where\b(?:\s+[\w'’-]+){{1,10}}?\s+({'|'.join(_MOTION.split())})\b", re.IGNORECASE
)


def gives_destination(part: Part, sentence: str) -> bool:
    """'Where were the people wounded at Chaplyne taken?': the sentence moves them somewhere
    with the question's verb ('had been taken to hospitals in …')."""
    if part.slot is not Slot.PLACE:
        return False
    asked = _ASKS_WHERE_TO.match(part.text)
    if not asked:
        return False
    forms = forms_of(stem(asked.group(1).lower()))
    for m in re.finditer(r"\b([a-z]+)(?=\s+(?:\w+\s+)?to\b)", sentence):
        if stem(m.group(1)) in forms:
            return True
    # "Where did Prigozhin go?": 'had arrived in Belarus that morning'
    return bool(_ARRIVED.search(sentence))


_ARRIVED = re.compile(r"\b(?:arrived|arrives|arriving|landed|ended up) (?:in|at)\b", re.I)


# "Is the mine still operating?", "are they still holding it?": a state that may have ended.
_STILL_ASKED = re.compile(r"\b(?:still|any longer|remain|remains|continue|continues)\b", re.I)
_ENDED = re.compile(
    r"\b(?:halted|stopped|ceased|ended|closed|shut|lifted|withdrew|withdrawn|pulled (?:out|back)|"
    r"abandoned|broken up|broke up|dispersed|resumed|reopened|no longer|fell|lost control|"
    r"taken full control|had withdrawn|left the)\b",
    re.IGNORECASE,
)


def says_it_ended(part: Part, sentence: str) -> bool:
    """'Is the Pokrovske mine still operating?': 'Metinvest halted production there on 14
    January' answers it; a sentence describing the mine does not."""
    return (
        part.slot is Slot.YESNO
        and bool(_STILL_ASKED.search(part.text))
        and bool(_ENDED.search(sentence))
    )


_ORG_KINDS = re.compile(
    r"^\s*(?:\w+\s+)?(?:which|what)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(company|agency|firm|group|organi[sz]ation|body|operator|broadcaster|channel|bank)\b",
    re.IGNORECASE,
)


def typed_body(part: Part, sentence: str) -> bool:
    """'Which company operates the railway?': 'Ukrzaliznytsia, the state railway company'
    says its name is of that kind; a sentence naming a ministry that said something does not."""
    if part.slot is not Slot.ORG:
        return False
    asked = _ORG_KINDS.match(part.text)
    if not asked:
        return False
    kind = re.escape(asked.group(1).lower())
    return bool(
        re.search(rf"\b[A-Z][\w'’-]+,\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}{kind}\b", sentence)
    )


def says_what_is_asked(part: Part, sentence: str) -> bool:
    """The sentence says in so many words what this kind of question asks for (the call sign,
    a city of the kind asked, a cause, where they were taken, that it ended …): it leads."""
    return any(
        rule(part, sentence)
        for rule in (
            names_head,
            typed_place,
            states_reason,
            keeps_before,
            says_former,
            gives_destination,
            says_it_ended,
            typed_body,
            gives_name,
            gives_toll,
        )
    )
