"""A model's answer judged by the same evidence layer as the offline one.

After grounding has turned markers into citations: every cited sentence must find its names,
numbers and dates in the passages it cites (else it is removed and listed as unsupported); a
reply that repeats the prompt or the passage headers is not an answer; each part of the
question must be carried by some sentence (else the answer says which part is not covered);
and disagreements the offline reading finds among the passages are added when the model did
not mention them.
"""

from __future__ import annotations

import re

from assistant.answer.citations import MARKER, cite, verified
from assistant.answer.compose import (
    disagreement_sentence,
    mentions_disagreement,
    newest_cited,
    uncovered_sentence,
)
from assistant.answer.echo import PASSAGE_HEADER, PROMPT_BITS
from assistant.answer.evidence import supports
from assistant.answer.facts import unsupported_facts
from assistant.answer.grounding import bare, sentences
from assistant.answer.question import analyse
from assistant.models import Answer, Citation, Disagreement, Passage, Side
from assistant.text import sentence_spans

UNSUPPORTED_NOTICE = "{n} sentence(s) removed: the cited passages don't contain their facts."
ECHO_NOTICE = "The model repeated its instructions instead of answering; showing quoted passages."
NOTHING_CITED_NOTICE = (
    "The model's answer cited nothing in the passages; showing quoted passages instead."
)
NOTHING_SUPPORTED_NOTICE = (
    "The passages the model's answer cited don't contain its facts; showing quoted passages "
    "instead."
)


def is_echo(raw: str, context_text: str) -> bool:
    """The reply repeats the prompt: its tags, rules, passage headers, or whole passages."""
    text = raw.strip()
    if not text:
        return False
    if PROMPT_BITS.search(text):
        return True
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and sum(bool(PASSAGE_HEADER.match(line)) for line in lines) >= max(1, len(lines) // 4):
        return True
    # Long runs copied from the passage block, marker-free: an echo, not an answer.
    plain = MARKER.sub("", text)
    copied = [
        plain[s:e]
        for s, e in sentence_spans(plain)
        if len(plain[s:e]) > 40 and plain[s:e] in context_text
    ]
    return len(copied) >= 3 and sum(map(len, copied)) > 0.8 * len(plain)


def _drop(text: str, dropped: list[str]) -> str:
    for s in dropped:
        text = text.replace(s, " ")
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def remove_unsupported(answer: Answer, passages: list[Passage]) -> Answer:
    """Cited sentences whose names, numbers or dates their passages lack are taken out."""
    dropped: list[str] = []
    for s, e in sentences(answer.text):
        sentence = answer.text[s:e]
        cites = [int(n) for n in MARKER.findall(sentence)]
        if not cites:
            continue
        sources = [
            (passages[n - 1].text, passages[n - 1].meta) for n in cites if n <= len(passages)
        ]
        if sources and unsupported_facts(bare(sentence), sources):
            dropped.append(sentence)
    if not dropped:
        return answer
    kept = _drop(answer.text, dropped)
    notice = UNSUPPORTED_NOTICE.format(n=len(dropped))
    out = verified(answer.model_copy(update={"text": kept}))
    return out.model_copy(
        update={
            "unsupported": [bare(d) for d in dropped],
            "notice": " ".join(x for x in (answer.notice, notice) if x),
        }
    )


def grounded_at_all(answer: Answer) -> bool:
    """Something in the answer rests on a citation."""
    return bool(answer.citations) and any(
        MARKER.search(answer.text[s:e]) for s, e in sentences(answer.text)
    )


def uncovered_parts(question: str, answer: Answer, passages: list[Passage]) -> list[str]:
    """Parts of the question no cited sentence carries (the same check as offline)."""
    q = analyse(question)
    if len(q.parts) < 2:
        return []
    out = []
    for part in q.parts:
        carried = False
        for s, e in sentences(answer.text):
            sentence = answer.text[s:e]
            for n in (int(x) for x in MARKER.findall(sentence)):
                if n <= len(passages):
                    p = passages[n - 1]
                    if supports(part, MARKER.sub("", sentence), p.text, p.meta).ok:
                        carried = True
                        break
            if carried:
                break
        if not carried:
            out.append(part.text)
    return out


def add_disagreements(answer: Answer, offline: Answer, passages: list[Passage]) -> Answer:
    """The offline reading's disagreements, cited by the model's passage numbers, when the
    model's text does not already say the sources differ."""
    if not offline.disagreements or mentions_disagreement(answer.text):
        return answer
    by_chunk = {p.chunk_id: i + 1 for i, p in enumerate(passages)}
    quotes = {c.n: c for c in offline.citations}
    citations: dict[int, Citation] = {c.n: c for c in answer.citations}
    added: list[Disagreement] = []
    for d in offline.disagreements:
        sides: list[Side] = []
        for side in d.sides:
            c = quotes.get(side.n)
            n = by_chunk.get(c.chunk_id) if c else None
            if c is None or n is None:
                break
            if n not in citations:
                p = passages[n - 1]
                citations[n] = cite(n, p, c.start - p.start, c.end - p.start)
            sides.append(side.model_copy(update={"n": n}))
        else:
            added.append(d.model_copy(update={"sides": sides}))
    if not added:
        return answer
    text = " ".join([answer.text, *(disagreement_sentence(d) for d in added)])
    return answer.model_copy(
        update={
            "text": text,
            "citations": [citations[n] for n in sorted(citations)],
            "disagreements": [*answer.disagreements, *added],
        }
    )


def check_model_answer(
    question: str, answer: Answer, passages: list[Passage], offline: Answer | None
) -> Answer:
    """Unsupported sentences out, uncovered parts named, disagreements added, dates attached."""
    if answer.refused:
        return answer
    answer = remove_unsupported(answer, passages)
    if not grounded_at_all(answer):
        return answer
    missing = uncovered_parts(question, answer, passages)
    if missing and len(missing) < len(analyse(question).parts):
        text = " ".join([answer.text, *(uncovered_sentence(p) for p in missing)])
        answer = answer.model_copy(update={"text": text, "uncovered": missing})
    if offline is not None:
        answer = add_disagreements(answer, offline, passages)
    return answer.model_copy(update={"as_of": newest_cited(answer)})
