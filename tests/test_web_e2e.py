"""The web chat in a real browser: Debian's Chromium driven by Playwright against the real app.

Each server runs in this process on a free loopback port with its own temp data dir. Page loads
wait for the question box, never for network idle (Gradio keeps a heartbeat open).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import feedback
from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import DATA, SEED, free_port
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
BOT = "#chat [data-testid=bot]"
USER = "#chat [data-testid=user]"
FINAL = ".sources, .refusal, .error"

# Records, in the page, every length the newest answer's text goes through, and when the first
# characters appeared relative to window.__t0 (set just before Enter is pressed).
WATCH = """() => {
  window.__lens = []; window.__first = null;
  const chat = document.querySelector('#chat');
  new MutationObserver(() => {
    const bots = chat.querySelectorAll('[data-testid=bot]');
    const a = bots.length ? bots[bots.length - 1].querySelector('.answer') : null;
    if (!a) return;
    const n = a.innerText.replace('▍', '').trim().length;
    if (n && window.__first === null) window.__first = performance.now() - window.__t0;
    if (n && window.__lens[window.__lens.length - 1] !== n) window.__lens.push(n);
  }).observe(chat, {subtree: true, childList: true, characterData: true});
}"""

KERCH = """# Naval drones strike the Kerch ferry terminal

Published: 2025-06-14
Publisher: Harbour Signals

Ukrainian naval drones struck the Kerch ferry terminal on 13 June 2025, according to the regional
port authority. The port authority said two loading ramps were destroyed and ferry traffic was
suspended for four days.

Insurers in Istanbul raised war-risk premiums for vessels calling at Crimean ports after the attack.
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


def _ingest_articles(briefing: Briefing, folder: Path) -> None:
    folder.mkdir()
    shutil.copy(SEED, folder)
    for f in DATA.glob("article_*"):
        shutil.copy(f, folder)
    report = briefing.ingestor.ingest_paths([folder])
    assert report.ok and len(report.added) == 4


@pytest.fixture(scope="module")
def chat_server(isolated, tmp_path_factory, minilm) -> Iterator[tuple[str, Settings]]:
    """The app over the seed and three test articles, with the real MiniLM embeddings."""
    root = tmp_path_factory.mktemp("web")
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "articles")
    briefing = Briefing(settings, embeddings=minilm)
    _ingest_articles(briefing, settings.corpus_dir)
    for url in _serve(briefing, settings):
        yield url, settings


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
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.set_default_timeout(20_000)
    yield ctx
    ctx.close()


def open_chat(context, url: str):
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("#question textarea").wait_for()
    return page


def field(page, elem_id: str):
    """A Gradio textbox, whichever element (input or textarea) it renders as."""
    return page.locator(f"#{elem_id} textarea, #{elem_id} input").first


def submit(page, question: str) -> int:
    """Type and send a question; returns the index of the bot message that will answer it."""
    n = page.locator(BOT).count()
    box = page.locator("#question textarea")
    box.fill(question)
    page.evaluate("window.__t0 = performance.now()")
    box.press("Enter")
    return n


def answered(page, n: int):
    msg = page.locator(BOT).nth(n)
    msg.locator(FINAL).first.wait_for()
    return msg


def ask(page, question: str):
    return answered(page, submit(page, question))


# ---- the seed article ---------------------------------------------------------------------------


def test_seed_answer_streams_with_source_and_highlighted_quote(chat_server, context, artifacts):
    url, _ = chat_server
    t = time.perf_counter()
    page = open_chat(context, url)
    page_s = time.perf_counter() - t
    page.evaluate(WATCH)
    msg = answered(page, submit(page, SEED_QUESTION))
    first_ms = page.evaluate("window.__first")

    answer = msg.locator(".answer").inner_text()
    assert "[1]" in answer and "Rubio" in answer
    assert page.evaluate("window.__lens.length") >= 1 and first_ms is not None
    source = msg.locator("details.source").first
    summary = source.locator("summary").inner_text()
    assert "[1]" in summary and "inuno.ai" in summary and "11 March 2025" in summary
    assert "Saudi Arabia" in source.locator(".quote").inner_text()

    passage = source.locator(".passage")
    assert not passage.is_visible()  # shown only when the source is chosen
    source.locator("summary").click()
    mark = passage.locator("mark")
    mark.wait_for()
    quoted = mark.inner_text()
    assert "Marco Rubio" in quoted
    assert " ".join(quoted.split()) in " ".join(SEED.read_text(encoding="utf-8").split())
    assert len(passage.inner_text()) > len(quoted)  # the quote is shown in its context
    assert page.locator("#generator").inner_text().startswith("Answering: offline extractive")

    page.screenshot(path=str(artifacts / "web_chat_answered.png"), full_page=True)
    (artifacts / "web_timings.json").write_text(
        json.dumps(
            {"page_ready_s": round(page_s, 3), "first_token_ms": round(first_ms, 1)}, indent=2
        )
    )


def test_two_sessions_keep_separate_conversations_and_follow_ups(chat_server, browser):
    url, _ = chat_server
    ctx_a, ctx_b = browser.new_context(), browser.new_context()
    try:
        a, b = open_chat(ctx_a, url), open_chat(ctx_b, url)
        na = submit(a, SEED_QUESTION)
        nb = submit(b, "When did gas transit through Ukraine end?")
        assert "inuno.ai" in answered(a, na).locator(".sources").inner_text()
        assert "Energy Watch Weekly" in answered(b, nb).locator(".sources").inner_text()

        na = submit(a, "And who headed the Russian side?")
        nb = submit(b, "Which countries were most exposed to it?")
        follow_a, follow_b = answered(a, na), answered(b, nb)
        searched_a = follow_a.locator(".searched").inner_text().lower()
        searched_b = follow_b.locator(".searched").inner_text().lower()
        assert "delegation" in searched_a and "gas" not in searched_a
        assert "gas" in searched_b and "delegation" not in searched_b
        assert "Lavrov" in follow_a.locator(".answer").inner_text()
        assert "Slovakia" in follow_b.locator(".answer").inner_text()
        assert a.locator(USER).all_inner_texts() == [
            SEED_QUESTION,
            "And who headed the Russian side?",
        ]
        assert b.locator(USER).all_inner_texts() == [
            "When did gas transit through Ukraine end?",
            "Which countries were most exposed to it?",
        ]

        a.locator("#clear").click()
        a.locator(BOT).first.wait_for(state="detached")
        assert b.locator(BOT).count() == 2  # clearing one conversation leaves the other
    finally:
        ctx_a.close()
        ctx_b.close()


def test_thumbs_up_appends_to_feedback_log(chat_server, context):
    url, settings = chat_server
    page = open_chat(context, url)
    msg = ask(page, SEED_QUESTION)
    field(page, "comment").fill("exactly the quote I needed")
    assert "Rubio" in msg.inner_text()
    page.locator("#chat button[aria-label=Like]").last.click()  # the only answer on the page
    page.locator("#rating-status", has_text="recorded").wait_for()

    entry = feedback.read(settings.feedback_path)[-1]
    assert entry["rating"] == "up" and entry["surface"] == "web"
    assert entry["question"] == SEED_QUESTION
    assert entry["comment"] == "exactly the quote I needed"
    assert "Rubio" in entry["answer"] and entry["generator"] == "extractive"
    assert entry["citations"][0]["publisher"] == "inuno.ai"
    assert entry["time"] and "prompt_version" in entry
    assert field(page, "comment").input_value() == ""


def test_upload_answer_cites_it_then_remove(chat_server, context, tmp_path):
    url, _ = chat_server
    page = open_chat(context, url)
    article = tmp_path / "kerch_drones_2025-06.md"
    article.write_text(KERCH, encoding="utf-8")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")

    page.locator("#upload input[type=file]").set_input_files([str(article), str(broken)])
    page.locator("#docs", has_text="Kerch ferry terminal").wait_for()
    status = page.locator("#upload-status").inner_text()
    assert "Added “Naval drones strike the Kerch ferry terminal”" in status
    assert "Could not add broken.pdf" in status

    msg = ask(page, "What did naval drones strike in June 2025?")
    sources = msg.locator(".sources").inner_text()
    assert "Naval drones strike the Kerch ferry terminal" in sources
    assert "Harbour Signals" in sources and "14 June 2025" in sources

    page.locator("#remove-choice input").click()
    page.get_by_role("option", name="Naval drones strike the Kerch").click()
    page.locator("#remove").click()
    page.locator(".confirm-remove", has_text="Naval drones strike the Kerch").wait_for()
    page.locator("#remove-yes").click()
    page.locator("#upload-status", has_text="Removed").wait_for()
    assert "Kerch" not in page.locator("#docs").inner_text()
    again = ask(page, "What did naval drones strike in June 2025?")
    assert "Kerch" not in again.inner_text()


def test_refusal_and_errors_are_messages_in_the_page(chat_server, context, artifacts):
    url, _ = chat_server
    page = open_chat(context, url)
    refusal = ask(page, "What is the price of bananas in Peru?")
    assert refusal.locator(".refusal").is_visible()
    assert refusal.locator(".sources").count() == 0

    empty = answered(page, submit(page, "   "))
    assert "Please type a question" in empty.locator(".error").inner_text()

    field(page, "date-to").fill("31/12/2024")
    bad = ask(page, SEED_QUESTION)
    assert "2025-03-11" in bad.locator(".error").inner_text()

    field(page, "date-to").fill("2024-12-31")
    filtered = ask(page, SEED_QUESTION)
    assert "inuno.ai" not in filtered.inner_text()  # the seed (11 March 2025) is filtered out

    field(page, "date-to").fill("")
    ok = ask(page, SEED_QUESTION)
    assert "inuno.ai" in ok.locator(".sources").inner_text()  # the page still works
    page.screenshot(path=str(artifacts / "web_chat_refusal_and_errors.png"), full_page=True)


# ---- with a model configured (a scripted OpenAI-compatible server on loopback) -----------------


@pytest.fixture(scope="module")
def model_server(isolated, tmp_path_factory) -> Iterator[tuple[str, FakeOpenAI]]:
    root = tmp_path_factory.mktemp("web-llm")
    fake = FakeOpenAI(
        default=lambda r: answer_from_passages(r, piece_delay_s=0.04), model_names=("fake-model",)
    )
    with fake:
        settings = Settings(
            _env_file=None,
            data_dir=root / "data",
            openai_base_url=fake.url,
            model="fake-model",
            llm_max_retries=0,
            llm_timeout_s=5,
        )
        briefing = Briefing(settings, embeddings=HashingEmbeddings())
        _ingest_articles(briefing, root / "articles")
        for url in _serve(briefing, settings):
            yield url, fake


def test_model_answer_streams_and_outage_is_reported(model_server, context):
    url, fake = model_server
    page = open_chat(context, url)
    assert "model fake-model" in page.locator("#generator").inner_text()

    page.evaluate(WATCH)
    msg = ask(page, SEED_QUESTION)
    lens = page.evaluate("window.__lens")
    assert len(lens) >= 3 and lens == sorted(lens)  # the text grew piece by piece
    assert "Rubio" in msg.locator(".answer").inner_text()
    assert "inuno.ai" in msg.locator(".sources").inner_text()

    page.locator("#clear").click()
    page.locator(BOT).first.wait_for(state="detached")
    submit(page, "What did the EU sanctions package include?")
    page.locator(f"{BOT} .answer", has_text="The articles report").wait_for()
    page.locator("#clear").click()  # clearing stops the answer being written
    page.locator(BOT).first.wait_for(state="detached")
    answering = fake.completions[-1]
    deadline = time.monotonic() + 20
    while not answering.hung_up and time.monotonic() < deadline:  # the model is hung up on
        page.wait_for_timeout(50)
    assert answering.hung_up
    assert page.locator(BOT).count() == 0  # and nothing of its answer came back

    fake.enqueue(Reply(status=404, error="model not found"))  # the next request is the answer
    down = ask(page, SEED_QUESTION)
    assert "fake-model" in down.locator(".error").inner_text()

    page.locator("#clear").click()
    page.locator(BOT).first.wait_for(state="detached")
    fake.enqueue(Reply(status=503, error="overloaded"))
    degraded = ask(page, SEED_QUESTION)
    assert "unavailable" in degraded.locator(".notice").inner_text()
    assert "inuno.ai" in degraded.locator(".sources").inner_text()


# ---- login --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def auth_server(isolated, tmp_path_factory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("web-auth")
    settings = Settings(_env_file=None, data_dir=root / "data", auth="analyst:s3cret")
    for url in _serve(Briefing(settings, embeddings=HashingEmbeddings()), settings):
        yield url, settings


def test_login_is_required_when_auth_is_set(auth_server, context):
    url, _ = auth_server
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.locator("input[type=password]").wait_for()
    assert page.locator("#question textarea").count() == 0

    page.locator("input[type=text]").fill("analyst")
    page.locator("input[type=password]").fill("wrong")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect", exact=False).wait_for()

    page.locator("input[type=text]").fill("analyst")  # the form is reset after a failure
    page.locator("input[type=password]").fill("s3cret")
    page.get_by_role("button", name="Login").click()
    page.locator("#question textarea").wait_for()
    page.locator("#docs", has_text="No documents yet").wait_for()


# ---- `briefing web`, the command behind `make run` ---------------------------------------------


def _start_web(env: dict[str, str]) -> tuple[subprocess.Popen, list[str]]:
    """Run `briefing web` and return once it says the chat is ready (or fail with its output)."""
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "briefing"), "web"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line.rstrip())
            if "Web chat ready" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(180):
        proc.kill()
        pytest.fail("`briefing web` did not start:\n" + "\n".join(lines))
    return proc, lines


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("`briefing web` did not stop on Ctrl+C")


def test_web_command_indexes_the_corpus_then_serves_and_skips_it_next_time(
    isolated, tmp_path, context
):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus)
    shutil.copy(DATA / "article_gas_transit.md", corpus)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "OPENAI_"))}
    env.update(
        BRIEFING_DATA_DIR=str(tmp_path / "data"),
        BRIEFING_CORPUS_DIR=str(corpus),
        BRIEFING_PORT=str(port),
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
    )

    proc, lines = _start_web(env)
    try:
        assert any("2 added" in line for line in lines), lines
        assert any(f"http://127.0.0.1:{port}" in line for line in lines)
        page = open_chat(context, f"http://127.0.0.1:{port}/")
        page.locator("#docs", has_text="2 documents").wait_for()
        assert "inuno.ai" in ask(page, SEED_QUESTION).locator(".sources").inner_text()
    finally:
        _stop(proc)

    proc, lines = _start_web(env)  # warm start: nothing is embedded again
    _stop(proc)
    assert any("2 unchanged" in line and "0 chunks written" in line for line in lines), lines
