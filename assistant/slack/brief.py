"""`/brief <topic> [since YYYY-MM-DD]` in Slack: the brief posted section by section in a
thread under one header message, within Slack's block and size limits."""

from __future__ import annotations

import re
from datetime import date

from assistant.brief.models import Brief
from assistant.brief.render import sections, subtitle, title
from assistant.errors import BriefingError
from assistant.models import MARKER
from assistant.slack.format import (
    Message,
    context_block,
    escape,
    pack,
    section_block,
    source_text,
    split_text,
)

USAGE = (
    "Usage: `/brief <topic> [since YYYY-MM-DD] [until YYYY-MM-DD]`, "
    "e.g. `/brief Kursk since 2025-01-01`."
)
_BOUND = re.compile(r"\b(since|until)\s+(\S+)", re.IGNORECASE)


def parse_command(text: str) -> tuple[str, date | None, date | None]:
    """(topic, since, until) from the command's text; a bad date is a BriefingError."""
    bounds: dict[str, date] = {}
    for word, value in _BOUND.findall(text or ""):
        try:
            bounds[word.lower()] = date.fromisoformat(value)
        except ValueError:
            raise BriefingError(f"`{word} {value}`: dates look like 2025-03-11. {USAGE}") from None
    topic = " ".join(_BOUND.sub(" ", text or "").split())
    if not topic:
        raise BriefingError(USAGE)
    return topic, bounds.get("since"), bounds.get("until")


def header_text(brief: Brief) -> str:
    if not brief.covered:
        return f"*{escape(title(brief))}*\n{escape(brief.message or '')}"
    return f"*{escape(title(brief))}*\n_{escape(subtitle(brief))}_ · sections in the thread"


def brief_messages(brief: Brief) -> list[Message]:
    """The sections and the quoted passages, as thread messages in posting order."""
    blocks = []
    for head, items in sections(brief):
        if head == "Sources":
            continue  # the quoted passages below name every source
        lines = []
        for item in items:
            if isinstance(item, str):
                lines.append(f"• {escape(item)}")
                continue
            lead = item.when or item.actor
            text = MARKER.sub(r"[\1]", escape(item.text))
            lines.append(f"• *{escape(lead)}* — {text}" if lead else f"• {text}")
        blocks.append(context_block(f"*{head}*"))
        blocks += [section_block(piece) for piece in split_text("\n".join(lines))]
    if brief.citations:
        blocks.append({"type": "divider"})
        blocks.append(context_block("*Sources*"))
        blocks += [section_block(source_text(c)) for c in brief.citations]
    return [
        {"text": f"{title(brief)} ({i + 1}/{len(groups)})", "blocks": g}
        for groups in [pack(blocks)]
        for i, g in enumerate(groups)
    ]
