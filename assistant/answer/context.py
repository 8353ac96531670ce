"""The numbered passage block sent to the model, fitted to a token budget.

Passages are numbered in rank order, so `[n]` in the model's answer is the n-th passage here.
When the block is over budget the weakest passages go first; a lone passage that is still too
long is cut at a word boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.prompts import Prompt
from assistant.models import MARKER, Passage
from assistant.text import count_tokens

SEPARATOR = "\n\n"
# Nothing inside a passage may close (or reopen) the block it is delimited by.
_DELIMITER = re.compile(r"<\s*/?\s*passages\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    passages: list[Passage]  # passage n is passages[n - 1]
    text: str
    tokens: int


def defang(text: str) -> str:
    return _DELIMITER.sub("(tag removed)", text)


def render(prompt: Prompt, n: int, p: Passage) -> str:
    return prompt.render(
        n=n,
        title=defang(" ".join(p.meta.title.split())) or "untitled",
        publisher=defang(p.meta.publisher) or "unknown publisher",
        date=p.meta.published.isoformat() if p.meta.published else "undated",
        # Footnote marks like "[12]" in an article would read as citations of passage 12.
        text=MARKER.sub("", defang(p.text.strip())),
    )


def _cut(prompt: Prompt, p: Passage, budget: int) -> Passage | None:
    """The longest word-boundary prefix of the passage whose rendering fits the budget."""
    lo, hi = 0, len(p.text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(render(prompt, 1, p.model_copy(update={"text": p.text[:mid]}))) <= budget:
            lo = mid
        else:
            hi = mid - 1
    cut = p.text.rfind(" ", 0, lo + 1) if lo < len(p.text) else lo
    cut = cut if cut > 0 else lo
    text = p.text[:cut].rstrip()
    if not text.strip():
        return None
    return p.model_copy(update={"text": text, "end": p.start + len(text)})


def build_context(passages: list[Passage], prompt: Prompt, budget: int) -> Context:
    """The strongest passages whose rendered block fits `budget` tokens (cl100k)."""
    ranked = sorted(passages, key=lambda p: -p.score)  # stable: equal scores keep their order
    sep = count_tokens(SEPARATOR)
    kept: list[Passage] = []
    used = 0
    for p in ranked:
        cost = count_tokens(render(prompt, len(kept) + 1, p)) + (sep if kept else 0)
        if used + cost > budget:
            break  # everything after this one is weaker: drop it too
        kept.append(p)
        used += cost
    if not kept and ranked:
        first = _cut(prompt, ranked[0], budget)
        kept = [first] if first is not None else []
    while True:
        text = SEPARATOR.join(render(prompt, i + 1, p) for i, p in enumerate(kept))
        tokens = count_tokens(text)
        if tokens <= budget or not kept:
            return Context(kept, text, tokens)
        kept.pop()
