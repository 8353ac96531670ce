"""The conflict-briefing assistant: cited answers from an index of news and analysis articles.

The public face is small: build a `Settings`, hand it to `Briefing`, and call `ingest`, `ask`,
`stream`, `documents`, `remove`, `stats`. Names are imported on first use, so `import assistant`
stays cheap (no embedding model, Chroma or LangChain until something asks for them).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and editors; at run time `__getattr__` imports lazily
    from assistant.errors import BriefingError, IngestError, QuestionError
    from assistant.index import DocSummary
    from assistant.ingest import IngestReport
    from assistant.models import Answer, Citation, Disagreement, Filters, Passage
    from assistant.pipeline import Briefing, Stats
    from assistant.settings import Settings, load_settings

# Public name → the module that defines it.
_HOMES: dict[str, str] = {
    "Answer": "assistant.models",
    "Briefing": "assistant.pipeline",
    "BriefingError": "assistant.errors",
    "Citation": "assistant.models",
    "Disagreement": "assistant.models",
    "DocSummary": "assistant.index",
    "Filters": "assistant.models",
    "IngestError": "assistant.errors",
    "IngestReport": "assistant.ingest",
    "Passage": "assistant.models",
    "QuestionError": "assistant.errors",
    "Settings": "assistant.settings",
    "Stats": "assistant.pipeline",
    "load_settings": "assistant.settings",
}

__all__ = [
    "Answer",
    "Briefing",
    "BriefingError",
    "Citation",
    "Disagreement",
    "DocSummary",
    "Filters",
    "IngestError",
    "IngestReport",
    "Passage",
    "QuestionError",
    "Settings",
    "Stats",
    "load_settings",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
