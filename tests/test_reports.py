"""The report JSON: every number of a survey's results, small groups protected."""

from __future__ import annotations

import json

import pytest
from factories import answer, make_organisation, make_survey

from consult.services import reports

SIZES = ["volunteers"] * 6 + ["staff_1_5"] * 6 + ["staff_6_plus"] * 2


@pytest.fixture
def survey(app):
    survey = make_survey()
    for i, size in enumerate(SIZES):
        organisation = make_organisation(f"Yhdistys {i} ry", size=size, theme_group="culture")
        answer(
            survey,
            organisation,
            {
                "size": "small" if i % 3 else "large",
                "plan": "yes" if size != "volunteers" else "no",
                "needs": ["training"] if i % 2 else ["training", "premises"],
            },
        )
    return survey


def question(report, key):
    return next(q for q in report["questions"] if q["key"] == key)


def test_counts_percentages_and_intervals(survey) -> None:
    report = reports.build(survey, locale="en", k=3)
    plan = question(report, "plan")
    assert plan["n"] == 14
    yes, no = plan["options"]
    assert (yes["count"], no["count"]) == (8, 6)
    assert yes["percent"] == pytest.approx(100 * 8 / 14)
    assert yes["ci_low"] < yes["percent"] < yes["ci_high"]
    needs = question(report, "needs")
    assert [o["count"] for o in needs["options"]] == [14, 7, 0]  # shares of respondents
    assert not any(o["suppressed"] for o in needs["options"])
    suppressed = question(reports.build(survey, locale="en", k=8), "needs")["options"]
    assert [o["suppressed"] for o in suppressed] == [False, True, False]  # 7 chose, 7 did not


def test_small_cells_are_hidden_with_a_second_cell(survey) -> None:
    report = reports.build(survey, locale="en", k=5, by="size")
    cross = question(report, "plan")["crosstab"]
    groups = {g["key"]: g for g in cross["groups"]}
    assert groups["staff_6_plus"]["suppressed"] and groups["staff_6_plus"]["n"] is None
    for row in cross["cells"]:
        hidden = [cell["suppressed"] for cell in row]
        assert hidden.count(True) != 1  # never a lone hidden cell that a total gives back
    assert cross["test"] in ("fisher_exact", "fisher_monte_carlo", "chi_square")
    assert cross["p_adjusted"] >= cross["p_value"]


def test_a_question_answered_by_fewer_than_k_is_not_shown(survey) -> None:
    report = reports.build(survey, locale="en", k=5)
    year = question(report, "plan_year")
    assert year["n"] == 0 and year["suppressed"] and year["mean"] is None


def test_cut_by_another_single_choice_question(survey) -> None:
    report = reports.build(survey, locale="en", k=3, by="size")
    assert report["by"] == "size"  # the organisation attribute wins the name
    by_question = reports.build(survey, locale="en", k=3, by="plan")
    assert [g["key"] for g in question(by_question, "size")["crosstab"]["groups"]] == ["yes", "no"]


def test_a_wrong_cut_or_k_is_refused(survey) -> None:
    with pytest.raises(reports.ReportError, match="can be cut by"):
        reports.build(survey, locale="en", by="comment")
    with pytest.raises(reports.ReportError, match="at least 3"):
        reports.build(survey, locale="en", k=2)


def test_the_report_command_writes_json(runner, survey, tmp_path) -> None:
    out = tmp_path / "report.json"
    result = runner.invoke(
        args=[
            "report",
            "test-survey",
            "--format",
            "json",
            "--lang",
            "sv",
            "--by",
            "size",
            "--out",
            str(out),
        ]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "consult-report/1" and data["language"] == "sv"
    assert data["survey"]["title"] == "Test survey (sv)"
    assert question(data, "plan")["options"][0]["label"] == "Ja"
    bad = runner.invoke(args=["report", "test-survey", "--by", "nonsense"])
    assert bad.exit_code == 1 and "can be cut by" in bad.output


def test_a_clear_difference_becomes_a_finding_in_the_reports_language(app) -> None:
    survey = make_survey(key="findings")
    for i in range(40):
        size = "volunteers" if i < 20 else "staff_6_plus"
        plan = "yes" if (i < 20 and i % 4 == 0) or (i >= 20 and i % 4 != 0) else "no"
        answer(survey, make_organisation(f"Org {i} ry", size=size), {"size": "small", "plan": plan})
    report = reports.build(survey, locale="en", by="size", k=5)
    finding = report["findings"][0]
    assert finding["question"] == "plan" and finding["p_adjusted"] < 0.05
    assert {finding["high"]["group"], finding["low"]["group"]} == {
        "Volunteers only, no paid staff",
        "6 or more paid staff",
    }
    assert finding["high"]["percent"] == pytest.approx(75.0)
    assert finding["low"]["percent"] == pytest.approx(25.0)
    assert finding["sentence"].startswith("Do you have a plan? – “")
    assert "75 % vs" in finding["sentence"] and "25 %" in finding["sentence"]
    finnish = reports.build(survey, locale="fi", by="size", k=5)["findings"][0]["sentence"]
    assert "Vain vapaaehtoisia, ei palkattua henkilöstöä" in finnish
    assert "(korjattu p = 0,0" in finnish or "(korjattu p < 0,001)" in finnish
