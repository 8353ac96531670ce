"""Filters parsed from what a person types, and the YYYYMMDD numbers the store compares."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.models import DocMeta, Filters, yyyymmdd


def test_parse_reads_iso_dates_and_gives_none_when_nothing_narrows() -> None:
    assert Filters.parse(None, None, "") is None
    f = Filters.parse(["inuno.ai"], "2025-03-01", None)
    assert f == Filters(("inuno.ai",), date(2025, 3, 1), None)
    with pytest.raises(ValueError):
        Filters.parse([], "11/03/2025", None)


def test_dates_become_yyyymmdd_numbers_everywhere() -> None:
    assert yyyymmdd(date(2025, 3, 11)) == 20250311
    f = Filters(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    assert f.day_numbers() == (20250301, 20250331)
    assert Filters().day_numbers() == (None, None)
    assert f.chroma_where() == {
        "$and": [
            {"date": {"$gte": 20250301}},
            {"date": {"$lte": 20250331}},
            {"date": {"$gt": 0}},
        ]
    }
    meta = DocMeta(doc_id="d", title="t", source="s", published=date(2024, 2, 19))
    assert meta.date_int == 20240219
    assert DocMeta(doc_id="d", title="t", source="s").date_int == 0
