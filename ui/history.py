"""The conversation list: who is asking, reopening after a reload, new, open, rename, delete,
and the Markdown export. Every store call names the session's owner.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ui import plain
from ui.chat import ChatFlow, Messages, suggestion_updates
from ui.conversations import ConversationStore
from ui.session import Conversation, owner_for

log = logging.getLogger(__name__)


class History:
    """The sidebar's handlers over one store."""

    def __init__(self, store: ConversationStore, flow: ChatFlow, export_dir: Path) -> None:
        self.store = store
        self.flow = flow
        self.export_dir = export_dir

    def start(
        self, browser_id: str | None, conv: Conversation, request: gr.Request
    ) -> tuple[Any, ...]:
        """On page load: who this is, and their latest conversation reopened.

        Returns (browser id, conversation, chat, list, title, export). The session's
        conversation is filled in place: a question asked while the page was still loading
        keeps its answer, and is kept under this owner.
        """
        owner, bid = owner_for(getattr(request, "username", None), browser_id)
        conv.owner = owner
        latest = self.store.summaries(owner)
        if conv.busy or conv.turns or conv.id or not latest:
            return (bid, gr.skip(), gr.skip(), self._listing(conv), gr.skip(), gr.skip())
        _, shown, listing, title, export = self._open(conv, latest[0].id)
        return (bid, gr.skip(), shown, listing, title, export)

    def leave(self, conv: Conversation | None = None) -> None:
        """Stop an answer being written into this conversation (the first half of leaving)."""
        if conv is not None:
            conv.closed = True

    def open(self, cid: str | None, conv: Conversation) -> tuple[Any, ...]:
        """Show a stored conversation: (conversation, chat, list, title, export)."""
        if not cid or conv.owner is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return self._open(conv.fresh(), cid)

    def new(self, conv: Conversation) -> tuple[Any, ...]:
        """An empty chat; the one left stays in the list."""
        fresh = conv.fresh()
        return fresh, [], self._listing(fresh), "", gr.DownloadButton(value=None), ""

    def rename(self, title: str | None, conv: Conversation) -> tuple[Any, str]:
        """(list, status)."""
        title = (title or "").strip()
        if conv.owner is None or conv.id is None:
            return gr.skip(), "Ask a question first: a conversation is kept from its first answer."
        if not title:
            return gr.skip(), "Type a name for the conversation first."
        self.store.rename(conv.owner, conv.id, title)
        return self._listing(conv), f"Renamed to “{self.store.title(conv.owner, conv.id)}”."

    def delete(self, conv: Conversation) -> tuple[Any, ...]:
        """Delete the open conversation: (conversation, chat, list, title, export, status)."""
        if conv.owner is None or conv.id is None:
            return (*self.new(conv)[:5], "Nothing to delete yet.")
        title = self.store.title(conv.owner, conv.id) or "the conversation"
        self.store.delete(conv.owner, conv.id)
        shutil.rmtree(self.export_dir / conv.id, ignore_errors=True)
        return (*self.new(conv)[:5], f"Deleted “{title}”.")

    def export(self, conv: Conversation) -> Any:
        """The download button, pointing at a fresh Markdown file of the open conversation."""
        if conv.owner is None or conv.id is None:
            return gr.DownloadButton(value=None)
        title = self.store.title(conv.owner, conv.id)
        if title is None:
            return gr.DownloadButton(value=None)
        turns = self.store.turns(conv.owner, conv.id)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60] or "conversation"
        folder = self.export_dir / conv.id
        self.export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # this user's eyes only
        folder.mkdir(mode=0o700, exist_ok=True)
        path = folder / f"{slug}.md"
        try:
            path.write_text(plain.conversation_markdown(title, turns), encoding="utf-8")
        except OSError:
            log.exception("export not written")
            return gr.DownloadButton(value=None)
        return gr.DownloadButton(value=str(path))

    def after_answer(self, conv: Conversation) -> tuple[Any, ...]:
        """Once an answer is in: (list, name, export, follow-up buttons…)."""
        last = conv.turns[-1].answer if conv.turns else None
        title = None
        if conv.owner and conv.id and len(conv.turns) == 1:  # named after its first question
            title = self.store.title(conv.owner, conv.id)
        return (
            self._listing(conv),
            title if title is not None else gr.skip(),
            self.export(conv),
            *suggestion_updates(last),
        )

    # ---- helpers -------------------------------------------------------------------------
    def _listing(self, conv: Conversation) -> Any:
        choices = self.flow.choices(conv.owner) if conv.owner else []
        return gr.Radio(choices=choices, value=conv.id)

    def _open(self, conv: Conversation, cid: str) -> tuple[Any, ...]:
        assert conv.owner is not None
        title = self.store.title(conv.owner, cid)
        if title is None:  # deleted meanwhile, or not this owner's
            return conv, [], self._listing(conv), "", gr.DownloadButton(value=None)
        conv.id = cid
        conv.turns = self.store.turns(conv.owner, cid)
        shown: Messages
        shown, conv.answers = self.flow.shown(conv.turns)
        return conv, shown, self._listing(conv), title, self.export(conv)


def export_dir() -> Path:
    """Where exports are written: the system temp folder, which Gradio serves files from."""
    return Path(tempfile.gettempdir()) / "briefing-exports"
