"""The web chat's HTML, without a browser: sources, highlighting, refusals, the document list."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from assistant.errors import BriefingError, IngestError
from assistant.index import DocSummary
from assistant.ingest import IngestReport
from assistant.models import Answer, Citation, Disagreement, DocMeta, Document, Side
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
    assert len(re.findall(r'<details class="source source-\d"', html)) == 2
    # each marker links to its own card (the sanitiser keeps href and class, not data-*)
    assert '<a class="cite-link" href="#source-2">[2]</a>' in html
    assert '<details class="source source-2">' in html


def test_model_markdown_is_rendered_and_sanitised():
    text = (
        "**Note:** the talks went on.\n\n- first [1]\n- second [2]\n\n"
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [link](javascript:alert(1))"
    )
    a = answer(text, [citation(1), citation(2)]).model_copy(update={"generator": "llm:m"})
    html = render.answer_html(a)
    assert "<strong>Note:</strong>" in html and "<li>first <sup" in html
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html and "\n" not in html
    assert '<a class="cite-link" href="#source-1">[1]</a>' in html
    quoted = render.answer_html(answer("**As written** [1]", [citation()]))
    assert "**As written**" in quoted  # quoted article sentences are never reformatted


def test_model_code_keeps_its_lines_on_one_html_line():
    a = answer("```\nline one\nline two\n```", []).model_copy(update={"generator": "llm:m"})
    html = render.answer_html(a)
    assert "\n" not in html and "line one&#10;line two" in html


def test_removal_question_and_message_name_the_documents():
    q = render.removal_question(["A <b>", "B"])
    assert "these 2 documents" in q and "“A &lt;b&gt;” and “B”" in q
    assert "this document" in render.removal_question(["A"])
    done = render.removed_html([("A", 3), ("B", 1)])
    assert "Removed “A” (3 chunks) and “B” (1 chunk)." in done


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


def _two_reports(kind: str = "conflict", value: str = "32") -> Answer:
    newer = citation(2, publisher="Steppe Dispatch", published=date(2023, 6, 9))
    older = citation(1, publisher="Black Sea Monitor", published=date(2023, 6, 8))
    sides = [
        Side(value="25", n=1, publisher="Black Sea Monitor", published=date(2023, 6, 8)),
        Side(value=value, n=2, publisher="Steppe Dispatch", published=date(2023, 6, 9)),
    ]
    if kind == "update":
        sides.reverse()
    return answer(
        "Sources disagree: Black Sea Monitor (8 June 2023) says 25 [1]; "
        "Steppe Dispatch (9 June 2023) says 32 [2].",
        [older, newer],
        disagreements=[Disagreement(about="drones shot down", kind=kind, sides=sides)],
        as_of=date(2023, 6, 9),
    )


def test_disagreement_box_names_each_side_with_publisher_date_and_citation():
    html = render.answer_html(_two_reports())
    (box,) = re.findall(r'<div class="disagreement conflict".*?</ul></div>', html)
    text = visible_text(box)
    assert "Sources disagree — drones shot down" in text
    assert "25 — Black Sea Monitor, 8 June 2023 [1]" in text
    assert "32 — Steppe Dispatch, 9 June 2023 [2]" in text
    assert box.count('<sup class="cite">') == 2
    assert html.index('class="answer"') < html.index("disagreement") < html.index('"sources"')


def test_update_box_puts_the_newer_report_first():
    text = visible_text(render.answer_html(_two_reports("update")))
    assert "Updated report — drones shot down (newer report first)" in text
    now, earlier = text.index("Now: 32 — Steppe Dispatch"), text.index("Earlier: 25 — Black Sea")
    assert now < earlier


def test_hostile_side_value_is_escaped():
    html = render.answer_html(_two_reports(value="<script>alert(1)</script>"))
    assert "<script" not in html
    assert '<b class="value">&lt;script&gt;alert(1)&lt;/script&gt;</b>' in html


def test_side_without_publisher_or_date_takes_them_from_its_citation():
    a = answer(
        "They differ [1] [2].",
        [citation(1), citation(2, publisher="Kyiv Wire", published=date(2025, 5, 1))],
        disagreements=[Disagreement(about="", sides=[Side(value="60-day", n=2)])],
    )
    text = visible_text(render.answer_html(a))
    assert "Sources disagree" in text and "60-day — Kyiv Wire, 1 May 2025 [2]" in text


def test_removed_sentences_are_listed_struck_through_and_counted():
    a = answer(
        f"{QUOTE} [1]",
        [citation()],
        unsupported=["Rubio met Putin on 3 May. [1]", "<img src=x onerror=alert(1)> 40 tanks [1]"],
    )
    html = render.answer_html(a)
    text = visible_text(html)
    assert "Removed — not supported by the cited passages (2 sentences removed):" in text
    assert re.findall(r"<del>(.*?)</del>", html)[0] == "Rubio met Putin on 3 May. [1]"
    assert "<img" not in html and "&lt;img src=x" in html
    one = render.answer_html(answer("x [1]", [citation()], unsupported=["y"]))
    assert "(1 sentence removed)" in visible_text(one)


def test_uncited_claims_are_listed():
    a = answer(f"{QUOTE} [1] Prices doubled.", [citation()], flagged=["Prices <b>doubled</b>."])
    html = render.answer_html(a)
    assert 'class="uncited"' in html and "Not cited:" in visible_text(html)
    assert "Prices &lt;b&gt;doubled&lt;/b&gt;." in html


def test_uncovered_parts_and_source_dates_are_shown():
    a = answer(
        f"{QUOTE} [1] The articles don't cover the casualty figures.",
        [
            citation(1, published=date(2025, 3, 3)),
            citation(2, published=date(2025, 5, 1)),
        ],
        uncovered=["the casualty figures", "the <i>cost</i>"],
        as_of=date(2025, 5, 1),
    )
    html = render.answer_html(a)
    text = visible_text(html)
    assert "Not covered by the articles: the casualty figures; the <i>cost</i>" in text
    assert "&lt;i&gt;" in html
    assert "Newest source: 1 May 2025 · Sources dated 3 March – 1 May 2025" in text
    same_day = answer("x [1]", [citation()], as_of=date(2025, 2, 18))
    line = visible_text(render.answer_html(same_day))
    assert "Newest source: 18 February 2025" in line and "Sources dated" not in line


def test_plain_answer_has_no_extra_boxes():
    html = render.answer_html(answer(f"{QUOTE} [1]", [citation()]))
    for css in ("disagreement", "removed", "uncited", "uncovered", "asof", "searched"):
        assert f'class="{css}' not in html


def test_refusal_shows_what_was_removed():
    a = answer(
        "The indexed articles don't cover this.",
        [],
        refused=True,
        unsupported=["The ceasefire began on 2 April. [1]"],
        standalone_question="When did the ceasefire begin?",
    )
    text = visible_text(render.answer_html(a))
    assert "Not covered." in text and "Read as: When did the ceasefire begin?" in text
    assert "The ceasefire began on 2 April. [1]" in text and "1 sentence removed" in text
