"""Scales and numbers: distribution, median, mean with its interval; "don't know" apart."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from consult.analysis.columns import DONT_KNOW
from consult.analysis.proportions import Share, share, tally


def mean_interval(values: np.ndarray, confidence: float = 0.95) -> tuple[float, float]:
    """The t interval of the mean; NaN bounds when there are fewer than two values."""
    n = values.size
    if n < 2:
        return float("nan"), float("nan")
    mean = float(np.mean(values))
    error = float(np.std(values, ddof=1)) / np.sqrt(n)
    if error == 0:
        return mean, mean
    half = float(stats.t.ppf(0.5 + confidence / 2, df=n - 1)) * error
    return mean - half, mean + half


@dataclass(frozen=True)
class ScaleSummary:
    """A rating scale's answers: ``n`` points given (don't know not among them)."""

    n: int
    dont_know: int
    distribution: list[Share]
    mean: float
    ci_low: float
    ci_high: float
    median: float
    top_two: Share


def _median_of_counts(levels: np.ndarray, counts: np.ndarray, n: int) -> float:
    """The median of ``counts[i]`` answers at ``levels[i]`` (sorted), as ``np.median`` gives."""
    cumulative = np.cumsum(counts)
    lower = levels[np.searchsorted(cumulative, (n - 1) // 2, side="right")]
    upper = levels[np.searchsorted(cumulative, n // 2, side="right")]
    return float((lower + upper) / 2)


def scale(values: np.ndarray, low: int, high: int) -> ScaleSummary:
    """Summarise a scale column; ``values`` holds points, -1 for don't know, NaN for none."""
    given = values[~np.isnan(values)]
    dont_know = int(np.count_nonzero(given == DONT_KNOW))
    points = given[given != DONT_KNOW]
    n = int(points.size)
    levels = np.arange(low, high + 1, dtype=float)
    counts = (
        tally(points, levels)
        if low >= 0
        else np.array([np.count_nonzero(points == p) for p in levels])
    )
    distribution = [share(int(p), int(c), n) for p, c in zip(levels, counts, strict=True)]
    top = int(counts[levels >= high - 1].sum())
    if n and counts.sum() == n:  # every answer is a point of the scale: moments from counts
        mean = float(levels @ counts / n)
        median = _median_of_counts(levels, counts, n)
        ci_low, ci_high = _mean_interval_of_counts(levels, counts, n, mean)
    else:
        mean = float(np.mean(points)) if n else float("nan")
        median = float(np.median(points)) if n else float("nan")
        ci_low, ci_high = mean_interval(points)
    return ScaleSummary(
        n=n,
        dont_know=dont_know,
        distribution=distribution,
        mean=mean,
        ci_low=ci_low,
        ci_high=ci_high,
        median=median,
        top_two=share("top_two", top, n),
    )


def _mean_interval_of_counts(
    levels: np.ndarray, counts: np.ndarray, n: int, mean: float, confidence: float = 0.95
) -> tuple[float, float]:
    """:func:`mean_interval` of answers given as counts per level."""
    if n < 2:
        return float("nan"), float("nan")
    variance = float(counts @ (levels - mean) ** 2) / (n - 1)
    error = np.sqrt(variance / n)
    if error == 0:
        return mean, mean
    half = float(stats.t.ppf(0.5 + confidence / 2, df=n - 1)) * error
    return mean - half, mean + half


@dataclass(frozen=True)
class NumberSummary:
    n: int
    mean: float
    ci_low: float
    ci_high: float
    median: float
    q1: float
    q3: float
    minimum: float
    maximum: float


def number(values: np.ndarray) -> NumberSummary:
    """Summarise a number column (NaN where unanswered)."""
    given = values[~np.isnan(values)]
    n = int(given.size)
    if n == 0:
        nan = float("nan")
        return NumberSummary(0, nan, nan, nan, nan, nan, nan, nan, nan)
    ci_low, ci_high = mean_interval(given)
    q1, median, q3 = (float(q) for q in np.percentile(given, [25, 50, 75]))
    return NumberSummary(
        n=n,
        mean=float(np.mean(given)),
        ci_low=ci_low,
        ci_high=ci_high,
        median=median,
        q1=q1,
        q3=q3,
        minimum=float(np.min(given)),
        maximum=float(np.max(given)),
    )
