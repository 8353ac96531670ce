"""Does a sentence give the day (or the time of day) a when-question asks for: a date
near the event asked about, with a year or a day when one is asked for, and not a sentence
saying the day is not set."""

from __future__ import annotations

import re
from datetime import date

from assistant.answer.dates import CLOCK, MONTH_RE, TIME_ASKED, years_in
from assistant.answer.question import Part
from assistant.answer.when import date_near
from assistant.answer.wording import synonyms_of
from assistant.text import stem, stem_set, terms

_NO_DATE = re.compile(
    r"\bno date (?:has|had|was|is) (?:yet |so far )?(?:been )?(?:set|fixed|announced|given|agreed)"
    r"|\b(?:has|have|had) (?:not|yet to) (?:yet )?(?:been )?(?:scheduled|set a date)",
    re.IGNORECASE,
)


def _no_date_for(part: Part, sentence: str) -> bool:
    """The sentence says the day asked about is not set; not the day of something else ('it
    opened on 3 May; no date has been set for the verdict')."""
    m = _NO_DATE.search(sentence)
    if not m:
        return False
    after = re.match(r"\s+for\s+((?:[\w'’-]+\s*){1,6})", sentence[m.end() :])
    return not after or bool({stem(t) for t in terms(after.group(1))} & set(part.focus))


# "When is the trial … due to begin", "when will the hearing start": an event named by a noun.
_WHEN_EVENT = re.compile(
    r"^\s*when (?:is|was|will|are|were) (?:the|a) ([a-z]+)\b(?:\s+\w+){0,14}?\s+"
    r"(?:due to |expected to |set to |scheduled to |going to )?(?:begin|start|open|end|"
    r"take place|be held|happen|resume|conclude)\b",
    re.IGNORECASE,
)


def date_answer(part: Part, sentence: str, published: date | None) -> tuple[bool, str, str | None]:
    """(answers, why not, the value): the date or time of day the sentence gives the part."""
    low = part.text.lower()
    if TIME_ASKED.search(low):
        clock = CLOCK.search(sentence)  # "at what time did the missiles hit": '12:03'
        return bool(clock), "" if clock else "no time of day", clock and clock.group(0)
    if _no_date_for(part, sentence):
        return False, "says no date is set", None  # "no date has yet been set for the hearing"
    value = date_near(part, sentence, published)
    if value and re.search(r"\b(?:what|which) year\b", low) and not years_in(value):
        return False, "no year", None  # "6 June" does not say in what year
    day_asked = re.search(r"\b(?:what|which) (?:date|day)\b", low)
    if (
        value
        and day_asked
        and re.fullmatch(rf"(?:(?:early|mid|late)[\s-]+)?(?:{MONTH_RE}\s+)?\d{{4}}", value, re.I)
    ):
        return False, "no day", None  # "the tasks of 2024" does not say on what date
    event = _WHEN_EVENT.match(part.text)
    if value and event and not synonyms_of(stem(event.group(1))) & stem_set(sentence):
        # "When is the trial due to begin?": the day they were charged is not its date
        return False, f"not about the {event.group(1)}", None
    return bool(value), "" if value else "no date", value
