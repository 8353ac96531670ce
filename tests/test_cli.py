"""The `briefing` command as a user runs it: real processes, real model, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BRIEFING = Path(sys.executable).parent / "briefing"


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
    assert "4 added" in r.stdout and "2 failed" in r.stdout
    assert "broken.pdf" in r.stderr and "nowhere.html: no such file" in r.stderr
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


def test_bad_setting_is_one_line(tmp_path):
    env = {**os.environ, "BRIEFING_K": "zero"}
    r = subprocess.run(
        [str(BRIEFING), "stats"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert r.returncode == 2 and "Invalid setting k" in r.stderr and "Traceback" not in r.stderr
