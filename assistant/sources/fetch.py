"""One HTTP GET done carefully: only public addresses, a size cap, a deadline, redirects re-checked.

Anyone can paste a link or follow a feed, and a feed names further links, so every hop is
checked before a byte is sent: the scheme, then every address the host resolves to (no private,
loopback or link-local address unless `allow_private_urls` is set), then the response's size as
it streams in. Each failure is an `IngestError` naming the URL, so a batch reports it as one
line and goes on.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from assistant.errors import IngestError
from assistant.settings import Settings

# (host, port) → the addresses it resolves to. Injected so tests can stand in for DNS.
Resolver = Callable[[str, int], list[str]]
REDIRECTS = {301, 302, 303, 307, 308}
ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,*/*;q=0.5"


class FetchError(IngestError):
    """A URL that could not be fetched; its `path` is the URL as given."""


@dataclass(frozen=True)
class Fetched:
    """A response as far as ingest cares: where it ended up, what it is, and its bytes."""

    url: str  # as asked
    final_url: str  # after redirects
    status: int
    content_type: str  # the media type, lower case, without parameters
    charset: str | None
    content: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def is_public(address: str) -> bool:
    """True for a globally routable unicast address; False for private, loopback, link-local,
    shared, reserved, multicast and unspecified ones (also inside an IPv4-mapped IPv6 one)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _media_type(value: str) -> tuple[str, str | None]:
    """'text/html; charset=UTF-8' → ('text/html', 'utf-8')."""
    kind, *params = [p.strip() for p in value.split(";")]
    charset = None
    for p in params:
        key, _, v = p.partition("=")
        if key.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip("\"'").lower()
    return kind.lower(), charset


class Fetcher:
    """GETs URLs with the settings' limits. Pass `client` (e.g. one over `httpx.MockTransport`)
    and `resolver` to control the network; the default client is closed by `close()`."""

    def __init__(
        self,
        settings: Settings,
        client: httpx.Client | None = None,
        resolver: Resolver | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.max_bytes = int(settings.max_page_mb * 1_000_000)
        self.resolver = resolver or system_resolver
        self.clock = clock
        self._own_client = client is None
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout_s),
            follow_redirects=False,
        )

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, url: str, asked: str) -> None:
        """Refuse a URL we must not request: not http(s), no host, or a non-public address."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(asked, f"only http:// and https:// URLs are fetched, not {url!r}")
        host = parts.hostname
        if not host:
            raise FetchError(asked, "the URL has no host name")
        if self.settings.allow_private_urls:
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as e:
            raise FetchError(asked, f"bad port in {url!r}") from e
        try:
            addresses = [str(ipaddress.ip_address(host))]  # an address as the host: no lookup
        except ValueError:
            addresses = []
        try:
            addresses = addresses or self.resolver(host, port)
        except (OSError, UnicodeError) as e:
            raise FetchError(asked, f"host name {host} not found") from e
        if not addresses:
            raise FetchError(asked, f"host name {host} not found")
        for address in addresses:
            if not is_public(address):
                shown = host if host == address else f"{host} ({address})"
                raise FetchError(
                    asked,
                    f"refused: {shown} is a private, loopback or link-local address; "
                    "set BRIEFING_ALLOW_PRIVATE_URLS=1 to allow it",
                )

    def get(
        self,
        url: str,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """The response to GET `url`, following redirects within the limit (each hop checked).
        With `etag`/`last_modified` the request is conditional and may come back as 304."""
        headers = {"User-Agent": self.settings.user_agent, "Accept": ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self.clock() + self.settings.fetch_timeout_s
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            self.check(current, url)
            try:
                result = self._one(url, current, headers, deadline)
            except httpx.TimeoutException as e:
                raise FetchError(url, f"timed out after {self.settings.fetch_timeout_s:g} s") from e
            except httpx.ConnectError as e:
                raise FetchError(url, f"could not connect ({_reason(e)})") from e
            except httpx.HTTPError as e:
                raise FetchError(url, f"the request failed ({_reason(e)})") from e
            if isinstance(result, str):
                current = result
                continue
            return result
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _one(self, asked: str, url: str, headers: dict[str, str], deadline: float) -> Fetched | str:
        """One request: a `Fetched`, or the next URL when the answer is a redirect."""
        with self.client.stream("GET", url, headers=headers, follow_redirects=False) as r:
            if r.status_code in REDIRECTS and r.headers.get("location"):
                return urljoin(url, r.headers["location"])
            if r.status_code >= 400:
                phrase = f" {r.reason_phrase}" if r.reason_phrase else ""
                raise FetchError(asked, f"HTTP {r.status_code}{phrase}")
            kind, charset = _media_type(r.headers.get("content-type", ""))
            common = dict(
                url=asked,
                final_url=url,
                status=r.status_code,
                content_type=kind,
                charset=charset,
                etag=r.headers.get("etag"),
                last_modified=r.headers.get("last-modified"),
            )
            if r.status_code == 304:
                return Fetched(content=b"", **common)
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(asked, self._too_big())
            body = bytearray()
            for piece in r.iter_bytes():
                body += piece
                if len(body) > self.max_bytes:
                    raise FetchError(asked, self._too_big())
                if self.clock() > deadline:
                    raise FetchError(asked, f"timed out after {self.settings.fetch_timeout_s:g} s")
            return Fetched(content=bytes(body), **common)

    def _too_big(self) -> str:
        return f"larger than the {self.settings.max_page_mb:g} MB limit; not read further"


def _reason(e: Exception) -> str:
    """An httpx error in a few words: its message, or its type when it has none."""
    text = " ".join(str(e).split())
    return text[:160] if text else type(e).__name__
