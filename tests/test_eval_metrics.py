"""The eval metrics on hand-made cases (edge cases too), the cases-file checks, the gate rule."""

from __future__ import annotations

import json

import pytest

from assistant.evaluate.cases import CaseFileError, parse_cases
from assistant.evaluate.metrics import (
    SUMMARY_KEYS,
    CaseScore,
    citation_precision,
    crag_score,
    fact_recall,
    false_refusal_rate,
    group_satisfied,
    groups_satisfied,
    percentile,
    quote_in,
    refusal_accuracy,
    retrieval_hit_at_k,
    same_source,
    summarize,
)
from assistant.evaluate.report import compare, worse


def answered(groups=(True,), hit=True, citations=0, good=0, ms=10.0) -> CaseScore:
    return CaseScore(
        answerable=True,
        refused=False,
        retrieval_hit=hit,
        groups=tuple(groups),
        citations=citations,
        good_citations=good,
        latency_ms=ms,
    )


def refused(answerable: bool, hit=False, groups=(False,), ms=10.0) -> CaseScore:
    return CaseScore(
        answerable=answerable,
        refused=True,
        retrieval_hit=hit,
        groups=tuple(groups) if answerable else (),
        latency_ms=ms,
    )


def unanswerable_answered(citations=1, ms=10.0) -> CaseScore:
    return CaseScore(
        answerable=False, refused=False, citations=citations, good_citations=0, latency_ms=ms
    )


# ---- matching -----------------------------------------------------------------------------


def test_group_is_satisfied_by_any_alternative_ignoring_case_and_spacing():
    text = "The  delegation was led by\nMarco   RUBIO [1], and Waltz attended [2]."
    assert group_satisfied(["Secretary Blinken", "marco rubio"], text)
    assert not group_satisfied(["Blinken"], text)
    assert groups_satisfied([["Rubio"], ["Lavrov"], ["waltz attended"]], text) == (
        True,
        False,
        True,
    )


def test_citation_markers_and_typographic_quotes_do_not_hide_a_fact():
    text = "Russia’s forces entered Kursk [3] on 6 August 2024 — a surprise."
    assert group_satisfied(["entered Kursk on 6 August"], text)
    assert group_satisfied(["Russia's forces"], text)
    assert group_satisfied(["2024 - a surprise"], text)


def test_a_phrase_must_appear_as_a_whole():
    assert not group_satisfied(["15 rounds"], "Rounds of sanctions: 15 so far.")


def test_source_matching_uses_trailing_path_parts():
    assert same_source("/tmp/x/corpus/riyadh.md", "riyadh.md")
    assert same_source("corpus/sub/riyadh.md", "sub/riyadh.md")
    assert not same_source("/tmp/x/corpus/not_riyadh.md", "riyadh.md")
    assert not same_source("corpus/other/riyadh.md", "sub/riyadh.md")


def test_quote_must_be_in_the_document():
    doc = "Kyiv said it would not extend\nthe transit deal."
    assert quote_in("would not extend the transit deal", doc)
    assert not quote_in("would extend the transit deal", doc)
    assert not quote_in("  ", doc)


# ---- per case ------------------------------------------------------------------------------


def test_crag_per_case():
    assert answered(groups=(True, True)).crag == 1
    assert answered(groups=(True, False)).crag == -1
    assert refused(answerable=True).crag == 0
    assert refused(answerable=False).crag == 1
    assert unanswerable_answered().crag == -1
    assert answered(groups=(True, False)).fact_share == 0.5


# ---- summary metrics ------------------------------------------------------------------------


def test_summary_on_a_mixed_set():
    scores = [
        answered(groups=(True, True), hit=True, citations=2, good=2, ms=10),
        answered(groups=(True, False), hit=False, citations=2, good=1, ms=20),
        refused(answerable=True, hit=True, ms=30),
        refused(answerable=False, ms=40),
        unanswerable_answered(citations=3, ms=50),
    ]
    s = summarize(scores)
    assert tuple(s) == SUMMARY_KEYS
    assert s["n"] == 5
    assert s["retrieval_hit_at_k"] == pytest.approx(2 / 3)
    assert s["fact_recall"] == pytest.approx((1 + 0.5 + 0) / 3)
    # The unanswerable case's 3 citations do not count.
    assert s["citation_precision"] == pytest.approx(3 / 4)
    assert s["refusal_accuracy"] == pytest.approx(1 / 2)
    assert s["false_refusal_rate"] == pytest.approx(1 / 3)
    assert s["crag_score"] == pytest.approx((1 - 1 + 0 + 1 - 1) / 5)
    assert s["latency_p50_ms"] == 30
    assert s["latency_p95_ms"] == pytest.approx(48)


def test_no_citations_leaves_precision_unmeasured_not_perfect():
    scores = [answered(citations=0), refused(answerable=True)]
    assert citation_precision(scores) is None
    assert summarize(scores)["citation_precision"] is None


def test_all_refused():
    scores = [
        refused(answerable=True, hit=True),
        refused(answerable=True),
        refused(answerable=False),
        refused(answerable=False),
    ]
    assert refusal_accuracy(scores) == 1.0
    assert false_refusal_rate(scores) == 1.0
    assert fact_recall(scores) == 0.0
    assert retrieval_hit_at_k(scores) == 0.5
    assert citation_precision(scores) is None
    assert crag_score(scores) == pytest.approx((0 + 0 + 1 + 1) / 4)


def test_nothing_refused_and_only_unanswerable_cases():
    scores = [unanswerable_answered(), unanswerable_answered(citations=0)]
    assert refusal_accuracy(scores) == 0.0
    assert crag_score(scores) == -1.0
    for metric in (retrieval_hit_at_k, fact_recall, false_refusal_rate, citation_precision):
        assert metric(scores) is None


def test_empty_set():
    s = summarize([])
    assert s["n"] == 0
    assert all(s[k] is None for k in SUMMARY_KEYS if k != "n")


def test_percentile_interpolates():
    assert percentile([5.0], 95) == 5.0
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([], 50) is None


# ---- the gate rule ---------------------------------------------------------------------------


def test_worse_respects_direction_tolerance_and_missing_values():
    assert worse("fact_recall", 0.80, 0.77, 0.02)
    assert not worse("fact_recall", 0.80, 0.78, 0.02)  # exactly at the tolerance
    assert not worse("fact_recall", 0.80, 0.95, 0.02)
    assert worse("false_refusal_rate", 0.10, 0.20, 0.02)  # lower is better
    assert not worse("false_refusal_rate", 0.10, 0.0, 0.02)
    assert worse("crag_score", 0.5, -0.2, 0.02)
    assert worse("citation_precision", 0.9, None, 0.02)  # citations vanished
    assert not worse("citation_precision", None, 0.5, 0.02)
    assert not worse("latency_p95_ms", 10, 5000, 0.02)  # machine-dependent, not gated
    assert not worse("n", 60, 10, 0.02)


def _report(summary: dict, cases: list[tuple[str, bool]]) -> dict:
    return {
        "summary": summary,
        "generator": "extractive",
        "prompt_version": None,
        "k": 6,
        "cases": [
            {
                "id": i,
                "question": f"q {i}",
                "passed": ok,
                "why": "" if ok else "x",
                "refused": False,
                "answer": f"a {i} {ok}",
                "scores": {
                    "retrieval_hit": True,
                    "fact_share": 1.0 if ok else 0.0,
                    "citations": 1,
                    "good_citations": 1,
                },
            }
            for i, ok in cases
        ],
    }


def test_compare_lists_cases_that_changed_verdict():
    base = _report({"n": 3, "fact_recall": 0.9}, [("a", True), ("b", True), ("c", False)])
    new = _report(
        {"n": 3, "fact_recall": 0.6}, [("a", True), ("b", False), ("c", True), ("d", True)]
    )
    result = compare(base, new, 0.02)
    assert [r.name for r in result.regressed] == ["fact_recall"]
    assert [e["id"] for e in result.pass_to_fail] == ["b"]
    assert [e["id"] for e in result.fail_to_pass] == ["c"]
    assert result.only_new == ["d"]
    assert {e["id"] for e in result.changed} == {"b", "c"}


# ---- the cases file ---------------------------------------------------------------------------

GOOD = {
    "id": "a",
    "question": "Who?",
    "reference": "R",
    "must_include": [["x", "y"]],
    "sources": ["f.md"],
    "answerable": True,
}


def lines(*objs) -> str:
    return "\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs)


def test_cases_load_with_history_and_line_numbers():
    follow = {
        **GOOD,
        "id": "b",
        "history": [
            {"role": "user", "content": "Earlier?"},
            {"role": "assistant", "content": "Yes."},
        ],
    }
    unans = {
        "id": "c",
        "question": "Why?",
        "reference": "",
        "must_include": [],
        "sources": [],
        "answerable": False,
    }
    cases = parse_cases(lines(GOOD, "", follow, unans))
    assert [(c.id, c.line) for c in cases] == [("a", 1), ("b", 3), ("c", 4)]
    assert cases[1].history[0].role == "user"
    assert "line" not in cases[0].model_dump()


@pytest.mark.parametrize(
    "bad, expected",
    [
        ("{not json", "line 2: not valid JSON"),
        ({**GOOD, "id": "a"}, "line 2: id 'a' already used on line 1"),
        (
            {**GOOD, "id": "z", "must_include": [["x"], []]},
            "line 2: must_include: group 2 is empty",
        ),
        ({**GOOD, "id": "z", "must_include": []}, "needs at least one must_include group"),
        ({**GOOD, "id": "z", "sources": []}, "needs at least one source"),
        ({**GOOD, "id": "z", "answerable": False}, "unanswerable case cannot have must_include"),
        ({**GOOD, "id": "z", "must_inlcude": [["x"]]}, "line 2: must_inlcude: Extra inputs"),
        (
            {**GOOD, "id": "z", "history": [{"role": "bot", "content": "x"}]},
            "line 2: history.0.role",
        ),
        ({**GOOD, "id": "z", "question": "  "}, "line 2: question: the question is blank"),
        ('["a list"]', "line 2: expected a JSON object"),
    ],
)
def test_bad_lines_are_named(bad, expected):
    with pytest.raises(CaseFileError) as e:
        parse_cases(lines(GOOD, bad), "evals/x.jsonl")
    assert expected in str(e.value)
    assert "evals/x.jsonl line 2" in str(e.value)


def test_every_bad_line_is_listed_and_an_empty_file_is_refused():
    with pytest.raises(CaseFileError) as e:
        parse_cases(lines("{", GOOD, "{", "[]"))
    message = str(e.value)
    assert "line 1" in message and "line 3" in message and "line 4" in message
    assert "line 2" not in message
    with pytest.raises(CaseFileError, match="has no cases"):
        parse_cases("\n\n", "empty.jsonl")


def test_failure_reason_tells_retrieval_from_answering():
    from assistant.evaluate.runner import why

    case = parse_cases(lines({**GOOD, "must_include": [["Rubio"], ["Lavrov"]]}))[0]
    partly = CaseScore(answerable=True, refused=False, retrieval_hit=True, groups=(True, False))
    assert why(case, partly, (True, True)) == "missing 'Lavrov' (retrieved, not picked)"
    assert why(case, partly, (True, False)) == "missing 'Lavrov' (not retrieved)"
    no = CaseScore(answerable=True, refused=True, retrieval_hit=True, groups=(False, False))
    assert why(case, no, (True, True)) == "refused (the facts were in the retrieved passages)"
    assert why(case, no, (True, False)) == "refused (some facts not retrieved)"
    assert why(case, answered(groups=(True, True)), (True, True)) == ""
