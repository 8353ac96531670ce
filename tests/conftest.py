"""Shared fixtures: a clean environment and temp data dir per test, and no internet, ever."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.embeddings import HashingEmbeddings, MiniLMEmbeddings
from assistant.index import Index
from assistant.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEED = CORPUS / "000_4a0880cd86d48309.txt"
ARTIFACTS = ROOT / "test-artifacts"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _allowed(address) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guard(real):
    def connect(self, address):
        if not _allowed(address):
            raise OSError(f"test tried to reach the internet: {address!r}")
        return real(self, address)

    return connect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def isolated() -> Iterator[pytest.MonkeyPatch]:
    """Module-wide clean environment and no-internet guard, for servers a module shares."""
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith(("BRIEFING_", "OPENAI_", "SLACK_")):
                mp.delenv(key)
        mp.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        mp.setattr(socket.socket, "connect", _guard(_real_connect))
        yield mp


@pytest.fixture(autouse=True)
def no_internet(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _guard(_real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", _guard(_real_connect_ex))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith(("BRIEFING_", "OPENAI_", "SLACK_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.chdir(tmp_path)  # no stray .env or ./.briefing is read or written


@pytest.fixture(autouse=True)
def unit_tests_leave_the_model_alone(request, monkeypatch):
    """`make test-fast` runs what is not marked `integration` and must stay fast: a test that
    loads the real embedding model without the marker fails here, naming the marker."""
    if request.node.get_closest_marker("integration"):
        return

    def refuse(self):
        pytest.fail(
            f"{request.node.nodeid} loads the real embedding model: mark it "
            "@pytest.mark.integration (or use HashingEmbeddings)",
            pytrace=False,
        )

    monkeypatch.setattr(MiniLMEmbeddings, "_load", refuse)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", corpus_dir=CORPUS)


@pytest.fixture
def fake_briefing(settings):
    """The real pipeline and Chroma with hashing embeddings: fast, deterministic."""
    from assistant.pipeline import Briefing

    return Briefing(settings, embeddings=HashingEmbeddings())


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbeddings:
    """The real model, loaded once per run (~5 s) and shared by every integration test."""
    return MiniLMEmbeddings()


def copy_articles(folder: Path) -> Path:
    """The seed article and three short test articles, copied into a new folder."""
    folder.mkdir(parents=True)
    shutil.copy(SEED, folder)
    for f in DATA.glob("article_*"):
        shutil.copy(f, folder)
    return folder


def isolated_settings(**values: Any) -> Settings:
    """Settings from the defaults and `values` alone. A fixture wider than one test is built
    before `clean_env` runs, so it must not read the shell's BRIEFING_* variables or a .env."""
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith(("BRIEFING_", "OPENAI_", "SLACK_")):
                mp.delenv(key)
        return Settings(_env_file=None, **values)


@pytest.fixture
def articles(tmp_path) -> Path:
    """The seed article and three short test articles in a folder of their own."""
    return copy_articles(tmp_path / "articles")


@pytest.fixture(scope="session")
def minilm_index(tmp_path_factory, minilm) -> Index:
    """The `articles` indexed once per run with the real model, for tests that only ask and
    search: embedding them again for every such test cost 1-2 s a test. A test that ingests or
    removes builds its own index."""
    from assistant.pipeline import Briefing

    root = tmp_path_factory.mktemp("minilm-index")
    briefing = Briefing(isolated_settings(data_dir=root / "data"), embeddings=minilm)
    assert briefing.ingestor.ingest_paths([copy_articles(root / "articles")]).ok
    return briefing.index


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
