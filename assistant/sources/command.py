"""`briefing feeds …` and the URL side of `briefing ingest`: arguments in, one line per outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant.errors import BriefingError
from assistant.progress import progress_bar

if TYPE_CHECKING:
    from assistant.pipeline import Briefing
    from assistant.sources.service import FeedsReport


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def split_targets(targets: list[str], urls_file: Path | None) -> tuple[list[Path], list[str]]:
    """Paths and URLs from `briefing ingest` arguments and its `--urls` file."""
    paths = [Path(t) for t in targets if not is_url(t)]
    urls = [t for t in targets if is_url(t)]
    if urls_file is not None:
        from assistant.sources.service import read_url_list

        try:
            urls += read_url_list(urls_file.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as e:
            why = getattr(e, "strerror", None) or str(e)
            raise BriefingError(f"Cannot read the URL list {urls_file}: {why}.") from e
    if not paths and not urls:
        raise BriefingError("Name files, folders or URLs to ingest (or --urls FILE).")
    return paths, urls


def print_update(report: FeedsReport, seconds: float, out: Console, err: Console) -> None:
    """What `briefing feeds update` prints: a line per feed, a line per failure, the summary."""
    for result in report.results:
        out.print(result.line(), highlight=False)
    for result in report.results:
        for e in result.report.failed:
            err.print(f"[red]skipped[/] {e.path}: {e.reason}", highlight=False)
    out.print(f"{report.summary()} in {seconds:.1f} s", highlight=False)


def make_feeds_app(get_briefing: Callable[[], Briefing], out: Console, err: Console) -> typer.Typer:
    """The `feeds` sub-commands; `get_briefing` builds the pipeline when a command runs."""
    feeds = typer.Typer(
        help="Follow RSS and Atom feeds: add, update, list, remove.", no_args_is_help=True
    )

    @feeds.command("add")
    def add(
        url: Annotated[str, typer.Argument(help="The feed's URL (RSS or Atom).")],
        name: Annotated[
            str | None, typer.Option("--name", help="What to call it (default: its title).")
        ] = None,
    ) -> None:
        """Follow a feed; `briefing feeds update` then fetches its articles."""
        feed, items = get_briefing().add_feed(url, name)
        out.print(
            f"Following {feed.name!r} ({feed.url}): {items} items listed now; "
            "`briefing feeds update` fetches them.",
            highlight=False,
        )

    @feeds.command("update")
    def update(
        names: Annotated[
            list[str] | None, typer.Argument(help="Only these feeds (default: all).")
        ] = None,
    ) -> None:
        """Fetch the new and changed items of every feed; unchanged ones are not fetched."""
        briefing = get_briefing()
        if not briefing.feeds():
            out.print("No feeds yet: `briefing feeds add URL` follows one.")
            return
        t0 = time.perf_counter()
        with progress_bar(err) as bar:
            task = bar.add_task("Updating feeds", total=None)

            def progress(name: str, done: int, total: int) -> None:
                bar.update(task, completed=done, total=total, description=f"Fetching {name[:60]}")

            report = briefing.update_feeds(names or None, progress)
        print_update(report, time.perf_counter() - t0, out, err)
        if not report.ok:
            raise typer.Exit(1)

    @feeds.command("list")
    def list_() -> None:
        """The feeds followed, with their items and last update."""
        rows = get_briefing().feeds()
        table = Table("name", "url", "items", "last update", "status")
        for f in rows:
            table.add_row(f.name, f.url, str(f.items), f.checked_at or "never", f.status)
        out.print(table)
        out.print(f"{len(rows)} feed{'s' if len(rows) != 1 else ''}")

    @feeds.command("remove")
    def remove(name: Annotated[str, typer.Argument(help="The feed's name (see `feeds list`).")]):
        """Stop following a feed; the articles it brought stay in the index."""
        n = get_briefing().remove_feed(name)
        out.print(
            f"Stopped following {name!r}; its {n} article{'s' if n != 1 else ''} stay in the "
            "index (`briefing remove ID` removes one).",
            highlight=False,
        )

    return feeds
