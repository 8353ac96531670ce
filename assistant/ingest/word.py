"""Word (.docx) files: paragraphs, headings and tables as text, core properties as metadata."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from assistant.errors import IngestError

# What python-docx's own template carries: not facts about the article.
_TEMPLATE_AUTHORS = {"python-docx", "un-named", "unknown"}
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15)
_GENERIC_TITLES = {"word document", "document", "untitled"}
# A .docx is a zip: a few MB can unpack to gigabytes. Refuse what unpacks past this many times
# the file size limit before parsing any XML.
_UNPACK_FACTOR = 10


@dataclass(frozen=True)
class DocxText:
    text: str
    title: str | None
    author: str | None
    published: date | None


def _check_zip(data: bytes, name: str, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise IngestError(name, f"the Word file cannot be read ({type(e).__name__})") from e
    if "word/document.xml" not in names:
        raise IngestError(name, "this is not a Word .docx file (no word/document.xml)")
    if unpacked > _UNPACK_FACTOR * max_bytes:
        raise IngestError(
            name, f"the Word file unpacks to {unpacked / 1e6:.0f} MB, over the size limit"
        )


def _blocks(document) -> list[str]:
    """Body paragraphs and table rows in document order, one block each."""
    from docx.table import Table

    out: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:  # a merged cell is repeated once per grid column
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):
                        cells.append(text)
                if cells:
                    out.append(" | ".join(cells))
        else:
            text = " ".join(item.text.split())  # manual line breaks inside a paragraph: spaces
            if text:
                out.append(text)
    return out


def _title_from_styles(document) -> str | None:
    for p in document.paragraphs:
        style = (p.style.name if p.style is not None else "") or ""
        if style in {"Title", "Heading 1"} and p.text.strip():
            return " ".join(p.text.split())
    return None


def docx_text(data: bytes, name: str, max_bytes: int) -> DocxText:
    """The text and metadata of a .docx; a corrupt file is one IngestError naming it."""
    _check_zip(data, name, max_bytes)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
        props = document.core_properties
        title = (props.title or "").strip()
        if title.lower() in _GENERIC_TITLES or title.lower().startswith("microsoft word - "):
            title = ""
        if not title:
            title = _title_from_styles(document) or ""
        author = (props.author or "").strip()
        created = props.created
    except IngestError:
        raise
    except Exception as e:  # python-docx and lxml raise many types on broken parts
        raise IngestError(name, f"the Word file cannot be read ({type(e).__name__})") from e
    if not blocks:
        raise IngestError(name, "the Word file has no text")
    published = None
    if created is not None and created.replace(tzinfo=None) != _TEMPLATE_CREATED:
        published = created.date()
    return DocxText(
        text="\n\n".join(blocks),
        title=title or None,
        author=author if author and author.lower() not in _TEMPLATE_AUTHORS else None,
        published=published,
    )
