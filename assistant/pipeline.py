"""condense → retrieve → answer: the one entry point every surface (CLI, web, Slack) calls."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from assistant.answer import Generator
from assistant.answer.condense import condense_rule_based
from assistant.answer.extractive import ExtractiveGenerator
from assistant.answer.prompts import load_prompts
from assistant.errors import QuestionError
from assistant.index import Filters, Index
from assistant.ingest import Ingestor
from assistant.models import Answer
from assistant.resources import prompts_dir
from assistant.retrieve import Retriever
from assistant.settings import Settings
from assistant.text import normalize

History = list[dict[str, str]]


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
    ) -> None:
        self.settings = settings
        # Checked at start, not mid-answer; from the package unless BRIEFING_PROMPTS_DIR is set.
        self.prompts = load_prompts(prompts_dir(settings.prompts_dir))
        if index is None:
            if embeddings is None:
                from assistant.embeddings import MiniLMEmbeddings

                embeddings = MiniLMEmbeddings(batch_size=settings.embed_batch)
            index = Index(settings, embeddings, client=chroma_client)
        self.index = index
        self.retriever = Retriever(settings, index)
        self.ingestor = Ingestor(settings, index)
        self.extractive = ExtractiveGenerator(
            settings.refusal_threshold, settings.max_sentences, embed=index.embed
        )
        self.condenser: Any = None
        if generator is None and (chat_model is not None or settings.llm_enabled):
            from assistant.answer.llm import build_llm

            generator, self.condenser = build_llm(
                settings, self.prompts, self.extractive, chat_model
            )
        self.generator: Generator = generator or self.extractive

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
        passages = self.retriever.search(standalone, k=k, filters=filters)
        t2 = time.perf_counter()
        for item in self.generator.stream(standalone, passages):
            if isinstance(item, Answer):
                notices = [n for n in (notice, item.notice) if n]
                yield item.model_copy(
                    update={
                        "question": q,
                        "standalone_question": standalone if standalone != q else None,
                        "notice": " ".join(notices) or None,
                        "prompt_version": item.prompt_version or self.prompts.version,
                        "timing_ms": {
                            "condense": (t1 - t0) * 1000,
                            "retrieve": (t2 - t1) * 1000,
                            "generate": (time.perf_counter() - t2) * 1000,
                            "total": (time.perf_counter() - t0) * 1000,
                        },
                    }
                )
            else:
                yield item

    def ask(
        self,
        question: Any,
        history: History | None = None,
        filters: Filters | None = None,
        k: int | None = None,
    ) -> Answer:
        final = None
        for item in self.stream(question, history, filters, k):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final
