"""Plain-text pieces every surface shows under an answer."""

from __future__ import annotations

from assistant.models import Answer, Citation


def when(c: Citation) -> str:
    return c.published.strftime("%-d %B %Y") if c.published else "undated"


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def source_line(c: Citation, quote_chars: int = 240) -> str:
    where = c.url or c.source
    return (
        f"[{c.n}] {c.title} — {c.publisher or 'unknown publisher'}, {when(c)} ({where})\n"
        f"    “{shorten(c.quote, quote_chars)}”"
    )


def source_lines(answer: Answer) -> list[str]:
    return [source_line(c) for c in answer.citations]
