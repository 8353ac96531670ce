"""The chat analysts expect, in a real browser: conversations that survive a reload and belong to
one person, Stop and Regenerate, Copy as plain text, [n] opening its source, the Markdown export,
filters that match nothing, removal with a confirmation, and the page at 1400 and 400 px in light
and dark.

Debian's Chromium driven by Playwright against the real app on a free loopback port. Every wait is
for a selector or a condition, never for a fixed time.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import CORPUS, DATA, SEED, free_port
from tests.fake_openai import FakeOpenAI, Reply, answer_from_passages

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_QUESTION = "Who led the US delegation in Saudi Arabia?"
GAS = "When did gas transit through Ukraine end?"
TWO_SOURCES = "What did the EU sanctions package include?"  # cites [1] and [2]
BOT = "#chat [data-testid=bot]"
USER = "#chat [data-testid=user]"
FINAL = ".sources, .refusal, .error, .nomatch, .stopped-label"
KERCH = """# Naval drones strike the Kerch ferry terminal

Published: 2025-06-14
Publisher: Harbour Signals

Ukrainian naval drones struck the Kerch ferry terminal on 13 June 2025, according to the regional
port authority. Two loading ramps were destroyed and ferry traffic was suspended for four days.
"""
ODESA = """# Odesa grain corridor reopens

Published: 2025-06-20
Publisher: Harbour Signals

The Odesa grain corridor reopened on 19 June 2025 after a week-long pause, port officials said.
"""


def _serve(briefing: Briefing, settings: Settings) -> Iterator[str]:
    from ui.app import build_app, launch

    demo = build_app(briefing, settings)
    port = free_port()
    launch(demo, settings, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def _articles(folder: Path, everything: bool = False) -> Path:
    folder.mkdir(parents=True)
    for f in [*(CORPUS.iterdir() if everything else [SEED]), *DATA.glob("article_*")]:
        if f.is_file():
            shutil.copy(f, folder)
    return folder


@pytest.fixture(scope="module")
def chat_server(isolated, tmp_path_factory, minilm) -> Iterator[tuple[str, Settings]]:
    """The offline app over the seed and three test articles, with the real MiniLM."""
    root = tmp_path_factory.mktemp("web-chat")
    settings = Settings(_env_file=None, data_dir=root / "data")
    briefing = Briefing(settings, embeddings=minilm)
    assert briefing.ingestor.ingest_paths([_articles(root / "articles")]).ok
    for url in _serve(briefing, settings):
        yield url, settings


@pytest.fixture(scope="module")
def model_server(isolated, tmp_path_factory) -> Iterator[tuple[str, FakeOpenAI]]:
    """The app answering through a scripted OpenAI-compatible model on loopback."""
    root = tmp_path_factory.mktemp("web-chat-llm")
    fake = FakeOpenAI(default=lambda r: answer_from_passages(r, piece_delay_s=0.02))
    with fake:
        settings = Settings(
            _env_file=None,
            data_dir=root / "data",
            openai_base_url=fake.url,
            model="fake-model",
            llm_max_retries=0,
            llm_timeout_s=15,
        )
        briefing = Briefing(settings, embeddings=HashingEmbeddings())
        assert briefing.ingestor.ingest_paths([_articles(root / "articles")]).ok
        for url in _serve(briefing, settings):
            yield url, fake


@pytest.fixture(scope="module")
def corpus_server(isolated, tmp_path_factory) -> Iterator[str]:
    """The whole shipped corpus (two dozen documents), for the layout and the screenshots."""
    root = tmp_path_factory.mktemp("web-corpus")
    settings = Settings(_env_file=None, data_dir=root / "data")
    briefing = Briefing(settings, embeddings=HashingEmbeddings())
    assert briefing.ingestor.ingest_paths([_articles(root / "articles", everything=True)]).ok
    yield from _serve(briefing, settings)


@pytest.fixture(scope="module")
def browser(isolated):
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make chromium` (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def open_chat(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("#question textarea").wait_for()
    return page


def submit(page, question: str) -> int:
    """Type and send a question; returns the index of the bot message that will answer it."""
    n = page.locator(BOT).count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    return n


def answered(page, n: int):
    msg = page.locator(BOT).nth(n)
    msg.locator(FINAL).first.wait_for()
    return msg


def ask(page, question: str):
    return answered(page, submit(page, question))


def listed(page) -> list[str]:
    """The titles in the conversation list."""
    return [t.strip() for t in page.locator("#conversations label").all_inner_texts()]


def field(page, elem_id: str):
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


# ---- conversations ------------------------------------------------------------------------------


def test_reload_keeps_the_conversation_and_another_browser_does_not_see_it(chat_server, browser):
    url, _ = chat_server
    first, second = browser.new_context(), browser.new_context()
    try:
        page = open_chat(first, url)
        ask(page, SEED_QUESTION)
        ask(page, "And who headed the Russian side?")
        page.locator("#conversations label", has_text=SEED_QUESTION).wait_for()

        page.reload(wait_until="load")
        page.locator(f"{BOT} .sources").nth(1).wait_for()  # both answers are back
        assert page.locator(USER).all_inner_texts() == [
            SEED_QUESTION,
            "And who headed the Russian side?",
        ]
        assert "Lavrov" in page.locator(BOT).nth(1).inner_text()
        follow = ask(page, "And who headed the Russian side?")  # read against reloaded turns
        assert "Read as:" in follow.inner_text()

        field(page, "conv-title").fill("Riyadh talks")
        page.locator("#rename").click()
        page.locator("#conversations label", has_text="Riyadh talks").wait_for()

        other = open_chat(second, url)
        ask(other, "When did gas transit through Ukraine end?")
        other.locator("#conversations label", has_text="gas transit").wait_for()
        assert listed(other) == ["When did gas transit through Ukraine end?"]
        assert other.locator(USER).all_inner_texts() == [
            "When did gas transit through Ukraine end?"
        ]
        other.reload(wait_until="load")
        other.locator(f"{BOT} .sources").first.wait_for()
        assert listed(other) == ["When did gas transit through Ukraine end?"]

        page.reload(wait_until="load")
        page.locator(f"{BOT} .sources").first.wait_for()
        assert listed(page) == ["Riyadh talks"]  # the other browser's is not listed

        page.locator("#clear").click()  # a new conversation; the first stays in the list
        page.locator(BOT).first.wait_for(state="detached")
        ask(page, "When did gas transit through Ukraine end?")
        page.locator("#conversations label").nth(1).wait_for()
        page.locator("#conversations label", has_text="Riyadh talks").click()
        page.locator(USER, has_text="And who headed the Russian side?").first.wait_for()

        page.locator("#delete").click()
        page.locator("#history-status", has_text="Deleted “Riyadh talks”").wait_for()
        assert listed(page) == ["When did gas transit through Ukraine end?"]
    finally:
        first.close()
        second.close()


def test_export_downloads_the_conversation_as_markdown_with_its_citations(chat_server, context):
    url, _ = chat_server
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    ask(page, TWO_SOURCES)
    # the list and the export are brought up to date together, once the answer is in
    page.locator("#conversations label", has_text=TWO_SOURCES).wait_for()
    with page.expect_download() as got:
        page.locator("#export").click()
    download = got.value
    assert download.suggested_filename.endswith(".md")
    md = Path(download.path()).read_text(encoding="utf-8")
    assert md.startswith("# What did the EU sanctions package include?")
    assert "[1]" in md and "[2]" in md and "**Sources**" in md
    assert "- [1] **" in md and "- [2] **" in md and "<div" not in md


# ---- one answer ---------------------------------------------------------------------------------


def test_copy_gives_plain_text_with_a_numbered_source_list(chat_server, context):
    url, _ = chat_server
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    msg = ask(page, SEED_QUESTION)
    msg.locator("button.copy-reply").click()
    msg.locator("button.copy-reply", has_text="Copied").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "<" not in copied and "&#" not in copied and "&quot;" not in copied
    text, sources = copied.split("\n\nSources:\n")
    assert "Rubio" in text and "[1]" in text
    assert sources.startswith("[1] The delicate thread to peace")
    assert "inuno.ai, 11 March 2025" in sources and "“In Saudi Arabia" in sources


def test_clicking_a_marker_opens_its_source(chat_server, context):
    url, _ = chat_server
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    msg = ask(page, TWO_SOURCES)
    second = msg.locator("details.source.source-2")
    assert second.evaluate("d => d.open") is False
    msg.locator("a.cite-link", has_text="[2]").first.click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#chat details.source.source-2')].some(d => d.open)"
    )
    assert msg.locator("details.source.source-1").evaluate("d => d.open") is False
    second.locator(".passage mark").wait_for()
    assert second.locator(".passage mark").is_visible()


def test_question_is_shown_as_typed_and_filters_that_match_nothing_say_so(chat_server, context):
    url, _ = chat_server
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    typed = "Who led it? <b>not bold</b> **not bold either**"
    ask(page, typed)
    assert page.locator(USER).last.inner_text() == typed
    assert page.locator(f"{USER} b").count() == 0

    page.locator("#publishers input").click()
    page.get_by_role("option", name="inuno.ai").click()
    field(page, "date-from").fill("2026-01-01")
    msg = ask(page, SEED_QUESTION)
    note = msg.locator(".nomatch").inner_text()
    assert "No documents match publisher inuno.ai from 1 January 2026." in note
    assert "Filters: publisher inuno.ai from 1 January 2026" in msg.inner_text()

    field(page, "date-from").fill("2025-03-01")
    msg = ask(page, SEED_QUESTION)
    assert "inuno.ai" in msg.locator(".sources").inner_text()
    assert (
        "Filters: publisher inuno.ai from 1 March 2025" in msg.locator(".filters-line").inner_text()
    )


def test_a_suggested_follow_up_is_asked_when_clicked(chat_server, context):
    url, _ = chat_server
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    ask(page, SEED_QUESTION)
    suggestion = page.locator("#suggest-0")
    suggestion.wait_for()
    asked = suggestion.inner_text().strip()
    assert asked.endswith("?")
    suggestion.click()
    answered(page, 1)
    assert page.locator(USER).last.inner_text() == asked


# ---- with a model: Stop and Regenerate ---------------------------------------------------------


def test_stop_mid_stream_keeps_the_partial_answer_marked_as_stopped(model_server, context):
    url, fake = model_server
    page = open_chat(context, url)
    release = threading.Event()
    fake.enqueue(
        Reply(
            text="The articles report: **Marco Rubio** led the US delegation [1] and more "
            "words that never arrive.",
            hold=release,
        )
    )
    try:
        n = submit(page, SEED_QUESTION)
        page.locator(f"{BOT} .answer.streaming", has_text="The").wait_for()
        page.locator("#stop").click()
        msg = page.locator(BOT).nth(n)
        msg.locator(".stopped-label").wait_for()  # while the model is still silent
    finally:
        release.set()
    text = msg.locator(".answer").inner_text()
    assert text.startswith("The") and "never arrive" not in text
    assert "Stopped" in msg.locator(".stopped-label").inner_text()

    page.reload(wait_until="load")  # the stopped answer was kept as it was
    page.locator(f"{BOT} .stopped-label").wait_for()
    assert "never arrive" not in page.locator(BOT).last.inner_text()


def test_regenerate_asks_the_same_question_for_a_fresh_answer(model_server, context):
    url, fake = model_server
    page = open_chat(context, url)  # a new browser: an empty list, an empty chat
    first = ask(page, SEED_QUESTION)
    assert "The articles report" in first.locator(".answer").inner_text()
    asked = len(fake.completions)
    fake.enqueue(
        Reply(
            text="In Saudi Arabia, the US delegation was led by **Secretary of State Marco "
            "Rubio** [1].\n\n- Michael Waltz was part of it [1]."
        )
    )
    page.locator("#regenerate").click()
    fresh = page.locator(f"{BOT} .answer strong", has_text="Secretary of State Marco Rubio")
    fresh.wait_for()  # the fresh answer, its Markdown rendered
    assert page.locator(f"{BOT} .answer li", has_text="Michael Waltz").is_visible()
    assert page.locator(USER).all_inner_texts() == [SEED_QUESTION]
    assert page.locator(BOT).count() == 1
    assert SEED_QUESTION in fake.completions[asked].content("user")  # the same question
    assert "**" not in page.locator(BOT).last.locator(".answer").inner_text()


# ---- documents ----------------------------------------------------------------------------------


# Counts, in the page, the most progress overlays shown at once in the side panel.
OVERLAYS = """() => {
  window.__overlays = 0;
  new MutationObserver(() => {
    const shown = [...document.querySelectorAll('#side-panel [data-testid=status-tracker]')]
      .filter((e) => !e.classList.contains('hide') && e.innerText.trim());
    window.__overlays = Math.max(window.__overlays, shown.length);
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_removal_asks_first_names_the_documents_and_removes_several(chat_server, context, tmp_path):
    url, _ = chat_server
    page = open_chat(context, url)
    files = []
    for name, text in (("kerch.md", KERCH), ("odesa.md", ODESA)):
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a word file")
    page.locator("#docs", has_text="4 documents").wait_for()
    page.evaluate(OVERLAYS)
    page.locator("#upload input[type=file]").set_input_files([*map(str, files), str(broken)])
    page.locator("#docs", has_text="Odesa grain corridor").wait_for()
    page.locator("#upload-status", has_text="broken.docx").wait_for()
    assert page.locator("body").inner_text().count("broken.docx") == 1  # its error, once
    assert page.evaluate("window.__overlays") == 1  # one progress overlay for the upload

    field(page, "doc-search").fill("harbour")
    page.locator("#docs", has_text="2 of 6 documents match").wait_for()
    assert "delicate thread" not in page.locator("#docs").inner_text()

    for title in ("Naval drones strike the Kerch", "Odesa grain corridor"):
        page.locator("#remove-choice input").click()
        page.get_by_role("option", name=title).click()
    page.locator("#remove").click()
    confirm = page.locator(".confirm-remove")
    confirm.wait_for()
    question = confirm.inner_text()
    assert "these 2 documents" in question
    assert "“Naval drones strike the Kerch ferry terminal”" in question
    assert "“Odesa grain corridor reopens”" in question

    page.locator("#remove-no").click()  # cancelled: nothing leaves
    confirm.wait_for(state="hidden")
    assert "Odesa grain corridor" in page.locator("#docs").inner_text()

    page.locator("#remove").click()
    page.locator("#remove-yes").click()
    status = page.locator("#upload-status", has_text="Removed")
    status.wait_for()
    assert "“Naval drones strike the Kerch ferry terminal” (1 chunk)" in status.inner_text()
    assert "“Odesa grain corridor reopens”" in status.inner_text()
    page.locator("#docs", has_text="0 of 4 documents match").wait_for()
    again = ask(page, "What did naval drones strike in June 2025?")
    assert "Kerch" not in again.inner_text()


# ---- layout, light and dark ---------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 400])
def test_the_page_at_1400_and_400_px_in_light_and_dark(
    corpus_server, browser, artifacts, theme, width
):
    ctx = browser.new_context(viewport={"width": width, "height": 900})
    ctx.set_default_timeout(20_000)
    try:
        page = open_chat(ctx, f"{corpus_server}?__theme={theme}")
        page.locator("#docs", has_text="documents").wait_for(state="attached")
        if width == 400:
            # the side panels start closed, so the chat comes first
            page.wait_for_function("!document.querySelector('.sidebar.open')")
            page.wait_for_function("!document.querySelector('#side-panel button.label-wrap.open')")
        msg = ask(page, SEED_QUESTION)
        msg.locator("a.cite-link").first.click()
        mark = msg.locator(".passage mark").first
        mark.wait_for()
        mark.scroll_into_view_if_needed()
        shot = artifacts / "shots"
        shot.mkdir(exist_ok=True)
        page.screenshot(path=str(shot / f"passage_{width}_{theme}.png"))
        refusal = ask(page, "What is the price of bananas in Peru?")
        assert refusal.locator(".refusal").is_visible()
        if width == 400:
            page.locator("#filters button.label-wrap").click()
        field(page, "date-to").fill("31/12/2024")
        error = ask(page, SEED_QUESTION)
        assert error.locator(".error").is_visible()
        if theme == "dark":
            assert page.evaluate("document.body.classList.contains('dark')")
            assert _contrast(page, "#chat mark") >= 4.5
            assert _contrast(page, "#chat .refusal") >= 4.5
            assert _contrast(page, "#chat .error") >= 4.5
        page.evaluate("window.scrollTo(0, 0)")
        box = page.locator("#question textarea").bounding_box()
        assert box and box["y"] + box["height"] <= 900  # the input is on screen
        page.screenshot(path=str(shot / f"chat_{width}_{theme}.png"))
        if width == 400:
            page.locator("#documents button.label-wrap").click()
            scroll = page.locator("#docs .docs-scroll")
            scroll.wait_for()
            assert scroll.evaluate("e => e.scrollHeight > e.clientHeight")  # it scrolls
            top = page.locator("#documents").bounding_box()["y"]
            upload = page.locator("#upload").bounding_box()["y"]
            remove = page.locator("#remove").bounding_box()["y"]
            assert upload - top < 150 and remove - top < 450  # within reach, above the table
            page.locator("#documents").scroll_into_view_if_needed()
            page.screenshot(path=str(shot / f"documents_{width}_{theme}.png"))
        else:
            page.screenshot(path=str(shot / f"page_{width}_{theme}.png"), full_page=True)
    finally:
        ctx.close()


CONTRAST = """(sel) => {
  const el = document.querySelector(sel);
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let bgEl = el, bg = 'rgba(0, 0, 0, 0)';
  while (bgEl && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
    bg = getComputedStyle(bgEl).backgroundColor; bgEl = bgEl.parentElement;
  }
  const a = lum(rgb(getComputedStyle(el).color)), b = lum(rgb(bg));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def _contrast(page, selector: str) -> float:
    """The WCAG contrast ratio of an element's text against the background it sits on."""
    return page.evaluate(CONTRAST, selector)
