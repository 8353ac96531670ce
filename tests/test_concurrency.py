"""Load: 50 questions at once through one shared pipeline, and 20 chats at once through the web
app's HTTP API; every answer identical to asking one by one, no history crossing sessions.
Throughput and latency are written to test-artifacts/concurrency.json."""

from __future__ import annotations

import json
import multiprocessing
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant import feedback
from assistant.embeddings import HashingEmbeddings, MiniLMEmbeddings
from assistant.models import Answer
from assistant.pipeline import Briefing
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT

CASES = [json.loads(line) for line in (ROOT / "evals" / "cases.jsonl").open()]


def _shape(a: Answer) -> dict:
    return a.model_dump(exclude={"timing_ms"})


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _record(key: str, figures: dict, artifacts: Path) -> None:
    path = artifacts / "concurrency.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[key] = figures
    path.write_text(json.dumps(data, indent=2))


@pytest.mark.integration
def test_50_questions_at_once_match_one_by_one(tmp_path, minilm, articles, artifacts):
    """One pipeline shared by 50 threads. First cold: the model, the Chroma client, the BM25 side
    and the sentence cache are loaded lazily by whichever thread comes first."""
    settings = Settings(data_dir=tmp_path / "d")
    one_by_one = Briefing(settings, embeddings=minilm)
    assert one_by_one.ingestor.ingest_paths([articles]).ok
    questions = [c["question"] for c in CASES[:50]]
    expected = [_shape(one_by_one.ask(q)) for q in questions]
    assert sum(not a["refused"] for a in expected) >= 12

    def at_once(briefing: Briefing) -> tuple[list[dict], float, float]:
        start = threading.Barrier(len(questions))
        latency = [0.0] * len(questions)

        def ask(i: int) -> dict:
            start.wait()
            t0 = time.perf_counter()
            answer = briefing.ask(questions[i])
            latency[i] = time.perf_counter() - t0
            return _shape(answer)

        t0 = time.perf_counter()
        with ThreadPoolExecutor(len(questions)) as pool:
            got = list(pool.map(ask, range(len(questions))))
        return got, time.perf_counter() - t0, _p95(latency)

    cold, cold_wall, cold_p95 = at_once(Briefing(settings, embeddings=MiniLMEmbeddings()))
    assert cold == expected
    # Model loaded, nothing cached: the load of a team asking new questions.
    shared = Briefing(settings, embeddings=minilm)
    fresh, wall, p95 = at_once(shared)
    assert fresh == expected
    again, again_wall, again_p95 = at_once(shared)  # the same questions once more
    assert again == expected
    _record(
        "pipeline_50_threads",
        {
            "questions": len(questions),
            "cold_start_wall_s": round(cold_wall, 2),
            "cold_start_p95_s": round(cold_p95, 3),
            "wall_s": round(wall, 2),
            "throughput_qps": round(len(questions) / wall, 2),
            "p95_latency_s": round(p95, 3),
            "repeated_throughput_qps": round(len(questions) / again_wall, 2),
            "repeated_p95_latency_s": round(again_p95, 3),
        },
        artifacts,
    )


def test_concurrent_feedback_lines_never_interleave(tmp_path, fake_briefing, articles):
    """Web and Slack threads, and other processes, append to one log: every line stays whole."""
    fake_briefing.ingestor.ingest_paths([articles])
    answer = fake_briefing.ask("Who led the US delegation in Saudi Arabia?")
    big = answer.model_copy(update={"text": answer.text * 40})  # lines of ~20 KB
    path = tmp_path / "feedback.jsonl"

    def write(i: int) -> None:
        for j in range(20):
            feedback.record(
                path, big, "up" if j % 2 else "down", surface=f"s{i}", comment=f"{i}-{j}"
            )

    processes = [
        multiprocessing.get_context("fork").Process(target=write, args=(i,)) for i in range(16, 20)
    ]
    for proc in processes:
        proc.start()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(write, range(16)))
    for proc in processes:
        proc.join(60)
        assert proc.exitcode == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20 * 20
    entries = [json.loads(line) for line in lines]
    assert sorted(e["comment"] for e in entries) == sorted(
        f"{i}-{j}" for i in range(20) for j in range(20)
    )
    assert all(e["answer"] == big.text for e in entries)


# ---- the web app --------------------------------------------------------------------------------
def _chats() -> list[tuple[str, str]]:
    """20 two-turn chats, each with its own first question and a follow-up leaning on it."""
    pairs = [(c["history"][0]["content"], c["question"]) for c in CASES if c.get("history")]
    leaning = ["And when was that?", "Who else was involved in it?", "Why did they do that?"]
    singles = [c["question"] for c in CASES if not c.get("history") and c["answerable"]]
    i = 0
    while len(pairs) < 20:
        pairs.append((singles[i * 3], leaning[i % len(leaning)]))
        i += 1
    assert len({q1 for q1, _ in pairs}) == 20
    return pairs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web(tmp_path) -> Iterator[tuple[str, Briefing]]:
    from ui.app import build_app, launch

    settings = Settings(_env_file=None, data_dir=tmp_path / "web")
    briefing = Briefing(settings, embeddings=HashingEmbeddings())
    assert briefing.ingestor.ingest_paths([CORPUS]).ok
    demo = build_app(briefing, settings)
    port = _free_port()
    launch(demo, settings, port=port, block=False)
    try:
        yield f"http://127.0.0.1:{port}", briefing
    finally:
        demo.close()


@pytest.mark.integration
def test_20_web_chats_at_once_keep_their_own_histories(web, artifacts):
    from gradio_client import Client

    from ui.conversations import Turn
    from ui.turns import messages as shown

    url, briefing = web
    chats = _chats()
    expected = []
    for q1, q2 in chats:  # one by one, through the pipeline, as the web handler keeps history
        a1 = briefing.ask(q1)
        history = [
            {"role": "user", "content": a1.question},
            {"role": "assistant", "content": a1.text},
        ]
        a2 = briefing.ask(q2, history=history)
        expected.append([m["content"] for m in shown([Turn(q1, answer=a1), Turn(q2, answer=a2)])])
    start = threading.Barrier(len(chats))
    latency: list[float] = []

    def chat(i: int) -> list[str]:
        client = Client(url, verbose=False)
        start.wait()
        messages: list = []
        for q in chats[i]:
            t0 = time.perf_counter()
            _, messages = client.predict(q, messages, [], "", "", api_name="/ask")
            latency.append(time.perf_counter() - t0)
        return [m["content"][0]["text"] for m in messages]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(chats)) as pool:
        got = list(pool.map(chat, range(len(chats))))
    wall = time.perf_counter() - t0
    for i, (seen, want) in enumerate(zip(got, expected, strict=True)):
        assert seen == want, (i, chats[i])
    assert any("Read as:" in g[3] for g in got)  # follow-ups really used their history
    _record(
        "web_20_chats",
        {
            "chats": len(chats),
            "turns": 2 * len(chats),
            "wall_s": round(wall, 2),
            "throughput_turns_per_s": round(2 * len(chats) / wall, 2),
            "p95_turn_latency_s": round(_p95(latency), 3),
        },
        artifacts,
    )
