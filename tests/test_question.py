"""How questions are read: slot, constraints, time intent, source, parts, and follow-ups.

The expected values are what a careful analyst would expect, not what the code happens to
return.
"""

from __future__ import annotations

from datetime import date

import pytest

from assistant.answer.condense import condense_rule_based, refers_back
from assistant.answer.question import Slot, Temporal, analyse
from assistant.text import stem

# --- the slot: the kind of answer the question wants ------------------------------------------

SLOTS = [
    ("What will it cost to rebuild the hypermarket?", Slot.NUMBER),
    # an analyst, an expert, a blogger are people
    ("Which Polish-based analyst has commented on the losses?", Slot.PERSON),
    ("Which weapons expert reviewed the footage?", Slot.PERSON),
    ("Which experts examined the fragments?", Slot.LIST),
    ("Which Ukrainian grouping of forces was defending Marinka?", Slot.ORG),
    # how heavy, how fast, how close: an amount of weight, speed, distance
    ("How heavy was the cruiser Moskva?", Slot.NUMBER),
    ("How fast does the missile fly?", Slot.NUMBER),
    ("How close to Moscow did the column get?", Slot.NUMBER),
    ("In whose name was the truck registered?", Slot.PERSON),
    ("To whom did the minister hand the letter?", Slot.PERSON),
    # an event at a place is asked for, not the place
    ("What happened at maternity hospital No. 3 on 9 March?", Slot.OTHER),
    ("In which building in Istanbul did the delegations meet?", Slot.PLACE),
    ("Who led the US delegation in Riyadh?", Slot.PERSON),
    ("Who is the captain of the Moskva?", Slot.PERSON),
    ("Which official signed the minerals deal for Ukraine?", Slot.PERSON),
    ("Which minister announced the new sanctions?", Slot.PERSON),
    ("Which US envoy met Putin in Moscow?", Slot.PERSON),
    ("Which three officials attended the Riyadh talks?", Slot.LIST),
    ("Which two generals were dismissed after the Kharkiv offensive?", Slot.LIST),
    ("Which ministers met in Jeddah?", Slot.LIST),
    ("Which provinces did Russia annex in 2022?", Slot.LIST),
    ("Which countries joined the coalition of the willing?", Slot.LIST),
    ("Which cities did Russia strike with missiles on Christmas Day?", Slot.LIST),
    ("Which country hosted the prisoner exchange?", Slot.PLACE),
    ("Which city was hit by the drone attack on 18 February 2025?", Slot.PLACE),
    ("Which town did Ukrainian forces recapture last week?", Slot.PLACE),
    ("Where did the Moskva sink?", Slot.PLACE),
    ("Where is the Zaporizhzhia nuclear plant?", Slot.PLACE),
    ("Which organisation monitors the Zaporizhzhia nuclear plant?", Slot.ORG),
    ("Which agency reported the strike on the dam?", Slot.ORG),
    ("Which alliance did Finland join in 2023?", Slot.ORG),
    ("What is the name of the Russian private military company?", Slot.ORG),
    ("What's the name of the agency that inspects the plant?", Slot.ORG),
    ("How many North Korean troops were deployed to Kursk?", Slot.NUMBER),
    ("How much aid has the EU pledged to Ukraine?", Slot.NUMBER),
    ("What share of Ukraine's territory does Russia occupy?", Slot.NUMBER),
    ("What percentage of Ukrainian grain exports went through the Black Sea?", Slot.NUMBER),
    ("What number of drones did Russia launch overnight?", Slot.NUMBER),
    ("What volume of gas transited Ukraine in 2024?", Slot.NUMBER),
    ("What was the population of Mariupol before the war?", Slot.NUMBER),
    ("What's the population of Kherson?", Slot.NUMBER),
    ("What do war-risk premiums for a voyage to Odesa cost?", Slot.NUMBER),
    ("What does Russia spend on its army as a share of GDP?", Slot.NUMBER),
    ("What did Putin say about the cost of the war?", Slot.OTHER),
    ("When did the Moskva sink?", Slot.DATE),
    ("What year did Russia annex Crimea?", Slot.DATE),
    ("On what date was the minerals deal signed?", Slot.DATE),
    ("Since what date had Russian forces surrounded Mariupol?", Slot.DATE),
    ("What was the Bank of Russia's key rate in March?", Slot.NUMBER),
    ("Until what date does the extension run?", Slot.DATE),
    ("At what time did the missiles hit the fleet headquarters?", Slot.DATE),
    ("At what hour did the first explosion happen?", Slot.DATE),
    ("Close to which village did the plane come down?", Slot.PLACE),
    ("Where does the $61 billion aid bill stand?", Slot.OTHER),
    ("What is the status of the minerals deal?", Slot.OTHER),
    ("One prisoner carried a Russian military ID from which Russian republic?", Slot.PLACE),
    ("On which days did the energy ceasefire hold?", Slot.DATE),
    ("How long did the siege of Mariupol last?", Slot.DURATION),
    ("For how long was the Zaporizhzhia plant without power?", Slot.DURATION),
    ("How many days did the Easter truce last?", Slot.DURATION),
    ("How long is the bridge over the Kerch Strait?", Slot.NUMBER),  # a length, not a time
    ("How long was the bridge closed?", Slot.DURATION),
    ("Did Russia agree to the 30-day ceasefire?", Slot.YESNO),
    ("Does the EU still buy Russian gas?", Slot.YESNO),
    ("Is Zelensky willing to cede territory?", Slot.YESNO),
    ("Was the Kerch bridge damaged in 2022?", Slot.YESNO),
    ("Has Hungary blocked the 16th sanctions package?", Slot.YESNO),
    ("Why did Russia withdraw from Kherson?", Slot.REASON),
    ("For what reason did Turkey close the straits?", Slot.REASON),
    ("What caused the collapse of the Kakhovka dam?", Slot.REASON),
    ("What did Trump and Putin discuss on the phone?", Slot.OTHER),
    ("What's the latest on the minerals deal?", Slot.OTHER),
    ("And who headed the Russian side?", Slot.PERSON),
    ("And how many drones did Russia launch?", Slot.NUMBER),
    ("According to Reuters, who negotiated the grain deal?", Slot.PERSON),
    ("According to Reuters, how long did the blackout last?", Slot.DURATION),
    ("Per the inuno.ai analysis, why did the talks stall?", Slot.REASON),
    ("Per the ISW analysis, which towns did Russia take in May?", Slot.LIST),
]


@pytest.mark.parametrize(("text", "slot"), SLOTS)
def test_slot(text, slot):
    assert analyse(text).slot == slot


# --- what "how many X" counts -----------------------------------------------------------------

COUNTED = [
    ("How many North Korean troops were deployed to Kursk?", stem("troops")),
    ("How many Russian airmen died in the crash?", stem("airmen")),
    ("How many drones did Russia launch on 18 February 2025?", stem("drones")),
    ("How many Ukrainian prisoners were freed in the second exchange?", stem("prisoners")),
    ("How many people died in the strike on Sumy?", stem("people")),
    ("How much money did the US give Ukraine in 2023?", stem("money")),
    ("What number of drones did Russia launch overnight?", stem("drones")),
    ("What share of Ukraine's territory does Russia occupy?", None),
    ("What percentage of Ukrainian grain went through the Black Sea?", None),
    ("How many of the 27 EU members backed the package?", stem("members")),
    ("How much of the aid package is meant for weapons stocks?", None),
]


@pytest.mark.parametrize(("text", "counted"), COUNTED)
def test_counted(text, counted):
    q = analyse(text)
    assert q.slot == Slot.NUMBER
    assert q.parts[0].counted == counted


# --- names: what the quote must be about ------------------------------------------------------

NAMES = [
    # (question, names that must be read, strings that must not be names)
    (
        "When did Sergey Lavrov meet Marco Rubio in Riyadh?",
        {"Sergey Lavrov", "Marco Rubio", "Riyadh"},
        {"When"},
    ),
    (
        "What did Foreign Minister Sergey Lavrov say about NATO?",
        {"Sergey Lavrov", "NATO"},
        {"Foreign Minister Sergey Lavrov", "Foreign Minister", "Foreign", "Minister", "What"},
    ),
    ("Did the EU and NATO agree on new sanctions?", {"EU", "NATO"}, {"Did"}),
    ("When did the European Union adopt the 16th package?", {"European Union"}, {"When"}),
    ("Who guaranteed the UN-brokered grain deal?", {"UN"}, {"UN-brokered", "Who"}),
    ("How many Russian airmen died in the crash?", set(), {"Russian", "How"}),
    ("Where did Ukrainian troops advance in Kursk?", {"Kursk"}, {"Ukrainian", "Where"}),
    ("What is Russia's position on the ceasefire?", {"Russia"}, {"Russia's", "What"}),
    ("Why did Zelensky's visit to Washington end early?", {"Zelensky", "Washington"}, {"Why"}),
    ("Which Turkish officials hosted the Istanbul talks?", {"Istanbul"}, {"Turkish", "Which"}),
    ("Has Hungary blocked the 16th sanctions package?", {"Hungary"}, {"Has"}),
    ("Crimea was annexed in which year?", {"Crimea"}, set()),
    ("Did Kyiv and Moscow swap prisoners in May?", {"Kyiv", "Moscow"}, {"Did", "May"}),
    ("Why did the Black Sea Fleet leave Sevastopol?", {"Black Sea Fleet", "Sevastopol"}, set()),
    (
        "What did Donald Trump and Vladimir Putin discuss?",
        {"Donald Trump", "Vladimir Putin"},
        set(),
    ),
    (
        "Who is NATO Secretary General Mark Rutte?",
        {"Mark Rutte", "NATO"},
        {"NATO Secretary General Mark Rutte", "Secretary General Mark Rutte"},
    ),
    ("What did the Kremlin say about the Riyadh talks?", {"Kremlin", "Riyadh"}, set()),
    ("Close to which village did the Il-76 come down?", {"Il-76"}, {"Close"}),
    ("One of the prisoners carried a military ID from where?", set(), {"One", "ID"}),
    ("Who spoke for the US at the Bürgenstock summit?", {"Bürgenstock", "US"}, set()),
]


@pytest.mark.parametrize(("text", "wanted", "unwanted"), NAMES)
def test_names(text, wanted, unwanted):
    names = set(analyse(text).parts[0].constraints.names)
    assert wanted <= names, names
    assert not (unwanted & names), names
    if not wanted:
        assert names == set()


# --- years, dates, numbers, ordinals, roles ---------------------------------------------------

CONSTRAINTS = [
    # (question, field, expected)
    ("Which provinces did Russia annex in 2022?", "years", (2022,)),
    ("Who was Ukraine's defence minister in 2021?", "years", (2021,)),
    ("What happened in Crimea in 2014 and in 2022?", "years", (2014, 2022)),
    ("Which city was hit by drones on 18 February 2025?", "dates", (date(2025, 2, 18),)),
    ("What did the delegations agree in Jeddah on March 11, 2025?", "dates", (date(2025, 3, 11),)),
    ("What was announced on 2025-03-11?", "dates", (date(2025, 3, 11),)),
    ("Which country blocked the 16th package?", "numbers", ("16",)),
    ("Did Russia accept the 30-day ceasefire?", "numbers", ("30",)),
    ("What did Zelensky say about the 20-point peace plan?", "numbers", ("20",)),
    ("What does UN Resolution 2231 require?", "numbers", ("2231",)),
    ("What did the 27-nation bloc decide?", "numbers", ()),
    ("Who led the 40-strong delegation?", "numbers", ()),
    ("Which provinces did Russia annex in 2021?", "numbers", ()),
    ("Which city was hit by drones on 18 February 2025?", "numbers", ()),
    ("Who was released in the second exchange?", "ordinals", ("second",)),
    ("What did the third round of talks in Istanbul produce?", "ordinals", ("third",)),
    ("Who is the captain of the Moskva?", "roles", ("captain",)),
    ("Who was Ukraine's defence minister in 2021?", "roles", ("minister",)),
    ("Which envoy did Trump send to Moscow?", "roles", ("envoy",)),
]


@pytest.mark.parametrize(("text", "field", "expected"), CONSTRAINTS)
def test_constraints(text, field, expected):
    assert getattr(analyse(text).parts[0].constraints, field) == expected


# --- the source a question names is not what the answer is about ------------------------------

SOURCES = [
    # (question, source, names that must not be content names)
    (
        "In the AI: Future Wars piece on US-Russia diplomacy, who led the US delegation?",
        "AI: Future Wars",
        {"AI", "Future Wars", "AI: Future Wars", "In"},
    ),
    ("Per the inuno.ai analysis, why did the talks stall?", "inuno.ai", {"inuno", "inuno.ai"}),
    (
        "According to the inuno.ai article, where did the Moskva sink?",
        "inuno.ai",
        {"inuno", "inuno.ai", "According"},
    ),
    ("Who led the US delegation in Riyadh?", "", set()),
    ("According to Reuters, who negotiated the grain deal?", "Reuters", {"Reuters"}),
    ("In the Kyiv Post's weekly column, who is blamed for the delay?", "Kyiv Post", {"Kyiv"}),
]


def test_a_military_column_is_what_is_asked_about_not_a_source():
    q = analyse("How did the drone volunteers get close to the Russian column at night?")
    assert q.source == ""
    assert "column" in q.topic


@pytest.mark.parametrize(("text", "source", "unwanted"), SOURCES)
def test_source(text, source, unwanted):
    q = analyse(text)
    assert q.source == source
    names = {n for p in q.parts for n in p.constraints.names}
    assert not (unwanted & names), names
    assert not any("inuno" in n.lower() or "future wars" in n.lower() for n in names), names


def test_source_question_keeps_its_content_names():
    q = analyse("According to the inuno.ai article, where did the Moskva sink?")
    assert "Moskva" in q.parts[0].constraints.names
    assert q.slot == Slot.PLACE


# --- time intent ------------------------------------------------------------------------------

TEMPORAL = [
    # (question, temporal, when, until); when/until None means "not checked"
    ("What is the latest on the minerals deal?", Temporal.LATEST, None, None),
    ("Who controls Kupiansk now?", Temporal.LATEST, None, None),
    ("Is Russia still occupying the Kinburn spit?", Temporal.LATEST, None, None),
    ("Who currently commands the Ukrainian army?", Temporal.LATEST, None, None),
    # a state asked about as it is: the newest report first
    ("Who is in command of Ukraine's air force?", Temporal.LATEST, None, None),
    ("Who heads the Russian delegation?", Temporal.LATEST, None, None),
    ("Is Portugal sending Leopards to Ukraine?", Temporal.LATEST, None, None),
    ("Have North Korean soldiers actually gone into battle?", Temporal.LATEST, None, None),
    ("Has Hungary blocked the sanctions package?", Temporal.LATEST, None, None),
    ("Where does the $61 billion aid bill stand?", Temporal.LATEST, None, None),
    ("How many soldiers have been killed in Kursk?", None, None, None),
    ("Who led the US delegation in Riyadh?", None, None, None),
    ("Is there a ceasefire in the Black Sea?", None, None, None),
    ("How many drones has Russia launched so far?", Temporal.LATEST, None, None),
    ("Who held Pokrovsk as of March 2025?", Temporal.AS_OF, date(2025, 3, 1), date(2025, 3, 31)),
    ("Who held Bakhmut as of 20 May 2023?", Temporal.AS_OF, date(2023, 5, 20), date(2023, 5, 20)),
    ("What has changed since January 2025?", Temporal.SINCE, date(2025, 1, 1), date(2025, 1, 31)),
    ("Which sanctions were imposed before 2022?", Temporal.BEFORE, date(2022, 1, 1), None),
    ("Which agreement predates 2022?", Temporal.BEFORE, date(2022, 1, 1), None),
    ("What happened in Kursk after 1 June 2025?", Temporal.AFTER, date(2025, 6, 1), None),
    ("When was the first prisoner exchange?", Temporal.FIRST, None, None),
    ("When was the last prisoner exchange?", Temporal.LAST, None, None),
    ("Who was the last commander of the Moskva?", Temporal.LAST, None, None),
    (
        "How much gas flowed through Ukraine in 2024, the last year of transit?",
        None,
        None,
        None,
    ),
    ("Who signed the grain deal?", None, None, None),
    ("How long did the siege of Mariupol last?", None, None, None),
    ("How many days did the Easter truce last?", None, None, None),
    ("Who was the first foreign leader to visit Kyiv in 2022?", Temporal.FIRST, None, None),
    # a 'first' inside the time clause dates the question; it does not ask for the earliest
    ("Who was made commander after the first jet was lost?", None, None, None),
    ("When did Ukraine first hit a target inside Russia?", Temporal.FIRST, None, None),
]


@pytest.mark.parametrize(("text", "temporal", "when", "until"), TEMPORAL)
def test_temporal(text, temporal, when, until):
    q = analyse(text)
    assert q.temporal == temporal
    if when is not None:
        assert q.when == when
    if until is not None:
        assert q.until == until


# --- compound questions -----------------------------------------------------------------------

PARTS = [
    # (question, slots of the parts in order)
    (
        "Which brigade took part in the assault, and over which river did the troops blow up "
        "a bridge?",
        [Slot.ORG, Slot.OTHER],
    ),
    (
        "Who led the US delegation in Riyadh, and when did the talks begin?",
        [Slot.PERSON, Slot.DATE],
    ),
    (
        "Who met in Jeddah, and on what date did they agree the ceasefire?",
        [Slot.PERSON, Slot.DATE],
    ),
    ("Who met Putin in Moscow and what did they agree?", [Slot.PERSON, Slot.OTHER]),
    (
        "How many troops did North Korea send, and where were they deployed?",
        [Slot.NUMBER, Slot.PLACE],
    ),
    ("Why did the talks collapse and who walked out?", [Slot.REASON, Slot.PERSON]),
    ("Who brokered the grain deal and why did Russia leave it?", [Slot.PERSON, Slot.REASON]),
    ("Who was the captain of the Moskva, and was he rescued?", [Slot.PERSON, Slot.YESNO]),
    ("According to the inuno.ai article, where did the Moskva sink?", [Slot.PLACE]),
    ("According to Reuters, who negotiated the grain deal?", [Slot.PERSON]),
    ("What did Lavrov and Rubio discuss in Riyadh?", [Slot.OTHER]),
    ("Did Russia and Ukraine swap prisoners in May?", [Slot.YESNO]),
    ("The article mentions the Moskva. When did the cruiser sink?", [Slot.DATE]),
]


@pytest.mark.parametrize(("text", "slots"), PARTS)
def test_parts(text, slots):
    q = analyse(text)
    assert [p.slot for p in q.parts] == slots, [p.text for p in q.parts]
    assert q.compound == (len(slots) > 1)


def test_lead_in_sentence_is_not_a_part():
    q = analyse("The article mentions the Moskva. When did the cruiser sink?")
    assert len(q.parts) == 1
    assert q.parts[0].text.rstrip("?").strip() == "When did the cruiser sink"


def test_compound_parts_keep_their_own_constraints():
    q = analyse("Who led the US delegation in Riyadh, and when did Lavrov arrive?")
    assert "Riyadh" in q.parts[0].constraints.names
    assert "Lavrov" in q.parts[1].constraints.names
    assert "Lavrov" not in q.parts[0].constraints.names


def test_it_in_a_later_part_carries_the_name_an_earlier_part_gives():
    """'…take Kupiansk, and when did Ukraine win it back?': 'it' is Kupiansk; 'did it promise'
    and 'confirm it had pulled out' are the part's own subject, not a thing named before."""
    q = analyse("When did Russian forces take Kupiansk, and when did Ukraine win it back?")
    assert "Kupiansk" in q.parts[1].constraints.names
    q = analyse("Which brigade held Chasiv Yar, and when did the army confirm it had pulled out?")
    assert "Chasiv Yar" not in q.parts[1].constraints.names


# --- follow-ups -------------------------------------------------------------------------------

RIYADH = "Who led the US delegation in Riyadh?"
DEAL = "What is in the minerals deal?"
SWAP = "When was the second prisoner exchange?"


def _history(*questions: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for q in questions:
        out += [{"role": "user", "content": q}, {"role": "assistant", "content": "An answer."}]
    return out


FOLLOW_UPS = [
    # (question, previous question, expected condensed question)
    ("When did they arrive?", RIYADH, f"When did they arrive? (following: {RIYADH})"),
    ("What did he say about NATO?", RIYADH, f"What did he say about NATO? (following: {RIYADH})"),
    ("And the Russian side?", RIYADH, f"The Russian side? (following: {RIYADH})"),
    ("And when did the talks end?", RIYADH, f"When did the talks end? (following: {RIYADH})"),
    ("What about Kherson?", RIYADH, f"What about Kherson? (following: {RIYADH})"),
    ("Why?", RIYADH, f"Why? (following: {RIYADH})"),
    ("Kherson?", RIYADH, f"Kherson? (following: {RIYADH})"),
    ("When was that deal signed?", DEAL, f"When was that deal signed? (following: {DEAL})"),
    ("Is it still in force?", DEAL, f"Is it still in force? (following: {DEAL})"),
    ("Who signed it?", DEAL, f"Who signed it? (following: {DEAL})"),
    ("How many of them were freed?", SWAP, f"How many of them were freed? (following: {SWAP})"),
    ("How far is that from Kyiv?", SWAP, f"How far is that from Kyiv? (following: {SWAP})"),
    (
        "Who was in charge of that at the time?",
        DEAL,
        f"Who was in charge of that at the time? (following: {DEAL})",
    ),
    (
        "Did the report say that in May the swap was delayed?",
        SWAP,
        "Did the report say that in May the swap was delayed?",
    ),
    # self-contained: searched exactly as typed, even with a history
    ("???", DEAL, "???"),  # no words: nothing to read against the question before
    ("What is the latest on the minerals deal?", DEAL, "What is the latest on the minerals deal?"),
    ("When did the Moskva sink?", RIYADH, "When did the Moskva sink?"),
    ("Is there a ceasefire?", DEAL, "Is there a ceasefire?"),
    ("Did Zelensky say that the deal was fair?", DEAL, "Did Zelensky say that the deal was fair?"),
    # a possessive after a name the question gives points at that name, not at the history
    (
        "What did Zelensky say about Crimea in his evening address?",
        SWAP,
        "What did Zelensky say about Crimea in his evening address?",
    ),
    (
        "By how much did Russia cut its oil output?",
        DEAL,
        "By how much did Russia cut its oil output?",
    ),
    (
        "What did the president say in his address?",
        RIYADH,
        f"What did the president say in his address? (following: {RIYADH})",
    ),
    (
        "What did Moscow say made it sink?",
        SWAP,
        f"What did Moscow say made it sink? (following: {SWAP})",
    ),
    (
        "Who led the Ukrainian delegation in Jeddah?",
        RIYADH,
        "Who led the Ukrainian delegation in Jeddah?",
    ),
    (
        "How many North Korean troops are in Kursk?",
        RIYADH,
        "How many North Korean troops are in Kursk?",
    ),
]


@pytest.mark.parametrize(("text", "previous", "expected"), FOLLOW_UPS)
def test_condense(text, previous, expected):
    assert condense_rule_based(text, _history(previous)) == expected
    assert refers_back(text) == (expected != text)


def test_follow_up_without_history_is_kept():
    assert condense_rule_based("When did they arrive?", []) == "When did they arrive?"


def test_follow_up_of_a_follow_up_carries_the_chain():
    earlier = f"When did they arrive? (following: {RIYADH})"
    assert (
        condense_rule_based("Why?", _history(RIYADH, earlier))
        == f"Why? (following: When did they arrive?; {RIYADH})"
    )


def test_condensed_question_is_read_with_its_context():
    q = analyse(f"When did they arrive? (following: {RIYADH})")
    assert q.text == "When did they arrive?"
    assert q.context == RIYADH
    assert q.slot == Slot.DATE
    assert "Riyadh" not in q.parts[0].constraints.names


def test_a_word_before_the_question_word_asks_nothing():
    """'Roughly what proportion …' asks for a number; 'Roughly' is not a name to find."""
    part = analyse("Roughly what proportion of the world's tankers are insured in London?").parts[0]
    assert part.slot is Slot.NUMBER
    assert "Roughly" not in part.constraints.names


def test_what_a_thing_was_called_asks_for_a_name_of_its_kind():
    from assistant.answer.asked import asked_kind

    question = "What was the civilian search-and-rescue vessel called that Russia intercepted?"
    part = analyse(question).parts[0]
    assert part.slot is Slot.ORG and asked_kind(part) == "vessel"


def test_a_place_the_question_excludes_is_no_name_to_find():
    question = "Where does Russia intend to build a naval base outside Crimea?"
    assert "Crimea" not in analyse(question).parts[0].constraints.names


def test_who_is_in_charge_asks_for_the_head():
    part = analyse("Who is in charge of Okhmatdyt, the children's hospital in Kyiv?").parts[0]
    assert part.slot is Slot.PERSON and "head" in part.constraints.roles
    assert "head" in analyse("Who runs Ukraine's state railway?").parts[0].constraints.roles


def test_how_many_of_those_are_a_named_kind_counts_that_kind():
    assert analyse("How many of those systems are Patriots?").parts[0].counted == "patriot"
    assert analyse("How many of them were freed?").parts[0].counted is None


def test_a_follow_up_is_answered_about_what_the_question_before_named():
    """'Who headed the Russian side?' after a question on the talks in Saudi Arabia: Lavrov, from
    the article on those talks, not Medinsky, who led the side at another meeting."""
    from datetime import date

    from assistant.answer.extractive import ExtractiveGenerator
    from assistant.models import DocMeta, Passage

    def passage(doc: str, title: str, text: str, day: date) -> Passage:
        meta = DocMeta(doc_id=doc, title=title, published=day, source=doc)
        return Passage(chunk_id=doc, text=text, start=0, end=len(text), meta=meta)

    riyadh = passage(
        "r",
        "Riyadh talks",
        "The US and Russian delegations met in Saudi Arabia on 18 February. "
        "The Russian delegation was headed by Foreign Minister Sergei Lavrov.",
        date(2025, 2, 19),
    )
    istanbul = passage(
        "i",
        "Istanbul talks",
        "The delegations met in Istanbul on 16 May. "
        "The Russian side was led by Vladimir Medinsky, a presidential aide.",
        date(2025, 5, 17),
    )
    asked = condense_rule_based(
        "And who headed the Russian side?", _history("Who led the US delegation in Saudi Arabia?")
    )
    answer = ExtractiveGenerator(0.36, 3).answer(asked, [istanbul, riyadh])
    assert "Lavrov" in answer.text and "Medinsky" not in answer.text
