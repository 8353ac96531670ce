"""Plain-text pieces every surface shows under an answer, and their terminal form.

The answer text already says, in sentences, when sources disagree, when a report was updated and
what the articles don't cover. The pieces here add the structure beside it: who says what, what
was removed and why, how recent the sources are. The web chat and Slack build their own markup
from the same pieces; `print_notes` writes them to a terminal.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from rich.console import Console
from rich.text import Text

from assistant.models import Answer, Citation, Disagreement, Side
from assistant.text import day, shorten

REMOVED_HEAD = "Removed — not supported by the cited passages"
NOT_CITED_HEAD = "Not cited"
UNCOVERED_HEAD = "Not covered by the articles"


def when(c: Citation) -> str:
    return day(c.published)


def source_line(c: Citation, quote_chars: int = 240) -> str:
    where = c.url or c.source
    return (
        f"[{c.n}] {c.title} — {c.publisher or 'unknown publisher'}, {when(c)} ({where})\n"
        f"    “{shorten(c.quote, quote_chars)}”"
    )


def source_lines(answer: Answer) -> list[str]:
    return [source_line(c) for c in answer.citations]


# --- the pieces under an answer -------------------------------------------------------------


def read_as(answer: Answer) -> str | None:
    """How a follow-up was read, or None when the question was used as asked."""
    q = (answer.standalone_question or "").strip()
    if not q or " ".join(q.split()).casefold() == " ".join(answer.question.split()).casefold():
        return None
    return f"Read as: {q}"


def _range(lo: date, hi: date) -> str:
    if lo.year != hi.year:
        return f"{day(lo)} – {day(hi)}"
    if lo.month != hi.month:
        return f"{lo.strftime('%-d %B')} – {day(hi)}"
    return f"{lo.day} – {day(hi)}"


def dates_line(answer: Answer) -> str | None:
    """'Newest source: 11 March 2025', with the cited sources' range when their dates differ."""
    if answer.as_of is None:
        return None
    line = f"Newest source: {day(answer.as_of)}"
    dated = [c.published for c in answer.citations if c.published] + [answer.as_of]
    lo, hi = min(dated), max(dated)
    if lo != hi:
        line += f" · Sources dated {_range(lo, hi)}"
    return line


class SideView(NamedTuple):
    """One side of a disagreement as shown: the citation fills in what the side leaves out."""

    label: str  # "" for a conflict; "Now" / "Earlier" for an update
    value: str
    publisher: str
    date: str
    n: int

    def text(self) -> str:
        lead = f"{self.label}: " if self.label else ""
        return f"{lead}{self.value} — {self.publisher}, {self.date} [{self.n}]"


def disagreement_head(d: Disagreement) -> str:
    about = " ".join(d.about.split())
    if d.kind == "update":
        return f"Updated report{' — ' + about if about else ''} (newer report first)"
    return f"Sources disagree{' — ' + about if about else ''}"


def side_views(d: Disagreement, citations: list[Citation]) -> list[SideView]:
    by_n = {c.n: c for c in citations}

    def view(i: int, s: Side) -> SideView:
        c = by_n.get(s.n)
        label = ("Now" if i == 0 else "Earlier") if d.kind == "update" else ""
        publisher = s.publisher or (c.publisher if c else "") or "unknown publisher"
        published = s.published or (c.published if c else None)
        return SideView(label, " ".join(s.value.split()), publisher, day(published), s.n)

    return [view(i, s) for i, s in enumerate(d.sides)]


def removed_head(count: int) -> str:
    return f"{REMOVED_HEAD} ({count} sentence{'s' if count != 1 else ''} removed):"


def uncovered_line(parts: list[str]) -> str | None:
    parts = [" ".join(p.split()) for p in parts if p.strip()]
    return f"{UNCOVERED_HEAD}: {'; '.join(parts)}" if parts else None


# --- the terminal ---------------------------------------------------------------------------


def _say(console: Console, *parts: tuple[str, str] | str) -> None:
    # Text objects are never read as markup: article text cannot restyle the terminal.
    console.print(Text.assemble(*parts), highlight=False, soft_wrap=True)


def print_notes(answer: Answer, console: Console) -> None:
    """Everything under the answer text, before the sources: each piece on its own lines."""
    if line := read_as(answer):
        _say(console, (line, "dim"))
    if line := dates_line(answer):
        _say(console, (line, "dim"))
    for d in answer.disagreements:
        style = "bold magenta" if d.kind == "conflict" else "bold cyan"
        _say(console, (("⚠ " if d.kind == "conflict" else "↻ ") + disagreement_head(d), style))
        for side in side_views(d, answer.citations):
            _say(console, "  • ", side.text())
    if line := uncovered_line(answer.uncovered):
        _say(console, (line, "dim"))
    if answer.flagged:
        _say(console, (f"{NOT_CITED_HEAD}:", "yellow"))
        for claim in answer.flagged:
            _say(console, ("  • ", "yellow"), (shorten(claim, 400), "yellow"))
    if answer.unsupported:
        _say(console, (removed_head(len(answer.unsupported)), "yellow"))
        for sentence in answer.unsupported:
            _say(console, ("  ✗ ", "yellow"), (shorten(sentence, 400), "dim yellow"))
    if answer.notice:
        _say(console, (answer.notice, "yellow"))


def print_answer_tail(answer: Answer, console: Console) -> None:
    """The notes, then the sources: what `briefing ask` and `briefing chat` print after the text."""
    print_notes(answer, console)
    for line in source_lines(answer):
        _say(console, line)
