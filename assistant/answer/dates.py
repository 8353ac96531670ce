"""Dates written in text: full days, months, years, read with the publication year when a day
has none."""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = (
    "january february march april may june july august september october november december".split()
)
MONTH_NUMBER = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(MONTHS)
}
MONTH_RE = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
)
YEAR_RE = r"(?:1[89]\d\d|20\d\d)"


DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\b(?:,?\s+({YEAR_RE}))?", re.IGNORECASE
)
MONTH_DAY = re.compile(
    rf"\b({MONTH_RE})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+({YEAR_RE}))?", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\b({MONTH_RE})\s+({YEAR_RE})\b", re.IGNORECASE)
ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_YEAR = re.compile(rf"(?<![\d-]){YEAR_RE}(?![\d-])")


def _day(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def days_in(text: str, default_year: int | None = None) -> list[date]:
    """Full dates written in text ('6 August 2024', 'March 11', '2025-03-11'); a day without a
    year takes `default_year` (the publication year) when given."""
    out: list[date] = []
    for m in ISO_DATE.finditer(text):
        if d := _day(int(m.group(1)), int(m.group(2)), int(m.group(3))):
            out.append(d)
    for m in DAY_MONTH.finditer(text):
        year = int(m.group(3)) if m.group(3) else default_year
        if year and (d := _day(year, MONTH_NUMBER[m.group(2).lower()], int(m.group(1)))):
            out.append(d)
    for m in MONTH_DAY.finditer(text):
        year = int(m.group(3)) if m.group(3) else default_year
        if year and (d := _day(year, MONTH_NUMBER[m.group(1).lower()], int(m.group(2)))):
            out.append(d)
    return out


def years_in(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


def date_range(text: str) -> tuple[date, date] | None:
    """The first and last day a temporal phrase can mean: a day, a month or a year."""
    days = days_in(text)
    if days:
        return days[0], days[0]
    m = _MONTH_YEAR.search(text)
    if m:
        y, mo = int(m.group(2)), MONTH_NUMBER[m.group(1).lower()]
        nxt = date(y + 1, 1, 1) if mo == 12 else date(y, mo + 1, 1)
        return date(y, mo, 1), nxt - timedelta(days=1)
    years = _YEAR.findall(text)
    return (date(int(years[0]), 1, 1), date(int(years[0]), 12, 31)) if years else None


WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# "on Sunday", "last Friday", "Friday's attack"; not "Sunday, 4 August" (the day is written).
_WEEKDAY = re.compile(
    rf"\b(?:(last|next|this|on|since|by|until|from)\s+)?({'|'.join(WEEKDAYS)})\b(?!,?\s+\d)"
    rf"(?!,?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE})",
    re.IGNORECASE,
)
_AHEAD = re.compile(
    r"\b(?:will|shall|is due|are due|is expected|are expected|is scheduled|are scheduled|"
    r"plans? to|is to|are to|is set to|are set to|would)\b",
    re.IGNORECASE,
)


def weekday_days(text: str, published: date | None) -> list[tuple[str, date]]:
    """The days a report's weekdays stand for, read from its publication day: 'on Sunday' in a
    report of Monday 5 August 2024 is 4 August; 'will meet on Friday', the Friday after."""
    if published is None:
        return []
    out: list[tuple[str, date]] = []
    for m in _WEEKDAY.finditer(text):
        word = m.group(2)
        if not word[0].isupper():
            continue  # "sunday" in a lower-case run of words is not a day
        wanted = WEEKDAYS.index(word.lower())
        ahead = (m.group(1) or "").lower() == "next" or (
            (m.group(1) or "").lower() != "last"
            and bool(_AHEAD.search(text[max(0, m.start() - 60) : m.start()]))
        )
        if ahead:
            delta = (wanted - published.weekday()) % 7 or 7
            out.append((word, published + timedelta(days=delta)))
        elif _LAST_WEEK_AFTER.match(text, m.end()) or _LAST_WEEK_BEFORE.search(
            text[max(0, m.start() - 20) : m.start()]
        ):
            # 'on Monday last week' in a Wednesday report: the Monday of the week before
            out.append((word, published - timedelta(days=published.weekday() + 7 - wanted)))
        else:
            delta = (published.weekday() - wanted) % 7
            if (m.group(1) or "").lower() == "last" and delta == 0:
                delta = 7
            out.append((word, published - timedelta(days=delta)))
    return out


_LAST_WEEK_AFTER = re.compile(r",?\s+(?:of\s+)?(?:last|the previous) week\b", re.IGNORECASE)
_LAST_WEEK_BEFORE = re.compile(r"\blast week,?\s+(?:on\s+)?$", re.IGNORECASE)


# "at 12:03", "about 10.45 am", "shortly after 4 p.m.", "around noon": a time of day.
CLOCK = re.compile(
    r"\b(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*(?:[ap]\.?m\.?))?|(?:1[0-2]|[1-9])\s*[ap]\.?m\.?"
    r"|noon|midday|midnight)(?![\w:.]\d)",
    re.IGNORECASE,
)
TIME_ASKED = re.compile(r"\b(?:what|which) (?:time|hour)\b(?! (?:of (?:the )?year|frame))", re.I)


def clock_minutes(value: str) -> int | None:
    """Minutes after midnight of a time of day as written ('12:03', '4 p.m.', 'noon')."""
    low = value.lower().strip()
    if low in ("noon", "midday"):
        return 12 * 60
    if low == "midnight":
        return 0
    m = re.match(r"(\d{1,2})(?:[:.](\d\d))?\s*([ap])?", low)
    if not m:
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(3) == "p" and hour < 12:
        hour += 12
    if m.group(3) == "a" and hour == 12:
        hour = 0
    return hour * 60 + minute
