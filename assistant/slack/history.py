"""A Slack thread's earlier messages as the pipeline's conversation history."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.slack.format import answer_text, plain_text

log = logging.getLogger(__name__)

History = list[dict[str, str]]
KEEP = 20  # most recent messages handed to the condense step
PAGES = 5  # conversations.replies pages read at most (200 messages each)
_HUMAN = {None, "thread_broadcast", "file_share", "me_message"}


def _ts(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def to_history(
    messages: list[dict[str, Any]],
    before_ts: str,
    bot_user_id: str | None,
    bot_id: str | None,
    keep: int = KEEP,
) -> History:
    """User and answer turns before `before_ts`, oldest first; other bots, joins and our
    placeholders or apologies are left out. Consecutive parts of one split answer are joined."""
    history: History = []
    for m in sorted(messages, key=lambda m: _ts(m.get("ts"))):
        if _ts(m.get("ts")) >= _ts(before_ts):
            continue
        ours = (bot_user_id and m.get("user") == bot_user_id) or (
            bot_id and m.get("bot_id") == bot_id
        )
        if ours:
            role, content = "assistant", answer_text(m)
        elif m.get("bot_id") or m.get("subtype") not in _HUMAN:
            continue
        else:
            role, content = "user", plain_text(m.get("text", ""), bot_user_id)
        if not content:
            continue
        if role == "assistant" and history and history[-1]["role"] == "assistant":
            history[-1]["content"] += "\n\n" + content
        else:
            history.append({"role": role, "content": content})
    return history[-keep:]


def thread_history(
    client: WebClient,
    channel: str,
    thread_ts: str,
    before_ts: str,
    bot_user_id: str | None,
    bot_id: str | None,
) -> History:
    """Read the thread with `conversations.replies`; on a Slack error, answer without history."""
    messages: list[dict[str, Any]] = []
    cursor = None
    try:
        for _ in range(PAGES):
            page = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=200, cursor=cursor
            )
            messages += page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                break
    except SlackApiError as e:
        log.warning(
            "Could not read thread %s in %s (%s); answering without history",
            thread_ts,
            channel,
            e.response.get("error"),
        )
        return []
    return to_history(messages, before_ts, bot_user_id, bot_id)
