"""The web chat's login: failed attempts slow down per name and address, and logging out ends
the session. The guard's arithmetic on a fake clock; the rest against the real app on a loopback
port (over HTTP, as a password-guessing script sees it, and in Chromium, as a person does)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import free_port
from ui.login import LoginGuard

USER, PASSWORD = "analyst", "s3cret"
DELAY_S, MAX_DELAY_S = 0.25, 0.5  # the defaults are 1 s and 30 s; short here to stay fast
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_guard_waits_after_the_free_attempts_doubling_up_to_the_cap():
    clock = Clock()
    guard = LoginGuard(free=5, delay_s=1.0, max_delay_s=8.0, clock=clock)
    key = (USER, "10.0.0.1")
    waits = []
    for _ in range(10):
        waits.append(guard.wait_s(key))
        guard.failed(key)
    assert waits == [0, 0, 0, 0, 0, 1, 2, 4, 8, 8]
    clock.now += 3
    assert guard.wait_s(key) == 5  # the wait runs from the last failure
    assert guard.wait_s((USER, "10.0.0.2")) == 0  # another address
    assert guard.wait_s(("someone", "10.0.0.1")) == 0  # another name
    guard.succeeded(key)
    assert guard.wait_s(key) == 0


def test_guard_forgets_old_failures_and_bounds_its_memory():
    clock = Clock()
    guard = LoginGuard(free=1, delay_s=1.0, forget_s=60.0, max_keys=3, clock=clock)
    for i in range(5):
        guard.failed((f"name{i}", "10.0.0.1"))
    assert len(guard._failed) == 3  # the oldest names went first
    clock.now += 61
    assert guard.wait_s(("name4", "10.0.0.1")) == 0 and not guard._failed


# ---- the real app -------------------------------------------------------------------------------


def _serve(settings: Settings) -> Iterator[str]:
    from ui.app import build_app, launch

    demo = build_app(Briefing(settings, embeddings=HashingEmbeddings()), settings)
    port = free_port()
    launch(demo, settings, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


@pytest.fixture
def login_server(isolated, tmp_path) -> Iterator[str]:
    """A fresh server per test, so no test inherits another's failed attempts."""
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        auth=f"{USER}:{PASSWORD}",
        login_delay_s=DELAY_S,
        login_max_delay_s=MAX_DELAY_S,
    )
    yield from _serve(settings)


def _login(client: httpx.Client, password: str, user: str = USER) -> tuple[int, float]:
    t0 = time.perf_counter()
    r = client.post("login", data={"username": user, "password": password})
    return r.status_code, time.perf_counter() - t0


def _signed_in(client: httpx.Client) -> bool:
    return client.get("gradio_api/login_check").status_code == 200


@pytest.mark.integration
def test_twenty_wrong_passwords_slow_down_after_five_and_the_right_one_then_works(login_server):
    with httpx.Client(base_url=login_server, timeout=10) as client:
        tries = [_login(client, f"guess-{i}") for i in range(20)]
        assert {status for status, _ in tries} == {400}
        times = [s for _, s in tries]
        assert all(s < DELAY_S for s in times[:5]), times  # the first five at once
        assert times[5] >= DELAY_S * 0.9  # then a wait before each check...
        assert all(s >= MAX_DELAY_S * 0.9 for s in times[6:]), times  # ...doubling to the cap
        assert not _signed_in(client)

        time.sleep(MAX_DELAY_S)  # the window passes
        status, took = _login(client, PASSWORD)
        assert status == 200 and took < DELAY_S
        assert _signed_in(client)
        assert _login(client, "typo")[1] < DELAY_S  # the success reset the count


@pytest.mark.integration
def test_the_right_password_during_the_wait_is_checked_after_it(login_server):
    with httpx.Client(base_url=login_server, timeout=10) as client:
        for i in range(7):
            _login(client, f"guess-{i}")
        status, took = _login(client, PASSWORD)  # slowed like any attempt, then accepted
        assert status == 200 and took >= MAX_DELAY_S * 0.9


@pytest.mark.integration
def test_other_names_are_not_slowed_and_a_flood_of_parallel_tries_is_refused(login_server):
    with httpx.Client(base_url=login_server, timeout=10) as client:
        for i in range(6):
            _login(client, f"guess-{i}")
        assert _login(client, "guess", user="someone-else")[1] < DELAY_S

        def attempt(i: int) -> httpx.Response:
            return client.post("login", data={"username": USER, "password": f"p{i}"})

        with ThreadPoolExecutor(10) as pool:
            replies = list(pool.map(attempt, range(10)))
    refused = [r for r in replies if r.status_code == 429]
    assert refused and all(r.status_code in (400, 429) for r in replies)
    assert "Too many login attempts" in refused[0].json()["detail"]
    assert int(refused[0].headers["retry-after"]) >= 1


@pytest.mark.integration
def test_logout_ends_this_session_only(login_server):
    with (
        httpx.Client(base_url=login_server, timeout=10) as mine,
        httpx.Client(base_url=login_server, timeout=10) as colleague,
    ):
        assert _login(mine, PASSWORD)[0] == 200 and _login(colleague, PASSWORD)[0] == 200
        old_cookies = dict(mine.cookies)
        r = mine.get("logout?all_session=false")
        assert r.status_code == 302
        assert not _signed_in(mine)
        # the old token itself no longer works, not just the deleted cookie
        with httpx.Client(base_url=login_server, cookies=old_cookies, timeout=10) as replay:
            assert not _signed_in(replay)
        assert _signed_in(colleague)  # the same shared login elsewhere stays signed in


# ---- in a browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(isolated):
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: run `make chromium` (apt-get install -y chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.mark.integration
def test_log_out_button_returns_to_the_login_page(login_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    try:
        page = context.new_page()
        page.goto(login_server, wait_until="load")
        page.locator("input[type=password]").wait_for()
        page.get_by_text("each further login attempt waits longer").wait_for()
        page.locator("input[type=text]").fill(USER)
        page.locator("input[type=password]").fill(PASSWORD)
        page.get_by_role("button", name="Login").click()
        page.locator("#question textarea").wait_for()

        page.locator("#logout").click()
        page.locator("input[type=password]").wait_for()
        assert page.locator("#question textarea").count() == 0
        page.reload(wait_until="load")  # the session is gone, not just hidden
        page.locator("input[type=password]").wait_for()
        assert page.locator("#question textarea").count() == 0
    finally:
        context.close()


@pytest.mark.integration
def test_no_log_out_button_without_login(isolated, browser, tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    for url in _serve(settings):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url, wait_until="load")
            page.locator("#question textarea").wait_for()
            assert page.locator("#logout").count() == 0
        finally:
            context.close()
