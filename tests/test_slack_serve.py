"""`briefing slack` as an operator runs it: over HTTP in its own process, and in Socket Mode."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant import feedback
from assistant.errors import BriefingError
from assistant.pipeline import Briefing
from assistant.slack import create_app
from assistant.slack.format import ACTION_UP
from assistant.slack.server import socket_mode, web_client
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
