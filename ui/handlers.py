"""What the web chat does when the user acts: each handler calls the pipeline, returns what to show.

No retrieval or answering logic lives here; errors become messages in the page, never a dead page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from assistant import feedback
from assistant.errors import BriefingError
from assistant.models import Answer, Filters
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.stream import Reply
from ui import render

log = logging.getLogger(__name__)

Messages = list[dict[str, Any]]
# Pieces arriving faster than this are shown together: each update re-sends the message.
STREAM_EVERY_S = 0.05
OOPS = "Something went wrong while answering. The chat still works: please try again."


@dataclass
class Conversation:
    """One browser session's conversation: the turns for follow-ups, and each shown answer."""

    history: list[dict[str, str]] = field(default_factory=list)
    answers: dict[int, Answer] = field(default_factory=dict)  # chat message index → answer
    closed: bool = False  # cleared: an answer still being written must not come back


def parse_filters(
    publishers: list[str] | None, date_from: str | None, date_to: str | None
) -> Filters | None:
    """Filters from the side panel; a bad date is a message for the user."""
    try:
        f = Filters.parse(publishers, (date_from or "").strip(), (date_to or "").strip())
    except ValueError as e:
        raise BriefingError("Dates must look like 2025-03-11.") from e
    if f and f.date_from and f.date_to and f.date_from > f.date_to:
        raise BriefingError("The 'from' date is after the 'to' date.")
    return f


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """`user:password` → Gradio's auth tuple."""
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise BriefingError("BRIEFING_AUTH must look like user:password.")
    return user, password


def _say(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


class WebChat:
    """The handlers behind the page, sharing one pipeline between all sessions."""

    def __init__(self, briefing: Briefing, settings: Settings) -> None:
        self.briefing = briefing
        self.settings = settings

    # ---- chat ----------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        messages: Messages,
        conv: Conversation,
        publishers: list[str] | None,
        date_from: str | None,
        date_to: str | None,
    ) -> Iterator[tuple[Any, Messages]]:
        """Stream one answer into the chat: the question at once, then text, then sources.

        The conversation is changed in place and never sent back as an output: a piece of a
        cleared answer that is still on its way must not bring the old conversation back.
        """
        messages = list(messages or [])
        question = question if isinstance(question, str) else ""
        if question.strip():
            messages.append({"role": "user", "content": question})
        messages.append(_say(render.streaming_html("")))
        at = len(messages) - 1
        yield "", messages
        final: Answer | None = None
        try:
            filters = parse_filters(publishers, date_from, date_to)
            partial, shown_at = "", 0.0
            reply = Reply(self.briefing.stream(question, history=conv.history, filters=filters))
            for piece in reply:
                if conv.closed:
                    return
                partial += piece
                if time.monotonic() - shown_at >= STREAM_EVERY_S and not conv.closed:
                    shown_at = time.monotonic()
                    messages[at] = _say(render.streaming_html(partial))
                    yield gr.skip(), messages
            if conv.closed:  # cleared while the answer arrived
                return
            final = reply.answer
        except BriefingError as e:
            messages[at] = _say(render.error_html(str(e)))
        except Exception:
            log.exception("answering failed")
            messages[at] = _say(render.error_html(OOPS))
        else:
            if final is None:
                messages[at] = _say(render.error_html(OOPS))
            else:
                messages[at] = _say(render.answer_html(final))
                conv.answers[at] = final
                conv.history += [
                    {"role": "user", "content": final.question},
                    {"role": "assistant", "content": final.text},
                ]
        if not conv.closed:  # a cleared conversation stays cleared
            yield gr.skip(), messages

    def close(self, conv: Conversation | None = None) -> None:
        """Stop an answer being written into this conversation (the first half of clearing)."""
        if conv is not None:
            conv.closed = True

    def clear(self, conv: Conversation | None = None) -> tuple[Messages, Conversation, str]:
        self.close(conv)
        return [], Conversation(), ""

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
    def panel(self) -> tuple[str, Any, Any]:
        """Document table, remove menu and publisher filter, read fresh from the index."""
        try:
            docs = self.briefing.documents()
        except Exception as e:
            log.exception("listing documents failed")
            return render.error_html(f"Cannot read the index: {e}"), gr.skip(), gr.skip()
        publishers = sorted({d.meta.publisher for d in docs if d.meta.publisher})
        return (
            render.documents_html(docs),
            gr.Dropdown(choices=[render.document_choice(d) for d in docs], value=None),
            gr.Dropdown(choices=publishers),
        )

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

    def remove(self, doc_id: str | None) -> tuple[Any, ...]:
        if not doc_id:
            return ("Choose a document to remove.", *self.panel())
        try:
            n = self.briefing.remove(doc_id)
        except Exception as e:
            log.exception("remove failed")
            return (render.error_html(f"Could not remove the document: {e}"), *self.panel())
        status = (
            f"Removed the document ({n} chunk{'s' if n != 1 else ''})."
            if n
            else "That document is already gone."
        )
        return (status, *self.panel())
