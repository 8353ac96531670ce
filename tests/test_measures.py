"""Amounts of the right kind, names in any of their forms, and events dated by a bare year:
the support check on questions an analyst asks about things the articles only touch on."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.evidence import supports
from assistant.answer.plan import in_time
from assistant.answer.question import Slot, analyse, measure_of
from assistant.answer.values import numbers, of_kind
from assistant.models import DocMeta, Passage

META = DocMeta(doc_id="d", title="Drones", published=date(2024, 3, 25), source="d.txt")


def check(question: str, sentence: str):
    part = analyse(question).parts[0]
    return supports(part, sentence, sentence, META)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How much does a single interceptor missile cost?", "money"),
        ("What is the estimated cost of rebuilding the dam?", "money"),
        ("How much electricity did the station generate?", "energy"),
        ("How old is Colonel General Andrei Mordvichev?", "age"),
        ("How far can the drone fly?", "distance"),
        ("What share of its budget goes to defence?", "percent"),
        ("How many drones were launched?", None),
    ],
)
def test_the_kind_of_amount_asked_for(question, kind):
    assert measure_of(question) == kind


@pytest.mark.parametrize(
    "question",
    [
        "How old is Colonel General Andrei Mordvichev?",
        "What is the Zaporizhzhia nuclear power plant's total generating capacity?",
        "What was the estimated cost of the new bridge?",
    ],
)
def test_questions_after_an_amount_want_a_number(question):
    assert analyse(question).parts[0].slot is Slot.NUMBER


def test_a_noun_phrase_ends_at_a_preposition():
    """'the reason for the rise in the price': a reason, not a price."""
    assert analyse("What is the main reason for the rise in the price of oil?").parts[0].slot in (
        Slot.REASON,
        Slot.OTHER,
    )


@pytest.mark.parametrize(
    ("measure", "sentence", "expected"),
    [
        ("money", "The drone has a range of about 1,000 kilometres.", False),
        ("distance", "The drone has a range of about 1,000 kilometres.", True),
        ("money", "Each one costs $4 million to build.", True),
        ("money", "Rebuilding would cost 40 billion euros.", True),
        ("age", "Mordvichev, aged 58, led the assault.", True),
        ("age", "The 58-year-old general led the assault.", True),
        ("age", "The general led 58 battalions.", False),
        ("energy", "The plant has a capacity of 5,700 megawatts.", True),
        ("percent", "Some 40 per cent of capacity was offline.", True),
        ("money", "Kyiv asked for seven Patriot systems.", False),
    ],
)
def test_an_amount_is_of_the_kind_asked_for_or_not(measure, sentence, expected):
    found = numbers(sentence)
    assert found
    assert any(of_kind(measure, sentence, f) for f in found) is expected


def test_a_cost_question_is_not_answered_by_a_range():
    assert not check(
        "How much does it cost to build one Liutyi drone?",
        "The Liutyi is a fixed-wing drone with a range of about 1,000 kilometres.",
    ).ok
    assert check(
        "How much does it cost to build one Liutyi drone?",
        "Each Liutyi drone costs about $200,000 to build, officials said.",
    ).ok


def test_an_age_question_is_not_answered_by_a_sentence_naming_the_man():
    question = "How old is Colonel General Andrei Mordvichev?"
    assert not check(question, "Putin singled out Colonel General Andrei Mordvichev for praise.").ok
    assert check(question, "Colonel General Andrei Mordvichev, 58, commands the group.").ok is False
    assert check(question, "Colonel General Andrei Mordvichev, aged 58, commands the group.").ok


def test_an_organisation_question_needs_a_name_the_question_does_not_give():
    """'Ukraine and a group of underwriters' names no insurer: Ukraine is in the question."""
    question = "Which insurance companies take part in Ukraine's war-risk facility?"
    assert not check(question, "Ukraine and a group of underwriters set up the facility.").ok
    assert check(question, "Ukraine, Marsh and Lloyd's underwriters set up the facility.").ok


@pytest.mark.parametrize(
    ("question", "sentence", "named"),
    [
        (
            "Which road bridge near Kherson had Ukraine been hitting with HIMARS?",
            "Near Kherson, Ukraine has hit the Antonivskyi road bridge with HIMARS.",
            "Antonivskyi",
        ),
        (
            "Which Ukrainian brigade received the first Leopard tanks?",
            "The first Leopard tanks went to the 33rd Mechanised Brigade, officials said.",
            "33rd Mechanised",
        ),
        ("Which road bridge near Kherson was hit?", "The road bridge near Kherson was hit.", None),
        ("Which Ukrainian brigade took Sudzha?", "Russian and Donetsk brigades took Sudzha.", None),
        ("Which regiment defended Azovstal?", "The Azov Regiment defended Azovstal.", "Azov"),
        (
            "Which Azov regiment commander came out of Azovstal?",
            "Out of Azovstal came the commander of the Azov regiment, Denys Prokopenko.",
            "Denys",
        ),
    ],
)
def test_a_thing_of_the_kind_asked_for_named_by_its_name(question, sentence, named):
    """'Which road bridge …': 'the Antonivskyi road bridge' names one, though no place follows
    'in' or 'at'; the bridge the question itself names is no answer."""
    result = check(question, sentence)
    assert result.ok is (named is not None)
    if named:
        assert named in (result.value or "")


@pytest.mark.parametrize(
    ("question", "sentence", "kind"),
    [
        (
            "Which Ukrainian brigade was given the Leopard tanks?",
            "Pistorius handed over 18 Leopard tanks from Bundeswehr stocks.",
            False,
        ),
        (
            "Which Ukrainian brigade was given the Leopard tanks?",
            "The tanks went to the 33rd Brigade.",
            True,
        ),
        ("Which regiment held the steelworks?", "The Azov Regiment held the Azovstal plant.", True),
        ("Which base did the missiles hit?", "The missiles hit the airfield at Berdiansk.", True),
        (
            "Which Ukrainian agencies direct the drone attacks?",
            "The SBU directs the drone attacks.",
            True,
        ),
        ("Which country sent the battery?", "Romania sent the battery.", True),
        ("Which official confirmed the strike?", "Zelensky confirmed the strike.", True),
    ],
)
def test_a_which_question_asking_for_a_kind_needs_that_kind(question, sentence, kind):
    """A brigade, a regiment, a base (or an airfield) must be in the sentence; a country, an
    agency or an official is answered by a name alone."""
    from assistant.answer.asked import names_kind

    assert names_kind(analyse(question).parts[0], sentence) is kind


def test_an_event_dated_by_its_year_is_placed_in_time():
    q = analyse("Before 2022, when did Russia annex Crimea?")
    assert in_time(q, "Russia had annexed Crimea in 2014.", date(2025, 3, 11))
    assert not in_time(q, "Russia annexed four regions in September 2022.", date(2025, 3, 11))


def test_a_count_sits_by_what_is_counted_not_by_another_word_of_the_question():
    question = "How many Ukrainian soldiers were taken prisoner by Russian forces at Avdiivka?"
    losses = "Officials estimated Russian losses at Avdiivka at some 30,000 killed and wounded."
    assert not check(question, losses).ok
    assert check(question, "Russia said 850 Ukrainian soldiers were taken prisoner at Avdiivka.").ok


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # prisoners are counted where the sentence says they were taken
        (
            "How many Russian troops did Ukraine take prisoner when it recaptured Lyman?",
            "Officials estimate that about 3,000 Russian troops were defending the town.",
            None,
        ),
        (
            "How many Ukrainian soldiers were captured in the retreat?",
            "Russia said it had captured 1,200 Ukrainian soldiers in the retreat.",
            "1,200",
        ),
        # a count of captives is no count of the killed or wounded
        (
            "How many North Korean soldiers were killed or wounded in the Kursk region?",
            "Ukrainian forces had captured two wounded North Korean soldiers in the Kursk region.",
            None,
        ),
        # troops another side has massed are that side's
        (
            "How many Ukrainian soldiers are defending Pokrovsk?",
            "Syrskyi said that Russia had concentrated about 70,000 troops near Pokrovsk.",
            None,
        ),
        (
            "How many troops has Russia massed near Pokrovsk?",
            "Syrskyi said that Russia had concentrated about 70,000 troops near Pokrovsk.",
            "70,000",
        ),
    ],
)
def test_a_count_of_people_is_of_the_status_and_side_asked(question, sentence, value):
    assert check(question, sentence).value == value


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        ("How many people were killed by the strike?", "In all, 129 people were injured.", None),
        ("How many people were killed?", "In all, 129 were injured, 15 of them children.", None),
        ("How many people were killed by the strike?", "It killed 35 and injured 129.", "35"),
        ("How many were wounded?", "At least 35 people were killed and 129 were injured.", "129"),
        ("How many were killed or wounded?", "In all, 129 people were injured.", "129"),
    ],
)
def test_the_killed_are_not_counted_by_the_wounded(question, sentence, value):
    assert check(question, sentence).value == value


def test_a_republic_named_after_its_kind_is_a_place():
    question = "The prisoner carried a Russian military ID from which Russian republic?"
    sentence = "He carried an identity card issued to a man from the republic of Tuva."
    assert check(question, sentence).value == "Tuva"


@pytest.mark.parametrize(
    ("question", "sentence", "person"),
    [
        (
            "What are the names of the two soldiers captured in Kursk?",
            "Zelensky announced that paratroopers had captured two soldiers in Kursk.",
            None,
        ),
        (
            "What are the names of the two soldiers captured in Kursk?",
            "The two soldiers captured in Kursk, Kim Chol and Ri Song, were shown on video.",
            "Kim Chol",
        ),
        # the role asked for must be there: a committee's head is no pilot
        (
            "Who was the pilot of the Il-76 that crashed near Belgorod?",
            "The committee near Belgorod, headed by Alexander Bastrykin, studied the Il-76.",
            None,
        ),
        (
            "Who was the pilot of the Il-76 that crashed near Belgorod?",
            "The Il-76 that crashed near Belgorod was flown by its pilot, Stanislav Bezzubkin.",
            "Stanislav Bezzubkin",
        ),
    ],
)
def test_a_person_asked_for_by_kind_is_named_as_one(question, sentence, person):
    assert check(question, sentence).value == person


def test_how_extensive_asks_for_an_extent():
    question = "How extensive are the tunnels under Soledar's salt mines?"
    sentence = "Beneath Soledar lies a labyrinth of some 200 kilometres of tunnels in the mines."
    assert analyse(question).parts[0].slot is Slot.NUMBER
    assert check(question, sentence).value == "200 kilometres"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("It was the first time a third country's army had joined the war.", []),
        ("About a third of the troops were reservists.", ["a third"]),
        ("The budget was cut by a third.", ["a third"]),
    ],
)
def test_a_third_is_a_share_only_when_it_counts_something(text, values):
    assert [v for _, v in numbers(text)] == values


@pytest.mark.parametrize(
    ("question", "closer", "farther"),
    [
        # a total asked for is met by any word for a total
        (
            "How many troops has Pyongyang sent to Russia altogether?",
            "In all, around 12,000 troops are expected to be sent.",
            "About 1,500 troops were sent on navy ships in October.",
        ),
        # a verb asked is met by its irregular form
        (
            "When did Russian forces take the town?",
            "Russian forces took the town without a fight on 27 February 2022.",
            "Ukrainian troops freed the town from Russian forces on 10 September 2022.",
        ),
    ],
)
def test_the_sentence_with_more_of_what_is_asked_carries_more_focus(question, closer, farther):
    from assistant.answer.asked import focus_in_sentence

    part = analyse(question).parts[0]
    assert focus_in_sentence(part, closer) > focus_in_sentence(part, farther)


def test_casualty_words_anchor_a_casualty_count():
    question = "How many Russian troops were killed or wounded in the battle for Avdiivka?"
    sentence = "Kyiv put Russian losses at Avdiivka at about 47,000 killed and wounded."
    assert check(question, sentence).value == "47,000"


def test_hyphenated_counted_things_are_found_by_their_parts():
    question = "How many shadow-fleet vessels did the 16th package add?"
    assert check(question, "The 16th package listed 74 more vessels of the shadow fleet.").ok


def test_a_time_offset_is_no_length_of_time():
    question = "How long could the cooling pond keep the Zaporizhzhia reactors cooled?"
    offset = "Grossi visited the Zaporizhzhia plant on 15 June, nine days after the dam burst."
    assert not check(question, offset).ok
    assert check(question, "The Zaporizhzhia pond holds enough water for about six months.").ok


def test_names_in_a_scene_setting_clause_are_not_required():
    """'After the Kakhovka breach, how long …': an article on the plant may not repeat the dam."""
    q = analyse("After the Kakhovka breach, how long could the Zaporizhzhia pond cool them?")
    assert q.parts[0].constraints.names == ("Zaporizhzhia",)


def test_a_value_sentence_must_share_a_word_of_the_question():
    from assistant.answer.asked import carries_focus

    part = analyse("When will Ukraine hold its next presidential election?").parts[0]
    assert not carries_focus(part, "Russian gas transit through Ukraine ended on 1 January 2025.")
    assert carries_focus(part, "Ukraine's next presidential election is not due under martial law.")


def test_a_place_named_only_to_locate_another_is_not_what_is_asked_about():
    """'Hroza, a village some 30 kilometres west of Kupiansk, was occupied …' does not say when
    Kupiansk was taken; asked how far Hroza is from Kupiansk, it answers."""
    sentence = (
        "Hroza, a village some 30 kilometres west of Kupiansk, was occupied by Russian forces "
        "from 24 February 2022 until September 2022."
    )
    assert not check("When did Russian forces take Kupiansk?", sentence).ok
    assert check("When did Russian forces take Hroza?", sentence).ok
    assert check("How far is Hroza from Kupiansk?", sentence).ok


def test_which_facility_was_looted_is_answered_by_what_the_sentence_says_was_looted():
    question = "Which facility in the town of Chornobyl was looted?"
    looted = "In the town of Chornobyl the agency's central analytical laboratory was looted."
    assert check(question, looted).ok
    assert check(question, looted).value == "the agency's central analytical laboratory"
    # what was done to something else, or to what the question names, is no answer
    assert not check(question, "In the town of Chornobyl the agency's staff were evacuated.").ok
    assert not check(question, "The facility in the town of Chornobyl was looted.").ok


def test_which_officer_is_answered_by_a_rank_and_a_holiday_is_nobody():
    question = "Which officer did the ministry name among the dead at Makiivka?"
    ranked = (
        "Among the dead at Makiivka was the deputy commander, Lieutenant Colonel Vadim Korobov."
    )
    assert check(question, ranked).ok
    holiday = "The ministry raised the toll of the New Year's strike at Makiivka to 89."
    assert not check(question, holiday).ok
    # a rank is not met by another: a captain does not answer "which general"
    assert not check("Which general died at Makiivka?", "Captain Ivan Petrov died at Makiivka.").ok


def test_keep_going_is_not_what_a_length_is_asked_of():
    """'How long could the generators keep going' asks about the generators: 'for two weeks
    the people who keep the plant safe …' is another length."""
    from assistant.answer.asked import carries_focus

    part = analyse("How long could the Chornobyl generators keep going on their fuel?").parts[0]
    assert not carries_focus(
        part, "For more than two weeks the people who keep the plant safe have not left."
    )
    assert carries_focus(part, "The site runs on diesel generators with fuel for 48 hours.")


def test_a_person_named_after_a_long_title_is_found():
    from assistant.answer.names import people

    sentence = (
        "US Treasury Secretary Scott Bessent and Ukraine's First Deputy Prime Minister and "
        "Economy Minister Yulia Svyrydenko signed the agreement in Washington."
    )
    assert people(sentence) == ["Scott Bessent", "Yulia Svyrydenko"]
    # a naval rank between title and name
    sentence = "The commanding officer, Captain First Rank Anton Kuprin, was on board."
    assert people(sentence) == ["Anton Kuprin"]


def test_the_asked_party_named_beside_its_own_thing_is_no_clash():
    """'Ukraine's parliament, the Verkhovna Rada, ratified …' is Ukraine's parliament."""
    assert check(
        "When did Ukraine's parliament ratify the minerals deal?",
        "Ukraine's parliament, the Verkhovna Rada, ratified the minerals deal on 8 May 2025.",
    ).ok


def test_how_much_support_asks_for_money():
    question = "How much military support did NATO members commit to Kyiv at the summit?"
    assert measure_of(question) == "money"
    assert not check(question, "At the summit NATO promised Kyiv five air-defence systems.").ok


def test_a_named_unit_is_not_another_party_s_thing():
    """'Ukraine rushed the 3rd Separate Assault Brigade' answers 'which Ukrainian brigade'."""
    assert check(
        "Which Ukrainian brigade was sent into Avdiivka to cover the withdrawal?",
        "Ukraine rushed the 3rd Separate Assault Brigade into Avdiivka to cover the withdrawal.",
    ).ok


class _Cand:
    """A candidate sentence as the comparison reads it: its text, stems, passage, article."""

    def __init__(self, text: str, document: str = "") -> None:
        from assistant.text import stem, terms

        self.text = text
        self.stems = {stem(t) for t in terms(text)}
        self.passage = Passage(
            chunk_id=text[:8], text=text, meta=META, start=0, end=len(text), score=1.0
        )
        self.document = document


def test_two_casualty_estimates_worded_apart_are_one_disputed_figure():
    from assistant.answer.compare import same_thing
    from assistant.answer.counts import count_anchors
    from assistant.answer.plan import Pick

    part = analyse("How many Russian troops were killed or wounded at Avdiivka?").parts[0]
    assert {"kill", "wound", "loss"} <= count_anchors(part)

    a = _Cand("Officials estimated Russian losses at Avdiivka at some 30,000 killed and wounded.")
    b = _Cand("A spokesman put Russian losses at Avdiivka at about 47,000 killed and wounded.")
    pa = Pick(a, 1.0, "30,000", base=1.0)
    pb = Pick(b, 0.8, "47,000", base=0.8)
    assert same_thing(part, pa, pb)


def test_an_amount_of_a_thing_its_article_names_is_the_same_measure():
    """'At 11,500 tonnes, it is the largest warship lost …', in an article on the Moskva,
    weighs the ship that 'a cruiser of about 12,500 tonnes' weighs: one disputed figure."""
    from assistant.answer.compare import same_thing
    from assistant.answer.plan import Pick

    part = analyse("How heavy was the cruiser Moskva?").parts[0]

    a = _Cand("The Moskva, a Slava-class cruiser of about 12,500 tonnes, entered service in 1983.")
    it = "At 11,500 tonnes, it is the largest warship lost since the cruiser Belgrano in 1982."
    b = _Cand(it, f"The Moskva sank on 14 April.\n{it}")
    pa, pb = Pick(a, 1.0, "12,500 tonnes", base=1.0), Pick(b, 0.8, "11,500 tonnes", base=0.8)
    assert same_thing(part, pa, pb, semantic=False)
    alone = _Cand(it, it)
    assert not same_thing(part, pa, Pick(alone, 0.8, "11,500 tonnes", base=0.8), semantic=False)


def test_two_days_months_apart_are_two_events_not_one_disputed_day():
    """Sudzha taken on 15 August 2024 and retaken on 13 March 2025 (what the shipped corpus
    gave as a dispute): days a month or more apart are two events; days apart a little are
    two accounts of one ('17 October' / '19 October')."""
    from datetime import date

    from assistant.answer.compare import same_thing
    from assistant.answer.plan import Pick
    from assistant.models import DocMeta
    from assistant.text import stem, terms

    part = analyse("When did Ukrainian forces take control of Sudzha?").parts[0]

    class Cand:
        def __init__(self, text: str, published: date) -> None:
            self.text = text
            self.stems = {stem(t) for t in terms(text)}
            meta = DocMeta(doc_id=text[:8], source="s.md", title="Sudzha", published=published)
            self.passage = Passage(
                chunk_id=text[:8], text=text, meta=meta, start=0, end=len(text), score=1.0
            )

    def pick(text: str, value: str, published: date) -> Pick:
        return Pick(Cand(text, published), 1.0, value, base=1.0)

    taken = pick(
        "On 15 August, Ukrainian forces took control of Sudzha.", "15 August", date(2024, 8, 20)
    )
    retaken = pick(
        "On 13 March 2025, Russian forces took control of Sudzha.",
        "13 March 2025",
        date(2025, 4, 30),
    )
    other_account = pick(
        "On 17 August, Ukrainian forces took control of Sudzha.", "17 August", date(2024, 8, 25)
    )
    assert not same_thing(part, taken, retaken, semantic=False)
    assert same_thing(part, taken, other_account, semantic=False)


def test_ships_are_counted_as_vessels():
    question = "How many ships have sailed through Ukraine's Black Sea corridor?"
    assert check(question, "More than 400 vessels have used Ukraine's Black Sea corridor.").ok


def test_what_year_wants_a_year():
    question = "In what year was the Nova Kakhovka dam built?"
    assert not check(question, "The Nova Kakhovka dam was destroyed on 6 June.").ok
    assert check(question, "The Nova Kakhovka dam was built in 1956.").ok


def test_an_ordinal_must_be_the_sentence_s_own_when_its_passage_speaks_of_another():
    part = analyse("How many tankers did the EU's 17th sanctions package blacklist?").parts[0]
    passage = (
        "The 17th package was adopted in May. The 18th package followed in July. "
        "The package also adds more than 100 further vessels to the EU's list."
    )
    sentence = "The package also adds more than 100 further vessels to the EU's list."
    assert not supports(part, sentence, passage, META).ok
    own = "The 17th package adds 189 tankers to the EU's list."
    assert supports(part, own, passage + " " + own, META).ok


def test_a_country_s_figure_is_not_taken_from_an_article_about_another():
    part = analyse("What was Ukraine's GDP growth rate in 2024?").parts[0]
    russia = DocMeta(doc_id="r", title="Russia's war economy in 2025", source="r.pdf")
    sentence = "Growth rebounded to 4.1% in 2024, according to Rosstat."
    passage = f"GDP moved with the war in Ukraine and the sanctions. {sentence}"
    assert not supports(part, sentence, passage, russia).ok
    ukraine = DocMeta(doc_id="u", title="Ukraine's economy in 2024", source="u.pdf")
    assert supports(part, sentence, passage, ukraine).ok


def test_the_name_asked_about_written_out_is_no_new_name():
    question = "What is the name of the first project of the US–Ukraine Reconstruction Fund?"
    restated = "The deal creates the United States–Ukraine Reconstruction Fund, which will invest."
    assert not check(question, restated).ok
    named = "The US–Ukraine Reconstruction Fund said its first project is the Dobra lithium mine."
    assert check(question, named).ok


def test_ages_are_not_a_count_of_people():
    question = "How many men have updated their details through the Reserv+ app?"
    ages = "All men aged 18 to 60 must update their details through Reserv+ within 60 days."
    assert not check(question, ages).ok
    assert check(question, "About 4.5 million men have updated their details through Reserv+.").ok


def test_a_people_is_what_how_many_counts():
    assert analyse("How many Russians crossed into Kazakhstan?").parts[0].counted == "russian"
    assert analyse("How many North Korean troops were sent?").parts[0].counted == "troop"


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        # a length of the war is not a length of service
        (
            "After how many months of service can soldiers be demobilised?",
            "The law was signed after more than two years of full-scale war.",
            False,
        ),
        # a deadline counted from an event is a length of time all the same
        (
            "How long do men have to update their registration papers?",
            "Men must update their registration within 60 days of the law taking effect.",
            True,
        ),
        # days for months: another deadline, not the one asked about
        (
            "After how many months of service can soldiers be demobilised?",
            "Soldiers must register within 60 days of their service ending.",
            False,
        ),
        (
            "After how many months of service can soldiers be demobilised?",
            "Soldiers can be demobilised after 36 months of service.",
            True,
        ),
    ],
)
def test_a_length_of_time_must_be_of_what_was_asked(question, sentence, ok):
    meta = DocMeta(doc_id="d", title="Mobilisation law", source="s")
    assert supports(analyse(question).parts[0], sentence, sentence, meta).ok is ok


@pytest.mark.parametrize(
    ("question", "sentence", "clash"),
    [
        (
            "How many Ukrainian soldiers were killed defending Bakhmut?",
            "He said that about 20,000 Wagner fighters had been killed in the fighting.",
            "Wagner",
        ),
        ("How many Ukrainian soldiers were killed?", "About 5,000 Ukrainian fighters died.", None),
        # both parties the question names are the asked ones
        (
            "How many North Korean soldiers fight alongside Russian forces?",
            "US officials estimated that 11,000 North Korean soldiers had been deployed.",
            None,
        ),
        # a unit's own name is not another party's unit
        (
            "Which Ukrainian brigade was sent into Avdiivka?",
            "Ukraine rushed the 3rd Separate Assault Brigade into Avdiivka.",
            None,
        ),
        # a designation is a kind of thing, not a party: Ukrainian pilots are the F-16 pilots
        (
            "In which Romanian town is the centre that trains Ukrainian F-16 pilots?",
            "Ukrainian pilots have trained at a new F-16 Training Centre at Fetesti in Romania.",
            None,
        ),
        (
            "How many F-16 pilots has Denmark trained?",
            "Denmark has trained 12 Ukrainian pilots so far.",
            None,
        ),
        # the asked one's, in the plural: the Senate's votes beside the House vote
        (
            "What was the Senate vote?",
            "Since the House vote of 20 April, the Senate approved it by 79 votes to 18.",
            None,
        ),
        ("What was the Senate vote?", "The House vote was 311 to 112.", "House"),
        # a party the question names anywhere is an asked one
        (
            "Have North Korean soldiers gone into battle against Ukraine?",
            "North Korean troops have been fighting Ukrainian forces in Kursk since December.",
            None,
        ),
        # the subject of a clause describing the thing asked about is not the thing
        (
            "How wide is the canal that Russian troops had to cross?",
            "The canal is some 20 metres wide, Ukrainian soldiers say.",
            None,
        ),
        (
            "How many Russian troops crossed the canal?",
            "The canal was crossed by 300 Ukrainian soldiers.",
            "Ukrainian",
        ),
    ],
)
def test_the_same_kind_of_thing_of_another_party_is_not_an_answer(question, sentence, clash):
    from assistant.answer.evidence import _kin
    from assistant.answer.sides import modifier_clash

    assert modifier_clash(question, sentence, _kin) == clash


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        (
            "How many ATACMS missiles did the United States deliver?",
            "Ukraine fired American ATACMS missiles for the first time, striking two airfields.",
            None,  # two airfields, not two missiles
        ),
        (
            "How many North Korean soldiers were captured?",
            "Zelensky said Ukrainian forces had captured two wounded North Korean soldiers.",
            "two",
        ),
        ("How many helicopters were destroyed?", "It destroyed 14 helicopters that day.", "14"),
        # modifiers between the number and what it counts
        (
            "How many ATACMS missiles did the United States deliver?",
            "Each ATACMS missile carries about 950 cluster submunitions.",
            None,
        ),
        (
            "How many missiles did the United States deliver?",
            "The United States delivered 20 long-range missiles.",
            "20",
        ),
        # 'one' counts the thing right after it
        (
            "How many ATACMS missiles did the United States deliver?",
            "Washington placed one important limit on the missiles.",
            None,
        ),
        ("How many missiles hit the base?", "Only one missile hit the base.", "one"),
        # the thing counted must be in the sentence, not only the verb or a neighbour
        (
            "How many boats has Ukraine lost ferrying troops to Krynky?",
            "The bridgehead drew thousands of Russian troops away from the front.",
            None,
        ),
        (
            "How many Russian soldiers were killed in the Kherson region?",
            "Officials said that two civilians had been killed in the Kherson region.",
            None,
        ),
        (
            "How many Russian troops were killed or wounded at Avdiivka?",
            "A spokesman put Russian losses at about 47,000 killed and wounded.",
            "47,000",
        ),
        # a casualty question wants a count of the killed, not of those who surrendered
        (
            "How many Ukrainian soldiers were killed defending Azovstal?",
            "The number of Ukrainian soldiers who had surrendered at the plant reached 2,439.",
            None,
        ),
        (
            "How many Russian soldiers were killed in the Kherson region?",
            "Two sappers were killed on Sunday while clearing a building.",
            None,
        ),
        (
            "How many people died in the theatre bombing?",
            "The city council said that about 300 people had been killed there.",
            "300",
        ),
        # a weight, a speed: a number in those units
        (
            "What was the weight of the bomb that hit the theatre?",
            "More than 1,000 people had been living in the theatre.",
            None,
        ),
        ("What was the weight of the bomb?", "The bomb weighed about 500 kilograms.", "500"),
        ("What speed did the missile reach?", "It reached a speed of more than Mach 11.", "11"),
        # a number that names a thing counts nothing
        (
            "How many people drove out of Mariupol?",
            "A strike hit the maternity hospital No. 3 in Mariupol, where people sheltered.",
            None,
        ),
        (
            "How many people drove out of Mariupol?",
            "A strike hit the maternity hospital, killing three people in Mariupol.",
            None,
        ),
        # a capacity is not a distance, nor a count of the refineries that have one
        (
            "What is the annual crude processing capacity of the Ryazan refinery?",
            "The Kirishi refinery near St Petersburg is about 800 kilometres from the border.",
            None,
        ),
        (
            "What is the annual crude processing capacity of the Ryazan refinery?",
            "Drones have struck at least nine refineries, the Ryazan refinery among them.",
            None,
        ),
        (
            "What is the annual crude processing capacity of the Ryazan refinery?",
            "The Ryazan refinery processes about 17 million tonnes of crude a year.",
            "17 million tonnes",
        ),
        # a change 'from A to B' leaves B
        (
            "What's the EU's price cap on Russian crude now?",
            "The package lowers the EU's price cap on Russian crude oil from $60 to $47.60.",
            "$47.60",
        ),
        # "how wide": the width stands by 'wide', whatever else the sentence names
        (
            "How wide is the canal that Russian troops had to cross at Chasiv Yar?",
            "The channel is some 20 metres wide, but in the north of the town it runs through"
            " underground pipes for part of its length, and Russian infantry used those"
            " stretches to get across without bridges, Ukrainian soldiers say.",
            "20 metres",
        ),
        # those singled out among the dead are not another count, nor is the missile
        (
            "How many people were killed by the Palm Sunday strike on Sumy?",
            "The toll of the Russian missile strike on Sumy has risen to 35 dead, two of them"
            " children, the prosecutor said.",
            "35",
        ),
        (
            "How many children were among the dead?",
            "In all 46 people were killed, six of them children.",
            "six",
        ),
        (
            "How many soldiers were killed in the strike?",
            "The strike killed 12, and two civilians had been killed nearby.",
            None,
        ),
        # the children singled out are among the killed, not the wounded asked about
        (
            "How many children were among those wounded in the strike?",
            "In all 28 people were killed, three of them children, and 202 were injured.",
            None,
        ),
        (
            "How many children were among those wounded in the strike?",
            "In all 28 people were killed and 202 were injured, 15 of them children.",
            "15",
        ),
        # those massed are not those who crossed; a question about the massed is answered
        (
            "How many Russian troops crossed the border in the first wave?",
            "Russia gathered about 30,000 troops in its Belgorod region for the offensive.",
            None,
        ),
        (
            "How many Russian troops were gathered for the offensive?",
            "Russia gathered about 30,000 troops in its Belgorod region for the offensive.",
            "30,000",
        ),
        (
            "How many Russian troops crossed the border?",
            "About 2,000 Russian troops crossed the border before dawn.",
            "2,000",
        ),
        # 'people' is a plural too: a city's million people are not the troops counted
        (
            "How big was the Russian force assembled for the offensive?",
            "Russia lacks the troops to take Kharkiv, a city of more than a million people.",
            None,
        ),
        # a count within a group the sentence does not name is the whole's
        (
            "How many of the people on the trolleybus were killed?",
            "The toll of the strike on the centre of Sumy has risen to 35 dead.",
            None,
        ),
        (
            "How many of the people on the trolleybus were killed?",
            "The second missile killed nine people on the trolleybus.",
            "nine",
        ),
        # the dead are not children unless the sentence says so
        ("How many children were among the dead?", "Two of the dead were at the hospital.", None),
        # the employees who died, not everyone who died
        (
            "How many shop employees died in the strike?",
            "The strike killed 22 people and injured more than 100.",
            None,
        ),
        ("How many shop employees died in the strike?", "Five shop employees were killed.", "Five"),
        (
            "How many of the printing house's employees died in the strike?",
            "Missiles struck the printing house, killing at least six workers and injuring 21.",
            "six",
        ),
        # things counted as lost: a count of those standing is no answer
        (
            "How many stalls and shops burned down at the market?",
            "On a recent afternoon a dozen stalls were selling potatoes at the market.",
            None,
        ),
        ("How many stalls burned down at the market?", "The fire destroyed 40 stalls.", "40"),
        # a ship's crew counts its sailors; the sailors killed are not those who served
        ("How many sailors served on the patrol ship?", "The ship had a crew of some 60.", "60"),
        ("How many sailors served on the patrol ship?", "Seven sailors were killed.", None),
        # 'Russian assaults' are assaults: a people's name does not hide what is counted
        (
            "How many Ukrainian soldiers were holding the town?",
            "His troops had repelled 24 Russian assaults in and around the town.",
            None,
        ),
        # a count within the count is not the whole
        (
            "How many bodies were recovered in the town after the withdrawal?",
            "Its council says that 458 bodies were found after the withdrawal, 419 of them with "
            "wounds from bullets.",
            "458",
        ),
        # the bodies of 46 people are 46 bodies
        (
            "How many bodies were recovered from the ruins of the school?",
            "Rescuers have recovered the bodies of 46 people from the ruins of the school.",
            "46",
        ),
        # a model's designation is a modifier: 'four S-300 missiles' count missiles, not cars
        (
            "How many cars were queueing at the gathering point when the missiles struck?",
            "Russian forces had fired four S-300 missiles at the gathering point by a car market.",
            None,
        ),
        (
            "How many aircraft were damaged at the airfield?",
            "The drones damaged four Il-76 transport aircraft at the airfield.",
            "four",
        ),
        # people of a kind are people; people are not a kind asked for
        (
            "How many people had been gathered in the training building?",
            "About 200 cadets and instructors had been gathered in the main training building.",
            "200",
        ),
        ("How many cadets were killed at the institute?", "Some 50 people were killed.", None),
        # 'a girl of six who died' gives her age, not how many died
        (
            "How many people died in the station strike?",
            "The children were a boy of ten and a girl of six who died in a passing car.",
            None,
        ),
        # a hedged toll is still a toll: the people killed were not the people inside
        (
            "How many people were in the store when the bombs fell?",
            "The bombs struck the store on Saturday, killing at least 12 people.",
            None,
        ),
        (
            "How many people were killed in the strike on the store?",
            "The strike on the store injured more than 40 people.",
            None,
        ),
        (
            "How many people were killed in the strike on the store?",
            "The strike on the store killed at least 12 people.",
            "12",
        ),
        # a number the question itself gives is a constraint, not the answer
        (
            "What magnitude did seismologists record for the stronger of the two blasts?",
            "They measured the second of the two blasts at a magnitude of 2.1.",
            "2.1",
        ),
        # the subject says what is counted, however far; a kind of people is part of them
        (
            "How many people were killed by the missile?",
            "The number of people killed by the Russian missile that exploded beside a "
            "playground in the city on 4 April has risen to 20, nine of them children.",
            "20",
        ),
        (
            "How many children were killed?",
            "Twenty people were killed, nine of them children.",
            "nine",
        ),
        # the wounded and the missing are not the people who were there; a casualty word
        # describes only its own clause
        (
            "How many people were in the store when the bombs fell?",
            "At least 43 others were wounded, and 16 people are still missing.",
            None,
        ),
        (
            "How many people were in the store when the bombs fell?",
            "About 200 people were inside the store when the bombs hit.",
            "200",
        ),
        # how long a thing is, not how far a place lies from another
        (
            "How long is the bridge at the resort?",
            "The resort lies some 45 kilometres south-west of Odesa.",
            None,
        ),
        (
            "How long is the bridge?",
            "The bridge, some 500 metres long, was hit twice.",
            "500 metres",
        ),
        (
            "How far is the resort from Odesa?",
            "The resort lies some 45 kilometres south-west of Odesa.",
            "45 kilometres",
        ),
        # a toll: the dead of this strike, not the war's, nor a part of them, nor an age,
        # nor days or buildings; 'the 23rd body' recovered gives it
        (
            "What was the final death toll of the strike?",
            "The UN mission said it had recorded more than 8,000 civilian deaths since the start "
            "of the invasion.",
            None,
        ),
        (
            "What was the final death toll of the strike?",
            "Six children were among the dead; the youngest was a girl of 18 months.",
            None,
        ),
        (
            "How many children were killed in the strike?",
            "Six children were among the dead; the youngest was a girl of 18 months.",
            "Six",
        ),
        (
            "What was the final death toll of the strike?",
            "Rescuers ended their search on Sunday, after they had recovered the 23rd body from "
            "the rubble.",
            "23",
        ),
        (
            "What was the toll of the night attack on the cathedral?",
            "The July attack killed two people and injured 22, officials said: a woman died in "
            "hospital four days later.",
            "two",
        ),
        (
            "What was the toll of the night attack on the cathedral?",
            "Six residential buildings were damaged; the man who was killed died in one of them.",
            None,
        ),
        # "a cadet of 20" is one cadet and their age, not twenty, nor where cadets are counted
        (
            "How many people were killed at the institute?",
            "The number of people killed when two missiles hit the institute on 3 September "
            "has risen to 57, after a cadet of 20 died in hospital.",
            "57",
        ),
        (
            "How many cadets are enrolled at the institute?",
            "The number of people killed when two missiles hit the institute on 3 September "
            "has risen to 57, after a cadet of 20 died in hospital.",
            None,
        ),
        # "how many of the people killed were cadets" counts cadets: the toll is not it
        (
            "How many of the people killed at the institute were cadets?",
            "The number of people killed when two missiles hit the institute has risen to 57, "
            "after a cadet of 20 died in hospital.",
            None,
        ),
        (
            "How many of the people killed at the institute were cadets?",
            "Of the 57 people killed at the institute, 41 were cadets.",
            "41",
        ),
        # nor how many were injured
        (
            "How many people were injured in the strike on the square?",
            "The number of people killed by the missile that hit the square on 19 August has "
            "risen to eight, after a man of 74 died in hospital.",
            None,
        ),
        # the number of the dead is not how many people were at the meeting
        (
            "How many people were in the theatre for the meeting?",
            "The number of people killed by the missile that hit the square in front of the "
            "theatre on 19 August has risen to eight, after a man of 74 died in hospital.",
            None,
        ),
        # people who were there, of whom none was killed, are not the dead
        (
            "How many people were killed in the restaurant?",
            "Its owner said about 15 people had been inside and that none had been killed.",
            None,
        ),
        # an age is someone's: a woman's age is not the children's
        (
            "How old were the children killed in the strike?",
            "The toll rose to 20 when a woman of 68 died of her wounds in hospital.",
            None,
        ),
        (
            "How old were the children killed in the strike?",
            "A girl of six was killed.",
            "six",
        ),
    ],
)
def test_a_count_of_something_else_is_not_the_count_asked_for(question, sentence, value):
    from assistant.answer.counts import number_near

    assert number_near(analyse(question).parts[0], sentence) == value


def test_the_name_of_an_officer_is_a_person():
    q = "What is the name of the Ukrainian officer who planned the strike?"
    assert analyse(q).parts[0].slot is Slot.PERSON
    assert analyse("What is the name of the river in Bakhmut?").parts[0].slot is Slot.ORG


def test_a_country_and_its_adjective_are_one_name():
    from assistant.answer.names import mentions

    assert mentions("Danish", "Denmark's police said on 26 February that the case was closed.")
    assert mentions("Sweden", "Swedish prosecutors closed their inquiry.")
    assert not mentions("Danish", "Sweden's prosecutor closed the inquiry.")


def test_how_deep_and_how_far_want_a_distance_with_its_unit():
    from assistant.answer.values import numbers

    deep = analyse("How deep is the water where the pipes lie?").parts[0]
    assert deep.slot is Slot.NUMBER and deep.measure == "distance"
    assert [t for _, t in numbers("The pipes rest at a depth of about 70 metres.")] == ["70 metres"]
    far = analyse("How far is Olenivka from the city of Donetsk?").parts[0]
    sentence = "The colony near Olenivka lies some 20 kilometres south-west of Donetsk."
    meta = DocMeta(doc_id="d", title="Olenivka", source="s")
    assert supports(far, sentence, sentence, meta).value == "20 kilometres"


def test_designations_titles_and_place_questions_are_read_whole():
    from assistant.answer.question import names_in

    q = "What did MP Mariana Bezuhla claim brought down Ukraine's first lost F-16?"
    assert names_in(q) == ("Mariana Bezuhla", "Ukraine", "F-16")
    assert names_in("Did Su-34 jets or S-400 batteries move?") == ("Su-34", "S-400")
    assert analyse("In which Dagestani city did protesters clash?").parts[0].slot is Slot.PLACE
    assert analyse("At which Ukrainian airbase are the F-16s kept?").parts[0].slot is Slot.PLACE


def test_a_list_of_places_names_nobody():
    from assistant.answer.names import people

    assert people("The pipeline between Finland and Estonia was damaged.") == []
    assert people("The strike on helicopter bases at Berdiansk and Luhansk is known.") == []
    assert people("The talks were attended by Rubio and Waltz.") == ["Rubio", "Waltz"]


@pytest.mark.parametrize(
    ("question", "sentence", "clash"),
    [
        (
            "When will Ukraine hold its next presidential election?",
            "The US presidential election is in November.",
            "US",
        ),
        # a name before a comma is the sentence's subject, not the owner of what follows
        (
            "Which Swedish body took charge of the criminal inquiry into the damage?",
            "The Swedish Security Service, Säpo, took over the preliminary investigation.",
            None,
        ),
        (
            "When will Ukraine hold its next presidential election?",
            "Ukraine's next presidential election cannot be held under martial law.",
            None,
        ),
        # a thing the question gives no owner is nobody's in particular
        (
            "On what date did the ballistic missiles hit Sumy city centre?",
            "Two Russian ballistic missiles struck the centre of Sumy on Sunday morning.",
            None,
        ),
        # the strike on a place is the attacker's strike when the sentence names the place
        (
            "How many people died in the Chaplyne station strike?",
            "The toll from the Russian strike on the railway station in Chaplyne has risen to 25.",
            None,
        ),
        (
            "How many people died in the Chaplyne station strike?",
            "The toll from the Russian strike on the railway station has risen to 25.",
            "Russian",
        ),
        # a place's administration is not a party's military
        (
            "Where does the Marinka city military administration now operate from?",
            "Russian troops are pressing assaults on Marinka, but Ukrainian units still hold "
            "the edge of the town, the Ukrainian military said.",
            "Ukrainian",
        ),
        # a day owns nothing: the Palm Sunday strike is the Russian missile strike
        (
            "How many people were killed by the Palm Sunday strike on Sumy?",
            "The toll of the Russian missile strike on the centre of Sumy has risen to 35.",
            None,
        ),
    ],
)
def test_a_thing_owned_by_a_party_the_question_does_not_name(question, sentence, clash):
    from assistant.answer.sides import owner_clash

    assert owner_clash(analyse(question).parts[0], sentence) == clash


@pytest.mark.parametrize(
    ("question", "sentence", "value"),
    [
        # the day someone said a thing was still so is not the day it ended
        (
            "On what date did the last Ukrainian troops leave Bakhmut?",
            "Syrskyi said on Monday that Ukrainian troops still held a small part of the city.",
            None,
        ),
        # the day an event was announced is its date
        (
            "On what date did Danish police close their investigation?",
            "Denmark's police said on 26 February that they were closing their case.",
            "26 February",
        ),
        # and a question about what was said asks for that day
        (
            "When did Syrskyi say that troops still held part of the city?",
            "Syrskyi said on 22 May that Ukrainian troops still held a small part of the city.",
            "22 May",
        ),
    ],
)
def test_the_date_of_a_statement_that_something_was_still_so(question, sentence, value):
    from assistant.answer.when import date_near

    assert date_near(analyse(question).parts[0], sentence, None) == value


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        # 'the intelligence chief' is 'the head of intelligence'
        (
            "How many drones did Ukraine's military intelligence chief say Russia had ordered?",
            "The head of Ukraine's military intelligence said Russia had ordered about 2,400 "
            "drones.",
            True,
        ),
        # a role inside a hyphenated post
        (
            "On what date did Syrskyi take over from Zaluzhnyi as commander-in-chief?",
            "Syrskyi replaced Zaluzhnyi as commander-in-chief on 8 February 2024.",
            True,
        ),
        # the person a sentence names may hold the post the question gives
        (
            "What curfew did Kherson's governor impose?",
            "Yanushevych has imposed a curfew from 17:00 to 08:00 in Kherson.",
            True,
        ),
        # a subject and its verb are not a party's thing: 'Ukraine recognise' is no clash
        (
            'On what date did Russia recognise the "people\'s republics"?',
            'Russia recognised the "people\'s republics" on 21 February and demands that '
            "Ukraine recognise Crimea as Russian.",
            True,
        ),
        # a list of owners that includes the asked one
        (
            "What regime did Russian authorities declare in the Kursk region?",
            "Russian authorities declared a counter-terrorism operation regime in the Kursk, "
            "Belgorod and Bryansk regions.",
            True,
        ),
        # a captain asked for and none named
        ("Who was the captain of the Moskva?", "The Moskva sank on 14 April.", False),
        # the German army's training area is the German one; a Shahed-136 is a Shahed
        (
            "At which German training area did the Ukrainian crews learn to operate the Leopard?",
            "Ukrainian soldiers trained on the Leopard at the Bundeswehr's training area in "
            "Munster.",
            True,
        ),
        (
            "What do Ukrainian soldiers call the Iranian-made Shahed drones?",
            "Kyiv was attacked by Iranian-made Shahed-136 drones, which Ukrainian soldiers call "
            '"mopeds".',
            True,
        ),
        # the spokesman who reported the move is not who ordered it; a town is nobody
        (
            "Who gave the order for Ukrainian troops to leave their positions in Krynky?",
            "Dmytro Lykhovyi, a spokesman for the Tavria group, said on Wednesday that the "
            "positions in Krynky were destroyed and troops had been moved.",
            False,
        ),
        (
            "Who gave the order for Ukrainian troops to leave Krynky?",
            "Krynky is a village about 30 kilometres upstream from Kherson that had 1,000 "
            "inhabitants.",
            False,
        ),
        (
            "Who gave the order for Ukrainian troops to leave Krynky?",
            "General Oleksandr Tarnavskyi ordered the troops out of Krynky, a spokesman said.",
            True,
        ),
        # a reason asked for: the sentence must give one, not only report the event
        (
            "What caused the car crash that killed Kirill Stremousov?",
            "Kirill Stremousov was killed in a car crash near Henichesk.",
            False,
        ),
        (
            "Why did Syrskyi pull the garrison out of Avdiivka?",
            'Syrskyi pulled units back from Avdiivka "to avoid encirclement".',
            True,
        ),
        (
            "Why did Russian gas transit through Ukraine stop?",
            "Transit stopped because Kyiv did not renew the contract with Gazprom.",
            True,
        ),
    ],
)
def test_constraints_read_as_the_articles_word_them(question, sentence, ok):
    from assistant.models import DocMeta

    part = analyse(question).parts[0]
    meta = DocMeta(doc_id="d", source="s.md", title="Report")
    assert supports(part, sentence, sentence, meta).ok is ok


def test_a_question_in_other_words_shares_the_sentences_words():
    """'national output' is GDP and 'the right to drive' a driving licence in a report; names
    keep their own aliases only."""
    from assistant.answer.wording import equivalents, matched
    from assistant.text import stem, terms

    def shared(question: str, sentence: str) -> set[str]:
        return set(matched(equivalents(question), {stem(t) for t in terms(sentence)}))

    assert stem("output") in shared(
        "What share of national output goes to the army?", "Defence takes 6.3% of GDP."
    )
    assert stem("army") in shared(
        "What share of national output goes to the army?", "Defence takes 6.3% of GDP."
    )
    assert stem("licence") in shared("Can courts take a licence?", "Courts suspend licenses.")
    assert shared("Who met Putin?", "Russia's defence minister met envoys.") == {stem("met")}


def test_the_day_of_a_date_asked_is_not_a_name_the_articles_lack():
    """'on 16 May 2022' is met by 'On Monday' in a report of Tuesday 17 May: the 16 is part of
    a date, checked as one, not a name no sentence gives (which marks a question off-topic)."""
    from assistant.answer.extractive import ExtractiveGenerator

    text = "On Monday police evacuated 23 more residents of the village of Bilohorivka."
    meta = DocMeta(doc_id="b", title="Bilohorivka", published=date(2022, 5, 17), source="b.txt")
    passage = Passage(chunk_id="b:0", text=text, start=0, end=len(text), meta=meta)
    generator = ExtractiveGenerator(0.36, 3)
    dated = "How many people did police take out of Bilohorivka on 16 May 2022?"
    plain = "How many people did police take out of Bilohorivka?"
    assert generator.score(dated, [passage])[1] >= generator.score(plain, [passage])[1]


def test_a_headline_is_not_quoted_as_a_sentence():
    """A title ending in a quotation ('talks are "on hold"') is a heading, not evidence."""
    from assistant.answer.extractive import ExtractiveGenerator

    title = 'Seven weeks after Istanbul, peace talks are "on hold"'
    text = f"{title}\n\nThe delegations have not met since 29 March, officials in Kyiv said."
    meta = DocMeta(doc_id="i", title=title, published=date(2022, 5, 18), source="i.txt")
    passage = Passage(chunk_id="i:0", text=text, start=0, end=len(text), meta=meta)
    found = [c.text for c in ExtractiveGenerator(0.36, 3)._candidates([passage])]
    assert found == ["The delegations have not met since 29 March, officials in Kyiv said."]


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        ("Seoul", "South Korea's National Intelligence Service puts the total at 14,000."),
        ("Pyongyang", "North Korean troops were sent to Kursk."),
        ("Berlin", "Germany will send Leopard tanks."),
        ("Patriots", "Four of the systems are Patriot batteries."),
    ],
)
def test_a_capital_stands_for_its_government(name, sentence):
    """A capital for its country; a system named in the plural by its singular."""
    from assistant.answer.names import has_name
    from assistant.text import stem, terms

    assert has_name(name, sentence.lower(), {stem(t) for t in terms(sentence)})


def test_an_until_question_is_answered_by_the_day_things_run_to():
    """'Until when …': the date after 'until', not the day of the decision; 'the end of
    March' is a date."""
    from assistant.answer.when import date_near

    sanctions = analyse("Until when do the EU's economic sanctions on Russia now run?").parts[0]
    renewal = "On 30 June 2025 the EU extended its sanctions, until 31 January 2026."
    assert date_near(sanctions, renewal, date(2025, 7, 1)) == "31 January 2026"
    when = analyse("When did the EU extend its economic sanctions on Russia?").parts[0]
    assert date_near(when, renewal, date(2025, 7, 1)) == "30 June 2025"
    outages = analyse("Until when are Ukrainians expected to live with power outages?").parts[0]
    warning = "Ukrainians should prepare for outages that could continue until the end of March."
    assert check("Until when are Ukrainians expected to live with power outages?", warning).ok
    assert date_near(outages, warning, date(2022, 11, 25)) == "end of March"


@pytest.mark.parametrize(
    "value,sentence,worded",
    [
        (
            "12,000",
            "officials estimated that some 11,000 to 12,000 soldiers",
            "some 11,000 to 12,000",
        ),
        ("7%", "Russia now spends nearly 7% of GDP on defence", "nearly 7%"),
        ("30,000", "more than 30,000 servicemen had been moved", "more than 30,000"),
        ("46", "at least 46 settlements have been flooded", "at least 46"),
        ("1 March", "encircled since 1 March", "1 March"),
        ("2,439", "a total of 2,439 fighters", "2,439"),
        ("$47.60", "lowers the cap from $60 to $47.60 a barrel", "$47.60"),  # a change
        ("700", "Some 700 residents are still living there", "some 700"),  # mid-sentence
    ],
)
def test_a_side_of_a_disagreement_is_given_as_its_source_words_it(value, sentence, worded):
    """'nearly 7%' and '7%' are different claims: a qualifier or range is part of the value."""
    from assistant.answer.compose import value_as_worded

    assert value_as_worded(value, sentence) == worded


@pytest.mark.parametrize(
    "sentence,day",
    [
        ("President Zelensky on Sunday confirmed that the F-16s had arrived.", date(2024, 8, 4)),
        ("The ministers will meet again on Friday.", date(2024, 8, 9)),
        ("Last Monday the strike hit the port.", date(2024, 7, 29)),
        ("On Monday the plant lost power.", date(2024, 8, 5)),
        ("The first raid came on Monday last week, before dawn.", date(2024, 7, 29)),
        ("He said on Thursday, 1 August, that the jets had landed.", None),
    ],
)
def test_a_weekday_is_the_day_it_stands_for_in_its_report(sentence, day):
    """Read from the report's day (Monday 5 August 2024): the last such day, or the next one
    when the sentence looks ahead; a weekday with its date written out needs no reading."""
    from assistant.answer.dates import weekday_days

    found = weekday_days(sentence, date(2024, 8, 5))
    assert (found[0][1] if found else None) == day


def test_the_day_a_weekday_stands_for_is_supported_by_its_passage():
    """A model that writes '4 August' for a report's 'on Sunday' states what the source says."""
    from assistant.answer.facts import unsupported_facts

    meta = DocMeta(doc_id="d", title="Jets", published=date(2024, 8, 5), source="d.txt")
    passage = "President Zelensky on Sunday confirmed that the F-16s had arrived."
    assert (
        unsupported_facts("Zelensky showed the F-16s on 4 August 2024. [1]", [(passage, meta)])
        == []
    )
    assert unsupported_facts("Zelensky showed the F-16s on 3 August 2024. [1]", [(passage, meta)])


def test_a_day_written_out_answers_a_date_question_before_a_month_in_an_aside():
    from assistant.answer.when import date_near

    part = analyse("On what date were the prisoners moved into the barrack?").parts[0]
    sentence = (
        "The prisoners inside, many of them fighters who had surrendered in May, had been "
        "transferred to the building on 25 July, according to survivors."
    )
    assert date_near(part, sentence, date(2023, 1, 12)) == "25 July"


def test_a_month_of_last_year_is_a_date_not_a_vague_month():
    """'in September last year' says when, as '2023' would; 'in September' alone leans on the
    publication date."""
    from assistant.answer.when import date_near

    part = analyse("When had the patrol ship been damaged before?").parts[0]
    earlier = "The ship had been damaged in an earlier drone attack in September last year."
    assert date_near(part, earlier, date(2024, 3, 5)) == "September last year"
    assert date_near(part, "It was damaged in September.", date(2024, 3, 5)) == "relative"


@pytest.mark.parametrize(
    "question,sentence,named",
    [
        (
            "Which missile system did Ukraine use to strike the Saky air base?",
            "The airfield is home to a regiment that flies Su-24 bombers and Su-30SM fighters.",
            False,
        ),
        (
            "Which missile system did Ukraine use to strike the Saky air base?",
            "They did not say which missile had been used.",
            False,
        ),
        (
            "Which Russian vessel radioed the ultimatum?",
            "A Russian ship radioed the garrison.",
            False,
        ),
        (
            "Which Russian vessel radioed the ultimatum?",
            "The demand came from the patrol ship Vasily Bykov.",
            True,
        ),
        (
            "What boat have German investigators examined?",
            "Investigators were examining a sailing yacht, the Andromeda, rented in Rostock.",
            True,
        ),
        ("What missile hit the station?", "The tail of a Tochka-U missile lay on the grass.", True),
    ],
)
def test_a_thing_asked_for_by_its_kind_is_answered_by_a_name_of_that_kind(
    question, sentence, named
):
    """'Which missile system': a name beside a word for missiles, not any name in the
    sentence (aircraft types, a regiment) and not a sentence saying it is not known."""
    assert analyse(question).parts[0].slot is Slot.ORG
    assert check(question, sentence).ok is named


def test_how_many_of_a_group_were_of_a_kind_counts_that_kind():
    """'How many of the civilians killed were women': 73 civilians is not the answer."""
    question = "How many of the civilians killed in Bucha were women?"
    assert analyse(question).parts[0].counted == "women"
    assert not check(question, "The UN has documented the killing of 73 civilians in Bucha.").ok
    assert check(question, "Of the civilians killed in Bucha, 12 were women, the UN says.").ok
    assert analyse("How many of them were freed?").parts[0].counted is None


def test_a_length_of_time_in_words_is_no_count_of_people():
    question = "How many Ukrainian soldiers were taken prisoner when Vuhledar fell?"
    sentence = '"We held Vuhledar for two and a half years," said a soldier of the 72nd.'
    assert not check(question, sentence).ok


def test_when_an_event_named_by_a_noun_begins_needs_that_event():
    """'When is the trial due to begin?': the day the soldiers were charged is not its date."""
    question = "When is the trial of the ten soldiers of the 64th brigade due to begin?"
    charged = "On 28 April prosecutors named ten soldiers of the 64th brigade and charged them."
    assert not check(question, charged).ok
    assert check(
        question, "The trial of the ten soldiers of the 64th brigade opens on 3 October."
    ).ok


def test_a_language_is_no_place_but_a_place_described_by_a_people_is():
    where = "Where are most of the frozen central bank assets held?"
    assert not check(where, "The island, known in Ukrainian as Zmiinyi, was shelled.").ok
    assert check(where, "Most are held at the Belgian securities depository Euroclear.").ok


@pytest.mark.parametrize(
    "sentence,ok",
    [
        ("A missile struck the station in Kramatorsk as thousands of people waited there.", False),
        ("Two trains heading for Kramatorsk were stopped outside the city.", False),
        ("Two months after the missile hit the station in Kramatorsk, the toll is known.", False),
        ("The governor said about 4,000 people had been at the Kramatorsk station.", True),
    ],
)
def test_how_large_a_crowd_was_is_a_count_of_people(sentence, ok):
    """'Thousands of people' is no figure; 'two trains' and 'two months' count other things."""
    question = "How large was the crowd at Kramatorsk station when the missile struck?"
    assert analyse(question).parts[0].counted == "crowd"
    assert check(question, sentence).ok is ok


def test_an_acronym_is_met_by_its_name_written_out():
    from assistant.answer.names import spelled_out

    assert spelled_out("ICC", "The prosecutor of the International Criminal Court visited")
    assert spelled_out("IAEA", "the International Atomic Energy Agency said")
    assert not spelled_out("ICC", "it is certainly correct")
    question = "When did the ICC prosecutor go to Bucha?"
    sentence = "The prosecutor of the International Criminal Court visited Bucha on 13 April."
    assert check(question, sentence).ok  # and 'go' is a verb that asks nothing of its own


def test_a_weekday_with_its_day_is_one_date():
    from assistant.answer.when import date_near

    part = analyse("On what date did Zelensky and his commanders decide to defend Bakhmut?").parts[
        0
    ]
    sentence = (
        "Zelensky said that he had met his top commanders on Monday, 6 March, and that they "
        "had agreed to continue the defence."
    )
    assert date_near(part, sentence, date(2023, 3, 10)) == "6 March"


def test_a_month_after_the_reports_own_is_last_year():
    """'In November' in a report of 16 February 2023 is November 2022."""
    question = "To which regional governor had the marines complained in November 2022?"
    assert analyse(question).parts[0].slot is Slot.PERSON
    meta = DocMeta(doc_id="d", title="Vuhledar", published=date(2023, 2, 16), source="d.txt")
    sentence = "In November, marines wrote to Oleg Kozhemyako, the governor of Primorsky region."
    part = analyse(question).parts[0]
    assert supports(part, sentence, sentence, meta).ok


@pytest.mark.parametrize(
    "sentence,ok",
    [
        ("The Moskva sank after, according to Ukraine, it was hit by Neptune missiles.", False),
        ("It was the largest Russian warship lost in combat since 1945.", False),
        ("Russia said that a fire had set off ammunition on board and that the ship sank.", True),
        ("According to the Kremlin, the ship sank in a storm while under tow.", True),
    ],
)
def test_what_a_party_said_is_a_sentence_giving_its_words(sentence, ok):
    """'What did Moscow say made it sink?': Ukraine's account, or a sentence that only
    mentions Russia, is not what Moscow said."""
    assert check("What did Moscow say made it sink?", sentence).ok is ok


def test_a_name_before_the_kind_asked_for_is_its_name_not_another_side():
    """'Which Ukrainian operational-strategic group …': 'the Khortytsia operational-strategic
    group' is the answer; Russia's 'Vostok group' is another side's."""
    question = "Which Ukrainian operational-strategic group announced the retreat from Vuhledar?"
    ours = "The Khortytsia operational-strategic group said on 1 October that it left Vuhledar."
    theirs = "Russia's defence ministry said that troops of its Vostok group had taken Vuhledar."
    assert check(question, ours).ok
    assert not check(question, theirs).ok


def test_names_in_a_closing_scene_setting_clause_are_not_required():
    """'… of Russia's Black Sea Fleet after the August 2022 explosions in Crimea': the fleet
    is what is asked about; the clause after it only says when."""
    asked = (
        "Who took over command of Russia's Black Sea Fleet after the August 2022 explosions "
        "in Crimea?"
    )
    assert analyse(asked).parts[0].constraints.names == ("Russia Black Sea Fleet",)
    assert analyse("How many people were killed after the Kakhovka breach?").parts[
        0
    ].constraints.names == ("Kakhovka",)


def test_a_share_written_as_a_fraction_is_a_share():
    """'About two-thirds' and 'roughly three-quarters' answer 'what share', and differ."""
    from assistant.answer.values import number_value

    question = "What share of Russia's crude exports is shipped by sea?"
    check_ = check(question, "About two-thirds of Russia's crude exports are shipped by sea.")
    assert check_.ok and check_.value == "two-thirds"
    assert round(number_value("two-thirds")) == 67 and number_value("three-quarters") == 75
    assert number_value("a quarter") == 25


def test_how_big_a_thing_was_asks_for_its_head_noun():
    """'How big was Russia's budget deficit': the deficit, not the oil and gas revenues."""
    question = "How big was Russia's budget deficit in the first half of 2023?"
    assert analyse(question).parts[0].counted == "deficit"
    revenues = (
        "Russia's oil and gas revenues in the first half of 2023 fell to 3.4 trillion roubles."
    )
    deficit = (
        "Russia's federal budget ran a deficit of 2.6 trillion roubles in the first half of 2023."
    )
    assert not check(question, revenues).ok
    assert check(question, deficit).ok


def test_how_long_a_thing_is_asks_for_a_length_not_a_time():
    trench = "How long was the mass-grave trench in Bucha?"
    assert analyse(trench).parts[0].slot is Slot.NUMBER
    assert analyse("How long was the siege of Mariupol?").parts[0].slot is Slot.DURATION
    assert check(trench, "In Bucha a trench about 14 metres long held the bodies.").value == (
        "14 metres"
    )
    pipeline = "How long is the Nord Stream 1 pipeline?"
    assert not check(pipeline, "The Nord Stream 2 line stopped leaking on 1 October 2022.").ok


def test_the_thing_asked_for_may_be_named_by_a_synonym():
    """'What ceilings were set …' is answered by 'the coalition set two limits: $100 …'."""
    from assistant.answer.asked import carries_head

    part = analyse("What ceilings were set for Russian refined products in February 2023?").parts[0]
    assert carries_head(part, "The coalition set two limits: $100 a barrel for diesel.")
    assert not carries_head(part, "The EU's ban on imports of Russian refined products began.")


def test_whether_anyone_survived_is_met_by_a_sentence_saying_all_were_killed():
    """'Did anyone on board survive?' shares no word with 'All 11 crew were killed', which
    answers it; the dead are not answered by who survived."""
    from assistant.answer.wording import equivalents, matched
    from assistant.text import stem_set

    survived = equivalents("Did anyone on board the A-50 survive?")
    killed = stem_set("All 11 crew members of the aircraft were killed.")
    assert {"surviv", "board"} <= {stem for stem in matched(survived, killed)}
    dead = equivalents("How many people were killed at the station?")
    assert not matched(dead, stem_set("Three passengers survived."))


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("The soldiers, from the 66th Mechanised Brigade, threw the tricolour down.", True),
        ("Fighters of the Azov regiment held the plant.", True),
        ("Russian-backed forces seized Donetsk and the front froze on its edge.", False),
        ("It frees Russian units to press on towards Kurakhove.", False),
    ],
)
def test_which_unit_is_answered_by_a_unit_named(sentence, named):
    """'Which Russian unit raised its flag?' wants a unit by its name or number."""
    from assistant.answer.asked import names_kind

    part = analyse("Which Russian unit raised its flag over Marinka?").parts[0]
    assert names_kind(part, sentence) is named


def test_a_serial_number_is_an_identifier_not_a_count():
    question = "What serial number did Moscow publish for the missile?"
    assert analyse(question).parts[0].slot is Slot.ORG
    sentence = "Russia's defence ministry published the serial number Sh91579 for the missile."
    assert check(question, sentence).value == "Sh91579"


def test_an_officer_asked_for_is_a_role_the_articles_must_give():
    question = "What is the name of the Ukrainian officer who planned the ATACMS strike?"
    assert "officer" in analyse(question).parts[0].constraints.roles
    sentence = "President Volodymyr Zelensky confirmed the ATACMS strikes in his evening address."
    assert not check(question, sentence).ok


@pytest.mark.parametrize(
    "question,sentence",
    [
        (
            "What caused the explosions at the Saky air base?",
            "The air force at Saky could not say what had caused the explosions.",
        ),
        (
            "Which missile did Ukraine use at Saky?",
            "Kyiv did not say which missile it had used at Saky, or from where.",
        ),
    ],
)
def test_a_sentence_saying_it_is_not_known_does_not_answer(question, sentence):
    assert not check(question, sentence).ok


def test_a_place_given_as_another_kind_is_not_the_kind_asked_for():
    """'In which Russian city …': 'his home region of Cherkasy' names a region."""
    question = "In which Russian city were the captured Snake Island defenders held?"
    region = (
        "Hrybov, a Snake Island defender, was later given a medal in his home region of Cherkasy."
    )
    city = "The Snake Island defenders were held in Kursk, a Russian city near the border."
    assert not check(question, region).ok
    assert check(question, city).value == "Kursk"


def test_a_kind_asked_by_its_own_word_is_found_before_its_kin():
    """'Which submarine was damaged …': the submarine Rostov-on-Don, not the landing ship
    Minsk beside it; and 'the Sevmorzavod shipyard in Sevastopol' is Sevastopol's shipyard."""
    question = "Which submarine was damaged when missiles hit the Sevastopol shipyard?"
    sentence = (
        "Missiles hit the Sevmorzavod shipyard in Sevastopol, badly damaging the landing ship "
        "Minsk and the submarine Rostov-on-Don."
    )
    assert check(question, sentence).value == "Rostov-on-Don"


def test_how_big_a_force_was_counts_its_troops():
    question = "How big was the Russian force holding Lyman before the retreat?"
    assert analyse(question).parts[0].counted == "forc"
    assert check(question, "About 5,000 Russian troops were almost surrounded in Lyman.").ok
    assert analyse("How long was the grain corridor extended?").parts[0].slot is Slot.DURATION


def test_a_weapon_is_named_by_its_name_not_by_whose_it_is():
    question = "What weapon did Ukraine use against the Black Sea Fleet's headquarters?"
    assert not check(question, "Ukrainian missiles struck the Black Sea Fleet's headquarters.").ok
    named = "Ukraine's Storm Shadow missiles struck the Black Sea Fleet's headquarters."
    assert check(question, named).value == "Storm Shadow"
    assert analyse("What justification did Moscow offer for the pullout?").parts[0].slot is (
        Slot.REASON
    )


@pytest.mark.parametrize(
    "question,sentence,ok",
    [
        (
            "Which construction company won the contract to rebuild Okhmatdyt?",
            'At the site of Kyiv\'s Okhmatdyt hospital a banner reads "We are rebuilding".',
            False,
        ),
        (
            "Which company won the contract to rebuild Okhmatdyt?",
            "The contract to rebuild Okhmatdyt was awarded to Budivelnyk, a Kyiv firm.",
            True,
        ),
        (
            "Which foreign government gave money to rebuild Okhmatdyt?",
            "The largest gift to rebuild Okhmatdyt came from Germany.",
            True,
        ),
        (
            "How much compensation is Dnipro paying each family?",
            "Rescuers in Dnipro ended the search three days after the strike.",
            False,
        ),
    ],
)
def test_a_company_is_no_city_and_a_payment_is_money(question, sentence, ok):
    assert check(question, sentence).ok is ok


def test_a_death_toll_is_given_by_the_number_killed():
    """'What was the final death toll …' is answered by 'In all 46 people were killed'."""
    question = "What was the final death toll of the January 2023 strike on the Dnipro block?"
    sentence = "In Dnipro in January 2023, in all 46 people were killed, six of them children."
    assert check(question, sentence).value == "46"


def test_a_later_report_of_a_named_event_need_not_repeat_its_date():
    """'The attack of 8 July 2024 that hit Okhmatdyt', recounted in November without the
    date, is the same attack; a later count for 'Russia' and 'Ukraine' alone is not dated."""
    meta = DocMeta(doc_id="d", title="Rebuilding", published=date(2024, 11, 19), source="d.txt")
    named = analyse("How many people died in the attack of 8 July 2024 that hit Okhmatdyt?")
    sentence = "At Okhmatdyt and across the city, 33 people were killed and 120 injured."
    assert supports(named.parts[0], sentence, sentence, meta).ok
    broad = analyse("How many cruise missiles did Russia fire at Ukraine on 10 October 2022?")
    later = "Russia fired 83 cruise missiles at Ukraine."
    assert not supports(broad.parts[0], later, later, meta).ok


def test_young_patients_are_counted_as_children():
    question = "How many young patients were in Okhmatdyt when the missile struck?"
    assert analyse(question).parts[0].counted == "patient"
    sentence = "About 670 children were being treated at Okhmatdyt when the missile struck."
    assert check(question, sentence).value == "670"


def test_on_what_date_wants_a_day_not_a_year():
    question = "On what date in 2024 was Zaluzhnyi appointed to a diplomatic post?"
    quote = 'Zaluzhnyi wrote that "the tasks of 2022 are different from the tasks of 2024".'
    assert not check(question, quote).ok
    named = "On 7 March 2024 Zelensky appointed Zaluzhnyi ambassador to the United Kingdom."
    assert check(question, named).value == "7 March 2024"


def test_a_tally_by_a_year_is_given_by_a_report_of_that_year():
    """'How many had Russia fired by early 2023?' in a January 2023 report: 'some 210 since
    February 2022'."""
    meta = DocMeta(doc_id="d", title="Dnipro", published=date(2023, 1, 27), source="d.txt")
    part = analyse("How many Kh-22 missiles had Russia fired at Ukraine by early 2023?").parts[0]
    sentence = "Russia has fired some 210 Kh-22 missiles at Ukraine since February 2022."
    assert supports(part, sentence, sentence, meta).ok
    older = DocMeta(doc_id="e", title="Dnipro", published=date(2022, 6, 1), source="e.txt")
    assert not supports(part, sentence, sentence, older).ok


def test_a_superlative_is_answered_only_by_a_ranking():
    question = "Which foreign government gave the most money to rebuild Okhmatdyt?"
    assert not check(question, "In Kyiv, Okhmatdyt: Germany and Norway have given funds.").ok
    assert check(question, "Okhmatdyt in Kyiv: the largest gift came from Germany.").ok


def test_the_number_by_the_questions_own_word_is_its_value():
    """'Fewer than 7,000 residents remain … out of a pre-war population of some 64,000': the
    population is 64,000."""
    question = "What was Pokrovsk's population before the war?"
    sentence = (
        "Fewer than 7,000 residents remain in Pokrovsk, the head of its administration said, "
        "out of a pre-war population of some 64,000."
    )
    assert check(question, sentence).value == "64,000"


def test_until_when_is_answered_only_by_the_day_things_run_to():
    from assistant.answer.when import date_near

    part = analyse("Until when do the EU's economic sanctions on Russia now run?").parts[0]
    deadline = "Attention is turning to the next renewal, due before the end of January 2026."
    assert date_near(part, deadline, date(2025, 8, 1)) is None
    runs = "The EU extended its sanctions for six months, until 31 January 2026."
    assert date_near(part, runs, date(2025, 6, 30)) == "31 January 2026"


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        (
            "When does the first hearing take place in the trial?",
            "In May the case was sent to court; no date has yet been set for the first hearing.",
            False,
        ),
        (
            "When did the trial open?",
            "The trial opened on 3 May; no date has been set for the verdict.",
            True,
        ),
    ],
)
def test_a_sentence_saying_no_date_is_set_does_not_date_it(question, sentence, ok):
    assert check(question, sentence).ok is ok


@pytest.mark.parametrize(
    ("value", "sentence", "worded"),
    [
        ("three", "Kartapolov told MPs that three missiles had been fired.", "three missiles"),
        ("two", "The plane was hit by two Patriot missiles.", "two Patriot missiles"),
        ("two", "Two of them hit the plane, and two missed.", "two"),
    ],
)
def test_a_side_gives_what_its_number_counts(value, sentence, worded):
    from assistant.answer.compose import value_as_worded
    from assistant.answer.values import counted_kin

    assert value_as_worded(value, sentence, frozenset(counted_kin("missil"))) == worded


def test_a_model_in_the_plural_is_what_is_counted():
    """'How many Il-76s were hit': the Il-76s are counted, and a side says 'four Il-76'."""
    from assistant.answer.compose import value_as_worded

    part = analyse("How many Il-76s were hit at the airfield?").parts[0]
    assert part.counted == "il-76"
    assert analyse("How many F-16 jets has Ukraine received?").parts[0].counted == "jet"
    sentence = "Drones damaged four Il-76 military transport aircraft at the airfield."
    assert value_as_worded("four", sentence, frozenset({part.counted})) == "four Il-76"


@pytest.mark.parametrize(
    ("name", "question", "where"),
    [
        ("Zelensky", "How many jets in total has Zelensky asked partners for?", False),
        ("Prigozhin", "How many fighters left after Prigozhin announced the pull-out?", False),
        ("Kakhovka", "How many settlements were flooded after the Kakhovka dam broke?", True),
        ("Sevastopol", "At what time did the missiles hit the headquarters in Sevastopol?", True),
        ("Azovstal", "How many Azovstal fighters did Russia say had surrendered?", True),
        ("Moscow", "When did Moscow release the video?", True),
    ],
)
def test_a_name_an_article_may_carry_is_a_place_side_or_thing_not_who_acts(name, question, where):
    from assistant.answer.names import where_named

    assert where_named(name, question) is where


def test_a_sentence_dated_another_day_is_not_about_the_day_asked():
    """Its own date decides, whatever day the rest of its passage names."""
    meta = DocMeta(doc_id="i", title="Istanbul talks", published=date(2025, 6, 3), source="i.md")
    question = "What did the delegations agree in Istanbul on 2 June 2025 about prisoners?"
    passage = (
        "On 16 May 2025, the delegations met in Istanbul and agreed to exchange 1,000 prisoners"
        " each. The second round took place in Istanbul on 2 June 2025. The delegations agreed"
        " to exchange all prisoners aged between 18 and 25."
    )
    part = analyse(question).parts[0]
    first, _, rest = passage.partition(". ")
    assert not supports(part, first + ".", passage, meta).ok
    last = rest.split(". ")[-1]
    assert supports(part, last, passage, meta).ok


@pytest.mark.parametrize(
    ("question", "sentence", "place"),
    [
        (
            "Which city is the Dyagilevo base near?",
            "A fuel truck exploded at Dyagilevo, an air base on the outskirts of Ryazan.",
            "Ryazan",
        ),
        (
            "Outside which university building did the first missile land in Sumy?",
            "The first missile hit on Pokrovska street, in front of the Congress Centre of Sumy"
            " State University.",
            "Congress Centre",
        ),
        (
            "Which city lies across the river from Engels?",
            "Engels lies opposite Saratov.",
            "Saratov",
        ),
    ],
)
def test_a_place_by_where_it_lies(question, sentence, place):
    result = check(question, sentence)
    assert result.ok and result.value and result.value.startswith(place), result


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        ("Russian losses run into the thousands, but the command has not given a figure.", False),
        ("Losses run into the thousands; no official figure has been given.", False),
        ("The ministry gave no casualty figures, saying losses were in the hundreds.", False),
        ("About 2,000 Russian soldiers were killed; Moscow has not given a figure.", True),
    ],
)
def test_a_vague_count_beside_no_figure_is_no_count(sentence, ok):
    result = check("How many Russian soldiers were killed around the town?", sentence)
    assert result.ok is ok, result


def test_minutes_and_seconds_are_lengths_of_time():
    result = check(
        "How long did the missile take to reach the city?",
        "Its flight from the launch site to the city took about 15 minutes, the agency said.",
    )
    assert result.ok and result.value == "15 minutes", result
    from assistant.answer.values import duration_days

    assert duration_days("90 seconds") == pytest.approx(90 / 86_400)


def test_a_model_designation_counts_nothing():
    from assistant.answer.values import numbers

    assert numbers("Its air force has adapted its Su-24 bombers to launch the missiles.") == []
    assert [n for _, n in numbers("It fired 12 Shahed-136 drones and two Kh-101 missiles.")] == [
        "12",
        "two",
    ]


def test_a_death_toll_beside_a_railway_station_is_a_death_toll():
    """'station' is also a verb of deploying troops; the dead of a drone attack moved nowhere."""
    from assistant.answer.counts import number_near

    part = analyse("What was the death toll in Kyiv from the drone attack of 17 October?").parts[0]
    sentence = (
        "Drones hit a residential building near the main railway station and killed five people "
        "in the capital, among them a pregnant woman."
    )
    assert number_near(part, sentence) == "five"


@pytest.mark.parametrize(
    "sentence, length",
    [
        ("The operation took more than a year and a half to prepare.", "1.5 years"),
        ("Building it took two and a half years.", "2.5 years"),
        ("The blockade lasted half a year.", "0.5 years"),
        ("Repairs took about a month.", "1 month"),
        ("They met again a week later.", None),  # places a meeting, lasts nothing
    ],
)
def test_a_length_of_time_written_out(sentence, length):
    from assistant.answer.values import duration

    assert duration(sentence, set()) == length


def test_a_weekday_dates_the_sentence_by_its_report():
    """A report of Monday 25 March: 'on Thursday' is 21 March, 'on Tuesday' the 19th."""
    question = "What did Russia's chief of the general staff report to Putin on 21 March 2024?"
    said = "Gerasimov told Putin on {} that Russian forces had captured the town of Avdiivka."
    assert check(question, said.format("Thursday")).ok
    assert not check(question, said.format("Tuesday")).ok


@pytest.mark.parametrize(
    ("question", "sentence", "gives_reason"),
    [
        (
            "Why had the United States put the tanker under sanctions?",
            "The tanker has been under American sanctions since 2019 for supplying jet fuel.",
            True,
        ),
        (
            "Why were the two men jailed?",
            "The two men were jailed for spying on air-defence sites.",
            True,
        ),
        (
            "Why had the United States put the tanker under sanctions?",
            "The tanker has been under American sanctions since 2019.",
            False,
        ),
        ("Why was the port closed?", "The port was closed for the coming weeks.", False),
        ("Why was the port closed?", "The port was closed, and for nothing.", False),
    ],
)
def test_for_what_someone_did_is_a_reason(question, sentence, gives_reason):
    assert check(question, sentence).ok is gives_reason


def test_a_measure_written_as_an_adjective_answers_how_tall_or_heavy():
    """'a 385-metre steel lattice' gives the height; 'the 27-member bloc' counts no measure."""
    tall = "How tall is the television tower?"
    assert check(tall, "The tower, a 385-metre steel lattice, was still standing.").value == (
        "385 metres"
    )
    assert not check(tall, "The tower, a 27-member crew's workplace, was still standing.").ok
    heavy = "How heavy was each bomb?"
    assert check(heavy, "Each was a 500-kilogram bomb fitted with wings.").ok


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        (
            "Which military unit did Russia say it would target in Kyiv before the tower was hit?",
            "Hours before the strike, Russia's defence ministry had announced that it would hit "
            '"technological facilities" of the SBU and of the 72nd Psyops Centre.',
        ),
        (
            "How did the first Russian assault groups get into Kupiansk?",
            "Small assault groups first slipped into the northern districts of Kupiansk through "
            "a disused gas pipeline.",
        ),
    ],
)
def test_a_word_capitalised_only_as_the_first_is_no_other_side(question, sentence):
    from assistant.answer.sides import modifier_clash, owner_clash

    part = analyse(question).parts[0]
    assert modifier_clash(question, sentence) is None
    assert owner_clash(part, sentence) is None


def test_a_grouping_of_forces_is_named_as_a_group():
    """'Which Ukrainian grouping of forces': 'the Tavria group of forces' is its name, not
    another side's."""
    from assistant.answer.evidence import meets
    from assistant.models import DocMeta

    part = analyse("Which Ukrainian grouping of forces was defending Marinka?").parts[0]
    sentence = "Volodymyr Lysak, a spokesman for the Tavria group of forces, said units withdrew."
    meta = DocMeta(doc_id="m", source="m.md", title="Marinka")
    assert meets(part, sentence, sentence, meta).ok


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Traders reopened the market in a car park behind the bus station.", "car park"),
        ("The wounded were treated in the courtyard of the clinic.", "courtyard"),
        # the question's own place is no answer to where it is
        ("Traders reopened the market on Monday, officials said.", None),
    ],
)
def test_an_unnamed_place_is_a_place(sentence, place):
    from assistant.answer.values import common_place

    found = common_place(sentence, {"market", "trader", "reopen"})
    assert (place in found) if place else found is None


@pytest.mark.parametrize(
    ("question", "sentence", "ok"),
    [
        # a strike in another city is not the one asked about, whatever its passage says
        (
            "How many people died when a missile hit an apartment block in Dnipro?",
            "A cruise missile struck a nine-storey building in Uman before dawn on Friday.",
            False,
        ),
        (
            "How many people died when a missile hit an apartment block in Dnipro?",
            "A missile struck a nine-storey building in Dnipro on Saturday.",
            True,
        ),
        # for a where-question another place is the answer
        (
            "Where were the people wounded at Chaplyne taken?",
            "The injured had been taken to hospitals in Dnipro and Pavlohrad.",
            True,
        ),
    ],
)
def test_a_sentence_about_another_place_does_not_meet_the_place_asked(question, sentence, ok):
    from assistant.answer.evidence import meets
    from assistant.models import DocMeta

    part = analyse(question).parts[0]
    around = f"{sentence} The city of Dnipro and the village of Chaplyne were hit earlier."
    meta = DocMeta(doc_id="d", source="d.md", title="Strikes")
    assert meets(part, sentence, around, meta).ok is ok


def test_how_many_are_still_there_is_not_answered_by_the_pre_war_figure():
    from assistant.answer.asked import carries_focus
    from assistant.answer.former import before_for_remaining

    part = analyse("How many people are still living in Toretsk?").parts[0]
    assert before_for_remaining(part, "Toretsk, home to 35,000 people before the war, is empty.")
    assert not before_for_remaining(part, "Fewer than 100 residents remain in the town.")
    # the residents are the people counted, in other words
    assert carries_focus(part, "Fewer than 100 residents remain, the governor said.")
    before = analyse("How many people lived in Toretsk before the war?").parts[0]
    assert not before_for_remaining(before, "Toretsk, home to 35,000 people before the war.")


def test_where_someone_went_is_answered_by_where_they_arrived():
    from assistant.answer.promote import gives_destination

    part = analyse("Where did Prigozhin go after he called off the march?").parts[0]
    assert gives_destination(part, "Lukashenko said Prigozhin had arrived in Belarus that morning.")
    assert not gives_destination(part, "Prigozhin called off the march on Saturday evening.")


def test_a_name_said_to_be_of_the_kind_of_body_asked_for_leads():
    from assistant.answer.promote import typed_body

    part = analyse("Which company operates the railway hit in Chaplyne?").parts[0]
    assert typed_body(
        part, "Iryna Bondar, a spokeswoman for Ukrzaliznytsia, the state railway company, said so."
    )
    assert not typed_body(part, "Russia's defence ministry said it had hit a military train.")


@pytest.mark.parametrize(
    ("sentence", "ok"),
    [
        # the passage speaks of pilots; the man this sentence names is their commander
        (
            "The air force commander, Lieutenant General Mykola Oleshchuk, said the jets "
            "will be used first against cruise missiles.",
            False,
        ),
        (
            "The general staff said the jet had crashed and that its pilot, Oleksii Mes, had "
            "been killed.",
            True,
        ),
        ("Oleksii Mes had shot down three cruise missiles before contact was lost.", True),
    ],
)
def test_a_person_named_with_another_post_is_not_the_one_asked_for(sentence, ok):
    part = analyse("Who was the pilot of the jet that crashed?").parts[0]
    passage = f"Ukrainian pilots trained for months in Denmark. {sentence}"
    assert supports(part, sentence, passage, META).ok is ok


def test_what_was_usual_is_not_how_many_were_there():
    """'How many guests were staying when it was struck?': 'we used to have three thousand
    guests' says what was usual; 'could be used to shelter men' is no habit."""
    from assistant.answer.former import habit_for_event

    part = analyse("How many guests were staying at the centre when it was struck?").parts[0]
    assert habit_for_event(part, '"In July we used to have three thousand guests.')
    assert not habit_for_event(part, "Some 40 guests were staying at the centre that night.")
    assert not habit_for_event(part, "Some 300 kilometres of tunnels could be used to shelter men.")
    usual = analyse("How many guests did the centre usually have in July?").parts[0]
    assert not habit_for_event(usual, '"In July we used to have three thousand guests.')


def test_how_long_a_bridge_is_is_disputed_not_updated():
    """Two reports weeks apart give 300 and 200 metres for one bridge: a later report does not
    change its length, so the answer says the sources disagree, not that reports differ over
    time."""
    import numpy as np

    from assistant.answer.extractive import ExtractiveGenerator
    from assistant.answer.tolls import fixed_measure

    def passage(doc: str, text: str, day: date) -> Passage:
        meta = DocMeta(doc_id=doc, title="Chonhar bridge", published=day, source=doc)
        return Passage(chunk_id=doc, text=text, start=0, end=len(text), meta=meta)

    early = passage(
        "early",
        "The Chonhar bridge, some 300 metres long, carries the main road.",
        date(2023, 6, 23),
    )
    late = passage(
        "late", "The Chonhar bridge, about 200 metres long, spans a strait.", date(2023, 8, 7)
    )
    generator = ExtractiveGenerator(0.36, 3, embed=lambda ts: np.ones((len(ts), 4)) / 2.0)
    answer = generator.answer("How long is the Chonhar bridge?", [early, late])
    assert [d.kind for d in answer.disagreements] == ["conflict"], answer.text
    assert fixed_measure(analyse("How heavy was the cruiser Moskva?").parts[0])
    assert not fixed_measure(analyse("How far did Russian troops advance?").parts[0])
