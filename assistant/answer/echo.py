"""The prompt coming back in a model's reply: recognised, and never shown while it streams.

Small or base models sometimes repeat their instructions, the `<passages>` block or its headers
instead of answering. The checked Answer replaces such a reply with quoted passages, but the web
chat and the terminal show streamed text as it arrives, before any check. So `EchoGuard` holds
back streamed words that could be the start of instruction text, lets them through once the run
of copied words breaks, and shows nothing more once the reply is an echo. The test is the same
while streaming and on the whole reply (`Instructions.leaks`), and what it finds in part of a
reply it finds in the whole: text held back as an echo is never then accepted as an answer.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Protocol

# "[2] Title — Publisher, 2025-03-11": a passage header line, as prompts/passage.md writes it.
PASSAGE_HEADER = re.compile(
    r"^\s*\[\d{1,3}\]\s+.{3,200}\s+—\s+.{1,120},\s+(?:\d{4}-\d\d-\d\d|undated)\s*$"
)
# Pieces of the prompt that no answer contains: the block's tags, its labels, the rules.
_INLINE_BITS = (
    r"<\s*/?\s*passages\s*>|^\s*Question:\s|Answer from the passages above|"
    r"You answer only from the numbered passages"
)
_RULES_LINE = r"^\s*Rules:\s*$"  # needs the whole line, so only complete lines are tested
PROMPT_BITS = re.compile(f"{_INLINE_BITS}|{_RULES_LINE}", re.IGNORECASE | re.MULTILINE)
_INLINE = re.compile(_INLINE_BITS, re.IGNORECASE | re.MULTILINE)

HOLD_WORDS = 3  # from this many instruction words in a row, stop showing and wait
LEAK_WORDS = 10  # this many in a row is the prompt coming back, not an answer

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r"\S+")
_MAY_BE_HEADER = re.compile(r"\s*\[\d{0,3}(?:\][ \t].*)?")  # an unfinished line like "[1] Ti"
_GAP = "\x00"  # stands for a filled-in variable: no run of copied words crosses it


class _Prompt(Protocol):
    variables: frozenset[str]

    def render(self, **values: object) -> str: ...


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _has_header(text: str) -> bool:
    return any(PASSAGE_HEADER.match(line) for line in text.splitlines())


class Instructions:
    """The fixed text of the prompts (not what is filled in), as a sequence of words."""

    def __init__(self, texts: list[str]) -> None:
        sequence: list[str | None] = []  # None at each gap
        for text in texts:
            for piece in text.split(_GAP):
                sequence += [*words(piece), None]
        self.at: dict[str, list[int]] = {}
        for i, w in enumerate(sequence):
            if w is not None:
                self.at.setdefault(w, []).append(i)

    @classmethod
    def of(cls, *prompts: _Prompt) -> Instructions:
        """From prompt files, each variable a gap. The refusal sentence is a variable of the
        system prompt, so it is left out: the model is told to reply with it."""
        return cls([p.render(**dict.fromkeys(p.variables, _GAP)) for p in prompts])

    def step(self, runs: dict[int, int], word: str) -> dict[int, int]:
        """Copied runs ending at each position of the instructions, after one more word."""
        return {i: runs.get(i - 1, 0) + 1 for i in self.at.get(word, ())}

    def longest_run(self, text: str) -> int:
        """The most instruction words the text repeats in a row."""
        runs: dict[int, int] = {}
        best = 0
        for w in words(text):
            runs = self.step(runs, w)
            best = max(best, max(runs.values(), default=0))
        return best

    def leaks(self, text: str) -> bool:
        """The reply carries prompt text: a tag or label of the prompt, a passage header line,
        or a long run of instruction words."""
        return (
            bool(PROMPT_BITS.search(text))
            or _has_header(text)
            or self.longest_run(text) >= LEAK_WORDS
        )

    def guard(self) -> EchoGuard:
        return EchoGuard(self)


class EchoGuard:
    """One reply's streamed text, with anything that may be the prompt held back."""

    def __init__(self, instructions: Instructions) -> None:
        self.instructions = instructions
        self.leaked = False
        self._text = ""  # everything received
        self._shown = 0  # offset up to which text was passed on
        self._scanned = 0  # offset up to which whole words were read
        self._runs: dict[int, int] = {}
        self._starts: deque[int] = deque(maxlen=LEAK_WORDS)  # offsets of the last words read

    def feed(self, piece: str) -> str:
        """What of the text so far can be shown now (a word is read once it is complete)."""
        if self.leaked:
            return ""
        self._text += piece
        last = re.search(r"\S+\Z", self._text)
        return self._release(last.start() if last else len(self._text), final=False)

    def flush(self) -> str:
        """The rest, at the end of the reply, unless the reply turned out to be an echo."""
        if self.leaked:
            return ""
        return self._release(len(self._text), final=True)

    def _release(self, complete: int, final: bool) -> str:
        run = self._read_words(complete)
        seen = self._text[:complete]
        whole_lines = seen if final else seen[: seen.rfind("\n") + 1]
        if (
            run >= LEAK_WORDS
            or _INLINE.search(seen)
            or PROMPT_BITS.search(whole_lines)
            or _has_header(whole_lines)
        ):
            self.leaked = True
            return ""
        end = complete
        if not final:
            if run >= HOLD_WORDS:
                end = min(end, self._starts[-run])  # from the first copied word on
            line = self._text.rfind("\n") + 1
            if _MAY_BE_HEADER.fullmatch(self._text[line:]):
                end = min(end, line)  # "[1] Title — …" may still be arriving
        if end <= self._shown:
            return ""
        out, self._shown = self._text[self._shown : end], end
        return out

    def _read_words(self, complete: int) -> int:
        """Read the words completed since last time; the length of the current copied run."""
        for m in _TOKEN.finditer(self._text, self._scanned, complete):
            for w in words(m.group()):
                self._runs = self.instructions.step(self._runs, w)
                self._starts.append(m.start())
                if max(self._runs.values(), default=0) >= LEAK_WORDS:
                    return LEAK_WORDS
        self._scanned = max(self._scanned, complete)
        return max(self._runs.values(), default=0)
