"""The Slack surface: a Bolt app answering mentions and DMs in threads, with sources and 👍/👎."""

from assistant.slack.app import create_app

__all__ = ["create_app"]
