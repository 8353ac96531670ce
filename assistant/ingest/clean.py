"""Turn raw page text, Markdown, HTML or PDF text into article text plus metadata."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlparse

from assistant.errors import IngestError
from assistant.ingest.load import RawDocument
from assistant.models import DocMeta, Document
from assistant.text import normalize

# Page furniture: whole short lines that are navigation, sharing or comment widgets.
_FURNITURE = re.compile(
    r"^(share( now| this( article)?)?:?|category:.*|tags?:.*|highlighted articles|related articles"
    r"|read more|subscribe|notify of|\d+\s+comments?|oldest|newest|newest most voted|most voted"
    r"|inline feedbacks|view all comments|stay connected|leave a (reply|comment)"
    r"|please enable javascript.*|advertisement|sign up|log ?in|follow us.*|print|email"
    r"|accept( all)? cookies.*|we use cookies.*|skip to (main )?content|menu|search)$",
    re.IGNORECASE,
)
# After one of these the rest of the page is widgets; long paragraphs after it are still kept.
_TAIL = re.compile(
    r"^(highlighted articles|related articles|notify of|\d+\s+comments?|leave a (reply|comment))$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^home\s*([-›>»/|]\s*\S.*)$", re.IGNORECASE)
_FIELD = re.compile(
    r"^\s*(title|date|published|dated|publisher|source|by|author|url|link)\s*:\s*(.+?)\s*$",
    re.IGNORECASE,
)
_POSTED = re.compile(r"^posted\b.*?\bby\s+(\S.*?)\s*$", re.IGNORECASE)
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATEISH = re.compile(
    rf"(\b\d{{4}}-\d{{2}}-\d{{2}}\b)|(\b{_MONTH}\b.*\b(19|20)\d{{2}}\b)", re.IGNORECASE
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")


@dataclass
class _Meta:
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    url: str | None = None


def parse_date(text: str) -> date | None:
    """A calendar date from a line like '17:11 GMT - Tuesday, 11 March, 2025' or '2025-03-11'."""
    from dateutil import parser

    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    if not _DATEISH.search(text):
        return None
    cleaned = re.sub(
        r"\b\d{1,2}:\d{2}(:\d{2})?\s*([ap]\.?m\.?)?\s*(gmt|utc|[a-z]{2,4}t)?\b",
        " ",
        text,
        flags=re.IGNORECASE,
    )
    try:
        return parser.parse(cleaned, fuzzy=True, default=datetime(2000, 1, 1)).date()
    except (ValueError, OverflowError):
        return None


def _strip_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPH.sub(r"\2", line)


def _mostly_date(text: str) -> bool:
    """'Tuesday, 11 March, 2025' is a date; '1 March: the talks in Jeddah ended…' is prose."""
    return len(re.sub(r"[\W\d_]", "", text)) < 40 and len(text.split()) <= 8


def _is_field(key: str, value: str) -> bool:
    """A 'Key: value' line is a header only when the value is a value, not a sentence of the
    article that happens to start with 'Date:' or 'Source:'."""
    if key in {"date", "published", "dated"}:
        return _mostly_date(value) and parse_date(value) is not None
    if key in {"url", "link"}:
        return " " not in value
    if key == "title":
        return True
    return value.startswith("http") or len(value.split()) <= 8  # publisher, source, by, author


def _header_fields(lines: list[str], meta: _Meta) -> list[str]:
    """Take metadata lines out of the text and into `meta`; return the remaining lines."""
    kept: list[str] = []
    body_started = False
    for raw in lines:
        line = raw.strip()
        field = _FIELD.match(line) if len(line) < 200 else None
        if field and not _is_field(field[1].lower(), field[2]):
            field = None
        posted = _POSTED.match(line) if len(line) < 120 else None
        if field and not body_started:
            key, value = field[1].lower(), field[2]
            if key == "title" and not meta.title:
                meta.title = value
                continue
            if key in {"date", "published", "dated"}:
                meta.published = meta.published or parse_date(value)
                continue
            if key in {"publisher", "source", "by", "author"}:
                if value.startswith("http"):
                    meta.url = meta.url or value
                else:
                    meta.publisher = meta.publisher or value
                continue
            if key in {"url", "link"}:
                meta.url = meta.url or value
                continue
        if posted:
            meta.publisher = meta.publisher or posted[1]
            continue
        if len(line) < 80 and not body_started and not line.endswith((".", "!", "?")):
            when = parse_date(line)
            if when and _mostly_date(line) and (meta.published in (None, when)):
                meta.published = when  # a dateline, not article text
                continue
        if len(line) > 200:
            body_started = True
        kept.append(raw)
    return kept


def _drop_furniture(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_tail = False
    for raw in lines:
        line = raw.strip()
        if _TAIL.match(line) and kept:
            in_tail = True
        if line and len(line) < 300 and (_FURNITURE.match(line) or _BREADCRUMB.match(line)):
            continue
        if in_tail and len(line) < 100:
            continue
        kept.append(line)
    return kept


def _is_heading(lines: list[str], i: int) -> bool:
    """A short unpunctuated line that starts a block and is not the first line of wrapped text."""
    line = lines[i].strip()
    if not line or len(line) >= 100 or line[-1] in '.!?:;,"”’)':
        return False
    if i > 0 and lines[i - 1].strip():
        return False
    nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
    return not nxt or len(nxt) > 1.5 * len(line)


def _paragraphs(lines: list[str], one_per_line: bool) -> list[str]:
    """Blank-line separated paragraphs; headings stand alone; HTML blocks are one per line."""
    paras: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paras.append(" ".join(current))
            current.clear()

    for i, line in enumerate([*lines, ""]):
        if not line.strip():
            flush()
        elif one_per_line or _is_heading(lines, i):
            flush()
            paras.append(line.strip())
        else:
            current.append(line.strip())
    return paras


def _from_html(raw: RawDocument, meta: _Meta) -> str:
    import trafilatura

    result = trafilatura.bare_extraction(
        raw.text,
        url=raw.source if raw.source.startswith("http") else None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
    )
    text = ""
    if result is not None:
        text = result.text or ""
        meta.title = meta.title or result.title
        if result.date:
            meta.published = parse_date(result.date)
        meta.publisher = meta.publisher or result.sitename or result.author
        meta.url = meta.url or result.url
    if not text.strip():
        text = trafilatura.html2txt(raw.text) or ""
    return text


def clean(raw: RawDocument) -> Document:
    """Article text without page furniture, with title, date, publisher and source."""
    meta = _Meta(title=raw.title, publisher=raw.author)
    text = normalize(_from_html(raw, meta) if raw.kind == "html" else raw.text)
    lines = text.split("\n")
    if raw.kind == "markdown":
        for line in lines:
            if line.startswith("# ") and not meta.title:
                meta.title = line[2:].strip()
        lines = [
            part
            for line in lines
            for part in (
                ["", _strip_markdown(line), ""]
                if _MD_HEADING.match(line)
                else [_strip_markdown(line)]
            )
        ]
    lines = _drop_furniture(_header_fields(lines, meta))
    meta.published = meta.published or raw.published  # a date in the text beats file metadata
    paras = _paragraphs(lines, one_per_line=raw.kind == "html")
    if meta.title:
        title_words = meta.title.split()
        paras = [p for p in paras if p != meta.title.strip()]
        seen: list[str] = []  # the title again at the top, possibly wrapped over lines
        while (
            paras
            and paras[0].split()
            and title_words[: len(seen) + len(paras[0].split())] == seen + paras[0].split()
        ):
            seen += paras.pop(0).split()
        if paras and paras[0].split()[: len(title_words)] == title_words:
            paras[0] = " ".join(paras[0].split()[len(title_words) :])  # title run into the text
            paras = [p for p in paras if p]
    elif paras and len(paras[0]) < 200 and any(len(p.split()) >= 5 for p in paras[1:]):
        meta.title = paras.pop(0)  # a short first paragraph is the title, unless it is the text
    title = (meta.title or raw.source.rsplit("/", 1)[-1]).strip()
    if not any(len(p.split()) >= 5 for p in paras):
        raise IngestError(raw.source, "no article text found after cleaning")
    body = "\n\n".join([title, *paras])
    if raw.source.startswith("http"):
        meta.url = meta.url or raw.source
    publisher = meta.publisher or (urlparse(meta.url).hostname or "" if meta.url else "")
    doc_id = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    return Document(
        meta=DocMeta(
            doc_id=doc_id,
            title=title,
            published=meta.published,
            publisher=publisher.strip(),
            source=raw.source,
            url=meta.url,
        ),
        text=body,
    )
