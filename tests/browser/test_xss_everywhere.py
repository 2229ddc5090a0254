"""Script put into every kind of text a coordinator or a respondent writes — organisation
names, contact persons, survey titles, pages, questions, options and help in each language,
open answers, codes — never runs in Chromium on any page that shows it, and shows as text."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from factories import answer, survey_document
from workspace_helpers import PASSWORD, make_user

from consult.extensions import db
from consult.models import Question
from consult.services import coding, designer, invitations, messaging
from consult.services.organisations import OrganisationData, create_organisation
from consult.services.surveys import import_document

pytestmark = [pytest.mark.browser, pytest.mark.security]

PAYLOADS = [
    '<script>window.__xss="script"</script>',
    "<img src=x onerror=\"window.__xss='img'\">",
    '"><svg onload="window.__xss=\'svg\'">',
    "javascript:window.__xss='href'",
    "{{7*7}}<b>bold</b>",
    "'; window.__xss='quote'; '",
]


def _texts(payload: str) -> dict[str, str]:
    return {locale: f"{locale} {payload}" for locale in ("fi", "sv", "en")}


def _world(payload: str):
    document = survey_document(key="xss-survey")
    document["title"] = _texts(payload)
    document["introduction"] = _texts(payload)
    section = document["sections"][0]
    section["title"] = _texts(payload)
    section["questions"][0]["text"] = _texts(payload)
    section["questions"][0]["help"] = _texts(payload)
    section["questions"][0]["options"][0]["text"] = _texts(payload)
    survey, _ = import_document(document)
    survey.state = "open"
    db.session.commit()
    organisation = create_organisation(
        OrganisationData(
            name=f"Org {payload}",
            contacts=[
                {
                    "name": f"Contact {payload}",
                    "email": "c@example.org",
                    "phone": None,
                    "locale": "en",
                }
            ],
        )
    )
    others = [create_organisation(OrganisationData(name=f"Other {i} {payload}")) for i in range(5)]
    db.session.commit()
    messaging.send(survey, [organisation], "invitation")
    token = invitations.token_of(invitations.of_survey(survey)[0])
    for i, other in enumerate([organisation, *others]):
        answer(survey, other, {"size": "small", "plan": "no", "name": f"Answer {i} {payload}"})
    question = db.session.scalar(sa.select(Question).where(Question.key == "name"))
    code = coding.add_code(question, f"Code {payload}"[:200], "en")
    rows = coding.answers(question)
    coding.save(question, {r.response_id: ({code.id}, True) for r in rows})
    designer.change_wording(survey, {("survey:title", "sv"): f"sv2 {payload}"})
    return survey, organisation, token


def test_script_in_any_text_never_runs_on_any_page(page, live_server, app, tally) -> None:
    make_user("admin")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/login?lang=en")
    page.fill("#email", "admin@example.org")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.press("#password", "Enter")
    tried, failed = 0, []
    for number, payload in enumerate(PAYLOADS):
        survey, organisation, token = _world(payload)
        key = survey.key
        survey.key = key = f"xss-{number}"
        db.session.commit()
        from pathlib import Path

        outbox = sorted((Path(app.instance_path) / "outbox").glob("*.eml"))[-1].name
        paths = [
            "/workspace/",
            "/workspace/organisations/",
            f"/workspace/organisations/{organisation.id}",
            f"/workspace/surveys/{key}/",
            f"/workspace/surveys/{key}/organisations",
            f"/workspace/surveys/{key}/texts",
            f"/workspace/surveys/{key}/design",
            f"/workspace/surveys/{key}/design/questions/size",
            f"/workspace/surveys/{key}/preview",
            f"/workspace/surveys/{key}/preview/first",
            f"/workspace/surveys/{key}/report?rlang=en",
            f"/workspace/surveys/{key}/coding/name",
            f"/workspace/outbox/{outbox}",
            "/workspace/audit",
            "/",
            f"/surveys/{key}",
            f"/r/{token}",
            f"/r/{token}/p/first",
            f"/r/{token}/receipt",
        ]
        for path in paths:
            for lang in ("fi", "sv", "en"):
                separator = "&" if "?" in path else "?"
                response = page.goto(f"{live_server}{path}{separator}lang={lang}")
                tried += 1
                ran = page.evaluate("() => window.__xss")
                if ran or dialogs or (response and response.status >= 500):
                    failed.append(f"{path} [{lang}] payload {number}: ran={ran} dialogs={dialogs}")
                    dialogs.clear()
        # The text is there, as text.
        page.goto(f"{live_server}/workspace/organisations/{organisation.id}")
        if payload not in page.locator(
            "main"
        ).inner_text() and f"Org {payload}" not in page.input_value("#name"):
            failed.append(f"payload {number} not shown as text")
    tally(tried, failed)
