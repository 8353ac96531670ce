"""Errors whose message is fit to show a user as one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError


def first_error(e: ValidationError) -> tuple[str, str]:
    """Where (dotted field path, "" for the whole value) and what of pydantic's first problem:
    a user is shown one line to fix, not a dump of every field."""
    first = e.errors()[0]
    return ".".join(str(p) for p in first["loc"]), first["msg"]


class BriefingError(Exception):
    """Base class: the message is a complete sentence for the user, never a traceback."""


class IngestError(BriefingError):
    """A file could not be ingested; the rest of the batch goes on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class QuestionError(BriefingError):
    """The question cannot be asked as given (empty, unreadable)."""


class IndexUnavailable(BriefingError):
    """The vector store cannot be reached or opened."""


class ModelUnavailable(BriefingError):
    """The configured LLM failed in a way a retry will not fix (bad key, unknown model)."""
