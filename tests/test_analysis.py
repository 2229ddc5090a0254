"""The statistics, checked against statsmodels and SciPy computed independently, and
property tests: counts add up, intervals hold their estimate, small cells never leak."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from consult.analysis import adjust, crosstab, proportions, summaries, suppression

NAN = math.nan


@pytest.mark.parametrize(
    ("count", "n"), [(0, 10), (1, 10), (5, 10), (10, 10), (62, 100), (3, 7), (0, 1)]
)
def test_wilson_matches_statsmodels(count, n) -> None:
    low, high = proportions.wilson_interval(count, n)
    expected = proportion_confint(count, n, alpha=0.05, method="wilson")
    assert (low, high) == pytest.approx(expected, abs=1e-12)


def test_wilson_of_nobody_is_the_whole_range() -> None:
    assert proportions.wilson_interval(0, 0) == (0.0, 1.0)


def test_single_choice_frequencies_leave_out_the_unanswered() -> None:
    codes = np.array([1, 2, 2, NAN, 3, 2, NAN, 1])
    result = proportions.frequencies(codes, [1, 2, 3, 4])
    assert [(s.key, s.count, s.n) for s in result] == [(1, 2, 6), (2, 3, 6), (3, 1, 6), (4, 0, 6)]
    assert result[1].percent == pytest.approx(50.0)
    low, high = proportion_confint(3, 6, method="wilson")
    assert (result[1].ci_low, result[1].ci_high) == pytest.approx((100 * low, 100 * high))


def test_multiple_choice_shares_are_of_respondents_not_of_choices() -> None:
    columns = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 1], [NAN, NAN, NAN]])
    result = proportions.chosen(columns, ["a", "b", "c"])
    assert [(s.count, s.n) for s in result] == [(2, 3), (1, 3), (1, 3)]
    assert sum(s.percent for s in result) > 100  # respondents may choose several


def test_scale_keeps_dont_know_apart_and_matches_statsmodels() -> None:
    values = np.array([5, 4, 4, 3, -1, 2, 5, NAN, -1, 4])
    result = summaries.scale(values, 1, 5)
    points = np.array([5, 4, 4, 3, 2, 5, 4])
    assert (result.n, result.dont_know) == (7, 2)
    assert result.mean == pytest.approx(points.mean())
    assert (result.ci_low, result.ci_high) == pytest.approx(
        DescrStatsW(points).tconfint_mean(alpha=0.05)
    )
    assert result.median == 4
    assert [s.count for s in result.distribution] == [0, 1, 1, 3, 2]
    assert (result.top_two.count, result.top_two.n) == (5, 7)


def test_number_summary_matches_numpy_and_statsmodels() -> None:
    values = np.array([3, 10, NAN, 25, 7, 120, 15])
    result = summaries.number(values)
    given_values = values[~np.isnan(values)]
    assert result.n == 6
    assert (result.q1, result.median, result.q3) == pytest.approx(
        tuple(np.percentile(given_values, [25, 50, 75]))
    )
    assert (result.ci_low, result.ci_high) == pytest.approx(
        DescrStatsW(given_values).tconfint_mean()
    )


def test_chi_square_and_cramers_v_against_statsmodels_and_the_formula() -> None:
    counts = np.array([[178, 138, 108], [570, 648, 442], [138, 252, 252]])
    result = crosstab.nominal_test(counts)
    reference = Table(counts).test_nominal_association()
    assert result.test == "chi_square" and result.dof == reference.df == 4
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue, abs=1e-15)
    # by hand: sum (observed - expected)^2 / expected, expected = row total * column total / n
    n = counts.sum()
    expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n
    chi2 = ((counts - expected) ** 2 / expected).sum()
    assert result.statistic == pytest.approx(chi2)
    assert result.effect_size == pytest.approx(math.sqrt(chi2 / (n * 2)))


def test_small_expected_counts_use_fisher() -> None:
    result = crosstab.nominal_test(np.array([[8, 2], [1, 5]]))
    assert result.test == "fisher_exact"
    assert result.p_value == pytest.approx(
        0.034965, abs=1e-6
    )  # R: fisher.test(matrix(c(8,1,2,5),2))
    bigger = crosstab.nominal_test(np.array([[6, 1, 0], [1, 5, 2], [0, 1, 4]]))
    assert bigger.test == "fisher_monte_carlo" and 0 < bigger.p_value < 0.05


def test_crosstab_counts_and_row_percentages() -> None:
    values = np.array([1, 1, 2, 2, 2, NAN, 1, 2])
    groups = np.array([1, 1, 1, 2, 2, 2, NAN, 2])
    result = crosstab.crosstab(values, groups, [1, 2], [1, 2])
    assert result.counts.tolist() == [[2, 1], [0, 3]]
    assert result.row_percents[0].tolist() == pytest.approx([200 / 3, 100 / 3])


def test_ordinal_tests_against_scipy_directly() -> None:
    from scipy import stats

    a, b, c = np.array([1, 2, 2, 3, 4]), np.array([3, 4, 4, 5, 5]), np.array([2, 3, 3, 4])
    two = crosstab.ordinal_test([a, b])
    assert two.test == "mann_whitney"
    assert two.p_value == pytest.approx(stats.mannwhitneyu(a, b).pvalue)
    three = crosstab.ordinal_test([a, b, c])
    assert three.test == "kruskal_wallis" and three.dof == 2
    assert three.statistic == pytest.approx(stats.kruskal(a, b, c).statistic)


@pytest.mark.parametrize(("name", "method"), [("holm", "holm"), ("benjamini_hochberg", "fdr_bh")])
def test_adjusted_p_values_match_statsmodels(name, method) -> None:
    p = [0.01, 0.04, 0.03, 0.20, 0.002, 0.5]
    expected = multipletests(p, method=method)[1]
    assert getattr(adjust, name)(p) == pytest.approx(expected)


def test_adjustment_leaves_missing_p_values_out() -> None:
    result = adjust.holm([0.01, NAN, 0.04])
    assert math.isnan(result[1])
    assert result[[0, 2]] == pytest.approx(multipletests([0.01, 0.04], method="holm")[1])


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValueError):
        suppression.suppress(np.array([[1, 2]]), k=2)


def test_a_small_cell_takes_a_second_cell_with_it() -> None:
    hidden = suppression.suppress(np.array([[2, 10, 12], [8, 9, 11]]), k=5)
    assert hidden.tolist() == [[True, True, False], [True, True, False]]


probabilities = st.floats(min_value=0, max_value=1, allow_nan=False)
tables = arrays(
    np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(0, 30)
)


@given(st.integers(0, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_intervals_hold_their_estimate(pair) -> None:
    count, n = pair
    result = proportions.share("x", count, n)
    assert 0 <= result.ci_low <= result.percent <= result.ci_high <= 100


@given(arrays(np.float64, st.integers(0, 60), elements=st.sampled_from([1.0, 2.0, 3.0, NAN])))
def test_frequencies_add_up(codes) -> None:
    result = proportions.frequencies(codes, [1, 2, 3])
    answered = int(np.count_nonzero(~np.isnan(codes)))
    assert sum(s.count for s in result) == answered
    if answered:
        assert sum(s.percent for s in result) == pytest.approx(100.0)


@given(st.lists(probabilities, min_size=1, max_size=20))
def test_adjusted_p_values_are_valid_and_never_smaller(p) -> None:
    for adjusted in (adjust.holm(p), adjust.benjamini_hochberg(p)):
        assert np.all(adjusted >= np.asarray(p) - 1e-12) and np.all(adjusted <= 1)


@settings(max_examples=300)
@given(tables, st.integers(3, 10))
def test_suppression_never_leaves_a_small_cell_to_be_worked_out(counts, k) -> None:
    hidden = suppression.suppress(counts, k)
    assert np.all(hidden[(counts >= 1) & (counts < k)])  # every small cell is hidden
    for lines in (hidden, hidden.T):  # and none stands alone in its row or column
        singles = lines.sum(axis=1) == 1
        others = (counts if lines is hidden else counts.T)[singles]
        # a lone hidden cell is allowed only where nothing else is left to hide with it
        assert all(row.size == 1 for row in others)


@settings(max_examples=150)
@given(
    st.integers(2, 4).flatmap(
        lambda groups: st.lists(
            st.lists(st.integers(0, 12), min_size=5, max_size=5), min_size=groups, max_size=groups
        )
    )
)
def test_the_ordinal_test_from_a_table_equals_scipy_on_the_answers(rows) -> None:
    """The counts-table shortcut gives what SciPy gives on the answers themselves."""
    from consult.analysis.crosstab import ordinal_test, ordinal_test_of_table

    counts = np.array(rows)
    points = [1, 2, 3, 4, 5]
    samples = [np.repeat(np.array(points, dtype=float), row) for row in counts if row.sum()]
    expected = ordinal_test(samples)
    found = ordinal_test_of_table(counts, points)
    if expected is None:
        assert found is None
        return
    assert found is not None and found.test == expected.test
    if np.isnan(expected.p_value):  # SciPy gives NaN when every answer is the same point
        assert found.p_value == 1.0
        return
    assert found.statistic == pytest.approx(expected.statistic, rel=1e-9, abs=1e-9)
    assert found.p_value == pytest.approx(expected.p_value, rel=1e-6, abs=1e-9)
