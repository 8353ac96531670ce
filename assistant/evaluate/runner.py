"""Run every case through the real pipeline and score it.

With a corpus folder the run gets a fresh temporary index of exactly that folder (its own data
dir, embedded Chroma, BM25 side), so the user's index is never read or written.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.answer.condense import condense_rule_based
from assistant.errors import BriefingError
from assistant.evaluate.cache import (
    CachingCondenser,
    RecordingGenerator,
    ResponseCache,
    fingerprint,
    identity,
)
from assistant.evaluate.cases import Case, CaseFileError
from assistant.evaluate.metrics import CaseScore, quote_in, summarize
from assistant.evaluate.scoring import Documents, score_case, why
from assistant.resources import prompts_dir
from assistant.settings import Settings

__all__ = ["CACHE_FOLDER", "run_eval", "score_case", "unreachable", "why"]

Progress = Callable[[str, int, int], None]  # (what is happening, done, total)
CACHE_FOLDER = "eval-cache"


def _settings_used(s: Settings) -> dict[str, Any]:
    return {
        "refusal_threshold": s.refusal_threshold,
        "max_sentences": s.max_sentences,
        "chunk_tokens": s.chunk_tokens,
        "chunk_overlap": s.chunk_overlap,
        "dense_weight": s.dense_weight,
        "bm25_weight": s.bm25_weight,
        "rrf_k": s.rrf_k,
        "model": s.model if s.llm_enabled else None,
    }


def _check_sources(cases: list[Case], docs: Documents, cases_file: str, where: str) -> None:
    problems = [
        f"{c.where(cases_file)}: source {m!r} is not in {where}"
        for c in cases
        for m in docs.gold(c)[1]
    ]
    if problems:
        raise CaseFileError(
            "Some cases name sources that were not indexed:\n  " + "\n  ".join(problems[:12])
        )


def unreachable(cases: list[Case], docs: Documents) -> list[dict[str, Any]]:
    """must_include groups none of whose strings is in any gold source: an extractive answer
    can never satisfy them (a case-writing slip, or a fact that needs rewording)."""
    out = []
    for case in cases:
        gold = docs.gold(case)[0]
        for group in case.must_include:
            if not any(quote_in(s, docs.text(d)) for s in group for d in gold):
                out.append({"id": case.id, "line": case.line, "group": group})
    return out


def _ask_all(
    briefing: Any,
    cases: list[Case],
    k: int | None,
    settings: Settings,
    use_cache: bool,
    progress: Progress | None,
    cases_file: str,
    where: str,
) -> tuple[list[CaseScore], list[dict[str, Any]], RecordingGenerator, list[dict[str, Any]]]:
    docs = Documents(briefing)
    _check_sources(cases, docs, cases_file, where)
    not_in_sources = unreachable(cases, docs)
    llm = briefing.generator is not getattr(briefing, "extractive", None)
    cache = ResponseCache(settings.data_dir / CACHE_FOLDER) if llm else None
    prompts = getattr(getattr(briefing, "prompts", None), "version", None) or fingerprint(
        prompts_dir(settings.prompts_dir)
    )
    ident = identity(
        briefing.generator, f"{settings.model}@{settings.openai_base_url or 'openai'}", prompts
    )
    recorder = RecordingGenerator(briefing.generator, cache, ident, read_cache=use_cache)
    briefing.generator = recorder
    if cache is not None and getattr(briefing, "condenser", None) is not None:
        briefing.condenser = CachingCondenser(
            briefing.condenser, cache, ident, condense_rule_based, read_cache=use_cache
        )
    scores: list[CaseScore] = []
    records: list[dict[str, Any]] = []
    for done, case in enumerate(cases):
        if progress:
            progress(f"Asking {case.id}", done, len(cases))
        recorder.passages = []
        history = [t.model_dump() for t in case.history] or None
        t0 = time.perf_counter()
        answer = briefing.ask(case.question, history=history, k=k)
        latency = (time.perf_counter() - t0) * 1000
        retrieved = [p.meta.doc_id for p in recorder.passages] or list(answer.retrieved)
        score, record = score_case(
            case, answer, retrieved, docs, latency, [p.text for p in recorder.passages]
        )
        scores.append(score)
        records.append(record)
    if progress:
        progress("Scored", len(cases), len(cases))
    return scores, records, recorder, not_in_sources


def _folders(corpus: Path | Sequence[Path] | None) -> list[Path]:
    if corpus is None:
        return []
    if isinstance(corpus, Path):
        return [corpus]
    return list(dict.fromkeys(Path(c) for c in corpus))


@contextmanager
def open_briefing(
    settings: Settings,
    folders: list[Path],
    run: dict[str, Any],
    embeddings: Any = None,
    generator: Any = None,
    progress: Progress | None = None,
) -> Iterator[tuple[Any, str]]:
    """The `Briefing` an eval runs against, and how reports name it: a temporary index of
    exactly `folders` (the user's index untouched), or the user's index when none are given."""
    from assistant.pipeline import Briefing

    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        if not folders:
            yield Briefing(settings, embeddings=embeddings, generator=generator), "the index"
            return
        for folder in folders:
            if not folder.is_dir():
                raise BriefingError(f"The corpus folder {folder} does not exist.")
        run_settings = settings.model_copy(
            update={"data_dir": Path(tmp), "chroma_url": None, "collection": "eval-corpus"}
        )
        briefing = Briefing(run_settings, embeddings=embeddings, generator=generator)

        def indexing(name: str, done: int, total: int) -> None:
            if progress:
                progress(f"Indexing {Path(name).name}", done, total)

        ingest = briefing.ingest(folders, indexing)
        run["ingest_failed"] = [str(e) for e in ingest.failed]
        named = " or ".join(str(f) for f in folders)
        if not ingest.added:
            raise BriefingError(f"Nothing in {named} could be indexed.")
        yield briefing, f"the corpus {named}"


def run_eval(
    cases: list[Case],
    settings: Settings,
    *,
    corpus: Path | Sequence[Path] | None = None,
    k: int | None = None,
    use_cache: bool = True,
    embeddings: Any = None,
    generator: Any = None,
    progress: Progress | None = None,
    cases_file: str = "cases",
) -> dict[str, Any]:
    """The report of one run: `summary`, `generator`, `prompt_version`, `k`, `run`, `cases`.

    `corpus` is one folder or several: the temporary index holds their union, and a case's
    sources may be in any of them.

    The cache lives in the user's data dir even when the index is temporary, so a re-run
    of an LLM configuration costs nothing.
    """

    started = time.perf_counter()
    folders = _folders(corpus)
    run: dict[str, Any] = {
        "cases_file": cases_file,
        "corpus": [str(f) for f in folders] or None,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with open_briefing(settings, folders, run, embeddings, generator, progress) as (
        briefing,
        where,
    ):
        run["index_s"] = round(time.perf_counter() - started, 2)
        stats = briefing.stats()
        run["documents"] = stats.documents
        run["chunks"] = stats.chunks
        run["embeddings"] = stats.embeddings
        k_used = k or settings.k
        t_ask = time.perf_counter()
        scores, records, recorder, run["not_in_sources"] = _ask_all(
            briefing, cases, k, settings, use_cache, progress, cases_file, where
        )
        run["ask_s"] = round(time.perf_counter() - t_ask, 2)
    run["cache"] = (
        {"hits": recorder.cache.hits, "misses": recorder.cache.misses} if recorder.cache else None
    )
    run["settings"] = _settings_used(settings)
    run["wall_s"] = round(time.perf_counter() - started, 2)
    versions = [r.get("prompt_version") for r in records]
    summary = {
        key: round(v, 4) if isinstance(v, float) else v for key, v in summarize(scores).items()
    }
    return {
        "summary": summary,
        "generator": recorder.name,
        "prompt_version": next((v for v in versions if v), None)
        or getattr(recorder.inner, "prompt_version", None),
        "k": k_used,
        "run": run,
        "cases": records,
    }
