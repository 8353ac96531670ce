"""Shared fixtures: a clean environment and temp data dir per test, and no internet, ever."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path

import pytest

from assistant.embeddings import HashingEmbeddings, MiniLMEmbeddings
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
    return MiniLMEmbeddings()


@pytest.fixture
def articles(tmp_path) -> Path:
    """The seed article and three short test articles in a folder of their own."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SEED, folder)
    for f in DATA.glob("article_*"):
        shutil.copy(f, folder)
    return folder


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
