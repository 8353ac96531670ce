"""Citations built from retrieved passages, and the check that every one quotes its passage."""

from __future__ import annotations

import re

from assistant.models import MARKER, Answer, Citation, Passage


def cite(n: int, passage: Passage, start: int, end: int) -> Citation:
    """Citation of passage.text[start:end] (offsets relative to the passage)."""
    return Citation(
        n=n,
        doc_id=passage.meta.doc_id,
        chunk_id=passage.chunk_id,
        title=passage.meta.title,
        publisher=passage.meta.publisher,
        published=passage.meta.published,
        source=passage.meta.source,
        url=passage.meta.url,
        quote=passage.text[start:end],
        start=passage.start + start,
        end=passage.start + end,
        chunk_text=passage.text,
        chunk_start=passage.start,
    )


def quote_holds(c: Citation) -> bool:
    """The quote is exactly the chunk text at the recorded document offsets."""
    lo = c.start - c.chunk_start
    return (
        bool(c.quote)
        and c.chunk_text[lo : lo + len(c.quote)] == c.quote
        and c.end - c.start == len(c.quote)
    )


def verified(answer: Answer) -> Answer:
    """Drop citations whose quote is not in their chunk, and markers that point nowhere."""
    good = {c.n: c for c in answer.citations if quote_holds(c)}
    text = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in good else "", answer.text)
    text = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    used = {int(n) for n in MARKER.findall(text)}
    return answer.model_copy(
        update={
            "text": text,
            "citations": [c for n, c in sorted(good.items()) if n in used],
        }
    )
