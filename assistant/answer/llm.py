"""Answers written by a chat model through a LangChain chain, checked against the passages.

context (numbered passages fitted to the budget) → prompt (prompts/system.md, prompts/answer.md)
→ chat model → grounding (markers, quotes, refusal, uncited claims) → the evidence check. Any
LangChain `BaseChatModel` works; `provider.make_chat_model` builds a `ChatOpenAI` for OpenAI or
any OpenAI-compatible server. Whatever goes wrong with the model call (an error, a stream that
ends with no text) ends in the offline answer with a notice; a bad key or an unknown model ends
in one clear line. A reply is read up to `max_answer_tokens` however long the server goes on,
and streamed text that may be the prompt coming back is never shown (echo.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from assistant.answer import REFUSAL, Generator
from assistant.answer.check import (
    ECHO_NOTICE,
    NOTHING_CITED_NOTICE,
    NOTHING_SUPPORTED_NOTICE,
    check_model_answer,
    grounded_at_all,
    is_echo,
)
from assistant.answer.condense import LLMCondenser
from assistant.answer.context import Context, build_context
from assistant.answer.echo import Instructions
from assistant.answer.grounding import CUT_SHORT_NOTICE, MarkerFilter, to_answer
from assistant.answer.prompts import PromptSet
from assistant.answer.provider import (
    MODEL_ERRORS,
    UNAVAILABLE_NOTICE,
    describe,
    for_condense,
    make_chat_model,
    model_name,
    raise_if_fatal,
    where,
)
from assistant.models import Answer, Passage, top_k
from assistant.settings import Settings
from assistant.stream import final_answer, with_answer
from assistant.text import count_tokens

__all__ = [
    "LENGTH_NOTICE",
    "MODEL_ERRORS",
    "UNAVAILABLE_NOTICE",
    "LLMGenerator",
    "build_llm",
    "describe",
    "make_chat_model",
    "model_name",
    "raise_if_fatal",
    "where",
]

log = logging.getLogger(__name__)

LENGTH_NOTICE = "The model's answer was cut short at the length limit ({n} tokens)."


def _grace(tokens: int) -> int:
    """Tokens read past the budget before the stream is cut: a server that honours max_tokens
    counts with its own tokenizer, and should end on its own first."""
    return max(8, tokens // 10)


class LLMGenerator:
    """The `Generator` protocol, answered by a chat model; falls back to `fallback` on failure."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        prompts: PromptSet,
        context_tokens: int,
        fallback: Generator,
        max_tokens: int = 400,
    ) -> None:
        self.model = chat_model
        self.prompts = prompts
        self.context_tokens = context_tokens
        self.fallback = fallback
        self.max_tokens = max_tokens
        self.name = f"llm:{model_name(chat_model)}"
        # OpenAI-compatible servers always end a complete stream with a finish reason.
        self._reports_finish = hasattr(chat_model, "openai_api_base")
        self.instructions = Instructions.of(prompts["system"], prompts["answer"])
        template = ChatPromptTemplate.from_messages(
            [("system", prompts["system"].template), ("human", prompts["answer"].template)]
        ).partial(refusal=REFUSAL)
        self.chain = template | chat_model

    @property
    def prompt_version(self) -> str:
        return self.prompts.version

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        return final_answer(self.stream(question, passages))

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text pieces as the model writes them (invalid markers and anything that may be the
        prompt held back), then the Answer."""
        version = self.prompts.version
        retrieved = [p.meta.doc_id for p in passages]
        # The model reads the top k; the passages past them are for the offline check's
        # disagreements only.
        context = build_context(top_k(passages), self.prompts["passage"], self.context_tokens)
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
        guard = self.instructions.guard()
        raw: list[str] = []
        finish = None
        emitted = cut = False
        used, limit = 0, self.max_tokens + _grace(self.max_tokens)
        failure: Exception | None = None
        chunks = self.chain.stream({"question": question, "passages": context.text})
        try:
            while True:
                try:
                    chunk = next(chunks)
                except StopIteration:
                    break
                except Exception as e:  # noqa: BLE001 - any failure of the call, e.g. LangChain's
                    failure = e  # "No generation chunks were returned" for a 200 with no text
                    break
                finish = chunk.response_metadata.get("finish_reason") or finish
                piece = chunk.text
                raw.append(piece)
                shown = markers.feed(guard.feed(piece))
                if shown:
                    emitted = True
                    yield shown
                used += count_tokens(piece)  # at least the true count: recount when past
                if used > limit and (used := count_tokens("".join(raw))) > limit:
                    cut = True  # the server ignores max_tokens: stop reading, don't wait
                    break
        finally:
            chunks.close()
        if failure is not None:
            raise_if_fatal(failure, self.model)
            log.warning(
                "model %s failed: %s; answering from quoted passages",
                model_name(self.model),
                describe(failure),
            )
            if emitted:
                yield "\n\n"
            yield from self._fall_back(question, passages)
            return
        if cut:
            log.warning(
                "model %s went past %d tokens (max_answer_tokens); the answer was cut there",
                model_name(self.model),
                self.max_tokens,
            )
        tail = markers.feed(guard.flush()) + markers.flush()
        if tail:
            emitted = True
            yield tail
        at_length = cut or finish == "length"
        finished = finish == "stop" if self._reports_finish else finish != "length"
        answer, replaced = self._check(question, "".join(raw), passages, context, finished)
        if at_length and answer.notice and CUT_SHORT_NOTICE in answer.notice:
            limit = LENGTH_NOTICE.format(n=self.max_tokens)
            answer = answer.model_copy(
                update={"notice": answer.notice.replace(CUT_SHORT_NOTICE, limit)}
            )
        if replaced:  # the surfaces that print the stream show what replaced the reply
            yield ("\n\n" if emitted else "") + answer.text
        yield answer

    def ground(
        self, question: str, raw: str, passages: list[Passage], finished: bool = True
    ) -> Answer:
        """The checked Answer for a reply the model gave to these passages (also used to
        re-check a cached reply after the grounding rules change)."""
        context = build_context(top_k(passages), self.prompts["passage"], self.context_tokens)
        return self._check(question, raw, passages, context, finished)[0]

    def _check(
        self, question: str, raw: str, passages: list[Passage], context: Context, finished: bool
    ) -> tuple[Answer, bool]:
        """The checked Answer, and whether the offline answer stands in for the reply."""
        base = dict(generator=self.name, prompt_version=self.prompts.version)
        # The offline reading of the same passages: its disagreements are added to the model's
        # answer, and it stands in for a reply that is not an answer.
        offline = self.fallback.answer(question, passages)
        if is_echo(raw, context.text) or self.instructions.leaks(raw):
            return self._quoted(offline, ECHO_NOTICE, raw), True
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
                return self._quoted(offline, why, raw, answer), True
        return answer.model_copy(update={"raw_reply": raw}), False

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
        def noticed(answer: Answer) -> Answer:
            notices = [n for n in (UNAVAILABLE_NOTICE, answer.notice) if n]
            return answer.model_copy(
                update={"notice": " ".join(notices), "prompt_version": self.prompts.version}
            )

        yield from with_answer(self.fallback.stream(question, passages), noticed)


def build_llm(
    settings: Settings,
    prompts: PromptSet,
    fallback: Generator,
    chat_model: BaseChatModel | None = None,
) -> tuple[LLMGenerator, LLMCondenser]:
    """The LLM generator and condenser sharing one chat model (built from settings if not
    given); the condenser's copy has condense's own short timeout, no retries, few tokens."""
    model = chat_model if chat_model is not None else make_chat_model(settings)
    generator = LLMGenerator(
        model, prompts, settings.context_tokens, fallback, settings.max_answer_tokens
    )
    return generator, LLMCondenser(for_condense(model, settings), prompts)
