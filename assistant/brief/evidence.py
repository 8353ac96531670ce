"""The sentences a brief may quote: the articles a topic search finds, read whole, and each
sentence scored for how much it is about the topic.

A brief needs every dated event of a topic, not the best few passages, so the articles behind
the top passages are read in full; a sentence counts when it names the topic, or stands in an
article that is about the topic and close to it in the model's reading."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from assistant.answer.candidates import ABOUT_ITSELF
from assistant.brief.topic import NAMES_TOPIC, TopicWords, _stems, _topic_terms, topic_words
from assistant.brief.when import When, event_parts, event_when
from assistant.index import Index
from assistant.models import Filters, Passage
from assistant.retrieve import Retriever
from assistant.text import sentence_spans

SEARCH_K = 24  # passages the topic search looks at to find the topic's articles
MAX_DOCS = 12  # articles read whole
# An article is about the topic when its title names the topic, or this share of its
# passages names it.
TOPICAL_SHARE = 0.3
MIN_SENTENCES = 2
# In an article about the topic, a sentence that doesn't name it counts when the words that
# travel with the topic add up to this (see `_expansion`).
RELATED = 1.0
TITLE_NAMES = 0.5  # a title naming this share of the topic's words: the article is about it
PART_OF_TOPIC = 0.25
# A title listing several things ("Sanctions rolled over, a shorter deadline and a rate cut")
# heads a round-up: only its passages on the topic are about the topic.
# (", and" too: "Russian gas transit through Ukraine stops, and Washington targets Russian
# oil" is two stories, though "Russia orders its troops out of Kherson, and Kyiv suspects a
# trap" is one.)
_ROUNDUP = re.compile(r",[^,]+\band\b|;")
# …unless most of its passages name the topic's particular word: then the list is the
# topic's own details ("Kherson after the occupation: flags, queues and no electricity").
ROUNDUP_SHARE = 0.5
EXPANSION_SHARE = 0.5
AS_CLOSE = 0.1  # an article this near in similarity to the topic as its closest article
# The article speaking of itself ("this note follows up our August report"): no news in it.
_META = re.compile(
    r"\b(?:this|our)\s+(?:note|briefing|article|report|piece|update|analysis|explainer|"
    r"tracker|timeline|overview|page)\s+(?:follows|updates|looks|sets|explains|summari[sz]es|"
    r"covers|examines|describes|tracks|brings|reviews|draws|collects|concluded|found|noted|"
    r"reported|said|goes|gathers|lists)\b",
    re.IGNORECASE,
)  # fewer sentences naming the topic: the articles don't cover it


@dataclass
class Sentence:
    passage: Passage
    start: int  # offsets within the passage text
    end: int
    stems: set[str]
    named: float  # weighted share of the topic's words the sentence names
    relevance: float = 0.0
    when: When | None = None
    order: int = 0  # position in its article, for the lead of the newest article
    names: bool = False  # names the topic (most of its words, the particular one among them)
    paragraph: set[str] = field(default_factory=set)  # the stems of its paragraph

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]

    @property
    def doc_id(self) -> str:
        return self.passage.meta.doc_id

    @property
    def doc_start(self) -> int:
        return self.passage.start + self.start

    @property
    def published(self) -> date | None:
        return self.passage.meta.published


@dataclass
class Evidence:
    topic: str
    sentences: list[Sentence]  # on-topic, most relevant first
    topical_docs: set[str]
    undated: int = 0  # on-topic sentences that give no date
    titles_naming: int = 0  # articles whose title names the topic as a sentence would

    @property
    def covered(self) -> bool:
        # Two sentences that name the topic, or one in an article whose title names it.
        naming = sum(1 for s in self.sentences if s.names)
        # Or an article's title that names it as fully ("Russia turns its missiles on the
        # power grid" for "Russian strikes on Ukraine's power grid").
        if naming >= MIN_SENTENCES or (naming >= 1 and bool(self.topical_docs)):
            return True
        return self.titles_naming >= 1 and len(self.sentences) >= MIN_SENTENCES


def _document_passages(index: Index, doc_ids: list[str], qvec: np.ndarray) -> list[Passage]:
    """Every chunk of these articles, in reading order, each with its similarity to the topic."""
    if not doc_ids:
        return []
    ids = index.chunks_where({"doc_id": {"$in": doc_ids}})["ids"]
    found = index.passages(ids, qvec)
    return sorted(found.values(), key=lambda p: (p.meta.doc_id, p.start))


def gather(
    topic: str,
    retriever: Retriever,
    index: Index,
    filters: Filters | None = None,
) -> Evidence:
    """The on-topic sentences of the articles a search for `topic` finds."""
    words = topic_words(topic, index)
    hits = retriever.search(topic, k=SEARCH_K, filters=filters)
    if words is None or not hits:
        return Evidence(topic, [], set())
    order: list[str] = []
    for p in hits:
        if p.meta.doc_id not in order:
            order.append(p.meta.doc_id)
    qvec = index.embed([topic])[0]
    passages = _document_passages(index, order[:MAX_DOCS], qvec)
    words = words.written(Counter(t for p in passages for t in _stems(p.text)))
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.meta.doc_id, []).append(p)
    topical: set[str] = set()
    titled: set[str] = set()  # the title names the topic: the article is about it
    naming = words.names
    titles_naming = 0

    for doc_id, chunks in by_doc.items():
        title_stems = _stems(chunks[0].meta.title)
        # A title names the topic when it names what is most particular to it: "Russian
        # strikes" on a sea lane are no title about "drone strikes on Russian refineries".
        title = TITLE_NAMES if words.in_title(title_stems) else 0.0
        share = sum(1 for p in chunks if naming(_stems(p.text)))
        # The topic's own article: its title names the particular word and most of its
        # passages do ("Tanks in a minefield: Russia's marines stall at Vuhledar" for a long
        # topic on Vuhledar that no single sentence names whole).
        own = title >= TITLE_NAMES and words.particular_share(chunks) > ROUNDUP_SHARE
        titles_naming += words.names(title_stems) or own
        if title >= TITLE_NAMES and (not _ROUNDUP.search(chunks[0].meta.title) or own):
            titled.add(doc_id)
        if title >= TITLE_NAMES or share >= TOPICAL_SHARE * len(chunks):
            topical.add(doc_id)
    topical |= _as_close(by_doc, topical, words)
    read = _read(by_doc, words)
    expansion = _expansion(read, words.terms)
    out: list[Sentence] = []
    for sent in read:
        in_topical = sent.doc_id in topical
        sent.names = naming(sent.stems)
        if not sent.names and not in_topical:
            continue  # an article about something else: only what names the topic
        if not sent.names and _COLOUR.match(sent.text):
            continue
        related = sum(expansion.get(t, 0.0) for t in sent.stems)
        # The paragraph, not the whole passage: a passage can hold the end of one paragraph
        # on the topic and the start of the next on something else. A paragraph naming the
        # topic's particular word is on it: in a long topic few name all its words.
        elsewhere = not words.in_title(sent.paragraph)
        if (
            in_topical
            and sent.doc_id not in titled
            and sent.named < PART_OF_TOPIC
            and related < RELATED
            and elsewhere
        ):
            continue  # in the topic's article, but in a passage about something else
        dense = max(sent.passage.dense or 0.0, 0.0)
        sent.relevance = (
            0.5 * max(sent.named, min(related / 2, 0.5)) + 0.4 * dense + 0.1 * in_topical
        )
        out.extend(_parts(sent, words))
        _carry_day(out, read)
        _relative_day(out, read)
    out.sort(key=lambda s: s.relevance, reverse=True)
    undated = sum(1 for s in out if s.when is None)
    return Evidence(topic, out, topical, undated, titles_naming)


def _as_close(by_doc: dict[str, list[Passage]], topical: set[str], words: TopicWords) -> set[str]:
    """Articles as close to the topic in the model's reading as one about it, that name its
    particular word somewhere: the other report of the same event, titled in its own words
    ("Blasts tear through Russian air base in Crimea" beside "Saky, a month on")."""

    def closest(doc_id: str) -> float:
        return max((p.dense or 0.0 for p in by_doc[doc_id]), default=0.0)

    if not topical:
        return set()
    bar = max(closest(d) for d in topical) - AS_CLOSE
    return {
        d
        for d, chunks in by_doc.items()
        if d not in topical and closest(d) >= bar and words.particular_share(chunks) > 0
    }


# A clock time ("The first came at 02:03 local time") tells the hour of a day named just
# before: the sentence is that day's.
_CLOCK = re.compile(r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d\b(?!\s*(?:%|per\b))|\b\d{1,2}\s*[ap]\.m\.")


def _carry_day(out: list[Sentence], read: list[Sentence]) -> None:
    """The newest sentence, undated but for a clock time, takes the day of the sentence just
    before it in the same paragraph."""
    sent = out[-1]
    if sent.when is not None or not _CLOCK.search(sent.text):
        return
    before = [
        r
        for r in read
        if r.doc_id == sent.doc_id and r.order == sent.order - 1 and r.paragraph == sent.paragraph
    ]
    if before and before[0].when is not None and before[0].when.precision == "day":
        sent.when = before[0].when


# "On the same day the State Duma ratified…", "…issued a second statement the next day": the
# day of the sentence before ("on the same day as the ceremony" names its own reference).
_SAME_DAY = re.compile(
    r"^(?:on\s+)?(?:that|the)\s+(?:same\s+)?day\b(?!\s+(?:as|of|before)\b)", re.I
)
_NEXT_DAY = re.compile(r"\bthe\s+(?:next|following)\s+day\b(?!\s+(?:as|of|before)\b)", re.I)


def _relative_day(out: list[Sentence], read: list[Sentence]) -> None:
    """The newest sentence, dated by nothing more precise than a month, that counts its day
    from the sentence just before it in the article: that day, or the one after."""
    sent = out[-1]
    if sent.when is not None and sent.when.precision == "day":
        return
    after = 1 if _NEXT_DAY.search(sent.text) else 0 if _SAME_DAY.match(sent.text) else None
    if after is None:
        return
    before = [r for r in read if r.doc_id == sent.doc_id and r.order == sent.order - 1]
    if not before:
        return
    when = before[0].when or event_when(before[0].text, before[0].published)
    if when is not None and when.precision == "day":
        day = when.first + timedelta(days=after)
        sent.when = When(day, day, "day", when.phrase)


def _parts(sent: Sentence, words: TopicWords) -> list[Sentence]:
    """The sentence dated, or its two clauses when each reports an event of its own day
    ("…opened four leaks: the fourth was found on 29 September"), quoted apart."""
    parts = event_parts(sent.text, sent.published)
    if len(parts) == 1:
        sent.when = parts[0][2]
        return [sent]
    out = []
    for i, (start, end, when) in enumerate(parts):
        text = sent.text[start:end]
        stems = _stems(text)
        out.append(
            replace(
                sent,
                start=sent.start + start,
                end=sent.start + start + len(text),
                stems=stems,
                named=words.named(stems),
                when=when,
                names=sent.names if i == 0 else words.names(stems),
            )
        )
    return out


def _read(by_doc: dict[str, list[Passage]], words: TopicWords) -> list[Sentence]:
    """Every statement of the articles, once, in reading order."""
    seen: set[tuple[str, int]] = set()
    out: list[Sentence] = []
    for doc_id, chunks in by_doc.items():
        position = 0
        for p in chunks:
            for s, e in sentence_spans(p.text):
                key = (doc_id, p.start + s)
                if key in seen:  # chunks overlap at sentence boundaries
                    continue
                seen.add(key)
                position += 1
                text = p.text[s:e]
                if _is_statement(text):
                    stems = _stems(text)
                    named = words.named(stems)
                    sent = Sentence(p, s, e, stems, named, order=position)
                    sent.paragraph = _stems(_paragraph(p.text, s, e))
                    out.append(sent)
    return out


def _paragraph(text: str, start: int, end: int) -> str:
    """The paragraph of the passage the sentence stands in (blank lines part them)."""
    first = text.rfind("\n\n", 0, start)
    last = text.find("\n\n", end)
    return text[first + 2 if first >= 0 else 0 : last if last >= 0 else len(text)]


def _expansion(read: list[Sentence], topic_terms: dict[str, frozenset[str]]) -> dict[str, float]:
    """Words that travel with the topic: frequent in the sentences that name it, rare in the
    rest ('Sudzha', 'Syrskyi' for Kursk), each weighted by that share. A sentence of the
    topic's article that doesn't name the topic belongs when it carries enough of them."""
    naming = [s for s in read if s.named >= NAMES_TOPIC]
    own = set().union(*topic_terms.values()) if topic_terms else set()
    in_naming: dict[str, int] = {}
    for s in naming:
        for t in s.stems:
            in_naming[t] = in_naming.get(t, 0) + 1
    overall: dict[str, int] = {}
    for s in read:
        for t in s.stems:
            overall[t] = overall.get(t, 0) + 1
    return {
        t: n / overall[t]
        for t, n in in_naming.items()
        if n >= 2
        and n / overall[t] >= EXPANSION_SHARE
        and t not in own
        and len(t) > 3
        and not t.isdigit()
    }


def _is_statement(text: str) -> bool:
    """Full sentences that state something: not headings, questions or the article about itself."""
    if len(text.split()) < 6 or text.rstrip().endswith("?"):
        return False
    if not text.rstrip().endswith((".", "!", '"', "”", "’", ")")):
        return False
    if ABOUT_ITSELF.match(text) or _META.search(text) or _SIGNPOST.match(text):
        return False
    return not re.match(r"^(?:Date|Publisher|By)\s*:", text)


# "What happened on Monday is becoming clearer.": it leads into the news, it is none.
_SIGNPOST = re.compile(
    r"^(?:What|Why|How|Who)\b[^,.]*\b(?:is|are|was|remains?)\s+(?:becoming\s+|now\s+|still\s+)?"
    r"(?:clear|clearer|unclear|known|unknown)\s*[.!]?$"
)
# '"Every metre here is paid for," said a platoon commander': a voice without a name gives
# colour, not news, unless it names the topic.
_COLOUR = re.compile(r"^[\"“][^\"”]+[\"”],?\s+(?:said|says|added|adds|told\s+\w+)\s+(?:a|an|one)\b")


def topic_named(topic: str, text: str) -> bool:
    """Whether `text` (a question someone asked) names the topic: most of its words."""
    topic_terms = _topic_terms(topic)
    if not topic_terms:
        return False
    stems = _stems(text)
    hit = sum(1 for same in topic_terms.values() if not same.isdisjoint(stems))
    return hit >= max(1, (len(topic_terms) + 1) // 2)
