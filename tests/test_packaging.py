"""What `pip install .` gives a user: every package and the prompts, with nothing read from the
checkout. The wheel test builds the wheel offline, installs it into a fresh venv that borrows the
dependencies already in .venv, and asks a question from a folder far from the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from assistant.answer.prompts import load_prompts
from assistant.resources import prompts_dir, shipped_prompts_dir
from tests.conftest import ROOT, SEED

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# What a build needs from the checkout (pyproject.toml names README.md as the long description).
SOURCES = ["pyproject.toml", "README.md", "assistant", "ui", "prompts"]
QUESTION = "Who led the US delegation in Saudi Arabia?"


def test_every_package_folder_is_in_the_wheel():
    """pyproject.toml lists its packages (prompts/ is mapped in), so a new package folder must be
    added there by hand; this names the one that was forgotten."""
    from setuptools import find_packages  # only here: ~0.1 s to import

    on_disk = set(find_packages(where=str(ROOT), include=["assistant*", "ui*"]))
    listed = set(SETUPTOOLS["packages"])
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    mapped = set(SETUPTOOLS["package-dir"])
    assert listed - on_disk == mapped, "listed packages that no longer exist"
    assert SETUPTOOLS["package-dir"]["assistant.prompts"] == "prompts"
    assert (ROOT / "prompts" / "system.md").is_file()


def test_the_checkout_uses_its_top_level_prompts_and_the_setting_overrides_them(tmp_path):
    assert shipped_prompts_dir() == ROOT / "prompts"
    assert load_prompts(prompts_dir()).folder == ROOT / "prompts"
    assert prompts_dir(tmp_path) == tmp_path


def _run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 180):
    r = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(args)}\n{r.stdout}\n{r.stderr}"
    return r


@pytest.mark.integration
def test_the_wheel_answers_from_anywhere_with_its_own_prompts(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV", "BRIEFING_"))
    }
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INDEX="1", PIP_NO_INPUT="1")

    # Build from a copy, so the checkout gets no build/ or egg-info from this test.
    src = tmp_path / "src"
    src.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=skip)
        else:
            shutil.copy(path, src / name)
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), "."], src, env)
    (wheel,) = dist.glob("*.whl")

    # A fresh venv whose only extra is a path to .venv's site-packages (the dependencies); a path
    # in a .pth file is not itself scanned for .pth files, so .venv's editable install stays off.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
        env,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]  # this interpreter's: .venv's site-packages
    (Path(site) / "project-deps.pth").write_text(deps + "\n", encoding="utf-8")
    _run(
        [
            *pip,
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--ignore-installed",
            "-q",
            str(wheel),
        ],
        tmp_path,
        env,
    )

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(
        [
            str(python),
            "-c",
            "import assistant, assistant.resources as r; print(assistant.__file__); "
            "print(r.shipped_prompts_dir())",
        ],
        elsewhere,
        env,
    ).stdout.split()
    assert all(Path(p).is_relative_to(venv) for p in where), where  # not the checkout's
    assert sorted(p.name for p in Path(where[1]).glob("*.md")) == sorted(
        p.name for p in (ROOT / "prompts").glob("*.md")
    )

    briefing = str(venv / "bin" / "briefing")
    env["BRIEFING_DATA_DIR"] = str(tmp_path / "data")
    article = elsewhere / SEED.name
    shutil.copy(SEED, article)
    r = _run([briefing, "ingest", str(article)], elsewhere, env)
    assert "1 added" in r.stdout, r.stdout
    answer = json.loads(_run([briefing, "ask", "--json", QUESTION], elsewhere, env).stdout)
    assert not answer["refused"] and "Marco Rubio" in answer["text"], answer["text"]
    assert answer["citations"][0]["publisher"] == "inuno.ai"
    assert (
        answer["prompt_version"] == load_prompts().version
    )  # the same prompt files, byte for byte
