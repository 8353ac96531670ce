"""The web chat's handlers against the real pipeline (hashing embeddings), without a browser."""

from __future__ import annotations

import threading
from html import unescape
from pathlib import Path

import gradio as gr
import pytest

from assistant import feedback
from assistant.embeddings import HashingEmbeddings
from assistant.models import Answer
from assistant.pipeline import Briefing
from ui.chat import ChatFlow
from ui.conversations import ConversationStore
from ui.handlers import WebChat
from ui.history import History
from ui.session import Conversation

SEED_QUESTION = "Who led the US delegation in Saudi Arabia?"
GAS_QUESTION = "When did gas transit through Ukraine end?"
OWNER = "browser:" + "a" * 32


@pytest.fixture
def briefing(fake_briefing, articles) -> Briefing:
    fake_briefing.ingestor.ingest_paths([articles])
    return fake_briefing


@pytest.fixture
def chat(briefing, settings) -> WebChat:
    return WebChat(briefing, settings)


@pytest.fixture
def store(settings) -> ConversationStore:
    return ConversationStore(settings.data_dir / "conversations.sqlite3")


@pytest.fixture
def flow(briefing, store) -> ChatFlow:
    return ChatFlow(briefing, store)


@pytest.fixture
def history(store, flow, tmp_path) -> History:
    return History(store, flow, tmp_path / "exports")


def run(flow: ChatFlow, question: str, messages=None, conv=None, date_to="", publishers=()):
    conv = conv or Conversation(owner=OWNER)
    steps = [
        (box, list(shown))  # a snapshot of what each update showed
        for box, shown in flow.ask(question, messages or [], conv, list(publishers), "", date_to)
    ]
    return steps, steps[-1][1], conv


def like(index: int, liked=True) -> gr.LikeData:
    return gr.LikeData(None, {"index": index, "value": [], "liked": liked})


def test_question_shows_at_once_then_the_answer_with_sources(flow):
    steps, messages, conv = run(flow, SEED_QUESTION)
    first = steps[0][1]
    assert steps[0][0] == ""  # the box is emptied as soon as the question is sent
    assert first[0]["role"] == "user" and SEED_QUESTION in first[0]["content"]
    assert "streaming" in first[1]["content"]
    assert 'class="sources"' in messages[1]["content"] and "inuno.ai" in messages[1]["content"]
    assert conv.answers[1].citations and conv.history[0]["content"] == SEED_QUESTION


def test_the_question_is_shown_exactly_as_typed(flow):
    typed = "Who led it? <b>bold</b> **not bold** <script>x()</script>"
    _, messages, _ = run(flow, typed)
    html = messages[0]["content"]
    assert "<b>" not in html and "<script>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; **not bold**" in html and html.startswith('<div class="asked">')


def test_follow_up_is_read_against_this_conversation_only(flow):
    _, messages, conv = run(flow, SEED_QUESTION)
    _, messages, conv = run(flow, "And who headed the Russian side?", messages, conv)
    assert "Read as:" in messages[-1]["content"]
    assert "delegation" in conv.answers[3].standalone_question
    _, fresh, _ = run(flow, "And who headed the Russian side?")
    assert "Read as:" not in fresh[-1]["content"]


def test_empty_question_and_bad_date_are_messages_not_crashes(flow, store):
    _, messages, conv = run(flow, "  ")
    assert len(messages) == 1 and "Please type a question" in messages[0]["content"]
    assert not conv.history and conv.id is None and store.summaries(OWNER) == []
    _, messages, _ = run(flow, SEED_QUESTION, date_to="March 2025")
    assert 'class="error"' in messages[-1]["content"] and "2025-03-11" in messages[-1]["content"]


def test_filters_that_match_no_document_say_so_and_answers_show_their_filters(flow):
    _, messages, _ = run(flow, SEED_QUESTION, publishers=["inuno.ai"], date_to="2024-12-31")
    text = unescape(messages[-1]["content"])
    assert "No documents match publisher inuno.ai to 31 December 2024." in text
    assert "Filters: publisher inuno.ai to 31 December 2024" in text

    _, messages, _ = run(flow, SEED_QUESTION, publishers=["inuno.ai"])
    assert "Filters: publisher inuno.ai" in unescape(messages[-1]["content"])
    _, messages, _ = run(flow, SEED_QUESTION)
    assert "filters-line" not in messages[-1]["content"]


def test_each_answer_carries_its_plain_text_with_a_numbered_source_list(flow):
    _, messages, _ = run(flow, SEED_QUESTION)
    html = messages[-1]["content"]
    copied = unescape(html.split('<span class="copy-text">')[1].split("</span>")[0])
    assert "<" not in copied and "&#" not in copied
    text, sources = copied.split("\n\nSources:\n")
    assert "Rubio" in text and "[1]" in text
    assert sources.startswith("[1] The delicate thread to peace")
    assert "inuno.ai, 11 March 2025" in sources


class Slow:
    """A model that writes one word, then waits until released."""

    name = "llm:slow"

    def __init__(self) -> None:
        self.release = threading.Event()
        self.closed = threading.Event()

    def stream(self, question, passages):
        try:
            yield "First **words** "
            self.release.wait(10)
            yield "and the rest."
            yield Answer(question=question, text="First words and the rest.", generator=self.name)
        finally:
            self.closed.set()


def test_stop_ends_a_silent_stream_at_once_keeps_its_words_and_marks_them(settings, articles):
    slow = Slow()
    briefing = Briefing(settings, embeddings=HashingEmbeddings(), generator=slow)
    briefing.ingestor.ingest_paths([articles])
    store = ConversationStore(settings.data_dir / "c.sqlite3")
    flow = ChatFlow(briefing, store)
    conv = Conversation(owner=OWNER)
    steps = flow.ask(SEED_QUESTION, [], conv, [], "", "")
    next(steps)
    shown = next(steps)[1][-1]["content"]  # the first words are on screen
    assert "<strong>words</strong>" in shown  # a model's Markdown is rendered
    flow.stop(conv)
    *_, (_, messages) = list(steps)  # ends although the model says nothing more
    reply = messages[-1]["content"]
    assert "First" in reply and "the rest" not in reply and "Stopped" in reply
    slow.release.set()
    assert slow.closed.wait(5)  # the model's stream is closed, not read to its end
    [turn] = store.turns(OWNER, conv.id)
    assert turn.status == "stopped" and turn.text.startswith("First **words**")


def test_regenerate_asks_the_last_question_again_with_its_filters(flow, store):
    _, messages, conv = run(flow, SEED_QUESTION, publishers=["inuno.ai"])
    _, messages, conv = run(flow, GAS_QUESTION, messages, conv)
    *_, (_, again) = list(flow.regenerate(messages, conv))
    assert len(again) == 4 and "Energy Watch" in again[-1]["content"]
    assert "Filters: publisher inuno.ai" not in again[-1]["content"]  # the last turn had none
    turns = store.turns(OWNER, conv.id)
    assert [t.question for t in turns] == [SEED_QUESTION, GAS_QUESTION]
    conv.turns = conv.turns[:1]
    *_, (_, again) = list(flow.regenerate(again[:2], conv))
    assert "Filters: publisher inuno.ai" in unescape(again[-1]["content"])


def test_conversations_are_kept_reopened_renamed_exported_and_deleted(flow, history, store):
    _, messages, conv = run(flow, SEED_QUESTION)
    _, messages, conv = run(flow, "And who headed the Russian side?", messages, conv)
    other = Conversation(owner="browser:" + "b" * 32)
    run(flow, "When did gas transit through Ukraine end?", conv=other)

    class Request:
        username = None

    reopened = Conversation()  # the session's own, filled in place
    bid, _, shown, listing, title, _ = history.start("a" * 32, reopened, Request())
    assert bid == "a" * 32 and reopened.id == conv.id and len(shown) == 4
    assert [c[0] for c in listing.choices] == [SEED_QUESTION]  # not the other browser's
    assert title == SEED_QUESTION and "Lavrov" in shown[3]["content"]
    assert "delegation" in reopened.history[0]["content"]

    listing, status = history.rename("US talks", reopened)
    assert "US talks" in status and listing.choices[0][0] == "US talks"
    file = history.export(reopened).value
    path = file["path"] if isinstance(file, dict) else file
    md = Path(path).read_text(encoding="utf-8")
    assert md.startswith("# US talks") and "## 1. " + SEED_QUESTION in md
    assert "[1] **The delicate thread to peace" in md and "inuno.ai, 11 March 2025" in md

    assert not store.rename(other.owner, conv.id, "stolen")  # another owner cannot touch it
    assert not store.delete(other.owner, conv.id)
    *_, status = history.delete(reopened)
    assert "Deleted “US talks”" in status and store.summaries(OWNER) == []
    assert len(store.summaries(other.owner)) == 1


def test_a_login_name_owns_its_conversations_whatever_the_browser(flow, history):
    class Request:
        username = "analyst"

    conv = Conversation()
    history.start(None, conv, Request())
    assert conv.owner == "user:analyst"
    run(flow, SEED_QUESTION, conv=conv)
    again = Conversation()
    history.start("z" * 32, again, Request())
    assert again.id == conv.id and len(again.turns) == 1


def test_a_question_asked_while_the_page_loads_keeps_its_answer(flow, history, store):
    class Request:
        username = None

    run(flow, SEED_QUESTION, conv=Conversation(owner=OWNER))  # an earlier conversation
    conv = Conversation()
    stream = flow.ask(GAS_QUESTION, [], conv, [], "", "")
    next(stream)  # on screen, being answered, when the page's load event comes in
    _, _, shown, *_ = history.start("a" * 32, conv, Request())
    assert shown is not None and not isinstance(shown, list)  # the chat is left alone
    *_, (_, messages) = list(stream)
    assert "Energy Watch" in messages[-1]["content"]
    assert [s.title for s in store.summaries(OWNER)] == [GAS_QUESTION, SEED_QUESTION]


def test_suggestions_name_what_the_cited_passages_hold_beyond_the_answer(flow, history):
    _, _, conv = run(flow, SEED_QUESTION)
    _, _, _, *buttons = history.after_answer(conv)
    shown = [b.value for b in buttons if b.visible]
    assert shown and all(q.endswith("?") for q in shown)
    answer = conv.turns[-1].answer.text
    assert not any(name in answer for name in ("Zelensky", "Washington") if name in str(shown))


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
    flow = ChatFlow(briefing, ConversationStore(settings.data_dir / "c.sqlite3"))
    _, messages, conv = run(flow, SEED_QUESTION)
    assert "Something went wrong" in messages[-1]["content"] and "boom" not in str(messages)
    briefing.generator = briefing.extractive
    _, messages, _ = run(flow, SEED_QUESTION, messages, conv)
    assert "inuno.ai" in messages[-1]["content"]


def test_rating_writes_one_line_and_only_for_answers(flow, chat, settings):
    _, messages, conv = run(flow, SEED_QUESTION)
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


def test_upload_adds_documents_reports_failures_and_removal_asks_first(chat, tmp_path):
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
    ids = {label.split(" — ")[0]: v for label, v in remove_menu.choices}
    chosen = [ids["Kerch ferry terminal hit"], ids["Gas transit through Ukraine ends"]]

    box, question, status = chat.confirm_remove(chosen)
    assert box.visible and status == ""
    assert "these 2 documents" in question and "“Kerch ferry terminal hit”" in question
    assert "“Gas transit through Ukraine ends”" in question

    status, box, docs, *_ = chat.remove(chosen)
    assert not box.visible and "Kerch" not in docs and "Gas transit" not in docs
    assert status.startswith("<div") and "Removed “Kerch ferry terminal hit” (1 chunk)" in status
    assert "“Gas transit through Ukraine ends”" in status
    assert "Choose one or more" in chat.confirm_remove([])[2]
    assert "already gone" in chat.remove(chosen)[0]


def test_document_search_narrows_the_table(chat):
    html = chat.search("energy watch")
    assert "Gas transit through Ukraine ends" in html and "delicate thread" not in html
    assert "1 of 4 documents match “energy watch”" in html


def test_leaving_mid_answer_stops_it_and_nothing_of_it_comes_back(flow, history):
    conv = Conversation(owner=OWNER)
    stream = flow.ask(SEED_QUESTION, [], conv, [], "", "")
    next(stream)  # the question is on screen, the answer is being written
    history.leave(conv)
    fresh, shown, *_ = history.new(conv)
    assert shown == [] and fresh is not conv and not fresh.closed and fresh.owner == OWNER
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


def test_a_broken_word_file_is_reported_once(chat, tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    _, status, *_ = chat.upload([str(path)])
    assert status.count("broken.docx") == 1


def test_regenerate_waits_for_the_answer_being_written(flow):
    _, messages, conv = run(flow, SEED_QUESTION)
    conv.busy = True
    assert list(flow.regenerate(messages, conv)) == [(gr.skip(), gr.skip())]
    assert len(conv.turns) == 1  # nothing was taken away
