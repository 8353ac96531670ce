"""Conversations kept per user in one SQLite file in the data dir, so a reload loses nothing.

An owner is a login name (`user:<name>`) or a random id the browser keeps (`browser:<id>`); every
query names its owner, so one person can never read, rename or delete another's conversations.
Each change is one transaction in WAL mode with full syncs: a crash leaves the file as it was
before or after the change, never half of one.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.models import Answer

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  title TEXT NOT NULL,
  created REAL NOT NULL,
  updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations(owner, updated);
CREATE TABLE IF NOT EXISTS turns (
  conversation TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  turn TEXT NOT NULL,
  PRIMARY KEY (conversation, seq)
);
"""
TITLE_CHARS = 80


@dataclass
class Turn:
    """One question and what came back: a finished answer, the words written before Stop, an
    error message, or the note that the filters matched no document."""

    question: str
    status: str = "answered"  # answered | stopped | error | nomatch
    answer: Answer | None = None
    text: str = ""  # the partial answer (stopped) or the message (error, nomatch)
    generator: str = ""  # who wrote a partial answer ("extractive" or "llm:…")
    filters: dict[str, object] = field(default_factory=dict)  # publishers, date_from, date_to

    def to_json(self) -> str:
        return json.dumps(
            {
                "question": self.question,
                "status": self.status,
                "answer": self.answer.model_dump(mode="json") if self.answer else None,
                "text": self.text,
                "generator": self.generator,
                "filters": self.filters,
            }
        )

    @classmethod
    def from_json(cls, raw: str) -> Turn:
        d = json.loads(raw)
        answer = Answer.model_validate(d["answer"]) if d.get("answer") else None
        return cls(
            question=d.get("question", ""),
            status=d.get("status", "answered"),
            answer=answer,
            text=d.get("text", ""),
            generator=d.get("generator", ""),
            filters=d.get("filters") or {},
        )

    @property
    def reply_text(self) -> str:
        """What the assistant said, as text (for follow-ups and exports)."""
        return self.answer.text if self.answer else self.text


@dataclass(frozen=True)
class Summary:
    id: str
    title: str
    updated: float


def title_for(question: str) -> str:
    """A conversation's first title: its first question on one line, shortened."""
    line = " ".join(question.split()) or "Untitled"
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


class ConversationStore:
    """Conversations and their turns in `<data dir>/conversations.sqlite3`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """One connection per call: handlers run on many threads, and SQLite locks the file."""
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=FULL")
            con.execute("PRAGMA foreign_keys=ON")
            if not self._ready:
                con.executescript(SCHEMA)
                self._ready = True
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()

    def create(self, owner: str, title: str) -> str:
        cid = secrets.token_hex(8)
        now = time.time()
        with self._db() as db:
            db.execute(
                "INSERT INTO conversations VALUES (?, ?, ?, ?, ?)",
                (cid, owner, title_for(title), now, now),
            )
        return cid

    def summaries(self, owner: str) -> list[Summary]:
        """The owner's conversations, the most recently changed first."""
        with self._db() as db:
            rows = db.execute(
                "SELECT id, title, updated FROM conversations WHERE owner = ? "
                "ORDER BY updated DESC, rowid DESC",
                (owner,),
            ).fetchall()
        return [Summary(*r) for r in rows]

    def title(self, owner: str, cid: str) -> str | None:
        with self._db() as db:
            row = db.execute(
                "SELECT title FROM conversations WHERE id = ? AND owner = ?", (cid, owner)
            ).fetchone()
        return row[0] if row else None

    def turns(self, owner: str, cid: str) -> list[Turn]:
        """The turns in order; none when the conversation is not the owner's."""
        with self._db() as db:
            rows = db.execute(
                "SELECT t.turn FROM turns t JOIN conversations c ON c.id = t.conversation "
                "WHERE c.id = ? AND c.owner = ? ORDER BY t.seq",
                (cid, owner),
            ).fetchall()
        return [Turn.from_json(r[0]) for r in rows]

    def append(self, owner: str, cid: str, turn: Turn) -> bool:
        """Add a turn at the end; False when the conversation is gone or not the owner's."""
        with self._db() as db:
            if not self._touch(db, owner, cid):
                return False
            (seq,) = db.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM turns WHERE conversation = ?", (cid,)
            ).fetchone()
            db.execute("INSERT INTO turns VALUES (?, ?, ?)", (cid, seq, turn.to_json()))
        return True

    def replace_last(self, owner: str, cid: str, turn: Turn) -> bool:
        """Put `turn` in place of the last one (a regenerated answer)."""
        with self._db() as db:
            if not self._touch(db, owner, cid):
                return False
            db.execute(
                "DELETE FROM turns WHERE conversation = ? AND seq = "
                "(SELECT MAX(seq) FROM turns WHERE conversation = ?)",
                (cid, cid),
            )
            (seq,) = db.execute(
                "SELECT COALESCE(MAX(seq), -1) + 1 FROM turns WHERE conversation = ?", (cid,)
            ).fetchone()
            db.execute("INSERT INTO turns VALUES (?, ?, ?)", (cid, seq, turn.to_json()))
        return True

    def rename(self, owner: str, cid: str, title: str) -> bool:
        title = title_for(title)
        with self._db() as db:
            cur = db.execute(
                "UPDATE conversations SET title = ? WHERE id = ? AND owner = ?",
                (title, cid, owner),
            )
        return cur.rowcount == 1

    def delete(self, owner: str, cid: str) -> bool:
        with self._db() as db:
            cur = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (cid, owner))
        return cur.rowcount == 1

    @staticmethod
    def _touch(db: sqlite3.Connection, owner: str, cid: str) -> bool:
        cur = db.execute(
            "UPDATE conversations SET updated = ? WHERE id = ? AND owner = ?",
            (time.time(), cid, owner),
        )
        return cur.rowcount == 1
