"""Slack rendering, thread history and the delivery guards, without a server."""

from __future__ import annotations

import json
from datetime import date

from assistant.answer import REFUSAL
from assistant.models import Answer, Citation, Disagreement, Side
from assistant.slack.format import (
    MESSAGE_CHARS,
    PLACEHOLDER,
    QUOTE_CHARS,
    answer_messages,
    feedback_value,
    plain_text,
    split_text,
)
from assistant.slack.guard import RateLimiter, Seen
from assistant.slack.history import to_history
from tests.fake_slack import BOT_ID, BOT_USER, block_error


def _citation(n: int, **kw) -> Citation:
    quote = kw.pop("quote", f"Sentence number {n} says something specific about the talks.")
    return Citation(
        n=n,
        doc_id=f"d{n}",
        chunk_id=f"d{n}:0",
        title=kw.pop("title", f"Title {n}"),
        publisher="Briefing desk",
        published=kw.pop("published", date(2025, 3, 11)),
        source=f"/data/articles/article_{n}.txt",
        quote=quote,
        start=0,
        end=len(quote),
        **kw,
    )


def _answer(text: str, citations: list[Citation], **kw) -> Answer:
    return Answer(
        question="What happened?", text=text, citations=citations, generator="extractive", **kw
    )


def _sections(messages) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m["blocks"] if b["type"] == "section"]


def test_plain_text_reads_slack_markup_as_the_person_wrote_it():
    raw = (
        "<@UBOT> what about <https://example.org/a?b=1&amp;c=2|this report> &amp; "
        "<@U0CAROL|carol>'s note in <#C0NEWS|news>, <!here>? 5 &lt; 6"
    )
    assert plain_text(raw, "UBOT") == (
        "what about this report & @U0CAROL's note in #news, @here? 5 < 6"
    )
    assert plain_text("<https://example.org/x>", "UBOT") == "https://example.org/x"


def test_split_text_cuts_at_natural_boundaries_within_the_limit():
    sentence = "The corridor carried grain past Romania and Bulgaria to open water. [2] "
    text = sentence * 100
    pieces = split_text(text, 500)
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.endswith("[2]") for p in pieces)  # cut after a citation marker
    assert " ".join(pieces).split() == text.split()  # nothing lost
    unbroken = "x" * 1200
    assert [len(p) for p in split_text(unbroken, 500)] == [500, 500, 200]
    entity = ("a" * 497) + "&amp;" + ("b" * 10)
    assert split_text(entity, 500)[1].startswith("&amp;")  # an entity is never cut in two


def test_answer_is_one_message_with_text_sources_and_buttons():
    long_quote = "Vessels sailed close to the shores of Romania and Bulgaria. " * 20
    answer = _answer(
        "Ukraine opened its own corridor [1] after July 2023. [2]",
        [
            _citation(1, url="https://example.org/corridor?a=1&b=2", title="Black Sea | grain"),
            _citation(2, quote=long_quote),
        ],
    )
    (message,) = answer_messages(answer, feedback_value("k1", answer.question))
    blocks = message["blocks"]
    assert block_error(blocks) is None
    assert [b["type"] for b in blocks] == [
        "section",
        "divider",
        "context",
        "section",
        "section",
        "actions",
    ]
    first, second = blocks[3]["text"]["text"], blocks[4]["text"]["text"]
    assert first.startswith("*[1]* *<https://example.org/corridor?a=1&amp;b=2|Black Sea ¦ grain>*")
    assert "Briefing desk, 11 March 2025" in first and "article_1.txt" not in first
    assert "_article_2.txt_" in second  # no URL: the file is named so it can be found
    quote = second.split("\n>“", 1)[1]
    assert len(quote) <= QUOTE_CHARS + 1 and quote.endswith("…”")
    assert message["text"] == "Ukraine opened its own corridor [1] after July 2023. [2]"


def test_text_from_articles_cannot_inject_slack_markup():
    answer = _answer(
        "Analysts at <!channel> AT&T said <https://evil.example|click> [1]",
        [_citation(1, title="<@U0BOSS> & co")],
    )
    text = "\n".join(_sections(answer_messages(answer)))
    assert "<!channel>" not in text and "<https://evil" not in text and "<@U0BOSS>" not in text
    assert "&lt;!channel&gt; AT&amp;T" in text and "&lt;@U0BOSS&gt; &amp; co" in text


def test_refusal_notice_and_flagged_claims():
    refusal = answer_messages(_answer(REFUSAL, [], refused=True))
    assert [b["type"] for b in refusal[0]["blocks"]] == ["section"]
    noted = answer_messages(
        _answer(
            "Gas stopped on 1 January. [1]",
            [_citation(1)],
            notice="The question was trimmed to its first 2000 characters.",
            flagged=["Prices doubled overnight."],
            standalone_question="And then? (gas transit)",
        )
    )
    contexts = [b["elements"][0]["text"] for b in noted[0]["blocks"] if b["type"] == "context"]
    assert contexts[0] == "Read as: _And then? (gas transit)_"
    assert "trimmed" in contexts[1] and "Prices doubled overnight." in contexts[2]


def test_very_long_answer_with_many_sources_splits_into_valid_messages():
    text = " ".join(
        f"Finding {i} is supported by a passage in the articles. [{i % 60 + 1}]" for i in range(600)
    )
    citations = [_citation(n, quote=f"Quote {n}: " + "detail " * 60) for n in range(1, 61)]
    messages = answer_messages(_answer(text, citations), feedback_value("k", "q"))
    assert len(messages) >= 4
    for m in messages:
        assert block_error(m["blocks"]) is None  # what Slack would refuse, the fake refuses
        assert sum(len(s) for s in _sections([m])) <= MESSAGE_CHARS
        assert m["text"]
    sources = [s for s in _sections(messages) if s.startswith("*[")]
    assert [int(s[2 : s.index("]")]) for s in sources] == list(range(1, 61))  # each once, in order
    answered = " ".join(s for s in _sections(messages) if not s.startswith("*["))
    assert answered.split() == text.split()
    assert [any(b["type"] == "actions" for b in m["blocks"]) for m in messages] == [False] * (
        len(messages) - 1
    ) + [True]


def test_feedback_value_stays_within_slack_limit():
    value = feedback_value("abc", '"quoted" \\ ' * 400)
    assert len(value) <= 2000 and json.loads(value)["id"] == "abc"


def test_thread_history_keeps_people_and_answers_in_order():
    answer_part = {
        "type": "section",
        "block_id": "answer-text-0",
        "text": {"type": "mrkdwn", "text": "Rubio led it. [1] AT&amp;T"},
    }
    part_two = {
        "type": "section",
        "block_id": "answer-text-1",
        "text": {"type": "mrkdwn", "text": "Waltz too. [2]"},
    }
    messages = [
        {
            "ts": "100.000003",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "text": "x",
            "blocks": [answer_part],
        },
        {"ts": "100.000001", "user": "U0ALICE", "text": f"<@{BOT_USER}> Who led the talks?"},
        {"ts": "100.000002", "user": "U0BOB", "subtype": "channel_join", "text": "joined"},
        {"ts": "100.000004", "user": BOT_USER, "bot_id": BOT_ID, "text": "y", "blocks": [part_two]},
        {"ts": "100.000005", "bot_id": "B0OTHER", "subtype": "bot_message", "text": "Deploy done"},
        {"ts": "100.000006", "user": BOT_USER, "bot_id": BOT_ID, "text": PLACEHOLDER},
        {"ts": "100.000007", "user": "U0BOB", "text": "And their Russian counterpart?"},
        {"ts": "100.000008", "user": "U0ALICE", "text": f"<@{BOT_USER}> what about Lavrov?"},
        {"ts": "100.000009", "user": "U0BOB", "text": "a later message"},
    ]
    history = to_history(messages, "100.000008", BOT_USER, BOT_ID)
    assert history == [
        {"role": "user", "content": "Who led the talks?"},
        {"role": "assistant", "content": "Rubio led it. [1] AT&T\n\nWaltz too. [2]"},
        {"role": "user", "content": "And their Russian counterpart?"},
    ]
    assert len(to_history(messages * 1, "999", BOT_USER, BOT_ID, keep=2)) == 2


def test_seen_is_true_once_per_id_until_it_expires():
    now = [0.0]
    seen = Seen(ttl=60, clock=lambda: now[0])
    assert seen.first("Ev1") and not seen.first("Ev1") and seen.first("Ev2")
    now[0] = 61
    assert seen.first("Ev1")


def test_rate_limiter_is_a_sliding_window_per_user():
    now = [0.0]
    limiter = RateLimiter(2, 60, clock=lambda: now[0])
    assert limiter.allow("A")[0] and limiter.allow("A")[0]
    now[0] = 20
    allowed, wait = limiter.allow("A")
    assert not allowed and wait == 40
    assert limiter.allow("B")[0]
    now[0] = 60.5
    assert limiter.allow("A")[0]


def _contexts(messages) -> list[str]:
    return [
        b["elements"][0]["text"] for m in messages for b in m["blocks"] if b["type"] == "context"
    ]


def _disputed(kind: str = "conflict", value: str = "32", **kw) -> Answer:
    sides = [
        Side(value="25", n=1, publisher="Black Sea Monitor", published=date(2023, 6, 8)),
        Side(value=value, n=2, publisher="Steppe Dispatch", published=date(2023, 6, 9)),
    ]
    if kind == "update":
        sides.reverse()
    return _answer(
        "Sources disagree: Black Sea Monitor (8 June 2023) says 25 [1]; "
        "Steppe Dispatch (9 June 2023) says 32 [2].",
        [_citation(1), _citation(2)],
        disagreements=[Disagreement(about="drones shot down", kind=kind, sides=sides)],
        **kw,
    )


def test_disagreement_is_a_context_block_listing_each_side():
    messages = answer_messages(_disputed(), feedback_value("k", "q"))
    assert all(block_error(m["blocks"]) is None for m in messages)
    (box,) = [c for c in _contexts(messages) if "disagree" in c]
    lines = box.split("\n")
    assert lines[0] == ":warning: Sources disagree — drones shot down"
    assert lines[1:] == [
        "• *25* — Black Sea Monitor, 8 June 2023 [1]",
        "• *32* — Steppe Dispatch, 9 June 2023 [2]",
    ]
    blocks = messages[0]["blocks"]
    assert blocks.index({"type": "divider"}) > [b["type"] for b in blocks].index("context")


def test_update_lists_the_newer_report_first():
    (box,) = [c for c in _contexts(answer_messages(_disputed("update"))) if "Updated" in c]
    head, now, earlier = box.split("\n")
    assert "Updated report — drones shot down (newer report first)" in head
    assert now == "• Now: *32* — Steppe Dispatch, 9 June 2023 [2]"
    assert earlier == "• Earlier: *25* — Black Sea Monitor, 8 June 2023 [1]"


def test_hostile_side_value_cannot_inject_slack_markup():
    value = "<!channel> <script>alert(1)</script> & <https://evil.example|x>"
    text = "\n".join(_contexts(answer_messages(_disputed(value=value))))
    assert "<!channel>" not in text and "<script>" not in text and "<https://evil" not in text
    assert "*&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp; " in text


def test_removed_sentences_uncovered_parts_and_dates_are_shown():
    messages = answer_messages(
        _answer(
            "Gas stopped on 1 January. [1] The articles don't cover the price.",
            [_citation(1), _citation(2, published=date(2025, 1, 2))],
            unsupported=["Putin signed it on 3 May. [1]", "It cost <b>€5bn</b>. [2]"],
            uncovered=["the price"],
            as_of=date(2025, 3, 11),
        )
    )
    contexts = _contexts(messages)
    assert ":calendar: Newest source: 11 March 2025 · Sources dated 2 January – 11 March 2025" in (
        contexts
    )
    assert ":grey_question: _Not covered by the articles: the price_" in contexts
    (removed,) = [c for c in contexts if "Removed" in c]
    assert removed.split("\n") == [
        ":scissors: *Removed — not supported by the cited passages (2 sentences removed):*",
        "• ~Putin signed it on 3 May. [1]~",
        "• ~It cost &lt;b&gt;€5bn&lt;/b&gt;. [2]~",
    ]
    assert all(block_error(m["blocks"]) is None for m in messages)


def test_many_long_removed_sentences_stay_inside_one_valid_context():
    long = "The minister said the corridor would stay open for many more months. " * 10
    messages = answer_messages(_answer("x [1]", [_citation(1)], unsupported=[long] * 40))
    assert all(block_error(m["blocks"]) is None for m in messages)
    (removed,) = [c for c in _contexts(messages) if "Removed" in c]
    assert "(40 sentences removed)" in removed and removed.endswith("more_")
    assert all(len(line) <= 300 for line in removed.split("\n"))


def test_many_disagreements_are_packed_into_valid_messages():
    answer = _disputed()
    answer.disagreements = answer.disagreements * 80
    messages = answer_messages(answer, feedback_value("k", "q"))
    assert len(messages) >= 2
    assert all(block_error(m["blocks"]) is None for m in messages)
    assert sum("Sources disagree" in c for c in _contexts(messages)) == 80
