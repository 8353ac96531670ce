"""Files shipped with the code, found the same way from a wheel and from a source checkout.

People edit the prompts in the repository's top-level `prompts/`; pyproject.toml installs that
folder as `assistant/prompts/`, so an installed package carries them. A checkout (and an editable
install, which runs the checkout) has no such folder inside the package and uses the top-level one.
`BRIEFING_PROMPTS_DIR` (`Settings.prompts_dir`) overrides both.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped_prompts_dir() -> Path:
    """The prompts installed with the package, or the checkout's `prompts/` beside it."""
    installed = files("assistant") / "prompts"
    if isinstance(installed, Path) and installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[1] / "prompts"


def prompts_dir(override: Path | None = None) -> Path:
    """The folder to load prompts from: the configured override, else the shipped prompts."""
    return override if override is not None else shipped_prompts_dir()
