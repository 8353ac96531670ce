"""A Slack Web API on 127.0.0.1: keeps channels and threads, checks Slack's message limits,
and records every call so tests can see exactly what Slack would have received."""

from __future__ import annotations

import itertools
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from slack_sdk.signature import SignatureVerifier

BOT_USER = "UBOT"
BOT_ID = "BBOT"
TEAM = "T0TEAM"

# Slack's documented limits, and the undocumented total at which it answers msg_blocks_too_long.
MAX_BLOCKS, SECTION_CHARS, CONTEXT_ELEMENTS = 50, 3000, 10
BLOCK_ID_CHARS, VALUE_CHARS, TEXT_CHARS, BLOCKS_TOTAL = 255, 2000, 40000, 13000


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float  # time.perf_counter() when it arrived


def block_error(blocks: list[dict[str, Any]]) -> str | None:
    """The error Slack would give for these blocks, or None."""
    if len(blocks) > MAX_BLOCKS:
        return "invalid_blocks"
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(ids) != len(set(ids)) or any(len(i) > BLOCK_ID_CHARS for i in ids):
        return "invalid_blocks"
    total = 0
    for b in blocks:
        if b.get("type") == "section":
            text = b.get("text", {}).get("text", "")
            if not text or len(text) > SECTION_CHARS:
                return "invalid_blocks"
            total += len(text)
        elif b.get("type") == "context":
            elements = b.get("elements", [])
            if not elements or len(elements) > CONTEXT_ELEMENTS:
                return "invalid_blocks"
            for e in elements:
                if len(e.get("text", "")) > SECTION_CHARS:
                    return "invalid_blocks"
                total += len(e.get("text", ""))
        elif b.get("type") == "actions":
            for e in b.get("elements", []):
                if len(e.get("value", "")) > VALUE_CHARS or len(e.get("action_id", "")) > 255:
                    return "invalid_blocks"
        elif b.get("type") != "divider":
            return "invalid_blocks"
    return "msg_blocks_too_long" if total > BLOCKS_TOTAL else None


class FakeSlack:
    """Start with `.start()`; point a WebClient at `.api_url`; read `.calls` afterwards."""

    def __init__(self, token: str, app_token: str | None = None) -> None:
        self.token = token
        self.app_token = app_token
        self.socket: FakeSocketMode | None = None  # where apps.connections.open points
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.fail: dict[str, str] = {}  # method -> error to answer with
        self._lock = threading.Lock()
        self._seq = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self._serve(b"")

            def do_POST(self) -> None:  # noqa: N802
                self._serve(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

            def _serve(self, raw: bytes) -> None:
                url = urlsplit(self.path)
                args: dict[str, Any] = dict(parse_qsl(url.query))
                if raw and "json" in (self.headers.get("Content-Type") or ""):
                    args.update(json.loads(raw))
                elif raw:
                    args.update(parse_qsl(raw.decode()))
                auth = self.headers.get("Authorization") or ""
                token = auth.removeprefix("Bearer ") or args.pop("token", None)
                reply = fake.handle(url.path.rsplit("/", 1)[-1], args, token)
                body = json.dumps(reply).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def api_url(self) -> str:
        assert self._server
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    # -- the Slack side of a conversation -------------------------------------------------------
    def new_ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    def user_says(
        self, channel: str, text: str, user: str = "U0ALICE", thread_ts: str | None = None
    ) -> dict[str, Any]:
        """A person's message, stored as Slack stores it; returns it for building the event."""
        msg = {"type": "message", "user": user, "text": text, "ts": self.new_ts(), "team": TEAM}
        if thread_ts:
            msg["thread_ts"] = thread_ts
        with self._lock:
            self.messages.setdefault(channel, []).append(msg)
        return dict(msg)

    def thread(self, channel: str, ts: str) -> list[dict[str, Any]]:
        with self._lock:
            return sorted(
                (
                    m
                    for m in self.messages.get(channel, [])
                    if m["ts"] == ts or m.get("thread_ts") == ts
                ),
                key=lambda m: m["ts"],
            )

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def chat_calls(self) -> list[Call]:
        """Every call that would show something to a person."""
        with self._lock:
            return [c for c in self.calls if c.method.startswith("chat.")]

    # -- the API --------------------------------------------------------------------------------
    def handle(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        with self._lock:
            self.calls.append(Call(method, args, token, time.perf_counter()))
            if method == "apps.connections.open":
                if not self.app_token or token != self.app_token or not self.socket:
                    return {"ok": False, "error": "invalid_auth"}
                return {"ok": True, "url": self.socket.url}
            if token != self.token:
                return {"ok": False, "error": "invalid_auth"}
            if method in self.fail:
                return {"ok": False, "error": self.fail[method]}
            handler = getattr(self, "_" + method.replace(".", "_"), None)
            if handler is None:
                return {"ok": False, "error": "unknown_method"}
            return handler(args)

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://example.slack.com/",
            "team": "Example",
            "user": "briefing",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": BOT_ID,
        }

    def _check(self, args: dict[str, Any]) -> str | None:
        if not args.get("channel"):
            return "channel_not_found"
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if not args.get("text") and not blocks:
            return "no_text"
        if len(args.get("text") or "") > TEXT_CHARS:
            return "msg_too_long"
        return block_error(blocks or [])

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        if error := self._check(args):
            return {"ok": False, "error": error}
        msg = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": args.get("text", ""),
            "blocks": args.get("blocks") or [],
            "ts": self.new_ts(),
            "team": TEAM,
        }
        if args.get("thread_ts"):
            msg["thread_ts"] = args["thread_ts"]
        self.messages.setdefault(args["channel"], []).append(msg)
        return {"ok": True, "channel": args["channel"], "ts": msg["ts"], "message": msg}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if error := self._check(args):
            return {"ok": False, "error": error}
        for msg in self.messages.get(args["channel"], []):
            if msg["ts"] == args.get("ts"):
                if msg.get("user") != BOT_USER:
                    return {"ok": False, "error": "cant_update_message"}
                msg.update(text=args.get("text", ""), blocks=args.get("blocks") or [])
                return {
                    "ok": True,
                    "channel": args["channel"],
                    "ts": msg["ts"],
                    "text": msg["text"],
                }
        return {"ok": False, "error": "message_not_found"}

    def _chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        if error := self._check(args):
            return {"ok": False, "error": error}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self.new_ts()}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        ts = args.get("ts")
        found = [
            m
            for m in self.messages.get(args.get("channel", ""), [])
            if m["ts"] == ts or m.get("thread_ts") == ts
        ]
        if not found:
            return {"ok": False, "error": "thread_not_found"}
        return {
            "ok": True,
            "has_more": False,
            "messages": [dict(m) for m in sorted(found, key=lambda m: m["ts"])],
        }


# -- what Slack sends to the app ---------------------------------------------------------------


def event_body(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An Events API envelope around `event`."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }


def mention_event(msg: dict[str, Any], channel: str) -> dict[str, Any]:
    """The app_mention event for a stored message."""
    event = {
        "type": "app_mention",
        "user": msg["user"],
        "text": msg["text"],
        "ts": msg["ts"],
        "channel": channel,
        "event_ts": msg["ts"],
        "team": TEAM,
    }
    if msg.get("thread_ts"):
        event["thread_ts"] = msg["thread_ts"]
    return event


def action_payload(
    message: dict[str, Any], action_id: str, channel: str, user: str
) -> dict[str, Any]:
    """A block_actions payload: `user` pressed button `action_id` on `message`."""
    actions = next(b for b in message["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["action_id"] == action_id)
    return {
        "type": "block_actions",
        "user": {"id": user, "team_id": TEAM},
        "team": {"id": TEAM},
        "api_app_id": "A0APP",
        "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel},
        "channel": {"id": channel},
        "message": message,
        "trigger_id": "1.2.3",
        "response_url": "https://hooks.slack.invalid/actions/1",
        "actions": [{**button, "block_id": actions["block_id"], "action_ts": "1.0"}],
    }


def signed_post(
    url: str,
    body: bytes,
    secret: str,
    content_type: str = "application/json",
    timestamp: int | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    """POST `body` the way Slack does: signed with the signing secret and a timestamp."""
    ts = str(timestamp if timestamp is not None else int(time.time()))
    sig = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": sig,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class FakeSocketMode:
    """Slack's Socket Mode end: says hello, sends event envelopes, collects the acks."""

    def __init__(self) -> None:
        from websockets.sync.server import serve

        self.acks: list[str] = []
        self.connected = threading.Event()
        self._conn: Any = None
        self._lock = threading.Lock()
        self._server = serve(self._session, "127.0.0.1", 0, compression=None)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/?ticket=fake"

    def _session(self, conn: Any) -> None:
        conn.send(
            json.dumps(
                {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0APP"}}
            )
        )
        self._conn = conn
        self.connected.set()
        from websockets.exceptions import ConnectionClosed

        try:
            for raw in conn:
                with self._lock:
                    self.acks.append(json.loads(raw).get("envelope_id"))
        except ConnectionClosed:
            pass  # the client hangs up without a close frame when it shuts down

    def send(self, body: dict[str, Any], kind: str = "events_api", retry: int = 0) -> str:
        """Deliver one payload the way Slack does over the socket; returns its envelope id."""
        envelope_id = f"env-{next(_envelopes)}"
        self._conn.send(
            json.dumps(
                {
                    "envelope_id": envelope_id,
                    "type": kind,
                    "payload": body,
                    "accepts_response_payload": kind != "events_api",
                    "retry_attempt": retry,
                    "retry_reason": "timeout" if retry else "",
                }
            )
        )
        return envelope_id

    def stop(self) -> None:
        self._server.shutdown()


_envelopes = itertools.count(1)
