"""Headline, publication date and outlet from the pages analysts actually save: scraped page text
with menus and cookie notices, Markdown with a byline, and the evals' invented corpus.

Answers order reports by publication date ("as of D", newer report first) and cite the outlet, so
a nav menu taken as the title, a missing date or the author taken as the outlet is a wrong answer.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from assistant.ingest.clean import clean
from assistant.ingest.load import RawDocument, load_bytes, load_file
from assistant.ingest.meta import dateline, parse_date

DEV3 = Path(__file__).resolve().parent.parent / "evals" / "dev3" / "corpus"

BODY = (
    "Officials said the repairs would take several weeks, and that the work had been planned "
    "long before the latest attacks on the region's power grid and water supply.\n\n"
    "Engineers from three regional utilities joined the effort, which international donors "
    "have agreed to fund for at least another six months, according to the ministry.\n"
)


def _clean(text: str, name: str = "page.txt"):
    return clean(load_bytes(text.encode(), name, 10**7))


# A WordPress-style page: skip link, brand, a one-word-per-line menu, a » breadcrumb, a
# "Posted on … by …" dateline, and article text full of other dates.
WORDPRESS = f"""Skip to content
Harbour Ledger
Home
World
Business
Ports
Sport
Subscribe
Home » World » Europe

Odesa port cranes back in service after winter of drone strikes

Posted on March 4, 2024 by Anna Petrova

On 24 February 2022 the port closed for the first time since the Second World War; it reopened \
for container traffic in September 2023, and its owners now expect full service by 1 June 2024.

12 January 2024

{BODY}
Share this:
Facebook
WhatsApp
Related articles
Copyright © 2024 Harbour Ledger. Powered by WordPress.
"""

# A newspaper page: masthead, a menu on one '|' line, a standfirst, a weekday dateline with a
# time and zone, and a "Last modified" line that must not replace the first publication date.
NEWSPAPER = f"""The Northern Gazette
World | Europe | Ukraine | Opinion | Sport | Culture
We use cookies on this site. See our cookie policy for details.

Kharkiv's metro stations fill again as air-raid alerts lengthen

Families spend nights underground as the city's air defences are stretched thin
Thu 9 May 2024 14.20 CEST
Last modified on Fri 10 May 2024 08.00 CEST

{BODY}"""

# Updated first, published second, numeric day-first dates, and the outlet from a footer naming
# a web address.
NUMERIC = f"""Updated: 12.06.2023, 09:40
Published: 10.06.2023

Flood water recedes in Kherson, leaving mud and mines behind

{BODY}
© 2023 dniprowire.example | Contact | Privacy
"""

# Markdown: the outlet in bold inside a byline with a section label, the author in italics.
MARKDOWN_BOLD = f"""# Tanker insurers return to the Black Sea as premiums fall

*Opinion* · **Steppe Telegraph** · 5 Nov 2023

*By Olena Shevchuk*

{BODY}
---

*Read also: [Grain exports in October](https://example.org/october)*
"""

# Markdown saved from a site whose name is the first heading; the dateline names a place.
MARKDOWN_MASTHEAD = f"""# Donbas Daily

## Kramatorsk rail station reopens to evacuation trains

11 July 2024 | Kramatorsk

{BODY}
© 2024 Donbas Daily
"""

# No date anywhere near the top: only dates inside the article, and a footer without a year.
UNDATED = """Home
Region
City
Opinion
Kharkiv Herald

Why the Kharkiv tram depot matters for the city's recovery

By Staff Reporter

In March 2022 the depot was shelled for the first time, and on 5 April 2023 it was hit again, \
destroying a third of the fleet that the city had only just finished repairing.

The city council says that rebuilding the depot will cost more than the rest of the tram network \
repairs put together, and donors have so far pledged less than half of the sum.

© Kharkiv Herald
"""

# Only an author and an ISO timestamp: the author stays the publisher, as the last resort.
AUTHOR_ONLY = f"""Border crossings slow as new registration rules take effect
By Maria Lopez
2024-05-03T10:15:00Z

{BODY}"""

# The whole byline on one line, commas between author, outlet and date.
COMMA_BYLINE = f"""Azerbaijan's gas deliveries to Europe: what changes after January
By Leyla Aliyeva, Gulf Energy Notes, 14 February 2025

{BODY}"""

# US style: "Published … at 10:05 a.m. ET", "Updated …", the brand repeated at the bottom, and a
# title that carries the outlet's name after a bar.
US_STYLE = f"""Capitol Defense Wire
Skip to main content
Menu
Defense
Congress
Industry
Newsletters

Senate passes Ukraine aid package after months of delay | Capitol Defense Wire

Published Apr 17, 2024 at 10:05 a.m. ET · Updated Apr 18, 2024
By Daniel Brooks

{BODY}
Capitol Defense Wire
"""

# The seed's shape: a time-and-zone dateline on top and "Posted N hours ago by <web address>".
RELATIVE = f"""08:30 GMT - Monday, 3 June, 2024

Shelling cuts power to Nikopol as Zaporizhzhia plant loses another line

Posted 2 hours ago by warwatch.example

{BODY}"""


# The site's name on the first line, then the headline, with no menu and no footer.
MASTHEAD_ONLY = f"""Kyiv Civic Ledger

Rada passes the mobilisation law after months of delay

By Ivan Petrenko

17 April 2024

{BODY}"""


@pytest.mark.parametrize(
    ("text", "name", "title", "published", "publisher"),
    [
        (
            WORDPRESS,
            "page.txt",
            "Odesa port cranes back in service after winter of drone strikes",
            date(2024, 3, 4),
            "Harbour Ledger",
        ),
        (
            NEWSPAPER,
            "page.txt",
            "Kharkiv's metro stations fill again as air-raid alerts lengthen",
            date(2024, 5, 9),
            "The Northern Gazette",
        ),
        (
            NUMERIC,
            "page.txt",
            "Flood water recedes in Kherson, leaving mud and mines behind",
            date(2023, 6, 10),
            "dniprowire.example",
        ),
        (
            MARKDOWN_BOLD,
            "page.md",
            "Tanker insurers return to the Black Sea as premiums fall",
            date(2023, 11, 5),
            "Steppe Telegraph",
        ),
        (
            MARKDOWN_MASTHEAD,
            "page.md",
            "Kramatorsk rail station reopens to evacuation trains",
            date(2024, 7, 11),
            "Donbas Daily",
        ),
        (
            UNDATED,
            "page.txt",
            "Why the Kharkiv tram depot matters for the city's recovery",
            None,
            "Kharkiv Herald",
        ),
        (
            AUTHOR_ONLY,
            "page.txt",
            "Border crossings slow as new registration rules take effect",
            date(2024, 5, 3),
            "Maria Lopez",
        ),
        (
            COMMA_BYLINE,
            "page.txt",
            "Azerbaijan's gas deliveries to Europe: what changes after January",
            date(2025, 2, 14),
            "Gulf Energy Notes",
        ),
        (
            US_STYLE,
            "page.txt",
            "Senate passes Ukraine aid package after months of delay",
            date(2024, 4, 17),
            "Capitol Defense Wire",
        ),
        (
            RELATIVE,
            "page.txt",
            "Shelling cuts power to Nikopol as Zaporizhzhia plant loses another line",
            date(2024, 6, 3),
            "warwatch.example",
        ),
        (
            MASTHEAD_ONLY,
            "page.txt",
            "Rada passes the mobilisation law after months of delay",
            date(2024, 4, 17),
            "Kyiv Civic Ledger",
        ),
    ],
    ids=[
        "wordpress",
        "newspaper",
        "numeric",
        "markdown-bold",
        "markdown-masthead",
        "undated",
        "author-only",
        "comma-byline",
        "us-style",
        "relative",
        "masthead-only",
    ],
)
def test_page_metadata(text, name, title, published, publisher):
    doc = _clean(text, name)
    assert (doc.meta.title, doc.meta.published, doc.meta.publisher) == (
        title,
        published,
        publisher,
    )
    # The metadata lines and the page furniture are gone; the article text is whole.
    assert doc.text.startswith(title + "\n\n")
    assert "repairs would take several weeks" in doc.text or "tram depot" in doc.text
    for junk in ("cookie", "Skip to", "Facebook", "©", "Posted", "By Staff", "Updated", "*By"):
        assert junk not in doc.text, junk


def test_dates_in_the_article_are_not_the_publication_date():
    doc = _clean(WORDPRESS)
    assert doc.meta.published == date(2024, 3, 4)
    # The article's own dates stay in its text, the short "12 January 2024" line included.
    assert "On 24 February 2022 the port closed" in doc.text and "12 January 2024" in doc.text
    # A headline that mentions a date is a headline, not a dateline.
    assert dateline("Riyadh talks: what the US and Russia agreed on 18 February 2025") is None
    assert dateline("By the end of March 2025, the talks had stalled") is None


def test_an_undated_page_stays_undated():
    doc = _clean(UNDATED)
    assert doc.meta.published is None
    assert "In March 2022 the depot was shelled" in doc.text
    assert "By Staff Reporter" not in doc.text


def test_the_author_is_not_the_publisher_when_an_outlet_is_named():
    doc = _clean(WORDPRESS)
    assert doc.meta.publisher == "Harbour Ledger" and "Anna Petrova" not in doc.text
    # File metadata: a PDF's author is used only when the text names no outlet.
    text = f"Port repairs in Izmail\n\n{BODY}\n© 2024 Danube Port Review. All rights reserved.\n"
    with_outlet = clean(RawDocument("r.pdf", "pdf", text, author="J. Smith"))
    assert with_outlet.meta.publisher == "Danube Port Review"
    without = clean(
        RawDocument("r.pdf", "pdf", f"Port repairs in Izmail\n\n{BODY}", author="J. Smith")
    )
    assert without.meta.publisher == "J. Smith"


def test_an_explicit_publisher_field_wins_over_a_byline_before_it():
    doc = _clean(f"Grain talks resume\nBy: Oleh Marchenko\nPublisher: Dnipro Observer\n\n{BODY}")
    assert doc.meta.publisher == "Dnipro Observer"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Posted 17 April 2024, 11:05 by Daria Kovalchuk", date(2024, 4, 17)),
        ("Wednesday 17 April 2024 11.05 BST", date(2024, 4, 17)),
        ("17.04.2024", date(2024, 4, 17)),
        ("04/17/2024", date(2024, 4, 17)),
        ("2024/04/17", date(2024, 4, 17)),
        ("2024-04-17T11:05:00Z", date(2024, 4, 17)),
        ("April 17th, 2024", date(2024, 4, 17)),
        ("Sept. 3, 2023", date(2023, 9, 3)),
        ("31 February 2024", None),
        ("17 April", None),  # no year: not guessed
        ("Updated 2 hours ago", None),
    ],
)
def test_date_formats(line, expected):
    assert parse_date(line) == expected


def test_published_before_updated_on_one_line():
    found = dateline("Published 3 May 2024, updated 5 May 2024")
    assert found and (found.published, found.updated) == (date(2024, 5, 3), date(2024, 5, 5))
    doc = _clean(f"Drone debris falls on Lviv suburb\nUpdated 5 May 2024\n\n{BODY}")
    assert doc.meta.published == date(2024, 5, 5)  # an update date beats no date at all


def test_html_headline_longer_than_the_meta_title_is_the_title():
    html = (
        "<html><head><title>Pokrovsk road cut - Front Desk</title>"
        '<meta property="og:site_name" content="Front Desk">'
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "NewsArticle", "headline": '
        '"Pokrovsk road cut", "datePublished": "2024-11-02"}</script></head><body><article>'
        "<h1>Pokrovsk road cut as Russian drones hunt supply trucks</h1>"
        f"<p>{BODY.split(chr(10))[0]}</p><p>{BODY.split(chr(10))[2]}</p></article></body></html>"
    )
    doc = _clean(html, "page.html")
    assert doc.meta.title == "Pokrovsk road cut as Russian drones hunt supply trucks"
    assert doc.meta.publisher == "Front Desk" and doc.meta.published == date(2024, 11, 2)
    assert "\n\nas Russian drones" not in doc.text and doc.text.count("Pokrovsk road cut") == 1


# ---- the evals' invented corpus: every file a real page would be ---------------------------------
@pytest.mark.parametrize("path", sorted(DEV3.iterdir()), ids=lambda p: p.name)
def test_every_dev3_article_has_a_headline_a_date_and_an_outlet(path: Path):
    doc = clean(load_file(path, 10**7))
    raw = path.read_text(encoding="utf-8")
    title, publisher = doc.meta.title, doc.meta.publisher
    assert 3 <= len(title.split()) <= 25 and len(title) < 200, title
    assert title[-1] not in ".:|" and title.casefold() != publisher.casefold(), title
    assert not re.search(r"\b(Home|Menu|Search|cookies?|By [A-Z])\b", title), title
    assert doc.meta.published is not None
    assert publisher and len(publisher.split()) <= 6
    # The outlet, not the byline's author.
    authors = re.findall(r"\bby\s+([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)", raw, flags=re.I)
    assert publisher not in authors, (publisher, authors)
    assert doc.text.startswith(title + "\n\n")
    assert not title.casefold().startswith(publisher.casefold())  # no masthead run into it
    assert not doc.text.split("\n\n")[1][:1].islower()  # nor the headline's tail left behind
    assert not re.search(r"^(---|title:|date:|publisher:)", doc.text, re.M | re.I)  # metadata


def test_a_page_copied_as_text_keeps_its_paragraphs_headline_and_byline():
    """Masthead, menus, a section kicker, the headline, 'By Name | date | 7 min read', then
    one long line per paragraph with no blank line between them."""
    para = (
        "ALMATY — Russia's defence minister says the call-up is over, and officials said the "
        "target of 300,000 reservists had been reached after weeks of protests and departures "
        "across the country, according to a televised meeting on Friday."
    )
    second = (
        "Kazakhstan's interior ministry said more than 200,000 Russians had entered the country "
        "since the call-up was announced, and that most of them had already moved on to third "
        "countries or gone home, according to figures published last week."
    )
    text = "\n".join(
        [
            "Skip to main content",
            "STEPPE WIRE | News from Central Asia and the Caucasus",
            "Home | Kazakhstan | Kyrgyzstan | Georgia | Russia | Opinion",
            "Sign in | Subscribe for $1",
            "RUSSIA / MIGRATION",
            'Mobilisation "complete", but the men who left are not coming back',
            "By Aigerim Nurlanova | 1 November 2022 | 7 min read",
            para,
            second,
        ]
    )
    doc = _clean(text)
    assert doc.meta.title == 'Mobilisation "complete", but the men who left are not coming back'
    assert doc.meta.published == date(2022, 11, 1)
    paras = doc.text.split("\n\n")
    assert paras[1:] == [para, second]  # one paragraph a line, no furniture above the headline
