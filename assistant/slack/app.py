"""The Bolt app: mentions and DMs in, cited answers out in threads, 👍/👎 into the feedback log.

Events are acknowledged at once and answered on a worker thread, so Slack never times out and
retries while the pipeline runs; retries and duplicate deliveries are still dropped by event id.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.error import BoltError
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant import feedback
from assistant.errors import BriefingError
from assistant.models import Answer
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.slack.format import (
    ACTION_DOWN,
    ACTION_UP,
    PLACEHOLDER,
    answer_messages,
    feedback_value,
    plain_text,
)
from assistant.slack.guard import Clock, RateLimiter, Recent, Seen
from assistant.slack.history import thread_history

log = logging.getLogger(__name__)

HELP = (
    "Ask me a question about the indexed briefings, for example "
    "“Who led the US delegation in Saudi Arabia?”. I answer in a thread, with sources."
)
_HUMAN_SUBTYPES = {None, "file_share", "thread_broadcast"}


def apology(event_id: str | None) -> str:
    ref = f" (reference {event_id})" if event_id else ""
    return f"Sorry, something went wrong while answering; please try again in a minute{ref}."


def rate_notice(limit: int, wait_s: float) -> str:
    return (
        f"You have asked {limit} questions in the last minute, which is my limit. "
        f"Please ask again in about {max(1, round(wait_s))} seconds."
    )


class SlackBot:
    """The bot's behaviour, separate from Bolt's wiring so each step reads on its own."""

    def __init__(
        self, briefing: Briefing, settings: Settings, clock: Clock = time.monotonic
    ) -> None:
        self.briefing = briefing
        self.settings = settings
        self.events = Seen(clock=clock)
        self.messages = Seen(clock=clock)
        self.limiter = RateLimiter(settings.slack_rate_per_min, 60.0, clock)
        self.answers: Recent[Answer] = Recent()

    # -- deliveries ---------------------------------------------------------------------------
    def first_delivery(self, body: dict[str, Any], request: BoltRequest) -> bool:
        """False for a retry or a second delivery of an event already taken."""
        event_id = body.get("event_id")
        if body.get("type") != "event_callback" or not event_id or self.events.first(event_id):
            return True
        retry = (request.headers.get("x-slack-retry-num") or [None])[0]
        reason = (request.headers.get("x-slack-retry-reason") or [None])[0]
        log.info("Dropped repeated delivery of event %s (retry %s, %s)", event_id, retry, reason)
        return False

    # -- questions ------------------------------------------------------------------------------
    def on_question(
        self, event: dict[str, Any], event_id: str | None, client: WebClient, context: BoltContext
    ) -> None:
        channel, ts, user = event["channel"], event["ts"], event.get("user") or ""
        if not self.messages.first(f"{channel}:{ts}"):
            return  # the same message seen as both a mention and a DM
        thread_ts = event.get("thread_ts") or ts
        question = plain_text(event.get("text", ""), context.bot_user_id)
        if not question:
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=HELP)
            return
        allowed, wait_s = self.limiter.allow(user)
        if not allowed:
            log.info("Rate limit reached for %s (event %s)", user, event_id)
            client.chat_postEphemeral(
                channel=channel,
                user=user,
                thread_ts=thread_ts,
                text=rate_notice(self.limiter.limit, wait_s),
            )
            return
        t0 = time.perf_counter()
        try:
            placeholder = client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=PLACEHOLDER
            )["ts"]
        except SlackApiError as e:  # e.g. not_in_channel: nowhere to answer, nothing to retry
            log.error(
                "Event %s: cannot post in %s (%s)", event_id, channel, e.response.get("error")
            )
            return
        try:
            history = []
            if event.get("thread_ts"):
                history = thread_history(
                    client, channel, thread_ts, ts, context.bot_user_id, context.bot_id
                )
            answer = self.briefing.ask(question, history=history)
        except BriefingError as e:
            log.warning("Event %s: %s", event_id, e)
            self._replace(client, channel, placeholder, str(e), event_id)
            return
        except Exception:
            log.exception("Event %s: answering failed", event_id)
            self._replace(client, channel, placeholder, apology(event_id), event_id)
            return
        try:
            self._deliver(client, channel, thread_ts, placeholder, answer)
        except (SlackApiError, OSError) as e:
            reason = e.response.get("error") if isinstance(e, SlackApiError) else e
            log.error("Event %s: the answer could not be posted (%s)", event_id, reason)
            self._replace(client, channel, placeholder, apology(event_id), event_id)
            return
        log.info(
            "Event %s answered in %.0f ms (%d sources%s)",
            event_id,
            (time.perf_counter() - t0) * 1000,
            len(answer.citations),
            ", refused" if answer.refused else "",
        )

    def _deliver(
        self, client: WebClient, channel: str, thread_ts: str, placeholder: str, answer: Answer
    ) -> None:
        """The first part replaces the placeholder; a long answer continues in the thread."""
        key = uuid.uuid4().hex
        self.answers.put(key, answer)
        first, *rest = answer_messages(answer, feedback_value(key, answer.question))
        client.chat_update(channel=channel, ts=placeholder, **first)
        for i, message in enumerate(rest, 2):
            try:
                client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)
            except SlackApiError as e:
                log.error(
                    "Part %d of the answer in %s was refused (%s)",
                    i,
                    channel,
                    e.response.get("error"),
                )
                return

    def _replace(
        self, client: WebClient, channel: str, ts: str, text: str, event_id: str | None
    ) -> None:
        try:
            client.chat_update(channel=channel, ts=ts, text=text, blocks=[])
        except SlackApiError as e:
            log.error(
                "Event %s: could not post the apology (%s)", event_id, e.response.get("error")
            )

    # -- briefs ---------------------------------------------------------------------------------
    def on_brief(self, command: dict[str, Any], client: WebClient) -> None:
        """`/brief <topic> [since D]`: a header message in the channel, the brief in its thread."""
        from assistant.slack.brief import brief_messages, header_text, parse_command

        channel, user = command.get("channel_id", ""), command.get("user_id", "")
        allowed, wait_s = self.limiter.allow(user)
        if not allowed:
            client.chat_postEphemeral(
                channel=channel, user=user, text=rate_notice(self.limiter.limit, wait_s)
            )
            return
        try:
            topic, since, until = parse_command(command.get("text", ""))
            brief = self.briefing.brief(topic, since, until)
        except BriefingError as e:
            client.chat_postEphemeral(channel=channel, user=user, text=str(e))
            return
        except Exception:
            log.exception("Brief for %s failed", user)
            client.chat_postEphemeral(channel=channel, user=user, text=apology(None))
            return
        try:
            head = client.chat_postMessage(channel=channel, text=header_text(brief))["ts"]
            if brief.covered:
                for message in brief_messages(brief):
                    client.chat_postMessage(channel=channel, thread_ts=head, **message)
        except SlackApiError as e:
            log.error("The brief could not be posted in %s (%s)", channel, e.response.get("error"))
            return
        log.info("Brief on %r posted in %s (%d sources)", topic, channel, len(brief.sources))

    # -- feedback -------------------------------------------------------------------------------
    def on_feedback(self, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        rating = "up" if action["action_id"] == ACTION_UP else "down"
        try:
            value = json.loads(action.get("value") or "{}")
        except ValueError:
            value = {}
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "")
        user = (body.get("user") or {}).get("id")
        answer = self.answers.get(value.get("id"))
        restored = answer is None
        if answer is None:  # asked before a restart: keep what the message itself still says
            answer = Answer(
                question=value.get("q", ""),
                text=plain_text(message.get("text", "")),
                generator="unknown",
            )
        feedback.record(
            self.settings.feedback_path,
            answer,
            rating,
            "slack",
            user=user,
            extra={"channel": channel, "message_ts": message.get("ts"), "restored": restored},
        )
        log.info("Feedback %s from %s on message %s", rating, user, message.get("ts"))
        try:
            client.chat_postEphemeral(
                channel=channel,
                user=user,
                text="Thanks, noted " + ("👍" if rating == "up" else "👎") + ".",
                thread_ts=message.get("thread_ts") or message.get("ts"),
            )
        except SlackApiError as e:
            log.warning("Could not thank %s for feedback (%s)", user, e.response.get("error"))


def create_app(
    briefing: Briefing,
    settings: Settings,
    client: WebClient,
    *,
    socket_mode: bool = False,
    executor: Executor | None = None,
    clock: Clock = time.monotonic,
) -> App:
    """The Bolt app. `client` carries the bot token and the API URL; over HTTP every request must
    carry a valid signature made with `settings.slack_signing_secret`."""
    signing = settings.slack_signing_secret
    secret = signing.get_secret_value() if signing else ""
    if not secret and not socket_mode:
        raise BriefingError(
            "SLACK_SIGNING_SECRET is not set (Basic Information → App Credentials)."
        )
    try:  # Bolt checks the token with auth.test right here
        app = App(
            client=client,
            signing_secret=secret,
            process_before_response=False,
            request_verification_enabled=not socket_mode,
            listener_executor=executor or ThreadPoolExecutor(8, "slack-answer"),
        )
    except BoltError as e:
        raise BriefingError(f"Slack did not accept the bot token: {e}".splitlines()[0]) from None
    except OSError as e:
        raise BriefingError(f"Cannot reach Slack at {client.base_url}: {e}") from None
    bot = SlackBot(briefing, settings, clock)

    @app.middleware
    def drop_repeats(body: dict[str, Any], request: BoltRequest, next: Any) -> BoltResponse | None:
        if bot.first_delivery(body, request):
            return next()
        return BoltResponse(status=200, body="")

    @app.event("app_mention")
    def mention(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if event.get("bot_id"):
            return
        bot.on_question(event, body.get("event_id"), client, context)

    @app.event("message")
    def direct_message(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        if (
            event.get("channel_type") != "im"
            or event.get("bot_id")
            or event.get("subtype") not in _HUMAN_SUBTYPES
        ):
            return  # edits, deletions, joins, other bots: not questions
        bot.on_question(event, body.get("event_id"), client, context)

    @app.command("/brief")
    def brief(ack: Any, command: dict[str, Any], client: WebClient) -> None:
        ack(text="Working on the brief…")
        bot.on_brief(command, client)

    @app.action(re.compile(f"^({ACTION_UP}|{ACTION_DOWN})$"))
    def rate(ack: Any, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        ack()
        bot.on_feedback(body, action, client)

    return app
