"""`python -m bench` (or `make bench`): the whole benchmark in one run, written to BENCHMARKS.md.

Every measurement runs in a fresh worker process. Corpora, chunk vectors and the built indexes
are cached under bench/.cache/, so only the first run pays for embedding the corpora.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import machine, report

REPO = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
# Files whose content decides what a built index looks like on disk.
INDEX_CODE = [
    "assistant/index.py",
    "assistant/bm25.py",
    "assistant/segments.py",
    "assistant/embeddings.py",
    "assistant/text.py",
    "assistant/models.py",
    "assistant/ingest/__init__.py",
    "assistant/ingest/chunk.py",
    "assistant/ingest/clean.py",
    "assistant/ingest/load.py",
]
TASKS = ["ingest", "retrieval", "answers", "peer", "cold_ask", "cold_web", "chain", "validate"]


def size(text: str) -> int:
    text = text.strip().lower()
    return int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)


def sizes(text: str) -> list[int]:
    return [size(s) for s in text.split(",") if s.strip()]


def code_id(code: Path) -> str:
    h = hashlib.sha1()
    for name in INDEX_CODE:
        f = code / name
        h.update(name.encode() + (f.read_bytes() if f.exists() else b""))
    return h.hexdigest()[:10]


def run(task: str, code_dir: Path, **kwargs: Any) -> dict[str, Any]:
    """One task in a fresh process with `code`'s `assistant` package first on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        PYTHONPATH=f"{code_dir}{os.pathsep}{REPO}",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        TOKENIZERS_PARALLELISM="false",
    )
    load = os.getloadavg()[0]
    t = time.perf_counter()
    print(f"· {task} {kwargs}  (load {load:.1f})", file=sys.stderr, flush=True)
    done = subprocess.run(
        [sys.executable, "-m", "bench.worker", task, json.dumps(kwargs)],
        cwd=code_dir,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench task {task} {kwargs} failed with exit code {done.returncode}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_before"] = load
    result["load_after"] = os.getloadavg()[0]
    print(f"  done in {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1k,10k,100k", help="retrieval sizes in chunks")
    p.add_argument("--ingest-sizes", default="1k", help="ingest sizes in chunks (1k–5k)")
    p.add_argument("--repeats", type=int, default=3, help="passes over the 78 questions")
    p.add_argument("--ingest-repeats", type=int, default=3)
    p.add_argument("--cold-repeats", type=int, default=3)
    p.add_argument("--skip", default="", help=f"comma-separated tasks out of {','.join(TASKS)}")
    p.add_argument(
        "--code",
        type=Path,
        default=REPO,
        help="folder whose assistant/ is measured (e.g. an export of an older commit)",
    )
    p.add_argument("--label", default="current", help="name of this run's results file")
    p.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="results JSON of an earlier run, shown as 'before'",
    )
    p.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    p.add_argument("--chart", type=Path, default=Path(__file__).resolve().parent / "results.png")
    p.add_argument("--no-report", action="store_true", help="only write the results JSON")
    p.add_argument(
        "--index-id",
        default=None,
        help="use the cached indexes of this code id (e.g. built by an older commit whose layout "
        "this code reads) instead of building this code's own",
    )
    args = p.parse_args(argv)

    code = args.code.resolve()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    cid = args.index_id or code_id(code)
    started = time.time()
    results: dict[str, Any] = {
        "label": args.label,
        "code": str(code),
        "code_id": cid,
        "machine": machine.describe(),
        "sizes": {},
        "ingest": [],
    }
    for n in sizes(args.sizes):
        row: dict[str, Any] = {"build": run("build", code, size=n, code_id=cid)}
        if "retrieval" not in skip:
            row["retrieval"] = run("retrieval", code, size=n, code_id=cid, repeats=args.repeats)
        if "answers" not in skip:
            row["answers"] = run("answers", code, size=n, code_id=cid, repeats=args.repeats)
        if "peer" not in skip:
            row["peer"] = run("peer", code, size=n, repeats=args.repeats)
        if "cold_ask" not in skip:
            row["cold_ask"] = run(
                "cold_ask", code, size=n, code_id=cid, code=str(code), repeats=args.cold_repeats
            )
        if "cold_web" not in skip:
            row["cold_web"] = run(
                "cold_web",
                code,
                size=n,
                code_id=cid,
                code=str(code),
                repeats=max(1, args.cold_repeats - 1),
            )
        if "chain" not in skip:
            row["chain"] = run("chain", code, size=n, code_id=cid, repeats=1)
        results["sizes"][str(n)] = row
    if "ingest" not in skip:
        for n in sizes(args.ingest_sizes):
            results["ingest"].append(run("ingest", code, size=n, repeats=args.ingest_repeats))
    if "validate" not in skip and max(sizes(args.sizes), default=0) > 10_000:
        results["validate"] = run("validate", code)
    results["minutes"] = (time.time() - started) / 60
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{args.label}.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"results: {out}", file=sys.stderr)
    if not args.no_report:
        baseline = json.loads(args.baseline.read_text()) if args.baseline else None
        report.write(results, baseline, args.out, args.chart)
        print(f"report: {args.out}, chart: {args.chart}", file=sys.stderr)


if __name__ == "__main__":
    main()
