"""Offline follow-up handling: make a question that leans on the conversation stand on its own."""

from __future__ import annotations

import re

from assistant.text import terms

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
