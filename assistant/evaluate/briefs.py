"""`briefing eval --briefs`: briefs on reference topics, scored against their key events.

A reference topic lists dated events (each found by keywords that all appear in a timeline
line), the words that make a line on-topic (a line reporting a key event is on-topic too), and
known disagreements; a topic the articles don't cover must get the plain refusal. Metrics
are over all topics; the gate compares them with a baseline like the answer evals (lower is
better for errors and duplicates)."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from assistant.answer.citations import quote_holds
from assistant.brief.models import Brief, Line
from assistant.brief.sections import overlap
from assistant.errors import BriefingError
from assistant.models import MARKER
from assistant.settings import Settings
from assistant.text import stem, terms

LOWER_IS_BETTER = ("order_errors", "duplicate_lines", "off_topic_lines", "max_off_topic_lines")
DUPLICATE = 0.6  # stem overlap at which two lines of one section say the same thing


class RefEvent(BaseModel):
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY
    keywords: list[str]


class RefDisagreement(BaseModel):
    keywords: list[str]


class Topic(BaseModel):
    id: str
    topic: str
    since: date | None = None
    until: date | None = None
    covered: bool = True
    terms: list[str] = []
    events: list[RefEvent] = []
    disagreements: list[RefDisagreement] = []


def load_topics(path: Path) -> list[Topic]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(Topic.model_validate_json(line))
        except ValidationError as e:
            msg = e.errors()[0]["msg"]
            raise BriefingError(f"{path}, line {n}: not a reference topic ({msg})") from None
    if not out:
        raise BriefingError(f"{path} has no reference topics.")
    return out


def _span(text: str) -> tuple[date, date]:
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        d = date(*parts)
        return d, d
    if len(parts) == 2:
        y, m = parts
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        return date(y, m, 1), date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], 1, 1), date(parts[0], 12, 31)


def _quoted(line: Line, brief: Brief) -> str:
    """The line and the sentences it cites: a line citing two accounts of one event carries
    the words of both."""
    by_n = {c.n: c.quote for c in brief.citations}
    return " ".join([line.text] + [by_n.get(n, "") for n in line.cites])


def _has(text: str, keywords: list[str]) -> bool:
    """Every keyword is in the text; "a|b" accepts either wording of one."""
    low = text.lower()
    return all(any(alt.lower() in low for alt in k.split("|")) for k in keywords)


def _right_date(line: Line, event: RefEvent) -> bool:
    lo, hi = _span(event.date)
    return bool(line.first and line.last and line.first <= hi and lo <= line.last)


def _supported(line: Line, brief: Brief) -> bool:
    """Every marker points at a citation whose quote is exact, and (offline) the line's own
    words are the quoted sentence's."""
    by_n = {c.n: c for c in brief.citations}
    ns = [int(n) for n in MARKER.findall(line.text)]
    if not ns or any(n not in by_n or not quote_holds(by_n[n]) for n in ns):
        return False
    if brief.generator != "extractive":
        return True  # model lines were checked against their passages when written
    quotes = [by_n[n].quote for n in ns]
    if line in brief.disagreement_lines:
        # "… says 60-day [2]": each value is in the sentence it cites.
        sides = re.findall(r"\b(?:says|said) (.+?) \[(\d+)\]", line.text)
        if sides:
            return all(v in by_n[int(n)].quote for v, n in sides if int(n) in by_n)
        return all(q in line.text for q in quotes)
    body = _body(MARKER.sub("", line.text).strip()).casefold()
    return any(q.casefold() in body or body in q.casefold() for q in quotes)


def _body(text: str) -> str:
    """The line without its 'As of D:' lead, as quoted."""
    if text.startswith("As of ") and (":" in text[:30] or "," in text[:30]):
        cut = min(i for i in (text.find(":"), text.find(",")) if i > 0)
        return text[cut + 1 :].strip()
    return text


def score_topic(topic: Topic, brief: Brief) -> dict[str, Any]:
    if not topic.covered:
        return {
            "id": topic.id,
            "covered": False,
            "refused": not brief.covered,
            "passed": not brief.covered,
        }
    lines = brief.lines()
    found = [
        e for e in topic.events if any(_has(_quoted(x, brief), e.keywords) for x in brief.timeline)
    ]
    right = [
        e
        for e in found
        if any(_has(_quoted(x, brief), e.keywords) and _right_date(x, e) for x in brief.timeline)
    ]
    order = sum(
        1
        for a, b in zip(brief.timeline, brief.timeline[1:], strict=False)
        if a.first and b.last and b.last < a.first
    )
    unsupported = [x.text for x in lines if not _supported(x, brief)]
    dupes = 0
    for section in (brief.bottom_line, brief.timeline, brief.positions):
        stems = [{stem(t) for t in terms(MARKER.sub("", x.text))} for x in section]
        dupes += sum(
            1 for i, a in enumerate(stems) for b in stems[i + 1 :] if overlap(a, b) >= DUPLICATE
        )
    content = brief.bottom_line + brief.timeline + brief.positions
    # A line reporting one of the topic's key events is on it, whatever its words ("The last of
    # them came out on 20 May" in the Olenivka brief: the Azovstal defenders, later its victims).
    off = [
        x.text
        for x in content
        if topic.terms
        and not _has_any(x.text, topic.terms)
        and not any(_has(_quoted(x, brief), e.keywords) for e in topic.events)
    ]
    dis = [
        d
        for d in topic.disagreements
        if any(_has(x.text, d.keywords) for x in brief.disagreement_lines)
    ]
    recall = len(right) / len(topic.events) if topic.events else 1.0
    accuracy = len(right) / len(found) if found else 1.0
    return {
        "id": topic.id,
        "covered": True,
        "refused": not brief.covered,
        "event_recall": round(recall, 4),
        "date_accuracy": round(accuracy, 4),
        "order_errors": order,
        "citation_support": round(1 - len(unsupported) / len(lines), 4) if lines else 0.0,
        "duplicate_lines": dupes,
        "off_topic_lines": len(off),
        "disagreement_recall": round(len(dis) / len(topic.disagreements), 4)
        if topic.disagreements
        else None,
        "missed_events": [
            f"{e.date} {' + '.join(e.keywords)}" for e in topic.events if e not in right
        ],
        "unsupported": unsupported,
        "off_topic": off,
        "lines": len(lines),
        "ms": round(brief.timing_ms.get("total", 0.0), 1),
        "passed": bool(brief.covered)
        and recall >= 0.8
        and accuracy >= 0.95
        and order == 0
        and not unsupported
        and len(off) <= 1,
    }


def _has_any(text: str, words: list[str]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    covered = [r for r in rows if r["covered"]]
    not_covered = [r for r in rows if not r["covered"]]

    def mean(key: str) -> float | None:
        vals = [r[key] for r in covered if r.get(key) is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    return {
        "topics": len(covered),
        "event_recall": mean("event_recall"),
        "min_event_recall": min((r["event_recall"] for r in covered), default=None),
        "date_accuracy": mean("date_accuracy"),
        "order_errors": sum(r["order_errors"] for r in covered),
        "citation_support": mean("citation_support"),
        "duplicate_lines": sum(r["duplicate_lines"] for r in covered),
        "off_topic_lines": sum(r["off_topic_lines"] for r in covered),
        "max_off_topic_lines": max((r["off_topic_lines"] for r in covered), default=0),
        "disagreement_recall": mean("disagreement_recall"),
        "wrongly_refused": sum(r["refused"] for r in covered),
        "not_covered_refused": round(sum(r["refused"] for r in not_covered) / len(not_covered), 4)
        if not_covered
        else None,
        "passed": sum(r["passed"] for r in rows),
    }


def run_briefs(
    topics: list[Topic], settings: Settings, corpus: list[Path] | None, progress: Any = None
) -> dict[str, Any]:
    from assistant.brief.render import markdown
    from assistant.evaluate.runner import open_briefing

    started = time.perf_counter()
    run: dict[str, Any] = {"corpus": [str(f) for f in corpus or []] or None}
    rows, texts = [], {}
    with open_briefing(settings, list(corpus or []), run, progress=progress) as (briefing, _):
        run["index_s"] = round(time.perf_counter() - started, 2)
        for i, t in enumerate(topics):
            if progress:
                progress(f"Brief: {t.topic}", i, len(topics))
            brief = briefing.brief(t.topic, t.since, t.until)
            rows.append(score_topic(t, brief))
            texts[t.id] = markdown(brief)
        generator = briefing.generator.name
    run["wall_s"] = round(time.perf_counter() - started, 2)
    return {
        "summary": summarize(rows),
        "generator": generator,
        "run": run,
        "topics": rows,
        "briefs": texts,
    }


def gate(base: dict[str, Any], report: dict[str, Any], tolerance: float) -> list[str]:
    """The metrics that got worse than the baseline by more than `tolerance`."""
    worse = []
    for key, old in base.get("summary", {}).items():
        new = report["summary"].get(key)
        if not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
            continue
        if key in LOWER_IS_BETTER or key == "wrongly_refused":
            if new > old:
                worse.append(f"{key} {old} → {new}")
        elif key not in ("topics", "passed") and new < old - tolerance:
            worse.append(f"{key} {old} → {new}")
    return worse


def write_reports(report: dict[str, Any], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    js = out_dir / "briefs_report.json"
    js.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md = out_dir / "briefs_report.md"
    rows = ["| metric | value |", "|---|---|"]
    rows += [f"| {k} | {v} |" for k, v in report["summary"].items()]
    per = [
        "",
        "| topic | recall | dates | order | support | dupes | off-topic | passed |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in report["topics"]:
        if r["covered"]:
            per.append(
                f"| {r['id']} | {r['event_recall']} | {r['date_accuracy']} | {r['order_errors']} "
                f"| {r['citation_support']} | {r['duplicate_lines']} | {r['off_topic_lines']} "
                f"| {r['passed']} |"
            )
        else:
            per.append(f"| {r['id']} (not covered) | | | | | | | {r['passed']} |")
    # Every line counted off-topic, to be read: the count alone can't tell a line about
    # something else from a reference word list that is too short.
    off = [
        f"- {r['id']}: {text}" for r in report["topics"] if r["covered"] for text in r["off_topic"]
    ]
    if off:
        per += ["", "## Off-topic lines", "", *off]
    md.write_text("# Brief evals\n\n" + "\n".join(rows + per) + "\n", encoding="utf-8")
    return [js, md]
