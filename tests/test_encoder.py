"""The ONNX Runtime route gives today's vectors (sentence-transformers on torch), is exported once
into the cache, and falls back to torch when it cannot be had."""

from __future__ import annotations

import numpy as np
import pytest

import assistant.embeddings as embeddings
import assistant.onnx_encoder as onnx_encoder
from assistant.embeddings import MiniLMEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import CORPUS


def _sample() -> list[str]:
    paragraphs = []
    for f in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
        paragraphs += [p.strip() for p in f.read_text().split("\n\n") if len(p.split()) >= 12]
    questions = ["Who led the US delegation in Saudi Arabia?", "ceasefire", "Was ist das?"]
    long_text = " ".join(paragraphs[:6])  # past the 256 word pieces the model reads
    return questions + paragraphs[:40] + [long_text, "", "a"]


@pytest.mark.integration
def test_onnx_vectors_match_torch(tmp_path):
    texts = _sample()
    onnx = MiniLMEmbeddings(cache_dir=tmp_path)
    assert onnx.active_runtime == "onnx"
    torch = MiniLMEmbeddings(runtime="torch")
    for batch in (texts, texts[:1], texts[3:9]):
        a, b = onnx.encode(batch), torch.encode(batch)
        assert a.dtype == np.float32 and a.shape == b.shape == (len(batch), 384)
        cosine = np.sum(a * b, axis=1)
        assert cosine.min() >= 0.999, cosine.min()
        np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, rtol=1e-5)
    # Exported once: a second encoder on the same cache reuses the graph.
    graphs = list(tmp_path.glob("*.onnx"))
    assert len(graphs) == 1
    stamp = graphs[0].stat().st_mtime_ns
    again = MiniLMEmbeddings(cache_dir=tmp_path)
    again.encode(texts[:2])
    assert graphs[0].stat().st_mtime_ns == stamp
    assert list(tmp_path.iterdir()) == graphs  # no temporary files left


def test_falls_back_to_torch_when_onnx_cannot_be_had(monkeypatch, tmp_path, caplog):
    def broken(_cache):
        raise ImportError("No module named 'onnxruntime'")

    class Stand(embeddings.TorchMiniLM):
        def __init__(self) -> None:  # no model: only which route was taken matters here
            pass

    monkeypatch.setattr(onnx_encoder, "load", broken)
    monkeypatch.setattr(embeddings, "TorchMiniLM", Stand)
    chosen = MiniLMEmbeddings(cache_dir=tmp_path)._open()
    assert isinstance(chosen, Stand)
    assert "using torch" in caplog.text
    assert isinstance(MiniLMEmbeddings(runtime="torch")._open(), Stand)


def test_the_setting_chooses_the_runtime_and_its_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_ENCODER", "torch")
    settings = Settings(data_dir=tmp_path / "d")
    model = Briefing(settings).index.embeddings
    assert model.runtime == "torch" and model.cache_dir == tmp_path / "d" / "models"
    monkeypatch.delenv("BRIEFING_ENCODER")
    assert Briefing(Settings(data_dir=tmp_path / "e")).index.embeddings.runtime == "onnx"
    with pytest.raises(ValueError):
        MiniLMEmbeddings(runtime="tensorflow")
