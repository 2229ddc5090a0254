"""A person answers a survey in Chromium: keyboard only, in Finnish and in Arabic; every page
kind passes axe-core in fi, sv, en and ar; groups of choices are in fieldsets with legends."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from a11y import axe_violations
from factories import make_organisation, survey_document

from consult.extensions import db
from consult.models import Response, Survey
from consult.models.base import utcnow
from consult.services import invitations
from consult.services.surveys import import_document
from consult.survey_templates import template_document

pytestmark = pytest.mark.browser
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
LOCALES = ("fi", "sv", "en", "ar")


def with_arabic(document: dict) -> dict:
    """The document offered in Arabic too (test content: the English text marked in Arabic)."""
    document = copy.deepcopy(document)

    def walk(node):
        if isinstance(node, dict):
            if "en" in node and all(isinstance(v, str) for v in node.values()):
                node["ar"] = "عربي: " + node["en"]
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    document["locales"] = [*document["locales"], "ar"]
    return document


def open_survey(document: dict) -> str:
    survey, _ = import_document(with_arabic(document))
    survey.state = "open"
    db.session.commit()
    organisation = make_organisation(f"Testiyhdistys {survey.key} ry")
    return "/r/" + invitations.invite(survey, [organisation])[0].token


def screenshot(page, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        page.screenshot(path=str(ARTEFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


FIELDSET_CHECK = """() => Array.from(document.querySelectorAll('input[type=radio], input[type=checkbox]'))
  .filter(input => !input.closest('[hidden]'))
  .filter(input => {
    const set = input.closest('fieldset');
    const legend = set && set.querySelector(':scope > legend');
    return !(legend && legend.textContent.trim());
  }).map(input => input.name)"""


def check_page(page, name: str) -> None:
    """axe-core finds nothing, every choice is grouped with a legend; screenshots are kept."""
    assert axe_violations(page) == [], name
    assert page.evaluate(FIELDSET_CHECK) == [], name
    assert page.locator("html").get_attribute("dir") == ("rtl" if name.endswith("-ar") else "ltr")


def focused(page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement;
          const box = el.closest('.question');
          return { tag: el.tagName, type: el.type || '', name: el.name || '', value: el.value || '',
                   action: el.getAttribute('value') || '', checked: !!el.checked,
                   required: !!(box && box.hasAttribute('data-required')),
                   text: (el.textContent || '').trim() }; }"""
    )


def group_answered(page, name: str) -> bool:
    return page.evaluate(f"() => !!document.querySelector('input[name=\"{name}\"]:checked')")


def answer_required_with_keyboard(page) -> None:
    """Tab through a page, answering each required question shown, then press Next."""
    for _ in range(400):
        page.keyboard.press("Tab")
        element = focused(page)
        if element["tag"] == "BUTTON" and element["action"] == "next":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if not element["required"]:
            continue
        if element["type"] in ("radio", "checkbox") and not group_answered(page, element["name"]):
            page.keyboard.press("Space")
        elif element["type"] == "text" and not element["value"]:
            page.keyboard.type(
                "12"
                if "number" in page.evaluate("() => document.activeElement.className")
                else "Vastaus"
            )
        elif element["tag"] == "TEXTAREA" and not element["value"]:
            page.keyboard.type("Vastaus")
    raise AssertionError("no Next button reached by keyboard")


@pytest.mark.parametrize("lang", ["fi", "ar"])
def test_a_person_answers_a_template_survey_with_the_keyboard_only(
    page, live_server, app, lang
) -> None:
    link = open_survey(template_document("preparedness"))
    page.goto(f"{live_server}{link}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    # from the start page to the first question, by keyboard
    start = page.locator(".actions a.button.primary")
    start.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    pages_seen = 0
    while "/review" not in page.url:
        assert re.search(r"/p/[a-z_]+", page.url), page.url
        answer_required_with_keyboard(page)
        pages_seen += 1
        assert pages_seen < 10
        assert page.locator(".error-summary").count() == 0, page.url
    submit = page.locator("form.submit-form button")
    submit.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"{link}/receipt")
    assert pages_seen == 5
    db.session.expire_all()
    response = db.session.scalar(sa.select(Response))
    assert response.status == "submitted"
    keys = {a.question.key for a in response.answers}
    assert {"org_theme_group", "org_size", "org_languages", "prep_has_plan"} <= keys


def page_kinds(page, live_server, link: str, lang: str):
    """Visit every kind of respondent page; yields (kind, page) at each."""
    page.goto(f"{live_server}{link}?lang={lang}")
    yield "start"
    page.goto(f"{live_server}{link}/p/first?lang={lang}")
    yield "section"
    with page.expect_navigation():
        page.locator("#page-form button[value=next]").click()
    assert page.locator(".error-summary").count() == 1
    yield "errors"
    page.locator("#q_size-0").check()
    page.locator("#q_plan-1").check()
    with page.expect_navigation():
        page.locator("#page-form button[value=save]").click()
    yield "saved"
    page.goto(f"{live_server}{link}/p/second?lang={lang}")
    yield "second-section"
    page.goto(f"{live_server}{link}/review?lang={lang}")
    yield "review"
    with page.expect_navigation():
        page.locator("form.submit-form button").click()
    yield "receipt"


@pytest.mark.parametrize("lang", LOCALES)
def test_every_page_kind_is_accessible(page, live_server, app, lang) -> None:
    document = survey_document()
    document["sections"][1]["questions"] = [
        q for q in document["sections"][1]["questions"] if q["type"] != "date"
    ] + [{"key": "when", "type": "date", "text": {"fi": "Milloin?", "en": "When?"}}]
    link = open_survey(document)
    for kind in page_kinds(page, live_server, link, lang):
        check_page(page, f"{kind}-{lang}")
        if lang in ("fi", "ar"):
            screenshot(page, f"{kind}-{lang}")
    # closed, and a link that does not work
    for survey in db.session.scalars(sa.select(Survey)):
        survey.closes_at = utcnow()
    db.session.commit()
    page.goto(f"{live_server}{link}?lang={lang}")
    assert page.locator("a[href$='/receipt']").count() == 1  # closed: the receipt stays readable
    assert page.locator("a[href*='/p/']").count() == 0
    check_page(page, f"closed-{lang}")
    page.goto(f"{live_server}/r/not-a-real-link?lang={lang}")
    assert page.locator("h1").count() == 1
    if lang != "ar":  # the not-found page speaks the interface languages fi, sv, en
        check_page(page, f"invalid-{lang}")


def test_dependent_questions_appear_and_disappear_at_once(page, live_server, app) -> None:
    link = open_survey(survey_document())
    page.goto(f"{live_server}{link}/p/first?lang=en")
    year = page.locator("#question-plan_year")
    assert year.is_hidden()
    page.locator("#q_plan-0").check()  # yes
    assert year.is_visible()
    page.locator("#q_plan-1").check()  # no
    assert year.is_hidden()


def test_a_draft_survives_closing_the_browser(browser, live_server, app) -> None:
    link = open_survey(survey_document())
    first = browser.new_context()
    page = first.new_page()
    page.goto(f"{live_server}{link}/p/first?lang=en")
    page.locator("#q_size-0").check()
    page.locator("#q_plan-0").check()
    page.locator("#q_plan_year").fill("2023")
    with page.expect_navigation():
        page.locator("#page-form button[value=save]").click()
    first.close()

    second = browser.new_context()
    page = second.new_page()
    page.goto(f"{live_server}{link}?lang=en")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue where you left off").click()
    assert page.locator("#q_size-0").is_checked()
    assert page.locator("#q_plan_year").input_value() == "2023"
    second.close()


def test_script_in_survey_content_or_answers_never_runs(page, live_server, app) -> None:
    payload = '<img src=x onerror="window.pwned=1"><script>window.pwned=1</script>'
    document = survey_document()
    document["title"]["en"] = payload
    document["sections"][0]["questions"][0]["options"][0]["text"]["en"] = payload
    document["sections"][0]["questions"][0]["help"] = {"fi": payload, "en": payload}
    link = open_survey(document)
    page.goto(f"{live_server}{link}/p/first?lang=en")
    page.locator("#q_size-0").check()
    page.locator("#q_plan-1").check()
    with page.expect_navigation():
        page.locator("#page-form button[value=next]").click()
    page.locator("#q_comment").fill(payload)
    with page.expect_navigation():
        page.locator("#page-form button[value=next]").click()
    assert "/review" in page.url
    assert page.evaluate("() => window.pwned") is None
    assert payload in page.locator("main").inner_text()
    page.goto(f"{live_server}{link}/p/first?lang=en")
    assert page.evaluate("() => window.pwned") is None
    assert (
        "<script>" in page.locator("h1, .brand").first.inner_text()
        or "<img" in page.locator(".brand").inner_text()
    )


@pytest.mark.parametrize("lang", LOCALES)
def test_the_open_link_pages_are_accessible(page, live_server, app, lang) -> None:
    survey, _ = import_document(with_arabic(template_document("volunteering")))
    survey.state = "open"
    survey.open_link = True
    db.session.commit()
    page.goto(f"{live_server}/s/{survey.key}?lang={lang}")
    check_page(page, f"register-{lang}")
    with page.expect_navigation():
        page.locator("#page-form button[value=next]").click()
    assert page.locator(".error-summary").count() == 1
    check_page(page, f"register-errors-{lang}")
    if lang in ("fi", "ar"):
        screenshot(page, f"register-errors-{lang}")


def test_enter_in_a_text_field_moves_on_in_the_same_language(page, live_server, app) -> None:
    link = open_survey(survey_document())
    page.goto(f"{live_server}{link}/p/first?lang=fi")
    page.locator("#q_size-0").check()
    page.locator("#q_plan-0").check()
    page.locator("#q_plan_year").fill("2020")
    with page.expect_navigation():
        page.locator("#q_plan_year").press("Enter")
    assert "/p/second" in page.url
    assert page.locator("html").get_attribute("lang") == "fi"


def test_numbers_typed_in_arabic_digits_show_dependent_questions_at_once(
    page, live_server, app
) -> None:
    document = survey_document()
    document["sections"][0]["questions"] += [
        {"key": "staff", "type": "number", "text": {"fi": "Henkilöstö", "en": "Staff"}},
        {
            "key": "no_staff",
            "type": "short_text",
            "text": {"fi": "Ei henkilöstöä?", "en": "No staff?"},
            "condition": {"question": "staff", "equals": 0},
        },
    ]
    link = open_survey(document)
    page.goto(f"{live_server}{link}/p/first?lang=ar")
    dependent = page.locator("#question-no_staff")
    assert dependent.is_hidden()
    page.locator("#q_staff").fill("٠")
    assert dependent.is_visible()
    page.locator("#q_staff").fill("1 000")
    assert dependent.is_hidden()
