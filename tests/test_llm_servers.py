"""What real OpenAI-compatible servers do, played by the loopback fake: a 200 with no text, no
end to the answer, a slow follow-up rewrite, the prompt coming back. The real ChatOpenAI client
and the real pipeline, with hashing embeddings; every case must end in an answer."""

from __future__ import annotations

import re
import sys
import time

import pytest
from langchain_core.messages import HumanMessage

from assistant import cli
from assistant.answer import REFUSAL
from assistant.answer.check import ECHO_NOTICE
from assistant.answer.citations import quote_holds
from assistant.answer.condense import condense_rule_based
from assistant.answer.echo import HOLD_WORDS, PASSAGE_HEADER, Instructions
from assistant.answer.llm import LENGTH_NOTICE, UNAVAILABLE_NOTICE
from assistant.answer.prompts import load_prompts
from assistant.answer.provider import make_chat_model
from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from assistant.settings import Settings
from assistant.text import count_tokens
from tests.fake_openai import FakeOpenAI, Received, Reply
from tests.test_llm import GAS_Q, SECRET, collect, number_of

FOLLOW_UP = "and what did Slovakia say about that?"
HISTORY = [
    {"role": "user", "content": GAS_Q},
    {"role": "assistant", "content": "Gas transit ended on 1 January 2025 [1]."},
]
PROMPTS = load_prompts()
SYSTEM = PROMPTS["system"].render(refusal=REFUSAL)
# Rules 4 and 5: no tag, no "Rules:" line, nothing but the words of the instructions.
RULES_4_5 = "\n".join(line for line in SYSTEM.splitlines() if line.startswith(("4.", "5.")))
RULE_4 = RULES_4_5.splitlines()[0].removeprefix("4. ")


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def make_briefing(tmp_path, fake, articles):
    """A pipeline whose answers come from the fake server (ChatOpenAI built from Settings)."""

    def make(**overrides) -> Briefing:
        values = dict(
            data_dir=tmp_path / "data",
            openai_base_url=fake.url,
            openai_api_key=SECRET,
            model="fake-model",
            llm_max_retries=1,
            llm_timeout_s=5.0,
        )
        values.update(overrides)
        briefing = Briefing(Settings(**values), embeddings=HashingEmbeddings())
        if briefing.index.count() == 0:
            briefing.ingestor.ingest_paths([articles])
        return briefing

    return make


def is_condense(received: Received) -> bool:
    return "<passages>" not in received.content("user")


def gas_answer(received: Received) -> Reply:
    n = number_of(received, "Naftogaz")
    return Reply(f"Transit ended on 1 January 2025, when the Naftogaz agreement expired [{n}].")


# 1. HTTP 200 and then no text ----------------------------------------------------------------


@pytest.mark.parametrize("abort", ["close", "done", "error"])
def test_200_with_no_text_falls_back_to_quoted_passages(make_briefing, fake, abort):
    """llama-cpp-python with a prompt over its context: 200, then nothing (LangChain: "No
    generation chunks were returned"), or one error event."""
    fake.default = lambda r: Reply(abort=abort, error="context window exceeded")
    briefing = make_briefing()
    answer = briefing.ask(GAS_Q)
    assert answer.generator == "extractive" and answer.notice == UNAVAILABLE_NOTICE
    assert "Naftogaz" in answer.text and all(quote_holds(c) for c in answer.citations)
    assert len(fake.completions) == 1  # not retried

    pieces, streamed = collect(briefing.stream(GAS_Q))
    assert streamed.generator == "extractive" and streamed.notice == UNAVAILABLE_NOTICE
    assert "Naftogaz" in "".join(pieces)  # the offline answer is what is streamed


def test_condense_on_a_200_with_no_body_uses_the_rule_based_rewrite(make_briefing, fake):
    """The follow-up rewrite is not streamed: an empty 200 there is a JSON error, not a crash."""
    fake.default = lambda r: Reply(abort="close") if is_condense(r) else gas_answer(r)
    answer = make_briefing().ask(FOLLOW_UP, history=HISTORY)
    assert answer.standalone_question == condense_rule_based(FOLLOW_UP, HISTORY)
    assert answer.generator == "llm:fake-model" and answer.citations


@pytest.mark.parametrize("as_json", [False, True], ids=["streamed", "json"])
def test_cli_ask_on_an_aborted_stream_prints_the_offline_answer(
    tmp_path, fake, articles, monkeypatch, capsys, as_json
):
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OPENAI_BASE_URL", fake.url)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.setenv("BRIEFING_MODEL", "fake-model")
    make = lambda settings: Briefing(settings, embeddings=HashingEmbeddings())  # noqa: E731
    make(Settings()).ingestor.ingest_paths([articles])
    monkeypatch.setattr(cli, "_briefing", make)
    monkeypatch.setattr(sys, "argv", ["briefing", "ask", *(["--json"] if as_json else []), GAS_Q])
    fake.default = lambda r: Reply(abort="close")
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    shown = capsys.readouterr()
    assert exit_.value.code == 0, shown.err
    assert "Traceback" not in shown.err and "No generation chunks" not in shown.out + shown.err
    assert "Naftogaz" in shown.out and UNAVAILABLE_NOTICE in shown.out


# 2. A limit on answer length -----------------------------------------------------------------


def test_max_tokens_is_sent_with_the_answer_and_the_rewrite(make_briefing, fake):
    fake.default = lambda r: Reply("What did Slovakia say?") if is_condense(r) else gas_answer(r)
    make_briefing().ask(FOLLOW_UP, history=HISTORY)
    condense, answer = fake.completions
    assert answer.body["max_tokens"] == 400 and "max_completion_tokens" not in answer.body
    assert condense.body["max_tokens"] == 64 and "max_completion_tokens" not in condense.body

    fake.requests.clear()
    make_briefing(max_answer_tokens=123, condense_max_tokens=20).ask(FOLLOW_UP, history=HISTORY)
    assert [r.body["max_tokens"] for r in fake.completions] == [20, 123]


def test_openai_itself_gets_max_completion_tokens():
    """OpenAI refuses max_tokens beside max_completion_tokens, and wants the latter."""
    model = make_chat_model(Settings(openai_api_key=SECRET, max_answer_tokens=321))
    payload = model._get_request_payload([HumanMessage("hi")])
    assert payload["max_completion_tokens"] == 321 and "max_tokens" not in payload


def test_server_that_ignores_max_tokens_is_cut_off_at_the_budget(make_briefing, fake):
    sentence = "Transit ended on 1 January 2025, when the Naftogaz agreement expired [{n}]. "

    def endless(received: Received) -> Reply:
        words = sentence.format(n=number_of(received, "Naftogaz")).split(" ")
        return Reply(pieces=[w + " " for w in words if w], forever=True, piece_delay_s=0.002)

    fake.default = endless
    briefing = make_briefing(max_answer_tokens=60)
    t0 = time.perf_counter()
    pieces, answer = collect(briefing.stream(GAS_Q))
    assert time.perf_counter() - t0 < 10  # not the two minutes the fake would go on for
    assert LENGTH_NOTICE.format(n=60) in answer.notice
    assert answer.text.startswith("Transit ended on 1 January 2025") and answer.citations
    assert 40 <= count_tokens(answer.raw_reply) <= 60 + 8 + 10  # the budget, a little grace
    [received] = fake.completions
    assert received.body["max_tokens"] == 60
    for _ in range(100):  # the client hung up: the server's next write fails
        if received.hung_up:
            break
        time.sleep(0.02)
    assert received.hung_up and received.chunks_sent < 1000  # of ~60,000 in two minutes


# 3. Condense has its own budget --------------------------------------------------------------


def test_slow_rewrite_gives_way_to_the_rule_based_one_at_once(make_briefing, fake):
    """A slow CPU server on the follow-up rewrite: one try, the short timeout, then the rule."""

    def reply(received: Received) -> Reply:
        return (
            Reply("What did Slovakia say?", delay_s=4)
            if is_condense(received)
            else (gas_answer(received))
        )

    fake.default = reply
    briefing = make_briefing(condense_timeout_s=0.8, llm_timeout_s=10, llm_max_retries=3)
    t0 = time.perf_counter()
    answer = briefing.ask(FOLLOW_UP, history=HISTORY)
    elapsed = time.perf_counter() - t0
    assert answer.standalone_question == condense_rule_based(FOLLOW_UP, HISTORY)
    assert answer.generator == "llm:fake-model" and answer.citations  # the answer came back
    assert sum(is_condense(r) for r in fake.completions) == 1  # no retry
    assert answer.timing_ms["condense"] < 2000
    assert elapsed < 0.8 + answer.timing_ms["generate"] / 1000 + 1.5


@pytest.mark.parametrize(
    "reply",
    [
        Reply("What did Slovakia's government say about the end of", finish="length"),
        Reply(PROMPTS["condense"].template.split("\n")[0]),  # the instructions, back
        Reply("<conversation>"),
    ],
    ids=["cut", "echo", "tag"],
)
def test_rewrite_cut_short_or_echoed_is_not_used(make_briefing, fake, reply):
    fake.default = lambda r: reply if is_condense(r) else gas_answer(r)
    answer = make_briefing().ask(FOLLOW_UP, history=HISTORY)
    assert answer.standalone_question == condense_rule_based(FOLLOW_UP, HISTORY)
    assert "Rewrite the follow-up" not in (answer.standalone_question or "")


# 4. The prompt coming back is never shown ----------------------------------------------------


def _chunked(text: str, how: str) -> list[str]:
    if how == "chars":
        return list(text)
    if how == "lines":
        return text.splitlines(keepends=True)
    return re.findall(r"\S+\s*|\s+", text)


def _shows_prompt(text: str) -> list[str]:
    """System-prompt lines (or long parts of them) found in text shown to the user."""
    parts = [p.strip() for line in SYSTEM.splitlines() for p in re.split(r"[.:]", line)]
    return [p for p in parts if len(p) >= 20 and p in text]


@pytest.mark.parametrize("how", ["words", "chars", "lines"])
@pytest.mark.parametrize(
    "echo",
    [
        lambda r: r.content("system"),  # the whole system prompt
        lambda r: f"{gas_answer(r).text}\n\n{RULES_4_5}",  # an answer, then two of the rules
        lambda r: f"{gas_answer(r).text} {RULE_4}",  # a rule, inline
        lambda r: r.content("user").split("<passages>\n", 1)[1][:400],  # headers and passages
    ],
    ids=["system", "answer-then-rules", "inline-rule", "passage-block"],
)
def test_prompt_echo_is_never_shown_streamed_or_answered(make_briefing, fake, echo, how):
    fake.default = lambda r: Reply(pieces=_chunked(echo(r), how))
    briefing = make_briefing()
    offline = briefing.extractive.answer(GAS_Q, briefing.retriever.search(GAS_Q))
    pieces, answer = collect(briefing.stream(GAS_Q))
    shown = "".join(pieces)

    assert answer.notice and answer.notice.startswith(ECHO_NOTICE)
    assert answer.text == offline.text  # quoted passages instead
    assert answer.raw_reply == echo(fake.completions[0])  # kept for the eval cache
    for text in (shown, answer.text):
        assert _shows_prompt(text) == [] and "<passages>" not in text and "Rules:" not in text
        assert not any(PASSAGE_HEADER.match(line) for line in text.splitlines())
    # What the model wrote and was shown: never HOLD_WORDS words of the instructions in a row.
    model_part = shown[: shown.rindex(offline.text)]
    assert Instructions.of(PROMPTS["system"]).longest_run(model_part) < HOLD_WORDS
    assert shown.endswith(offline.text)  # the terminal shows what replaced the reply
    assert briefing.ask(GAS_Q).text == offline.text  # the non-streamed path too


def test_answer_that_shares_a_few_words_with_the_rules_streams_whole(make_briefing, fake):
    text = (
        "Transit ended on 1 January 2025, when the Naftogaz agreement expired [{n}]. "
        "The passages do not answer the question of what Slovakia paid."
    )
    fake.default = lambda r: Reply(text.format(n=number_of(r, "Naftogaz")))
    pieces, answer = collect(make_briefing().stream(GAS_Q))
    assert "".join(pieces) == answer.raw_reply and answer.notice != ECHO_NOTICE
    assert answer.text.startswith("Transit ended on 1 January 2025")
