"""Serving the bot: the Events API over HTTP at /slack/events, or Socket Mode with an app token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.errors import BriefingError
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.slack.app import create_app

log = logging.getLogger(__name__)

PATH = "/slack/events"
SLACK_API = "https://slack.com/api/"


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    """Access lines go to the debug log instead of stderr."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        log.debug("%s %s", self.address_string(), format % args)


def web_client(settings: Settings) -> WebClient:
    """The Web API client carrying the bot token; `slack_api_url` points it elsewhere (tests)."""
    if not settings.slack_bot_token:
        raise BriefingError(
            "SLACK_BOT_TOKEN is not set (OAuth & Permissions → Bot User OAuth Token)."
        )
    base = (settings.slack_api_url or SLACK_API).rstrip("/") + "/"
    return WebClient(token=settings.slack_bot_token.get_secret_value(), base_url=base, timeout=15)


def http_server(app: App, host: str, port: int) -> WSGIServer:
    """A threaded WSGI server answering Slack at /slack/events (port 0 picks a free one)."""
    return make_server(
        host,
        port,
        SlackRequestHandler(app, path=PATH),
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
        n = briefing.index.count()
        briefing.retriever.search("ceasefire negotiations", k=1)
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
    server = http_server(app, host or settings.slack_host, port or settings.slack_port)
    log.info("Slack bot %s listening on http://%s:%d%s", name, *server.server_address[:2], PATH)
    try:
        server.serve_forever()
    finally:
        server.server_close()
