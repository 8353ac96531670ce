"""The `briefing` command as a user runs it: real processes, real model, one-line errors; and
what `briefing ask` and `briefing chat` print beside an answer, from hand-built Answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from assistant import cli
from assistant.chat import run_chat, show
from assistant.models import Answer, Citation, Disagreement, Side

BRIEFING = Path(sys.executable).parent / "briefing"
JUNE_8, JUNE_9 = date(2023, 6, 8), date(2023, 6, 9)


def run(args: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "BRIEFING_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [str(BRIEFING), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=180
    )


@pytest.mark.integration
def test_cli_end_to_end(tmp_path, articles):
    data = tmp_path / "data"
    (articles / "broken.pdf").write_bytes(b"%PDF-1.4 nothing here")
    (articles / "notes.docx").write_bytes(b"PK\x03\x04")
    r = run(["ingest", str(articles), str(tmp_path / "nowhere.html")], data, tmp_path)
    assert r.returncode == 1
    assert "4 added" in r.stdout and "3 failed" in r.stdout
    assert "broken.pdf" in r.stderr and "nowhere.html: no such file" in r.stderr
    assert "notes.docx: the Word file cannot be read" in r.stderr
    assert "Traceback" not in r.stderr

    r = run(["ask", "--json", "Who led the US delegation in Saudi Arabia?"], data, tmp_path)
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    assert "Marco Rubio" in answer["text"] and not answer["refused"]
    c = answer["citations"][0]
    assert c["publisher"] == "inuno.ai" and c["published"] == "2025-03-11"
    assert c["quote"] in c["chunk_text"]

    r = run(["ask", "Who led the US delegation in Saudi Arabia?"], data, tmp_path)
    assert "Marco Rubio" in r.stdout and "[1] The delicate thread to peace" in r.stdout

    r = run(["ask", "   "], data, tmp_path)
    assert r.returncode == 2 and r.stderr.strip() == "error: Please type a question."

    r = run(["sources"], data, tmp_path)
    assert "inuno.ai" in r.stdout and "4 documents" in r.stdout
    doc_id = next(
        line.split("│")[1].strip() for line in r.stdout.splitlines() if "Gas transit" in line
    )
    r = run(["remove", doc_id], data, tmp_path)
    assert r.returncode == 0 and "Removed" in r.stdout
    r = run(["stats"], data, tmp_path)
    assert "documents: 3" in r.stdout

    r = run(["remove", "ffffffffffffffff"], data, tmp_path)
    assert r.returncode == 2 and "No document with id" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.integration
def test_bad_setting_is_one_line(tmp_path):
    env = {**os.environ, "BRIEFING_K": "zero"}
    r = subprocess.run(
        [str(BRIEFING), "stats"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert r.returncode == 2 and "Invalid setting k" in r.stderr and "Traceback" not in r.stderr


def _citation(n: int, publisher: str, published: date) -> Citation:
    quote = f"Quote {n} about the drones."
    return Citation(
        n=n,
        doc_id=f"d{n}",
        chunk_id=f"d{n}:0",
        title=f"Report {n}",
        publisher=publisher,
        published=published,
        source=f"report_{n}.md",
        quote=quote,
        start=0,
        end=len(quote),
    )


def _disputed(value: str = "32") -> Answer:
    return Answer(
        question="and how many drones?",
        standalone_question="How many drones were shot down over the Black Sea?",
        text="Sources disagree: Black Sea Monitor (8 June 2023) says 25 [1]; "
        "Steppe Dispatch (9 June 2023) says 32 [2].",
        citations=[
            _citation(1, "Black Sea Monitor", JUNE_8),
            _citation(2, "Steppe Dispatch", JUNE_9),
        ],
        generator="llm:fake",
        disagreements=[
            Disagreement(
                about="drones shot down",
                sides=[
                    Side(
                        value="25", n=1, publisher="Black Sea Monitor", published=date(2023, 6, 8)
                    ),
                    Side(value=value, n=2, publisher="Steppe Dispatch", published=date(2023, 6, 9)),
                ],
            ),
            Disagreement(
                about="launch site",
                kind="update",
                sides=[Side(value="Crimea", n=2), Side(value="Novorossiysk", n=1)],
            ),
        ],
        unsupported=["Forty drones hit Odesa. [1]", "The navy lost two ships. [2]"],
        flagged=["Officials were surprised."],
        uncovered=["the cost of the drones"],
        as_of=JUNE_9,
        notice="Some sentences carry no citation; check them against the sources.",
    )


class _Briefing:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    def stream(self, question, history=None, filters=None, k=None):
        yield self.answer.text
        yield self.answer

    def ask(self, question, filters=None, k=None):
        return self.answer


def _ask(monkeypatch, answer: Answer, *args: str) -> str:
    monkeypatch.setattr(cli, "_settings", lambda: None)
    monkeypatch.setattr(cli, "_briefing", lambda settings: _Briefing(answer))
    result = CliRunner().invoke(cli.app, ["ask", *args, answer.question])
    assert result.exit_code == 0, result.output
    return result.output


def test_ask_prints_disagreements_removed_sentences_and_dates(monkeypatch):
    shown = _ask(monkeypatch, _disputed())
    assert shown.startswith("Sources disagree: Black Sea Monitor (8 June 2023) says 25 [1];")
    assert "Read as: How many drones were shot down over the Black Sea?" in shown
    assert "Newest source: 9 June 2023 · Sources dated 8 – 9 June 2023" in shown
    assert "⚠ Sources disagree — drones shot down\n" in shown
    assert "  • 25 — Black Sea Monitor, 8 June 2023 [1]\n" in shown
    assert "  • 32 — Steppe Dispatch, 9 June 2023 [2]\n" in shown
    update = shown.index("↻ Updated report — launch site (newer report first)")
    now = shown.index("  • Now: Crimea — Steppe Dispatch, 9 June 2023 [2]")
    assert update < now < shown.index("  • Earlier: Novorossiysk — Black Sea Monitor, 8 June 2023")
    assert "Not covered by the articles: the cost of the drones" in shown
    assert "Not cited:\n  • Officials were surprised." in shown
    assert "Removed — not supported by the cited passages (2 sentences removed):" in shown
    assert "  ✗ Forty drones hit Odesa. [1]\n  ✗ The navy lost two ships. [2]" in shown
    assert shown.index("Removed") < shown.index("[1] Report 1 — Black Sea Monitor, 8 June 2023")


def test_ask_json_carries_the_new_fields(monkeypatch):
    data = json.loads(_ask(monkeypatch, _disputed(), "--json"))
    assert data["disagreements"][0]["sides"][1] == {
        "value": "32",
        "n": 2,
        "publisher": "Steppe Dispatch",
        "published": "2023-06-09",
    }
    assert data["as_of"] == "2023-06-09" and len(data["unsupported"]) == 2


def test_hostile_values_are_printed_as_text_not_markup(monkeypatch):
    shown = _ask(monkeypatch, _disputed(value="[bold red]<script>alert(1)</script>[/]"))
    assert "  • [bold red]<script>alert(1)</script>[/] — Steppe Dispatch" in shown


def test_chat_shows_the_same_notes_and_reads_follow_ups_as_a_question():
    lines = iter(["and how many drones?", "/quit"])
    console = Console(record=True, width=200, force_terminal=False)
    run_chat(_Briefing(_disputed()), console, read=lambda prompt: next(lines))
    shown = console.export_text()
    assert "Read as: How many drones were shot down over the Black Sea?" in shown
    assert "searched for" not in shown.lower()
    assert "⚠ Sources disagree — drones shot down" in shown
    assert "Removed — not supported by the cited passages (2 sentences removed):" in shown
    assert "[2] Report 2 — Steppe Dispatch, 9 June 2023 (report_2.md)" in shown


def test_plain_answer_prints_only_its_sources():
    plain = _disputed().model_copy(
        update={
            "standalone_question": None,
            "disagreements": [],
            "unsupported": [],
            "flagged": [],
            "uncovered": [],
            "as_of": None,
            "notice": None,
        }
    )
    console = Console(record=True, width=200, force_terminal=False)
    show(iter([plain.text, plain]), console)
    assert console.export_text().splitlines()[1:] == [
        "[1] Report 1 — Black Sea Monitor, 8 June 2023 (report_1.md)",
        "    “Quote 1 about the drones.”",
        "[2] Report 2 — Steppe Dispatch, 9 June 2023 (report_2.md)",
        "    “Quote 2 about the drones.”",
    ]
