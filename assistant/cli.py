"""`briefing`: the command line. Builds Settings once, calls the pipeline, one line per error."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from assistant.errors import BriefingError
from assistant.models import Filters
from assistant.progress import progress_bar
from assistant.settings import Settings, load_settings
from assistant.stream import Reply


class LazyCommands(TyperGroup):
    """Commands whose modules are imported only when that command runs (or help lists them):
    a cold `briefing ask` does not pay for the eval package, briefs or feeds."""

    lazy: dict[str, str] = {"eval": "eval", "brief": "brief", "feeds": "feeds"}

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx, name):
        if name in self.lazy and name not in self.commands:
            command = _lazy_command(name)
            command.name = name
            self.commands[name] = command
        return super().get_command(ctx, name)


def _lazy_command(name: str):
    """The click command of `name`, built from its module on first use."""
    sub = typer.Typer(add_completion=False)
    if name == "eval":
        from assistant.evaluate.command import eval_command

        sub.command("eval")(eval_command)
        return typer.main.get_command(sub)
    if name == "brief":
        from assistant.brief.command import make_brief_command

        sub.command("brief")(make_brief_command(lambda: _briefing(_settings()), out, err))
        return typer.main.get_command(sub)
    from assistant.sources.command import make_feeds_app

    return typer.main.get_group(make_feeds_app(lambda: _briefing(_settings()), out, err))


app = typer.Typer(
    cls=LazyCommands,
    add_completion=False,
    no_args_is_help=True,
    help="Cited answers from your war-briefing articles.",
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _settings() -> Settings:
    """The settings of this command (a seam the tests replace)."""
    return load_settings()


def _briefing(settings: Settings):
    from assistant.pipeline import Briefing

    return Briefing(settings)


def _filters(publisher: list[str] | None, since: str | None, until: str | None) -> Filters | None:
    try:
        return Filters.parse(publisher, since, until)
    except ValueError as e:
        raise BriefingError(f"Dates must look like 2025-03-11 ({e}).") from e


@app.command()
def ingest(
    targets: Annotated[
        list[str] | None, typer.Argument(help="Files, folders or http(s) URLs.")
    ] = None,
    urls: Annotated[Path | None, typer.Option("--urls", help="A file of URLs, one a line.")] = None,
) -> None:
    """Add articles (.txt .md .html .pdf .docx, web pages) to the index; unchanged ones are
    skipped."""
    from assistant.sources.command import split_targets

    paths, links = split_targets(targets or [], urls)
    settings = _settings()
    briefing = _briefing(settings)
    with progress_bar(err) as bar:
        task = bar.add_task("Ingesting", total=None)

        def progress(name: str, done: int, total: int) -> None:
            bar.update(
                task, completed=done, total=total, description=f"Ingesting {Path(name).name[:40]}"
            )

        report = briefing.ingest(paths, progress) if paths else None
        if links:
            pages = briefing.ingest_urls(links, progress)
            report = report.merge(pages) if report else pages
    for e in report.failed:
        err.print(f"[red]skipped[/] {e.path}: {e.reason}", highlight=False)
    out.print(report.summary())
    if report.failed:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    k: Annotated[int | None, typer.Option(help="Passages to retrieve.")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Only this publisher.")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles from this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles up to this date.")] = None,
) -> None:
    """Answer a question from the indexed articles, with citations."""
    settings = _settings()
    briefing = _briefing(settings)
    filters = _filters(publisher, since, until)
    if as_json:
        answer = briefing.ask(question, filters=filters, k=k)
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
        return
    reply = Reply(briefing.stream(question, filters=filters, k=k))
    for piece in reply:
        sys.stdout.write(piece)
        sys.stdout.flush()
    sys.stdout.write("\n")
    if reply.answer is not None:
        _print_sources(reply.answer)


def _print_sources(answer) -> None:
    """Under the streamed text: how it was read, disagreements, removed sentences, sources."""
    from assistant.render import print_answer_tail

    print_answer_tail(answer, out)


@app.command()
def chat(
    k: Annotated[int | None, typer.Option(help="Passages to retrieve.")] = None,
    publisher: Annotated[list[str] | None, typer.Option(help="Only this publisher.")] = None,
    since: Annotated[str | None, typer.Option(help="Only articles from this date.")] = None,
    until: Annotated[str | None, typer.Option(help="Only articles up to this date.")] = None,
) -> None:
    """A conversation: follow-up questions are read against the earlier ones (Ctrl-D leaves)."""
    from assistant.chat import run_chat

    filters = _filters(publisher, since, until)
    run_chat(_briefing(_settings()), out, filters=filters, k=k)


@app.command()
def sources() -> None:
    """List the documents in the index."""
    briefing = _briefing(_settings())
    table = Table()
    # The id is what `briefing remove` takes: always whole; the title gives way first.
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("title", overflow="fold", ratio=3)
    table.add_column("publisher", overflow="fold", ratio=1)
    for name in ("date", "chunks", "origin"):
        table.add_column(name, no_wrap=True)
    docs = briefing.documents()
    origins = briefing.origins(docs)
    for d in docs:
        table.add_row(
            d.meta.doc_id,
            d.meta.title[:70],
            d.meta.publisher,
            d.meta.published.isoformat() if d.meta.published else "",
            str(d.chunks),
            origins.get(d.meta.doc_id, ""),
        )
    out.print(table)
    out.print(f"{len(docs)} documents")


@app.command()
def stats() -> None:
    """Counts and settings of the index."""
    settings = _settings()
    s = _briefing(settings).stats()
    out.print(
        f"documents: {s.documents}\nchunks: {s.chunks}\nstore: {s.store}\n"
        f"collection: {s.collection}\nchunk tokens: {settings.chunk_tokens} "
        f"(overlap {settings.chunk_overlap})\nk: {settings.k}\n"
        f"generator: {s.generator}"
    )


@app.command()
def remove(
    doc_id: Annotated[str, typer.Argument(help="Document id (or a unique prefix).")],
) -> None:
    """Remove a document and all its chunks."""
    briefing = _briefing(_settings())
    n = briefing.remove(doc_id)
    if not n:
        raise BriefingError(f"No document with id {doc_id} in the index.")
    out.print(f"Removed {doc_id} ({n} chunks).")


def _stops_on_ctrl_c() -> None:
    """A server started from a background job inherits SIGINT ignored: it should still stop
    on Ctrl+C (or a supervisor's SIGINT) as it says it does."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


@app.command()
def web(
    ingest_corpus: Annotated[
        bool,
        typer.Option(
            "--ingest/--no-ingest",
            help="Index the corpus folder first (unchanged files skipped).",
        ),
    ] = True,
) -> None:
    """Start the web chat (http://127.0.0.1:7860 unless BRIEFING_HOST / BRIEFING_PORT say else)."""
    from ui.serve import serve

    _stops_on_ctrl_c()
    serve(_settings(), ingest=ingest_corpus, console=err)


@app.command()
def slack(
    socket: Annotated[
        bool, typer.Option("--socket", help="Socket Mode (needs SLACK_APP_TOKEN).")
    ] = False,
    host: Annotated[str | None, typer.Option(help="Bind address (default: settings).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: settings).")] = None,
) -> None:
    """Run the Slack bot: Events API at /slack/events, or Socket Mode with --socket."""
    from assistant.slack.server import run
    from assistant.sources.schedule import FeedUpdates

    _stops_on_ctrl_c()
    settings = _settings()
    # Feeds are updated beside the bot when BRIEFING_FEED_INTERVAL_MIN is set.
    with FeedUpdates(lambda: _briefing(settings), settings.feed_interval_min) as make:
        run(settings, make, socket=socket, host=host, port=port)


def main() -> None:
    """Console entry: one line instead of a traceback for anything the user can fix."""
    try:
        code = app(standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except BriefingError as e:
        err.print(f"[red]error:[/] {e}", highlight=False)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        err.print("interrupted")
        sys.exit(130)
    except Exception as e:  # click usage errors and the like
        import click

        if isinstance(e, click.ClickException):
            e.show()
            sys.exit(e.exit_code)
        raise
