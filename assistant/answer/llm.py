"""Answers written by a chat model through a LangChain chain, checked against the passages.

context (numbered passages fitted to the budget) → prompt (prompts/system.md, prompts/answer.md)
→ chat model → grounding (markers, quotes, refusal, uncited claims). Any LangChain
`BaseChatModel` works; `make_chat_model` builds a `ChatOpenAI` for OpenAI or any
OpenAI-compatible server. Failures a retry can fix end in the offline answer with a notice;
a bad key or an unknown model ends in one clear line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import openai
from langchain_core.exceptions import (
    ModelAuthenticationError,
    ModelError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate
from pydantic import SecretStr

from assistant.answer import REFUSAL, Generator
from assistant.answer.check import (
    ECHO_NOTICE,
    NOTHING_CITED_NOTICE,
    NOTHING_SUPPORTED_NOTICE,
    check_model_answer,
    grounded_at_all,
    is_echo,
)
from assistant.answer.context import Context, build_context
from assistant.answer.grounding import MarkerFilter, to_answer
from assistant.answer.prompts import PromptSet
from assistant.errors import ModelUnavailable
from assistant.models import Answer, Passage
from assistant.settings import Settings

log = logging.getLogger(__name__)

UNAVAILABLE_NOTICE = "The model was unavailable; showing quoted passages."
MODEL_ERRORS = (ModelError, openai.OpenAIError)


def make_chat_model(settings: Settings) -> BaseChatModel:
    """`ChatOpenAI` for OpenAI, or for any OpenAI-compatible server at `openai_base_url`.

    Retries (429, 5xx, timeouts; `Retry-After` honoured, exponential backoff otherwise) are the
    openai client's own, bounded by `llm_max_retries`.
    """
    from langchain_openai import ChatOpenAI

    key = settings.openai_api_key or SecretStr("not-needed")  # local servers ignore the key
    return ChatOpenAI(
        model=settings.model,
        base_url=settings.openai_base_url,
        api_key=key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
    )


def model_name(model: Any) -> str:
    return str(
        getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    )


def where(model: Any) -> str:
    """The server a model talks to, without any credentials or query string."""
    url = getattr(model, "openai_api_base", None) or "https://api.openai.com/v1"
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else "the model server"


def describe(exc: BaseException) -> str:
    """Type and HTTP status only: server messages can echo part of a key."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")


def raise_if_fatal(exc: BaseException, model: Any) -> None:
    """A failure no retry will fix becomes one line for the user; the rest return."""
    name, url = model_name(model), where(model)
    if isinstance(exc, ModelAuthenticationError | openai.AuthenticationError):
        raise ModelUnavailable(
            f"The model server at {url} refused the API key (HTTP 401); check OPENAI_API_KEY."
        ) from None
    if isinstance(exc, ModelPermissionDeniedError | openai.PermissionDeniedError):
        raise ModelUnavailable(
            f"The API key may not use model '{name}' at {url} (HTTP 403)."
        ) from None
    if isinstance(exc, ModelNotFoundError | openai.NotFoundError):
        raise ModelUnavailable(
            f"Model '{name}' was not found at {url} (HTTP 404); check "
            "BRIEFING_MODEL, and OPENAI_BASE_URL (it usually ends in /v1)."
        ) from None


class LLMGenerator:
    """The `Generator` protocol, answered by a chat model; falls back to `fallback` on failure."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts: PromptSet,
        context_tokens: int,
        fallback: Generator,
    ) -> None:
        self.model = chat_model
        self.prompts = prompts
        self.context_tokens = context_tokens
        self.fallback = fallback
        self.name = f"llm:{model_name(chat_model)}"
        # OpenAI-compatible servers always end a complete stream with a finish reason.
        self._reports_finish = hasattr(chat_model, "openai_api_base")
        template = ChatPromptTemplate.from_messages(
            [("system", prompts["system"].template), ("human", prompts["answer"].template)]
        ).partial(refusal=REFUSAL)
        self.chain = template | chat_model

    @property
    def prompt_version(self) -> str:
        return self.prompts.version

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        final = None
        for item in self.stream(question, passages):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text pieces as the model writes them (invalid markers held back), then the Answer."""
        version = self.prompts.version
        retrieved = [p.meta.doc_id for p in passages]
        context = build_context(passages, self.prompts["passage"], self.context_tokens)
        if not context.passages:  # nothing to answer from: no call
            yield REFUSAL
            yield Answer(
                question=question,
                text=REFUSAL,
                refused=True,
                generator=self.name,
                prompt_version=version,
                retrieved=retrieved,
            )
            return
        markers = MarkerFilter(len(context.passages))
        raw: list[str] = []
        finish = None
        emitted = False
        try:
            for chunk in self.chain.stream({"question": question, "passages": context.text}):
                finish = chunk.response_metadata.get("finish_reason") or finish
                piece = chunk.text
                raw.append(piece)
                shown = markers.feed(piece)
                if shown:
                    emitted = True
                    yield shown
        except MODEL_ERRORS as e:
            raise_if_fatal(e, self.model)
            log.warning(
                "model %s failed: %s; answering from quoted passages",
                model_name(self.model),
                describe(e),
            )
            if emitted:
                yield "\n\n"
            yield from self._fall_back(question, passages)
            return
        tail = markers.flush()
        if tail:
            yield tail
        finished = finish == "stop" if self._reports_finish else finish != "length"
        yield self._ground(question, "".join(raw), passages, context, finished)

    def ground(
        self, question: str, raw: str, passages: list[Passage], finished: bool = True
    ) -> Answer:
        """The checked Answer for a reply the model gave to these passages (also used to
        re-check a cached reply after the grounding rules change)."""
        context = build_context(passages, self.prompts["passage"], self.context_tokens)
        return self._ground(question, raw, passages, context, finished)

    def _ground(
        self, question: str, raw: str, passages: list[Passage], context: Context, finished: bool
    ) -> Answer:
        base = dict(generator=self.name, prompt_version=self.prompts.version)
        # The offline reading of the same passages: its disagreements are added to the model's
        # answer, and it stands in for a reply that is not an answer.
        offline = self.fallback.answer(question, passages)
        if is_echo(raw, context.text):
            return self._quoted(offline, ECHO_NOTICE, raw)
        answer = to_answer(
            question,
            raw,
            context.passages,
            retrieved=[p.meta.doc_id for p in passages],
            finished=finished,
            **base,
        )
        if not answer.refused:
            answer = check_model_answer(question, answer, context.passages, offline)
            if not grounded_at_all(answer):
                # Cited, but none of it held up: say so, rather than "cited nothing".
                why = NOTHING_SUPPORTED_NOTICE if answer.unsupported else NOTHING_CITED_NOTICE
                return self._quoted(offline, why, raw, answer)
        return answer.model_copy(update={"raw_reply": raw})

    def _quoted(
        self, offline: Answer, notice: str, raw: str, model_answer: Answer | None = None
    ) -> Answer:
        """The offline answer in place of a reply that is not an answer, saying why."""
        return offline.model_copy(
            update={
                "generator": self.name,
                "prompt_version": self.prompts.version,
                "notice": " ".join(x for x in (notice, offline.notice) if x),
                "flagged": model_answer.flagged if model_answer else [],
                "unsupported": model_answer.unsupported if model_answer else [],
                "raw_reply": raw,
            }
        )

    def _fall_back(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        for item in self.fallback.stream(question, passages):
            if isinstance(item, Answer):
                notices = [n for n in (UNAVAILABLE_NOTICE, item.notice) if n]
                yield item.model_copy(
                    update={"notice": " ".join(notices), "prompt_version": self.prompts.version}
                )
            else:
                yield item


def build_llm(
    settings: Settings,
    prompts: PromptSet,
    fallback: Generator,
    chat_model: BaseChatModel | None = None,
):
    """The LLM generator and condenser sharing one chat model (built from settings if not given)."""
    from assistant.answer.condense import LLMCondenser

    model = chat_model if chat_model is not None else make_chat_model(settings)
    return (
        LLMGenerator(model, prompts, settings.context_tokens, fallback),
        LLMCondenser(model, prompts),
    )
