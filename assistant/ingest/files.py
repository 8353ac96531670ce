"""Which files a list of paths stands for: folders walked once, symlinks kept inside the folder
given, every file name made safe to show and to store."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import IngestError
from assistant.ingest.load import kind_of


def display_name(path: str | os.PathLike[str] | bytes) -> str:
    """A file name fit for one line of output and for the index.

    Bytes that are not UTF-8 (a Latin-1 `caf\\xe9.txt`) arrive from the OS as lone surrogates,
    which Chroma cannot store and terminals cannot print; they become `\\xe9`. Newlines and other
    invisible characters become escapes too, so an error line stays one line."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a lone surrogate the OS never gave us (a str built in Python)
        raw = os.fspath(path).encode("utf-8", "surrogatepass")  # type: ignore[union-attr]
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


@dataclass
class Found:
    """What the given paths hold: files to read, paths that failed, files passed over."""

    files: list[tuple[Path, str]] = field(default_factory=list)  # (path to open, name to show)
    failed: list[IngestError] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)  # shown names, in folders only


def unsupported_note(names: list[str]) -> str | None:
    """One line for the files of types we do not read, counted by extension."""
    if not names:
        return None
    kinds = Counter(Path(n).suffix.lower() or "no extension" for n in names)
    listed = ", ".join(f"{n} {ext}" for ext, n in sorted(kinds.items()))
    noun = "file" if len(names) == 1 else "files"
    return f"{len(names)} {noun} of unsupported type not read ({listed})"


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def _resolve(path: Path) -> Path | None:
    """The real path, or None for a symlink loop."""
    try:
        return path.resolve(strict=False)
    except (RuntimeError, OSError):  # RuntimeError: "Symlink loop" on Python 3.11
        return None


class _Walk:
    def __init__(self) -> None:
        self.found = Found()
        self.seen: set[Path] = set()  # real paths already taken: a folder given twice is read once

    def take(self, path: Path, real: Path) -> None:
        if real not in self.seen:
            self.seen.add(real)
            self.found.files.append((path, display_name(path)))

    def fail(self, path: Path, reason: str) -> None:
        name = display_name(path)
        if not any(e.path == name and e.reason == reason for e in self.found.failed):
            self.found.failed.append(IngestError(name, reason))

    def given(self, p: Path) -> None:
        """A path the user named: followed wherever it points."""
        real = _resolve(p)
        if real is None:
            self.fail(p, "a symlink loop; not followed")
        elif p.is_dir():
            self.folder(p, real)
        elif p.is_file():
            self.take(p, real)
        elif p.is_symlink():
            self.fail(p, "a broken symlink (its target does not exist)")
        elif p.exists():
            self.fail(p, "not a regular file or folder")
        else:
            self.fail(p, "no such file or folder")

    def folder(self, top: Path, real_top: Path) -> None:
        """Files under `top`, sorted; symlinks only when they stay inside it. Symlinked folders
        are not entered: inside the folder their files are reached by their real path anyway,
        and outside it they are reported, so a loop can never be walked."""
        if real_top in self.seen:
            return
        self.seen.add(real_top)
        shown_top = display_name(top)

        def unreadable(e: OSError) -> None:
            self.fail(Path(e.filename or top), f"cannot read the folder ({e.strerror})")

        regular: list[Path] = []
        links: list[Path] = []
        for here, dirs, names in os.walk(top, onerror=unreadable, followlinks=False):
            base = Path(here)
            for d in sorted(dirs):
                sub = base / d
                if _hidden(sub.relative_to(top)):
                    dirs.remove(d)
                elif sub.is_symlink():
                    self.link(sub, real_top, shown_top, folder=True)
            for n in names:
                f = base / n
                if _hidden(f.relative_to(top)):
                    continue
                if f.is_symlink():
                    links.append(f)
                elif kind_of(f) is None:
                    self.found.unsupported.append(display_name(f))
                elif f.is_file():  # not a FIFO or socket, which would block the read
                    regular.append(f)
        for f in sorted(regular):
            self.take(f, f.resolve())
        for f in sorted(links):  # after the real files, so those keep their own names
            self.link(f, real_top, shown_top, folder=False)
        self.found.unsupported.sort()

    def link(self, f: Path, real_top: Path, shown_top: str, folder: bool) -> None:
        real = _resolve(f)
        if real is None:
            self.fail(f, "a symlink loop; not followed")
        elif not real.is_relative_to(real_top):
            what = "folder" if folder else "file"
            self.fail(f, f"a symlink to a {what} outside {shown_top}; not followed")
        elif folder:
            pass  # inside the folder: walked under its real name
        elif not real.exists():
            self.fail(f, "a broken symlink (its target does not exist)")
        elif kind_of(f) is None:
            self.found.unsupported.append(display_name(f))
        elif real.is_file():
            self.take(f, real)


def expand(paths: list[Path]) -> Found:
    """The files the given files and folders stand for, each once; folders contribute their
    supported files, and name the others in `unsupported`."""
    walk = _Walk()
    for p in paths:
        walk.given(Path(p))
    return walk.found
