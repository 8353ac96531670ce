"""Fresh processes: `briefing ask` from start to printed answer, the web app to its first answer,
and the LLM chain's overhead over a raw call to the same loopback model of fixed latency."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpus
from bench.measure import index_dir, peak_rss_mb, settings_for, stats, timed

QUESTION = "Who led the US delegation in Saudi Arabia?"
LLM_LATENCY_S = 0.2
LLM_QUESTIONS = 20


def child_env(code: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "OPENAI_", "SLACK_"))
    }
    env.update(
        PYTHONPATH=str(code),
        BRIEFING_DATA_DIR=str(data_dir),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        **extra,
    )
    return env


# What the `briefing` console script runs.
BRIEFING = "import sys; from assistant.cli import main; sys.argv[0] = 'briefing'; main()"


def cold_ask(size: int, code_id: str, code: str, repeats: int) -> dict[str, Any]:
    """Seconds from a fresh `briefing ask` process to its printed answer, and the import share."""
    env = child_env(Path(code), index_dir(size, code_id))
    runs, imports = [], []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(repeats):
            t = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", BRIEFING, "ask", QUESTION],
                env=env,
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=300,
            )
            runs.append(time.perf_counter() - t)
            assert done.returncode == 0 and "[1]" in done.stdout, done.stderr[-2000:]
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", "import assistant.cli"],
                env=env,
                cwd=cwd,
                check=True,
                timeout=120,
            )
            imports.append(time.perf_counter() - t)
    return {
        "size": size,
        "ask_s": float(np.median(runs)),
        "ask_s_samples": runs,
        "import_cli_s": float(np.median(imports)),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cold_web(size: int, code_id: str, code: str, repeats: int) -> dict[str, Any]:
    """Seconds from starting `briefing web --no-ingest` to the page, and to its first answer."""
    from gradio_client import Client

    ready, first = [], []
    for _ in range(repeats):
        port = _free_port()
        env = child_env(Path(code), index_dir(size, code_id), BRIEFING_PORT=str(port))
        with tempfile.TemporaryDirectory() as cwd:
            t = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-c", BRIEFING, "web", "--no-ingest"],
                env=env,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                url = f"http://127.0.0.1:{port}/"
                _wait_http(url, proc, timeout=300)
                ready.append(time.perf_counter() - t)
                client = Client(url, verbose=False)
                result = client.predict(QUESTION, [], [], "", "", api_name="/ask")
                first.append(time.perf_counter() - t)
                assert "Rubio" in str(result), str(result)[:500]
            finally:
                proc.terminate()
                proc.wait(timeout=30)
    return {
        "size": size,
        "ready_s": float(np.median(ready)),
        "first_answer_s": float(np.median(first)),
        "first_answer_s_samples": first,
    }


def _wait_http(url: str, proc: subprocess.Popen, timeout: float) -> None:
    import httpx

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"the web app exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(url)


def chain_overhead(size: int, code_id: str, repeats: int) -> dict[str, Any]:
    """`ask` through the LLM chain vs the same request sent raw, to a model taking 200 ms."""
    import openai

    from assistant.embeddings import MiniLMEmbeddings
    from assistant.pipeline import Briefing
    from tests.fake_openai import FakeOpenAI, Reply, answer_from_passages

    def slow(received) -> Reply:
        reply = answer_from_passages(received)
        reply.delay_s = LLM_LATENCY_S
        return reply

    qs = corpus.questions()[:LLM_QUESTIONS]
    with FakeOpenAI(default=slow) as fake:
        settings = settings_for(
            index_dir(size, code_id),
            openai_base_url=fake.url,
            model="fake-model",
            llm_max_retries=0,
        )
        b = Briefing(settings, embeddings=MiniLMEmbeddings())
        raw = openai.OpenAI(base_url=fake.url, api_key="x", max_retries=0)
        b.ask(qs[0])
        chain, direct = [], []
        for _ in range(repeats):
            for q in qs:
                ms, answer = timed(lambda q=q: b.ask(q))
                assert answer.generator.startswith("llm"), answer.generator
                chain.append(ms)
                body = fake.completions[-1].body

                def call(body=body) -> str:
                    stream = raw.chat.completions.create(
                        model=body["model"], stream=True, messages=body["messages"]
                    )
                    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)

                direct.append(timed(call)[0])
    over = np.asarray(chain) - np.asarray(direct)
    return {
        "size": size,
        "chain": stats(chain),
        "raw_call": stats(direct),
        "overhead": stats(over.tolist()),
        "peak_rss_mb": peak_rss_mb(),
    }
