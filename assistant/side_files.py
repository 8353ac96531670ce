"""The side index's folder: reading its manifest, and removing what no manifest refers to."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

MANIFEST = "manifest.json"
# Unreferenced segment folders younger than this may belong to a writer still at work.
STALE_S = 60.0


def read_manifest(folder: Path, format_: int) -> dict | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != format_:
        return None
    return manifest


def collect(folder: Path, referenced: set[str]) -> None:
    """Remove segment folders and temporary files no manifest refers to (left by merges or by a
    crash), once they are old enough not to be another writer's work in progress."""
    now = time.time()
    for entry in folder.iterdir():
        if entry.name == MANIFEST or entry.name in referenced:
            continue
        try:
            if now - entry.stat().st_mtime < STALE_S and not _ours(entry.name):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink()
        except OSError:
            continue


def _ours(name: str) -> bool:
    """A temporary file or folder of this process: left by an earlier failed save."""
    return f".tmp-{os.getpid()}-" in name
