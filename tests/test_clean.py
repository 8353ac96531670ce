from datetime import date
from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.chunk import chunk_document
from assistant.ingest.clean import clean, parse_date
from assistant.ingest.load import load_bytes, load_file
from assistant.text import count_tokens, sentence_spans
from tests.conftest import DATA, SEED

FURNITURE = [
    "Share Now:",
    "Category:",
    "Highlighted Articles",
    "Subscribe",
    "Notify of",
    "0 Comments",
    "Oldest",
    "Newest Most Voted",
    "Please enable JavaScript",
    "Inline Feedbacks",
    "View all comments",
    "Home - AI: Future Wars",
]


def _seed():
    return clean(load_file(SEED, 10**7))


def test_seed_metadata():
    doc = _seed()
    assert doc.meta.title == (
        "The delicate thread to peace: Can US-Russia Negotiations End the Ukraine Conflict?"
    )
    assert doc.meta.published == date(2025, 3, 11)
    assert doc.meta.publisher == "inuno.ai"
    assert doc.meta.source.endswith("000_4a0880cd86d48309.txt")


def test_seed_furniture_removed_body_whole():
    doc = _seed()
    for junk in FURNITURE:
        assert junk not in doc.text, junk
    assert "17:11 GMT" not in doc.text and "Posted 15 hours ago" not in doc.text
    raw = SEED.read_text(encoding="utf-8")
    # Every article paragraph survives intact, first to last.
    paragraphs = [p for p in raw.split("\n") if len(p) > 300]
    assert len(paragraphs) == 8
    for p in paragraphs:
        assert p.strip() in doc.text
    assert doc.text.endswith("remains an open question.")


def test_doc_id_is_hash_of_cleaned_text():
    a, b = _seed(), _seed()
    assert a.meta.doc_id == b.meta.doc_id
    edited = SEED.read_bytes().replace(b"15 rounds of sanctions", b"16 rounds of sanctions")
    changed = clean(load_bytes(edited, "x.txt", 10**7))
    assert changed.meta.doc_id != a.meta.doc_id


def test_markdown_header_fields():
    doc = clean(load_file(DATA / "article_gas_transit.md", 10**7))
    assert doc.meta.title == "Gas transit through Ukraine ends"
    assert doc.meta.published == date(2025, 1, 2)
    assert doc.meta.publisher == "Energy Watch Weekly"
    assert "Date:" not in doc.text and "#" not in doc.text


def test_html_extracts_article_not_page():
    doc = clean(load_file(DATA / "article_sanctions.html", 10**7))
    assert doc.meta.title == "EU adopts sixteenth sanctions package on war anniversary"
    assert doc.meta.published == date(2025, 2, 24)
    assert doc.meta.publisher == "Eastern Europe Monitor"
    assert "shadow fleet" in doc.text
    for junk in ("analytics", "cookies", "All rights reserved", ".banner"):
        assert junk not in doc.text


@pytest.mark.parametrize(
    "line,expected",
    [
        ("17:11 GMT - Tuesday, 11 March, 2025", date(2025, 3, 11)),
        ("2025-02-19", date(2025, 2, 19)),
        ("February 28, 2025", date(2025, 2, 28)),
        ("no date here", None),
    ],
)
def test_parse_date(line, expected):
    assert parse_date(line) == expected


@pytest.mark.parametrize(
    "data,name,reason",
    [
        (b"", "empty.txt", "empty"),
        (b"   \n\n", "blank.md", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff\xfe" * 50, "fake.txt", "binary"),
        (b"hello", "notes.odt", "unsupported"),
        (b"hello", "notes.docx", "Word file cannot be read"),
        (b"not a pdf at all", "broken.pdf", "not a PDF"),
        (b"%PDF-1.4\n garbage garbage", "broken2.pdf", "cannot be read"),
    ],
)
def test_bad_files_named_with_reason(data, name, reason):
    with pytest.raises(IngestError) as e:
        raw = load_bytes(data, name, 10**7)
        clean(raw)
    assert name in str(e.value) and reason in str(e.value)


def test_size_limit():
    with pytest.raises(IngestError, match="over the 1 MB limit"):
        load_bytes(b"word " * 300_000, "big.txt", 1_000_000)


def test_legacy_encodings_decoded():
    text = "Kyiv’s café owners — naïve résumé. " * 5
    for enc, data in [
        ("utf-16", text.encode("utf-16")),
        ("latin-1", ("Café naïve résumé façade " * 20).encode("latin-1")),
    ]:
        raw = load_bytes(data, f"{enc}.txt", 10**7)
        assert "naïve" in raw.text, enc


def test_chunks_point_at_their_text_and_fit_the_model():
    doc = _seed()
    chunks = chunk_document(doc, 160, 30)
    assert len(chunks) >= 5
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert count_tokens(c.text) <= 160
        # Cut at sentence boundaries: each chunk ends where a sentence ends.
        assert c.text.rstrip()[-1] in '.!?”"’', c.text[-30:]
    # Together they cover the whole article, and consecutive chunks overlap or touch.
    assert chunks[0].start == 0 and chunks[-1].end == len(doc.text)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert b.start <= a.end + 2
    assert any(b.start < a.end for a, b in zip(chunks, chunks[1:], strict=False))


def test_run_on_text_is_split_to_fit():
    raw = load_bytes(("Title line\n\n" + "word " * 2000).encode(), "runon.txt", 10**7)
    doc = clean(raw)
    chunks = chunk_document(doc, 100, 20)
    assert all(count_tokens(c.text) <= 100 for c in chunks)
    assert all(doc.text[c.start : c.end] == c.text for c in chunks)


def test_sentence_spans_handle_abbreviations_and_missing_spaces():
    text = "Mr. Smith met U.S. officials. They left.Then it rained! Done?"
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == ["Mr. Smith met U.S. officials.", "They left.", "Then it rained!", "Done?"]


def test_a_closing_quote_or_bracket_belongs_to_the_sentence_it_closes():
    """'(it was 0.)' keeps its bracket: no character of the text falls between sentences, so
    no chunk loses it."""
    text = 'He said "we will hold." Then he left (it was 0.) Later it rained.'
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == ['He said "we will hold."', "Then he left (it was 0.)", "Later it rained."]


def test_tiktoken_is_offline(tmp_path: Path):
    assert count_tokens("Marco Rubio led the delegation.") > 3


def test_a_scraped_page_keeps_its_headline_and_date_and_loses_its_widgets():
    """A headline ending in a quotation is a headline; read-more links, the most-read list and
    the comments (with their reply and like buttons) are not article text."""
    doc = clean(load_file(DATA / "scraped_with_widgets.txt", 10**7))
    assert doc.meta.title.startswith("Port officials say the grain terminal will reopen")
    assert doc.meta.published == date(2023, 8, 14)
    for junk in (
        "Sponsored",
        "READ MORE",
        "MOST READ",
        "The ferry that never sails",
        "Comments",
        "dock_worker_7",
        "Reply",
        "(c) 2023",
        "Log in",
    ):
        assert junk not in doc.text, junk
    assert "six days after a drone strike set its silos on fire." in doc.text
    assert "refused to send their vessels at any price." in doc.text
