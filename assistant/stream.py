"""Reading an answer stream: text pieces as they are produced, then the final `Answer`.

Generators, the pipeline and every surface speak `Iterator[str | Answer]`; the helpers here are
the one place that tells a piece from the answer, so a surface shows pieces as they come and a
layer that adds to the answer (a notice, timings) passes the text on untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from assistant.models import Answer

AnswerStream = Iterator[str | Answer]


class Reply:
    """One stream read once: iterate it for the text pieces; `answer` holds the final Answer
    once they are read (None if the stream ended without one)."""

    def __init__(self, stream: Iterable[str | Answer]) -> None:
        self._stream = stream
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        for item in self._stream:
            if isinstance(item, Answer):
                self.answer = item
            else:
                yield item


def final_answer(
    stream: Iterable[str | Answer], on_text: Callable[[str], object] | None = None
) -> Answer:
    """Read the stream to its end (handing each piece to `on_text`) and return its Answer."""
    reply = Reply(stream)
    for piece in reply:
        if on_text is not None:
            on_text(piece)
    assert reply.answer is not None, "the answer stream ended without an Answer"
    return reply.answer


def with_answer(stream: Iterable[str | Answer], change: Callable[[Answer], Answer]) -> AnswerStream:
    """The same stream with its Answer replaced by `change(answer)`, called when it arrives
    (so timings taken there include all the text before it)."""
    for item in stream:
        yield change(item) if isinstance(item, Answer) else item
