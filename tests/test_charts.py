"""Charts of a report: PNG and SVG a slide can take, alt text, a table, no hidden cell drawn."""

from __future__ import annotations

import itertools
import struct
import xml.etree.ElementTree as ET

import pytest
from factories import answer, make_organisation, make_survey, survey_document, texts
from flask_babel import force_locale
from matplotlib.text import Text

from consult.reporting import charts, diverging, palette
from consult.reporting.figure import WIDTH
from consult.reporting.tables import HIDDEN
from consult.services import reports
from consult.services.surveys import import_document

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"
SIZES = ["volunteers"] * 8 + ["staff_1_5"] * 8 + ["staff_6_plus"] * 3


READINESS = [2, 2, 2, 3, 3, 3, "dont_know", "dont_know", 3, 3, 3, 4, 4, 4, 4, "dont_know"]
READINESS += [4, 4, 4]


@pytest.fixture
def survey(app):
    """19 organisations of three sizes; 12 have a plan; groups of at least 3 (k = 3)."""
    survey = make_survey()
    for i, size in enumerate(SIZES):
        answer(
            survey,
            make_organisation(f"Yhdistys {i} ry", size=size),
            {
                "size": "small",
                "plan": "no" if i < 14 and i % 2 == 0 else "yes",
                "needs": ["training"] if i % 2 else ["training", "premises"],
                "readiness": READINESS[i],
                "statements": {"info": 1 + i % 4, "help": 4 - i % 2},
            },
        )
    return survey


@pytest.fixture
def report(survey):
    return reports.build(survey, locale="en", by="size", k=3)


def question(report, key):
    return next(q for q in report["questions"] if q["key"] == key)


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    return struct.unpack(">II", png[16:24])


def test_a_bar_chart_is_a_png_for_the_screen_and_for_print(report) -> None:
    chart = charts.options_chart(question(report, "plan"), report)
    width, height = chart.size
    assert width == WIDTH
    assert png_size(chart.png(100)) == (800, round(height * 100))
    assert png_size(chart.png(200)) == (1600, round(height * 200))


def test_the_svg_is_valid_and_carries_the_title_and_the_description(report) -> None:
    chart = charts.options_chart(question(report, "plan"), report)
    root = ET.fromstring(chart.svg())
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Do you have a plan?"
    assert root.find(f"{SVG}desc").text == chart.alt


def test_every_chart_has_a_title_n_a_source_line_alt_text_and_a_table(report) -> None:
    drawn = [(q, c) for q in report["questions"] for c in charts.question_charts(q, report)]
    assert {c.kind for _q, c in drawn} == {"bars", "diverging", "grouped"}
    for q, chart in drawn:
        assert chart.title and chart.alt and chart.table.rows
        assert chart.source == f"Source: consult, Test survey, n = {q['n']}"
        assert chart.source in chart_texts(chart)
        assert chart.title.split()[0] in " ".join(chart_texts(chart))


def test_the_alt_text_names_the_largest_share(report) -> None:
    chart = charts.options_chart(question(report, "plan"), report)
    assert chart.alt.startswith("Bar chart: Do you have a plan?, 19 respondents.")
    assert "Largest share: Yes, 63 %" in chart.alt  # 12 of 19
    assert "No 37 %" in chart.alt


def test_the_alt_text_is_in_the_reports_language(survey) -> None:
    finnish = reports.build(survey, locale="fi", k=3)
    with force_locale("fi"):
        chart = charts.options_chart(question(finnish, "plan"), finnish)
    assert "Kyllä, 63 %" in chart.alt
    assert chart.title == "Do you have a plan? (fi)"


def test_hidden_answers_are_not_drawn_but_the_table_says_hidden(app) -> None:
    survey = make_survey()
    for i in range(14):
        needs = ["training"] if i % 2 else ["training", "premises"]
        answer(survey, make_organisation(f"Org {i} ry"), {"needs": needs})
    report = reports.build(survey, locale="en", k=8)  # 7 chose premises, 7 did not
    chart = charts.options_chart(question(report, "needs"), report)
    assert [d["label"] for d in chart.data] == ["Training", "Other"]
    assert "Premises" in chart.alt and "Not shown: Premises" in chart.alt
    rows = dict(chart.table.formatted())
    assert [text for text, _hidden in rows["Premises"]] == ["hidden"] * 4
    assert chart.table.rows[1].values == (HIDDEN,) * 4


def test_a_scale_is_a_diverging_bar_with_dont_know_apart(report) -> None:
    readiness = question(report, "readiness")
    chart = diverging.scale_chart(readiness, report)
    assert chart.kind == "diverging"
    points = [d["point"] for d in chart.data]
    assert "dont_know" in points  # in its own panel, not one of the scale's segments
    shown = [d["percent"] for d in chart.data if d["point"] != "dont_know"]
    assert sum(shown) == pytest.approx(100.0)
    given = readiness["n"] + readiness["dont_know"]
    dont_know = next(d for d in chart.data if d["point"] == "dont_know")
    assert dont_know["percent"] == pytest.approx(100 * readiness["dont_know"] / given)
    assert "Don't know" in chart.alt
    matrix = diverging.scale_chart(question(report, "statements"), report)
    assert {d["label"].split(" (")[0] for d in matrix.data} == {"Info", "Help"}


def test_a_hidden_point_of_a_scale_is_left_out_and_marked(app) -> None:
    survey = make_survey()
    points = [4] * 10 + [5] * 10 + [1, 1, 2, 2]
    for i, point in enumerate(points):
        answer(survey, make_organisation(f"Org {i} ry"), {"size": "small", "readiness": point})
    report = reports.build(survey, locale="en", k=3)
    chart = diverging.scale_chart(question(report, "readiness"), report)
    assert {d["point"] for d in chart.data if d["point"] != "dont_know"} == {4, 5}
    assert chart.data[0]["label"] == "All respondents (n = 24)"
    drawn = chart_texts(chart)
    assert "All respondents (n = 24) *" in drawn
    assert any(t.startswith("* Some answers are hidden") for t in drawn)
    assert "Some answers are hidden." in chart.alt


def test_a_cross_tabulation_is_grouped_bars_without_small_groups(report) -> None:
    plan = question(report, "plan")
    chart = charts.crosstab_chart(plan, report)
    assert chart.kind == "grouped"
    assert chart.title == "Do you have a plan? – Size of the organisation"
    groups = {d["group"] for d in chart.data}
    assert groups == {"Volunteers only, no paid staff", "1–5 paid staff", "6 or more paid staff"}
    for entry in chart.data:
        assert entry["ci_low"] <= entry["percent"] <= entry["ci_high"]
    assert [r.label for r in chart.table.rows] == [
        "Volunteers only, no paid staff",
        "1–5 paid staff",
        "6 or more paid staff",
    ]


def test_a_small_group_is_not_drawn_in_a_cross_tabulation(app) -> None:
    survey = make_survey()
    groups = ["culture"] * 10 + ["sports"] * 10 + ["youth"] * 3 + ["older_people"] * 3
    plans = ["yes", "no"] * 10 + ["yes"] * 6
    for i, (group, plan) in enumerate(zip(groups, plans, strict=True)):
        organisation = make_organisation(f"Org {i} ry", theme_group=group)
        answer(survey, organisation, {"size": "small", "plan": plan})
    report = reports.build(survey, locale="en", by="theme_group", k=5)
    chart = charts.crosstab_chart(question(report, "plan"), report)
    assert {d["group"] for d in chart.data} == {"Culture", "Sports and leisure"}
    assert "Youth and children's leisure:" not in chart.alt
    rows = dict(chart.table.formatted())
    assert [text for text, _hidden in rows["Older people"]] == ["hidden"] * 3
    assert [text for text, _hidden in rows["Culture"]] == ["10", "50", "50"]
    drawn = " ".join(chart_texts(chart))
    assert "Not shown, to protect small groups (fewer than 5 respondents): " in drawn
    assert "Youth and children's leisure" in drawn and "Older people" in drawn


def chart_texts(chart):
    """Every text drawn on the figure and its axes."""
    return [t.get_text() for t in chart.figure.findobj(Text)]


def test_a_scale_by_group_is_one_diverging_bar_per_group(report) -> None:
    chart = charts.crosstab_chart(question(report, "readiness"), report)
    assert chart.kind == "diverging"
    assert "dont_know" not in {d["point"] for d in chart.data}
    assert "Kruskal–Wallis" in chart.subtitle or "Mann–Whitney" in chart.subtitle


def test_a_trend_over_waves(app) -> None:
    points = [("2025", 40.0, 31.0, 49.5), ("2026", 52.0, 43.0, 61.0), ("2027", 47.5, 39.0, 56.0)]
    chart = charts.trend_chart(
        "Has a continuity plan", points, source="Source: consult, Preparedness, n = 120"
    )
    assert chart.kind == "trend"
    assert [d["label"] for d in chart.data] == ["2025", "2026", "2027"]
    assert "Highest: 2026, 52 %" in chart.alt
    assert png_size(chart.png(200))[0] == 1600
    assert ET.fromstring(chart.svg()).find(f"{SVG}title").text == "Has a continuity plan"
    assert [r.label for r in chart.table.rows] == ["2025", "2026", "2027"]
    with pytest.raises(ValueError):
        charts.trend_chart("Nothing", [], source="Source: consult")


def test_text_with_dollar_signs_and_markup_is_drawn_as_written(app) -> None:
    document = survey_document()
    first = document["sections"][0]["questions"][0]
    first["text"] = texts("Costs $5 or $10 <b>now</b>")
    first["options"][0]["text"] = texts("$_{x}$ & <script>alert(1)</script>")
    survey, _warnings = import_document(document)
    for i in range(6):
        answer(survey, make_organisation(f"Org {i} ry"), {"size": "small" if i % 2 else "large"})
    report = reports.build(survey, locale="en", k=3)
    chart = charts.options_chart(question(report, "size"), report)
    drawn = chart_texts(chart)
    assert "Costs $5 or $10 <b>now</b>" in drawn
    assert png_size(chart.png())[0] == 800
    root = ET.fromstring(chart.svg())  # the title is escaped, the SVG still parses
    assert root.find(f"{SVG}title").text == "Costs $5 or $10 <b>now</b>"


def test_the_palette_differs_in_lightness_not_only_in_hue() -> None:
    for count in (2, 3, 5, 8):
        lightness = [palette.lightness(c) for c in palette.categorical(count)]
        assert min(b - a for a, b in itertools.pairwise(lightness)) > 5  # L*, 0–100
    scale = [palette.lightness(c) for c in palette.diverging(5)]
    assert scale[0] < scale[1] and scale[4] < scale[3]  # the ends are the darkest
    assert palette.diverging(5)[2] == palette.NEUTRAL
    assert palette.text_on("#000000") == "#ffffff" and palette.text_on("#ffffff") == "#000000"
