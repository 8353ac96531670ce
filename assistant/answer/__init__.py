"""Answer generators: they get a question and retrieved passages, and return an `Answer`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from assistant.models import Answer, Passage

REFUSAL = "The indexed articles don't cover this."


class Generator(Protocol):
    name: str

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final `Answer`."""
        ...
