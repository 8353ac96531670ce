"""Retrieval for questions with several parts: each part sees what it would see asked alone."""

from __future__ import annotations

from assistant.answer.question import analyse


def test_each_part_of_a_compound_question_keeps_its_own_top_passages(fake_briefing, articles):
    """A two-part question used to keep about half of each part's passages, so the one that
    answered the first part (ranked fifth for it) never reached the answerer."""
    assert fake_briefing.ingestor.ingest_paths([articles]).ok
    question = (
        "Who led the US delegation in Saudi Arabia, and when did Russian gas stop flowing "
        "through Ukraine?"
    )
    asked = analyse(question)
    assert len(asked.parts) == 2
    found = {p.chunk_id for p in fake_briefing.retriever.search(question, k=3)}
    for part in asked.parts:
        alone = fake_briefing.retriever.search(part.search_text, k=3)
        assert {p.chunk_id for p in alone} <= found, part.text
