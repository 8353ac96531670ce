"""What a written sentence asserts (names, numbers, dates) and which of those its cited
passages lack: the check a model's sentence, a brief's line and a quoted answer all pass."""

from __future__ import annotations

import re

from assistant.answer.dates import DAY_MONTH, MONTH_DAY, MONTH_NUMBER, days_in, weekday_days
from assistant.answer.lexicon import GENERIC_CAPS
from assistant.answer.names import capitalised, first_name, has_name
from assistant.answer.values import DATEISH, WEEKDAY, numbers
from assistant.models import MARKER, DocMeta
from assistant.text import day, stem, terms


def claim_facts(sentence: str) -> tuple[list[str], list[str], list[str]]:
    """Names, numbers and dates a written sentence asserts."""
    sentence = MARKER.sub("", sentence)
    names = [w for w in capitalised(sentence) if w not in GENERIC_CAPS]
    first = first_name(sentence)
    if first:
        names.insert(0, first)  # "Kyiv fell yesterday."
    nums = [t for _, t in numbers(sentence)]
    dates = [m.group(0) for m in DATEISH.finditer(sentence)]
    return names, nums, dates


def unsupported_facts(sentence: str, sources: list[tuple[str, DocMeta]]) -> list[str]:
    """The names, numbers and dates of a sentence that none of its cited passages contain (the
    passage text, its title, publisher and publication date count)."""
    blob = " ".join(
        f"{text}\n{meta.title}\n{meta.publisher}\n"
        + (
            f"{meta.published.day} {meta.published:%B %Y} {meta.published.isoformat()}"
            if meta.published
            else ""
        )
        + "".join(f"\n{day(d)}" for _, d in weekday_days(text, meta.published))
        for text, meta in sources
    )
    low = blob.lower()
    stems = {stem(t) for t in terms(blob)}
    names, nums, dates = claim_facts(sentence)
    missing = [n for n in names if not has_name(n, low, stems) and n.lower() not in low]
    digits = re.sub(r"[^\d]", " ", blob).split()
    for n in nums:
        core = re.sub(r"[^\d.]", "", n).strip(".")
        if core:
            if core.replace(".", "") not in {d for d in digits} and core not in blob:
                missing.append(n)
        elif n.lower() not in low:
            missing.append(n)
    for d in dates:
        if d.lower() not in low and not (
            d.lower() in {"today", "yesterday"} or re.fullmatch(WEEKDAY, d.lower())
        ):
            missing.append(d)
    # a day of the month is checked as a day: "3 August" is not carried by "5 August 2024"
    known = {(d.month, d.day) for d in days_in(blob, default_year=2000)}
    for m in DAY_MONTH.finditer(sentence):
        if (MONTH_NUMBER[m.group(2).lower()], int(m.group(1))) not in known:
            missing.append(m.group(0))
    for m in MONTH_DAY.finditer(sentence):
        if (MONTH_NUMBER[m.group(1).lower()], int(m.group(2))) not in known:
            missing.append(m.group(0))
    return list(dict.fromkeys(missing))
