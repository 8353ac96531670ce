"""The conversation as text: what Copy puts on the clipboard, what Export downloads, and the
filters in words. No HTML here: these go to other programs (mail, documents, notes).
"""

from __future__ import annotations

from datetime import date

from assistant.index import DocSummary
from assistant.models import Answer, DocMeta, Filters
from assistant.render import read_as, uncovered_line, when
from assistant.text import day
from ui.conversations import Turn

STOPPED_NOTE = "Stopped: the answer was cut short."


def filters_of(turn_filters: dict[str, object]) -> Filters | None:
    """The Filters a turn was asked with (stored as plain values)."""
    pubs = turn_filters.get("publishers") or ()
    lo, hi = turn_filters.get("date_from"), turn_filters.get("date_to")
    return Filters.parse(
        [str(p) for p in pubs] if isinstance(pubs, (list, tuple)) else (),
        str(lo) if lo else None,
        str(hi) if hi else None,
    )


def filters_value(f: Filters | None) -> dict[str, object]:
    """Filters as plain values, for storing with a turn."""
    if f is None:
        return {}
    return {
        "publishers": list(f.publishers),
        "date_from": f.date_from.isoformat() if f.date_from else None,
        "date_to": f.date_to.isoformat() if f.date_to else None,
    }


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def describe(f: Filters | None) -> str:
    """'publisher inuno.ai from 1 March 2025 to 31 March 2025' — the filters in words."""
    if f is None:
        return ""
    parts = []
    if f.publishers:
        word = "publisher" if len(f.publishers) == 1 else "publishers"
        parts.append(f"{word} {_or(list(f.publishers))}")
    if f.date_from:
        parts.append(f"from {day(f.date_from)}")
    if f.date_to:
        parts.append(f"to {day(f.date_to)}")
    return " ".join(parts)


def matches(meta: DocMeta, f: Filters) -> bool:
    """Whether a document passes the filters, as the index applies them (an undated document
    is left out once a 'to' date is set)."""
    if f.publishers and meta.publisher not in f.publishers:
        return False
    lo, hi = f.day_numbers()
    if lo is not None and meta.date_int < lo:
        return False
    return hi is None or 0 < meta.date_int <= hi


def no_match_message(f: Filters, docs: list[DocSummary]) -> str | None:
    """The message when the filters leave no document, else None."""
    if any(matches(d.meta, f) for d in docs):
        return None
    return f"No documents match {describe(f)}."


def _source(n: int, title: str, publisher: str, published: date | None, url: str | None) -> str:
    where = f" {url}" if url else ""
    return f"[{n}] {title} — {publisher or 'unknown publisher'}, {day(published)}.{where}"


def source_list(answer: Answer) -> list[str]:
    """The numbered source list: one line per citation, with the quoted sentence under it."""
    lines = []
    for c in answer.citations:
        lines.append(_source(c.n, c.title, c.publisher, c.published, c.url))
        lines.append(f"    “{' '.join(c.quote.split())}”")
    return lines


def answer_text(answer: Answer) -> str:
    """An answer as plain text: the text with its [n] markers, then 'Sources:' numbered."""
    parts = [answer.text.strip()]
    if answer.refused:
        parts[0] = f"Not covered. {parts[0]}"
    if line := uncovered_line(answer.uncovered):
        parts.append(line)
    if answer.citations:
        parts.append("Sources:\n" + "\n".join(source_list(answer)))
    return "\n\n".join(parts)


def turn_text(turn: Turn) -> str:
    """What Copy gives for one reply."""
    if turn.answer is not None:
        return answer_text(turn.answer)
    if turn.status == "stopped":
        return f"{turn.text.strip()}\n\n({STOPPED_NOTE})"
    return turn.text


def _quote_block(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())


def conversation_markdown(title: str, turns: list[Turn]) -> str:
    """The whole conversation as Markdown: each question, its answer, its filters and sources."""
    out = [f"# {title}", ""]
    for i, t in enumerate(turns, 1):
        out += [f"## {i}. {' '.join(t.question.split())}", ""]
        if f := describe(filters_of(t.filters)):
            out += [f"*Filters: {f}*", ""]
        a = t.answer
        if a is None:
            out += [_quote_block(t.text) if t.text.strip() else "*(no text)*", ""]
            if t.status == "stopped":
                out += [f"*{STOPPED_NOTE}*", ""]
            continue
        if line := read_as(a):
            out += [f"*{line}*", ""]
        out += ["**Not covered.** " + a.text.strip() if a.refused else a.text.strip(), ""]
        if line := uncovered_line(a.uncovered):
            out += [line, ""]
        if a.citations:
            out += ["**Sources**", ""]
            for c in a.citations:
                link = f" <{c.url}>" if c.url else ""
                out.append(
                    f"- [{c.n}] **{c.title}** — {c.publisher or 'unknown publisher'}, {when(c)}."
                    f"{link}  \n  “{' '.join(c.quote.split())}”"
                )
            out.append("")
    return "\n".join(out).rstrip() + "\n"
