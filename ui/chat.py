"""Asking, stopping and regenerating: one answer streamed into the chat and stored with its turn.

The pipeline's stream is read on a worker thread, so Stop ends the answer at once even while the
model is silent; the words written so far are kept and marked as stopped.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import gradio as gr

from assistant.errors import BriefingError
from assistant.models import Answer, Filters
from assistant.pipeline import Briefing
from ui import followups, plain, render, turns
from ui.conversations import ConversationStore, Turn
from ui.session import Conversation

log = logging.getLogger(__name__)

Messages = list[dict[str, Any]]
# Pieces arriving faster than this are shown together: each update re-sends the message.
STREAM_EVERY_S = 0.05
POLL_S = 0.05  # how often a silent stream looks for Stop
OOPS = "Something went wrong while answering. The chat still works: please try again."
SUGGESTIONS = followups.MAX_SUGGESTIONS


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


def _say(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def _pump(stream: Iterable[str | Answer], out: queue.Queue, stop: threading.Event) -> None:
    """Read the stream into `out` until it ends or `stop` is set, then close it (a model
    connection is hung up rather than read to its end)."""
    try:
        for item in stream:
            out.put(("item", item))
            if stop.is_set():
                break
    except BaseException as e:  # handed to the reader, which reports it
        out.put(("error", e))
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            try:
                close()
            except Exception:
                log.exception("closing the answer stream failed")
        out.put(("end", None))


def suggestion_updates(answer: Answer | None) -> list[Any]:
    """The follow-up buttons under the chat: one per suggestion, the rest hidden."""
    qs = followups.suggest(answer)
    return [
        gr.Button(value=qs[i], visible=True) if i < len(qs) else gr.Button(visible=False)
        for i in range(SUGGESTIONS)
    ]


def no_suggestions() -> list[Any]:
    """The follow-up buttons hidden (another conversation is shown)."""
    return [gr.Button(visible=False)] * SUGGESTIONS


class ChatFlow:
    """Streams answers into a session's conversation and keeps each finished turn."""

    def __init__(self, briefing: Briefing, store: ConversationStore) -> None:
        self.briefing = briefing
        self.store = store

    def ask(
        self,
        question: str,
        messages: Messages,
        conv: Conversation,
        publishers: list[str] | None,
        date_from: str | None,
        date_to: str | None,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream one answer: the question at once, then text, then the answer with sources.

        Yields (question box, chat). The conversation is changed in place and never sent back:
        a piece of an answer from a conversation that was left must not bring it back.
        """
        question = question if isinstance(question, str) else ""
        try:
            filters: Filters | None | BriefingError = parse_filters(publishers, date_from, date_to)
        except BriefingError as e:
            filters = e
        yield from self._run(question, list(messages or []), conv, filters, replace=False)

    def regenerate(self, messages: Messages, conv: Conversation) -> Iterator[tuple[Any, ...]]:
        """The last question again, with the filters it was asked with, for a fresh answer."""
        if not conv.turns or conv.busy:  # nothing to redo, or an answer is being written
            yield gr.skip(), gr.skip()
            return
        last = conv.turns.pop()
        shown, conv.answers = self.shown(conv.turns)
        try:
            filters: Filters | None | BriefingError = plain.filters_of(last.filters)
        except ValueError:
            filters = None
        yield from self._run(last.question, shown, conv, filters, replace=True)

    def stop(self, conv: Conversation | None) -> None:
        """End the answer being written; what it said so far stays, marked as stopped."""
        if conv is not None:
            conv.stopping = True

    @staticmethod
    def shown(done: list[Turn]) -> tuple[Messages, dict[int, Answer]]:
        """The chat for stored turns, and which message holds which answer (for ratings)."""
        messages = turns.messages(done)
        answers: dict[int, Answer] = {}
        at = -1
        for t in done:
            at += 2 if t.question.strip() else 1
            if t.answer is not None:
                answers[at] = t.answer
        return messages, answers

    # ---- the one answer ------------------------------------------------------------------
    def _run(
        self,
        question: str,
        messages: Messages,
        conv: Conversation,
        filters: Filters | None | BriefingError,
        replace: bool,
    ) -> Iterator[tuple[Any, ...]]:
        conv.busy, conv.stopping = True, False
        try:
            yield from self._turn(question, messages, conv, filters, replace)
        finally:
            conv.busy = False

    def _turn(
        self,
        question: str,
        messages: Messages,
        conv: Conversation,
        filters: Filters | None | BriefingError,
        replace: bool,
    ) -> Iterator[tuple[Any, ...]]:
        if question.strip():
            messages.append({"role": "user", "content": turns.user_html(question)})
        messages.append(_say(render.streaming_html("")))
        at = len(messages) - 1
        yield "", messages
        turn = Turn(question=question)
        if isinstance(filters, BriefingError):
            turn.status, turn.text = "error", str(filters)
        else:
            turn.filters = plain.filters_value(filters)
            for shown in self._answer(turn, conv, filters):
                messages[at] = _say(shown)
                yield gr.skip(), messages
        if conv.closed:  # the conversation was left while the answer arrived
            return
        messages[at] = _say(turns.reply_html(turn))
        if turn.answer is not None:
            conv.answers[at] = turn.answer
        if question.strip():
            conv.turns.append(turn)
            self._keep(conv, turn, replace)
        yield gr.skip(), messages

    def _answer(self, turn: Turn, conv: Conversation, filters: Filters | None) -> Iterator[str]:
        """Fill `turn` from the pipeline, yielding the partial answer's HTML as it grows."""
        try:
            if filters is not None and (
                msg := plain.no_match_message(filters, self.briefing.documents())
            ):
                turn.status, turn.text = "nomatch", msg
                return
            markdown = self.briefing.generator.name.startswith("llm")
            turn.generator = self.briefing.generator.name
            out: queue.Queue = queue.Queue()
            stop = threading.Event()
            stream = self.briefing.stream(turn.question, history=conv.history, filters=filters)
            threading.Thread(target=_pump, args=(stream, out, stop), daemon=True).start()
            try:
                yield from self._read(out, stop, turn, conv, markdown)
            finally:
                stop.set()  # also when the page is gone: the model is hung up on
        except BriefingError as e:
            turn.status, turn.text = "error", str(e)
        except Exception:
            log.exception("answering failed")
            turn.status, turn.text = "error", OOPS

    @staticmethod
    def _read(
        out: queue.Queue, stop: threading.Event, turn: Turn, conv: Conversation, markdown: bool
    ) -> Iterator[str]:
        partial, shown_at = "", 0.0
        while True:
            if (conv.stopping or conv.closed) and turn.answer is None:
                stop.set()
                turn.status, turn.text = "stopped", partial
                return
            try:
                kind, item = out.get(timeout=POLL_S)
            except queue.Empty:
                continue
            if kind == "end":
                break
            if kind == "error":
                raise item
            if isinstance(item, Answer):
                turn.answer = item
                continue
            partial += item
            if time.monotonic() - shown_at >= STREAM_EVERY_S:
                shown_at = time.monotonic()
                yield render.streaming_html(partial, markdown=markdown)
        if turn.answer is None:
            turn.status, turn.text = "error", OOPS

    def _keep(self, conv: Conversation, turn: Turn, replace: bool) -> None:
        """Store the turn (a new conversation on its first question)."""
        if conv.owner is None:
            return
        try:
            if conv.id is None:
                conv.id = self.store.create(conv.owner, turn.question)
                self.store.append(conv.owner, conv.id, turn)
            elif replace:
                self.store.replace_last(conv.owner, conv.id, turn)
            else:
                self.store.append(conv.owner, conv.id, turn)
        except Exception:
            log.exception("the conversation could not be saved")

    def choices(self, owner: str) -> list[tuple[str, str]]:
        return [(s.title, s.id) for s in self.store.summaries(owner)]
