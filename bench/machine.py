"""The machine and library versions a run was measured on."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

PACKAGES = [
    "torch",
    "onnxruntime",
    "onnx",
    "sentence-transformers",
    "transformers",
    "chromadb",
    "langchain-chroma",
    "langchain-core",
    "langchain-openai",
    "bm25s",
    "numpy",
    "gradio",
]


def _meminfo_gb() -> float:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict[str, object]:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(_meminfo_gb(), 1),
        "cpu": _cpu_model(),
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "versions": versions,
    }
