"""Turn raw page text, Markdown, HTML or PDF text into article text plus metadata."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

from assistant.errors import IngestError
from assistant.ingest.load import RawDocument
from assistant.ingest.meta import FIELDS, Meta, parse_date, read_head
from assistant.models import DocMeta, Document
from assistant.text import normalize

# Page furniture: whole short lines that are navigation, sharing or comment widgets.
_FURNITURE = re.compile(
    r"^(share( now| this( article)?)?:?|category:.*|tags?:.*|highlighted articles|related articles"
    r"|read more|subscribe|notify of|\d+\s+comments?|oldest|newest|newest most voted|most voted"
    r"|inline feedbacks|view all comments|stay connected|leave a (reply|comment)"
    r"|please enable javascript.*|advertisement|sign up|log ?in|follow us.*|print|email"
    r"|accept( all)? cookies.*|we use cookies.*|skip to (main )?content|menu|search"
    r"|facebook|twitter|x|linkedin|telegram|whatsapp|reddit|copy link"
    r"|(read also|read more|see also|related|more on this|sponsored)\s*:.*|([-*_]\s*){3,}"
    r"|reply( \| like( \(\d+\))?)?"
    r"|(©|\(c\)\s*(19|20)\d{2}|copyright\s*(©|\(c\))?\s*(19|20)\d{2}).*|.{0,80}©\s*(19|20)\d{2}\b.*)$",
    re.IGNORECASE,
)
# After one of these the rest of the page is widgets; long paragraphs after it are still kept.
_TAIL = re.compile(
    r"^(highlighted articles|related articles|notify of|\d+\s+comments?|comments?\s*\(\d+\)"
    r"|leave a (reply|comment))$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^home\s*([-›>»/|]\s*\S.*)$", re.IGNORECASE)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")


def _strip_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPH.sub(r"\2", line)


# A site's list of its most-read pieces: "MOST READ" and the numbered headlines under it.
_MOST_READ = re.compile(r"^(most (read|popular|viewed)|trending( now)?|popular( now)?)$", re.I)
_LISTED = re.compile(r"^\d{1,2}[.)]\s+\S.{0,120}$")


def _drop_furniture(lines: list[str]) -> list[str]:
    kept: list[str] = []
    in_tail = in_list = False
    for raw in lines:
        line = raw.strip()
        if _TAIL.match(line) and kept:
            in_tail = True
        bare = line.strip("*_ ")
        in_list = bool(_MOST_READ.match(bare)) or (in_list and (not line or _LISTED.match(line)))
        if in_list:
            continue
        if line and len(line) < 300 and (_FURNITURE.match(line) or _FURNITURE.match(bare)):
            continue
        if line and len(line) < 300 and _BREADCRUMB.match(line):
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


def _one_per_line(raw: RawDocument, lines: list[str]) -> bool:
    """Text copied from a web page: paragraphs are long lines with no blank line between
    them, and a line break ends a paragraph (hard-wrapped text has short lines)."""
    if raw.kind != "text":
        return False
    full = [line for line in lines if line.strip()]
    long = sum(len(line) > 200 for line in full)
    return long >= 2 and (len(lines) - len(full)) * 4 < len(full)


def _from_html(raw: RawDocument, meta: Meta) -> str:
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
        meta.publisher = meta.publisher or result.sitename
        if result.author:
            meta.authors.append(result.author)
        meta.url = meta.url or result.url
    if not text.strip():
        text = trafilatura.html2txt(raw.text) or ""
    return text


# YAML front matter keys, by what they hold.
_FRONT = {
    **FIELDS,
    **dict.fromkeys(["date_published", "published_at"], "published"),
    **dict.fromkeys(["date_modified", "lastmod"], "updated"),
    **dict.fromkeys(["site", "site_name", "sitename"], "publisher"),
    "authors": "author",
    "canonical": "url",
}


def _front_matter(lines: list[str], meta: Meta) -> list[str]:
    """A YAML block ('---', 'title: …', 'publisher: …', '---') at the top of a Markdown file:
    metadata, not text."""
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None or lines[start].strip() != "---":
        return lines
    end = next((i for i in range(start + 1, min(len(lines), start + 40)) if lines[i] == "---"), 0)
    block = lines[start + 1 : end]
    pairs = [re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$", x) for x in block]
    if not end or not all(p or not x.strip() for p, x in zip(pairs, block, strict=True)):
        return lines
    for p in filter(None, pairs):
        what, value = _FRONT.get(p[1].lower()), p[2].strip().strip("\"'").strip()
        if what and value:
            meta.take(what, value)
    return lines[end + 1 :]


def _markdown(lines: list[str], meta: Meta) -> tuple[list[str], frozenset[str], list[str]]:
    """Markdown without its markup; the bold phrases near the top; the level-1 headings."""
    lines = _front_matter(lines, meta)
    bold = frozenset(m[2].strip() for line in lines[:60] for m in _MD_EMPH.finditer(line))
    headings = [line[2:].strip() for line in lines if line.startswith("# ")]
    meta.title = meta.title or (headings[0] if headings else None)
    lines = [
        part
        for line in lines
        for part in (
            ["", _strip_markdown(line), ""] if _MD_HEADING.match(line) else [_strip_markdown(line)]
        )
    ]
    return lines, bold, headings


def _headline(title: str, paras: list[str], publisher: str) -> str:
    """The headline without the site's name around it ('Headline | Outlet'), and not the site's
    name itself when a headline follows it."""
    name = publisher.casefold()
    first = paras[0] if paras else ""
    if name and title.casefold() == name and 0 < len(first) < 200 and first[-1] not in ".!?":
        return paras.pop(0)
    for sep in (" | ", " - ", " – ", " — ", " · "):
        if name and title.casefold().endswith((sep + publisher).casefold()):
            rest = title[: -len(sep + publisher)].strip()
            if len(rest.split()) >= 2:
                return rest
        if name and title.casefold().startswith((publisher + sep).casefold()):
            rest = title[len(publisher + sep) :].strip()
            if len(rest.split()) >= 2:
                return rest
    return title


def clean(raw: RawDocument) -> Document:
    """Article text without page furniture, with title, date, publisher and source."""
    meta = Meta(title=raw.title, authors=[raw.author] if raw.author else [])
    text = normalize(_from_html(raw, meta) if raw.kind == "html" else raw.text)
    lines = text.split("\n")
    bold: frozenset[str] = frozenset()
    headings: list[str] = []
    if raw.kind == "markdown":
        lines, bold, headings = _markdown(lines, meta)
    # HTML has its metadata from the markup; its text is read for header fields only.
    lines = _drop_furniture(read_head(lines, meta, bold, page=raw.kind != "html"))
    if meta.title and meta.is_outlet(meta.title, strong=0.5):  # '# Outlet' above '# Headline'
        meta.title = next((h for h in headings if not meta.is_outlet(h, strong=0.5)), None)
    published = meta.published or meta.updated or raw.published  # the text beats file metadata
    paras = _paragraphs(lines, one_per_line=raw.kind == "html" or _one_per_line(raw, lines))
    if meta.title and raw.kind == "html" and paras and paras[0] != meta.title:
        first = paras[0]  # the page's headline, of which the meta title is the start
        if first.startswith(meta.title) and len(first) < 200 and first[-1] not in ".!?":
            meta.title = paras.pop(0)
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
    if raw.source.startswith("http"):
        meta.url = meta.url or raw.source
    host = (urlparse(meta.url).hostname or "") if meta.url else ""
    publisher = meta.resolved_publisher(host).strip()
    title = _headline((meta.title or raw.source.rsplit("/", 1)[-1]).strip(), paras, publisher)
    if not any(len(p.split()) >= 5 for p in paras):
        raise IngestError(raw.source, "no article text found after cleaning")
    body = "\n\n".join([title, *paras])
    doc_id = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
    return Document(
        meta=DocMeta(
            doc_id=doc_id,
            title=title,
            published=published,
            publisher=publisher,
            source=raw.source,
            url=meta.url,
        ),
        text=body,
    )
