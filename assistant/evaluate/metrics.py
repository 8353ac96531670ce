"""The eval metrics as pure functions over scored cases, so each can be tested on hand-made data.

A metric whose denominator is empty (no answerable cases, no citations) is None, not a made-up
0 or 1: "not measured" must not look like a perfect or a failed score.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

SUMMARY_KEYS = (
    "n",
    "retrieval_hit_at_k",
    "passage_hit",
    "fact_recall",
    "answer_precision",
    "citation_precision",
    "citation_support",
    "refusal_accuracy",
    "false_refusal_rate",
    "disagreement_flagged",
    "stale_answer_rate",
    "crag_score",
    "latency_p50_ms",
    "latency_p95_ms",
)

_MARKER = re.compile(r"\s*\[\d{1,3}\]")
# After NFKC, which turns the non-breaking hyphen (U+2011) into the hyphen (U+2010).
_FOLD = str.maketrans(
    {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "‑": "-", "\u2010": "-"}
)


def normalise(text: str) -> str:
    """Case-insensitive, whitespace-normalised form (typographic quotes and dashes folded)."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    return " ".join(text.lower().split())


def answer_body(text: str) -> str:
    """The answer without its citation markers, which are not content."""
    return _MARKER.sub("", text)


def group_satisfied(group: Sequence[str], text: str) -> bool:
    """A must_include group holds when any of its strings appears in the text."""
    body = normalise(answer_body(text))
    return any(normalise(s) in body for s in group)


def groups_satisfied(groups: Sequence[Sequence[str]], text: str) -> tuple[bool, ...]:
    return tuple(group_satisfied(g, text) for g in groups)


def same_source(indexed: str, gold: str) -> bool:
    """An indexed document's source path is the gold file when its trailing path parts match."""
    a = PurePosixPath(indexed.replace("\\", "/")).parts
    b = PurePosixPath(gold.replace("\\", "/")).parts
    return bool(b) and len(a) >= len(b) and a[-len(b) :] == b


def quote_in(quote: str, document: str) -> bool:
    return bool(quote.strip()) and normalise(quote) in normalise(document)


@dataclass(frozen=True)
class CaseScore:
    """What one answered case contributes to the summary."""

    answerable: bool
    refused: bool
    retrieval_hit: bool = False  # a gold source among the top-k passages
    groups: tuple[bool, ...] = ()  # each must_include group satisfied
    citations: int = 0
    good_citations: int = 0  # into a gold source, and the quote is in that document
    latency_ms: float = 0.0
    passage_groups: tuple[bool, ...] = ()  # each group found in some retrieved passage
    sentences: int = 0  # answer sentences (gap statements left out)
    precise_sentences: int = 0  # of those, sentences that satisfy a must_include group
    checked_sentences: int = 0  # sentences checked against their citations
    supported_sentences: int = 0  # of those, supported by the passages they cite
    conflict: bool = False  # the sources disagree; a good answer says so
    flagged_conflict: bool = False
    superseded: bool = False  # the case lists superseded values
    stale: bool = False  # the answer gave a superseded value as the current one

    @property
    def fact_share(self) -> float:
        return sum(self.groups) / len(self.groups) if self.groups else 1.0

    @property
    def crag(self) -> int:
        """+1 correct, 0 a refusal of an answerable question, -1 wrong or unwarranted."""
        if self.answerable:
            if self.refused:
                return 0
            return 1 if all(self.groups) else -1
        return 1 if self.refused else -1

    @property
    def passed(self) -> bool:
        """crag +1, the disagreement flagged when there is one, and no superseded value given
        as the current one."""
        return self.crag == 1 and (self.flagged_conflict or not self.conflict) and not self.stale


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def retrieval_hit_at_k(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.retrieval_hit) for s in scores if s.answerable])


def fact_recall(scores: Sequence[CaseScore]) -> float | None:
    return _mean([s.fact_share for s in scores if s.answerable])


def citation_precision(scores: Sequence[CaseScore]) -> float | None:
    total = sum(s.citations for s in scores if s.answerable)
    good = sum(s.good_citations for s in scores if s.answerable)
    return good / total if total else None


def passage_hit(scores: Sequence[CaseScore]) -> float | None:
    """Mean share of must_include groups found in at least one retrieved passage."""
    return _mean(
        [
            sum(s.passage_groups) / len(s.passage_groups)
            for s in scores
            if s.answerable and s.passage_groups
        ]
    )


def answer_precision(scores: Sequence[CaseScore]) -> float | None:
    """Mean per answered case of the share of its sentences that carry an expected fact."""
    return _mean(
        [
            s.precise_sentences / s.sentences
            for s in scores
            if s.answerable and not s.refused and s.sentences
        ]
    )


def citation_support(scores: Sequence[CaseScore]) -> float | None:
    """Answer sentences supported by the passages they cite, over every checked sentence of
    every answer that was not a refusal (answerable or not)."""
    total = sum(s.checked_sentences for s in scores if not s.refused)
    good = sum(s.supported_sentences for s in scores if not s.refused)
    return good / total if total else None


def disagreement_flagged(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.flagged_conflict) for s in scores if s.conflict])


def stale_answer_rate(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.stale) for s in scores if s.superseded])


def refusal_accuracy(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.refused) for s in scores if not s.answerable])


def false_refusal_rate(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.refused) for s in scores if s.answerable])


def crag_score(scores: Sequence[CaseScore]) -> float | None:
    return _mean([float(s.crag) for s in scores])


def score_from_record(record: dict[str, Any]) -> CaseScore:
    """The CaseScore behind a stored per-case record (a report's `cases` entry), so a summary
    can be recomputed from a report; fields an older report lacks take their defaults."""
    sc = record["scores"]
    return CaseScore(
        answerable=record["answerable"],
        refused=record["refused"],
        retrieval_hit=sc["retrieval_hit"],
        groups=tuple(sc.get("groups", ())),
        citations=sc.get("citations", 0),
        good_citations=sc.get("good_citations", 0),
        latency_ms=sc.get("latency_ms", 0.0),
        passage_groups=tuple(sc.get("retrieved_facts", ())),
        sentences=sc.get("sentences", 0),
        precise_sentences=sc.get("precise_sentences", 0),
        checked_sentences=sc.get("checked_sentences", 0),
        supported_sentences=sc.get("supported_sentences", 0),
        conflict=bool(record.get("conflict", False)),
        flagged_conflict=bool(sc.get("flagged_conflict")),
        superseded=bool(record.get("superseded")),
        stale=bool(sc.get("stale")),
    )


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summarize(scores: Sequence[CaseScore]) -> dict[str, float | int | None]:
    latencies = [s.latency_ms for s in scores]
    summary: dict[str, float | int | None] = {
        "n": len(scores),
        "retrieval_hit_at_k": retrieval_hit_at_k(scores),
        "passage_hit": passage_hit(scores),
        "fact_recall": fact_recall(scores),
        "answer_precision": answer_precision(scores),
        "citation_precision": citation_precision(scores),
        "citation_support": citation_support(scores),
        "refusal_accuracy": refusal_accuracy(scores),
        "false_refusal_rate": false_refusal_rate(scores),
        "disagreement_flagged": disagreement_flagged(scores),
        "stale_answer_rate": stale_answer_rate(scores),
        "crag_score": crag_score(scores),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    assert tuple(summary) == SUMMARY_KEYS
    return summary
