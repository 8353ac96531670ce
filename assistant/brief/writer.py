"""Brief sections written by a chat model from the same quoted evidence, each through its own
prompt file; a written line stays only when it cites evidence lines and every name, number and
date in it is in the sentences it cites. A section with nothing left keeps its quotes."""

from __future__ import annotations

import logging
import re
from typing import Any

from assistant.answer.facts import unsupported_facts
from assistant.answer.prompts import PromptSet
from assistant.brief.models import Line
from assistant.brief.sections import Cites
from assistant.models import MARKER, DocMeta
from assistant.text import stem, terms

log = logging.getLogger(__name__)

MIN_OVERLAP = 0.2  # share of a written line's words found in the sentences it cites
SECTIONS = ("bottom_line", "timeline", "positions")


class SectionWriter:
    def __init__(self, chat_model: Any, prompts: PromptSet, name: str) -> None:
        self.model = chat_model
        self.prompts = prompts
        self.name = name

    def rewrite(
        self, section: str, topic: str, lines: list[Line], cites: Cites
    ) -> tuple[list[Line], list[str]]:
        """The section as the model writes it, and the written lines that were dropped."""
        if section not in SECTIONS or not lines:
            return lines, []
        by_n = {c.n: c for c in cites.citations}
        evidence = "\n".join(f"{_prefix(line)}{line.text}" for line in lines)
        prompt = self.prompts[f"brief_{section}"].render(topic=topic, evidence=evidence)
        try:
            reply = self.model.invoke([("human", prompt)])
            text = str(getattr(reply, "content", reply))
        except Exception as e:  # an outage keeps the quoted section
            log.warning("brief %s: the model failed (%s); quoting instead", section, e)
            return lines, []
        allowed = {n for line in lines for n in line.cites}
        written, dropped = [], []
        for raw in text.splitlines():
            raw = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", raw).strip()
            if not raw:
                continue
            ns = [int(n) for n in MARKER.findall(raw)]
            ns = [n for n in dict.fromkeys(ns) if n in allowed and n in by_n]
            if not ns or not self._supported(raw, [by_n[n] for n in ns]):
                dropped.append(raw)
                continue
            source = next(line for line in lines if set(ns) & set(line.cites))
            written.append(source.model_copy(update={"text": raw, "cites": ns}))
        if not written:
            return lines, dropped
        return written, dropped

    @staticmethod
    def _supported(line: str, cited: list[Any]) -> bool:
        sources = [
            (
                c.quote,
                DocMeta(
                    doc_id=c.doc_id,
                    title=c.title,
                    published=c.published,
                    publisher=c.publisher,
                    source=c.source,
                ),
            )
            for c in cited
        ]
        if unsupported_facts(line, sources):
            return False
        words = {stem(t) for t in terms(MARKER.sub("", line))}
        quoted = {stem(t) for c in cited for t in terms(c.quote)}
        return bool(words) and len(words & quoted) / len(words) >= MIN_OVERLAP


def _prefix(line: Line) -> str:
    if line.when:
        return f"({line.when}) "
    if line.actor:
        return f"({line.actor}) "
    return ""


def writer_for(generator: Any, prompts: PromptSet) -> SectionWriter | None:
    """A writer on the answer generator's chat model, or None when it has none."""
    model = getattr(generator, "model", None)
    if model is None:
        return None
    return SectionWriter(model, prompts, getattr(generator, "name", "llm"))
