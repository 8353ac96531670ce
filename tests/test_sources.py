"""Web pages by URL: what is fetched, how carefully, what the document says, and every way a
URL can fail as one line while the rest of the batch goes on. All against a loopback server."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from typer.testing import CliRunner

from assistant import cli
from assistant.embeddings import HashingEmbeddings
from assistant.errors import IngestError
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.sources.fetch import Fetcher, is_public
from assistant.sources.page import strip_widgets
from tests.fake_web import FakeWeb, Route, article_html

TALKS = [
    "The talks in Jeddah ended on Tuesday without agreement on a ceasefire, officials said, "
    "after nine hours of negotiation between the two delegations.",
    "The US delegation was led by Secretary of State Marco Rubio, while Andriy Yermak headed "
    "the Ukrainian side, according to a joint statement issued late in the evening.",
]
GRAIN = [
    "Ships left Odesa on Wednesday carrying grain for the first time in weeks, the port "
    "authority said, as insurers returned to the Black Sea corridor.",
]


@pytest.fixture
def web():
    with FakeWeb() as server:
        yield server


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    monkeypatch.setenv("BRIEFING_ALLOW_PRIVATE_URLS", "1")  # the loopback server is private
    return Settings(data_dir=tmp_path / "data", fetch_timeout_s=2, max_page_mb=0.2)


@pytest.fixture
def briefing(settings) -> Briefing:
    return Briefing(settings, embeddings=HashingEmbeddings())


def chunks_of(briefing: Briefing, source: str) -> dict[str, int]:
    """doc id → chunks stored for a source: an orphan shows as a second doc id."""
    out: dict[str, int] = {}
    for m in briefing.index.chunks_where({"source": source})["metadatas"]:
        out[m["doc_id"]] = out.get(m["doc_id"], 0) + 1
    return out


def test_a_page_is_its_article_with_title_date_publisher_and_url(web, briefing):
    canonical = web.url("/2025/03/ceasefire-talks")
    url = web.page(
        "/share/ceasefire?utm_source=x",
        article_html("Ceasefire talks stall in Jeddah", TALKS, canonical=canonical),
    )
    report = briefing.ingest_urls([url])
    assert report.ok and len(report.added) == 1, report.failed
    meta = report.added[0].meta
    assert meta.title == "Ceasefire talks stall in Jeddah"
    assert meta.published == date(2025, 3, 11)
    assert meta.publisher == "Kyiv Civic Post"
    assert meta.source == meta.url == canonical  # known by its canonical URL
    text = briefing.document_text(meta.doc_id)
    assert TALKS[0] in text and TALKS[1] in text
    for furniture in (
        "SCRIPT-TEXT-MUST-GO",
        "cookies",
        "MENU-LINK",
        "Share",
        "Facebook",
        "Europe",
        "All rights reserved",
        "Related articles",
    ):
        assert furniture not in text
    stored = briefing.index.chunks_where({"doc_id": meta.doc_id})["metadatas"]
    assert {m["url"] for m in stored} == {canonical}
    assert briefing.origins(briefing.documents()) == {meta.doc_id: "url"}
    sent = web.requests("/share/ceasefire?utm_source=x")[0].headers
    assert sent["user-agent"].startswith("conflict-briefing-assistant/")


def test_a_canonical_url_on_another_site_is_not_believed(web, briefing):
    url = web.page(
        "/a", article_html("Ceasefire talks stall", TALKS, canonical="https://other.example/x")
    )
    doc = briefing.ingest_urls([url]).added[0]
    assert doc.meta.source == doc.meta.url == url


def test_redirects_are_followed_and_the_document_is_known_by_where_they_end(web, briefing):
    target = web.page("/articles/grain", article_html("Grain corridor reopens", GRAIN))
    web.route("/r1", Route(status=301, headers={"Location": "/r2"}))
    web.route("/r2", Route(status=302, headers={"Location": target}))
    web.route("/loop", Route(status=302, headers={"Location": "/loop"}))
    report = briefing.ingest_urls([web.url("/r1"), web.url("/loop")])
    assert [d.meta.source for d in report.added] == [target]
    assert [(e.path, e.reason) for e in report.failed] == [
        (web.url("/loop"), "more than 5 redirects")
    ]


def test_an_unchanged_page_is_not_embedded_again_and_a_changed_one_replaces_it(web, briefing):
    url = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    first = briefing.ingest_urls([url])
    again = briefing.ingest_urls([url])
    assert len(first.added) == 1 and len(again.unchanged) == 1 and again.chunks == 0
    web.page("/a", article_html("Ceasefire talks stall", [*TALKS, GRAIN[0]]))
    changed = briefing.ingest_urls([url])
    assert len(changed.replaced) == 1
    assert list(chunks_of(briefing, url)) == [changed.replaced[0].meta.doc_id]  # no orphans


def test_the_same_text_at_a_second_url_is_not_embedded_again(web, briefing):
    a = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    b = web.page("/mirror/a", article_html("Ceasefire talks stall", TALKS))
    report = briefing.ingest_urls([a, b])
    assert len(report.added) == 1 and len(report.unchanged) == 1
    assert len(briefing.documents()) == 1


def test_every_bad_url_is_one_line_and_the_batch_goes_on(web, briefing, tmp_path):
    good = web.page("/good", article_html("Ceasefire talks stall", TALKS))
    web.route("/json", Route(body=b'{"a": 1}', content_type="application/json"))
    web.route("/slow", Route(body=b"<p>late</p>", delay_s=4))
    web.route("/huge", Route(stream_bytes=5_000_000))
    web.route("/declared", Route(body=b"x" * 300_000))
    closed = f"http://127.0.0.1:{FakeWeb().port}/gone"  # a port nobody listens on
    urls = [
        closed,
        web.url("/missing"),
        web.url("/json"),
        web.url("/slow"),
        web.url("/huge"),
        web.url("/declared"),
        "ftp://example.org/x",
        good,
    ]
    links = tmp_path / "links.txt"
    links.write_text("# reading list\n\n" + "\n".join(urls) + "\n", encoding="utf-8")
    cli_app = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_settings", lambda: briefing.settings)
        mp.setattr(cli, "_briefing", lambda settings: briefing)
        result = cli_app.invoke(cli.app, ["ingest", "--urls", str(links)])
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if x.startswith("skipped")]
    reasons = {
        closed: "could not connect",
        web.url("/missing"): "HTTP 404 Not Found",
        web.url("/json"): "not an article page (the server sent application/json)",
        web.url("/slow"): "timed out after 2 s",
        web.url("/huge"): "larger than the 0.2 MB limit",
        web.url("/declared"): "larger than the 0.2 MB limit",
        "ftp://example.org/x": "only http:// and https:// URLs are fetched",
    }
    assert len(lines) == len(reasons)
    for line, (url, reason) in zip(lines, reasons.items(), strict=True):
        assert line.startswith(f"skipped {url}: {reason}"), line
    assert "1 added, 0 replaced, 0 unchanged, 7 failed" in result.output


def test_a_huge_page_is_not_read_to_its_end(web, settings):
    web.route("/huge", Route(stream_bytes=50_000_000))
    with Fetcher(settings) as fetcher, pytest.raises(IngestError, match="0.2 MB"):
        fetcher.get(web.url("/huge"))  # 50 MB at loopback speed would take seconds


def test_urls_and_paths_in_one_ingest(web, briefing, articles):
    url = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_settings", lambda: briefing.settings)
        mp.setattr(cli, "_briefing", lambda settings: briefing)
        result = CliRunner().invoke(cli.app, ["ingest", str(articles), url])
        listed = CliRunner().invoke(cli.app, ["sources"])
    assert result.exit_code == 0, result.output
    files = len(list(articles.iterdir()))
    assert f"{files + 1} added, 0 replaced, 0 unchanged, 0 failed" in result.output
    assert listed.output.count(" url ") + listed.output.count(" url\n") >= 1
    assert "file" in listed.output


def test_a_private_address_is_refused_without_the_setting(web, tmp_path):
    strict = Settings(data_dir=tmp_path / "d", _env_file=None)
    assert not strict.allow_private_urls
    url = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    with Fetcher(strict) as fetcher:
        for target in (url, f"http://localhost:{web.port}/a"):
            with pytest.raises(IngestError, match="refused: .* private, loopback or link-local"):
                fetcher.get(target)
    assert web.paths() == []  # nothing was sent


def test_every_resolved_address_and_every_redirect_hop_is_checked(tmp_path):
    strict = Settings(data_dir=tmp_path / "d", _env_file=None)
    dns = {"news.example": ["93.184.216.34"], "mixed.example": ["93.184.216.34", "10.1.2.3"]}
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    client = httpx.Client(transport=httpx.MockTransport(answer))
    fetcher = Fetcher(strict, client=client, resolver=lambda host, port: dns[host])
    with pytest.raises(IngestError, match=r"mixed.example \(10\.1\.2\.3\) is a private"):
        fetcher.get("http://mixed.example/a")
    with pytest.raises(IngestError, match=r"169\.254\.169\.254"):
        fetcher.get("http://news.example/a")
    assert sent == ["http://news.example/a"]  # the redirect's target was never asked


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.8", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("224.0.0.1", False),
    ],
)
def test_which_addresses_are_public(address, public):
    assert is_public(address) is public


def test_widgets_go_but_a_wrapper_named_like_one_keeps_its_article():
    html = (
        '<html><body><div class="layout has-social"><article><h1>Title here</h1>'
        "<p>Body text of the article.</p><div class='share-bar'>Share: X</div></article>"
        "</div></body></html>"
    )
    out = strip_widgets(html)
    assert "Body text of the article." in out and "Share: X" not in out


def test_a_cited_url_document_links_to_its_url_on_every_surface(web, briefing):
    from assistant.render import source_line
    from assistant.slack.format import source_text
    from ui.render import source_html

    url = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    assert briefing.ingest_urls([url]).ok
    answer = briefing.ask("Who led the US delegation in Jeddah?")
    assert answer.citations, answer.text
    c = answer.citations[0]
    assert c.url == url
    assert f"({url})" in source_line(c)
    assert f"<{url}|" in source_text(c)
    assert f'href="{url}"' in source_html(c)


@pytest.mark.integration
def test_with_the_real_model_an_answer_cites_the_page_by_its_url(web, settings, minilm):
    from assistant.render import source_line

    briefing = Briefing(settings, embeddings=minilm)
    talks = web.page("/news/talks", article_html("Ceasefire talks stall in Jeddah", TALKS))
    grain = web.page("/news/grain", article_html("Grain corridor reopens", GRAIN))
    assert briefing.ingest_urls([talks, grain]).ok
    answer = briefing.ask("Who led the US delegation?")
    assert not answer.refused and "Marco Rubio" in answer.text
    assert answer.citations[0].url == talks
    assert source_line(answer.citations[0]).startswith(
        f"[1] Ceasefire talks stall in Jeddah — Kyiv Civic Post, 11 March 2025 ({talks})"
    )


def test_the_web_chat_takes_urls_and_shows_each_documents_origin(web, briefing, settings):
    from ui.handlers import WebChat

    chat = WebChat(briefing, settings)
    url = web.page("/a", article_html("Ceasefire talks stall", TALKS))
    box, status, docs, remove_menu, publishers = chat.add_urls(f"{url}\n{web.url('/missing')}")
    assert box == ""
    assert "Added “Ceasefire talks stall”" in status
    assert f"Could not add {web.url('/missing')}: HTTP 404 Not Found" in status
    assert "<th>Origin</th>" in docs and f'<a href="{url}"' in docs and ">url</a>" in docs
    assert ("Kyiv Civic Post", "Kyiv Civic Post") in publishers.choices
    assert chat.add_urls("  ")[1] == ""


def test_a_plain_text_article_is_read_as_a_text_file_would_be(web, briefing):
    body = "Ceasefire talks stall\n\nDate: 2025-03-11\n\n" + "\n\n".join(TALKS) + "\n"
    url = web.route("/a.txt", Route(body=body.encode(), content_type="text/plain; charset=utf-8"))
    [doc] = briefing.ingest_urls([url]).added
    assert (doc.meta.title, doc.meta.published, doc.meta.source) == (
        "Ceasefire talks stall",
        date(2025, 3, 11),
        url,
    )
