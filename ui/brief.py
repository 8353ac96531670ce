"""The web chat's Brief tab: topic, date range and publishers in; the brief streamed section by
section with the same source cards as answers; downloads as Markdown, HTML and DOCX."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.brief.models import Brief, Line
from assistant.brief.render import render, sections, subtitle, title
from assistant.pipeline import Briefing
from ui import render as ui_render

FILE_FORMATS = ("md", "html", "docx")


def _day(value: str | None, what: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise gr.Error(f"{what} must look like 2025-03-11.") from None


def _line_html(line: Line) -> str:
    lead = line.when or line.actor
    label = f"<strong>{html.escape(lead)}</strong> — " if lead else ""
    return f"<li>{label}{ui_render._with_markers(line.text)}</li>"


def brief_html(brief: Brief, done: bool = True) -> str:
    """The brief as the tab shows it: sections, then the source cards its [n] open."""
    if not brief.covered:
        message = html.escape(brief.message or "")
        return f'<div class="brief"><div class="refusal">{message}</div></div>'
    parts = [
        f"<h2>{html.escape(title(brief))}</h2>",
        f'<p class="brief-meta">{html.escape(subtitle(brief))}</p>',
    ]
    for head, items in sections(brief):
        if head == "Sources":
            continue
        if head == "Bottom line":
            text = " ".join(i.text for i in items if isinstance(i, Line))
            parts.append(f"<h3>{head}</h3><p>{ui_render._with_markers(text)}</p>")
            continue
        parts.append(f"<h3>{html.escape(head)}</h3><ul>")
        for item in items:
            parts.append(
                _line_html(item) if isinstance(item, Line) else f"<li>{html.escape(item)}</li>"
            )
        parts.append("</ul>")
    if not done:
        parts.append('<p class="brief-meta">Writing the next section…</p>')
    parts.append(ui_render.sources_html(brief.citations))
    return f'<div class="brief">{"".join(parts)}</div>'


class BriefTab:
    def __init__(self, briefing: Briefing, folder: Path) -> None:
        self.briefing = briefing
        self.folder = folder

    def run(
        self, topic: str, since: str, until: str, publishers: list[str] | None
    ) -> Iterator[tuple[Any, ...]]:
        """The brief as it grows; the download buttons appear with the whole of it."""
        hidden = [gr.DownloadButton(visible=False)] * len(FILE_FORMATS)
        if not (topic or "").strip():
            yield (brief_html_message("Type a topic, e.g. Kursk or minerals deal."), *hidden)
            return
        start, end = _day(since, "From"), _day(until, "To")
        last: Brief | None = None
        for last in self.briefing.brief_stream(topic, start, end, tuple(publishers or ())):
            yield (brief_html(last, done=False), *hidden)
        assert last is not None
        if not last.covered:
            yield (brief_html(last), *hidden)
            return
        yield (brief_html(last), *self._files(last))

    def _files(self, brief: Brief) -> list[Any]:
        folder = self.folder / uuid.uuid4().hex
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w-]+", "-", brief.topic).strip("-")[:60] or "brief"
        buttons = []
        for fmt in FILE_FORMATS:
            path = folder / f"brief-{stem}.{fmt}"
            path.write_bytes(render(brief, fmt))
            buttons.append(gr.DownloadButton(value=str(path), visible=True))
        return buttons


def brief_html_message(text: str) -> str:
    return f'<div class="brief"><p class="brief-meta">{html.escape(text)}</p></div>'


def brief_tab(briefing: Briefing, folder: Path) -> None:
    """The tab, inside the page's gr.Tabs."""
    tab = BriefTab(briefing, folder)
    publishers = sorted({d.meta.publisher for d in briefing.documents() if d.meta.publisher})
    with gr.Tab("Brief", id="brief-tab"):
        gr.Markdown(
            "Brief me on a topic: bottom line, timeline, positions, disagreements, "
            "gaps — every line quoted from the articles and cited."
        )
        with gr.Row():
            topic = gr.Textbox(
                label="Topic", placeholder="e.g. Kursk", elem_id="brief-topic", max_lines=1, scale=3
            )
            since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="brief-since", max_lines=1)
            until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="brief-until", max_lines=1)
        chosen = gr.Dropdown(
            choices=publishers, multiselect=True, label="Publishers", elem_id="brief-publishers"
        )
        go = gr.Button("Brief", variant="primary", elem_id="brief-go")
        out = gr.HTML(elem_id="brief-out")
        with gr.Row():
            downloads = [
                gr.DownloadButton(f"Download {label}", visible=False, elem_id=f"brief-{fmt}")
                for fmt, label in zip(FILE_FORMATS, ("Markdown", "HTML", "DOCX"), strict=True)
            ]
        for trigger in (go.click, topic.submit):
            trigger(
                tab.run,
                [topic, since, until, chosen],
                [out, *downloads],
                concurrency_limit=2,
                concurrency_id="brief",
                show_progress="minimal",
            )
