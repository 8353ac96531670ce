"""Offline answers: quote the retrieved sentences that best answer the question, citing each."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import numpy as np

from assistant.answer import REFUSAL
from assistant.answer.adjacent import with_articles, with_next, with_speaker
from assistant.answer.asked import (
    carries_focus,
    carries_head,
    focus_in_sentence,
    names_all,
    names_in_sentence,
    names_kind,
)
from assistant.answer.candidates import Candidate as _Candidate
from assistant.answer.candidates import candidates
from assistant.answer.compare import estimates, updates
from assistant.answer.compose import gap_notice
from assistant.answer.dates import days_in, weekday_days
from assistant.answer.evidence import supports
from assistant.answer.former import before_for_remaining, habit_for_event
from assistant.answer.gaps import stated_gap
from assistant.answer.names import entity, has_name, is_party
from assistant.answer.plan import (
    DISAGREE_RATIO,
    PART_POOL,
    in_time,
    order_by_time,
    plan_answer,
    render_plan,
)
from assistant.answer.plan import Pick as _Pick
from assistant.answer.promote import says_what_is_asked
from assistant.answer.question import Part, Question, Slot, analyse
from assistant.answer.when import day_of_saying, event_dates
from assistant.answer.wording import aliases_of, date_weight, equivalents, matched, names_asked
from assistant.models import Answer, Passage, top_k
from assistant.text import stem, stem_set_split, terms

NAME = "extractive"
_YEARS = {str(y) for y in range(1900, 2100)}
MISSING_NAME_PENALTY = 0.6
DENSE_MARGIN = 0.2
SUPPORT_RATIO = 0.6  # a supporting sentence scores at least this share of the best sentence
SUPPORT_FLOOR = 0.2
NAME_BONUS = 0.05
FOCUS_BONUS = 0.15
WIDE_RATIO = 0.45
# A sentence giving a value without any word the part asks about must be this close to the
# question in the model's reading: 'annexed Crimea in 2014' for 'when did Moscow take the
# peninsula', not 'gas transit ended on 1 January' for 'when is the next election'.
PARAPHRASE_SIMILARITY = 0.55
# A sentence naming every one of at least two names the part gives, in its own words, may
# say what happened in other words ('Zelensky, standing in front of a third [F-16],
# confirmed …' for 'when did Zelensky unveil Ukraine's first F-16s').
NAMED_PARAPHRASE = 0.45
# Without the thing a what-question asks for ('turnout'), a sentence must read closer still:
# 'a referendum was held in Crimea' is near the turnout question (0.60) and does not answer it.
HEAD_PARAPHRASE = 0.65
GAP_ANSWERED = 0.4  # a later sentence this close to 'it is not yet known whether …' answers it
VALUE_SLOTS = (Slot.NUMBER, Slot.DURATION, Slot.DATE)
SEMANTIC_TOP = 20  # sentences the model reads per question (cached; ~70 ms cold on 2 cores)
SENTENCE_CACHE = 20_000
RIVAL_SIMILARITY = 0.65  # another article's sentence this close to the answer may be its rival


Embed = Callable[[list[str]], np.ndarray]


def _from_source(source: str, p: Passage) -> bool:
    name = source.lower()
    return name in f"{p.meta.publisher}\n{p.meta.source}\n{p.meta.url or ''}".lower()


_NOT_YET = re.compile(
    r"\bnot\s+yet\s+(?:known|clear)\b|\byet\s+to\s+be\s+(?:known|determined)\b", re.I
)


def _context_names(q: Question) -> tuple[str, ...]:
    """The places, bodies and people of the question a follow-up leans on, when it names none
    of its own (not Russia or Ukraine: the sides of every article)."""
    own = [n for p in q.parts for n in p.constraints.names if not is_party(entity(n))]
    if not q.context or own:
        return ()  # "What about Kherson?" names what it asks about now
    return tuple(
        dict.fromkeys(
            n
            for p in analyse(q.context).parts
            for n in p.constraints.names
            if not is_party(entity(n))
        )
    )


def _of_event(c: _Candidate, names: tuple[str, ...]) -> bool:
    text = f"{c.passage.meta.title}\n{c.document or c.passage.text}"
    low, stems = text.lower(), stem_set_split(text)
    return all(has_name(n, low, stems) for n in names)


def _after_gap(picks: list[_Pick], gap: _Candidate) -> list[_Pick]:
    """The picks from reports published after the one that says the thing is not yet known."""
    said = gap.passage.meta.published
    if said is None or not _NOT_YET.search(gap.text):
        return []  # 'has not said how many' stays unsaid; 'not yet known' waits for news
    return [
        p for p in picks if p.cand.passage.meta.published and p.cand.passage.meta.published > said
    ]


def _days_of(c: _Candidate) -> set[date]:
    """The days a sentence is about, its weekdays resolved against its report's date."""
    published = c.passage.meta.published
    days = set(event_dates(c.text, published))
    return days | {d for _, d in weekday_days(c.text, published)}


class ExtractiveGenerator:
    name = NAME

    def __init__(
        self,
        refusal_threshold: float,
        max_sentences: int,
        embed: Embed | None = None,
        embed_stored: Embed | None = None,
    ) -> None:
        self.refusal_threshold = refusal_threshold
        self.max_sentences = max_sentences
        # Sentence vectors for the best few candidates: the model reads the question and the
        # sentence in their own words, where keyword overlap misses paraphrase.
        self.embed = embed
        # Sentences are stored text: their vectors may come from a cache that outlives a
        # question (and the process), instead of the model.
        self.embed_stored = embed_stored or embed
        self._cache: OrderedDict[tuple[str, int, int], np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _candidates(self, passages: list[Passage]) -> list[_Candidate]:
        return candidates(passages)

    def sentence_vectors(self, sentences: list[Any]) -> np.ndarray:
        """Vectors of sentences (anything with `passage`, `doc_start` and `text`), from the
        same cache the answers use: briefs compare the sentences answers have read."""
        if self.embed is None:
            raise ValueError("no sentence encoder")
        return self._sentence_vectors(sentences)

    def _sentence_vectors(self, cands: list[_Candidate]) -> np.ndarray:
        keys = [(c.passage.meta.doc_id, c.doc_start, len(c.text)) for c in cands]
        with self._lock:  # copy out what is cached: another thread may evict it meanwhile
            found = {k: self._cache[k] for k in keys if k in self._cache}
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            fresh = self.embed_stored([cands[i].text for i in missing])
            with self._lock:
                for i, vec in zip(missing, fresh, strict=True):
                    found[keys[i]] = self._cache[keys[i]] = vec
                while len(self._cache) > SENTENCE_CACHE:
                    self._cache.popitem(last=False)
        return np.stack([found[k] for k in keys])

    def score(
        self, question: str, passages: list[Passage], retrieved: list[Passage] | None = None
    ) -> tuple[list[_Candidate], float]:
        """Candidates best first, and the evidence that the passages answer the question at all.

        A passage's evidence is its similarity to the question plus the share of the question's
        terms (weighted by rarity) it contains, its title and publisher included. A sentence
        scores by its own term overlap, its similarity to the question (for the best few), and
        the evidence of its passage.
        """
        q = equivalents(question)
        cands = self._candidates(passages)
        if not cands or not q:
            return [], 0.0
        df = {t: sum(1 for c in cands if not q[t].isdisjoint(c.stems)) for t in q}
        idf = {t: math.log(1 + (len(cands) + 1) / (df[t] + 0.5)) * date_weight(t) for t in q}
        total = sum(idf.values())
        # A name the question asks about that no retrieved sentence mentions ("What did the Pope
        # say…") means the articles are about something else, however close the topic.
        # (Over everything retrieved, when only one outlet's passages are scored.)
        read = retrieved or passages
        seen = set().union(
            *(c.stems for c in (cands if read is passages else self._candidates(read)))
        )
        # A year or month the question names is met by the articles published in it ("the 2022
        # call-up" in a September 2022 report that says "on 21 September").
        dated = [p.meta.published for p in retrieved or passages if p.meta.published]
        years = {str(d.year) for d in dated} | {stem(f"{d:%B}".lower()) for d in dated}
        asked_days = set(days_in(question))
        # the day of a date asked ('16' of '16 May 2022') is checked as a date too: 'on Monday'
        # in a report of 17 May gives it
        day_numbers = {str(d.day) for d in asked_days}
        missing = [
            n
            for n in names_asked(question)
            if (q.get(n, frozenset({n})) | aliases_of(n)).isdisjoint(seen)
            and n not in years | _YEARS | day_numbers  # a year is checked as a date
        ]
        penalty = MISSING_NAME_PENALTY if missing else 1.0
        by_passage: dict[str, set[str]] = {}
        for c in cands:
            if c.passage.chunk_id not in by_passage:
                about = f"{c.passage.meta.title} {c.passage.meta.publisher}"
                by_passage[c.passage.chunk_id] = {stem(t) for t in terms(about)}
            by_passage[c.passage.chunk_id].update(c.stems)
        evidence: dict[str, float] = {}
        for c in cands:
            cid = c.passage.chunk_id
            if cid not in evidence:
                covered = sum(idf[t] for t in matched(q, by_passage[cid])) / total
                dense = max(c.passage.dense or 0.0, 0.0)
                # Very high similarity is evidence on its own, even in other words.
                evidence[cid] = max(0.5 * dense + 0.5 * covered, dense - DENSE_MARGIN)
            hit = set(matched(q, c.stems))
            if asked_days and asked_days & _days_of(c):
                # 'released a longer version on Sunday' in a Thursday report: it is the day asked
                hit |= {t for t in q if date_weight(t) < 1}
            c.lexical = sum(idf[t] for t in hit) / total
            c.evidence = evidence[cid]
            c.score = 0.5 * c.lexical + 0.5 * c.evidence - 0.01 * c.rank
        cands.sort(key=lambda c: c.score, reverse=True)
        if self.embed is not None:
            top = cands[:SEMANTIC_TOP]
            vectors = self._sentence_vectors(top)
            qvec = self.embed([question])[0]
            for c, sim in zip(top, vectors @ qvec, strict=True):
                c.semantic = max(float(sim), 0.0)
                c.score = 0.4 * c.semantic + 0.3 * c.lexical + 0.3 * c.evidence - 0.01 * c.rank
            for c in cands[SEMANTIC_TOP:]:
                c.score *= 0.8  # unscored by the model: behind any sentence it has read
        for c in cands:
            c.score *= penalty
        cands.sort(key=lambda c: c.score, reverse=True)
        return cands, cands[0].score

    def _part_scores(self, part: Part, cands: list[_Candidate]) -> list[tuple[float, _Candidate]]:
        """Candidates scored against one part of a compound question, best first."""
        q = equivalents(part.search_text)
        if not q:
            return []
        idf = {
            t: math.log(
                1 + (len(cands) + 1) / (sum(not q[t].isdisjoint(c.stems) for c in cands) + 0.5)
            )
            * date_weight(t)
            for t in q
        }
        total = sum(idf.values())
        lex = {id(c): sum(idf[t] for t in matched(q, c.stems)) / total for c in cands}
        pool = sorted(cands, key=lambda c: lex[id(c)] + 0.5 * c.evidence, reverse=True)
        pool = pool[:PART_POOL]
        if not pool:
            return []
        sims = [0.0] * len(pool)
        if self.embed is not None:
            sims = list(self._sentence_vectors(pool) @ self.embed([part.search_text])[0])
        scored = [
            (0.4 * max(float(sim), 0) + 0.4 * lex[id(c)] + 0.2 * c.evidence, c)
            for c, sim in zip(pool, sims, strict=True)
        ]
        return sorted(scored, key=lambda x: x[0], reverse=True)

    def _scored_for(
        self, q: Question, part: Part, ranked: list[_Candidate]
    ) -> list[tuple[float, _Candidate]]:
        """The candidates as they answer this part: scored against it alone in a compound
        question, else by the question's own scores."""
        return self._part_scores(part, ranked) if q.compound else [(c.score, c) for c in ranked]

    @staticmethod
    def considered(q: Question, ranked: list[_Candidate]) -> list[_Candidate]:
        """'What does the inuno.ai article say …': that outlet's sentences, if it is indexed."""
        if q.source:
            own = [c for c in ranked if _from_source(q.source, c.passage)]
            return own or ranked
        return ranked

    def _supported(
        self,
        q: Question,
        part: Part,
        ranked: list[_Candidate],
        best: float,
        unknown: list[_Candidate],
        others: list[_Candidate],
    ) -> list[_Pick]:
        """The sentences that answer this part: slot carried, constraints met, in the time asked
        about, and close enough to the best sentence; best first, then by date if asked."""
        scored = self._scored_for(q, part, ranked)
        if not scored:
            return []
        top = scored[0][0]
        if q.compound:
            # The other parts' answers score high on this part's words too ('held for 27 days'
            # for 'and how many of them died'): the bar is set by sentences about this part.
            top = next((x for x, c in scored if carries_focus(part, c.text)), top)
        # A part of a compound question shares its words with the other parts' sentences, so
        # its own answer may score well below the best of them.
        first = WIDE_RATIO if q.compound else SUPPORT_RATIO
        picks: list[_Pick] = []
        leads: list[tuple[float, _Candidate]] = []
        for score, c in scored[: 3 * PART_POOL]:
            # Weaker sentences stay in the pool as other sources' values, never as the answer.
            if score < WIDE_RATIO * top or (not picks and score < first * top):
                break
            if score < SUPPORT_FLOOR:
                break
            if part.slot in VALUE_SLOTS and not (
                carries_focus(part, c.text)
                or c.semantic >= PARAPHRASE_SIMILARITY
                or (names_all(part, c.text) and c.semantic >= NAMED_PARAPHRASE)
            ):
                continue  # a number or date about something else the passage mentions
            if part.slot not in VALUE_SLOTS and not (
                carries_head(part, c.text) or c.semantic >= HEAD_PARAPHRASE
            ):
                continue  # about the referendum, but not its turnout
            if not names_kind(part, c.text):
                continue  # names the tanks' donors, not the brigade that got them
            if before_for_remaining(part, c.text) or habit_for_event(part, c.text):
                continue  # the pre-war population, not how many are still there
            check = supports(part, c.text, c.passage.text, c.passage.meta, c.document)
            if not check.ok:
                leads.append((score, c))
                continue
            if not in_time(q, c.text, c.passage.meta.published):
                continue
            # A sentence that names what the question names beats one that leans on its passage;
            # for "when", a day ("on 13 April") beats a weekday or a month ("in April"), and
            # both beat the day someone spoke.
            vague = part.slot is Slot.DATE and check.value == "relative"
            vague += vague and day_of_saying(part, c.text)  # 'said on Wednesday'
            bonus = NAME_BONUS * (names_in_sentence(part, c.text) - vague)
            bonus += FOCUS_BONUS * focus_in_sentence(part, c.text)
            picks.append(_Pick(with_speaker(c), score + bonus, check.value, base=score))
        for score, c in leads if not picks else []:
            # No sentence answers alone: one naming the event may have its value in the next
            # (in the question's own words: 'founded in 1794' reads close to a question on
            # the restoration, but its next sentence dates another event).
            if part.slot in VALUE_SLOTS and not carries_focus(part, c.text):
                continue
            c, check = with_next(part, c)
            if check.ok and in_time(q, c.text, c.passage.meta.published):
                picks.append(_Pick(c, score, check.value, base=score))
        picks.sort(key=lambda p: p.score, reverse=True)
        leaned = _context_names(q)
        if leaned and (same := [p for p in picks if _of_event(p.cand, leaned)]):
            # "And who headed the Russian side?" after a question on Saudi Arabia: the talks
            # there, not the Istanbul ones another article reports
            picks = same
        pool = [c for _, c in scored[: 3 * PART_POOL]]
        gap = stated_gap(part, picks[0].cand if picks else None, pool)
        if gap and (newer := self._answers_gap(picks, gap)):
            picks, gap = newer, None  # 'not yet known whether it can be saved', then it was said
        if gap:
            unknown.append(gap)  # 'did not say which unit fired it': the articles say so
            return []
        if picks and part.slot in VALUE_SLOTS and self.embed is not None:
            self._add_rivals(part, picks, scored, others)
        picks = order_by_time(q.temporal if not q.compound else part.temporal, picks)
        # The sentences naming the thing a what-question asks for ('the call sign') answer it;
        # the others, however close, are about its circumstances.
        named = {id(p) for p in picks if says_what_is_asked(part, p.cand.text)}
        return sorted(picks, key=lambda p: id(p) in named, reverse=True)

    def _answers_gap(self, picks: list[_Pick], gap: _Candidate) -> list[_Pick]:
        """Picks from later reports that say what the earlier one did not yet know: read
        close to its words ('the building could be restored' for 'not yet known whether the
        building can be saved'), not any later sentence on the topic."""
        newer = _after_gap(picks, gap)
        if not newer or self.embed is None:
            return []
        vectors = self._sentence_vectors([gap] + [p.cand for p in newer])
        return [
            p
            for p, vec in zip(newer, vectors[1:], strict=True)
            if float(vec @ vectors[0]) >= GAP_ANSWERED
        ]

    def _add_rivals(
        self,
        part: Part,
        picks: list[_Pick],
        scored: list[tuple[float, _Candidate]],
        others: list[_Candidate],
    ) -> None:
        """Other articles' sentences giving the same fact in other words, scored too low to
        answer but close to the answer in the model's reading: the other side of a
        disagreement ('home to about 35,000 people' against 'a population of 32,000')."""
        main = picks[0]
        taken = {id(p.cand) for p in picks}
        rivals = []
        pool = [c for _, c in scored[: 3 * PART_POOL]]
        # and the sentences of the passages read only for this, past the top k
        seen = {(c.passage.meta.doc_id, c.doc_start) for _, c in scored}
        pool += [c for c in others if (c.passage.meta.doc_id, c.doc_start) not in seen]
        for c in pool:
            if id(c) in taken or c.passage.meta.doc_id == main.doc:
                continue
            check = supports(part, c.text, c.passage.text, c.passage.meta, c.document)
            if check.ok and check.value:
                rivals.append((c, check.value))
        vectors = self._sentence_vectors([p.cand for p in picks] + [c for c, _ in rivals])
        for p, vec in zip(picks, vectors, strict=False):
            p.vector = vec
        for (c, value), vec in zip(rivals, vectors[len(picks) :], strict=True):
            estimate = estimates(part, main, c, value)
            close = float(vec @ main.vector) >= RIVAL_SIMILARITY
            if close or estimate or updates(part, main, c, value):
                base = DISAGREE_RATIO * main.base
                picks.append(
                    _Pick(c, base, value, base=base, vector=vec, rival=True, estimate=estimate)
                )

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        q = analyse(question)
        # Passages past the top k only give other reports' values of what the answer says.
        wider = [p for p in passages if p.wider]
        retrieved, passages = passages, top_k(passages)
        # A follow-up's words are scored with the question it leans on.
        # A question naming an indexed outlet ("per the inuno.ai analysis") keeps those words:
        # they match that outlet's passages. An outlet not indexed is only noise.
        own = [p for p in passages if q.source and _from_source(q.source, p)]
        text = f"{q.text} {q.context}".strip() if own else q.topic
        # That outlet's passages are the ones read, so the model reads its best sentences.
        ranked, evidence = self.score(text, own or passages, passages)
        base = dict(question=question, generator=NAME, retrieved=[p.meta.doc_id for p in retrieved])
        if ranked and q.compound and evidence < self.refusal_threshold:
            # Each part of "Which X …, and which Y …?" shares only half the words of any one
            # sentence: a part the passages answer well is evidence enough to read on.
            evidence = max(
                self.score(part.search_text, own or passages, passages)[1] for part in q.parts
            )
        if not ranked or evidence < self.refusal_threshold:
            return Answer(text=REFUSAL, refused=True, **base)
        ranked = self.considered(q, ranked)
        with_articles(ranked, passages)
        unknown: list[_Candidate] = []
        others = candidates(wider)
        with_articles(others, retrieved)
        found = [
            (part, self._supported(q, part, ranked, evidence, unknown, others)) for part in q.parts
        ]
        said = gap_notice(
            [(c.passage.meta.publisher, c.passage.meta.published, c.text) for c in unknown]
        )
        if not any(picks for _, picks in found):
            return Answer(text=REFUSAL, refused=True, notice=said or None, **base)
        plan = plan_answer(q, found, ranked, self.max_sentences)
        answer = render_plan(plan, q, base)
        return answer.model_copy(update={"notice": said}) if said else answer

    def unknown_notice(self, question: str, passages: list[Passage]) -> str | None:
        """What the passages say is not known of the question's parts ('Investigators have not
        said which unit fired it'), in their words: a model's answer is shown beside it."""
        q = analyse(question)
        passages = top_k(passages)
        ranked, _ = self.score(q.topic, passages, passages)
        if not ranked:
            return None
        with_articles(ranked, passages)
        found = []
        for part in q.parts:
            scored = self._scored_for(q, part, ranked)
            gap = stated_gap(part, None, [c for _, c in scored[: 3 * PART_POOL]])
            if gap is not None:
                found.append(gap)
        said = [(c.passage.meta.publisher, c.passage.meta.published, c.text) for c in found]
        return gap_notice(said) or None

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        answer = self.answer(question, passages)
        for piece in answer.text.split(" "):
            yield piece + " "
        yield answer
