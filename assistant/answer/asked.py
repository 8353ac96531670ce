"""Does a sentence name what the question asks about? The thing asked for ('the call sign',
'which city'), the part's own words and its names: what ranks one supporting sentence above
another, and what keeps a sentence about the referendum from answering its turnout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from assistant.answer.intent import ORG_NOUNS, PERSON_NOUNS, PLACE_KIND_NOUNS, THING_NOUNS
from assistant.answer.lexicon import NOT_NAMES, NUMBER_WORDS, ROLE_KIN
from assistant.answer.names import has_name, is_demonym, spelled_out
from assistant.answer.question import Part, Slot
from assistant.answer.values import PLACE_NOUNS, SLOT_WORDS, counted_kin
from assistant.answer.wording import forms_of, synonyms_of
from assistant.text import STOPWORDS, stem, stem_set, terms


def carries_focus(part: Part, sentence: str) -> bool:
    """At least one of the words the part asks about, besides names and words that only say
    a value is wanted ('rate', 'number'): 'the next presidential election' must be there."""
    focus = set(part.focus) - SLOT_WORDS - _LIGHT_VERBS
    if not focus:
        return True
    stems = stem_set(sentence)  # in the war-reporting synonyms too: a death toll is the killed
    if part.counted and counted_kin(part.counted) & stems:
        return True  # 'how many people': 'fewer than 100 residents remain' counts them
    return any(synonyms_of(f) & stems for f in focus)


# Verbs that say nothing of their own: 'when did the prosecutor go to Bucha' is answered by
# 'visited the town on 13 April'; the names and the slot carry the question.
_LIGHT_VERBS = {
    stem(w) for w in "go goes went come came get got do did make made happen keep kept".split()
}


_HEAD = re.compile(
    r"^\s*(?:(?:in|at|on|from|to|by|with|for|over|across|under|into|through|near)\s+)?(?:what|which)\s+((?:[\w'’-]+\s+){1,3}?)"
    r"(?:did|does|do|was|were|is|are|has|have|had|"
    r"will|would|could|can|should)\b",
    re.IGNORECASE,
)
# Heads that only say what sort of answer is wanted: a reason rarely says "reason", and a
# post, a facility or a country is answered by its name ('secretary of the Council', 'the
# coke plant', 'Slovakia').
_GENERIC_HEADS = {
    stem(w)
    for w in "reason way kind type sort thing part role post position title job office rank "
    "facility plant site place building town city village country state nation region area "
    "province oblast district "
    "organisation organization group body agency unit company firm party person man woman "
    "official leader member government".split()
}


# "What was the radio call sign of the pilot …": the thing asked for follows "what was the".
_HEAD_OF = re.compile(
    r"^\s*(?:what|which)\s+(?:was|is|were|are)\s+(?:the|its|their|his|her|a|an)\s+"
    r"((?:[\w'’-]+\s+){0,2}?[\w'’-]+)\s+(?:of|for|that|which|who|whose|in|at|on|to|used|"
    r"given|behind|from|between)\b",
    re.IGNORECASE,
)
# "What is the name of the first mining project financed by …": the thing named.
_NAME_OF = re.compile(
    r"^\s*what\s+(?:was|is|were|are)\s+the\s+names?\s+of\s+(?:the\s+|a\s+|an\s+|its\s+)?"
    r"((?:[\w'’-]+\s+){0,3}?[\w'’-]+)\s+(?:[a-z]+ed|that|which|who|whose|in|at|by|for|of|on|"
    r"to|now)\b",
    re.IGNORECASE,
)
# ('senior', 'top', 'leading': which official, not which senior thing)
_NOT_HEADS = {
    stem(w)
    for w in "latest status situation news update name senior top leading prominent "
    "high-ranking former".split()
}


def _head_match(part: Part) -> re.Match[str] | None:
    return _NAME_OF.match(part.text) or _HEAD.match(part.text) or _HEAD_OF.match(part.text)


def head_stems(part: Part) -> set[str]:
    """Stems of the thing a what/which question asks for ('turnout', 'call sign'), when it
    is more than a word saying what sort of answer is wanted."""
    m = _head_match(part)
    if not m:
        return set()
    # 'which plant near Kyiv': the head ends where a place it stands in begins
    phrase = re.split(
        r"\b(?:near|in|at|on|outside|inside|around|behind|beside|from)\b", m.group(1)
    )[0]
    words = {
        stem(w) for w in re.findall(r"\b[a-z][\w'’-]*", phrase) if w not in STOPWORDS
    }  # 'Dagestani' names
    return words - SLOT_WORDS - _GENERIC_HEADS - _NOT_HEADS


def names_head(part: Part, sentence: str) -> bool:
    """The sentence names the head noun itself ('sign' of 'radio call sign'), not merely a
    word of its phrase ('what officials called')."""
    m = _head_match(part)
    words = [stem(t) for t in terms(m.group(1))] if m else []
    if not words or words[-1] not in head_stems(part):
        return False
    return not _kin_stems(words[-1]).isdisjoint(stem(t) for t in terms(sentence))


def unnamed_head(part: Part, sentence: str) -> str | None:
    """'Which messaging app did they use?' — 'through a messaging app': the sentence says there
    was one, not which. The head when the sentence gives it only as 'a …' and names none."""
    m = _head_match(part)
    if not m or not re.match(r"^\s*(?:\w+\s+)?which\b", part.text, re.I):
        return None
    words = [w for w in re.findall(r"[a-z][\w-]*", m.group(1)) if w not in STOPWORDS]
    if not words or stem(words[-1]) not in head_stems(part):
        return None
    head = words[-1]
    heads = rf"{re.escape(head)}s?"
    if not re.search(rf"\b(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?{heads}\b", sentence, re.I):
        return None
    named = re.search(
        rf"\b[A-Z][\w'’-]*\s+(?:[a-z][\w-]*\s+)?{heads}\b"  # 'the Telegram messaging app'
        rf"|\b{heads}\s*,?\s+(?:called|named|known as)?\s*[\"“]?[A-Z]",  # 'an app, Signal'
        sentence,
    )
    return None if named else head


def _kin_stems(head: str) -> set[str]:
    """A head noun's stem with the words for the same kind of thing ('boat': a yacht is one)."""
    kin = {stem(k) for g in _THING_KIN if any(stem(w) == head for w in g) for k in g}
    return {head} | kin | synonyms_of(head)  # and its synonyms: 'ceilings' are the caps


# The words articles use for a kind of place: a city asked about is often 'the capital'.
_PLACE_KIN = (
    {"city", "town", "capital"},
    {"village", "settlement", "town"},
    {"base", "airfield", "airbase", "airport"},
    {"region", "province", "oblast", "district"},
    {"building", "palace", "hotel", "hall", "residence"},
)


# Words a report may use for the kind of thing asked for ('which vessel': the cruiser Moskva).
_THING_KIN = (
    {"missile", "rocket", "system", "launcher", "weapon"},
    {"ship", "vessel", "warship", "cruiser", "frigate", "boat", "submarine", "flagship", "yacht"},
    {"aircraft", "jet", "plane", "fighter", "bomber", "helicopter"},
    {"drone", "uav"},
    {"tank", "vehicle"},
    {"satellite"},
    {"bomb", "munition"},
    # "what stretch of water": an estuary, a strait or a lagoon is one
    {"water", "estuary", "river", "lake", "lagoon", "bay", "strait", "channel", "gulf", "sea"},
)

_KINDS_ASKED = rf"\b(?:{PLACE_NOUNS}|building|palace|hotel|hall|area|centre|center|camp)\b"


def typed_place(part: Part, sentence: str) -> bool:
    """'In which Dagestani city …': the sentence says its place is of that kind ('Makhachkala,
    the regional capital', 'the town of Sudzha'), not merely a place ('in the North Caucasus')."""
    if part.slot is not Slot.PLACE:
        return False
    asked = {n.lower() for n in re.findall(_KINDS_ASKED, part.text, re.IGNORECASE)}
    kinds = set(asked).union(*(k for k in _PLACE_KIN if asked & k))
    if not kinds:
        return False
    kind = "(?:" + "|".join(sorted(kinds)) + ")"
    return bool(
        re.search(
            rf"\b[A-Z][\w'’-]+,\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}{kind}\b"
            rf"|\b{kind}\s+(?:of|in|at|near)\s+[A-Z]"
            rf"|\b[A-Z][\w'’-]+\s+(?:{'|'.join(k.capitalize() for k in sorted(kinds))})\b",
            sentence,
        )
    )


def typed_otherwise(part: Part, sentence: str, name: str) -> bool:
    """'In which Russian city …': 'his home region of Cherkasy' says Cherkasy is a region, so
    it is no city; True when the question asks for a kind of place and the sentence gives the
    name as another kind."""
    asked = {n.lower() for n in re.findall(_KINDS_ASKED, part.text, re.IGNORECASE)}
    if part.slot is not Slot.PLACE or not asked:
        return False
    kinds = set(asked).union(*(k for k in _PLACE_KIN if asked & k))
    said = re.findall(
        rf"\b({PLACE_NOUNS})\s+of\s+{re.escape(name)}\b"
        rf"|\b{re.escape(name)},\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}({PLACE_NOUNS})\b",
        sentence,
    )
    nouns = {n.rstrip("s") for pair in said for n in pair if n}
    return bool(nouns) and not nouns & {k.rstrip("s") for k in kinds}


def carries_head(part: Part, sentence: str) -> bool:
    """'What turnout did organisers report …': the thing asked for ('turnout') is in the
    sentence; a sentence about the referendum without it does not answer. True when the
    question names no such thing."""
    head = head_stems(part)
    if not head:
        return True
    m = _head_match(part)
    last = [stem(t) for t in terms(m.group(1))][-1:] if m else []
    if last and last[0] in head:
        return names_head(part, sentence)  # 'first mining project': a project, not mines
    head = set().union(*(_kin_stems(h) for h in head))
    return not head.isdisjoint(stem(t) for t in terms(sentence))


_TOTAL_WORDS = frozenset({"altogeth", "total", "overal"})
_TOTAL = re.compile(r"\b(?:in all|in total|altogether|a total of|total|overall|all told)\b", re.I)


def focus_in_sentence(part: Part, sentence: str) -> float:
    """Share of the part's own words (what it asks about, besides names) in the sentence;
    'altogether' asked is met by any word for a total ('In all, around 12,000 …')."""
    if not part.focus:
        return 1.0
    stems = {stem(t) for t in terms(sentence)}
    if _TOTAL_WORDS & set(part.focus) and _TOTAL.search(sentence):
        stems |= _TOTAL_WORDS
    # 'took' is the word 'take' asked ('when did Russian forces take the town')
    return sum(not forms_of(f).isdisjoint(stems) for f in part.focus) / len(part.focus)


def names_in_sentence(part: Part, sentence: str) -> float:
    """Share of the part's names the sentence itself gives (not only its passage)."""
    if not part.constraints.names:
        return 1.0
    low = sentence.lower()
    stems = {stem(t) for t in terms(sentence)}
    return sum(
        has_name(n, low, stems) or spelled_out(n, sentence) for n in part.constraints.names
    ) / len(part.constraints.names)


def names_all(part: Part, sentence: str) -> bool:
    """The sentence itself gives every one of two or more names the part asks about."""
    return len(part.constraints.names) >= 2 and names_in_sentence(part, sentence) == 1.0


# A cause or a motive said in so many words, not only an event before or after another.
_STRONG_REASON = re.compile(
    r"\b(?:because|due to|owing to|caused by|blamed|reasons?|so as to|in order to|to avoid|"
    r"to prevent|to preserve|to save|to protect|for fear|as a result of|in response to|"
    r"in retaliation)\b",
    re.IGNORECASE,
)


def states_reason(part: Part, sentence: str) -> bool:
    """'Why …', 'what reason …': the sentence gives a cause in so many words."""
    return part.slot is Slot.REASON and bool(_STRONG_REASON.search(sentence))


_ASKS_NAME = re.compile(
    r"^\s*what (?:do|does|did) (?:[\w'’-]+ ){1,4}call\b|\bcalled\?|\bnickname\b", re.IGNORECASE
)
_GIVES_NAME = re.compile(r"\b(?:calls?|called|nicknamed|dubbed|known as)\b", re.IGNORECASE)


def gives_name(part: Part, sentence: str) -> bool:
    """'What do soldiers call the Shahed drones?': the sentence that says what they are called
    ('which Ukrainian soldiers call "mopeds"'), not one about the drones."""
    if _ASKS_NAME.search(part.text) and _GIVES_NAME.search(sentence):
        return True
    # "which operational-strategic group": 'the Khortytsia operational-strategic group' names one
    m = _WHICH_KIND.match(part.text)
    kind = asked_kind(part)
    if part.slot is not Slot.ORG or not m or not kind:
        return False
    # the words that say which sort of group it is must be there too ('research group')
    phrase = m.group(2).split()
    before = phrase[: phrase.index(kind)] if kind in phrase else []
    sort = [stem(w) for w in before if w not in STOPWORDS]
    stems = stem_set(sentence)
    asked = {stem(t) for t in terms(part.text)}
    return all(w in stems for w in sort) and named_instance(part, sentence, asked) is not None


_WHICH_KIND = re.compile(
    r"^\s*(?i:(?:in|at|on|from|to|by|with|for|of)\s+)?(?i:which|what)\s+"
    r"((?:(?:[A-Z][\w'’-]*|\d+|two|three|four|five)\s+)*)((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)",
)


# "What was the civilian search-and-rescue vessel called": the kind is in the phrase.
_CALLED = re.compile(
    r"^\s*(?i:what)\s+(?i:is|was|were|are)\s+(?i:(the|a|an)\s+)?((?:[\w-]+\s+){1,5}?)(?i:called)\b"
)
# Words between a name and its kind that end the name's phrase: "the landing ship Minsk and
# the submarine Rostov-on-Don" does not call Minsk a submarine.
_GAP = r"(?!(?:and|or|the|a|an|but|while)\b)"
_ACCORDING = re.compile(r"^\s*(?:according to|per|based on)\b[^,]{0,80},\s*", re.I)
_KIND_OF = re.compile(
    r"\b(what|which)\s+(?:kind|type|sort|model|make|class|variant|version)s?\s+of\s+", re.I
)
_KIND_NOUN = re.compile(f"{PERSON_NOUNS}|{ORG_NOUNS}|{PLACE_KIND_NOUNS}|{THING_NOUNS}")


def asked_kind(part: Part) -> str | None:
    """'Which road bridge near Kherson …' → 'bridge': the kind of thing a which-question asks
    for, when it names one ('which Ukrainian brigade', 'which two bases', 'which unit shot
    down …'); the last word of the question's phrase that names a kind of person, body or
    place, as the slot was read from."""
    # 'what kind of missile hit it': the kind is the missile ('Storm Shadow missiles')
    text = _KIND_OF.sub(r"\1 ", _ACCORDING.sub("", part.text))
    m = _CALLED.match(text) or _WHICH_KIND.match(text)
    if not m:
        return None
    kind = None
    for w in m.group(2).split():
        if w in STOPWORDS:
            break
        if _KIND_NOUN.fullmatch(w):
            kind = w  # 'which Azov regiment commander': the last one is the head
    return None if kind is None or stem(kind) in SLOT_WORDS | _NOT_HEADS else kind


def acted_on(part: Part, sentence: str, given: set[str]) -> str | None:
    """'Which facility … was looted?': the thing the sentence says was looted ('the agency's
    central analytical laboratory was looted'), in words the question does not give."""
    if asked_kind(part) is None:
        return None
    m = _PASSIVE.search(part.text)
    if not m:
        return None
    verb = stem(m.group(1).lower())
    for found in _DONE_TO.finditer(sentence):
        if stem(found.group(2).lower()) != verb:
            continue
        words = {stem(w) for w in terms(found.group(1))} - STOPWORDS
        if words and not words <= given:
            return found.group(1)
    return None


_PASSIVE = re.compile(r"\b(?:was|were|been)\s+(\w+ed)\s*\??$", re.IGNORECASE)
_DONE_TO = re.compile(
    r"\b((?:the|a|an|its|their)\s+(?:[\w'’-]+\s+){0,4}?[\w'’-]+)\s+(?:was|were|had been|has been)"
    r"\s+(\w+ed)\b",
    re.IGNORECASE,
)


# A kind named by another word in articles: 'which grouping of forces' is 'the Tavria group'.
_KIND_WORDS = {"grouping": ("grouping", "group")}


def named_instance(part: Part, sentence: str, given: set[str]) -> str | None:
    """'the Antonivskyi road bridge', 'the 47th Mechanised Brigade': the sentence names a thing
    of the kind asked for, by a name the question does not give."""
    kind = asked_kind(part)
    if kind is None:
        return None
    singular = kind[:-1] if kind.endswith("s") and not kind.endswith("ss") else kind
    words = "|".join(map(re.escape, _KIND_WORDS.get(singular, (singular,))))
    found = re.search(
        rf"\b((?:\d+(?:st|nd|rd|th)\s+)?(?:[A-Z][\w'’-]+\s+){{1,3}})(?:{_GAP}[a-z][\w-]*\s+){{0,2}}"
        rf"(?i:{words})s?\b",
        sentence,
    )
    if not found:
        # 'the Hotel Ukraina': the kind's own word capitalised, before the name
        after = re.search(
            rf"\b{re.escape(singular.capitalize())}\s+((?:[A-Z][\w'’-]+\s*){{1,3}})", sentence
        )
        name = after.group(1).split() if after else []
        if not name or all(stem(w) in given or w.lower() in given or w in NOT_NAMES for w in name):
            return None
        return f"{singular.capitalize()} {' '.join(name)}"
    name = [w for w in found.group(1).split() if w not in ("The", "A", "An")]
    if not name or all(stem(w) in given or w.lower() in given or _names_none(w) for w in name):
        return None  # 'Two Russian ballistic missiles' names no missile
    return f"{' '.join(name)} {singular}"


def _thing_kin(kind: str) -> set[str]:
    one = kind[:-1] if kind.endswith("s") and not kind.endswith("ss") else kind
    return set().union(*(k for k in _THING_KIN if one in k))


def named_thing(part: Part, sentence: str, given: set[str], passage: str = "") -> str | None:
    """'Which vessel radioed …': a name the question does not give, beside a word for that kind
    of thing ('the cruiser Moskva', 'Neptune anti-ship missiles', 'a Tochka-U missile'), in the
    sentence, or in its passage and named again in the sentence ('The Moskva sank …')."""
    kind = asked_kind(part)
    kin = _thing_kin(kind) if kind else set()
    if not kin or not kind:
        return None
    one = kind[:-1] if kind.endswith("s") and not kind.endswith("ss") else kind
    # the word asked first ('which submarine': 'the submarine Rostov-on-Don', not 'the landing
    # ship Minsk' beside it), then the other words for that kind of thing
    for words in (one, "|".join(sorted(kin - {one}))):
        if words:
            named = _typed_name(words, sentence, given, passage)
            if named:
                return named
    return None


_SP = r"[^\S\n]+"  # a space within a line


@lru_cache(maxsize=64)
def _typed(words: str) -> re.Pattern[str]:
    """A name beside one of `words` (a kind of thing), in the three ways articles write it;
    within a line (a title's last word is not beside the next line's first)."""
    return re.compile(
        rf"\b(?!(?:The|A|An)\b)((?:[A-Z][\w'’-]*|\d[\w-]*)(?:{_SP}[A-Z][\w'’-]*)*){_SP}"
        rf"(?:{_GAP}[a-z][\w-]*{_SP}){{0,2}}(?:{words})s?\b"
        # "the world's largest aircraft, the six-engined An-225 Mriya"
        rf"|\b(?:{words})s?,?{_SP}(?:the{_SP}(?:[a-z]+-[\w-]+{_SP}|[a-z]+ed{_SP}){{0,2}})?"
        rf"((?:[A-Z][\w'’-]*)(?:{_SP}[A-Z][\w'’-]*)*)"
        # "the Sapfir, a civilian search-and-rescue ship"
        rf"|\b([A-Z][\w'’-]*(?:{_SP}[A-Z][\w'’-]*)*),{_SP}(?:an?|the){_SP}(?:[\w-]+{_SP}){{0,3}}"
        rf"(?:{words})s?\b"
    )


def _names_none(word: str) -> bool:
    """'Ukrainian', 'Two', '41': a word before a thing's kind that names no thing."""
    first, _, rest = word.partition("-")
    if rest.islower() and (is_demonym(first) or first in ("Soviet", "Western")):
        return True  # 'Soviet-designed', 'Russian-made': where it comes from, not its name
    return is_demonym(word) or word.lower() in NUMBER_WORDS or bool(re.fullmatch(r"[\d,.]+", word))


def _typed_matches(words: str, text: str) -> Iterator[re.Match[str]]:
    """Every way a name stands beside the kind: after 'Russian cruiser' (no name), the
    'cruiser Moskva' that shares its kind word is read too."""
    pattern, pos = _typed(words), 0
    while m := pattern.search(text, pos):
        yield m
        pos = m.end(1) + 1 if m.group(1) else m.end()


def _typed_name(words: str, sentence: str, given: set[str], passage: str) -> str | None:
    for text in (sentence, passage):
        for m in _typed_matches(words, text):
            name = (m.group(1) or m.group(2) or m.group(3)).strip()
            name = re.sub(r"^(?:\S+['’]s\s+)+", "", name)  # "Ukraine's Storm Shadow"
            if not name or all(
                stem(w) in given or w.lower() in given or _names_none(w) for w in name.split()
            ):
                continue  # ('Ukrainian missiles' names no missile)
            if re.fullmatch(r"[\d,.]+", name):
                continue  # '200 helicopters' counts them, it names none
            if text is sentence or name in sentence:
                return name
    return None


# Words for a thing too general to answer 'what sort of vessel' ('a vessel', 'the weapon').
_GENERAL_THINGS = frozenset(
    "system launcher weapon vehicle vessel ship boat aircraft plane jet rocket".split()
)


def asks_kind_of(part: Part) -> bool:
    """'What sort of vessel …', 'what type of missile …': the answer may be a kind, not a name."""
    return bool(_KIND_OF.search(part.text))


def narrower_kind(part: Part, sentence: str) -> str | None:
    """'What sort of vessel launched them?' — 'launched from a submarine': a narrower word for
    the kind asked, which the question does not use."""
    kind = asked_kind(part)
    if not kind:
        return None
    asked = stem_set(part.text)
    for word in sorted(_thing_kin(kind) - _GENERAL_THINGS):
        if stem(word) not in asked and re.search(rf"\b{word}s?\b", sentence, re.I):
            return word
    return None


def specific_kind(part: Part) -> str | None:
    """The kind a which-question asks for when a bare name cannot be taken for it: 'which
    brigade' (not 'which country', 'which agency', 'which official')."""
    if part.slot not in (Slot.ORG, Slot.PERSON, Slot.PLACE):
        return None
    kind = asked_kind(part)
    return None if kind is None or stem(kind) in _GENERIC_HEADS else kind


_UNIT_ASKED = re.compile(r"\b(?:which|what)\s+(?:[\w'’-]+\s+)?units?\b", re.I)
# 'the 1st Slavic Brigade', 'the Azov regiment', 'the 155th': a military unit by its name
_UNIT_NAMED = re.compile(
    r"\b((?:\d+(?:st|nd|rd|th)|[A-Z][\w'’-]+)\s+(?:[A-Z][\w'’-]+\s+){0,3})"
    r"(?i:brigades?|regiments?|battalions?|divisions?|corps|armies|army|squadrons?|"
    r"detachments?|legion|guards?|units?|companies|company|fleet|flotilla|marines?)\b"
    r"|\b\d+(?:st|nd|rd|th)\b"
)


def names_kind(part: Part, sentence: str) -> bool:
    """'Which Ukrainian brigade was given the tanks?': a sentence naming the defence minister
    and the Bundeswehr names no brigade. True when the question asks for no particular kind
    ('which country', 'which official' are answered by a name alone)."""
    if part.slot is Slot.ORG and _UNIT_ASKED.search(part.text):
        # 'which unit': 'the 66th Mechanised Brigade', not 'Russian units'
        return any(
            not m.group(1) or not all(is_demonym(w) or w in NOT_NAMES for w in m.group(1).split())
            for m in _UNIT_NAMED.finditer(sentence)
        )
    kind = specific_kind(part)
    if kind is None:
        return True
    kin = {kind, *_thing_kin(kind)}.union(
        *(k for k in (*_PLACE_KIN, *ROLE_KIN) if kind.rstrip("s") in k)
    )  # a role by another of its words: Britain's defence secretary is its minister
    stems = {stem(t) for t in terms(sentence)}
    return any(stem(k) in stems for k in kin)
