"""condense → retrieve → answer: the one entry point every surface (CLI, web, Slack) calls."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.answer import Generator
from assistant.answer.condense import condense_rule_based
from assistant.answer.extractive import ExtractiveGenerator
from assistant.answer.prompts import load_prompts
from assistant.errors import QuestionError
from assistant.index import DocSummary, Index
from assistant.ingest import Ingestor, IngestReport, Progress
from assistant.models import Answer, Filters
from assistant.resources import prompts_dir
from assistant.retrieve import Retriever
from assistant.settings import Settings
from assistant.stream import final_answer, with_answer
from assistant.text import normalize

if TYPE_CHECKING:
    from assistant.brief.build import Briefer
    from assistant.brief.models import Brief
    from assistant.sources.service import FeedsReport, Sources
    from assistant.sources.store import Feed

History = list[dict[str, str]]
# A question that touches the embedding model, the collection and the side index.
WARM_UP_QUESTION = "ceasefire negotiations"


@dataclass(frozen=True)
class Stats:
    """What `briefing stats` and the eval report say about the index behind a `Briefing`."""

    documents: int
    chunks: int
    store: str
    collection: str
    generator: str
    embeddings: str


def clean_question(question: Any, max_chars: int) -> tuple[str, str | None]:
    """The question ready to use, and a notice when it had to be trimmed."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    try:  # lone surrogates: undecodable bytes from a terminal, or a broken str from the API
        question.encode("utf-8")
    except UnicodeEncodeError as e:
        raise QuestionError(
            "The question contains bytes that are not valid text (UTF-8); please retype it."
        ) from e
    q = " ".join(normalize(question).split())
    if not q:
        raise QuestionError("Please type a question.")
    if len(q) > max_chars:
        return q[:max_chars], f"The question was trimmed to its first {max_chars} characters."
    return q, None


class Briefing:
    """The assistant: an index, a retriever and a generator built from one `Settings`."""

    def __init__(
        self,
        settings: Settings,
        index: Index | None = None,
        embeddings: Any = None,
        generator: Generator | None = None,
        chroma_client: Any = None,
        chat_model: Any = None,
        http_client: Any = None,
    ) -> None:
        self.settings = settings
        self.http_client = http_client  # an httpx.Client for pages and feeds (tests pass one)
        self._sources: Any = None
        # Checked at start, not mid-answer; from the package unless BRIEFING_PROMPTS_DIR is set.
        self.prompts = load_prompts(prompts_dir(settings.prompts_dir))
        if index is None:
            if embeddings is None:
                from assistant.embeddings import MiniLMEmbeddings

                embeddings = MiniLMEmbeddings(
                    batch_size=settings.embed_batch,
                    runtime=settings.encoder,
                    cache_dir=settings.models_dir,
                    ingest_precision=settings.ingest_precision,
                )
            index = Index(settings, embeddings, client=chroma_client)
        self.index = index
        self.retriever = Retriever(settings, index)
        self.ingestor = Ingestor(settings, index)
        self.extractive = ExtractiveGenerator(
            settings.refusal_threshold,
            settings.max_sentences,
            embed=index.embed,
            embed_stored=index.embed_stored,
        )
        self.condenser: Any = None
        if generator is None and (chat_model is not None or settings.llm_enabled):
            from assistant.answer.llm import build_llm

            generator, self.condenser = build_llm(
                settings, self.prompts, self.extractive, chat_model
            )
        self.generator: Generator = generator or self.extractive
        self._briefer: Briefer | None = None

    # ---- the index: what surfaces call instead of reaching into index/ingestor/retriever ----
    def ingest(self, paths: Iterable[Path], progress: Progress | None = None) -> IngestReport:
        """Files and folders into the index; unchanged files are skipped, failures reported."""
        return self.ingestor.ingest_paths(paths, progress)

    def ingest_bytes(
        self, items: list[tuple[str, bytes]], progress: Progress | None = None
    ) -> IngestReport:
        """Uploads as (file name, data) pairs; the name decides the format and is the source."""
        return self.ingestor.ingest_bytes(items, progress)

    def documents(self) -> list[DocSummary]:
        """The indexed documents, newest first, each with its number of chunks."""
        return self.index.documents()

    # ---- web pages and feeds (assistant/sources/) ------------------------------------------
    @property
    def sources(self) -> Sources:
        """Built on first use: answering needs no HTTP client."""
        if self._sources is None:
            from assistant.sources.service import Sources

            self._sources = Sources(self.settings, self.ingestor, client=self.http_client)
        return self._sources

    def ingest_urls(self, urls: Iterable[str], progress: Progress | None = None) -> IngestReport:
        """Fetch pages and ingest them like files: unchanged pages are not embedded again."""
        return self.sources.ingest_urls(urls, progress)

    def add_feed(self, url: str, name: str | None = None) -> tuple[Feed, int]:
        """Follow an RSS or Atom feed; returns it and how many items it lists now."""
        return self.sources.add_feed(url, name)

    def update_feeds(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> FeedsReport:
        """Fetch the new and changed items of every feed (or the named ones)."""
        return self.sources.update_feeds(names, progress)

    def feeds(self) -> list[Feed]:
        return self.sources.feeds()

    def remove_feed(self, name: str) -> int:
        """Stop following a feed (its documents stay); returns how many documents it brought."""
        return self.sources.remove_feed(name)

    def origins(self, docs: Iterable[DocSummary]) -> dict[str, str]:
        """doc id → 'file', 'url' or 'feed: NAME'."""
        feed_of = self.sources.store.feed_of()
        return {d.meta.doc_id: self.sources.origin(d.meta, feed_of) for d in docs}

    def document_text(self, doc_id: str) -> str:
        """A document's cleaned text, rebuilt from its chunks (citation offsets point into it)."""
        return self.index.document_text(doc_id)

    def remove(self, doc_id: str) -> int:
        """Remove a document (id or unique prefix) and bring the side index in step; returns
        the chunks removed, 0 when there was no such document."""
        n = self.index.remove(doc_id)
        if n:
            self.index.refresh_keyword()
        return n

    def stats(self) -> Stats:
        """Counts and where things live; reads every chunk's metadata once."""
        embeddings = self.index.embeddings
        return Stats(
            documents=len(self.index.documents()),
            chunks=self.index.count(),
            store=self.settings.chroma_url or str(self.settings.chroma_dir),
            collection=self.settings.collection,
            generator=self.generator.name,
            embeddings=getattr(embeddings, "name", type(embeddings).__name__),
        )

    def warm_up(self) -> int:
        """Load the embedding model and the side index now, not on the first question (retrieval
        only: a configured chat model is not called). Returns the chunks in the index, so a
        surface can warn that it is empty."""
        n = self.index.count()
        self.retriever.search(WARM_UP_QUESTION, k=1)
        return n

    # ---- answering -----------------------------------------------------------------------
    def condense(self, question: str, history: History | None) -> str:
        if history and self.condenser is not None:
            return self.condenser.condense(question, history)
        return condense_rule_based(question, history or [])

    def stream(
        self,
        question: Any,
        history: History | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final, citation-checked `Answer`."""
        t0 = time.perf_counter()
        q, notice = clean_question(question, self.settings.max_question_chars)
        standalone = self.condense(q, history)
        t1 = time.perf_counter()
        passages = self.retriever.search(
            standalone, k=k, filters=filters, others=self.settings.other_reports
        )
        t2 = time.perf_counter()

        def finish(answer: Answer) -> Answer:
            if answer.refused or answer.uncovered:
                from assistant import unanswered

                unanswered.record(
                    self.settings.unanswered_path, answer.model_copy(update={"question": q})
                )
            notices = [n for n in (notice, answer.notice) if n]
            if self.generator is not self.extractive and not answer.refused:
                # The model's answer is judged as the offline one is: what the articles say
                # is not known is shown beside it.
                unknown = self.extractive.unknown_notice(standalone, passages)
                notices += [unknown] if unknown else []
            return answer.model_copy(
                update={
                    "question": q,
                    "standalone_question": standalone if standalone != q else None,
                    "notice": " ".join(notices) or None,
                    "prompt_version": answer.prompt_version or self.prompts.version,
                    "timing_ms": {
                        "condense": (t1 - t0) * 1000,
                        "retrieve": (t2 - t1) * 1000,
                        "generate": (time.perf_counter() - t2) * 1000,
                        "total": (time.perf_counter() - t0) * 1000,
                    },
                }
            )

        yield from with_answer(self.generator.stream(standalone, passages), finish)

    # ---- briefs ----------------------------------------------------------------------------
    @property
    def briefer(self) -> Briefer:
        """Built on first use: answering alone never loads the brief modules."""
        if self._briefer is None:
            from assistant import unanswered
            from assistant.brief.build import Briefer

            writer = None
            if self.condenser is not None or self.generator is not self.extractive:
                from assistant.brief.writer import writer_for

                writer = writer_for(self.generator, self.prompts)
            path = self.settings.unanswered_path
            self._briefer = Briefer(
                self.retriever,
                self.index,
                writer,
                unanswered=lambda: unanswered.recent(path),
                vectors=self.extractive.sentence_vectors,
            )
        return self._briefer

    def brief_stream(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        publishers: tuple[str, ...] = (),
    ) -> Iterator[Brief]:
        """The brief on `topic` as it grows, section by section."""
        return self.briefer.stream(topic, since, until, publishers)

    def brief(
        self,
        topic: str,
        since: date | None = None,
        until: date | None = None,
        publishers: tuple[str, ...] = (),
    ) -> Brief:
        """A dated, cited brief on `topic` from the indexed articles."""
        return self.briefer.brief(topic, since, until, publishers)

    def ask(
        self,
        question: Any,
        history: History | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        """The final `Answer` of `stream`, for callers that show it whole."""
        return final_answer(self.stream(question, history, filters, k))
