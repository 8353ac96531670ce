"""One answered case scored: its CaseScore, the per-case record of the report, and why it failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.evaluate.cases import Case
from assistant.evaluate.metrics import (
    CaseScore,
    group_satisfied,
    groups_satisfied,
    quote_in,
    same_source,
)
from assistant.evaluate.sentences import (
    check_support,
    flags_disagreement,
    precision_counts,
    stale_value,
)
from assistant.models import Answer


class Documents:
    """Cleaned document texts rebuilt from the index's chunks (they are exact slices of it)."""

    def __init__(self, briefing: Any) -> None:
        self.briefing = briefing
        self.sources = {d.meta.doc_id: d.meta.source for d in briefing.documents()}
        self._texts: dict[str, str] = {}

    def text(self, doc_id: str) -> str:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.briefing.document_text(doc_id)
        return self._texts[doc_id]

    def gold(self, case: Case) -> tuple[set[str], list[str]]:
        """Doc ids of the case's sources, and the sources not found in the index."""
        ids: set[str] = set()
        missing: list[str] = []
        for g in case.sources:
            found = {d for d, src in self.sources.items() if same_source(src, g)}
            ids |= found
            if not found:
                missing.append(g)
        return ids, missing

    def name(self, doc_id: str) -> str:
        return Path(self.sources.get(doc_id, doc_id)).name


def why(
    case: Case,
    score: CaseScore,
    retrieved_facts: tuple[bool, ...],
    stale: str | None = None,
) -> str:
    """A short reason for a failed case (empty when it passed), telling retrieval failures
    (the fact was in no retrieved passage) from answering failures (it was, but not used).
    Several reasons are joined with "; "."""
    if score.passed:
        return ""
    if not case.answerable:
        return "answered an unanswerable question"
    if score.refused:
        if not score.retrieval_hit:
            return "refused (no gold source retrieved)"
        if all(retrieved_facts):
            return "refused (the facts were in the retrieved passages)"
        return "refused (some facts not retrieved)"
    reasons = []
    missing = [
        f"{g[0]!r} ({'retrieved, not picked' if found else 'not retrieved'})"
        for g, ok, found in zip(case.must_include, score.groups, retrieved_facts, strict=True)
        if not ok
    ]
    if missing:
        reasons.append("missing " + ", ".join(missing))
    if score.conflict and not score.flagged_conflict:
        reasons.append("did not flag the disagreement")
    if score.stale:
        reasons.append(f"stale: gave superseded {stale!r} first" if stale else "stale")
    return "; ".join(reasons)


def _citation_records(answer: Answer, gold: set[str], docs: Documents) -> list[dict[str, Any]]:
    out = []
    for c in answer.citations:
        found = quote_in(c.quote, docs.text(c.doc_id)) if c.doc_id in docs.sources else False
        out.append(
            {
                "n": c.n,
                "source": docs.name(c.doc_id),
                "doc_id": c.doc_id,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "gold": c.doc_id in gold,
                "quote_found": found,
            }
        )
    return out


def score_case(
    case: Case,
    answer: Answer,
    retrieved: list[str],
    docs: Documents,
    latency_ms: float,
    passage_texts: list[str] | None = None,
) -> tuple[CaseScore, dict[str, Any]]:
    gold, _ = docs.gold(case)
    citations = _citation_records(answer, gold, docs)
    retrieved_facts = tuple(
        any(group_satisfied(g, t) for t in passage_texts or []) for g in case.must_include
    )
    answered = case.answerable and not answer.refused
    sentences, precise = precision_counts(answer.text, case.must_include) if answered else (0, 0)
    checks = check_support(answer)
    stale = stale_value(answer.text, case.superseded, case.must_include, answer.refused)
    flagged = flags_disagreement(answer)
    score = CaseScore(
        answerable=case.answerable,
        refused=answer.refused,
        retrieval_hit=bool(gold & set(retrieved)),
        groups=groups_satisfied(case.must_include, answer.text) if case.answerable else (),
        citations=len(citations),
        good_citations=sum(c["gold"] and c["quote_found"] for c in citations),
        latency_ms=latency_ms,
        passage_groups=retrieved_facts,
        sentences=sentences,
        precise_sentences=precise,
        checked_sentences=len(checks),
        supported_sentences=sum(c.supported for c in checks),
        conflict=case.conflict,
        flagged_conflict=flagged,
        superseded=bool(case.superseded),
        stale=stale is not None,
    )
    record = {
        "id": case.id,
        "category": case.category,
        "question": case.question,
        "answerable": case.answerable,
        "conflict": case.conflict,
        "superseded": case.superseded,
        "history_turns": len(case.history),
        "standalone_question": answer.standalone_question,
        "answer": answer.text,
        "refused": answer.refused,
        "generator": answer.generator,
        "prompt_version": answer.prompt_version,
        "notice": answer.notice,
        "as_of": answer.as_of.isoformat() if answer.as_of else None,
        "disagreements": [d.model_dump(mode="json") for d in answer.disagreements],
        "uncovered": answer.uncovered,
        "unsupported": answer.unsupported,
        "citations": citations,
        "unsupported_sentences": [c.as_dict() for c in checks if not c.supported],
        "sources": case.sources,
        "retrieved": list(dict.fromkeys(docs.name(d) for d in retrieved)),
        "scores": {
            "retrieval_hit": score.retrieval_hit,
            "groups": list(score.groups),
            "retrieved_facts": list(retrieved_facts),
            "fact_share": round(score.fact_share, 4),
            "citations": score.citations,
            "good_citations": score.good_citations,
            "sentences": score.sentences,
            "precise_sentences": score.precise_sentences,
            "checked_sentences": score.checked_sentences,
            "supported_sentences": score.supported_sentences,
            "flagged_conflict": flagged if case.conflict else None,
            "stale": score.stale if case.superseded else None,
            "crag": score.crag,
            "latency_ms": round(latency_ms, 1),
        },
        "passed": score.passed,
        "why": why(case, score, retrieved_facts, stale),
    }
    return score, record
