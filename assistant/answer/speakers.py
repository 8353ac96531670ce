"""Who is speaking in a sentence, and whose words a question asks for: the one who said a
thing is rarely the one who did it, and 'what did Moscow say' wants Moscow's own words."""

from __future__ import annotations

import re

from assistant.answer.names import has_name
from assistant.answer.question import Part
from assistant.text import sentence_spans, stem_set

_SAID = r"(?:said|says|told|added|wrote|announced|claimed|stated|insisted|warned)"
# What a person does, not what a side holds: the one who said it is rarely the one who did it.
PERSONAL_ACT = re.compile(
    r"\b(?:gave (?:the |an )?orders?|ordered|signed|decided|appointed|dismissed|fired|sacked|"
    r"led|headed|commanded|planned|negotiated|drafted|proposed)\b"
)


def speaker_only(person: str, sentence: str) -> bool:
    """The person is only who reports the news: 'Dmytro Lykhovyi, a spokesman for the Tavria
    group, said that …'."""
    name = re.escape(person)
    if len(re.findall(name, sentence)) != 1:
        return False
    return bool(
        re.search(rf"{name}(?:,[^,]{{1,80}},)?\s+(?:on \w+\s+)?{_SAID}\b", sentence)
        or re.search(rf"\b{_SAID}\s+(?:[\w-]+\s+){{0,6}}{name}\s*[,.]?\s*$", sentence)
    )


# "What did Moscow say …", "how has Kyiv explained …": the party whose words are asked for.
_SPEAKER = re.compile(
    r"\b(?i:what|how|why) (?i:did|does|do|has|have|had) ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?) "
    r"(?i:say|said|claim|claimed|report|reported|announce|tell|explain|give|call|blame)\b"
)


_SPEECH_BY = re.compile(
    r"\b(?:said|says|say|claimed|claims|stated|states|announced|reported|told|insisted|"
    r"denied|blamed|explained|called|maintained|argued)\b|\baccording to\b",
    re.IGNORECASE,
)


def said_by(name: str, sentence: str) -> bool:
    """The sentence gives the words of this party: 'Russia said that a fire …', 'according to
    the Kremlin', 'Moscow's defence ministry claimed' (a speech verb within a few words)."""
    for m in _SPEECH_BY.finditer(sentence):
        if m.group(0).lower() == "according to":
            window = sentence[m.end() : m.end() + 40]
        else:
            window = " ".join(sentence[: m.start()].split()[-6:])
        if has_name(name, window.lower(), stem_set(window)):
            return True
    return False


PRONOUN_SAID = re.compile(
    rf"^\W*(?:it|they|he|she|the (?:ministry|command|statement|spokesman|spokeswoman))\s+"
    rf"(?:also\s+|later\s+)?(?:{_SAID}|explained|claims|says)\b",
    re.IGNORECASE,
)


def said_by_before(name: str, sentence: str, passage_text: str) -> bool:
    """'Russia's defence ministry gave a different account. It said the garrison had been
    withdrawn …': 'it' is the party the sentence before begins with."""
    if not PRONOUN_SAID.match(sentence):
        return False
    at = passage_text.find(sentence[:60])
    if at <= 0:
        return False
    spans = sentence_spans(passage_text[:at].strip())
    if not spans:
        return False
    before = passage_text[spans[-1][0] : spans[-1][1]]
    head = " ".join(before.split()[:6])
    return said_by(name, before) or has_name(name, head.lower(), stem_set(head))


def asked_speaker(part: Part) -> str | None:
    """'What did Moscow say made it sink?' → 'Moscow'."""
    m = _SPEAKER.search(part.text)
    return m.group(1) if m else None
