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


def table(
    values: np.ndarray, groups: np.ndarray, value_codes: Sequence[int], group_codes: Sequence[int]
) -> np.ndarray:
    """The counts of each (group, value) pair; respondents missing either are left out."""
    both = ~np.isnan(values) & ~np.isnan(groups)
    values, groups = values[both], groups[both]
    counts = np.zeros((len(group_codes), len(value_codes)), dtype=np.int64)
    for i, group in enumerate(group_codes):
        in_group = values[groups == group]
        for j, value in enumerate(value_codes):
            counts[i, j] = np.count_nonzero(in_group == value)
    return counts


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
    p = stats.fisher_exact(kept, method=method).pvalue
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
