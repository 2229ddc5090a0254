"""Shares with honest uncertainty: counts, percentages and Wilson score intervals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def wilson_interval(count: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval of ``count`` out of ``n``, as fractions (0–1).

    Unlike the textbook ±1.96·SE interval it stays within 0–1 and is honest for small n
    and for shares near 0 % or 100 %. With n = 0 the interval is the whole 0–1.
    """
    if n <= 0:
        return 0.0, 1.0
    if not 0 <= count <= n:
        raise ValueError(f"count {count} is not between 0 and n={n}")
    z = stats.norm.ppf(0.5 + confidence / 2)
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
    return [share(code, int(np.count_nonzero(answered == code)), n) for code in options]


def chosen(columns: np.ndarray, keys: Sequence[int | str]) -> list[Share]:
    """A multiple-choice question: the share of respondents (not of choices) who chose each
    option. ``columns`` is respondents × options of 0/1, a row all NaN when unanswered."""
    answered = columns[~np.all(np.isnan(columns), axis=1)]
    n = int(answered.shape[0])
    counts = np.nansum(answered, axis=0) if n else np.zeros(len(keys))
    return [share(key, int(count), n) for key, count in zip(keys, counts, strict=True)]
