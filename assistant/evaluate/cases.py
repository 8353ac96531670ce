"""Eval cases: one JSON object a line, checked on load so a typo fails with its line number."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assistant.errors import BriefingError, first_error

# At most this many problems are listed; a broken file usually breaks the same way many times.
MAX_LISTED = 12


class CaseFileError(BriefingError):
    """The cases file cannot be used; the message names every bad line (up to MAX_LISTED)."""


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class Case(BaseModel):
    """One reference question. `must_include` groups: any string of a group satisfies it.

    `category` is a free label for grouping failures (plain, conflict, superseded, …);
    `conflict` says the sources disagree, so a good answer flags it; `superseded` lists older
    values a newer report replaced, which an answer must not give as the current one.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    reference: str = ""
    must_include: list[list[str]] = []
    sources: list[str] = []
    answerable: bool
    history: list[Turn] = []
    category: str = ""
    conflict: bool = False
    superseded: list[str] = []
    line: int = Field(0, exclude=True, description="Line in the cases file, for messages.")

    @field_validator("question")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("the question is blank")
        return v

    @field_validator("must_include")
    @classmethod
    def _groups(cls, groups: list[list[str]]) -> list[list[str]]:
        for i, group in enumerate(groups):
            if not group:
                raise ValueError(f"group {i + 1} is empty")
            if any(not s.strip() for s in group):
                raise ValueError(f"group {i + 1} has a blank string")
        return groups

    @field_validator("sources")
    @classmethod
    def _sources(cls, sources: list[str]) -> list[str]:
        if any(not s.strip() for s in sources):
            raise ValueError("a source is blank")
        return sources

    @field_validator("superseded")
    @classmethod
    def _superseded(cls, values: list[str]) -> list[str]:
        if any(not s.strip() for s in values):
            raise ValueError("a superseded value is blank")
        return values

    @field_validator("category")
    @classmethod
    def _category(cls, v: str) -> str:
        return v.strip()

    @model_validator(mode="after")
    def _consistent(self) -> Case:
        if self.answerable and not self.must_include:
            raise ValueError("an answerable case needs at least one must_include group")
        if self.answerable and not self.sources:
            raise ValueError("an answerable case needs at least one source")
        if not self.answerable and self.must_include:
            raise ValueError("an unanswerable case cannot have must_include groups")
        if not self.answerable and self.conflict:
            raise ValueError("an unanswerable case cannot have conflict: true")
        if not self.answerable and self.superseded:
            raise ValueError("an unanswerable case cannot have superseded values")
        return self

    def where(self, path: Path | str) -> str:
        return f"{path} line {self.line} (case {self.id})"


def _problem(e: ValidationError) -> str:
    loc, msg = first_error(e)
    msg = msg.removeprefix("Value error, ")
    return f"{loc}: {msg}" if loc else msg


def parse_cases(text: str, name: str = "cases") -> list[Case]:
    """Cases from JSONL text; raises CaseFileError listing every bad line."""
    cases: list[Case] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            problems.append(f"{name} line {number}: not valid JSON ({e.msg}, column {e.colno})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{name} line {number}: expected a JSON object")
            continue
        if "line" in obj:
            problems.append(f"{name} line {number}: unknown field 'line'")
            continue
        try:
            case = Case.model_validate({**obj, "line": number})
        except ValidationError as e:
            problems.append(f"{name} line {number}: {_problem(e)}")
            continue
        if case.id in seen:
            problems.append(
                f"{name} line {number}: id {case.id!r} already used on line {seen[case.id]}"
            )
            continue
        seen[case.id] = number
        cases.append(case)
    if problems:
        more = len(problems) - MAX_LISTED
        listed = problems[:MAX_LISTED] + ([f"... and {more} more"] if more > 0 else [])
        raise CaseFileError("The cases file has problems:\n  " + "\n  ".join(listed))
    if not cases:
        raise CaseFileError(f"{name} has no cases.")
    return cases


def load_cases(path: Path) -> list[Case]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise CaseFileError(f"No cases file at {path}.") from e
    except (OSError, UnicodeDecodeError) as e:
        raise CaseFileError(f"Cannot read {path}: {e}") from e
    return parse_cases(text, str(path))
