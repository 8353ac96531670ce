"""`python -m bench.answer_latency`: cold and warm answer time over the shipped corpus.

Every question of the cases file is asked twice through the whole pipeline (condense, retrieve,
evidence check, answer) against a fresh index of the corpus in a temporary folder. The first
pass pays for reading sentences with the model; the second is what an analyst sees once the
assistant has been running a while. Prints p50/p95 of both passes.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    i = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[i]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=REPO / "evals" / "cases.jsonl")
    parser.add_argument("--corpus", type=Path, action="append")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from assistant.pipeline import Briefing
    from assistant.settings import Settings

    corpora = args.corpus or [REPO / "corpus"]
    questions = [
        json.loads(line)["question"]
        for line in args.cases.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        briefing = Briefing(Settings(data_dir=Path(tmp)))
        briefing.ingestor.ingest_paths(corpora)
        briefing.ask("warm-up: who led the talks?")
        passes: list[list[float]] = []
        for _ in range(2):
            times = []
            for q in questions:
                t = time.perf_counter()
                briefing.ask(q)
                times.append((time.perf_counter() - t) * 1000)
            passes.append(times)
    print(f"{len(questions)} questions over {', '.join(str(c) for c in corpora)}")
    for name, times in zip(("cold", "warm"), passes, strict=True):
        print(
            f"{name}: p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms, "
            f"max {max(times):.0f} ms"
        )


if __name__ == "__main__":
    main()
