"""Follow-ups made to stand on their own before retrieval: by rule offline, or by the chat model."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from assistant.answer.echo import Instructions
from assistant.answer.names import capitalised
from assistant.answer.question import FOLLOWING, split_context
from assistant.text import STOPWORDS, terms

if TYPE_CHECKING:
    from assistant.answer.prompts import PromptSet

log = logging.getLogger(__name__)

_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|theirs|he|him|his|she|her|hers|the same|that one|this one|"
    r"the latter|the former|the other|such)\b",
    re.IGNORECASE,
)
_THERE = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbeen )\bthere\b"
    r"(?!\s+(?:is|are|was|were|be|been|being|has|have|had|will)\b)",
    re.IGNORECASE,
)
_OPENS = re.compile(
    r"^\s*(and|but|so|also|then|what about|how about|what else|and then|same for|why not)\b",
    re.IGNORECASE,
)
# "that deal", "those talks", "these sanctions": a thing named before. Not "said that the …".
_DEMONSTRATIVE = re.compile(r"\b(that|this|these|those)\s+([a-z][\w-]*)", re.IGNORECASE)
_CLAUSE_VERBS = re.compile(
    r"\b(say|says|said|claim|claims|claimed|believe|think|report|reported|ensure|so|such|"
    r"show|shows|showed|mean|means|meant|warn|warned|insist|insisted|argue|argued|hope|fear|"
    r"confirm|confirmed|deny|denied|note|noted|announce|announced|agree|agreed)\s+$",
    re.IGNORECASE,
)
_PREPOSITIONS = frozenset(
    "from to in on at for with near of by about after before since under into over".split()
)
_WH_ONLY = re.compile(
    r"^\s*(?:and\s+)?(why|when|where|how|who|what|how many|how much)\s*\??\s*$", re.I
)


_POSSESSIVE = frozenset({"his", "her", "its", "their"})


def _leaning_pronoun(q: str) -> bool:
    """A pronoun that points outside the question. A possessive after a name the question gives
    points at that name ('What did Zelensky say in his address', 'did Russia cut its output')."""
    for m in _PRONOUN.finditer(q):
        if m.group(1).lower() not in _POSSESSIVE or not capitalised(q[: m.start()]):
            return True
    return False


def refers_back(question: str) -> bool:
    """The question leans on an earlier one: a pronoun, 'and …?', 'what about …', 'that deal',
    or a bare 'Why?'. A question that stands on its own is searched as typed."""
    q = question.strip()
    if _leaning_pronoun(q) or _THERE.search(q) or _OPENS.search(q) or _WH_ONLY.match(q):
        return True
    if re.search(r"\b(that|this|these|those)\s*[?.!]*\s*$", q, re.IGNORECASE):
        return True  # "Which countries were most exposed to that?"
    for m in _DEMONSTRATIVE.finditer(q):
        if _CLAUSE_VERBS.search(q[: m.start()]):
            continue
        if m.group(2).lower() in _PREPOSITIONS:
            return True  # "How far is that from Ukraine?": the place named before
        if m.group(2).lower() in STOPWORDS:
            continue
        return True
    asks = re.match(
        r"^\s*(who|whom|whose|what|when|where|which|why|how|did|does|do|is|are|was|were|has|"
        r"have|had|can|could|will|would|should)\b",
        q,
        re.IGNORECASE,
    )
    return len(terms(q)) == 1 and not asks  # "The EU?", "Kherson?"; "???" asks nothing


needs_context = refers_back


def _previous(history: list[dict[str, str]]) -> str | None:
    asked = [m["content"] for m in history if m.get("role") == "user" and m.get("content")]
    return asked[-1].strip() if asked else None


def condense_rule_based(question: str, history: list[dict[str, str]]) -> str:
    """A follow-up read against the question before it, in words:
    'Who headed the Russian side? (following: Who led the US delegation in Riyadh?)'."""
    previous = _previous(history)
    if not previous or not refers_back(question):
        return question
    main = re.sub(r"^\s*(and|but|so|also|then)\b[\s,]*", "", question.strip(), flags=re.I)
    main = (main[:1].upper() + main[1:]) if main else question
    head, context = split_context(previous)
    leaned_on = f"{head}; {context}" if context else head
    return f"{main}{FOLLOWING}{leaned_on})"


class LLMCondenser:
    """Follow-ups rewritten by the chat model (prompts/condense.md); rule-based if it fails.

    Give it a model with condense's own budget (`provider.for_condense`: a short timeout, no
    retries, few tokens): a rewrite that is slow, fails, is cut at its token limit or repeats
    the prompt gives way to the rule-based one at once, and the question goes on.
    """

    max_messages = 6  # the last three exchanges are enough to resolve "that" and "they"
    max_chars = 600  # per message: answers are long, their gist is at the start

    def __init__(self, chat_model: Any, prompts: PromptSet) -> None:
        from langchain_core.prompts import ChatPromptTemplate

        self.model = chat_model
        self.instructions = Instructions.of(prompts["condense"])
        self.chain = (
            ChatPromptTemplate.from_messages([("human", prompts["condense"].template)]) | chat_model
        )

    def condense(self, question: str, history: list[dict[str, str]]) -> str:
        # Imported here: openai is loaded only when a model is configured.
        from assistant.answer.provider import describe, model_name, raise_if_fatal

        turns = [
            m
            for m in history
            if m.get("role") in ("user", "assistant") and (m.get("content") or "").strip()
        ]
        if not turns or not refers_back(question):
            return question  # a question that stands on its own is searched as typed
        lines = [
            f"{'User' if m['role'] == 'user' else 'Assistant'}: "
            f"{_clip(m['content'], self.max_chars)}"
            for m in turns[-self.max_messages :]
        ]
        try:
            out = self.chain.invoke({"history": "\n".join(lines), "question": question})
        except Exception as e:  # noqa: BLE001 - a timeout, an empty 200, anything: go on by rule
            raise_if_fatal(e, self.model)
            log.warning(
                "model %s could not condense the follow-up: %s; using the rule-based condense",
                model_name(self.model),
                describe(e),
            )
            return condense_rule_based(question, history)
        reply = out.text if hasattr(out, "text") else str(out)
        if getattr(out, "response_metadata", {}).get("finish_reason") == "length":
            log.warning("the follow-up rewrite hit condense_max_tokens; using the rule-based one")
            return condense_rule_based(question, history)
        if _CONDENSE_BITS.search(reply) or self.instructions.leaks(reply):
            log.warning("the follow-up rewrite repeated the prompt; using the rule-based one")
            return condense_rule_based(question, history)
        return standalone(reply, question) or condense_rule_based(question, history)


# The condense prompt's own labels coming back in a rewrite.
_CONDENSE_BITS = re.compile(
    r"<\s*/?\s*conversation\s*>|^\s*(?:User|Assistant|Follow-up question)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def standalone(reply: str, question: str) -> str | None:
    """The first line of the model's reply, unless it is empty or clearly not a question."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return None
    line = re.sub(r"^(standalone question|question)\s*:\s*", "", lines[0], flags=re.IGNORECASE)
    line = line.strip().strip("\"'“”").strip()
    if not line or len(line) > max(400, 4 * len(question)):
        return None
    return line
