"""The eval suite: reference cases (evals/*.jsonl), deterministic metrics, reports and the gate."""

from assistant.evaluate.cases import Case, CaseFileError, load_cases, parse_cases
from assistant.evaluate.metrics import CaseScore, summarize
from assistant.evaluate.report import compare, load_report
from assistant.evaluate.runner import run_eval

__all__ = [
    "Case",
    "CaseFileError",
    "CaseScore",
    "compare",
    "load_cases",
    "load_report",
    "parse_cases",
    "run_eval",
    "summarize",
]
