"""Serving the bot: the Events API over HTTP at /slack/events, or Socket Mode with an app token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from assistant.errors import BriefingError
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.slack.app import create_app

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)

PATH = "/slack/events"
SLACK_API = "https://slack.com/api/"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are a few KB; the setting is slack_max_body_bytes
MAX_SKEW_S = 5 * 60  # Slack's own limit: an older signature may be a replay
SOCKET_TIMEOUT_S = 15.0  # a client that stops sending mid-request frees its thread after this
LOG_CHARS = 200


def printable(text: str, limit: int = LOG_CHARS) -> str:
    """`text` made safe for one log line: control characters escaped, at most `limit` chars.

    Whatever a client sends (a request line, a header) must not start a new log line or drive
    the terminal that shows the log.
    """
    safe = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit + 1])
    return safe if len(safe) <= limit else safe[: limit - 1] + "…"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that times out or hangs up is one debug line, not a traceback on stderr."""
        log.debug("Connection from %s dropped", printable(str(client_address[0])))


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to the debug log instead of stderr, escaped; slow clients time out."""

    timeout = SOCKET_TIMEOUT_S

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), printable(format % args))


class VerifiedSlackRequests:
    """The WSGI app in front of Bolt: a request is checked before anything reads its content.

    Bolt's own adapter parses the body first (malformed JSON becomes a 500 and a traceback) and
    logs a refused request's whole body. Here the size is capped before reading, the signature
    is checked on the raw bytes, and each refusal is one short line in the log without the body.
    """

    def __init__(self, app: App, signing_secret: str, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.bolt = SlackRequestHandler(app, path=PATH)
        self.verifier = SignatureVerifier(signing_secret)
        self.max_body_bytes = max_body_bytes

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != PATH:
            return self.bolt(environ, start_response)  # 404, as Bolt answers it
        try:
            reply = self._handle(environ)
        except Exception:  # a fault of ours, on a request that was signed
            log.exception("A signed Slack request failed")
            reply = BoltResponse(status=500, body={"error": "internal error"})
        response = WsgiHttpResponse(reply.status, reply.headers, reply.body)
        start_response(response.status, response.get_headers())
        return response.get_body()

    def _handle(self, environ: WSGIEnvironment) -> BoltResponse:
        client = printable(str(environ.get("REMOTE_ADDR") or "?"), 64)
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return _refuse(411, "no Content-Length", client)
        if length < 0:
            return _refuse(400, "negative Content-Length", client)
        if length > self.max_body_bytes:
            return _refuse(
                413, f"{length:,} bytes is over the {self.max_body_bytes:,}-byte limit", client
            )
        try:
            raw = environ["wsgi.input"].read(length)
        except OSError:
            return _refuse(408, f"the body did not arrive within {SOCKET_TIMEOUT_S:.0f} s", client)
        if len(raw) < length:
            return _refuse(400, f"{len(raw):,} of {length:,} bytes arrived", client)
        why = self._unverified(
            raw,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
        )
        if why:
            return _refuse(401, why, client, len(raw))
        try:
            request = BoltRequest(
                body=raw.decode("utf-8"),
                query=environ.get("QUERY_STRING", ""),
                headers=WsgiHttpRequest(environ).get_headers(),
            )
        except Exception as e:  # signed, so from Slack (or a holder of the secret): say what
            why = f"signed, but not a Slack payload ({type(e).__name__})"
            return _refuse(400, why, client, len(raw), logging.WARNING)
        return self.app.dispatch(request)

    def _unverified(self, raw: bytes, timestamp: str | None, signature: str | None) -> str:
        """Why the request is not signed with our secret ("" when it is)."""
        if not timestamp or not signature:
            return "no signature headers"
        try:
            skew = self.verifier.clock.now() - int(timestamp)
        except ValueError:
            return "the signature timestamp is not a number"
        if abs(skew) > MAX_SKEW_S:
            return f"the signature timestamp is {skew:+.0f} s off (a replay, or a wrong clock)"
        try:
            valid = self.verifier.is_valid(raw, timestamp, signature)
        except UnicodeDecodeError:  # Slack signs UTF-8 text
            return "the body is not UTF-8, so it carries no Slack signature"
        return "" if valid else "the signature does not match the signing secret"


def _refuse(
    status: int, why: str, client: str, size: int | None = None, level: int = logging.INFO
) -> BoltResponse:
    """The reply to a refused request, and its one log line (no body, nothing unescaped)."""
    read = f", {size:,} bytes read" if size is not None else ""
    log.log(level, "Refused a request to %s from %s: %d, %s%s", PATH, client, status, why, read)
    error = {401: "invalid request", 413: "request too large"}.get(status, "bad request")
    return BoltResponse(status=status, body={"error": error})


def web_client(settings: Settings) -> WebClient:
    """The Web API client carrying the bot token; `slack_api_url` points it elsewhere (tests)."""
    if not settings.slack_bot_token:
        raise BriefingError(
            "SLACK_BOT_TOKEN is not set (OAuth & Permissions → Bot User OAuth Token)."
        )
    base = (settings.slack_api_url or SLACK_API).rstrip("/") + "/"
    return WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=base, timeout=15)


def http_server(
    app: App,
    host: str,
    port: int,
    *,
    signing_secret: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> WSGIServer:
    """A threaded WSGI server answering Slack at /slack/events (port 0 picks a free one).

    Requests are checked by `VerifiedSlackRequests` before Bolt sees them; the signing secret
    is the one the app was built with unless another is given.
    """
    # Bolt keeps the secret it verifies with in a private attribute; reading it here means
    # the secret is given once, to create_app.
    secret = signing_secret or getattr(app, "_signing_secret", "")
    if not secret:
        raise BriefingError(
            "SLACK_SIGNING_SECRET is not set (Basic Information → App Credentials)."
        )
    return make_server(
        host,
        port,
        VerifiedSlackRequests(app, secret, max_body_bytes),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )


def socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Connected to Slack over a WebSocket (no public URL needed); events arrive on its threads."""
    handler = SocketModeHandler(app, app_token)
    try:
        handler.connect()
    except SlackApiError as e:
        raise BriefingError(
            f"Slack refused the app token ({e.response.get('error')}); it needs "
            "the connections:write scope."
        ) from None
    return handler


def _warm_up(briefing: Briefing) -> None:
    """Load the embedding model now, so the first person to ask does not wait for it (retrieval
    only: a configured chat model is not called)."""
    try:
        n = briefing.warm_up()
    except Exception as e:  # the bot still starts; the first question will report the problem
        log.warning("Warm-up failed: %s", e)
        return
    if not n:
        log.warning(
            "The index is empty: every answer will be a refusal until you run `briefing ingest`."
        )


def run(
    settings: Settings,
    make_briefing: Callable[[], Briefing],
    socket: bool = False,
    host: str | None = None,
    port: int | None = None,
) -> None:
    """`briefing slack`: checks tokens before loading anything, then serves until interrupted."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # The token travels in `client`; Bolt also sees SLACK_BOT_TOKEN in the environment and
    # warns that it is unused, which would only puzzle whoever reads the log.
    logging.getLogger("slack_bolt.App").addFilter(
        lambda r: "`token` will be unused" not in r.getMessage()
    )
    client = web_client(settings)
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    if socket and not app_token:
        raise BriefingError(
            "SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token "
            "(Basic Information → App-Level Tokens, scope connections:write)."
        )
    if not socket and not settings.slack_signing_secret:
        raise BriefingError(
            "SLACK_SIGNING_SECRET is not set (Basic Information → App Credentials)."
        )
    briefing = make_briefing()
    app = create_app(briefing, settings, client, socket_mode=socket)
    who = app.client.auth_test()
    name = f"@{who.get('user')} ({who.get('user_id')}) in {who.get('team')}"
    if socket:
        handler = socket_mode(app, app_token)
        log.info("Slack bot %s connected in Socket Mode", name)
        try:
            _warm_up(briefing)
            threading.Event().wait()  # the handler's threads do the work until interrupted
        finally:
            handler.close()
        return
    _warm_up(briefing)
    server = http_server(
        app,
        host or settings.slack_host,
        port or settings.slack_port,
        max_body_bytes=settings.slack_max_body_bytes,
    )
    log.info("Slack bot %s listening on http://%s:%d%s", name, *server.server_address[:2], PATH)
    try:
        server.serve_forever()
    finally:
        server.server_close()
