"""The feeds followed and what each update learnt, in SQLite in the data folder.

SQLite because an update writes many small facts (a feed's ETag, each item's fingerprint and
document) and a crash or Ctrl+C must leave either the old or the new state of each, never a
torn file. Each write is one transaction; a connection is opened per call so the scheduled
updater's thread and a command can share the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from assistant.errors import BriefingError

SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
  name TEXT PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  etag TEXT,
  last_modified TEXT,
  added_at TEXT NOT NULL,
  checked_at TEXT,
  status TEXT NOT NULL DEFAULT 'never updated'
);
CREATE TABLE IF NOT EXISTS items (
  feed TEXT NOT NULL REFERENCES feeds(name) ON DELETE CASCADE,
  key TEXT NOT NULL,
  link TEXT NOT NULL,
  url TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  seen_at TEXT NOT NULL,
  PRIMARY KEY (feed, key)
);
CREATE INDEX IF NOT EXISTS items_url ON items(url);
"""


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    title: str
    etag: str | None
    last_modified: str | None
    added_at: str
    checked_at: str | None
    status: str
    items: int = 0


@dataclass(frozen=True)
class ItemState:
    key: str
    link: str
    url: str  # the document's URL (canonical), which may differ from the feed's link
    fingerprint: str
    doc_id: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class FeedStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction: committed on success, rolled back on any error."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.executescript(SCHEMA)
            with conn:
                yield conn

    def add(self, name: str, url: str, title: str = "") -> Feed:
        with self._db() as db:
            for column, value in (("name", name), ("url", url)):
                row = db.execute(f"SELECT name FROM feeds WHERE {column} = ?", (value,)).fetchone()
                if row:
                    raise BriefingError(f"Already following {value} (as {row[0]!r}).")
            db.execute(
                "INSERT INTO feeds (name, url, title, added_at) VALUES (?, ?, ?, ?)",
                (name, url, title, now()),
            )
        feed = self.get(name)
        assert feed is not None
        return feed

    def get(self, name: str) -> Feed | None:
        return next((f for f in self.all() if f.name == name), None)

    def all(self) -> list[Feed]:
        if not self.path.exists():
            return []
        with self._db() as db:
            rows = db.execute(
                "SELECT f.name, f.url, f.title, f.etag, f.last_modified, f.added_at,"
                " f.checked_at, f.status, COUNT(i.key) FROM feeds f"
                " LEFT JOIN items i ON i.feed = f.name GROUP BY f.name ORDER BY f.name"
            ).fetchall()
        return [Feed(*row) for row in rows]

    def remove(self, name: str) -> list[str]:
        """Stop following a feed; returns the doc ids its items had (the documents stay)."""
        with self._db() as db:
            docs = [r[0] for r in db.execute("SELECT doc_id FROM items WHERE feed = ?", (name,))]
            if not db.execute("DELETE FROM feeds WHERE name = ?", (name,)).rowcount:
                raise BriefingError(f"No feed named {name!r} (see `briefing feeds list`).")
        return docs

    def checked(
        self,
        name: str,
        status: str,
        title: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
    ) -> None:
        """Record an update's outcome; `validators` (ETag, Last-Modified) only when given, so a
        partly failed update asks for the whole feed again next time."""
        with self._db() as db:
            db.execute(
                "UPDATE feeds SET checked_at = ?, status = ?, title = COALESCE(?, title)"
                " WHERE name = ?",
                (now(), status, title, name),
            )
            if validators is not None:
                db.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ? WHERE name = ?",
                    (*validators, name),
                )

    def items(self, name: str) -> dict[str, ItemState]:
        with self._db() as db:
            rows = db.execute(
                "SELECT key, link, url, fingerprint, doc_id FROM items WHERE feed = ?", (name,)
            ).fetchall()
        return {row[0]: ItemState(*row) for row in rows}

    def record(self, name: str, states: Iterable[ItemState]) -> None:
        """What each item now is in the index, in one transaction."""
        with self._db() as db:
            db.executemany(
                "INSERT INTO items (feed, key, link, url, fingerprint, doc_id, seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed, key) DO UPDATE SET"
                " link = excluded.link, url = excluded.url, fingerprint = excluded.fingerprint,"
                " doc_id = excluded.doc_id, seen_at = excluded.seen_at",
                [(name, s.key, s.link, s.url, s.fingerprint, s.doc_id, now()) for s in states],
            )

    def feed_of(self) -> dict[str, str]:
        """Document URL (and feed link) → the name of a feed that brought it."""
        if not self.path.exists():
            return {}
        with self._db() as db:
            rows = db.execute("SELECT url, link, feed FROM items ORDER BY seen_at").fetchall()
        out: dict[str, str] = {}
        for url, link, feed in rows:
            out[url] = out[link] = feed
        return out
