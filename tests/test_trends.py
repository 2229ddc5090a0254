"""Comparing rounds: the change of a share, checked against statsmodels and SciPy, and a
series of rounds built from surveys linked as waves."""

from __future__ import annotations

import pytest
from factories import answer, make_organisation, make_survey
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from consult.analysis.trends import change
from consult.extensions import db
from consult.services import waves


@pytest.mark.parametrize(
    ("earlier", "later"), [((38, 100), (62, 100)), ((120, 300), (95, 280)), ((45, 90), (45, 90))]
)
def test_a_change_against_statsmodels(earlier, later) -> None:
    found = change(earlier, later)
    low, high = confint_proportions_2indep(
        later[0], later[1], earlier[0], earlier[1], method="newcomb", compare="diff"
    )
    assert found.difference == pytest.approx(100 * (later[0] / later[1] - earlier[0] / earlier[1]))
    assert (found.ci_low, found.ci_high) == (pytest.approx(100 * low), pytest.approx(100 * high))
    _z, p = proportions_ztest([later[0], earlier[0]], [later[1], earlier[1]])
    assert found.test == "chi_square" and found.p_value == pytest.approx(p)


def test_small_counts_use_fishers_exact_test() -> None:
    found = change((1, 12), (6, 11))
    assert found.test == "fisher"
    assert found.p_value == pytest.approx(stats.fisher_exact([[6, 5], [1, 11]])[1])


@settings(deadline=None)  # SciPy's first call can be slow on a busy machine
@given(
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
)
def test_the_interval_holds_the_difference_and_stays_in_range(earlier, later) -> None:
    found = change(earlier, later)
    assert -100 - 1e-9 <= found.ci_low <= found.difference <= found.ci_high <= 100 + 1e-9
    assert 0 <= found.p_value <= 1


def test_two_rounds_are_compared_question_by_question(app) -> None:
    first = make_survey(key="prep-2025")
    second = make_survey(key="prep-2027")
    waves.join_series(first, second)
    first.wave_label, second.wave_label = "2025", "2027"
    db.session.commit()
    for i in range(30):
        answer(first, make_organisation(f"A{i} ry"), {"size": "small" if i < 10 else "large"})
        answer(second, make_organisation(f"B{i} ry"), {"size": "small" if i < 20 else "large"})
    result = waves.compare(second, locale="en")
    assert result["waves"] == ["2025", "2027"]
    size = next(q for q in result["questions"] if q["key"] == "size")
    small = next(o for o in size["options"] if o["key"] == "small")
    assert [p["percent"] for p in small["points"]] == [
        pytest.approx(100 / 3),
        pytest.approx(200 / 3),
    ]
    expected = change((10, 30), (20, 30))
    assert small["change"]["difference"] == pytest.approx(expected.difference, abs=0.01)
    assert small["change"]["p_value"] == pytest.approx(expected.p_value)
    assert small["change"]["p_adjusted"] >= small["change"]["p_value"]
    assert waves.compare(first)["waves"] == ["2025"]  # a round is compared with earlier ones only


def test_small_groups_are_not_compared(app) -> None:
    first, second = make_survey(key="a-2025"), make_survey(key="a-2027")
    waves.join_series(first, second)
    db.session.commit()
    for i in range(8):
        answer(first, make_organisation(f"A{i} ry"), {"size": "small" if i < 2 else "large"})
        answer(second, make_organisation(f"B{i} ry"), {"size": "small" if i < 6 else "large"})
    size = next(q for q in waves.compare(second)["questions"] if q["key"] == "size")
    small = next(o for o in size["options"] if o["key"] == "small")
    assert small["points"][0]["suppressed"] and small["points"][0]["count"] is None
    assert small["change"] is None
