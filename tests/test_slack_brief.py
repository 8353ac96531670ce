"""`/brief` in Slack: a signed slash command to the real Bolt app; the brief lands in a thread
under one header message, every message within Slack's block limits."""

from __future__ import annotations

import urllib.parse

from tests.fake_slack import block_error
from tests.test_slack import CHANNEL, slack, slack_settings, start_bot  # noqa: F401


def _command(bot, text: str, user: str = "U0ALICE") -> int:
    body = urllib.parse.urlencode(
        {
            "command": "/brief",
            "text": text,
            "channel_id": CHANNEL,
            "user_id": user,
            "team_id": "T0TEAM",
            "response_url": "http://127.0.0.1:9/response",
            "trigger_id": "1.2.3",
        }
    ).encode()
    status, _ = bot.post(body, "application/x-www-form-urlencoded")
    return status


def test_brief_command_posts_the_brief_in_a_thread(start_bot, slack):  # noqa: F811
    bot = start_bot()
    assert _command(bot, "gas transit since 2025-01-01") == 200
    bot.drain()
    posts = slack.calls_to("chat.postMessage")
    head, *thread = posts
    assert "thread_ts" not in head.args and "Brief: gas transit" in head.args["text"]
    assert thread and all(p.args.get("thread_ts") for p in thread)
    shown = "\n".join(
        b["text"]["text"] for p in thread for b in p.args["blocks"] if "text" in b
    ) + "\n".join(
        e["text"] for p in thread for b in p.args["blocks"] for e in b.get("elements", [])
    )
    assert "*Timeline*" in shown and "1 January 2025" in shown and "[1]" in shown
    assert "Energy Watch Weekly" in shown  # the sources name the article
    for p in thread:
        assert block_error(p.args["blocks"]) is None


def test_brief_command_on_an_uncovered_topic_says_so_and_a_bad_date_is_explained(
    start_bot,  # noqa: F811
    slack,  # noqa: F811
):
    bot = start_bot()
    assert _command(bot, "Crimean bridge") == 200
    bot.drain()
    (head,) = slack.calls_to("chat.postMessage")
    assert "don't cover this topic" in head.args["text"]
    assert _command(bot, "Kursk since March") == 200
    bot.drain()
    (note,) = slack.calls_to("chat.postEphemeral")
    assert "2025-03-11" in note.args["text"]
