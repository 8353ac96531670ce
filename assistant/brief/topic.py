"""The words of a brief's topic and how much a sentence or a title names it.

A topic joining two things ("Siege of Mariupol and the Azovstal surrender", "Russian
withdrawal from Kherson and the city's liberation") is named by a sentence naming either
part, each part by most of its own words, its most particular one among them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from assistant.answer.dates import MONTHS
from assistant.answer.wording import equivalents, forms_of
from assistant.index import Index
from assistant.text import stem, terms

NAMES_TOPIC = 0.67  # weighted share of a part's words a sentence names to be about it
NAME_WEIGHT = 2.0
DF_CAP = 2000  # passages counted per topic word; commoner words are all common
_DATE_WORDS = (
    {stem(m) for m in MONTHS}
    | {stem(m[:3]) for m in MONTHS}
    | {stem(s) for s in ("spring", "summer", "autumn", "fall", "winter")}
)
# The war's two sides are named in nearly every article: no name particular to a topic.
_PARTIES = {stem(w) for w in ("ukraine", "ukrainian", "ukraine's", "russia", "russian", "russia's")}
_JOIN = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_YEARS = re.compile(r"(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?")
# "…in the Donetsk region", "…in Crimea": the place locates the topic, as its date dates it.
_LOCATED = re.compile(
    r"\bin\s+(?:the\s+)?((?:[A-Z][\w'’-]*\s+)*[A-Z][\w'’-]*)"
    r"(\s+(?:region|oblast|province|district))?"
)


def _topic_terms(topic: str) -> dict[str, frozenset[str]]:
    """The topic's words with their equivalents; its dates ('the September 2022
    mobilisation', 'in autumn 2022') say when, not what, and are left to the timeline."""
    terms_ = equivalents(topic, synonyms=False)  # synonyms pull in lines about other things
    # ('the strike on Vinnytsia' is named by 'missiles struck the centre of Vinnytsia')
    terms_ = {t: same | forms_of(t) for t, same in terms_.items()}
    kept = {
        t: same for t, same in terms_.items() if t not in _DATE_WORDS and not _YEARS.fullmatch(t)
    }
    # In the topic's own word order: ties between equally rare words then go to the first
    # ('Zaporizhzhia nuclear plant'), the same in every process.
    order = [stem(t) for t in terms(topic)]
    chosen = kept or terms_
    return {t: chosen[t] for t in sorted(chosen, key=lambda t: (_index(order, t), t))}


def _index(items: list[str], item: str) -> int:
    return items.index(item) if item in items else len(items)


def _particular(
    topic: str, topic_terms: dict[str, frozenset[str]], weights: dict[str, float]
) -> str:
    """The topic's most particular word: its rarest in the whole index, a name counting
    twice as rare as a common word ('Bakhmut' in 'Battle of Bakhmut', 'Kherson' in 'Russian
    withdrawal from Kherson'), Ukraine and Russia not ('transit' in 'gas transit through
    Ukraine')."""
    names = _names(topic)
    return max(
        topic_terms, key=lambda t: weights.get(t, 0.0) * (NAME_WEIGHT if t in names else 1.0)
    )


def _names(text: str) -> set[str]:
    """The stems of the capitalised words, as `terms` spells them ('Bürgenstock'), Ukraine
    and Russia left out. The first word only when it heads a label ("Bucha: the Russian
    retreat…"): else it is capitalised as a first word is ("Siege of Mariupol")."""
    words = re.findall(r"[\w'’-]+", text)
    label = re.match(r"\s*[\w'’-]+\s*:", text) is not None
    return {
        stem(t)
        for i, w in enumerate(words)
        if w[:1].isupper() and (i > 0 or w.isupper() or len(words) == 1 or label)
        for t in terms(w)
    } - _PARTIES


def _lesser(piece: str, counts: dict[str, int]) -> set[str]:
    """The earlier words of a run of capitalised words that the articles write less often
    than its last: 'Valerii' of 'General Valerii Zaluzhnyi', written once where 'Zaluzhnyi'
    is written throughout, and so the rarer word that would have been the particular."""
    out: set[str] = set()
    for m in re.finditer(r"(?:[A-Z][\w'’-]*\s+)+[A-Z][\w'’-]*", piece):
        run = [stem(t) for t in terms(m.group(0))]
        if len(run) > 1:
            out |= {t for t in run[:-1] if counts.get(t, 0) < counts.get(run[-1], 0)}
    return out


def _located(piece: str, own: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The piece's words without the place that locates it ("Lyman in the Donetsk region",
    "the Saky air base in Crimea"): articles on it name Lyman and Saky, the wider place only
    now and then, and in a small index that place can be the rarer word. Kept when the piece
    names nothing else ("the fighting in the Kursk region")."""
    place: set[str] = set()
    for m in _LOCATED.finditer(piece):
        place |= {stem(t) for t in terms(m.group(0)[2:])}
    kept = {t: same for t, same in own.items() if t not in place}
    return kept if _names(piece) & set(kept) else own


def _global_weights(
    index: Index, topic: str, topic_terms: dict[str, frozenset[str]]
) -> dict[str, float]:
    """Rarer topic words weigh more ('Kursk' more than 'situation'), rarity counted over the
    whole index, not over the articles found for the topic, which all repeat its name."""
    n = max(1, index.count())
    side = index.keyword()
    written = {stem(w): w for w in terms(topic)}  # the search stems words its own way
    out = {}
    for t in topic_terms:
        df = len(index.keyword_search(written.get(t, t), DF_CAP, side=side))
        out[t] = math.log(1 + (n + 1) / (df + 0.5))
    return out


@dataclass
class _Part:
    terms: dict[str, frozenset[str]]
    weights: dict[str, float]
    particular: str
    piece: str = ""

    def share(self, stems: set[str]) -> float:
        total = sum(self.weights.values()) or 1.0
        hit = (w for t, w in self.weights.items() if not self.terms[t].isdisjoint(stems))
        return sum(hit) / total

    def named_by(self, stems: set[str]) -> bool:
        """Most of the part's words, its most particular one among them: 'drone strikes on
        a grain port' does not name 'drone strikes on refineries'."""
        if self.terms[self.particular].isdisjoint(stems):
            return False
        return self.share(stems) >= NAMES_TOPIC


@dataclass
class TopicWords:
    """The topic's words (`terms`), their weights, and its parts."""

    terms: dict[str, frozenset[str]]
    weights: dict[str, float]
    parts: list[_Part]

    @property
    def particulars(self) -> list[str]:
        return [p.particular for p in self.parts]

    def named(self, stems: set[str]) -> float:
        """The weighted share of the topic a sentence names: of its best-named part."""
        return max((p.share(stems) for p in self.parts), default=0.0)

    def names(self, stems: set[str]) -> bool:
        return any(p.named_by(stems) for p in self.parts)

    def particular_share(self, passages: list[Any]) -> float:
        """The share of an article's passages naming the particular word of a part of the
        topic (the part its passages name most)."""
        stems = [_stems(p.text) for p in passages]
        return max(
            (
                sum(1 for s in stems if not part.terms[part.particular].isdisjoint(s))
                / max(1, len(stems))
                for part in self.parts
            ),
            default=0.0,
        )

    def written(self, counts: dict[str, int]) -> TopicWords:
        """As the found articles write the topic (`counts`: passages per stem). Without the
        common words they never write: 'recapture of Lyman' where they write 'liberation'.
        No sentence can name such a word, and in a small index its rarity made it the
        part's particular. Only where the articles write one of the part's names: else
        nothing tells that they are about it ('minerals deal' over articles on the grain
        deal). Without a name's lesser word either (see `_lesser`)."""
        parts = []
        for p in self.parts:
            names = _names(p.piece)
            lesser = _lesser(p.piece, counts)
            own = {
                t: s
                for t, s in p.terms.items()
                if (t in names or any(counts.get(x, 0) for x in s)) and t not in lesser
            }
            if not any(t in names and any(counts.get(x, 0) for x in s) for t, s in own.items()):
                parts.append(p)  # no name of it written: the part stays as the topic says it
                continue
            w = {t: p.weights[t] for t in own}
            parts.append(_Part(own, w, _particular(p.piece, own, w), p.piece))
        return TopicWords(self.terms, self.weights, parts)

    def in_title(self, stems: set[str]) -> bool:
        """A title names the topic when it names what is most particular to a part of it."""
        return any(not p.terms[p.particular].isdisjoint(stems) for p in self.parts)


def _stems(text: str) -> set[str]:
    words = terms(text)
    return {stem(t) for t in words} | {
        stem(p) for t in words if "-" in t for p in t.split("-") if p
    }


def topic_words(topic: str, index: Index) -> TopicWords | None:
    all_terms = _topic_terms(topic)
    if not all_terms:
        return None
    weights = _global_weights(index, topic, all_terms)
    parts = []
    pieces = [p for p in _JOIN.split(topic) if p.strip()]
    for piece in pieces if len(pieces) > 1 else [topic]:
        own = _located(piece, {t: all_terms[t] for t in _topic_terms(piece) if t in all_terms})
        if not own:
            continue
        w = {t: weights[t] for t in own}
        parts.append(_Part(own, w, _particular(piece, own, w), piece))
    if not parts:
        parts = [_Part(all_terms, weights, _particular(topic, all_terms, weights), topic)]
    return TopicWords(all_terms, weights, parts)
