"""Reads of an embedded Chroma's own SQLite file, for the question path only.

A question needs two things of Chroma: the collection's generation (is the side index in step?)
and the texts and metadata of the passages it found. Through the client these cost importing
chromadb (~1.2 s of a cold `ask`), opening the collection, and 0.2–2 ms and 1–3 ms a question;
read from Chroma's SQLite file they are two indexed queries (0.05 and 0.2 ms). Only when the data
dir is Chroma's embedded store (not a `chroma run` server), read-only, and only while the file
has the layout of the Chroma this was written against (1.5: tables `collections`,
`collection_metadata`, `segments`, `embeddings`, `embedding_metadata`, `max_seq_id`,
`embeddings_queue`) and its metadata segment has applied every write in the log. Anything else
answers None, and the caller asks the client, as before.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCUMENT_KEY = "chroma:document"
METADATA_SEGMENT = "urn:chroma:segment/metadata/sqlite"
# Every chunk's 'doc_id' row in the collection's metadata segment.
_DOC_ROWS = (
    "embeddings e JOIN embedding_metadata m ON m.id = e.id "
    "WHERE e.segment_id = ? AND m.key = 'doc_id'"
)


class ChromaFile:
    """The collection `name` in the Chroma file `path`; every read answers None when it cannot
    be trusted to be what the client would say."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self._conn: sqlite3.Connection | None = None
        # collection id, its metadata segment, the pattern of its log topic
        self._ids: tuple[str, str, str] | None = None
        self._lock = threading.Lock()

    def _open(self) -> tuple[sqlite3.Connection, tuple[str, str, str]] | None:
        if self._conn is not None and self._ids is not None:
            return self._conn, self._ids
        if not self.path.exists():
            return None
        try:
            conn = sqlite3.connect(
                f"file:{self.path}?mode=ro", uri=True, check_same_thread=False, timeout=2.0
            )
            found = conn.execute(
                "SELECT c.id, s.id FROM collections c JOIN segments s ON s.collection = c.id "
                "WHERE c.name = ? AND s.type = ?",
                (self.name, METADATA_SEGMENT),
            ).fetchall()
            if len(found) != 1:
                conn.close()
                return None
            collection, segment = found[0]
        except sqlite3.Error:
            return None
        self._conn = conn
        self._ids = (collection, segment, f"%/{collection}")
        return self._conn, self._ids

    def generation(self) -> str | None:
        with self._lock:
            opened = self._open()
            if opened is None:
                return None
            conn, (collection, _, _) = opened
            try:
                rows = conn.execute(
                    "SELECT str_value FROM collection_metadata "
                    "WHERE collection_id = ? AND key = 'generation'",
                    (collection,),
                ).fetchall()
            except sqlite3.Error:
                return None
        return rows[0][0] if rows and rows[0][0] else None

    def _applied_read(
        self, read: Callable[[sqlite3.Connection, str], list[Any]]
    ) -> list[Any] | None:
        """`read(connection, metadata segment)` once the file has applied every logged write;
        None when the file cannot be read or trusted."""
        with self._lock:
            opened = self._open()
            if opened is None:
                return None
            conn, (_, segment, topic) = opened
            try:
                return read(conn, segment) if self._applied(conn, segment, topic) else None
            except sqlite3.Error:
                return None

    def records(self, ids: list[str]) -> dict[str, tuple[str, dict[str, Any]]] | None:
        """chunk id → (text, metadata) of the ids present, as `collection.get` gives them."""
        marks = ",".join("?" * len(ids))
        rows = self._applied_read(
            lambda conn, segment: conn.execute(
                "SELECT e.embedding_id, m.key, m.string_value, m.int_value, m.float_value, "
                "m.bool_value FROM embeddings e JOIN embedding_metadata m ON m.id = e.id "
                f"WHERE e.segment_id = ? AND e.embedding_id IN ({marks})",
                (segment, *ids),
            ).fetchall()
        )
        if rows is None:
            return None
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for cid, key, text, number, real, flag in rows:
            doc, meta = out.get(cid, ("", {}))
            if key == DOCUMENT_KEY:
                doc = text or ""
            elif text is not None:
                meta[key] = text
            elif number is not None:
                meta[key] = number
            elif real is not None:
                meta[key] = real
            elif flag is not None:
                meta[key] = bool(flag)
            out[cid] = (doc, meta)
        return out

    def first_chunks(self, keys: tuple[str, ...]) -> list[tuple[dict[str, Any], int]] | None:
        """Per document: the `keys` of its first-written chunk, and how many chunks it has, in
        two grouped queries (the client's paged `get` reads ~7,000 rows a second).

        Only string metadata is read: the document fields are strings."""
        marks = ",".join("?" * len(keys))

        def read(conn: sqlite3.Connection, segment: str) -> list[Any]:
            grouped = conn.execute(
                f"SELECT min(m.id), count(*) FROM {_DOC_ROWS} GROUP BY m.string_value",
                (segment,),
            ).fetchall()
            rows = conn.execute(
                "SELECT id, key, string_value FROM embedding_metadata WHERE id IN "
                f"(SELECT min(m.id) FROM {_DOC_ROWS} GROUP BY m.string_value) "
                f"AND key IN ({marks})",
                (segment, *keys),
            ).fetchall()
            return [grouped, rows]

        got = self._applied_read(read)
        if got is None:
            return None
        grouped, rows = got
        metas: dict[int, dict[str, Any]] = {i: {} for i, _ in grouped}
        for i, key, text in rows:
            if text is not None:
                metas[i][key] = text
        return [(metas[i], n) for i, n in grouped]

    @staticmethod
    def _applied(conn: sqlite3.Connection, segment: str, topic: str) -> bool:
        """Has the metadata segment applied every write of the collection's log?"""
        done = conn.execute("SELECT seq_id FROM max_seq_id WHERE segment_id = ?", (segment,))
        done_rows = done.fetchall()
        last = conn.execute("SELECT max(seq_id) FROM embeddings_queue WHERE topic LIKE ?", (topic,))
        last_rows = last.fetchall()
        applied = done_rows[0][0] if done_rows else None
        logged = last_rows[0][0] if last_rows else None
        if logged is None:
            return True
        return isinstance(applied, int) and applied >= logged

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            self._ids = None
