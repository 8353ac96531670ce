"""Vectors of stored text kept on disk by text hash, so no question encodes a sentence that an
earlier question (in this process or an earlier one) already encoded.

One append-only file of fixed-size records (16-byte BLAKE2b digest of the text, then the float32
vector). A record is appended with a single write; a record cut short by a crash is a tail
shorter than one record, ignored on reading and padded out by the next append, so the file never
has to be repaired.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

DIGEST = 16


def digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=DIGEST).digest()


class VectorCache:
    """Text → vector, backed by `path`; read on first use, appended to as texts are encoded."""

    def __init__(self, path: Path, dim: int) -> None:
        self.path = path
        self.dim = dim
        self._record = DIGEST + 4 * dim
        self._rows: dict[bytes, np.ndarray] | None = None
        self._size = 0  # bytes of the file already read
        self._lock = threading.Lock()

    def _read_new(self) -> None:
        """Records appended since the last read (by this process or another)."""
        assert self._rows is not None
        try:
            with open(self.path, "rb") as f:
                f.seek(self._size)
                data = f.read()
        except FileNotFoundError:
            return
        whole = len(data) - len(data) % self._record
        if not whole:
            return
        records = np.frombuffer(data[:whole], dtype=np.uint8).reshape(-1, self._record)
        vectors = records[:, DIGEST:].copy().view(np.float32)
        for key, vec in zip(records[:, :DIGEST], vectors, strict=True):
            self._rows[key.tobytes()] = vec
        self._size += whole

    def vectors(self, texts: list[str], encode: Callable[[list[str]], np.ndarray]) -> np.ndarray:
        """Vectors of `texts`, encoding only those never seen, in one call."""
        keys = [digest(t) for t in texts]
        with self._lock:
            if self._rows is None:
                self._rows = {}
                self._read_new()
            found = {k: self._rows[k] for k in keys if k in self._rows}
            missing = [i for i, k in enumerate(keys) if k not in found]
            if missing and os.path.exists(self.path):
                self._read_new()  # another process may have encoded them meanwhile
                found.update(
                    {keys[i]: self._rows[keys[i]] for i in missing if keys[i] in self._rows}
                )
                missing = [i for i in missing if keys[i] not in found]
        if missing:
            todo: dict[bytes, str] = {}
            for i in missing:
                todo.setdefault(keys[i], texts[i])
            fresh = np.asarray(encode(list(todo.values())), dtype=np.float32)
            with self._lock:
                blob = b"".join(
                    key + np.ascontiguousarray(vec, dtype=np.float32).tobytes()
                    for key, vec in zip(todo, fresh, strict=True)
                )
                self._append(blob)
                for key, vec in zip(todo, fresh, strict=True):
                    self._rows[key] = found[key] = vec
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = found[key]
        return out

    def _append(self, blob: bytes) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                torn = os.fstat(fd).st_size % self._record
                if torn:  # a record cut short by a crash: pad it out, keeping records aligned
                    blob = bytes(self._record - torn) + blob
                os.write(fd, blob)
            finally:
                os.close(fd)
        except OSError:
            return  # a read-only data dir: the vectors stay in memory for this process
