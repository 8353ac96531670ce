"""The Chroma client: embedded under the data dir, or a `chroma run` server named by URL.

A server that is down, unreachable or stalled costs at most the configured timeouts and then one
line naming its URL (`IndexUnavailable`), at start-up and in the middle of a session alike:
Chroma's own HTTP client would otherwise wait for ever.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import urlparse

from assistant.errors import IndexUnavailable
from assistant.settings import Settings


def make_client(settings: Settings) -> Any:
    """A Chroma client from settings: `PersistentClient` under the data dir, or `HttpClient`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)

    url = settings.chroma_url.rstrip("/")
    parsed = urlparse(url)
    if parsed.path not in ("", "/"):
        raise IndexUnavailable(
            f"BRIEFING_CHROMA_URL must be http://host:port, without a path "
            f"(got {settings.chroma_url})."
        )
    probe(url, settings.chroma_timeout_s)
    https = parsed.scheme == "https"
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (443 if https else 8000),
            ssl=https,
            settings=chroma_settings,
        )
    except Exception as e:
        raise IndexUnavailable(f"Cannot use the Chroma server at {url}: {e}") from e
    _bound_requests(client, settings.chroma_timeout_s, settings.chroma_request_timeout_s)
    return Guarded(client, url)


def probe(url: str, timeout: float) -> None:
    """Fail within about `timeout` seconds, naming the URL, instead of hanging on a dead server."""
    import httpx

    # Connect and read each get half, so a host that accepts and then says nothing still fails
    # within `timeout` in total.
    try:
        response = httpx.get(f"{url}/api/v2/heartbeat", timeout=httpx.Timeout(timeout / 2))
    except httpx.HTTPError as e:
        raise IndexUnavailable(f"Cannot reach the Chroma server at {url} ({_why(e)}).") from e
    if response.status_code != 200:
        raise IndexUnavailable(
            f"{url} answered HTTP {response.status_code}: is it a Chroma server (`chroma run`)?"
        )


def _why(e: Exception) -> str:
    import httpx

    if isinstance(e, httpx.ConnectError):
        return "connection refused or host unreachable"
    if isinstance(e, httpx.TimeoutException):
        return "no answer before the timeout"
    return type(e).__name__


def _bound_requests(client: Any, connect_s: float, request_s: float) -> None:
    """Give the client's HTTP session timeouts (Chroma creates it with none)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(request_s, connect=connect_s)


class Guarded:
    """A Chroma client or collection whose network failures become `IndexUnavailable`."""

    def __init__(self, target: Any, url: str) -> None:
        self._target = target
        self._url = url

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr
        return functools.partial(self._call, attr)

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        import httpx
        from chromadb.api.models.Collection import Collection

        try:
            result = fn(*args, **kwargs)
        except httpx.TransportError as e:
            raise IndexUnavailable(
                f"The Chroma server at {self._url} stopped answering ({_why(e)})."
            ) from e
        return Guarded(result, self._url) if isinstance(result, Collection) else result
