"""The eval metrics on hand-made cases (edge cases too), the cases-file checks, the gate rule."""

from __future__ import annotations

import json
from datetime import date

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
from assistant.evaluate.sentences import (
    check_support,
    flags_disagreement,
    precision_counts,
    stale_value,
)
from assistant.models import Answer, Citation, Disagreement, Side


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


# ---- the new case fields ------------------------------------------------------------------------


def test_category_conflict_and_superseded_load():
    case = parse_cases(
        lines({**GOOD, "category": " conflict ", "conflict": True, "superseded": ["60-day"]})
    )[0]
    assert (case.category, case.conflict, case.superseded) == ("conflict", True, ["60-day"])
    plain = parse_cases(lines(GOOD))[0]
    assert (plain.category, plain.conflict, plain.superseded) == ("", False, [])


UNANSWERABLE = {"id": "z", "question": "Why?", "answerable": False}


@pytest.mark.parametrize(
    "bad, expected",
    [
        ({**GOOD, "id": "z", "superseded": ["old", " "]}, "a superseded value is blank"),
        ({**GOOD, "id": "z", "superseded": "old"}, "line 2: superseded"),
        ({**GOOD, "id": "z", "conflict": "maybe"}, "line 2: conflict"),
        ({**UNANSWERABLE, "conflict": True}, "unanswerable case cannot have conflict"),
        ({**UNANSWERABLE, "superseded": ["x"]}, "unanswerable case cannot have superseded"),
    ],
)
def test_bad_new_fields_are_named(bad, expected):
    with pytest.raises(CaseFileError) as e:
        parse_cases(lines(GOOD, bad), "evals/x.jsonl")
    assert expected in str(e.value)


def test_unanswerable_case_may_have_a_category():
    case = parse_cases(lines({**UNANSWERABLE, "category": "off-topic"}))[0]
    assert case.category == "off-topic" and not case.conflict


# ---- the new summary metrics --------------------------------------------------------------------


def test_new_metrics_are_unmeasured_when_nothing_applies():
    s = summarize([answered(), refused(answerable=False)])
    for key in ("passage_hit", "answer_precision", "citation_support"):
        assert s[key] is None  # no passages, sentences or checked sentences were recorded
    assert s["disagreement_flagged"] is None and s["stale_answer_rate"] is None


def test_passage_hit_is_the_mean_share_of_groups_in_retrieved_passages():
    scores = [
        CaseScore(answerable=True, refused=False, groups=(True,), passage_groups=(True, False)),
        CaseScore(answerable=True, refused=True, groups=(False,), passage_groups=(True, True)),
        CaseScore(answerable=False, refused=True, passage_groups=()),
    ]
    assert summarize(scores)["passage_hit"] == pytest.approx((0.5 + 1.0) / 2)


def test_answer_precision_is_a_mean_per_answered_case():
    scores = [
        CaseScore(answerable=True, refused=False, sentences=4, precise_sentences=1),
        CaseScore(answerable=True, refused=False, sentences=1, precise_sentences=1),
        CaseScore(answerable=True, refused=True, sentences=3, precise_sentences=0),  # refused
        CaseScore(answerable=False, refused=False, sentences=2, precise_sentences=0),
        CaseScore(answerable=True, refused=False, sentences=0),  # nothing to measure
    ]
    assert summarize(scores)["answer_precision"] == pytest.approx((0.25 + 1.0) / 2)


def test_citation_support_pools_sentences_of_every_answer_that_was_not_refused():
    scores = [
        CaseScore(answerable=True, refused=False, checked_sentences=3, supported_sentences=3),
        CaseScore(answerable=False, refused=False, checked_sentences=1, supported_sentences=0),
        CaseScore(answerable=True, refused=True, checked_sentences=5, supported_sentences=0),
    ]
    assert summarize(scores)["citation_support"] == pytest.approx(3 / 4)


def test_disagreement_and_staleness_rates_and_what_they_do_to_a_pass():
    flagged = CaseScore(
        answerable=True, refused=False, groups=(True,), conflict=True, flagged_conflict=True
    )
    silent = CaseScore(answerable=True, refused=False, groups=(True,), conflict=True)
    stale = CaseScore(answerable=True, refused=False, groups=(True,), superseded=True, stale=True)
    current = CaseScore(answerable=True, refused=False, groups=(True,), superseded=True)
    s = summarize([flagged, silent, stale, current, answered()])
    assert s["disagreement_flagged"] == 0.5
    assert s["stale_answer_rate"] == 0.5
    assert flagged.passed and current.passed
    assert not silent.passed and not stale.passed
    assert silent.crag == 1 and stale.crag == 1  # crag stays about the facts


def test_summary_recomputed_from_stored_records():
    from assistant.evaluate.metrics import score_from_record

    record = {
        "answerable": True,
        "refused": False,
        "conflict": True,
        "superseded": ["old"],
        "scores": {
            "retrieval_hit": True,
            "groups": [True, False],
            "retrieved_facts": [True, True],
            "citations": 2,
            "good_citations": 1,
            "sentences": 2,
            "precise_sentences": 1,
            "checked_sentences": 2,
            "supported_sentences": 1,
            "flagged_conflict": True,
            "stale": False,
            "latency_ms": 5.0,
        },
    }
    score = score_from_record(record)
    assert score.conflict and score.flagged_conflict and score.superseded and not score.stale
    s = summarize([score])
    assert s["passage_hit"] == 1.0 and s["answer_precision"] == 0.5
    assert s["citation_support"] == 0.5 and s["disagreement_flagged"] == 1.0
    old = {"answerable": True, "refused": False, "scores": {"retrieval_hit": False}}
    assert summarize([score_from_record(old)])["citation_support"] is None


def test_a_metric_the_baseline_predates_is_new_not_a_regression():
    base = _report({"n": 3, "fact_recall": 0.9}, [("a", True)])
    new = _report(
        {"n": 3, "fact_recall": 0.9, "citation_support": 0.1, "stale_answer_rate": 0.9},
        [("a", True)],
    )
    result = compare(base, new, 0.02)
    rows = {r.name: r for r in result.rows}
    assert not result.regressed
    assert rows["citation_support"].added and rows["citation_support"].flag == "new"
    assert rows["stale_answer_rate"].flag == "new"
    assert rows["fact_recall"].flag == "" and rows["n"].flag == "not gated"
    # Once the baseline has it, it is gated, in its own direction.
    again = _report({**new["summary"], "stale_answer_rate": 1.0}, [("a", True)])
    assert [r.name for r in compare(new, again, 0.02).regressed] == ["stale_answer_rate"]
    fewer = _report({**new["summary"], "citation_support": None}, [("a", True)])
    assert [r.name for r in compare(new, fewer, 0.02).regressed] == ["citation_support"]


def test_new_metrics_are_gated_in_their_direction():
    for name in ("passage_hit", "answer_precision", "citation_support", "disagreement_flagged"):
        assert worse(name, 0.8, 0.7, 0.02) and not worse(name, 0.7, 0.8, 0.02)
    assert worse("stale_answer_rate", 0.1, 0.3, 0.02)
    assert not worse("stale_answer_rate", 0.3, 0.0, 0.02)


def test_failure_reason_names_a_missed_disagreement_and_a_stale_value():
    from assistant.evaluate.runner import why

    case = parse_cases(
        lines({**GOOD, "must_include": [["30-day"]], "conflict": True, "superseded": ["60-day"]})
    )[0]
    both = CaseScore(
        answerable=True,
        refused=False,
        retrieval_hit=True,
        groups=(True,),
        conflict=True,
        superseded=True,
        stale=True,
    )
    assert why(case, both, (True,), "60-day") == (
        "did not flag the disagreement; stale: gave superseded '60-day' first"
    )
    missing = CaseScore(
        answerable=True,
        refused=False,
        groups=(False,),
        conflict=True,
        flagged_conflict=True,
        superseded=True,
        stale=True,
    )
    assert why(case, missing, (False,), "60-day") == (
        "missing '30-day' (not retrieved); stale: gave superseded '60-day' first"
    )


# ---- sentence-level checks on hand-built answers ------------------------------------------------

RIYADH = (
    "The US delegation in Riyadh was led by Marco Rubio, Michael Waltz and Steve Witkoff. "
    "The talks began on 18 February 2025."
)
GAS = "Gas transit through Ukraine ended on 1 January 2025, leaving Slovakia most exposed."


def cite_chunk(n: int, chunk: str, quote: str | None = None, **meta) -> Citation:
    quote = quote or chunk
    start = chunk.index(quote)
    return Citation(
        n=n,
        doc_id=f"doc{n}",
        chunk_id=f"chunk{n}",
        **{"title": "Title", "publisher": "Desk", "published": None, **meta},
        source=f"source{n}.md",
        quote=quote,
        start=start,
        end=start + len(quote),
        chunk_text=chunk,
        chunk_start=0,
    )


def reply(text: str, *citations: Citation, **extra) -> Answer:
    return Answer(question="q", text=text, citations=list(citations), generator="g", **extra)


def support_of(answer: Answer) -> list[tuple[str, bool]]:
    return [(c.text, c.supported) for c in check_support(answer)]


def test_a_quoted_sentence_is_supported_by_the_chunk_it_cites():
    first = RIYADH.split(". ")[0] + "."
    answer = reply(f"{first} [1]", cite_chunk(1, RIYADH, first))
    assert support_of(answer) == [(first, True)]


def test_an_extractive_looking_answer_with_a_wrong_citation_is_unsupported():
    first = RIYADH.split(". ")[0] + "."
    answer = reply(f"{first} [2]", cite_chunk(1, RIYADH, first), cite_chunk(2, GAS))
    [check] = check_support(answer)
    assert not check.supported and check.cites == [2]
    assert {"Riyadh", "Rubio", "Witkoff"} <= set(check.missing)


def test_a_number_or_month_the_citation_does_not_carry_makes_a_sentence_unsupported():
    ok = reply("The talks in Riyadh began on 18 February 2025 [1].", cite_chunk(1, RIYADH))
    wrong_day = reply("The talks in Riyadh began on 19 February 2025 [1].", cite_chunk(1, RIYADH))
    wrong_month = reply("The talks in Riyadh began on 18 March 2025 [1].", cite_chunk(1, RIYADH))
    assert support_of(ok)[0][1]
    assert check_support(wrong_day)[0].missing == ["19"]
    assert check_support(wrong_month)[0].missing == ["March"]


def test_a_sentence_needs_most_of_its_content_terms_in_what_it_cites():
    padded = reply(
        "Rubio, Waltz and Witkoff negotiated sanctions relief, prisoner swaps, airspace "
        "rules and embassy staffing [1].",
        cite_chunk(1, RIYADH),
    )
    [check] = check_support(padded)
    assert not check.missing and check.coverage < 0.6 and not check.supported


def test_the_as_of_lead_in_is_not_checked_against_the_passage():
    as_of = reply(
        "As of 11 March 2025, the talks in Riyadh began on 18 February 2025 [1].",
        cite_chunk(1, RIYADH),
    )
    assert support_of(as_of)[0][1]
    other = reply(
        "Reported on 11 March 2025, the talks in Riyadh began on 18 February 2025 [1].",
        cite_chunk(1, RIYADH),
    )
    assert set(check_support(other)[0].missing) == {"11", "March"}


def test_naming_the_cited_source_and_its_date_is_supported_by_the_citation():
    monitor = cite_chunk(1, RIYADH, publisher="Black Sea Monitor", published=date(2022, 4, 14))
    text = "An earlier report (Black Sea Monitor, 14 April 2022): The talks began on 18 February"
    assert support_of(reply(f"{text} 2025 [1].", monitor))[0][1]
    other = cite_chunk(1, RIYADH, publisher="Steppe Dispatch", published=date(2022, 4, 14))
    assert set(check_support(reply(f"{text} 2025 [1].", other))[0].missing) == {
        "Black",
        "Sea",
        "Monitor",
    }


def test_uncited_factual_sentences_count_as_unsupported_gaps_and_short_asides_do_not():
    answer = reply(
        "In short: yes. The delegation in Riyadh was led by Marco Rubio [1]. "
        "Moscow sent Sergey Lavrov and Yuri Ushakov to the talks. "
        "The indexed articles don't cover who chaired the second round.",
        cite_chunk(1, RIYADH),
    )
    assert support_of(answer) == [
        ("The delegation in Riyadh was led by Marco Rubio.", True),
        ("Moscow sent Sergey Lavrov and Yuri Ushakov to the talks.", False),
    ]


def test_a_quote_of_two_sentences_with_one_marker_is_supported_throughout():
    quoted = reply(f"{RIYADH} [1]", cite_chunk(1, RIYADH))
    assert [ok for _, ok in support_of(quoted)] == [True, True]
    # A model's own uncited sentence before a cited one is not covered by that citation.
    paraphrase = reply(
        "Rubio's team met Moscow's negotiators first. The talks began on 18 February 2025 [1].",
        cite_chunk(1, RIYADH),
    )
    assert [ok for _, ok in support_of(paraphrase)] == [False, True]


def test_a_marker_opening_a_sentence_belongs_to_the_one_before():
    answer = reply(
        "Gas transit through Ukraine ended on 1 January 2025. [1] Slovakia was exposed.",
        cite_chunk(1, GAS),
    )
    checks = check_support(answer)
    assert checks[0].cites == [1] and checks[0].supported


def test_a_refusal_has_no_sentences_to_check():
    assert check_support(reply("The indexed articles don't cover this.", refused=True)) == []


def test_precision_counts_context_sentences_against_the_answer():
    text = (
        "The talks began on 18 February 2025 [1]. The US side was led by Marco Rubio [1]. "
        "Sources disagree: one says Waltz attended [1], another that he did not [2]. "
        "The indexed articles don't cover who led the Russian side."
    )
    assert precision_counts(text, [["Rubio"], ["Waltz"]]) == (3, 2)
    assert precision_counts(text, [["Lavrov"]]) == (3, 0)


def test_disagreement_is_flagged_by_the_answer_or_its_text():
    side = Side(value="60-day", n=1)
    structured = reply("A ceasefire [1].", disagreements=[Disagreement(about="x", sides=[side])])
    assert flags_disagreement(structured)
    assert flags_disagreement(reply("Sources disagree: 60 days [1] or 30 days [2]."))
    assert flags_disagreement(reply("The reports DISAGREE on the length."))
    assert not flags_disagreement(reply("The ceasefire lasts 60 days [1]."))


@pytest.mark.parametrize(
    "text, refused_, stale",
    [
        ("The pause is 60-day [1], later cut to 30-day [2].", False, "60-day"),
        ("The pause is 60-day [1].", False, "60-day"),  # the current value is not there at all
        ("The pause is now 30-day [2]; it was 60-day [1].", False, None),
        ("The pause is 30–day [2].", False, None),
        ("The pause was 60-day at first.", True, None),  # a refusal fails for its own reason
        ("The pause was 60‑DAY [1], now 30-day [2].", False, "60-day"),
        # the old value named as the one changed from is not given as the current one
        ("Kyiv cut the pause from 60-day to 30-day [1].", False, None),
        ("The pause is 60-day [1]; Kyiv wants to go to 30-day.", False, "60-day"),
    ],
)
def test_a_superseded_value_given_first_is_stale(text, refused_, stale):
    assert stale_value(text, ["60-day", "two months"], [["30-day"], ["Kyiv"]], refused_) == stale


def test_a_superseded_value_is_stale_when_no_group_holds_even_after_another_group():
    # "Kyiv" (group 2) holds, "30-day" (group 1) does not: the old value is all it gives.
    assert stale_value("Kyiv agreed to 60-day.", ["60-day"], [["30-day"], ["Kyiv"]], False) == (
        "60-day"
    )
    assert stale_value("Kyiv agreed.", [], [["30-day"]], False) is None


class _Docs:
    """The part of the runner's document lookup score_case uses, over two fixed documents."""

    sources = {"doc1": "/x/corpus/riyadh.md", "doc2": "/x/corpus/gas.md"}

    def text(self, doc_id: str) -> str:
        return {"doc1": RIYADH, "doc2": GAS}[doc_id]

    def gold(self, case):
        ids = {d for d, s in self.sources.items() for g in case.sources if s.endswith(g)}
        return ids, []

    def name(self, doc_id: str) -> str:
        return self.sources[doc_id].rsplit("/", 1)[1]


def test_score_case_records_the_new_fields_and_scores():
    from assistant.evaluate.scoring import score_case

    case = parse_cases(
        lines(
            {
                **GOOD,
                "question": "How long is the pause?",
                "must_include": [["30-day"]],
                "sources": ["riyadh.md"],
                "category": "superseded",
                "conflict": True,
                "superseded": ["60-day"],
            }
        )
    )[0]
    answer = reply(
        "The pause in Riyadh was 60-day [1], later 30-day [2]. Gas transit ended on 1 "
        "January 2025 [2].",
        cite_chunk(1, RIYADH),
        cite_chunk(2, GAS),
        uncovered=["who chaired it"],
        unsupported=["A removed sentence."],
        as_of=date(2025, 3, 11),
    )
    score, record = score_case(case, answer, ["doc1"], _Docs(), 12.0, [RIYADH])
    assert record["category"] == "superseded"
    assert record["as_of"] == "2025-03-11"
    assert record["uncovered"] == ["who chaired it"]
    assert record["unsupported"] == ["A removed sentence."]
    assert record["disagreements"] == []
    sc = record["scores"]
    assert (sc["sentences"], sc["precise_sentences"]) == (2, 1)
    assert (sc["checked_sentences"], sc["supported_sentences"]) == (2, 1)
    assert sc["flagged_conflict"] is False and sc["stale"] is True
    assert sc["retrieved_facts"] == [False]
    assert not record["passed"] and score.crag == 1
    assert record["why"] == "did not flag the disagreement; stale: gave superseded '60-day' first"
    assert [u["text"] for u in record["unsupported_sentences"]] == [
        "The pause in Riyadh was 60-day, later 30-day."
    ]


def test_a_dated_lead_before_a_quote_of_two_sentences_is_supported():
    """'As of 17 April 2024, the change had … Men aged 18 to 25 can still volunteer. [1]':
    the first sentence, lowered after its lead, is in the quote of the citation after it."""
    chunk = (
        "The change had been passed by parliament a year ago. Men aged 18 to 25 can still "
        "volunteer."
    )
    text = (
        "As of 17 April 2024, the change had been passed by parliament a year ago. Men aged 18 "
        "to 25 can still volunteer. [1]"
    )
    checks = check_support(reply(text, cite_chunk(1, chunk)))
    assert checks and all(c.supported for c in checks)
