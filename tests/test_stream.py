"""The answer-stream helpers: pieces apart from the final Answer, and a layer that changes it."""

from __future__ import annotations

import pytest

from assistant.models import Answer
from assistant.stream import Reply, final_answer, with_answer


def _answer(text: str = "Done.") -> Answer:
    return Answer(question="q", text=text, generator="test")


def test_reply_gives_the_pieces_then_holds_the_answer() -> None:
    reply = Reply(iter(["Do", "ne.", _answer()]))
    assert reply.answer is None
    assert list(reply) == ["Do", "ne."]
    assert reply.answer == _answer()


def test_final_answer_hands_each_piece_on_and_returns_the_answer() -> None:
    seen: list[str] = []
    assert final_answer(["a ", "b", _answer("a b")], seen.append).text == "a b"
    assert seen == ["a ", "b"]
    with pytest.raises(AssertionError):
        final_answer(["no answer"])


def test_with_answer_changes_only_the_answer_when_it_arrives() -> None:
    calls: list[str] = []

    def change(a: Answer) -> Answer:
        calls.append(a.text)
        return a.model_copy(update={"notice": "n"})

    out = with_answer(iter(["x", _answer()]), change)
    assert next(out) == "x" and calls == []
    final = next(out)
    assert isinstance(final, Answer) and final.notice == "n" and calls == ["Done."]
