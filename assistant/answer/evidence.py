"""Does a sentence answer a part of the question? The one check both answerers go through.

A sentence supports a part only if it carries the slot the part asks for (a real number for
"how many", a date for "when", a name the question doesn't already give for "who") and meets
the part's constraints (its names, years, dates, numbers, ordinals and roles are in the
sentence, its passage or its document's title; a year can also be fixed by the publication
date). The same module reads the value a sentence gives, so that two sources giving different
values for the same thing can be told apart from two sources agreeing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from assistant.answer.asked import (
    acted_on,
    asks_kind_of,
    named_instance,
    named_thing,
    narrower_kind,
    specific_kind,
    typed_otherwise,
    unnamed_head,
)
from assistant.answer.counts import number_near
from assistant.answer.date_slot import date_answer
from assistant.answer.dates import MONTH_NUMBER, MONTH_RE, MONTHS, weekday_days, years_in
from assistant.answer.intent import ORG_NOUNS, THING_NOUNS
from assistant.answer.lengths import length_of_another
from assistant.answer.lexicon import NOT_NAMES, ROLE_KIN, ROLE_KINDS, TITLES
from assistant.answer.names import (
    ALIASES,
    capitalised,
    entity,
    first_name,
    has_name,
    is_demonym,
    is_party,
    name_conflict,
    named_beside,
    people,
    people_named,
    spelled_out,
    where_named,
    without_landmarks,
)
from assistant.answer.question import Part, Slot
from assistant.answer.sides import (
    modifier_clash,
    owner_clash,
    parties,
    party_of,
    place_clash,
    side_leaders,
)
from assistant.answer.speakers import (
    PERSONAL_ACT,
    asked_speaker,
    said_by,
    said_by_before,
    speaker_only,
)
from assistant.answer.unsaid import asks_the_most, ranks, says_no_figure, says_unknown
from assistant.answer.values import PLACE_NOUNS, common_place, counted_kin, duration
from assistant.answer.when import event_dates
from assistant.models import DocMeta
from assistant.text import stem, stem_set, stem_set_split, terms


@dataclass(frozen=True)
class Check:
    ok: bool
    reason: str = ""
    value: str | None = None  # the slot's value in the sentence, for comparing sources


def _kin(noun: str) -> set[str]:
    """Stems of the words articles use for the same kind of thing ('fighters' for soldiers)."""
    return counted_kin(stem(noun.lower()))


# How articles give a cause or a motive: "because", "after", "to avoid", "blamed", "in
# response to"; a sentence that only reports the event ('killed in a car crash') gives none.
_REASON_CUE = re.compile(
    r"\b(?:because|due to|owing to|caused?|causing|blamed?|blaming|attribut\w+|as a result|"
    r"result(?:ed)? (?:of|from)|reasons?|why|so that|in order to|to (?:avoid|prevent|stop|"
    r"protect|save|force|pressure|punish|deter|secure|keep|free|ensure|block)|for fear|amid|"
    r"after|following|in (?:response|retaliation|return)|response to|retaliat\w+|"
    r"said (?:it|he|she|they) (?:was|were|had)|accus\w+|explain\w*|justif\w+|motiv\w+|"
    r"aim(?:ed)? (?:at|to)|intended|meant to|sought to|designed to|would (?:allow|let|help)|"
    r"could not|impossible|no longer|unable|"
    # "under sanctions since 2019 for supplying jet fuel": for what someone did
    r"for (?!(?:no|any|some|every)thing|morning|evening|building|housing|spring|during)\w+ing)\b",
    re.IGNORECASE,
)


# Questions a country answers: "which foreign government", "which side", "which ally".
_A_PARTY = re.compile(r"\b(?:government|governments|side|sides|state|states|all(?:y|ies))\b")
_ASKS_WHAT_CALLED = re.compile(r"\b(?:call|calls|called|nickname\w*|name|named|known as|dubbed)\b")


def slot_check(
    part: Part, sentence: str, meta: DocMeta, asked: set[str], passage: str = ""
) -> Check:
    """The sentence carries what the part asks for (a number, a date, a name not given)."""
    low = part.text.lower()

    def given(word: str) -> bool:
        """A name the question itself gives, in any of its forms ('Ukraine's', 'Kyiv')."""
        return stem(word) in asked or has_name(word, low, asked)

    slot = part.slot
    if slot is Slot.NUMBER:
        value = number_near(part, sentence)
        return Check(bool(value), "" if value else "no number for what was asked", value)
    if slot is Slot.DURATION:
        value = duration(sentence, set(part.focus))
        wrong = value and length_of_another(value, sentence, part)
        if wrong:
            return Check(False, wrong)
        if not value and _LASTING.search(part.text):
            # "How long had Marinka been on the front line?" - 'since 2014' says how long
            since = _SINCE.search(sentence)
            value = since.group(0) if since else None
        return Check(bool(value), "" if value else "no length of time", value)
    if slot is Slot.DATE:
        ok, why, value = date_answer(part, sentence, meta.published)
        return Check(ok, why, value)
    if slot is Slot.PERSON:
        new = [p for p in people(sentence) if not all(given(w) for w in p.split())]
        if PERSONAL_ACT.search(low):
            # "Who gave the order …": a spokesman who said the troops moved is the source
            new = [p for p in new if not speaker_only(p, sentence)]
        kind = people_named(part.text)
        if kind:  # "the names of the two soldiers": a name beside a word for them
            new = [p for p in new if named_beside(p, kind, sentence)]
        if (leaders := side_leaders(part.text, sentence, new)) is not None:
            new = leaders  # "who headed the Russian side": the one after that side's name
        return Check(bool(new), "" if new else "names nobody new", new[0] if new else None)
    if slot is Slot.PLACE:
        # "in Paris", "at Ciragan Palace", "to Jeddah": a place is where something happens.
        new = [
            m.group(2)
            for m in re.finditer(
                r"\b(?:in|at|near|to|from|outside|inside|into|towards?|opposite|beside|"
                r"(?:outskirts|edge|centre|center|heart|front|north|south|east|west|"
                r"north-east|north-west|south-east|south-west)\s+of)\s+(the\s+)?"
                r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*)",
                sentence,
            )
            if not given(m.group(2).split()[0])
            and m.group(2).split()[0] not in NOT_NAMES | TITLES
            and not (is_demonym(m.group(2)) and not m.group(1))  # "in Ukrainian": a language
        ]
        # "Sudzha, a small town close to the border", "the town of Sudzha"
        new += [
            w
            for w in re.findall(
                rf"\b([A-Z][\w'’-]+),\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}{PLACE_NOUNS}\b"
                rf"|\b{PLACE_NOUNS}\s+of\s+([A-Z][\w'’-]+)",
                sentence,
            )
            for w in w
            if w and not given(w) and w not in NOT_NAMES
        ]
        new = new or [
            named_instance(part, sentence, asked)
            or common_place(sentence, asked)
            or acted_on(part, sentence, asked)
            or ""
        ]
        new = [w for w in new if w and not typed_otherwise(part, sentence, w)]
        return Check(bool(new), "" if new else "no place named", new[0] if new else None)
    if slot is Slot.ORG:
        # A name mostly made of the question's own words ("the United States–Ukraine
        # Reconstruction Investment Fund" for "the US–Ukraine … Fund") is the one asked about.
        old = {
            w
            for run in re.findall(r"[A-Z][\w'’]*(?:[\s–-]+[A-Z][\w'’]*)+", sentence)
            if any(
                re.search(rf"(?<!\w){re.escape(a)}(?!\w)", low)
                for a in ALIASES.get(run.lower(), ())
            )
            or sum(given(w) for w in re.split(r"[\s–-]+", run)) * 2 > len(re.split(r"[\s–-]+", run))
            for w in re.split(r"[\s–-]+", run)
        }
        new = [w for w in capitalised(sentence) if not given(w) and w not in old and not _origin(w)]
        if not re.search(
            r"\b(?:government|governments|side|sides|state|states|all(?:y|ies))\b", low
        ):
            new = [w for w in new if not is_party(entity(w))]  # "Kyiv's" names no company
        # 'which Ukrainian soldiers call "mopeds"': a name in quotes, capitalised or not
        new += [
            q
            for q in re.findall(r"[\"“]([\w' -]{2,30})[\"”]", sentence)
            if q.lower() not in low and len(q.split()) <= 3 and _ASKS_WHAT_CALLED.search(low)
        ]
        instance = named_instance(part, sentence, asked)
        kind = specific_kind(part)
        if kind and re.fullmatch(ORG_NOUNS, kind):
            new = []  # 'which brigade': a brigade by its name, not any name in the sentence
        if kind and re.fullmatch(THING_NOUNS, kind):
            # 'which vessel': the cruiser Moskva, not any name in the sentence
            new = [named_thing(part, sentence, asked, passage) or ""]
            if asks_kind_of(part) and not new[0]:
                new = [narrower_kind(part, sentence) or ""]  # 'a submarine'
        new = [w for w in [instance or "", *new] if w]
        return Check(bool(new), "" if new else f"no {slot.value} named", new[0] if new else None)
    if slot is Slot.REASON and not _REASON_CUE.search(sentence):
        return Check(False, "gives no reason")
    if slot is Slot.LIST:
        named = {w for w in capitalised(sentence) if not given(w)}
        items = len(named) >= 2 or len(re.findall(r",|\band\b|;", sentence)) >= 2
        return Check(items, "" if items else "lists nothing")
    if slot is Slot.OTHER and (head := unnamed_head(part, sentence)):
        return Check(False, f"names no {head}")
    return Check(True)


# A state that lasts ("how long has it been held", "how long had he led"): its start answers.
_LASTING = re.compile(r"^\s*(?:for )?how long (?:has|had|have)\b", re.IGNORECASE)
_SINCE = re.compile(rf"\bsince (?:(?:\d{{1,2}} )?{MONTH_RE} )?(?:19|20)\d\d\b", re.IGNORECASE)


def _origin(word: str) -> bool:
    """'American-made', 'Russian-installed': where a thing comes from, not a body's name."""
    first, _, rest = word.partition("-")
    return bool(rest) and rest.islower() and (is_demonym(first) or is_party(entity(first)))


def _names_the_kind(part: Part, sentence: str, clash: str) -> bool:
    """The clashing word names a thing of the kind asked for, and the sentence names no other
    side than the question's ('the Khortytsia operational-strategic group')."""
    instance = named_instance(part, sentence, {stem(t) for t in terms(part.text)})
    if not instance or clash not in instance.split():
        return False
    before = " ".join(sentence[: sentence.find(clash)].split()[-10:])  # "Russia's … its Vostok"
    return parties(before) <= {party_of(w) for w in re.findall(r"[A-Z][\w'’-]+", part.text)}


def meets(part: Part, sentence: str, passage_text: str, meta: DocMeta, document: str = "") -> Check:
    """The part's constraints hold in the sentence, its passage or its title; for a value, a
    name may also be in the other retrieved passages of its article (`document`)."""
    c = part.constraints
    s_low = sentence.lower()
    around = f"{meta.title}\n{passage_text}"
    a_low = around.lower()
    s_stems = stem_set(sentence)
    a_stems = stem_set_split(around) | s_stems
    clash = modifier_clash(part.text, sentence, _kin) or owner_clash(part, sentence)
    if clash and _names_the_kind(part, sentence, clash):
        clash = None  # "which Ukrainian group": 'the Khortytsia group' is its name, not a side
    if clash:
        return Check(False, f"about the {clash} side")
    t_low = meta.title.lower()
    t_stems = stem_set(meta.title)
    speaker = asked_speaker(part)
    # A figure or a day in an article about the place ("the breach has flooded around 80
    # settlements"); a person, a body, and who acts are named beside what the question names.
    # So is what happened on a day the question names ('what did people in Chernihiv do on
    # 24 August'): the day, checked below, says which event.
    in_article = document and (
        part.slot in (Slot.NUMBER, Slot.DURATION, Slot.DATE, Slot.YESNO) or bool(c.dates)
    )
    # 'Hroza, a village some 30 kilometres west of Kupiansk, was occupied …' is not about
    # Kupiansk: a place named only to say where another is (unless distance is asked).
    bare = without_landmarks(part.text, sentence)
    b_low, b_stems = bare.lower(), stem_set(bare)
    if other := place_clash(part, sentence):
        return Check(False, f"about {other}, not where asked")
    for name in c.names:
        if (
            name == speaker
            and not said_by(name, sentence)
            and not said_by_before(name, sentence, passage_text)
        ):
            # "What did Moscow say made it sink?": a sentence that says what Moscow said
            return Check(False, f"not what '{name}' said")
        if has_name(name, s_low, s_stems) and not has_name(name, b_low, b_stems):
            return Check(False, f"'{name}' only as a landmark")
        if not (
            has_name(name, s_low, s_stems)
            or has_name(name, a_low, a_stems)
            or spelled_out(name, f"{sentence}\n{around}")  # the International Criminal Court
            or (
                in_article
                and where_named(name, part.text)
                and has_name(name, document.lower(), stem_set_split(document))
            )
        ):
            return Check(False, f"'{name}' is not mentioned")
        party = name.split()[0]  # "Ukraine GDP" (from "Ukraine's GDP"): Ukraine's
        if (
            part.slot in (Slot.NUMBER, Slot.DURATION, Slot.DATE)
            and re.search(rf"\b{re.escape(party)}['’]s\b", part.text)
            and not has_name(party, s_low, s_stems)
            and _title_about_another(party, t_low, t_stems)
        ):
            # "Ukraine's growth rate" from an article titled "Russia's war economy" that
            # names Ukraine in passing: the figure in the sentence is Russia's.
            return Check(False, f"'{name}' only in passing")
        if name_conflict(name, sentence):
            return Check(False, f"about another person than '{name}'")
    for role in c.roles:
        same = (
            set().union(*(k for k in ROLE_KIN if role in k)) | {role} | ROLE_KINDS.get(role, set())
        )
        same = {stem(r) for r in same}
        if same & a_stems:
            if part.slot is Slot.PERSON and not same & s_stems and _OFFICES & s_stems - same:
                # "who was its pilot": the air force commander the sentence names holds
                # another post, though the passage speaks of pilots
                return Check(False, f"names someone other than the '{role}'")
            continue
        if part.slot is not Slot.PERSON and _someone_else(part, sentence):
            continue  # "Kherson's governor imposed …": the person the sentence names may hold it
        return Check(False, f"no '{role}' mentioned")
    for n in c.numbers:
        if not re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d])", around + " " + sentence):
            return Check(False, f"'{n}' is not mentioned")
        if _ordinal_elsewhere(n, part.text, sentence, passage_text, meta.title):
            return Check(False, f"'{n}' is only beside another in its passage")
    for o in c.ordinals:
        if o not in a_low and o not in s_low:
            return Check(False, f"'{o}' is not mentioned")
    if c.years and not _reported_by(part, meta):
        own = years_in(sentence)
        if own:
            if not own & set(c.years) and not _spans(own, c.years, sentence):
                return Check(
                    False,
                    f"about {', '.join(map(str, sorted(own)))}, not {', '.join(map(str, c.years))}",
                )
        else:
            near = years_in(passage_text) | years_in(meta.title)
            pub = {meta.published.year} if meta.published else set()
            if meta.published and any(
                MONTH_NUMBER[m.lower()] > meta.published.month
                for m in re.findall(MONTH_RE, sentence, re.IGNORECASE)
            ):
                pub.add(meta.published.year - 1)  # "In November" in a February report
            if not (near | pub) & set(c.years) and (near or pub):
                return Check(False, f"not dated {', '.join(map(str, c.years))}")
    for d in c.dates:
        own = event_dates(_CAUSE_CLAUSE.sub("", sentence), meta.published)
        if own and d not in own:
            # "On 16 May 2025, the delegations met …" is about 16 May, whatever other day its
            # passage names
            return Check(False, f"not dated {d.day} {MONTHS[d.month - 1].capitalize()}")
        mentioned = event_dates(around + " " + sentence, meta.published)
        # "told Putin on Thursday" in a report of Monday 24 November: the 20th
        mentioned += [day for _, day in weekday_days(sentence, meta.published)]
        named = any(not is_party(entity(n)) for n in c.names)  # Okhmatdyt, not Russia
        later = meta.published and meta.published > d and named and not mentioned
        if (
            d not in mentioned
            and not later
            and not (meta.published and timedelta(0) <= meta.published - d <= timedelta(days=3))
        ):
            # ("the attack of 8 July that hit Okhmatdyt", recounted in November with no date:
            # the names say which event; a passage with other days is about another)
            return Check(False, f"not dated {d.day} {MONTHS[d.month - 1].capitalize()}")
    return Check(True)


# "… tested in response to Ukraine's strikes on 19 and 20 November": the days of what
# provoked the event, not of the event
_CAUSE_CLAUSE = re.compile(r"\b(?:in response to|in retaliation for|in reply to)\b[^.;]*", re.I)


def _reported_by(part: Part, meta: DocMeta) -> bool:
    """'How many had Russia fired by early 2023?': a report of that year gives the tally then
    ('since February 2022'), whatever year its sentence names."""
    pub = meta.published
    return bool(pub) and any(
        y == pub.year and re.search(rf"\b(?:by|as of)\s+(?:[\w-]+\s+){{0,3}}{y}\b", part.text)
        for y in part.constraints.years
    )


_OFFICES = frozenset(stem(w) for w in set().union(*ROLE_KIN, *ROLE_KINDS.values(), TITLES)) - {
    stem(w) for w in "state national security senior deputy special federal vice crown".split()
}


def _someone_else(part: Part, sentence: str) -> bool:
    """The sentence names someone the question does not: 'Yanushevych has imposed …'."""
    given = {stem(t) for n in part.constraints.names for t in terms(n)}
    first = first_name(sentence)
    return bool(people(sentence)) or any(
        stem(w) not in given and w not in ALIASES and w.lower() not in ALIASES
        for w in capitalised(sentence) + ([first] if first else [])
    )


def _spans(own: set[int], wanted: tuple[int, ...], sentence: str) -> bool:
    """'between 2014 and 2022', 'from 2014 to 2024', '2014-2022' cover the years between."""
    if len(own) < 2 or not re.search(r"\b(between|from|since|to|until|through)\b|–|-", sentence):
        return False
    return any(min(own) <= y <= max(own) for y in wanted)


def _ordinal_elsewhere(n: str, question: str, sentence: str, passage: str, title: str) -> bool:
    """'The 17th package': a sentence saying only 'the package', in a passage that also speaks
    of the 18th, may be about either; the 17th must be in the sentence or the title."""
    ordinal = rf"(?<![\d.,]){re.escape(n)}(?:st|nd|rd|th)\b"
    if not re.search(ordinal, question) or re.search(ordinal, sentence + " " + title):
        return False
    others = set(re.findall(r"(?<![\d.,])(\d+)(?:st|nd|rd|th)\b", passage)) - {n}
    return bool(others)


@lru_cache(maxsize=4_096)
def _title_about_another(name: str, title_low: str, title_stems: frozenset[str]) -> bool:
    """The title is about another country or body, and does not name this one: it owns the
    title's subject ("Russia's war economy") or leads it ("Russian economy: …"). Kept per title:
    it tries every known body, for each sentence of the article."""
    if name.lower() not in ALIASES or has_name(name, title_low, title_stems):
        return False
    head = title_low.split()[0] if title_low.split() else ""
    head_stems = {stem(t) for t in terms(head)}
    return any(
        other != name.lower()
        and name.lower() not in ALIASES.get(other, ())
        and other not in ALIASES.get(name.lower(), ())
        and (
            re.search(rf"(?<!\w){re.escape(other)}['’]s\b", title_low)
            or has_name(other, head.strip(":,"), head_stems)
        )
        for other in ALIASES
    )


def supports(
    part: Part, sentence: str, passage_text: str, meta: DocMeta, document: str = ""
) -> Check:
    """Slot carried and constraints met: the sentence can stand as the answer to this part."""
    asked = {stem(t) for t in terms(part.text)}
    held = meets(part, sentence, passage_text, meta, document)
    if not held.ok:
        return held
    check = slot_check(part, sentence, meta, asked, passage_text)
    if check.ok and check.value is None and says_unknown(sentence):
        return Check(False, "says it is not known")
    if (
        check.ok
        and part.slot is Slot.NUMBER
        and not re.search(r"\d", check.value or "")
        and (says_no_figure(sentence) or says_unknown(sentence))
    ):
        # 'losses run into the thousands, but it has not given a figure': no count
        return Check(False, "says no figure was given")
    if check.ok and asks_the_most(part.text) and not ranks(sentence):
        return Check(False, "does not say which is the most")  # 'have given funds' is no ranking
    return check
