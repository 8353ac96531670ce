"""Values that flow through the pipeline; `Answer` is what every surface renders and evals score."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

# A citation marker in `Answer.text`: "[n]" points at the citation numbered n. One to three
# digits, so "[2025]" in a quoted article is not one.
MARKER = re.compile(r"\[(\d{1,3})\]")


def yyyymmdd(d: date) -> int:
    """A date as the number 20250311: the store's metadata and filters compare numbers, not
    dates or strings."""
    return int(d.strftime("%Y%m%d"))


class DocMeta(BaseModel):
    """What we know about one cleaned document."""

    doc_id: str
    title: str
    published: date | None = None
    publisher: str = ""
    source: str = Field(description="Path or URL the document came from.")
    url: str | None = None

    @property
    def date_int(self) -> int:
        """YYYYMMDD as an int (0 when unknown): Chroma filters compare numbers, not strings."""
        return yyyymmdd(self.published) if self.published else 0


@dataclass(frozen=True)
class Filters:
    """Which articles a question may draw on: publishers and a publication-date range."""

    publishers: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(
        cls, publishers: Iterable[str] | None, date_from: str | None, date_to: str | None
    ) -> Filters | None:
        """Filters from what a person gave (ISO dates, an empty one is no bound), or None when
        nothing narrows the search. A date that is not ISO raises ValueError, which each
        surface words for its own users."""
        f = cls(
            tuple(publishers or ()),
            date.fromisoformat(date_from) if date_from else None,
            date.fromisoformat(date_to) if date_to else None,
        )
        return f if (f.publishers or f.date_from or f.date_to) else None

    def day_numbers(self) -> tuple[int | None, int | None]:
        """The date bounds as YYYYMMDD numbers (None where open), as the store compares them."""
        return (
            yyyymmdd(self.date_from) if self.date_from else None,
            yyyymmdd(self.date_to) if self.date_to else None,
        )

    def chroma_where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.publishers:
            clauses.append({"publisher": {"$in": list(self.publishers)}})
        lo, hi = self.day_numbers()
        if lo is not None:
            clauses.append({"date": {"$gte": lo}})
        if hi is not None:
            clauses.append({"date": {"$lte": hi}})
            clauses.append({"date": {"$gt": 0}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Document(BaseModel):
    meta: DocMeta
    text: str = Field(description="The cleaned text; chunk and citation offsets point into it.")


class Chunk(BaseModel):
    chunk_id: str
    doc_id: str
    index: int
    text: str
    start: int = Field(description="Offset of the chunk's first character in the cleaned text.")
    end: int


class Passage(BaseModel):
    """A retrieved chunk with its metadata and the scores that ranked it."""

    chunk_id: str
    text: str
    start: int
    end: int
    meta: DocMeta
    score: float = 0.0
    dense: float | None = Field(None, description="Cosine similarity to the question.")
    bm25: float | None = None
    wider: bool = Field(
        False,
        description="Found past the top k: read for other reports' values, not as an answer.",
    )


def top_k(passages: list[Passage]) -> list[Passage]:
    """The passages an answer may rest on: those found past the top k (`wider`) are read only
    for other reports' values of what it says."""
    return [p for p in passages if not p.wider]


class Citation(BaseModel):
    n: int
    doc_id: str
    chunk_id: str
    title: str
    publisher: str
    published: date | None
    source: str
    url: str | None = None
    quote: str = Field(description="Exact text of the cited sentence(s), as in the document.")
    start: int = Field(description="Offset of the quote in the cleaned document text.")
    end: int
    chunk_text: str = ""
    chunk_start: int = 0


class Side(BaseModel):
    """One source's value in a disagreement."""

    value: str = Field(description='The value this source gives, as written ("60-day").')
    n: int = Field(description="Citation number of the sentence that gives it.")
    publisher: str = ""
    published: date | None = None


class Disagreement(BaseModel):
    """Sources that give different values for the same thing.

    `kind` is "conflict" when the reports stand side by side, "update" when a newer report
    supersedes an older one (the newer side comes first).
    """

    about: str = Field(description="What the values are of, in a few words of the question.")
    kind: str = Field("conflict", description='"conflict" or "update".')
    sides: list[Side]


class Answer(BaseModel):
    question: str
    standalone_question: str | None = None
    text: str
    citations: list[Citation] = []
    refused: bool = False
    generator: str
    prompt_version: str | None = None
    notice: str | None = Field(None, description="Shown to the user beside the answer.")
    flagged: list[str] = Field(default_factory=list, description="Claims without a valid citation.")
    unsupported: list[str] = Field(
        default_factory=list,
        description="Model sentences removed because their names, numbers or dates are not in "
        "the passages they cite.",
    )
    uncovered: list[str] = Field(
        default_factory=list, description="Parts of the question the articles don't answer."
    )
    disagreements: list[Disagreement] = []
    as_of: date | None = Field(None, description="Publication date of the newest cited source.")
    raw_reply: str | None = Field(
        None, description="The model's reply before grounding (None for extractive answers)."
    )
    retrieved: list[str] = Field(default_factory=list, description="doc ids of retrieved passages.")
    timing_ms: dict[str, float] = {}
