"""`briefing chat`: a conversation in the terminal; follow-ups are read against what came before."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console
from rich.markup import escape

from assistant.errors import QuestionError
from assistant.models import Answer, Filters
from assistant.render import print_answer_tail
from assistant.stream import Reply

QUIT = {"/quit", "/exit", "quit", "exit", ":q"}
RESET = {"/new", "/reset"}
WELCOME = (
    "Ask about the indexed articles; follow-up questions use the conversation.\n"
    "/new starts a new conversation, /quit or Ctrl-D leaves."
)


def show(stream: Iterator[str | Answer], console: Console) -> Answer:
    """Print text as it arrives, then what lies beside it and the sources; return the Answer."""
    reply = Reply(stream)
    for piece in reply:
        console.print(piece, end="", markup=False, highlight=False, soft_wrap=True)
    console.print()
    answer = reply.answer
    assert answer is not None
    print_answer_tail(answer, console)
    return answer


def run_chat(
    briefing: Any,
    console: Console,
    read: Callable[[str], str] | None = None,
    filters: Filters | None = None,
    k: int | None = None,
    max_turns: int = 6,
) -> None:
    """Read questions until Ctrl-D or /quit, keeping the last `max_turns` exchanges as history."""
    read = read or (lambda prompt: console.input(prompt))
    history: list[dict[str, str]] = []
    console.print(WELCOME, highlight=False)
    while True:
        try:
            question = read("\n[bold]you ›[/] ").strip()
        except EOFError:
            console.print()
            return
        if not question:
            continue
        if question.lower() in QUIT:
            return
        if question.lower() in RESET:
            history.clear()
            console.print("New conversation.")
            continue
        try:
            answer = show(briefing.stream(question, history=history, filters=filters, k=k), console)
        except QuestionError as e:
            console.print(f"[red]{escape(str(e))}[/]", highlight=False)
            continue
        # The standalone form keeps the next follow-up anchored even without a model.
        history += [
            {"role": "user", "content": answer.standalone_question or question},
            {"role": "assistant", "content": answer.text},
        ]
        del history[: max(0, len(history) - 2 * max_turns)]
