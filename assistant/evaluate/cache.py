"""Model responses cached on disk, so re-running the evals over unchanged prompts costs nothing.

The key holds everything that decides a model's response: generator, model and endpoint, prompt
version (which includes a digest of the prompt files, so an edit without a version bump still
misses), and the exact input: question and passages for answers, question and history for
condensed follow-ups. The offline extractive answerer is never cached: it is local and quick,
and a cached copy would hide a change to its code.

For a generator that can ground a stored reply (`ground(question, raw, passages, finished)`,
as the LLM generator does), the cache holds the model's raw reply, not the finished Answer:
a cached rerun grounds it again, so a change to grounding or the support check shows without
a model call. A generator without `ground` (a test double) has its Answer stored as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from assistant.answer import Generator
from assistant.answer.condense import refers_back
from assistant.models import Answer, Passage
from assistant.stream import with_answer

T = TypeVar("T")


def fingerprint(folder: Path | None) -> str | None:
    """A digest of every file under a prompts folder (None when there is none)."""
    if folder is None or not folder.is_dir():
        return None
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f.relative_to(folder).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def identity(generator: Generator, model: str | None, prompts: str | None) -> dict[str, Any]:
    """What decides a generator's responses besides its input."""
    version = getattr(generator, "prompt_version", None)
    return {
        "generator": generator.name,
        "model": model,
        "prompts": prompts,
        "prompt_version": version if isinstance(version, str) else None,
    }


class ResponseCache:
    """One JSON file per response under `folder`, named by the digest of its key."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(ident: dict[str, Any], kind: str, payload: Any) -> str:
        blob = json.dumps(
            {**ident, "kind": kind, "input": payload},
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        ).encode()
        return hashlib.sha256(blob).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, parse: Callable[[dict[str, Any]], T | None]) -> T | None:
        """The stored entry, through `parse`; missing, unreadable and unparsable entries
        (`parse` returns None: an older format, say) are misses."""
        try:
            found = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            found = None  # missing or unreadable: ask again
        value = parse(found) if isinstance(found, dict) else None
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)


def _passages_key(passages: list[Passage]) -> list[Any]:
    return [[p.chunk_id, p.start, p.text, p.meta.model_dump(mode="json")] for p in passages]


class RecordingGenerator:
    """Wraps the pipeline's generator: notes the passages each question got, and serves and
    stores answers through the cache when one is given."""

    def __init__(
        self,
        inner: Generator,
        cache: ResponseCache | None = None,
        ident: dict[str, Any] | None = None,
        read_cache: bool = True,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.read_cache = read_cache
        self.ident = ident or {}
        self.passages: list[Passage] = []

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def grounds(self) -> bool:
        """The inner generator can turn a stored raw reply into an Answer."""
        return callable(getattr(self.inner, "ground", None))

    def _parse(self, question: str) -> Callable[[dict[str, Any]], Answer | None]:
        def parse(found: dict[str, Any]) -> Answer | None:
            if self.grounds:
                raw, finished = found.get("raw"), found.get("finished", True)
                if not isinstance(raw, str) or not isinstance(finished, bool):
                    return None  # an Answer stored by an older version: ask again
                ground = self.inner.ground  # type: ignore[attr-defined]
                return ground(question, raw, list(self.passages), finished)
            try:
                return Answer.model_validate(found)
            except ValidationError:
                return None

        return parse

    def _lookup(self, question: str) -> tuple[str | None, Answer | None]:
        if self.cache is None:
            return None, None
        key = ResponseCache.key(self.ident, "answer", [question, _passages_key(self.passages)])
        if not self.read_cache:
            self.cache.misses += 1
            return key, None
        return key, self.cache.get(key, self._parse(question))

    def _store(self, key: str | None, answer: Answer) -> None:
        # An answer from a fallback (another generator stepped in) is not this model's answer.
        if self.cache is None or key is None or answer.generator != self.inner.name:
            return
        if not self.grounds:
            self.cache.put(key, answer.model_dump(mode="json"))
        elif answer.raw_reply is not None:  # None: no model call was made
            cut = bool(answer.notice and "cut short" in answer.notice.lower())
            self.cache.put(key, {"raw": answer.raw_reply, "finished": not cut})

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        self.passages = list(passages)
        key, found = self._lookup(question)
        if found is not None:
            return found
        answer = self.inner.answer(question, passages)
        self._store(key, answer)
        return answer

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        self.passages = list(passages)
        key, found = self._lookup(question)
        if found is not None:
            yield found.text
            yield found
            return

        def stored(answer: Answer) -> Answer:
            self._store(key, answer)
            return answer

        yield from with_answer(self.inner.stream(question, passages), stored)


class CachingCondenser:
    """Wraps a model condenser (`.condense(question, history) -> str`) with the same cache.

    A rewrite equal to the rule-based one is likely the fallback after a model failure, and is
    not stored; a question left as it was is stored (the fallback would leave it so too).
    """

    def __init__(
        self,
        inner: Any,
        cache: ResponseCache,
        ident: dict[str, Any],
        rule_based: Callable[[str, list[dict[str, str]]], str],
        read_cache: bool = True,
    ) -> None:
        self.inner = inner
        self.cache = cache
        self.ident = ident
        self.rule_based = rule_based
        self.read_cache = read_cache

    def condense(self, question: str, history: list[dict[str, str]]) -> str:
        if not refers_back(question):
            return question  # stands on its own: the model is not asked, nothing to cache
        key = ResponseCache.key(self.ident, "condense", [question, history])
        if self.read_cache:
            found = self.cache.get(key, _standalone)
            if found is not None:
                return found
        else:
            self.cache.misses += 1
        out = self.inner.condense(question, history)
        if out == question or out != self.rule_based(question, history):
            self.cache.put(key, {"standalone": out})
        return out


def _standalone(found: dict[str, Any]) -> str | None:
    value = found.get("standalone")
    return value if isinstance(value, str) else None
