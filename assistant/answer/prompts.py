"""The prompt files in `prompts/`: loaded and checked once at start, versioned, rendered by name.

Each file is a small YAML front-matter (name, version, description, variables) and a template in
Python `str.format` syntax (`{question}`; a literal brace is written `{{`). Checking happens on
load so that a broken edit fails at start with the file's name, not halfway through an answer.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import BriefingError, first_error
from assistant.resources import shipped_prompts_dir

# What the code fills in for each prompt. A file may not use other names, and must use all of these.
REQUIRED: dict[str, frozenset[str]] = {
    "system": frozenset({"refusal"}),
    "answer": frozenset({"passages", "question"}),
    "passage": frozenset({"n", "title", "publisher", "date", "text"}),
    "condense": frozenset({"history", "question"}),
    "brief_bottom_line": frozenset({"topic", "evidence"}),
    "brief_timeline": frozenset({"topic", "evidence"}),
    "brief_positions": frozenset({"topic", "evidence"}),
}


class PromptError(BriefingError):
    """A prompt file is missing, malformed, or does not match what the code fills in."""


class _FrontMatter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    version: int = Field(ge=1)
    description: str = ""
    variables: list[str] = []


@dataclass(frozen=True)
class Prompt:
    name: str
    version: int
    description: str
    variables: frozenset[str]
    template: str
    path: Path

    def render(self, **values: object) -> str:
        """The template filled in; a variable the caller forgot is an error naming the file."""
        missing = self.variables - values.keys()
        if missing:
            raise PromptError(f"{self.path}: no value for {{{sorted(missing)[0]}}}")
        return self.template.format(**{k: values[k] for k in self.variables})


@dataclass(frozen=True)
class PromptSet:
    prompts: dict[str, Prompt]
    digest: str
    folder: Path

    def __getitem__(self, name: str) -> Prompt:
        return self.prompts[name]

    @property
    def version(self) -> str:
        """What every Answer records: each prompt's version and a hash of the whole set."""
        parts = ",".join(
            f"{p.name}@{p.version}" for p in sorted(self.prompts.values(), key=lambda p: p.name)
        )
        return f"{parts}#{self.digest[:8]}"


def default_dir() -> Path:
    """The shipped prompts: installed with the package, or the checkout's `prompts/`."""
    return shipped_prompts_dir()


def template_fields(template: str, path: Path) -> set[str]:
    """Names a `str.format` template uses; positional or dotted fields are refused."""
    names: set[str] = set()
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as e:
        raise PromptError(
            f"{path}: the template is malformed ({e}); write a literal brace as {{{{ or }}}}"
        ) from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise PromptError(f"{path}: {{{field}}} is not a plain variable name")
        names.add(field)
    return names


def parse_prompt(path: Path) -> Prompt:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptError(f"{path}: cannot be read ({e})") from None
    raw = raw.replace("\r\n", "\n")
    if not raw.startswith("---\n") or "\n---\n" not in raw[3:]:
        raise PromptError(f"{path}: must start with a front-matter block between '---' lines")
    head, body = raw[4:].split("\n---\n", 1)
    try:
        meta = _FrontMatter.model_validate(yaml.safe_load(head) or {})
    except yaml.YAMLError as e:
        raise PromptError(f"{path}: the front-matter is not valid YAML ({e})") from None
    except ValidationError as e:
        where, msg = first_error(e)
        raise PromptError(f"{path}: {where or 'front-matter'}: {msg}") from None
    if meta.name != path.stem:
        raise PromptError(f"{path}: name '{meta.name}' does not match the file name")
    template = body.strip("\n")
    if not template.strip():
        raise PromptError(f"{path}: the template is empty")
    declared = set(meta.variables)
    used = template_fields(template, path)
    if used - declared:
        name = sorted(used - declared)[0]
        raise PromptError(f"{path}: uses {{{name}}} but does not declare it in variables")
    if declared - used:
        name = sorted(declared - used)[0]
        raise PromptError(f"{path}: declares {name} but the template never uses {{{name}}}")
    return Prompt(meta.name, meta.version, meta.description, frozenset(declared), template, path)


def load_prompts(folder: Path | None = None) -> PromptSet:
    """Every `*.md` prompt in the folder, checked against what the code fills in."""
    folder = folder or default_dir()
    if not folder.is_dir():
        raise PromptError(f"{folder}: the prompts folder does not exist")
    prompts: dict[str, Prompt] = {}
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.md")):
        prompt = parse_prompt(path)
        prompts[prompt.name] = prompt
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name, needed in REQUIRED.items():
        if name not in prompts:
            raise PromptError(f"{folder / (name + '.md')}: this prompt is missing")
        prompt = prompts[name]
        if needed - prompt.variables:
            var = sorted(needed - prompt.variables)[0]
            raise PromptError(f"{prompt.path}: missing variable {{{var}}}")
        if prompt.variables - needed:
            var = sorted(prompt.variables - needed)[0]
            raise PromptError(
                f"{prompt.path}: {{{var}}} is never filled in; the code provides "
                f"{', '.join(sorted(needed))}"
            )
    return PromptSet(prompts, digest.hexdigest(), folder)
