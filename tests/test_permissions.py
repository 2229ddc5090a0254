"""Every workspace route × every role: a request outside the role's rights gets 403 or 404
and changes nothing; reviewers reach only the surveys given to them.

The expected rights are written out here, route by route, so that a new route fails this
test until someone decides who may use it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa
from factories import answer, make_organisation, make_survey
from workspace_helpers import make_user, sign_in, token_for

from consult.extensions import db
from consult.services import accounts, invitations

STAFF = {"admin", "coordinator"}
EVERYONE = {"admin", "coordinator", "reviewer"}
RIGHTS = {
    "workspace.home": EVERYONE,
    "workspace.audit_log": STAFF,
    "workspace.survey": STAFF,
    "workspace.survey_state": STAFF,
    "workspace.round_organisations": STAFF,
    "workspace.round_send": STAFF,
    "workspace.round_new_link": STAFF,
    "workspace.organisations": STAFF,
    "workspace.organisations_export": STAFF,
    "workspace.organisation_new": STAFF,
    "workspace.organisation_edit": STAFF,
    "workspace.organisations_import": STAFF,
    "workspace.organisations_import_confirm": STAFF,
    "workspace.organisations_duplicates": STAFF,
    "workspace.outbox": STAFF,
    "workspace.outbox_message": STAFF,
    "workspace.responses_export": STAFF,
    "workspace.report": EVERYONE,
    "workspace.report_download": EVERYONE,
    "workspace.report_chart": EVERYONE,
    "workspace.survey_new": STAFF,
    "workspace.coding_questions": STAFF,
    "workspace.coding_answers": STAFF,
    "workspace.survey_download": STAFF,
    "workspace.design": STAFF,
    "workspace.design_change": STAFF,
    "workspace.design_section": STAFF,
    "workspace.design_question": STAFF,
    "workspace.design_settings": STAFF,
    "workspace.survey_texts": STAFF,
    "workspace.preview": STAFF,
    "workspace.preview_page": STAFF,
    "workspace.users": {"admin"},
    "workspace.user_edit": {"admin"},
}
#: Routes a reviewer may use for the surveys given to them (and get 404 for the others).
REVIEWER_SURVEY_ROUTES = {"workspace.report", "workspace.report_download", "workspace.report_chart"}


def _fingerprint() -> str:
    """Every row of every table, hashed: equal before and after means nothing changed."""
    digest = hashlib.sha256()
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(sa.select(table).order_by(*table.primary_key.columns)).all()
        digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


@pytest.fixture
def world(app):
    given = make_survey(key="given-survey")
    other = make_survey(key="other-survey")
    organisation = make_organisation("Matriisi ry")
    for survey in (given, other):  # results, so that every report page has something to show
        for i in range(6):
            respondent = make_organisation(f"{survey.key} {i} ry")
            answer(survey, respondent, {"size": "small", "plan": "no", "name": f"Vastaus {i}"})
    invitations.invite(given, [organisation])
    users = {role: make_user(role) for role in ("admin", "coordinator", "reviewer")}
    accounts.set_reviewer_surveys(users["reviewer"], [given])
    outbox = Path(app.instance_path) / "outbox"
    outbox.mkdir()
    (outbox / "20261122T120000-0123abcd.eml").write_bytes(
        b"To: a@example.org\nSubject: s\n\nbody\n"
    )
    return {
        "given": given,
        "other": other,
        "organisation": organisation,
        "users": users,
        "outbox": "20261122T120000-0123abcd.eml",
    }


def _urls(app, world, survey_key: str) -> list[tuple[str, str, str]]:
    values = {
        "key": survey_key,
        "organisation_id": world["organisation"].id,
        "user_id": world["users"]["coordinator"].id,
        "name": world["outbox"],
        "section_key": "first",
        "kind": "csv",
        "question_key": "name",
        "chart_key": "size",
        "fmt": "svg",
    }
    result = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("workspace."):
            continue
        assert rule.endpoint in RIGHTS, f"{rule.endpoint}: add it to RIGHTS with its roles"
        with app.test_request_context():
            from flask import url_for

            extra = {"section": "first"} if rule.endpoint == "workspace.design_question" else {}
            given = {a: values[a] for a in rule.arguments}
            if rule.endpoint == "workspace.survey_download":
                given["kind"] = "yaml"
            if rule.endpoint == "workspace.report_download":
                given["kind"] = "json"
            url = url_for(rule.endpoint, **given, **extra)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            result.append((rule.endpoint, method, url))
    return result


# Form data that would change something if a request got through.
FORM = {
    "state": "closed",
    "kind": "link_only",
    "organisation": "1",
    "name": "Changed ry",
    "email": "new@example.org",
    "role": "admin",
    "password": "a new password of some length",
    "active": "y",
}


@pytest.mark.parametrize("role", ["anonymous", "reviewer", "coordinator", "admin"])
def test_every_route_refuses_roles_without_the_right(app, world, role) -> None:
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, f"{role}@example.org")
    token = token_for(client, "/login") if role == "anonymous" else token_for(client)
    checked = 0
    for survey_key in ("given-survey", "other-survey"):
        for endpoint, method, url in _urls(app, world, survey_key):
            before = _fingerprint()
            response = client.open(url, method=method, data={**FORM, "csrf_token": token})
            code = response.status_code
            allowed = role in RIGHTS[endpoint]
            if role == "reviewer" and endpoint in REVIEWER_SURVEY_ROUTES:
                allowed = survey_key == "given-survey"
            if role == "anonymous":
                assert code == 302 and "/login" in response.headers["Location"], (endpoint, method)
            elif not allowed:
                assert code in (403, 404), (role, endpoint, method, url, code)
            else:
                assert code not in (401, 403, 404, 405, 500), (role, endpoint, method, url, code)
            if not allowed or role == "anonymous":
                assert _fingerprint() == before, f"{role} {method} {url} changed something"
            checked += 1
    assert checked >= 2 * len(RIGHTS)


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(app, world) -> None:
    client = app.test_client()
    sign_in(client, "admin@example.org")
    for endpoint, method, url in _urls(app, world, "given-survey"):
        if method != "POST":
            continue
        before = _fingerprint()
        response = client.post(url, data=FORM)
        assert response.status_code == 400, (endpoint, response.status_code)
        assert _fingerprint() == before, endpoint
