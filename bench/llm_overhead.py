"""What the LLM chain adds over a bare `openai` call to the same server.

Both sides stream the same fixed answer from a loopback OpenAI-compatible server
(tests/fake_openai.py) and send the same messages. The chain also fits the passages to the token
budget (tiktoken), fills the prompt files, goes through LangChain's ChatOpenAI, filters the
markers while streaming and checks the citations. Calls are interleaved, after a warm-up.

    .venv/bin/python bench/llm_overhead.py [--calls 30] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

QUESTION = "Who led the US delegation in Saudi Arabia?"
ARTICLES = [
    "riyadh_talks_2025-02.md",
    "ceasefire_jeddah_and_after_2025-03.md",
    "000_4a0880cd86d48309.txt",
]
ANSWER = (
    "The US delegation in Riyadh was led by Secretary of State Marco Rubio, together with "
    "National Security Adviser Mike Waltz and envoy Steve Witkoff [1]. In Jeddah the US "
    "side was again led by Rubio and Waltz [2]. The Russian side was headed by Foreign "
    "Minister Sergei Lavrov and Yuri Ushakov [1]."
)


def ms(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def summary(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=10)
    return {"median": statistics.median(values), "p10": q[0], "p90": q[-1], "n": len(values)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=30, help="timed calls per side (>= 20)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()

    import openai

    from assistant.answer.context import build_context
    from assistant.answer.grounding import to_answer
    from assistant.embeddings import HashingEmbeddings
    from assistant.models import Answer
    from assistant.pipeline import Briefing
    from assistant.settings import Settings
    from tests.fake_openai import FakeOpenAI, Reply

    with FakeOpenAI(default=lambda r: Reply(ANSWER)) as fake, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp),
            openai_base_url=fake.url,
            openai_api_key="x",
            model="fake-model",
            llm_max_retries=0,
        )
        briefing = Briefing(settings, embeddings=HashingEmbeddings())
        briefing.ingestor.ingest_paths([REPO / "corpus" / name for name in ARTICLES])
        passages = briefing.retriever.search(QUESTION)
        generator = briefing.generator
        assert generator.name == "llm:fake-model", generator.name

        def chain() -> None:
            final = list(generator.stream(QUESTION, passages))[-1]
            assert isinstance(final, Answer) and final.citations

        chain()
        messages = fake.completions[-1].body["messages"]
        raw = openai.OpenAI(base_url=fake.url, api_key="x", max_retries=0)

        def bare() -> None:
            stream = raw.chat.completions.create(model="fake-model", messages=messages, stream=True)
            text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
            assert text == ANSWER

        for _ in range(3):
            chain()
            bare()
        chain_ms, bare_ms = [], []
        for _ in range(max(20, args.calls)):
            chain_ms.append(ms(chain))
            bare_ms.append(ms(bare))

        context = build_context(passages, briefing.prompts["passage"], settings.context_tokens)
        context_ms = [
            ms(
                lambda: build_context(
                    passages, briefing.prompts["passage"], settings.context_tokens
                )
            )
            for _ in range(50)
        ]
        parse_ms = [
            ms(
                lambda: to_answer(
                    QUESTION,
                    ANSWER,
                    context.passages,
                    generator="x",
                    prompt_version="x",
                    retrieved=[],
                )
            )
            for _ in range(50)
        ]

    result = {
        "chain_ms": summary(chain_ms),
        "bare_openai_ms": summary(bare_ms),
        "overhead_ms": statistics.median(chain_ms) - statistics.median(bare_ms),
        "paired_overhead_ms": statistics.median(
            c - b for c, b in zip(chain_ms, bare_ms, strict=True)
        ),
        "of_which_context_ms": statistics.median(context_ms),
        "of_which_citation_check_ms": statistics.median(parse_ms),
        "passages_sent": len(context.passages),
        "context_tokens": context.tokens,
        "streamed_chunks": len(Reply(ANSWER).chunks()),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    c, b = result["chain_ms"], result["bare_openai_ms"]
    print(
        f"{len(chain_ms)} calls each, {result['passages_sent']} passages "
        f"({result['context_tokens']} tokens), {result['streamed_chunks']} streamed chunks"
    )
    print(
        f"bare openai call : median {b['median']:6.2f} ms  (p10 {b['p10']:.2f}, p90 {b['p90']:.2f})"
    )
    print(
        f"LangChain chain  : median {c['median']:6.2f} ms  (p10 {c['p10']:.2f}, p90 {c['p90']:.2f})"
    )
    print(
        f"overhead         : {result['overhead_ms']:6.2f} ms (difference of medians), "
        f"{result['paired_overhead_ms']:.2f} ms (median of paired differences)"
    )
    print(
        f"  of which context fitting {result['of_which_context_ms']:.2f} ms, citation check "
        f"{result['of_which_citation_check_ms']:.2f} ms"
    )


if __name__ == "__main__":
    main()
