"""Several corpora and splits: `--corpus` repeated indexes the union of the folders, a case's
sources may be in any of them, and each cases file keeps its own baseline beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.embeddings import HashingEmbeddings
from assistant.evaluate.cases import CaseFileError, parse_cases
from assistant.evaluate.report import markdown
from assistant.evaluate.runner import run_eval

pytestmark = pytest.mark.integration

EXTRA = """Port of Odesa reopens to grain ships
Date: 2024-09-02
Publisher: Harbour Desk

The Port of Odesa reopened to grain ships on 2 September 2024 after a three-week closure.
Harbour pilots said twelve bulk carriers left under escort in the first two days.
"""


def _cases(*extra: dict) -> str:
    cases = [
        {
            "id": "grain",
            "question": "When did Russia pull out of the Black Sea Grain Initiative?",
            "must_include": [["July 2023"]],
            "sources": ["article_grain.txt"],
            "answerable": True,
            "category": "plain",
        },
        {
            "id": "odesa",
            "question": "When did the Port of Odesa reopen to grain ships?",
            "must_include": [["2 September 2024"]],
            "sources": ["odesa_port.txt"],
            "answerable": True,
            "category": "two-corpora",
        },
        *extra,
    ]
    return "\n".join(json.dumps(c) for c in cases) + "\n"


@pytest.fixture
def second(tmp_path) -> Path:
    folder = tmp_path / "second"
    folder.mkdir()
    (folder / "odesa_port.txt").write_text(EXTRA, encoding="utf-8")
    return folder


def test_several_corpus_folders_are_indexed_together(settings, articles, second):
    report = run_eval(
        parse_cases(_cases()),
        settings,
        corpus=[articles, second],
        embeddings=HashingEmbeddings(),
    )
    assert report["run"]["documents"] == 5  # four in articles/, one in second/
    assert report["run"]["corpus"] == [str(articles), str(second)]
    by_id = {c["id"]: c for c in report["cases"]}
    assert "odesa_port.txt" in by_id["odesa"]["retrieved"]
    assert by_id["odesa"]["category"] == "two-corpora"
    md = markdown(report, None)
    assert f"{articles} + {second}" in md
    assert "## Failures by category" in md and "| two-corpora | 1 |" in md

    one = run_eval(
        parse_cases(_cases().splitlines()[0]),
        settings,
        corpus=articles,
        embeddings=HashingEmbeddings(),
    )
    assert one["run"]["corpus"] == [str(articles)]


def test_a_source_in_neither_folder_names_both(settings, articles, second, tmp_path):
    missing = {
        "id": "nowhere",
        "question": "What about Kherson?",
        "must_include": [["Kherson"]],
        "sources": ["kherson.md"],
        "answerable": True,
    }
    with pytest.raises(CaseFileError) as e:
        run_eval(
            parse_cases(_cases(missing), "x.jsonl"),
            settings,
            corpus=[articles, second],
            embeddings=HashingEmbeddings(),
            cases_file="x.jsonl",
        )
    assert "source 'kherson.md' is not in the corpus" in str(e.value)
    assert str(articles) in str(e.value) and str(second) in str(e.value)
    with pytest.raises(Exception, match="does not exist"):
        run_eval(
            parse_cases(_cases()),
            settings,
            corpus=[articles, tmp_path / "none"],
            embeddings=HashingEmbeddings(),
        )


def test_cli_takes_corpus_repeated_and_the_baseline_beside_the_cases(
    monkeypatch, tmp_path, articles, second
):
    from assistant.cli import app
    from assistant.evaluate import runner

    seen: dict = {}
    real = runner.run_eval

    def spy(cases, settings, **kw):
        seen.update(kw)
        return real(cases, settings, embeddings=HashingEmbeddings(), **kw)

    monkeypatch.setattr(runner, "run_eval", spy)
    split = tmp_path / "evals" / "test"
    split.mkdir(parents=True)
    cases = split / "cases.jsonl"
    cases.write_text(_cases())
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    args = ["eval", str(cases), "--corpus", str(articles), "--corpus", str(second)]
    env = {"COLUMNS": "160"}

    result = CliRunner().invoke(app, [*args, "--update-baseline"], env=env)
    assert result.exit_code == 0, result.output
    assert seen["corpus"] == [articles, second]
    assert (split / "baseline.json").is_file()  # the split's own baseline, beside its cases
    assert (split / "out" / "report.md").is_file()

    other = tmp_path / "out-both"
    result = CliRunner().invoke(app, [*args, "--out", str(other)], env=env)
    assert result.exit_code == 0, result.output
    assert "this run" in result.output and (other / "report.json").is_file()
