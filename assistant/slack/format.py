"""An `Answer` as Slack mrkdwn messages inside Slack's limits, and Slack text back to plain text."""

from __future__ import annotations

import html
import json
import re
from pathlib import PurePosixPath
from typing import Any

from assistant.models import Answer, Citation, Disagreement
from assistant.render import (
    dates_line,
    disagreement_head,
    read_as,
    removed_head,
    side_views,
    uncovered_line,
    when,
)
from assistant.text import shorten

PLACEHOLDER = "Searching the briefings…"
SECTION_CHARS = 3000  # Slack rejects a section whose text is longer
CONTEXT_CHARS = 3000  # and a context element whose text is longer
MAX_BLOCKS = 50  # blocks per message
MESSAGE_CHARS = 11000  # block text per message; Slack answers msg_blocks_too_long from ~13,000
VALUE_CHARS = 2000  # a button's value
QUOTE_CHARS = 280
TEXT_BLOCK = "answer-text"  # block_id prefix of the answer's own text (thread history reads it)
FEEDBACK_BLOCK = "feedback"
ACTION_UP, ACTION_DOWN = "feedback_up", "feedback_down"

Block = dict[str, Any]
Message = dict[str, Any]

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^>]*)>")
# Preferred places to cut a long text, best first: paragraph, line, after a [n] marker,
# after a sentence, any space.
_CUTS = ("\n\n", "\n", "] ", ". ", " ")


def escape(text: str) -> str:
    """The three characters Slack's mrkdwn reserves for its own markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_text(text: str, bot_user_id: str | None = None) -> str:
    """Slack text as the pipeline should read it: the bot's mention dropped, links unwrapped."""

    def mention(m: re.Match[str]) -> str:
        return "" if m.group(1) == bot_user_id else f"@{m.group(1)}"

    text = _MENTION.sub(mention, text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or f"@{m.group(1)}", text)
    text = _CHANNEL.sub(lambda m: f"#{m.group(1)}", text)
    return " ".join(html.unescape(text).split())


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """Pieces of at most `limit` characters, cut at the most natural boundary near the end."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = 0
        for sep in _CUTS:
            i = window.rfind(sep)
            if i >= limit // 2:
                cut = i + len(sep.rstrip())
                break
        if not cut:
            cut = limit
            amp = window.rfind("&", limit - 6)
            if amp > 0 and ";" not in window[amp:]:
                cut = amp  # never cut an &amp; entity in two
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _link(url: str, label: str) -> str:
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


def source_text(c: Citation) -> str:
    """One source: number, title (linked when the URL is known), publisher and date, the quote."""
    title = shorten(c.title or "Untitled", 200)
    head = _link(c.url, title) if c.url else escape(title)
    where = "" if c.url else f" · _{escape(shorten(PurePosixPath(c.source).name, 120))}_"
    byline = escape(f"{c.publisher or 'unknown publisher'}, {when(c)}")
    quote = escape(shorten(c.quote, QUOTE_CHARS))
    return f"*[{c.n}]* *{head}* — {byline}{where}\n>“{quote}”"


def section_block(text: str, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if block_id:
        block["block_id"] = block_id
    return block


def context_block(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": shorten(text, 2900)}]}


def _context_lines(lines: list[str]) -> Block:
    """One context block of several lines (each already short), inside Slack's limit."""
    kept: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > CONTEXT_CHARS - 40:
            kept.append(f"_…and {len(lines) - i} more_")
            break
        kept.append(line)
        size += len(line) + 1
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": "\n".join(kept)}]}


def disagreement_block(d: Disagreement, citations: list[Citation]) -> Block:
    """':warning: Sources disagree — …' with one line per side: value, publisher, date, [n]."""
    icon = ":arrows_counterclockwise:" if d.kind == "update" else ":warning:"
    lines = [f"{icon} {escape(shorten(disagreement_head(d), 300))}"]
    for s in side_views(d, citations):
        label = f"{s.label}: " if s.label else ""
        value, publisher = escape(shorten(s.value, 200)), escape(shorten(s.publisher, 100))
        lines.append(f"• {label}*{value}* — {publisher}, {escape(s.date)} [{s.n}]")
    return _context_lines(lines)


def note_blocks(answer: Answer) -> list[Block]:
    """What the answer carries beside its text, each as a context block, before the sources."""
    blocks: list[Block] = []
    if line := read_as(answer):
        question = line.removeprefix("Read as: ")
        blocks.append(context_block(f"Read as: _{escape(shorten(question, 300))}_"))
    if line := dates_line(answer):
        blocks.append(context_block(f":calendar: {escape(line)}"))
    blocks += [disagreement_block(d, answer.citations) for d in answer.disagreements]
    if line := uncovered_line(answer.uncovered):
        blocks.append(context_block(f":grey_question: _{escape(line)}_"))
    if answer.notice:
        blocks.append(context_block(f":information_source: {escape(answer.notice)}"))
    for claim in answer.flagged:
        blocks.append(context_block(f":warning: Not cited: “{escape(shorten(claim, 300))}”"))
    if answer.unsupported:
        head = f":scissors: *{escape(removed_head(len(answer.unsupported)))}*"
        lines = [f"• ~{escape(shorten(s, 280))}~" for s in answer.unsupported]
        blocks.append(_context_lines([head, *lines]))
    return blocks


def feedback_value(key: str, question: str) -> str:
    """A 👍/👎 button's value: the stored answer's key and, for after a restart, the question."""
    q = question
    while True:
        value = json.dumps({"id": key, "q": q}, ensure_ascii=False)
        if len(value) <= VALUE_CHARS:
            return value
        q = q[: len(q) - (len(value) - VALUE_CHARS) - 1]


def feedback_block(value: str) -> Block:
    def button(action_id: str, label: str) -> dict[str, Any]:
        return {
            "type": "button",
            "action_id": action_id,
            "value": value,
            "text": {"type": "plain_text", "text": label, "emoji": True},
        }

    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK,
        "elements": [button(ACTION_UP, "👍 Helpful"), button(ACTION_DOWN, "👎 Not helpful")],
    }


def answer_blocks(answer: Answer) -> list[Block]:
    """Every block of the answer, before it is cut into messages (the feedback buttons excluded)."""
    blocks = [
        section_block(piece, f"{TEXT_BLOCK}-{i}")
        for i, piece in enumerate(split_text(escape(answer.text)))
    ]
    blocks += note_blocks(answer)
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks.append(context_block("*Sources*"))
        blocks += [section_block(source_text(c)) for c in answer.citations]
    return blocks


def _chars(block: Block) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    return sum(
        len(e.get("text", ""))
        for e in block.get("elements", [])
        if isinstance(e, dict) and isinstance(e.get("text"), str)
    )


def pack(blocks: list[Block], tail: Block | None = None) -> list[list[Block]]:
    """Blocks grouped into messages under the block-count and size limits; `tail` ends the last."""
    messages: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        n = _chars(block)
        if messages[-1] and (len(messages[-1]) >= MAX_BLOCKS or size + n > MESSAGE_CHARS):
            messages.append([])
            size = 0
        messages[-1].append(block)
        size += n
    if tail is not None:
        if len(messages[-1]) >= MAX_BLOCKS or size + _chars(tail) > MESSAGE_CHARS:
            messages.append([])
        messages[-1].append(tail)
    return messages


def fallback_text(blocks: list[Block], first: bool) -> str:
    """The message's `text`: what notifications and screen readers show."""
    parts = [b["text"]["text"] for b in blocks if b.get("block_id", "").startswith(TEXT_BLOCK)]
    if parts:
        return shorten(" ".join(parts), SECTION_CHARS)
    return "Answer" if first else "Sources (continued)"


def answer_messages(answer: Answer, feedback: str | None = None) -> list[Message]:
    """The answer as one or more `{"text", "blocks"}` messages, in posting order."""
    tail = feedback_block(feedback) if feedback else None
    groups = pack(answer_blocks(answer), tail)
    return [{"text": fallback_text(g, i == 0), "blocks": g} for i, g in enumerate(groups)]


def answer_text(message: dict[str, Any]) -> str:
    """The answer text a posted message carries (empty for placeholders, apologies, sources)."""
    parts = [
        b["text"]["text"]
        for b in message.get("blocks") or []
        if str(b.get("block_id", "")).startswith(TEXT_BLOCK) and "text" in b
    ]
    return html.unescape("\n\n".join(parts))
