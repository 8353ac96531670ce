"""`BRIEFING_INGEST_PRECISION`: bf16 for what is indexed where the CPU has it, fp32 questions."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from assistant import bf16_encoder
from assistant.embeddings import HashingEmbeddings, MiniLMEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import CORPUS, copy_articles

needs_bf16 = pytest.mark.skipif(not bf16_encoder.cpu_has_bf16(), reason="no native bf16 here")


def _texts() -> list[str]:
    paragraphs = []
    for f in sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.md")):
        paragraphs += [p.strip() for p in f.read_text().split("\n\n") if len(p.split()) >= 40]
    return paragraphs[:24] + ["ceasefire", " ".join(paragraphs[:6])]  # one past 256 pieces


def test_the_setting_selects_the_ingest_precision(tmp_path, monkeypatch):
    assert Settings(data_dir=tmp_path / "a").ingest_precision == "fp32"
    model = Briefing(Settings(data_dir=tmp_path / "a")).index.embeddings
    assert model.ingest_precision == "fp32"
    monkeypatch.setenv("BRIEFING_INGEST_PRECISION", "bf16")
    model = Briefing(Settings(data_dir=tmp_path / "b")).index.embeddings
    assert model.ingest_precision == "bf16" and model.runtime == "onnx"
    monkeypatch.setenv("BRIEFING_INGEST_PRECISION", "fp16")
    with pytest.raises(ValidationError):
        Settings()
    with pytest.raises(ValueError):
        MiniLMEmbeddings(ingest_precision="int8")  # type: ignore[arg-type]


def test_cpu_flags_decide_bf16(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_vnni\n")
    assert not bf16_encoder.cpu_has_bf16(info)
    info.write_text("processor\t: 0\nflags\t\t: fpu avx2 avx512f avx512_bf16\n")
    assert bf16_encoder.cpu_has_bf16(info)
    assert not bf16_encoder.cpu_has_bf16(tmp_path / "missing")


class Fp32Stand:
    """Stands in for the fp32 model: hashing vectors, taking a batch size like the real one."""

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        return HashingEmbeddings().encode(texts)


def test_without_native_bf16_ingest_is_fp32_with_a_notice(monkeypatch, caplog):
    fp32 = HashingEmbeddings()
    model = MiniLMEmbeddings(ingest_precision="bf16", has_bf16=lambda: False)
    monkeypatch.setattr(MiniLMEmbeddings, "_load", lambda self: Fp32Stand())

    def no_load():
        raise AssertionError("the bf16 model must not be loaded")

    monkeypatch.setattr(bf16_encoder, "load", no_load)
    texts = ["Ceasefire talks in Jeddah.", "Gas transit through Ukraine ended."]
    np.testing.assert_array_equal(model.encode_ingest(texts), fp32.encode(texts))
    assert model.active_ingest_precision == "fp32"
    notices = [r for r in caplog.records if "bf16" in r.getMessage()]
    assert len(notices) == 1 and "\n" not in notices[0].getMessage()


class Recording(HashingEmbeddings):
    """Hashing vectors whose ingest route is told apart: chunk vectors are negated."""

    def __init__(self) -> None:
        self.ingested: list[str] = []
        self.encoded: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.encoded += texts
        return super().encode(texts)

    def encode_ingest(self, texts: list[str]) -> np.ndarray:
        self.ingested += texts
        return -super().encode(texts)


def test_ingest_uses_the_ingest_route_and_questions_do_not(settings, tmp_path):
    embeddings = Recording()
    briefing = Briefing(settings, embeddings=embeddings)
    report = briefing.ingest([copy_articles(tmp_path / "articles")])
    assert report.chunks and len(embeddings.ingested) == report.chunks
    assert not set(embeddings.encoded) & set(embeddings.ingested)
    stored = briefing.index.collection.get(limit=1, include=["documents", "embeddings"])
    text, vector = stored["documents"][0], np.asarray(stored["embeddings"][0])
    np.testing.assert_allclose(vector, -HashingEmbeddings().encode([text])[0], atol=1e-6)
    embeddings.ingested.clear()
    briefing.ask("Who led the US delegation in Saudi Arabia?")
    assert embeddings.encoded and not embeddings.ingested


@pytest.mark.integration
@needs_bf16
def test_bf16_ingest_vectors_are_close_to_fp32_and_questions_unchanged(tmp_path):
    texts = _texts()
    fp32 = MiniLMEmbeddings(cache_dir=tmp_path)
    bf16 = MiniLMEmbeddings(cache_dir=tmp_path, ingest_precision="bf16")
    assert bf16.active_ingest_precision == "bf16"
    a, b = fp32.encode_ingest(texts), bf16.encode_ingest(texts)
    assert b.dtype == np.float32 and b.shape == a.shape == (len(texts), 384)
    cosine = np.sum(a * b, axis=1)
    assert cosine.min() >= 0.999, cosine.min()
    assert not np.array_equal(a, b)  # another route really ran
    np.testing.assert_allclose(np.linalg.norm(b, axis=1), 1.0, rtol=1e-5)
    questions = ["Who led the US delegation in Saudi Arabia?", "ceasefire", texts[0]]
    np.testing.assert_array_equal(bf16.encode(questions), fp32.encode(questions))
    np.testing.assert_array_equal(bf16.embed_query(questions[0]), fp32.embed_query(questions[0]))
