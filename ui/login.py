"""Failed web logins slow down: per user name and client address, each try past the first few
waits longer than the one before.

Gradio checks the password at `POST /login` and answers every attempt at once, so a script can
try passwords as fast as the server answers. `LoginThrottle` sits in front of that route (an ASGI
middleware, handed to Gradio's FastAPI app): attempts for one name from one address are taken one
at a time, and once `free` of them have failed, each further attempt waits `delay_s`, doubled with
every further failure up to `max_delay_s`, before Gradio sees it. The wait comes before the check,
so how long an answer takes says nothing about the password. A success forgets the failures.

A delay rather than a lockout: Gradio's login page shows only "Incorrect Credentials" or logs in,
so a lockout could not tell the person why the right password is refused; a delay keeps every
answer true, and the page says beforehand that repeated failures slow login down.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (user name as typed, client address)
MAX_FORM_BYTES = 16 * 1024  # a login form is two short fields
MAX_WAITING = 3  # attempts for one name and address queued at once; more get 429
MAX_NAME_CHARS = 100


class LoginGuard:
    """The failure counts, and how long the next attempt for a name and address must wait."""

    def __init__(
        self,
        free: int = 5,
        delay_s: float = 1.0,
        max_delay_s: float = 30.0,
        forget_s: float = 15 * 60,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.delay_s, self.max_delay_s = free, delay_s, max_delay_s
        self.forget_s, self.max_keys, self.clock = forget_s, max_keys, clock
        self._failed: OrderedDict[Key, tuple[int, float]] = OrderedDict()  # count, last at

    def delay_after(self, failures: int) -> float:
        """The wait before the attempt that follows `failures` failures in a row."""
        if failures < self.free:
            return 0.0
        return min(self.max_delay_s, self.delay_s * 2 ** (failures - self.free))

    def wait_s(self, key: Key) -> float:
        """Seconds until an attempt for `key` may be checked (0: at once)."""
        self._forget_old()
        failures, last = self._failed.get(key, (0, 0.0))
        return max(0.0, last + self.delay_after(failures) - self.clock()) if failures else 0.0

    def failed(self, key: Key) -> int:
        """Count a failure; returns how many there have been in a row."""
        failures = self._failed.pop(key, (0, 0.0))[0] + 1
        self._failed[key] = (failures, self.clock())  # newest last: the oldest go first
        while len(self._failed) > self.max_keys:
            self._failed.popitem(last=False)
        return failures

    def succeeded(self, key: Key) -> None:
        self._failed.pop(key, None)

    def _forget_old(self) -> None:
        now = self.clock()
        while self._failed and next(iter(self._failed.values()))[1] < now - self.forget_s:
            self._failed.popitem(last=False)


class LoginThrottle:
    """ASGI middleware: `POST /login` attempts go through the guard, `GET /logout` ends this
    browser's session; everything else goes straight on."""

    def __init__(self, app: ASGIApp, guard: LoginGuard) -> None:
        self.app = app
        self.guard = guard
        self._turns: dict[Key, asyncio.Lock] = {}
        self._waiting: dict[Key, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = (scope["method"], scope["path"].rstrip("/")) if scope["type"] == "http" else None
        if route == ("GET", "/logout"):
            _end_session(scope)
        if route != ("POST", "/login"):
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive, MAX_FORM_BYTES)
        if body is None:
            await _reply(send, 413, "The login form is too large.")
            return
        client = scope.get("client")
        key = (await _user_name(scope, body), client[0] if client else "")
        if self._waiting.get(key, 0) >= MAX_WAITING:
            wait = self.guard.wait_s(key) + self.guard.delay_s
            await _reply(send, 429, "Too many login attempts at once; wait for the answer.", wait)
            return
        self._waiting[key] = self._waiting.get(key, 0) + 1
        turn = self._turns.setdefault(key, asyncio.Lock())
        try:
            async with turn:  # one attempt at a time per name and address
                if wait := self.guard.wait_s(key):
                    await asyncio.sleep(wait)
                status = await self._forward(scope, receive, send, body)
                if status == 200:
                    self.guard.succeeded(key)
                elif status == 400:  # Gradio's answer to a wrong name or password
                    self._failed(key)
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._turns[key]

    def _failed(self, key: Key) -> None:
        if self.guard.failed(key) == self.guard.free:  # once per run of failures
            log.warning(
                "%d failed web logins for %r from %s: further attempts are slowed down",
                self.guard.free,
                key[0],
                key[1],
            )

    async def _forward(self, scope: Scope, receive: Receive, send: Send, body: bytes) -> int:
        """Hand the request, body already read, to Gradio; returns the status it answered."""
        status = 0
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # e.g. waiting for the client to disconnect
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, replay, watch)
        return status


def _end_session(scope: Scope) -> None:
    """Forget this browser's login token before Gradio's /logout runs.

    Gradio ends one session (`all_session=false`) by the token in its `Secure` cookie, which a
    browser sends only over HTTPS; over plain HTTP the token stayed valid. Its twin cookie
    carries the same token either way.
    """
    tokens = getattr(scope.get("app"), "tokens", None)  # Gradio's App: token -> user name
    if isinstance(tokens, dict):
        for name, value in Request(scope).cookies.items():
            if name.startswith("access-token"):
                tokens.pop(value, None)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None once it passes `limit` bytes."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


async def _user_name(scope: Scope, body: bytes) -> str:
    """The `username` field as Gradio reads it (stripped), from a multipart or urlencoded form."""

    async def once() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, once).form(max_files=0, max_fields=10)
    except Exception:  # a malformed form: Gradio refuses it; count it under no name
        return ""
    name = form.get("username")
    return name.strip()[:MAX_NAME_CHARS] if isinstance(name, str) else ""


async def _reply(send: Send, status: int, detail: str, retry_after: float | None = None) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(max(1, round(retry_after))).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def login_message(guard: LoginGuard) -> str:
    """What the login page says above the form (Gradio's auth_message, shown as HTML)."""
    return (
        f"After {guard.free} failed attempts, each further login attempt waits longer "
        f"(up to {guard.max_delay_s:g} s) before it is checked."
    )
