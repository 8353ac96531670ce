"""Title, publication date, outlet and author from the top (and footer) of an article's text.

Answers order reports by publication date and cite the outlet, so these are read from what any
scraped page shows: "Key: value" headers, datelines ("Posted 17 April 2024, 11:05 by …",
"· 23 January 2024", "Updated …"), bylines, and the site's name (masthead, a line repeated as
the brand, the bold outlet in a Markdown byline, a "© 2024 Outlet" footer)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORD = r"(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
# A date written with a month name: "Tuesday, 11 March, 2025", "Apr 17, 2024", "Sept. 3 2023".
_NAMED = re.compile(
    rf"\b{_WEEKDAY}?(?:(?P<d1>\d{{1,2}}){_ORD}\.?\s+(?:of\s+)?)?(?P<mon>{_MONTH})\b\.?,?\s+"
    rf"(?:(?P<d2>\d{{1,2}}){_ORD}\b,?\s+)?(?P<y>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})([-/])(\d{1,2})\2(\d{1,2})(?!\d)")
_DMY = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2((?:19|20)\d{2})(?!\d)")
_TIME = re.compile(
    r"\b(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?!\d|[./]\d)\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:gmt|utc|bst|cet|cest|eet|eest|msk|[ecmp][sd]?t)(?:\s*[+-]\s*\d{1,2})?\)?)?\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"^(?:(?:\d+|an?) (?:second|minute|hour|day|week)s? ago|today|yesterday|"
    r"\d+[- ]min(?:ute)?s?(?: read)?)$",
    re.I,
)
_KEYWORD = re.compile(
    r"^(?P<kw>first published|published|posted|last updated|updated|last modified|modified)"
    r"\b(?:\s+on\b)?\s*:?\s*",
    re.IGNORECASE,
)
# Between the parts of a dateline: '·', '|', a spaced dash, or before 'updated'.
_SEPARATOR = re.compile(
    r"\s*[·|•]\s*|\s+[—–-]\s+|,?\s*(?=\b(?:last updated|updated|last modified|modified)\b)", re.I
)
_BY = re.compile(r"(?:^|[\s,;])by\s+(?P<who>\S.*)$", re.IGNORECASE)
FIELDS = {  # header keys ('Date: …'), by what they hold
    "title": "title",
    **dict.fromkeys(["date", "published", "dated", "posted"], "published"),
    **dict.fromkeys(["updated", "last updated", "modified"], "updated"),
    **dict.fromkeys(["publisher", "source"], "publisher"),
    **dict.fromkeys(["by", "author"], "author"),
    **dict.fromkeys(["url", "link"], "url"),
}
_FIELD = re.compile(rf"^\s*({'|'.join(FIELDS)})\s*:\s*(.+?)\s*$", re.IGNORECASE)
_POSTED = re.compile(r"^posted\b.*?\bby\s+(\S.*?)\s*$", re.IGNORECASE)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?(?:(?:19|20)\d{2}(?:\s*[-–]\s*\d{2,4})?\b)?",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b", re.IGNORECASE)
_CONNECTORS = set("& + and of the for on in de la le du der die des al el van von y a".split())
# One-word kickers and section labels: never an outlet name on their own.
_SECTIONS = set(
    "analysis opinion explainer news comment commentary interview feature features report review "
    "editorial briefing update live podcast video world politics economy business europe war "
    "defence defense exclusive breaking investigation essay column blog frontline".split()
)
# Words that make a byline piece a role ("Black Sea correspondent"), not an outlet.
_ROLES = set(
    "correspondent editor reporter writer staff contributor columnist analyst producer bureau "
    "chief photographer journalist fellow researcher director".split()
)


@dataclass
class Meta:
    """What the text says about itself; `publisher` is an explicit field or the HTML site name."""

    title: str | None = None
    published: date | None = None
    updated: date | None = None
    publisher: str | None = None
    url: str | None = None
    outlets: dict[str, tuple[str, float]] = field(default_factory=dict)
    authors: list[str] = field(default_factory=list)

    def vote(self, name: str, weight: float) -> None:
        """Evidence that `name` is the site's name; the name with most evidence wins."""
        name = " ".join(name.split()).strip(" ,;:")
        if name:
            shown, total = self.outlets.get(name.casefold(), (name, 0.0))
            self.outlets[name.casefold()] = (shown, total + weight)

    def outlet(self) -> str | None:
        best = max(self.outlets.values(), key=lambda v: v[1], default=None)
        return best[0] if best and best[1] > 0 else None

    def is_outlet(self, line: str, strong: float = 2.0) -> bool:
        found = self.outlets.get(" ".join(line.split()).casefold())
        return bool(found and found[1] >= strong)

    def take(self, what: str, value: str) -> None:
        """Keep the first value for each of title, published, updated, publisher, url; every
        author."""
        if what == "author":
            self.authors.append(value)
        elif what in ("published", "updated"):
            setattr(self, what, getattr(self, what) or parse_date(value))
        else:
            setattr(self, what, getattr(self, what) or value)

    def resolved_publisher(self, host: str = "") -> str:
        """An outlet named by the page first; an author only when no outlet can be found."""
        return self.publisher or self.outlet() or host or (self.authors[0] if self.authors else "")


def find_date(text: str) -> tuple[date, tuple[int, int]] | None:
    """The first calendar date written in `text`, and where it is."""
    from dateutil.parser import parserinfo

    found: list[tuple[int, int, date]] = []
    for pattern in (_ISO, _DMY, _NAMED):
        for m in pattern.finditer(text):
            if pattern is _ISO:
                year, month, day = int(m[1]), int(m[3]), int(m[4])
            elif pattern is _DMY:  # day first (European), unless that cannot be: 04/17/2024
                year, month, day = int(m[4]), int(m[3]), int(m[1])
                month, day = (day, month) if month > 12 >= day else (month, day)
            else:  # month and year only: the first of the month, as always
                year, day = int(m["y"]), int(m["d1"] or m["d2"] or 1)
                month = parserinfo().month(m["mon"]) or 0
            try:
                found.append((m.start(), m.end(), date(year, month, day)))
            except ValueError:
                continue  # '31 February 2024' is no date
    if not found:
        return None
    start, end, when = min(found)
    return when, (start, end)


def parse_date(text: str) -> date | None:
    """A calendar date from a line like '17:11 GMT - Tuesday, 11 March, 2025' or '2025-03-11'."""
    found = find_date(text)
    return found[0] if found else None


def mostly_date(text: str) -> bool:
    """'Tuesday, 11 March, 2025' is a date; '1 March: the talks in Jeddah ended…' is prose."""
    return len(re.sub(r"[\W\d_]", "", text)) < 40 and len(text.split()) <= 8


def name_like(text: str) -> bool:
    """A proper name ('Kyiv Civic Post', 'Danube & Delta Shipping Review'), not a phrase."""
    text = text.strip()
    words = text.split()
    if not words or len(words) > 6 or len(text) > 60 or text[-1] in ".!?:;,":
        return False
    if not (words[0][0].isupper() or words[0][0].isdigit()) or find_date(text):
        return False
    return all(w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in words)


def _outlet_like(text: str) -> bool:
    words = text.lower().split()
    if len(words) == 1 and (words[0] in _SECTIONS or text.isupper()):
        return False  # a section label, or a city dateline such as 'KYIV'
    return name_like(text) and not _ROLES.intersection(words)


def _unwrap(line: str) -> str:
    """'*By Tomasz Wierzbicki*' → 'By Tomasz Wierzbicki'."""
    return line.strip().strip("*_").strip()


def is_field(what: str, value: str) -> bool:
    """A 'Key: value' line is a header only when the value is a value, not a sentence of the
    article that happens to start with 'Date:' or 'Source:'."""
    if what in ("published", "updated"):
        return mostly_date(value) and parse_date(value) is not None
    if what == "url":
        return " " not in value
    return what == "title" or value.startswith("http") or len(value.split()) <= 8


def copyright_holder(line: str) -> str | None:
    """'© 2023 Pontic Trade Wire. All rights reserved.' or 'Kyiv Civic Post © 2024 | …'."""
    lower = line.lower()
    hint = len(line) < 250 and ("©" in line or "(c)" in lower or "copyright" in lower)
    m = _COPYRIGHT.search(line) if hint else None
    if not m:
        return None
    before = _SEPARATOR.split(line[: m.start()].strip())[-1].strip()
    rest = line[m.end() :]
    after = re.split(r"\.(?:\s|$)|[|·•—–,]|\s-\s|\ball rights\b", rest, flags=re.I)[0].strip()
    for name in (before, after):
        if name and (_outlet_like(name) or _DOMAIN.match(name)):
            return name
    return None


@dataclass
class _Dateline:
    published: date | None = None
    updated: date | None = None
    author: str | None = None
    outlets: list[tuple[str, float]] = field(default_factory=list)
    keyword: bool = False


def _piece(text: str, found: _Dateline, bold: frozenset[str]) -> bool:
    """A piece of a byline or dateline: a role, an outlet, a section, a time; False for prose."""
    text = _TIME.sub(" ", text).strip(" ,;:()[]*_")
    if not text or _RELATIVE.match(text) or text.lower() in _SECTIONS:
        return True
    if _ROLES.intersection(re.findall(r"[a-z]+", text.lower())):
        return len(text.split()) <= 6  # a role: "Black Sea correspondent", "Defence Editor"
    if _DOMAIN.match(text):
        found.outlets.append((text, 2.0))
        return True
    if not name_like(text):
        return False
    if _outlet_like(text):
        weight = 3.0 if text in bold else 2.0 if len(text.split()) > 1 else 0.0
        found.outlets.append((text, weight))
    return True


def dateline(line: str, bold: frozenset[str] = frozenset()) -> _Dateline | None:
    """A dateline or byline: 'Posted 17 April 2024, 11:05 by Daria Kovalchuk',
    '**Outlet** · Analysis · 23 January 2024', 'By Name, Outlet, 14 February 2025'; None for
    anything with prose in it (a headline that mentions a date is not a dateline)."""
    s = _unwrap(line)
    if not s or len(s) > 160 or s[-1] in ".!?":
        return None
    found = _Dateline()
    for part in _SEPARATOR.split(s):
        part = _unwrap(part)
        kw = _KEYWORD.match(part)
        update = bool(kw and kw["kw"].lower().endswith(("updated", "modified")))
        if kw:
            found.keyword, part = True, part[kw.end() :]
        when = find_date(part)
        if when:
            slot = "updated" if update else "published"
            setattr(found, slot, getattr(found, slot) or when[0])
            part = f"{part[: when[1][0]]} {part[when[1][1] :]}"
        by = _BY.search(part)
        if by:
            who, *rest = [x.strip() for x in by["who"].split(",")]
            if not (name_like(who) or _DOMAIN.match(who)) or found.author:
                return None
            if _DOMAIN.match(who):
                found.outlets.append((who, 2.0))
            found.author = who
            pieces = [part[: by.start()], *rest]
        else:
            pieces = part.split(",") if when or found.author or kw else [part]
        if not all(_piece(p, found, bold) for p in pieces):
            return None
    if found.published or found.updated or found.author:
        return found
    return found if found.keyword and not found.outlets else None


def _menu_items(line: str) -> int:
    """How many navigation items the line holds: 'Markets' is 1, 'World | Europe | Sport' 3."""
    if line[-1] in '.!?:;,"”' or find_date(line):
        return 0
    parts = [p for p in _SEPARATOR.split(line) if p]
    if len(parts) >= 3 and all(len(p.split()) <= 3 for p in parts):
        return len(parts)
    return int(len(line) <= 30 and len(line.split()) <= 3)


def _prose(line: str) -> bool:
    """A line of article text; a headline ending in a quotation ('… calls accusations "an
    absolute lie"') has no full stop inside its closing quote."""
    words = line.split()
    end = line.rstrip('"”’')
    return len(line) > 200 or (len(words) >= 12 and bool(end) and end[-1] in ".!?")


def read_head(lines: list[str], meta: Meta, bold: frozenset[str], page: bool) -> list[str]:
    """Take the metadata out of the lines above the article text (and the site name out of its
    footer) into `meta`; return the lines that remain, page furniture still among them.

    With `page` False (text extracted from HTML, whose markup gave the metadata) only
    'Key: value' headers and bare datelines are read, as they always were."""
    stripped = [line.strip() for line in lines]
    head_end = next(
        (i for i, s in enumerate(stripped) if _prose(s) and not _COOKIE.search(s)), len(lines)
    )
    roles: list[str] = []  # text | blank | meta (read into `meta`) | junk (page furniture)
    body_started = False
    for i, line in enumerate(stripped):
        roles.append(_role(line, meta, bold, page and i < head_end, body_started))
        body_started = body_started or len(line) > 200
    if page:
        _site_name(stripped, roles, head_end, meta)
        _headline_above_byline(stripped, roles, head_end, meta)
    return [raw for raw, role in zip(lines, roles, strict=True) if role in ("text", "blank")]


def _headline_above_byline(
    stripped: list[str], roles: list[str], head_end: int, meta: Meta
) -> None:
    """A page copied as text ('… / RUSSIA / MIGRATION / Headline / By Name | 1 November 2022'):
    the line just above the byline is the headline, and what is above it is the site's
    masthead and menus."""
    if meta.title or "blank" in roles[:head_end]:
        return  # with blank lines the page has its own layout (headline, standfirst, dateline)
    for i in range(1, head_end):
        if roles[i] != "meta":
            continue
        j = next((k for k in range(i - 1, -1, -1) if roles[k] != "blank"), None)
        if j is None or roles[j] != "text":
            continue
        line = _unwrap(stripped[j])
        if 3 <= len(line.split()) <= 25 and line[-1] not in ".!?:" and not _menu_items(line):
            meta.title = line
            for k in range(j):
                if roles[k] == "text":
                    roles[k] = "junk"
            return


def _site_name(stripped: list[str], roles: list[str], head_end: int, meta: Meta) -> None:
    """Vote for the site's name (footer, masthead, repeated line, beside the byline) and drop
    the lines that only say it, and the menus."""
    for s in stripped:
        holder = copyright_holder(s)
        if holder:
            meta.vote(holder, 3.0)
    _masthead(stripped, roles, _drop_menus(stripped, roles, head_end), meta)
    counts: dict[str, int] = {}
    for s in stripped:
        counts[s.casefold()] = counts.get(s.casefold(), 0) + 1
    repeated = {
        s.casefold(): s for s, r in zip(stripped[:head_end], roles, strict=False) if r == "text"
    }
    for key, s in repeated.items():
        if counts[key] >= 2 and name_like(s) and " " in s:
            meta.vote(s, 2.0)  # a name repeated on the page, not only in its menu: the brand
    for i, line in enumerate(stripped):
        if roles[i] == "text" and len(line) < 80 and meta.is_outlet(_unwrap(line)):
            roles[i] = "junk"  # the site's name on a line of its own
    _beside_byline(stripped, roles, head_end, meta)


def _role(line: str, meta: Meta, bold: frozenset[str], head: bool, body_started: bool) -> str:
    """What a line is: blank, text, metadata (read into `meta`) or page furniture (junk)."""
    if not line:
        return "blank"
    fld = _FIELD.match(line) if len(line) < 200 else None
    what = FIELDS[fld[1].lower()] if fld else ""
    if fld and not body_started and is_field(what, fld[2]):
        if what == "title" and meta.title:
            return "text"
        meta.take("url" if fld[2].startswith("http") else what, fld[2])
        return "meta"
    if head and _COOKIE.search(line) and len(line) < 300:
        return "junk"
    found = dateline(line, bold) if head else None
    if found:
        bare = not (found.author or found.outlets or found.keyword or found.updated)
        if bare and meta.published not in (None, found.published):
            return "text"  # a second, different bare date: article text, not a dateline
        meta.published = meta.published or found.published
        meta.updated = meta.updated or found.updated
        if found.author and not _DOMAIN.match(found.author):
            meta.authors.append(found.author)
        for name, weight in found.outlets:
            meta.vote(name, weight)
        return "meta"
    posted = _POSTED.match(line) if len(line) < 120 else None
    if posted:  # 'Posted … by X' further down: X is still the best guess at an author
        meta.authors.append(posted[1])
        return "meta"
    if len(line) < 80 and not body_started and not line.endswith((".", "!", "?")):
        when = parse_date(line)
        if when and mostly_date(line) and meta.published in (None, when):
            meta.published = when
            return "meta"
    if head and _unwrap(line).lower() in _SECTIONS:
        return "junk"
    return "text"


def _drop_menus(stripped: list[str], roles: list[str], head_end: int) -> set[int]:
    """Three or more short lines in a row above the article, or a line of four or more
    '|'-separated items there, are a navigation menu; returns the lines dropped."""
    run: list[int] = []
    items, dropped = 0, set()
    for i in range(head_end + 1):
        role = roles[i] if i < head_end else "end"
        if role == "junk":
            continue  # the site name or a cookie notice inside the menu does not end it
        n = _menu_items(stripped[i]) if role == "text" else 0
        if n:
            run.append(i)
            items += n
            continue
        if len(run) >= 3 or items >= 4:
            dropped.update(run)
        run, items = [], 0
    for i in dropped:
        roles[i] = "junk"
    return dropped


def _masthead(stripped: list[str], roles: list[str], menu: set[int], meta: Meta) -> None:
    """A short name on the first line of a page with a byline, above (or leading) its menu or
    above a longer headline, is the site's name."""
    shown = [i for i, r in enumerate(roles) if r != "blank"]
    if len(shown) < 2 or "meta" not in roles or not _outlet_like(stripped[shown[0]]):
        return
    first, nxt = stripped[shown[0]], stripped[shown[1]]
    headline = len(first.split()) <= 4 and len(nxt.split()) >= 5 and nxt[-1] not in ".!?"
    above = shown[0] in menu or shown[1] in menu or (headline and not _outlet_like(nxt))
    if above and (shown[0] in menu or roles[shown[0]] == "text"):
        meta.vote(first, 1.0)
        roles[shown[0]] = "junk"


def _beside_byline(stripped: list[str], roles: list[str], head_end: int, meta: Meta) -> None:
    """A short name next to the byline or dateline ('Headline / Outlet / By Name / 25 March
    2024') is the site's name; the first line left above the article is the headline."""
    content = [i for i in range(head_end) if roles[i] == "text"]
    for i in content[1:]:
        above = next((j for j in range(i - 1, -1, -1) if roles[j] != "blank"), None)
        below = next((j for j in range(i + 1, len(roles)) if roles[j] != "blank"), None)
        beside = any(j is not None and roles[j] == "meta" for j in (above, below))
        if beside and _outlet_like(_unwrap(stripped[i])):
            meta.vote(_unwrap(stripped[i]), 1.0)
            roles[i] = "junk"
