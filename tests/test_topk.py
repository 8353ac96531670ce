"""The k best of many scores, found from a sample first: the same values and rows as
partitioning all of them (dense pre-scan, BM25 top-k)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.dense import SAMPLED_FROM, best_rows, kth_largest


def _arrays(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    n = SAMPLED_FROM * 4
    normal = rng.standard_normal(n).astype(np.float32)
    few = np.round(rng.standard_normal(n), 1).astype(np.float32)  # many ties
    sparse = np.where(rng.random(n) < 0.9, 0, rng.random(n)).astype(np.float32)  # BM25-like
    masked = np.where(rng.random(n) < 0.8, -np.inf, normal).astype(np.float32)
    rising = np.arange(n, dtype=np.float32)  # the best all at the end, which a stride may skip
    return [normal, few, sparse, masked, rising, normal[: SAMPLED_FROM - 1]]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("k", [1, 24, 96, 1000, 5000])
def test_kth_largest_is_the_partition(seed: int, k: int) -> None:
    for values in _arrays(seed):
        if k > values.size:
            continue
        want = np.partition(values, values.size - k)[values.size - k]
        assert kth_largest(values, k) == want


@pytest.mark.parametrize("k", [24, 1000])
def test_best_rows_without_ties_are_argpartitions(k: int) -> None:
    values = np.random.default_rng(3).standard_normal(SAMPLED_FROM * 3).astype(np.float32)
    want = np.sort(np.argpartition(-values, k)[:k])
    assert np.array_equal(best_rows(values, k), want)


def test_best_rows_take_the_first_of_tied_rows() -> None:
    values = np.zeros(SAMPLED_FROM * 2, dtype=np.float32)
    values[[5, 900, 12_000]] = 2.0
    got = best_rows(values, 10)
    assert got.tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 900, 12_000]
