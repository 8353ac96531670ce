"""The brief evals as CI runs them: briefs over corpus/ must not fall below their baseline; the
gate names each metric that got worse (lower is better for errors and off-topic lines)."""

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
def test_briefs_do_not_regress_against_the_baseline(tmp_path, artifacts):
    out = artifacts / "eval-briefs"
    r = _run(out, tmp_path / "data", BASELINE)
    assert r.returncode == 0, f"the brief evals regressed against {BASELINE}:\n{r.stdout}"
    report = json.loads((out / "briefs_report.json").read_text())
    assert report["summary"]["topics"] == 6 and report["summary"]["citation_support"] == 1.0


def test_gate_names_what_got_worse_in_either_direction():
    base = {"summary": {"event_recall": 0.9, "order_errors": 0, "off_topic_lines": 2, "topics": 6}}
    same = {"summary": {"event_recall": 0.89, "order_errors": 0, "off_topic_lines": 2, "topics": 5}}
    assert gate(base, same, 0.02) == []
    worse = {"summary": {"event_recall": 0.8, "order_errors": 1, "off_topic_lines": 1, "topics": 6}}
    assert gate(base, worse, 0.02) == ["event_recall 0.9 → 0.8", "order_errors 0 → 1"]


def test_the_command_fails_naming_the_metrics_a_better_baseline_has(tmp_path, monkeypatch):
    import typer

    from assistant.evaluate import briefs
    from assistant.evaluate.command import _eval_briefs

    topics = tmp_path / "topics.jsonl"
    topics.write_text('{"id": "k", "topic": "Kursk"}\n')
    summary = {"event_recall": 0.9, "order_errors": 0, "citation_support": 1.0, "topics": 1}
    monkeypatch.setattr(
        briefs,
        "run_briefs",
        lambda *a, **k: {"summary": summary, "topics": [], "generator": "x", "run": {}},
    )
    better = tmp_path / "topics_baseline.json"
    better.write_text(json.dumps({"summary": {**summary, "event_recall": 1.0, "order_errors": -1}}))
    with pytest.raises(typer.Exit) as failed:
        _eval_briefs(topics, None, tmp_path / "out", None, 0.02, False)
    assert failed.value.exit_code == 1
    better.write_text(json.dumps({"summary": summary}))
    _eval_briefs(topics, None, tmp_path / "out", None, 0.02, False)  # the same: no regression
