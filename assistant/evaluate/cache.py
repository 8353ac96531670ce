"""Model answers cached on disk, so re-running the evals over unchanged prompts costs nothing.

The key holds everything that decides an LLM's answer: generator, model, prompt version, a
fingerprint of the prompt files (a prompt edited without a version bump still misses), the
question and the exact passages. The offline extractive answerer is never cached: it is local
and quick, and a cached copy would hide a change to its code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.answer import Generator
from assistant.models import Answer, Passage


def fingerprint(folder: Path | None) -> str | None:
    """A digest of every file under a prompts folder (None when there is none)."""
    if folder is None or not folder.is_dir():
        return None
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def identity(generator: Generator, model: str | None, prompts: str | None) -> dict[str, Any]:
    """What decides a generator's answers besides its input. `model` is the configured model
    name (plus endpoint); the generator's own `model` and `prompt_version`, when it has them,
    are included as well."""
    own = getattr(generator, "model", None)
    version = getattr(generator, "prompt_version", None)
    return {
        "generator": generator.name,
        "model": model,
        "generator_model": own if isinstance(own, str) else None,
        "prompt_version": version if isinstance(version, str) else None,
        "prompts": prompts,
    }


class ResponseCache:
    """One JSON file per answer under `folder`, named by the key's digest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @staticmethod
    def key(ident: dict[str, Any], question: str, passages: list[Passage]) -> str:
        payload = {
            **ident, "question": question,
            "passages": [[p.chunk_id, p.start, p.text, p.meta.model_dump(mode="json")]
                         for p in passages],
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(blob).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Answer | None:
        try:
            return Answer.model_validate_json(self._path(key).read_bytes())
        except (OSError, ValidationError, ValueError):
            return None  # missing or unreadable: ask again

    def put(self, key: str, answer: Answer) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(answer.model_dump_json(), encoding="utf-8")
        tmp.replace(path)


class RecordingGenerator:
    """Wraps the pipeline's generator: notes the passages each question got, and serves and
    stores answers through the cache when one is given."""

    def __init__(self, inner: Generator, cache: ResponseCache | None = None,
                 model: str | None = None, prompts: str | None = None,
                 read_cache: bool = True) -> None:
        self.inner = inner
        self.cache = cache
        self.read_cache = read_cache
        self.ident = identity(inner, model, prompts)
        self.passages: list[Passage] = []
        self.hits = 0
        self.misses = 0

    @property
    def name(self) -> str:
        return self.inner.name

    def _cached(self, question: str) -> tuple[str | None, Answer | None]:
        if self.cache is None:
            return None, None
        key = ResponseCache.key(self.ident, question, self.passages)
        found = self.cache.get(key) if self.read_cache else None
        if found is not None:
            self.hits += 1
        else:
            self.misses += 1
        return key, found

    def _store(self, key: str | None, answer: Answer) -> None:
        # An answer from a fallback (another generator stepped in) is not this model's answer.
        if self.cache is not None and key is not None and answer.generator == self.inner.name:
            self.cache.put(key, answer)

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        self.passages = list(passages)
        key, found = self._cached(question)
        if found is not None:
            return found
        answer = self.inner.answer(question, passages)
        self._store(key, answer)
        return answer

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        self.passages = list(passages)
        key, found = self._cached(question)
        if found is not None:
            yield found.text
            yield found
            return
        for item in self.inner.stream(question, passages):
            if isinstance(item, Answer):
                self._store(key, item)
            yield item
