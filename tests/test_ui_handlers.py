"""The web chat's handlers against the real pipeline (hashing embeddings), without a browser."""

from __future__ import annotations

import gradio as gr
import pytest

from assistant import feedback
from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from ui.handlers import Conversation, WebChat

SEED_QUESTION = "Who led the US delegation in Saudi Arabia?"


@pytest.fixture
def chat(fake_briefing, settings, articles) -> WebChat:
    fake_briefing.ingestor.ingest_paths([articles])
    return WebChat(fake_briefing, settings)


def run(chat: WebChat, question: str, messages=None, conv=None, date_to=""):
    conv = conv or Conversation()
    steps = [
        (box, list(shown))  # a snapshot of what each update showed
        for box, shown in chat.ask(question, messages or [], conv, [], "", date_to)
    ]
    return steps, steps[-1][1], conv


def like(index: int, liked=True) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": [], "liked": liked})


def test_question_shows_at_once_then_the_answer_with_sources(chat):
    steps, messages, conv = run(chat, SEED_QUESTION)
    first = steps[0][1]
    assert steps[0][0] == ""  # the box is emptied as soon as the question is sent
    assert first[0] == {"role": "user", "content": SEED_QUESTION}
    assert "streaming" in first[1]["content"]
    assert 'class="sources"' in messages[1]["content"] and "inuno.ai" in messages[1]["content"]
    assert conv.answers[1].citations and conv.history[0]["content"] == SEED_QUESTION


def test_follow_up_is_read_against_this_conversation_only(chat):
    _, messages, conv = run(chat, SEED_QUESTION)
    _, messages, conv = run(chat, "And who headed the Russian side?", messages, conv)
    assert "Read as:" in messages[-1]["content"]
    assert "delegation" in conv.answers[3].standalone_question
    _, fresh, _ = run(chat, "And who headed the Russian side?")
    assert "Read as:" not in fresh[-1]["content"]


def test_empty_question_and_bad_date_are_messages_not_crashes(chat):
    _, messages, conv = run(chat, "  ")
    assert len(messages) == 1 and "Please type a question" in messages[0]["content"]
    assert not conv.history
    _, messages, _ = run(chat, SEED_QUESTION, date_to="March 2025")
    assert 'class="error"' in messages[-1]["content"] and "2025-03-11" in messages[-1]["content"]


class Broken:
    """A generator that fails the way a bug would."""

    name = "broken"

    def answer(self, question, passages):
        raise RuntimeError("boom")

    def stream(self, question, passages):
        yield "Partial "
        raise RuntimeError("boom")


def test_unexpected_failure_becomes_a_message_and_the_next_question_works(settings, articles):
    briefing = Briefing(settings, embeddings=HashingEmbeddings(), generator=Broken())
    briefing.ingestor.ingest_paths([articles])
    chat = WebChat(briefing, settings)
    _, messages, conv = run(chat, SEED_QUESTION)
    assert "Something went wrong" in messages[-1]["content"] and "boom" not in str(messages)
    briefing.generator = briefing.extractive
    _, messages, _ = run(chat, SEED_QUESTION, messages, conv)
    assert "inuno.ai" in messages[-1]["content"]


def test_rating_writes_one_line_and_only_for_answers(chat, settings):
    _, messages, conv = run(chat, SEED_QUESTION)
    status, box = chat.rate(conv, "  spot on ", like(1), None)
    assert "recorded" in status and box == ""
    entry = feedback.read(settings.feedback_path)[-1]
    assert (entry["rating"], entry["comment"], entry["surface"]) == ("up", "spot on", "web")
    assert entry["citations"][0]["publisher"] == "inuno.ai"

    chat.rate(conv, "", like(1, liked=False), None)
    assert feedback.read(settings.feedback_path)[-1]["rating"] == "down"
    assert "withdrawn" in chat.rate(conv, "", like(1, liked=""), None)[0]
    assert "Only answers" in chat.rate(conv, "", like(0), None)[0]
    assert len(feedback.read(settings.feedback_path)) == 2


def test_upload_adds_documents_reports_failures_and_updates_the_panel(chat, tmp_path):
    good = tmp_path / "kerch.md"
    good.write_text(
        "# Kerch ferry terminal hit\n\nPublisher: Harbour Signals\n\n"
        "Naval drones struck the Kerch ferry terminal and two ramps were destroyed "
        "according to the port authority on Friday.\n",
        encoding="utf-8",
    )
    bad = tmp_path / "blob.txt"
    bad.write_bytes(bytes(range(256)) * 20)
    cleared, status, docs, remove_menu, publishers = chat.upload([str(good), str(bad)])
    assert cleared is None
    assert "Added “Kerch ferry terminal hit”" in status and "blob.txt" in status
    assert "Kerch ferry terminal hit" in docs
    assert ("Harbour Signals", "Harbour Signals") in publishers.choices
    doc_id = next(v for label, v in remove_menu.choices if label.startswith("Kerch"))

    status, docs, *_ = chat.remove(doc_id)
    assert status.startswith("Removed the document") and "Kerch" not in docs
    assert "Choose a document" in chat.remove(None)[0]


def test_clearing_mid_answer_stops_it_and_nothing_of_it_comes_back(chat):
    conv = Conversation()
    stream = chat.ask(SEED_QUESTION, [], conv, [], "", "")
    next(stream)  # the question is on screen, the answer is being written
    shown, fresh, _ = chat.clear(conv)
    assert shown == [] and fresh is not conv and not fresh.closed
    assert list(stream) == []  # no further piece of the old answer reaches the chat
    assert conv.history == [] and fresh.history == []


def test_a_word_file_can_be_uploaded_and_the_picker_offers_it(chat, tmp_path):
    import docx

    from ui.app import UPLOAD_TYPES

    assert ".docx" in UPLOAD_TYPES
    doc = docx.Document()
    doc.add_heading("Odesa port insurance rises", level=1)
    doc.add_paragraph(
        "War-risk premiums for ships calling at Odesa rose to two per cent of hull value "
        "after a drone strike on the grain terminal, brokers said."
    )
    path = tmp_path / "insurance.docx"
    doc.save(path)
    _, status, docs, *_ = chat.upload([str(path)])
    assert "Odesa port insurance rises" in status and "Odesa port insurance rises" in docs
