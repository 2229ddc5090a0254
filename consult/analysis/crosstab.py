"""Cross-tabulation of a closed question by a group (an organisation attribute or another
question): counts, row percentages and the fitting test of independence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

#: Below this expected count a chi-square p-value is not trusted and Fisher's test is used.
MIN_EXPECTED = 5
MONTE_CARLO_RESAMPLES = 9999


@dataclass(frozen=True)
class TestResult:
    """A test of independence: which, its statistic, degrees of freedom, p-value, effect size."""

    test: (
        str  # "chi_square", "fisher_exact", "fisher_monte_carlo", "kruskal_wallis", "mann_whitney"
    )
    statistic: float
    dof: int | None
    p_value: float
    effect_size: float
    effect_name: str  # "cramers_v", "epsilon_squared", "rank_biserial"


@dataclass(frozen=True)
class CrossTab:
    """``counts[g, v]``: how many respondents of group g gave answer v."""

    group_keys: list[int | str]
    value_keys: list[int | str]
    counts: np.ndarray
    row_percents: np.ndarray
    test: TestResult | None


def _positions(values: np.ndarray, codes: Sequence[int]) -> np.ndarray:
    """Where each value is in ``codes``; -1 for a value that is not among them."""
    order = np.asarray(codes, dtype=float)
    small = order.size and order.min() >= 0 and order.max() < 65536
    if small and np.array_equal(order, np.round(order)):  # small whole numbers: a lookup table
        lookup = np.full(int(order.max()) + 2, -1, dtype=np.int64)
        lookup[order.astype(np.int64)] = np.arange(order.size)
        whole = np.clip(values, -1, order.max() + 1).astype(np.int64)
        found = lookup[whole]  # -1 maps to the last entry, which is -1
        return np.where(whole == values, found, -1)
    sorter = np.argsort(order, kind="stable")
    ordered = order[sorter]
    found = np.clip(np.searchsorted(ordered, values), 0, max(ordered.size - 1, 0))
    if not ordered.size:
        return np.full(values.shape, -1, dtype=np.int64)
    return np.where(ordered[found] == values, sorter[found], -1)


def table(
    values: np.ndarray, groups: np.ndarray, value_codes: Sequence[int], group_codes: Sequence[int]
) -> np.ndarray:
    """The counts of each (group, value) pair; respondents missing either are left out."""
    shape = (len(group_codes), len(value_codes))
    if not shape[0] or not shape[1]:
        return np.zeros(shape, dtype=np.int64)
    both = ~np.isnan(values) & ~np.isnan(groups)
    v, g = _positions(values[both], value_codes), _positions(groups[both], group_codes)
    kept = (v >= 0) & (g >= 0)
    cells = np.bincount(g[kept] * shape[1] + v[kept], minlength=shape[0] * shape[1])
    return cells.reshape(shape).astype(np.int64)


def row_percents(counts: np.ndarray) -> np.ndarray:
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, 100.0 * counts / totals, np.nan)


def nominal_test(counts: np.ndarray, seed: int = 2026) -> TestResult | None:
    """Chi-square with Cramér's V, or Fisher's test where an expected count is below 5.

    Empty rows and columns are left out first; a table smaller than 2 × 2 has no test.
    """
    kept = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if kept.shape[0] < 2 or kept.shape[1] < 2:
        return None
    n = int(kept.sum())
    chi2, p_chi2, dof, expected = stats.chi2_contingency(kept, correction=False)
    cramers_v = float(np.sqrt(chi2 / (n * (min(kept.shape) - 1))))
    if expected.min() >= MIN_EXPECTED:
        return TestResult(
            "chi_square", float(chi2), int(dof), float(p_chi2), cramers_v, "cramers_v"
        )
    if kept.shape == (2, 2):
        p = stats.fisher_exact(kept).pvalue
        return TestResult("fisher_exact", float(chi2), int(dof), float(p), cramers_v, "cramers_v")
    method = stats.MonteCarloMethod(
        n_resamples=MONTE_CARLO_RESAMPLES, rng=np.random.default_rng(seed)
    )
    # SciPy returns some Monte Carlo p-values as an array of one (e.g. a 14 × 5 table).
    p = np.ravel(stats.fisher_exact(kept, method=method).pvalue)[0]
    return TestResult("fisher_monte_carlo", float(chi2), int(dof), float(p), cramers_v, "cramers_v")


def ordinal_test(samples: Sequence[np.ndarray]) -> TestResult | None:
    """Scale answers of two groups (Mann–Whitney) or more (Kruskal–Wallis); empty groups and
    don't-know answers must be left out by the caller."""
    groups = [s for s in samples if s.size > 0]
    if len(groups) < 2 or len(np.unique(np.concatenate(groups))) < 2:
        return None
    if len(groups) == 2:
        first, second = groups
        result = stats.mannwhitneyu(first, second, alternative="two-sided")
        rank_biserial = 1 - 2 * result.statistic / (first.size * second.size)
        return TestResult(
            "mann_whitney",
            float(result.statistic),
            None,
            float(result.pvalue),
            float(rank_biserial),
            "rank_biserial",
        )
    result = stats.kruskal(*groups)
    n = sum(g.size for g in groups)
    epsilon_squared = result.statistic / (n - 1)
    return TestResult(
        "kruskal_wallis",
        float(result.statistic),
        len(groups) - 1,
        float(result.pvalue),
        float(epsilon_squared),
        "epsilon_squared",
    )


def ordinal_test_of_table(counts: np.ndarray, points: Sequence[float]) -> TestResult | None:
    """:func:`ordinal_test` of scale answers given as ``counts[group, point]`` (the points in
    ascending order): the same tests, from the midranks of the points, without sorting every
    answer. Small samples without ties (where Mann–Whitney is exact) go to SciPy."""
    counts = np.asarray(counts, dtype=np.int64)
    counts = counts[counts.sum(axis=1) > 0]
    totals = counts.sum(axis=0)
    if counts.shape[0] < 2 or np.count_nonzero(totals) < 2:
        return None
    sizes = counts.sum(axis=1)
    if counts.shape[0] == 2 and sizes.min() <= 8 and totals.max() <= 1:
        levels = np.asarray(points, dtype=float)
        return ordinal_test([np.repeat(levels, row) for row in counts])
    n = int(totals.sum())
    midranks = np.cumsum(totals) - (totals - 1) / 2.0
    rank_sums = counts @ midranks
    ties = float(np.sum(totals.astype(float) ** 3 - totals))
    if counts.shape[0] == 2:
        n1, n2 = (int(s) for s in sizes)
        u1 = float(rank_sums[0]) - n1 * (n1 + 1) / 2
        u = max(u1, n1 * n2 - u1)
        spread = np.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
        z = (u - n1 * n2 / 2 - 0.5) / spread if spread > 0 else np.inf
        p = float(np.clip(2 * stats.norm.sf(z), 0.0, 1.0))
        return TestResult(
            "mann_whitney", u1, None, p, float(1 - 2 * u1 / (n1 * n2)), "rank_biserial"
        )
    h = 12.0 / (n * (n + 1)) * float(np.sum(rank_sums**2 / sizes)) - 3 * (n + 1)
    h /= 1 - ties / (n**3 - n)
    dof = counts.shape[0] - 1
    return TestResult(
        "kruskal_wallis", h, dof, float(stats.chi2.sf(h, dof)), h / (n - 1), "epsilon_squared"
    )


def crosstab(
    values: np.ndarray,
    groups: np.ndarray,
    value_codes: Sequence[int],
    group_codes: Sequence[int],
    *,
    value_keys: Sequence[int | str] | None = None,
    group_keys: Sequence[int | str] | None = None,
) -> CrossTab:
    """A closed (nominal) question by group, with its test."""
    counts = table(values, groups, value_codes, group_codes)
    return CrossTab(
        group_keys=list(group_keys or group_codes),
        value_keys=list(value_keys or value_codes),
        counts=counts,
        row_percents=row_percents(counts),
        test=nominal_test(counts),
    )
