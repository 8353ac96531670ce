"""`python -m bench.brief_latency --size 10k --size 100k`: how long a brief takes, cold and warm.

Each size runs in a fresh process over the index `python -m bench` built and cached (the
synthetic corpus of real sentences, bench/.cache/index-*-SIZE), and briefs every covered
reference topic of evals/briefs/topics.jsonl twice: the first pass reads the topic's articles
and their sentences for the first time, the second is what an analyst sees once the assistant
has been running. The shipped corpus is measured the same way with `--size corpus`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
TOPICS = REPO / "evals" / "briefs" / "topics.jsonl"


def _topics() -> list[str]:
    rows = [json.loads(line) for line in TOPICS.read_text().splitlines() if line.strip()]
    return [r["topic"] for r in rows if r.get("covered", True)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _index_for(size: str) -> Path:
    found = sorted(CACHE.glob(f"index-*-{size}"), key=lambda p: p.stat().st_mtime)
    if not found:
        raise SystemExit(f"No cached index of {size} chunks: run `python -m bench` first.")
    return found[-1]


def measure(size: str) -> dict[str, object]:
    """Both passes over one index, in this process."""
    from assistant.pipeline import Briefing
    from assistant.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        if size == "corpus":
            briefing = Briefing(Settings(data_dir=Path(tmp), _env_file=None))
            briefing.ingest([REPO / "corpus"])
        else:
            briefing = Briefing(Settings(data_dir=_index_for(size), _env_file=None))
        chunks = briefing.index.count()
        briefing.warm_up()
        passes = []
        for _ in range(2):
            times = []
            for topic in _topics():
                t = time.perf_counter()
                briefing.brief(topic)
                times.append((time.perf_counter() - t) * 1000)
            passes.append(times)
    return {
        "size": size,
        "chunks": chunks,
        **{
            name: {
                "p50": _percentile(t, 0.5),
                "p95": _percentile(t, 0.95),
                "max": max(t),
                "n": len(t),
            }
            for name, t in zip(("cold", "warm"), passes, strict=True)
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", action="append", help="10k, 100k or corpus")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the worker's own size
    args = parser.parse_args()
    if args.one:
        sys.stdout.write(json.dumps(measure(args.one)) + "\n")
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    for size in args.size or ["corpus"]:
        n = size.lower().replace("k", "000")
        load = os.getloadavg()[0]
        out = subprocess.run(
            [sys.executable, "-m", "bench.brief_latency", "--one", n],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{size}: {r['chunks']} chunks, load {load:.1f}; "
            f"cold p50 {r['cold']['p50']:.0f} ms, p95 {r['cold']['p95']:.0f} ms; "
            f"warm p50 {r['warm']['p50']:.0f} ms, p95 {r['warm']['p95']:.0f} ms, "
            f"max {r['warm']['max']:.0f} ms ({r['warm']['n']} briefs)"
        )


if __name__ == "__main__":
    main()
