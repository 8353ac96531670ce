"""'What kind of missile', 'what sort of vessel': questions whose answer is a kind of thing or
its name, and the checks around them that a reader of the answer would notice."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.evidence import supports
from assistant.answer.question import analyse
from assistant.models import DocMeta
from tests.test_evidence import _briefing_over

META = DocMeta(doc_id="d", title="Strikes", published=date(2024, 11, 21), source="d.txt")


# the paragraph around each sentence: the places and parties the questions name
CONTEXT = "Russia struck Sumy and Vinnytsia, and the bridge, again."


def check(question: str, sentence: str, passage: str | None = None):
    return supports(analyse(question).parts[0], sentence, passage or sentence, META)


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # the kind asked for is the missile, not 'kind': its name answers
        (
            "According to the occupation authorities, what kind of missile hit the bridge?",
            "Voronin said the bridge had been hit again by Storm Shadow missiles on Sunday.",
            "Storm Shadow",
        ),
        (
            "What type of missile did Russia use against Sumy?",
            "Ukraine's air force said the missiles were Iskander-M ballistic missiles.",
            "Iskander-M",
        ),
        # a narrower word for the kind asked is an answer too
        (
            "What sort of vessel launched the cruise missiles that hit Vinnytsia?",
            "Three Kalibr cruise missiles launched from a submarine in the Black Sea hit the city.",
            "submarine",
        ),
        # 'the Russian cruiser Moskva': the name after a kind with no name before it
        (
            "Which Russian ship told the border guards to surrender?",
            "On 24 February the Russian cruiser Moskva ordered the island's border guards to "
            "surrender.",
            "Moskva",
        ),
        # 'what bomb': the bomb by its name
        (
            "What bomb was dropped on the school in Sumy?",
            "Prosecutors said the school had been hit by a FAB-500, a free-fall bomb.",
            "FAB-500",
        ),
    ],
)
def test_a_kind_of_question_is_answered_by_the_name_or_a_narrower_kind(question, sentence, value):
    result = check(question, sentence, f"{CONTEXT} {sentence}")
    assert result.ok and value in (result.value or "")


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # a count and a nationality name no missile
        (
            "What type of missile did Russia use against Sumy?",
            "Two Russian ballistic missiles struck the centre of Sumy on Sunday morning.",
        ),
        # the sentence about the strike that says nothing of what launched it
        (
            "What sort of vessel launched the cruise missiles that hit Vinnytsia?",
            "Russian cruise missiles struck the centre of Vinnytsia on Thursday morning.",
        ),
        # a bomb, unnamed, is no answer to 'what bomb'
        (
            "What bomb was dropped on the school in Sumy?",
            "A Russian aircraft dropped a bomb on the school in Sumy on Saturday afternoon.",
        ),
    ],
)
def test_a_kind_of_question_is_not_answered_by_a_sentence_naming_no_kind(question, sentence):
    assert not check(question, sentence, f"{CONTEXT} {sentence}").ok


def test_the_days_of_what_provoked_an_event_do_not_date_it():
    """'tested in response to Ukraine's strikes on 19 and 20 November' is a sentence about the
    launch of 21 November; a sentence about another day still is not."""
    question = "Which missile did Russia fire at Dnipro on 21 November 2024?"
    provoked = (
        "It was, he said, a new missile called Oreshnik, tested in response to Ukraine's use "
        "of Storm Shadow missiles on 19 and 20 November."
    )
    passage = f"Putin said Russia had fired it at Dnipro on 21 November. {provoked}"
    assert check(question, provoked, passage).ok
    other_day = "Russia fired an Oreshnik missile at Lviv on 8 January."
    assert not check(question, other_day, other_day).ok


def test_the_participle_of_a_passive_question_is_its_verb_not_a_thing_owned():
    """'… at Novorossiysk built?' asks where it was built; a sentence about a Ropucha-class
    ship built in Gdansk is no other side's building."""
    from assistant.answer.sides import owner_clash

    question = "In which shipyard was the landing ship that was hit at Novorossiysk built?"
    sentence = (
        "The Olenegorsky Gornyak was built at the Gdansk shipyard in 1976, one of two dozen "
        "Ropucha-class ships built there."
    )
    assert owner_clash(analyse(question).parts[0], sentence) is None


@pytest.mark.integration
def test_one_name_with_words_added_is_the_same_answer_not_a_change(tmp_path, minilm):
    """'Storm Shadow missiles' and 'British-made Storm Shadow missiles' name one weapon: no
    'Reports differ' between two reports of it."""
    first = (
        "# Chonhar bridge hit\nDate: 2023-06-22\nPublisher: Crimea Monitor\n\n"
        "The occupation authorities said the Chonhar bridge was hit by Storm Shadow missiles "
        "on Thursday morning.\n"
    )
    again = (
        "# Chonhar bridge hit again\nDate: 2023-08-06\nPublisher: Southern Front Review\n\n"
        "Vladimir Saldo, the occupation head of the region, said two British-made Storm Shadow "
        "cruise missiles had struck the Chonhar bridge, closing it to traffic for a week.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"first.md": first, "again.md": again})
    answer = b.ask(
        "According to the occupation authorities, what kind of missile hit the Chonhar bridge?"
    )
    assert "Storm Shadow" in answer.text
    assert not answer.disagreements and "differ" not in answer.text, answer.text


def test_where_a_thing_was_made_or_that_there_was_one_names_none():
    """'American-made launchers' names no unit; 'a messaging app' says there was one, not
    which; 'the Signal messaging app' names it."""
    unit = "Which Ukrainian unit fired the rockets at the school?"
    assert not check(unit, "Rockets fired from American-made launchers hit the school.").ok
    app = "Which messaging app did the brothers use to pass on the time?"
    assert not check(app, "The brothers passed on the time through a messaging app.").ok
    assert check(app, "The brothers passed on the time through the Signal messaging app.").ok


def test_a_name_is_beside_its_kind_on_one_line_and_an_origin_is_no_name():
    """A title ending in 'bomb' is not beside the next line's first word, and 'Soviet-designed'
    says where a bomb comes from, not which it is."""
    from assistant.answer.asked import named_thing

    part = analyse("What bomb was dropped on the school?").parts[0]
    passage = "School in the village hit by a bomb\nRescuers searched the ruins on Sunday."
    assert named_thing(part, "Rescuers searched the ruins on Sunday.", set(), passage) is None
    sentence = "The school was hit by a FAB-500, a Soviet-designed free-fall bomb."
    assert named_thing(part, sentence, set()) == "FAB-500"


def test_it_said_is_the_words_of_the_party_the_sentence_before_names():
    """'What did Moscow say': 'It said …' after 'Russia's defence ministry gave a different
    account.' gives Moscow's words, and is quoted with that sentence; after Kyiv's, it is not."""
    from assistant.answer.adjacent import with_speaker
    from assistant.answer.candidates import candidates
    from assistant.models import Passage

    question = "How did Moscow explain taking its garrison off the island?"
    said = "It said the garrison had been withdrawn as a gesture of goodwill to the world."
    russia = f"Russia's defence ministry gave a different account. {said}"
    ukraine = f"Ukraine's southern command said the enemy had fled. {said}"
    assert check(question, said, russia).ok
    assert not check(question, said, ukraine).ok
    passage = Passage(chunk_id="c", text=russia, start=0, end=len(russia), meta=META)
    it = next(c for c in candidates([passage]) if c.text.startswith("It said"))
    assert with_speaker(it).text == russia
    quoted = f'"We will hold it," he said. {said}'
    passage = Passage(chunk_id="q", text=quoted, start=0, end=len(quoted), meta=META)
    it = next(c for c in candidates([passage]) if c.text.startswith("It said"))
    assert with_speaker(it).text == said


@pytest.mark.integration
def test_a_later_report_answers_what_an_earlier_one_did_not_yet_know(tmp_path, minilm):
    """'It is not yet known whether the building can be saved' (20 August), then engineers
    said it could be restored (1 September): the later report answers; a later sentence that
    is only about the same theatre does not."""
    early = (
        "# Missile hits theatre square\nDate: 2023-08-20\nPublisher: North Daily\n\n"
        "A missile hit the square in front of the drama theatre in Chernihiv on Saturday. "
        "The theatre lost part of its roof, and its main hall was badly damaged. "
        "It is not yet known whether the building can be saved.\n"
    )
    late = (
        "# Chernihiv mourns\nDate: 2023-09-01\nPublisher: Polissia Review\n\n"
        "The toll of the strike on the theatre square rose to eight on Tuesday. "
        "Engineers who inspected the theatre said on Monday that the building could be "
        "restored.\n"
    )
    b = _briefing_over(tmp_path, minilm, {"early.md": early, "late.md": late})
    answer = b.ask("Can the Chernihiv drama theatre building be saved?")
    assert not answer.refused and "could be restored" in answer.text
    assert "rose to eight" not in answer.text
    bare = {
        "early.md": early,
        "late.md": late.replace("Engineers", "Crowds").replace(
            " that the building could be restored", " they would rebuild their lives"
        ),
    }
    (tmp_path / "bare").mkdir()
    other = _briefing_over(tmp_path / "bare", minilm, bare)
    assert other.ask("Can the Chernihiv drama theatre building be saved?").refused


def test_a_yes_no_question_may_find_its_place_elsewhere_in_the_article():
    """'Is the regime declared in the Belgorod region still in place?': the sentence that says
    it was lifted stands in an article about Belgorod, though its passage does not name it."""
    part = analyse("Is the regime declared in the Belgorod region still in place?").parts[0]
    sentence = "That evening the governor lifted the regime he had imposed the day before."
    document = f"Fighting in the Belgorod region ended on Tuesday.\n{sentence}"
    assert supports(part, sentence, sentence, META, document).ok
    assert not supports(part, sentence, sentence, META, sentence).ok


def test_what_happened_on_a_named_day_may_find_its_place_elsewhere_in_the_article():
    """'What did people in Chernihiv do on 24 August 2023?': the day pins the event, so the
    city may be named in another passage of the article; a sentence of another day may not."""
    meta = DocMeta(doc_id="c", title="Mourning", published=date(2023, 9, 1), source="c.txt")
    part = analyse("What did people in Chernihiv do on 24 August 2023?").parts[0]
    sentence = "On Thursday, 24 August, Independence Day, residents laid flowers at the square."
    document = f"A missile hit the centre of Chernihiv on 19 August.\n{sentence}"
    assert supports(part, sentence, sentence, meta, document).ok
    other = "On Tuesday, 22 August, residents laid flowers at the square."
    assert not supports(part, other, other, meta, f"Chernihiv mourns.\n{other}").ok
    assert not supports(part, sentence, sentence, meta, sentence).ok


def test_the_next_sentence_dates_the_event_only_if_its_lead_speaks_of_it():
    """'When is the restoration due to be completed?': a lead the model reads as close
    ('The cathedral was founded in 1794 …') but without the question's words does not take the
    date of the sentence after ('blew it up in 1936'), which is of another event."""
    import numpy as np

    from assistant.answer.extractive import ExtractiveGenerator
    from assistant.models import Passage

    text = (
        "Russian missiles wrecked the altar of the Transfiguration Cathedral in Odesa.\n"
        "The cathedral was founded in 1794, the year Odesa itself was founded, and became "
        "the burial place of Prince Mikhail Vorontsov, the governor who built the city. "
        "Soviet authorities blew it up in 1936."
    )
    meta = DocMeta(doc_id="o", title="Odesa cathedral", published=date(2023, 9, 14), source="o")
    passage = Passage(chunk_id="o:0", text=text, start=0, end=len(text), meta=meta)

    def alike(texts: list[str]) -> np.ndarray:  # the lead reads like the question, no other
        return np.array(
            [[1.0, 0.0] if "found" in t or "restor" in t else [0.0, 1.0] for t in texts]
        )

    generator = ExtractiveGenerator(0.36, 3, embed=alike)
    question = "When is the restoration of the Odesa Transfiguration Cathedral due to be completed?"
    assert generator.answer(question, [passage]).refused


def test_who_headed_a_side_is_the_name_after_that_side_and_a_leading_verb():
    """'Who headed the Russian side?': Lavrov, named after 'a Russian delegation headed by', not
    Rubio, who led the US one; 'Kirill Dmitriev, head of the Russian Direct Investment Fund, was
    also in Riyadh' headed no side (no rival for a disagreement)."""
    question = "Who headed the Russian side?"
    both = (
        "A US delegation led by Secretary of State Marco Rubio held talks with a Russian "
        "delegation headed by Foreign Minister Sergey Lavrov."
    )
    assert check(question, both).value == "Sergey Lavrov"
    also = (
        "Kirill Dmitriev, head of the Russian Direct Investment Fund, was also in Riyadh and "
        "spoke about business ties."
    )
    assert not check(question, also).ok
    assert check("Who was in Riyadh besides the delegations?", also).ok
    us = "The US delegation was led by Secretary of State Marco Rubio."
    assert not check(question, us).ok  # led, but not the Russian side
