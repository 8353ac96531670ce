"""`briefing brief TOPIC`: a brief to the terminal, or to a file in Markdown, HTML, DOCX, JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markdown import Markdown

from assistant.brief.render import FORMATS, markdown, render
from assistant.errors import BriefingError


def _day(value: str | None, what: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise BriefingError(f"{what} must look like 2025-03-11, not {value!r}.") from e


def make_brief_command(
    briefing: Callable[[], Any], out: Console, err: Console
) -> Callable[..., None]:
    """The command, given how to build the `Briefing` (so tests pass their own)."""

    def brief(
        topic: Annotated[str, typer.Argument(help='What to brief on, e.g. "Kursk".')],
        since: Annotated[str | None, typer.Option(help="Events from this date.")] = None,
        until: Annotated[str | None, typer.Option(help="Events up to this date.")] = None,
        publisher: Annotated[list[str] | None, typer.Option(help="Only this publisher.")] = None,
        out_path: Annotated[
            Path | None, typer.Option("--out", help="Write the brief to this file.")
        ] = None,
        fmt: Annotated[
            str | None,
            typer.Option("--format", help="md, html, docx or json (default: from --out)."),
        ] = None,
    ) -> None:
        """A dated, sourced brief on a topic: bottom line, timeline, positions, disagreements,
        gaps and sources, every line cited."""
        if not topic.strip():
            raise BriefingError('Give a topic to brief on, e.g. briefing brief "Kursk".')
        start, end = _day(since, "--since"), _day(until, "--until")
        if start and end and start > end:
            raise BriefingError("--since must not be after --until.")
        kind = (fmt or (out_path.suffix.lstrip(".") if out_path else "") or "md").lower()
        kind = {"markdown": "md", "htm": "html"}.get(kind, kind)
        if kind not in FORMATS:
            raise BriefingError(f"Unknown format {kind!r}; use one of {', '.join(FORMATS)}.")
        result = briefing().brief(topic, start, end, tuple(publisher or ()))
        if out_path is not None:
            out_path.write_bytes(render(result, kind))
            lines = sum(len(x) for x in (result.timeline, result.positions, result.bottom_line))
            err.print(
                f"Wrote {out_path} ({kind}; {lines} cited lines from {len(result.sources)} "
                "articles)."
                if result.covered
                else f"Wrote {out_path}: {result.message}",
                highlight=False,
            )
        elif kind == "md" and out.is_terminal:
            out.print(Markdown(markdown(result)))
        elif kind == "md":
            out.file.write(markdown(result))  # piped: the Markdown itself, not a rendering
        else:
            data = render(result, kind)
            if kind == "docx":
                raise BriefingError("A DOCX brief needs --out FILE.docx.")
            out.file.write(data.decode())
        if not result.covered:
            raise typer.Exit(1)

    return brief
