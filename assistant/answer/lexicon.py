"""Word lists the question reader and the evidence check share: roles, titles, demonyms and
the capitalised words that name nobody in particular."""

from __future__ import annotations

from assistant.answer.dates import MONTHS, WEEKDAYS

# Roles a question can ask about; the quote's passage has to name the same role.
ROLES = frozenset(
    """captain commander admiral general minister secretary envoy ambassador president premier
    chancellor spokesman spokeswoman spokesperson governor mayor director chief chairman chair
    negotiator adviser advisor prosecutor commissioner king prince pope patriarch officer
    pilot judge""".split()
)
# The words articles use for the same post: "the intelligence chief" is "the head of
# intelligence"; "the spokesman" may be "the spokeswoman".
ROLE_KIN = (
    frozenset("chief head leader director chairman chair boss led lead leads leading".split()),
    frozenset("spokesman spokeswoman spokesperson".split()),
    frozenset("premier prime".split()),
    frozenset("adviser advisor".split()),
    frozenset("minister secretary".split()),  # Britain's defence secretary is its minister
    frozenset("commander commanded commanding commands".split()),
)
# A role met by any of its kinds, not the other way round: "which officer" is answered by a
# lieutenant colonel; "which general" is not answered by a captain.
ROLE_KINDS = {
    "officer": frozenset("colonel lieutenant major captain general admiral commander".split()),
}
# Auxiliary verbs: after one comes a subject and its verb ("did Russia recognise", "has
# Zelensky asked"), not a thing someone owns.
AUXILIARIES = frozenset(
    "did does do will would can could should shall must may might has have had is was are "
    "were".split()
)
# Capitalised words that are not names of anything a question is about.
NOT_NAMES = frozenset(
    """I What Who Whom Whose When Where Which Why How Did Does Do Is Was Were Has Have Had Can Could
    Will Would Should Are Am And But Or So Also Then Please Tell Give List Name According Per
    The A An In On At By For Of To From With As After Before Since Until During Between Under
    Over Into About Against Is If It Its This That These Those They Their There Here He She His
    Her Mr Mrs Ms Dr Latest Now Still Currently Today Yesterday We Our You Your My Me
    ID IDs TV""".split()
) | {m.capitalize() for m in (*MONTHS, *WEEKDAYS)}
# Demonyms and titles: capitalised, but a question about "Russian airmen" names nobody.
TITLES = frozenset(
    """Foreign Minister Secretary State President Prime Defence Defense National Security
    Vice Crown Prince Federal Senior Deputy Special Envoy General Admiral Captain Commander
    Chancellor Ambassador Spokesman Spokeswoman Chief Director Mayor Governor Colonel Lieutenant
    Major Sergeant Pope Patriarch King Queen Sheikh Advisor Adviser Sir Lord Lady MP MEP
    Senator Congressman Congresswoman""".split()
)
GENERIC_CAPS = TITLES | frozenset(
    """American Russian Russians Ukrainian Ukrainians European Europeans Saudi British French
    German Polish Turkish Chinese Western Soviet Council Union House White Central Bank
    Armed Forces Army Navy Air Force Ministry Office""".split()
)
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
    "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions "
    "billion billions trillion dozen dozens both several many".split()
)
ORDINALS = frozenset(
    "second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()
)


# Words news reports use for one another. A question in other words than its article ("the
# right to drive" / "driving licences", "national output" / "GDP") shares no term with the
# sentence that answers it; each group's words count as the question's word in a sentence.
# Only words that mean the same in any report of a war, never a name or a number.
SAME_WORDS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split())
    for g in (
        "gdp output economy",
        "defence defense military army",
        "built constructed erected",
        "kill killed dead death deaths die died",
        "wound wounded injure injured",
        "troop troops soldier soldiers servicemen fighters",
        "attack attacks strike strikes struck raid raids",
        "capture captured seize seized",
        "withdraw withdrew withdrawal retreat retreated",
        "supply supplied deliver delivered donate donated transfer transferred",
        "deploy deployed station stationed",
        "negotiations talks",
        "ceasefire truce",
        "drone drones uav uavs",
        "missile missiles rocket rockets",
        "pilot pilots airmen",
        "home-built homemade home-made domestic domestically",
        "licence licences license licenses",
        "summons call-up conscription",
        "evade evades ignore ignores dodge dodges",
        "plant plants factory factories",
        "vote votes referendum ballot",
        "ban bans banned prohibit prohibited",
        "fine fines penalty penalties",
        "cap caps ceiling ceilings limit limits",
        "adopt adopted endorse endorsed approve approved",
        "pledge pledged promise promised",
    )
)


# A question's word and the words of the sentences that answer it, one way only: "did anyone
# survive" is answered by "all 11 crew were killed", but a question about the dead is not
# answered by who survived; "on board" is the crew or the passengers.
ANSWERED_BY: dict[str, frozenset[str]] = {
    q: frozenset(a.split())
    for q, a in (
        ("survive", "killed dead died death rescued alive"),
        ("survivors", "killed dead died death rescued alive"),
        ("board", "crew passengers"),
        # "the death toll": 'recovered the 23rd body' gives it
        ("toll", "killed dead died death deaths body bodies victims"),
        ("death", "body bodies"),
        ("aboard", "crew passengers"),
    )
}

# A country and the adjective articles use for it ('Danish' officials): each names the other.
# A verb's irregular forms ('left' for 'leave'): the stemmer keeps them apart. Read when two
# reports are compared for the same event, not when sentences are scored.
VERB_FORMS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split())
    for g in (
        "leave leaves left",
        "take takes took taken",
        "fall falls fell fallen",
        "hold holds held",
        "send sends sent",
        "lead leads led",
        "fight fights fought",
        "begin begins began begun",
        "win wins won",
        "lose loses lost",
        "meet meets met",
        "flee flees fled",
        "sink sinks sank sunk",
        "shoot shoots shot",
        "bring brings brought",
        "buy buys bought",
        "sell sells sold",
        "pay pays paid",
        "spend spends spent",
        "give gives gave given",
        "go goes went gone",
        "come comes came",
        "tell tells told",
        "write writes wrote written",
        "drive drives drove driven",
        "fly flies flew flown",
        "build builds built",
        "strike strikes struck",
    )
)


COUNTRY_ADJECTIVES: dict[str, str] = {
    "denmark": "danish",
    "sweden": "swedish",
    "finland": "finnish",
    "norway": "norwegian",
    "netherlands": "dutch",
    "italy": "italian",
    "spain": "spanish",
    "georgia": "georgian",
    "belarus": "belarusian",
    "kazakhstan": "kazakh",
    "hungary": "hungarian",
    "slovakia": "slovak",
    "romania": "romanian",
    "moldova": "moldovan",
    "estonia": "estonian",
    "latvia": "latvian",
    "lithuania": "lithuanian",
    "japan": "japanese",
    "iran": "iranian",
    "israel": "israeli",
    "india": "indian",
    "canada": "canadian",
    "australia": "australian",
    "austria": "austrian",
    "belgium": "belgian",
    "bulgaria": "bulgarian",
    "greece": "greek",
    "portugal": "portuguese",
    "switzerland": "swiss",
    "armenia": "armenian",
    "azerbaijan": "azerbaijani",
    "syria": "syrian",
    "egypt": "egyptian",
}
