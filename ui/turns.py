"""A stored turn as chat messages: the question exactly as typed, the reply with its tools.

Like render.py, every function returns one line of HTML: the chat renders messages as Markdown
and a blank line would end the HTML block.
"""

from __future__ import annotations

from html import escape
from typing import Any

from ui import plain, render
from ui.conversations import Turn

Message = dict[str, Any]


def user_html(question: str) -> str:
    """The question as typed: no Markdown, no HTML, line breaks kept."""
    return f'<div class="asked">{render.text_html(question)}</div>'


def filters_html(turn: Turn) -> str:
    line = plain.describe(plain.filters_of(turn.filters))
    return f'<div class="filters-line">Filters: {escape(line)}</div>' if line else ""


def nomatch_html(message: str) -> str:
    return (
        f'<div class="nomatch" role="note"><b>No matching documents.</b> {escape(message)}'
        '<span class="hint">Widen or clear the filters in the side panel.</span></div>'
    )


def stopped_html(turn: Turn) -> str:
    markdown = turn.generator.startswith("llm")
    body = render.markdown_html(turn.text) if markdown else render.text_html(turn.text)
    return (
        f'<div class="answer stopped">{body}</div>'
        f'<div class="stopped-label" role="note">■ {escape(plain.STOPPED_NOTE)}</div>'
    )


def copy_button(text: str) -> str:
    """A Copy button and, hidden beside it, the reply as plain text (the page's script copies
    it; the sanitiser keeps no data-* attributes, so the text is an element of its own)."""
    value = escape(text).replace("\n", "&#10;")
    return (
        '<div class="reply-tools"><button type="button" class="copy-reply" '
        'title="Copy as plain text with the sources">Copy</button>'
        f'<span class="copy-text">{value}</span></div>'
    )


def reply_html(turn: Turn) -> str:
    """The finished reply: the answer (or what stopped or refused it), filters, Copy."""
    if turn.status == "nomatch":
        return nomatch_html(turn.text) + filters_html(turn)
    if turn.status == "error":
        return render.error_html(turn.text)
    body = render.answer_html(turn.answer) if turn.answer is not None else stopped_html(turn)
    return body + filters_html(turn) + copy_button(plain.turn_text(turn))


def messages(turns: list[Turn]) -> list[Message]:
    """The chat's messages for stored turns: a question, then its reply, for each."""
    out: list[Message] = []
    for t in turns:
        if t.question.strip():
            out.append({"role": "user", "content": user_html(t.question)})
        out.append({"role": "assistant", "content": reply_html(t)})
    return out
