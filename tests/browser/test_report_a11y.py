"""The standalone HTML report opened from disk in Chromium: axe-core finds no violation, and
the page asks for nothing outside itself."""

from __future__ import annotations

import pytest
from a11y import axe_violations
from factories import answer, make_organisation, survey_document, texts

from consult.reporting.html import render_html
from consult.services import reports
from consult.services.surveys import import_document

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(app):
    """30 organisations of two sizes, questions of three action-plan themes."""
    document = survey_document(key="a11y", title=texts("<b>Preparedness</b> survey"))
    first, second = (s["questions"] for s in document["sections"])
    first[1]["theme"] = "preparedness"
    first[3]["theme"] = "cooperation"
    second[0]["theme"] = "volunteering"
    survey, _warnings = import_document(document)
    for i in range(30):
        size = "volunteers" if i % 2 else "staff_6_plus"
        answer(
            survey,
            make_organisation(f"Org {i} ry", size=size),
            {
                "size": "small",
                "plan": "yes" if (i % 2) == (i % 5 == 0) else "no",
                "needs": ["training"] if i % 3 else ["training", "premises"],
                "readiness": "dont_know" if i % 7 == 0 else 1 + i % 5,
                "statements": {"info": 1 + i % 4, "help": 1 + i % 2},
                "plan_year": 2000 + i,
            },
        )
    return survey


@pytest.mark.parametrize(("lang", "by_theme"), [("fi", True), ("en", False)])
def test_the_html_report_has_no_accessibility_violations(
    page, survey, tmp_path, lang, by_theme
) -> None:
    report = reports.build(survey, locale=lang, by="size", k=5)
    path = tmp_path / "report.html"
    path.write_text(render_html(report, group_by_theme=by_theme), encoding="utf-8")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    assert page.locator("html").get_attribute("lang") == lang
    title = texts("<b>Preparedness</b> survey")[lang]
    assert page.get_by_role("heading", level=1).inner_text() == title
    images = page.get_by_role("img")
    assert images.count() >= 5
    for i in range(images.count()):
        assert images.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
    assert axe_violations(page) == []
    assert all(url.startswith(("file:", "data:")) for url in requested), requested
