"""Brief topics written as an analyst writes them: long, dated, located ("Ukraine's recapture
of Lyman in the Donetsk region, October 2022"), read into the words that name them."""

from __future__ import annotations

from assistant.brief.evidence import _stems
from assistant.brief.topic import _particular, _topic_terms, topic_words
from assistant.embeddings import HashingEmbeddings
from assistant.pipeline import Briefing
from tests.test_brief import _FakeIndex


def test_a_span_of_years_in_the_topic_says_when_not_what():
    topic = "North Korean troops sent to Russia and the fighting in the Kursk region, 2024-2025"
    assert not any(t.startswith("2024") for t in _topic_terms(topic))


def test_the_place_that_locates_a_topic_is_neither_its_particular_nor_needed_to_name_it():
    # In a small index "Donetsk" can be rarer than "Soledar": articles on Soledar still name
    # Soledar, the region only now and then.
    index = _FakeIndex({"donetsk": 3, "soledar": 12, "fall": 12})
    words = topic_words("The fall of Soledar in the Donetsk region", index)
    assert words is not None and words.particulars == ["soledar"]
    assert words.names(_stems("The fall of Soledar was confirmed by Kyiv on 25 January."))
    # A piece naming nothing but the place keeps it.
    words = topic_words("the fighting in the Kursk region", _FakeIndex({}))
    assert words is not None and words.particulars == ["kursk"]


def test_a_name_with_a_letter_the_terms_leave_out_still_counts_as_a_name():
    topic = "The Bürgenstock peace summit on Ukraine"
    tt = _topic_terms(topic)
    rare = {t: 1.5 for t in tt} | {"summit": 2.5}
    assert _particular(topic, tt, rare) not in ("summit", "peac")


def test_a_common_word_the_articles_never_write_does_not_name_the_topic():
    words = topic_words("Ukraine's recapture of Lyman", _FakeIndex({"recapture": 0, "lyman": 9}))
    assert words is not None and words.particulars == ["recaptur"]
    article = _stems("Ukrainian troops entered Lyman after its liberation on 1 October.")
    written = words.written(dict.fromkeys(article, 1))
    assert written.particulars == ["lyman"]
    assert written.names(_stems("The Ukrainian flag flew over Lyman on Sunday."))


def test_a_topic_none_of_whose_names_the_articles_write_keeps_all_its_words():
    words = topic_words("US-Ukraine minerals deal", _FakeIndex({"minerals": 0}))
    assert words is not None
    grain = _stems("Russia walked away from the grain deal on 17 July, ending the deal.")
    written = words.written(dict.fromkeys(grain, 1))
    assert written.particulars == words.particulars
    assert not written.names(grain)


def test_the_topics_own_article_covers_a_long_topic_no_sentence_names_whole(settings, tmp_path):
    """Its title names the topic's particular word, and so do most of its paragraphs."""
    folder = tmp_path / "vuhledar"
    folder.mkdir()
    paragraphs = [
        "Russian marines attacked Vuhledar again on 24 January, losing dozens of tanks.",
        "Ukrainian gunners around Vuhledar said on 13 February that 130 vehicles were lost.",
        "Mines laid in the fields south of Vuhledar stopped most columns before the town.",
        "The Ukrainian brigade in Vuhledar said the attacks had eased by mid-February.",
    ]
    (folder / "vuhledar.md").write_text(
        "# Tanks in a minefield: Russia's marines stall at Vuhledar\nDate: 2023-02-16\n"
        "Publisher: Desk\n\n" + "\n\n".join(paragraphs) + "\n"
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    brief = b.brief(
        "The battle for Vuhledar, from the failed Russian assaults of 2023 to the town's "
        "fall in October 2024"
    )
    assert brief.covered
    assert any("130 vehicles" in x.text for x in brief.timeline)


def test_a_first_word_heading_a_label_is_a_name():
    from assistant.brief.topic import _names

    assert "bucha" in _names("Bucha: the Russian retreat from the Kyiv region")
    assert "sieg" not in _names("Siege of Mariupol")


def _passage(doc: str, text: str, dense: float):
    from datetime import date

    from assistant.models import DocMeta, Passage

    meta = DocMeta(doc_id=doc, title=doc, published=date(2022, 8, 10), source=doc, publisher="d")
    return Passage(
        chunk_id=f"{doc}{dense}", text=text, start=0, end=len(text), meta=meta, dense=dense
    )


def test_the_other_report_of_the_event_is_as_close_to_the_topic_as_the_one_titled_with_it():
    from assistant.brief.evidence import _as_close

    words = topic_words("The explosions at the Saky air base", _FakeIndex({"saky": 3}))
    assert words is not None
    by_doc = {
        "month-on": [_passage("month-on", "Saky a month on.", 0.67)],
        "blasts": [
            _passage("blasts", "Blasts tore through a Russian air base in Crimea.", 0.79),
            _passage("blasts", "Smoke rose over the beach near Saky.", 0.5),
        ],
        "far": [_passage("far", "A ship near Saky was struck.", 0.5)],
        "unnamed": [_passage("unnamed", "Blasts tore through a base.", 0.75)],
    }
    assert _as_close(by_doc, {"month-on"}, words) == {"blasts"}


def _filler(n: int) -> str:
    return (
        f"Paragraph {n} of background. Officials in several capitals discussed the wider "
        "security situation along the coast for many hours, weighing reports from their own "
        "services against claims made in public by both sides, and they published a range of "
        "statements about explosions at an air base, shipping, insurance and fuel in the "
        "region over the summer months, none of which changed the views of the analysts who "
        "follow the war closely from outside the country.\n\n"
    )


def test_a_paragraph_naming_the_topics_particular_word_is_on_the_topic(settings, tmp_path):
    """In an article about the topic, a sentence of a paragraph naming its particular word
    belongs though the paragraph names few of a long topic's other words."""
    folder = tmp_path / "saky"
    folder.mkdir()
    (folder / "saky.md").write_text(
        "# Saky, a month on: the pictures, the general's article and what the blasts changed\n"
        "Date: 2022-09-08\nPublisher: Desk\n\n"
        "A series of explosions ripped through the Saky air base on 9 August.\n\n"
        + _filler(1)
        + _filler(2)
        + "Satellite pictures of the Saky airfield were published by a company in the United "
        "States. They show the burnt-out remains of seven aircraft on the aprons on the "
        "morning of 10 August.\n\n" + _filler(3) + _filler(4)
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    brief = b.brief("The explosions at the Saky air base in Crimea, August 2022")
    assert any("burnt-out remains" in x.text for x in brief.lines())


def test_a_given_name_the_articles_write_once_is_not_the_particular_their_surname_is():
    topic = "The dismissal of General Valerii Zaluzhnyi"
    words = topic_words(
        topic, _FakeIndex({"valerii": 2, "zaluzhnyi": 9, "general": 20, "dismissal": 20})
    )
    assert words is not None and words.particulars == ["valerii"]
    counts = {"valerii": 1, "zaluzhnyi": 8, "general": 3, "dismiss": 2}
    written = words.written(counts)
    assert written.particulars == ["zaluzhnyi"]
    assert written.in_title(_stems("Zelensky replaces Zaluzhnyi with Syrskyi"))


def test_two_days_of_one_month_are_both_the_events_days():
    from datetime import date

    from assistant.brief.when import event_when

    when = event_when("Leaders will gather on 15 and 16 June at the resort.", date(2024, 6, 12))
    assert when is not None and (when.first, when.last) == (date(2024, 6, 15), date(2024, 6, 16))
    assert when.label() == "15–16 June 2024"


def test_the_same_day_and_the_next_day_count_from_the_sentence_before(settings, tmp_path):
    from datetime import date

    folder = tmp_path / "soledar"
    folder.mkdir()
    (folder / "soledar.md").write_text(
        "# Russia claims Soledar\nDate: 2023-01-26\nPublisher: Desk\n\n"
        "Russia's defence ministry announced the capture of Soledar on 13 January.\n\n"
        "The ministry issued a second statement on Soledar the next day, praising Wagner.\n\n"
        "On the same day the Duma ratified a treaty on Soledar that was signed in June.\n"
    )
    b = Briefing(settings, embeddings=HashingEmbeddings())
    assert b.ingest([folder]).ok
    days = {x.text[:20]: x.first for x in b.brief("Soledar").timeline}
    assert days["The ministry issued "] == date(2023, 1, 14)
    assert days["On the same day the "] == date(2023, 1, 14)


def test_a_verb_form_of_the_topics_word_names_it():
    """'The strike on Vinnytsia' is what 'Russian missiles struck the centre of Vinnytsia'
    reports: the same word, not a synonym."""
    words = topic_words("the strike on Vinnytsia", _FakeIndex({"strike": 9, "vinnytsia": 3}))
    assert words is not None
    assert words.names(_stems("Russian cruise missiles struck the centre of Vinnytsia."))
    assert not words.names(_stems("Vinnytsia's mayor opened a fund to restore the hall."))
