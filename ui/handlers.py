"""What the web chat does when the user acts on the side panel or rates an answer: each handler
calls the pipeline and returns what to show. Asking lives in chat.py, the conversation list in
history.py.

No retrieval or answering logic lives here; errors become messages in the page, never a dead page.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import feedback
from assistant.errors import BriefingError
from assistant.pipeline import Briefing
from assistant.settings import Settings
from ui import render
from ui.chat import parse_filters
from ui.session import Conversation

__all__ = ["Conversation", "WebChat", "parse_auth", "parse_filters"]

log = logging.getLogger(__name__)


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:password` → Gradio's auth tuple."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise BriefingError("BRIEFING_AUTH must look like user:password.")
    return user, password


class WebChat:
    """The side panel's and the ratings' handlers, sharing one pipeline between all sessions."""

    def __init__(self, briefing: Briefing, settings: Settings) -> None:
        self.briefing = briefing
        self.settings = settings

    def rate(
        self, conv: Conversation, comment: str | None, data: gr.LikeData, request: gr.Request
    ) -> tuple[str, Any]:
        """👍/👎 on an answer → one line in the feedback log (with the optional comment)."""
        if data.liked is True or data.liked is False:
            rating = "up" if data.liked else "down"
        else:
            return "Rating withdrawn (the earlier one stays in the log).", gr.skip()
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        answer = conv.answers.get(int(index))
        if answer is None:
            return "Only answers can be rated.", gr.skip()
        try:
            feedback.record(
                self.settings.feedback_path,
                answer,
                rating,
                surface="web",
                comment=(comment or "").strip() or None,
                user=getattr(request, "username", None),
            )
        except OSError as e:
            log.exception("feedback not written")
            return f"Could not save your feedback ({e.strerror or e}).", gr.skip()
        thumb = "👍" if rating == "up" else "👎"
        with_comment = " with your comment" if (comment or "").strip() else ""
        return f"Thanks: {thumb} recorded{with_comment}.", ""

    # ---- the index -----------------------------------------------------------------------
    def panel(self, query: str | None = "") -> tuple[str, Any, Any]:
        """Document table, remove menu and publisher filter, read fresh from the index."""
        try:
            docs = self.briefing.documents()
        except Exception as e:
            log.exception("listing documents failed")
            return render.error_html(f"Cannot read the index: {e}"), gr.skip(), gr.skip()
        publishers = sorted({d.meta.publisher for d in docs if d.meta.publisher})
        return (
            render.documents_html(docs, query or "", self._origins(docs)),
            gr.Dropdown(choices=[render.document_choice(d) for d in docs], value=None),
            gr.Dropdown(choices=publishers),
        )

    def search(self, query: str | None) -> str:
        """The document table narrowed to titles, publishers or dates containing `query`."""
        try:
            docs = self.briefing.documents()
            return render.documents_html(docs, query or "", self._origins(docs))
        except Exception as e:
            log.exception("listing documents failed")
            return render.error_html(f"Cannot read the index: {e}")

    def _origins(self, docs: list[Any]) -> dict[str, str] | None:
        """doc id → file / url / feed: NAME; None (no column) when the feed list is unreadable."""
        try:
            return self.briefing.origins(docs)
        except Exception:
            log.exception("reading the documents' origins failed")
            return None

    def add_urls(
        self,
        text: str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects a progress bar)
    ) -> tuple[Any, ...]:
        """Fetch and index the pasted URLs (one a line or separated by spaces)."""
        urls = (text or "").split()
        if not urls:
            return (gr.skip(), "", *self.panel())

        def step(name: str, done: int, total: int) -> None:
            progress((done, total), desc=f"Fetching {name[:60]}", unit="pages")

        try:
            report = self.briefing.ingest_urls(urls, step)
        except BriefingError as e:
            return (gr.skip(), render.error_html(str(e)), *self.panel())
        except Exception as e:
            log.exception("adding URLs failed")
            return (
                gr.skip(),
                render.error_html(f"The pages could not be added: {e}"),
                *self.panel(),
            )
        return ("", render.ingest_html(report), *self.panel())

    def upload(
        self,
        files: list[str] | str | None,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 (how Gradio injects a progress bar)
    ) -> tuple[Any, ...]:
        """Ingest uploaded files with a progress bar; they are answerable as soon as this ends."""
        paths = [files] if isinstance(files, str) else list(files or [])
        if not paths:
            return (None, "", *self.panel())
        items: list[tuple[str, bytes]] = []
        unreadable: list[str] = []
        for p in paths:
            try:
                items.append((Path(p).name, Path(p).read_bytes()))
            except OSError as e:
                unreadable.append(render.error_html(f"{Path(p).name}: cannot be read ({e})"))

        def step(name: str, done: int, total: int) -> None:
            progress((done, total), desc=f"Indexing {Path(name).name}", unit="files")

        progress((0, len(items)), desc="Indexing", unit="files")
        try:
            report = self.briefing.ingest_bytes(items, step)
        except BriefingError as e:
            return (None, render.error_html(str(e)), *self.panel())
        except Exception as e:
            log.exception("upload failed")
            return (None, render.error_html(f"The upload could not be indexed: {e}"), *self.panel())
        return (None, "".join(unreadable) + render.ingest_html(report), *self.panel())

    def _chosen(self, doc_ids: list[str] | str | None) -> list[tuple[str, str]]:
        """(doc id, title) of the chosen documents still in the index."""
        wanted = [doc_ids] if isinstance(doc_ids, str) else list(doc_ids or [])
        titles = {d.meta.doc_id: d.meta.title for d in self.briefing.documents()}
        return [(i, titles[i]) for i in wanted if i in titles]

    def confirm_remove(self, doc_ids: list[str] | str | None) -> tuple[Any, str, str]:
        """Ask before removing: (confirmation box, its text, status line)."""
        try:
            chosen = self._chosen(doc_ids)
        except Exception as e:
            log.exception("listing documents failed")
            return gr.Group(visible=False), "", render.error_html(f"Cannot read the index: {e}")
        if not chosen:
            return gr.Group(visible=False), "", "Choose one or more documents to remove."
        return gr.Group(visible=True), render.removal_question([t for _, t in chosen]), ""

    def remove(self, doc_ids: list[str] | str | None) -> tuple[Any, ...]:
        """Remove the confirmed documents: (status, confirmation box, *panel)."""
        hide = gr.Group(visible=False)
        try:
            chosen = self._chosen(doc_ids)
        except Exception as e:
            log.exception("listing documents failed")
            return (render.error_html(f"Cannot read the index: {e}"), hide, *self.panel())
        if not chosen:
            return ("Those documents are already gone.", hide, *self.panel())
        done: list[tuple[str, int]] = []
        for doc_id, title in chosen:
            try:
                done.append((title, self.briefing.remove(doc_id)))
            except Exception as e:
                log.exception("remove failed")
                status = render.removed_html(done) + render.error_html(
                    f"Could not remove “{title}”: {e}"
                )
                return (status, hide, *self.panel())
        return (render.removed_html(done), hide, *self.panel())
