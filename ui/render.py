"""HTML for the web chat: answers with their sources, highlighted passages, the document list.

Every function returns one line of HTML (no newlines): the chat renders messages as Markdown, and a
blank line would end the HTML block and let Markdown rewrite the rest. All document text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from assistant.index import DocSummary
from assistant.ingest import IngestReport
from assistant.models import Answer, Citation
from assistant.render import when

_MARKER = re.compile(r"\[(\d{1,3})\]")
EXTRACTIVE = "extractive"


def _lines(text: str) -> str:
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", text.replace("\r", ""))
    return escape(text).replace("\n", "<br>")


def text_html(text: str) -> str:
    """Escaped text with line breaks kept, safe inside an HTML block."""
    return _lines(text.strip())


def _with_markers(text: str) -> str:
    return _MARKER.sub(r'<sup class="cite">[\1]</sup>', text_html(text))


def streaming_html(partial: str) -> str:
    """The answer while it is being written."""
    return f'<div class="answer streaming">{text_html(partial)}<span class="cursor">▍</span></div>'


def error_html(message: str) -> str:
    return f'<div class="error" role="alert"><b>⚠ Error:</b> {escape(message)}</div>'


def notice_html(message: str) -> str:
    return f'<div class="notice">{escape(message)}</div>'


def highlight_html(c: Citation) -> str:
    """The cited passage with the quoted span marked; the quote alone if offsets don't fit."""
    text = c.chunk_text
    lo, hi = c.start - c.chunk_start, c.end - c.chunk_start
    if not text or lo < 0 or hi > len(text) or text[lo:hi] != c.quote:
        return f'<div class="passage"><mark>{text_html(c.quote)}</mark></div>'
    return (
        f'<div class="passage">{_lines(text[:lo].lstrip())}<mark>{_lines(text[lo:hi])}'
        f"</mark>{_lines(text[hi:].rstrip())}</div>"
    )


def source_html(c: Citation, quote_chars: int = 400) -> str:
    """One source: number, title, publisher, date, link and quote; opening it shows the passage."""
    quote = c.quote if len(c.quote) <= quote_chars else c.quote[: quote_chars - 1] + "…"
    link = (
        f' <a class="link" href="{escape(c.url, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">open article ↗</a>'
        if c.url and c.url.lower().startswith(("http://", "https://"))
        else ""
    )
    return (
        f'<details class="source" data-n="{c.n}"><summary>'
        f'<span class="n">[{c.n}]</span> <span class="title">{escape(c.title)}</span>'
        f' — <span class="publisher">{escape(c.publisher or "unknown publisher")}</span>,'
        f' <span class="date">{escape(when(c))}</span>{link}'
        f'<span class="quote">“{text_html(quote)}”</span></summary>'
        f"{highlight_html(c)}</details>"
    )


def sources_html(citations: Iterable[Citation]) -> str:
    items = "".join(source_html(c) for c in citations)
    if not items:
        return ""
    return f'<div class="sources"><div class="sources-head">Sources</div>{items}</div>'


def searched_html(standalone: str) -> str:
    """How a follow-up was read, so the user can see what the search used."""
    return f'<div class="searched">Searched for: {escape(standalone)}</div>'


def refusal_html(answer: Answer) -> str:
    """A refusal looks like a refusal: no sources, and it says what to do next."""
    notice = notice_html(answer.notice) if answer.notice else ""
    if answer.standalone_question:
        notice = searched_html(answer.standalone_question) + notice
    return (
        f'<div class="refusal"><b>Not covered.</b> {text_html(answer.text)}'
        '<span class="hint">Try other words, widen the filters, or upload an article that '
        f"covers it.</span></div>{notice}"
    )


def answer_html(answer: Answer) -> str:
    """The finished answer: text with [n] markers, notices, then its sources."""
    if answer.refused:
        return refusal_html(answer)
    parts = [f'<div class="answer">{_with_markers(answer.text)}</div>']
    if answer.standalone_question:
        parts.append(searched_html(answer.standalone_question))
    if answer.notice:
        parts.append(notice_html(answer.notice))
    if answer.flagged:
        n = len(answer.flagged)
        parts.append(
            notice_html(
                f"{n} statement{'s' if n > 1 else ''} without a valid "
                "citation were left out or marked."
            )
        )
    parts.append(sources_html(answer.citations))
    return "".join(parts)


def documents_html(docs: list[DocSummary]) -> str:
    """The index as a table: title, publisher, date, chunks."""
    if not docs:
        return '<p class="empty">No documents yet: upload an article to start.</p>'
    rows = "".join(
        f'<tr data-doc="{escape(d.meta.doc_id, quote=True)}"><td class="title">'
        f"{escape(d.meta.title)}</td><td>{escape(d.meta.publisher or '—')}</td>"
        f'<td class="nowrap">{d.meta.published.isoformat() if d.meta.published else "—"}</td>'
        f'<td class="num">{d.chunks}</td></tr>'
        for d in docs
    )
    total = sum(d.chunks for d in docs)
    return (
        f'<table class="docs"><thead><tr><th>Title</th><th>Publisher</th><th>Date</th>'
        f"<th>Chunks</th></tr></thead><tbody>{rows}</tbody></table>"
        f'<p class="docs-total">{len(docs)} documents, {total} chunks</p>'
    )


def document_choice(d: DocSummary) -> tuple[str, str]:
    """(label, doc_id) for the remove menu."""
    date = d.meta.published.isoformat() if d.meta.published else "undated"
    return f"{d.meta.title[:70]} — {d.meta.publisher or 'unknown'}, {date}", d.meta.doc_id


def ingest_html(report: IngestReport) -> str:
    """What an upload did, file by file."""
    lines = [f'<li class="ok">Added “{escape(d.meta.title)}”</li>' for d in report.added]
    lines += [f'<li class="ok">Replaced “{escape(d.meta.title)}”</li>' for d in report.replaced]
    lines += [f"<li>Already indexed: “{escape(d.meta.title)}”</li>" for d in report.unchanged]
    lines += [
        f'<li class="failed">Could not add {escape(e.path)}: {escape(e.reason)}</li>'
        for e in report.failed
    ]
    return f'<ul class="ingest">{"".join(lines)}</ul>' if lines else ""


def generator_html(name: str) -> str:
    """Which generator is answering, in words."""
    if name == EXTRACTIVE:
        return (
            '<div class="generator">Answering: <b>offline extractive</b> '
            "(quotes the articles; no model configured)</div>"
        )
    model = name.removeprefix("llm:")
    return f'<div class="generator">Answering: model <b>{escape(model)}</b></div>'
