"""The web chat's HTML, without a browser: sources, highlighting, refusals, the document list."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from assistant.errors import BriefingError, IngestError
from assistant.index import DocSummary
from assistant.ingest import IngestReport
from assistant.models import Answer, Citation, DocMeta, Document
from tests.conftest import SEED
from ui import render
from ui.handlers import parse_auth, parse_filters

PASSAGE = (
    "Talks in Riyadh\n\nThe delegations met for four hours. The US side was led by Marco Rubio "
    "and Mike Waltz. Both sides agreed to restore embassy staff.\n\n\nNo date was set."
)
QUOTE = "The US side was led by Marco Rubio and Mike Waltz."


def citation(n: int = 1, url: str | None = None, **changes) -> Citation:
    lo = PASSAGE.index(QUOTE)
    fields = dict(
        n=n,
        doc_id="d1",
        chunk_id="d1:0",
        title="Riyadh talks",
        publisher="Example Post",
        published=date(2025, 2, 18),
        source="riyadh.md",
        url=url,
        quote=QUOTE,
        start=1000 + lo,
        end=1000 + lo + len(QUOTE),
        chunk_text=PASSAGE,
        chunk_start=1000,
    )
    fields.update(changes)
    return Citation(**fields)


def answer(text: str, citations: list[Citation], **changes) -> Answer:
    return Answer(
        question="Who led the US side?",
        text=text,
        citations=citations,
        generator="extractive",
        **changes,
    )


def visible_text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_source_shows_title_publisher_date_and_quote():
    html = render.source_html(citation())
    summary = visible_text(html.split("</summary>")[0])
    assert "[1] Riyadh talks — Example Post, 18 February 2025" in summary
    assert f"“{QUOTE}”" in summary
    assert "<a " not in html  # no URL, no link


def test_source_links_to_the_article_when_it_has_a_url():
    html = render.source_html(citation(url='https://example.org/a?x=1&y="2"'))
    assert 'href="https://example.org/a?x=1&amp;y=&quot;2&quot;"' in html
    assert 'target="_blank"' in html and "noopener" in html
    assert "<a " not in render.source_html(citation(url="javascript:alert(1)"))


def test_highlight_marks_exactly_the_quote_inside_its_passage():
    html = render.highlight_html(citation())
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    assert marked == [QUOTE]
    text = visible_text(html.replace("<br>", "\n"))
    assert text.startswith("Talks in Riyadh") and text.endswith("No date was set.")
    before, after = text.split(QUOTE)
    assert before.endswith("four hours. ") and after.startswith(" Both sides")


def test_highlight_falls_back_to_the_quote_when_offsets_do_not_fit():
    html = render.highlight_html(citation(start=5, end=5 + len(QUOTE)))
    assert re.findall(r"<mark>(.*?)</mark>", html) == [QUOTE]
    assert "Talks in Riyadh" not in html


def test_document_text_is_escaped_everywhere():
    evil = "<script>alert(1)</script>"
    c = citation(title=evil, publisher="<b>x</b>", quote=QUOTE)
    html = render.answer_html(answer(f"{evil} [1]", [c]))
    assert "<script" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;" in html


def test_html_has_no_line_breaks_that_would_end_the_markdown_html_block():
    text = "First paragraph [1].\n\nSecond paragraph\nwith a line break [1]."
    html = render.answer_html(answer(text, [citation()]))
    assert "\n" not in html
    assert html.count("<br>") >= 3


def test_answer_markers_become_superscripts_followed_by_sources():
    html = render.answer_html(answer(f"{QUOTE} [1] More. [2]", [citation(1), citation(2)]))
    assert html.count('<sup class="cite">') == 2
    assert html.index('class="answer"') < html.index('class="sources"')
    assert len(re.findall(r'<details class="source"', html)) == 2


def test_refusal_looks_like_a_refusal_and_has_no_sources():
    refused = answer("The indexed articles don't cover this.", [], refused=True)
    html = render.answer_html(refused)
    assert 'class="refusal"' in html and "Not covered" in html
    assert "sources" not in html and 'class="answer"' not in html


def test_notice_and_follow_up_reading_are_shown():
    a = answer(
        f"{QUOTE} [1]",
        [citation()],
        notice="The model was unavailable.",
        standalone_question="Who led it? (riyadh talks)",
    )
    text = visible_text(render.answer_html(a))
    assert "The model was unavailable." in text
    assert "Read as: Who led it? (riyadh talks)" in text
    assert "Searched for" not in text


def test_streaming_text_is_escaped_and_marked_as_in_progress():
    html = render.streaming_html("Partial <i>answer")
    assert 'class="answer streaming"' in html and "&lt;i&gt;" in html


def test_real_answer_over_the_seed_renders_its_source(fake_briefing, articles):
    fake_briefing.ingestor.ingest_paths([articles])
    a = fake_briefing.ask("Who led the US delegation in Saudi Arabia?")
    html = render.answer_html(a)
    assert "inuno.ai" in html and "11 March 2025" in html
    quote = re.findall(r"<mark>(.*?)</mark>", render.highlight_html(a.citations[0]))[0]
    assert unescape(quote) == a.citations[0].quote
    assert " ".join(a.citations[0].quote.split()) in " ".join(SEED.read_text().split())


def test_documents_table_lists_title_publisher_date_and_chunks():
    docs = [
        DocSummary(
            DocMeta(
                doc_id="a",
                title="Gas <transit>",
                publisher="EW",
                published=date(2025, 1, 2),
                source="a.md",
            ),
            3,
        ),
        DocSummary(DocMeta(doc_id="b", title="Undated note", source="b.txt"), 1),
    ]
    html = render.documents_html(docs)
    rows = re.findall(r"<tr data-doc=.*?</tr>", html)
    assert len(rows) == 2
    assert [visible_text(c) for c in re.findall(r"<td[^>]*>.*?</td>", rows[0])] == [
        "Gas <transit>",
        "EW",
        "2025-01-02",
        "3",
    ]
    assert "2 documents, 4 chunks" in html
    assert "No documents yet" in render.documents_html([])
    assert render.document_choice(docs[1]) == ("Undated note — unknown, undated", "b")


def test_ingest_report_names_each_file_and_why_one_failed():
    doc = Document(meta=DocMeta(doc_id="x", title="New piece", source="new.md"), text="t")
    report = IngestReport(added=[doc], failed=[IngestError("broken.pdf", "the PDF cannot be read")])
    text = visible_text(render.ingest_html(report))
    assert "Added “New piece”" in text
    assert "Could not add broken.pdf: the PDF cannot be read" in text


def test_generator_label_names_the_model_or_the_offline_answerer():
    assert "offline extractive" in visible_text(render.generator_html("extractive"))
    assert "model gpt-4o-mini" in visible_text(render.generator_html("llm:gpt-4o-mini"))


def test_filters_from_the_side_panel():
    assert parse_filters(None, "", "  ") is None
    f = parse_filters(["inuno.ai"], "2025-03-01", "2025-03-31")
    assert f.publishers == ("inuno.ai",) and f.date_from == date(2025, 3, 1)
    with pytest.raises(BriefingError, match="2025-03-11"):
        parse_filters([], "11/03/2025", "")
    with pytest.raises(BriefingError, match="after"):
        parse_filters([], "2025-04-01", "2025-03-01")


def test_auth_setting_becomes_a_login_pair():
    assert parse_auth(None) is None
    assert parse_auth("analyst:pa:ss") == ("analyst", "pa:ss")
    with pytest.raises(BriefingError):
        parse_auth("analyst")
