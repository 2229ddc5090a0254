"""Shares with honest uncertainty: counts, percentages and Wilson score intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Share:
    """How many of ``n`` gave an answer, in percent with its 95 % interval (0–100)."""

    key: int | str
    count: int
    n: int
    percent: float
    ci_low: float
    ci_high: float


@lru_cache(maxsize=16)
def critical_z(confidence: float) -> float:
    """The two-sided normal critical value (1.96 for 95 %); computed once per confidence."""
    return float(stats.norm.ppf(0.5 + confidence / 2))


def tally(values: np.ndarray, keys: Sequence[int | float]) -> np.ndarray:
    """How many of ``values`` equal each of ``keys``, in one pass when the keys are small
    non-negative whole numbers (option codes, scale points); NaN is never counted."""
    wanted = np.asarray(keys, dtype=float)
    if wanted.size == 0:
        return np.zeros(0, dtype=np.int64)
    top = wanted.max()
    if wanted.min() >= 0 and top < 65536 and np.array_equal(wanted, np.round(wanted)):
        present = values[(values >= 0) & (values <= top)]
        whole = present.astype(np.int64)
        counts = np.bincount(whole[whole == present], minlength=int(top) + 1)
        return counts[wanted.astype(np.int64)]
    return np.array([np.count_nonzero(values == key) for key in wanted], dtype=np.int64)


def wilson_interval(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of ``count`` out of ``n``, as fractions (0–1).

    Unlike the textbook ±1.96·SE interval it stays within 0–1 and is honest for small n
    and for shares near 0 % or 100 %. With n = 0 the interval is the whole 0–1.
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is not between 0 and n={n}")
    z = critical_z(confidence)
    share = count / n
    denominator = 1 + z * z / n
    centre = (share + z * z / (2 * n)) / denominator
    half = z * np.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exactly 0 and 1 at the ends,
    high = 1.0 if count == n else min(1.0, centre + half)  # not a rounding error away
    return low, high


def share(key: int | str, count: int, n: int, confidence: float = 0.95) -> Share:
    low, high = wilson_interval(count, n, confidence)
    percent = 100.0 * count / n if n else 0.0
    return Share(key, int(count), int(n), percent, 100.0 * low, 100.0 * high)


def frequencies(codes: np.ndarray, options: Sequence[int]) -> list[Share]:
    """A single-choice question: each option's count and share of those who answered.

    ``codes`` holds one option code per respondent, NaN where there is no answer.
    """
    answered = codes[~np.isnan(codes)]
    n = int(answered.size)
    return [
        share(code, int(count), n)
        for code, count in zip(options, tally(answered, options), strict=True)
    ]


def chosen(columns: np.ndarray, keys: Sequence[int | str]) -> list[Share]:
    """A multiple-choice question: the share of respondents (not of choices) who chose each
    option. ``columns`` is respondents × options of 0/1, a row all NaN when unanswered."""
    n = int(np.count_nonzero(~np.isnan(columns).all(axis=1))) if columns.size else 0
    counts = np.count_nonzero(columns == 1, axis=0) if n else np.zeros(len(keys))
    return [share(key, int(count), n) for key, count in zip(keys, counts, strict=True)]
