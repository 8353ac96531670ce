"""An RSS or Atom document to the items it lists: link, title, date, and a fingerprint that
changes when the outlet changes the item (so an update knows which pages to fetch again)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin
from xml.sax import SAXException

from assistant.errors import IngestError
from assistant.sources.page import host, without_fragment


@dataclass(frozen=True)
class FeedItem:
    key: str  # the item's id (guid), else its link: what identifies it between updates
    link: str
    title: str
    published: date | None
    fingerprint: str


@dataclass
class ParsedFeed:
    title: str
    items: list[FeedItem] = field(default_factory=list)
    failed: list[IngestError] = field(default_factory=list)  # items we cannot follow


def _get(entry: dict, key: str, default: object = "") -> object:
    """A field as the feed gave it: feedparser's own `get` maps missing fields to others
    ('updated' to 'published') with a warning; the plain dict lookup does not."""
    return dict.get(entry, key, default)


def _day(entry: dict, *keys: str) -> date | None:
    for key in keys:
        parsed = _get(entry, key, None)
        if parsed:
            try:
                return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _fingerprint(entry: dict, link: str) -> str:
    parts = [link, *(_get(entry, k) for k in ("title", "updated", "published", "summary"))]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def parse_feed(data: bytes, url: str) -> ParsedFeed:
    """The feed's title and items; a body that is no feed raises an `IngestError` naming `url`.
    Relative links are resolved against `url`; an item without a link is one failure line."""
    import feedparser

    # A stream, never the bytes themselves: feedparser opens a str or bytes that names a file
    # (a server answering '/etc/passwd' would have it read a local file).
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    problem = parsed.get("bozo_exception")
    broken = isinstance(problem, SAXException)  # not well-formed: read leniently, if at all
    if (not parsed.get("version") and not parsed.entries) or (
        broken and not any(_get(e, "link") for e in parsed.entries)
    ):
        why = f" ({' '.join(str(problem).split())[:120]})" if problem else ""
        raise IngestError(url, f"not an RSS or Atom feed{why}")
    title = " ".join(str(parsed.feed.get("title", "")).split()) or host(url)
    feed = ParsedFeed(title=title)
    seen: set[str] = set()
    for n, entry in enumerate(parsed.entries, 1):
        name = " ".join(str(_get(entry, "title")).split())
        link = str(_get(entry, "link")).strip()
        if not link:
            feed.failed.append(
                IngestError(url, f"item {n} ({name[:60] or 'untitled'}) has no link; skipped")
            )
            continue
        link = without_fragment(urljoin(url, link))
        key = str(_get(entry, "id") or link)
        if key in seen:
            continue
        seen.add(key)
        feed.items.append(
            FeedItem(
                key=key,
                link=link,
                title=name,
                published=_day(entry, "published_parsed", "updated_parsed"),
                fingerprint=_fingerprint(entry, link),
            )
        )
    return feed
