"""How many: the count a sentence gives for what the question counts, not a count of
something else standing near it ('striking two airfields', '950 cluster submunitions', 'two
sappers were killed', '20,000 civilians had been killed' for the living).
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.amounts import subset_counted
from assistant.answer.names import entity, is_demonym, is_party
from assistant.answer.question import Part, Slot
from assistant.answer.tolls import ANYONE as _ANYONE
from assistant.answer.tolls import BEINGS as _BEINGS
from assistant.answer.tolls import CASUALTIES as _CASUALTIES
from assistant.answer.tolls import DEAD as _DEAD
from assistant.answer.tolls import HURT as _HURT
from assistant.answer.tolls import (
    LENGTH_ASKED,
    TIME_UNITS,
    WAR_WIDE_ASKED,
    among_another,
    lies_from,
    nth_of_the_dead,
    number_risen_to,
    risen_to,
    subject_counts_other,
    things_counted,
    unnegated,
    war_wide,
)
from assistant.answer.tolls import PLURALS as _PLURALS
from assistant.answer.tolls import TOLL_WORDS as _TOLL_WORDS
from assistant.answer.values import (
    _COUNTED_KIN,
    _UNITS,
    NUMBER_WINDOW,
    PERSON_AGED,
    SLOT_WORDS,
    _after_age,
    _undated,
    _unit_after,
    counted_kin,
    numbers,
    of_kind,
)
from assistant.text import STOPWORDS, stem


def count_anchors(part: Part) -> set[str]:
    """The words a count or amount must stand near: what 'how many …' counts (and casualty
    words when it asks about the killed or wounded), else the part's own words."""
    if part.counted_words:
        anchors = set().union(*(counted_kin(w) for w in part.counted_words))
        if not _CASUALTIES.isdisjoint(part.focus) and not subset_counted(part.text):
            # (not "how many of the people killed were cadets": the cadets are counted)
            # "… were killed or wounded": the casualty words count too (not the missiles
            # of "when the missiles struck", which are not what is counted)
            anchors |= _CASUALTIES
        return anchors
    anchors = set(part.focus) - SLOT_WORDS
    if "popul" in anchors:  # a population counts people: 'some 14,000 people who lived there'
        anchors |= counted_kin("peopl") | {"live"}
    for kin in _COUNTED_KIN:  # a death toll counts the killed: 'in all 46 people were killed'
        if "kill" in kin and (anchors & kin or "toll" in anchors):
            anchors |= kin
    return anchors | (counted_kin(part.counted) if part.counted else set())


_NOT_COUNTED = frozenset(
    "kilometres kilometers miles metres meters tonnes tons barrels dollars euros roubles "
    "percent days weeks months years hours minutes times others".split()
)


# A model's designation ('S-300', 'Il-76', 'Kh-101', 'M777') names the kind of what is counted.
_DESIGNATION = re.compile(r"^[A-Z][A-Za-z]{0,3}-?\d{1,4}[A-Za-z]{0,2}$")


def _counts_another(sentence: str, position: int, anchors: set[str]) -> bool:
    """The number is followed at once by a plural noun that is not what is counted: "striking
    two airfields" counts airfields, however near the missiles it stands."""
    raw = _undated(sentence).split()
    if (
        position >= 2
        and raw[position - 1].lower() == "of"
        and stem(raw[position - 2].strip(".,;:()\"'’").lower()) in anchors
    ):
        return False  # "the bodies of 46 people" are 46 bodies
    # "950 cluster submunitions": up to two modifiers may stand between number and noun.
    for step in range(1, 4):
        if position + step >= len(raw):
            return False
        nxt = raw[position + step].strip(".,;:()\"'’")
        if (is_demonym(nxt) or _DESIGNATION.match(nxt)) and raw[position + step][
            -1:
        ] not in ",;:.)":
            continue  # "24 Russian assaults", "four S-300 missiles": modifiers too
        if not (nxt.replace("-", "").isalpha() and nxt.islower()) or nxt in STOPWORDS:
            return False
        if (nxt.endswith("s") and len(nxt) > 3 and "-" not in nxt) or nxt in _PLURALS:
            break
        if raw[position + step][-1:] in ",;:.)":
            return False
    else:
        return False
    if nxt in _NOT_COUNTED:
        return False
    following = {
        stem(w.strip(".,;:()\"'’").lower()) for w in raw[position + 1 : position + step + 3]
    }
    return not (following & anchors)


def _one_of_another(words: list[str], found: tuple[int, str], anchors: set[str]) -> bool:
    """'One important limit on the missiles': 'one' counts what follows it, and is rarely the
    count asked for unless the counted thing follows ('one missile', 'one of the missiles')."""
    position, value = found
    if value.lower() != "one":
        return False
    return not anchors & set(words[position + 1 : position + 5])


def _counts_dead(sentence: str, position: int, anchors: set[str]) -> bool:
    """'20,000 civilians had been killed': the number counts the dead. ('Two wounded North
    Korean soldiers' counts soldiers: the casualty word describes what follows it.)"""
    tokens = _undated(sentence).split()
    raw = [stem(w.strip(".,;:()\"'’").lower()) for w in tokens]
    if _before(raw, position) in _CASUALTIES | {"killing"}:
        return True  # 'killing three people', 'killing at least 12 people'
    for i in range(position + 1, min(position + 5, len(raw))):
        if raw[i] in _CASUALTIES | _MISSING:
            # what follows within its clause: '43 others were wounded, and 16 people …' does
            # not describe the people of the next clause
            after = []
            for j in range(i + 1, min(i + 4, len(raw))):
                if tokens[j - 1].endswith((",", ";", ":")) or raw[j] == "and":
                    break
                after.append(raw[j])
            return not anchors & set(after)
        if tokens[i - 1].endswith((",", ";")):
            break
    return False


_MISSING = frozenset({stem("missing")})


# Taken prisoner: a count of captives is not a count of the killed, the wounded or those
# defending a town, nor the other way round.
_CAPTIVE = frozenset({"captur", "captiv", "prison", "surrend", "detain", "pow"})
_DEPLOY = frozenset({"mass", "amass", "concentr", "deploy", "gather", "assembl", "station"})
# Destroyed or damaged: a count of things standing is not a count of those lost.
_DESTROYED = frozenset(
    stem(w)
    for w in "destroyed burned burnt damaged wrecked flattened razed gutted ruined "
    "demolished".split()
)


def _things_lost(part: Part) -> bool:
    """'How many stalls burned down', 'how many tanks were destroyed': things (not people,
    whose losses are casualties) counted as destroyed or damaged."""
    people = set().union(*_BEINGS) | _CASUALTIES
    return bool(set(part.focus) & _DESTROYED) and bool(part.counted) and part.counted not in people


def _captives_of_another_count(part: Part, words: list[str], position: int) -> bool:
    """'Captured two wounded North Korean soldiers' counts prisoners, not the wounded."""
    return position > 0 and words[position - 1] in _CAPTIVE and not _CAPTIVE & set(part.focus)


_ACTION = frozenset({"cross", "attack", "advanc", "enter", "invad", "storm", "assault", "push"})


def _massed_not_moved(part: Part, raw: list[str], position: int) -> bool:
    """'Russia gathered about 30,000 troops' counts those massed, not how many crossed the
    border or attacked."""
    focus = set(part.focus)
    if not focus & _ACTION or focus & _DEPLOY or not part.counted:
        return False  # 'the death toll from the drone attack' counts no one who moved
    return bool(set(raw[max(0, position - 4) : position]) & _DEPLOY)


def _deployed_by_another(part: Part, sentence: str, position: int) -> bool:
    """'Russia has massed about 110,000 troops' counts Russia's troops: no answer to how many
    Ukrainian soldiers defend the town."""
    asked = {entity(w) for w in re.findall(r"\b[A-Z][\w'’-]+", part.text)} - {"how"}
    asked = {a for a in asked if is_party(a)}
    if not asked:
        return False
    raw = _undated(sentence).split()[:position]
    for i in range(len(raw) - 1, max(-1, len(raw) - 6), -1):
        if stem(raw[i].strip(".,;:()\"'’").lower()) in _DEPLOY:
            before = [entity(w.strip(".,;:()\"'’")) for w in raw[max(0, i - 5) : i]]
            sides = {b for b in before if is_party(b)}
            return bool(sides) and not sides & asked
    return False


# Words that hedge a number ('killing at least 12', 'injured more than 100'): the verb before
# them is the number's verb.
_HEDGES = frozenset(
    stem(w) for w in "at least about some nearly almost around roughly over more than".split()
)


def _before(words: list[str], position: int) -> str:
    """The word before a number, past any hedge ('killing at least 12' -> 'kill')."""
    i = position - 1
    while i >= 0 and (words[i] in _HEDGES or words[i - 1 : i + 1] == ["up", "to"]):
        i -= 2 if words[i] == "to" else 1
    return words[i] if i >= 0 else ""


def _other_casualty(part: Part, words: list[str], position: int) -> bool:
    """'How many were killed': '129 people were injured' counts the wounded (and the other
    way round), when the question asks about only one of them."""
    focus = set(part.focus)
    dead, hurt = bool(focus & _DEAD), bool(focus & _HURT)
    if dead == hurt:
        return False
    wrong = _HURT if dead else _DEAD
    if _before(words, position) in _DEAD | _HURT:
        return _before(words, position) in wrong  # 'killed 35', 'injuring at least 129'
    if words[position + 1 : position + 3] == ["of", "them"]:
        # '129 were injured, 15 of them children': of those the sentence just counted
        before = [w for w in words[max(0, position - 8) : position] if w in _DEAD | _HURT]
        return bool(before) and before[-1] in wrong
    for w in words[position + 1 : position + 6]:
        if w in _DEAD | _HURT:
            return w in wrong
    return False


def _noun_anchors(part: Part, anchors: set[str]) -> set[str]:
    """What a number right before a noun must count: the asked noun, not the casualty verb
    ('two sappers were killed' counts sappers, not soldiers)."""
    if part.counted and part.counted not in _CASUALTIES:
        return anchors - (_CASUALTIES - set().union(*map(counted_kin, part.counted_words or ())))
    return anchors


def _counted_absent(part: Part, stems: set[str], whole: set[str]) -> bool:
    """'How many X': no word for X in the sentence. Losses counted without a noun ('47,000
    killed and wounded') answer a casualty question, unless another kind of people is what
    was killed ('two civilians had been killed'; `whole` leaves out those singled out among
    the counted, 'two of them children', and a 'missile strike' killed no missiles)."""
    if not re.search(r"\bhow (?:many|large|big)\b", part.text, re.IGNORECASE):
        return False  # ("how much grain": an amount may be given in tonnes without the noun)
    counted = part.counted_words or (part.counted,)
    # "how many employees died": the employees, not the dying, must be there
    nouns = [w for w in counted if w not in _CASUALTIES] or counted
    asked = set().union(*(counted_kin(w) for w in nouns))
    if not asked.isdisjoint(stems):
        return False
    general = asked & {"peopl", "troop", "prison"}  # not 'how many children': 'two of the dead'
    if general and set(part.focus) & _CASUALTIES and stems & _CASUALTIES:
        others = set().union(*(k for k in _BEINGS if k - asked))
        return bool((others - asked) & whole)
    return True


# "35 dead, two of them children": the children are among those counted, not another count
_SUBSET = re.compile(r"\b(?:of|among) them\b,?\s+(?:were\s+|are\s+)?[\w'’-]+", re.IGNORECASE)


def _whole_count_stems(sentence: str) -> set[str]:
    """The sentence's stems without the part of a count it singles out ('two of them
    children'), which says who was among the counted, not what else was counted."""
    return {stem(w) for w in re.findall(r"[\w'’$€£%-]+", _undated(_SUBSET.sub(" ", sentence)))}


_CHANGE = re.compile(
    r"\b(?:lower|lowers|lowered|raise|raises|raised|cut|cuts|increase[sd]?|reduce[sd]?|"
    r"extend(?:s|ed)?|bring(?:s|ing)?|brought|rose|rise[sn]?|fell|fall(?:s|en)?|grew|grow(?:s|n)?|"
    r"drop(?:s|ped)?|climb(?:s|ed)?|went)\b[^.;]{0,60}?\bfrom\s+([$€£]?\s?[\d.,]+)\s*"
    r"(?:[\w%]+\s+){0,2}?to\s+[$€£]?\s?\d",
    re.IGNORECASE,
)


# "How many of the people on the trolleybus …": a count within a group the sentence must name
_GROUP = re.compile(
    r"\bhow many of (?:the|its|their)\s+(?:[\w'’-]+\s+){0,3}?(?:on|in|at|aboard|inside)\s+"
    r"(?:the|a|an|its|their)\s+([\w-]+)",
    re.IGNORECASE,
)


_SUBSET_ASKED = re.compile(r"\b(?:of|among) (?:them|those|these|whom)\b", re.IGNORECASE)


def _of_them(raw: list[str], position: int) -> bool:
    """'419 of them': a count within a count the sentence gave before."""
    following = " ".join(raw[position + 1 : position + 3]).lower()
    return bool(re.match(r"of (?:them|those|these|whom)\b", following))


def _next_word(words: list[str], position: int) -> str:
    """The word at `position`, past a verb of being ('three of them were children')."""
    rest = [w for w in words[position : position + 2] if w not in ("were", "are", "was")]
    return rest[0] if rest else ""


_YOUNG = frozenset(
    stem(w) for w in "child children boy girl baby teenager son daughter minor".split()
)
_GROWN = frozenset(
    stem(w)
    for w in "man men woman women pensioner mother father grandmother grandfather widow "
    "veteran".split()
)
_AGED = re.compile(rf"\b({PERSON_AGED})\s+(?:of|aged)\s+$", re.IGNORECASE)


def _age_of_another(part: Part, sentence: str, found: tuple[int, str]) -> bool:
    """'How old were the children killed': 'a woman of 68' gives a woman's age, not theirs."""
    asked = {stem(w) for w in re.findall(r"[a-z]+", part.text.lower())} & (_YOUNG | _GROWN)
    if not asked:
        return False
    words = _undated(sentence).split()
    before = " ".join(words[max(found[0] - 2, 0) : found[0]]) + " "
    m = _AGED.search(before)
    if not m:
        return False
    whose = stem(m.group(1).lower())
    return not any(whose in kind and asked & kind for kind in (_YOUNG, _GROWN))


def number_near(part: Part, sentence: str) -> str | None:
    """The count the part asks for: a number near the counted noun or a focus word, and of
    the kind asked for when the question says (a cost, an age, an output)."""
    every = numbers(sentence)
    found = every or nth_of_the_dead(part, sentence)
    if part.measure:
        found = [f for f in found if of_kind(part.measure, sentence, f)]
    if part.measure == "age":
        found = [f for f in found if not _age_of_another(part, sentence, f)]
    else:
        # 'the youngest was a girl of 18 months': her age, not a toll
        found = [f for f in found if not of_kind("age", sentence, f)]
    # "The number of people killed … has risen to eight" does not count the injured asked for
    if subject_counts_other(part, sentence):
        plain = _undated(sentence).split()
        found = [f for f in found if not risen_to(plain, f[0])]
    # "Six children were among the dead": a part of the toll, which counts children only
    found = [f for f in found if not among_another(part, sentence, f)]
    if not WAR_WIDE_ASKED.search(part.text):
        # "more than 8,000 civilian deaths since the start of the invasion" is the war's
        # toll, not the strike's
        found = [f for f in found if not war_wide(sentence, f)]
    if part.measure == "distance" and LENGTH_ASKED.search(part.text):
        # "how long is the bridge": 'a resort some 45 kilometres south-west of Odesa' says
        # where a place lies, not how long anything is
        found = [f for f in found if not lies_from(sentence, f)]
    # "lowers the cap from $60 to $47.60": the cap is now $47.60; $60 was before
    changed = _CHANGE.search(_undated(sentence))
    if changed and len(found) > 1:
        old = re.sub(r"[^\d.]", "", changed.group(1))
        found = [f for f in found if re.sub(r"[^\d.]", "", f[1]) != old] or found
    # "the stronger of the two blasts": a number the question gives is not its answer
    found = [
        f for f in found if not re.search(rf"(?<![\w.,]){re.escape(f[1])}(?![\w,])", part.text)
    ]
    if not found:
        return None
    words = [stem(w) for w in re.findall(r"[\w'’$€£%-]+", _undated(sentence))]
    group = _GROUP.search(part.text)
    if group and stem(group.group(1).lower()) not in words:
        return None  # "how many of the people on the trolleybus": the toll of the whole strike
    # "How many soldiers were taken prisoner": the count sits by the soldiers (or troops,
    # prisoners …), not by any other word of the question ('Russian losses of 30,000').
    anchors = count_anchors(part)
    if set(part.focus) & _CASUALTIES and not _CASUALTIES & unnegated(sentence):
        # "how many were killed": 2,439 who surrendered were not, nor the 15 people inside
        # of whom "none had been killed"
        return None
    if set(part.focus) & _CAPTIVE and not _CAPTIVE & set(words):
        return None  # "how many were taken prisoner": 3,000 defending the town were not
    if _things_lost(part) and not _DESTROYED & set(words):
        return None  # "how many stalls burned down": 'a dozen stalls were selling' did not
    raw_words = [stem(w.strip(".,;:()\"'’").lower()) for w in _undated(sentence).split()]
    if part.counted:
        # "28 were killed, three of them children": the children are the three, not the 28
        # "20 killed, nine of them children" gives how many people: the children are a kind
        kin = {part.counted} if part.counted in _ANYONE else counted_kin(part.counted)
        singled = [
            f
            for f in found
            if raw_words[f[0] + 1 : f[0] + 3] == ["of", "them"]
            and _next_word(raw_words, f[0] + 3) in kin  # not '419 of them with wounds'
        ]
        found = singled or found
    found = [
        f
        for f in found
        if not _captives_of_another_count(part, raw_words, f[0])
        and not _other_casualty(part, raw_words, f[0])
        and not _deployed_by_another(part, sentence, f[0])
        and not _massed_not_moved(part, raw_words, f[0])
    ]
    if not found:
        return None
    if not set(part.focus) & (_CASUALTIES | _TOLL_WORDS):
        # "how many people lived there": '20,000 civilians had been killed' counts the dead
        found = [f for f in found if not _counts_dead(sentence, f[0], anchors)]
        if not found:
            return None
    if part.counted and _counted_absent(part, set(words), _whole_count_stems(sentence)):
        # "How many soldiers were killed": two civilians killed, or thousands of troops for
        # boats, count something else; the thing counted must be there, not only the verb.
        return None
    targets = [i for i, w in enumerate(words) if w in anchors]
    # "after a cadet of 20 died": one person and their age, not where a count of cadets is
    aged = {f[0] for f in every if of_kind("age", sentence, f)}
    targets = [i for i in targets if not (i + 2 in aged and words[i + 1 : i + 2] == ["of"])]
    if part.measure:
        # "how wide": 'some 20 metres wide' gives the width, whatever else the sentence names
        how = re.search(r"\bhow\s+([a-z]+)", part.text, re.IGNORECASE)
        adjective = stem(how.group(1).lower()) if how else ""
        targets += [i for i, w in enumerate(words) if w == adjective and w not in ("many", "much")]
    if not targets:
        return found[0][1] if len(found) == 1 and not part.counted else None
    asked_units = {u for u in _UNITS if re.search(rf"\b{u}", part.text, re.IGNORECASE)}
    counts_things = bool(part.counted) and any(part.counted in kin for kin in _COUNTED_KIN)
    if counts_things or re.search(r"\bhow many\b", part.text, re.IGNORECASE):
        # "how many soldiers", "how large was the crowd": not "1,000 square kilometres", not
        # "40 per cent", not "two months after"
        found = [f for f in found if not (_unit_after(sentence, f) - asked_units)]
        # "men aged 18 to 60" gives ages, not how many men
        found = [
            f for f in found if not of_kind("age", sentence, f) and not _after_age(sentence, f)
        ]
        if not found:
            return None
    if _TOLL_WORDS & set(part.focus) and not part.measure and not part.counted:
        # a toll is not 'died in hospital four days later', nor 'six residential buildings'
        found = [
            f
            for f in found
            if not _unit_after(sentence, f) & TIME_UNITS and not things_counted(sentence, f[0])
        ]
        if not found:
            return None
    if part.measure != "distance" and not re.search(
        r"\b(?:far|distance|range|kilomet|km|mile|metre|meter|long|wide|deep|high|extensive)",
        part.text,
        re.I,
    ):
        # "the annual processing capacity": '800 kilometres from the border' is a distance
        found = [f for f in found if not of_kind("distance", sentence, f)]
        if not found:
            return None
    if not part.counted and not re.search(r"\bhow many\b", part.text, re.IGNORECASE):
        # "the capacity of the Ryazan refinery": 'nine refineries' counts refineries
        raw = _undated(sentence).split()
        found = [
            f
            for f in found
            if not (
                f[0] + 1 < len(raw)
                and raw[f[0] + 1].strip(".,;:").endswith("s")
                and stem(raw[f[0] + 1].strip(".,;:").lower()) in set(part.focus) - SLOT_WORDS
            )
        ]
        if not found:
            return None
    if part.counted:
        found = [
            f
            for f in found
            if not _counts_another(sentence, f[0], _noun_anchors(part, anchors))
            and not _one_of_another(words, f, anchors)
        ]
        if not found:
            return None
    if len(found) > 1 and not _SUBSET_ASKED.search(part.text):
        # "458 bodies were found, 419 of them with wounds": the whole, not the part of it
        raw = _undated(sentence).split()
        whole = [f for f in found if not _of_them(raw, f[0])]
        found = whole or found
    # the question's own words first: "a pre-war population of some 64,000", not "7,000
    # residents remain" beside it, when both stand near
    own = [i for i, w in enumerate(words) if w in set(part.focus) - SLOT_WORDS] or targets
    best = min(
        found,
        key=lambda f: (min(abs(f[0] - t) for t in own) > 3, min(abs(f[0] - t) for t in targets)),
    )
    distance = min(abs(best[0] - t) for t in targets)
    if distance > NUMBER_WINDOW and (risen := number_risen_to(part, sentence, found)):
        return risen  # "The number of people killed by the missile … has risen to 20"
    # An amount of the very kind asked for (a cost, a distance) may sit further from the words.
    return best[1] if distance <= NUMBER_WINDOW * (2 if part.measure else 1) else None


def gives_toll(part: Part, sentence: str) -> bool:
    """'What is Russia's latest account of the casualties': the sentence that counts them ('one
    serviceman had been killed and 27 were missing'), not one saying the account changed."""
    if part.slot is not Slot.OTHER or not _TOLL_WORDS & set(part.focus):
        return False
    return bool(number_near(replace(part, slot=Slot.NUMBER), sentence))
