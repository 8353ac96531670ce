"""`briefing slack` as an operator runs it: over HTTP in its own process, and in Socket Mode."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pydantic import SecretStr

from assistant import feedback
from assistant.errors import BriefingError
from assistant.pipeline import Briefing
from assistant.slack import create_app
from assistant.slack.format import ACTION_UP
from assistant.slack.server import http_server, socket_mode, web_client
from tests.fake_slack import (
    BOT_USER,
    FakeSlack,
    FakeSocketMode,
    action_payload,
    event_body,
    mention_event,
    signed_post,
)

SECRET = "0cc175b9c0f1b6a831c399e269772661"
TOKEN = "xoxb-3333-4444-U2VydmVUb2tlblNlY3JldA"
APP_TOKEN = "xapp-1-A0APP-5555-QXBwVG9rZW5TZWNyZXQ"
CHANNEL = "C0BRIEFS"
QUESTION = "Who led the US delegation in Saudi Arabia?"
BRIEFING = Path(sys.executable).parent / "briefing"


@pytest.fixture
def slack():
    fake = FakeSlack(TOKEN, app_token=APP_TOKEN).start()
    yield fake
    fake.stop()


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, **extra}


def _wait(predicate, timeout: float, proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"briefing slack exited: {proc.communicate()[1]}")
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.mark.integration
@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["slack"], {}, "error: SLACK_BOT_TOKEN is not set"),
        (["slack"], {"SLACK_BOT_TOKEN": TOKEN}, "error: SLACK_SIGNING_SECRET is not set"),
        (["slack", "--socket"], {"SLACK_BOT_TOKEN": TOKEN}, "error: SLACK_APP_TOKEN is not set"),
    ],
)
def test_command_names_the_missing_token_in_one_line(tmp_path, args, env, message):
    r = subprocess.run(
        [str(BRIEFING), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(BRIEFING_DATA_DIR=str(tmp_path / "data"), **env),
        timeout=60,
    )
    assert r.returncode == 2
    assert r.stderr.strip().startswith(message) and len(r.stderr.strip().splitlines()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.integration
def test_briefing_slack_serves_events_with_the_real_model(
    tmp_path, articles, settings, slack, minilm, artifacts
):
    Briefing(settings, embeddings=minilm).ingestor.ingest_paths([articles])
    port = _free_port()
    env = _env(
        BRIEFING_DATA_DIR=str(settings.data_dir),
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        BRIEFING_SLACK_API_URL=slack.api_url,
        BRIEFING_SLACK_PORT=str(port),
    )
    proc = subprocess.Popen(
        [str(BRIEFING), "slack"],
        cwd=tmp_path,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        t0 = time.perf_counter()
        _wait(lambda: _listening(port), 120, proc)
        ready_s = time.perf_counter() - t0
        msg = slack.user_says(CHANNEL, f"<@{BOT_USER}> {QUESTION}")
        body = json.dumps(event_body(mention_event(msg, CHANNEL), "Ev0CLI")).encode()
        sent = time.perf_counter()
        status, _ = signed_post(f"http://127.0.0.1:{port}/slack/events", body, SECRET)
        assert status == 200
        _wait(lambda: slack.calls_to("chat.update"), 60, proc)
        update = slack.calls_to("chat.update")[0]
        assert "Marco Rubio" in update.args["text"]
        assert update.args["ts"] == slack.thread(CHANNEL, msg["ts"])[1]["ts"]
        first_ms = (update.at - sent) * 1000
    finally:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert f"listening on http://127.0.0.1:{port}/slack/events" in stderr
    assert "Event Ev0CLI answered in" in stderr
    assert "token` will be unused" not in stderr
    assert TOKEN not in stderr and SECRET not in stderr
    (artifacts / "slack_cli_timing.json").write_text(
        json.dumps({"ready_s": ready_s, "first_event_to_update_ms": first_ms})
    )


def test_socket_mode_answers_once_and_records_feedback(slack, settings, fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    settings = settings.model_copy(
        update={
            "slack_bot_token": SecretStr(TOKEN),
            "slack_app_token": SecretStr(APP_TOKEN),
            "slack_api_url": slack.api_url,
        }
    )  # no signing secret: Socket Mode does not need one
    slack.socket = link = FakeSocketMode()
    executor = ThreadPoolExecutor(1)
    app = create_app(
        fake_briefing, settings, web_client(settings), socket_mode=True, executor=executor
    )
    handler = socket_mode(app, APP_TOKEN)
    try:
        assert link.connected.wait(10)
        msg = slack.user_says(CHANNEL, f"<@{BOT_USER}> {QUESTION}")
        body = event_body(mention_event(msg, CHANNEL), "Ev0SOCK")
        envelopes = [link.send(body), link.send(body, retry=1)]
        _wait(lambda: all(e in link.acks for e in envelopes), 10)
        executor.submit(lambda: None).result(timeout=30)
        assert [c.method for c in slack.chat_calls()] == ["chat.postMessage", "chat.update"]
        assert "Marco Rubio" in slack.calls_to("chat.update")[0].args["text"]

        answer_msg = slack.thread(CHANNEL, msg["ts"])[1]
        click = link.send(action_payload(answer_msg, ACTION_UP, CHANNEL, "U0BOB"), "interactive")
        _wait(lambda: click in link.acks, 10)
        executor.submit(lambda: None).result(timeout=30)
        (entry,) = feedback.read(settings.feedback_path)
        assert entry["rating"] == "up" and entry["question"] == QUESTION
    finally:
        handler.close()
        link.stop()
        executor.shutdown()


def test_socket_mode_with_a_refused_app_token_is_one_line(slack, settings, fake_briefing):
    settings = settings.model_copy(
        update={"slack_bot_token": SecretStr(TOKEN), "slack_api_url": slack.api_url}
    )
    app = create_app(fake_briefing, settings, web_client(settings), socket_mode=True)
    with pytest.raises(BriefingError, match=r"refused the app token \(invalid_auth\)") as e:
        socket_mode(app, "xapp-1-wrong")
    assert "xapp-1-wrong" not in str(e.value)


# ---- the HTTP layer in front of Bolt: verify first, cap the body, one log line per refusal -------


@pytest.fixture
def serve_http(slack, settings, fake_briefing):
    """Serve the bot over HTTP in this process, as `briefing slack` does; returns its URL."""
    servers = []

    def start(**overrides: object) -> str:
        s = settings.model_copy(
            update={
                "slack_bot_token": SecretStr(TOKEN),
                "slack_signing_secret": SecretStr(SECRET),
                "slack_api_url": slack.api_url,
                **overrides,
            }
        )
        executor = ThreadPoolExecutor(1)
        app = create_app(fake_briefing, s, web_client(s), executor=executor)
        server = http_server(app, "127.0.0.1", 0, max_body_bytes=s.slack_max_body_bytes)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        servers.append((server, executor))
        return f"http://127.0.0.1:{server.server_address[1]}/slack/events"

    yield start
    for server, executor in servers:
        server.shutdown()
        server.server_close()
        executor.shutdown(wait=True)


def _unsigned_post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    req = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(int(time.time())),
            "X-Slack-Signature": "v0=" + "0" * 64,
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _raw_exchange(url: str, head: bytes, body: bytes = b"", timeout: float = 5.0) -> bytes:
    """Send bytes as they are and return what the server answers before closing."""
    where = urlsplit(url)
    with socket.create_connection((where.hostname, where.port), timeout=timeout) as conn:
        conn.sendall(head + body)
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    return reply


MALFORMED = [
    pytest.param(b'{"type": "event_callback", "event": {', "application/json", id="cut-json"),
    pytest.param(b"payload=%7Bnot+json", "application/x-www-form-urlencoded", id="bad-payload"),
    pytest.param(b"[1, 2, 3]", "application/json", id="json-list"),
    pytest.param(b'{"type": "\xff\xfe"}', "text/plain", id="not-utf8"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_malformed_body_gets_400_when_signed_and_401_when_not(
    serve_http, slack, body, content_type, caplog, capfd
):
    caplog.set_level(logging.DEBUG)
    url = serve_http()
    if content_type != "text/plain":  # Slack signs UTF-8 text; other bytes cannot be signed
        status, _ = signed_post(url, body, SECRET, content_type)
        assert status == 400
    status, _ = _unsigned_post(url, body, content_type)
    assert status == 401
    assert "Traceback" not in caplog.text and "Traceback" not in capfd.readouterr().err
    assert not any(r.exc_info for r in caplog.records)
    assert slack.chat_calls() == []


def test_non_numeric_timestamp_is_401_not_500(serve_http, caplog, capfd):
    url = serve_http()
    status, _ = signed_post(url, b"{}", SECRET, headers={"X-Slack-Request-Timestamp": "soon"})
    assert status == 401
    assert "Traceback" not in caplog.text + capfd.readouterr().err


def test_oversized_body_gets_413_without_being_read(serve_http):
    url = serve_http()
    forty_mb = 40 * 1024 * 1024
    head = (
        f"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {forty_mb}\r\nX-Slack-Request-Timestamp: {int(time.time())}\r\n"
        "X-Slack-Signature: v0=00\r\n\r\n"
    ).encode()
    # Only 64 KB of the 40 MB announced are sent: an answer at all shows nothing waited for more.
    reply = _raw_exchange(url, head, b"{" + b" " * 65535)
    assert reply.startswith(b"HTTP/1.0 413") or reply.startswith(b"HTTP/1.1 413")


def test_body_cap_is_a_setting(serve_http, slack):
    url = serve_http(slack_max_body_bytes=4096)
    msg = slack.user_says(CHANNEL, f"<@{BOT_USER}> {QUESTION}")
    event = mention_event(msg, CHANNEL)
    small = json.dumps(event_body(event, "Ev0SMALL")).encode()
    assert len(small) < 4096
    assert signed_post(url, small, SECRET)[0] == 200
    big = json.dumps(event_body({**event, "padding": "x" * 5000}, "Ev0BIG")).encode()
    assert signed_post(url, big, SECRET)[0] == 413


def test_refused_request_is_logged_in_one_bounded_escaped_line(serve_http, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    url = serve_http()
    forged = "\n".join(
        f"2025-03-11 17:11:00,000 INFO assistant.slack.app: Event Ev{i} answered in 5 ms"
        for i in range(4000)
    )
    body = ("a=1\n" + forged + "\n\x1b[2J").encode()
    assert len(body) > 200_000
    with caplog.at_level(logging.DEBUG):
        caplog.clear()
        assert _unsigned_post(url, body, "application/x-www-form-urlencoded")[0] == 401
        time.sleep(0.1)  # the access line is written after the reply
    info = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert len(info) == 1, [r.getMessage()[:200] for r in info]
    assert "401" in info[0].getMessage() and "signature" in info[0].getMessage()
    for r in caplog.records:  # debug lines too
        line = r.getMessage()
        assert len(line) < 400 and "\n" not in line and "\x1b" not in line
        assert "Ev1 answered" not in line
    assert "Ev1 answered" not in capfd.readouterr().err


def test_control_characters_in_the_request_line_are_escaped_in_the_log(serve_http, caplog):
    caplog.set_level(logging.DEBUG)
    url = serve_http()
    _raw_exchange(url, b"GET /slack/\x1b[2J\x1b[Hevents HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.1)
    assert caplog.records and not any("\x1b" in r.getMessage() for r in caplog.records)
