"""What a thing was before: the time before the war a question asks about, and the sentence
that speaks of that time ('about 430,000 inhabitants before the invasion', 'the former
Vocational School No. 19'), not of the thing now."""

from __future__ import annotations

import re

from assistant.answer.question import Part, Slot

_BEFORE_ASKED = re.compile(
    r"\bbefore (?:the )?(?:full-scale )?(?:war|invasion|conflict|siege|fighting)\b|\bpre-war\b",
    re.IGNORECASE,
)
_BEFORE_SAID = re.compile(
    r"\bbefore (?:the |24 February|\d{4}\b)|\bpre-(?:war|invasion)\b|\bprior to\b", re.IGNORECASE
)


def asks_before(part: Part) -> bool:
    """'… before the invasion': a fixed past, which later reports dispute but cannot update."""
    return bool(_BEFORE_ASKED.search(part.text))


def keeps_before(part: Part, sentence: str) -> bool:
    """'How many people lived there before the invasion?': the sentence speaks of the time
    before too ('about 430,000 inhabitants before the invasion'), not of the city now."""
    return asks_before(part) and bool(_BEFORE_SAID.search(sentence))


# "What was the building before the soldiers were housed in it?", "what had it been": a
# question about what a thing used to be, answered by the sentence that says so.
_FORMER_ASKED = re.compile(
    r"^\s*what (?:was|were|had) .+\b(?:before|originally|formerly|previously)\b"
    r"|^\s*what (?:had|did) .+\b(?:been|used to be)\b",
    re.IGNORECASE,
)
_FORMER_SAID = re.compile(
    r"\b(?:former|formerly|originally|used to be|once (?:a|an|the)|was built as|had been (?:a|an)"
    r"|converted from)\b",
    re.IGNORECASE,
)


def says_former(part: Part, sentence: str) -> bool:
    """'What was the building before …?': 'The building was the former Vocational School
    No. 19' says what it used to be; the sentence about the strike on it does not."""
    return bool(_FORMER_ASKED.search(part.text)) and bool(_FORMER_SAID.search(sentence))


# "How many residents were still living there?", "how many remain": the number left, which a
# figure from before the war is not.
_REMAINING_ASKED = re.compile(
    r"\b(?:still|remain|remains|remained|remaining|left behind|are left|were left|stayed)\b",
    re.IGNORECASE,
)


def before_for_remaining(part: Part, sentence: str) -> bool:
    """'How many residents were still living in Chernihiv?': 'before the war Chernihiv had
    nearly 300,000 residents' gives what there was, not what is left."""
    return (
        bool(_REMAINING_ASKED.search(part.text))
        and not asks_before(part)
        and bool(_BEFORE_SAID.search(sentence))
        and not _REMAINING_ASKED.search(sentence)
    )


_HABIT_ASKED = re.compile(r"\b(?:used to|usually|normally|typically|before|in peacetime)\b", re.I)
# "we used to have", not "could be used to shelter" or "supporters used to win votes"
_HABIT_SAID = re.compile(
    r"\b(?:we|they|he|she|it|i|you|there)\s+used to\b|\b(?:usually|normally|in a normal year)\b",
    re.I,
)


def habit_for_event(part: Part, sentence: str) -> bool:
    """'How many guests were staying when it was struck?': '"In July we used to have three
    thousand guests"' gives what was usual, not how many were there."""
    return (
        part.slot is Slot.NUMBER
        and not _HABIT_ASKED.search(part.text)
        and bool(_HABIT_SAID.search(sentence))
    )
