"""The Brief tab in a real browser: a brief streamed into the page with its source cards, and
each download (Markdown, HTML, DOCX) fetched and opened."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.test_web_e2e import (  # noqa: F401
    _ingest_articles,
    _serve,
    browser,
    context,
    open_chat,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def brief_server(isolated, tmp_path_factory, minilm) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web-brief")
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "articles")
    briefing = Briefing(settings, embeddings=minilm)
    _ingest_articles(briefing, settings.corpus_dir)
    yield from _serve(briefing, settings)


def test_brief_tab_shows_the_brief_and_downloads_every_format(
    brief_server,
    context,  # noqa: F811
    tmp_path,
    artifacts,
):
    from docx import Document

    page = open_chat(context, brief_server)
    page.get_by_role("tab", name="Brief").click()
    page.locator("#brief-topic textarea, #brief-topic input").first.fill("gas transit")
    page.locator("#brief-go").click()
    out = page.locator("#brief-out")
    out.locator("h3", has_text="Timeline").wait_for()
    page.locator("#brief-docx").wait_for(state="visible")
    assert "1 January 2025" in out.inner_text()
    assert out.locator(".sources .source").count() >= 1
    out.locator('a.cite-link[href="#source-2"]').first.click()  # [2] opens source 2
    out.locator("details.source-2[open]").wait_for()
    assert not out.locator("details.source-1").first.evaluate("d => d.open")
    page.screenshot(path=str(artifacts / "web_brief.png"), full_page=True)
    got = {}
    for fmt in ("md", "html", "docx"):
        with page.expect_download() as info:
            page.locator(f"#brief-{fmt}").click()
        path = tmp_path / f"brief.{fmt}"
        info.value.save_as(path)
        got[fmt] = path.read_bytes()
    assert got["md"].decode().startswith("# Brief: gas transit")
    assert b"<h2>Timeline</h2>" in got["html"]
    paragraphs = [p.text for p in Document(io.BytesIO(got["docx"])).paragraphs]
    assert "Timeline" in paragraphs and any("Energy Watch Weekly" in p for p in paragraphs)


def test_brief_tab_says_when_the_articles_do_not_cover_a_topic(
    brief_server,
    context,  # noqa: F811
):
    page = open_chat(context, brief_server)
    page.get_by_role("tab", name="Brief").click()
    page.locator("#brief-topic textarea, #brief-topic input").first.fill("Crimean bridge")
    page.locator("#brief-go").click()
    page.locator("#brief-out", has_text="don't cover this topic").wait_for()
    assert not page.locator("#brief-docx").is_visible()
