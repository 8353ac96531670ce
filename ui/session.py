"""One browser tab's state: whose conversations these are, which one is open, its turns.

Gradio copies the initial `Conversation` for each session and hands every handler the same
object, so a Stop click reaches the answer being written.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models import Answer
from ui.conversations import Turn

BROWSER_ID_CHARS = 32


@dataclass
class Conversation:
    """The open conversation of one browser session."""

    owner: str | None = None  # "user:<login>" or "browser:<id>"; None until the page has loaded
    id: str | None = None  # the stored conversation; None until its first question
    turns: list[Turn] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)  # chat message index → answer
    closed: bool = False  # left (new conversation, another opened): a late answer must not land
    stopping: bool = False  # Stop was pressed: end the answer being written, keep its words
    busy: bool = False  # an answer is being written into it

    @property
    def history(self) -> list[dict[str, str]]:
        """The earlier turns as the pipeline reads follow-ups against them."""
        out: list[dict[str, str]] = []
        for t in self.turns:
            if t.status in ("answered", "stopped") and t.reply_text.strip():
                asked = t.answer.question if t.answer else t.question
                out += [
                    {"role": "user", "content": asked},
                    {"role": "assistant", "content": t.reply_text},
                ]
        return out

    def fresh(self) -> Conversation:
        """A new, empty conversation for the same owner (this one stops taking answers)."""
        self.closed = True
        return Conversation(owner=self.owner)


def owner_for(username: str | None, browser_id: str | None) -> tuple[str, str]:
    """(owner, browser id): the login name when there is one, else the browser's own id (a new
    random one the first time). An id that is not one of ours is replaced."""
    bid = browser_id if isinstance(browser_id, str) else ""
    if len(bid) != BROWSER_ID_CHARS or not bid.isalnum():
        bid = secrets.token_hex(BROWSER_ID_CHARS // 2)
    if username:
        return f"user:{username}", bid
    return f"browser:{bid}", bid


def browser_secret(data_dir: Path) -> str:
    """The key the browser's id is stored under, kept in the data dir: with a new key on every
    start, a browser would lose its conversations each time the server restarts."""
    path = data_dir / "web-browser-secret"
    try:
        value = path.read_text(encoding="utf-8").strip()
        if len(value) >= 32:
            return value
    except OSError:
        pass
    value = secrets.token_hex(24)
    data_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(value)
    os.replace(tmp, path)
    return value
