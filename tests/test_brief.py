"""Briefs: dates read from sentences, speakers, the sections built from a small corpus, the
formats a user downloads, the CLI, and a model-written section checked line by line."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from typer.testing import CliRunner

from assistant.brief.actors import speaker
from assistant.brief.render import render
from assistant.brief.when import event_parts, event_when
from assistant.brief.writer import SectionWriter
from assistant.embeddings import HashingEmbeddings
from assistant.evaluate.briefs import Topic, score_topic
from assistant.pipeline import Briefing

PUB = date(2025, 4, 30)

KURSK_APRIL = """# Kursk after eight months: the counter-offensive
Date: 2025-04-30
Publisher: Briefing desk

Eight months after it began, most of the ground Ukraine took in the Kursk region has been lost.

On 6 August 2024, Ukrainian forces crossed the border into Russia's Kursk region.

In early March 2025 the Russian counter-offensive in the Kursk region accelerated.

On 13 March 2025, Russia's Defence Ministry said it had recaptured Sudzha in the Kursk region.

On 26 April 2025, Valery Gerasimov told Putin that the Kursk region had been fully liberated.

Ukraine's General Staff denied that the Kursk region had been fully liberated.

US officials estimated that 11,000 North Korean soldiers were deployed to the Kursk region.
"""

KURSK_JUNE = """# From Kursk to Sumy: the border war in June
Date: 2025-06-20
Publisher: Eastern Europe Monitor

Ten weeks after Moscow declared victory in the Kursk region, fighting moved onto Ukrainian soil.

On 20 May 2025, Putin made his first trip to the Kursk region since Moscow declared it recaptured.

On Tuesday, Zelensky said Ukrainian units still held ground near the Kursk region border.

South Korean intelligence said that 14,000 North Korean soldiers were deployed to the Kursk region.
"""

GRAIN = """# Grain exports through Odesa
Date: 2025-05-02
Publisher: Harbour Weekly

Grain exports from Odesa rose in April as ships used the western Black Sea corridor.

Port officials said on 28 April 2025 that 40 ships had left Odesa that week.
"""


@pytest.mark.parametrize(
    ("sentence", "first", "precision"),
    [
        ("On 6 August 2024, Ukrainian forces crossed the border.", date(2024, 8, 6), "day"),
        ("In early March 2025 the offensive accelerated.", date(2025, 3, 1), "month"),
        ("In the autumn of 2024, troops were deployed.", date(2024, 9, 1), "season"),
        ("Russia annexed Crimea in 2014 after a referendum.", date(2014, 1, 1), "year"),
        ("On Tuesday, Zelensky said units held ground.", date(2025, 4, 29), "day"),
        ("Last week Russia said it had recaptured the town.", date(2025, 4, 21), "week"),
        # a day without a year takes the year the sentence named before it
        (
            "In September 2022 Kharkiv was retaken, and on 21 September mobilisation began.",
            date(2022, 9, 21),
            "day",
        ),
        # "on 28 December" in an April article: the December before
        ("Talks resumed on 28 December in Geneva.", date(2024, 12, 28), "day"),
        # the date in an aside is background: the news is Tuesday's
        (
            "Syrskyi, who was appointed on 8 February, gave the order on Tuesday.",
            date(2025, 4, 29),
            "day",
        ),
    ],
)
def test_event_dates_are_read_with_their_precision(sentence, first, precision):
    when = event_when(sentence, PUB)
    assert when is not None and when.first == first and when.precision == precision


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        # "on Wednesday" in a Wednesday article is that day, not the week before
        ("Its interior ministry said on Wednesday that 98,000 people had crossed.", PUB),
        # what was reported happened on Monday, 28 April; it was said on Tuesday
        (
            "The general staff said on Tuesday, 29 April, that a jet had crashed on Monday, "
            "28 April, while repelling an attack.",
            date(2025, 4, 28),
        ),
        # a date the reported clause only names ("announced on 21 March") is background
        (
            "On Tuesday, 29 April, the minister told Putin that the call-up announced on "
            "21 March had been completed.",
            date(2025, 4, 29),
        ),
        # a "since" date starts a period; "most recently in March" is this year's March
        (
            "The plant has lost power seven times since troops seized it in March 2022, "
            "most recently in March, and generators had to take over.",
            date(2025, 3, 1),
        ),
    ],
)
def test_the_sentences_news_dates_it(sentence, first):
    when = event_when(sentence, PUB)
    assert when is not None and when.first == first


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        (
            "The explosions on 26 September 2024 opened four leaks in total: the fourth was "
            "found by the coastguard on 29 September, close to the first.",
            [
                (
                    "The explosions on 26 September 2024 opened four leaks in total",
                    date(2024, 9, 26),
                ),
                (
                    "the fourth was found by the coastguard on 29 September, close to the first.",
                    date(2024, 9, 29),
                ),
            ],
        ),
        (
            "The order came late on Friday from Oleksandr Syrskyi, who was appointed "
            "commander-in-chief on 8 February, replacing Valerii Zaluzhnyi.",
            [
                ("The order came late on Friday from Oleksandr Syrskyi", date(2025, 4, 25)),
                (
                    "Oleksandr Syrskyi, who was appointed commander-in-chief on 8 February, "
                    "replacing Valerii Zaluzhnyi.",
                    date(2025, 2, 8),
                ),
            ],
        ),
        # one event told with two dates a day apart stays one line
        (
            "The blast destroyed the barrack late on Thursday night: the fire burned into "
            "the early hours of Friday, 25 April.",
            None,
        ),
    ],
)
def test_a_sentence_reporting_two_days_is_quoted_as_two_events(sentence, parts):
    found = event_parts(sentence, PUB)
    if parts is None:
        assert len(found) == 1
        return
    assert [(sentence[s:e], w.first) for s, e, w in found] == parts


@pytest.mark.parametrize(
    "sentence",
    [
        "The Istanbul talks of 2022 set the terms.",  # names the talks, does not date the news
        "Sanctions stay in force until 31 July 2025, officials said.",  # a deadline
        'The minister hoped the tanks could be delivered "by the end of March".',  # a deadline
        "This year the exchanges have grown larger.",  # too vague to place
        "Through the autumn, Russian forces reduced the area.",
    ],
)
def test_sentences_without_an_event_date_stay_off_the_timeline(sentence):
    assert event_when(sentence, PUB) is None


@pytest.mark.parametrize(
    ("sentence", "actor"),
    [
        ("Zelensky said the talks could resume.", "Ukraine"),
        ("Ukraine's commander-in-chief, Oleksandr Syrskyi, said units held ground.", "Ukraine"),
        ("Lavrov said the talks had been useful.", "Russia"),
        ("Zelensky, who was visiting Turkey on 18 February, said Kyiv would not sign.", "Ukraine"),
        ("According to the Kremlin, the strikes will continue.", "Russia"),
        ("Rubio said concessions were needed.", "United States"),
        ("Two days later, CIA Director John Ratcliffe confirmed the pause.", "United States"),
        ("The bridge was repaired in May.", None),
    ],
)
def test_speakers_are_grouped_into_actors(sentence, actor):
    assert speaker(sentence) == actor


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "kursk_april.md").write_text(KURSK_APRIL)
    (folder / "kursk_june.md").write_text(KURSK_JUNE)
    (folder / "grain.md").write_text(GRAIN)
    return folder


@pytest.fixture
def briefing(settings, corpus) -> Briefing:
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([corpus]).ok
    return b


def test_brief_has_dated_ordered_cited_sections(briefing):
    brief = briefing.brief("Kursk")
    assert brief.covered
    # bottom line: the newest article, with its date
    assert brief.bottom_line[0].text.startswith("As of 20 June 2025")
    days = [line.first for line in brief.timeline]
    assert days == sorted(days)
    assert date(2024, 8, 6) in days and date(2025, 5, 20) in days
    # "On Tuesday" in a 20 June 2025 article is 17 June 2025
    assert any(line.first == date(2025, 6, 17) for line in brief.timeline)
    # the grain article is not about Kursk
    assert all("Odesa" not in line.text for line in brief.lines())
    # every marker points at a citation that quotes its article exactly
    by_n = {c.n: c for c in brief.citations}
    for line in brief.lines():
        assert line.cites and all(n in by_n for n in line.cites)
    for c in brief.citations:
        assert briefing.document_text(c.doc_id)[c.start : c.end] == c.quote
    # positions by actor; the disagreement over figures and the disputed claim are flagged
    assert {"Ukraine", "Russia"} <= {line.actor for line in brief.positions}
    text = " ".join(line.text for line in brief.disagreement_lines)
    assert "14,000" in text and "11,000" in text
    assert "disputes" in text
    assert [s.published for s in brief.sources] == sorted(
        (s.published for s in brief.sources), reverse=True
    )


def test_since_keeps_later_events_only(briefing):
    brief = briefing.brief("Kursk", since=date(2025, 5, 1))
    assert brief.covered
    assert all(line.last >= date(2025, 5, 1) for line in brief.timeline)
    assert {s.published for s in brief.sources} == {date(2025, 6, 20)}


def test_a_topic_the_articles_do_not_cover_gets_a_plain_refusal(briefing):
    brief = briefing.brief("Crimean bridge")
    assert not brief.covered and brief.message == (
        "The indexed articles don't cover this topic: Crimean bridge."
    )
    assert not brief.lines() and not brief.sources
    later = briefing.brief("Kursk", since=date(2026, 1, 1))
    assert not later.covered and "since 1 January 2026" in (later.message or "")


def test_refused_questions_show_up_as_gaps(briefing):
    answer = briefing.ask("How many Kursk residents were evacuated in 2019?")
    assert answer.refused or answer.uncovered
    gaps = briefing.brief("Kursk").gaps
    assert any("evacuated" in g for g in gaps)
    assert any("nothing later is indexed" in g for g in gaps)


def test_every_format_carries_the_citations(briefing):
    from docx import Document

    brief = briefing.brief("Kursk")
    md = render(brief, "md").decode()
    assert "## Timeline" in md and "**6 August 2024**" in md and "[1]" in md
    page = render(brief, "html").decode()
    assert 'href="#src-1"' in page and 'id="src-1"' in page
    assert json.loads(render(brief, "json"))["topic"] == "Kursk"
    doc = Document(io.BytesIO(render(brief, "docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Timeline" in paragraphs and any("6 August 2024" in p for p in paragraphs)


def test_cli_writes_a_brief_file(monkeypatch, tmp_path, briefing):
    from assistant import cli

    monkeypatch.setattr(cli, "_briefing", lambda settings: briefing)
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(cli.app, ["brief", "Kursk", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Brief: Kursk")
    result = CliRunner().invoke(cli.app, ["brief", "Crimean bridge"])
    assert result.exit_code == 1 and "don't cover this topic" in result.output
    result = CliRunner().invoke(cli.app, ["brief", "  "])
    assert result.exit_code != 0 and "Give a topic" in str(result.exception)
    result = CliRunner().invoke(cli.app, ["brief", "Kursk", "--since", "March 2025"])
    assert result.exit_code != 0 and "2025-03-11" in str(result.exception)


def test_model_lines_are_kept_only_when_the_cited_sentences_support_them(briefing):
    brief = briefing.brief("Kursk")
    timeline = brief.timeline
    first, second = timeline[0], timeline[1]
    reply = (
        f"Ukrainian forces crossed into Russia's Kursk region. [{first.cites[0]}]\n"
        f"Ukrainian forces captured Moscow with 90,000 troops. [{second.cites[0]}]\n"
        "Kyiv fell yesterday."
    )
    writer = SectionWriter(FakeListChatModel(responses=[reply]), briefing.prompts, "llm:fake")
    from assistant.brief.sections import Cites

    cites = Cites()
    cites.citations = brief.citations
    lines, dropped = writer.rewrite("timeline", "Kursk", timeline, cites)
    assert [line.text for line in lines] == [
        f"Ukrainian forces crossed into Russia's Kursk region. [{first.cites[0]}]"
    ]
    assert lines[0].first == first.first  # the date stays the one read from the quote
    assert len(dropped) == 2


def test_brief_eval_scores_events_and_refusals(briefing):
    topic = Topic(
        id="kursk",
        topic="Kursk",
        terms=["kursk", "sudzha", "korean"],
        events=[
            {"date": "2024-08-06", "keywords": ["crossed"]},
            {"date": "2025-03-13", "keywords": ["sudzha"]},
            {"date": "2025-07-01", "keywords": ["never happened"]},
        ],
    )
    row = score_topic(topic, briefing.brief("Kursk"))
    assert row["event_recall"] == pytest.approx(2 / 3, abs=0.01)
    assert row["order_errors"] == 0 and row["citation_support"] == 1.0
    refused = score_topic(
        Topic(id="x", topic="Crimean bridge", covered=False), briefing.brief("Crimean bridge")
    )
    assert refused["passed"]


def test_a_configured_model_writes_the_sections_through_the_openai_client(settings, corpus):
    """The real openai client against the loopback fake: each section is asked for with its
    own prompt, supported lines are kept, an invented one is dropped and listed."""
    from tests.fake_openai import FakeOpenAI, Reply

    def write(received) -> Reply:
        prompt = received.content("user") + received.content("human")
        evidence = prompt.split("<evidence>")[1].split("</evidence>")[0].strip().splitlines()
        kept = [line.split(") ", 1)[-1] for line in evidence]
        return Reply("\n".join([*kept, "Kyiv fell on 2 January 2025. [1]"]))

    with FakeOpenAI(default=write) as fake:
        llm_settings = settings.model_copy(
            update={"openai_base_url": fake.url, "openai_api_key": "sk-test", "model": "fake-model"}
        )
        b = Briefing(llm_settings, embeddings=HashingEmbeddings())
        assert b.ingest([corpus]).ok
        brief = b.brief("Kursk")
        asked = [r.content("user") for r in fake.completions]
    assert brief.generator.startswith("llm:")
    assert len(asked) == 3 and all("one section of a brief" in a for a in asked)
    assert "Kyiv fell on 2 January 2025. [1]" in brief.unsupported
    assert all("Kyiv fell" not in line.text for line in brief.lines())
    assert brief.timeline and all(line.first for line in brief.timeline)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Officials said 11,000 to 12,000 soldiers went.", ["11,000 to 12,000"]),
        ("The cap fell from $60 to $47.60 a barrel.", []),  # a change, not a figure in dispute
        ("The dead numbered 40 to 53.", ["40 to 53"]),  # a range that ends the sentence
        ("It added 105 more vessels to the list.", []),  # an increment
        # a number closing the text: nothing after it to show (it broke a brief once)
        ("A gas phase-out plan and the first Russian rate cut: an update (000001)", []),
    ],
)
def test_figures_a_disagreement_compares(text, shown):
    from assistant.brief.disagree import quantities
    from assistant.brief.evidence import Sentence
    from assistant.models import DocMeta, Passage

    p = Passage(
        chunk_id="c",
        text=text,
        start=0,
        end=len(text),
        meta=DocMeta(doc_id="d", title="t", source="s"),
    )
    assert [q[1] for q in quantities(Sentence(p, 0, len(text), set(), 0.0))] == shown


def test_one_event_on_two_days_is_a_disagreement_quoting_each_date_as_written():
    import numpy as np

    from assistant.brief.disagree import disagreements
    from assistant.brief.evidence import Evidence, Sentence
    from assistant.brief.sections import Cites
    from assistant.brief.when import event_when
    from assistant.models import DocMeta, Passage

    def sentence(doc: str, text: str, published: date) -> Sentence:
        meta = DocMeta(doc_id=doc, title=doc, published=published, source=doc, publisher=doc)
        p = Passage(chunk_id=doc, text=text, start=0, end=len(text), meta=meta)
        s = Sentence(p, 0, len(text), set(text.lower().split()), 1.0)
        s.when = event_when(text, published)
        return s

    a = sentence(
        "Monitor", "Two missiles hit the cruiser on the evening of 13 April.", date(2022, 4, 14)
    )
    b = sentence(
        "Review", "Two missiles hit the cruiser in the early hours of 14 April.", date(2022, 4, 23)
    )
    found, lines = disagreements(
        Evidence("cruiser", [a, b], set()),
        Cites(),
        vectors=lambda ss: np.ones((len(ss), 2)) / 2**0.5,
    )
    assert [s.value for s in found[0].sides] == ["14 April", "13 April"]  # newest first
    assert "14 April [1]" in lines[0].text and "13 April [2]" in lines[0].text


def test_equally_rare_topic_words_tie_the_same_way_in_every_process():
    """The topic's most particular word decides which articles are about it; with two words
    equally rare it is the first, not whichever a set happened to yield first."""
    from assistant.brief.topic import _particular, _topic_terms

    topic = "Zaporizhzhia nuclear plant"
    tt = _topic_terms(topic)
    assert list(tt) == ["zaporizhzhia", "nuclear", "plant"]
    assert _particular(topic, tt, {"plant": 1.7, "nuclear": 3.07, "zaporizhzhia": 3.07}) == (
        "zaporizhzhia"
    )


class _FakeIndex:
    """Passage counts per word, for topic weights without an index."""

    def __init__(self, df: dict[str, int]) -> None:
        self.df = df

    def count(self) -> int:
        return 100

    def keyword(self) -> None:
        return None

    def keyword_search(self, word: str, k: int, side: object = None) -> list[int]:
        return list(range(self.df.get(word.lower(), 1)))


def test_a_topic_joining_two_things_is_named_by_a_sentence_naming_either():
    from assistant.brief.evidence import _stems
    from assistant.brief.topic import topic_words

    words = topic_words("Siege of Mariupol and the Azovstal surrender", _FakeIndex({}))
    assert words is not None
    assert words.names(_stems("The siege of Mariupol entered its third week on Monday."))
    assert words.names(_stems("The Azovstal garrison began its surrender on 16 May."))
    assert not words.names(_stems("The siege of Bakhmut entered its third week."))


def test_a_season_in_the_topic_says_when_not_what():
    from assistant.brief.topic import _topic_terms

    assert "autumn" not in _topic_terms("Russian strikes on Ukraine's power grid in autumn 2022")


def test_an_article_titled_with_the_whole_topic_covers_it_though_no_sentence_names_it_all():
    from types import SimpleNamespace

    from assistant.brief.evidence import Evidence

    said = [SimpleNamespace(names=False)] * 5  # each names most, not all, of a long topic
    topic = "Russian strikes on Ukraine's power grid"
    assert Evidence(topic, said, {"d1"}, titles_naming=1).covered  # type: ignore[arg-type]
    assert not Evidence(topic, said, {"d1"}, titles_naming=0).covered  # type: ignore[arg-type]


def test_a_place_is_more_particular_to_a_topic_than_a_rarer_common_word_but_russia_is_not():
    from assistant.brief.topic import _particular, _topic_terms

    topic = "Russian withdrawal from Kherson"
    w = {"russian": 1.09, "withdraw": 3.45, "kherson": 1.96}
    assert _particular(topic, _topic_terms(topic), w) == "kherson"
    topic = "Ukrainian drone strikes on Russian refineries"
    w = {"ukrainian": 1.1, "drone": 1.5, "strike": 1.3, "russian": 1.2, "refineri": 2.0}
    tt = _topic_terms(topic)
    assert _particular(topic, tt, {t: w.get(t, 1.0) for t in tt}).startswith("refin")


def test_the_timeline_goes_round_the_articles_before_it_is_full():
    from assistant.brief import sections
    from assistant.brief.evidence import Evidence, Sentence
    from assistant.brief.when import event_when
    from assistant.models import DocMeta, Passage

    def sentence(doc: str, text: str, relevance: float) -> Sentence:
        meta = DocMeta(doc_id=doc, title=doc, published=PUB, source=doc, publisher=doc)
        p = Passage(chunk_id=f"{doc}{text}", text=text, start=0, end=len(text), meta=meta)
        s = Sentence(p, 0, len(text), set(text.lower().split()), 1.0, relevance=relevance)
        s.when = event_when(text, PUB)
        return s

    blasts = [
        sentence("leaks", f"Reaction number {w} to the blasts came on {d} March 2025.", 0.9)
        for w, d in zip("abcdefghijklmnopqrstuvwxyz", range(1, 27), strict=False)
    ]
    inquiry = sentence("inquiry", "Prosecutors closed the inquiry on 20 April 2025.", 0.2)
    lines = sections.timeline(
        Evidence("blasts", [*blasts, inquiry], set()), sections.Cites(), None, None
    )
    assert len(lines) == sections.MAX_EVENTS
    assert any("closed the inquiry" in x.text for x in lines)


PLANT = """# Grossi visits the Zaporizhzhia plant as its cooling water shrinks
Date: 2025-04-30
Publisher: Atomic Watch

Grossi visited the Zaporizhzhia plant on 15 April, days after the Kakhovka dam breach.

The Kakhovka dam breach on 6 April drained the reservoir that cools the plant.

It was his third trip. He first led a mission across the front line in September 2022, and \
he returned in March 2023 to oversee a rotation of the team.

The Kakhovka dam had held back the reservoir since the 1950s, engineers said on 20 April.
"""


def test_a_paragraph_on_something_else_in_an_article_not_about_the_topic_is_left_out(
    settings, tmp_path
):
    folder = tmp_path / "plant"
    folder.mkdir()
    (folder / "plant.md").write_text(PLANT)
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    brief = b.brief("Kakhovka dam")
    text = " ".join(x.text for x in brief.lines())
    assert "drained the reservoir" in text
    assert "first led a mission" not in text  # Grossi's earlier trips: not the dam


@pytest.mark.parametrize(
    ("sentence", "kept"),
    [
        ("What happened on Monday is becoming clearer.", False),  # leads in, says nothing
        ("What happened next is still unclear.", False),
        ("Pressure in one line of the pipeline fell overnight on Monday.", True),
    ],
)
def test_a_sentence_leading_into_the_news_is_not_evidence(sentence, kept):
    from assistant.brief.evidence import _is_statement

    assert _is_statement(sentence) is kept


def test_a_nameless_voice_gives_colour_not_a_line_of_the_brief(settings, tmp_path):
    folder = tmp_path / "siege"
    folder.mkdir()
    (folder / "siege.md").write_text(
        "# The siege of Bakhmut in its seventh month\nDate: 2023-03-10\nPublisher: Desk\n\n"
        "Russian forces pressed the siege of Bakhmut on Tuesday, officials said.\n\n"
        '"Every metre here is paid for," said a platoon commander reached by phone on Thursday.'
        "\n\nSyrskyi said on Wednesday that the defence of Bakhmut would go on.\n"
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    text = " ".join(x.text for x in b.brief("Bakhmut").lines())
    assert "pressed the siege" in text
    assert "Every metre" not in text


def test_a_line_reporting_a_key_event_is_not_off_topic_and_the_report_lists_the_rest(
    briefing, tmp_path
):
    from assistant.evaluate.briefs import summarize, write_reports

    brief = briefing.brief("Kursk")
    assert any("Gerasimov" in x.text for x in brief.timeline)
    narrow = Topic(id="kursk", topic="Kursk", terms=["sudzha"])
    with_event = Topic(
        id="kursk",
        topic="Kursk",
        terms=["sudzha"],
        events=[{"date": "2025-04-26", "keywords": ["gerasimov"]}],
    )
    off = score_topic(narrow, brief)["off_topic"]
    row = score_topic(with_event, brief)
    assert any("Gerasimov" in x for x in off)
    assert not any("Gerasimov" in x for x in row["off_topic"])
    assert row["off_topic_lines"] == len(off) - sum("Gerasimov" in x for x in off)
    report = {"summary": summarize([row]), "topics": [row]}
    md = write_reports(report, tmp_path)[1].read_text()
    assert "## Off-topic lines" in md and row["off_topic"][0][:40] in md


def test_a_title_listing_details_of_the_topic_heads_its_own_article_not_a_round_up(
    settings, tmp_path
):
    """'Kherson after the occupation: flags, queues and no electricity' looks like a round-up,
    but most of its paragraphs are about Kherson: every statement of it is evidence."""
    folder = tmp_path / "kherson"
    folder.mkdir()
    paragraphs = [
        "Ukrainian units entered Kherson on 11 November after the Russian withdrawal.",
        "Kherson residents waved flags on the central square on 12 November.",
        "The water supply failed on 13 November, and queues formed at the wells.",
        "Kherson had no electricity on 14 November, officials in the city said.",
    ]
    (folder / "kherson.md").write_text(
        "# Kherson after the occupation: flags, queues and no electricity\nDate: 2022-11-15\n"
        "Publisher: Desk\n\n" + "\n\n".join(paragraphs) + "\n"
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    text = " ".join(x.text for x in b.brief("Kherson").lines())
    assert "water supply failed" in text


def test_a_clause_quoted_on_its_own_opens_its_timeline_line_with_a_capital():
    from assistant.brief import sections
    from assistant.brief.evidence import Evidence, Sentence
    from assistant.brief.when import event_parts
    from assistant.evaluate.briefs import _supported
    from assistant.models import DocMeta, Passage

    text = (
        "The explosions on 26 September 2024 opened four leaks in total: the fourth was found "
        "by the coastguard on 29 September, close to the first."
    )
    meta = DocMeta(doc_id="d", title="d", published=PUB, source="d", publisher="d")
    p = Passage(chunk_id="d", text=text, start=0, end=len(text), meta=meta)
    parts = []
    for start, end, when in event_parts(text, PUB):
        s = Sentence(p, start, end, set(text[start:end].lower().split()), 1.0, when=when)
        parts.append(s)
    cites = sections.Cites()
    lines = sections.timeline(Evidence("leaks", parts, set()), cites, None, None)
    assert [x.text.split(" [")[0][:14] for x in lines] == ["The explosions", "The fourth was"]
    from assistant.brief.models import Brief

    brief = Brief(topic="leaks", timeline=lines, citations=cites.citations)
    assert all(_supported(x, brief) for x in lines)


def test_a_clock_time_takes_the_day_of_the_sentence_before(settings, tmp_path):
    folder = tmp_path / "leaks"
    folder.mkdir()
    (folder / "leaks.md").write_text(
        "# Blasts under the Baltic: the Nord Stream leaks\nDate: 2022-09-28\nPublisher: Desk\n\n"
        "Seismologists recorded two explosions near the Nord Stream pipelines on 26 September. "
        "The first came at 02:03 local time, and the second at 19:03 in the evening.\n\n"
        "The Nord Stream operator said the pipelines had lost pressure on 27 September.\n"
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    brief = b.brief("Nord Stream pipelines")
    at = [x for x in brief.timeline if "02:03" in x.text]
    assert at and at[0].first == date(2022, 9, 26)
