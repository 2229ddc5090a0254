"""The workspace in Chromium: a coordinator signs in with the keyboard, goes through every
workspace page, invites organisations and sees their status move; axe finds nothing."""

from __future__ import annotations

import pytest
from a11y import axe_violations
from workspace_helpers import PASSWORD, make_user

from consult.extensions import db
from consult.services import invitations
from consult.services.organisations import OrganisationData, create_organisation

pytestmark = pytest.mark.browser


def _organisation(name: str, email: str, locale: str):
    organisation = create_organisation(
        OrganisationData(
            name=name,
            theme_group="culture",
            contacts=[{"name": "Yhteys", "email": email, "phone": None, "locale": locale}],
        )
    )
    db.session.commit()
    return organisation


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_a_coordinator_runs_a_round_by_keyboard_and_axe_finds_nothing(
    page, live_server, template_surveys, lang
) -> None:
    survey = template_surveys[0]
    make_user("admin", "admin@example.org")
    orgs = [
        _organisation("Kulttuuriyhdistys ry", "a@example.org", "fi"),
        _organisation("Kulturföreningen rf", "b@example.org", "sv"),
        _organisation("<script>alert(1)</script> ry", "c@example.org", "en"),
    ]
    page.goto(f"{live_server}/login?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert axe_violations(page) == []
    page.keyboard.press("Tab")  # skip link
    page.locator("#email").focus()
    page.keyboard.type("admin@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url("**/workspace/")
    assert axe_violations(page) == []

    base = f"{live_server}/workspace"
    key = survey.key
    for path in [
        "/organisations/",
        "/organisations/new",
        "/organisations/import",
        "/organisations/duplicates",
        f"/organisations/{orgs[0].id}",
        f"/surveys/{key}/",
        f"/surveys/{key}/texts?only=sv",
        "/surveys/new",
        "/users/",
        "/audit",
        "/outbox/",
    ]:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert axe_violations(page) == [], path

    # Invite the three by keyboard: tick each, then the first button of the group.
    page.goto(f"{base}/surveys/{key}/organisations")
    for organisation in orgs:
        page.locator(f"#org-{organisation.id}").focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name=page.locator(".send-choice button").first.inner_text()).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".notice-success").count() == 1
    assert axe_violations(page) == []
    assert page.locator(".copy-link").count() == 3
    assert page.evaluate("window.__xss") is None  # the organisation's name did not run

    # The outbox shows three messages; the status moves as organisations answer.
    page.goto(f"{base}/outbox/")
    assert page.locator("tbody tr").count() == 3
    page.locator("tbody a").first.click()
    assert axe_violations(page) == []
    token = invitations.token_of(invitations.of_survey(survey)[0])
    page.goto(f"{live_server}/r/{token}")
    page.goto(f"{base}/surveys/{key}/organisations?status=opened")
    assert page.locator("tbody tr").count() == 1

    page.goto(f"{base}/surveys/{key}/preview?lang={lang}")
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_report_page_with_rounds_and_coded_answers_passes_axe(
    page, live_server, app, lang
) -> None:
    from factories import answer, make_organisation, make_survey

    from consult.services import coding, waves

    first, second = make_survey(key="prep-2025"), make_survey(key="prep-2027")
    waves.join_series(first, second)
    db.session.commit()
    for i in range(12):
        answer(
            first,
            make_organisation(f"A{i} ry"),
            {"size": "small" if i < 6 else "large", "plan": "no"},
        )
        answer(
            second,
            make_organisation(f"B{i} ry"),
            {"size": "small" if i < 9 else "large", "plan": "no", "name": f"Tiloja {i}"},
        )
    question = coding.open_question(second, "name")
    code = coding.add_code(question, "Tilat", "fi")
    coding.save(
        question,
        {r.response_id: ({code.id}, i == 0) for i, r in enumerate(coding.answers(question))},
    )
    make_user("coordinator", "coordinator@example.org")
    page.goto(f"{live_server}/login?lang={lang}")
    page.fill("#email", "coordinator@example.org")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    page.goto(f"{live_server}/workspace/surveys/prep-2027/report?rlang={lang}&by=size")
    assert page.locator("img").count() >= 3  # charts, each with its alt text
    assert all(img.get_attribute("alt") for img in page.locator("img").all())
    assert axe_violations(page) == []
    page.goto(f"{live_server}/workspace/surveys/prep-2027/coding/name")
    assert axe_violations(page) == []
    page.goto(f"{live_server}/workspace/surveys/prep-2027/design")
    assert axe_violations(page) == []
