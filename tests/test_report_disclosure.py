"""Nothing in a report lets a reader work out a number of 1 … k−1 respondents: not from a
group's size and the totals, not from a scale's mean, not from an n in an export. Each case
is checked against an independent audit of what is published."""

from __future__ import annotations

import io
import json

import numpy as np
import openpyxl
from factories import answer, make_organisation, make_survey
from scipy.optimize import linprog

from consult.reporting.xlsx import render_xlsx
from consult.services import reports

K = 5


def _question(report, key):
    return next(q for q in report["questions"] if q["key"] == key)


def _bounds_of_hidden(question) -> dict:
    """Independent audit: the published numbers (the question's n and its options' counts,
    each shown group's n and shown cells) as linear constraints on the hidden cells and
    hidden group sizes; the least and the most each can be."""
    cross = question["crosstab"]
    g, v = len(cross["groups"]), len(cross["values"])
    unknown = [(i, j) for i in range(g) for j in range(v) if cross["cells"][i][j]["suppressed"]]
    unknown += [(i, "n") for i in range(g) if cross["groups"][i]["n"] is None]
    index = {cell: u for u, cell in enumerate(unknown)}
    a_eq, b_eq = [], []

    def value(cell):
        i, j = cell
        return cross["groups"][i]["n"] if j == "n" else cross["cells"][i][j]["count"]

    def constraint(plus, total, minus=()):
        row, known = np.zeros(len(unknown)), 0.0
        for sign, cells in ((1, plus), (-1, minus)):
            for cell in cells:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    known += sign * value(cell)
        a_eq.append(row)
        b_eq.append(total - known)

    for i in range(g):  # each group's cells add up to its n
        constraint([(i, j) for j in range(v)], 0, minus=[(i, "n")])
    for j, option in enumerate(question["options"]):
        if option["count"] is not None:
            constraint([(i, j) for i in range(g)], option["count"])
    constraint([(i, "n") for i in range(g)], question["n"])
    found = {}
    for u, cell in enumerate(unknown):
        c = np.zeros(len(unknown))
        c[u] = 1
        low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None)).fun
        high = -linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None)).fun
        found[cell] = (round(low, 6), round(high, 6))
    return found


def test_a_small_group_cannot_be_worked_out_from_the_totals(app) -> None:
    """6 volunteer-run organisations (no plan), 6 with 1–5 staff and 2 with more (a plan)."""
    survey = make_survey()
    sizes = ["volunteers"] * 6 + ["staff_1_5"] * 6 + ["staff_6_plus"] * 2
    for i, size in enumerate(sizes):
        organisation = make_organisation(f"Yhdistys {i} ry", size=size)
        answer(
            survey, organisation, {"size": "small", "plan": "no" if size == "volunteers" else "yes"}
        )
    plan = _question(reports.build(survey, locale="en", k=K, by="size"), "plan")
    groups = {g["key"]: g for g in plan["crosstab"]["groups"]}
    assert groups["staff_6_plus"]["suppressed"] and groups["staff_6_plus"]["n"] is None
    # a second group is hidden with it, so the total less the shown groups is two groups' sum
    hidden = [key for key, g in groups.items() if g["suppressed"]]
    assert len(hidden) == 2
    bounds = _bounds_of_hidden(plan)
    exact = {cell: b for cell, b in bounds.items() if b[0] == b[1] and 0 < b[0] < K}
    assert not exact, exact


def test_random_tables_never_give_back_a_small_cell_or_group(app) -> None:
    rng = np.random.default_rng(7)
    sizes = ("volunteers", "staff_1_5", "staff_6_plus")
    survey = make_survey()
    for i in range(40):
        size = sizes[int(rng.choice(3, p=[0.45, 0.45, 0.10]))]
        plan = "yes" if rng.random() < (0.8 if size == "staff_6_plus" else 0.3) else "no"
        answer(survey, make_organisation(f"Org {i} ry", size=size), {"size": "small", "plan": plan})
    plan = _question(reports.build(survey, locale="en", k=K, by="size"), "plan")
    exact = {c: b for c, b in _bounds_of_hidden(plan).items() if b[0] == b[1] and 0 < b[0] < K}
    assert not exact, exact


def test_a_scale_mean_is_not_shown_beside_hidden_points(app) -> None:
    """2 organisations say 4 and 8 say 5: with n = 10, a mean of 4.8 would tell them apart."""
    survey = make_survey()
    for i in range(10):
        answer(
            survey,
            make_organisation(f"Yhdistys {i} ry"),
            {"size": "small", "plan": "no", "readiness": 4 if i < 2 else 5},
        )
    data = reports.build(survey, locale="en", k=K)
    readiness = _question(data, "readiness")
    assert [d["key"] for d in readiness["distribution"] if d["suppressed"]] == [4, 5]
    assert readiness["n"] == 10
    for name in ("mean", "ci_low", "ci_high", "median", "top_two_percent"):
        assert readiness[name] is None, name
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    values = [c.value for row in book["readiness"].iter_rows() for c in row]
    assert 4.8 not in values


def test_a_follow_up_questions_small_n_is_not_given_in_any_export(app) -> None:
    """2 of 14 organisations have a plan; only they are asked its year."""
    survey = make_survey()
    for i in range(14):
        raw = {"size": "small", "plan": "yes" if i < 2 else "no"}
        if i < 2:
            raw["plan_year"] = 2020 + i
        answer(survey, make_organisation(f"Yhdistys {i} ry"), raw)
    data = reports.build(survey, locale="en", k=K)
    published = json.loads(reports.to_json(data))
    assert _question(published, "plan_year")["n"] is None
    assert _question(published, "plan")["n"] == 14
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(data)))
    texts = [str(c.value) for row in book["plan_year"].iter_rows() for c in row if c.value]
    assert "Year of the plan" in " ".join(texts)
    assert not any("n = 2" in t for t in texts), texts
