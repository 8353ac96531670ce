"""The brief evals as CI runs them: briefs over corpus/ must not fall below their baseline, and
a baseline they fall below fails the run naming the metric."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluate.briefs import gate
from tests.conftest import CORPUS, ROOT

BRIEFING = Path(sys.executable).parent / "briefing"
TOPICS = ROOT / "evals" / "briefs" / "topics.jsonl"
BASELINE = ROOT / "evals" / "briefs" / "topics_baseline.json"


def _run(out: Path, data: Path, baseline: Path) -> subprocess.CompletedProcess:
    args = [
        str(BRIEFING),
        "eval",
        "--briefs",
        str(TOPICS),
        "--corpus",
        str(CORPUS),
        "--baseline",
        str(baseline),
        "--out",
        str(out),
    ]
    env = {**os.environ, "BRIEFING_DATA_DIR": str(data), "COLUMNS": "200"}
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=900)


@pytest.mark.integration
def test_briefs_do_not_regress_and_a_better_baseline_fails(tmp_path, artifacts):
    out = artifacts / "eval-briefs"
    r = _run(out, tmp_path / "data", BASELINE)
    assert r.returncode == 0, f"the brief evals regressed against {BASELINE}:\n{r.stdout}"
    report = json.loads((out / "briefs_report.json").read_text())
    assert report["summary"]["topics"] == 6 and report["summary"]["citation_support"] == 1.0
    better = json.loads(BASELINE.read_text())
    better["summary"]["event_recall"] = 1.01
    better["summary"]["order_errors"] = -1
    (tmp_path / "better.json").write_text(json.dumps(better))
    r = _run(tmp_path / "out2", tmp_path / "data2", tmp_path / "better.json")
    assert r.returncode == 1
    assert "event_recall" in r.stdout and "order_errors" in r.stdout


def test_gate_names_what_got_worse_in_either_direction():
    base = {"summary": {"event_recall": 0.9, "order_errors": 0, "off_topic_lines": 2, "topics": 6}}
    same = {"summary": {"event_recall": 0.89, "order_errors": 0, "off_topic_lines": 2, "topics": 5}}
    assert gate(base, same, 0.02) == []
    worse = {"summary": {"event_recall": 0.8, "order_errors": 1, "off_topic_lines": 1, "topics": 6}}
    assert gate(base, worse, 0.02) == ["event_recall 0.9 → 0.8", "order_errors 0 → 1"]
