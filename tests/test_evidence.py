"""The evidence layer as an analyst meets it: refusals for details the articles lack, dates and
disagreements between reports, constraints in the question, concise answers, follow-ups."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import REFUSAL
from assistant.pipeline import Briefing

EARLY = """# Black Sea corridor talks stall
Date: 2023-07-10
Publisher: Harbour Watch

Negotiators met in Istanbul to discuss the grain corridor for Ukrainian ports. Officials said
the corridor would be extended for another 60 days if Moscow agreed. The frigate Admiral Orlov
escorted two tankers past the Bosphorus during the talks. Analysts said shipping insurers were
watching the negotiations closely.
"""

LATE = """# Grain corridor extended after late deal
Date: 2023-07-21
Publisher: Steppe Dispatch

After a week of talks in Istanbul the grain corridor for Ukrainian ports was extended for 120 days,
officials said on Friday. Shipping insurers welcomed the longer extension. Drone strikes on
Odesa killed 12 dock workers on 19 July 2023. The frigate Admiral Orlov returned to Sevastopol.
"""


def _briefing_over(tmp_path: Path, minilm, articles: dict[str, str]) -> Briefing:
    """A briefing over a few articles written for one test."""
    from assistant.settings import Settings

    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    b = Briefing(Settings(data_dir=tmp_path / "data"), embeddings=minilm)
    assert b.ingestor.ingest_paths([folder]).ok
    return b


def _sides(tmp_path: Path, minilm, early: str, late: str, question: str) -> set[str]:
    """The values of the first disagreement the answer reports, over two articles."""
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask(question)
    assert answer.disagreements, answer.text
    return {s.value for s in answer.disagreements[0].sides}


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, minilm) -> Briefing:
    from assistant.settings import Settings

    root: Path = tmp_path_factory.mktemp("evidence")
    folder = root / "articles"
    folder.mkdir()
    (folder / "early.md").write_text(EARLY, encoding="utf-8")
    (folder / "late.md").write_text(LATE, encoding="utf-8")
    b = Briefing(Settings(data_dir=root / "data"), embeddings=minilm)
    assert b.ingestor.ingest_paths([folder]).ok
    return b


@pytest.mark.integration
def test_a_detail_the_articles_lack_is_refused(briefing):
    """The frigate is named, its captain is not."""
    answer = briefing.ask("Who was the captain of the Admiral Orlov?")
    assert answer.refused and answer.text == REFUSAL


@pytest.mark.integration
def test_a_count_is_a_number_near_what_was_counted(briefing):
    answer = briefing.ask("How many dock workers were killed in Odesa?")
    assert not answer.refused and "12 dock workers" in answer.text
    assert answer.citations[0].publisher == "Steppe Dispatch"


@pytest.mark.integration
def test_a_year_in_the_question_must_match(briefing):
    answer = briefing.ask("How many dock workers were killed in Odesa in 2021?")
    assert answer.refused


@pytest.mark.integration
def test_the_newer_report_leads_and_the_disagreement_is_data_and_text(briefing):
    answer = briefing.ask("How long was the grain corridor extended?")
    assert not answer.refused
    assert answer.text.index("120") < answer.text.index("60")  # the newer value first
    assert answer.disagreements, answer.text
    sides = answer.disagreements[0].sides
    assert [s.publisher for s in sides] == ["Steppe Dispatch", "Harbour Watch"]
    assert {s.value for s in sides} == {"120 days", "60 days"}
    cited = {c.n: c for c in answer.citations}
    assert all(s.n in cited and cited[s.n].publisher == s.publisher for s in sides)
    assert "differ" in answer.text or "disagree" in answer.text
    assert str(answer.as_of) == "2023-07-21"


@pytest.mark.integration
def test_latest_questions_say_which_date_the_answer_is_as_of(briefing):
    answer = briefing.ask("What is the latest on the grain corridor extension?")
    assert answer.text.startswith("As of 21 July 2023")


@pytest.mark.integration
def test_a_self_contained_question_is_not_rewritten_but_a_follow_up_is(briefing):
    history = [
        {"role": "user", "content": "How many dock workers were killed in Odesa?"},
        {"role": "assistant", "content": "Drone strikes killed 12 dock workers. [1]"},
    ]
    fresh = briefing.ask("How long was the grain corridor extended?", history=history)
    assert fresh.standalone_question is None
    follow = briefing.ask("And when did it happen?", history=history)
    assert follow.standalone_question and "(following: How many dock workers" in (
        follow.standalone_question
    )
    assert "19 July 2023" in follow.text


@pytest.mark.integration
def test_compound_question_answers_each_part_or_names_the_missing_one(briefing):
    answer = briefing.ask(
        "How many dock workers were killed in Odesa, and who was the captain of the Admiral Orlov?"
    )
    assert not answer.refused and "12 dock workers" in answer.text
    assert answer.uncovered and "captain" in answer.uncovered[0]
    assert "don't cover this part of the question" in answer.text


@pytest.mark.parametrize(
    ("question", "sentence", "carries"),
    [
        # 'senior' says which official, it is not the thing asked for
        (
            "Which senior American official was visiting Kyiv when the market was hit?",
            "The attack came as the US secretary of state, Antony Blinken, arrived in Kyiv.",
            True,
        ),
        # the head ends where the place it stands in begins: 'plant', not 'near'
        (
            "Which plant near Kyiv did Russia strike the day after the sinking?",
            "Russian missiles struck the Vizar plant on the outskirts of Kyiv.",
            True,
        ),
        (
            "What ceasefire conditions did Vladimir Saldo lay down in June 2024?",
            "The documents were signed with Vladimir Saldo for Kherson.",
            False,
        ),
        (
            "What turnout did organisers report for the Crimean referendum?",
            "A referendum organised under Russian control was held in Crimea on 16 March 2014.",
            False,
        ),
        (
            "What turnout did organisers report for the Crimean referendum?",
            "Organisers put turnout at 83 per cent.",
            True,
        ),
        # a category answered by a name: the sentence need not say "post" or "facility"
        ("What post does Rustem Umerov hold now?", "Umerov became secretary of the Council.", True),
        (
            "What facility was the defenders' last stronghold?",
            "The defenders held out in the coke plant.",
            True,
        ),
        ("Who led the US delegation?", "Rubio led it.", True),  # no head to carry
        # "what was the X of …" names its head after the article
        (
            "What was the call sign of the pilot who was killed?",
            "The pilot, Oleksii Mes, had been killed.",
            False,
        ),
        (
            "What was the call sign of the pilot who was killed?",
            'Mes flew under the call sign "Moonfish".',
            True,
        ),
        ("What is the latest on the minerals deal?", "The deal was signed on 30 April.", True),
        # "the name of the first mining project": a project, not any sentence about mines
        (
            "What is the name of the first mining project financed by the fund?",
            "New mines take years to develop, analysts caution.",
            False,
        ),
        (
            "What is the name of the first mining project financed by the fund?",
            "The fund's first project is the Dobra lithium mine.",
            True,
        ),
        # a name in the head is not the thing asked; a kind of unit is
        ("In which Dagestani city did protesters clash?", "Crowds clashed in Makhachkala.", True),
        (
            "Which Ukrainian brigade was the first to enter Kherson city?",
            "The first Ukrainian units drove into the city on Friday.",
            False,
        ),
        # an estuary is a stretch of water; a road is not
        (
            "What stretch of water does the bridge span?",
            "The bridge spans the narrow mouth of the Dniester estuary.",
            True,
        ),
        ("What stretch of water does the bridge span?", "The bridge carries the main road.", False),
        # a preposition before 'what' does not hide the thing asked for
        (
            "Over what stretch of water is the bridge built?",
            "Missiles struck the bridge on Thursday morning, damaging its roadway.",
            False,
        ),
        (
            "Over what stretch of water is the bridge built?",
            "The bridge spans a narrow strait of the Syvash, a shallow salt lagoon.",
            True,
        ),
    ],
)
def test_the_thing_a_what_question_asks_for_must_be_in_the_sentence(question, sentence, carries):
    from assistant.answer.asked import carries_head
    from assistant.answer.question import analyse

    assert carries_head(analyse(question).parts[0], sentence) is carries


@pytest.mark.integration
def test_the_sentence_naming_what_was_asked_for_leads(tmp_path, minilm):
    """Two sentences about the pilot's death are closer to the question in words and meaning;
    the one that gives the call sign answers it."""
    crash = (
        "# Ukraine loses its first F-16\nDate: 2024-09-02\nPublisher: Air Watch\n\n"
        "Ukraine's general staff said on Thursday that an F-16 had crashed on Monday while "
        "repelling what officials called the largest Russian air attack of the war, and that "
        "the pilot, Oleksii Mes, had been killed. Less than a month after Ukraine's first F-16 "
        "fighters went into service, one of them has been lost, along with its pilot. Mes, who "
        'flew under the call sign "Moonfish", was one of the best-known Ukrainian pilots.\n'
    )
    b = _briefing_over(tmp_path, minilm, {"crash.md": crash})
    answer = b.ask("What was the call sign of the pilot killed when Ukraine lost its first F-16?")
    assert not answer.refused
    assert answer.text.split("[1]")[0].count("Moonfish") == 1


def test_a_dateline_names_nobody():
    from assistant.answer.names import capitalised

    assert capitalised("ODESA — Six weeks after the deal, ships still sail.") == []
    assert capitalised("KYIV, 3 March (Wire) — Officials in Odesa said ships sailed.") == ["Odesa"]
    assert capitalised("The NATO summit in Washington ended.") == ["NATO", "Washington"]


@pytest.mark.parametrize(
    ("question", "sentence", "typed"),
    [
        (
            "In which Dagestani city did protesters clash with police?",
            "On Sunday, crowds in Makhachkala, the regional capital, clashed with police.",
            True,
        ),
        (
            "In which Dagestani city did protesters clash with police?",
            "The harshest protests came from Dagestan, in the North Caucasus.",
            False,
        ),
        ("Which town did Ukraine take first?", "Ukraine first took the town of Sudzha.", True),
        (
            "In which building in Istanbul did the delegations meet?",
            "The delegations met on Tuesday in the Dolmabahce Palace on the Bosphorus.",
            True,
        ),
        (
            "At which training area did the crews learn?",
            "They trained at the Bundeswehr's training area in Munster.",
            True,
        ),
        ("Who led the delegation?", "Rubio, the secretary of state, led it.", False),
    ],
)
def test_a_place_said_to_be_of_the_kind_asked_for(question, sentence, typed):
    from assistant.answer.asked import head_stems, typed_place
    from assistant.answer.question import analyse

    part = analyse(question).parts[0]
    assert typed_place(part, sentence) is typed
    assert "dagestani" not in head_stems(part)  # a name is a constraint, not the thing asked


@pytest.mark.integration
def test_two_estimates_of_one_figure_in_other_words_are_a_disagreement(tmp_path, minilm):
    """'home to about 70,000 people' and 'about 73,000 inhabitants' estimate one population;
    the 500 civilians left are another quantity, not a third estimate."""
    siege = (
        "# The siege of Bakhmut\nDate: 2023-03-10\nPublisher: Donbas Dispatch\n\n"
        "Before the war Bakhmut was home to about 70,000 people and was known for its salt "
        "mines. Local officials say about 4,000 civilians remain in the city.\n"
    )
    fall = (
        "# Bakhmut falls\nDate: 2023-05-24\nPublisher: Donetsk Basin Review\n\n"
        "Wagner says it has taken Bakhmut. The city that had about 73,000 inhabitants before "
        "the full-scale invasion has been reduced to rubble. Fewer than 500 civilians were "
        "thought to remain, many of them elderly people.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"siege.md": siege, "fall.md": fall})
    answer = b.ask("How many people lived in Bakhmut before the war?")
    assert answer.disagreements, answer.text
    # a side keeps what its number counts when that follows it ('about 73,000 inhabitants')
    values = {" ".join(side.value.split()[:2]) for side in answer.disagreements[0].sides}
    # each side as its source words it: the estimate, not a bare figure
    assert {"about 70,000", "about 73,000"} <= values and not any("500" in v for v in values)


@pytest.mark.integration
def test_two_days_given_for_one_past_event_are_a_disagreement(tmp_path, minilm):
    """17 October in one report, 19 October 2023 in a later one: the sources disagree on when
    it happened (a conflict, not an update); a span of days against a day inside another
    event is no dispute."""
    early = (
        "# Ukrainian marines hold Krynky\nDate: 2023-11-17\nPublisher: Riverside Monitor\n\n"
        "Russian military bloggers say that small Ukrainian groups crossed the river in boats "
        "near Krynky from 17 October. The votes took place from 23 to 27 September 2022.\n"
    )
    late = (
        "# Ukraine leaves Krynky\nDate: 2024-07-19\nPublisher: Lower Dnipro Review\n\n"
        "According to marines who took part, the first group crossed the river near Krynky on "
        "19 October 2023. On 30 September 2022 Russia proclaimed the annexation of the "
        "regions where the votes took place.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("When did the first Ukrainian troops cross the river near Krynky?")
    assert answer.disagreements, answer.text
    assert answer.disagreements[0].kind == "conflict"
    assert {s.value for s in answer.disagreements[0].sides} == {"17 October", "19 October 2023"}
    votes = b.ask("When did the votes take place?")
    assert not votes.disagreements, votes.text


@pytest.mark.integration
def test_a_figure_from_before_the_war_is_disputed_not_updated(tmp_path, minilm):
    """'Before the invasion' asks about a fixed past: the sentences about that time answer,
    a later count of those still living does not, and two pre-war figures are a dispute."""
    march = (
        "# Mariupol under siege\nDate: 2022-03-18\nPublisher: Azov Sea Courier\n\n"
        "Mariupol, a port with about 430,000 inhabitants before the invasion, has been "
        "encircled by Russian forces since 1 March.\n"
    )
    may = (
        "# Azovstal falls\nDate: 2022-05-21\nPublisher: Donbas Frontier Review\n\n"
        "The mayor said that more than 20,000 civilians had been killed, and that about 100,000 "
        "residents were still living in the ruins of Mariupol. Mariupol had some 450,000 "
        "inhabitants before 24 February.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"march.md": march, "may.md": may})
    answer = b.ask("How many people lived in Mariupol before the invasion?")
    assert answer.disagreements, answer.text
    d = answer.disagreements[0]
    assert d.kind == "conflict"
    assert {" ".join(s.value.split()[:2]) for s in d.sides} == {"about 430,000", "some 450,000"}
    assert "100,000" not in answer.text.split("[1]")[0]


def test_the_sentence_saying_what_a_thing_is_called_leads():
    from assistant.answer.asked import gives_name
    from assistant.answer.question import analyse

    part = analyse("What do Ukrainian soldiers call the Shahed drones?").parts[0]
    assert gives_name(part, 'Shahed drones, which Ukrainian soldiers call "mopeds", hit Kyiv.')
    assert not gives_name(part, "Shahed drones have hit substations almost every night.")
    assert not gives_name(analyse("Who led the delegation?").parts[0], "He called it a win.")


@pytest.mark.integration
def test_the_day_in_the_sentence_after_the_event_answers_with_it(tmp_path, minilm):
    """'He chose to announce it himself. In a video released on Saturday, 20 May, …': the
    sentence naming the announcement has no day, the next one does; both are quoted."""
    fall = (
        "# Wagner claims Bakhmut\nDate: 2023-05-24\nPublisher: Basin Review\n\n"
        "Yevgeny Prigozhin chose to announce the capture of Bakhmut himself. In a video "
        "released on Saturday, 20 May, the Wagner chief stood among ruined apartment blocks "
        "and declared that his men had taken the city. Russia's defence ministry later "
        "thanked the regular army units that had supported them.\n\n"
        "Ukraine's response was more ambiguous, and its commanders said fighting went on.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"fall.md": fall})
    answer = b.ask("On what date did Prigozhin announce the capture of Bakhmut?")
    assert not answer.refused, answer.text
    assert "20 May" in answer.text and "announce the capture" in answer.text
    assert answer.citations[0].quote.startswith("Yevgeny Prigozhin")
    # No such sentence after: still refused, the lead alone gives no day.
    alone = fall.replace(" In a video released on Saturday, 20 May,", "\n\nOn camera,")
    (tmp_path / "b").mkdir()
    b2 = _briefing_over(tmp_path / "b", minilm, {"fall.md": alone})
    assert b2.ask("On what date did Prigozhin announce the capture of Bakhmut?").refused


@pytest.mark.integration
def test_a_sentence_naming_everyone_asked_about_may_say_it_in_other_words(tmp_path, minilm):
    """'When did Zelensky unveil Ukraine's first F-16s?': the sentence where Zelensky stands
    by the jets and confirms they have arrived names him, Ukraine and the F-16s, without
    'unveil'; it answers with its day."""
    jets = (
        "# Ukraine's first F-16s\nDate: 2024-08-05\nPublisher: Air Watch\n\n"
        "Two grey jets roared low over an airfield in Ukraine on Sunday, and Volodymyr "
        "Zelensky, standing in front of a third, confirmed that the first F-16 fighters have "
        "arrived. Pilots trained in Denmark and the United States for months. The jets will "
        "defend cities against cruise missiles, officials said.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"jets.md": jets})
    answer = b.ask("On what date did Zelensky unveil Ukraine's first F-16s?")
    assert not answer.refused, answer.text
    assert "on Sunday" in answer.text


@pytest.mark.integration
def test_a_date_question_answered_by_a_weekday_gets_the_day_it_stands_for(tmp_path, minilm):
    """'On Sunday' in a report of Monday 5 August answers 'on what date' only with 4 August."""
    jets = (
        "# The F-16s are here\nDate: 2024-08-05\nPublisher: Air Review\n\n"
        "Two grey jets flew low over an airfield in Ukraine on Sunday, and President Volodymyr "
        "Zelensky confirmed that the first F-16 fighters had arrived. Pilots trained for a year "
        "in Denmark and the United States.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"jets.md": jets})
    answer = b.ask("On what date did Zelensky unveil Ukraine's first F-16 jets?")
    assert not answer.refused, answer.text
    assert answer.text.startswith('As of 5 August 2024 ("Sunday" is 4 August 2024): Two grey')
    assert answer.citations[0].quote.startswith("Two grey jets")


@pytest.mark.integration
def test_a_second_report_that_names_the_place_only_in_its_passage_is_still_a_side(tmp_path, minilm):
    """'The city had been encircled since 2 March' is about Mariupol when its paragraph says
    so: against 'since 1 March' elsewhere, the sources disagree."""
    early = (
        "# Mariupol under siege\nDate: 2022-03-18\nPublisher: Azov Courier\n\n"
        "Mariupol, a port of about 430,000 people, has been encircled by Russian forces since "
        "1 March. Food and water are running out.\n"
    )
    late = (
        "# The fall of Mariupol\nDate: 2022-05-21\nPublisher: Donbas Review\n\n"
        "The last defenders of Mariupol left the Azovstal steelworks on 20 May. The city had "
        "been encircled by Russian forces since 2 March, according to the regional governor.\n"
    )
    assert _sides(
        tmp_path, minilm, early, late, "Since what date had Russian forces encircled Mariupol?"
    ) == {"1 March", "2 March"}


@pytest.mark.integration
def test_a_month_the_question_names_is_met_by_a_report_of_that_month(tmp_path, minilm):
    """'… in February 2022' asked of a report dated 26 February 2022 that says 'on Saturday':
    the month is the report's, not a name the articles lack; a weekday is nobody's name."""
    seizure = (
        "# Snake Island falls\nDate: 2022-02-26\nPublisher: Black Sea Wire\n\n"
        "Russian forces captured Snake Island on Thursday evening. Early on Saturday the border "
        "service said that the Sapfir, a civilian search-and-rescue ship sent from Odesa to "
        "collect the dead, had been intercepted by the Russian navy.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"seizure.md": seizure})
    answer = b.ask(
        "What was the civilian search-and-rescue vessel called that the Russian navy "
        "intercepted near Snake Island in February 2022?"
    )
    assert not answer.refused, answer.text
    assert "Sapfir" in answer.text


@pytest.mark.integration
def test_two_days_for_one_departure_in_another_form_of_the_verb_are_a_disagreement(
    tmp_path, minilm
):
    """'When did the last Russian units leave?' — 'left on 31 March' in one report, 'its units
    had left on 30 March' in another: the same event, two days."""
    early = (
        "# Bodies in the streets of Bucha\nDate: 2022-04-04\nPublisher: Oblast Herald\n\n"
        "Russia's defence ministry denied any killings in Bucha. It said that its units had "
        "left on 30 March.\n"
    )
    late = (
        "# Bucha, four months on\nDate: 2022-08-08\nPublisher: Justice Monitor\n\n"
        "Investigators have returned to Bucha. The last Russian units left on 31 March, and "
        "Ukrainian troops arrived the next day.\n"
    )
    assert _sides(
        tmp_path, minilm, early, late, "On what date did the last Russian units leave Bucha?"
    ) == {"30 March", "31 March"}


@pytest.mark.integration
def test_two_populations_in_other_words_are_a_disagreement(tmp_path, minilm):
    """'about 15,000 inhabitants before the full-scale invasion' and 'some 14,000 people who
    lived there before the war' are two estimates of one population."""
    early = (
        "# Tanks in a minefield\nDate: 2023-02-16\nPublisher: Front Dispatch\n\n"
        "Founded in the 1960s around two coal mines, Vuhledar had about 15,000 inhabitants "
        "before the full-scale invasion.\n"
    )
    late = (
        "# Ukraine leaves Vuhledar\nDate: 2024-10-03\nPublisher: Frontline Journal\n\n"
        "Of the some 14,000 people who lived in Vuhledar before the war, 107 remained in "
        "September, local officials said.\n"
    )
    assert _sides(
        tmp_path,
        minilm,
        early,
        late,
        "What was Vuhledar's population before the full-scale invasion?",
    ) == {"about 15,000", "some 14,000"}


@pytest.mark.integration
def test_a_short_capital_stands_for_its_country(tmp_path, minilm):
    """'Berlin and Paris' asked, 'Germany … France' written: no name is missing."""
    article = (
        "# Europe answers Bucha\nDate: 2022-04-04\nPublisher: Kyiv Herald\n\n"
        "Germany said on Monday that it was expelling 40 Russian diplomats in response to the "
        "killings in Bucha, and France announced the expulsion of 35.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"bucha.md": article})
    answer = b.ask("How many Russian diplomats did Berlin and Paris each expel over Bucha?")
    assert not answer.refused, answer.text
    assert "40" in answer.text and "35" in answer.text


@pytest.mark.integration
def test_a_year_asked_for_is_met_by_last_novembers_report(tmp_path, minilm):
    """'… argue in late 2023' asked of a February 2024 report saying 'In November': the year
    is the report's last November, not a name the articles lack."""
    article = (
        "# Zaluzhnyi dismissed\nDate: 2024-02-09\nPublisher: Kyiv Ledger\n\n"
        "In November Zaluzhnyi wrote in an essay for The Economist that the war had reached a "
        "stalemate, and that only a technological leap would break it.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"z.md": article})
    answer = b.ask(
        "In which publication did Zaluzhnyi argue in late 2023 that the war was deadlocked?"
    )
    assert not answer.refused, answer.text
    assert "The Economist" in answer.text


@pytest.mark.integration
def test_a_thing_named_in_the_sentence_after_answers_which_vessel(tmp_path, minilm):
    """'… a Russian ship radioed its defenders to surrender. The demand came from the patrol
    ship Vasily Bykov …': quoted together they say which vessel."""
    article = (
        "# Snake Island\nDate: 2022-06-30\nPublisher: Black Sea Wire\n\n"
        "The Snake Island garrison got its ultimatum on 24 February 2022, when a Russian ship "
        "radioed its defenders to surrender and was told where to go. The demand came from the "
        "patrol ship Vasily Bykov, which was sailing with the cruiser Moskva.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"snake.md": article})
    answer = b.ask("Which Russian vessel radioed the ultimatum to the Snake Island garrison?")
    assert not answer.refused, answer.text
    assert "Vasily Bykov" in answer.text


_FILLER = (
    "Residents said the blast shook windows across the bay and that smoke hung over the "
    "harbour for hours. Traffic was stopped on the main avenue while fire crews worked. "
)


@pytest.mark.integration
def test_two_times_of_day_for_one_strike_are_a_disagreement(tmp_path, minilm):
    """'At what time' wants a time of day: '12:03' in one report against 'about 12:20' in
    another is a disagreement, though the second names the city only in another paragraph
    of its article."""
    early = (
        "# Missiles hit fleet headquarters in Sevastopol\nDate: 2023-09-22\n"
        "Publisher: Coast Monitor\n\n"
        "Missiles struck the headquarters of the Black Sea Fleet in Sevastopol on Friday. "
        "Video shows two missiles hitting the building at about 12:20 local time.\n"
    )
    late = (
        "# After the strike: the fleet moves east\nDate: 2023-10-19\nPublisher: Naval Review\n\n"
        "Four weeks after missiles hit its headquarters in Sevastopol, the fleet is moving "
        "ships to Novorossiysk.\n\n"
        + _FILLER
        * 8
        + "\n\nTimestamped videos filmed by residents show the first missile hitting the "
        "headquarters building at 12:03, with further blasts a minute later.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("At what time did the missiles hit the fleet headquarters in Sevastopol?")
    assert answer.disagreements, answer.text
    sides = " ".join(s.value for s in answer.disagreements[0].sides)
    assert "12:03" in sides and "12:20" in sides, answer.text


@pytest.mark.integration
def test_a_time_question_is_not_answered_by_a_day_alone(tmp_path, minilm):
    """'On Friday' says which day, not at what time: with no time of day given, refuse."""
    b = _briefing_over(
        tmp_path,
        minilm,
        {
            "a.md": "# Missiles hit fleet headquarters\nDate: 2023-09-22\nPublisher: Coast "
            "Monitor\n\nMissiles struck the headquarters of the Black Sea Fleet in Sevastopol "
            "on Friday, 22 September. Smoke rose over the harbour for hours.\n"
        },
    )
    answer = b.ask("At what time did the missiles hit the fleet headquarters in Sevastopol?")
    assert answer.refused, answer.text


@pytest.mark.integration
def test_two_reports_naming_different_units_for_one_task_are_a_disagreement(tmp_path, minilm):
    """'Which brigade …': the 3rd Assault in one report, the 47th Mechanised in another (which
    names the town only in another paragraph) are two sides, not one answer."""
    early = (
        "# Avdiivka falls\nDate: 2024-02-18\nPublisher: Front Daily\n\n"
        "In the final days, Ukraine rushed the 3rd Separate Assault Brigade into Avdiivka to "
        "cover the withdrawal of the garrison.\n"
    )
    late = (
        "# Inside the retreat from Avdiivka\nDate: 2024-02-21\nPublisher: Steppe Review\n\n"
        "Soldiers who left Avdiivka described a chaotic retreat along a single road.\n\n"
        + _FILLER
        * 8
        + "\n\nThe 47th Mechanised Brigade, which had fought around the town since the autumn, "
        "was sent into the northern districts in the last days to cover the retreat.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask(
        "Which Ukrainian brigade was sent into Avdiivka in the final days to cover the withdrawal?"
    )
    assert answer.disagreements, answer.text
    sides = " ".join(s.value for s in answer.disagreements[0].sides)
    assert "47th" in sides and "3rd" in sides, answer.text


@pytest.mark.integration
def test_every_weekday_in_a_quote_is_given_its_day(tmp_path, minilm):
    """'On Tuesday, a day after … on Monday afternoon': both days are read out, so the day
    of the strike is there however the sentence orders them."""
    mall = (
        "# Kremenchuk mourns\nDate: 2022-06-28\nPublisher: Central Today\n\n"
        "Rescuers in Kremenchuk were still lifting metal from the burned-out Amstor shopping "
        "centre on Tuesday, a day after a Russian missile struck the building on Monday "
        "afternoon. Shops nearby stayed closed.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"mall.md": mall})
    answer = b.ask("On what date was the Amstor shopping centre in Kremenchuk struck?")
    assert answer.text.startswith(
        'As of 28 June 2022 ("Tuesday" is 28 June 2022, "Monday" is 27 June 2022): Rescuers'
    ), answer.text


@pytest.mark.integration
def test_a_communique_endorsed_answers_when_it_was_adopted(tmp_path, minilm):
    """'Adopted' and 'endorsed' say the same of a communiqué: the day is given, not refused."""
    summit = (
        "# Peace summit ends with a communiqué\nDate: 2024-06-17\nPublisher: Alpine Wire\n\n"
        "The summit on peace in Ukraine ended at the Bürgenstock resort in Switzerland on "
        "Sunday with a joint communiqué endorsed by 80 countries. Several large states did not "
        "sign it. Delegates left for Lucerne in the evening.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"summit.md": summit})
    answer = b.ask("On which day was the Bürgenstock communiqué adopted?")
    assert not answer.refused, answer.text
    assert "16 June 2024" in answer.text, answer.text


def test_a_day_and_a_month_a_year_apart_are_two_events_not_a_dispute():
    """'Withdrew on 17 July 2023' and 'in July 2022' are not two accounts of one day, however
    alike the sentences read."""
    from datetime import date
    from types import SimpleNamespace

    import numpy as np

    from assistant.answer.compare import same_thing
    from assistant.answer.question import analyse
    from assistant.text import stem, terms

    def pick(text: str, value: str, published: date) -> SimpleNamespace:
        cand = SimpleNamespace(text=text, stems={stem(t) for t in terms(text)}, document="")
        cand.passage = SimpleNamespace(text=text)
        return SimpleNamespace(cand=cand, value=value, published=published, vector=np.ones(2))

    part = analyse("When did Russia withdraw from the Black Sea Grain Initiative?").parts[0]
    late = pick("Russia withdrew from the deal on 17 July 2023.", "17 July 2023", date(2023, 7, 20))
    early = pick("The deal Russia left was signed in July 2022.", "July 2022", date(2023, 2, 24))
    near = pick("Russia withdrew from the deal in July 2023.", "July 2023", date(2023, 8, 1))
    assert not same_thing(part, late, early)
    assert same_thing(part, late, near)


@pytest.mark.integration
def test_a_later_count_of_the_same_people_is_the_figure_now(tmp_path, minilm):
    """The later article counts the residents again in other words: its figure leads, and the
    earlier one is reported as what it was then."""
    early = """# Shelling empties the hilltop town of Kurakhove
Date: 2024-04-11
Publisher: Eastern Donbas Monitor

Some 700 residents are still living in Kurakhove, most of them elderly, according to the head of
the town's military administration. Buses run twice a week when the shelling allows. The town's
water plant was hit in March, and the hospital has moved west.
"""
    late = """# Six months on in Kurakhove, the front runs through the town centre
Date: 2024-10-17
Publisher: Front Line Dispatch

Fighting now runs through the centre and around the ruined power plant. Only about 280 residents
remain, the administration's head said. Police teams drive in to take out those who agree to go.
The town was once home to some 18,500 people.
"""
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("How many civilians are still living in Kurakhove?")
    assert not answer.refused, answer.text
    assert "280" in answer.text and "700" in answer.text, answer.text
    assert answer.text.index("280") < answer.text.index("700"), answer.text
    assert "18,500" not in answer.text
    assert answer.disagreements, answer.text
    assert {s.value for s in answer.disagreements[0].sides} == {
        "about 280 residents",
        "some 700 residents",
    }


@pytest.mark.integration
def test_a_time_of_day_is_not_an_amount(tmp_path, minilm):
    """'At 6:07 local time' dates the blast; it says nothing of how much explosive there was,
    and the article says that is not known."""
    article = """# Truck bomb brings down part of the road bridge
Date: 2022-10-08
Publisher: Straits Courier

A truck blew up on the road bridge at 6:07 local time as it was crossing towards the peninsula,
the investigative committee said. Two spans of the carriageway fell into the strait, and fuel
tanks on a passing train caught fire. Investigators have not said how much explosive the truck
was carrying or where it had been loaded. Traffic resumed on one lane in the evening.
"""
    b = _briefing_over(tmp_path, minilm, {"bridge.md": article})
    answer = b.ask("How much explosive was packed into the truck that blew up on the bridge?")
    assert answer.refused, answer.text
    assert b.ask("How many spans of the carriageway fell into the strait?").text.startswith("Two")


@pytest.mark.integration
def test_a_place_without_a_name_answers_where(tmp_path, minilm):
    """'In the basement of the village school' is where the villagers were held; a sentence
    saying only how long they were held is not."""
    article = """# Survivors of the school basement speak
Date: 2022-04-12
Publisher: Northern Courier

About 360 villagers, some 70 of them children, were held by Russian soldiers for 27 days in the
basement of the village school. Ten of them, most of them elderly, died there. Investigators
from the regional prosecutor's office arrived on Monday to take statements.
"""
    held_only = """# Villagers freed after four weeks
Date: 2022-04-12
Publisher: Northern Courier

About 360 villagers were held by Russian soldiers for 27 days, residents said. Investigators
from the regional prosecutor's office arrived on Monday to take statements.
"""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    answer = _briefing_over(tmp_path / "a", minilm, {"a.md": article}).ask(
        "Where were the villagers kept by the Russian soldiers?"
    )
    assert not answer.refused and "basement of the village school" in answer.text, answer.text
    other = _briefing_over(tmp_path / "b", minilm, {"b.md": held_only})
    assert other.ask("Where were the villagers kept by the Russian soldiers?").refused


@pytest.mark.integration
def test_each_part_of_a_compound_question_is_judged_against_its_own_sentences(tmp_path, minilm):
    """The sentence answering the first part shares most words with the whole question; the
    second part's answer ('Ten of them … died there') is judged against sentences about dying."""
    article = """# Survivors of the school basement speak
Date: 2022-04-12
Publisher: Northern Courier

In Yahidne, south of the city, about 360 villagers, some 70 of them children, were held by
Russian soldiers for 27 days in the basement of the village school. The soldiers, who had made
the school their base, used the villagers as cover against Ukrainian artillery, residents told
investigators. Svitlana, a teacher at the school who was among those held, said the children
drew calendars on the basement walls to count the days.

Prosecutors from the regional office arrived on Monday with forensic teams and began recording
the names of the survivors and the dead, going house by house along the main street. Most of the
houses on the street have no roofs, and the shop by the bus stop burned down in March. Volunteers
from the city bring bread and medicine twice a week, and engineers have started to clear mines
from the fields so that farmers can sow before the end of the month. Ten of them died there, most
of them elderly; the survivors buried them behind the building when the guards allowed it.
"""
    b = _briefing_over(tmp_path, minilm, {"a.md": article})
    answer = b.ask(
        "For how many days were the Yahidne villagers held in the school basement, "
        "and how many of them died there?"
    )
    assert "27 days" in answer.text and "Ten of them" in answer.text, answer.text
    assert not answer.uncovered, answer.text


@pytest.mark.parametrize(
    "question, sentence, named",
    [
        (
            "Which hotel in Chernihiv was destroyed by an air strike?",
            "Two days earlier an air strike destroyed the Hotel Ukraina, a Soviet-era building.",
            "Hotel Ukraina",
        ),
        (
            "Which bridge did the rockets hit?",
            "Rockets hit the Antonivskyi bridge over the Dnipro overnight.",
            "Antonivskyi bridge",
        ),
        # the name the question gives is no answer, nor is a weekday after the kind's word
        ("Which hotel near Ukraina was hit?", "A strike hit the Hotel Ukraina.", None),
        ("Which hotel was hit?", "The strike on the hotel Monday killed two.", None),
    ],
)
def test_a_thing_of_the_kind_asked_for_named_before_or_after_its_kind(question, sentence, named):
    from assistant.answer.asked import named_instance
    from assistant.answer.question import analyse

    part = analyse(question).parts[0]
    given = {w.lower() for w in question.replace("?", "").split()}
    assert named_instance(part, sentence, given) == named


@pytest.mark.integration
def test_a_role_asked_for_is_met_by_another_word_for_it(tmp_path, minilm):
    """Britain's defence secretary is the minister a question asks for."""
    article = """# Britain confirms long-range missiles for Ukraine
Date: 2023-05-12
Publisher: Westminster Defence Brief

The British defence secretary, Ben Wallace, announced the first deliveries of the cruise missiles
in the House of Commons on Thursday. He would not say how many were being sent. Officials said the
missiles would be used only on Ukrainian territory, including occupied Crimea.
"""
    b = _briefing_over(tmp_path, minilm, {"a.md": article})
    answer = b.ask("Which British minister announced the missile deliveries?")
    assert not answer.refused and "Wallace" in answer.text, answer.text


@pytest.mark.parametrize(
    "sentence, named",
    [
        (
            "The world's largest aircraft, the six-engined An-225 Mriya, was in a hangar there.",
            "An-225 Mriya",
        ),
        # a count of helicopters names no aircraft
        ("Troops took the airfield in an operation involving 200 helicopters.", None),
    ],
)
def test_which_aircraft_is_answered_by_a_name_not_a_count(sentence, named):
    from assistant.answer.asked import named_thing
    from assistant.answer.question import analyse

    part = analyse("What record-breaking aircraft was in a hangar at the airfield?").parts[0]
    assert named_thing(part, sentence, {"record-break", "aircraft", "hangar", "airfield"}) == named


def test_an_account_of_casualties_is_answered_by_the_sentence_that_counts_them():
    from assistant.answer.counts import gives_toll
    from assistant.answer.question import analyse

    part = analyse("What is Russia's latest account of the casualties among the crew?").parts[0]
    assert gives_toll(part, "On 22 April it said one sailor had been killed and 27 were missing.")
    assert not gives_toll(part, "Moscow's account of the crew has changed.")


@pytest.mark.integration
def test_a_side_of_a_disagreement_keeps_every_word_of_what_it_counts(tmp_path, minilm):
    """'23 cruise missiles', not '23 cruise': the counted thing as the report words it, and
    not the verb after it ('people lived')."""
    early = (
        "# Night attack on central Ukraine\nDate: 2023-04-29\nPublisher: Central News\n\n"
        "Russia launched 23 cruise missiles at Ukraine overnight, the air force said.\n"
    )
    late = (
        "# The air force revises its account\nDate: 2023-05-04\nPublisher: River Review\n\n"
        "Russia launched 20 cruise missiles at Ukraine overnight on Friday, the air force said "
        "in a revised account, and 18 of them were shot down.\n"
    )
    question = "How many cruise missiles did Russia launch at Ukraine that night?"
    assert _sides(tmp_path, minilm, early, late, question) == {
        "23 cruise missiles",
        "20 cruise missiles",
    }


def test_a_counted_value_stops_before_the_verb_that_follows_it():
    from assistant.answer.compose import value_as_worded
    from assistant.text import stem

    counted = frozenset({stem("people"), stem("lived")})
    sentence = "Before the strike about 1,700 people lived in the block."
    assert value_as_worded("1,700", sentence, counted) == "about 1,700 people"


def _passage(doc: str, text: str, published, wider: bool = False):
    from assistant.models import DocMeta, Passage

    meta = DocMeta(doc_id=doc, source=f"{doc}.md", title="Toretsk", published=published)
    return Passage(
        chunk_id=f"{doc}:0", text=text, start=0, end=len(text), meta=meta, score=1.0, wider=wider
    )


@pytest.mark.integration
def test_a_passage_past_the_top_k_gives_the_other_side_but_never_the_answer(tmp_path, minilm):
    """The other report's figure often sits just past the top k, which one article fills: it
    is read for the disagreement, and alone it answers nothing."""
    from datetime import date

    from assistant.settings import Settings

    b = Briefing(Settings(data_dir=tmp_path / "data"), embeddings=minilm)
    late = _passage(
        "late",
        "Toretsk, home to nearly 35,000 people before the war, is now almost empty.",
        date(2025, 2, 10),
    )
    early = _passage(
        "early",
        "Toretsk had a population of about 31,000 before the war, local officials said.",
        date(2024, 7, 10),
        wider=True,
    )
    question = "What was Toretsk's population before the war?"
    answer = b.extractive.answer(question, [late, early])
    assert not answer.refused
    assert answer.disagreements, answer.text
    values = {s.value for s in answer.disagreements[0].sides}
    assert any("35,000" in v for v in values) and any("31,000" in v for v in values)
    assert b.extractive.answer(question, [early]).refused


@pytest.mark.integration
def test_the_search_adds_the_next_passages_marked_as_wider(tmp_path, minilm):
    articles = {
        f"{i}.md": f"# Corridor report {i}\nDate: 2023-07-1{i}\nPublisher: Desk {i}\n\n"
        f"The grain corridor was extended for {30 * i} days, officials said on day {i}.\n"
        for i in range(1, 6)
    }
    b = _briefing_over(tmp_path, minilm, articles)
    found = b.retriever.search("How long was the grain corridor extended for?", k=2, others=2)
    top, more = found[:2], found[2:]
    assert len(more) == 2 and all(p.wider for p in more) and not any(p.wider for p in top)
    assert len({p.chunk_id for p in found}) == len(found)
    plain = b.retriever.search("How long was the grain corridor extended for?", k=2)
    assert [p.chunk_id for p in plain] == [p.chunk_id for p in top]
    assert not any(p.wider for p in plain)


# A sentence about the event is closer to each question in words and meaning; the one that says
# what the question asks for must lead the answer.
LEADS = [
    # what the building used to be, not the strike on it
    pytest.param(
        (
            "# Rockets hit barracks in Makiivka\nDate: 2023-01-02\nPublisher: Front "
            "Notes\n\nRussia's defence ministry said on Monday that 63 of its soldiers "
            "had been killed when rockets struck a building where they were billeted in "
            "Makiivka. The building was the former Vocational School No. 19, a brick "
            "block on the edge of town that had trained welders. Ammunition stored on "
            "the ground floor is thought to have made it worse.\n"
        ),
        "What was the Makiivka building before Russian soldiers were housed in it?",
        "Vocational School No. 19",
        id="what-it-used-to-be",
    ),
    # 'on Sunday' in a report of Thursday 14 March 2024 is the 10 March asked
    pytest.param(
        (
            "# Nine days after the Sergey Kotov\nDate: 2024-03-14\nPublisher: Fleet "
            "Notes\n\nNine days after Ukrainian sea drones sank the patrol ship Sergey "
            "Kotov near the Kerch Strait, a clearer picture has emerged of how the "
            "attack unfolded and what it cost. Ukraine's military intelligence agency, "
            "HUR, released a longer version of its footage on Sunday. The ship was worth "
            "some 70 million dollars, according to revised estimates.\n"
        ),
        "What did HUR release on 10 March 2024 about the Sergey Kotov attack?",
        "longer version",
        id="weekday-is-the-day",
    ),
    # how long a state has lasted: when it began
    pytest.param(
        (
            "# Russia claims Marinka\nDate: 2023-12-27\nPublisher: Front "
            "Notes\n\nRussia's defence minister said on Monday that Russian troops had "
            "taken full control of Marinka. The town, which had some 9,000 residents "
            "before the war, had been on the front line since 2014, when Russian-backed "
            "forces seized Donetsk. Ukrainian commanders said their units had pulled "
            "back to prepared positions on the town's western outskirts.\n"
        ),
        "How long had Marinka been on the front line?",
        "since 2014",
        id="since-when",
    ),
    # where the wounded were taken to, not where they were hurt
    pytest.param(
        (
            "# Rockets hit Chaplyne station\nDate: 2022-08-25\nPublisher: Steppe "
            "Herald\n\nRussian rockets struck the railway station and a residential "
            "street in Chaplyne, a small railway town in the Dnipropetrovsk region, on "
            "Wednesday afternoon, killing at least 22 people and wounding 31. Chaplyne, "
            "a settlement of about 3,500 people, lies east of Dnipro on the railway line "
            "towards the Donbas. The regional governor said the injured had been taken "
            "to hospitals in Dnipro and Pavlohrad, several of them in a serious "
            "condition.\n"
        ),
        "Where were the people wounded at Chaplyne taken?",
        "Pavlohrad",
        id="where-to",
    ),
    # whether it is still so: the sentence saying it ended
    pytest.param(
        (
            "# Pokrovsk under fire\nDate: 2025-02-12\nPublisher: Front Notes\n\nJust "
            "outside the city lies the Pokrovske coal mine, owned by the steel group "
            "Metinvest, Ukraine's only producer of the coking coal needed to make steel, "
            "which kept operating through the autumn. Metinvest halted production there "
            "on 14 January, after the front came within a few kilometres of the shafts "
            "and the power supply failed.\n"
        ),
        "Is the Pokrovske coking coal mine still operating?",
        "halted production",
        id="it-ended",
    ),
    # when it happened, not the day someone said something else
    pytest.param(
        (
            "# Marinka under siege\nDate: 2023-11-16\nPublisher: Front Notes\n\nRussian "
            "troops are pressing almost daily assaults on the last streets of Marinka, a town on "
            "the western edge of Donetsk that has been on the front line for almost ten years, "
            "but Ukrainian units still hold the north-western edge of the town, the Ukrainian "
            "military said on Wednesday. Marinka has been on the line since 2014. In June 2015 "
            "Ukrainian troops beat off a large assault on the town.\n"
        ),
        "When did Ukrainian troops beat off a major assault on Marinka in the earlier years?",
        "June 2015",
        id="not-the-day-said",
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize(("article", "question", "lead"), LEADS)
def test_the_sentence_that_says_what_was_asked_leads(tmp_path, minilm, article, question, lead):
    b = _briefing_over(tmp_path, minilm, {"article.md": article})
    answer = b.ask(question)
    assert not answer.refused, answer.text
    assert lead in answer.text.split("[1]")[0]


@pytest.mark.integration
def test_a_toll_that_has_risen_within_the_week_is_an_update(tmp_path, minilm):
    """Six days apart, but the newer report says its figure replaced the older one."""
    early = (
        "# Rockets hit Chaplyne station\nDate: 2022-08-25\nPublisher: Steppe Herald\n\n"
        "Russian rockets struck the railway station in Chaplyne on Wednesday afternoon, killing "
        "at least 22 people and injuring 31, Ukrainian officials said.\n"
    )
    late = (
        "# A week after Chaplyne\nDate: 2022-08-31\nPublisher: Dnipro Today\n\n"
        "The death toll from the Russian strike on the railway station in Chaplyne has risen to "
        "25 people, two of them children, the regional administration said.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("How many people died in the strike on Chaplyne station?")
    assert answer.disagreements, answer.text
    assert answer.disagreements[0].kind == "update"
    assert "Reports differ over time" in answer.text


# Two reports' values of one thing: each is a side of the disagreement.
TWO_ESTIMATES = [
    # two lengths in the same unit
    pytest.param(
        (
            "# Talks in Istanbul\nDate: 2022-03-30\nPublisher: Bosphorus Wire\n\n"
            "The delegations met on Tuesday in the Dolmabahce Palace in Istanbul. "
            "The session lasted just over three hours.\n"
        ),
        (
            "# Talks stall\nDate: 2022-05-18\nPublisher: Black Sea Courier\n\n"
            "The two delegations have not met in person since 29 March, when they spent about "
            "four hours at the palace in Istanbul. The war has lasted almost three months.\n"
        ),
        "How long did the negotiators sit together at the palace in Istanbul?",
        {"three hours", "four hours"},
        id="lengths",
    ),
    # 'around 6.3% of GDP' on national defence and 'nearly 7% of GDP' on defense spending
    pytest.param(
        (
            "# Russia's budget\nDate: 2025-03-01\nPublisher: Ruble Watch\n\n"
            "The 2025 federal budget allocates about 13.5 trillion roubles to national defence, "
            "equivalent to around 6.3% of Russia's GDP.\n"
        ),
        (
            "# Russia's war economy\nDate: 2025-03-11\nPublisher: Future Wars\n\n"
            "The civilian economy has been hit by soaring inflation and elevated interest rates, "
            "exacerbated by a surge in defense spending, which now accounts for nearly 7% of "
            "Russia's GDP.\n"
        ),
        "What proportion of Russia's GDP goes on defence?",
        {"around 6.3%", "nearly 7%"},
        id="shares",
    ),
    # 'some 60' against 'about 80', although '60' also ends the class number 'Project 22160'
    pytest.param(
        (
            "# Sea drones sink the Sergey Kotov\nDate: 2024-03-05\nPublisher: Black Sea Wire\n\n"
            "Ukraine said its sea drones sank the Sergey Kotov near the Kerch Strait on Tuesday. "
            "The Sergey Kotov, a Project 22160 patrol ship that entered service in 2022, carries "
            "a crew of about 80 sailors.\n"
        ),
        (
            "# Nine days after the Sergey Kotov\nDate: 2024-03-07\nPublisher: Fleet Notes\n\n"
            "Seven sailors were killed and six wounded, the agency said. The Sergey Kotov had a "
            "crew of some 60, according to the agency.\n"
        ),
        "How many sailors served on the Sergey Kotov?",
        {"some 60", "about 80 sailors"},
        id="inside-a-longer-number",
    ),
]


@pytest.mark.integration
@pytest.mark.parametrize(("first", "second", "question", "values"), TWO_ESTIMATES)
def test_two_reports_give_two_estimates_of_one_thing(
    tmp_path, minilm, first, second, question, values
):
    b = _briefing_over(tmp_path, minilm, {"first.md": first, "second.md": second})
    answer = b.ask(question)
    assert answer.disagreements, answer.text
    assert {s.value for s in answer.disagreements[0].sides} == values
