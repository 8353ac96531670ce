"""Sentence vectors come from a cache on disk keyed by text: encoded once across questions and
processes, a crash's torn record costs nothing, and answers are the same with it."""

from __future__ import annotations

import numpy as np

from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.vector_cache import VectorCache


class Counting(HashingEmbeddings):
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().encode(texts)


def test_each_text_is_encoded_once_and_survives_a_restart(tmp_path):
    model = Counting()
    path = tmp_path / "v.bin"
    cache = VectorCache(path, 384)
    a = cache.vectors(["one two three", "four five", "one two three"], model.encode)
    assert model.calls == [["one two three", "four five"]]
    np.testing.assert_array_equal(a, model.encode(["one two three", "four five", "one two three"]))
    model.calls.clear()
    again = VectorCache(path, 384)  # another process, later
    b = again.vectors(["four five", "six seven"], model.encode)
    assert model.calls == [["six seven"]]
    np.testing.assert_array_equal(b[0], a[1])


def test_a_torn_record_is_ignored_and_padded_over(tmp_path):
    model = Counting()
    path = tmp_path / "v.bin"
    VectorCache(path, 384).vectors(["alpha beta"], model.encode)
    with open(path, "ab") as f:
        f.write(b"\x01" * 100)  # a crash in the middle of an append
    cache = VectorCache(path, 384)
    got = cache.vectors(["alpha beta", "gamma delta"], model.encode)
    assert model.calls[-1] == ["gamma delta"]
    fresh = VectorCache(path, 384)
    model.calls.clear()
    np.testing.assert_array_equal(fresh.vectors(["alpha beta", "gamma delta"], model.encode), got)
    assert model.calls == []


def test_answers_read_sentence_vectors_from_the_cache(settings, articles):
    model = Counting()
    first = Briefing(settings, embeddings=model)
    first.ingest([articles])
    question = "Which countries lost Russian gas transit through Ukraine?"
    before = first.ask(question)
    model.calls.clear()
    second = Briefing(settings, embeddings=model)  # a new process over the same data dir
    after = second.ask(question)
    assert after.text == before.text and after.citations == before.citations
    encoded = [t for call in model.calls for t in call]
    # Only the question's own texts, in one call: no stored sentence was encoded again.
    assert len(model.calls) == 1 and question in encoded


def test_a_question_encodes_only_texts_its_answer_reads(settings, articles, monkeypatch):
    """The question's texts go to the model in one call before the search; each of them is
    read again by the search or the answerer (the topic without the outlet is not read when
    the question names an indexed outlet, nor the outlet-naming words when it does not)."""
    from assistant.index import Index

    reads: list[list[str]] = []
    embed = Index.embed

    def recording(self, texts):
        reads.append(list(texts))
        return embed(self, texts)

    monkeypatch.setattr(Index, "embed", recording)
    model = Counting()
    first = Briefing(settings, embeddings=model)
    first.ingest([articles])
    questions = (
        "According to the inuno.ai analysis, which American officials met in Saudi Arabia?",
        "Which countries lost Russian gas transit through Ukraine?",
    )
    for question in questions:
        first.ask(question)  # its sentences' vectors into the cache on disk
    for question in questions:
        b = Briefing(settings, embeddings=model)
        reads.clear()
        model.calls.clear()
        b.ask(question)
        asked = [t for call in model.calls for t in call]
        assert len(model.calls) == 1 and question in asked
        read_later = {t for call in reads[1:] for t in call}
        assert set(asked) <= read_later | {question}
