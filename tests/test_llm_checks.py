"""The evidence check on a model's answer, through the front door: a real Briefing, the real
ChatOpenAI client talking to the scripted FakeOpenAI on 127.0.0.1, MiniLM embeddings and a real
index of the test articles. Each bad reply must be caught and shown, in the web chat and in Slack.
"""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from assistant.answer.check import ECHO_NOTICE, NOTHING_CITED_NOTICE, NOTHING_SUPPORTED_NOTICE
from assistant.answer.citations import MARKER, quote_holds
from assistant.answer.grounding import UNCITED_NOTICE
from assistant.answer.prompts import load_prompts
from assistant.evaluate.cache import RecordingGenerator, ResponseCache, identity
from assistant.models import Answer
from assistant.pipeline import Briefing
from assistant.render import NOT_CITED_HEAD, REMOVED_HEAD
from assistant.settings import Settings
from assistant.slack.format import answer_messages
from tests.fake_openai import FakeOpenAI, Received, Reply
from tests.test_llm import SECRET, number_of, sent_passages
from ui.render import answer_html

pytestmark = pytest.mark.integration  # MiniLM and a real index in every test

TALKS_Q = "Who headed the Russian delegation in Saudi Arabia?"
TALKS = "Russian delegation headed by Foreign Minister Sergey Lavrov"
GAS = "Naftogaz"
SANCTIONS = "sixteenth package"
SUPPORTED = (
    "In Saudi Arabia, a US delegation led by Secretary of State Marco Rubio held negotiations "
    "with a Russian delegation [{n}]."
)
INVENTED = "The Russian delegation was headed by Sergei Ivanov"
ECHO_RULES = "Rules:\n1. Use only facts stated in the passages."


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def fake_settings(tmp_path, fake) -> Settings:
    """ChatOpenAI against the fake: no retries, a short timeout."""
    return Settings(
        data_dir=tmp_path / "data",
        openai_base_url=fake.url,
        openai_api_key=SECRET,
        model="fake-model",
        llm_max_retries=0,
        llm_timeout_s=10.0,
    )


@pytest.fixture
def briefing(tmp_path, fake, minilm_index) -> Briefing:
    """ChatOpenAI (built from the settings) against the fake, MiniLM, the test articles."""
    settings = fake_settings(tmp_path, fake)
    b = Briefing(settings, index=minilm_index)  # indexed once per run; these tests only ask
    assert b.generator.name == "llm:fake-model"
    assert type(b.generator.model).__name__ == "ChatOpenAI"
    return b


def slack_text(answer: Answer) -> str:
    """Every piece of text the Slack messages carry, mrkdwn entities decoded."""
    out = []
    for message in answer_messages(answer):
        for block in message["blocks"]:
            if "text" in block:
                out.append(block["text"]["text"])
            out += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return unescape("\n".join(out))


def answer_part(html: str) -> str:
    """The answer's own text in the web chat HTML (what is presented as the answer)."""
    m = re.match(r'<div class="answer">(.*?)</div>', html)
    assert m, html[:200]
    return unescape(m.group(1))


def offline_answer(briefing: Briefing, question: str) -> Answer:
    return briefing.extractive.answer(question, briefing.retriever.search(question))


# 1. An unsupported citation ---------------------------------------------------------------


def test_sentence_whose_name_the_cited_passage_lacks_is_removed_and_shown(briefing, fake):
    def reply(received: Received) -> Reply:
        n = number_of(received, TALKS)
        return Reply(f"{SUPPORTED.format(n=n)} {INVENTED} [{n}].")

    fake.default = reply
    answer = briefing.ask(TALKS_Q)
    n = number_of(fake.completions[0], TALKS)
    assert "Ivanov" not in sent_passages(fake.completions[0])[n]  # the premise

    assert answer.text == SUPPORTED.format(n=n)  # the supported sentence stays, with its marker
    assert "Ivanov" not in answer.text
    [c] = answer.citations
    assert c.n == n and "Marco Rubio" in c.quote and quote_holds(c)
    assert answer.unsupported == [f"{INVENTED}."]
    assert answer.notice and "1 sentence(s) removed" in answer.notice
    assert "don't contain their facts" in answer.notice
    assert answer.raw_reply and INVENTED in answer.raw_reply
    assert answer.as_of == date(2025, 3, 11)

    html = answer_html(answer)
    assert "Ivanov" not in answer_part(html)
    removed = re.search(r'<div class="removed">(.*?)</ul></div>', html)
    assert removed and REMOVED_HEAD in unescape(removed.group(1))
    assert f"<del>{INVENTED}.</del>" in removed.group(1)
    assert "1 sentence(s) removed" in unescape(html)

    slack = slack_text(answer)
    assert REMOVED_HEAD in slack and f"~{INVENTED}.~" in slack
    assert "1 sentence(s) removed" in slack
    texts = [b for m in answer_messages(answer) for b in m["blocks"] if b["type"] == "section"]
    assert "Ivanov" not in texts[0]["text"]["text"]


def test_marker_after_the_full_stop_still_belongs_to_its_sentence(briefing, fake):
    """ "… Ivanov. [n]" and "… Ivanov.[n] Next": the marker is the sentence's before it."""

    def reply(received: Received) -> Reply:
        n = number_of(received, TALKS)
        return Reply(
            f"{INVENTED}. [{n}] A US delegation led by Marco Rubio held negotiations with a "
            f"Russian delegation in Saudi Arabia.[{n}] Sergey Lavrov led it.[{n}]"
        )

    fake.default = reply
    answer = briefing.ask(TALKS_Q)
    n = number_of(fake.completions[0], TALKS)
    assert "Ivanov" not in answer.text
    assert answer.unsupported == [f"{INVENTED}."]
    assert "Marco Rubio" in answer.text and "Sergey Lavrov led it." in answer.text
    assert [c.n for c in answer.citations] == [n]
    assert not answer.flagged


def test_reply_whose_only_citation_is_unsupported_says_so(briefing, fake):
    fake.default = lambda r: Reply(f"{INVENTED} [{number_of(r, TALKS)}].")
    answer = briefing.ask(TALKS_Q)
    offline = offline_answer(briefing, TALKS_Q)
    assert answer.text == offline.text  # quoted passages instead
    assert answer.unsupported == [f"{INVENTED}."]  # listed as removed, not as "not cited"
    assert not answer.flagged
    assert answer.notice and answer.notice.startswith(NOTHING_SUPPORTED_NOTICE)
    assert "cited nothing" not in answer.notice
    assert f"<del>{INVENTED}.</del>" in answer_html(answer)
    assert f"~{INVENTED}.~" in slack_text(answer)


# 2. An uncited claim ----------------------------------------------------------------------


def test_uncited_claim_is_flagged_and_quoted_passages_shown(briefing, fake):
    fake.enqueue(Reply("Kyiv fell yesterday."))
    answer = briefing.ask(TALKS_Q)
    offline = offline_answer(briefing, TALKS_Q)

    assert "Kyiv fell yesterday" not in answer.text
    assert answer.text == offline.text and answer.citations == offline.citations
    assert "Sergey Lavrov" in answer.text and all(quote_holds(c) for c in answer.citations)
    assert answer.flagged == ["Kyiv fell yesterday."]
    assert answer.notice and answer.notice.startswith(NOTHING_CITED_NOTICE)
    assert answer.raw_reply == "Kyiv fell yesterday."
    assert answer.generator == "llm:fake-model"

    html = answer_html(answer)
    assert "Kyiv fell yesterday" not in answer_part(html)
    uncited = re.search(r'<div class="uncited">(.*?)</ul></div>', html)
    assert uncited and f"{NOT_CITED_HEAD}:" in uncited.group(1)
    assert "Kyiv fell yesterday." in uncited.group(1)
    assert NOTHING_CITED_NOTICE in unescape(html)

    slack = slack_text(answer)
    assert "Not cited: “Kyiv fell yesterday.”" in slack and NOTHING_CITED_NOTICE in slack


def test_uncited_sentence_beside_a_cited_one_is_flagged(briefing, fake):
    def reply(received: Received) -> Reply:
        return Reply(f"{SUPPORTED.format(n=number_of(received, TALKS))} Kyiv fell yesterday.")

    fake.default = reply
    answer = briefing.ask(TALKS_Q)
    assert answer.text.startswith("In Saudi Arabia, a US delegation")  # the model's answer
    assert answer.flagged == ["Kyiv fell yesterday."]
    assert answer.notice == UNCITED_NOTICE
    uncited = re.search(r'<div class="uncited">(.*?)</ul></div>', answer_html(answer))
    assert uncited and "Kyiv fell yesterday." in uncited.group(1)
    assert "Not cited: “Kyiv fell yesterday.”" in slack_text(answer)


# 3. A prompt echo -------------------------------------------------------------------------


def _echo_block(received: Received) -> str:
    user = received.content("user")
    return user[: user.index("Question:")] + f"Question: {TALKS_Q}"


@pytest.mark.parametrize(
    "echo",
    [
        _echo_block,  # the passages block and the question, as sent
        lambda r: r.content("system"),  # the system rules
        lambda r: (
            "[1] The delicate thread to peace: Can US-Russia Negotiations End the Ukraine "
            "Conflict? — inuno.ai, 2025-03-11\nIn Saudi Arabia, a United States (US) delegation"
        ),
        lambda r: ECHO_RULES,
    ],
    ids=["passages", "system", "header", "rules"],
)
def test_prompt_echo_is_not_an_answer(briefing, fake, echo):
    sent: list[str] = []

    def reply(received: Received) -> Reply:
        sent.append(echo(received))
        return Reply(sent[-1])

    fake.default = reply
    answer = briefing.ask(TALKS_Q)
    offline = offline_answer(briefing, TALKS_Q)

    # The reply as received (a long echo is cut at the answer's token budget).
    assert answer.raw_reply and sent[0].startswith(answer.raw_reply.rstrip())
    assert answer.text == offline.text and answer.citations == offline.citations
    assert "<passages>" not in answer.text and "Rules:" not in answer.text
    assert answer.notice and answer.notice.startswith(ECHO_NOTICE)
    assert not answer.refused and answer.generator == "llm:fake-model"
    html = answer_html(answer)
    assert ECHO_NOTICE in unescape(html) and "&lt;passages&gt;" not in html
    assert ECHO_NOTICE in slack_text(answer)


# 4. A supported answer --------------------------------------------------------------------


def test_supported_answer_is_kept_as_written_with_the_newest_date(briefing, fake):
    question = "What did Slovakia do about gas transit and about EU sanctions on Russia?"
    written: list[str] = []

    def reply(received: Received) -> Reply:
        gas, sanctions = number_of(received, GAS), number_of(received, SANCTIONS)
        slovakia = number_of(received, "Slovakia's government protested")
        hungary = number_of(received, "Hungary and Slovakia")
        assert gas == slovakia and sanctions == hungary
        written.append(
            f"Slovakia's government protested the end of gas transit and warned of higher "
            f"costs [{gas}]. Hungary and Slovakia continued to question the renewal of EU "
            f"sanctions every six months [{sanctions}]."
        )
        return Reply(written[-1])

    fake.default = reply
    answer = briefing.ask(question)
    assert answer.text == written[0]  # nothing removed, nothing added
    assert not answer.unsupported and not answer.flagged and not answer.uncovered
    assert answer.notice is None and not answer.disagreements
    assert {c.publisher for c in answer.citations} == {
        "Energy Watch Weekly",
        "Eastern Europe Monitor",
    }
    assert all(quote_holds(c) for c in answer.citations)
    assert answer.as_of == date(2025, 2, 24)  # the newer of 2025-01-02 and 2025-02-24
    html = answer_html(answer)
    assert 'class="removed"' not in html and 'class="uncited"' not in html
    assert "Newest source: 24 February 2025" in unescape(html)
    assert "Removed" not in slack_text(answer)


@pytest.mark.parametrize(
    "invented",
    [
        "The Russian delegation was headed by Sergei Ivanov",  # a name
        "The Russian delegation brought 40 diplomats to the talks",  # a number
        "The talks in Saudi Arabia began on 3 April 2025",  # a date
    ],
    ids=["name", "number", "date"],
)
def test_invented_name_number_or_date_is_removed(briefing, fake, invented):
    fake.default = lambda r: Reply(
        f"{SUPPORTED.format(n=number_of(r, TALKS))} {invented} [{number_of(r, TALKS)}]."
    )
    answer = briefing.ask(TALKS_Q)
    assert answer.text == SUPPORTED.format(n=number_of(fake.completions[0], TALKS))
    assert answer.unsupported == [f"{invented}."]
    assert f"<del>{invented}.</del>" in answer_html(answer)
    assert f"~{invented}.~" in slack_text(answer)


# 5. The eval cache re-grounds a cached raw reply ------------------------------------------


def test_ground_applies_the_same_checks_to_a_stored_reply(briefing, fake):
    passages = briefing.retriever.search(TALKS_Q)
    n = 1 + next(i for i, p in enumerate(passages) if TALKS in p.text)
    raw = f"{SUPPORTED.format(n=n)} {INVENTED} [{n}]."
    answer = briefing.generator.ground(TALKS_Q, raw, passages)
    assert fake.requests == []  # no model call
    assert answer.text == SUPPORTED.format(n=n)
    assert answer.unsupported == [f"{INVENTED}."]
    assert answer.raw_reply == raw and "1 sentence(s) removed" in answer.notice

    # The same reply, had it come from the model: the same Answer.
    fake.enqueue(Reply(raw))
    live = briefing.ask(TALKS_Q)
    keep = {"text", "citations", "unsupported", "flagged", "notice", "as_of", "raw_reply"}
    assert live.model_dump(include=keep) == answer.model_dump(include=keep)

    # Echoes and uncited replies are re-checked too.
    assert briefing.generator.ground(TALKS_Q, ECHO_RULES, passages).notice.startswith(ECHO_NOTICE)
    uncited = briefing.generator.ground(TALKS_Q, "Kyiv fell yesterday.", passages)
    assert uncited.flagged == ["Kyiv fell yesterday."]
    assert uncited.notice.startswith(NOTHING_CITED_NOTICE)


def test_eval_cache_regrounds_the_stored_raw_reply(briefing, fake, tmp_path):
    generator = briefing.generator
    ident = identity(generator, "fake-model", None)
    passages = briefing.retriever.search(TALKS_Q)
    n = 1 + next(i for i, p in enumerate(passages) if TALKS in p.text)
    raw = f"{SUPPORTED.format(n=n)} {INVENTED} [{n}]."

    cache = ResponseCache(tmp_path / "cache")
    fake.enqueue(Reply(raw))
    first = RecordingGenerator(generator, cache, ident).answer(TALKS_Q, passages)
    assert len(fake.completions) == 1 and (cache.hits, cache.misses) == (0, 1)
    [stored] = list((tmp_path / "cache").rglob("*.json"))
    assert INVENTED in stored.read_text(encoding="utf-8")  # the raw reply, not the Answer

    again = RecordingGenerator(generator, cache, ident).answer(TALKS_Q, passages)
    assert len(fake.completions) == 1 and cache.hits == 1  # no second call
    assert again.text == first.text == SUPPORTED.format(n=n)
    assert again.unsupported == first.unsupported == [f"{INVENTED}."]
    assert not MARKER.search(again.unsupported[0])


def test_prompt_version_is_recorded_on_every_checked_answer(briefing, fake):
    fake.enqueue(Reply("Kyiv fell yesterday."), Reply(ECHO_RULES))
    version = load_prompts().version
    assert briefing.ask(TALKS_Q).prompt_version == version
    assert briefing.ask(TALKS_Q).prompt_version == version


# 5. What the articles say is not known ------------------------------------------------------


def test_a_models_answer_is_shown_beside_what_the_articles_say_is_not_known(tmp_path, fake, minilm):
    """The model answers with a supported but merely related sentence; the article says
    investigators have not said which unit fired it, and its words are shown beside it."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "strike.md").write_text(
        "# Missile strike on the railway station: what investigators know\n"
        "Date: 2022-06-14\nPublisher: Arms Trace Weekly\n\n"
        "A Tochka-U ballistic missile hit the railway station on 8 April, killing 61 people who "
        "were waiting for evacuation trains. Investigators have not said which unit fired it, or "
        "from which launch site. Fragments of the missile carried words painted in Russian.\n",
        encoding="utf-8",
    )
    settings = fake_settings(tmp_path, fake)
    b = Briefing(settings, embeddings=minilm)
    assert b.ingestor.ingest_paths([folder]).ok
    fake.default = lambda received: Reply(
        "A Tochka-U ballistic missile hit the railway station on 8 April [1]."
    )
    answer = b.ask("Which Russian unit launched the Tochka-U at the railway station?")
    assert not answer.refused and not answer.unsupported, answer
    assert answer.notice and "have not said which unit fired it" in answer.notice, answer
    assert "Arms Trace Weekly (14 June 2022)" in answer.notice
    assert "have not said which unit fired it" in unescape(answer_html(answer))
    assert "have not said which unit fired it" in slack_text(answer)
