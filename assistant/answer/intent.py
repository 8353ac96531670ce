"""What kind of answer a question wants (its slot) and what time it is about (its temporal
intent): the two readings of a question that need no knowledge of the articles.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from assistant.answer.amounts import AUX, counted_noun, subset_counted
from assistant.answer.dates import MONTH_RE, YEAR_RE, date_range
from assistant.text import stem


class Slot(StrEnum):
    PERSON = "person"
    ORG = "organisation"
    PLACE = "place"
    NUMBER = "number"
    DATE = "date"
    DURATION = "duration"
    YESNO = "yes/no"
    REASON = "reason"
    LIST = "list"
    OTHER = "other"


class Temporal(StrEnum):
    LATEST = "latest"  # latest, now, still, currently, so far
    AS_OF = "as of"
    SINCE = "since"
    BEFORE = "before"
    AFTER = "after"
    FIRST = "first"
    LAST = "last"


PERSON_NOUNS = (
    r"(?:person|people|official|officials|minister|ministers|leader|leaders|member|members|"
    r"general|generals|commander|commanders|envoy|envoys|president|politician|diplomat|"
    r"diplomats|negotiator|negotiators|captain|spokesman|spokesperson|secretary|adviser|advisor|"
    r"ambassador|man|woman|head|chief|figure|figures|candidate|officer|officers|pilot|pilots|soldier|soldiers|journalist|prosecutor|judge|governor|"
    r"mayor|analyst|analysts|expert|experts|researcher|researchers|spokeswoman|reporter|"
    r"correspondent|lawyer|activist|economist|historian|blogger|bloggers|lawmaker|senator|"
    r"deputy|witness|witnesses|survivor|survivors|priest|bishop|doctor|surgeon)"
)
ORG_NOUNS = (
    r"(?:organi[sz]ation|organi[sz]ations|agency|agencies|company|companies|group|groups|"
    r"alliance|bloc|body|bodies|institution|institutions|party|parties|firm|firms|outlet|"
    r"outlets|bank|banks|unit|units|brigade|brigades|regiment|regiments|battalion|battalions|"
    r"division|divisions|corps|ministry|ministries|government|governments|newspaper|"
    r"newspapers|publication|publications|magazine|channel|broadcaster|grouping)"
)
PLACE_KIND_NOUNS = (
    r"(?:country|countries|city|cities|town|towns|village|villages|region|regions|province|"
    r"provinces|oblast|oblasts|place|places|port|ports|base|bases|state|states|territory|"
    r"territories|capital|border|area|areas|river|bridge|airfield|airfields|plant|airbase|"
    r"airbases|airport|airports|building|buildings|palace|hotel|hall|hospital|camp|site|"
    r"centre|center|facility|ground|grounds|republic|republics|district|districts|settlement|"
    r"settlements)"
)
# Things a which-question asks for by their name: 'which missile system', 'which vessel'.
THING_NOUNS = (
    r"(?:missile|missiles|rocket|rockets|system|systems|launcher|launchers|weapon|weapons|"
    r"ship|ships|vessel|vessels|warship|warships|cruiser|cruisers|frigate|frigates|boat|boats|"
    r"submarine|submarines|aircraft|jet|jets|plane|planes|bomber|bombers|helicopter|"
    r"helicopters|drone|drones|tank|tanks|satellite|satellites|bomb|bombs)"
)
_TIME_UNITS = r"(?:days?|weeks?|months?|years?|hours?|minutes?)"


# "Where does the aid bill stand?", "what is the status of the deal": how things are now.
_STATUS = re.compile(
    r"^where (?:does|do|did|is|are|things) .{0,80}\bstand(?:s|ing)?\b"
    r"|\bwhat is the (?:current |latest )?(?:status|state of play) of\b",
    re.IGNORECASE,
)


_NOT_PHRASE = (
    r"(?!(?:of|for|in|on|to|at|by|with|from|that|which|who|did|does|do|was|is|were|are|has|"
    r"have|had|will|and|or)\b)"
)


def slot_of(text: str) -> tuple[Slot, str | None]:
    """The kind of answer a single question wants, and for 'how many X' the stem of X."""
    q = re.sub(r"\b(what|who|where|when|how)['’]s\b", r"\1 is", text.strip().lower())
    q = re.sub(r"^(and|but|so|also|then|ok|okay|now|well)[,\s]+", "", q)
    q = re.sub(r"^(according to|per|in|based on)\b[^,]{0,80},\s*", "", q)  # "According to X, who …"
    q = re.sub(r"^(tell me|can you tell me|do you know|please say)\s+", "", q)
    if re.search(
        r"\bhow (?:long|wide|deep) (?:is|was|were|are) (?:the |a |an )?(?:[\w'-]+ ){0,3}?"
        r"(?:trench|trenches|grave|bridge|road|runway|tunnel|wall|fence|front line|frontline|"
        r"line|border|pipeline|convoy|queue|column|canal|dam|ditch|barrier|corridor|cable)s?"
        r"(?:\s*\??\s*$|\s+(?:in|at|of|near|between|from|along|across|on|over|under|through|into|"
        r"to|that|which|dug|built)\b)",
        q,
    ):  # (not "how long was the grain corridor extended": a time)
        return Slot.NUMBER, None  # "how long was the trench": a length, not a time
    if re.search(r"\b(?:serial|tail|registration|hull|batch|call|code) (?:number|sign)s?\b", q):
        return Slot.ORG, None  # "what serial number": an identifier such as Sh91579
    m = re.search(rf"\bhow\s+(?:many|much)\s+{_TIME_UNITS}", q)
    if m or re.search(
        r"\bhow long\b|\bfor how long\b|\bwhat (?:was |is )?the (?:length|duration)", q
    ):
        return Slot.DURATION, None
    subset = subset_counted(text)
    if subset:  # "how many of the civilians killed were women": the women are counted
        return Slot.NUMBER, stem(subset)
    if re.search(r"\bhow much of\b", q):
        return Slot.NUMBER, None  # "how much of the package is for …": a part of it, in money
    m = re.search(r"\bhow (?:many|much)\s+(?:of\s+)?(?:the\s+)?((?:[\w'-]+\s+){0,3})", q)
    if m:
        return Slot.NUMBER, counted_noun(text, m.group(1).split())
    m = re.search(
        r"\bhow (?:large|big) (?:was|is|were|are) (?:the |a |an )?((?:[\w'-]+\s*){1,3})", q
    )
    if m:  # "how large was the crowd", "how big was Russia's budget deficit": the head noun
        words = re.split(r"\s+(?:in|at|of|on|for|during|when|after|before|by)\b", m.group(1))[0]
        words = re.split(r"\s+(?:that|which|who|\w+ing|\w+ed)\b", words)[0]  # "force holding"
        return Slot.NUMBER, counted_noun(text, words.split()[-1:])
    if re.search(
        r"\bhow (?:many|much|large|big|high|far|often|old|deep|wide|tall|extensive|heavy|fast|"
        r"close)\b",
        q,
    ):
        return Slot.NUMBER, None
    m = re.search(
        r"^(?:what|which)\s+(?:was |is |were |are |will be )?(?:the\s+)?"
        r"(?:[\w-]+\s+of\s+[\w-]+['’]s\s+)?"  # "the Bank of Russia's key rate"
        # "the plant's total generating capacity", "the estimated cost": words of the noun phrase
        rf"(?:{_NOT_PHRASE}[\w'’-]+\s+){{0,6}}?"
        r"(?:number|share|percentage|proportion|amount|sum|size|figure|toll|death toll|value|cost|"
        r"price|rate|count|tally|population|casualties|length|distance|area|budget|volume|"
        r"capacity|output|age|range|revenue|spending|depth|height|width|magnitude|speed|weight|"
        r"altitude|temperature|turnout)\b"
        r"(?:\s+of\s+((?:[\w'-]+\s*){0,3}))?",
        q,
    )
    if m:
        share = re.search(r"\b(?:share|percentage|proportion|rate)\b", m.group(0))
        return Slot.NUMBER, None if share else counted_noun(text, (m.group(1) or "").split())
    if re.search(
        r"^what (?:do|does|did|will|would)\b.{0,80}(?<!the )\bcost"
        r"(?:\s*(?:[,?]|$)|\s+(?:to|for)\b)",
        q,
    ) or re.search(r"\bas an? (?:share|percentage|proportion|fraction) of\b", q):
        return Slot.NUMBER, None  # "what do premiums cost, as a share of hull value": an amount
    if re.search(
        r"^(?:when|since when|until when|by when|"
        r"(?:(?:in|on|at|by|since|until|till|from|before|after) )?(?:what|which) "
        r"(?:year|date|day|month|time|hour)s?)\b",
        q,
    ):
        return Slot.DATE, None
    if _STATUS.search(q):
        return Slot.OTHER, None  # "where does the aid bill stand": its state, not a place
    if re.search(
        rf"^(?:in|on|at) (?:what|which) (?:[\w'-]+ ){{0,2}}{PLACE_KIND_NOUNS}\b", q
    ) or q.startswith("where"):
        return Slot.PLACE, None
    named = re.match(
        r"^what (?:is|was|are|were) (?:the )?names? of (?:the |a |an )?((?:[\w'-]+ ){0,5})", q
    )
    if named and any(re.fullmatch(PERSON_NOUNS, w) for w in named.group(1).split()):
        return Slot.PERSON, None  # "the name of the Ukrainian officer who …": a person
    if named or re.match(r"^what (?:is|was|were|are) (?:[\w-]+ ){1,5}called\b", q):
        return Slot.ORG, None  # a name the question doesn't give
    if re.match(r"^(?:(?:in|to|with|for|from|by|of|on) )?(?:who|whom|whose)\b", q):
        return Slot.PERSON, None  # "in whose name", "to whom": a person, after a preposition
    if re.match(
        r"^(?:why|for what reason|what (?:was|is|were) the (?:reason|motive|cause)s?)\b", q
    ) or re.match(r"^what (?:justification|explanation|reason|grounds|rationale)\b", q):
        return Slot.REASON, None  # "what justification did Moscow offer": a reason
    if re.match(r"^what (?:reason|caused|prompted|led to|drove|motivated)\b", q):
        return Slot.REASON, None
    if re.match(r"^what (?:has |had |will |would )?(?:happened|happens|happen)\b", q):
        return Slot.OTHER, None  # "what happened at the hospital": an event, not a place
    m = re.match(
        r"^(?:(?:to|with|from|by|for|against|under|near|close to|next to|outside|into|towards)"
        r"\s+)?(?:which|what)((?:\s+[\w'-]+){1,4})",
        q,
    )
    aux = r"\s+(?:did|does|do|is|was|were|has|have|had|can|could|will|would|are)\b"
    if m and not re.match(aux, m.group(1)):
        phrase = []
        for noun in m.group(1).split():
            if noun in AUX and noun != "the":
                break  # "what estimate did US officials give": the noun phrase has ended
            phrase.append(noun)
        # "which weapons expert": a person, whatever kind of thing comes before
        people = [w for w in phrase if re.fullmatch(PERSON_NOUNS, w)]
        for noun in people[-1:] + phrase:
            many = re.search(r"\b(?:two|three|four|five|six|several|all|both)\b", m.group(1))
            if re.fullmatch(PERSON_NOUNS, noun):
                plural = (noun.endswith("s") and not noun.endswith("ss")) or noun == "people"
                return (Slot.LIST if plural or many else Slot.PERSON), None
            if re.fullmatch(ORG_NOUNS, noun) or re.fullmatch(THING_NOUNS, noun):
                return Slot.ORG, None  # a body, or a thing known by its name
            if re.fullmatch(PLACE_KIND_NOUNS, noun):
                plural = noun.endswith("s") and not noun.endswith("ss")
                return (Slot.LIST if plural else Slot.PLACE), None
    if re.search(
        rf"\b(?:from|in|at|near|to|into|of) (?:which|what) (?:[\w'-]+ ){{0,2}}{PLACE_KIND_NOUNS}"
        r"\s*\??\s*$",
        q,
    ):  # "… carrying an ID from which Russian republic?": the question ends on the place
        return Slot.PLACE, None
    if re.match(r"^(?:list|name)\b|^what (?:are|were) the (?:\w+ )?(?:main |key )?\w+s\b", q):
        return Slot.LIST, None
    if re.match(
        r"^(?:did|does|do|is|was|were|has|have|had|can|could|will|would|should|are|am)\b", q
    ):
        return Slot.YESNO, None
    return Slot.OTHER, None


_WHEN_PHRASE = (
    rf"((?:\d{{1,2}}\s+)?(?:{MONTH_RE}\s+)?(?:\d{{1,2}},?\s+)?{YEAR_RE}|\d{{4}}-\d\d-\d\d)"
)
_TEMPORAL = [
    (Temporal.AS_OF, re.compile(rf"\bas (?:of|at)\s+{_WHEN_PHRASE}", re.IGNORECASE)),
    (Temporal.SINCE, re.compile(rf"\bsince\s+{_WHEN_PHRASE}", re.IGNORECASE)),
    (
        Temporal.BEFORE,
        re.compile(
            rf"\b(?:before|prior to|until|by the end of|by|predat\w*|earlier than)\s+"
            rf"{_WHEN_PHRASE}",
            re.IGNORECASE,
        ),
    ),
    (Temporal.AFTER, re.compile(rf"\b(?:after|following)\s+{_WHEN_PHRASE}", re.IGNORECASE)),
]
_LATEST = re.compile(
    r"\b(latest|newest|most recent(?:ly)?|now|still|currently|current|today|at present|"
    r"these days|so far|to date|yet|any longer|anymore|recent(?:ly)?|up to date|update)\b",
    re.IGNORECASE,
)
# "Who is in command of …", "Who heads …", "Is Portugal contributing …": a state that may have
# changed between reports, asked about as it is.
_PRESENT_STATE = re.compile(
    r"^\s*(?:(?:who|which \w+)\s+(?:is|are|heads|leads|commands|runs|holds)\b"
    r"|(?:is|are)\s+(?!there\b)[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+\w+ing\b"
    # "Have North Korean soldiers gone into battle?": whether it has happened, as of now
    r"|(?:has|have)\s+(?!there\b)[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+(?:actually\s+|already\s+)?"
    r"(?:\w+ed|gone|been|taken|begun|seen|made|given|won|lost|fallen|left|sent|signed|come)\b)",
    re.IGNORECASE,
)
_FIRST = re.compile(r"\b(first|earliest|initially|originally|at first)\b", re.IGNORECASE)
_LAST = re.compile(r"\b(last|final|finally|most recent)\b", re.IGNORECASE)


def temporal_of(text: str) -> tuple[Temporal | None, tuple[date, date] | None, str]:
    """The question's time intent, the days its date can mean, and the text with that phrase
    taken out (so the date of 'since March 2025' is not also an exact-year constraint)."""
    for kind, rx in _TEMPORAL:
        m = rx.search(text)
        if m and (when := date_range(m.group(1))):
            return kind, when, (text[: m.start()] + text[m.end() :]).strip()
    if _LATEST.search(text) or _PRESENT_STATE.search(text) or _STATUS.search(text.strip()):
        return Temporal.LATEST, None, text
    # "… commander after the first jet was lost": that 'first' belongs to the time clause
    main_clause = re.split(
        r"(?<=\w)[,]?\s+(?:after|before|when|since|until|following|during)\b", text, maxsplit=1
    )[0]
    if _FIRST.search(main_clause):
        return Temporal.FIRST, None, text
    # Not "how long did the siege last?" (a verb) nor "last week" / "the last year of transit"
    # (a relative date, a description).
    last = _LAST.search(
        re.sub(
            r"\blast\s*\?*\s*$|\blast\s+(?:year|month|week|day|night)s?\b",
            " ",
            text,
            flags=re.IGNORECASE,
        )
    )
    if last:
        return Temporal.LAST, None, text
    return None, None, text


# "F-16", "Su-34", "S-400": a designation is one name with its number.
