"""URLs and feeds into the index: fetch, clean, and hand the documents to the ingest step.

`Sources` is what the pipeline exposes as `Briefing.ingest_urls`, `.add_feed`, `.update_feeds`
and so on. Pages go through the same `Ingestor` as files, so an unchanged page is never
embedded again and a changed one replaces its old chunks (documents are known by their URL).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import httpx

from assistant.errors import BriefingError, IngestError
from assistant.ingest import Ingestor, IngestReport, Progress
from assistant.ingest.load import RawDocument
from assistant.models import DocMeta, Document
from assistant.settings import Settings
from assistant.sources.feeds import FeedItem, parse_feed
from assistant.sources.fetch import Fetcher, Resolver
from assistant.sources.page import WebRaw, clean_web, host, to_raw
from assistant.sources.store import Feed, FeedStore, ItemState


@dataclass
class FeedResult:
    """One feed's update, as the user is told it."""

    name: str
    url: str
    status: str  # updated | not modified | failed
    report: IngestReport = field(default_factory=IngestReport)
    skipped: int = 0  # items already indexed, not fetched
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return len(self.report.added)

    @property
    def updated(self) -> int:
        return len(self.report.replaced)

    @property
    def unchanged(self) -> int:
        return self.skipped + len(self.report.unchanged)

    def line(self) -> str:
        if self.status == "not modified":
            return f"{self.name}: not modified since the last update ({self.seconds:.1f} s)"
        failed = f", {len(self.report.failed)} failed" if self.report.failed else ""
        if self.status == "failed" and not (self.new or self.updated or self.unchanged):
            return f"{self.name}: failed ({self.seconds:.1f} s)"
        return (
            f"{self.name}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged"
            f"{failed} ({self.seconds:.1f} s)"
        )


@dataclass
class FeedsReport:
    results: list[FeedResult] = field(default_factory=list)

    @property
    def total(self) -> IngestReport:
        """All feeds' items as one ingest report (unchanged items that were not fetched
        count as unchanged too), for the summary line and the exit code."""
        out = IngestReport()
        for r in self.results:
            out.merge(r.report)
        return out

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" and r.report.ok for r in self.results)

    def summary(self) -> str:
        total = self.total
        unchanged = sum(r.unchanged for r in self.results)
        return (
            f"{len(self.results)} feed{'s' if len(self.results) != 1 else ''}: "
            f"{len(total.added)} new, {len(total.replaced)} updated, {unchanged} unchanged, "
            f"{len(total.failed)} failed; {total.chunks} chunks written"
        )


def read_url_list(text: str) -> list[str]:
    """The URLs of a links file: one a line; blank lines and '#' comments are passed over."""
    return [s for s in (line.strip() for line in text.splitlines()) if s and not s.startswith("#")]


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(u.strip() for u in urls if u.strip()))


class Sources:
    """Pages and feeds for one index. `client` and `resolver` reach the network (tests pass
    their own); feed state lives in `settings.feeds_path`."""

    def __init__(
        self,
        settings: Settings,
        ingestor: Ingestor,
        client: httpx.Client | None = None,
        resolver: Resolver | None = None,
    ) -> None:
        self.settings = settings
        self.ingestor = ingestor
        self.client = client
        self.resolver = resolver
        self.store = FeedStore(settings.feeds_path)
        # One fetch-and-ingest at a time in this process: the scheduled feed update and a URL
        # pasted in the web chat must not write the same article at once.
        self._writing = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return int(self.settings.max_page_mb * 1_000_000)

    def fetcher(self) -> Fetcher:
        return Fetcher(self.settings, client=self.client, resolver=self.resolver)

    # ---- pages ---------------------------------------------------------------------------
    def ingest_urls(self, urls: Iterable[str], progress: Progress | None = None) -> IngestReport:
        """Fetch each URL once and ingest what it holds; each failure is one line."""
        todo = _unique(urls)
        with self._writing, self.fetcher() as fetcher:

            def items() -> Iterator[RawDocument | IngestError]:
                for url in todo:
                    try:
                        yield to_raw(fetcher.get(url), self.max_bytes)
                    except IngestError as e:
                        yield e

            return self.ingestor.ingest_raw(items(), len(todo), progress, clean_web)

    # ---- feeds ---------------------------------------------------------------------------
    def add_feed(self, url: str, name: str | None = None) -> tuple[Feed, int]:
        """Follow a feed: fetched once to check it is one and to name it by its title; its
        items are fetched by `update_feeds`. Returns the feed and how many items it lists."""
        url = url.strip()
        with self.fetcher() as fetcher:
            fetched = fetcher.get(url)
        parsed = parse_feed(fetched.content, fetched.final_url)
        name = (name or parsed.title or host(url)).strip()
        if not name:
            raise BriefingError("A feed needs a name: pass --name.")
        return self.store.add(name, url, parsed.title), len(parsed.items)

    def feeds(self) -> list[Feed]:
        return self.store.all()

    def remove_feed(self, name: str) -> int:
        """Stop following a feed; its documents stay in the index. Returns how many it had."""
        return len(self.store.remove(name))

    def origin(self, meta: DocMeta, feed_of: dict[str, str] | None = None) -> str:
        """'file', 'url' or 'feed: NAME' for a document; pass `feed_of` (from
        `self.store.feed_of()`) when asking for many."""
        feed_of = self.store.feed_of() if feed_of is None else feed_of
        for key in (meta.source, meta.url):
            if key and key in feed_of:
                return f"feed: {feed_of[key]}"
        return "url" if meta.source.startswith(("http://", "https://")) else "file"

    def update_feeds(
        self, names: Iterable[str] | None = None, progress: Progress | None = None
    ) -> FeedsReport:
        """Fetch what is new or changed in each feed (or the named ones); idempotent."""
        wanted = list(names or [])
        feeds = self.store.all()
        unknown = [n for n in wanted if n not in {f.name for f in feeds}]
        if unknown:
            raise BriefingError(f"No feed named {unknown[0]!r} (see `briefing feeds list`).")
        if wanted:
            feeds = [f for f in feeds if f.name in wanted]
        report = FeedsReport()
        with self._writing, self.fetcher() as fetcher:
            for feed in feeds:
                report.results.append(self._update(feed, fetcher, progress))
        return report

    def _update(self, feed: Feed, fetcher: Fetcher, progress: Progress | None) -> FeedResult:
        t0 = time.perf_counter()
        result = FeedResult(feed.name, feed.url, "updated")
        try:
            fetched = fetcher.get(feed.url, feed.etag, feed.last_modified)
            if fetched.not_modified:
                result.status = "not modified"
                self.store.checked(feed.name, "not modified")
                result.seconds = time.perf_counter() - t0
                return result
            parsed = parse_feed(fetched.content, fetched.url)
        except IngestError as e:
            result.status = "failed"
            result.report.failed.append(e)
            self.store.checked(feed.name, f"failed: {e.reason}")
            result.seconds = time.perf_counter() - t0
            return result
        todo, states = self._plan(feed, parsed.items)
        result.skipped = len(parsed.items) - len(todo)
        docs: dict[str, Document] = {}

        def cleaner(raw: RawDocument) -> Document:
            doc = clean_web(raw)
            if isinstance(raw, WebRaw):
                docs[raw.item_key] = doc
            return doc

        def items() -> Iterator[RawDocument | IngestError]:
            for item in todo:
                try:
                    yield to_raw(
                        fetcher.get(item.link),
                        self.max_bytes,
                        parsed.title,
                        item.published,
                        item.key,
                    )
                except IngestError as e:
                    yield e

        result.report = self.ingestor.ingest_raw(items(), len(todo), progress, cleaner)
        fetch_failed = bool(result.report.failed)
        result.report.failed[:0] = parsed.failed  # items without a link: the feed's own fault
        written = {
            d.meta.doc_id
            for d in (*result.report.added, *result.report.replaced, *result.report.unchanged)
        }
        by_key = {item.key: item for item in todo}
        known = self.store.items(feed.name)
        for key, doc in docs.items():
            if doc.meta.doc_id not in written:
                continue
            item = by_key[key]
            old = known.get(key)
            if old and old.doc_id != doc.meta.doc_id and old.url != doc.meta.source:
                # The item moved to another URL: its old version is not replaced by source.
                self.ingestor.index.delete_where({"doc_id": old.doc_id})
                self.ingestor.index.refresh_keyword()
            states.append(
                ItemState(key, item.link, doc.meta.source, item.fingerprint, doc.meta.doc_id)
            )
        self.store.record(feed.name, states)
        status = "failed" if result.report.failed else "ok"
        self.store.checked(
            feed.name,
            status,
            title=parsed.title,
            # After a failed fetch the feed is read again next time, so the item is retried.
            validators=None if fetch_failed else (fetched.etag, fetched.last_modified),
        )
        result.status = "updated"
        result.seconds = time.perf_counter() - t0
        return result

    def _plan(self, feed: Feed, items: list[FeedItem]) -> tuple[list[FeedItem], list[ItemState]]:
        """Which items to fetch (new or changed since the last update), and the states of new
        items whose page is already indexed (by URL, from anywhere), which are not fetched."""
        known = self.store.items(feed.name)
        elsewhere = self.store.feed_of()
        fresh = [it for it in items if it.key not in known]
        indexed = self.ingestor.index.stored([], [it.link for it in fresh]).sources
        todo: list[FeedItem] = []
        states: list[ItemState] = []
        for it in items:
            old = known.get(it.key)
            if old is not None:
                if old.fingerprint != it.fingerprint:
                    todo.append(it)
                continue
            if it.link in elsewhere or indexed.get(it.link):
                doc_id = next(iter(sorted(indexed.get(it.link, set()))), "")
                states.append(ItemState(it.key, it.link, it.link, it.fingerprint, doc_id))
                continue
            todo.append(it)
        return todo, states
