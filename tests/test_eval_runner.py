"""The eval runner end to end on a small corpus: its own index, reports, the LLM cache, the CLI."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from assistant.answer.citations import cite
from assistant.embeddings import HashingEmbeddings
from assistant.evaluate.cache import RecordingGenerator, ResponseCache
from assistant.evaluate.cases import CaseFileError, parse_cases
from assistant.evaluate.metrics import SUMMARY_KEYS
from assistant.evaluate.report import compare, write
from assistant.evaluate.runner import CACHE_FOLDER, run_eval
from assistant.models import Answer, DocMeta, Passage
from assistant.pipeline import Briefing
from assistant.text import sentence_spans
from tests.conftest import ROOT, SEED
from tests.fake_openai import FakeOpenAI, answer_from_passages

pytestmark = pytest.mark.integration

CASES = [
    {
        "id": "us-team",
        "question": "Who led the US delegation in Saudi Arabia?",
        "must_include": [["Rubio"], ["Waltz"]],
        "sources": [SEED.name],
        "answerable": True,
    },
    {
        "id": "grain",
        "question": "When did Russia pull out of the Black Sea Grain Initiative?",
        "must_include": [["July 2023"]],
        "sources": ["article_grain.txt"],
        "answerable": True,
    },
    {
        "id": "gas-end",
        "question": "When did Russian gas stop flowing through Ukrainian pipes?",
        "must_include": [["1 January 2025"]],
        "sources": ["article_gas_transit.md"],
        "answerable": True,
    },
    {
        "id": "gas-who",
        "question": "Which countries were most exposed to that?",
        "history": [
            {"role": "user", "content": "When did gas transit through Ukraine end?"},
            {"role": "assistant", "content": "On 1 January 2025."},
        ],
        "must_include": [["Slovakia"]],
        "sources": ["article_gas_transit.md"],
        "answerable": True,
    },
    {"id": "mongolia", "question": "What is the population of Ulaanbaatar?", "answerable": False},
]


def cases_text(cases=CASES) -> str:
    return "\n".join(json.dumps(c) for c in cases) + "\n"


def test_run_indexes_exactly_the_corpus_and_leaves_the_user_index_alone(
    settings, articles, tmp_path
):
    own = tmp_path / "own"
    own.mkdir()
    (own / "user_only.txt").write_text(
        "Notes on the Odesa port\nDate: 2025-01-05\nPublisher: Desk\n\n" + "Odesa port. " * 40
    )
    mine = Briefing(settings, embeddings=HashingEmbeddings())
    mine.ingestor.ingest_paths([own])
    before = (mine.index.count(), [d.meta.doc_id for d in mine.index.documents()])

    report = run_eval(
        parse_cases(cases_text()), settings, corpus=articles, embeddings=HashingEmbeddings()
    )
    assert report["run"]["documents"] == 4
    assert (mine.index.count(), [d.meta.doc_id for d in mine.index.documents()]) == before
    assert not (settings.data_dir / CACHE_FOLDER).exists()  # the offline answerer is not cached

    extra = {
        "id": "port",
        "question": "What about Odesa port?",
        "must_include": [["Odesa"]],
        "sources": ["user_only.txt"],
        "answerable": True,
    }
    with pytest.raises(
        CaseFileError,
        match=r"line 6 \(case port\): source 'user_only.txt' "
        r"is not in the corpus",
    ):
        run_eval(
            parse_cases(cases_text(CASES + [extra]), "x.jsonl"),
            settings,
            corpus=articles,
            embeddings=HashingEmbeddings(),
            cases_file="x.jsonl",
        )


def test_report_scores_the_answers_and_is_written_to_disk(settings, articles, minilm, tmp_path):
    report = run_eval(parse_cases(cases_text()), settings, corpus=articles, embeddings=minilm)
    assert tuple(report["summary"]) == SUMMARY_KEYS
    assert report["generator"] == "extractive" and report["k"] == settings.k
    by_id = {c["id"]: c for c in report["cases"]}

    us = by_id["us-team"]
    assert us["passed"] and "Rubio" in us["answer"] and SEED.name in us["retrieved"]
    seed_cites = [c for c in us["citations"] if c["source"] == SEED.name]
    assert seed_cites and all(c["gold"] and c["quote_found"] for c in seed_cites)
    follow = by_id["gas-who"]
    assert follow["history_turns"] == 2 and follow["standalone_question"]

    answerable = [c for c in report["cases"] if c["answerable"]]
    mean_share = sum(c["scores"]["fact_share"] for c in answerable) / len(answerable)
    assert report["summary"]["fact_recall"] == pytest.approx(mean_share, abs=1e-4)
    refused = by_id["mongolia"]["refused"]
    assert report["summary"]["refusal_accuracy"] == (1.0 if refused else 0.0)

    # A worse run against this one: the comparison names the cases that broke.
    strict = settings.model_copy(update={"refusal_threshold": 0.99})
    worse = run_eval(parse_cases(cases_text()), strict, corpus=articles, embeddings=minilm)
    result = compare(report, worse, 0.02)
    assert "false_refusal_rate" in [r.name for r in result.regressed]
    broke = {c["id"] for c in answerable if c["passed"]}
    assert broke and {e["id"] for e in result.pass_to_fail} == broke

    paths = write(worse, tmp_path / "out", report, result)
    saved = json.loads(paths[0].read_text())
    assert saved["summary"] == worse["summary"] and len(saved["cases"]) == len(CASES)
    md = paths[1].read_text()
    assert "## Cases that went from pass to fail" in md
    assert all(f"`{i}`" in md for i in broke)
    assert paths[2].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_llm_answers_are_cached_by_prompt_version_model_and_input(settings, articles, tmp_path):
    prompts = tmp_path / "prompts"
    shutil.copytree(ROOT / "prompts", prompts)
    cases = parse_cases(cases_text())
    with FakeOpenAI(default=answer_from_passages) as server:
        llm = settings.model_copy(
            update={"openai_base_url": server.url, "model": "fake-model", "prompts_dir": prompts}
        )

        def run(**kw):
            before = len(server.completions)
            report = run_eval(cases, llm, corpus=articles, embeddings=HashingEmbeddings(), **kw)
            return report, len(server.completions) - before

        first, calls = run()
        assert first["generator"].startswith("llm:") and first["prompt_version"]
        assert calls >= len(cases)  # every answer, plus the follow-up's condense
        assert first["run"]["cache"] == {"hits": 0, "misses": calls}
        assert (settings.data_dir / CACHE_FOLDER).is_dir()

        again, calls_again = run()
        assert calls_again == 0
        assert again["run"]["cache"] == {"hits": calls, "misses": 0}
        assert [c["answer"] for c in again["cases"]] == [c["answer"] for c in first["cases"]]

        _, bypassed = run(use_cache=False)
        assert bypassed == calls

        answer_md = prompts / "answer.md"
        answer_md.write_text(answer_md.read_text() + "\nBe brief.\n")
        _, after_edit = run()
        assert after_edit == calls

        other = llm.model_copy(update={"model": "fake-model-2"})
        before = len(server.completions)
        run_eval(cases, other, corpus=articles, embeddings=HashingEmbeddings())
        assert len(server.completions) - before == calls


# ---- the command ------------------------------------------------------------------------


def _run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    from assistant.cli import main

    monkeypatch.setattr(sys, "argv", ["briefing", *args])
    with pytest.raises(SystemExit) as e:
        main()
    captured = capsys.readouterr()
    return e.value.code, captured.out, captured.err


def test_cli_names_the_problem_in_one_line(monkeypatch, capsys, tmp_path):
    code, _, err = _run_main(monkeypatch, capsys, "eval")
    assert code == 2 and "Give a cases file" in err
    code, _, err = _run_main(monkeypatch, capsys, "eval", str(tmp_path / "none.jsonl"))
    assert code == 2 and "No cases file at" in err
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(CASES[0]) + "\n" + '{"id": "x", "question": "?"}\n')
    code, _, err = _run_main(monkeypatch, capsys, "eval", str(bad))
    assert code == 2 and "bad.jsonl line 2: answerable: Field required" in err
    assert "Traceback" not in err


def test_cli_compare_shows_deltas_and_changed_cases(tmp_path):
    from assistant.cli import app

    def report(fact_recall: float, passed: dict[str, bool]) -> dict:
        return {
            "summary": {"n": 2, "fact_recall": fact_recall, "crag_score": 0.5},
            "generator": "extractive",
            "prompt_version": None,
            "k": 6,
            "cases": [
                {
                    "id": i,
                    "question": f"question {i}",
                    "passed": ok,
                    "why": "" if ok else "missing 'Lavrov'",
                    "refused": False,
                    "answer": f"answer {ok}",
                    "scores": {
                        "retrieval_hit": True,
                        "fact_share": float(ok),
                        "citations": 1,
                        "good_citations": 1,
                    },
                }
                for i, ok in passed.items()
            ],
        }

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(report(0.9, {"lavrov": True, "kursk": False})))
    b.write_text(json.dumps(report(0.5, {"lavrov": False, "kursk": True})))
    result = CliRunner().invoke(app, ["eval", "--compare", str(a), str(b)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "fact_recall" in result.output and "-0.400" in result.output
    assert "pass → fail (1):" in result.output and "lavrov: missing 'Lavrov'" in result.output
    assert "fail → pass (1):" in result.output and "kursk" in result.output


# ---- the cache keeps the model's raw reply ------------------------------------------------


class GroundingModel:
    """A stand-in for the LLM generator: its "model call" writes a reply quoting the first
    sentence of passage 1; `ground` turns a reply into the Answer, as LLMGenerator.ground does.
    Changing `refuse_all` or `tag` changes grounding without touching the replies."""

    name = "llm:grounding-fake"
    prompt_version = "fake-1"

    def __init__(self) -> None:
        self.calls = 0
        self.refuse_all = False
        self.tag = ""
        self.cut_short: set[str] = set()  # questions whose reply stops early
        self.grounded: list[tuple[str, bool]] = []  # (raw, finished) per ground call

    def _reply(self, passages: list[Passage]) -> str:
        self.calls += 1
        s, e = sentence_spans(passages[0].text)[0]
        return f"{passages[0].text[s:e]} [1]"

    def ground(
        self, question: str, raw: str, passages: list[Passage], finished: bool = True
    ) -> Answer:
        self.grounded.append((raw, finished))
        base = {"question": question, "generator": self.name, "raw_reply": raw}
        if self.refuse_all:
            return Answer(text="The indexed articles don't cover this.", refused=True, **base)
        quote = raw.removesuffix(" [1]")
        start = passages[0].text.index(quote)
        return Answer(
            text=self.tag + raw,
            citations=[cite(1, passages[0], start, start + len(quote))],
            notice=None if finished else "The model's answer was cut short.",
            **base,
        )

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        return self.ground(
            question, self._reply(passages), passages, question not in self.cut_short
        )

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        answer = self.answer(question, passages)
        yield answer.text
        yield answer


class PlainModel(GroundingModel):
    """A test double without `ground`: the cache stores its Answer."""

    ground = None  # type: ignore[assignment]

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        raw = self._reply(passages)
        return Answer(question=question, text=self.tag + raw, generator=self.name)


def _passages() -> list[Passage]:
    meta = DocMeta(doc_id="d1", title="Talks", source="talks.md", publisher="Desk")
    text = "Rubio led the US delegation in Riyadh on 18 February. Lavrov led Russia's."
    return [Passage(chunk_id="c1", text=text, start=0, end=len(text), meta=meta)]


def test_a_cached_rerun_grounds_the_stored_reply_again(tmp_path):
    cache, model, passages = ResponseCache(tmp_path), GroundingModel(), _passages()
    ident = {"generator": model.name, "prompt_version": model.prompt_version}
    model.cut_short = {"cut?"}

    first = RecordingGenerator(model, cache, ident).answer("Who led?", passages)
    RecordingGenerator(model, cache, ident).answer("cut?", passages)
    assert model.calls == 2 and (cache.hits, cache.misses) == (0, 2)
    stored = [json.loads(p.read_text()) for p in sorted(tmp_path.rglob("*.json"))]
    assert sorted(s["finished"] for s in stored) == [False, True]
    assert all(set(s) == {"raw", "finished"} and s["raw"].endswith("[1]") for s in stored)

    model.tag = "Checked: "  # grounding changed, the model's replies did not
    again = RecordingGenerator(model, cache, ident).answer("Who led?", passages)
    assert model.calls == 2 and cache.hits == 1
    assert again.text == "Checked: " + first.text and again.raw_reply == first.raw_reply
    model.grounded.clear()
    RecordingGenerator(model, cache, ident).answer("cut?", passages)
    assert model.grounded == [(first.raw_reply, False)]  # "cut short" survives the cache

    model.refuse_all = True
    streamed = list(RecordingGenerator(model, cache, ident).stream("Who led?", passages))
    assert model.calls == 2
    assert streamed[0] == streamed[1].text and streamed[1].refused


def test_an_answer_stored_in_the_old_format_is_a_miss(tmp_path):
    cache, model, passages = ResponseCache(tmp_path), GroundingModel(), _passages()
    ident = {"generator": model.name}
    plain = RecordingGenerator(PlainModel(), cache, ident)
    plain.answer("Who led?", passages)  # stores a whole Answer under the same key
    assert "raw" not in json.loads(next(tmp_path.rglob("*.json")).read_text())

    hits_before = cache.hits
    RecordingGenerator(model, cache, ident).answer("Who led?", passages)
    assert model.calls == 1 and cache.hits == hits_before and cache.misses == 2
    assert set(json.loads(next(tmp_path.rglob("*.json")).read_text())) == {"raw", "finished"}
    RecordingGenerator(model, cache, ident).answer("Who led?", passages)
    assert model.calls == 1 and cache.hits == hits_before + 1


def test_a_generator_without_ground_has_its_answer_cached_and_fallbacks_are_not(tmp_path):
    cache, passages = ResponseCache(tmp_path), _passages()
    plain = PlainModel()
    first = RecordingGenerator(plain, cache, {}).answer("Who led?", passages)
    plain.tag = "changed "
    assert RecordingGenerator(plain, cache, {}).answer("Who led?", passages) == first
    assert plain.calls == 1

    # A fallback (another generator answered) and an answer without a model reply (nothing to
    # answer from, no call made) are not this model's reply: neither is stored.
    model = GroundingModel()
    fallback = Answer(question="q", text="Quoted [1].", generator="extractive")
    no_call = Answer(question="q", text="Nothing.", refused=True, generator=model.name)
    other = ResponseCache(tmp_path / "other")
    for given in (fallback, no_call):
        model.answer = lambda q, p, a=given: a  # type: ignore[method-assign]
        model.stream = lambda q, p, a=given: iter([a.text, a])  # type: ignore[method-assign]
        recorder = RecordingGenerator(model, other, {"g": 1})
        assert recorder.answer("Who led?", passages) is given
        assert list(recorder.stream("Who led?", passages))[-1] is given
    assert not list((tmp_path / "other").rglob("*.json"))


def test_the_eval_rerun_regrounds_without_model_calls(settings, articles):
    model = GroundingModel()
    cases = parse_cases(cases_text(CASES[:3]))

    def run() -> dict:
        return run_eval(
            cases, settings, corpus=articles, embeddings=HashingEmbeddings(), generator=model
        )

    first = run()
    assert model.calls == 3 and first["run"]["cache"] == {"hits": 0, "misses": 3}
    assert first["generator"] == model.name
    model.refuse_all = True
    again = run()
    assert model.calls == 3 and again["run"]["cache"] == {"hits": 3, "misses": 0}
    assert all(c["refused"] for c in again["cases"])
    assert not any(c["refused"] for c in first["cases"])
    assert again["summary"]["false_refusal_rate"] == 1.0
