"""A cold `ask` imports what answering needs and nothing else: no torch or transformers when the
ONNX route is ready, no web, Slack, LangChain, bm25s/scipy or eval package, and no chromadb when
the data dir is Chroma's embedded store (the question path reads its file, `chroma_sqlite`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SEED

NEVER = (
    "torch",
    "transformers",
    "sentence_transformers",
    "gradio",
    "slack_bolt",
    "langchain_openai",
    "langchain_core",
    "langchain",
    "chromadb",
    "onnx",
    "dateparser",
    "trafilatura",
    "bm25s",
    "scipy",
    "sklearn",
    "pandas",
    "assistant.evaluate",
    "assistant.brief",
    "ui",
)

ASK = """
import json, sys
from assistant.cli import main
sys.argv = ["briefing", "ask", "Who led the US delegation in Saudi Arabia?"]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _run(code: str, data_dir, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(BRIEFING_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=240
    )


def _imported(stderr: str) -> list[str]:
    modules = json.loads(stderr.strip().splitlines()[-1])
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in NEVER)]


def test_cli_module_imports_no_optional_command():
    done = _run(
        "import json, sys, assistant.cli; print(json.dumps(sorted(sys.modules)), file=sys.stderr)",
        ".",
    )
    assert done.returncode == 0, done.stderr
    assert _imported(done.stderr) == []


@pytest.mark.integration
def test_a_cold_ask_loads_no_torch(tmp_path):
    ingest = (
        "import sys; from assistant.cli import main; "
        "sys.argv = ['briefing', 'ingest', sys.argv[1]]; main()"
    )
    done = _run(ingest, tmp_path / "d", str(SEED))
    assert done.returncode == 0, done.stderr
    asked = _run(ASK, tmp_path / "d")
    assert "[1]" in asked.stdout, asked.stdout + asked.stderr
    assert _imported(asked.stderr) == []
