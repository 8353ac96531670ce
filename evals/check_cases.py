"""Check an eval split: schema, category counts, and that every must_include group is in a source.

Run from the repo root:  .venv/bin/python evals/check_cases.py evals/dev4
A split is a folder with cases.jsonl and corpus/. The expected number of cases per category is
read from the "Cases:" line of the split's README.md ("Cases: near-topic 14, plain 13, ..."),
or given with --expect-counts near-topic=14,plain=13,...; each count must match exactly.
Uses the project's own cleaner (what the index sees) and the eval's normalisation; falls back to a
raw substring check on the file when the project cannot be imported.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATEGORIES = {
    "plain",
    "near-topic",
    "conflict",
    "superseded",
    "compound",
    "two-doc",
    "date",
    "follow-up",
    "off-topic",
}
FIELDS = {
    "id",
    "question",
    "reference",
    "must_include",
    "sources",
    "answerable",
    "history",
    "category",
    "conflict",
    "superseded",
}
_COUNT = re.compile(r"\b([a-z][a-z-]*) (\d+)\b")

sys.path.insert(0, str(ROOT))
try:
    from assistant.evaluate.metrics import normalise
    from assistant.ingest.clean import clean
    from assistant.ingest.load import load_file

    def text_of(path: Path) -> str:
        return clean(load_file(path, 20 * 2**20)).text
except Exception as e:  # the project is not importable: check the raw file instead
    print(f"note: cleaner unavailable ({e}); checking raw file text", file=sys.stderr)

    def normalise(text: str) -> str:
        return " ".join(text.lower().split())

    def text_of(path: Path) -> str:
        return path.read_text(encoding="utf-8")


def parse_counts(text: str) -> dict[str, int]:
    """'near-topic=14,plain=13' or 'near-topic 14, plain 13 (a note), ...' → {category: n}."""
    text = re.sub(r"\([^)]*\)", "", text).replace("=", " ")
    counts = {cat: int(n) for cat, n in _COUNT.findall(text) if cat in CATEGORIES}
    unknown = [cat for cat, _ in _COUNT.findall(text) if cat not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown categories {unknown}")
    return counts


def readme_counts(split: Path) -> dict[str, int] | None:
    readme = split / "README.md"
    if not readme.exists():
        return None
    for line in readme.read_text(encoding="utf-8").splitlines():
        if line.startswith("Cases:"):
            return parse_counts(line.removeprefix("Cases:"))
    return None


def check(split: Path, expected: dict[str, int]) -> int:
    corpus = split / "corpus"
    docs = {p.name: normalise(text_of(p)) for p in sorted(corpus.iterdir()) if p.is_file()}
    problems: list[str] = []
    warnings: list[str] = []
    cases = [
        json.loads(line)
        for line in (split / "cases.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    ids = Counter(c["id"] for c in cases)
    problems += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for c in cases:
        cid = c["id"]
        if set(c) - FIELDS:
            problems.append(f"{cid}: unknown fields {set(c) - FIELDS}")
        if c.get("category") not in CATEGORIES:
            problems.append(f"{cid}: bad category {c.get('category')!r}")
        groups, sources = c.get("must_include", []), c.get("sources", [])
        if not c["answerable"]:
            if groups or c.get("conflict") or c.get("superseded"):
                problems.append(f"{cid}: unanswerable case with groups/conflict/superseded")
            continue
        if not groups or not sources:
            problems.append(f"{cid}: answerable without groups or sources")
        for s in sources:
            if s not in docs:
                problems.append(f"{cid}: source {s} not in corpus")
        gold = [docs[s] for s in sources if s in docs]
        for g in groups:
            if not any(normalise(x) in d for x in g for d in gold):
                problems.append(f"{cid}: group {g} in no listed source")
        if c.get("conflict") and len(groups) < 2:
            problems.append(f"{cid}: conflict case needs groups for both values")
        for old in c.get("superseded", []):
            if not any(normalise(old) in d for d in docs.values()):
                problems.append(f"{cid}: superseded value {old!r} is in no corpus file")
        # a file that holds every group but is not listed: probably a missing source
        for name, d in docs.items():
            distinctive = all(len(x) >= 6 for g in groups for x in g)
            if (
                distinctive
                and name not in sources
                and all(any(normalise(x) in d for x in g) for g in groups)
            ):
                warnings.append(f"{cid}: {name} also contains all groups (check sources)")
        if c.get("history") and not all(t["role"] in {"user", "assistant"} for t in c["history"]):
            problems.append(f"{cid}: bad history roles")
    counts = Counter(c["category"] for c in cases)
    for cat in sorted(CATEGORIES):
        if counts[cat] != expected.get(cat, 0):
            problems.append(f"{counts[cat]} {cat} cases, expected {expected.get(cat, 0)}")
    print(f"{split}: {len(cases)} cases, {len(docs)} documents:", dict(sorted(counts.items())))
    print(
        f"conflict=true: {sum(bool(c.get('conflict')) for c in cases)}, "
        f"with superseded values: {sum(bool(c.get('superseded')) for c in cases)}"
    )
    for w in warnings:
        print("warning:", w)
    for p in problems:
        print("PROBLEM:", p)
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="the split's folder (cases.jsonl, corpus/)")
    parser.add_argument(
        "--expect-counts",
        metavar="CAT=N,...",
        help="cases expected per category (default: the 'Cases:' line of SPLIT/README.md)",
    )
    args = parser.parse_args(argv)
    split: Path = args.split
    if not (split / "cases.jsonl").is_file() or not (split / "corpus").is_dir():
        parser.error(f"{split} has no cases.jsonl or no corpus/")
    try:
        expected = parse_counts(args.expect_counts) if args.expect_counts else readme_counts(split)
    except ValueError as e:
        parser.error(f"--expect-counts: {e}")
    if not expected:
        parser.error(f"no 'Cases:' line in {split / 'README.md'}; give --expect-counts")
    return check(split, expected)


if __name__ == "__main__":
    sys.exit(main())
