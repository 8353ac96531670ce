"""Questions the articles say they cannot answer: 'investigators have not said which unit fired
it' is the answer to 'which unit launched it', shown as a refusal with the article's words."""

from __future__ import annotations

import pytest

from assistant.answer.gaps import gaps_in, states_gap
from assistant.answer.question import analyse
from tests.test_evidence import _briefing_over


@pytest.mark.parametrize(
    "question, sentence, is_gap",
    [
        (
            "Which Russian unit launched the missile at the station?",
            "Investigators have not said which unit fired it, or from which launch site.",
            True,
        ),
        (
            "How many Storm Shadow missiles has Britain supplied?",
            "Britain has never said how many Storm Shadows it has supplied.",
            True,
        ),
        (
            "Where will the factory making the drones be located?",
            "Officials have not said where the drones would be built.",
            True,
        ),
        (
            "When was the footage of the admiral actually recorded?",
            "The ministry did not say when the video had been recorded.",
            True,
        ),
        (
            "What were the names of the couple killed on the bridge?",
            "The couple's names were not released.",
            True,
        ),
        # another question word: 'when they crossed' does not say where the tanks were handed over
        (
            "Where were the first tanks handed over?",
            "He did not say when the tanks had crossed the border.",
            False,
        ),
        # another side: Ukraine's own losses are not the Russian losses asked about
        (
            "How many Russian troops were killed or wounded?",
            "Ukraine has not said how many of its own soldiers were killed or wounded.",
            False,
        ),
        # another thing: the unit is unknown, not the model of warhead asked for
        (
            "What model of warhead did the missile carry?",
            "Investigators have not said which unit fired it.",
            False,
        ),
        # only the names are shared: the range is not the number supplied
        (
            "What range does the Storm Shadow have?",
            "Britain has never said how many Storm Shadows it has supplied.",
            False,
        ),
        # one word of two: the soldiers who crossed are not the troops on the other bank
        (
            "How many Russian troops were on the far bank when the pullout was ordered?",
            "He did not say how many soldiers had crossed.",
            False,
        ),
        (
            "What did the president say about Crimea in his address?",
            "The command could not say what had caused the explosions.",
            False,
        ),
        # a count of other things is another question: the people, not the flats
        (
            "How many flats were lost when the section of the block collapsed?",
            "Officials have not said how many people lived in the collapsed section.",
            False,
        ),
        (
            "How many people lived in the collapsed section of the block?",
            "Officials have not said how many people lived in the collapsed section.",
            True,
        ),
        (
            "How many drones were shot down over the capital?",
            "The air force did not say how many had been shot down over the capital.",
            True,
        ),
        # "when or where": both are unsaid
        (
            "Where has the commander been buried?",
            "His family has not said when or where he will be buried.",
            True,
        ),
        (
            "When will the commander be buried?",
            "His family has not said when or where he will be buried.",
            True,
        ),
        # 'whether': the same question, not another about the same troops
        (
            "Have Ukrainian troops set foot on the island since the Russians left it?",
            "The command has not said whether soldiers will stay on the island.",
            False,
        ),
        (
            "Did the attack at the port kill any of the landing ship's crew?",
            "Russia has not said whether any of the crew were killed or wounded.",
            True,
        ),
    ],
)
def test_a_sentence_saying_the_thing_asked_is_not_known(question, sentence, is_gap):
    part = analyse(question).parts[0]
    assert any(states_gap(part, g, sentence) for g in gaps_in(sentence)) is is_gap


STRIKE = """# Missile strike on the railway station: what investigators know
Date: 2022-06-14
Publisher: Arms Trace Weekly

A Tochka-U ballistic missile hit the railway station on 8 April, killing 61 people who were
waiting for evacuation trains. Russia's defence ministry said the Tochka-U was used only by the
Ukrainian army and published what it said was the missile's flight path. Investigators have not
said which unit fired it, or from which launch site. Fragments of the missile carried the words
"for the children" painted in Russian.
"""


@pytest.mark.integration
def test_the_articles_saying_it_is_not_known_is_the_answer(tmp_path, minilm):
    b = _briefing_over(tmp_path, minilm, {"strike.md": STRIKE})
    answer = b.ask("Which Russian unit launched the Tochka-U at the railway station?")
    assert answer.refused, answer.text
    assert answer.notice and "have not said which unit fired it" in answer.notice, answer
    assert "Arms Trace Weekly (14 June 2022)" in answer.notice
    # what the article does say is still answered
    assert not b.ask("How many people did the missile kill at the station?").refused


@pytest.mark.integration
def test_a_later_figure_answers_what_an_earlier_report_did_not_know(tmp_path, minilm):
    early = """# Drones hit the capital at rush hour
Date: 2022-10-17
Publisher: Capital Wire

Explosive drones struck the centre of the capital on Monday morning. The air force said it had
shot down most of them but did not say how many drones had been launched at the city. Rescuers
pulled residents out of a damaged apartment block near the railway station.
"""
    late = """# A week of drone attacks on the capital
Date: 2022-10-24
Publisher: Evening Ledger

The air force said on Sunday that 28 drones had been launched at the city on 17 October, and
that 23 were shot down. Officials have asked residents to shelter during every alert.
"""
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("How many drones were launched at the city in that attack?")
    assert not answer.refused, answer.text
    assert "28" in answer.text and not answer.notice, answer
