"""When a sentence's event happened: its date phrases read by dateparser, relative ones ("on
Tuesday", "last week") against the article's publication date, each with its precision."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from assistant.answer.dates import MONTH_NUMBER, MONTH_RE, YEAR_RE

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = rf"(?:{'|'.join(_WEEKDAYS)})"
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
# A month named without a year ("in October", "late January"): capitalised, so "may" the verb
# is not one.
_MONTH_CAP = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
# Where a date may be written; dateparser decides what each phrase means.
_PHRASE = re.compile(
    rf"\b\d{{1,2}}\s+(?:and|to)\s+\d{{1,2}}\s+{MONTH_RE}(?:,?\s+{YEAR_RE})?(?![\d])"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH_RE}(?:,?\s+{YEAR_RE})?(?![\d])"
    rf"|\b{MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?(?!\d)(?:,?\s+{YEAR_RE})?"
    rf"|\b(?:(?:early|mid|late)[\s-]+)?{MONTH_RE}\s+(?:of\s+)?{YEAR_RE}"
    rf"|\b(?:early|mid|late)[\s-]+{YEAR_RE}"
    rf"|\b{_SEASON}\s+(?:of\s+)?{YEAR_RE}"
    rf"|(?<=\b(?:in|of) )(?:(?:early|mid|late)[\s-]+)?{_MONTH_CAP}\b(?![\s-]*\d)"
    rf"|\b(?:[Ee]arly|[Mm]id|[Ll]ate)[\s-]+{_MONTH_CAP}\b(?![\s-]*\d)"
    rf"|^{_MONTH_CAP}\b(?=\s+(?:was|saw|brought|began|ended)\b)"
    rf"|\b20\d\d-\d\d-\d\d\b"
    rf"|\b(?:on|last|this|next)\s+{_WEEKDAY}\b"
    rf"|\b(?:yesterday|today)\b"
    rf"|\b(?:last|this|next)\s+(?:week|month)\b"
    rf"|\b{_NUMBER_WORD}\s+(?:days?|weeks?|months?)\s+ago\b"
    rf"|(?<![\d$€£.,-]){YEAR_RE}(?![\d%-])",
    re.IGNORECASE,
)
# A date after these words ends a period or names a deadline; it does not date the news.
# ("Since early August 2022" dates the start of what has gone on since: on a timeline it is.)
_NOT_THE_EVENT = re.compile(
    r"\b(?:until|till|by|before|through|throughout|ahead of)\s+(?:the\s+)?"
    r"(?:(?:end|start|beginning|middle)\s+of\s+)?$",
    re.IGNORECASE,
)
_IN = re.compile(r"\b(?:in|during)\s+$", re.IGNORECASE)
_QUALIFIER = re.compile(r"^(early|mid|late)[\s-]+", re.IGNORECASE)
PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "year": 4}


@dataclass(frozen=True)
class When:
    """The span of days a phrase can mean, and how precise it is."""

    first: date
    last: date
    precision: str  # "day", "week", "month" or "year"
    phrase: str
    at: int = field(default=-1, compare=False)  # where the phrase starts in its sentence

    def label(self) -> str:
        """How the timeline shows it: '6 August 2024', 'March 2025', 'week of 21 April 2025'."""
        if self.precision == "day" and self.last != self.first:  # "15 and 16 June"
            return f"{self.first.day}–{self.last.day} {self.first:%B %Y}"
        if self.precision == "day":
            return f"{self.first.day} {self.first:%B %Y}"
        if self.precision == "week":
            return f"week of {self.first.day} {self.first:%B %Y}"
        qualifier = _QUALIFIER.match(self.phrase)
        lead = f"{qualifier.group(1).capitalize()} " if qualifier else ""
        if self.precision == "month":
            return f"{lead}{self.first:%B %Y}"
        if self.precision == "season":
            return self.phrase[:1].upper() + self.phrase[1:]
        return f"{lead}{self.first.year}"

    @property
    def middle(self) -> date:
        return self.first + (self.last - self.first) / 2

    def overlaps(self, other: When) -> bool:
        return self.first <= other.last and other.first <= self.last


@lru_cache(maxsize=64)
def _parser(base: date) -> Any:
    from dateparser.date import DateDataParser

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


_LOCK = threading.Lock()  # dateparser's parsers keep state between calls


def _span(d: date, precision: str) -> tuple[date, date]:
    if precision == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if precision == "month":
        nxt = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
        return date(d.year, d.month, 1), nxt - timedelta(days=1)
    if precision == "week":
        monday = d - timedelta(days=d.weekday())
        return monday, monday + timedelta(days=6)
    return d, d


def _narrow(first: date, last: date, qualifier: re.Match[str] | None) -> tuple[date, date]:
    """'Early', 'mid' and 'late' keep the first, middle or last third of the span."""
    if qualifier is None:
        return first, last
    third = (last - first).days // 3
    which = qualifier.group(1).lower()
    if which == "early":
        return first, first + timedelta(days=third)
    if which == "mid":
        return first + timedelta(days=third + 1), last - timedelta(days=third + 1)
    return last - timedelta(days=third), last


def parse_phrase(phrase: str, published: date | None, year: int | None = None) -> When | None:
    """One date phrase as a span of days; None when dateparser can't read it, or when it is
    relative and the article has no date to count from. A day without a year takes `year`
    (the year the sentence named before it), else the publication year."""
    two = re.fullmatch(r"(\d{1,2})\s+(?:and|to)\s+(\d{1,2}\s+.+)", phrase.strip())
    if two:  # "on 15 and 16 June": both days
        last = parse_phrase(two.group(2), published, year)
        if last is None or last.precision != "day" or int(two.group(1)) >= last.first.day:
            return last
        return When(last.first.replace(day=int(two.group(1))), last.last, "day", phrase.strip())
    season = re.match(rf"({_SEASON})\s+(?:of\s+)?({YEAR_RE})$", phrase.strip(), re.IGNORECASE)
    if season:
        # Northern seasons, three months each; dateparser does not read them.
        y, m = int(season.group(2)), _SEASON_MONTHS[season.group(1).lower()]
        first = date(y, m, 1)
        end = date(y + (m + 3 > 12), (m + 3 - 1) % 12 + 1, 1) - timedelta(days=1)
        return When(first, end, "season", phrase.strip())
    month_only = re.fullmatch(rf"(?:(?:early|mid|late)[\s-]+)?({MONTH_RE})", phrase.strip(), re.I)
    if month_only:
        return _month_without_year(phrase.strip(), month_only.group(1), published, year)
    relative = not re.search(rf"{YEAR_RE}|{MONTH_RE}", phrase, re.IGNORECASE)
    if relative and published is None:
        return None
    base = published or date.today()
    weekday = re.fullmatch(rf"on\s+({_WEEKDAY})", phrase.strip(), re.IGNORECASE)
    if weekday and published and _WEEKDAYS.index(weekday.group(1).lower()) == base.weekday():
        # "said on Tuesday" in a Tuesday article is that day's news, not the week before's.
        return When(base, base, "day", phrase.strip())
    bare = _QUALIFIER.sub("", phrase.strip())
    bare = re.sub(r"^on\s+", "", bare, flags=re.IGNORECASE)
    with _LOCK:
        data = _parser(base).get_date_data(bare)
    if data is None or data.date_obj is None:
        return None
    precision = data.period if data.period in PRECISION_RANK else "day"
    found = data.date_obj.date()
    if precision == "day" and not re.search(YEAR_RE, phrase) and not relative:
        if year is not None:
            found = _replace_year(found, year)
        elif published:
            # "on 28 December" in a January article happened the December before.
            found = _replace_year(found, published.year)
            if found > published + timedelta(days=31):
                found = _replace_year(found, found.year - 1)
    first, last = _narrow(*_span(found, precision), _QUALIFIER.match(phrase.strip()))
    return When(first, last, precision, phrase.strip())


def _month_without_year(
    phrase: str, month: str, published: date | None, year: int | None
) -> When | None:
    """'In October' in a February article is the October before; with a year named earlier in
    the sentence, that year."""
    number = MONTH_NUMBER[month.lower()]
    if year is None:
        if published is None:
            return None
        year = published.year - (number > published.month)
    first, last = _span(date(year, number, 1), "month")
    first, last = _narrow(first, last, _QUALIFIER.match(phrase))
    return When(first, last, "month", phrase)


def _replace_year(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February
        return d.replace(year=year, day=28)


def dates_in(sentence: str, published: date | None) -> list[When]:
    """Every date phrase of the sentence that dates its news, in reading order."""
    out: list[When] = []
    taken: list[tuple[int, int]] = []
    for m in _PHRASE.finditer(sentence):
        if any(s <= m.start() < e for s, e in taken):
            continue
        if _NOT_THE_EVENT.search(sentence[max(0, m.start() - 30) : m.start()]):
            continue
        if re.match(
            r"\s*(?:treaty|law|agreement|deal|package|budget|plan|elections?)\b",
            sentence[m.end() :],
            re.IGNORECASE,
        ) and re.fullmatch(YEAR_RE, m.group(0)):
            continue  # "the 2024 treaty" names the treaty, not when this happened
        # A year in a "since …" clause starts a period that runs to now: a yearless month or
        # day after it ("since March 2022, most recently in May") is not in that year.
        before = _SINCE.sub(" ", sentence[: m.start()])
        years = re.findall(rf"(?<![\d-]){YEAR_RE}(?![\d-])", before)
        when = parse_phrase(m.group(0), published, int(years[-1]) if years else None)
        if (
            when is not None
            and when.precision == "year"
            and not _IN.search(sentence[max(0, m.start() - 4) : m.start()])
        ):
            continue  # "the Istanbul talks of 2022" names the talks; "in 2014" dates the news
        if when is not None:
            out.append(replace(when, at=m.start()))
            taken.append(m.span())
    return out


_ASIDE = re.compile(r",\s*(?:who|which|whose|where)\b[^,]*$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\b[^,;:]*", re.IGNORECASE)
_IN_SINCE = re.compile(r"\bsince\b[^,;:]*$", re.IGNORECASE)
# "X said on Thursday that an F-16 had crashed on Monday": the reported clause, with its own
# verb, holds the news; "the mobilisation announced on 21 September had been completed" does
# not (no verb of its own before the date).
_REPORTED = re.compile(
    r"\b(?:said|says|announced|told|reported|confirmed|stated)\b[^.;:\"“”]{0,50}?\bthat\s+",
    re.IGNORECASE,
)
_AUXILIARY = re.compile(r"\b(?:had|has|have|would|will|was|were)\b", re.IGNORECASE)


def _at(sentence: str, when: When) -> int:
    return when.at if when.at >= 0 else sentence.find(when.phrase)


def _in_aside(sentence: str, when: When) -> bool:
    at = _at(sentence, when)
    return at > 0 and bool(_ASIDE.search(sentence[:at]))


def _in_since(sentence: str, when: When) -> bool:
    """'Since Russian forces seized it in March 2022': the start of a period, not its news."""
    at = _at(sentence, when)
    return at > 0 and bool(_IN_SINCE.search(sentence[:at]))


def _reported(sentence: str, when: When) -> bool:
    """The date sits in what someone said happened (or will), after that clause's own verb."""
    at = _at(sentence, when)
    for m in _REPORTED.finditer(sentence[: max(at, 0)]):
        if _AUXILIARY.search(sentence[m.end() : at]):
            return True
    return False


def event_when(sentence: str, published: date | None) -> When | None:
    """The date of the sentence's news: its most precise date phrase, the first among equals.
    Undated sentences get None (they are not placed on a timeline)."""
    found = dates_in(sentence, published)
    if not found:
        return None
    # "The order came late on Friday from Syrskyi, who was appointed on 8 February": the date
    # in the aside is background; the sentence's news is Friday's. A "since" date starts a
    # period; among equally precise dates the reported event's, written out, comes first.
    return min(
        found,
        key=lambda w: (
            _in_aside(sentence, w),
            _in_since(sentence, w),
            PRECISION_RANK[w.precision],
            not _reported(sentence, w),
            not re.search(rf"{YEAR_RE}|{MONTH_RE}|\d", w.phrase, re.IGNORECASE),
        ),
    )


# Where one sentence reports two events: "…four leaks in total: the fourth was found on 29
# September", "…from Syrskyi, who was appointed on 8 February, replacing Zaluzhnyi."
_CLAUSE_BREAK = re.compile(r"[:;]\s+")
_ASIDE_START = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*),\s*(?:who|which)\b")
MIN_PART_WORDS = 6
SPLIT_DAYS = 2  # two dates closer than this are one event told twice


def event_parts(sentence: str, published: date | None) -> list[tuple[int, int, When | None]]:
    """The spans of the sentence a timeline quotes separately, each with its own date: the
    whole sentence, unless a clause after a colon or a named person's aside carries a day
    of its own, days apart from the rest's."""
    whole = [(0, len(sentence), event_when(sentence, published))]
    found = [w for w in dates_in(sentence, published) if w.precision == "day"]
    if len(found) < 2:
        return whole
    cuts: list[tuple[int, int]] = []  # (end of the first part, start of the second)
    cuts += [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)]
    cuts += [(m.end(1), m.start(1)) for m in _ASIDE_START.finditer(sentence) if m.start(1) > 0]
    for end_a, start_b in cuts:
        a, b = sentence[:end_a].rstrip(" ,"), sentence[start_b:]
        if min(len(a.split()), len(b.split())) < MIN_PART_WORDS:
            continue
        in_a = [w for w in found if w.at < end_a]
        in_b = [w for w in found if w.at >= start_b]
        if not in_a or not in_b:
            continue
        wa, wb = event_when(a, published), in_b[0]
        if wa is None or wa.precision != "day" or _in_since(sentence, wb):
            continue
        if abs((wb.first - wa.first).days) < SPLIT_DAYS:
            continue
        # The second part's date as the whole sentence reads it (a year named earlier).
        return [(0, len(a), wa), (start_b, len(sentence), wb)]
    return whole
