"""A deterministic synthetic corpus: real sentences from corpus/ recombined into many articles.

Article i depends only on the seed and i, so the corpus of a smaller size is a prefix of a larger
one and every run builds the same files. Each article is Markdown with the header fields the
ingest step reads (title, publisher, date), so it goes through the same clean → chunk path as a
user's files.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from assistant.ingest.chunk import chunk_document
from assistant.ingest.clean import clean
from assistant.ingest.load import load_file
from assistant.models import Chunk, Document
from assistant.settings import Settings
from assistant.text import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus"
CACHE = Path(__file__).resolve().parent / ".cache"
SEED = 7
# Bump when the generator changes: cached files and vectors of another version are not reused.
VERSION = 1
FIRST_DAY = date(2022, 2, 24)
DAYS = (date(2025, 7, 31) - FIRST_DAY).days


@dataclass(frozen=True)
class Pool:
    sentences: list[str]
    titles: list[str]
    publishers: list[str]


def pool() -> Pool:
    """Sentences (5+ words), titles and publishers of the real corpus, in a stable order."""
    sentences: list[str] = []
    titles: list[str] = []
    publishers: set[str] = set()
    for f in sorted(SOURCE.iterdir()):
        doc = clean(load_file(f, 100_000_000))
        titles.append(doc.meta.title)
        if doc.meta.publisher:
            publishers.add(doc.meta.publisher)
        for para in doc.text.split("\n\n")[1:]:
            for s, e in sentence_spans(para):
                text = para[s:e]
                if len(text.split()) >= 5 and text not in sentences:
                    sentences.append(text)
    return Pool(sentences, titles, sorted(publishers))


def article(p: Pool, i: int) -> str:
    """Article i: a title, header fields and 6–10 paragraphs of 3–5 real sentences."""
    rng = random.Random(f"{SEED}-{i}")
    title = f"{rng.choice(p.titles)} ({i:06d})"
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    paras = [
        " ".join(rng.sample(p.sentences, rng.randint(3, 5))) for _ in range(rng.randint(6, 10))
    ]
    return (
        f"# {title}\n\nPublisher: {rng.choice(p.publishers)}\n"
        f"Date: {published.isoformat()}\n\n" + "\n\n".join(paras) + "\n"
    )


@dataclass
class Corpus:
    """Files of one size, and the documents and chunks the ingest step makes of them."""

    folder: Path
    files: list[Path]
    docs: list[tuple[Document, list[Chunk]]]

    @property
    def chunks(self) -> list[Chunk]:
        return [c for _, chunks in self.docs for c in chunks]


def build(size: int, settings: Settings | None = None) -> Corpus:
    """The smallest prefix of articles with at least `size` chunks, written under .cache/."""
    settings = settings or Settings()
    folder = CACHE / f"corpus-v{VERSION}-{size}"
    manifest = folder / "manifest.json"
    p = pool()
    if manifest.exists():
        n = json.loads(manifest.read_text())["articles"]
        files = [folder / f"article_{i:06d}.md" for i in range(n)]
        if all(f.exists() for f in files):
            return Corpus(folder, files, [_prepare(f, settings) for f in files])
    folder.mkdir(parents=True, exist_ok=True)
    files, docs, total = [], [], 0
    i = 0
    while total < size:
        f = folder / f"article_{i:06d}.md"
        f.write_text(article(p, i), encoding="utf-8")
        doc = _prepare(f, settings)
        files.append(f)
        docs.append(doc)
        total += len(doc[1])
        i += 1
    manifest.write_text(json.dumps({"articles": i, "chunks": total}))
    return Corpus(folder, files, docs)


def _prepare(f: Path, settings: Settings) -> tuple[Document, list[Chunk]]:
    doc = clean(load_file(f, 100_000_000))
    return doc, chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)


def questions() -> list[str]:
    """The eval questions: realistic analyst questions about the sentences the corpus is made of."""
    cases = ROOT / "evals" / "cases.jsonl"
    return [json.loads(line)["question"] for line in cases.read_text().splitlines() if line.strip()]
