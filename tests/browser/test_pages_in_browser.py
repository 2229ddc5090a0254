"""What a person sees: the front page and each survey in Chromium, checked with axe-core."""

from __future__ import annotations

import pytest
from a11y import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def surveys(template_surveys):
    return [(s.key, dict(s.title)) for s in template_surveys]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_page_has_no_accessibility_violations(page, live_server, surveys, lang) -> None:
    page.goto(f"{live_server}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    for key, _title in surveys:
        page.goto(f"{live_server}/surveys/{key}?lang={lang}")
        assert axe_violations(page) == [], key
    page.goto(f"{live_server}/no/such/page?lang={lang}")
    assert axe_violations(page) == []


def test_a_person_finds_a_survey_and_switches_its_language_with_the_keyboard(
    page, live_server, surveys
) -> None:
    key, title = surveys[0]
    page.goto(f"{live_server}/?lang=fi")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Siirry sisältöön"
    page.get_by_role("link", name=title["fi"]).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/surveys/{key}")
    assert page.get_by_role("heading", level=1).inner_text() == title["fi"]

    page.get_by_role("navigation", name="Kyselyn kieli").get_by_role("link", name="Svenska").click()
    assert page.get_by_role("heading", level=1).inner_text() == title["sv"]
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("heading", name="Om er organisation").count() == 1


def test_the_pages_read_at_phone_width_without_sideways_scrolling(
    page, live_server, surveys
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["/", *(f"/surveys/{key}" for key, _ in surveys)]:
        page.goto(f"{live_server}{path}?lang=fi")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, path


def test_the_accessibility_check_does_catch_a_violation(page) -> None:
    page.set_content('<html lang="en"><body><main><img src="chart.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in axe_violations(page))
