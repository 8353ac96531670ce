"""`briefing eval`: run the cases, write the reports, and gate against the baseline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from assistant.errors import BriefingError
from assistant.progress import progress_bar

out = Console()
err = Console(stderr=True)


def _table(comparison: Any, title: str, a: str, b: str) -> Table:
    from assistant.evaluate.report import fmt, fmt_delta

    table = Table("metric", a, b, "Δ", "", title=title)
    for r in comparison.rows:
        style = {"regressed": "red", "new": "cyan", "not gated": "dim"}.get(r.flag)
        flag = f"[{style}]{r.flag}[/]" if style else r.flag
        table.add_row(r.name, fmt(r.name, r.base), fmt(r.name, r.new), fmt_delta(r), flag)
    return table


def _summary_table(summary: dict[str, Any]) -> Table:
    from assistant.evaluate.report import fmt

    table = Table("metric", "this run", title="Summary")
    for name, value in summary.items():
        table.add_row(name, fmt(name, value))
    return table


def _print_cases(
    title: str, entries: list[dict[str, Any]], style: str, reason: bool = True
) -> None:
    """One line a case: why it fails now (for new failures), or what changed."""
    if not entries:
        return
    out.print(f"[{style}]{title} ({len(entries)}):[/]")
    for e in entries:
        detail = (e["why"] if reason else "") or "; ".join(e["changes"]) or e["why"]
        out.print(f"  {e['id']}: {detail}", highlight=False, markup=False)


def _compare_files(a: Path, b: Path, tolerance: float) -> None:
    from assistant.evaluate.report import compare, load_report

    ra, rb = load_report(a), load_report(b)
    comparison = compare(ra, rb, tolerance)
    out.print(_table(comparison, f"{a} → {b}", a.name, b.name))
    for label, r in (("A", ra), ("B", rb)):
        out.print(
            f"{label}: generator {r.get('generator')}, prompt version "
            f"{r.get('prompt_version') or '—'}, k = {r.get('k')}",
            highlight=False,
        )
    _print_cases("pass → fail", comparison.pass_to_fail, "red")
    _print_cases("fail → pass", comparison.fail_to_pass, "green", reason=False)
    others = [e for e in comparison.changed if e["was"] == e["now"]]
    _print_cases("changed, same verdict", others, "yellow", reason=False)
    if comparison.only_base or comparison.only_new:
        out.print(
            f"only in A: {', '.join(comparison.only_base) or '—'}; "
            f"only in B: {', '.join(comparison.only_new) or '—'}",
            highlight=False,
        )


def _eval_briefs(
    topics_file: Path,
    corpus: list[Path] | None,
    out_dir: Path | None,
    baseline: Path | None,
    tolerance: float,
    update_baseline: bool,
) -> None:
    from assistant.evaluate.briefs import gate, load_topics, run_briefs, write_reports
    from assistant.settings import load_settings

    topics = load_topics(topics_file)
    # Beside the topics, named after them: a folder's baseline.json is the answer evals'.
    baseline_path = baseline or topics_file.with_name(f"{topics_file.stem}_baseline.json")
    with progress_bar(err) as bar:
        task = bar.add_task("Starting", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what[:50], completed=done, total=total)

        report = run_briefs(topics, load_settings(), corpus, progress)
    table = Table("metric", "this run", title="Brief evals")
    for name, value in report["summary"].items():
        table.add_row(name, str(value))
    out.print(table)
    for r in report["topics"]:
        if not r["passed"]:
            if not r["covered"]:
                why = "should have been refused"
            elif r["refused"]:
                why = "refused"
            else:
                bits = [f"missed {', '.join(r['missed_events'])}"] if r["missed_events"] else []
                bits += [f"{len(r['off_topic'])} off-topic"] if r["off_topic"] else []
                bits += [f"{len(r['unsupported'])} unsupported"] if r["unsupported"] else []
                why = "; ".join(bits) or "dates or order"
            out.print(f"  {r['id']}: {why}", highlight=False, markup=False)
    paths = write_reports(report, out_dir or topics_file.parent / "out")
    out.print("Reports: " + ", ".join(str(p) for p in paths), highlight=False)
    if update_baseline:
        slim = {k: v for k, v in report.items() if k != "briefs"}
        baseline_path.write_text(json.dumps(slim, indent=1) + "\n", encoding="utf-8")
        out.print(f"Baseline written to {baseline_path}.", highlight=False)
        return
    if not baseline_path.exists():
        if baseline is not None:
            raise BriefingError(f"No baseline at {baseline}; create one with --update-baseline.")
        return
    worse = gate(json.loads(baseline_path.read_text(encoding="utf-8")), report, tolerance)
    if worse:
        out.print(
            f"[red]Regression[/] against {baseline_path}: {'; '.join(worse)}", highlight=False
        )
        raise typer.Exit(1)
    out.print(f"No regression against {baseline_path}.", highlight=False)


def eval_command(
    cases: Annotated[
        Path | None,
        typer.Argument(help="CASES.jsonl: one reference question a line.", show_default=False),
    ] = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            help="Index exactly this folder in a temporary index (the user's index is untouched). "
            "Repeat it to index the union of several folders. Without it, the user's index is "
            "used.",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Where report.json/.md/.png go (default: out/ beside the cases file).",
            show_default=False,
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Baseline report to gate against (default: baseline.json beside the cases file).",
            show_default=False,
        ),
    ] = None,
    k: Annotated[int | None, typer.Option(min=1, max=50, help="Passages per question.")] = None,
    tolerance: Annotated[
        float, typer.Option(min=0.0, help="How far a metric may fall below the baseline.")
    ] = 0.02,
    update_baseline: Annotated[
        bool, typer.Option("--update-baseline", help="Write this run as the new baseline.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Ask the model again instead of using cached answers."),
    ] = False,
    briefs: Annotated[
        bool,
        typer.Option(
            "--briefs",
            help="The file holds reference topics: score briefs (events, dates, order, "
            "citations, duplicates, off-topic lines, disagreements) instead of answers.",
        ),
    ] = False,
    compare: Annotated[
        tuple[Path, Path] | None,
        typer.Option(
            help="Compare two report.json files side by side; runs nothing.",
            metavar="A.json B.json",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the eval cases and compare with the baseline; exit 1 on a regression."""
    if compare:
        _compare_files(compare[0], compare[1], tolerance)
        return
    if cases is None:
        raise BriefingError("Give a cases file (CASES.jsonl), or --compare A.json B.json.")
    if briefs:
        _eval_briefs(cases, corpus, out_dir, baseline, tolerance, update_baseline)
        return
    from assistant.evaluate.cases import load_cases
    from assistant.evaluate.report import compare as compare_reports
    from assistant.evaluate.report import load_report, write
    from assistant.evaluate.runner import run_eval
    from assistant.settings import load_settings

    settings = load_settings()
    loaded = load_cases(cases)
    baseline_path = baseline or cases.parent / "baseline.json"
    base = None
    if baseline_path.exists():
        base = load_report(baseline_path)
    elif baseline is not None and not update_baseline:
        raise BriefingError(f"No baseline at {baseline}; create one with --update-baseline.")

    with progress_bar(err) as bar:
        task = bar.add_task("Starting", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what[:50], completed=done, total=total)

        report = run_eval(
            loaded,
            settings,
            corpus=corpus or None,
            k=k,
            use_cache=not no_cache,
            progress=progress,
            cases_file=str(cases),
        )

    comparison = compare_reports(base, report, tolerance) if base else None
    paths = write(report, out_dir or cases.parent / "out", base, comparison)
    if comparison:
        out.print(_table(comparison, "This run against the baseline", "baseline", "this run"))
        for key in ("generator", "prompt_version", "k"):
            if base and base.get(key) != report.get(key):
                out.print(
                    f"[yellow]note:[/] the baseline has {key} = {base.get(key)}, "
                    f"this run {report.get(key)}",
                    highlight=False,
                )
    else:
        out.print(_summary_table(report["summary"]))
    run = report["run"]
    failing = sum(not c["passed"] for c in report["cases"])
    cache = (
        f"; cache {run['cache']['hits']} hits, {run['cache']['misses']} misses"
        if run.get("cache")
        else ""
    )
    out.print(
        f"{failing} of {len(report['cases'])} cases fail; generator {report['generator']}, "
        f"k = {report['k']}; {run['wall_s']} s{cache}",
        highlight=False,
    )
    for failure in run.get("ingest_failed", []):
        err.print(f"[yellow]not indexed:[/] {failure}", highlight=False)
    for u in run.get("not_in_sources", []):
        err.print(
            f"[yellow]check case {u['id']} (line {u['line']}):[/] no gold source contains "
            f"any of {u['group']}",
            highlight=False,
        )
    out.print("Reports: " + ", ".join(str(p) for p in paths), highlight=False)

    if update_baseline:
        baseline_path.parent.mkdir(parents=True, exist_ok=True)
        baseline_path.write_text(
            json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        out.print(f"Baseline written to {baseline_path}.", highlight=False)
        return
    if comparison is None:
        return
    if comparison.regressed:
        names = ", ".join(r.name for r in comparison.regressed)
        out.print(f"[red]Regression[/] beyond {tolerance}: {names}", highlight=False)
        _print_cases("Cases that went from pass to fail", comparison.pass_to_fail, "red")
        raise typer.Exit(1)
    _print_cases(
        "Within tolerance, but these went from pass to fail", comparison.pass_to_fail, "yellow"
    )
    _print_cases("Fail to pass", comparison.fail_to_pass, "green", reason=False)
