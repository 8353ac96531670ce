"""Feeds kept current: RSS and Atom items that change between updates (new, updated,
unchanged), ETag/304, what is fetched and what is not, failures as one line, the command line,
state that survives the process, and the scheduled updater."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date

import pytest
from typer.testing import CliRunner

from assistant import cli
from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.sources.schedule import FeedSchedule, start_feed_schedule
from tests.fake_web import FakeWeb, Route, article_html, atom, rss

TEXT = {
    "talks": "The talks in Jeddah ended on Tuesday without agreement on a ceasefire, officials "
    "said, after nine hours of negotiation between the two delegations.",
    "grain": "Ships left Odesa on Wednesday carrying grain for the first time in weeks, the port "
    "authority said, as insurers returned to the Black Sea corridor.",
    "power": "Repair crews restored power to most of Kharkiv overnight after the strikes on the "
    "city's substations, the regional governor said on Thursday morning.",
    "drones": "Air defence units shot down forty drones over the southern regions on Friday, "
    "the air force said, while debris damaged two warehouses near the port.",
}


@pytest.fixture
def web():
    with FakeWeb() as server:
        yield server


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("BRIEFING_ALLOW_PRIVATE_URLS", "1")  # the loopback server is private
    return Settings(data_dir=tmp_path / "data", fetch_timeout_s=2)


@pytest.fixture
def briefing(settings) -> Briefing:
    return Briefing(settings, embeddings=HashingEmbeddings())


def publish(web: FakeWeb, path: str, title: str, *paragraphs: str, **kw) -> str:
    return web.page(path, article_html(title, list(paragraphs), **kw))


def item(web: FakeWeb, path: str, title: str, day: str, note: str = "") -> dict[str, str]:
    return {
        "title": title,
        "link": web.url(path),
        "guid": path,
        "pubDate": f"{day} Mar 2025 08:00:00 GMT",
        "description": note or title,
    }


def article_fetches(web: FakeWeb) -> list[str]:
    return [p for p in web.paths() if p.startswith("/news/")]


def chunk_docs(briefing: Briefing, source: str) -> set[str]:
    return {m["doc_id"] for m in briefing.index.chunks_where({"source": source})["metadatas"]}


def test_rss_updates_add_new_items_replace_updated_ones_and_leave_the_rest(web, briefing):
    publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])
    publish(web, "/news/grain", "Grain corridor reopens", TEXT["grain"])
    feed = [
        item(web, "/news/talks", "Ceasefire talks stall", "Tue, 11"),
        item(web, "/news/grain", "Grain corridor reopens", "Wed, 12"),
    ]
    url = web.feed("/feed.xml", rss("Black Sea Wire", feed))
    added, listed = briefing.add_feed(url)
    assert (added.name, listed) == ("Black Sea Wire", 2)

    first = briefing.update_feeds()
    assert [r.line().split(" (")[0] for r in first.results] == [
        "Black Sea Wire: 2 new, 0 updated, 0 unchanged"
    ]
    assert sorted(article_fetches(web)) == ["/news/grain", "/news/talks"]
    docs = {d.meta.source: d for d in briefing.documents()}
    old_grain = docs[web.url("/news/grain")].meta.doc_id

    # Nothing changed: the feed answers 304 to the ETag, and no article is asked for.
    second = briefing.update_feeds()
    assert second.results[0].status == "not modified"
    last = web.requests("/feed.xml")[-1]
    assert last.headers["if-none-match"] and last.headers["if-modified-since"]
    assert last.status == 304
    assert len(article_fetches(web)) == 2

    # One item updated, one new, one unchanged.
    publish(web, "/news/grain", "Grain corridor reopens", TEXT["grain"], TEXT["drones"])
    publish(web, "/news/power", "Power back in Kharkiv", TEXT["power"])
    feed[1] = item(web, "/news/grain", "Grain corridor reopens", "Wed, 12", "Updated: debris")
    feed.append(item(web, "/news/power", "Power back in Kharkiv", "Thu, 13"))
    web.feed("/feed.xml", rss("Black Sea Wire", feed))
    fetched_before = len(article_fetches(web))
    third = briefing.update_feeds()
    result = third.results[0]
    assert (result.new, result.updated, result.unchanged) == (1, 1, 1)
    assert sorted(article_fetches(web)[fetched_before:]) == ["/news/grain", "/news/power"]
    assert "1 new, 1 updated, 1 unchanged, 0 failed" in third.summary()

    # The updated article replaced its old version: no orphan chunks of it remain.
    new_grain = chunk_docs(briefing, web.url("/news/grain"))
    assert len(new_grain) == 1 and old_grain not in new_grain
    assert TEXT["drones"] in briefing.document_text(new_grain.pop())
    assert len(briefing.documents()) == 3
    origins = set(briefing.origins(briefing.documents()).values())
    assert origins == {"feed: Black Sea Wire"}

    # And again: idempotent.
    fourth = briefing.update_feeds()
    assert fourth.results[0].status == "not modified" and fourth.total.chunks == 0


def test_atom_feed_gives_the_date_and_publisher_a_page_lacks(web, briefing):
    publish(web, "/news/power", "Power back in Kharkiv", TEXT["power"], site="", published=None)
    publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])  # names its own
    entries = [
        {
            "id": "urn:power",
            "title": "Power back in Kharkiv",
            "link": web.url("/news/power"),
            "updated": "2025-03-13T07:00:00Z",
        },
        {
            "id": "urn:talks",
            "title": "Ceasefire talks stall",
            "link": web.url("/news/talks"),
            "updated": "2025-03-12T07:00:00Z",
        },
    ]
    briefing.add_feed(web.feed("/atom.xml", atom("Frontline Digest", entries), kind="atom"))
    report = briefing.update_feeds()
    assert report.ok, [e.reason for e in report.total.failed]
    metas = {d.meta.title: d.meta for d in briefing.documents()}
    power = metas["Power back in Kharkiv"]
    assert power.published == date(2025, 3, 13)  # the page has none: the item's
    assert power.publisher == "Frontline Digest"  # the page names none: the feed's title
    talks = metas["Ceasefire talks stall"]
    assert talks.published == date(2025, 3, 11)  # the page's own date wins
    assert talks.publisher == "Kyiv Civic Post"

    entries[0] = {**entries[0], "updated": "2025-03-14T07:00:00Z"}
    publish(web, "/news/power", "Power back in Kharkiv", TEXT["power"], TEXT["drones"], site="")
    web.feed("/atom.xml", atom("Frontline Digest", entries), kind="atom")
    again = briefing.update_feeds().results[0]
    assert (again.new, again.updated, again.unchanged) == (0, 1, 1)
    assert len(chunk_docs(briefing, web.url("/news/power"))) == 1


def test_an_item_without_a_link_and_a_broken_page_are_one_line_each(web, briefing):
    publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])
    feed = [
        item(web, "/news/talks", "Ceasefire talks stall", "Tue, 11"),
        {"title": "Live: the latest", "guid": "live-1", "description": "no link"},
        item(web, "/news/missing", "Gone", "Wed, 12"),
    ]
    url = web.feed("/feed.xml", rss("Black Sea Wire", feed))
    briefing.add_feed(url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_settings", lambda: briefing.settings)
        mp.setattr(cli, "_briefing", lambda settings: briefing)
        result = CliRunner().invoke(cli.app, ["feeds", "update"])
    assert result.exit_code == 1
    skipped = [x for x in result.output.splitlines() if x.startswith("skipped")]
    assert skipped == [
        f"skipped {url}: item 2 (Live: the latest) has no link; skipped",
        f"skipped {web.url('/news/missing')}: HTTP 404 Not Found",
    ]
    assert "Black Sea Wire: 1 new, 0 updated, 0 unchanged, 2 failed" in result.output
    assert "1 feed: 1 new, 0 updated, 0 unchanged, 2 failed; 1 chunks written in" in result.output

    # The failed fetch is retried (the feed is read in full again, not answered with 304);
    # the article already indexed is not fetched again.
    publish(web, "/news/missing", "Convoy reaches Kherson", TEXT["drones"])
    before = len(article_fetches(web))
    retry = briefing.update_feeds().results[0]
    assert web.requests("/feed.xml")[-1].status == 200
    assert article_fetches(web)[before:] == ["/news/missing"]
    assert (retry.new, retry.unchanged) == (1, 1)


def test_a_malformed_feed_is_refused_and_other_feeds_go_on(web, briefing):
    publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])
    good = web.feed("/good.xml", rss("Good Wire", [item(web, "/news/talks", "Talks", "Tue, 11")]))
    bad = web.route("/bad.xml", Route(body=b"<html><body>Not a feed</body></html>"))
    with pytest.raises(Exception, match="not an RSS or Atom feed") as refused:
        briefing.add_feed(bad)
    assert bad in str(refused.value)

    flaky = web.feed("/flaky.xml", rss("Flaky Wire", []))
    briefing.add_feed(good)
    briefing.add_feed(flaky)
    web.route(
        "/flaky.xml", Route(body=b"<rss><channel><item><title>x</ti", content_type="text/xml")
    )
    report = briefing.update_feeds()
    by_name = {r.name: r for r in report.results}
    assert by_name["Good Wire"].new == 1
    assert by_name["Flaky Wire"].status == "failed"
    [failure] = by_name["Flaky Wire"].report.failed
    assert failure.path == flaky and "not an RSS or Atom feed" in failure.reason
    assert not report.ok


def test_a_feed_body_that_names_a_local_file_is_not_read_as_one(web, briefing, tmp_path):
    secret = tmp_path / "secret.xml"
    secret.write_text(rss("Local file", [{"title": "x", "link": "http://x.example/"}]))
    url = web.route("/feed.xml", Route(body=str(secret).encode(), content_type="text/xml"))
    with pytest.raises(Exception, match="not an RSS or Atom feed"):
        briefing.add_feed(url)


def test_an_item_already_indexed_by_url_is_not_fetched_again(web, briefing):
    page = publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])
    assert briefing.ingest_urls([page]).ok
    briefing.add_feed(
        web.feed("/feed.xml", rss("Wire", [item(web, "/news/talks", "T", "Tue, 11")]))
    )
    fetched = len(article_fetches(web))
    result = briefing.update_feeds().results[0]
    assert (result.new, result.unchanged) == (0, 1)
    assert len(article_fetches(web)) == fetched


def test_the_feed_commands_and_state_that_outlives_the_process(web, settings):
    publish(web, "/news/talks", "Ceasefire talks stall", TEXT["talks"])
    url = web.feed("/feed.xml", rss("Black Sea Wire", [item(web, "/news/talks", "T", "Tue, 11")]))
    made: list[Briefing] = []

    def fresh(_settings) -> Briefing:  # a new pipeline per command, as separate processes have
        made.append(Briefing(settings, embeddings=HashingEmbeddings()))
        return made[-1]

    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_settings", lambda: settings)
        mp.setattr(cli, "_briefing", fresh)
        added = runner.invoke(cli.app, ["feeds", "add", url, "--name", "wire"])
        twice = runner.invoke(cli.app, ["feeds", "add", url])
        first = runner.invoke(cli.app, ["feeds", "update"])
        second = runner.invoke(cli.app, ["feeds", "update"])
        listed = runner.invoke(cli.app, ["feeds", "list"])
        sources = runner.invoke(cli.app, ["sources"])
        removed = runner.invoke(cli.app, ["feeds", "remove", "wire"])
        unknown = runner.invoke(cli.app, ["feeds", "remove", "wire"], standalone_mode=False)
        after = runner.invoke(cli.app, ["feeds", "list"])
    assert added.exit_code == 0 and "Following 'wire'" in added.output and "1 items" in added.output
    assert twice.exception is not None and "Already following" in str(twice.exception)
    assert "wire: 1 new, 0 updated, 0 unchanged" in first.output, first.output
    assert "wire: not modified" in second.output
    assert "wire" in listed.output and "1 feed" in listed.output
    assert "feed: wire" in sources.output
    assert "Stopped following 'wire'; its 1 article stay" in removed.output
    assert "No feed named 'wire'" in str(unknown.exception)
    assert "0 feeds" in after.output
    assert len(made[-1].documents()) == 1  # the article stays


def test_no_feeds_yet_is_said_plainly(briefing):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_settings", lambda: briefing.settings)
        mp.setattr(cli, "_briefing", lambda settings: briefing)
        result = CliRunner().invoke(cli.app, ["feeds", "update"])
    assert result.exit_code == 0 and "No feeds yet" in result.output


def test_the_schedule_runs_on_time_logs_errors_and_stops(caplog):
    calls: list[float] = []
    ran = threading.Event()

    def update():
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise OSError("feed server down")
        if len(calls) >= 3:
            ran.set()

    schedule = FeedSchedule(update, interval_s=0.05, first_s=0)
    with caplog.at_level(logging.INFO, logger="assistant.sources.schedule"):
        schedule.start()
        assert ran.wait(5)
        schedule.stop()
    assert not schedule.running and len(calls) >= 3
    assert "Feed update failed" in caplog.text and "feed server down" in caplog.text
    stopped_at = len(calls)
    time.sleep(0.15)
    assert len(calls) == stopped_at


def test_the_schedule_is_off_by_default(settings, briefing, web):
    assert settings.feed_interval_min == 0
    assert start_feed_schedule(briefing, settings.feed_interval_min) is None
    url = web.feed("/feed.xml", rss("Wire", []))
    briefing.add_feed(url)
    schedule = start_feed_schedule(briefing, 60)
    assert schedule is not None
    try:
        deadline = time.monotonic() + 5
        while len(web.requests("/feed.xml")) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(web.requests("/feed.xml")) == 2  # add, then the first scheduled update
    finally:
        schedule.stop()
    assert not schedule.running


def test_a_long_running_surface_starts_the_schedule_on_its_briefing_and_stops_it(web, briefing):
    from assistant.sources.schedule import FeedUpdates

    briefing.add_feed(web.feed("/feed.xml", rss("Wire", [])))
    with FeedUpdates(lambda: briefing, interval_min=60) as make:
        assert make() is briefing and make() is briefing  # one schedule however often called
        schedule = make.schedule
        assert schedule is not None and schedule.running
        deadline = time.monotonic() + 5
        while schedule.runs < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert schedule.runs == 1 and briefing.feeds()[0].status == "ok"
    assert not schedule.running
    with FeedUpdates(lambda: briefing, interval_min=0) as make:
        make()
        assert make.schedule is None  # off
