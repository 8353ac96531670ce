"""The cached and regex-free text helpers the support check uses give what the code they replace
gave: the answers must not move when they are faster."""

from __future__ import annotations

import random
import re

import pytest

from assistant.answer.sides import modifier_clash
from assistant.text import has_word, stem, stem_set, stem_set_split, terms

# Word and non-word characters of every kind a text or a name can hold: accented letters, digits
# of other scripts, the underscore, apostrophes, hyphens, dots and spaces.
_ALPHABET = list("ab ab_-.'’1") + ["é", "ß", "٣", "ж", "\u0301", "²", "Ⅻ", " "]


def _regex_has_word(phrase: str, text: str) -> bool:
    return bool(re.search(rf"(?<![\w]){re.escape(phrase)}(?![\w])", text))


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("kyiv", "the kyiv government", True),
        ("kyiv", "kyivan officials", False),
        ("kyiv", "kyiv", True),
        ("us", "the us_navy", False),  # the underscore is a word character
        ("us", "the us-led talks", True),
        ("nato", "nato's summit", True),
        ("eu", "the european union", False),
        ("eu", "ceu eu", True),  # a later occurrence counts when the first is inside a word
        ("kursk", "kurskénergo kursk", True),
        ("kursk", "kurské", False),  # an accented letter is a word character
        ("", "a b", False),  # no place between two non-word characters
        ("", "a  b", True),
        ("", "", True),
        ("", "ab", False),
    ],
)
def test_has_word_cases(phrase: str, text: str, found: bool) -> None:
    assert has_word(phrase, text) is found
    assert _regex_has_word(phrase, text) is found


def test_has_word_is_the_regex_search_on_random_texts() -> None:
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choices(_ALPHABET, k=rng.randint(0, 12)))
        phrase = "".join(rng.choices(_ALPHABET, k=rng.randint(0, 3)))
        assert has_word(phrase, text) == _regex_has_word(phrase, text), (phrase, text)


def test_stem_sets_are_the_stems_of_the_terms() -> None:
    text = "Russia-Ukraine talks: Zelenskyy's officials met the U.S. delegation in Riyadh"
    words = terms(text)
    assert stem_set(text) == {stem(t) for t in words}
    hyphens = {stem(x) for t in words if "-" in t for x in t.split("-") if x}
    assert hyphens == {"russia", "ukrain"}
    assert stem_set_split(text) == {stem(t) for t in words} | hyphens
    assert "russia-ukrain" in stem_set_split(text)  # the whole term stays


@pytest.mark.parametrize(
    ("question", "sentence", "clash"),
    [
        ("Who led the US delegation?", "The Ukrainian delegation was led by Umerov.", "Ukrainian"),
        ("Who led the US delegation?", "The US and Ukrainian delegation met.", None),
        ("Who led the US delegation?", "Rubio led the talks in Riyadh.", None),  # no 'delegation'
        ("How many Ukrainian soldiers serve?", "About 20,000 Wagner fighters died.", "Wagner"),
    ],
)
def test_modifier_clash_with_and_without_the_noun(
    question: str, sentence: str, clash: str | None
) -> None:
    kin = {"soldier": {stem("soldiers"), stem("fighters")}}
    assert modifier_clash(question, sentence, lambda n: kin.get(stem(n), set())) == clash


def test_words_of_any_alphabet_are_whole_terms() -> None:
    """'Bürgenstock' is one word, not 'rgenstock': a name with an accent is matched as written."""
    assert terms("The Bürgenstock summit, Zaporizhzhia’s plant and Kyiv") == [
        "bürgenstock",
        "summit",
        "zaporizhzhia",
        "plant",
        "kyiv",
    ]
