"""Reports on disk (report.json, report.md, report.png) and the comparison of two runs."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import BriefingError
from assistant.text import shorten

HIGHER_BETTER = (
    "retrieval_hit_at_k",
    "passage_hit",
    "fact_recall",
    "answer_precision",
    "citation_precision",
    "citation_support",
    "refusal_accuracy",
    "disagreement_flagged",
    "crag_score",
)
LOWER_BETTER = ("false_refusal_rate", "stale_answer_rate")
# Shown, never gated: the case count, and latencies that depend on the machine.
NOT_GATED = ("n", "latency_p50_ms", "latency_p95_ms")
QUALITY = HIGHER_BETTER + LOWER_BETTER
_EPS = 1e-9


@dataclass
class MetricRow:
    name: str
    base: float | int | None
    new: float | int | None
    regressed: bool = False
    added: bool = False  # the baseline predates this metric: shown as new, never a regression

    @property
    def delta(self) -> float | None:
        if self.base is None or self.new is None:
            return None
        return self.new - self.base

    @property
    def gated(self) -> bool:
        return self.name not in NOT_GATED

    @property
    def flag(self) -> str:
        if self.regressed:
            return "regressed"
        if self.added:
            return "new"
        return "" if self.gated else "not gated"


@dataclass
class Comparison:
    rows: list[MetricRow]
    tolerance: float
    pass_to_fail: list[dict[str, Any]] = field(default_factory=list)
    fail_to_pass: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    only_base: list[str] = field(default_factory=list)
    only_new: list[str] = field(default_factory=list)

    @property
    def regressed(self) -> list[MetricRow]:
        return [r for r in self.rows if r.regressed]


def worse(name: str, base: float | None, new: float | None, tolerance: float) -> bool:
    """Did a gated metric get worse by more than the tolerance? Losing a measured value counts."""
    if name not in QUALITY or base is None:
        return False
    if new is None:
        return True
    if name in LOWER_BETTER:
        return new - base > tolerance + _EPS
    return base - new > tolerance + _EPS


def _case_changes(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    sa, sb = a["scores"], b["scores"]
    for key, yes, no in (
        ("stale", "now stale", "no longer stale"),
        ("flagged_conflict", "now flags the disagreement", "no longer flags the disagreement"),
    ):
        if sa.get(key) is not None and sb.get(key) is not None and sa[key] != sb[key]:
            out.append(yes if sb[key] else no)
    if a["refused"] != b["refused"]:
        out.append("now refused" if b["refused"] else "no longer refused")
    if sa["retrieval_hit"] != sb["retrieval_hit"]:
        out.append("gold source retrieved" if sb["retrieval_hit"] else "gold source lost")
    if sa["fact_share"] != sb["fact_share"]:
        out.append(f"facts {sa['fact_share']:.2f}→{sb['fact_share']:.2f}")
    if (sa["good_citations"], sa["citations"]) != (sb["good_citations"], sb["citations"]):
        out.append(
            f"citations {sa['good_citations']}/{sa['citations']}"
            f"→{sb['good_citations']}/{sb['citations']}"
        )
    support = [(s.get("supported_sentences"), s.get("checked_sentences")) for s in (sa, sb)]
    if None not in support[0] and support[0] != support[1]:
        out.append(
            f"supported sentences {support[0][0]}/{support[0][1]}→{support[1][0]}/{support[1][1]}"
        )
    if not out and a["answer"] != b["answer"]:
        out.append("answer text changed")
    return out


def compare(base: dict[str, Any], new: dict[str, Any], tolerance: float = 0.02) -> Comparison:
    """Metric rows and changed cases. A metric the baseline does not have (it predates it) is
    marked new and cannot regress."""
    rows = [
        MetricRow(
            name,
            base["summary"].get(name),
            value,
            worse(name, base["summary"].get(name), value, tolerance),
            added=name not in base["summary"],
        )
        for name, value in new["summary"].items()
    ]
    result = Comparison(rows, tolerance)
    old = {c["id"]: c for c in base.get("cases", [])}
    cur = {c["id"]: c for c in new.get("cases", [])}
    result.only_base = [i for i in old if i not in cur]
    result.only_new = [i for i in cur if i not in old]
    for case_id, b in cur.items():
        a = old.get(case_id)
        if a is None:
            continue
        entry = {
            "id": case_id,
            "question": b["question"],
            "was": a["passed"],
            "now": b["passed"],
            "why": b["why"],
            "changes": _case_changes(a, b),
        }
        if a["passed"] and not b["passed"]:
            result.pass_to_fail.append(entry)
        elif b["passed"] and not a["passed"]:
            result.fail_to_pass.append(entry)
        if entry["changes"] or a["passed"] != b["passed"]:
            result.changed.append(entry)
    return result


def load_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise BriefingError(f"No report at {path}.") from e
    except (OSError, ValueError) as e:
        raise BriefingError(f"{path} is not a readable report ({e}).") from e
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("summary"), dict)
        or not isinstance(data.get("cases"), list)
    ):
        raise BriefingError(f"{path} is not an eval report (no summary or cases).")
    return data


def fmt(name: str, value: float | int | None) -> str:
    if value is None:
        return "—"
    if name.startswith("latency"):
        return f"{value:.0f} ms"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:.3f}"


def fmt_delta(row: MetricRow) -> str:
    d = row.delta
    if d is None:
        return ""
    if row.name.startswith("latency"):
        return f"{d:+.0f} ms"
    return f"{d:+d}" if isinstance(d, int) else f"{d:+.3f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def by_category(cases: list[dict[str, Any]]) -> list[str]:
    """The report.md section "Failures by category": cases, passed, and each failure's reason."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for c in cases:
        groups.setdefault(c.get("category") or "(none)", []).append(c)
    lines = ["", "## Failures by category", ""]
    lines += ["| category | cases | passed | failed (why) |", "|---|---|---|---|"]
    for name, members in sorted(groups.items()):
        failed = "<br>".join(f"`{c['id']}`: {_cell(c['why'])}" for c in members if not c["passed"])
        passed = sum(c["passed"] for c in members)
        lines.append(f"| {_cell(name)} | {len(members)} | {passed} | {failed or '—'} |")
    return lines


def markdown(report: dict[str, Any], comparison: Comparison | None) -> str:
    run = report.get("run", {})
    s = report["summary"]
    corpus = run.get("corpus")
    if isinstance(corpus, list):
        corpus = " + ".join(corpus)
    lines = [
        "# Eval report",
        "",
        f"- generator: `{report['generator']}`, prompt version: "
        f"`{report.get('prompt_version') or '—'}`, k = {report['k']}",
        f"- cases: `{run.get('cases_file')}`; corpus: `{corpus or 'the user index'}` "
        f"({run.get('documents')} documents, {run.get('chunks')} chunks, "
        f"embeddings {run.get('embeddings')})",
        f"- wall time {run.get('wall_s')} s (index {run.get('index_s')} s, "
        f"questions {run.get('ask_s')} s); {run.get('created')}",
        "",
        "## Summary",
        "",
    ]
    if comparison:
        lines += ["| metric | this run | baseline | Δ | |", "|---|---|---|---|---|"]
        for r in comparison.rows:
            flag = f"**{r.flag}**" if r.regressed else r.flag
            lines.append(
                f"| {r.name} | {fmt(r.name, r.new)} | {fmt(r.name, r.base)} | "
                f"{fmt_delta(r)} | {flag} |"
            )
        lines += ["", f"Tolerance {comparison.tolerance}."]
        if comparison.regressed:
            lines += ["", "## Regressions", ""]
            lines += [
                f"- {r.name}: {fmt(r.name, r.base)} → {fmt(r.name, r.new)}"
                for r in comparison.regressed
            ]
        if comparison.pass_to_fail:
            lines += ["", "## Cases that went from pass to fail", ""]
            lines += [f"- `{c['id']}`: {c['why']}" for c in comparison.pass_to_fail]
        if comparison.fail_to_pass:
            lines += ["", "## Cases that went from fail to pass", ""]
            lines += [f"- `{c['id']}`" for c in comparison.fail_to_pass]
    else:
        lines += ["| metric | value |", "|---|---|"]
        lines += [f"| {k} | {fmt(k, v)} |" for k, v in s.items()]
    failing = [c for c in report["cases"] if not c["passed"]]
    lines += ["", f"## Failing cases ({len(failing)} of {len(report['cases'])})", ""]
    if failing:
        lines += ["| case | why | question |", "|---|---|---|"]
        lines += [f"| `{c['id']}` | {c['why']} | {shorten(c['question'], 90)} |" for c in failing]
    lines += by_category(report["cases"])
    odd = run.get("not_in_sources") or []
    if odd:
        lines += [
            "",
            "## Case checks",
            "",
            "must_include groups that no gold source contains verbatim (an answer quoting "
            "the sources cannot satisfy them):",
            "",
        ]
        lines += [f"- `{u['id']}` (line {u['line']}): {u['group']}" for u in odd]
    lines += ["", "## All cases", ""]
    for c in report["cases"]:
        mark = "pass" if c["passed"] else "FAIL"
        cites = ", ".join(
            f"[{x['n']}] {x['source']}" + ("" if x["gold"] else " (not gold)")
            for x in c["citations"]
        )
        lines += [
            f"### `{c['id']}` — {mark}",
            "",
            f"**Q:** {c['question']}",
            "",
            f"**A:** {shorten(c['answer'], 600)}",
            "",
        ]
        if cites:
            lines += [f"Cited: {cites}", ""]
        for d in c.get("disagreements") or []:
            sides = "; ".join(f"{x['value']} [{x['n']}]" for x in d["sides"])
            lines += [f"Disagreement ({d['kind']}) about {d['about']}: {sides}", ""]
        for u in c.get("unsupported_sentences") or []:
            gap = f" (not in the cited text: {', '.join(u['missing'])})" if u["missing"] else ""
            lines += [f"Unsupported: {shorten(u['text'], 200)}{gap}", ""]
        lines += [
            f"Gold: {', '.join(c['sources']) or '— (unanswerable)'}; retrieved: "
            f"{', '.join(c['retrieved'][:6])}",
            "",
        ]
    return "\n".join(lines) + "\n"


def chart(report: dict[str, Any], baseline: dict[str, Any] | None, path: Path) -> None:
    """Each metric, this run beside the baseline; latencies on their own axis."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(14, 4.8), layout="constrained")
    FigureCanvasAgg(fig)
    quality, latency = fig.subplots(1, 2, width_ratios=[3, 1])
    series = [("this run", report["summary"], "#1f77b4")]
    if baseline:
        series.insert(0, ("baseline", baseline["summary"], "#bbbbbb"))
    width = 0.8 / len(series)
    for axis, names in ((quality, QUALITY), (latency, ("latency_p50_ms", "latency_p95_ms"))):
        for i, (label, summary, color) in enumerate(series):
            xs = [j + (i - (len(series) - 1) / 2) * width for j in range(len(names))]
            values = [summary.get(n) for n in names]
            bars = axis.bar(xs, [v or 0 for v in values], width, label=label, color=color)
            for bar, v in zip(bars, values, strict=True):
                axis.annotate(
                    fmt(names[0], v).replace(" ms", ""),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=7,
                )
        axis.set_xticks(
            range(len(names)),
            [n.replace("_", " ").replace(" ms", "") for n in names],
            rotation=20,
            ha="right",
            fontsize=8,
        )
    lowest = min((summary.get("crag_score") or 0) for _, summary, _ in series)
    quality.set_ylim(min(0, lowest - 0.1), 1.1)
    quality.axhline(0, color="black", linewidth=0.6)
    quality.set_title(
        f"quality, n = {report['summary']['n']} (false refusal and stale answer rates: lower "
        "is better; crag score: -1..1; — not measured)",
        fontsize=9,
    )
    latency.set_title("latency (ms)", fontsize=9)
    quality.legend(fontsize=8, loc="upper right")
    fig.savefig(path, dpi=110)


def write(
    report: dict[str, Any],
    out: Path,
    baseline: dict[str, Any] | None,
    comparison: Comparison | None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.png"]
    paths[0].write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(report, comparison), encoding="utf-8")
    chart(report, baseline, paths[2])
    return paths
