"""The conversation store: per owner, in order, crash-safe, and the text forms of a conversation
(Copy, Markdown export, the filters in words)."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from assistant.index import DocSummary
from assistant.models import Answer, Citation, DocMeta, Filters
from ui import plain
from ui.conversations import ConversationStore, Turn, title_for
from ui.session import owner_for

A, B = "browser:" + "a" * 32, "user:analyst"


def answer(text: str = "Rubio led it [1].") -> Answer:
    c = Citation(
        n=1,
        doc_id="d1",
        chunk_id="d1:0",
        title="Riyadh talks",
        publisher="Example Post",
        published=date(2025, 2, 18),
        source="riyadh.md",
        url="https://example.org/riyadh",
        quote="Rubio led it.",
        start=0,
        end=13,
    )
    return Answer(question="Who led it?", text=text, citations=[c], generator="extractive")


@pytest.fixture
def store(tmp_path) -> ConversationStore:
    return ConversationStore(tmp_path / "data" / "conversations.sqlite3")


def test_turns_come_back_in_order_with_their_answers(store):
    cid = store.create(A, "Who led it?")
    store.append(A, cid, Turn("Who led it?", answer=answer(), filters={"publishers": ["X"]}))
    store.append(A, cid, Turn("And then?", status="stopped", text="Partial", generator="llm:m"))
    turns = store.turns(A, cid)
    assert [t.question for t in turns] == ["Who led it?", "And then?"]
    assert turns[0].answer == answer() and turns[0].filters == {"publishers": ["X"]}
    assert (turns[1].status, turns[1].text, turns[1].answer) == ("stopped", "Partial", None)
    store.replace_last(A, cid, Turn("And then?", answer=answer("Then this [1].")))
    assert store.turns(A, cid)[-1].answer.text == "Then this [1]."
    assert len(store.turns(A, cid)) == 2


def test_an_owner_sees_and_changes_only_their_own(store):
    mine, theirs = store.create(A, "mine"), store.create(B, "theirs")
    assert [s.title for s in store.summaries(A)] == ["mine"]
    assert store.turns(B, mine) == [] and store.title(B, mine) is None
    assert not store.append(B, mine, Turn("sneak"))
    assert not store.rename(B, mine, "x") and not store.delete(B, mine)
    assert store.rename(A, mine, "  renamed\n ") and store.title(A, mine) == "renamed"
    assert store.delete(A, mine) and store.summaries(A) == []
    assert [s.id for s in store.summaries(B)] == [theirs]


def test_the_latest_changed_conversation_comes_first(store):
    old, new = store.create(A, "old"), store.create(A, "new")
    store.append(A, old, Turn("again"))
    assert [s.id for s in store.summaries(A)] == [old, new]


def test_a_failed_change_leaves_the_file_as_it_was(store, monkeypatch):
    cid = store.create(A, "kept")
    store.append(A, cid, Turn("first"))

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Turn, "to_json", broken)
    with pytest.raises(RuntimeError):
        store.replace_last(A, cid, Turn("second"))  # the delete happened, the insert did not
    monkeypatch.undo()
    assert [t.question for t in store.turns(A, cid)] == ["first"]
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()


def test_titles_are_one_short_line():
    assert title_for("  Who\nled   it? ") == "Who led it?"
    assert len(title_for("x " * 100)) == 80 and title_for("") == "Untitled"


def test_owner_is_the_login_name_or_a_browser_id_of_ours():
    assert owner_for("analyst", None)[0] == "user:analyst"
    owner, bid = owner_for(None, None)
    assert owner == f"browser:{bid}" and len(bid) == 32
    assert owner_for(None, bid) == (owner, bid)
    assert owner_for(None, "../../etc")[1] != "../../etc"


def test_filters_in_words_and_which_documents_they_leave():
    f = Filters(("inuno.ai",), date(2025, 3, 1), None)
    assert plain.describe(f) == "publisher inuno.ai from 1 March 2025"
    two = Filters(("A", "B"), None, date(2024, 12, 31))
    assert plain.describe(two) == "publishers A or B to 31 December 2024"
    docs = [
        DocSummary(DocMeta(doc_id="1", title="t", publisher="A", source="s"), 1),
        DocSummary(
            DocMeta(doc_id="2", title="t", publisher="B", published=date(2025, 1, 2), source="s"),
            1,
        ),
    ]
    nothing = plain.no_match_message(two, docs)
    assert nothing == "No documents match publishers A or B to 31 December 2024."
    assert plain.no_match_message(Filters(("A",)), docs) is None
    assert plain.filters_of(plain.filters_value(f)) == f


def test_copy_text_and_markdown_export_carry_the_numbered_sources():
    turn = Turn("Who led it?", answer=answer(), filters={"publishers": ["Example Post"]})
    text = plain.turn_text(turn)
    assert text == (
        "Rubio led it [1].\n\nSources:\n[1] Riyadh talks — Example Post, 18 February 2025. "
        "https://example.org/riyadh\n    “Rubio led it.”"
    )
    stopped = Turn("And then?", status="stopped", text="Partial words")
    assert plain.turn_text(stopped).endswith("(Stopped: the answer was cut short.)")
    md = plain.conversation_markdown("Talks", [turn, stopped])
    assert md.startswith("# Talks\n\n## 1. Who led it?\n\n*Filters: publisher Example Post*")
    source = "- [1] **Riyadh talks** — Example Post, 18 February 2025."
    assert f"{source} <https://example.org/riyadh>" in md
    assert "## 2. And then?" in md and "> Partial words" in md and "*Stopped" in md
