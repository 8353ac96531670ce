"""Read one file into text: decode, refuse what is not an article, extract HTML and PDF text."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.errors import IngestError

SUPPORTED = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}


@dataclass(frozen=True)
class RawDocument:
    source: str
    kind: str  # text | markdown | html | pdf | docx
    text: str  # decoded text (for html: the markup)
    title: str | None = None  # from the file's own metadata (PDF info, DOCX core properties)
    author: str | None = None
    published: date | None = None


def kind_of(path: Path) -> str | None:
    return SUPPORTED.get(path.suffix.lower())


def decode(data: bytes, name: str) -> str:
    """Bytes to str: BOMs, UTF-8, then a detected legacy encoding; binary is refused."""
    if not data.strip():
        raise IngestError(name, "the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(name, "the text is not valid UTF-16") from e
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # Before UTF-8: ASCII saved as UTF-16 is valid UTF-8 too, with a NUL after every letter.
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise IngestError(name, "this looks like a binary file, not text")
    try:  # Western legacy text (Latin-1 / Windows-1252) is by far the most common case
        text = data.decode("cp1252")
        if not _looks_binary(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise IngestError(name, "the text cannot be decoded (unknown encoding)")
    return str(best)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: mostly-ASCII text has a zero in every other byte."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 8 or len(data) % 2:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    for encoding, zeros, other in (
        ("utf-16-le", zeros_odd, zeros_even),
        ("utf-16-be", zeros_even, zeros_odd),
    ):
        if zeros > 0.6 * half and other < 0.02 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def upload_name(name: str) -> str:
    """An upload's file name without any folder part, so '../../x.txt' is just 'x.txt'."""
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base if base.strip(".") else "upload"


# Control characters other than \t \n \f \r, and the replacement character.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    bad = len(_NOT_TEXT.findall(sample))
    return bad > max(8, len(sample) // 50)


def _unwrap(page: str) -> str:
    """PDF lines are hard-wrapped: rejoin them into paragraphs, keeping headings apart."""
    lines = [line.strip() for line in page.split("\n")]
    width = max((len(line) for line in lines), default=0)
    out: list[str] = []
    prev = ""
    for line in lines:
        if not line:
            continue
        ends = prev.endswith((".", "!", "?", ":", "”", '"'))
        short = len(prev) < 0.8 * width
        heading = not line.endswith((".", "!", "?")) and len(line) < 0.7 * width
        field = bool(re.match(r"^[A-Z][a-z]+:\s", line))
        if out and not (ends and short) and not (short and not ends) and not field and not heading:
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        prev = line
    return "\n\n".join(out)


def pdf_text(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as e:
        raise IngestError(name, f"the PDF cannot be read ({type(e).__name__})") from e
    except Exception as e:  # pypdf raises many private error types on broken files
        raise IngestError(name, f"the PDF cannot be read ({type(e).__name__})") from e
    text = "\n\n".join(_unwrap(p) for p in pages if p.strip())
    if not text.strip():
        raise IngestError(name, "the PDF has no extractable text (scanned images?)")
    return text


def pdf_info(data: bytes) -> tuple[str | None, str | None]:
    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(data)).metadata or {}
    except Exception:
        return None, None
    title, author = info.get("/Title"), info.get("/Author")
    return (str(title).strip() or None) if title else None, (
        str(author).strip() or None
    ) if author else None


def load_bytes(data: bytes, name: str, max_bytes: int) -> RawDocument:
    """Load an upload or a file's bytes; `name` decides the format and names errors."""
    kind = kind_of(Path(name))
    if kind is None:
        raise IngestError(
            name,
            f"unsupported file type '{Path(name).suffix or 'none'}' "
            f"(use {', '.join(sorted(SUPPORTED))})",
        )
    if len(data) > max_bytes:
        raise IngestError(
            name, f"the file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit"
        )
    if kind == "docx":
        from assistant.ingest.word import docx_text

        word = docx_text(data, name, max_bytes)
        return RawDocument(
            name, kind, word.text, title=word.title, author=word.author, published=word.published
        )
    if kind == "pdf":
        if not data.startswith(b"%PDF"):
            raise IngestError(name, "this is not a PDF file (no %PDF header)")
        title, author = pdf_info(data)
        return RawDocument(name, kind, pdf_text(data, name), title=title, author=author)
    text = decode(data, name)
    if _looks_binary(text):
        raise IngestError(name, "this looks like a binary file, not text")
    return RawDocument(name, kind, text)


def load_file(path: Path, max_bytes: int, name: str | None = None) -> RawDocument:
    """Read a file; `name` (default: the path) is how it is shown and stored as the source."""
    name = str(path) if name is None else name
    if not path.exists():
        raise IngestError(name, "no such file or folder")
    if kind_of(path) is None:
        return load_bytes(b"", name, max_bytes)  # raises the unsupported-type error
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            name, f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:g} MB limit"
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(name, f"cannot read the file ({e.strerror})") from e
    return load_bytes(data, name, max_bytes)
