"""What a brief is made of; `Brief` is what every surface renders and the brief evals score."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from assistant.models import Citation, Disagreement


class Line(BaseModel):
    """One line of a brief: quoted (offline) or written (model) text with its citations."""

    text: str = Field(description="The line as shown, with [n] markers.")
    cites: list[int] = []
    when: str | None = Field(None, description="Timeline: the date as shown ('March 2025').")
    first: date | None = Field(None, description="Timeline: the first day the date can mean.")
    last: date | None = None
    actor: str | None = Field(None, description="Positions: who said it.")


class BriefSource(BaseModel):
    n: list[int] = Field(description="Citation numbers that quote this article.")
    doc_id: str
    title: str
    publisher: str
    published: date | None
    source: str
    url: str | None = None


class Brief(BaseModel):
    topic: str
    since: date | None = None
    until: date | None = None
    publishers: list[str] = []
    covered: bool = True
    message: str | None = Field(None, description="Why there is no brief, or a notice.")
    as_of: date | None = Field(None, description="Publication date of the newest source used.")
    bottom_line: list[Line] = []
    timeline: list[Line] = []
    positions: list[Line] = []
    disagreements: list[Disagreement] = []
    disagreement_lines: list[Line] = []
    gaps: list[str] = []
    sources: list[BriefSource] = []
    citations: list[Citation] = []
    generator: str = "extractive"
    unsupported: list[str] = Field(
        default_factory=list, description="Model lines dropped because no source supports them."
    )
    timing_ms: dict[str, float] = {}

    def lines(self) -> list[Line]:
        """Every cited line, section by section (what citation checks go through)."""
        return self.bottom_line + self.timeline + self.positions + self.disagreement_lines
