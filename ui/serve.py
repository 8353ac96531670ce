"""`briefing web`: index the corpus folder (unchanged files are skipped), then serve the chat."""

from __future__ import annotations

import contextlib
import importlib
import threading
import time
from pathlib import Path

from rich.console import Console

from assistant.errors import BriefingError
from assistant.ingest import IngestReport
from assistant.pipeline import Briefing
from assistant.progress import progress_bar
from assistant.settings import Settings


def ingest_corpus(briefing: Briefing, folder: Path, console: Console) -> IngestReport:
    """Index `folder` with a progress bar: one step per file, and a last one for embedding."""
    with progress_bar(console) as bar:
        task = bar.add_task(f"Indexing {folder}", total=None)

        def progress(name: str, done: int, total: int) -> None:
            what = "embedding and writing" if done == total else Path(name).name[:40]
            bar.update(
                task, completed=done, total=total + 1, description=f"Indexing {folder}: {what}"
            )

        report = briefing.ingest([folder], progress)
    for e in report.failed:
        console.print(f"[red]skipped[/] {e.path}: {e.reason}", highlight=False)
    console.print(f"{folder}: {report.summary()}", highlight=False)
    return report


def _warm_up(briefing: Briefing) -> None:
    """Load the embedding model now, not on the first question."""
    with contextlib.suppress(Exception):  # the first question reports any problem properly
        briefing.warm_up()


def serve(settings: Settings, ingest: bool = True, console: Console | None = None) -> None:
    """Blocks until Ctrl+C."""
    console = console or Console(stderr=True)
    t0 = time.perf_counter()
    # Gradio takes seconds to import: it loads while the corpus is checked.
    loading = threading.Thread(target=importlib.import_module, args=("ui.app",), daemon=True)
    loading.start()
    briefing = Briefing(settings)
    if ingest and settings.corpus_dir.is_dir():
        ingest_corpus(briefing, settings.corpus_dir, console)
    elif ingest:
        console.print(f"No folder {settings.corpus_dir}: starting with the index as it is.")
    loading.join()
    from ui.app import build_app, launch

    demo = build_app(briefing, settings)
    url = f"http://{settings.host}:{settings.port}"
    try:
        launch(demo, settings, block=False)
    except OSError as e:
        why = "the port is in use" if "empty port" in str(e) else str(e)
        raise BriefingError(
            f"Cannot serve on {settings.host}:{settings.port} ({why}); "
            "set BRIEFING_PORT to a free port."
        ) from e
    # The page is up first; the model loads while the first question is being typed.
    threading.Thread(target=_warm_up, args=(briefing,), daemon=True).start()
    login = " (login required)" if settings.auth else ""
    console.print(
        f"Web chat ready at {url}{login} after {time.perf_counter() - t0:.1f} s. Ctrl+C stops it.",
        highlight=False,
    )
    try:
        demo.block_thread()
    finally:
        demo.close()
