"""The log of questions the articles did not answer: what a brief lists under its gaps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from assistant import feedback
from assistant.models import Answer

MAX_READ = 500  # the newest entries a brief looks through


def record(path: Path, answer: Answer) -> None:
    """Note a refused question (a whole refusal, or parts the articles don't cover)."""
    if not (answer.refused or answer.uncovered):
        return
    feedback.append(
        path,
        {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "question": answer.question,
            "uncovered": answer.uncovered,
        },
    )


def recent(path: Path) -> list[tuple[str, date]]:
    """(question, day asked) of the newest refusals, newest first."""
    out = []
    for entry in reversed(feedback.read(path)[-MAX_READ:]):
        try:
            asked = datetime.fromisoformat(entry["time"]).date()
            out.append((str(entry["question"]), asked))
        except (KeyError, TypeError, ValueError):
            continue
    return out
