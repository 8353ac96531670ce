"""The date a sentence gives: for the event a question asks about, as written ('6 August
2024', 'March 2014', 'relative' for a weekday or a month alone), with a yearless day read
against the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.answer.dates import MONTH_RE, YEAR_RE, days_in, years_in
from assistant.answer.question import Part
from assistant.answer.values import DATEISH, RELATIVE, WEEKDAY
from assistant.text import stem, terms


def event_dates(sentence: str, published: date | None) -> list[date]:
    """Days a sentence names, a yearless day resolved against the publication date."""
    year = published.year if published else None
    out = []
    for d in days_in(sentence, default_year=year):
        if published and d > published + timedelta(days=31) and not re.search(YEAR_RE, sentence):
            d = d.replace(year=d.year - 1)  # "on 28 December" in a January article
        out.append(d)
    return out


_DATE_PHRASE = re.compile(
    rf"\b(?:end|beginning|start|middle)\s+of\s+{MONTH_RE}(?:,?\s+{YEAR_RE})?"
    # "in September last year": a month the publication date fixes, as a year would
    rf"|\b{MONTH_RE}\s+(?:of\s+)?(?:last|this|the previous|the same)\s+year\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+{YEAR_RE})?"
    rf"|\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+{YEAR_RE})?"
    rf"|\b(?:(?:early|mid|late)[\s-]+)?{MONTH_RE}\s+{YEAR_RE}"
    rf"|\b\d{{4}}-\d\d-\d\d\b"
    rf"|(?<![\d-]){YEAR_RE}(?![\d-])",
    re.IGNORECASE,
)


def date_value(sentence: str, published: date | None) -> str | None:
    """The first date a sentence gives, as written ('6 August 2024', 'March 2014', '2014');
    'relative' for a weekday or a month alone (fixed only by the publication date)."""
    m = _DATE_PHRASE.search(sentence)
    if m:
        return m.group(0)
    if RELATIVE.search(sentence) or re.search(
        rf"\b(?:in|on|since|until|from|by|early|late|mid-?)\s+{MONTH_RE}\b", sentence, re.I
    ):
        return "relative"
    return None


def date_year(value: str, published: date | None) -> int | None:
    """The year a date as written falls in (a yearless day takes the publication year)."""
    years = years_in(value)
    if years:
        return min(years)
    days = event_dates(value, published)
    return days[0].year if days else None


_SPEECH = re.compile(
    r"\b(?:said|says|say|announced?|announcing|told|tell|confirmed?|declared?|stated?|claimed?|"
    r"reported|wrote|added|insisted|warned|replied|asked|admitted|denied|acknowledged|"
    r"statement|address|remarks?|interview|briefing)\b",
    re.IGNORECASE,
)


_STILL = re.compile(r"\b(?:still|remains?|remained|continues? to|continued to)\b", re.IGNORECASE)


def _said_on(clause: str, sentence: str) -> bool:
    """The clause's date is when someone said that something was still so ('Syrskyi said on
    Monday that troops still held part of the city'): the date of a state, not of an event."""
    m = DATEISH.search(clause)
    if not m or not _STILL.search(sentence[sentence.find(clause) + m.end() :]):
        return False
    return _spoken_before(clause[: m.start()], 5)


def _spoken_before(text: str, words: int) -> bool:
    """A word for speaking among the last `words` words: 'said on' before a date."""
    return any(_SPEECH.fullmatch(w.strip(",.;:\"'“”")) for w in text.split()[-words:])


def day_of_saying(part: Part, sentence: str) -> bool:
    """Every day the sentence gives is the day someone spoke ('the Ukrainian military said on
    Wednesday'): when it was said, not when what a when-question asks about happened."""
    if _SPEECH.search(part.text):
        return False
    found = list(DATEISH.finditer(sentence))
    return bool(found) and all(_spoken_before(sentence[: m.start()], 4) for m in found)


_UNTIL_ASKED = re.compile(
    r"^\s*(?:until|till|up to|by) (?:when|what (?:date|day|month|year))\b", re.I
)
_UNTIL_SAID = re.compile(
    r"\b(?:until|till|through|to|by)\s+((?:the\s+)?(?:end|beginning|start|middle\s+)?"
    r"(?:\s*of\s+)?[^,;.]{0,30})",
    re.I,
)


def date_near(part: Part, sentence: str, published: date | None) -> str | None:
    """The date of what the part asks about: in a clause naming its names or focus words."""
    if _UNTIL_ASKED.search(part.text):
        # "Until when do the sanctions run?": the day they run to, not the day of the decision
        for m in _UNTIL_SAID.finditer(sentence):
            if value := date_value(m.group(1), published):
                return value
        return None  # ("a renewal due before the end of January": a deadline, not the end)
    # "on Monday, 6 March" is one date, not a weekday in one clause and a day in the next
    joined = re.sub(rf"\b({WEEKDAY}),\s+(?=\d{{1,2}}\s+{MONTH_RE})", r"\1 ", sentence, flags=re.I)
    clauses = [c for c in re.split(r"[,;:]\s+|\s+(?:and|while|but|after|before)\s+", joined)]
    wanted = {stem(w) for n in part.constraints.names for w in terms(n)} | set(part.focus)
    speech_asked = bool(_SPEECH.search(part.text))
    scored = []
    for i, clause in enumerate(clauses):
        value = date_value(clause, published)
        if value and not speech_asked and _said_on(clause, sentence):
            continue  # "Syrskyi said on Monday that troops still held …": when it was said
        if value:
            hits = len(wanted & {stem(t) for t in terms(clause)})
            # at equal hits a day written out beats "in May" or "on Friday" in an aside
            scored.append((hits, value != "relative", -i, value))
    if scored:
        return max(scored)[3]
    if not speech_asked and any(_said_on(c, sentence) for c in clauses):
        return None
    return date_value(sentence, published)
