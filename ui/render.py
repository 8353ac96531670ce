"""HTML for the web chat: answers with their sources, highlighted passages, the document list.

Every function returns one line of HTML (no newlines): the chat renders messages as Markdown, and a
blank line would end the HTML block and let Markdown rewrite the rest. All document text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape

from markdown_it import MarkdownIt

from assistant.index import DocSummary
from assistant.ingest import IngestReport
from assistant.models import MARKER, Answer, Citation, Disagreement
from assistant.render import (
    NOT_CITED_HEAD,
    dates_line,
    disagreement_head,
    read_as,
    removed_head,
    side_views,
    uncovered_line,
    when,
)

EXTRACTIVE = "extractive"


def _lines(text: str) -> str:
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n\n", text.replace("\r", ""))
    return escape(text).replace("\n", "<br>")


def text_html(text: str) -> str:
    """Escaped text with line breaks kept, safe inside an HTML block."""
    return _lines(text.strip())


# The page's sanitiser drops data-* attributes: the number travels in the href and the class.
CITE = r'<sup class="cite"><a class="cite-link" href="#source-\1">[\1]</a></sup>'
# Model answers are Markdown; raw HTML in them is shown as text, and links must be http(s).
_MD = MarkdownIt("commonmark", {"html": False}).disable("image")


def _with_markers(text: str) -> str:
    return MARKER.sub(CITE, text_html(text))


def markdown_html(text: str) -> str:
    """A model's Markdown as sanitised HTML on one line, its [n] markers linked to sources."""
    html = _MD.render(text.strip())
    html = re.sub(r"<pre>.*?</pre>", lambda m: m.group(0).replace("\n", "&#10;"), html, flags=re.S)
    return MARKER.sub(CITE, html.replace("\n", " ").strip())


def streaming_html(partial: str, markdown: bool = False) -> str:
    """The answer while it is being written (a model's as Markdown)."""
    body = markdown_html(partial) if markdown else text_html(partial)
    return f'<div class="answer streaming">{body}<span class="cursor">▍</span></div>'


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
        f'<details class="source source-{c.n}"><summary>'
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
    return f'<div class="searched">Read as: {escape(standalone)}</div>'


def _ref(n: int) -> str:
    return f'<sup class="cite">[{n}]</sup>'


def _side_label(label: str) -> str:
    return f'<span class="side-label">{escape(label)}:</span> ' if label else ""


def disagreement_html(d: Disagreement, citations: list[Citation]) -> str:
    """A box naming each side: its value, publisher, date and the citation that gives it."""
    kind = "update" if d.kind == "update" else "conflict"
    icon = "↻" if kind == "update" else "⚠"
    sides = "".join(
        f'<li class="side">{_side_label(s.label)}'
        f'<b class="value">{escape(s.value)}</b> — <span class="publisher">'
        f'{escape(s.publisher)}</span>, <span class="date">{escape(s.date)}</span> {_ref(s.n)}'
        "</li>"
        for s in side_views(d, citations)
    )
    return (
        f'<div class="disagreement {kind}" role="note"><div class="disagreement-head">'
        f"{icon} {escape(disagreement_head(d))}</div><ul>{sides}</ul></div>"
    )


def _listed(css: str, head: str, items: list[str], tag: str = "span") -> str:
    lis = "".join(f"<li><{tag}>{text_html(i)}</{tag}></li>" for i in items)
    return f'<div class="{css}"><div class="{css}-head">{escape(head)}</div><ul>{lis}</ul></div>'


def _notes_html(answer: Answer) -> list[str]:
    """Everything the answer carries beside its text, in the order it is shown."""
    parts = []
    if line := read_as(answer):
        parts.append(searched_html(line.removeprefix("Read as: ")))
    if line := dates_line(answer):
        parts.append(f'<div class="asof">{escape(line)}</div>')
    parts += [disagreement_html(d, answer.citations) for d in answer.disagreements]
    if line := uncovered_line(answer.uncovered):
        parts.append(f'<div class="uncovered">{escape(line)}</div>')
    if answer.flagged:
        parts.append(_listed("uncited", f"{NOT_CITED_HEAD}:", answer.flagged))
    if answer.unsupported:
        head = removed_head(len(answer.unsupported))
        parts.append(_listed("removed", head, answer.unsupported, "del"))
    if answer.notice:
        parts.append(notice_html(answer.notice))
    return parts


def refusal_html(answer: Answer) -> str:
    """A refusal looks like a refusal: no sources, and it says what to do next."""
    notes = "".join(_notes_html(answer))
    return (
        f'<div class="refusal"><b>Not covered.</b> {text_html(answer.text)}'
        '<span class="hint">Try other words, widen the filters, or upload an article that '
        f"covers it.</span></div>{notes}"
    )


def is_extractive(answer: Answer) -> bool:
    """Quoted sentences are shown as written; a model's text is Markdown."""
    return not answer.generator.startswith("llm")


def answer_html(answer: Answer) -> str:
    """The finished answer: text with [n] markers, what lies beside it, then its sources."""
    if answer.refused:
        return refusal_html(answer)
    body = _with_markers(answer.text) if is_extractive(answer) else markdown_html(answer.text)
    parts = [f'<div class="answer">{body}</div>', *_notes_html(answer)]
    parts.append(sources_html(answer.citations))
    return "".join(parts)


def _doc_row_matches(d: DocSummary, words: list[str]) -> bool:
    date = d.meta.published.isoformat() if d.meta.published else ""
    hay = f"{d.meta.title} {d.meta.publisher} {date}".casefold()
    return all(w in hay for w in words)


def _origin_cell(d: DocSummary, origins: dict[str, str] | None) -> str:
    """'file', 'url' or 'feed: NAME' (linked to the article when it came from the web)."""
    if origins is None:
        return ""
    origin = escape(origins.get(d.meta.doc_id, ""))
    url = d.meta.url or ""
    if url.lower().startswith(("http://", "https://")) and origin != "file":
        origin = f'<a href="{escape(url, quote=True)}" target="_blank" rel="noopener">{origin}</a>'
    return f'<td class="origin">{origin}</td>'


def documents_html(
    docs: list[DocSummary], query: str = "", origins: dict[str, str] | None = None
) -> str:
    """The index as a table: title, publisher, date, chunks (and origin, when `origins` maps
    doc ids to 'file' / 'url' / 'feed: NAME'); only the rows matching `query`."""
    if not docs:
        return '<p class="empty">No documents yet: upload an article to start.</p>'
    words = query.casefold().split()
    shown = [d for d in docs if _doc_row_matches(d, words)] if words else docs
    rows = "".join(
        f'<tr data-doc="{escape(d.meta.doc_id, quote=True)}"><td class="title">'
        f"{escape(d.meta.title)}</td><td>{escape(d.meta.publisher or '—')}</td>"
        f'<td class="nowrap">{d.meta.published.isoformat() if d.meta.published else "—"}</td>'
        f'<td class="num">{d.chunks}</td>{_origin_cell(d, origins)}</tr>'
        for d in shown
    )
    total = sum(d.chunks for d in docs)
    found = (
        f"{len(shown)} of {len(docs)} documents match “{escape(query.strip())}”; " if words else ""
    )
    return (
        f'<div class="docs-scroll"><table class="docs"><thead><tr><th>Title</th>'
        f"<th>Publisher</th><th>Date</th><th>Chunks</th>"
        f"{'<th>Origin</th>' if origins is not None else ''}</tr></thead><tbody>{rows}</tbody>"
        f'</table></div><p class="docs-total">{found}{len(docs)} documents, {total} chunks</p>'
    )


def _titles(titles: list[str]) -> str:
    quoted = [f"“{escape(t)}”" for t in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def removal_question(titles: list[str]) -> str:
    """The confirmation, naming every document that would leave the index."""
    what = "this document" if len(titles) == 1 else f"these {len(titles)} documents"
    return (
        f'<div class="confirm-remove" role="alertdialog">Remove {what} from the index? '
        f"{_titles(titles)}. Questions will no longer be answered from them.</div>"
    )


def removed_html(done: list[tuple[str, int]]) -> str:
    """'Removed “A” (3 chunks) and “B” (1 chunk).'"""
    if not done:
        return ""
    items = [
        f"“{escape(t)}” ({n} chunk{'s' if n != 1 else ''})" if n else f"“{escape(t)}” (gone)"
        for t, n in done
    ]
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f'<div class="removed-docs">Removed {joined}.</div>'


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
