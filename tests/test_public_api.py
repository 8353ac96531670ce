"""`assistant` hands out a small public face, and `Briefing` is all a surface needs."""

from __future__ import annotations

import json
import subprocess
import sys

import assistant
from assistant.bm25 import KeywordIndex


def test_all_is_honest() -> None:
    """Every name in `__all__` can be imported, and names its own object (not a module)."""
    assert sorted(assistant.__all__) == sorted(set(assistant.__all__))
    for name in assistant.__all__:
        value = getattr(assistant, name)
        assert getattr(value, "__name__", name) == name
    assert set(dir(assistant)) >= set(assistant.__all__)


def test_import_assistant_loads_nothing_heavy() -> None:
    """`import assistant` must stay cheap: the CLI's --help and `import assistant.models`
    should not pay for Chroma, LangChain or the pipeline."""
    code = (
        "import json, sys, assistant; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('assistant', 'chromadb', 'langchain_core', 'pydantic', 'numpy'))))"
    )
    loaded = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
    )
    assert loaded == ["assistant"]


def test_filters_keeps_its_old_import_path() -> None:
    from assistant.index import Filters as old
    from assistant.models import Filters

    assert old is Filters is assistant.Filters


def test_briefing_ingests_lists_removes_and_counts(fake_briefing, articles) -> None:
    report = fake_briefing.ingest([articles])
    assert report.ok and report.added
    docs = fake_briefing.documents()
    stats = fake_briefing.stats()
    assert (stats.documents, stats.chunks) == (len(docs), sum(d.chunks for d in docs))
    assert stats.collection == fake_briefing.settings.collection
    assert stats.generator == fake_briefing.generator.name
    assert fake_briefing.warm_up() == stats.chunks

    grain = next(d for d in docs if "grain" in d.meta.title.lower())
    text = fake_briefing.document_text(grain.meta.doc_id)
    assert any(
        p.text in text for p in fake_briefing.index.passages([f"{grain.meta.doc_id}:0"]).values()
    )

    assert fake_briefing.remove(grain.meta.doc_id[:8]) == grain.chunks
    assert fake_briefing.remove(grain.meta.doc_id) == 0  # already gone
    assert grain.meta.doc_id not in {d.meta.doc_id for d in fake_briefing.documents()}
    # The side index is in step already, in memory and on disk (for another process):
    # no caller has to refresh it.
    index = fake_briefing.index
    generation = index.generation()
    saved = KeywordIndex.load(fake_briefing.settings.bm25_dir / fake_briefing.settings.collection)
    assert saved is not None and saved.generation == generation
    assert set(saved.ids) == set(index.collection.get(include=[])["ids"])


def test_briefing_ingests_uploads(fake_briefing) -> None:
    body = (
        "Talks in Jeddah\n\nThe US delegation met Ukrainian officials in Jeddah on 11 March "
        "2025 to discuss a ceasefire proposal. "
    ) * 3
    [doc] = fake_briefing.ingest_bytes([("talks.txt", body.encode())]).added
    assert [d.meta.doc_id for d in fake_briefing.documents()] == [doc.meta.doc_id]
