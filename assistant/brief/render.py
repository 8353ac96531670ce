"""A brief as a reader gets it: Markdown (terminal and download), HTML, JSON and DOCX. Every
format carries the same sections, citation numbers and source list."""

from __future__ import annotations

import html
import io
from collections.abc import Iterator

from assistant.brief.models import Brief, Line
from assistant.models import MARKER
from assistant.text import day

FORMATS = ("md", "html", "json", "docx")
HEADS = {
    "bottom_line": "Bottom line",
    "timeline": "Timeline",
    "positions": "Positions",
    "disagreement_lines": "Where sources disagree",
    "gaps": "Gaps",
    "sources": "Sources",
}


def title(brief: Brief) -> str:
    return f"Brief: {brief.topic}"


def subtitle(brief: Brief) -> str:
    """Range, recency and how it was written, in one line."""
    bits = []
    if brief.since or brief.until:
        bits.append(
            f"{day(brief.since) if brief.since else 'the start'} to "
            f"{day(brief.until) if brief.until else 'now'}"
        )
    if brief.publishers:
        bits.append("publishers: " + ", ".join(brief.publishers))
    if brief.as_of:
        bits.append(f"as of {day(brief.as_of)}")
    n = len(brief.sources)
    bits.append(f"{n} article{'s' if n != 1 else ''}")
    bits.append(
        "quoted sentences" if brief.generator == "extractive" else f"written by {brief.generator}"
    )
    return " · ".join(bits)


def _source_text(brief: Brief) -> list[str]:
    out = []
    for s in brief.sources:
        refs = "".join(f"[{n}]" for n in s.n)
        where = s.url or s.source
        out.append(
            f"{refs} {s.title} — {s.publisher or 'unknown publisher'}, {day(s.published)} ({where})"
        )
    return out


def sections(brief: Brief) -> Iterator[tuple[str, list[Line] | list[str]]]:
    """(heading, lines) of each section that has something to say."""
    for key, head in HEADS.items():
        if key == "gaps":
            items: list[Line] | list[str] = brief.gaps
        elif key == "sources":
            items = _source_text(brief)
        else:
            items = getattr(brief, key)
        if items:
            yield head, items


def _line_md(line: Line) -> str:
    if line.when:
        return f"- **{line.when}** — {line.text}"
    if line.actor:
        return f"- **{line.actor}:** {line.text}"
    return f"- {line.text}"


def markdown(brief: Brief) -> str:
    if not brief.covered:
        return f"# {title(brief)}\n\n{brief.message}\n"
    out = [f"# {title(brief)}", "", f"*{subtitle(brief)}*", ""]
    for head, items in sections(brief):
        out += [f"## {head}", ""]
        if head == "Bottom line":
            out.append(" ".join(i.text for i in items if isinstance(i, Line)))
        else:
            out += [_line_md(i) if isinstance(i, Line) else f"- {i}" for i in items]
        out.append("")
    return "\n".join(out)


def _cites_html(text: str) -> str:
    return MARKER.sub(
        lambda m: f'<sup class="cite"><a href="#src-{m.group(1)}">[{m.group(1)}]</a></sup>',
        html.escape(text),
    )


def html_page(brief: Brief, standalone: bool = True) -> str:
    """The brief as HTML: a whole page for download, or a fragment for the web chat."""
    body = [f"<h1>{html.escape(title(brief))}</h1>"]
    if not brief.covered:
        body.append(f'<p class="not-covered">{html.escape(brief.message or "")}</p>')
    else:
        body.append(f'<p class="brief-meta">{html.escape(subtitle(brief))}</p>')
        for head, items in sections(brief):
            body.append(f"<h2>{html.escape(head)}</h2>")
            if head == "Bottom line":
                text = " ".join(i.text for i in items if isinstance(i, Line))
                body.append(f"<p>{_cites_html(text)}</p>")
                continue
            body.append("<ul>")
            for item in items:
                if isinstance(item, Line):
                    lead = item.when or item.actor
                    label = f"<strong>{html.escape(lead)}</strong> — " if lead else ""
                    body.append(f"<li>{label}{_cites_html(item.text)}</li>")
                else:
                    body.append(f"<li>{html.escape(item)}</li>")
            body.append("</ul>")
        body.append(_quotes_html(brief))
    inner = "\n".join(body)
    if not standalone:
        return f'<div class="brief">{inner}</div>'
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title(brief))}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;"
        "line-height:1.45}sup.cite a{text-decoration:none}.brief-meta{color:#666}"
        "blockquote{margin:.2rem 0 .8rem 1rem;color:#444}</style></head>"
        f"<body>{inner}</body></html>"
    )


def _quotes_html(brief: Brief) -> str:
    """Each citation's article and exact quote, anchored so the [n] links land on it."""
    rows = ["<h2>Quoted passages</h2>", '<ol class="quotes">']
    for c in brief.citations:
        where = html.escape(c.url or c.source)
        link = f'<a href="{where}">{where}</a>' if c.url else where
        rows.append(
            f'<li id="src-{c.n}" value="{c.n}"><em>{html.escape(c.title)}</em> — '
            f"{html.escape(c.publisher or 'unknown publisher')}, {day(c.published)} ({link})"
            f"<blockquote>{html.escape(c.quote)}</blockquote></li>"
        )
    rows.append("</ol>")
    return "\n".join(rows)


def docx_bytes(brief: Brief) -> bytes:
    """The brief as a Word document: headings, bulleted lines, the source list."""
    from docx import Document

    doc = Document()
    doc.core_properties.title = title(brief)
    doc.add_heading(title(brief), level=0)
    if not brief.covered:
        doc.add_paragraph(brief.message or "")
    else:
        doc.add_paragraph().add_run(subtitle(brief)).italic = True
        for head, items in sections(brief):
            doc.add_heading(head, level=1)
            if head == "Bottom line":
                doc.add_paragraph(" ".join(i.text for i in items if isinstance(i, Line)))
                continue
            for item in items:
                para = doc.add_paragraph(style="List Bullet")
                if isinstance(item, Line):
                    lead = item.when or item.actor
                    if lead:
                        para.add_run(f"{lead} — ").bold = True
                    para.add_run(item.text)
                else:
                    para.add_run(item)
        doc.add_heading("Quoted passages", level=1)
        for c in brief.citations:
            para = doc.add_paragraph()
            para.add_run(f"[{c.n}] {c.title} — {c.publisher}, {day(c.published)}: ").bold = True
            para.add_run(f"“{c.quote}”")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render(brief: Brief, fmt: str) -> bytes:
    """The brief in one of FORMATS, as the bytes of a file."""
    if fmt == "md":
        return markdown(brief).encode()
    if fmt == "html":
        return html_page(brief).encode()
    if fmt == "json":
        return brief.model_dump_json(indent=2).encode()
    if fmt == "docx":
        return docx_bytes(brief)
    raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
