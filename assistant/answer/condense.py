"""Follow-ups made to stand on their own before retrieval: by rule offline, or by the chat model."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from assistant.text import terms

if TYPE_CHECKING:
    from assistant.answer.prompts import PromptSet

log = logging.getLogger(__name__)

_LEANS = re.compile(
    r"\b(it|its|they|them|their|that|this|those|these|there|he|she|his|her|him|the same|"
    r"what about|and what|how about|why|then|also)\b",
    re.IGNORECASE,
)


def needs_context(question: str) -> bool:
    return len(terms(question)) <= 3 or bool(_LEANS.search(question))


def condense_rule_based(question: str, history: list[dict[str, str]]) -> str:
    """Append the previous user question's key terms when the new one leans on it."""
    previous = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
    if not previous or not needs_context(question):
        return question
    new = {t for t in terms(question)}
    carried = [t for t in dict.fromkeys(terms(previous[-1])) if t not in new]
    return f"{question} ({' '.join(carried)})" if carried else question


class LLMCondenser:
    """Follow-ups rewritten by the chat model (prompts/condense.md); rule-based if it fails."""

    max_messages = 6  # the last three exchanges are enough to resolve "that" and "they"
    max_chars = 600  # per message: answers are long, their gist is at the start

    def __init__(self, chat_model: Any, prompts: PromptSet) -> None:
        from langchain_core.output_parsers import StrOutputParser
        from langchain_core.prompts import ChatPromptTemplate

        self.model = chat_model
        self.chain = (
            ChatPromptTemplate.from_messages([("human", prompts["condense"].template)])
            | chat_model
            | StrOutputParser()
        )

    def condense(self, question: str, history: list[dict[str, str]]) -> str:
        from assistant.answer.llm import MODEL_ERRORS, describe, model_name, raise_if_fatal

        turns = [
            m
            for m in history
            if m.get("role") in ("user", "assistant") and (m.get("content") or "").strip()
        ]
        if not turns:
            return question
        lines = [
            f"{'User' if m['role'] == 'user' else 'Assistant'}: "
            f"{_clip(m['content'], self.max_chars)}"
            for m in turns[-self.max_messages :]
        ]
        try:
            out = self.chain.invoke({"history": "\n".join(lines), "question": question})
        except MODEL_ERRORS as e:
            raise_if_fatal(e, self.model)
            log.warning(
                "model %s could not condense the follow-up: %s; using the rule-based condense",
                model_name(self.model),
                describe(e),
            )
            return condense_rule_based(question, history)
        return standalone(out, question) or condense_rule_based(question, history)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def standalone(reply: str, question: str) -> str | None:
    """The first line of the model's reply, unless it is empty or clearly not a question."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return None
    line = re.sub(r"^(standalone question|question)\s*:\s*", "", lines[0], flags=re.IGNORECASE)
    line = line.strip().strip("\"'“”").strip()
    if not line or len(line) > max(400, 4 * len(question)):
        return None
    return line
