"""A coordinator builds a survey in the browser, translates it, previews it, opens it,
invites three organisations and sees their status move as they answer; axe checks each
workspace page on the way."""

from __future__ import annotations

import pytest
from a11y import axe_violations
from workspace_helpers import PASSWORD, make_user

from consult.extensions import db
from consult.services.organisations import OrganisationData, create_organisation

pytestmark = pytest.mark.browser


def _checked(page, path: str = "") -> None:
    assert axe_violations(page) == [], path or page.url


def test_build_translate_preview_open_invite_and_follow(page, live_server, app) -> None:
    make_user("coordinator")
    for name, locale in (("Alfa ry", "fi"), ("Beta rf", "sv"), ("Gamma ry", "en")):
        create_organisation(
            OrganisationData(
                name=name,
                contacts=[
                    {
                        "name": "Yhteys",
                        "email": f"{name[:4].lower()}@example.org",
                        "phone": None,
                        "locale": locale,
                    }
                ],
            )
        )
    db.session.commit()
    base = f"{live_server}/workspace"
    page.goto(f"{live_server}/login?lang=en")
    page.fill("#email", "coordinator@example.org")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")

    # A blank survey.
    page.goto(f"{base}/surveys/new")
    page.get_by_role("radio", name="A blank survey").check()
    page.fill("#key", "round-2027")
    page.fill("#title", "Kierros 2027")
    page.select_option("#theme", "volunteering")
    with page.expect_navigation():
        page.get_by_role("button", name="Create a draft").click()
    assert page.url.endswith("/workspace/surveys/round-2027/")

    # Two more pages, each with its first question; a question shown only for some answers.
    page.goto(f"{base}/surveys/round-2027/design")
    _checked(page)
    for key, title, first, kind, text in (
        ("activities", "Toiminta", "members", "yes_no", "Onko yhdistyksellä jäseniä?"),
        ("needs", "Tarpeet", "needs_list", "multiple_choice", "Mitä tarvitsette?"),
    ):
        page.goto(f"{base}/surveys/round-2027/design/sections/new")
        _checked(page)
        page.fill("#key", key)
        page.fill("#title", title)
        page.fill("#first_key", first)
        page.select_option("#first_type", kind)
        page.fill("#first_text", text)
        with page.expect_navigation():
            page.get_by_role("button", name="Save the page").click()
        assert page.locator(".notice-success").count() == 1
    page.goto(f"{base}/surveys/round-2027/design/questions/new?section=activities&type=number")
    _checked(page)
    page.fill("#key", "member_count")
    page.select_option("#type", "number")
    page.fill("#text", "Montako jäsentä?")
    page.select_option("#condition", "members|equals|yes")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the question").click()
    assert "Shown when" in page.locator("#item-member_count").inner_text()
    _checked(page)

    # Swedish for one text, from the list of what is untranslated.
    page.goto(f"{base}/surveys/round-2027/texts?only=sv")
    _checked(page)
    swedish = page.locator("textarea[lang='sv']").nth(1)
    assert swedish.get_attribute("name").endswith("|sv")
    page.locator("input[lang='sv']").first.fill("Omgång 2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the texts").click()

    # The preview in Swedish shows the translation and stores nothing.
    page.goto(f"{base}/surveys/round-2027/preview?lang=sv")
    _checked(page)
    assert "Omgång 2027" in page.locator("h1").inner_text()

    # Open it and invite the three.
    page.goto(f"{base}/surveys/round-2027/")
    with page.expect_navigation():
        page.get_by_role("button", name="Open for answers").click()
    page.goto(f"{base}/surveys/round-2027/organisations")
    for checkbox in page.locator("input.pick").all():
        checkbox.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    _checked(page)
    links = [field.input_value() for field in page.locator(".copy-link").all()]
    assert len(links) == 3

    # One organisation answers its first page: its status moves to "Draft saved".
    respondent = page.context.new_page()
    respondent.goto(links[0].replace("http://127.0.0.1:5000", live_server))
    with respondent.expect_navigation():
        respondent.locator("a.button.primary").first.click()
    with respondent.expect_navigation():
        respondent.locator("button.primary[value=next]").click()
    respondent.close()
    page.goto(f"{base}/surveys/round-2027/organisations?status=draft")
    assert page.locator("tbody tr").count() == 1
    page.goto(f"{base}/surveys/round-2027/")
    assert "Draft saved" in page.locator("main").inner_text()
    _checked(page)
