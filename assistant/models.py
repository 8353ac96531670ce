"""Values that flow through the pipeline; `Answer` is what every surface renders and evals score."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


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
        return int(self.published.strftime("%Y%m%d")) if self.published else 0


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
    retrieved: list[str] = Field(default_factory=list, description="doc ids of retrieved passages.")
    timing_ms: dict[str, float] = {}
