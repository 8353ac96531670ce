"""A small web on loopback: article pages with site furniture, redirects, errors, slow and huge
pages, RSS and Atom feeds whose items a test changes between updates, and ETag/Last-Modified.

Routes are set by the test (`web.page(...)`, `web.feed(...)`, `web.route(...)`); every request is
logged with its headers, so a test can assert what was (not) fetched and what was sent.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import free_port


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # before the status line: a server that is slow to answer
    stream_bytes: int = 0  # > 0: send this many bytes in pieces, without Content-Length
    etag: bool = False  # answer with an ETag (and Last-Modified) and honour If-None-Match


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    status: int = 0


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    site: str = "Kyiv Civic Post",
    published: str | None = "2025-03-11",
    canonical: str | None = None,
) -> str:
    """A news page as outlets serve it: menus, a cookie banner, scripts, share buttons, a
    related-articles box and a footer around the article."""
    meta = [f'<meta property="og:site_name" content="{escape(site)}">'] if site else []
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}T09:30:00Z">')
    if canonical:
        meta.append(f'<link rel="canonical" href="{escape(canonical)}">')
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(title)} | {escape(site or "News")}</title>
{"".join(meta)}
<script>window.dataLayer = [{{"event": "pageview", "tracker": "SCRIPT-TEXT-MUST-GO"}}];</script>
<style>.banner {{ position: fixed; }}</style>
</head><body>
<div class="cookie-banner" id="cookie-consent"><p>We use cookies to improve your experience.
<button>Accept all cookies</button></p></div>
<header><div class="logo">{escape(site or "News")}</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/europe">Europe</a></li><li><a href="/opinion">Opinion</a></li></ul></nav></header>
<main><article><h1>{escape(title)}</h1>
<div class="share">Share: <a href="#">Facebook</a> <a href="#">Twitter</a></div>
{body}
</article>
<aside class="related"><h3>Related articles</h3><ul>
<li><a href="/other">MENU-LINK-MUST-GO: an unrelated story about football</a></li></ul></aside>
</main>
<footer><p>© 2025 {escape(site or "News")}. All rights reserved.</p></footer>
<script>document.querySelector('#cookie-consent').remove();</script>
</body></html>"""


def rss(title: str, items: list[dict[str, str]], link: str = "") -> str:
    """An RSS 2.0 feed; each item has title, link (may be missing), guid, pubDate, description."""
    parts = []
    for it in items:
        fields = "".join(
            f"<{k}>{escape(it[k])}</{k}>"
            for k in ("title", "link", "pubDate", "description")
            if k in it
        )
        if "guid" in it:  # an id, not a link: an item without <link> has none
            fields += f'<guid isPermaLink="false">{escape(it["guid"])}</guid>'

        parts.append(f"<item>{fields}</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>test feed</description>{''.join(parts)}</channel></rss>"
    )


def atom(title: str, entries: list[dict[str, str]]) -> str:
    """An Atom 1.0 feed; each entry has id, title, link, updated (ISO), summary."""
    parts = []
    for e in entries:
        parts.append(
            f"<entry><id>{escape(e['id'])}</id><title>{escape(e['title'])}</title>"
            f'<link rel="alternate" href="{escape(e["link"])}"/>'
            f"<updated>{e['updated']}</updated><summary>{escape(e.get('summary', ''))}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test:{escape(title)}</id>"
        f"<updated>2025-03-12T00:00:00Z</updated>{''.join(parts)}</feed>"
    )


class FakeWeb:
    """The server; `url(path)` is where a route lives. Use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Seen] = []
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeWeb:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, route: Route) -> str:
        with self._lock:
            self.routes[path] = route
        return self.url(path)

    def page(self, path: str, html: str, **kw) -> str:
        return self.route(path, Route(body=html.encode("utf-8"), **kw))

    def feed(self, path: str, xml: str, kind: str = "rss", etag: bool = True) -> str:
        ctype = "application/atom+xml" if kind == "atom" else "application/rss+xml"
        return self.route(path, Route(body=xml.encode("utf-8"), content_type=ctype, etag=etag))

    def requests(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.log if s.path == path]

    def paths(self) -> list[str]:
        with self._lock:
            return [s.path for s in self.log]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_GET(self) -> None:  # noqa: N802
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                with web._lock:
                    web.log.append(seen)
                    route = web.routes.get(self.path)
                if route is None:
                    route = Route(body=b"<h1>Not found</h1>", status=404)
                if route.delay_s:
                    time.sleep(route.delay_s)
                headers = dict(route.headers)
                status = route.status
                if route.etag:
                    tag = '"' + hashlib.sha256(route.body).hexdigest()[:12] + '"'
                    headers["ETag"] = tag
                    headers["Last-Modified"] = formatdate(1741600000, usegmt=True)
                    if self.headers.get("If-None-Match") == tag:
                        status = 304
                seen.status = status
                try:
                    self.send_response(status)
                    if status != 304:
                        headers["Content-Type"] = route.content_type
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if status == 304 or status in (301, 302, 303, 307, 308):
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    if route.stream_bytes:
                        self.send_header("Connection", "close")
                        self.end_headers()
                        piece = b"<p>" + b"filler text " * 800 + b"</p>\n"
                        sent = 0
                        while sent < route.stream_bytes:
                            self.wfile.write(piece)
                            sent += len(piece)
                        self.close_connection = True
                        return
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        return Handler
