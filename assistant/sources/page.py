"""A fetched response to a document: the same cleaning as files, then the web's own metadata.

Text, title, date and site name come from `assistant.ingest.clean` (trafilatura for HTML), so a
page and a saved copy of it clean alike. What only the web adds is decided here: which URL the
document is known by (the page's canonical URL when it is on the same site, else where the
redirects ended), the feed's title as publisher when the page names none, and the feed item's
date when the page has none.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from assistant.errors import IngestError
from assistant.ingest.clean import clean
from assistant.ingest.load import RawDocument, decode, load_bytes
from assistant.models import Document
from assistant.sources.fetch import Fetched

HTML = {"text/html", "application/xhtml+xml"}
# Other bodies read as the file of that type would be (the name only picks the reader).
AS_FILE = {
    "application/pdf": "page.pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "page.docx",
    "text/plain": "page.txt",
    "text/markdown": "page.md",
}


@dataclass(frozen=True)
class WebRaw(RawDocument):
    """A fetched document before cleaning, with what its feed said about it."""

    final_url: str = ""
    feed_title: str | None = None
    item_key: str = ""  # the feed item it was fetched for


def host(url: str) -> str:
    """The host name without a leading 'www.', lower case."""
    name = (urlsplit(url).hostname or "").lower()
    return name.removeprefix("www.")


def without_fragment(url: str) -> str:
    """'https://x.org/a#comments' → 'https://x.org/a': the same document."""
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def to_raw(
    fetched: Fetched,
    max_bytes: int,
    feed_title: str | None = None,
    published: date | None = None,
    item_key: str = "",
) -> WebRaw:
    """The response as a raw document named by its URL; a body that is no article is refused."""
    kind = fetched.content_type or "unknown"
    final = without_fragment(fetched.final_url)
    if kind in HTML:
        text = strip_widgets(_html_text(fetched))
        return WebRaw(
            source=final,
            kind="html",
            text=text,
            published=published,
            final_url=final,
            feed_title=feed_title,
            item_key=item_key,
        )
    if kind in AS_FILE:
        try:
            raw = load_bytes(fetched.content, AS_FILE[kind], max_bytes)
        except IngestError as e:
            raise IngestError(fetched.url, e.reason) from e
        return WebRaw(
            **{f.name: getattr(raw, f.name) for f in dataclasses.fields(RawDocument)}
            | {"source": final, "published": raw.published or published},
            final_url=final,
            feed_title=feed_title,
            item_key=item_key,
        )
    raise IngestError(fetched.url, f"not an article page (the server sent {kind})")


# Class or id words of page widgets inside an article's markup (share bars, cookie notices,
# newsletter boxes, related links), which text cleaning cannot tell from prose once flattened.
_WIDGET = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|social|cookies?|consent|gdpr|newsletter|subscribe|related"
    r"|recommended|promo|advert|advertisement|ad-slot|paywall|comments?)(?:$|[\s_-])",
    re.IGNORECASE,
)


def strip_widgets(html: str) -> str:
    """The page without elements whose class or id names them as widgets; unchanged when the
    markup cannot be parsed or holds none."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return html
    found = [
        el
        for el in tree.iter()
        if isinstance(el.tag, str)
        and el.tag not in ("html", "body", "main", "article")
        and _WIDGET.search(f"{el.get('class', '')} {el.get('id', '')}")
        # a layout wrapper named 'has-social' still holds the article: keep it
        and not el.xpath(".//article|.//main|.//h1")
    ]
    if not found:
        return html
    for el in found:
        if el.getparent() is not None:
            el.drop_tree()
    return lxml_html.tostring(tree, encoding="unicode")


def _html_text(fetched: Fetched) -> str:
    """The page's markup as text: the charset the server named, else detected."""
    if fetched.charset:
        try:
            return fetched.content.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(fetched.content, fetched.url)


def clean_web(raw: RawDocument) -> Document:
    """`clean`, then the document's URL, publisher and date as the web gives them."""
    doc = clean(raw)
    if not isinstance(raw, WebRaw):
        return doc
    final = raw.final_url or raw.source
    canonical = doc.meta.url if doc.meta.url and doc.meta.url.startswith("http") else None
    # A page may only speak for its own site: a canonical URL elsewhere would let it replace
    # another outlet's article.
    url = without_fragment(canonical) if canonical and host(canonical) == host(final) else final
    publisher = doc.meta.publisher
    if raw.feed_title and _bare_host(publisher) in ("", host(final), _bare_host(final)):
        publisher = raw.feed_title.strip()  # the page named no outlet, only its address
    published = doc.meta.published
    if raw.published and raw.kind == "html" and not _marked_date(raw.text):
        published = raw.published  # the feed's date beats a guess from the page's text
    update = {"source": url, "url": url, "publisher": publisher, "published": published}
    return doc.model_copy(update={"meta": doc.meta.model_copy(update=update)})


def _bare_host(value: str) -> str:
    """'www.x.org:8080' or 'http://x.org/a' → 'x.org:8080' / 'x.org': how a site name that is
    only the address looks."""
    value = value.strip().lower()
    if "//" in value:
        value = urlsplit(value).netloc
    return value.removeprefix("www.")


def _marked_date(html: str) -> bool:
    """Whether the page's markup states its date (meta tags, time elements, JSON-LD), as
    opposed to one guessed from its text, such as a copyright year."""
    import htmldate

    try:
        return htmldate.find_date(html, extensive_search=False, original_date=True) is not None
    except Exception:  # htmldate is best effort; a page it cannot read has no marked date
        return False
