"""Cited answers: right article first, quotes that hold, refusals when nothing covers it."""

from __future__ import annotations

import pytest

from assistant.answer import REFUSAL
from assistant.answer.citations import quote_holds, verified
from assistant.errors import QuestionError
from assistant.pipeline import Briefing


@pytest.fixture
def real_briefing(settings, minilm_index) -> Briefing:
    """The real model over the test articles, indexed once per run: these tests only ask."""
    return Briefing(settings, index=minilm_index)


def _check_citations(answer):
    assert answer.citations, answer.text
    docs = {d.meta.doc_id: d for d in []}
    for c in answer.citations:
        assert f"[{c.n}]" in answer.text
        assert quote_holds(c)
        assert c.quote in c.chunk_text
    return docs


@pytest.mark.integration
@pytest.mark.parametrize(
    "question,title_word,fact",
    [
        ("Who led the US delegation in Saudi Arabia?", "delicate thread", "Marco Rubio"),
        ("What share of GDP does Russia now spend on defence?", "delicate thread", "7%"),
        (
            "When did Russian gas stop flowing to Europe through Ukraine?",
            "Gas transit",
            "1 January 2025",
        ),
        ("Which route still carries Russian pipeline gas to the EU?", "Gas transit", "TurkStream"),
        (
            "How did Ukraine keep shipping grain after Russia quit the UN-brokered deal?",
            "grain",
            "corridor",
        ),
        ("What did the EU's sixteenth sanctions package target?", "sixteenth", "shadow fleet"),
    ],
)
def test_right_article_first_with_a_cited_fact(real_briefing, question, title_word, fact):
    passages = real_briefing.retriever.search(question)
    assert title_word.lower() in passages[0].meta.title.lower()
    answer = real_briefing.ask(question)
    assert not answer.refused
    assert fact.lower() in answer.text.lower()
    _check_citations(answer)
    assert title_word.lower() in answer.citations[0].title.lower()


@pytest.mark.integration
@pytest.mark.parametrize(
    "question",
    [
        "What is the weather forecast for Lisbon this weekend?",
        "Who won the 2018 FIFA World Cup final?",
        "How do I bake sourdough bread?",
    ],
)
def test_uncovered_question_is_refused(real_briefing, question):
    answer = real_briefing.ask(question)
    assert answer.refused and answer.text == REFUSAL and not answer.citations


@pytest.mark.integration
def test_seed_answer_cites_publisher_and_date(real_briefing):
    answer = real_briefing.ask("What territorial swap did Zelensky propose?")
    c = answer.citations[0]
    assert c.publisher == "inuno.ai" and c.published.isoformat() == "2025-03-11"
    assert "Kursk" in answer.text


@pytest.mark.integration
def test_follow_up_uses_history(real_briefing):
    history = [
        {"role": "user", "content": "What happened to gas transit through Ukraine?"},
        {"role": "assistant", "content": "It stopped on 1 January 2025. [1]"},
    ]
    answer = real_briefing.ask("Which countries were most exposed to it?", history=history)
    assert answer.standalone_question and "gas" in answer.standalone_question
    assert "Slovakia" in answer.text


def test_every_marker_resolves_and_quotes_hold(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    for q in [
        "Who led the US delegation in Saudi Arabia?",
        "What did sanctions do to Russia's GDP?",
        "What happened to the grain corridor?",
    ]:
        answer = fake_briefing.ask(q)
        markers = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)}
        assert markers == {c.n for c in answer.citations}
        for c in answer.citations:
            assert quote_holds(c)


def test_tampered_citation_is_dropped(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    answer = fake_briefing.ask("Who led the US delegation in Saudi Arabia?")
    bad = answer.citations[0].model_copy(update={"quote": "Marco Rubio resigned."})
    checked = verified(answer.model_copy(update={"citations": [bad]}))
    assert not checked.citations and "[1]" not in checked.text


@pytest.mark.parametrize("question", ["", "   ", "\n\t", None])
def test_empty_question_is_a_sentence(fake_briefing, question):
    with pytest.raises(QuestionError, match="Please type a question|must be text"):
        fake_briefing.ask(question)


def test_long_question_is_trimmed_with_notice(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    answer = fake_briefing.ask("Who led the US delegation? " + "x " * 10_000)
    assert answer.notice and "trimmed" in answer.notice
