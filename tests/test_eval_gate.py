"""The CI gate: the eval over corpus/ must not fall below evals/baseline.json.

A change that lowers retrieval or answer quality fails here. When a change is meant to move the
numbers, regenerate the baseline (docs/evals.md) and commit it with the change.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluate.metrics import score_from_record, summarize
from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.integration

BRIEFING = Path(sys.executable).parent / "briefing"
CASES = ROOT / "evals" / "cases.jsonl"
BASELINE = ROOT / "evals" / "baseline.json"


def run_eval(
    out: Path, data: Path, cases: Path = CASES, baseline: Path = BASELINE, **env: str
) -> subprocess.CompletedProcess:
    args = [
        str(BRIEFING),
        "eval",
        str(cases),
        "--corpus",
        str(CORPUS),
        "--baseline",
        str(baseline),
        "--out",
        str(out),
    ]
    full_env = {**os.environ, "BRIEFING_DATA_DIR": str(data), "COLUMNS": "200", **env}
    return subprocess.run(args, capture_output=True, text=True, env=full_env, timeout=900)


def test_eval_does_not_regress_against_the_baseline(tmp_path, artifacts):
    out = artifacts / "eval"
    r = run_eval(out, tmp_path / "data")
    assert r.returncode == 0, f"the eval regressed against {BASELINE}:\n{r.stdout}\n{r.stderr}"
    report = json.loads((out / "report.json").read_text())
    cases = [line for line in CASES.read_text().splitlines() if line.strip()]
    assert report["summary"]["n"] == len(cases)
    assert (out / "report.md").is_file() and (out / "report.png").is_file()
    assert not (tmp_path / "data" / "chroma").exists()  # the user's index was never opened


def _subset(folder: Path, n: int) -> tuple[Path, Path, dict]:
    """The first n cases and the baseline cut to them (its summary recomputed from the stored
    per-case scores), so the worse run below costs a fraction of the full eval."""
    lines = [line for line in CASES.read_text().splitlines() if line.strip()][:n]
    ids = {json.loads(line)["id"] for line in lines}
    base = json.loads(BASELINE.read_text())
    base["cases"] = [c for c in base["cases"] if c["id"] in ids]
    summary = summarize([score_from_record(c) for c in base["cases"]])
    # Metrics the committed baseline predates stay out, as in the baseline itself.
    base["summary"] = {k: v for k, v in summary.items() if k in base["summary"]}
    cases, baseline = folder / "cases.jsonl", folder / "baseline.json"
    cases.write_text("\n".join(lines) + "\n")
    baseline.write_text(json.dumps(base))
    return cases, baseline, base


def test_a_worse_configuration_fails_and_names_the_cases(tmp_path):
    """Refusing nearly everything must trip the gate and list what broke."""
    cases, baseline, base = _subset(tmp_path, 16)
    passing = [c["id"] for c in base["cases"] if c["answerable"] and c["passed"]]
    assert passing, "the baseline has no passing answerable case to lose"
    r = run_eval(
        tmp_path / "out",
        tmp_path / "data",
        cases=cases,
        baseline=baseline,
        BRIEFING_REFUSAL_THRESHOLD="0.99",
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Regression" in r.stdout and "false_refusal_rate" in r.stdout
    listed = r.stdout.split("Cases that went from pass to fail", 1)[1]
    for case_id in passing:
        assert f"  {case_id}: refused" in listed
