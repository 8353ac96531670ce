"""Chroma as a server: a real `chroma run`, the same answers as the embedded store, BM25 in step
across hosts, and one clear line (never a hang) when the server is down or stalls."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from assistant.embeddings import HashingEmbeddings
from assistant.errors import IndexUnavailable
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import CORPUS, DATA, ROOT

CHROMA = Path(sys.executable).parent / "chroma"
BRIEFING = Path(sys.executable).parent / "briefing"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """`chroma run` in its own process group, stopped by its PID."""

    def __init__(self, path: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("wb")
        self.proc = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--path",
                str(path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, log.read_text()[-2000:]
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"chroma run did not start: {log.read_text()[-2000:]}")

    def signal(self, sig: int) -> None:
        os.kill(self.proc.pid, sig)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ChromaServer]:
    base = tmp_path_factory.mktemp("chroma-server")
    srv = ChromaServer(base / "db", base / "server.log")
    yield srv
    srv.stop()


@pytest.fixture
def own_server(tmp_path) -> Iterator[ChromaServer]:
    """A server this test may kill or pause."""
    srv = ChromaServer(tmp_path / "own-db", tmp_path / "own-server.log")
    yield srv
    if srv.proc.poll() is None:
        srv.signal(signal.SIGCONT)
    srv.stop()


class TieFree(HashingEmbeddings):
    """Hashing vectors with a small text-seeded perturbation: deterministic and cheap like the
    hashing stand-in, but without its many exactly equal scores, whose order no store promises."""

    def encode(self, texts: list[str]) -> np.ndarray:
        out = super().encode(texts)
        for row, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big")
            out[row] += 0.05 * np.random.default_rng(seed).standard_normal(out.shape[1])
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _shape(answer) -> dict:
    return {
        "text": answer.text,
        "refused": answer.refused,
        "retrieved": answer.retrieved,
        "citations": [(c.doc_id, c.chunk_id, c.start, c.end, c.quote) for c in answer.citations],
    }


@pytest.mark.integration
def test_server_gives_the_same_answers_as_the_embedded_store(server, tmp_path, artifacts):
    """The store is what differs; both sides get the same (deterministic) vectors."""
    local = Briefing(Settings(data_dir=tmp_path / "local"), embeddings=TieFree())
    remote = Briefing(
        Settings(data_dir=tmp_path / "remote", chroma_url=server.url, collection="parity"),
        embeddings=TieFree(),
    )
    assert type(remote.index.client).__name__ == "Guarded"  # really the HTTP client
    for b in (local, remote):
        report = b.ingestor.ingest_paths([CORPUS])
        assert report.ok and len(report.added) == len([f for f in CORPUS.iterdir() if f.is_file()])
    # the embedded store lists from its file, the server through the client: the same list
    assert [(d.meta, d.chunks) for d in remote.index.documents()] == [
        (d.meta, d.chunks) for d in local.index.documents()
    ]

    cases = [json.loads(line) for line in (ROOT / "evals" / "cases.jsonl").open()]
    differ, answered = [], 0
    for case in cases:
        history = case.get("history")
        a, b = local.ask(case["question"], history), remote.ask(case["question"], history)
        answered += not a.refused
        if _shape(a) != _shape(b):
            differ.append(case["id"])
        assert local.retriever.search(case["question"], k=10) == remote.retriever.search(
            case["question"], k=10
        )
    (artifacts / "server_parity.json").write_text(
        json.dumps({"questions": len(cases), "answered": answered, "different": differ}, indent=2)
    )
    assert not differ, differ
    assert answered >= 20  # the comparison covers real answers, not only refusals


@pytest.mark.integration
def test_bm25_follows_changes_made_by_another_host(server, tmp_path):
    """Two hosts, one server: each keeps its own BM25 side, rebuilt when the collection moves."""
    common = {"chroma_url": server.url, "collection": "two-hosts"}
    writer = Briefing(Settings(data_dir=tmp_path / "a", **common), embeddings=HashingEmbeddings())
    reader = Briefing(Settings(data_dir=tmp_path / "b", **common), embeddings=HashingEmbeddings())

    def in_step() -> set[str]:
        ids = set(reader.index.collection.get(include=[])["ids"])
        assert set(reader.index.keyword().ids) == ids
        return ids

    assert in_step() == set()
    folder = tmp_path / "articles"
    folder.mkdir()
    for f in DATA.glob("article_*"):
        shutil.copy(f, folder)
    assert writer.ingestor.ingest_paths([folder]).ok
    assert len(in_step()) == writer.index.count() > 0
    question = "What happened to the Black Sea Grain Initiative in July 2023?"
    grain = next(d.meta.doc_id for d in reader.index.documents() if "grain" in d.meta.title.lower())
    assert grain in {c.doc_id for c in reader.ask(question).citations}

    assert writer.index.remove(grain)
    assert not any(i.startswith(grain) for i in in_step())
    assert grain not in {c.doc_id for c in reader.ask(question).citations}

    gas = folder / "article_gas_transit.md"
    gas.write_text(gas.read_text().replace("Slovakia and Austria", "Slovakia, Moldova and Austria"))
    replaced = writer.ingestor.ingest_paths([gas]).replaced[0].meta.doc_id
    ids = in_step()
    assert any(i.startswith(replaced) for i in ids)
    hits = reader.index.keyword_search("Moldova Slovakia Austria", 3)
    assert hits and hits[0].chunk_id.startswith(replaced)


def _cli(args: list[str], url: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = {**os.environ, "BRIEFING_CHROMA_URL": url, "BRIEFING_DATA_DIR": str(tmp_path / "d")}
    t0 = time.monotonic()
    r = subprocess.run(
        [str(BRIEFING), *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    return r, time.monotonic() - t0


def _one_clear_line(r: subprocess.CompletedProcess, url: str) -> None:
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and url in lines[0] and lines[0].startswith("error:"), r.stderr
    assert "Traceback" not in r.stderr + r.stdout


@pytest.mark.integration
def test_down_server_is_one_line_naming_the_url(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"  # nobody listens here
    for args in (["ask", "Who led the US delegation?"], ["ingest", str(CORPUS)], ["sources"]):
        r, took = _cli(args, url, tmp_path)
        _one_clear_line(r, url)
        assert took < 10, took
    assert "connection refused" in r.stderr


@pytest.mark.integration
def test_stalled_server_is_one_line_within_ten_seconds(tmp_path):
    """A host that accepts the connection and then says nothing (a hung proxy, a frozen VM)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        r, took = _cli(["ask", "Who led the US delegation?"], url, tmp_path)
    _one_clear_line(r, url)
    assert "no answer before the timeout" in r.stderr
    assert took < 10, took


def test_not_a_chroma_server_is_named(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", chroma_url="http://127.0.0.1:1/chroma")
    with pytest.raises(IndexUnavailable, match="without a path"):
        Briefing(settings, embeddings=HashingEmbeddings())


@pytest.mark.integration
def test_server_dying_or_freezing_mid_session(own_server, tmp_path, articles):
    settings = Settings(
        data_dir=tmp_path / "d", chroma_url=own_server.url, chroma_request_timeout_s=2
    )
    briefing = Briefing(settings, embeddings=HashingEmbeddings())
    assert briefing.ingestor.ingest_paths([articles]).ok
    question = "Who led the US delegation in Saudi Arabia?"
    assert not briefing.ask(question).refused

    own_server.signal(signal.SIGSTOP)  # frozen: the socket is open, nothing answers
    t0 = time.monotonic()
    with pytest.raises(IndexUnavailable, match=own_server.url):
        briefing.ask("Which pipeline still carries Russian gas to Europe?")
    assert time.monotonic() - t0 < 8
    own_server.signal(signal.SIGCONT)
    assert not briefing.ask(question).refused  # back without a restart

    own_server.signal(signal.SIGKILL)
    own_server.proc.wait(10)
    t0 = time.monotonic()
    with pytest.raises(IndexUnavailable, match=f"{own_server.url} stopped answering"):
        briefing.ask(question)
    with pytest.raises(IndexUnavailable, match=own_server.url):
        briefing.ingestor.ingest_paths([articles])
    assert time.monotonic() - t0 < 8
