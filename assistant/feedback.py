"""The feedback log: one JSON line per 👍/👎, shared by the web chat and Slack."""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from assistant.models import Answer


def record(
    path: Path,
    answer: Answer,
    rating: Literal["up", "down"],
    surface: str,
    comment: str | None = None,
    user: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Append one entry to the feedback log."""
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "surface": surface,
        "rating": rating,
        "comment": comment or None,
        "user": user,
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "citations": [c.model_dump(mode="json", exclude={"chunk_text"}) for c in answer.citations],
        "prompt_version": answer.prompt_version,
        "generator": answer.generator,
        **(extra or {}),
    }
    append(path, entry)
    return entry


def append(path: Path, entry: dict[str, Any]) -> None:
    """One JSON line onto a log; concurrent writers never interleave (one locked O_APPEND
    write), and a line cut short earlier does not swallow this one."""
    line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a line cut short earlier must not swallow this one
        os.write(fd, line)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def read(path: Path) -> list[dict[str, Any]]:
    """Entries in order; a line cut short by a power loss is skipped, not fatal."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries
